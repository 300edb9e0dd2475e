// libFuzzer target for the `tairitsu` command line: an input is argv after
// the program name, its arguments separated by NUL bytes. Parsing and
// checking every option (sizes, durations, counts, directory grants,
// environment entries, references) must end in `Ok` or `Usage`, never in a
// crash, an exception or an abort. Nothing is run.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "cli/cli.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::vector<std::string> args{"tairitsu"};
  std::string current;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.push_back(current);
      current.clear();
    } else {
      current += static_cast<char>(data[i]);
    }
  }
  args.push_back(current);
  std::vector<const char *> argv;
  for (const std::string &a : args) argv.push_back(a.c_str());
  int code = tairitsu::cli::parse_only(static_cast<int>(argv.size()), argv.data());
  if (code != tairitsu::cli::Ok && code != tairitsu::cli::Usage) std::abort();
  return 0;
}
