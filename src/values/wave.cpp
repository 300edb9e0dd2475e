// WAVE, the WebAssembly Value Encoding, read exactly as the wasm-wave crate
// (0.254) does: the same tokens and the same two-step parse, an untyped tree
// first (wave_syntax.hpp), then conversion against the type (here).
// tests/values/wave_conformance_test.cpp checks it against vectors produced
// by that crate; wave_printer.cpp writes values.

#include "values/wave.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "values/text_common.hpp"
#include "values/wave_syntax.hpp"

namespace tairitsu::detail::wave {

namespace {

// ------------------------------------------------------------ conversion --

// Decodes an escape at the start of `s`: the character and the length, or nothing.
std::optional<std::pair<char32_t, std::size_t>> unescape(std::string_view s) {
  if (s.size() < 2 || s[0] != '\\') {
    return std::nullopt;
  }
  switch (s[1]) {
    case '\\': return std::pair{U'\\', std::size_t{2}};
    case '\'': return std::pair{U'\'', std::size_t{2}};
    case '"': return std::pair{U'"', std::size_t{2}};
    case 't': return std::pair{U'\t', std::size_t{2}};
    case 'n': return std::pair{U'\n', std::size_t{2}};
    case 'r': return std::pair{U'\r', std::size_t{2}};
    case 'u': {
      if (s.size() < 3 || s[2] != '{') {
        return std::nullopt;
      }
      uint32_t v = 0;
      std::size_t digits = 0;
      std::size_t i = 3;
      while (true) {
        if (i >= s.size()) {
          return std::nullopt;
        }
        char c = s[i++];
        if (c == '}') {
          if (digits == 0) {
            return std::nullopt;
          }
          break;
        }
        if (!is_hex(c)) {
          return std::nullopt;
        }
        v = (v << 4) | static_cast<uint32_t>(is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
        if (++digits > 6) {
          return std::nullopt;
        }
      }
      if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        return std::nullopt;
      }
      return std::pair{static_cast<char32_t>(v), digits + 4};
    }
    default: return std::nullopt;
  }
}

class Converter {
 public:
  Converter(std::string_view src, const ResourceTable *resources) : src_(src), resources_(resources) {}

  std::optional<Value> convert(const Node &node, const Type &type) {
    switch (type.kind()) {
      case TypeKind::Bool: return convert_bool(node, type);
      case TypeKind::S8:
      case TypeKind::S16:
      case TypeKind::S32:
      case TypeKind::S64:
      case TypeKind::U8:
      case TypeKind::U16:
      case TypeKind::U32:
      case TypeKind::U64:
      case TypeKind::F32:
      case TypeKind::F64: return convert_number(node, type);
      case TypeKind::Char: return convert_char(node, type);
      case TypeKind::String: return convert_string(node, type);
      case TypeKind::List:
      case TypeKind::Tuple: return convert_sequence(node, type);
      case TypeKind::Record: return convert_record(node, type);
      case TypeKind::Variant: return convert_variant(node, type);
      case TypeKind::Enum: return convert_enum(node, type);
      case TypeKind::Option: return convert_option(node, type);
      case TypeKind::Result: return convert_result(node, type);
      case TypeKind::Flags: return convert_flags(node, type);
      case TypeKind::Own:
      case TypeKind::Borrow: return convert_resource(node, type);
      default: return fail(node.start, "values of type " + type.to_string() + " have no WAVE form");
    }
  }

  std::optional<std::vector<Value>> convert_params(const Node &tuple, std::span<const Param> params) {
    std::vector<Value> values;
    for (std::size_t i = 0; i < tuple.children.size(); ++i) {
      if (i >= params.size()) {
        return fail(tuple.children[i].start, "more arguments than the " + std::to_string(params.size()) + " expected");
      }
      auto v = convert(tuple.children[i], params[i].type);
      if (!v) {
        if (!failure_.message.empty() && failure_.message.rfind("argument", 0) != 0) {
          failure_.message = "argument '" + params[i].name + "': " + failure_.message;
        }
        return std::nullopt;
      }
      values.push_back(std::move(*v));
    }
    for (std::size_t i = tuple.children.size(); i < params.size(); ++i) {
      if (params[i].type.kind() != TypeKind::Option) {
        return fail(tuple.end == 0 ? 0 : tuple.end - 1,
                    "missing argument '" + params[i].name + "' of type " + params[i].type.to_string());
      }
      values.push_back(Value::none());
    }
    return values;
  }

