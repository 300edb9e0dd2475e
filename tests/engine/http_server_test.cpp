// HttpServer: a real wasi:http handler (tests/fixtures/http/handler.c, built
// with wit-bindgen and clang) served on loopback, reached with libcurl and
// with raw sockets for what no client library would send.

#include "tairitsu/http_server.hpp"

#include <pthread.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <random>
#include <thread>

#include "http_client.hpp"
#include "support.hpp"

namespace tairitsu {
namespace {

using testing::fixture_image;
using testing::HttpClient;
using testing::raw_exchange;
using namespace std::chrono_literals;

constexpr const char *kGreet = "tairitsu:http-fixture/host#greet";

// The requests a server logged, for the tests to read.
struct Log {
  std::mutex mutex;
  std::vector<HttpRequestRecord> records;

  std::function<void(const HttpRequestRecord &)> sink() {
    return [this](const HttpRequestRecord &r) {
      std::lock_guard lock(mutex);
      records.push_back(r);
    };
  }
  std::vector<HttpRequestRecord> all() {
    std::lock_guard lock(mutex);
    return records;
  }
  // The record of the request to `target`, once it is logged (the log
  // comes when the response's body has gone, a moment after the client has it).
  std::optional<HttpRequestRecord> of(const std::string &target) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard lock(mutex);
        for (const auto &r : records)
          if (r.target == target) return r;
      }
      std::this_thread::sleep_for(10ms);
    }
    return std::nullopt;
  }
};

// Holds a host function until the test opens it. Every step is under one
// mutex, so a race detector sees the order even though the way back to the
// test (the response) goes through the server's uninstrumented threads.
struct Gate {
  std::mutex mutex;
  std::condition_variable changed;
  bool entered = false, opened = false, left = false;
  std::string thread_name;  // of the thread that passed

  void pass() {
    char buffer[32] = {};
    pthread_getname_np(pthread_self(), buffer, sizeof buffer);
    std::unique_lock lock(mutex);
    thread_name = buffer;
    entered = true;
    changed.notify_all();
    changed.wait_for(lock, 20s, [&] { return opened; });
    left = true;
    changed.notify_all();
  }
  bool wait_entered() {
    return wait([&] { return entered; });
  }
  void open() {
    std::lock_guard lock(mutex);
    opened = true;
    changed.notify_all();
  }
  bool wait_left() {
    return wait([&] { return left; });
  }

 private:
  template <typename Done>
  bool wait(Done done) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 20s, done);
  }
};

// The handler with its greet held at `gate`.
ContainerBuilder gated_builder(Gate &gate) {
  return ContainerBuilder(fixture_image("http_handler.wasm"))
      .define<std::string(std::string)>(kGreet, [&gate](std::string name) {
        gate.pass();
        return "bye, " + name;
      });
}

ContainerBuilder handler_builder() {
  return ContainerBuilder(fixture_image("http_handler.wasm"))
      .define<std::string(std::string)>(kGreet, [](std::string name) { return "hello, " + name; });
}

// A server on a free loopback port whose log the test reads, and a client of it.
class HttpServing : public ::testing::Test {
 protected:
  HttpServerOptions options() {
    HttpServerOptions o;
    o.address = "127.0.0.1:0";
    o.log = logged.sink();
    return o;
  }
  // Starts `server` and `client`; false (with the reason reported) when it cannot start.
  bool serve(const ContainerBuilder &builder = handler_builder(), std::optional<HttpServerOptions> with = {}) {
    auto started = HttpServer::start(builder, with ? std::move(*with) : options());
    if (!started) {
      ADD_FAILURE() << started.error();
      return false;
    }
    server.emplace(std::move(*started));
    client = std::make_unique<HttpClient>(server->address());
    return true;
  }

  Log logged;
  std::optional<HttpServer> server;
  std::unique_ptr<HttpClient> client;
};

