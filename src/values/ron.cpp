// RON text for component values, as the product description writes it:
//   records (x: 1, y: 2), optionally named Point(x: 1, y: 2); tuples (1, "a");
//   lists [1, 2]; options Some(x) / None; results Ok(x) / Err(e), Ok(()) when
//   the case has no payload; variants and enums by case name, Circle(1.5) /
//   Empty; flags a list of names [Read, Write]; maps {key: value}; chars 'a';
//   strings "..." with Rust escapes or raw r"..." / r#"..."#; floats 1.0, inf,
//   -inf, NaN; integers in decimal, 0x, 0o or 0b with optional '_' separators.
// WIT's kebab-case names are printed the Rust way (fields snake_case, cases
// UpperCamelCase) and read in any of kebab-case, snake_case or UpperCamelCase.
// Comments // and /* */ are allowed.

#include "values/ron.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "values/text_common.hpp"
#include "values/text_reader.hpp"

namespace tairitsu::detail::ron {

namespace {

// A WIT name written in RON in any of the accepted spellings.
bool same_name(std::string_view wit, std::string_view written) {
  return written == wit || written == snake(wit) || written == camel(wit);
}

template <typename Names, typename Get>
auto find_named(const Names &names, std::string_view written, Get &&get) -> decltype(&*names.begin()) {
  for (const auto &n : names) {
    if (same_name(get(n), written)) {
      return &n;
    }
  }
  return nullptr;
}

// The reader of this format; TextReader dispatches on the kind of type.
class Reader : public TextReader<Reader> {
 public:
  Reader(std::string_view text, const TextLimits &limits)
      : c_("RON", text, limits, true), resources_(limits.resources) {}

  std::optional<Value> value(const Type &type) {
    if (!c_.enter()) return std::nullopt;
    auto v = value_inner(type);
    c_.leave();
    return v;
  }

  bool finish() {
    if (!c_.at_end()) return c_.fail_here("unexpected trailing characters " + c_.found());
    return true;
  }

  Cursor &cursor() { return c_; }

  // A parenthesized, comma-separated sequence with an optional trailing comma.
  template <typename F>
  bool sequence(char open, char close, F &&each) {
    if (!c_.expect(open, "")) return false;
    for (std::size_t i = 0;; ++i) {
      if (c_.accept(close)) return true;
      if (!each(i)) return false;
      if (c_.accept(close)) return true;
      if (!c_.expect(',', std::string("or '") + close + "'")) return false;
    }
  }

 private:
  friend class TextReader<Reader>;

  std::optional<Value> expected(const Type &type) {
    c_.fail_here("expected " + type.to_string() + ", found " + c_.found());
    return std::nullopt;
  }

  bool word(std::string_view w) {
    std::size_t at = c_.pos();
    std::string_view id = c_.identifier();
    if (id == w) return true;
    c_.set_pos(at);
    return false;
  }