  const ParseFailure &failure() const { return failure_; }

 private:
  std::string_view slice(const Node &n) const { return src_.substr(n.start, n.end - n.start); }

  std::string_view label(const Node &n) const {
    std::string_view s = slice(n);
    return s.substr(0, 1) == "%" ? s.substr(1) : s;
  }

  std::nullopt_t fail(std::size_t offset, std::string message) {
    failure_ = {offset, std::move(message)};
    return std::nullopt;
  }

  static const char *describe(NodeType t) {
    switch (t) {
      case NodeType::BoolTrue:
      case NodeType::BoolFalse: return "a bool";
      case NodeType::Number: return "a number";
      case NodeType::Char: return "a char";
      case NodeType::String:
      case NodeType::MultilineString: return "a string";
      case NodeType::Tuple: return "a tuple";
      case NodeType::List: return "a list";
      case NodeType::Record: return "a record";
      case NodeType::Label: return "a label";
      case NodeType::VariantWithPayload: return "a case with a payload";
      case NodeType::OptionSome: return "some(...)";
      case NodeType::OptionNone: return "none";
      case NodeType::ResultOk: return "ok";
      case NodeType::ResultErr: return "err";
      case NodeType::Flags: return "flags";
    }
    return "a value";
  }

  std::nullopt_t invalid_type(const Node &node, const Type &type) {
    return fail(node.start, "expected " + type.to_string() + ", found " + describe(node.type) + " " +
                                quote_at(src_, node.start, node.end));
  }

  std::nullopt_t invalid_value(const Node &node, const std::string &why) {
    return fail(node.start, quote_at(src_, node.start, node.end) + " " + why);
  }

  std::optional<Value> convert_bool(const Node &node, const Type &type) {
    if (node.type == NodeType::BoolTrue || node.type == NodeType::BoolFalse) {
      return Value::boolean(node.type == NodeType::BoolTrue);
    }
    return invalid_type(node, type);
  }

  // An integer or a float, in range for its type.
  std::optional<Value> convert_number(const Node &node, const Type &type) {
    if (node.type != NodeType::Number) {
      return invalid_type(node, type);
    }
    bool is_float = type.kind() == TypeKind::F32 || type.kind() == TypeKind::F64;
    if (auto v = is_float ? parse_float(slice(node), type.kind()) : parse_integer(slice(node), type.kind())) {
      return v;
    }
    return invalid_value(node, "is not a valid " + type.to_string());
  }

  std::optional<Value> convert_string(const Node &node, const Type &type) {
    auto s = string_of(node, type);
    if (!s) {
      return std::nullopt;
    }
    return Value::string(std::move(*s));
  }

  // A list of any length, or a tuple of exactly its elements.
  std::optional<Value> convert_sequence(const Node &node, const Type &type) {
    bool is_list = type.kind() == TypeKind::List;
    if (node.type != (is_list ? NodeType::List : NodeType::Tuple)) {
      return invalid_type(node, type);
    }
    if (!is_list && node.children.size() != type.elements().size()) {
      return fail(node.start, "expected a tuple of " + std::to_string(type.elements().size()) + " values, found " +
                                  std::to_string(node.children.size()));
    }
    std::vector<Value> items;
    items.reserve(node.children.size());
    for (std::size_t i = 0; i < node.children.size(); ++i) {
      auto v = convert(node.children[i], is_list ? type.element() : type.elements()[i]);
      if (!v) {
        return std::nullopt;
      }
      items.push_back(std::move(*v));
    }
    return is_list ? Value::list(std::move(items)) : Value::tuple(std::move(items));
  }

  std::optional<Value> convert_enum(const Node &node, const Type &type) {
    if (node.type != NodeType::Label) {
      return invalid_type(node, type);
    }
    std::string name(label(node));
    const auto &names = type.names();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      return fail(node.start, "unknown case \"" + name + "\" of " + type.to_string());
    }
    return Value::enumeration(std::move(name));
  }

