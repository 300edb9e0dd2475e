#pragma once

// Shared by the benchmarks: setup either works or ends the program with the reason.

#include <cstdlib>
#include <iostream>
#include <string>

#include "tairitsu/tairitsu.hpp"

namespace tairitsu::bench {

/// The value, or the error printed and the process ended: a benchmark cannot
/// run without its setup.
template <typename T>
T or_exit(Result<T> r) {
  if (!r) {
    std::cerr << r.error() << "\n";
    std::exit(1);
  }
  return std::move(*r);
}

/// A guest fixture's path ($TAIRITSU_FIXTURE_DIR overrides the build's directory).
inline std::string fixture(const std::string &name) {
  const char *dir = std::getenv("TAIRITSU_FIXTURE_DIR");
  return std::string(dir ? dir : TAIRITSU_FIXTURE_DIR) + "/" + name;
}

}  // namespace tairitsu::bench