  // Integers: [+-]? (decimal | 0x.. | 0o.. | 0b..) with '_' separators.
  std::optional<Value> integer(const Type &type) {
    c_.skip_space();
    std::size_t start = c_.pos();
    std::string_view s = c_.rest();
    std::size_t p = 0;
    bool negative = false;
    if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
      negative = s[p] == '-';
      ++p;
    }
    int base = 10;
    if (s.substr(p, 2) == "0x") base = 16;
    if (s.substr(p, 2) == "0o") base = 8;
    if (s.substr(p, 2) == "0b") base = 2;
    if (base != 10) p += 2;
    std::string digits;
    auto digit_value = [&](char ch) -> int {
      int d = ch >= '0' && ch <= '9'                     ? ch - '0'
              : (ch | 0x20) >= 'a' && (ch | 0x20) <= 'f' ? (ch | 0x20) - 'a' + 10
                                                         : 99;
      return d < base ? d : -1;
    };
    while (p < s.size() && (s[p] == '_' || digit_value(s[p]) >= 0)) {
      if (s[p] != '_') digits += s[p];
      ++p;
    }
    if (digits.empty() || (p < s.size() && (s[p] == '.' || s[p] == 'e' || s[p] == 'E'))) {
      return expected(type);
    }
    c_.set_pos(start + p);
    // Accumulate the magnitude in 128 bits, then range-check for the type.
    unsigned __int128 magnitude = 0;
    for (char ch : digits) {
      magnitude = magnitude * static_cast<unsigned>(base) + static_cast<unsigned>(digit_value(ch));
      if (magnitude > (static_cast<unsigned __int128>(1) << 65)) break;
    }
    auto out_of_range = [&]() -> std::optional<Value> {
      c_.fail(start, "'" + std::string(s.substr(0, p)) + "' is out of range for " + type.to_string());
      return std::nullopt;
    };
    bool is_signed = type.kind() == TypeKind::S8 || type.kind() == TypeKind::S16 || type.kind() == TypeKind::S32 ||
                     type.kind() == TypeKind::S64;
    int bits = type.kind() == TypeKind::S8 || type.kind() == TypeKind::U8     ? 8
               : type.kind() == TypeKind::S16 || type.kind() == TypeKind::U16 ? 16
               : type.kind() == TypeKind::S32 || type.kind() == TypeKind::U32 ? 32
                                                                              : 64;
    if (is_signed) {
      unsigned __int128 limit = (static_cast<unsigned __int128>(1) << (bits - 1)) - (negative ? 0 : 1);
      if (magnitude > limit) return out_of_range();
      __int128 v = negative ? -static_cast<__int128>(magnitude) : static_cast<__int128>(magnitude);
      switch (bits) {
        case 8: return Value::s8(static_cast<int8_t>(v));
        case 16: return Value::s16(static_cast<int16_t>(v));
        case 32: return Value::s32(static_cast<int32_t>(v));
        default: return Value::s64(static_cast<int64_t>(v));
      }
    }
    unsigned __int128 limit = bits == 64 ? ~static_cast<uint64_t>(0) : (static_cast<unsigned __int128>(1) << bits) - 1;
    if (magnitude > limit || (negative && magnitude != 0)) return out_of_range();
    switch (bits) {
      case 8: return Value::u8(static_cast<uint8_t>(magnitude));
      case 16: return Value::u16(static_cast<uint16_t>(magnitude));
      case 32: return Value::u32(static_cast<uint32_t>(magnitude));
      default: return Value::u64(static_cast<uint64_t>(magnitude));
    }
  }

  std::optional<Value> floating(const Type &type) {
    c_.skip_space();
    std::size_t start = c_.pos();
    std::string_view s = c_.rest();
    std::size_t p = 0;
    bool negative = false;
    if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
      negative = s[p] == '-';
      ++p;
    }
    auto take_word = [&](std::string_view w) {
      if (s.substr(p, w.size()) == w && (p + w.size() >= s.size() || !is_identifier_start(s[p + w.size()]))) {
        c_.set_pos(start + p + w.size());
        return true;
      }
      return false;
    };
    if (take_word("inf")) return parse_float(negative ? "-inf" : "inf", type.kind());
    if (take_word("NaN")) return parse_float("nan", type.kind());
    std::string number = negative ? "-" : "";
    std::size_t digits_start = p;
    while (p < s.size() && ((s[p] >= '0' && s[p] <= '9') || s[p] == '_')) {
      if (s[p] != '_') number += s[p];
      ++p;
    }
    if (p == digits_start) return expected(type);
    if (p < s.size() && s[p] == '.') {
      number += '.';
      ++p;
      while (p < s.size() && ((s[p] >= '0' && s[p] <= '9') || s[p] == '_')) {
        if (s[p] != '_') number += s[p];
        ++p;
      }
      if (number.back() == '.') number += '0';
    }
    if (p < s.size() && (s[p] == 'e' || s[p] == 'E')) {
      std::size_t q = p + 1;
      std::string exp = "e";
      if (q < s.size() && (s[q] == '+' || s[q] == '-')) exp += s[q++];
      std::size_t exp_digits = q;
      while (q < s.size() && s[q] >= '0' && s[q] <= '9') exp += s[q++];
      if (q == exp_digits) {
        c_.fail(start + p, "exponent without digits");
        return std::nullopt;
      }
      number += exp;
      p = q;
    }
    c_.set_pos(start + p);
    auto v = parse_float(number, type.kind());
    if (!v) c_.fail(start, "'" + number + "' is not a valid " + type.to_string());
    return v;
  }

