// JSON text for component values. The mapping (docs/json.md):
//   bool -> true/false; integers -> numbers (64-bit values exactly, as digits);
//   f32/f64 -> numbers, or "nan", "inf", "-inf" as strings; char -> a
//   one-character string; string -> string; list, tuple -> array;
//   record -> object (option fields that are none may be left out);
//   variant -> {"case": payload} or "case"; enum -> "case"; flags -> array of
//   names; option -> null or the value, and {"some": v} when the payload's own
//   JSON could be null (an option or a payload-less result inside);
//   result -> {"ok": v} / {"err": v}, with null when the case has no payload;
//   map -> array of [key, value] pairs.

#include "values/json.hpp"

#include <algorithm>
#include <cstdio>

#include "values/text_common.hpp"
#include "values/text_reader.hpp"

namespace tairitsu::detail::json {

namespace {

// The reader of this format; TextReader dispatches on the kind of type.
class Reader : public TextReader<Reader> {
 public:
  Reader(std::string_view text, const TextLimits &limits)
      : c_("JSON", text, limits, false), resources_(limits.resources) {}

  std::optional<Value> value(const Type &type) {
    if (!c_.enter()) {
      return std::nullopt;
    }
    auto v = value_inner(type);
    c_.leave();
    return v;
  }

  /// A call's argument list: its brackets are no level of nesting, as in
  /// WAVE and RON, so every format takes arguments of the same depth.
  std::optional<Value> arguments(const Type &list) { return value_inner(list); }

  bool finish() {
    if (!c_.at_end()) {
      return c_.fail_here("unexpected trailing characters " + c_.found());
    }
    return true;
  }

  Cursor &cursor() { return c_; }

 private:
  friend class TextReader<Reader>;

  std::optional<Value> fail(std::string message) {
    c_.fail_here(std::move(message));
    return std::nullopt;
  }
  std::optional<Value> expected(const Type &type) {
    return fail("expected " + describe(type) + ", found " + c_.found());
  }
  static std::string describe(const Type &type) {
    switch (type.kind()) {
      case TypeKind::Record: return "an object for " + type.to_string();
      case TypeKind::List:
      case TypeKind::Tuple:
      case TypeKind::Flags: return "an array for " + type.to_string();
      default: return type.to_string();
    }
  }

  bool literal(std::string_view word) {
    c_.skip_space();
    if (c_.rest().substr(0, word.size()) == word) {
      c_.set_pos(c_.pos() + word.size());
      return true;
    }
    return false;
  }

  // A JSON number token: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  std::optional<std::string_view> number_token() {
    c_.skip_space();
    std::string_view s = c_.rest();
    std::size_t p = 0;
    if (p < s.size() && s[p] == '-') {
      ++p;
    }
    auto digit = [&](std::size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
    if (!digit(p)) {
      return std::nullopt;
    }
    if (s[p] == '0') {
      ++p;
    } else {
      while (digit(p)) ++p;
    }
    if (p < s.size() && s[p] == '.') {
      if (!digit(p + 1)) {
        return std::nullopt;
      }
      ++p;
      while (digit(p)) ++p;
    }
    if (p < s.size() && (s[p] == 'e' || s[p] == 'E')) {
      std::size_t q = p + 1;
      if (q < s.size() && (s[q] == '+' || s[q] == '-')) ++q;
      if (!digit(q)) {
        return std::nullopt;
      }
      while (digit(q)) ++q;
      p = q;
    }
    c_.set_pos(c_.pos() + p);
    return s.substr(0, p);
  }

