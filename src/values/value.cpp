#include "tairitsu/value.hpp"

#include "values/text_common.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace tairitsu {

Value Value::list(std::vector<Value> items) { return Value(Data(std::in_place_index<13>, List{std::move(items)})); }
Value Value::record(std::vector<Field> fields) {
  return Value(Data(std::in_place_index<14>, Record{std::move(fields)}));
}
Value Value::tuple(std::vector<Value> items) { return Value(Data(std::in_place_index<15>, Tuple{std::move(items)})); }
Value Value::variant(std::string name) { return variant(std::move(name), std::nullopt); }
Value Value::ok() { return ok(std::nullopt); }
Value Value::err() { return err(std::nullopt); }

Value Value::variant(std::string name, std::optional<Value> payload) {
  Variant v{std::move(name), {}};
  if (payload) {
    v.payload.push_back(std::move(*payload));
  }
  return Value(Data(std::in_place_index<16>, std::move(v)));
}
Value Value::enumeration(std::string name) { return Value(Data(std::in_place_index<17>, Enum{std::move(name)})); }
Value Value::some(Value v) {
  Option o;
  o.some.push_back(std::move(v));
  return Value(Data(std::in_place_index<18>, std::move(o)));
}
Value Value::none() { return Value(Data(std::in_place_index<18>, Option{})); }
Value Value::ok(std::optional<Value> v) {
  ResultCase r{true, {}};
  if (v) {
    r.payload.push_back(std::move(*v));
  }
  return Value(Data(std::in_place_index<19>, std::move(r)));
}
Value Value::err(std::optional<Value> v) {
  ResultCase r{false, {}};
  if (v) {
    r.payload.push_back(std::move(*v));
  }
  return Value(Data(std::in_place_index<19>, std::move(r)));
}
Value Value::flags(std::vector<std::string> names) {
  return Value(Data(std::in_place_index<20>, Flags{std::move(names)}));
}
Value Value::map(std::vector<std::pair<Value, Value>> entries) {
  return Value(Data(std::in_place_index<21>, Map{std::move(entries)}));
}
Value Value::resource(ResourceHandle handle) { return Value(Data(std::in_place_index<22>, std::move(handle))); }
Value Value::unit() { return tuple({}); }

TypeKind Value::kind() const {
  static constexpr TypeKind kinds[] = {
      TypeKind::Bool,   TypeKind::S8,     TypeKind::U8,     TypeKind::S16,   TypeKind::U16,     TypeKind::S32,
      TypeKind::U32,    TypeKind::S64,    TypeKind::U64,    TypeKind::F32,   TypeKind::F64,     TypeKind::Char,
      TypeKind::String, TypeKind::List,   TypeKind::Record, TypeKind::Tuple, TypeKind::Variant, TypeKind::Enum,
      TypeKind::Option, TypeKind::Result, TypeKind::Flags,  TypeKind::Map,   TypeKind::Own,
  };
  if (data_.index() == 22 && !as_resource().owned()) {
    return TypeKind::Borrow;
  }
  return kinds[data_.index()];
}

std::span<const Value> Value::items() const {
  if (auto *l = std::get_if<List>(&data_)) {
    return l->items;
  }
  if (auto *t = std::get_if<Tuple>(&data_)) {
    return t->items;
  }
  return {};
}

const Value *Value::field(std::string_view name) const {
  if (auto *r = std::get_if<Record>(&data_)) {
    for (const Field &f : r->fields) {
      if (f.name == name) {
        return &f.value;
      }
    }
  }
  return nullptr;
}

const Value *Value::payload() const {
  const std::vector<Value> *p = nullptr;
  if (auto *v = std::get_if<Variant>(&data_)) {
    p = &v->payload;
  } else if (auto *o = std::get_if<Option>(&data_)) {
    p = &o->some;
  } else if (auto *r = std::get_if<ResultCase>(&data_)) {
    p = &r->payload;
  }
  return p && !p->empty() ? &p->front() : nullptr;
}