  // One character of a quoted string or char, with Rust escapes.
  bool escaped_char(std::string &out, char quote) {
    std::string_view s = c_.text();
    std::size_t p = c_.pos();
    if (p >= s.size()) return c_.fail_here("unterminated " + std::string(quote == '"' ? "string" : "char"));
    if (s[p] != '\\') {
      std::size_t q = p;
      if (!decode_utf8(s, q)) return c_.fail(p, "invalid UTF-8");
      out.append(s.substr(p, q - p));
      c_.set_pos(q);
      return true;
    }
    if (p + 1 >= s.size()) return c_.fail(p, "unterminated escape");
    char e = s[p + 1];
    std::size_t len = 2;
    switch (e) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case '0': out += '\0'; break;
      case '\\': out += '\\'; break;
      case '"': out += '"'; break;
      case '\'': out += '\''; break;
      case 'x': {
        auto hex = [](char h) {
          return h >= '0' && h <= '9' ? h - '0' : (h | 0x20) >= 'a' && (h | 0x20) <= 'f' ? (h | 0x20) - 'a' + 10 : -1;
        };
        if (p + 3 >= s.size() + 0 || hex(s[p + 2]) < 0 || hex(s[p + 3]) < 0) return c_.fail(p, "invalid \\x escape");
        int v = hex(s[p + 2]) * 16 + hex(s[p + 3]);
        if (v > 0x7F) return c_.fail(p, "\\x escapes go up to \\x7F");
        out += static_cast<char>(v);
        len = 4;
        break;
      }
      case 'u': {
        std::size_t close = s.find('}', p);
        if (p + 2 >= s.size() || s[p + 2] != '{' || close == std::string_view::npos || close - p - 3 == 0 ||
            close - p - 3 > 6) {
          return c_.fail(p, "invalid \\u{...} escape");
        }
        uint32_t v = 0;
        for (std::size_t i = p + 3; i < close; ++i) {
          char h = s[i];
          int d = h >= '0' && h <= '9' ? h - '0' : (h | 0x20) >= 'a' && (h | 0x20) <= 'f' ? (h | 0x20) - 'a' + 10 : -1;
          if (d < 0) return c_.fail(p, "invalid \\u{...} escape");
          v = v * 16 + static_cast<uint32_t>(d);
        }
        if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return c_.fail(p, "\\u{...} is not a Unicode scalar value");
        append_utf8(out, v);
        len = close + 1 - p;
        break;
      }
      default: return c_.fail(p, std::string("invalid escape '\\") + e + "'");
    }
    c_.set_pos(p + len);
    return true;
  }

  std::optional<std::string> string_literal() {
    c_.skip_space();
    std::string_view s = c_.text();
    std::size_t p = c_.pos();
    if (p < s.size() && s[p] == 'r') {  // raw string r"..." or r#"..."#
      std::size_t q = p + 1;
      std::size_t hashes = 0;
      while (q < s.size() && s[q] == '#') {
        ++hashes;
        ++q;
      }
      if (q < s.size() && s[q] == '"') {
        std::string close = "\"" + std::string(hashes, '#');
        std::size_t end = s.find(close, q + 1);
        if (end == std::string_view::npos) {
          c_.fail(p, "unterminated raw string");
          return std::nullopt;
        }
        std::string out(s.substr(q + 1, end - q - 1));
        std::size_t check = 0;
        while (check < out.size()) {
          if (!decode_utf8(out, check)) {
            c_.fail(q + 1 + check, "invalid UTF-8");
            return std::nullopt;
          }
        }
        c_.set_pos(end + close.size());
        return out;
      }
      return std::nullopt;
    }
    if (p >= s.size() || s[p] != '"') return std::nullopt;
    c_.set_pos(p + 1);
    std::string out;
    while (true) {
      if (c_.pos() >= s.size()) {
        c_.fail(p, "unterminated string");
        return std::nullopt;
      }
      if (s[c_.pos()] == '"') {
        c_.set_pos(c_.pos() + 1);
        return out;
      }
      if (!escaped_char(out, '"')) return std::nullopt;
    }
  }

  std::optional<Value> value_inner(const Type &type) {
    c_.skip_space();
    return read_kind(type);
  }

  std::optional<Value> no_form(const Type &type) {
    c_.fail_here("values of type " + type.to_string() + " have no RON form");
    return std::nullopt;
  }

  std::optional<Value> boolean(const Type &type) {
    if (word("true")) return Value::boolean(true);
    if (word("false")) return Value::boolean(false);
    return expected(type);
  }

  // 'c': exactly one character, with Rust escapes.
  std::optional<Value> character(const Type &type) {
    std::size_t start = c_.pos();
    if (!c_.accept('\'')) return expected(type);
    std::string out;
    if (!escaped_char(out, '\'')) return std::nullopt;
    if (c_.pos() >= c_.text().size() || c_.text()[c_.pos()] != '\'') {
      c_.fail(start, "a char holds exactly one character");
      return std::nullopt;
    }
    c_.set_pos(c_.pos() + 1);
    std::size_t q = 0;
    return Value::character(*decode_utf8(out, q));
  }

  std::optional<Value> string(const Type &type) {
    auto s = string_literal();
    if (!s) return c_.failed() ? std::nullopt : expected(type);
    return Value::string(std::move(*s));
  }

  std::optional<Value> list_or_tuple(const Type &type) {
    return type.kind() == TypeKind::List ? list(type) : tuple(type);
  }

  std::optional<Value> list(const Type &type) {
    if (c_.peek() != '[') return expected(type);
    std::vector<Value> items;
    if (!sequence('[', ']', [&](std::size_t) {
          auto v = value(type.element());
          if (!v) return false;
          items.push_back(std::move(*v));
          return true;
        }))
      return std::nullopt;
    return Value::list(std::move(items));
  }

  std::optional<Value> tuple(const Type &type) {
    std::size_t start = c_.pos();
    if (c_.peek() != '(') return expected(type);
    std::vector<Value> items;
    if (!sequence('(', ')', [&](std::size_t i) {
          if (i >= type.elements().size()) return c_.fail_here("too many elements for " + type.to_string());
          auto v = value(type.elements()[i]);
          if (!v) return false;
          items.push_back(std::move(*v));
          return true;
        }))
      return std::nullopt;
    if (items.size() != type.elements().size()) {
      c_.fail(start, "expected " + std::to_string(type.elements().size()) + " elements for " + type.to_string());
      return std::nullopt;
    }
    return Value::tuple(std::move(items));
  }

  // A case name of an enum or flags type, in any accepted spelling.
  static const std::string *find_name(const Type &type, std::string_view written) {
    return find_named(type.names(), written, [](const std::string &x) -> const std::string & { return x; });
  }

  std::optional<Value> enumeration(const Type &type) {
    std::size_t start = c_.pos();
    std::string_view id = c_.identifier();
    if (id.empty()) return expected(type);
    const std::string *n = find_name(type, id);
    if (!n) {
      c_.fail(start, "unknown case '" + std::string(id) + "' of " + type.to_string());
      return std::nullopt;
    }
    return Value::enumeration(*n);
  }

  // [Read, Write]: a list of flag names, each at most once.
  std::optional<Value> flags(const Type &type) {
    if (c_.peek() != '[') return expected(type);
    std::vector<std::string> names;
    if (!sequence('[', ']', [&](std::size_t) {
          std::size_t at = (c_.skip_space(), c_.pos());
          std::string_view id = c_.identifier();
          const std::string *n = find_name(type, id);
          if (!n) return c_.fail(at, "unknown flag '" + std::string(id) + "' of " + type.to_string());
          if (std::find(names.begin(), names.end(), *n) != names.end())
            return c_.fail(at, "duplicate flag '" + *n + "'");
          names.push_back(*n);
          return true;
        }))
      return std::nullopt;
    return Value::flags(std::move(names));
  }

  // None or Some(value).
  std::optional<Value> option(const Type &type) {
    if (word("None")) return Value::none();
    if (!word("Some")) return expected(type);
    if (!c_.expect('(', "after Some")) return std::nullopt;
    auto v = value(type.element());
    if (!v || !c_.expect(')', "to close Some(...)")) return std::nullopt;
    return Value::some(std::move(*v));
  }

  // Ok(value) / Err(value); a case without a payload is Ok or Ok(()).
  std::optional<Value> result(const Type &type) {
    bool ok = word("Ok");
    if (!ok && !word("Err")) return expected(type);
    const auto &pt = ok ? type.ok_type() : type.err_type();
    std::optional<Value> payload;
    if (pt) {
      if (!c_.expect('(', ok ? "after Ok" : "after Err")) return std::nullopt;
      payload = value(*pt);
      if (!payload || !c_.expect(')', "to close the payload")) return std::nullopt;
    } else if (c_.accept('(')) {
      if (!c_.expect('(', "for the unit payload ()") || !c_.expect(')', "for the unit payload ()") ||
          !c_.expect(')', "to close the payload"))
        return std::nullopt;
    }
    return ok ? Value::ok(std::move(payload)) : Value::err(std::move(payload));
  }

  // {key: value, ...}
  std::optional<Value> map(const Type &type) {
    if (c_.peek() != '{') return expected(type);
    std::vector<std::pair<Value, Value>> entries;
    if (!sequence('{', '}', [&](std::size_t) {
          auto k = value(type.element());
          if (!k || !c_.expect(':', "after a map key")) return false;
          auto v = value(type.map_value());
          if (!v) return false;
          entries.emplace_back(std::move(*k), std::move(*v));
          return true;
        }))
      return std::nullopt;
    return Value::map(std::move(entries));
  }

  // A handle by its name in the resource table.
  std::optional<Value> resource(const Type &type) {
    std::size_t start = c_.pos();
    std::string_view id = c_.identifier();
    if (id.empty()) return expected(type);
    auto handle = resource_from_text(id, type, resources_);
    if (!handle) {
      c_.fail(start, handle.error().message());
      return std::nullopt;
    }
    return std::move(*handle);
  }

  std::optional<Value> record(const Type &type) {
    std::size_t start = (c_.skip_space(), c_.pos());
    // An optional struct name before the fields.
    std::size_t before_name = c_.pos();
    std::string_view name = c_.identifier();
    if (!name.empty() && c_.peek() != '(') c_.set_pos(before_name);
    if (c_.peek() != '(') return expected(type);
    std::vector<std::optional<Value>> got(type.members().size());
    bool ok = sequence('(', ')', [&](std::size_t) {
      std::size_t at = (c_.skip_space(), c_.pos());
      std::string_view id = c_.identifier();
      if (id.empty()) return c_.fail_here("expected a field name, found " + c_.found());
      const NamedType *m =
          find_named(type.members(), id, [](const NamedType &x) -> const std::string & { return x.name; });
      if (!m) return c_.fail(at, "unknown field '" + std::string(id) + "' of " + type.to_string());
      auto &slot = got[static_cast<std::size_t>(m - type.members().data())];
      if (slot) return c_.fail(at, "duplicate field '" + std::string(id) + "'");
      if (!c_.expect(':', "after the field name")) return false;
      slot = value(*m->type);
      return slot.has_value();
    });
    if (!ok) return std::nullopt;
    std::vector<Field> fields;
    for (std::size_t i = 0; i < got.size(); ++i) {
      const NamedType &m = type.members()[i];
      if (!got[i]) {
        if (m.type->kind() != TypeKind::Option) {
          c_.fail(start, "missing field '" + snake(m.name) + "' of " + type.to_string());
          return std::nullopt;
        }
        got[i] = Value::none();
      }
      fields.push_back({m.name, std::move(*got[i])});
    }
    return Value::record(std::move(fields));
  }

  std::optional<Value> variant(const Type &type) {
    std::size_t start = (c_.skip_space(), c_.pos());
    std::string_view id = c_.identifier();
    if (id.empty()) return expected(type);
    const NamedType *c =
        find_named(type.members(), id, [](const NamedType &x) -> const std::string & { return x.name; });
    if (!c) {
      c_.fail(start, "unknown case '" + std::string(id) + "' of " + type.to_string());
      return std::nullopt;
    }
    if (!c->type) {
      if (c_.peek() == '(') {
        c_.fail_here("case '" + std::string(id) + "' has no payload");
        return std::nullopt;
      }
      return Value::variant(c->name);
    }
    if (!c_.expect('(', "with the payload of case '" + std::string(id) + "'")) return std::nullopt;
    auto v = value(*c->type);
    if (!v || !c_.expect(')', "to close the payload")) return std::nullopt;
    return Value::variant(c->name, std::move(*v));
  }

  Cursor c_;
  const ResourceTable *resources_;
};

}  // namespace

