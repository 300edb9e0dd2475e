// Async host functions: answers given later, from another thread, through a
// Completion (tests/fixtures/waiter).

#include <chrono>
#include <condition_variable>
#include <ctime>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include <cstdio>
#include <future>

#include "support.hpp"

namespace tairitsu {
namespace {

using testing::fixture_image;
using namespace std::chrono_literals;

// Runs each job on a thread of its own after a delay.
class Later {
 public:
  ~Later() {
    for (auto &t : threads_) t.join();
  }
  template <typename F>
  void run(std::chrono::milliseconds delay, F f) {
    threads_.emplace_back([delay, f = std::move(f)]() mutable {
      std::this_thread::sleep_for(delay);
      f();
    });
  }

 private:
  std::vector<std::thread> threads_;
};

// `lookup(key)` answers key * 2 after `delay`, from another thread.
ContainerBuilder waiter(Later &later, std::chrono::milliseconds delay) {
  return ContainerBuilder(fixture_image("waiter.wasm"))
      .define_async_function("lookup",
                             [&later, delay](HostContext &, std::span<const Value> args, Completion done) {
                               uint32_t key = args[0].as_u32();
                               later.run(delay, [key, done = std::move(done)]() mutable {
                                 EXPECT_TRUE(done.complete(Value::u32(key * 2)).ok());
                               });
                             })
      .define_async_function("describe", [](HostContext &, std::span<const Value> args, Completion done) {
        EXPECT_TRUE(done.complete(Value::string("key " + std::to_string(args[0].as_u32()))).ok());  // at once
      });
}

TEST(AsyncHostFunctions, TheGuestWaitsForAnAnswerFromAnotherThreadWithoutSpinning) {
  Later later;
  auto container = waiter(later, 20ms).build();
  ASSERT_OK(container);
  ASSERT_OK(container->call("sum-lookups", {Value::u32(1), Value::u32(0)}));  // first-use work, not counted
  double cpu_before = testing::thread_cpu_seconds();
  auto started = std::chrono::steady_clock::now();
  auto sum = container->call("sum-lookups", {Value::u32(1), Value::u32(3)});
  auto took = std::chrono::steady_clock::now() - started;
  double cpu_seconds = testing::thread_cpu_seconds() - cpu_before;
  ASSERT_OK(sum);
  EXPECT_EQ(sum->as_u64(), 2u + 4u + 6u);
  EXPECT_GE(took, 60ms);
  double wall_seconds = std::chrono::duration<double>(took).count();
  EXPECT_LT(cpu_seconds, 0.5 * wall_seconds) << "a busy wait would use the whole " << wall_seconds << " s";
}

TEST(AsyncHostFunctions, AnAnswerGivenAtOnceAndOtherExportsWorkAsBefore) {
  Later later;
  auto container = waiter(later, 0ms).build();
  ASSERT_OK(container);
  auto shouted = container->call("shout-description", {Value::u32(7)});
  ASSERT_OK(shouted);
  EXPECT_EQ(shouted->as_string(), "key 7!");
  auto typed = container->func<uint32_t(uint32_t)>("increment");
  ASSERT_OK(typed);
  auto one = (*typed)(41);
  ASSERT_OK(one);
  EXPECT_EQ(*one, 42u);
  auto text = container->call_text("sum-lookups", "(10, 2)");
  ASSERT_OK(text);
  EXPECT_EQ(*text, "42");
}

TEST(AsyncHostFunctions, ASecondAnswerIsRefusedAndTheFirstCounts) {
  std::optional<Result<void>> second;
  auto container = ContainerBuilder(fixture_image("waiter.wasm"))
                       .define_async_function("lookup",
                                              [&](HostContext &, std::span<const Value>, Completion done) {
                                                EXPECT_TRUE(done.pending());
                                                EXPECT_TRUE(done.complete(Value::u32(5)).ok());
                                                EXPECT_FALSE(done.pending());
                                                second = done.complete(Value::u32(6));
                                              })
                       .trap_unknown_imports()
                       .build();
  ASSERT_OK(container);
  auto sum = container->call("sum-lookups", {Value::u32(0), Value::u32(1)});
  ASSERT_OK(sum);
  EXPECT_EQ(sum->as_u64(), 5u);
  ASSERT_TRUE(second.has_value());
  ASSERT_FALSE(second->ok());
  EXPECT_EQ(second->error().code(), ErrorCode::InvalidState);
  EXPECT_NE(second->error().message().find("finished before"), std::string::npos) << second->error();
}

TEST(AsyncHostFunctions, ADeadlineCountsTheWaitAndALateAnswerIsDroppedSafely) {
  std::optional<Completion> kept;
  auto container = ContainerBuilder(fixture_image("waiter.wasm"))
                       .define_async_function("lookup",
                                              [&](HostContext &, std::span<const Value>, Completion done) {
                                                kept.emplace(std::move(done));  // never answered in time
                                              })
                       .trap_unknown_imports()
                       .limits({.timeout = 50ms})
                       .build();
  ASSERT_OK(container);
  auto started = std::chrono::steady_clock::now();
  auto sum = container->call("sum-lookups", {Value::u32(0), Value::u32(1)});
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(sum.ok());
  EXPECT_EQ(sum.error().code(), ErrorCode::LimitExceeded) << sum.error();
  EXPECT_GE(took, 50ms);
  EXPECT_LT(took, 1s);
  ASSERT_TRUE(kept.has_value());
  EXPECT_FALSE(kept->pending());
  auto late = kept->complete(Value::u32(1));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code(), ErrorCode::InvalidState);
  EXPECT_NE(late.error().message().find("is gone"), std::string::npos) << late.error();
  // The container failed on the limit; a restart serves again.
  EXPECT_EQ(container->state(), ContainerState::Failed);
  ASSERT_OK(container->restart());
  kept.reset();
}

TEST(AsyncHostFunctions, ATypedAsyncHostFunctionAnswersWithItsCppTypes) {
  Later later;
  auto container =
      ContainerBuilder(fixture_image("waiter.wasm"))
          .define_async<uint32_t(uint32_t)>(
              "lookup",
              [&later](uint32_t key, TypedCompletion<uint32_t> done) {
                later.run(5ms, [key, done = std::move(done)]() mutable { EXPECT_TRUE(done.complete(key * 3).ok()); });
              })
          .define_async<std::string(uint32_t)>("describe",
                                               [](uint32_t key, TypedCompletion<std::string> done) {
                                                 EXPECT_TRUE(done.complete("typed " + std::to_string(key)).ok());
                                               })
          .build();
  ASSERT_OK(container);
  auto sum = container->call("sum-lookups", {Value::u32(1), Value::u32(2)});
  ASSERT_OK(sum);
  EXPECT_EQ(sum->as_u64(), 3u + 6u);
  auto shouted = container->call("shout-description", {Value::u32(4)});
  ASSERT_OK(shouted);
  EXPECT_EQ(shouted->as_string(), "typed 4!");

  // A signature that does not fit the import fails the call, naming both types.
  auto wrong =
      ContainerBuilder(fixture_image("waiter.wasm"))
          .define_async<std::string(uint32_t)>(
              "lookup", [](uint32_t, TypedCompletion<std::string> done) { (void)done.complete(std::string("no")); })
          .trap_unknown_imports()
          .build();
  ASSERT_OK(wrong);
  sum = wrong->call("sum-lookups", {Value::u32(1), Value::u32(1)});
  ASSERT_FALSE(sum.ok());
  EXPECT_NE(sum.error().message().find("the host defines func(u32) -> string for an import of type"), std::string::npos)
      << sum.error();
}

TEST(AsyncHostFunctions, ErrorsDroppedCompletionsAndWrongTypesTrapTheGuestWithTheReason) {
  auto with = [](AsyncHostFunction lookup) {
    return ContainerBuilder(fixture_image("waiter.wasm"))
        .define_async_function("lookup", std::move(lookup))
        .trap_unknown_imports()
        .build();
  };
  auto failing = with([](HostContext &, std::span<const Value>, Completion done) {
    EXPECT_TRUE(done.complete(Error(ErrorCode::Io, "the database is away")).ok());
  });
  ASSERT_OK(failing);
  auto sum = failing->call("sum-lookups", {Value::u32(0), Value::u32(1)});
  ASSERT_FALSE(sum.ok());
  EXPECT_EQ(sum.error().code(), ErrorCode::Trap);
  EXPECT_NE(sum.error().message().find("host function 'lookup' failed: the database is away"), std::string::npos)
      << sum.error();

  auto dropping = with([](HostContext &, std::span<const Value>, Completion) {});
  ASSERT_OK(dropping);
  sum = dropping->call("sum-lookups", {Value::u32(0), Value::u32(1)});
  ASSERT_FALSE(sum.ok());
  EXPECT_NE(sum.error().message().find("dropped the completion"), std::string::npos) << sum.error();

  std::optional<Result<void>> answered;
  auto mistyped = with([&](HostContext &, std::span<const Value>, Completion done) {
    answered = done.complete(Value::string("not a number"));
  });
  ASSERT_OK(mistyped);
  sum = mistyped->call("sum-lookups", {Value::u32(0), Value::u32(1)});
  ASSERT_FALSE(sum.ok());
  EXPECT_NE(sum.error().message().find("wrong result type"), std::string::npos) << sum.error();
  ASSERT_TRUE(answered.has_value());
  EXPECT_EQ(answered->error().code(), ErrorCode::TypeMismatch);

  auto throwing = with([](HostContext &, std::span<const Value>, Completion) { throw std::runtime_error("boom"); });
  ASSERT_OK(throwing);
  sum = throwing->call("sum-lookups", {Value::u32(0), Value::u32(1)});
  ASSERT_FALSE(sum.ok());
  EXPECT_NE(sum.error().message().find("exception: boom"), std::string::npos) << sum.error();
}

// One thread that runs jobs at their time.
class Timer {
 public:
  Timer() : thread_([this] { loop(); }) {}
  ~Timer() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  void at(std::chrono::steady_clock::time_point when, std::function<void()> job) {
    {
      std::lock_guard lock(mutex_);
      jobs_.emplace(when, std::move(job));
    }
    changed_.notify_all();
  }

