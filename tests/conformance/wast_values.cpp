#include "conformance/wast_values.hpp"

#include <bit>
#include <charconv>
#include <cmath>

namespace tairitsu::conformance {

namespace {

using nlohmann::json;

template <typename T>
Result<T> number(const json &text) {
  const std::string &s = text.get_ref<const std::string &>();
  T out{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec != std::errc() || end != s.data() + s.size()) {
    return Error(ErrorCode::InvalidInput, "'" + s + "' is not a number of the expected width");
  }
  return out;
}

bool is_nan_pattern(const json &value) {
  return value.is_string() && value.get_ref<const std::string &>().rfind("nan:", 0) == 0;
}

Result<char32_t> single_char(const std::string &utf8) {
  // One code point, UTF-8 encoded.
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(utf8[i]); };
  std::size_t len = utf8.empty() ? 0 : byte(0) < 0x80 ? 1 : byte(0) < 0xE0 ? 2 : byte(0) < 0xF0 ? 3 : 4;
  if (len == 0 || utf8.size() != len) {
    return Error(ErrorCode::InvalidInput, "'" + utf8 + "' is not one character");
  }
  char32_t c = len == 1 ? byte(0) : byte(0) & (0xFF >> (len + 1));
  for (std::size_t i = 1; i < len; ++i) {
    c = (c << 6) | (byte(i) & 0x3F);
  }
  return c;
}

Result<std::vector<Value>> values_from_json(const json &items) {
  std::vector<Value> out;
  for (const json &item : items) {
    auto v = value_from_json(item);
    if (!v) {
      return std::move(v).error();
    }
    out.push_back(std::move(*v));
  }
  return out;
}

Result<std::optional<Value>> optional_from_json(const json &payload) {
  if (payload.is_null()) {
    return std::optional<Value>();
  }
  auto v = value_from_json(payload);
  if (!v) {
    return std::move(v).error();
  }
  return std::optional<Value>(std::move(*v));
}

}  // namespace

Result<Value> value_from_json(const json &j) {
  const std::string &type = j.at("type").get_ref<const std::string &>();
  const json &v = j.contains("value") ? j.at("value") : json();
  auto scalar = [&]<typename T>(Value (*make)(T)) -> Result<Value> {
    auto n = number<T>(v);
    if (!n) return std::move(n).error();
    return make(*n);
  };
  if (type == "bool") return Value::boolean(v.get<bool>());
  if (type == "u8") return scalar(&Value::u8);
  if (type == "s8") return scalar(&Value::s8);
  if (type == "u16") return scalar(&Value::u16);
  if (type == "s16") return scalar(&Value::s16);
  if (type == "u32") return scalar(&Value::u32);
  if (type == "s32") return scalar(&Value::s32);
  if (type == "u64") return scalar(&Value::u64);
  if (type == "s64") return scalar(&Value::s64);
  if (type == "f32" || type == "f64") {
    if (is_nan_pattern(v)) {
      return type == "f32" ? Value::f32(std::nanf("")) : Value::f64(std::nan(""));
    }
    if (type == "f32") {
      auto bits = number<uint32_t>(v);
      if (!bits) return std::move(bits).error();
      return Value::f32(std::bit_cast<float>(*bits));
    }
    auto bits = number<uint64_t>(v);
    if (!bits) return std::move(bits).error();
    return Value::f64(std::bit_cast<double>(*bits));
  }
  if (type == "char") {
    auto c = single_char(v.get<std::string>());
    if (!c) return std::move(c).error();
    return Value::character(*c);
  }
  if (type == "string") return Value::string(v.get<std::string>());
  if (type == "list" || type == "tuple") {
    auto items = values_from_json(v);
    if (!items) return std::move(items).error();
    return type == "list" ? Value::list(std::move(*items)) : Value::tuple(std::move(*items));
  }
  if (type == "record") {
    std::vector<Field> fields;
    for (const json &field : v) {
      auto value = value_from_json(field.at(1));
      if (!value) return std::move(value).error();
      fields.push_back({field.at(0).get<std::string>(), std::move(*value)});
    }
    return Value::record(std::move(fields));
  }
  if (type == "variant") {
    auto payload = optional_from_json(v.contains("payload") ? v.at("payload") : json());
    if (!payload) return std::move(payload).error();
    return Value::variant(v.at("case").get<std::string>(), std::move(*payload));
  }
  if (type == "enum") return Value::enumeration(v.get<std::string>());
  if (type == "flags") return Value::flags(v.get<std::vector<std::string>>());
  if (type == "option") {
    auto payload = optional_from_json(v);
    if (!payload) return std::move(payload).error();
    return *payload ? Value::some(std::move(**payload)) : Value::none();
  }
  if (type == "result") {
    bool ok = v.contains("Ok");
    auto payload = optional_from_json(ok ? v.at("Ok") : v.at("Err"));
    if (!payload) return std::move(payload).error();
    return ok ? Value::ok(std::move(*payload)) : Value::err(std::move(*payload));
  }
  return Error(ErrorCode::Unsupported, "script value of type '" + type + "'");
}

