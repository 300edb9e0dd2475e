// The `tairitsu` command: one function per subcommand, each with the options
// it reads; `main` parses, then dispatches. No input may abort the process:
// every error becomes a message and an exit code.

#include "cli/cli.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "base/files.hpp"
#include "cli/arguments.hpp"
#include "tairitsu/tairitsu.hpp"

namespace tairitsu::cli {

namespace {

namespace fs = std::filesystem;

int exit_code_for(const Error &e) {
  switch (e.code()) {
    case ErrorCode::InvalidInput:
    case ErrorCode::TypeMismatch:
    case ErrorCode::AlreadyExists: return InvalidInput;
    case ErrorCode::NotFound: return NotFound;
    case ErrorCode::LinkError:
    case ErrorCode::Unsupported: return Unavailable;
    case ErrorCode::Trap:
    case ErrorCode::InvalidState: return Trap;
    case ErrorCode::LimitExceeded: return Limit;
    case ErrorCode::Io: return IoError;
    case ErrorCode::Internal: return Internal;
  }
  return Internal;
}

int report(const Error &e) {
  std::cerr << "tairitsu: " << printable(e.to_string()) << "\n";
  return exit_code_for(e);
}

int usage(std::string_view command, const Error &e) {
  std::cerr << "tairitsu " << command << ": " << printable(e.message()) << "\n";
  return Usage;
}

// Options every command that touches the store shares.
struct StoreFlags {
  std::string lock_timeout;
};

Result<ImageStore> open_store(const StoreFlags &flags) {
  StoreOptions options;
  if (!flags.lock_timeout.empty()) {
    auto timeout = parse_duration("--lock-timeout", flags.lock_timeout);
    if (!timeout) return std::move(timeout).error();
    options.lock_timeout = *timeout;
  }
  options.on_lock_wait = [](const std::string &message) {
    std::cerr << "tairitsu: " << message << "; still waiting (--lock-timeout sets a limit)\n";
  };
  return ImageStore::open(ImageStore::default_root(), std::move(options));
}

std::string human_size(uint64_t bytes) {
  char buf[32];
  if (bytes < 1024)
    std::snprintf(buf, sizeof buf, "%lluB", static_cast<unsigned long long>(bytes));
  else if (bytes < (1u << 20))
    std::snprintf(buf, sizeof buf, "%.1fKB", bytes / 1024.0);
  else
    std::snprintf(buf, sizeof buf, "%.1fMB", bytes / 1048576.0);
  return buf;
}

std::string iso_time(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (!gmtime_r(&t, &tm)) return "?";
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

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

// An image named on the command line.
struct Target {
  Image image;
  std::optional<StoredImage> stored;  ///< set when it came from the store
  std::string path;                   ///< set when it came from a file
};

bool looks_like_path(std::string_view target) {
  auto ends_with = [&](std::string_view s) {
    return target.size() >= s.size() && target.substr(target.size() - s.size()) == s;
  };
  return target.find('/') != std::string_view::npos || ends_with(".wasm") || ends_with(".wat") || ends_with(".cwasm");
}

Result<Target> load_file(const std::string &path, bool allow_precompiled) {
  auto bytes = detail::read_file(path);
  if (!bytes) return std::move(bytes).error();
  Progress progress("compiling " + path);
  static constexpr std::string_view elf =
      "\x7f"
      "ELF";
  bool precompiled =
      bytes->size() >= 4 && std::equal(elf.begin(), elf.end(), reinterpret_cast<const char *>(bytes->data()));
  auto image = precompiled && allow_precompiled ? Image::from_precompiled(*bytes) : Image::load(*bytes);
  if (!image) return std::move(image).error().with_context("'" + path + "'");
  return Target{*image, std::nullopt, path};
}

// An image reference found in the store comes first, so that a file of the
// same name cannot stand in for it; then a file. A target that is no valid
// reference can only be a file.
Result<Target> resolve(const std::string &target, const StoreFlags &flags, bool allow_precompiled) {
  std::error_code ec;
  bool is_file = fs::is_regular_file(target, ec) || fs::is_fifo(target, ec) || fs::is_character_file(target, ec);
  if (ImageRef::parse(target) && fs::exists(ImageStore::default_root() / "index.json", ec)) {
    auto store = open_store(flags);
    if (!store) return std::move(store).error();
    auto entry = store->find(target);
    if (entry) {
      Progress progress("loading " + target);
      auto image = store->load(target);
      if (!image) return std::move(image).error();
      return Target{*image, *entry, ""};
    }
    if (entry.error().code() != ErrorCode::NotFound) return std::move(entry).error();
    if (!is_file && !looks_like_path(target)) return std::move(entry).error();
  }
  if (!is_file && !looks_like_path(target)) {
    if (auto ref = ImageRef::parse(target); !ref) return std::move(ref).error();
    return Error(ErrorCode::NotFound, "no image '" + target + "' in the store and no such file");
  }
  return load_file(target, allow_precompiled);
}

// `--allow-precompiled`: the user's opt-in, for one command, to loading native code from a file.
void add_allow_precompiled(CLI::App *command, bool &allow) {
  command->add_flag("--allow-precompiled", allow,
                    "accept a precompiled artifact file: native code that runs outside the sandbox, so only "
                    "one you made yourself");
}

nlohmann::json item_json(const WorldItem &item) {
  nlohmann::json j = {{"name", item.name}, {"signature", item.signature()}};
  switch (item.kind) {
    case WorldItem::Kind::Function: j["kind"] = "function"; break;
    case WorldItem::Kind::Interface: j["kind"] = "interface"; break;
    case WorldItem::Kind::Resource: j["kind"] = "resource"; break;
    case WorldItem::Kind::Module: j["kind"] = "module"; break;
    case WorldItem::Kind::Component: j["kind"] = "component"; break;
  }
  return j;
}

std::string item_line(const WorldItem &item) {
  return (item.interface_name.empty() ? "" : item.interface_name + "#") + item.signature();
}

// --- load ---

struct LoadOptions {
  StoreFlags store;
  std::string file, ref;
};

void add_load(CLI::App &app, LoadOptions &o) {
  auto *c = app.add_subcommand("load", "Store a component or wasip1 core module as an image; prints its digest");
  c->add_option("FILE", o.file, "the .wasm file")->required();
  c->add_option("NAME", o.ref, "name[:tag] (default: the file's name, tag latest)");
  c->footer("Example: tairitsu load build/calc.wasm calc:1.0");
}

int load_command(const LoadOptions &o) {
  auto bytes = detail::read_file(o.file);
  if (!bytes) return report(bytes.error());
  std::string ref = o.ref.empty() ? fs::path(o.file).stem().string() : o.ref;
  auto store = open_store(o.store);
  if (!store) return report(store.error());
  auto stored = [&] {
    Progress progress("compiling " + o.file);
    return store->add(*bytes, ref);
  }();
  if (!stored) return report(std::move(stored).error().with_context("'" + o.file + "'"));
  std::cout << stored->digest << "\n";
  return Ok;
}

// --- images ---

struct ImagesOptions {
  StoreFlags store;
  bool json = false;
};

void add_images(CLI::App &app, ImagesOptions &o) {
  auto *c = app.add_subcommand("images", "List the stored images");
  c->add_flag("--json", o.json, "print JSON");
  c->footer("Examples:\n  tairitsu images\n  tairitsu images --json");
}

int images_command(const ImagesOptions &o) {
  auto store = open_store(o.store);
  if (!store) return report(store.error());
  auto list = store->list();
  if (!list) return report(list.error());
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto &e : *list) {
      out.push_back({{"name", e.ref.name},
                     {"tag", e.ref.tag},
                     {"digest", e.digest},
                     {"kind", e.kind},
                     {"size", e.size},
                     {"created", iso_time(e.created)}});
    }
    std::cout << out.dump(2) << "\n";
    return Ok;
  }
  std::printf("%-30s %-14s %-24s %10s  %s\n", "REFERENCE", "DIGEST", "KIND", "SIZE", "CREATED");
  for (const auto &e : *list) {
    std::printf("%-30s %-14s %-24s %10s  %s\n", e.ref.to_string().c_str(), e.digest.substr(7, 12).c_str(),
                e.kind.c_str(), human_size(e.size).c_str(), iso_time(e.created).c_str());
  }
  return Ok;
}

// --- inspect ---

struct InspectOptions {
  StoreFlags store;
  std::string target;
  bool json = false;
  bool allow_precompiled = false;
};

void add_inspect(CLI::App &app, InspectOptions &o) {
  auto *c = app.add_subcommand("inspect", "Show an image's digest, size, world and artifacts");
  c->add_option("IMAGE", o.target, "name[:tag] or a file")->required();
  c->add_flag("--json", o.json, "print JSON");
  add_allow_precompiled(c, o.allow_precompiled);
  c->footer("Examples:\n  tairitsu inspect calc:1.0 --json\n  tairitsu inspect build/calc.wasm");
}

int inspect_command(const InspectOptions &o) {
  auto target = resolve(o.target, o.store, o.allow_precompiled);
  if (!target) return report(target.error());
  const Image &image = target->image;
  std::vector<std::string> artifacts;
  if (target->stored) {
    auto store = open_store(o.store);
    if (!store) return report(store.error());
    std::error_code ec;
    std::string hex = target->stored->digest.substr(7);
    for (const auto &f : fs::directory_iterator(store->root() / "artifacts", ec)) {
      std::string name = f.path().filename().string();
      if (name.rfind(hex, 0) == 0 && f.path().extension() == ".cwasm") artifacts.push_back(f.path().string());
    }
  }
  std::string reference = target->stored ? target->stored->ref.to_string() : target->path;
  std::string kind = target->stored ? target->stored->kind : std::string(to_string(image.source()));
  uint64_t size = target->stored ? target->stored->size : image.size();
  if (o.json) {
    nlohmann::json j = {{"reference", reference}, {"digest", image.digest()}, {"kind", kind}, {"size", size}};
    if (target->stored) {
      j["created"] = iso_time(target->stored->created);
      j["artifacts"] = artifacts;
    }
    j["imports"] = nlohmann::json::array();
    j["exports"] = nlohmann::json::array();
    for (const auto &i : image.imports()) j["imports"].push_back(item_json(i));
    for (const auto &i : image.exports()) j["exports"].push_back(item_json(i));
    std::cout << j.dump(2) << "\n";
    return Ok;
  }
  std::cout << (target->stored ? "reference: " : "file:      ") << reference << "\ndigest:    " << image.digest()
            << "\nkind:      " << kind << "\nsize:      " << size << " bytes\n";
  if (target->stored) std::cout << "created:   " << iso_time(target->stored->created) << "\n";
  std::cout << "imports:\n";
  for (const auto &i : image.imports()) std::cout << "  " << item_line(i) << "\n";
  std::cout << "exports:\n";
  for (const auto &i : image.exports()) std::cout << "  " << item_line(i) << "\n";
  if (target->stored) {
    std::cout << "artifacts:\n";
    for (const auto &a : artifacts) std::cout << "  " << a << "\n";
  }
  return Ok;
}

// --- check ---

struct CheckOptions {
  StoreFlags store;
  std::string target, wit, world;
  bool no_wasi = false;
  bool allow_precompiled = false;
};

void add_check(CLI::App &app, CheckOptions &o) {
  auto *c = app.add_subcommand("check", "Check an image or file against a WIT world (exit 65 if it does not conform)");
  c->add_option("IMAGE", o.target, "name[:tag] or a .wasm file")->required();
  c->add_option("--wit", o.wit, "a .wit file or a directory of them (with deps/)")->required();
  c->add_option("--world", o.world, "the world (default: the package's only world)");
  c->add_flag("--no-wasi", o.no_wasi, "do not count WASI 0.2 interfaces as provided");
  add_allow_precompiled(c, o.allow_precompiled);
  c->footer("Example: tairitsu check plugin:1.0 --wit wit/ --world plugin");
}

int check_command(const CheckOptions &o) {
  auto world = WitWorld::load(o.wit, o.world);
  if (!world) return report(world.error());
  auto target = resolve(o.target, o.store, o.allow_precompiled);
  if (!target) return report(target.error());
  WorldCheck result = tairitsu::check_world(target->image, *world, {.wasi_provided = !o.no_wasi});
  std::cout << o.target << " " << result.to_string() << "\n";
  return result.conforms() ? Ok : InvalidInput;
}

// --- tag, rmi, prune ---

struct TagOptions {
  StoreFlags store;
  std::string source, target;
};

void add_tag(CLI::App &app, TagOptions &o) {
  auto *c = app.add_subcommand("tag", "Give an image another name");
  c->add_option("SOURCE", o.source, "existing name[:tag]")->required();
  c->add_option("TARGET", o.target, "new name[:tag]")->required();
  c->footer("Example: tairitsu tag calc:1.0 calc:stable");
}

int tag_command(const TagOptions &o) {
  auto store = open_store(o.store);
  if (!store) return report(store.error());
  auto tagged = store->tag(o.source, o.target);
  return tagged ? Ok : report(tagged.error());
}

struct RmiOptions {
  StoreFlags store;
  std::vector<std::string> refs;
};

void add_rmi(CLI::App &app, RmiOptions &o) {
  auto *c = app.add_subcommand("rmi", "Remove image names (blobs stay until prune)");
  c->add_option("IMAGE", o.refs, "name[:tag]...")->required();
  c->footer("Example: tairitsu rmi calc:1.0 calc:stable");
}

// Removes every name it can; reports each one it cannot, and exits with the first failure's code.
int rmi_command(const RmiOptions &o) {
  auto store = open_store(o.store);
  if (!store) return report(store.error());
  int code = Ok;
  for (const auto &ref : o.refs) {
    if (auto r = store->remove(ref); !r) {
      int failed = report(r.error());
      if (code == Ok) code = failed;
      continue;
    }
    std::cout << "removed " << ref << "\n";
  }
  return code;
}

struct PruneOptions {
  StoreFlags store;
};

void add_prune(CLI::App &app, PruneOptions &) {
  auto *c = app.add_subcommand("prune", "Delete blobs and artifacts no image names");
  c->footer("Example: tairitsu rmi calc:1.0 && tairitsu prune");
}

int prune_command(const PruneOptions &o) {
  auto store = open_store(o.store);
  if (!store) return report(store.error());
  auto pruned = store->prune();
  if (!pruned) return report(pruned.error());
  for (const auto &d : pruned->blobs) std::cout << "deleted blob " << d << "\n";
  for (const auto &a : pruned->artifacts) std::cout << "deleted artifact " << a << "\n";
  if (pruned->temporary_files) std::cout << "deleted " << pruned->temporary_files << " temporary files\n";
  return Ok;
}

// --- compile ---

struct CompileOptions {
  StoreFlags store;
  std::string target, output;
  bool allow_precompiled = false;
};

void add_compile(CLI::App &app, CompileOptions &o) {
  auto *c = app.add_subcommand("compile", "Precompile an image or file for this engine");
  c->add_option("TARGET", o.target, "an image name or a .wasm file")->required();
  c->add_option("-o,--output", o.output, "where to write the artifact (the store is then only read)");
  add_allow_precompiled(c, o.allow_precompiled);
  c->footer("Examples:\n  tairitsu compile calc:1.0\n  tairitsu compile calc.wasm -o calc.cwasm");
}

Result<void> write_output(const std::string &path, std::span<const std::byte> bytes) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  f.close();
  if (!f) return Error(ErrorCode::Io, "'" + path + "' cannot be written");
  return {};
}

