// Benchmarks of the dynamic call paths and of the text formats.
//
//   call/add/value        Container::call("add", {s32, s32}) with Values
//   call/add/<format>     Container::call_text("add", "(1, 2)") in each format
//   text/parse|print/...  a list of 1,000 records { id: u32, name: string, score: f64, tags: list<string> }
//
// Run with scripts/bench.sh, which prints the figures and their ratios.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <iostream>

#include "tairitsu/tairitsu.hpp"

using namespace tairitsu;

namespace {

Container &adder() {
  static Container container = [] {
    const char *dir = std::getenv("TAIRITSU_FIXTURE_DIR");
    std::string path = std::string(dir ? dir : TAIRITSU_FIXTURE_DIR) + "/adder.wasm";
    auto image = Image::from_file(path);
    if (!image) {
      std::cerr << image.error() << "\n";
      std::exit(1);
    }
    auto built = ContainerBuilder(*image).build();
    if (!built) {
      std::cerr << built.error() << "\n";
      std::exit(1);
    }
    return std::move(*built);
  }();
  return container;
}

void call_add_value(benchmark::State &state) {
  Container &c = adder();
  std::array<Value, 2> args{Value::s32(1), Value::s32(2)};
  for (auto _ : state) {
    auto r = c.call("add", args);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(call_add_value)->Name("call/add/value");

void call_add_typed(benchmark::State &state) {
  auto add = adder().func<int32_t(int32_t, int32_t)>("add");
  for (auto _ : state) {
    auto r = (*add)(1, 2);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(call_add_typed)->Name("call/add/typed");

void call_add_text(benchmark::State &state, TextFormat format, const char *args) {
  Container &c = adder();
  for (auto _ : state) {
    auto r = c.call_text("add", args, format);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK_CAPTURE(call_add_text, wave, TextFormat::Wave, "(1, 2)")->Name("call/add/wave");
BENCHMARK_CAPTURE(call_add_text, ron, TextFormat::Ron, "(1, 2)")->Name("call/add/ron");
BENCHMARK_CAPTURE(call_add_text, json, TextFormat::Json, "[1, 2]")->Name("call/add/json");

Type record_type() {
  return Type::record(
      {{"id", Type::u32()}, {"name", Type::string()}, {"score", Type::f64()}, {"tags", Type::list(Type::string())}});
}

Type list_type() { return Type::list(record_type()); }

Value thousand_records() {
  std::vector<Value> items;
  for (uint32_t i = 0; i < 1000; ++i) {
    items.push_back(Value::record({{"id", Value::u32(i)},
                                   {"name", Value::string("item number " + std::to_string(i))},
                                   {"score", Value::f64(i * 0.25)},
                                   {"tags", Value::list({Value::string("a"), Value::string("bc")})}}));
  }
  return Value::list(std::move(items));
}

void text_print(benchmark::State &state, TextFormat format) {
  Type t = list_type();
  Value v = thousand_records();
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto text = print_value(v, t, format);
    bytes = text->size();
    benchmark::DoNotOptimize(text);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK_CAPTURE(text_print, wave, TextFormat::Wave)->Name("text/print/1000-records/wave");
BENCHMARK_CAPTURE(text_print, ron, TextFormat::Ron)->Name("text/print/1000-records/ron");
BENCHMARK_CAPTURE(text_print, json, TextFormat::Json)->Name("text/print/1000-records/json");

void text_parse(benchmark::State &state, TextFormat format) {
  Type t = list_type();
  std::string text = *print_value(thousand_records(), t, format);
  for (auto _ : state) {
    auto v = parse_value(text, t, format);
    benchmark::DoNotOptimize(v);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK_CAPTURE(text_parse, wave, TextFormat::Wave)->Name("text/parse/1000-records/wave");
BENCHMARK_CAPTURE(text_parse, ron, TextFormat::Ron)->Name("text/parse/1000-records/ron");
BENCHMARK_CAPTURE(text_parse, json, TextFormat::Json)->Name("text/parse/1000-records/json");

}  // namespace

BENCHMARK_MAIN();
