// Tairitsu's side of the comparison with Wasmtime's own Rust API
// (native/examples/wasmtime_baseline.rs): the same guest
// (tests/fixtures/bench_guest), the same engine settings, the same figures.
// scripts/bench_compare.sh runs both and prints one table.
//
//   compare/add/native-cpp             a plain C++ call through a function pointer: the floor
//   compare/add/tairitsu-typed         Container::func<int32_t(int32_t, int32_t)>
//   compare/add/tairitsu-value         Container::call("add", Values)
//   compare/add/tairitsu-wave          Container::call_text("add", "(1, 2)")
//   compare/mix/tairitsu-value         Container::call("mix", Values): scalars without a typed fast shape
//   compare/echo-1k/tairitsu-typed     std::string(std::string_view) with 1,024 bytes
//   compare/echo-bytes-64k/tairitsu-typed   std::vector<uint8_t> of 65,536 bytes each way
//   compare/round-trip/tairitsu-typed  guest -> host (typed host function) -> guest
//   compare/instantiate/tairitsu       ContainerBuilder::build() of a prepared builder, pooling engine
//   compare/image/tairitsu-compile     Image::from_component (compiles)
//   compare/image/tairitsu-precompiled Image::from_precompiled
//   compare/density/tairitsu           resident bytes per idle container, 1,000 containers
//   compare/threads/tairitsu           typed add calls per second, 1 and 2 threads

#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include "support.hpp"
#include "tairitsu/tairitsu.hpp"

using namespace tairitsu;

