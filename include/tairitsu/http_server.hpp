#pragma once

/// Serving HTTP with a component that exports `wasi:http/incoming-handler`
/// (the `wasi:http/proxy` world), as `wasmtime serve` does: each request is
/// handled by a fresh instance, made from the image pre-instantiated once.
///
///     auto image = Image::from_file("handler.wasm", Engine::create({.pooling = true}).value());
///     ContainerBuilder builder(*image);
///     builder.limits({.memory_bytes = 64 << 20, .timeout = std::chrono::seconds(5)});
///     auto server = HttpServer::start(builder, {.address = "127.0.0.1:8080"});
///     ...
///     server->stop();  // finishes the requests in flight
///
/// Each request's instance is an ordinary container of the builder's
/// configuration: its host functions, resources, environment, preopened
/// directories and limits (the limits count per request: memory, fuel, and
/// the deadline, from the request's arrival to the handler's return). A
/// request whose handler traps or exceeds a limit is answered with a 5xx and a
/// short reason, and logged; the next is served as usual.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tairitsu/container.hpp"
#include "tairitsu/error.hpp"

namespace tairitsu {

namespace detail {
struct HttpServerState;
}  // namespace detail

/// How a request ended.
enum class HttpOutcome {
  Served,         ///< the handler answered and the response was sent whole
  HandlerFailed,  ///< the handler trapped, exceeded a limit, or answered with an error code
  Refused,        ///< refused before a guest ran (a body over the limit, a malformed request)
  Incomplete,     ///< the response began but did not end well (the handler failed mid-body, the client left)
};

/// One finished request, as the access log reports it.
struct HttpRequestRecord {
  std::string method;
  std::string target;  ///< path and query
  uint16_t status = 0;
  HttpOutcome outcome = HttpOutcome::Served;
  uint64_t body_bytes = 0;  ///< bytes of the response body sent
  std::chrono::microseconds duration{0};
  std::string reason;  ///< why, unless served
};

/// The access log's line for a request: method, target, status, body bytes,
/// milliseconds, and the reason when it was not served.
std::string to_string(const HttpRequestRecord &record);

/// Counts since the server started.
struct HttpCounters {
  uint64_t requests = 0;  ///< finished, whatever their outcome
  uint64_t served = 0;
  uint64_t handler_failed = 0;
  uint64_t refused = 0;
  uint64_t incomplete = 0;
  uint64_t in_flight = 0;  ///< handlers running now
};

struct HttpServerOptions {
  /// "host:port"; port 0 picks a free port (see `HttpServer::address()`).
  std::string address = "127.0.0.1:8080";
  /// Threads that run guests (their host functions included); 0: one per core.
  uint32_t guest_threads = 0;
  /// Threads for the connections.
  uint32_t io_threads = 1;
  /// Connections beyond this wait to be accepted.
  uint32_t max_connections = 1000;
  /// Handlers beyond this wait for one to finish.
  uint32_t max_requests = 1000;
  /// Bytes of a request's body: a longer declared body gets 413, a longer
  /// streamed body fails the guest's read.
  uint64_t max_request_body = uint64_t{64} << 20;
  /// Bytes of a request's head (request line and headers; at least 8 KiB):
  /// a larger head gets 431.
  uint64_t max_header_bytes = uint64_t{64} << 10;
  /// How long a client may take to send a request's head, and how long an
  /// idle kept-alive connection stays open.
  std::chrono::milliseconds header_timeout{std::chrono::seconds(10)};
  /// Origins that guests may reach through `wasi:http/outgoing-handler`,
  /// each "HOST" (any port) or "HOST:PORT". Empty (the default): none; a
  /// refused request gets the error code `HTTP-request-denied`, not a trap.
  std::vector<std::string> allow_http;
  /// A request's deadline when the builder's limits set no timeout.
  std::chrono::milliseconds default_request_timeout{std::chrono::seconds(60)};
  /// Called for each finished request, on a server thread; by default each
  /// request is written to stderr as `to_string(record)`. Empty: no log.
  std::function<void(const HttpRequestRecord &)> log = default_log;

  /// Writes `to_string(record)` and a newline to stderr.
  static void default_log(const HttpRequestRecord &record);
};

/// A server of one image. Move-only; stopping (or destroying) it closes the
/// listening socket.
class HttpServer {
 public:
  /// Listens on `options.address` and serves the builder's image. Fails
  /// when the image does not export `wasi:http/incoming-handler`, when its
  /// imports cannot be satisfied, or when the address cannot be bound.
  static Result<HttpServer> start(const ContainerBuilder &builder, HttpServerOptions options = {});

  HttpServer(HttpServer &&) noexcept;
  HttpServer &operator=(HttpServer &&) noexcept;
  /// Stops without waiting for requests in flight (see `stop`).
  ~HttpServer();

  /// The address the server listens on, "host:port" with the real port.
  const std::string &address() const;
  HttpCounters counters() const;
  /// Stops accepting connections, lets each open connection finish the
  /// request in flight, and waits at most `drain` for them. Returns how many
  /// connections were still open when it gave up (0: all finished). The
  /// server serves no more afterwards.
  uint32_t stop(std::chrono::milliseconds drain = std::chrono::seconds(10));

 private:
  explicit HttpServer(std::unique_ptr<detail::HttpServerState> state);
  std::unique_ptr<detail::HttpServerState> state_;
};

}  // namespace tairitsu
