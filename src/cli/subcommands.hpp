#pragma once

// The `tairitsu` command's subcommands: for each, its options, the function
// that declares them to the parser, and the function that runs it (with the
// store options every subcommand shares).

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/common.hpp"

namespace tairitsu::cli {

struct LoadOptions {
  std::string file, ref;
};
void add_load(CLI::App &app, LoadOptions &o);
int load_command(const LoadOptions &o, const StoreFlags &flags);

struct ImagesOptions {
  bool json = false;
};
void add_images(CLI::App &app, ImagesOptions &o);
int images_command(const ImagesOptions &o, const StoreFlags &flags);

struct InspectOptions {
  std::string target;
  bool json = false;
  bool allow_precompiled = false;
};
void add_inspect(CLI::App &app, InspectOptions &o);
int inspect_command(const InspectOptions &o, const StoreFlags &flags);

struct CheckOptions {
  std::string target, wit, world;
  bool no_wasi = false;
  bool allow_precompiled = false;
};
void add_check(CLI::App &app, CheckOptions &o);
int check_command(const CheckOptions &o, const StoreFlags &flags);

struct TagOptions {
  std::string source, target;
};
void add_tag(CLI::App &app, TagOptions &o);
int tag_command(const TagOptions &o, const StoreFlags &flags);

struct RmiOptions {
  std::vector<std::string> refs;
};
void add_rmi(CLI::App &app, RmiOptions &o);
int rmi_command(const RmiOptions &o, const StoreFlags &flags);

struct PruneOptions {};
void add_prune(CLI::App &app, PruneOptions &o);
int prune_command(const PruneOptions &o, const StoreFlags &flags);

struct CompileOptions {
  std::string target, output;
  bool allow_precompiled = false;
};
void add_compile(CLI::App &app, CompileOptions &o);
int compile_command(const CompileOptions &o, const StoreFlags &flags);

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
  std::string memory, tables, fuel, timeout;
  bool allow_precompiled = false;
  bool raw_exit_code = false;
};
void add_run(CLI::App &app, RunOptions &o);
int run_command(const RunOptions &o, const StoreFlags &flags);

/// Whether `run`'s options are all valid, read before any image is.
Result<void> check_run_options(const RunOptions &o);

/// What `run`'s container options ask for, read and checked before any image is.
struct RunSettings {
  Limits limits;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  std::vector<Preopen> dirs;
};
Result<RunSettings> run_settings(const RunOptions &o);
/// Declares the container options `run` and `serve` share: grants, limits
/// (each `unit`'s: "call", "request"), --trap-unknown-imports, --allow-precompiled.
void add_container_options(CLI::App *command, RunOptions &o, const std::string &unit,
                           const std::string &default_timeout);
/// Gives the builder what the options and their settings ask for.
void configure(const RunOptions &o, const RunSettings &s, ContainerBuilder &b);

struct ServeOptions {
  /// The container's options, as `run` has them (`invoke`, `format` and `args` unused).
  RunOptions container;
  std::string address = "127.0.0.1:8080";
  std::string max_connections, max_requests, max_body, drain = "10s";
  std::vector<std::string> allow_http;
  bool quiet = false;
};
void add_serve(CLI::App &app, ServeOptions &o);
int serve_command(const ServeOptions &o, const StoreFlags &flags);

}  // namespace tairitsu::cli
