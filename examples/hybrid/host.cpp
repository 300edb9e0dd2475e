// The host of the hybrid example. The plugin (src/plugin.cpp) is built twice
// from the same source: into the WebAssembly component hybrid_guest.wasm,
// and natively into this program. Both are driven through the same C++
// interface, `hybrid::guest_api::GuestApi`, generated from wit/world.wit by
// tairitsu-bindgen; both call back into the same host handlers.
//
//   hybrid_host [--lock-down=deny|refuse] HYBRID_GUEST.wasm
//   hybrid_host [--lock-down=deny] --in-process
//
//   --in-process         run the plugin's native build, without WebAssembly
//   --lock-down=deny     answer every host-api.execute with an error
//   --lock-down=refuse   do not provide host-api.execute at all: the component
//                        cannot be linked (exit status 3)

#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "hybrid.hpp"  // generated from wit/world.wit by tairitsu-bindgen
#include "plugin.hpp"  // the plugin itself, compiled natively
#include "tairitsu/container.hpp"
#include "tairitsu/registry.hpp"
#include "tairitsu/typed.hpp"

namespace {

using tairitsu::Outcome;
using tairitsu::Result;
using Answer = Outcome<std::string, std::string>;   // WIT result<string, string>
using Done = Outcome<std::monostate, std::string>;  // WIT result<_, string>

constexpr std::string_view kImageRef = "hybrid:0.1.0";
constexpr std::string_view kContainerName = "hybrid-1";
constexpr const char *kLogImport = "tairitsu:hybrid/host-api@0.1.0#log";

// Exit statuses.
constexpr int kFailed = 1;      // a call or the image failed
constexpr int kUsage = 2;       // bad command line
constexpr int kNotCreated = 3;  // the container could not be created

enum class LockDown { None, Deny, Refuse };

// The host's side of `host-api`. The handlers are plain std::function
// members, so that the component and the plugin's native build call the very
// same code.
class HostServices final : public hybrid::host_api::HostApi {
 public:
  std::function<Answer(std::string_view command, std::string_view payload)> on_execute;
  std::function<void(std::string_view level, std::string_view message)> on_log;

  Answer execute(std::string command, std::string payload) override {
    if (!on_execute) return Answer::err("host-api.execute is not provided by the host");
    return on_execute(command, payload);
  }
  void log(std::string level, std::string message) override {
    if (on_log) on_log(level, message);
  }
};

// The commands this host executes for its plugin.
Answer execute_command(std::string_view command, std::string_view payload) {
  if (command == "format-greeting") return Answer::ok(std::string(payload) + " from the native host!");
  return Answer::err("unknown host command '" + std::string(command) + "'");
}

Answer deny_command(std::string_view, std::string_view) {
  return Answer::err("host-api.execute is locked down by the host");
}

void print_log(std::string_view level, std::string_view message) {
  std::cout << "[plugin " << level << "] " << message << "\n";
}

// --- The plugin's native build, behind the generated interface ----------------

// The plugin's `HostApi`, forwarding to the host's handlers.
class NativeHostApi final : public hybrid_plugin::HostApi {
 public:
  explicit NativeHostApi(hybrid::host_api::HostApi &host) : host_(host) {}

  hybrid_plugin::Reply execute(std::string_view command, std::string_view payload) override {
    Answer answer = host_.execute(std::string(command), std::string(payload));
    return answer.is_ok() ? hybrid_plugin::Reply::success(answer.value())
                          : hybrid_plugin::Reply::failure(answer.error());
  }
  void log(std::string_view level, std::string_view message) override {
    host_.log(std::string(level), std::string(message));
  }

 private:
  hybrid::host_api::HostApi &host_;
};

// `guest-api` answered by the plugin compiled into this program: the same
// interface `GuestApiGuest` implements with a container.
class InProcessPlugin final : public hybrid::guest_api::GuestApi {
 public:
  explicit InProcessPlugin(hybrid::host_api::HostApi &host) : host_(host), plugin_(host_) {}

  Result<Done> init() override {
    hybrid_plugin::Reply reply = plugin_.init();
    return reply.ok ? Done::ok({}) : Done::err(std::move(reply.text));
  }
  Result<Answer> handle_command(std::string_view command, std::string_view payload) override {
    hybrid_plugin::Reply reply = plugin_.handle_command(command, payload);
    return reply.ok ? Answer::ok(std::move(reply.text)) : Answer::err(std::move(reply.text));
  }