  std::optional<Value> convert_flags(const Node &node, const Type &type) {
    if (node.type != NodeType::Flags) {
      return invalid_type(node, type);
    }
    std::vector<std::string> set;
    for (const Node &child : node.children) {
      // The crate looks flags up with their '%' (so "%a" is unknown), though
      // its duplicate check ignores it.
      std::string name(slice(child));
      const auto &names = type.names();
      if (std::find(names.begin(), names.end(), name) == names.end()) {
        return fail(child.start, "unknown flag \"" + name + "\" of " + type.to_string());
      }
      set.push_back(std::move(name));
    }
    return Value::flags(std::move(set));
  }

  // A handle by its name in the resource table.
  std::optional<Value> convert_resource(const Node &node, const Type &type) {
    if (node.type != NodeType::Label) {
      return invalid_type(node, type);
    }
    auto handle = resource_from_text(label(node), type, resources_);
    if (!handle) {
      return fail(node.start, handle.error().message());
    }
    return std::move(*handle);
  }

  std::optional<Value> convert_char(const Node &node, const Type &type) {
    if (node.type != NodeType::Char) {
      return invalid_type(node, type);
    }
    std::string_view inner = src_.substr(node.start + 1, node.end - node.start - 2);
    if (!inner.empty() && inner[0] == '\\') {
      auto esc = unescape(inner);
      if (!esc) {
        return fail(node.start, "invalid escape in " + quote_at(src_, node.start, node.end));
      }
      if (esc->second != inner.size()) {
        return fail(node.start, "more than one character in " + quote_at(src_, node.start, node.end));
      }
      return Value::character(esc->first);
    }
    std::size_t pos = 0;
    auto c = decode_utf8(inner, pos);
    if (!c || pos != inner.size()) {
      return fail(node.start, "more than one character in " + quote_at(src_, node.start, node.end));
    }
    return Value::character(*c);
  }

  // Appends the decoded content of one line of string text (escapes resolved).
  bool append_unescaped(std::string &out, std::string_view part, std::size_t offset) {
    std::size_t i = 0;
    while (i < part.size()) {
      std::size_t slash = part.find('\\', i);
      if (slash == std::string_view::npos) {
        out.append(part.substr(i));
        break;
      }
      out.append(part.substr(i, slash - i));
      auto esc = unescape(part.substr(slash));
      if (!esc) {
        fail(offset + slash, "invalid escape " + quote_at(src_, offset + slash, offset + slash + 2));
        return false;
      }
      append_utf8(out, esc->first);
      i = slash + esc->second;
    }
    return true;
  }

  std::optional<std::string> string_of(const Node &node, const Type &type) {
    if (node.type == NodeType::String) {
      std::string out;
      if (!append_unescaped(out, src_.substr(node.start + 1, node.end - node.start - 2), node.start + 1)) {
        return std::nullopt;
      }
      return out;
    }
    if (node.type != NodeType::MultilineString) {
      invalid_type(node, type);
      return std::nullopt;
    }
    // """<newline> lines... <indent>"""; the closing line's spaces are the
    // indent removed from every line; the final newline is not part of it.
    std::size_t pos = node.start + 3;
    std::string_view body = src_.substr(pos, node.end - node.start - 6);
    std::size_t end = node.end;
    std::size_t next_pos = pos + 1;
    if (!body.empty() && body[0] == '\r') {
      body.remove_prefix(1);
      next_pos = pos + 2;
    }
    std::vector<std::string_view> lines;
    std::size_t from = 0;
    while (true) {
      std::size_t nl = body.find('\n', from);
      lines.push_back(body.substr(from, nl == std::string_view::npos ? std::string_view::npos : nl - from));
      if (nl == std::string_view::npos) {
        break;
      }
      from = nl + 1;
    }
    std::string_view indent = lines.back();
    lines.pop_back();
    if (indent.find_first_not_of(' ') != std::string_view::npos) {
      fail(end - 3, "closing \"\"\" must be on a line preceded only by spaces");
      return std::nullopt;
    }
    if (lines.empty() || !lines.front().empty()) {
      fail(pos, "opening \"\"\" must be followed immediately by newline");
      return std::nullopt;
    }
    std::string out;
    bool first = true;
    for (std::size_t i = 1; i < lines.size(); ++i) {
      std::string_view line = lines[i];
      std::size_t line_pos = next_pos;
      next_pos += line.size() + 1;
      if (line.substr(0, indent.size()) != indent) {
        fail(line_pos, "lines must be indented at least as much as closing \"\"\"");
        return std::nullopt;
      }
      line.remove_prefix(indent.size());
      if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
      }
      if (!first) {
        out += '\n';
      }
      first = false;
      if (!append_unescaped(out, line, line_pos + indent.size())) {
        return std::nullopt;
      }
    }
    return out;
  }