 private:
  void loop() {
    std::unique_lock lock(mutex_);
    while (!stop_ || !jobs_.empty()) {
      if (jobs_.empty()) {
        changed_.wait(lock);
        continue;
      }
      auto first = jobs_.begin();
      if (first->first > std::chrono::steady_clock::now()) {
        changed_.wait_until(lock, first->first);
        continue;
      }
      auto job = std::move(first->second);
      jobs_.erase(first);
      lock.unlock();
      job();
      lock.lock();
    }
  }
  std::mutex mutex_;
  std::condition_variable changed_;
  std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> jobs_;
  bool stop_ = false;
  std::thread thread_;
};

// The waiter guest whose `lookup(key)` the timer answers with `answer(key)` after `delay`.
ContainerBuilder timed_waiter(Timer &timer, std::chrono::milliseconds delay, uint32_t (*answer)(uint32_t)) {
  return ContainerBuilder(fixture_image("waiter.wasm"))
      .define_async_function("lookup",
                             [&timer, delay, answer](HostContext &, std::span<const Value> args, Completion done) {
                               uint32_t key = args[0].as_u32();
                               timer.at(std::chrono::steady_clock::now() + delay,
                                        [key, answer, done = std::make_shared<Completion>(std::move(done))] {
                                          EXPECT_TRUE(done->complete(Value::u32(answer(key))).ok());
                                        });
                             })
      .trap_unknown_imports();
}

TEST(AsyncCalls, AThousandWaitingCallsOnTwoThreadsEndTogether) {
#if defined(__SANITIZE_THREAD__)
  constexpr uint32_t kContainers = 100;  // ThreadSanitizer limits the address space each store reserves
#else
  constexpr uint32_t kContainers = 1000;
#endif
  Timer timer;
  auto builder = timed_waiter(timer, 20ms, [](uint32_t key) { return key * 2; });
  std::vector<Container> containers;
  containers.reserve(kContainers);
  for (uint32_t i = 0; i < kContainers; ++i) {
    auto c = builder.build();
    ASSERT_OK(c);
    containers.push_back(std::move(*c));
  }
  Executor executor = Executor::create(2);
  auto started = std::chrono::steady_clock::now();
  std::vector<std::future<Result<Value>>> calls;
  calls.reserve(kContainers);
  for (uint32_t i = 0; i < kContainers; ++i) {
    calls.push_back(containers[i].call_async("sum-lookups", {Value::u32(i), Value::u32(1)}, executor));
  }
  uint32_t right = 0;
  for (uint32_t i = 0; i < kContainers; ++i) {
    auto r = calls[i].get();
    ASSERT_OK(r);
    right += r->as_u64() == uint64_t{i} * 2;
  }
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(right, kContainers);
  // One after another they would take 20 s; all waiting at once, about 20 ms.
  EXPECT_LT(took, 1s) << std::chrono::duration<double>(took).count() << " s";
  std::printf("%u calls waiting 20 ms each on 2 threads: %.0f ms\n", kContainers,
              std::chrono::duration<double, std::milli>(took).count());
}

// The completion a host function keeps, handed over between threads.
class Kept {
 public:
  void keep(Completion done) {
    std::lock_guard lock(mutex_);
    completion_.emplace(std::move(done));
    changed_.notify_all();
  }
  // Waits (up to a second) until a completion is kept.
  bool wait() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 1s, [&] { return completion_.has_value(); });
  }
  Result<void> complete(Result<Value> result) {
    std::lock_guard lock(mutex_);
    if (!completion_) return Error(ErrorCode::NotFound, "no completion was kept");
    return completion_->complete(std::move(result));
  }
  bool pending() {
    std::lock_guard lock(mutex_);
    return completion_ && completion_->pending();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::optional<Completion> completion_;
};

