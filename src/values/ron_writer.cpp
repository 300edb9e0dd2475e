// RON written for component values, the way ron.cpp reads it: WIT names
// the Rust way (fields snake_case, cases UpperCamelCase).

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "values/ron.hpp"
#include "values/text_common.hpp"
#include "values/text_writer.hpp"

namespace tairitsu::detail::ron {

namespace {

void write_char(std::string &out, char32_t c, char quote) {
  switch (c) {
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    case '\\': out += "\\\\"; return;
    case '\0': out += "\\0"; return;
    default: break;
  }
  if (c == static_cast<char32_t>(quote)) {
    out += '\\';
    out += quote;
    return;
  }
  if (c < 0x20 || c == 0x7F) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "\\u{%x}", static_cast<unsigned>(c));
    out += buf;
    return;
  }
  append_utf8(out, c);
}

std::string ron_float(double v, bool is_f32) {
  if (std::isnan(v)) return "NaN";
  std::string text = rust_float_text(v, is_f32);
  if (text != "inf" && text != "-inf" && text.find('.') == std::string::npos) text += ".0";
  return text;
}

// The writer of this format; TextWriter walks the value and calls it.
class Writer : public TextWriter<Writer> {
 public:
  using TextWriter::TextWriter;

 private:
  friend class TextWriter<Writer>;

  // A resource handle, by its name in the resource table.
  void write_handle(const std::string &name) { out_ += name; }

  // bool, integers, floats, 'c' and "string".
  bool write_scalar(const Value &v, const Type &t) {
    switch (t.kind()) {
      case TypeKind::Bool: out_ += v.as_bool() ? "true" : "false"; return true;
      case TypeKind::F32: out_ += ron_float(v.as_f32(), true); return true;
      case TypeKind::F64: out_ += ron_float(v.as_f64(), false); return true;
      case TypeKind::Char:
        out_ += '\'';
        write_char(out_, v.as_char(), '\'');
        out_ += '\'';
        return true;
      case TypeKind::String: {
        out_ += '"';
        const std::string &s = v.as_string();
        std::size_t pos = 0;
        while (pos < s.size()) {
          auto c = decode_utf8(s, pos);
          if (!c) return false;
          write_char(out_, *c, '"');
        }
        out_ += '"';
        return true;
      }
      default: return append_integer(out_, v);
    }
  }

  // A list [a, b] or a tuple (a, b).
  bool write_sequence(const Value &v, const Type &t) {
    auto items = v.items();
    if (t.kind() == TypeKind::List) {
      return seq('[', ']', items.size(), [&](std::size_t i) { return write(items[i], t.element()); });
    }
    if (items.size() != t.elements().size()) return false;
    return seq('(', ')', items.size(), [&](std::size_t i) { return write(items[i], t.elements()[i]); });
  }

  // (field_name: value, ...)
  bool write_record(const Value &v, const Type &t) {
    if (v.as_record().fields.size() != t.members().size()) return false;
    return seq('(', ')', t.members().size(), [&](std::size_t i) {
      const NamedType &m = t.members()[i];
      const Value *fv = v.field(m.name);
      if (!fv) return false;
      out_ += snake(m.name) + ": ";
      return write(*fv, *m.type);
    });
  }

  // CaseName, or CaseName(payload).
  bool write_variant(const Value &v, const Type &t) {
    const auto &var = v.as_variant();
    for (const NamedType &c : t.members()) {
      if (c.name != var.name) continue;
      if (c.type.has_value() != !var.payload.empty()) return false;
      out_ += camel(c.name);
      if (!c.type) return true;
      out_ += '(';
      bool ok = write(var.payload[0], *c.type);
      out_ += ')';
      return ok;
    }
    return false;
  }

  bool write_enum(const Value &v, const Type &t) {
    if (std::find(t.names().begin(), t.names().end(), v.as_enum().name) == t.names().end()) return false;
    out_ += camel(v.as_enum().name);
    return true;
  }

  // [Read, Write]: the names set, in the type's order.
  bool write_flags(const Value &v, const Type &t) {
    std::vector<std::string> set;
    const auto &given = v.as_flags().names;
    for (const std::string &n : t.names()) {
      if (std::find(given.begin(), given.end(), n) != given.end()) set.push_back(n);
    }
    if (set.size() != given.size()) return false;
    return seq('[', ']', set.size(), [&](std::size_t i) {
      out_ += camel(set[i]);
      return true;
    });
  }

  // None or Some(value).
  bool write_option(const Value &v, const Type &t) {
    if (!v.payload()) {
      out_ += "None";
      return true;
    }
    out_ += "Some(";
    if (!write(*v.payload(), t.element())) return false;
    out_ += ')';
    return true;
  }

  // Ok(value) / Err(value), Ok(()) when the case has no payload.
  bool write_result(const Value &v, const Type &t) {
    const auto &r = v.as_result();
    const auto &pt = r.is_ok ? t.ok_type() : t.err_type();
    if (pt.has_value() != !r.payload.empty()) return false;
    out_ += r.is_ok ? "Ok(" : "Err(";
    if (pt) {
      if (!write(r.payload[0], *pt)) return false;
    } else {
      out_ += "()";
    }
    out_ += ')';
    return true;
  }

  // {key: value, ...}
  bool write_map(const Value &v, const Type &t) {
    const auto &entries = v.as_map().entries;
    return seq('{', '}', entries.size(), [&](std::size_t i) {
      if (!write(entries[i].first, t.element())) return false;
      out_ += ": ";
      return write(entries[i].second, t.map_value());
    });
  }

  template <typename F>
  bool seq(char open, char close, std::size_t n, F &&each) {
    out_ += open;
    if (n == 0) {
      out_ += close;
      return true;
    }
    ++indent_;
    for (std::size_t i = 0; i < n; ++i) {
      if (pretty_) {
        out_ += '\n';
        out_.append(indent_ * 4, ' ');
      } else if (i) {
        out_ += ' ';
      }
      if (!each(i)) return false;
      if (pretty_ || i + 1 < n) out_ += ',';
    }
    --indent_;
    if (pretty_) {
      out_ += '\n';
      out_.append(indent_ * 4, ' ');
    }
    out_ += close;
    return true;
  }
};

Result<std::string> write_value(const Value &value, const Type &type, PrintOptions options) {
  return write_text<Writer>(value, type, options, "RON");
}

}  // namespace

Result<std::string> print(const Value &value, const Type &type, PrintOptions options) {
  return write_value(value, type, options);
}

Result<std::string> print_params(std::span<const Value> values, std::span<const Param> params, PrintOptions options) {
  std::vector<Type> elements;
  for (const Param &p : params) elements.push_back(p.type);
  if (values.size() != params.size()) {
    return Error(ErrorCode::TypeMismatch,
                 "expected " + std::to_string(params.size()) + " values, got " + std::to_string(values.size()));
  }
  return write_value(Value::tuple(std::vector<Value>(values.begin(), values.end())), Type::tuple(elements),
                     PrintOptions{false, options.resources});
}

}  // namespace tairitsu::detail::ron
