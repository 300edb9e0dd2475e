#pragma once

// The `tairitsu` command: a Docker-like CLI over the persistent image store.

#include <string>
#include <vector>

namespace tairitsu::cli {

/// Exit codes of the `tairitsu` command besides a guest's own exit code
/// (documented in `tairitsu --help` and the README).
enum ExitCode : int {
  Ok = 0,
  Usage = 64,            ///< bad command line
  InvalidInput = 65,     ///< malformed component, module, artifact or value text
  NotFound = 66,         ///< no such image, file or export
  Unavailable = 69,      ///< imports nobody provides, unsupported values
  Trap = 70,             ///< the guest trapped or a host function failed
  Internal = 71,         ///< a defect of Tairitsu's (please report it)
  IoError = 74,          ///< the store or a file could not be read or written
  Limit = 75,            ///< a memory, fuel or time limit stopped the guest
  GuestStatusHigh = 79,  ///< the guest exited with a status of 64 or more (`--raw-exit-code` passes it)
};

/// A guest's own exit statuses are 0 to 63; the codes from here up are Tairitsu's.
inline constexpr int kGuestExitCodes = 64;

/// Runs the command line; returns the process exit code.
int main(int argc, char **argv);

/// Parses and checks a command line without running anything: `Ok`, or
/// `Usage` when it would be refused. For the argument fuzzer.
int parse_only(int argc, const char *const *argv);

}  // namespace tairitsu::cli