int compile_command(const CompileOptions &o) {
  auto target = resolve(o.target, o.store, o.allow_precompiled);
  if (!target) return report(target.error());
  if (target->stored && o.output.empty()) {
    auto store = open_store(o.store);
    if (!store) return report(store.error());
    auto path = [&] {
      Progress progress("compiling " + o.target);
      return store->precompile(o.target);
    }();
    if (!path) return report(path.error());
    std::cout << path->string() << "\n";
    return Ok;
  }
  auto artifact = target->image.precompile();
  if (!artifact) return report(artifact.error());
  std::string out = !o.output.empty() ? o.output : fs::path(o.target).replace_extension(".cwasm").string();
  if (auto w = write_output(out, *artifact); !w) return report(w.error());
  std::cout << out << "\n";
  return Ok;
}

// --- run ---

struct RunOptions {
  StoreFlags store;
  std::string target;
  std::vector<std::string> args;
  std::string invoke;
  std::string format = "wave";
  bool trap_unknown_imports = false;
  std::vector<std::string> env;
  bool env_inherit = false;
  std::vector<std::string> dirs;
  std::string stdin_mode = "null";
  std::string stdout_mode = "inherit";
  std::string stderr_mode = "inherit";
  std::string memory, tables, fuel, timeout;
  bool allow_precompiled = false;
  bool raw_exit_code = false;
};