namespace {

void append_escaped_char(std::string &out, char32_t c, char quote) {
  switch (c) {
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    case '\\': out += "\\\\"; return;
    default: break;
  }
  if (c == static_cast<char32_t>(quote)) {
    out += '\\';
    out += quote;
    return;
  }
  if (c < 0x20 || c == 0x7f) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\u{%x}", static_cast<unsigned>(c));
    out += buf;
    return;
  }
  detail::append_utf8(out, c);
}

std::string float_text(double v) {
  if (std::isnan(v)) {
    return "nan";
  }
  if (std::isinf(v)) {
    return v > 0 ? "inf" : "-inf";
  }
  // The shortest text that reads back as the same number.
  char buf[64];
  auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  return std::string(buf, end);
}

template <typename Items>
std::string join(const Items &items, auto &&render) {
  std::string out;
  bool first = true;
  for (const auto &item : items) {
    out += first ? "" : ", ";
    out += render(item);
    first = false;
  }
  return out;
}

std::string float_text_f32(float v) {
  if (std::isnan(v) || std::isinf(v)) {
    return float_text(v);
  }
  char buf[64];
  auto end = std::to_chars(buf, buf + sizeof buf, v).ptr;
  return std::string(buf, end);
}

bool float_equal(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

}  // namespace

std::string Value::to_string() const {
  switch (data_.index()) {
    case 0: return as_bool() ? "true" : "false";
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 7:
    case 8: {
      std::string out;
      detail::append_integer(out, *this);
      return out;
    }
    case 9: return float_text_f32(as_f32());
    case 10: return float_text(as_f64());
    case 11: {
      std::string out = "'";
      append_escaped_char(out, as_char(), '\'');
      return out + "'";
    }
    case 12: {
      std::string out = "\"";
      for (unsigned char c : as_string()) {
        if (c < 0x80) {
          append_escaped_char(out, c, '"');
        } else {
          out += static_cast<char>(c);
        }
      }
      return out + "\"";
    }
    case 13: return "[" + join(as_list().items, [](const Value &v) { return v.to_string(); }) + "]";
    case 14:
      return "{" + join(as_record().fields, [](const Field &f) { return f.name + ": " + f.value.to_string(); }) + "}";
    case 15: return "(" + join(as_tuple().items, [](const Value &v) { return v.to_string(); }) + ")";
    case 16: return as_variant().name + (payload() ? "(" + payload()->to_string() + ")" : std::string());
    case 17: return as_enum().name;
    case 18: return payload() ? "some(" + payload()->to_string() + ")" : "none";
    case 19:
      return std::string(as_result().is_ok ? "ok" : "err") +
             (payload() ? "(" + payload()->to_string() + ")" : std::string());
    case 20: return "{" + join(as_flags().names, [](const std::string &s) { return s; }) + "}";
    case 21:
      return "{" +
             join(as_map().entries, [](const auto &e) { return e.first.to_string() + ": " + e.second.to_string(); }) +
             "}";
    case 22:
      return std::string(as_resource().owned() ? "own" : "borrow") + "<#" + std::to_string(as_resource().id()) + ">";
  }
  return "?";
}

bool operator==(const Value &a, const Value &b) {
  if (a.data_.index() != b.data_.index()) {
    return false;
  }
  switch (a.data_.index()) {
    case 9: return float_equal(a.as_f32(), b.as_f32());
    case 10: return float_equal(a.as_f64(), b.as_f64());
    case 13: return a.as_list().items == b.as_list().items;
    case 14: return a.as_record().fields == b.as_record().fields;
    case 15: return a.as_tuple().items == b.as_tuple().items;
    case 16: return a.as_variant().name == b.as_variant().name && a.as_variant().payload == b.as_variant().payload;
    case 17: return a.as_enum().name == b.as_enum().name;
    case 18: return a.as_option().some == b.as_option().some;
    case 19: return a.as_result().is_ok == b.as_result().is_ok && a.as_result().payload == b.as_result().payload;
    case 20: {
      auto x = a.as_flags().names;
      auto y = b.as_flags().names;
      std::sort(x.begin(), x.end());
      std::sort(y.begin(), y.end());
      return x == y;
    }
    case 21: return a.as_map().entries == b.as_map().entries;
    default:
      return std::visit(
          [&](const auto &x) {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, std::string> ||
                          std::is_same_v<T, ResourceHandle>) {
              return x == std::get<T>(b.data_);
            } else {
              return false;
            }
          },
          a.data_);
  }
}