  std::optional<std::string> string_token() {
    c_.skip_space();
    if (c_.peek() != '"') {
      return std::nullopt;
    }
    std::string_view s = c_.text();
    std::size_t p = c_.pos() + 1;
    std::string out;
    while (true) {
      if (p >= s.size()) {
        c_.fail(c_.pos(), "unterminated string");
        return std::nullopt;
      }
      char ch = s[p];
      if (ch == '"') {
        ++p;
        break;
      }
      if (static_cast<unsigned char>(ch) < 0x20) {
        c_.fail(p, "control character in a string must be escaped");
        return std::nullopt;
      }
      if (ch != '\\') {
        std::size_t q = p;
        if (!decode_utf8(s, q)) {
          c_.fail(p, "invalid UTF-8 in a string");
          return std::nullopt;
        }
        out.append(s.substr(p, q - p));
        p = q;
        continue;
      }
      if (!escape(s, p, out)) {
        return std::nullopt;
      }
    }
    c_.set_pos(p);
    return out;
  }

  // The escape at s[p] (a backslash), appended to `out`; `p` moves past it.
  bool escape(std::string_view s, std::size_t &p, std::string &out) {
    if (p + 1 >= s.size()) {
      return c_.fail(p, "unterminated escape");
    }
    char e = s[p + 1];
    if (char c = simple_escape(e)) {
      out += c;
      p += 2;
      return true;
    }
    if (e == 'u') {
      return unicode_escape(s, p, out);
    }
    return c_.fail(p, std::string("invalid escape '\\") + e + "'");
  }

  // The character a one-letter escape stands for, or '\0' for no such escape.
  static char simple_escape(char e) {
    switch (e) {
      case '"': return '"';
      case '\\': return '\\';
      case '/': return '/';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      default: return '\0';
    }
  }

  // Four hex digits at s[at], or nothing.
  static std::optional<uint32_t> hex4(std::string_view s, std::size_t at) {
    if (at + 4 > s.size()) return std::nullopt;
    uint32_t v = 0;
    for (std::size_t i = at; i < at + 4; ++i) {
      char h = s[i];
      int d = h >= '0' && h <= '9' ? h - '0' : (h | 0x20) >= 'a' && (h | 0x20) <= 'f' ? (h | 0x20) - 'a' + 10 : -1;
      if (d < 0) return std::nullopt;
      v = v * 16 + static_cast<uint32_t>(d);
    }
    return v;
  }

  // \uXXXX at s[p], or a surrogate pair \uXXXX\uXXXX.
  bool unicode_escape(std::string_view s, std::size_t &p, std::string &out) {
    auto u = hex4(s, p + 2);
    if (!u) {
      return c_.fail(p, "invalid \\u escape");
    }
    uint32_t cp = *u;
    std::size_t len = 6;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      auto lo = s.substr(p + 6, 2) == "\\u" ? hex4(s, p + 8) : std::nullopt;
      if (!lo || *lo < 0xDC00 || *lo > 0xDFFF) {
        return c_.fail(p, "unpaired surrogate in \\u escape");
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (*lo - 0xDC00);
      len = 12;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return c_.fail(p, "unpaired surrogate in \\u escape");
    }
    append_utf8(out, cp);
    p += len;
    return true;
  }

  // A string token; when there is none and nothing failed yet, "expected <type>".
  std::optional<std::string> string_for(const Type &type) {
    auto s = string_token();
    if (!s && !c_.failed()) {
      expected(type);
    }
    return s;
  }

  template <typename F>
  bool sequence(char open, char close, F &&each) {
    if (!c_.accept(open)) {
      return false;
    }
    if (c_.accept(close)) {
      return true;
    }
    for (std::size_t i = 0;; ++i) {
      if (!each(i)) {
        return false;
      }
      if (c_.accept(close)) {
        return true;
      }
      if (!c_.expect(',', std::string("or '") + close + "'")) {
        return false;
      }
    }
  }

  std::optional<Value> value_inner(const Type &type) { return read_kind(type); }

  std::optional<Value> no_form(const Type &type) {
    return fail("values of type " + type.to_string() + " have no JSON form");
  }

  std::optional<Value> boolean(const Type &type) {
    if (literal("true")) return Value::boolean(true);
    if (literal("false")) return Value::boolean(false);
    return expected(type);
  }