void add_run(CLI::App &app, RunOptions &o) {
  auto *c = app.add_subcommand("run", "Run a command component, or call an export with --invoke");
  c->add_option("TARGET", o.target, "an image name or a file")->required();
  c->add_option("ARGS", o.args, "arguments for the guest");
  c->add_option("--invoke", o.invoke, "call an export: 'add(1, 2)' or 'pkg:ns/iface@1.0.0#f(x)'");
  c->add_option("--format", o.format, "text format of --invoke arguments and results: wave, ron, json");
  c->add_flag("--trap-unknown-imports", o.trap_unknown_imports, "link imports nothing provides as functions that trap");
  c->add_option("-e,--env", o.env, "KEY=VALUE for the guest's environment")->allow_extra_args(false);
  c->add_flag("--env-inherit", o.env_inherit, "pass this process's environment");
  c->add_option("--dir", o.dirs, "HOST[::GUEST][:ro|:rw] directory to grant (default rw)")->allow_extra_args(false);
  c->add_option("--stdin", o.stdin_mode, "null (default) or inherit");
  c->add_option("--stdout", o.stdout_mode, "inherit (default) or null");
  c->add_option("--stderr", o.stderr_mode, "inherit (default) or null");
  c->add_option("--memory", o.memory, "limit of linear memory and tables together, such as 64M (default: none)");
  c->add_option("--tables", o.tables, "limit of table elements, all tables together (default: 1000000)");
  c->add_option("--fuel", o.fuel, "fuel for each call, at least 1 (default: no limit)");
  c->add_option("--timeout", o.timeout, "time limit for each call, such as 5s (default: none)");
  add_allow_precompiled(c, o.allow_precompiled);
  c->add_flag("--raw-exit-code", o.raw_exit_code,
              "exit with the guest's status as is, even 64 or more (it may then read as one of Tairitsu's codes)");
  c->positionals_at_end();
  c->footer(
      "Examples:\n  tairitsu run hello:latest -- --flag value\n"
      "  tairitsu run --invoke 'greet(\"you\")' --format wave plugin.wasm\n"
      "  tairitsu run --dir ./data::/data:ro --timeout 5s tool:1.0");
}

