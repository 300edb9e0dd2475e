// Benchmarks of native command dispatch (no WebAssembly): the floor for the
// macro-assisted and trait-style approaches.
//
//   dispatch/command      WitCommandDispatcher::dispatch(Add{1, 2}) to a simple handler
//   dispatch/variant      the same command held in an interface's std::variant

#include <benchmark/benchmark.h>

#include "tairitsu/commands.hpp"

using namespace tairitsu;

namespace {

struct Add {
  TAIRITSU_WIT_COMMAND("add", int32_t);
  int32_t a;
  int32_t b;
};
struct Negate {
  TAIRITSU_WIT_COMMAND("negate", int32_t);
  int32_t v;
};
using Calculator = WitInterfaceOf<"calculator", Add, Negate>;

WitCommandDispatcher &calculator() {
  static WitCommandDispatcher dispatcher = [] {
    WitCommandDispatcher d;
    Calculator c;
    c.on<Add>([](const Add &x) { return x.a + x.b; }).on<Negate>([](const Negate &x) { return -x.v; });
    (void)c.register_handlers(d);
    return d;
  }();
  return dispatcher;
}

void dispatch_command(benchmark::State &state) {
  WitCommandDispatcher &d = calculator();
  for (auto _ : state) {
    auto r = d.dispatch(Add{1, 2});
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(dispatch_command)->Name("dispatch/command");

void dispatch_variant(benchmark::State &state) {
  WitCommandDispatcher &d = calculator();
  Calculator::Command command = Add{1, 2};
  for (auto _ : state) {
    auto r = d.dispatch(command);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(dispatch_variant)->Name("dispatch/variant");

}  // namespace