std::optional<std::string> mismatch(const json &expected, const Value &actual) {
  const std::string &type = expected.at("type").get_ref<const std::string &>();
  const json &v = expected.contains("value") ? expected.at("value") : json();
  auto differ = [&] { return "expected " + expected.dump() + ", got " + actual.to_string(); };
  if ((type == "f32" && actual.kind() == TypeKind::F32) || (type == "f64" && actual.kind() == TypeKind::F64)) {
    bool nan = type == "f32" ? std::isnan(actual.as_f32()) : std::isnan(actual.as_f64());
    if (is_nan_pattern(v)) {
      return nan ? std::nullopt : std::optional(differ());
    }
    auto want = value_from_json(expected);
    bool same =
        want && (type == "f32" ? std::bit_cast<uint32_t>(want->as_f32()) == std::bit_cast<uint32_t>(actual.as_f32())
                               : std::bit_cast<uint64_t>(want->as_f64()) == std::bit_cast<uint64_t>(actual.as_f64()));
    return same ? std::nullopt : std::optional(differ());
  }
  // Containers compare item by item, so that NaN patterns inside them work.
  auto items = [&](const json &list, std::span<const Value> got) -> std::optional<std::string> {
    if (list.size() != got.size()) return differ();
    for (std::size_t i = 0; i < got.size(); ++i) {
      if (auto m = mismatch(list[i], got[i])) return "item " + std::to_string(i) + ": " + *m;
    }
    return std::nullopt;
  };
  if (type == "list" && actual.kind() == TypeKind::List) return items(v, actual.items());
  if (type == "tuple" && actual.kind() == TypeKind::Tuple) return items(v, actual.items());
  if (type == "record" && actual.kind() == TypeKind::Record) {
    const auto &fields = actual.as_record().fields;
    if (v.size() != fields.size()) return differ();
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (v[i].at(0) != fields[i].name) return differ();
      if (auto m = mismatch(v[i].at(1), fields[i].value)) return "field " + fields[i].name + ": " + *m;
    }
    return std::nullopt;
  }
  auto payload = [&](const json &want, const Value *got) -> std::optional<std::string> {
    if (want.is_null() != (got == nullptr)) return differ();
    return got ? mismatch(want, *got) : std::nullopt;
  };
  if (type == "variant" && actual.kind() == TypeKind::Variant) {
    if (v.at("case") != actual.as_variant().name) return differ();
    return payload(v.contains("payload") ? v.at("payload") : json(), actual.payload());
  }
  if (type == "option" && actual.kind() == TypeKind::Option) return payload(v, actual.payload());
  if (type == "result" && actual.kind() == TypeKind::Result) {
    if (v.contains("Ok") != actual.as_result().is_ok) return differ();
    return payload(v.contains("Ok") ? v.at("Ok") : v.at("Err"), actual.payload());
  }
  auto want = value_from_json(expected);
  if (!want) return "cannot read the expected value: " + want.error().message();
  return *want == actual ? std::nullopt : std::optional(differ());
}

}  // namespace tairitsu::conformance
