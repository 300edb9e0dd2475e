// The `tairitsu` command.

#include "cli/cli.hpp"

#include "core/files.hpp"

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

#include "tairitsu/tairitsu.hpp"

namespace tairitsu::cli {

namespace {

namespace fs = std::filesystem;

int exit_code_for(const Error &e) {
  switch (e.code()) {
    case ErrorCode::InvalidInput:
    case ErrorCode::TypeMismatch:
    case ErrorCode::AlreadyExists:
      return InvalidInput;
    case ErrorCode::NotFound: return NotFound;
    case ErrorCode::LinkError:
    case ErrorCode::Unsupported:
      return Unavailable;
    case ErrorCode::Trap:
    case ErrorCode::InvalidState:
      return Trap;
    case ErrorCode::LimitExceeded: return Limit;
    case ErrorCode::Io:
    case ErrorCode::Internal:
      return IoError;
  }
  return Trap;
}

int report(const Error &e) {
  std::cerr << "tairitsu: " << e.to_string() << "\n";
  return exit_code_for(e);
}

using detail::read_file;

Result<ImageStore> open_store() { return ImageStore::open(ImageStore::default_root()); }

// "64M", "1G", "65536" -> bytes.
std::optional<uint64_t> parse_size(std::string text) {
  uint64_t scale = 1;
  if (!text.empty()) {
    switch (std::toupper(static_cast<unsigned char>(text.back()))) {
      case 'K': scale = uint64_t{1} << 10; break;
      case 'M': scale = uint64_t{1} << 20; break;
      case 'G': scale = uint64_t{1} << 30; break;
      default: break;
    }
    if (scale != 1) text.pop_back();
  }
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoull(text) * scale;
}

// "5s", "250ms", "2m", "1h" -> milliseconds.
std::optional<std::chrono::milliseconds> parse_duration(const std::string &text) {
  std::size_t digits = text.find_first_not_of("0123456789");
  if (digits == 0 || digits == std::string::npos) return std::nullopt;
  uint64_t n = std::stoull(text.substr(0, digits));
  std::string unit = text.substr(digits);
  if (unit == "ms") return std::chrono::milliseconds(n);
  if (unit == "s") return std::chrono::milliseconds(n * 1000);
  if (unit == "m") return std::chrono::milliseconds(n * 60'000);
  if (unit == "h") return std::chrono::milliseconds(n * 3'600'000);
  return std::nullopt;
}

std::string human_size(uint64_t bytes) {
  char buf[32];
  if (bytes < 1024) std::snprintf(buf, sizeof buf, "%lluB", static_cast<unsigned long long>(bytes));
  else if (bytes < (1u << 20)) std::snprintf(buf, sizeof buf, "%.1fKB", bytes / 1024.0);
  else std::snprintf(buf, sizeof buf, "%.1fMB", bytes / 1048576.0);
  return buf;
}

std::string iso_time(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
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

// An image named on the command line: a file if one exists there, else a store reference.
Result<Image> resolve_image(const std::string &target) {
  std::error_code ec;
  if (fs::is_regular_file(target, ec)) {
    auto bytes = read_file(target);
    if (!bytes) return std::move(bytes).error();
    Progress progress("compiling " + target);
    auto image = Image::load(*bytes);
    if (!image) return std::move(image).error().with_context("'" + target + "'");
    return image;
  }
  auto store = open_store();
  if (!store) return std::move(store).error();
  Progress progress("loading " + target);
  return store->load(target);
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

struct RunOptions {
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
  std::string memory;
  uint64_t fuel = 0;
  std::string timeout;
};

StdioMode stdio_mode(const std::string &name) {
  return name == "inherit" ? StdioMode::Inherit : StdioMode::Null;
}

int run_command(const RunOptions &o) {
  auto format = parse_text_format(o.format);
  if (!format) {
    std::cerr << "tairitsu run: --format must be wave, ron or json, not '" << o.format << "'\n";
    return Usage;
  }
  Limits limits;
  if (!o.memory.empty()) {
    auto size = parse_size(o.memory);
    if (!size) {
      std::cerr << "tairitsu run: --memory wants a size such as 64M, not '" << o.memory << "'\n";
      return Usage;
    }
    limits.memory_bytes = size;
  }
  if (o.fuel) limits.fuel = o.fuel;
  if (!o.timeout.empty()) {
    auto d = parse_duration(o.timeout);
    if (!d) {
      std::cerr << "tairitsu run: --timeout wants a duration such as 5s or 500ms, not '" << o.timeout << "'\n";
      return Usage;
    }
    limits.timeout = d;
  }
  for (const std::string &mode : {o.stdin_mode, o.stdout_mode, o.stderr_mode}) {
    if (mode != "inherit" && mode != "null") {
      std::cerr << "tairitsu run: stdio modes are inherit or null, not '" << mode << "'\n";
      return Usage;
    }
  }
  auto image = resolve_image(o.target);
  if (!image) return report(image.error());
  ContainerBuilder b(*image);
  b.name(fs::path(o.target).stem().string());
  std::vector<std::string> args = o.args;
  if (!args.empty() && args.front() == "--") {
    args.erase(args.begin());  // `run IMAGE -- ARGS`: the separator is not an argument
  }
  b.args(args);
  for (const std::string &kv : o.env) {
    auto eq = kv.find('=');
    if (eq == std::string::npos) {
      std::cerr << "tairitsu run: -e wants KEY=VALUE, not '" << kv << "'\n";
      return Usage;
    }
    b.env(kv.substr(0, eq), kv.substr(eq + 1));
  }
  if (o.env_inherit) b.inherit_env();
  for (std::string spec : o.dirs) {
    DirAccess access = DirAccess::ReadWrite;
    if (spec.size() > 3 && spec.substr(spec.size() - 3) == ":ro") {
      access = DirAccess::ReadOnly;
      spec.resize(spec.size() - 3);
    }
    std::string host = spec;
    std::string guest = spec;
    if (auto sep = spec.find("::"); sep != std::string::npos) {
      host = spec.substr(0, sep);
      guest = spec.substr(sep + 2);
    }
    b.preopen(host, guest, access);
  }
  b.stdin_mode(stdio_mode(o.stdin_mode));
  b.stdout_mode(stdio_mode(o.stdout_mode));
  b.stderr_mode(stdio_mode(o.stderr_mode));
  b.trap_unknown_imports(o.trap_unknown_imports);
  b.limits(limits);
  auto container = b.build();
  if (!container) return report(container.error());
  if (!o.invoke.empty()) {
    auto result = container->invoke(o.invoke, *format);
    if (!result) return report(result.error());
    if (!result->empty()) std::cout << *result << "\n";
    return Ok;
  }
  auto code = container->run();
  if (!code) {
    if (code.error().code() == ErrorCode::NotFound) {
      std::cerr << "tairitsu: " << code.error().message()
                << "\nhint: call one of its exports with --invoke 'name(args)'\n";
      return NotFound;
    }
    return report(code.error());
  }
  return *code;
}

}  // namespace

int main(int argc, char **argv) {
  CLI::App app{
      "tairitsu: run WebAssembly components like containers.\n\n"
      "Images live in $TAIRITSU_HOME (default: ~/.local/share/tairitsu).\n"
      "Exit codes: a command's own code, or 64 bad usage, 65 invalid input,\n"
      "66 image/file/export not found, 69 unsatisfied imports, 70 trap,\n"
      "74 store or file I/O error, 75 limit exceeded."};
  app.require_subcommand(1);
  app.footer("Examples:\n  tairitsu load calc.wasm calc:1.0\n  tairitsu run --invoke 'add(1, 2)' calc:1.0\n  tairitsu images");

  // load
  std::string load_file, load_ref;
  auto *load = app.add_subcommand("load", "Store a component or wasip1 core module as an image; prints its digest");
  load->add_option("FILE", load_file, "the .wasm file")->required();
  load->add_option("NAME", load_ref, "name[:tag] (default: the file's name, tag latest)");
  load->footer("Example: tairitsu load build/calc.wasm calc:1.0");

  // images
  bool images_json = false;
  auto *images = app.add_subcommand("images", "List the stored images");
  images->add_flag("--json", images_json, "print JSON");
  images->footer("Examples:\n  tairitsu images\n  tairitsu images --json");

  // inspect
  std::string inspect_ref;
  bool inspect_json = false;
  auto *inspect = app.add_subcommand("inspect", "Show an image's digest, size, world and artifacts");
  inspect->add_option("IMAGE", inspect_ref, "name[:tag]")->required();
  inspect->add_flag("--json", inspect_json, "print JSON");
  inspect->footer("Example: tairitsu inspect calc:1.0 --json");

  // check
  std::string check_target, check_wit, check_world_name;
  bool check_no_wasi = false;
  auto *check = app.add_subcommand("check", "Check an image or file against a WIT world (exit 65 if it does not conform)");
  check->add_option("IMAGE", check_target, "name[:tag] or a .wasm file")->required();
  check->add_option("--wit", check_wit, "a .wit file or a directory of them (with deps/)")->required();
  check->add_option("--world", check_world_name, "the world (default: the package's only world)");
  check->add_flag("--no-wasi", check_no_wasi, "do not count WASI 0.2 interfaces as provided");
  check->footer("Example: tairitsu check plugin:1.0 --wit wit/ --world plugin");

  // tag
  std::string tag_source, tag_target;
  auto *tag = app.add_subcommand("tag", "Give an image another name");
  tag->add_option("SOURCE", tag_source, "existing name[:tag]")->required();
  tag->add_option("TARGET", tag_target, "new name[:tag]")->required();
  tag->footer("Example: tairitsu tag calc:1.0 calc:stable");

  // rmi
  std::vector<std::string> rmi_refs;
  auto *rmi = app.add_subcommand("rmi", "Remove image names (blobs stay until prune)");
  rmi->add_option("IMAGE", rmi_refs, "name[:tag]...")->required();
  rmi->footer("Example: tairitsu rmi calc:1.0");

  // prune
  auto *prune = app.add_subcommand("prune", "Delete blobs and artifacts no image names");
  prune->footer("Example: tairitsu rmi calc:1.0 && tairitsu prune");

  // compile
  std::string compile_target, compile_out;
  auto *compile = app.add_subcommand("compile", "Precompile an image or file for this engine");
  compile->add_option("TARGET", compile_target, "an image name or a .wasm file")->required();
  compile->add_option("-o,--output", compile_out, "where to write the artifact");
  compile->footer("Examples:\n  tairitsu compile calc:1.0\n  tairitsu compile calc.wasm -o calc.cwasm");

  // run
  RunOptions run_opts;
  auto *run = app.add_subcommand("run", "Run a command component, or call an export with --invoke");
  run->add_option("TARGET", run_opts.target, "an image name or a file")->required();
  run->add_option("ARGS", run_opts.args, "arguments for the guest");
  run->add_option("--invoke", run_opts.invoke, "call an export: 'add(1, 2)' or 'pkg:ns/iface@1.0.0#f(x)'");
  run->add_option("--format", run_opts.format, "text format of --invoke arguments and results: wave, ron, json");
  run->add_flag("--trap-unknown-imports", run_opts.trap_unknown_imports,
                "link imports nothing provides as functions that trap");
  run->add_option("-e,--env", run_opts.env, "KEY=VALUE for the guest's environment");
  run->add_flag("--env-inherit", run_opts.env_inherit, "pass this process's environment");
  run->add_option("--dir", run_opts.dirs, "HOST[::GUEST][:ro] directory to grant");
  run->add_option("--stdin", run_opts.stdin_mode, "null (default) or inherit");
  run->add_option("--stdout", run_opts.stdout_mode, "inherit (default) or null");
  run->add_option("--stderr", run_opts.stderr_mode, "inherit (default) or null");
  run->add_option("--memory", run_opts.memory, "memory limit, such as 64M");
  run->add_option("--fuel", run_opts.fuel, "fuel for each call");
  run->add_option("--timeout", run_opts.timeout, "time limit for each call, such as 5s");
  run->positionals_at_end();
  run->footer("Examples:\n  tairitsu run hello:latest -- --flag value\n"
              "  tairitsu run --invoke 'greet(\"you\")' --format wave plugin.wasm\n"
              "  tairitsu run --dir ./data::/data:ro --timeout 5s tool:1.0");

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

  if (*load) {
    auto bytes = read_file(load_file);
    if (!bytes) return report(bytes.error());
    std::string ref = load_ref.empty() ? fs::path(load_file).stem().string() : load_ref;
    auto store = open_store();
    if (!store) return report(store.error());
    auto stored = [&] {
      Progress progress("compiling " + load_file);
      return store->add(*bytes, ref);
    }();
    if (!stored) return report(std::move(stored).error().with_context("'" + load_file + "'"));
    std::cout << stored->digest << "\n";
    return Ok;
  }
  if (*images) {
    auto store = open_store();
    if (!store) return report(store.error());
    auto list = store->list();
    if (!list) return report(list.error());
    if (images_json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto &e : *list) {
        out.push_back({{"name", e.ref.name}, {"tag", e.ref.tag}, {"digest", e.digest}, {"kind", e.kind},
                       {"size", e.size}, {"created", iso_time(e.created)}});
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
  if (*inspect) {
    auto store = open_store();
    if (!store) return report(store.error());
    auto entry = store->find(inspect_ref);
    if (!entry) return report(entry.error());
    auto image = store->load(inspect_ref);
    if (!image) return report(image.error());
    std::vector<std::string> artifacts;
    std::error_code ec;
    std::string hex = entry->digest.substr(7);
    for (const auto &f : fs::directory_iterator(store->root() / "artifacts", ec)) {
      std::string name = f.path().filename().string();
      if (name.rfind(hex, 0) == 0 && f.path().extension() == ".cwasm") artifacts.push_back(f.path().string());
    }
    if (inspect_json) {
      nlohmann::json j = {{"reference", entry->ref.to_string()}, {"digest", entry->digest},
                          {"kind", entry->kind}, {"size", entry->size}, {"created", iso_time(entry->created)},
                          {"artifacts", artifacts}};
      j["imports"] = nlohmann::json::array();
      j["exports"] = nlohmann::json::array();
      for (const auto &i : image->imports()) j["imports"].push_back(item_json(i));
      for (const auto &i : image->exports()) j["exports"].push_back(item_json(i));
      std::cout << j.dump(2) << "\n";
      return Ok;
    }
    std::cout << "reference: " << entry->ref.to_string() << "\ndigest:    " << entry->digest
              << "\nkind:      " << entry->kind << "\nsize:      " << entry->size << " bytes\ncreated:   "
              << iso_time(entry->created) << "\nimports:\n";
    for (const auto &i : image->imports()) std::cout << "  " << item_line(i) << "\n";
    std::cout << "exports:\n";
    for (const auto &i : image->exports()) std::cout << "  " << item_line(i) << "\n";
    std::cout << "artifacts:\n";
    for (const auto &a : artifacts) std::cout << "  " << a << "\n";
    return Ok;
  }
  if (*check) {
    auto world = WitWorld::load(check_wit, check_world_name);
    if (!world) return report(world.error());
    auto image = resolve_image(check_target);
    if (!image) return report(image.error());
    WorldCheck result = tairitsu::check_world(*image, *world, {.wasi_provided = !check_no_wasi});
    std::cout << check_target << " " << result.to_string() << "\n";
    return result.conforms() ? Ok : InvalidInput;
  }
  if (*tag) {
    auto store = open_store();
    if (!store) return report(store.error());
    auto tagged = store->tag(tag_source, tag_target);
    if (!tagged) return report(tagged.error());
    return Ok;
  }
  if (*rmi) {
    auto store = open_store();
    if (!store) return report(store.error());
    for (const auto &ref : rmi_refs) {
      if (auto r = store->remove(ref); !r) return report(r.error());
      std::cout << "removed " << ref << "\n";
    }
    return Ok;
  }
  if (*prune) {
    auto store = open_store();
    if (!store) return report(store.error());
    auto report_ = store->prune();
    if (!report_) return report(report_.error());
    for (const auto &d : report_->blobs) std::cout << "deleted blob " << d << "\n";
    for (const auto &a : report_->artifacts) std::cout << "deleted artifact " << a << "\n";
    if (report_->temporary_files) std::cout << "deleted " << report_->temporary_files << " temporary files\n";
    return Ok;
  }
  if (*compile) {
    std::error_code ec;
    if (fs::is_regular_file(compile_target, ec)) {
      auto image = resolve_image(compile_target);
      if (!image) return report(image.error());
      auto artifact = image->precompile();
      if (!artifact) return report(artifact.error());
      std::string out = compile_out.empty() ? fs::path(compile_target).replace_extension(".cwasm").string() : compile_out;
      std::ofstream f(out, std::ios::binary | std::ios::trunc);
      f.write(reinterpret_cast<const char *>(artifact->data()), static_cast<std::streamsize>(artifact->size()));
      if (!f) return report(Error(ErrorCode::Io, "'" + out + "' cannot be written"));
      std::cout << out << "\n";
      return Ok;
    }
    auto store = open_store();
    if (!store) return report(store.error());
    auto path = [&] {
      Progress progress("compiling " + compile_target);
      return store->precompile(compile_target);
    }();
    if (!path) return report(path.error());
    if (!compile_out.empty()) {
      fs::copy_file(*path, compile_out, fs::copy_options::overwrite_existing, ec);
      if (ec) return report(Error(ErrorCode::Io, "'" + compile_out + "': " + ec.message()));
      std::cout << compile_out << "\n";
    } else {
      std::cout << path->string() << "\n";
    }
    return Ok;
  }
  if (*run) {
    return run_command(run_opts);
  }
  return Usage;
}

}  // namespace tairitsu::cli