  std::optional<Value> convert_record(const Node &node, const Type &type) {
    if (node.type != NodeType::Record) {
      return invalid_type(node, type);
    }
    std::map<std::string_view, const Node *> given;
    for (std::size_t i = 0; i + 1 < node.children.size(); i += 2) {
      given.emplace(label(node.children[i]), &node.children[i + 1]);
    }
    std::vector<Field> fields;
    for (const NamedType &f : type.members()) {
      auto it = given.find(f.name);
      if (it != given.end()) {
        auto v = convert(*it->second, *f.type);
        if (!v) {
          return std::nullopt;
        }
        fields.push_back({f.name, std::move(*v)});
      } else if (f.type->kind() == TypeKind::Option) {
        fields.push_back({f.name, Value::none()});
      } else {
        return fail(node.start, "missing field \"" + f.name + "\" of " + type.to_string());
      }
    }
    return Value::record(std::move(fields));
  }

  std::optional<Value> maybe_payload(const Node &node, std::string_view name, const std::optional<Type> &payload_type,
                                     const Node *payload) {
    if (payload_type && payload) {
      return convert(*payload, *payload_type);
    }
    if (!payload_type && !payload) {
      return Value::unit();  // marker: no payload
    }
    if (payload_type) {
      return fail(node.start,
                  "case \"" + std::string(name) + "\" needs a payload of type " + payload_type->to_string());
    }
    return fail(node.start, "case \"" + std::string(name) + "\" has no payload");
  }

  std::optional<Value> convert_variant(const Node &node, const Type &type) {
    std::string_view name;
    const Node *payload = nullptr;
    if (node.type == NodeType::Label) {
      name = label(node);
    } else if (node.type == NodeType::VariantWithPayload) {
      name = label(node.children[0]);
      payload = &node.children[1];
    } else {
      return invalid_type(node, type);
    }
    for (const NamedType &c : type.members()) {
      if (c.name == name) {
        auto p = maybe_payload(node, name, c.type, payload);
        if (!p) {
          return std::nullopt;
        }
        return c.type ? Value::variant(c.name, std::move(*p)) : Value::variant(c.name);
      }
    }
    return fail(node.start, "unknown case \"" + std::string(name) + "\" of " + type.to_string());
  }

  static bool flattenable(TypeKind k) { return k != TypeKind::Option && k != TypeKind::Result; }

  std::optional<Value> convert_option(const Node &node, const Type &type) {
    const Type &some = type.element();
    if (node.type == NodeType::OptionSome) {
      auto v = convert(node.children[0], some);
      if (!v) {
        return std::nullopt;
      }
      return Value::some(std::move(*v));
    }
    if (node.type == NodeType::OptionNone) {
      return Value::none();
    }
    if (flattenable(some.kind())) {
      auto v = convert(node, some);
      if (!v) {
        return std::nullopt;
      }
      return Value::some(std::move(*v));
    }
    return invalid_type(node, type);
  }

