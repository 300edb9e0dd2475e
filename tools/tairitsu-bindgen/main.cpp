// tairitsu-bindgen: writes a C++ header for a WIT world.
//
//   tairitsu-bindgen wit/ --world plugin --namespace my::plugin -o plugin.hpp

#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>

#include "wit/bindgen.hpp"

int main(int argc, char **argv) {
  CLI::App app{"Generates C++ bindings (types, host interfaces, guest wrappers) from a WIT world."};
  std::string wit_path;
  std::string world;
  std::string output;
  tairitsu::wit::BindgenOptions options;
  app.add_option("wit", wit_path, "A .wit file or a directory of them (with deps/)")->required();
  app.add_option("-w,--world", world, "The world: a name or pkg:ns/name@version (default: the only one)");
  app.add_option("-n,--namespace", options.cpp_namespace, "C++ namespace (default: the world's name)");
  app.add_option("-o,--output", output, "The header to write (default: standard output)");
  CLI11_PARSE(app, argc, argv);

  auto resolve = tairitsu::wit::Resolve::load(wit_path, world);
  if (!resolve) {
    std::cerr << "tairitsu-bindgen: " << resolve.error() << "\n";
    return 65;
  }
  auto header = tairitsu::wit::generate_header(*resolve, options);
  if (!header) {
    std::cerr << "tairitsu-bindgen: " << header.error() << "\n";
    return 65;
  }
  if (output.empty()) {
    std::cout << *header;
    return 0;
  }
  // Rewriting an unchanged header would make everything that includes it rebuild.
  std::ifstream existing(output, std::ios::binary);
  std::ostringstream current;
  current << existing.rdbuf();
  if (existing && current.str() == *header) {
    return 0;
  }
  existing.close();
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << *header;
  if (!out.flush()) {
    std::cerr << "tairitsu-bindgen: cannot write '" << output << "'\n";
    return 74;
  }
  return 0;
}
