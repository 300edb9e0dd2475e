#pragma once

// What the `tairitsu` command's subcommands share: reporting errors with the
// command's exit codes, opening the store, naming an image on the command
// line, and a progress spinner.

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "cli/cli.hpp"
#include "tairitsu/tairitsu.hpp"

namespace tairitsu::cli {

/// Prints "tairitsu: <error>" (invalid UTF-8 escaped) and returns the exit code for it.
int report(const Error &e);
/// Prints "tairitsu <command>: <message>" and returns `Usage`.
int usage(std::string_view command, const Error &e);

/// Options every command that touches the store shares, read once.
struct StoreFlags {
  std::optional<std::chrono::milliseconds> lock_timeout;  ///< --lock-timeout
};

/// The store options from the command line's text (`--lock-timeout`, empty when not given).
Result<StoreFlags> read_store_flags(const std::string &lock_timeout);

/// The store at `$TAIRITSU_HOME`, with the lock's timeout and a message when a writer waits.
Result<ImageStore> open_store(const StoreFlags &flags);

/// An image named on the command line.
struct Target {
  Image image;
  std::optional<StoredImage> stored;  ///< set when it came from the store
  std::string path;                   ///< set when it came from a file
};

/// An image reference found in the store comes first, so that a file of the
/// same name cannot stand in for it; then a file. A target that is no valid
/// reference can only be a file. Artifacts are loaded only with `allow_precompiled`.
/// The image is compiled for `engine`.
Result<Target> resolve(const std::string &target, const StoreFlags &flags, bool allow_precompiled,
                       const Engine &engine = Engine::shared());

/// `--allow-precompiled`: the user's opt-in, for one command, to loading native code from a file.
void add_allow_precompiled(CLI::App *command, bool &allow);

// A spinner on stderr while something slow runs, only when stderr is a terminal.
class Progress {
 public:
  explicit Progress(std::string what) {
    if (!::isatty(STDERR_FILENO)) return;
    thread_ = std::thread([this, what = std::move(what)] {
      static const char frames[] = "|/-\\";
      for (int i = 0; !done_; ++i) {
        std::fprintf(stderr, "\r%s %c", what.c_str(), frames[i % 4]);
        std::fflush(stderr);
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      std::fprintf(stderr, "\r%s done\n", what.c_str());
    });
  }
  ~Progress() {
    done_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace tairitsu::cli