TEST_F(HttpServing, ServesRoutesOfARealHandler) {
  ASSERT_TRUE(serve());

  auto hello = client->get("/hello");
  EXPECT_EQ(hello.error, "");
  EXPECT_EQ(hello.status, 200);
  EXPECT_EQ(hello.body, "hello from wasi:http\n");
  EXPECT_EQ(hello.headers["content-type"], "text/plain");

  EXPECT_EQ(client->get("/status/418").status, 418);
  EXPECT_EQ(client->get("/status/204").status, 204);
  auto missing = client->get("/nowhere");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "no such route\n");

  auto headers = client->get("/headers", {"X-Probe: 12345"});
  EXPECT_EQ(headers.status, 200);
  EXPECT_NE(headers.body.find("x-probe: 12345\n"), std::string::npos) << headers.body;
  EXPECT_EQ(headers.headers["x-handler"], "tairitsu-fixture");

  // One connection for all of them: keep-alive.
  EXPECT_EQ(client->get("/hello").new_connections, 0);

  auto record = logged.of("/hello");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->method, "GET");
  EXPECT_EQ(record->status, 200);
  EXPECT_EQ(record->outcome, HttpOutcome::Served);
  EXPECT_EQ(record->body_bytes, 21u);
  EXPECT_EQ(to_string(*record).rfind("GET /hello 200 21 ", 0), 0u) << to_string(*record);
  server->stop();
  HttpCounters counters = server->counters();
  EXPECT_EQ(counters.requests, 6u);
  EXPECT_EQ(counters.served, 6u);
  EXPECT_EQ(counters.in_flight, 0u);
}

TEST_F(HttpServing, StreamsALargeBodyBothWays) {
  ASSERT_TRUE(serve());
#if defined(__SANITIZE_THREAD__)
  std::string body(256 << 10, '\0');  // every byte through ThreadSanitizer's interceptors: slow
#else
  std::string body(6 << 20, '\0');
#endif
  std::mt19937 random(7);
  for (char &c : body) c = static_cast<char>(random());

  auto sized = client->post("/echo", body);
  EXPECT_EQ(sized.error, "");
  EXPECT_EQ(sized.status, 200);
  EXPECT_TRUE(sized.body == body) << "echoed " << sized.body.size() << " bytes of " << body.size();

  auto chunked = client->post("/echo", body, /*chunked=*/true);
  EXPECT_EQ(chunked.status, 200);
  EXPECT_TRUE(chunked.body == body) << "echoed " << chunked.body.size() << " bytes of " << body.size();
  auto record = logged.of("/echo");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->body_bytes, body.size());
}

TEST_F(HttpServing, SendsTrailers) {
  ASSERT_TRUE(serve());
  auto response = client->get("/trailers", {"TE: trailers"});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "body with trailers\n");
  EXPECT_EQ(response.trailers["x-checksum"], "42");
}

// The same server with a handler written in Python (componentize-py): the
// interpreter starts anew in each request's instance.
TEST_F(HttpServing, ServesAPythonHandler) {
  ContainerBuilder builder(fixture_image("http_python.wasm"));
  builder.define<std::string(std::string)>(kGreet, [](std::string name) { return "hello, " + name; });
  ASSERT_TRUE(serve(builder));
  auto hello = client->get("/hello");
  EXPECT_EQ(hello.status, 200);
  EXPECT_EQ(hello.body, "hello from python\n");
  EXPECT_EQ(client->get("/greet?name=ada").body, "hello, ada");
  EXPECT_EQ(client->get("/status/418").status, 418);
  EXPECT_EQ(client->get("/nope").status, 404);
  std::string body(3 << 20, '\0');
  std::mt19937 random(11);
  for (char &c : body) c = static_cast<char>(random());
  auto echoed = client->post("/echo", body);
  EXPECT_EQ(echoed.status, 200);
  EXPECT_TRUE(echoed.body == body) << "echoed " << echoed.body.size() << " bytes of " << body.size();
  EXPECT_EQ(client->get("/trap").status, 500);
  EXPECT_EQ(client->get("/hello").status, 200);
  EXPECT_EQ(server->counters().handler_failed, 1u);
}

TEST_F(HttpServing, HostFunctionsRunOnGuestThreadsNotOnTheConnections) {
  Gate gate;
  HttpServerOptions o = options();
  o.guest_threads = 2;
  ASSERT_TRUE(serve(gated_builder(gate), o));

  auto slow = std::async(std::launch::async, [&] { return HttpClient(server->address()).get("/greet?name=ada"); });
  ASSERT_TRUE(gate.wait_entered());
  // The host function blocks until the test has had another answer: one
  // that blocked a connection thread would keep that answer from coming.
  EXPECT_EQ(HttpClient(server->address()).get("/hello").status, 200);
  gate.open();
  auto greeted = slow.get();
  EXPECT_EQ(greeted.status, 200);
  EXPECT_EQ(greeted.body, "bye, ada");
  ASSERT_TRUE(gate.wait_left());
  EXPECT_EQ(gate.thread_name.rfind("tairitsu-http-g", 0), 0u) << gate.thread_name;
}