Result<Limits> run_limits(const RunOptions &o) {
  Limits limits;
  if (!o.memory.empty()) {
    auto size = parse_size("--memory", o.memory);
    if (!size) return std::move(size).error();
    limits.memory_bytes = *size;
  }
  if (!o.tables.empty()) {
    auto count = parse_count("--tables", o.tables, uint64_t{1} << 40);
    if (!count) return std::move(count).error();
    limits.table_elements = *count;
  }
  if (!o.fuel.empty()) {
    auto fuel = parse_count("--fuel", o.fuel, (uint64_t{1} << 62) - 1);
    if (!fuel) return std::move(fuel).error();
    limits.fuel = *fuel;
  }
  if (!o.timeout.empty()) {
    auto timeout = parse_duration("--timeout", o.timeout);
    if (!timeout) return std::move(timeout).error();
    limits.timeout = *timeout;
  }
  return limits;
}

StdioMode stdio_mode(const std::string &name) { return name == "inherit" ? StdioMode::Inherit : StdioMode::Null; }

// What the options ask of the container, read and checked before any image is.
struct RunSettings {
  Limits limits;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<Preopen> dirs;
};

Result<RunSettings> run_settings(const RunOptions &o) {
  RunSettings s;
  auto limits = run_limits(o);
  if (!limits) return std::move(limits).error();
  s.limits = *limits;
  for (const std::string &mode : {o.stdin_mode, o.stdout_mode, o.stderr_mode}) {
    if (mode != "inherit" && mode != "null") {
      return Error(ErrorCode::InvalidInput, "stdio modes are inherit or null, not '" + printable(mode) + "'");
    }
  }
  s.args = o.args;
  if (!s.args.empty() && s.args.front() == "--") s.args.erase(s.args.begin());  // `run IMAGE -- ARGS`
  for (const std::string &kv : o.env) {
    auto entry = parse_env(kv);
    if (!entry) return std::move(entry).error();
    s.env.push_back(std::move(*entry));
  }
  for (const std::string &spec : o.dirs) {
    auto dir = parse_dir(spec);
    if (!dir) return std::move(dir).error();
    s.dirs.push_back(std::move(*dir));
  }
  return s;
}