 private:
  NativeHostApi host_;  // before plugin_, which keeps a reference to it
  hybrid_plugin::Plugin plugin_;
};

// --- The calls: the same code for both builds ---------------------------------

std::string in_quotes(std::string_view text) { return "\"" + std::string(text) + "\""; }

std::string show(const Done &done) { return done.is_ok() ? "ok" : "err(" + in_quotes(done.error()) + ")"; }

std::string show(const Answer &answer) {
  return answer.is_ok() ? "ok(" + in_quotes(answer.value()) + ")" : "err(" + in_quotes(answer.error()) + ")";
}

// Runs a short session with the plugin and prints every call and its result.
// Errors of the plugin are results; an Error here is a failed call (a trap,
// a limit), which ends the session.
Result<void> run_session(hybrid::guest_api::GuestApi &plugin) {
  auto init = plugin.init();
  if (!init) return std::move(init).error();
  std::cout << "init() -> " << show(*init) << "\n";

  const std::pair<std::string_view, std::string_view> commands[] = {
      {"greet", "Hello"},  // guest -> host execute -> guest
      {"echo", "same bytes back"},
      {"frobnicate", ""},  // not a command of the plugin
  };
  for (const auto &[command, payload] : commands) {
    auto answer = plugin.handle_command(command, payload);
    if (!answer) return std::move(answer).error();
    std::cout << "handle-command(" << in_quotes(command) << ", " << in_quotes(payload) << ") -> " << show(*answer)
              << "\n";
  }

  auto again = plugin.init();
  if (!again) return std::move(again).error();
  std::cout << "init() -> " << show(*again) << "\n";
  return {};
}

int finish(const Result<void> &session) {
  if (session) return 0;
  std::cerr << "hybrid_host: " << session.error() << "\n";
  return kFailed;
}

// --- The plugin as a WebAssembly component --------------------------------------

int run_component(const std::string &path, HostServices &host, LockDown lock_down) {
  tairitsu::Registry registry;
  auto image = tairitsu::Image::from_file(path);
  if (!image) {
    std::cerr << "hybrid_host: " << image.error() << "\n";
    return kFailed;
  }
  if (auto registered = registry.register_image(kImageRef, *image); !registered) {
    std::cerr << "hybrid_host: " << registered.error() << "\n";
    return kFailed;
  }
  std::cout << "plugin: WebAssembly component " << kImageRef << " (" << image->digest() << ")\n";

  auto container = registry.create_container(kContainerName, kImageRef, [&](tairitsu::ContainerBuilder &b) {
    // No WASI capabilities are granted; libc++'s abort message would go to stderr.
    b.stderr_mode(tairitsu::StdioMode::Inherit);
    b.limits({.memory_bytes = 16 << 20, .fuel = 10'000'000});
    if (lock_down == LockDown::Refuse) {
      // Only `log`: the import `execute` is left without a definition.
      b.define<void(std::string, std::string)>(kLogImport, [&host](std::string level, std::string message) {
        host.log(std::move(level), std::move(message));
      });
    } else {
      hybrid::host_api::add_to_builder(b, host);  // every function of host-api
    }
  });
  if (!container) {
    std::cerr << "hybrid_host: cannot create container '" << kContainerName << "': " << container.error() << "\n";
    return kNotCreated;
  }

  // The typed interface refers to the container, so the whole session runs
  // under the shared container's lock.
  return finish((*container)->with([](tairitsu::Container &c) -> Result<void> {
    auto plugin = hybrid::guest_api::GuestApiGuest::bind(c);  // checks both signatures
    if (!plugin) return std::move(plugin).error();
    return run_session(*plugin);
  }));
}

int usage(std::string_view problem) {
  std::cerr << "hybrid_host: " << problem << "\n"
            << "usage: hybrid_host [--lock-down=deny|refuse] HYBRID_GUEST.wasm\n"
            << "       hybrid_host [--lock-down=deny] --in-process\n";
  return kUsage;
}

}  // namespace

int main(int argc, char **argv) {
  bool in_process = false;
  LockDown lock_down = LockDown::None;
  std::optional<std::string> guest_path;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--in-process") {
      in_process = true;
    } else if (arg == "--lock-down=deny") {
      lock_down = LockDown::Deny;
    } else if (arg == "--lock-down=refuse") {
      lock_down = LockDown::Refuse;
    } else if (arg.starts_with("-")) {
      return usage("unknown option " + std::string(arg));
    } else if (guest_path) {
      return usage("only one guest may be given");
    } else {
      guest_path = std::string(arg);
    }
  }
  if (in_process && guest_path) return usage("--in-process takes no guest");
  if (in_process && lock_down == LockDown::Refuse) {
    return usage("--lock-down=refuse applies to the component only: the native build is linked at compile time");
  }
  if (!in_process && !guest_path) return usage("no guest given");

  HostServices host;
  host.on_log = print_log;
  host.on_execute = lock_down == LockDown::Deny ? deny_command : execute_command;

  if (in_process) {
    std::cout << "plugin: native, in-process\n";
    InProcessPlugin plugin(host);
    return finish(run_session(plugin));
  }
  return run_component(*guest_path, host, lock_down);
}