namespace {

// Checks a value against a type. On a mismatch, the path to the offending part
// is assembled while unwinding, so that a successful check allocates nothing.
bool matches(const Value &v, const Type &t, std::string *where);

bool inside(std::string *where, const std::string &step) {
  if (where) {
    *where = step + *where;
  }
  return false;
}

bool matches_at(const Value &v, const Type &t, std::string *where, auto &&step) {
  return matches(v, t, where) || inside(where, step());
}

bool matches(const Value &v, const Type &t, std::string *where) {
  TypeKind vk = v.kind();
  if (t.kind() == TypeKind::Own || t.kind() == TypeKind::Borrow) {
    // An owned handle may be lent where a borrow is expected.
    return vk == TypeKind::Own || (vk == TypeKind::Borrow && t.kind() == TypeKind::Borrow);
  }
  if (vk != t.kind()) {
    return false;
  }
  switch (t.kind()) {
    case TypeKind::List: {
      auto items = v.items();
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (!matches_at(items[i], t.element(), where, [&] { return "[" + std::to_string(i) + "]"; })) {
          return false;
        }
      }
      return true;
    }
    case TypeKind::Tuple: {
      auto items = v.items();
      if (items.size() != t.elements().size()) {
        return false;
      }
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (!matches_at(items[i], t.elements()[i], where, [&] { return "." + std::to_string(i); })) {
          return false;
        }
      }
      return true;
    }
    case TypeKind::Record: {
      const auto &fields = v.as_record().fields;
      if (fields.size() != t.members().size()) {
        return false;
      }
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i].name != t.members()[i].name) {
          return inside(where, "." + fields[i].name);
        }
        if (!matches_at(fields[i].value, *t.members()[i].type, where, [&] { return "." + fields[i].name; })) {
          return false;
        }
      }
      return true;
    }
    case TypeKind::Variant: {
      const auto &var = v.as_variant();
      for (const NamedType &c : t.members()) {
        if (c.name == var.name) {
          if (c.type.has_value() != !var.payload.empty()) {
            return inside(where, "." + c.name);
          }
          return !c.type || matches_at(var.payload[0], *c.type, where, [&] { return "." + c.name; });
        }
      }
      return false;
    }
    case TypeKind::Enum: {
      const auto &names = t.names();
      return std::find(names.begin(), names.end(), v.as_enum().name) != names.end();
    }
    case TypeKind::Flags: {
      const auto &names = t.names();
      for (const std::string &n : v.as_flags().names) {
        if (std::find(names.begin(), names.end(), n) == names.end()) {
          return false;
        }
      }
      return true;
    }
    case TypeKind::Option: return !v.payload() || matches_at(*v.payload(), t.element(), where, [] { return "?"; });
    case TypeKind::Result: {
      const auto &r = v.as_result();
      const auto &expected = r.is_ok ? t.ok_type() : t.err_type();
      auto step = [&] { return std::string(r.is_ok ? ".ok" : ".err"); };
      if (expected.has_value() != !r.payload.empty()) {
        return inside(where, step());
      }
      return !expected || matches_at(r.payload[0], *expected, where, step);
    }
    case TypeKind::Map: {
      std::size_t i = 0;
      for (const auto &[key, value] : v.as_map().entries) {
        auto step = [&] { return "[" + std::to_string(i) + "]"; };
        if (!matches_at(key, t.element(), where, step) || !matches_at(value, t.map_value(), where, step)) {
          return false;
        }
        ++i;
      }
      return true;
    }
    default: return true;
  }
}

}  // namespace

bool value_matches(const Value &value, const Type &type, std::string *where) {
  if (where) {
    where->clear();
  }
  return matches(value, type, where);
}

}  // namespace tairitsu