// A container whose `lookup` keeps its completion in `kept`.
Result<Container> keeping(Kept &kept, Limits limits = {}) {
  return ContainerBuilder(fixture_image("waiter.wasm"))
      .define_async_function(
          "lookup", [&kept](HostContext &, std::span<const Value>, Completion done) { kept.keep(std::move(done)); })
      .trap_unknown_imports()
      .limits(limits)
      .build();
}

TEST(AsyncCalls, StoppingAWaitingContainerCancelsItsCallAndALateAnswerIsDropped) {
  Kept kept;
  auto container = keeping(kept);
  ASSERT_OK(container);
  auto call = container->call_async("sum-lookups", {Value::u32(0), Value::u32(1)});
  ASSERT_TRUE(kept.wait());
  EXPECT_EQ(call.wait_for(20ms), std::future_status::timeout);
  auto second = container->call_async("increment", {Value::u32(1)}).get();
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message().find("in flight"), std::string::npos) << second.error();
  // A plain call is refused too, rather than using the store beside the call in flight.
  auto plain = container->call("increment", {Value::u32(1)});
  ASSERT_FALSE(plain.ok());
  EXPECT_EQ(plain.error().code(), ErrorCode::InvalidState);
  EXPECT_NE(plain.error().message().find("in flight"), std::string::npos) << plain.error();

  container->stop();
  auto r = call.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidState);
  EXPECT_NE(r.error().message().find("stopped while the call waited"), std::string::npos) << r.error();
  auto late = kept.complete(Value::u32(1));
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.error().message().find("is gone"), std::string::npos) << late.error();

  ASSERT_OK(container->restart());
  auto again = container->call_async("increment", {Value::u32(1)}).get();
  ASSERT_OK(again);
  EXPECT_EQ(again->as_u32(), 2u);
}

