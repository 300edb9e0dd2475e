// The `tairitsu` command: `main` parses the command line, then dispatches to
// one function per subcommand (cli/subcommands.hpp). No input may abort the
// process: every error becomes a message and an exit code.

#include "cli/cli.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/arguments.hpp"
#include "cli/subcommands.hpp"

namespace tairitsu::cli {

namespace {

// Every subcommand's options, filled by parsing.
struct Commands {
  std::string lock_timeout;
  LoadOptions load;
  ImagesOptions images;
  InspectOptions inspect;
  CheckOptions check;
  TagOptions tag;
  RmiOptions rmi;
  PruneOptions prune;
  CompileOptions compile;
  RunOptions run;
  ServeOptions serve;
};

void define(CLI::App &app, Commands &c) {
  app.require_subcommand(1);
  app.add_option("--lock-timeout", c.lock_timeout,
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
  add_serve(app, c.serve);
}

int dispatch(CLI::App &app, Commands &c) {
  auto store = read_store_flags(c.lock_timeout);
  if (!store) return usage("", store.error());
  const std::string name = app.get_subcommands().front()->get_name();
  if (name == "load") return load_command(c.load, *store);
  if (name == "images") return images_command(c.images, *store);
  if (name == "inspect") return inspect_command(c.inspect, *store);
  if (name == "check") return check_command(c.check, *store);
  if (name == "tag") return tag_command(c.tag, *store);
  if (name == "rmi") return rmi_command(c.rmi, *store);
  if (name == "prune") return prune_command(c.prune, *store);
  if (name == "compile") return compile_command(c.compile, *store);
  if (name == "run") return run_command(c.run, *store);
  if (name == "serve") return serve_command(c.serve, *store);
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
    if (!commands.run.target.empty() && !check_run_options(commands.run)) return Usage;
    if (!read_store_flags(commands.lock_timeout)) return Usage;
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