void configure(const RunOptions &o, const RunSettings &s, ContainerBuilder &b) {
  b.limits(s.limits);
  b.args(s.args);
  for (const auto &[key, value] : s.env) b.env(key, value);
  if (o.env_inherit) b.inherit_env();
  for (const Preopen &dir : s.dirs) b.preopen(dir.host_path, dir.guest_path, dir.access);
  b.stdin_mode(stdio_mode(o.stdin_mode));
  b.stdout_mode(stdio_mode(o.stdout_mode));
  b.stderr_mode(stdio_mode(o.stderr_mode));
  b.trap_unknown_imports(o.trap_unknown_imports);
}

// The command's exit status for the guest's own: as is from 0 to 63; from
// 64 up (where Tairitsu's codes are) GuestStatusHigh, unless --raw-exit-code.
int guest_exit(int status, const RunOptions &o) {
  if (status < kGuestExitCodes || o.raw_exit_code) return status;
  std::cerr << "tairitsu: the guest exited with status " << status << "; statuses from " << kGuestExitCodes
            << " up are Tairitsu's own, so this one is reported as " << GuestStatusHigh
            << " (--raw-exit-code passes it as is)\n";
  return GuestStatusHigh;
}

int run_command(const RunOptions &o) {
  auto format = parse_text_format(o.format);
  if (!format) {
    return usage(
        "run", Error(ErrorCode::InvalidInput, "--format must be wave, ron or json, not '" + printable(o.format) + "'"));
  }
  // Options first: a mistake in them is reported before anything is compiled.
  auto settings = run_settings(o);
  if (!settings) return usage("run", settings.error());
  auto target = resolve(o.target, o.store, o.allow_precompiled);
  if (!target) return report(target.error());
  ContainerBuilder b(target->image);
  std::string name = target->stored ? target->stored->ref.name : fs::path(o.target).stem().string();
  b.name(name.substr(name.rfind('/') + 1));
  configure(o, *settings, b);
  auto container = b.build();
  if (!container) return report(container.error());
  if (!o.invoke.empty()) {
    auto result = container->invoke(o.invoke, *format);
    if (!result) {
      // A guest that exits during an export ends the command with its status.
      if (auto status = result.error().exit_status()) return guest_exit(*status, o);
      return report(result.error());
    }
    if (!result->empty()) std::cout << *result << "\n";
    return Ok;
  }
  auto code = container->run();
  if (!code) {
    if (code.error().code() == ErrorCode::NotFound) {
      std::cerr << "tairitsu: " << printable(code.error().message())
                << "\nhint: call one of its exports with --invoke 'name(args)'\n";
      return NotFound;
    }
    return report(code.error());
  }
  return guest_exit(*code, o);
}

