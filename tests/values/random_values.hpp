#pragma once

// Random component types and values for property tests, from a seeded generator.

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "tairitsu/type.hpp"
#include "tairitsu/value.hpp"

namespace tairitsu::testing {

class RandomValues {
 public:
  explicit RandomValues(uint64_t seed) : rng_(seed) {}

  Type type(int depth = 0) {
    int leaf_kinds = 13;
    int kinds = depth >= 3 ? leaf_kinds : leaf_kinds + 9;
    switch (pick(kinds)) {
      case 0: return Type::boolean();
      case 1: return Type::s8();
      case 2: return Type::u8();
      case 3: return Type::s16();
      case 4: return Type::u16();
      case 5: return Type::s32();
      case 6: return Type::u32();
      case 7: return Type::s64();
      case 8: return Type::u64();
      case 9: return Type::f32();
      case 10: return Type::f64();
      case 11: return Type::character();
      case 12: return Type::string();
      case 13: return Type::list(type(depth + 1));
      case 14: {
        std::vector<NamedType> fields;
        for (int i = 0, n = 1 + pick(3); i < n; ++i) fields.push_back({label(i), type(depth + 1)});
        return Type::record(std::move(fields));
      }
      case 15: {
        std::vector<Type> elements;
        for (int i = 0, n = 1 + pick(3); i < n; ++i) elements.push_back(type(depth + 1));
        return Type::tuple(std::move(elements));
      }
      case 16: {
        std::vector<NamedType> cases;
        for (int i = 0, n = 1 + pick(3); i < n; ++i) {
          cases.push_back({label(i), pick(2) ? std::optional<Type>(type(depth + 1)) : std::nullopt});
        }
        return Type::variant(std::move(cases));
      }
      case 17: return Type::enumeration(labels(1 + pick(4)));
      case 18: return Type::option(type(depth + 1));
      case 19:
        return Type::result(pick(3) ? std::optional<Type>(type(depth + 1)) : std::nullopt,
                            pick(3) ? std::optional<Type>(type(depth + 1)) : std::nullopt);
      case 20: return Type::flags(labels(pick(5)));
      default: return Type::map(Type::string(), type(depth + 1));
    }
  }

  Value value(const Type &t) {
    switch (t.kind()) {
      case TypeKind::Bool: return Value::boolean(pick(2));
      case TypeKind::S8: return Value::s8(static_cast<int8_t>(integer()));
      case TypeKind::U8: return Value::u8(static_cast<uint8_t>(integer()));
      case TypeKind::S16: return Value::s16(static_cast<int16_t>(integer()));
      case TypeKind::U16: return Value::u16(static_cast<uint16_t>(integer()));
      case TypeKind::S32: return Value::s32(static_cast<int32_t>(integer()));
      case TypeKind::U32: return Value::u32(static_cast<uint32_t>(integer()));
      case TypeKind::S64: return Value::s64(static_cast<int64_t>(integer()));
      case TypeKind::U64: return Value::u64(integer());
      case TypeKind::F32: return Value::f32(static_cast<float>(floating()));
      case TypeKind::F64: return Value::f64(floating());
      case TypeKind::Char: return Value::character(character());
      case TypeKind::String: {
        std::string s;
        for (int i = 0, n = pick(8); i < n; ++i) append(s, character());
        return Value::string(std::move(s));
      }
      case TypeKind::List: {
        std::vector<Value> items;
        for (int i = 0, n = pick(4); i < n; ++i) items.push_back(value(t.element()));
        return Value::list(std::move(items));
      }
      case TypeKind::Record: {
        std::vector<Field> fields;
        for (const NamedType &m : t.members()) fields.push_back({m.name, value(*m.type)});
        return Value::record(std::move(fields));
      }
      case TypeKind::Tuple: {
        std::vector<Value> items;
        for (const Type &e : t.elements()) items.push_back(value(e));
        return Value::tuple(std::move(items));
      }
      case TypeKind::Variant: {
        const NamedType &c = t.members()[static_cast<std::size_t>(pick(static_cast<int>(t.members().size())))];
        return c.type ? Value::variant(c.name, value(*c.type)) : Value::variant(c.name);
      }
      case TypeKind::Enum:
        return Value::enumeration(t.names()[static_cast<std::size_t>(pick(static_cast<int>(t.names().size())))]);
      case TypeKind::Option: return pick(3) ? Value::some(value(t.element())) : Value::none();
      case TypeKind::Result: {
        bool ok = pick(2);
        const auto &pt = ok ? t.ok_type() : t.err_type();
        std::optional<Value> p;
        if (pt) p = value(*pt);
        return ok ? Value::ok(std::move(p)) : Value::err(std::move(p));
      }
      case TypeKind::Flags: {
        std::vector<std::string> set;
        for (const auto &n : t.names())
          if (pick(2)) set.push_back(n);
        return Value::flags(std::move(set));
      }
      case TypeKind::Map: {
        std::vector<std::pair<Value, Value>> entries;
        for (int i = 0, n = pick(3); i < n; ++i) entries.emplace_back(value(t.element()), value(t.map_value()));
        return Value::map(std::move(entries));
      }
      default: return Value::boolean(false);
    }
  }

