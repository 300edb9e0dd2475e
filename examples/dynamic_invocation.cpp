// Approach 3: dynamic invocation of a real component, with no bindings at
// all. The host discovers what the guest exports and imports at run time,
// answers imports with functions registered by name (with Values or with
// text), and calls exports with Values or with text in WAVE, RON or JSON.
//
//   dynamic_invocation path/to/showcase.wasm

#include <iostream>

#include "tairitsu/tairitsu.hpp"

using namespace tairitsu;

namespace {

int fail(const Error &error) {
  std::cerr << "dynamic_invocation: " << error << "\n";
  return 1;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: dynamic_invocation SHOWCASE.wasm\n";
    return 2;
  }
  auto image = Image::from_file(argv[1]);
  if (!image) return fail(image.error());

  // Discovery: every import and export with its WIT signature.
  for (const WorldItem &item : image->imports()) {
    if (item.kind == WorldItem::Kind::Function && !item.name.starts_with("wasi:")) {
      std::cout << "import " << item.name << ": " << item.function->to_string() << "\n";
    }
  }
  for (const WorldItem &item : image->exports()) {
    if (item.kind == WorldItem::Kind::Function) std::cout << "export " << item.name << "\n";
  }

  // Host imports registered by name: one with Values, one answering in text (WAVE).
  constexpr const char *kHost = "tairitsu:showcase/host@0.1.0";
  ContainerBuilder builder(*image);
  builder.define_function("host-version", [](HostContext &, std::span<const Value>) -> Result<Value> {
    return Value::string("dynamic-host 1.0");
  });
  builder.define_function(std::string(kHost) + "#log", [](HostContext &, std::span<const Value> args) -> Result<Value> {
    std::cout << "[guest log] " << args[0].as_string() << "\n";
    return Value::unit();
  });
  builder.define_text_function(std::string(kHost) + "#transform",
                               [](HostContext &, std::string_view args) -> Result<std::string> {
                                 std::cout << "[host transform] received " << args << "\n";
                                 return std::string("{x: 100, y: 200}");
                               });
  builder.trap_unknown_imports();  // lookup and the session resource are not needed here
  auto container = builder.build();
  if (!container) return fail(container.error());

  // Calls with Values: the arguments are checked against the signature first.
  auto sum = container->call("add", {Value::s32(40), Value::s32(2)});
  if (!sum) return fail(sum.error());
  std::cout << "add(40, 2) = " << sum->to_string() << "\n";

  // Calls with text, in each format; the results come back in the same format.
  for (auto [format, call] :
       {std::pair{TextFormat::Wave, "banner()"}, std::pair{TextFormat::Wave, "roundtrip({x: 1, y: 2})"},
        std::pair{TextFormat::Ron, "area(Rectangle((x: 3, y: 4)))"}, std::pair{TextFormat::Json, R"(pair(7, "ab"))"}}) {
    auto result = container->invoke(call, format);
    if (!result) return fail(result.error());
    std::cout << to_string(format) << ": " << call << " = " << *result << "\n";
  }

  // A wrong argument is refused before the guest runs, naming the parameter and the type.
  auto wrong = container->invoke("add(1, \"two\")");
  std::cout << "refused: " << wrong.error().message() << "\n";
  return 0;
}