Result<Value> parse(std::string_view text, const Type &type, const TextLimits &limits) {
  if (text.size() > limits.max_bytes) return input_too_long("RON", text.size(), limits);
  Reader r(text, limits);
  auto v = r.value(type);
  if (!v || !r.finish()) return r.cursor().error();
  return std::move(*v);
}

Result<std::vector<Value>> parse_params(std::string_view text, std::span<const Param> params,
                                        const TextLimits &limits) {
  if (text.size() > limits.max_bytes) return input_too_long("RON", text.size(), limits);
  Reader r(text, limits);
  std::vector<Value> values;
  bool ok = r.sequence('(', ')', [&](std::size_t i) {
    if (i >= params.size())
      return r.cursor().fail_here("more arguments than the " + std::to_string(params.size()) + " expected");
    auto v = r.value(params[i].type);
    if (!v) return false;
    values.push_back(std::move(*v));
    return true;
  });
  if (!ok || !r.finish()) return r.cursor().error();
  for (std::size_t i = values.size(); i < params.size(); ++i) {
    if (params[i].type.kind() != TypeKind::Option) {
      return Error(ErrorCode::InvalidInput,
                   "RON: missing argument '" + params[i].name + "' of type " + params[i].type.to_string());
    }
    values.push_back(Value::none());
  }
  return values;
}

}  // namespace tairitsu::detail::ron