 private:
  int pick(int n) { return n <= 0 ? 0 : static_cast<int>(rng_() % static_cast<uint64_t>(n)); }

  uint64_t integer() {
    switch (pick(5)) {
      case 0: return 0;
      case 1: return ~uint64_t{0};
      case 2: return uint64_t{1} << pick(64);
      case 3: return static_cast<uint64_t>(pick(200));
      default: return rng_();
    }
  }

  double floating() {
    switch (pick(10)) {
      case 0: return 0.0;
      case 1: return -0.0;
      case 2: return std::numeric_limits<double>::infinity();
      case 3: return -std::numeric_limits<double>::infinity();
      case 4: return std::numeric_limits<double>::quiet_NaN();
      case 5: return std::numeric_limits<double>::denorm_min() * pick(1000);
      case 6: return static_cast<double>(pick(1000)) / 8.0;
      default: {
        double d;
        uint64_t bits = rng_();
        std::memcpy(&d, &bits, sizeof d);
        return std::isnan(d) ? 1.5 : d;
      }
    }
  }

  char32_t character() {
    static constexpr char32_t specials[] = {'"',  '\'',  '\\',  '\n',   '\t',   '\r',   0,   0x7f, U'é',
                                            U'ß', U'中', U'😀', 0xFFFD, 0x200B, 0x0301, '{', '}',  '%'};
    switch (pick(4)) {
      case 0: return specials[pick(sizeof specials / sizeof specials[0])];
      case 1: {
        char32_t c;
        do c = static_cast<char32_t>(rng_() % 0x110000);
        while (c >= 0xD800 && c <= 0xDFFF);
        return c;
      }
      default: return static_cast<char32_t>(' ' + pick(95));
    }
  }

  static void append(std::string &s, char32_t c) {
    if (c < 0x80) {
      s += static_cast<char>(c);
    } else if (c < 0x800) {
      s += static_cast<char>(0xC0 | (c >> 6));
      s += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
      s += static_cast<char>(0xE0 | (c >> 12));
      s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (c & 0x3F));
    } else {
      s += static_cast<char>(0xF0 | (c >> 18));
      s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
      s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
      s += static_cast<char>(0x80 | (c & 0x3F));
    }
  }

  std::string label(int i) {
    static const char *words[] = {"a", "b-c", "none", "ok", "x1", "long-name-here", "true", "inf", "value", "nan"};
    return std::string(words[pick(10)]) + "-" + std::to_string(i);
  }

  std::vector<std::string> labels(int n) {
    static const char *words[] = {"red", "green", "none", "some", "err", "read", "write", "exec", "blue-ish", "true"};
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i)
      out.push_back(std::string(words[(i + pick(3)) % 10]) + (i ? "-" + std::to_string(i) : ""));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  std::mt19937_64 rng_;
};

}  // namespace tairitsu::testing