namespace {

using bench::fixture;
using bench::or_exit;

std::vector<std::byte> guest_bytes() {
  std::ifstream in(fixture("bench_guest.wasm"), std::ios::binary);
  std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (raw.empty()) {
    std::cerr << "bench_guest.wasm not found\n";
    std::exit(1);
  }
  std::vector<std::byte> out(raw.size());
  std::memcpy(out.data(), raw.data(), raw.size());
  return out;
}

Engine pooling_engine() {
  static Engine engine = or_exit(Engine::create(EngineConfig{.pooling = true}));
  return engine;
}

const Image &guest_image(const Engine &engine) {
  static Image plain = or_exit(Image::from_component(guest_bytes()));
  static Image pooled = or_exit(Image::from_component(guest_bytes(), pooling_engine()));
  return engine.state() == pooling_engine().state() ? pooled : plain;
}

ContainerBuilder guest_builder(const Engine &engine = Engine::shared()) {
  ContainerBuilder b(guest_image(engine));
  b.wasi(false).define<int32_t(int32_t)>("tairitsu:bench/host@0.1.0#bounce", [](int32_t x) { return x + 1; });
  return b;
}

Container &guest() {
  static Container container = or_exit(guest_builder().build());
  return container;
}

__attribute__((noinline)) int32_t native_add(int32_t a, int32_t b) { return a + b; }

void add_native(benchmark::State &state) {
  int32_t (*volatile f)(int32_t, int32_t) = native_add;
  for (auto _ : state) benchmark::DoNotOptimize(f(1, 2));
}
BENCHMARK(add_native)->Name("compare/add/native-cpp");

void add_typed(benchmark::State &state) {
  auto add = or_exit(guest().func<int32_t(int32_t, int32_t)>("add"));
  for (auto _ : state) benchmark::DoNotOptimize(add(1, 2));
}
BENCHMARK(add_typed)->Name("compare/add/tairitsu-typed");

void add_value(benchmark::State &state) {
  std::array<Value, 2> args{Value::s32(1), Value::s32(2)};
  for (auto _ : state) benchmark::DoNotOptimize(guest().call("add", args));
}
BENCHMARK(add_value)->Name("compare/add/tairitsu-value");

void mix_value(benchmark::State &state) {
  std::array<Value, 3> args{Value::u8(7), Value::boolean(true), Value::s64(35)};
  for (auto _ : state) benchmark::DoNotOptimize(guest().call("mix", args));
}
BENCHMARK(mix_value)->Name("compare/mix/tairitsu-value");

void add_wave(benchmark::State &state) {
  for (auto _ : state) benchmark::DoNotOptimize(guest().call_text("add", "(1, 2)"));
}
BENCHMARK(add_wave)->Name("compare/add/tairitsu-wave");

void echo_typed(benchmark::State &state) {
  auto echo = or_exit(guest().func<std::string(std::string_view)>("echo"));
  std::string text(1024, 'x');
  for (auto _ : state) benchmark::DoNotOptimize(echo(text));
}
BENCHMARK(echo_typed)->Name("compare/echo-1k/tairitsu-typed");

void echo_bytes_typed(benchmark::State &state) {
  auto echo = or_exit(guest().func<std::vector<uint8_t>(std::vector<uint8_t>)>("echo-bytes"));
  std::vector<uint8_t> bytes(65536, 7);
  for (auto _ : state) benchmark::DoNotOptimize(echo(bytes));
}
BENCHMARK(echo_bytes_typed)->Name("compare/echo-bytes-64k/tairitsu-typed");

void round_trip_typed(benchmark::State &state) {
  auto round_trip = or_exit(guest().func<int32_t(int32_t)>("round-trip"));
  for (auto _ : state) benchmark::DoNotOptimize(round_trip(20));
}
BENCHMARK(round_trip_typed)->Name("compare/round-trip/tairitsu-typed");

void instantiate(benchmark::State &state) {
  ContainerBuilder builder = guest_builder(pooling_engine());
  std::vector<Container> made;  // dropped in batches, outside the timed region
  made.reserve(200);
  for (auto _ : state) {
    made.push_back(or_exit(builder.build()));
    if (made.size() == 200) {
      state.PauseTiming();
      made.clear();
      state.ResumeTiming();
    }
  }
}
BENCHMARK(instantiate)->Name("compare/instantiate/tairitsu");

void image_compile(benchmark::State &state) {
  auto bytes = guest_bytes();
  for (auto _ : state) benchmark::DoNotOptimize(or_exit(Image::from_component(bytes)));
}
BENCHMARK(image_compile)->Name("compare/image/tairitsu-compile")->Unit(benchmark::kMillisecond);

void image_precompiled(benchmark::State &state) {
  auto artifact = or_exit(guest_image(Engine::shared()).precompile());
  for (auto _ : state) {
    Image image = or_exit(Image::from_precompiled(artifact));
    state.PauseTiming();  // dropping is not timed, as in the Rust baseline
    { Image dropped = std::move(image); }
    state.ResumeTiming();
  }
}
BENCHMARK(image_precompiled)->Name("compare/image/tairitsu-precompiled")->Unit(benchmark::kMicrosecond);

long resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

// On the default engine: Wasmtime's default pooling limits (1,000 core
// instances) are below 1,000 containers of a guest with several core instances.
void density(benchmark::State &state) {
  ContainerBuilder builder = guest_builder();
  for (auto _ : state) {
    std::vector<Container> idle;
    idle.reserve(1000);
    (void)or_exit(builder.build());  // warm: first-use allocations are not per container
    long before = resident_bytes();
    for (int i = 0; i < 1000; ++i) idle.push_back(or_exit(builder.build()));
    long after = resident_bytes();
    state.counters["bytes_per_container"] = static_cast<double>(after - before) / 1000.0;
  }
}
// Once: memory freed by an earlier run would be reused and hide the cost.
BENCHMARK(density)->Name("compare/density/tairitsu")->Iterations(1)->Repetitions(1)->Unit(benchmark::kMillisecond);

void threads(benchmark::State &state) {
  Container container = or_exit(guest_builder().build());
  auto add = or_exit(container.func<int32_t(int32_t, int32_t)>("add"));
  for (auto _ : state) benchmark::DoNotOptimize(add(1, 2));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(threads)->Name("compare/threads/tairitsu")->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