  std::optional<Value> integer(const Type &type) {
    std::size_t start = c_.pos();
    auto tok = number_token();
    if (!tok) return expected(type);
    auto v = parse_integer(*tok, type.kind());
    if (!v) {
      c_.fail(start, "'" + std::string(*tok) + "' is not a valid " + type.to_string());
      return std::nullopt;
    }
    return v;
  }

  // A number, or "nan", "inf", "-inf" as strings.
  std::optional<Value> floating(const Type &type) {
    if (c_.peek() == '"') {
      std::size_t at = c_.pos();
      auto s = string_token();
      if (!s) return std::nullopt;
      if (*s == "nan" || *s == "inf" || *s == "-inf") {
        return parse_float(*s, type.kind());
      }
      c_.fail(at, "expected a number or \"nan\", \"inf\", \"-inf\" for " + type.to_string());
      return std::nullopt;
    }
    auto tok = number_token();
    if (!tok) return expected(type);
    return parse_float(*tok, type.kind());
  }

  // A string of exactly one character.
  std::optional<Value> character(const Type &type) {
    std::size_t at = c_.pos();
    auto s = string_for(type);
    if (!s) return std::nullopt;
    std::size_t p = 0;
    auto ch = decode_utf8(*s, p);
    if (!ch || p != s->size()) {
      c_.fail(at, "expected a string of exactly one character for char");
      return std::nullopt;
    }
    return Value::character(*ch);
  }

  std::optional<Value> string(const Type &type) {
    auto s = string_for(type);
    if (!s) return std::nullopt;
    return Value::string(std::move(*s));
  }

  // Both an array: a list of any length, a tuple of exactly its elements.
  std::optional<Value> list_or_tuple(const Type &type) {
    std::size_t start = c_.pos();
    if (c_.peek() != '[') return expected(type);
    std::vector<Value> items;
    bool is_list = type.kind() == TypeKind::List;
    bool ok = sequence('[', ']', [&](std::size_t i) {
      if (!is_list && i >= type.elements().size()) {
        return c_.fail_here("too many elements for " + type.to_string());
      }
      auto v = value(is_list ? type.element() : type.elements()[i]);
      if (!v) return false;
      items.push_back(std::move(*v));
      return true;
    });
    if (!ok) return std::nullopt;
    if (!is_list && items.size() != type.elements().size()) {
      c_.fail(start, "expected " + std::to_string(type.elements().size()) + " elements for " + type.to_string() +
                         ", found " + std::to_string(items.size()));
      return std::nullopt;
    }
    return is_list ? Value::list(std::move(items)) : Value::tuple(std::move(items));
  }

  std::optional<Value> enumeration(const Type &type) {
    std::size_t at = c_.pos();
    auto s = string_for(type);
    if (!s) return std::nullopt;
    if (std::find(type.names().begin(), type.names().end(), *s) == type.names().end()) {
      c_.fail(at, "unknown case \"" + *s + "\" of " + type.to_string());
      return std::nullopt;
    }
    return Value::enumeration(std::move(*s));
  }

  // An array of flag names, each at most once.
  std::optional<Value> flags(const Type &type) {
    if (c_.peek() != '[') return expected(type);
    std::vector<std::string> names;
    bool ok = sequence('[', ']', [&](std::size_t) {
      std::size_t at = c_.pos();
      auto s = string_token();
      if (!s) return c_.failed() ? false : c_.fail_here("expected a flag name, found " + c_.found());
      if (std::find(type.names().begin(), type.names().end(), *s) == type.names().end()) {
        return c_.fail(at, "unknown flag \"" + *s + "\" of " + type.to_string());
      }
      if (std::find(names.begin(), names.end(), *s) != names.end()) {
        return c_.fail(at, "duplicate flag \"" + *s + "\"");
      }
      names.push_back(std::move(*s));
      return true;
    });
    if (!ok) return std::nullopt;
    return Value::flags(std::move(names));
  }

