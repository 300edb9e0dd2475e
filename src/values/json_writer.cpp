// JSON written for component values, in the mapping json.cpp reads (docs/json.md).

#include <algorithm>
#include <cstdio>

#include "values/json.hpp"
#include "values/text_common.hpp"
#include "values/text_writer.hpp"

namespace tairitsu::detail::json {

namespace {

void write_string(std::string &out, std::string_view s) {
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

// The writer of this format; TextWriter walks the value and calls it.
class Writer : public TextWriter<Writer> {
 public:
  using TextWriter::TextWriter;

 private:
  friend class TextWriter<Writer>;

  // A resource handle, by its name in the resource table.
  void write_handle(const std::string &name) { write_string(out_, name); }

  // bool, integers, floats ("nan", "inf", "-inf" as strings), char and string.
  bool write_scalar(const Value &v, const Type &t) {
    switch (t.kind()) {
      case TypeKind::Bool: out_ += v.as_bool() ? "true" : "false"; return true;
      case TypeKind::F32:
      case TypeKind::F64: {
        double d = t.kind() == TypeKind::F32 ? v.as_f32() : v.as_f64();
        std::string text = rust_float_text(d, t.kind() == TypeKind::F32);
        if (text == "nan" || text == "inf" || text == "-inf") {
          out_ += "\"" + text + "\"";
        } else {
          out_ += text;
        }
        return true;
      }
      case TypeKind::Char: {
        std::string s;
        append_utf8(s, v.as_char());
        write_string(out_, s);
        return true;
      }
      case TypeKind::String: write_string(out_, v.as_string()); return true;
      default: return append_integer(out_, v);
    }
  }

  // A list or a tuple: an array.
  bool write_sequence(const Value &v, const Type &t) {
    auto items = v.items();
    if (t.kind() == TypeKind::Tuple && items.size() != t.elements().size()) return false;
    return array(items.size(), [&](std::size_t i) {
      return write(items[i], t.kind() == TypeKind::List ? t.element() : t.elements()[i]);
    });
  }

  bool write_record(const Value &v, const Type &t) {
    if (v.as_record().fields.size() != t.members().size()) return false;
    std::vector<const NamedType *> present;
    for (const NamedType &m : t.members()) {
      if (!v.field(m.name)) return false;
      present.push_back(&m);
    }
    return object(present.size(), [&](std::size_t i) {
      key(present[i]->name);
      return write(*v.field(present[i]->name), *present[i]->type);
    });
  }

  // "case", or {"case": payload}.
  bool write_variant(const Value &v, const Type &t) {
    const auto &var = v.as_variant();
    for (const NamedType &c : t.members()) {
      if (c.name != var.name) continue;
      if (c.type.has_value() != !var.payload.empty()) return false;
      if (!c.type) {
        write_string(out_, c.name);
        return true;
      }
      return object(1, [&](std::size_t) {
        key(c.name);
        return write(var.payload[0], *c.type);
      });
    }
    return false;
  }

  bool write_enum(const Value &v, const Type &t) {
    if (std::find(t.names().begin(), t.names().end(), v.as_enum().name) == t.names().end()) return false;
    write_string(out_, v.as_enum().name);
    return true;
  }

  // An array of the names set, in the type's order.
  bool write_flags(const Value &v, const Type &t) {
    std::vector<std::string> set;
    for (const std::string &n : t.names()) {
      const auto &given = v.as_flags().names;
      if (std::find(given.begin(), given.end(), n) != given.end()) set.push_back(n);
    }
    if (set.size() != v.as_flags().names.size()) return false;
    return array(set.size(), [&](std::size_t i) {
      write_string(out_, set[i]);
      return true;
    });
  }

  // null, the value, or {"some": value} when the value's own JSON could be null.
  bool write_option(const Value &v, const Type &t) {
    if (!v.payload()) {
      out_ += "null";
      return true;
    }
    if (needs_some_wrapper(t.element())) {
      return object(1, [&](std::size_t) {
        key("some");
        return write(*v.payload(), t.element());
      });
    }
    return write(*v.payload(), t.element());
  }

  // {"ok": value} / {"err": value}, null when the case has no payload.
  bool write_result(const Value &v, const Type &t) {
    const auto &r = v.as_result();
    const auto &pt = r.is_ok ? t.ok_type() : t.err_type();
    if (pt.has_value() != !r.payload.empty()) return false;
    return object(1, [&](std::size_t) {
      key(r.is_ok ? "ok" : "err");
      if (!pt) {
        out_ += "null";
        return true;
      }
      return write(r.payload[0], *pt);
    });
  }

  // An array of [key, value] pairs.
  bool write_map(const Value &v, const Type &t) {
    const auto &entries = v.as_map().entries;
    return array(entries.size(), [&](std::size_t i) {
      return array(2, [&](std::size_t j) {
        return j == 0 ? write(entries[i].first, t.element()) : write(entries[i].second, t.map_value());
      });
    });
  }

  void newline() {
    if (pretty_) {
      out_ += '\n';
      out_.append(indent_ * 2, ' ');
    }
  }
  void key(std::string_view name) {
    write_string(out_, name);
    out_ += pretty_ ? ": " : ":";
  }
  template <typename F>
  bool bracketed(char open, char close, std::size_t n, F &&each) {
    out_ += open;
    if (n == 0) {
      out_ += close;
      return true;
    }
    ++indent_;
    for (std::size_t i = 0; i < n; ++i) {
      if (i) out_ += ',';
      newline();
      if (!each(i)) return false;
    }
    --indent_;
    newline();
    out_ += close;
    return true;
  }
  template <typename F>
  bool array(std::size_t n, F &&each) {
    return bracketed('[', ']', n, each);
  }
  template <typename F>
  bool object(std::size_t n, F &&each) {
    return bracketed('{', '}', n, each);
  }
};

Result<std::string> write_value(const Value &value, const Type &type, PrintOptions options) {
  return write_text<Writer>(value, type, options, "JSON");
}

}  // namespace

Result<std::string> print(const Value &value, const Type &type, PrintOptions options) {
  return write_value(value, type, options);
}

Result<std::string> print_params(std::span<const Value> values, std::span<const Param> params, PrintOptions options) {
  std::vector<Type> elements;
  for (const Param &p : params) elements.push_back(p.type);
  return write_value(Value::tuple(std::vector<Value>(values.begin(), values.end())), Type::tuple(elements),
                     PrintOptions{false, options.resources});
}

}  // namespace tairitsu::detail::json
