// libFuzzer target for one text format (TAIRITSU_FUZZ_FORMAT). The first byte of
// an input picks the type to parse against; the rest is the text. Whatever
// parses must print, and the printed text must parse back to the same value
// and print identically (printing is canonical).

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "tairitsu/text.hpp"

using namespace tairitsu;

namespace {

const std::vector<Type> &types() {
  static const std::vector<Type> all = [] {
    Type point = Type::record({{"x", Type::s32()}, {"y", Type::s32()}, {"note", Type::option(Type::string())}});
    Type shape = Type::variant({{"circle", Type::f64()}, {"rect", point}, {"none", std::nullopt}});
    return std::vector<Type>{
        Type::boolean(),
        Type::u8(),
        Type::s64(),
        Type::u64(),
        Type::f32(),
        Type::f64(),
        Type::character(),
        Type::string(),
        Type::list(Type::u32()),
        point,
        Type::tuple({Type::s8(), Type::string(), Type::f32()}),
        shape,
        Type::enumeration({"red", "green", "true", "dark-blue"}),
        Type::option(Type::option(Type::u16())),
        Type::result(Type::string(), std::nullopt),
        Type::result(std::nullopt, Type::list(shape)),
        Type::flags({"read", "write", "ok"}),
        Type::list(Type::list(Type::option(Type::character()))),
        Type::map(Type::string(), Type::s16()),
    };
  }();
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) {
    return 0;
  }
  const Type &type = types()[data[0] % types().size()];
  std::string_view text(reinterpret_cast<const char *>(data + 1), size - 1);
  constexpr TextFormat format = TextFormat::TAIRITSU_FUZZ_FORMAT;
  if (format == TextFormat::Wave && type.kind() == TypeKind::Map) {
    return 0;  // WAVE has no maps
  }
  auto value = parse_value(text, type, format);
  if (!value) {
    return 0;
  }
  for (bool pretty : {false, true}) {
    auto printed = print_value(*value, type, format, {.pretty = pretty});
    if (!printed) {
      std::fprintf(stderr, "parsed but cannot print: %s\n", printed.error().to_string().c_str());
      std::abort();
    }
    auto again = parse_value(*printed, type, format);
    if (!again || !(*again == *value)) {
      std::fprintf(stderr, "round trip failed for %s\n", printed->c_str());
      std::abort();
    }
    auto reprinted = print_value(*again, type, format, {.pretty = pretty});
    if (!reprinted || *reprinted != *printed) {
      std::fprintf(stderr, "printing is not canonical: %s\n", printed->c_str());
      std::abort();
    }
  }
  return 0;
}