TEST_F(HttpServing, ATrappingHandlerGets500AndTheNextRequestIsServed) {
  ASSERT_TRUE(serve());
  auto trapped = client->get("/trap");
  EXPECT_EQ(trapped.status, 500);
  EXPECT_EQ(trapped.body, "the handler failed\n");
  EXPECT_EQ(client->get("/hello").status, 200);

  auto record = logged.of("/trap");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->outcome, HttpOutcome::HandlerFailed);
  EXPECT_NE(record->reason.find("unreachable"), std::string::npos) << record->reason;
  EXPECT_EQ(server->counters().handler_failed, 1u);
}

TEST_F(HttpServing, LimitsAreCountedPerRequest) {
#if defined(__SANITIZE_THREAD__)
  constexpr auto deadline = 3000ms;  // a request takes far longer under ThreadSanitizer
#else
  constexpr auto deadline = 300ms;
#endif
  ContainerBuilder builder = handler_builder();
  builder.limits({.memory_bytes = 8u << 20, .timeout = deadline});
  ASSERT_TRUE(serve(builder));

  auto looped = client->get("/loop");
  EXPECT_EQ(looped.status, 504);
  EXPECT_EQ(looped.body, "deadline of " + std::to_string(deadline.count()) + " ms exceeded\n");
  auto allocated = client->get("/alloc");
  EXPECT_EQ(allocated.status, 503);
  EXPECT_NE(allocated.body.find("memory limit of 8388608 bytes"), std::string::npos) << allocated.body;
  // Each request has its own instance and its own budget.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client->get("/hello").status, 200);
  EXPECT_EQ(server->counters().handler_failed, 2u);
  EXPECT_EQ(server->counters().served, 3u);
}

TEST_F(HttpServing, FuelIsRefilledForEachRequest) {
  ContainerBuilder builder = handler_builder();
  builder.limits({.fuel = 2'000'000});
  ASSERT_TRUE(serve(builder));
  auto looped = client->get("/loop");
  EXPECT_EQ(looped.status, 503);
  EXPECT_NE(looped.body.find("fuel limit of 2000000 units"), std::string::npos) << looped.body;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client->get("/hello").status, 200);
}

TEST_F(HttpServing, ATrapMidBodyCutsThatResponseOnly) {
  ASSERT_TRUE(serve());
  auto cut = client->get("/trap-mid-body");
  // The connection is cut: after the head (200) or, when the trap came
  // before hyper wrote it, before it (no status). Never a whole response.
  EXPECT_TRUE(cut.status == 200 || cut.status == 0) << cut.status;
  EXPECT_NE(cut.error, "");
  EXPECT_EQ(client->get("/hello").status, 200);
  auto record = logged.of("/trap-mid-body");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->outcome, HttpOutcome::Incomplete);
}

TEST_F(HttpServing, BodiesOverTheLimitAreRefused) {
  HttpServerOptions o = options();
  o.max_request_body = 1024;
  ASSERT_TRUE(serve(handler_builder(), o));
  auto declared = client->post("/echo", std::string(4096, 'x'));
  EXPECT_EQ(declared.status, 413);
  EXPECT_EQ(declared.body, "the request body of 4096 bytes is over the limit of 1024 bytes\n");
  // Streamed without a length: the guest's read fails at the limit, and it
  // leaves its answer unfinished.
  auto streamed = HttpClient(server->address()).post("/echo", std::string(64 * 1024, 'x'), /*chunked=*/true);
  EXPECT_LT(streamed.body.size(), 64u * 1024);
  EXPECT_EQ(client->post("/echo", "small").body, "small");
}