// Every subcommand's options, filled by parsing.
struct Commands {
  StoreFlags store;
  LoadOptions load;
  ImagesOptions images;
  InspectOptions inspect;
  CheckOptions check;
  TagOptions tag;
  RmiOptions rmi;
  PruneOptions prune;
  CompileOptions compile;
  RunOptions run;
};

void define(CLI::App &app, Commands &c) {
  app.require_subcommand(1);
  app.add_option("--lock-timeout", c.store.lock_timeout,
                 "how long a command that writes the store waits for another one's lock, such as 30s "
                 "(default: as long as it takes)");
  app.footer(
      "Examples:\n  tairitsu load calc.wasm calc:1.0\n  tairitsu run --invoke 'add(1, 2)' calc:1.0\n  tairitsu images");
  add_load(app, c.load);
  add_images(app, c.images);
  add_inspect(app, c.inspect);
  add_check(app, c.check);
  add_tag(app, c.tag);
  add_rmi(app, c.rmi);
  add_prune(app, c.prune);
  add_compile(app, c.compile);
  add_run(app, c.run);
}

int dispatch(CLI::App &app, Commands &c) {
  for (StoreFlags *flags : {&c.load.store, &c.images.store, &c.inspect.store, &c.check.store, &c.tag.store,
                            &c.rmi.store, &c.prune.store, &c.compile.store, &c.run.store}) {
    *flags = c.store;
  }
  if (!c.store.lock_timeout.empty()) {
    if (auto t = parse_duration("--lock-timeout", c.store.lock_timeout); !t) return usage("", t.error());
  }
  const std::string name = app.get_subcommands().front()->get_name();
  if (name == "load") return load_command(c.load);
  if (name == "images") return images_command(c.images);
  if (name == "inspect") return inspect_command(c.inspect);
  if (name == "check") return check_command(c.check);
  if (name == "tag") return tag_command(c.tag);
  if (name == "rmi") return rmi_command(c.rmi);
  if (name == "prune") return prune_command(c.prune);
  if (name == "compile") return compile_command(c.compile);
  if (name == "run") return run_command(c.run);
  return Usage;
}

