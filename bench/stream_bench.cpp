// Byte streams through a guest (tests/fixtures/streams/echo.c): 64 MiB from a
// host thread into an input-stream, through the guest's `transform`, out of
// an output-stream into another host thread, every byte checked. The Rust
// baseline moves the same bytes through wasmtime-wasi's memory pipes
// (native/examples/wasmtime_baseline.rs); scripts/bench_compare.sh prints
// the ratio.

#include <benchmark/benchmark.h>

#include <thread>

#include "support.hpp"

namespace tairitsu::bench {
namespace {

constexpr std::size_t kBytes = std::size_t{64} << 20;
constexpr uint8_t kKey = 0x5a;

uint8_t pattern(std::size_t i) { return static_cast<uint8_t>(i * 131 + (i >> 8) + (i >> 19)); }

void stream_echo(benchmark::State &state) {
  Image image = or_exit(Image::from_file(fixture("stream_echo.wasm")));
  std::vector<std::byte> data(kBytes);
  for (std::size_t i = 0; i < kBytes; ++i) data[i] = std::byte{pattern(i)};
  for (auto _ : state) {
    state.PauseTiming();
    Container container = or_exit(ContainerBuilder(image).trap_unknown_imports().build());
    using Transform = Outcome<uint64_t, std::string>(Own<InputStream>, Own<OutputStream>, uint8_t);
    auto transform = or_exit(container.func<Transform>("transform"));
    auto in = or_exit(container.input_stream());
    auto out = or_exit(container.output_stream());
    std::vector<std::byte> got(kBytes);
    state.ResumeTiming();
    std::thread feeder([&] {
      (void)in.writer.write(data);
      in.writer.close();
    });
    std::thread drainer([&] {
      std::size_t at = 0;
      while (at < kBytes) {
        auto n = out.reader.read(std::span(got).subspan(at));
        if (!n || *n == 0) break;
        at += *n;
      }
    });
    auto copied = or_exit(transform(std::move(in.stream), std::move(out.stream), kKey));
    feeder.join();
    drainer.join();
    state.PauseTiming();
    if (!copied.is_ok() || copied.value() != kBytes) {
      std::cerr << "the stream guest did not move every byte\n";
      std::exit(1);
    }
    for (std::size_t i = 0; i < kBytes; ++i) {
      if (static_cast<uint8_t>(got[i]) != (pattern(i) ^ kKey)) {
        std::cerr << "byte " << i << " came out wrong\n";
        std::exit(1);
      }
    }
    state.ResumeTiming();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * kBytes));
}
BENCHMARK(stream_echo)
    ->Name("compare/stream-echo-64m/tairitsu")
    ->Iterations(3)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tairitsu::bench
