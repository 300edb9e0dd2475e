// `tairitsu serve`: serves HTTP with a wasi:http/incoming-handler component
// until SIGINT or SIGTERM, then finishes the requests in flight and exits 0.

#include <signal.h>

#include <filesystem>
#include <iostream>

#include "cli/arguments.hpp"
#include "cli/subcommands.hpp"

namespace tairitsu::cli {

namespace {

// The server's options from the command line, checked before any image is read.
Result<HttpServerOptions> server_options(const ServeOptions &o) {
  HttpServerOptions options;
  options.address = o.address;
  options.allow_http = o.allow_http;
  if (o.quiet) options.log = nullptr;
  auto count = [](const char *flag, const std::string &text, uint32_t &out) -> Result<void> {
    if (text.empty()) return {};
    auto n = parse_count(flag, text, UINT32_MAX);
    if (!n) return std::move(n).error();
    out = static_cast<uint32_t>(*n);
    return {};
  };
  if (auto r = count("--max-connections", o.max_connections, options.max_connections); !r) return r.error();
  if (auto r = count("--max-requests", o.max_requests, options.max_requests); !r) return r.error();
  if (!o.max_body.empty()) {
    auto size = parse_size("--max-body", o.max_body);
    if (!size) return std::move(size).error();
    options.max_request_body = *size;
  }
  return options;
}

}  // namespace

void add_serve(CLI::App &app, ServeOptions &o) {
  auto *c = app.add_subcommand("serve", "Serve HTTP with a wasi:http component, a fresh instance per request");
  RunOptions &r = o.container;
  c->add_option("TARGET", r.target, "an image name or a file")->required();
  c->add_option("--addr", o.address, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks one)");
  c->add_option("--max-connections", o.max_connections, "connections served at once (default: 1000)");
  c->add_option("--max-requests", o.max_requests, "handlers running at once (default: 1000)");
  c->add_option("--max-body", o.max_body, "limit of a request's body, such as 16M (default: 64M)");
  c->add_option("--allow-http", o.allow_http,
                "HOST or HOST:PORT that guests may send requests to (repeatable; default: none)")
      ->allow_extra_args(false);
  c->add_flag("--quiet", o.quiet, "no access log");
  c->add_option("--drain", o.drain, "how long to wait for requests in flight when stopping (default: 10s)");
  add_container_options(c, r, "request", "60s");
  c->footer(
      "Each request is logged to stderr (method, target, status, body bytes, time) unless --quiet.\n"
      "Examples:\n  tairitsu serve handler.wasm\n  tairitsu serve --addr 0.0.0.0:8080 --memory 64M --timeout 5s "
      "api:1.0");
}

int serve_command(const ServeOptions &o, const StoreFlags &flags) {
  auto settings = run_settings(o.container);
  if (!settings) return usage("serve", settings.error());
  auto options = server_options(o);
  if (!options) return usage("serve", options.error());
  auto drain = parse_duration("--drain", o.drain);
  if (!drain) return usage("serve", drain.error());
  // As `wasmtime serve` does: the pooling allocator, which makes each
  // request's instance cheaper, where the machine lets it reserve its
  // address space; else the default engine.
  EngineConfig pooled;
  pooled.pooling = true;
  auto engine = Engine::create(pooled);
  auto target = resolve(o.container.target, flags, o.container.allow_precompiled, engine ? *engine : Engine::shared());
  if (!target) return report(target.error());
  ContainerBuilder b(target->image);
  std::string name =
      target->stored ? target->stored->ref.name : std::filesystem::path(o.container.target).stem().string();
  b.name(name.substr(name.rfind('/') + 1));
  configure(o.container, *settings, b);

  // The server's threads start with SIGINT and SIGTERM blocked, so that
  // this thread alone takes them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  auto server = HttpServer::start(b, std::move(*options));
  if (!server) return report(server.error());
  std::cerr << "tairitsu: serving " << printable(o.container.target) << " on http://" << server->address() << std::endl;
  int signal = 0;
  sigwait(&stop_signals, &signal);
  std::cerr << "tairitsu: " << (signal == SIGINT ? "SIGINT" : "SIGTERM") << ", finishing requests in flight"
            << std::endl;
  uint32_t cut = server->stop(*drain);
  HttpCounters counters = server->counters();
  std::cerr << "tairitsu: stopped after " << counters.requests << " requests (" << counters.served << " served, "
            << counters.handler_failed << " failed, " << counters.refused << " refused, " << counters.incomplete
            << " incomplete)";
  if (cut > 0) std::cerr << "; " << cut << " connections were still open after " << o.drain;
  std::cerr << std::endl;
  return Ok;
}

}  // namespace tairitsu::cli
