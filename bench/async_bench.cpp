// Async host functions and calls in flight, against plain host functions in
// the same process (tests/fixtures/waiter): scripts/bench_compare.sh prints
// the ratios.
//
//   compare/async-host-call/tairitsu-plain   100 guest -> host -> guest calls, a plain host function
//   compare/async-host-call/tairitsu-async   the same, an async host function that answers at once
//   compare/suspended-10k/tairitsu           10,000 calls waiting at once on a 2-thread executor:
//                                            memory per waiting call, time until all have answered

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <fstream>
#include <future>
#include <memory>
#include <thread>
#include <vector>

#include "support.hpp"

namespace tairitsu::bench {
namespace {

constexpr uint32_t kLookups = 100;

ContainerBuilder waiter() {
  static Image image = or_exit(Image::from_file(fixture("waiter.wasm")));
  return ContainerBuilder(image).trap_unknown_imports();
}

void host_call(benchmark::State &state, ContainerBuilder builder) {
  Container container = or_exit(builder.build());
  auto sum = or_exit(container.func<uint64_t(uint32_t, uint32_t)>("sum-lookups"));
  for (auto _ : state) benchmark::DoNotOptimize(sum(1, kLookups));
  state.SetItemsProcessed(state.iterations() * kLookups);
}

void plain_host_call(benchmark::State &state) {
  host_call(state, waiter().define_function("lookup", [](HostContext &, std::span<const Value> args) -> Result<Value> {
    return Value::u32(args[0].as_u32() * 2);
  }));
}
BENCHMARK(plain_host_call)->Name("compare/async-host-call/tairitsu-plain");

void async_host_call(benchmark::State &state) {
  host_call(state,
            waiter().define_async_function("lookup", [](HostContext &, std::span<const Value> args, Completion done) {
              (void)done.complete(Value::u32(args[0].as_u32() * 2));
            }));
}
BENCHMARK(async_host_call)->Name("compare/async-host-call/tairitsu-async");

long resident_pages() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident;
}

// Once: memory freed by an earlier run would be reused and hide the cost.
void suspended(benchmark::State &state) {
  constexpr int kCalls = 10'000;
  for (auto _ : state) {
    std::mutex mutex;
    std::vector<Completion> waiting;
    waiting.reserve(kCalls);
    ContainerBuilder builder =
        waiter().define_async_function("lookup", [&](HostContext &, std::span<const Value>, Completion done) {
          std::lock_guard lock(mutex);
          waiting.push_back(std::move(done));
        });
    std::vector<Container> containers;
    containers.reserve(kCalls);
    for (int i = 0; i < kCalls; ++i) containers.push_back(or_exit(builder.build()));
    Executor executor = Executor::create(2);
    std::vector<std::future<Result<Value>>> calls;
    calls.reserve(kCalls);
    long before = resident_pages();
    for (auto &c : containers) calls.push_back(c.call_async("sum-lookups", {Value::u32(1), Value::u32(1)}, executor));
    for (;;) {  // until every call waits
      {
        std::lock_guard lock(mutex);
        if (waiting.size() == kCalls) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    long after = resident_pages();
    auto start = std::chrono::steady_clock::now();
    for (auto &w : waiting) (void)w.complete(Value::u32(7));
    for (auto &f : calls) or_exit(f.get());
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    state.counters["bytes_per_suspended_call"] = double(after - before) * sysconf(_SC_PAGESIZE) / kCalls;
    state.counters["ms_to_answer_all"] = ms;
  }
}
BENCHMARK(suspended)
    ->Name("compare/suspended-10k/tairitsu")
    ->Iterations(1)
    ->Repetitions(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tairitsu::bench
