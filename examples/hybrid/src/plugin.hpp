#pragma once

// The plugin's logic, shared by both builds of this example: compiled natively
// into the host program (`hybrid_host --in-process`) and for wasm32 into the
// guest component (guest/guest_main.cpp). Plain C++20: it knows nothing about
// WebAssembly or Tairitsu, only the `HostApi` it is given.

#include <string>
#include <string_view>

namespace hybrid_plugin {

/// The outcome of a call: `ok` with its text (empty when there is nothing to
/// say), or an error with its message. The C++ form of WIT's
/// `result<string, string>` (and of `result<_, string>`).
struct Reply {
  bool ok = true;
  std::string text;

  static Reply success(std::string text = {}) { return {true, std::move(text)}; }
  static Reply failure(std::string message) { return {false, std::move(message)}; }
};

/// What the plugin needs from whoever runs it: the WIT interface `host-api`.
class HostApi {
 public:
  virtual ~HostApi() = default;
  /// Asks the host to run `command` on `payload`.
  virtual Reply execute(std::string_view command, std::string_view payload) = 0;
  /// Writes `message` to the host's log at `level` ("debug", "info", ...).
  virtual void log(std::string_view level, std::string_view message) = 0;
};

/// The plugin itself: the WIT interface `guest-api`.
class Plugin {
 public:
  explicit Plugin(HostApi &host) : host_(host) {}

  /// Prepares the plugin. Fails when called a second time.
  Reply init();
  /// Handles one command:
  ///   "greet" PAYLOAD  asks the host to "format-greeting" PAYLOAD and returns
  ///                    "guest: " followed by the host's answer;
  ///   "echo" PAYLOAD   returns PAYLOAD.
  /// Fails before `init()` and for any other command.
  Reply handle_command(std::string_view command, std::string_view payload);

 private:
  Reply greet(std::string_view payload);

  HostApi &host_;
  bool initialized_ = false;
};

}  // namespace hybrid_plugin
