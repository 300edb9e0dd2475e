// `tairitsu run`: a command component, or one export with --invoke.

#include <filesystem>
#include <iostream>

#include "cli/arguments.hpp"
#include "cli/subcommands.hpp"

namespace tairitsu::cli {

namespace {

namespace fs = std::filesystem;

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

}  // namespace

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

namespace {

// The command's exit status for the guest's own: as is from 0 to 63; from
// 64 up (where Tairitsu's codes are) GuestStatusHigh, unless --raw-exit-code.
int guest_exit(int status, const RunOptions &o) {
  if (status < kGuestExitCodes || o.raw_exit_code) return status;
  std::cerr << "tairitsu: the guest exited with status " << status << "; statuses from " << kGuestExitCodes
            << " up are Tairitsu's own, so this one is reported as " << GuestStatusHigh
            << " (--raw-exit-code passes it as is)\n";
  return GuestStatusHigh;
}

}  // namespace

void add_container_options(CLI::App *c, RunOptions &o, const std::string &unit, const std::string &default_timeout) {
  c->add_flag("--trap-unknown-imports", o.trap_unknown_imports, "link imports nothing provides as functions that trap");
  c->add_option("-e,--env", o.env, "KEY=VALUE for the guest's environment")->allow_extra_args(false);
  c->add_flag("--env-inherit", o.env_inherit, "pass this process's environment");
  c->add_option("--dir", o.dirs, "HOST[::GUEST][:ro|:rw] directory to grant (default rw)")->allow_extra_args(false);
  c->add_option("--memory", o.memory,
                "limit of linear memory and tables together for each " + unit + ", such as 64M (default: none)");
  c->add_option("--tables", o.tables, "limit of table elements, all tables together (default: 1000000)");
  c->add_option("--fuel", o.fuel, "fuel for each " + unit + ", at least 1 (default: no limit)");
  c->add_option("--timeout", o.timeout,
                "time limit for each " + unit + ", such as 5s (default: " + default_timeout + ")");
  add_allow_precompiled(c, o.allow_precompiled);
}

void add_run(CLI::App &app, RunOptions &o) {
  auto *c = app.add_subcommand("run", "Run a command component, or call an export with --invoke");
  c->add_option("TARGET", o.target, "an image name or a file")->required();
  c->add_option("ARGS", o.args, "arguments for the guest");
  c->add_option("--invoke", o.invoke, "call an export: 'add(1, 2)' or 'pkg:ns/iface@1.0.0#f(x)'");
  c->add_option("--format", o.format, "text format of --invoke arguments and results: wave, ron, json");
  add_container_options(c, o, "call", "none");
  c->add_option("--stdin", o.stdin_mode, "null (default) or inherit");
  c->add_option("--stdout", o.stdout_mode, "inherit (default) or null");
  c->add_option("--stderr", o.stderr_mode, "inherit (default) or null");
  c->add_flag("--raw-exit-code", o.raw_exit_code,
              "exit with the guest's status as is, even 64 or more (it may then read as one of Tairitsu's codes)");
  c->positionals_at_end();
  c->footer(
      "Examples:\n  tairitsu run hello:latest -- --flag value\n"
      "  tairitsu run --invoke 'greet(\"you\")' --format wave plugin.wasm\n"
      "  tairitsu run --dir ./data::/data:ro --timeout 5s tool:1.0");
}

Result<void> check_run_options(const RunOptions &o) {
  auto settings = run_settings(o);
  if (!settings) return std::move(settings).error();
  return {};
}

int run_command(const RunOptions &o, const StoreFlags &flags) {
  auto format = parse_text_format(o.format);
  if (!format) {
    return usage(
        "run", Error(ErrorCode::InvalidInput, "--format must be wave, ron or json, not '" + printable(o.format) + "'"));
  }
  // Options first: a mistake in them is reported before anything is compiled.
  auto settings = run_settings(o);
  if (!settings) return usage("run", settings.error());
  auto target = resolve(o.target, flags, o.allow_precompiled);
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

}  // namespace tairitsu::cli
