// WAVE written canonically, exactly as the wasm-wave crate (0.254) writes it.

#include <algorithm>
#include <cstdio>
#include <string>

#include "values/text_common.hpp"
#include "values/wave.hpp"
#include "values/wave_syntax.hpp"

namespace tairitsu::detail::wave {

namespace {

// --------------------------------------------------------------- printing --

constexpr std::pair<uint32_t, uint32_t> kEscapedRanges[] = {
#include "values/wave_escape_table.inc"
};

bool escaped_by_writer(char32_t c) {
  auto it = std::upper_bound(std::begin(kEscapedRanges), std::end(kEscapedRanges), c,
                             [](char32_t v, const auto &r) { return v < r.first; });
  if (it == std::begin(kEscapedRanges)) {
    return false;
  }
  --it;
  return c >= it->first && c <= it->second;
}

void write_char(std::string &out, char32_t c) {
  switch (c) {
    case '\\': out += "\\\\"; return;
    case '"': out += "\\\""; return;
    case '\'': out += "\\'"; return;
    case '\t': out += "\\t"; return;
    case '\r': out += "\\r"; return;
    case '\n': out += "\\n"; return;
    default: break;
  }
  if (escaped_by_writer(c)) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\u{%x}", static_cast<unsigned>(c));
    out += buf;
    return;
  }
  append_utf8(out, c);
}

bool is_keyword(std::string_view name) { return keyword(name) != Keyword::None_; }

class Printer {
 public:
  Printer(ResourceTable *resources, bool pretty) : resources_(resources), pretty_(pretty) {}

  bool print(const Value &v, const Type &t, std::string &out) {
    if (!kind_matches(v, t)) {
      return false;
    }
    switch (t.kind()) {
      case TypeKind::Bool:
      case TypeKind::S8:
      case TypeKind::U8:
      case TypeKind::S16:
      case TypeKind::U16:
      case TypeKind::S32:
      case TypeKind::U32:
      case TypeKind::S64:
      case TypeKind::U64:
      case TypeKind::F32:
      case TypeKind::F64:
      case TypeKind::Char:
      case TypeKind::String: return print_scalar(v, t, out);
      case TypeKind::List:
      case TypeKind::Tuple: return print_sequence(v, t, out);
      case TypeKind::Record: return print_record(v, t, out);
      case TypeKind::Variant: return print_variant(v, t, out);
      case TypeKind::Enum: return print_enum(v, t, out);
      case TypeKind::Option: return print_option(v, t, out);
      case TypeKind::Result: return print_result(v, t, out);
      case TypeKind::Flags: return print_flags(v, t, out);
      case TypeKind::Own:
      case TypeKind::Borrow: return print_resource(v, out);
      default: unsupported_ = true; return false;
    }
  }

  bool unsupported() const { return unsupported_; }

 private:
  static bool kind_matches(const Value &v, const Type &t) {
    if (t.kind() == TypeKind::Own || t.kind() == TypeKind::Borrow) {
      return v.kind() == TypeKind::Own || v.kind() == TypeKind::Borrow;
    }
    return v.kind() == t.kind();
  }

  // bool, integers, floats, char and string.
  static bool print_scalar(const Value &v, const Type &t, std::string &out) {
    switch (t.kind()) {
      case TypeKind::Bool: out += v.as_bool() ? "true" : "false"; return true;
      case TypeKind::F32: out += rust_float_text(v.as_f32(), true); return true;
      case TypeKind::F64: out += rust_float_text(v.as_f64(), false); return true;
      case TypeKind::Char:
        out += '\'';
        write_char(out, v.as_char());
        out += '\'';
        return true;
      case TypeKind::String: return print_string(v.as_string(), out);
      default: return append_integer(out, v);
    }
  }

  static bool print_string(const std::string &s, std::string &out) {
    out += '"';
    std::size_t pos = 0;
    while (pos < s.size()) {
      auto c = decode_utf8(s, pos);
      if (!c) {
        return false;
      }
      write_char(out, *c);
    }
    out += '"';
    return true;
  }

  // A list [a, b] or a tuple (a, b).
  bool print_sequence(const Value &v, const Type &t, std::string &out) {
    bool is_list = t.kind() == TypeKind::List;
    out += is_list ? '[' : '(';
    auto items = v.items();
    if (!is_list && items.size() != t.elements().size()) {
      return false;
    }
    ++depth_;
    for (std::size_t i = 0; i < items.size(); ++i) {
      separate(out, i == 0);
      if (!print(items[i], is_list ? t.element() : t.elements()[i], out)) {
        return false;
      }
    }
    close(out, !items.empty());
    out += is_list ? ']' : ')';
    return true;
  }