TEST_F(HttpServing, BadClientsAreAnsweredOrClosedAndServingGoesOn) {
  HttpServerOptions o = options();
  o.header_timeout = 500ms;
  ASSERT_TRUE(serve(handler_builder(), o));
  const std::string &address = server->address();

  EXPECT_EQ(raw_exchange(address, "NOT HTTP AT ALL\r\n\r\n").rfind("HTTP/1.1 400", 0), 0u);
  EXPECT_EQ(
      raw_exchange(address, "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(100 * 1024, 'a') + "\r\n\r\n")
          .rfind("HTTP/1.1 431", 0),
      0u);
  // A request without a Host header names no authority: 400, no guest runs.
  EXPECT_EQ(raw_exchange(address, "GET /hello HTTP/1.0\r\n\r\n").find(" 400 "), 8u);
  // A client that stops mid-body and leaves.
  raw_exchange(address, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\npartial", true, 200ms);
  // A client that sends half a head and then nothing: closed at the header timeout.
  std::string slow = raw_exchange(address, "GET /hello HTTP/1.1\r\nHo", false, 5s);
  EXPECT_EQ(slow.find("200"), std::string::npos) << slow;
  // 1,000 connections opened and dropped.
  for (int i = 0; i < 1000; ++i) {
    int fd = testing::connect_to(address);
    ASSERT_GE(fd, 0) << "connection " << i;
    close(fd);
  }
  for (int i = 0; i < 5; ++i) EXPECT_EQ(client->get("/hello").status, 200);
}

TEST_F(HttpServing, RequestsBeyondTheLimitWaitForAHandler) {
  Gate gate;
  HttpServerOptions o = options();
  o.max_requests = 1;
  ASSERT_TRUE(serve(gated_builder(gate), o));
  std::string address = server->address();
  auto slow = std::async(std::launch::async, [&] { return HttpClient(address).get("/greet?name=ada"); });
  ASSERT_TRUE(gate.wait_entered());
  auto queued = std::async(std::launch::async, [&] { return HttpClient(address).get("/hello"); });
  EXPECT_EQ(queued.wait_for(300ms), std::future_status::timeout);  // no handler free
  EXPECT_EQ(server->counters().in_flight, 1u);
  gate.open();
  EXPECT_EQ(slow.get().status, 200);
  EXPECT_EQ(queued.get().status, 200);
  EXPECT_TRUE(gate.wait_left());
}

TEST_F(HttpServing, StopFinishesTheRequestInFlight) {
  Gate gate;
  ASSERT_TRUE(serve(gated_builder(gate)));
  std::string address = server->address();
  auto slow = std::async(std::launch::async, [&] { return HttpClient(address).get("/greet?name=ada"); });
  ASSERT_TRUE(gate.wait_entered());
  auto stopped = std::async(std::launch::async, [&] { return server->stop(10s); });
  std::this_thread::sleep_for(100ms);  // stop is under way: no new connections
  EXPECT_EQ(testing::connect_to(address), -1);
  gate.open();
  EXPECT_EQ(stopped.get(), 0u);
  auto answer = slow.get();
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, "bye, ada");
  EXPECT_TRUE(gate.wait_left());
}

TEST_F(HttpServing, OutboundRequestsReachOnlyAllowedOrigins) {
  ASSERT_TRUE(serve());  // the upstream the guests call
  std::string upstream = server->address();
  std::string port = upstream.substr(upstream.rfind(':') + 1);
  auto fetch_with = [&](std::vector<std::string> allowed) {
    HttpServerOptions o;
    o.address = "127.0.0.1:0";
    o.log = {};
    o.allow_http = std::move(allowed);
    auto proxy = HttpServer::start(handler_builder(), o);
    EXPECT_TRUE(proxy.ok()) << proxy.error();
    return proxy ? HttpClient(proxy->address()).get("/fetch/" + upstream + "/hello") : testing::HttpResponse{};
  };

  auto allowed = fetch_with({upstream});
  EXPECT_EQ(allowed.status, 200);
  EXPECT_EQ(allowed.body, "upstream 200: hello from wasi:http\n");
  EXPECT_EQ(fetch_with({"127.0.0.1"}).status, 200);  // a host alone: any port

  for (const auto &list : {std::vector<std::string>{}, {"localhost:" + port}, {"127.0.0.1:1"}}) {
    auto denied = fetch_with(list);
    EXPECT_EQ(denied.status, 502);
    EXPECT_EQ(denied.body, "upstream error: HTTP-request-denied") << denied.status;
  }

  for (const char *bad : {"", "host:", "host:99999", "a b", "http://x"}) {
    auto refused = HttpServer::start(handler_builder(), {.address = "127.0.0.1:0", .allow_http = {bad}});
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.error().code(), ErrorCode::InvalidInput);
  }
}

TEST_F(HttpServing, RefusesWhatItCannotServe) {
  auto not_http = HttpServer::start(ContainerBuilder(fixture_image("adder.wasm")), {.address = "127.0.0.1:0"});
  ASSERT_FALSE(not_http.ok());
  EXPECT_NE(not_http.error().message().find("incoming-handler"), std::string::npos) << not_http.error();

  // The host function the handler imports is missing.
  auto unlinked = HttpServer::start(ContainerBuilder(fixture_image("http_handler.wasm")), {.address = "127.0.0.1:0"});
  ASSERT_FALSE(unlinked.ok());
  EXPECT_EQ(unlinked.error().code(), ErrorCode::LinkError);
  EXPECT_NE(unlinked.error().message().find("greet"), std::string::npos) << unlinked.error();

  ASSERT_TRUE(serve());
  auto taken = HttpServer::start(handler_builder(), {.address = server->address()});
  ASSERT_FALSE(taken.ok());
  EXPECT_NE(taken.error().message().find("listening on " + server->address()), std::string::npos) << taken.error();
}

}  // namespace
}  // namespace tairitsu
