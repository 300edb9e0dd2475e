// Hostile guests and hostile loads through the library: deadlines under a
// saturated CPU and inside WASI waits, table growth, stack exhaustion,
// recursion through host functions, huge arguments and resources never
// dropped. The host and other containers must carry on after each.

#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "engine/showcase_host.hpp"
#include "support.hpp"

namespace tairitsu {
namespace {

using namespace std::chrono_literals;
using testing::api;
using testing::fixture_image;
using testing::host_item;
using testing::point;

std::chrono::milliseconds time_of(auto &&f) {
  auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
}

// Runs `f` on a thread whose stack is exactly `bytes` large (below it a
// guard page, so an overflow is a crash), and waits for it.
void on_small_stack(std::size_t bytes, std::function<void()> f) {
  const std::size_t page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  void *block = ::mmap(nullptr, bytes + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(block, MAP_FAILED);
  ASSERT_EQ(::mprotect(block, page, PROT_NONE), 0);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstack(&attr, static_cast<char *>(block) + page, bytes);
  pthread_t thread;
  auto run = [](void *arg) -> void * {
    (*static_cast<std::function<void()> *>(arg))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, run, &f), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  ::munmap(block, bytes + page);
}

void expect_limit(const Error &e, std::string_view text) {
  EXPECT_EQ(e.code(), ErrorCode::LimitExceeded) << e;
  EXPECT_NE(e.message().find(text), std::string::npos) << e;
}

TEST(HostileGuest, DeadlinesHoldWithTheCpuSaturated) {
  auto c = ContainerBuilder(fixture_image("spin.wasm")).limits({.timeout = 1s}).build();
  ASSERT_OK(c);
  std::atomic<bool> stop{false};
  std::vector<std::thread> busy;
  for (unsigned i = 0; i < 2 * std::max(2u, std::thread::hardware_concurrency()); ++i) {
    busy.emplace_back([&] {
      volatile uint64_t n = 0;
      while (!stop) n = n + 1;
    });
  }
  std::vector<std::chrono::milliseconds> times;
  for (int round = 0; round < 3; ++round) {
    Result<Value> r = Value::unit();
    times.push_back(time_of([&] { r = c->call("spin"); }));
    ASSERT_FALSE(r);
    expect_limit(r.error(), "deadline of 1000 ms exceeded");
    ASSERT_OK(c->restart());
  }
  stop = true;
  for (auto &t : busy) t.join();
  for (auto t : times) {
    EXPECT_GE(t, 990ms);
    EXPECT_LT(t, 1600ms) << "a 1 s deadline took " << t.count() << " ms with the CPU saturated";
  }
}

TEST(HostileGuest, DeadlinesEndWaitsInWasiAndNestedCallsKeepTheirOwn) {
  auto sleeper = ContainerBuilder(fixture_image("hostile.wasm"))
                     .args({"sleep", "30"})
                     .stdout_mode(StdioMode::Capture)
                     .limits({.timeout = 500ms})
                     .build();
  ASSERT_OK(sleeper);
  Result<int> code = 0;
  auto took = time_of([&] { code = sleeper->run(); });
  ASSERT_FALSE(code);
  expect_limit(code.error(), "deadline of 500 ms exceeded");
  EXPECT_LT(took, 3s);

  // A host function with a deadline of its own calls a sleeper with a shorter one:
  // the inner deadline ends the inner call, the outer call goes on to its end.
  auto inner = ContainerBuilder(fixture_image("hostile.wasm"))
                   .args({"sleep", "30"})
                   .stdout_mode(StdioMode::Capture)
                   .limits({.timeout = 300ms})
                   .build();
  ASSERT_OK(inner);
  std::optional<Error> inner_error;
  auto outer_builder = testing::showcase_builder();
  outer_builder.limits({.timeout = 10s});
  outer_builder.define_function(host_item("transform"), [&](HostContext &, std::span<const Value>) -> Result<Value> {
    auto r = inner->run();
    if (!r) inner_error = r.error();
    return point(1, 2);
  });
  auto outer = outer_builder.build();
  ASSERT_OK(outer);
  Result<Value> result = Value::unit();
  took = time_of([&] { result = outer->call(api("roundtrip"), {point(0, 0)}); });
  ASSERT_OK(result);
  ASSERT_TRUE(inner_error);
  expect_limit(*inner_error, "deadline of 300 ms exceeded");
  EXPECT_LT(took, 5s);
}

TEST(HostileGuest, WaitsInWasiSuspendAGuestOnAFiberAndEndAtTheDeadline) {
  // A suspendable container's waits in wasi:io suspend its fiber rather than
  // block: they still sleep, read stdin and end at the deadline.
  auto sleeper = ContainerBuilder(fixture_image("hostile.wasm"))
                     .args({"sleep", "1"})
                     .stdout_mode(StdioMode::Capture)
                     .suspendable()
                     .build();
  ASSERT_OK(sleeper);
  Result<int> code = 0;
  auto took = time_of([&] { code = sleeper->run(); });
  ASSERT_OK(code);
  EXPECT_EQ(sleeper->stdout_text(), "slept\n");
  EXPECT_GE(took, 900ms);

  auto bounded = ContainerBuilder(fixture_image("hostile.wasm"))
                     .args({"sleep", "30"})
                     .suspendable()
                     .limits({.timeout = 500ms})
                     .build();
  ASSERT_OK(bounded);
  took = time_of([&] { code = bounded->run(); });
  ASSERT_FALSE(code);
  expect_limit(code.error(), "deadline of 500 ms exceeded");
  EXPECT_LT(took, 3s);

  auto reader = ContainerBuilder(fixture_image("hostile.wasm"))
                    .args({"read-stdin"})
                    .stdin_bytes(std::string(100'000, 'x'))
                    .stdout_mode(StdioMode::Capture)
                    .suspendable()
                    .build();
  ASSERT_OK(reader);
  auto read = reader->call_async("run").get();  // wasi:cli/run, on the executor
  ASSERT_OK(read);
  EXPECT_NE(reader->stdout_text().find("100000"), std::string::npos) << reader->stdout_text();
}

TEST(HostileGuest, StartFunctionsRunUnderTheLimits) {
  auto image = Image::from_wat(R"((component
    (core module $m (func $forever (loop $l (br $l))) (start $forever))
    (core instance $i (instantiate $m))))",
                               testing::test_engine());
  ASSERT_OK(image);
  auto timed = ContainerBuilder(*image).limits({.timeout = 300ms}).build();
  ASSERT_FALSE(timed);
  expect_limit(timed.error(), "deadline of 300 ms exceeded");
  auto fueled = ContainerBuilder(*image).limits({.fuel = 10'000}).build();
  ASSERT_FALSE(fueled);
  expect_limit(fueled.error(), "fuel limit of 10000 units exhausted");
}

TEST(HostileGuest, TablesAreLimitedByDefaultAndOnRequest) {
  auto c = ContainerBuilder(fixture_image("table_grow.wasm")).build();
  ASSERT_OK(c);
  auto huge = c->call("grow", {Value::u32(4'000'000'000u)});
  ASSERT_FALSE(huge);
  expect_limit(huge.error(), "table limit of 1000000 elements exceeded");
  ASSERT_OK(c->restart());
  EXPECT_EQ(*c->call("grow", {Value::u32(999'999)}), Value::s32(1));
  EXPECT_FALSE(c->call("grow", {Value::u32(1)}));  // all tables together

  auto unlimited = ContainerBuilder(fixture_image("table_grow.wasm")).limits({.table_elements = std::nullopt}).build();
  ASSERT_OK(unlimited);
  EXPECT_EQ(*unlimited->call("grow", {Value::u32(2'000'000)}), Value::s32(1));
}

TEST(HostileGuest, StackExhaustionTrapsAndTheContainerRestarts) {
  auto c = ContainerBuilder(fixture_image("hostile.wasm")).args({"recurse"}).stdout_mode(StdioMode::Capture).build();
  ASSERT_OK(c);
  auto r = c->run();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::Trap) << r.error();
  EXPECT_NE(r.error().message().find("call stack exhausted"), std::string::npos) << r.error();
  EXPECT_EQ(c->state(), ContainerState::Failed);
  ASSERT_OK(c->restart());
}

TEST(HostileGuest, RecursionThroughItsOwnContainerEndsInAnError) {
  // Wasmtime 48 lets a host function call back into the container that
  // called it; a host that does so without end meets a limit, not a crash.
  Container *self = nullptr;
  int depth = 0;
  std::optional<Error> deepest;
  auto b = testing::showcase_builder();
  b.define_function(host_item("transform"), [&](HostContext &, std::span<const Value>) -> Result<Value> {
    ++depth;
    auto r = self->call(api("roundtrip"), {point(depth, depth)});
    if (!r) {
      if (!deepest) deepest = r.error();
      return std::move(r).error();
    }
    return point(0, 0);
  });
  auto c = b.build();
  ASSERT_OK(c);
  self = &*c;
  auto r = c->call(api("roundtrip"), {point(1, 1)});
  ASSERT_FALSE(r);
  ASSERT_TRUE(deepest);
  EXPECT_TRUE(deepest->code() == ErrorCode::LimitExceeded || deepest->code() == ErrorCode::Trap) << *deepest;
  EXPECT_GT(depth, 2);
  ASSERT_OK(c->restart());
  EXPECT_EQ(*c->call(api("greet"), {Value::string("after")}), Value::string("Hello, after!"));
}

TEST(HostileGuest, RecursionThroughHostFunctionsEndsBeforeTheNativeStack) {
  // Each container's host function calls the next container, each of which
  // may use its whole wasm stack: the chain must end in an error, never in
  // an overflow of the thread's own stack.
  constexpr int kChain = 400;
  std::vector<std::optional<Container>> chain(kChain);
  std::optional<Error> deepest;
  int depth = 0;
  for (int i = kChain - 1; i >= 0; --i) {
    auto b = testing::showcase_builder();
    b.define_function(host_item("transform"), [&, i](HostContext &, std::span<const Value>) -> Result<Value> {
      depth = std::max(depth, i + 1);
      if (i + 1 < kChain) {
        auto r = chain[i + 1]->call(api("roundtrip"), {point(i, i)});
        if (!r) {
          if (!deepest) deepest = r.error();
          return std::move(r).error();
        }
      }
      return point(i, i);
    });
    auto c = b.build();
    ASSERT_OK(c);
    chain[i].emplace(std::move(*c));
  }
  // On a thread with a small stack (2 MiB) the chain would overflow it.
  on_small_stack(2 << 20, [&] { (void)chain[0]->call(api("roundtrip"), {point(0, 0)}); });
  ASSERT_LT(depth, kChain);
  ASSERT_TRUE(deepest);
  EXPECT_EQ(deepest->code(), ErrorCode::LimitExceeded) << *deepest;
  EXPECT_NE(deepest->message().find("native stack"), std::string::npos) << *deepest;
  EXPECT_GE(depth, 2);
  // Every container of the chain is still usable.
  for (auto &c : chain) {
    if (c->state() == ContainerState::Failed) ASSERT_OK(c->restart());
  }
  EXPECT_OK(chain[kChain - 1]->call(api("greet"), {Value::string("x")}));
}

TEST(HostileGuest, HugeArgumentsMeetTheMemoryLimit) {
  auto b = testing::showcase_builder();
  b.limits({.memory_bytes = 8 << 20});
  auto c = b.build();
  ASSERT_OK(c);
  std::string huge(64 << 20, 'x');
  auto r = c->call(api("greet"), {Value::string(huge)});
  ASSERT_FALSE(r);
  expect_limit(r.error(), "memory limit of 8388608 bytes exceeded");
  std::vector<Value> many(2'000'000, Value::string("y"));
  ASSERT_OK(c->restart());
  auto list = c->call(api("reverse"), {Value::list(std::move(many))});
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().code(), ErrorCode::LimitExceeded) << list.error();
  ASSERT_OK(c->restart());
  EXPECT_EQ(*c->call(api("greet"), {Value::string("small")}), Value::string("Hello, small!"));
}

TEST(HostileGuest, ResourcesNeverDroppedAreFreedWithTheContainer) {
  auto c = testing::showcase_builder().build();
  ASSERT_OK(c);
  std::vector<Value> handles;
  for (int i = 0; i < 20'000; ++i) {
    auto h = c->call(api("[constructor]counter"), {Value::s32(i)});
    ASSERT_OK(h);
    handles.push_back(*h);
  }
  EXPECT_EQ(*c->call(api("[method]counter.value"), {handles.back()}), Value::s32(19'999));
  c->stop();
  // Handles of a stopped container are inert: dropping them is an error, not a crash.
  EXPECT_FALSE(c->drop_resource(handles.front()));
  handles.clear();
  ASSERT_OK(c->restart());
}

}  // namespace
}  // namespace tairitsu