TEST(AsyncCalls, ADeadlinePassesWhileTheCallWaitsOnTheExecutor) {
  Kept kept;
  auto container = keeping(kept, {.timeout = 50ms});
  ASSERT_OK(container);
  auto started = std::chrono::steady_clock::now();
  auto r = container->call_async("sum-lookups", {Value::u32(0), Value::u32(1)}).get();
  auto took = std::chrono::steady_clock::now() - started;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::LimitExceeded) << r.error();
  EXPECT_GE(took, 50ms);
  EXPECT_LT(took, 1s);
  EXPECT_EQ(container->state(), ContainerState::Failed);
}

TEST(AsyncCalls, ATrapInOneContainerLeavesAnotherWaitingCallAlone) {
  Kept kept;
  auto waiting = keeping(kept);
  ASSERT_OK(waiting);
  auto trapping = ContainerBuilder(fixture_image("waiter.wasm"))
                      .define_async_function("lookup",
                                             [](HostContext &, std::span<const Value>, Completion done) {
                                               EXPECT_TRUE(done.complete(Error(ErrorCode::Trap, "no such key")).ok());
                                             })
                      .trap_unknown_imports()
                      .build();
  ASSERT_OK(trapping);
  auto first = waiting->call_async("sum-lookups", {Value::u32(0), Value::u32(1)});
  auto failed = trapping->call_async("sum-lookups", {Value::u32(0), Value::u32(1)}).get();
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message().find("no such key"), std::string::npos) << failed.error();
  ASSERT_TRUE(kept.wait());
  ASSERT_OK(kept.complete(Value::u32(21)));
  auto r = first.get();
  ASSERT_OK(r);
  EXPECT_EQ(r->as_u64(), 21u);
}

TEST(AsyncCalls, DestroyingAContainerWithACallInFlightCancelsIt) {
  Kept kept;
  std::future<Result<Value>> call;
  {
    auto container = keeping(kept);
    ASSERT_OK(container);
    call = container->call_async("sum-lookups", {Value::u32(0), Value::u32(1)});
    ASSERT_TRUE(kept.wait());
  }
  auto r = call.get();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidState);
  EXPECT_FALSE(kept.pending());
  EXPECT_FALSE(kept.complete(Value::u32(1)).ok());
}

TEST(AsyncCalls, TypedAndTextCallsStartAsValueCallsDo) {
  Timer timer;
  auto container = timed_waiter(timer, 5ms, [](uint32_t key) { return key + 100; }).build();
  ASSERT_OK(container);
  auto sum = container->func<uint64_t(uint32_t, uint32_t)>("sum-lookups");
  ASSERT_OK(sum);
  auto typed = sum->call_async(1, 2);
  auto r = typed.get();
  ASSERT_OK(r);
  EXPECT_EQ(*r, 101u + 102u);
  auto text = container->call_text_async("sum-lookups", "(5, 1)").get();
  ASSERT_OK(text);
  EXPECT_EQ(*text, "105");
  auto bad = container->call_text_async("sum-lookups", "(5)").get();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidInput) << bad.error();
  EXPECT_NE(bad.error().message().find("missing argument 'count'"), std::string::npos) << bad.error();
}

}  // namespace
}  // namespace tairitsu
