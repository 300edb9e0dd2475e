// HttpServer: the policy half of serving wasi:http (the connections and the
// guests' tasks are native/src/http_server.rs). Each request's store is a
// ContainerCore of the server's spec, so host functions find their container
// as in any other call.

#include "tairitsu/http_server.hpp"

#include <atomic>
#include <cstdio>
#include <cstring>

#include "engine/bound_export.hpp"
#include "engine/container_core.hpp"

namespace tairitsu {

namespace detail {

struct HttpServerState {
  std::shared_ptr<ContainerSpec> spec;
  std::string name;
  std::function<void(const HttpRequestRecord &)> log;
  std::string address;
  tairitsu_http_server *server = nullptr;

  std::atomic<uint64_t> requests{0}, served{0}, handler_failed{0}, refused{0}, incomplete{0}, in_flight{0};

  ~HttpServerState() { tairitsu_http_server_delete(server); }
};

}  // namespace detail

namespace {

using detail::ContainerCore;
using detail::HttpServerState;

template <std::size_t N>
void copy_text(uint8_t (&buffer)[N], std::size_t &len, std::string_view text) {
  len = std::min(text.size(), N);
  std::memcpy(buffer, text.data(), len);
}

void describe(tairitsu_http_failure &failure, uint16_t status, std::string_view client, std::string_view log) {
  failure.status = status;
  copy_text(failure.client, failure.client_len, client);
  copy_text(failure.log, failure.log_len, log);
}

// What a client is told of a failed handler: the limit it exceeded, or only
// that it failed (a trap's details are for the log, not for the world).
void describe(tairitsu_http_failure &failure, const Error &e) {
  const std::string &m = e.message();
  if (e.code() != ErrorCode::LimitExceeded) {
    describe(failure, 500, "the handler failed", m);
    return;
  }
  // "<context>: <limit> (<engine's words>)": the limit, as the client's reason.
  std::string_view limit = m;
  if (auto colon = limit.find(": "); colon != std::string_view::npos) limit.remove_prefix(colon + 2);
  limit = limit.substr(0, limit.find(" ("));
  describe(failure, limit.starts_with("deadline") ? 504 : 503, limit, m);
}

wasmtime_store_t *open_request(void *data, void **request, tairitsu_http_failure *failure) {
  auto *state = static_cast<HttpServerState *>(data);
  auto core = std::make_unique<ContainerCore>();
  core->spec = state->spec;
  core->name = state->name;
  if (auto r = core->open_store(); !r) {
    describe(*failure, 500, "the server cannot make an instance", r.error().message());
    return nullptr;
  }
  ++state->in_flight;
  wasmtime_store_t *store = core->store.get();
  *request = core.release();
  return store;
}

void close_request(void *data, void *request, wasmtime_error_t *error, tairitsu_http_failure *failure) {
  auto *state = static_cast<HttpServerState *>(data);
  std::unique_ptr<ContainerCore> core(static_cast<ContainerCore *>(request));
  if (error) {
    describe(*failure, core->fail(error, "handling a request"));
  }
  --state->in_flight;
}

void log_request(void *data, const tairitsu_http_record *r) {
  auto *state = static_cast<HttpServerState *>(data);
  auto text = [](const uint8_t *p, std::size_t n) { return std::string(reinterpret_cast<const char *>(p), n); };
  HttpRequestRecord record{text(r->method, r->method_len),
                           text(r->target, r->target_len),
                           r->status,
                           static_cast<HttpOutcome>(r->outcome),
                           r->body_bytes,
                           std::chrono::microseconds(r->micros),
                           text(r->reason, r->reason_len)};
  ++state->requests;
  switch (record.outcome) {
    case HttpOutcome::Served: ++state->served; break;
    case HttpOutcome::HandlerFailed: ++state->handler_failed; break;
    case HttpOutcome::Refused: ++state->refused; break;
    case HttpOutcome::Incomplete: ++state->incomplete; break;
  }
  if (state->log) {
    state->log(record);
  }
}

// "HOST" or "HOST:PORT": a host of letters, digits, '-', '.', or a bracketed
// IPv6 address; a port from 1 to 65535.
bool valid_origin(std::string_view origin) {
  std::string_view host = origin;
  auto colon = origin.rfind(':');
  if (colon != std::string_view::npos && !(origin.starts_with('[') && colon < origin.rfind(']'))) {
    std::string_view port = origin.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string_view::npos ||
        std::stoul(std::string(port)) == 0 || std::stoul(std::string(port)) > 65535) {
      return false;
    }
    host = origin.substr(0, colon);
  }
  if (host.starts_with('[')) {
    return host.size() > 2 && host.ends_with(']') &&
           host.substr(1, host.size() - 2).find_first_not_of("0123456789abcdefABCDEF:.") == std::string_view::npos;
  }
  return !host.empty() && host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.") ==
                              std::string_view::npos;
}

}  // namespace