  bool print_record(const Value &v, const Type &t, std::string &out) {
    out += '{';
    bool first = true;
    if (v.as_record().fields.size() != t.members().size()) {
      return false;
    }
    ++depth_;
    for (const NamedType &f : t.members()) {
      const Value *fv = v.field(f.name);
      if (!fv) {
        return false;
      }
      if (fv->kind() == TypeKind::Option && !fv->payload()) {
        continue;  // none fields are left out
      }
      separate(out, first);
      first = false;
      out += f.name;
      out += ": ";
      if (!print(*fv, *f.type, out)) {
        return false;
      }
    }
    close(out, !first);
    if (first) {
      out += ':';
    }
    out += '}';
    return true;
  }

  bool print_variant(const Value &v, const Type &t, std::string &out) {
    const auto &var = v.as_variant();
    for (const NamedType &c : t.members()) {
      if (c.name != var.name) {
        continue;
      }
      if (is_keyword(c.name)) {
        out += '%';
      }
      out += c.name;
      if (c.type.has_value() != !var.payload.empty()) {
        return false;
      }
      return !c.type || print_payload(var.payload[0], *c.type, out);
    }
    return false;
  }

  static bool print_enum(const Value &v, const Type &t, std::string &out) {
    const std::string &name = v.as_enum().name;
    if (std::find(t.names().begin(), t.names().end(), name) == t.names().end()) {
      return false;
    }
    if (is_keyword(name)) {
      out += '%';
    }
    out += name;
    return true;
  }

  bool print_option(const Value &v, const Type &t, std::string &out) {
    if (!v.payload()) {
      out += "none";
      return true;
    }
    out += "some";
    return print_payload(*v.payload(), t.element(), out);
  }

  bool print_result(const Value &v, const Type &t, std::string &out) {
    const auto &r = v.as_result();
    const auto &pt = r.is_ok ? t.ok_type() : t.err_type();
    if (pt.has_value() != !r.payload.empty()) {
      return false;
    }
    out += r.is_ok ? "ok" : "err";
    return !pt || print_payload(r.payload[0], *pt, out);
  }

  // A case's payload, in parentheses.
  bool print_payload(const Value &v, const Type &t, std::string &out) {
    out += '(';
    if (!print(v, t, out)) {
      return false;
    }
    out += ')';
    return true;
  }

  bool print_flags(const Value &v, const Type &t, std::string &out) {
    out += '{';
    bool first = true;
    const auto &set = v.as_flags().names;
    for (const std::string &name : set) {
      if (std::find(t.names().begin(), t.names().end(), name) == t.names().end()) {
        return false;
      }
    }
    ++depth_;
    for (const std::string &name : t.names()) {
      if (std::find(set.begin(), set.end(), name) != set.end()) {
        separate(out, first);
        first = false;
        out += name;
      }
    }
    close(out, !first);
    out += '}';
    return true;
  }

  bool print_resource(const Value &v, std::string &out) {
    if (auto name = resource_to_text(v, resources_)) {
      out += *name;
      return true;
    }
    unsupported_ = true;
    return false;
  }

  // Between elements: ", " compact; a line break and indentation when pretty.
  void separate(std::string &out, bool first) const {
    if (pretty_) {
      out += first ? "\n" : ",\n";
      out.append(depth_ * 2, ' ');
    } else if (!first) {
      out += ", ";
    }
  }
  // After the last element: a trailing comma and the closing line when pretty.
  void close(std::string &out, bool any) {
    --depth_;
    if (pretty_ && any) {
      out += ",\n";
      out.append(depth_ * 2, ' ');
    }
  }

  ResourceTable *resources_;
  bool pretty_;
  std::size_t depth_ = 0;
  bool unsupported_ = false;
};

}  // namespace

Result<std::string> print(const Value &value, const Type &type, PrintOptions options) {
  std::string out;
  Printer printer(options.resources, options.pretty);
  if (!printer.print(value, type, out)) {
    if (printer.unsupported()) {
      return Error(ErrorCode::Unsupported, "values of type " + type.to_string() + " have no WAVE form");
    }
    return Error(ErrorCode::TypeMismatch, "cannot print " + value.to_string() + " as " + type.to_string());
  }
  return out;
}

Result<std::string> print_params(std::span<const Value> values, std::span<const Param> params, PrintOptions options) {
  if (values.size() != params.size()) {
    return Error(ErrorCode::TypeMismatch,
                 "expected " + std::to_string(params.size()) + " values, got " + std::to_string(values.size()));
  }
  std::string out = "(";
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto text = print(values[i], params[i].type, options);
    if (!text) {
      return std::move(text).error().with_context("argument '" + params[i].name + "'");
    }
    out += (i ? ", " : "") + *text;
  }
  return out + ")";
}

}  // namespace tairitsu::detail::wave