const char *kDescription =
    "tairitsu: run WebAssembly components like containers.\n\n"
    "Images live in $TAIRITSU_HOME (default: ~/.local/share/tairitsu).\n"
    "Exit status: a guest's own status from 0 to 63; Tairitsu's own codes are\n"
    "64 bad usage, 65 invalid input, 66 image/file/export not found,\n"
    "69 unsatisfied imports, 70 trap, 71 internal error, 74 store or file I/O\n"
    "error, 75 limit exceeded, 79 the guest exited with 64 or more\n"
    "(run --raw-exit-code passes such a status as is).";

}  // namespace

int parse_only(int argc, const char *const *argv) {
  try {
    CLI::App app{kDescription};
    Commands commands;
    define(app, commands);
    app.parse(argc, argv);
    if (!commands.run.target.empty() && !run_settings(commands.run)) return Usage;
    if (!commands.store.lock_timeout.empty() && !parse_duration("--lock-timeout", commands.store.lock_timeout)) {
      return Usage;
    }
    return Ok;
  } catch (const CLI::Error &) {
    return Usage;
  }
}

int main(int argc, char **argv) {
  try {
    CLI::App app{kDescription};
    Commands commands;
    define(app, commands);
    try {
      app.parse(argc, argv);
    } catch (const CLI::CallForHelp &e) {
      return app.exit(e) == 0 ? Ok : Usage;
    } catch (const CLI::CallForAllHelp &e) {
      return app.exit(e) == 0 ? Ok : Usage;
    } catch (const CLI::ParseError &e) {
      app.exit(e);
      return Usage;
    }
    return dispatch(app, commands);
  } catch (const std::exception &e) {
    std::cerr << "tairitsu: internal error (please report it): " << printable(e.what()) << "\n";
    return Internal;
  }
}

}  // namespace tairitsu::cli
