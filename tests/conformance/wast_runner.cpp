// tairitsu-wast: runs one component-model `.wast` script through Tairitsu's
// public API and prints "N passed, N failed, N skipped".
//
//   tairitsu-wast --wasm-tools PATH SCRIPT.wast [--expect-failure LINE]...
//
// `wasm-tools json-from-wast` turns the script into JSON commands and one
// binary per component; each command is then performed with Images and
// Containers: definitions, instances, invocations with `Value`s, and the
// assertions (return, trap, exhaustion, invalid, malformed, unlinkable,
// uninstantiable). The engine is configured from the script's `;;!` lines as
// Wasmtime's own runner configures it. A command named with --expect-failure
// (by its line) must fail: it is a known failure of Wasmtime 48 itself. Exit
// status: 0 when every command did what the script (or that list) says.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "conformance/script_config.hpp"
#include "conformance/spectest_host.hpp"
#include "conformance/wast_values.hpp"
#include "tairitsu/tairitsu.hpp"

extern char **environ;

namespace tairitsu::conformance {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string read_text(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// Runs a program to completion; its output goes to `log`. The exit status.
int run(const std::vector<std::string> &argv, const fs::path &log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<char *> args;
  for (const auto &a : argv) args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int spawned = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return 127;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/// A temporary directory for the script's binaries, removed at the end.
struct WorkDirectory {
  fs::path path;
  WorkDirectory() {
    std::string pattern = (fs::temp_directory_path() / "tairitsu-wast-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  ~WorkDirectory() { fs::remove_all(path); }
};

class ScriptRunner {
 public:
  ScriptRunner(Engine engine, fs::path dir, std::shared_ptr<SpectestState> host, bool spec_test,
               std::set<int> expected_failures)
      : engine_(std::move(engine)),
        dir_(std::move(dir)),
        host_(std::move(host)),
        spec_test_(spec_test),
        expected_failures_(std::move(expected_failures)) {}

  void run(const json &commands) {
    for (const json &command : commands) {
      line_ = command.value("line", 0);
      type_ = command.at("type").get<std::string>();
      perform(command);
    }
  }

  void summary() const {
    std::cout << passed_ << " passed, " << failed_ << " failed, " << skipped_ << " skipped";
    if (!expected_failures_.empty()) std::cout << ", " << known_ << " known failures of Wasmtime 48";
    std::cout << "\n";
  }
  int failed() const { return failed_; }

 private:
  bool expected_to_fail() const { return expected_failures_.contains(line_); }
  void pass() {
    if (expected_to_fail()) {
      ++failed_;
      std::cout << "FAIL line " << line_ << " (" << type_ << "): listed as a known failure, but it passed\n";
      return;
    }
    ++passed_;
  }
  void fail(const std::string &why) {
    if (expected_to_fail()) {
      ++known_;
      std::cout << "KNOWN FAILURE line " << line_ << " (" << type_ << "): " << why << "\n";
      return;
    }
    ++failed_;
    std::cout << "FAIL line " << line_ << " (" << type_ << "): " << why << "\n";
  }
  void skip(const std::string &why) {
    ++skipped_;
    std::cout << "SKIP line " << line_ << " (" << type_ << "): " << why << "\n";
  }

  Result<Image> load(const json &command) {
    auto bytes = read_text(dir_ / command.at("filename").get<std::string>());
    return Image::load(std::as_bytes(std::span(bytes.data(), bytes.size())), engine_);
  }

  Result<Container> instantiate(const Image &image) {
    for (const WorldItem &item : image.imports()) {
      if (item.name == "wasmtime") {
        return Error(ErrorCode::Unsupported,
                     "the component imports the instance `wasmtime`: hooks into the internals of Wasmtime's "
                     "store (set-max-table-capacity, gc) that Wasmtime's runner gives its own tests and that "
                     "no embedding API offers");
      }
    }
    ContainerBuilder builder(image);
    builder.wasi(false).name("line-" + std::to_string(line_));
    add_spectest_host(builder, host_);
    // A named instance's exported core modules and resource types are
    // importable under its name by the components that follow, as in
    // Wasmtime's runner.
    for (const auto &[name, instance] : registered_) {
      builder.define_instance(name, *instance);
    }
    return builder.build();
  }

  void make_current(Result<Container> container, const std::optional<std::string> &name) {
    current_.reset();
    unavailable_.clear();
    if (!container) {
      if (container.error().code() == ErrorCode::Unsupported) {
        unavailable_ = container.error().message();
        return skip(unavailable_);
      }
      return fail("instantiation failed: " + container.error().to_string());
    }
    current_ = std::make_shared<Container>(std::move(*container));
    if (name) registered_[*name] = current_;
    pass();
  }

  std::optional<std::string> name_of(const json &command, const char *key) {
    if (!command.contains(key) || command.at(key).is_null()) return std::nullopt;
    return command.at(key).get<std::string>();
  }

  /// The result of an invocation, or why it could not be made.
  struct Outcome {
    std::optional<Result<Value>> result;
    std::string not_made;
  };

  Outcome invoke(const json &action) {
    if (action.at("type") != "invoke") return {std::nullopt, "action '" + action.at("type").get<std::string>() + "'"};
    if (!current_) return {std::nullopt, "no component instance to invoke (its instantiation failed)"};
    std::vector<Value> args;
    for (const json &arg : action.at("args")) {
      auto v = value_from_json(arg);
      if (!v) return {std::nullopt, "argument " + arg.dump() + ": " + v.error().message()};
      args.push_back(std::move(*v));
    }
    return {current_->call(action.at("field").get<std::string>(), args), {}};
  }

  /// An expected failure. `any_message`: the failure is what counts, not its
  /// wording (refused components of the specification's scripts, as in
  /// Wasmtime's runner).
  void expect_error(const Result<void> &outcome, const std::string &text, const char *what, bool any_message = false) {
    if (outcome) {
      fail(std::string("expected ") + what + " with '" + text + "', but it succeeded");
    } else if (!any_message && !trap_matches(text, outcome.error().message())) {
      fail("expected '" + text + "', got " + outcome.error().to_string());
    } else {
      pass();
    }
  }

  /// Whether a trap message says what the script expects: it contains the
  /// text, or is one of the wordings Wasmtime's runner accepts for it (the
  /// specification's scripts word some traps differently from Wasmtime).
  static bool trap_matches(const std::string &expected, const std::string &actual) {
    auto has = [](const std::string &s, std::string_view part) { return s.find(part) != std::string::npos; };
    return has(actual, expected) ||
           (has(expected, "uninitialized element 2") && has(actual, "uninitialized element")) ||
           (has(expected, "null function") &&
            (has(actual, "uninitialized element") || has(actual, "null reference"))) ||
           (has(expected, "null") && has(expected, "reference") && has(actual, "null reference")) ||
           (has(expected, "cannot write") && has(actual, "cannot write")) ||
           (has(expected, "cannot read") && has(actual, "cannot read"));
  }

  /// What Wasmtime's C API cannot do (Tairitsu says `Unsupported`, with
  /// why): such a command is skipped with that reason, never counted as passed.
  static bool unsupported(const Error &error) { return error.code() == ErrorCode::Unsupported; }

  static Result<void> without_value(const Result<Container> &r) {
    if (r) return {};
    return r.error();
  }

  void perform(const json &command) {
    if (type_ == "module") {
      auto image = load(command);
      if (!image) return fail("loading failed: " + image.error().to_string());
      make_current(instantiate(*image), name_of(command, "name"));
    } else if (type_ == "module_definition") {
      auto image = load(command);
      if (!image) return fail("loading failed: " + image.error().to_string());
      definitions_.insert_or_assign(name_of(command, "name").value_or(""), *image);
      pass();
    } else if (type_ == "module_instance") {
      auto definition = definitions_.find(name_of(command, "module").value_or(""));
      if (definition == definitions_.end()) return fail("no component definition of that name");
      make_current(instantiate(definition->second), name_of(command, "instance"));
    } else if (!current_ && !unavailable_.empty() && command.contains("action")) {
      skip("the instance it calls could not be made: " + unavailable_);
    } else if (type_ == "action" || type_ == "assert_return") {
      Outcome outcome = invoke(command.at("action"));
      if (!outcome.result) return fail("cannot invoke: " + outcome.not_made);
      if (!*outcome.result)
        return unsupported(outcome.result->error()) ? skip(outcome.result->error().message())
                                                    : fail("the call failed: " + outcome.result->error().to_string());
      if (type_ == "action") return pass();
      const json &expected = command.at("expected");
      const Value &value = **outcome.result;
      bool unit = value.kind() == TypeKind::Tuple && value.items().empty();
      if (expected.empty()) return unit ? pass() : fail("expected no result, got " + value.to_string());
      if (auto m = mismatch(expected.at(0), value)) return fail(*m);
      pass();
    } else if (type_ == "assert_trap" || type_ == "assert_exhaustion") {
      Outcome outcome = invoke(command.at("action"));
      if (!outcome.result) return fail("cannot invoke: " + outcome.not_made);
      if (!*outcome.result && unsupported(outcome.result->error())) return skip(outcome.result->error().message());
      Result<void> done = *outcome.result ? Result<void>() : Result<void>(outcome.result->error());
      expect_error(done, command.at("text").get<std::string>(), "a trap");
    } else if (type_ == "assert_invalid" || type_ == "assert_malformed") {
      auto image = load(command);
      expect_error(image ? Result<void>() : Result<void>(image.error()), command.at("text").get<std::string>(),
                   "the component to be refused", spec_test_);
    } else if (type_ == "assert_unlinkable" || type_ == "assert_uninstantiable") {
      auto image = load(command);
      if (!image) return fail("loading failed: " + image.error().to_string());
      bool unlinkable = type_ == "assert_unlinkable";
      auto built = instantiate(*image);
      if (!built && unsupported(built.error())) return skip(built.error().message());
      expect_error(without_value(built), command.at("text").get<std::string>(),
                   unlinkable ? "linking to fail" : "instantiation to trap", unlinkable && spec_test_);
    } else {
      skip("command '" + type_ + "' is not part of the component-model scripts");
    }
  }

  Engine engine_;
  fs::path dir_;
  std::shared_ptr<SpectestState> host_;
  bool spec_test_;
  std::set<int> expected_failures_;
  std::map<std::string, Image> definitions_;
  std::map<std::string, std::shared_ptr<Container>> registered_;
  std::shared_ptr<Container> current_;
  std::string unavailable_;  ///< why the current instance could not be made, if unsupported
  int line_ = 0;
  std::string type_;
  int passed_ = 0, failed_ = 0, skipped_ = 0, known_ = 0;
};

int run_script(const std::string &wasm_tools, const fs::path &script, std::set<int> expected_failures) {
  std::string source = read_text(script);
  auto config = script_config(script, source);
  if (!config) {
    std::cout << "cannot read the script's settings: " << config.error().to_string() << "\n";
    return 1;
  }
  auto engine = Engine::create(config->engine);
  if (!engine) {
    std::cout << "the engine refused the script's settings: " << engine.error().to_string() << "\n";
    return 1;
  }
  WorkDirectory work;
  if (run({wasm_tools, "json-from-wast", script.string(), "-o", (work.path / "script.json").string(), "--wasm-dir",
           work.path.string() + "/"},
          work.path / "wasm-tools.log") != 0) {
    std::cout << "wasm-tools json-from-wast failed on " << script << ":\n" << read_text(work.path / "wasm-tools.log");
    return 1;
  }
  json commands = json::parse(read_text(work.path / "script.json")).at("commands");

  auto host = std::make_shared<SpectestState>();
  auto simple = CoreModule::from_wat(
      R"((module (global (export "g") i32 i32.const 100) (func (export "f") (result i32) i32.const 101)))", *engine);
  if (!simple) {
    std::cout << "the host's simple-module does not compile: " << simple.error().to_string() << "\n";
    return 1;
  }
  host->simple_module = *simple;

  ScriptRunner runner(*engine, work.path, host, config->spec_test, std::move(expected_failures));
  runner.run(commands);
  runner.summary();
  return runner.failed() == 0 ? 0 : 1;
}

}  // namespace

}  // namespace tairitsu::conformance

int main(int argc, char **argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::set<int> expected_failures;
  bool usage = args.size() < 3 || args[0] != "--wasm-tools" || args.size() % 2 == 0;
  for (std::size_t i = 3; !usage && i + 1 < args.size(); i += 2) {
    usage = args[i] != "--expect-failure";
    if (!usage) expected_failures.insert(std::stoi(args[i + 1]));
  }
  if (usage) {
    std::cerr << "usage: tairitsu-wast --wasm-tools PATH SCRIPT.wast [--expect-failure LINE]...\n";
    return 2;
  }
  return tairitsu::conformance::run_script(args[1], args[2], std::move(expected_failures));
}