  // null, the value, or {"some": value} when the value's own JSON could be null.
  std::optional<Value> option(const Type &type) {
    if (literal("null")) return Value::none();
    if (needs_some_wrapper(type.element())) {
      if (c_.peek() != '{') return expected(type);
      auto inner = single_key_object(
          [&](std::string_view key) -> KeyType {
            if (key == "some") return std::optional<Type>(type.element());
            return std::nullopt;
          },
          "\"some\"");
      if (!inner) return std::nullopt;
      return Value::some(std::move(inner->second));
    }
    auto v = value(type.element());
    if (!v) return std::nullopt;
    return Value::some(std::move(*v));
  }

  std::optional<Value> result(const Type &type) {
    if (c_.peek() != '{') return expected(type);
    auto inner = single_key_object(
        [&](std::string_view key) -> KeyType {
          if (key != "ok" && key != "err") return std::nullopt;
          return key == "ok" ? type.ok_type() : type.err_type();
        },
        "\"ok\" or \"err\"");
    if (!inner) return std::nullopt;
    bool ok = inner->first == "ok";
    const auto &pt = ok ? type.ok_type() : type.err_type();
    std::optional<Value> payload;
    if (pt) payload = std::move(inner->second);
    return ok ? Value::ok(std::move(payload)) : Value::err(std::move(payload));
  }

  // An array of [key, value] pairs.
  std::optional<Value> map(const Type &type) {
    if (c_.peek() != '[') return expected(type);
    std::vector<std::pair<Value, Value>> entries;
    bool ok = sequence('[', ']', [&](std::size_t) {
      std::optional<Value> k, v;
      bool pair_ok = c_.peek() == '[' && sequence('[', ']', [&](std::size_t j) {
                       if (j > 1) return c_.fail_here("a map entry is a [key, value] pair");
                       auto x = value(j == 0 ? type.element() : type.map_value());
                       if (!x) return false;
                       (j == 0 ? k : v) = std::move(*x);
                       return true;
                     });
      if (!pair_ok || !k || !v) {
        return c_.failed() ? false : c_.fail_here("expected a [key, value] pair");
      }
      entries.emplace_back(std::move(*k), std::move(*v));
      return true;
    });
    if (!ok) return std::nullopt;
    return Value::map(std::move(entries));
  }

  // A handle by its name in the resource table.
  std::optional<Value> resource(const Type &type) {
    std::size_t at = c_.pos();
    auto s = string_for(type);
    if (!s) return std::nullopt;
    auto handle = resource_from_text(*s, type, resources_);
    if (!handle) {
      c_.fail(at, handle.error().message());
      return std::nullopt;
    }
    return std::move(*handle);
  }

  // {"key": value} with exactly one key. `type_of(key)` says whether the key is
  // allowed (outer optional) and the payload's type, or none for `null`.
  using KeyType = std::optional<std::optional<Type>>;
  template <typename TypeOf>
  std::optional<std::pair<std::string, Value>> single_key_object(TypeOf &&type_of, std::string_view keys) {
    if (!c_.expect('{', "")) return std::nullopt;
    std::size_t at = c_.pos();
    auto key = string_token();
    if (!key) {
      if (!c_.failed()) c_.fail_here("expected " + std::string(keys) + ", found " + c_.found());
      return std::nullopt;
    }
    auto t = type_of(*key);
    if (!t) {
      c_.fail(at, "expected the key " + std::string(keys) + ", found \"" + *key + "\"");
      return std::nullopt;
    }
    if (!c_.expect(':', "after the key")) return std::nullopt;
    std::optional<Value> v;
    if (!t->has_value()) {
      if (!literal("null")) {
        c_.fail_here("expected null: \"" + *key + "\" has no payload, found " + c_.found());
        return std::nullopt;
      }
      v = Value::unit();
    } else {
      v = value(**t);
    }
    if (!v || !c_.expect('}', "after the single key")) return std::nullopt;
    return std::pair{std::move(*key), std::move(*v)};
  }

