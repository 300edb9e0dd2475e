#pragma once

// The `tairitsu` command: a Docker-like CLI over the persistent image store.

#include <string>
#include <vector>

namespace tairitsu::cli {

/// Exit codes of the `tairitsu` command besides a guest's own exit code
/// (documented in `tairitsu --help` and the README).
enum ExitCode : int {
  Ok = 0,
  Usage = 64,        ///< bad command line
  InvalidInput = 65, ///< malformed component, module, artifact or value text
  NotFound = 66,     ///< no such image, file or export
  Unavailable = 69,  ///< imports nobody provides, unsupported values
  Trap = 70,         ///< the guest trapped or a host function failed
  IoError = 74,      ///< the store or a file could not be read or written
  Limit = 75,        ///< a memory, fuel or time limit stopped the guest
};

/// Runs the command line; returns the process exit code.
int main(int argc, char **argv);

}  // namespace tairitsu::cli
