// RON written for component values, the way ron.cpp reads it: WIT names
// the Rust way (fields snake_case, cases UpperCamelCase).

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "values/ron.hpp"
#include "values/text_common.hpp"

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

class Writer {
 public:
  Writer(bool pretty, ResourceTable *resources) : pretty_(pretty), resources_(resources) {}

  bool write(const Value &v, const Type &t) {
    if (t.kind() == TypeKind::Own || t.kind() == TypeKind::Borrow) {
      auto name = resource_to_text(v, resources_);
      if (!name) {
        unsupported_ = true;
        return false;
      }
      out_ += *name;
      return true;
    }
    if (t.kind() != v.kind()) {
      return false;
    }
    switch (t.kind()) {
      case TypeKind::Bool: out_ += v.as_bool() ? "true" : "false"; return true;
      case TypeKind::S8:
      case TypeKind::U8:
      case TypeKind::S16:
      case TypeKind::U16:
      case TypeKind::S32:
      case TypeKind::U32:
      case TypeKind::S64:
      case TypeKind::U64: return append_integer(out_, v);
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
      case TypeKind::List: {
        auto items = v.items();
        return seq('[', ']', items.size(), [&](std::size_t i) { return write(items[i], t.element()); });
      }
      case TypeKind::Tuple: {
        auto items = v.items();
        if (items.size() != t.elements().size()) return false;
        return seq('(', ')', items.size(), [&](std::size_t i) { return write(items[i], t.elements()[i]); });
      }
      case TypeKind::Record: {
        if (v.as_record().fields.size() != t.members().size()) return false;
        return seq('(', ')', t.members().size(), [&](std::size_t i) {
          const NamedType &m = t.members()[i];
          const Value *fv = v.field(m.name);
          if (!fv) return false;
          out_ += snake(m.name) + ": ";
          return write(*fv, *m.type);
        });
      }
      case TypeKind::Variant: {
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
      case TypeKind::Enum:
        if (std::find(t.names().begin(), t.names().end(), v.as_enum().name) == t.names().end()) return false;
        out_ += camel(v.as_enum().name);
        return true;
      case TypeKind::Flags: {
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
      case TypeKind::Option:
        if (!v.payload()) {
          out_ += "None";
          return true;
        }
        out_ += "Some(";
        if (!write(*v.payload(), t.element())) return false;
        out_ += ')';
        return true;
      case TypeKind::Result: {
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
      case TypeKind::Map: {
        const auto &entries = v.as_map().entries;
        return seq('{', '}', entries.size(), [&](std::size_t i) {
          if (!write(entries[i].first, t.element())) return false;
          out_ += ": ";
          return write(entries[i].second, t.map_value());
        });
      }
      default: unsupported_ = true; return false;
    }
  }

  std::string take() { return std::move(out_); }
  bool unsupported() const { return unsupported_; }

 private:
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

  bool pretty_;
  ResourceTable *resources_;
  std::size_t indent_ = 0;
  std::string out_;
  bool unsupported_ = false;
};

Result<std::string> write_value(const Value &value, const Type &type, PrintOptions options) {
  Writer w(options.pretty, options.resources);
  if (!w.write(value, type)) {
    if (w.unsupported())
      return Error(ErrorCode::Unsupported, "values of type " + type.to_string() + " have no RON form");
    return Error(ErrorCode::TypeMismatch, "cannot print " + value.to_string() + " as " + type.to_string());
  }
  return w.take();
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
