#include "cli/cli.hpp"

int main(int argc, char **argv) { return tairitsu::cli::main(argc, argv); }