  std::optional<Value> record(const Type &type) {
    if (c_.peek() != '{') return expected(type);
    std::size_t start = c_.pos();
    std::vector<std::optional<Value>> got(type.members().size());
    bool ok = sequence('{', '}', [&](std::size_t) {
      std::size_t at = c_.pos();
      auto key = string_token();
      if (!key) return c_.failed() ? false : c_.fail_here("expected a field name, found " + c_.found());
      auto it = std::find_if(type.members().begin(), type.members().end(),
                             [&](const NamedType &m) { return m.name == *key; });
      if (it == type.members().end()) {
        return c_.fail(at, "unknown field \"" + *key + "\" of " + type.to_string());
      }
      auto &slot = got[static_cast<std::size_t>(it - type.members().begin())];
      if (slot) return c_.fail(at, "duplicate field \"" + *key + "\"");
      if (!c_.expect(':', "after the field name")) return false;
      slot = value(*it->type);
      return slot.has_value();
    });
    if (!ok) return std::nullopt;
    std::vector<Field> fields;
    for (std::size_t i = 0; i < got.size(); ++i) {
      const NamedType &m = type.members()[i];
      if (!got[i]) {
        if (m.type->kind() != TypeKind::Option) {
          c_.fail(start, "missing field \"" + m.name + "\" of " + type.to_string());
          return std::nullopt;
        }
        got[i] = Value::none();
      }
      fields.push_back({m.name, std::move(*got[i])});
    }
    return Value::record(std::move(fields));
  }

  std::optional<Value> variant(const Type &type) {
    auto find_case = [&](std::string_view name) -> const NamedType * {
      for (const NamedType &c : type.members()) {
        if (c.name == name) return &c;
      }
      return nullptr;
    };
    if (c_.peek() == '"') {
      std::size_t at = c_.pos();
      auto s = string_token();
      if (!s) return std::nullopt;
      const NamedType *c = find_case(*s);
      if (!c) {
        c_.fail(at, "unknown case \"" + *s + "\" of " + type.to_string());
        return std::nullopt;
      }
      if (c->type) {
        c_.fail(at, "case \"" + *s + "\" needs a payload: {\"" + *s + "\": ...}");
        return std::nullopt;
      }
      return Value::variant(*s);
    }
    if (c_.peek() != '{') return expected(type);
    auto inner = single_key_object(
        [&](std::string_view key) -> KeyType {
          const NamedType *c = find_case(key);
          if (!c) return std::nullopt;
          return c->type;
        },
        "of a case of " + type.to_string());
    if (!inner) return std::nullopt;
    const NamedType *c = find_case(inner->first);
    return c->type ? Value::variant(inner->first, std::move(inner->second)) : Value::variant(inner->first);
  }

  Cursor c_;
  const ResourceTable *resources_;
};

}  // namespace

Result<Value> parse(std::string_view text, const Type &type, const TextLimits &limits) {
  if (text.size() > limits.max_bytes) return input_too_long("JSON", text.size(), limits);
  Reader r(text, limits);
  auto v = r.value(type);
  if (!v || !r.finish()) return r.cursor().error();
  return std::move(*v);
}

Result<std::vector<Value>> parse_params(std::string_view text, std::span<const Param> params,
                                        const TextLimits &limits) {
  if (text.size() > limits.max_bytes) return input_too_long("JSON", text.size(), limits);
  // An array of arguments in order, or an object of arguments by name.
  std::vector<NamedType> fields;
  std::vector<Type> elements;
  for (const Param &p : params) {
    fields.push_back({p.name, p.type});
    elements.push_back(p.type);
  }
  Reader r(text, limits);
  bool by_name = r.cursor().peek() == '{';
  auto v = r.arguments(by_name ? Type::record(fields) : Type::tuple(elements));
  if (!v || !r.finish()) return r.cursor().error();
  std::vector<Value> out;
  if (by_name) {
    for (const Field &f : v->as_record().fields) out.push_back(f.value);
  } else {
    for (const Value &item : v->items()) out.push_back(item);
  }
  return out;
}

}  // namespace tairitsu::detail::json