  std::optional<Value> convert_result(const Node &node, const Type &type) {
    if (node.type == NodeType::ResultOk || node.type == NodeType::ResultErr) {
      bool ok = node.type == NodeType::ResultOk;
      const Node *payload = node.children.empty() ? nullptr : &node.children[0];
      const auto &payload_type = ok ? type.ok_type() : type.err_type();
      auto p = maybe_payload(node, ok ? "ok" : "err", payload_type, payload);
      if (!p) {
        return std::nullopt;
      }
      std::optional<Value> inner;
      if (payload_type) {
        inner = std::move(*p);
      }
      return ok ? Value::ok(std::move(inner)) : Value::err(std::move(inner));
    }
    if (type.ok_type() && flattenable(type.ok_type()->kind())) {
      auto v = convert(node, *type.ok_type());
      if (!v) {
        return std::nullopt;
      }
      return Value::ok(std::move(*v));
    }
    return invalid_type(node, type);
  }

  std::string_view src_;
  const ResourceTable *resources_;
  ParseFailure failure_{0, ""};
};

// The arguments of most calls: integers only, written plainly ("(1, -2)").
// Read straight from the text, without tokens and a tree; anything else,
// every error included, is left to the general parser.
std::optional<std::vector<Value>> plain_integers(std::string_view text, std::span<const Param> params) {
  if (params.empty() || text.size() < 3 || text.front() != '(' || text.back() != ')') {
    return std::nullopt;
  }
  std::vector<Value> out;
  out.reserve(params.size());
  std::size_t pos = 1;
  auto skip_spaces = [&] {
    while (pos < text.size() && text[pos] == ' ') ++pos;
  };
  for (std::size_t i = 0; i < params.size(); ++i) {
    TypeKind kind = params[i].type.kind();
    if (kind < TypeKind::S8 || kind > TypeKind::U64) {
      return std::nullopt;
    }
    skip_spaces();
    std::size_t start = pos;
    if (pos < text.size() && text[pos] == '-') ++pos;
    if (pos >= text.size() || !is_digit(text[pos])) {
      return std::nullopt;
    }
    if (text[pos] == '0') {
      ++pos;  // as the lexer reads numbers: no leading zeros
    } else {
      while (pos < text.size() && is_digit(text[pos])) ++pos;
    }
    auto value = parse_integer(text.substr(start, pos - start), kind);
    if (!value) {
      return std::nullopt;
    }
    out.push_back(std::move(*value));
    skip_spaces();
    if (pos >= text.size() || text[pos] != (i + 1 < params.size() ? ',' : ')')) {
      return std::nullopt;
    }
    ++pos;
  }
  if (pos != text.size()) {
    return std::nullopt;
  }
  return out;
}

}  // namespace

Result<Value> parse(std::string_view text, const Type &type, const TextLimits &limits) {
  if (text.size() > limits.max_bytes) {
    return input_too_long("WAVE", text.size(), limits);
  }
  // As the crate does: the value is parsed and converted, and only then is the
  // rest of the input checked, so a type error wins over trailing characters.
  Parser parser(text, limits.max_depth);
  Node root;
  if (!parser.parse_node(root)) {
    return make_error(text, parser.failure());
  }
  Converter converter(text, limits.resources);
  auto value = converter.convert(root, type);
  if (!value) {
    return make_error(text, converter.failure());
  }
  if (!parser.finish()) {
    return make_error(text, parser.failure());
  }
  return std::move(*value);
}

Result<std::vector<Value>> parse_params(std::string_view text, std::span<const Param> params,
                                        const TextLimits &limits) {
  if (text.size() > limits.max_bytes) {
    return input_too_long("WAVE", text.size(), limits);
  }
  if (auto values = plain_integers(text, params)) {
    return std::move(*values);
  }
  Parser parser(text, limits.max_depth);
  if (!parser.advance() || !parser.expect(Tok::ParenOpen)) {
    return make_error(text, parser.failure());
  }
  Node tuple{NodeType::Tuple, parser.current().start, parser.current().end, {}};
  if (parser.next_is(Tok::ParenClose)) {
    if (!parser.advance()) {
      return make_error(text, parser.failure());
    }
    tuple.end = parser.current().end;
  } else if (!parser.parse_tuple_after_open(tuple)) {
    return make_error(text, parser.failure());
  }
  if (!parser.finish()) {
    return make_error(text, parser.failure());
  }
  Converter converter(text, limits.resources);
  auto values = converter.convert_params(tuple, params);
  if (!values) {
    return make_error(text, converter.failure());
  }
  return std::move(*values);
}

}  // namespace tairitsu::detail::wave