std::string to_string(const HttpRequestRecord &r) {
  char time[32];
  std::snprintf(time, sizeof time, "%.3f", static_cast<double>(r.duration.count()) / 1000.0);
  std::string line = r.method + " " + r.target + " " + std::to_string(r.status) + " " + std::to_string(r.body_bytes) +
                     " " + time + "ms";
  if (!r.reason.empty()) {
    line += " (" + r.reason + ")";
  }
  return line;
}

void HttpServerOptions::default_log(const HttpRequestRecord &record) {
  std::string line = to_string(record) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

Result<HttpServer> HttpServer::start(const ContainerBuilder &builder, HttpServerOptions options) {
  std::string allowed;
  for (const std::string &origin : options.allow_http) {
    if (!valid_origin(origin)) {
      return Error(
          ErrorCode::InvalidInput,
          "serving HTTP: '" + origin + "' is not an origin to allow (HOST or HOST:PORT, such as api.example.com:443)");
    }
    allowed += origin + "\n";
  }
  auto state = std::make_unique<HttpServerState>();
  // The server's own copy of the configuration, linked for serving.
  state->spec = std::make_shared<detail::ContainerSpec>(*builder.spec_);
  detail::ContainerSpec &spec = *state->spec;
  spec.prepared = std::make_shared<detail::ContainerSpec::PreparedSlot>();
  spec.serving = true;
  spec.wasi = true;  // wasi:http is built on wasi:io
  if (spec.initializer) {
    return Error(ErrorCode::Unsupported, "serving HTTP: an image with a guest initializer cannot be served");
  }
  if (!spec.limits.timeout) {
    spec.limits.timeout = options.default_request_timeout;
  }
  state->name = spec.name.empty() ? spec.image.digest().substr(7, 12) : spec.name;
  state->log = std::move(options.log);

  auto prepared = detail::prepare_linker(spec);
  if (!prepared) {
    return detail::explain_link_error(spec, std::move(prepared).error())
        .with_context("serving HTTP with '" + state->name + "'");
  }
  spec.prepared->linker = *prepared;

  tairitsu_http_config config{};
  config.address = reinterpret_cast<const uint8_t *>(options.address.data());
  config.address_len = options.address.size();
  config.io_threads = options.io_threads;
  config.guest_threads = options.guest_threads;
  config.max_connections = options.max_connections;
  config.max_requests = options.max_requests;
  config.max_request_body = options.max_request_body;
  config.max_header_bytes = options.max_header_bytes;
  config.header_timeout_ms = static_cast<uint64_t>(std::max<int64_t>(options.header_timeout.count(), 1));
  config.request_timeout_ms = static_cast<uint64_t>(std::max<int64_t>(spec.limits.timeout->count(), 1));
  config.allow_http = reinterpret_cast<const uint8_t *>(allowed.data());
  config.allow_http_len = allowed.size();
  tairitsu_http_host host{state.get(), open_request, close_request, log_request};
  if (wasmtime_error_t *err = tairitsu_http_server_start((*prepared)->linker.get(), spec.image.state()->component.get(),
                                                         &config, &host, &state->server)) {
    return detail::take_error(err, ErrorCode::InvalidInput).with_context("serving HTTP with '" + state->name + "'");
  }
  std::size_t len = 0;
  const uint8_t *address = tairitsu_http_server_address(state->server, &len);
  state->address.assign(reinterpret_cast<const char *>(address), len);
  return HttpServer(std::move(state));
}

HttpServer::HttpServer(std::unique_ptr<detail::HttpServerState> state) : state_(std::move(state)) {}
HttpServer::HttpServer(HttpServer &&) noexcept = default;
HttpServer &HttpServer::operator=(HttpServer &&) noexcept = default;
HttpServer::~HttpServer() = default;

const std::string &HttpServer::address() const { return state_->address; }

HttpCounters HttpServer::counters() const {
  const HttpServerState &s = *state_;
  return {s.requests.load(), s.served.load(),     s.handler_failed.load(),
          s.refused.load(),  s.incomplete.load(), s.in_flight.load()};
}

uint32_t HttpServer::stop(std::chrono::milliseconds drain) {
  return tairitsu_http_server_stop(state_->server, static_cast<uint64_t>(std::max<int64_t>(drain.count(), 0)));
}

}  // namespace tairitsu
