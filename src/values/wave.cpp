// WAVE, the WebAssembly Value Encoding, read and written exactly as the
// wasm-wave crate (0.254) does: the same tokens, the same two-step parse (an
// untyped tree first, then conversion against the type), the same canonical
// printing. tests/values/wave_conformance_test.cpp checks it against vectors
// produced by that crate.

#include "values/wave.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "values/text_common.hpp"

namespace tairitsu::detail::wave {

namespace {

// ---------------------------------------------------------------- lexing --

enum class Tok {
  BraceOpen,
  BraceClose,
  ParenOpen,
  ParenClose,
  BracketOpen,
  BracketClose,
  Colon,
  Comma,
  Number,
  Label,
  Char,
  String,
  MultilineString,
  End,      // no more tokens
  Invalid,  // text that is no token
};

struct Token {
  Tok kind;
  std::size_t start;
  std::size_t end;
};

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

class Lexer {
 public:
  explicit Lexer(std::string_view src, std::size_t pos = 0) : src_(src), pos_(pos) {}

  Token next() {
    skip_trivia();
    std::size_t start = pos_;
    if (pos_ >= src_.size()) {
      return {Tok::End, start, start};
    }
    char c = src_[pos_];
    auto single = [&](Tok t) {
      ++pos_;
      return Token{t, start, pos_};
    };
    switch (c) {
      case '{': return single(Tok::BraceOpen);
      case '}': return single(Tok::BraceClose);
      case '(': return single(Tok::ParenOpen);
      case ')': return single(Tok::ParenClose);
      case '[': return single(Tok::BracketOpen);
      case ']': return single(Tok::BracketClose);
      case ':': return single(Tok::Colon);
      case ',': return single(Tok::Comma);
      case '\'': return lex_char(start);
      case '"': return lex_string(start);
      default: break;
    }
    if (c == '-' || is_digit(c)) {
      return lex_number(start);
    }
    if (c == '%' || is_lower(c) || is_upper(c)) {
      return lex_label(start);
    }
    return invalid(start, start + 1);
  }

  std::size_t pos() const { return pos_; }

 private:
  Token invalid(std::size_t start, std::size_t end) {
    pos_ = std::max(end, start + 1);
    return {Tok::Invalid, start, pos_};
  }

  void skip_trivia() {
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos_;
      } else if (c == '/' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '/') {
        while (pos_ < src_.size() && src_[pos_] != '\n') {
          ++pos_;
        }
      } else {
        break;
      }
    }
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?  or  -inf
  Token lex_number(std::size_t start) {
    std::size_t p = pos_;
    if (src_[p] == '-') {
      ++p;
      if (src_.substr(p, 3) == "inf") {
        // The literal "-inf" competes with "-" + digits; logos takes the longer match.
        pos_ = p + 3;
        return {Tok::Number, start, pos_};
      }
    }
    if (p >= src_.size() || !is_digit(src_[p])) {
      return invalid(start, p);
    }
    if (src_[p] == '0') {
      ++p;
    } else {
      while (p < src_.size() && is_digit(src_[p])) {
        ++p;
      }
    }
    if (p + 1 < src_.size() && src_[p] == '.' && is_digit(src_[p + 1])) {
      p += 2;
      while (p < src_.size() && is_digit(src_[p])) {
        ++p;
      }
    }
    if (p < src_.size() && (src_[p] == 'e' || src_[p] == 'E')) {
      std::size_t q = p + 1;
      if (q < src_.size() && (src_[q] == '+' || src_[q] == '-')) {
        ++q;
      }
      if (q < src_.size() && is_digit(src_[q])) {
        while (q < src_.size() && is_digit(src_[q])) {
          ++q;
        }
        p = q;
      }
    }
    pos_ = p;
    return {Tok::Number, start, pos_};
  }

  // %?([a-z][a-z0-9]*|[A-Z][A-Z0-9]*)(-([a-z0-9]+|[A-Z0-9]+))*
  Token lex_label(std::size_t start) {
    std::size_t p = pos_;
    if (src_[p] == '%') {
      ++p;
    }
    auto word = [&](std::size_t q, bool first) -> std::size_t {
      if (q >= src_.size()) {
        return q;
      }
      bool lower = is_lower(src_[q]) || (!first && is_digit(src_[q]) && false);
      if (first) {
        if (!is_lower(src_[q]) && !is_upper(src_[q])) {
          return q;
        }
        lower = is_lower(src_[q]);
        ++q;
        while (q < src_.size() && (is_digit(src_[q]) || (lower ? is_lower(src_[q]) : is_upper(src_[q])))) {
          ++q;
        }
        return q;
      }
      // A later word: [a-z0-9]+ or [A-Z0-9]+, whichever is longer.
      std::size_t a = q;
      while (a < src_.size() && (is_lower(src_[a]) || is_digit(src_[a]))) {
        ++a;
      }
      std::size_t b = q;
      while (b < src_.size() && (is_upper(src_[b]) || is_digit(src_[b]))) {
        ++b;
      }
      return std::max(a, b);
    };
    std::size_t end = word(p, true);
    if (end == p) {
      return invalid(start, p);
    }
    while (end < src_.size() && src_[end] == '-') {
      std::size_t next = word(end + 1, false);
      if (next == end + 1) {
        break;  // "a-" is "a" followed by whatever "-" starts
      }
      end = next;
    }
    pos_ = end;
    return {Tok::Label, start, pos_};
  }

  // Length of an escape sequence \['"tnr\\] or \u{h..h} (1-6 hex digits) at q, or 0.
  std::size_t escape_length(std::size_t q) const {
    if (q + 1 >= src_.size() || src_[q] != '\\') {
      return 0;
    }
    char e = src_[q + 1];
    if (e == '\'' || e == '"' || e == 't' || e == 'n' || e == 'r' || e == '\\') {
      return 2;
    }
    if (e == 'u' && q + 2 < src_.size() && src_[q + 2] == '{') {
      std::size_t r = q + 3;
      std::size_t digits = 0;
      while (r < src_.size() && is_hex(src_[r]) && digits < 6) {
        ++r;
        ++digits;
      }
      if (digits >= 1 && r < src_.size() && src_[r] == '}') {
        return r + 1 - q;
      }
    }
    return 0;
  }

  // '([^\\'\n]{1,4}|escape)' and then exactly one character unless escaped.
  Token lex_char(std::size_t start) {
    std::size_t p = start + 1;
    if (std::size_t esc = escape_length(p)) {
      if (p + esc < src_.size() && src_[p + esc] == '\'') {
        pos_ = p + esc + 1;
        return {Tok::Char, start, pos_};
      }
    }
    std::size_t q = p;
    int count = 0;
    while (q < src_.size() && count < 4 && src_[q] != '\\' && src_[q] != '\'' && src_[q] != '\n') {
      std::size_t before = q;
      if (!decode_utf8(src_, q)) {
        q = before + 1;
      }
      ++count;
    }
    if (count >= 1 && q < src_.size() && src_[q] == '\'') {
      std::size_t first = p;
      decode_utf8(src_, first);
      if (count == 1) {
        pos_ = q + 1;
        return {Tok::Char, start, pos_};
      }
      return invalid(start, q + 1);  // more than one character: logos' validation fails
    }
    return invalid(start, start + 1);
  }

  // "([^\\"\n]|escape)*"  or  """ ... """
  Token lex_string(std::size_t start) {
    if (src_.substr(start, 3) == "\"\"\"") {
      std::size_t close = src_.find("\"\"\"", start + 3);
      if (close == std::string_view::npos) {
        return invalid(start, start + 3);
      }
      pos_ = close + 3;
      return {Tok::MultilineString, start, pos_};
    }
    std::size_t p = start + 1;
    while (p < src_.size()) {
      char c = src_[p];
      if (c == '"') {
        pos_ = p + 1;
        return {Tok::String, start, pos_};
      }
      if (c == '\n') {
        break;
      }
      if (c == '\\') {
        std::size_t esc = escape_length(p);
        if (esc == 0) {
          break;
        }
        p += esc;
      } else {
        ++p;
      }
    }
    return invalid(start, start + 1);
  }

  std::string_view src_;
  std::size_t pos_;
};

// ---------------------------------------------------------------- parsing --

enum class NodeType {
  BoolTrue,
  BoolFalse,
  Number,
  Char,
  String,
  MultilineString,
  Tuple,
  List,
  Record,
  Label,
  VariantWithPayload,
  OptionSome,
  OptionNone,
  ResultOk,
  ResultErr,
  Flags,
};

struct Node {
  NodeType type;
  std::size_t start;
  std::size_t end;
  std::vector<Node> children;
};

enum class Keyword { None_, True, False, Some, NoneKw, Ok, Err, Inf, Nan };

Keyword keyword(std::string_view label) {
  if (label == "true") return Keyword::True;
  if (label == "false") return Keyword::False;
  if (label == "some") return Keyword::Some;
  if (label == "none") return Keyword::NoneKw;
  if (label == "ok") return Keyword::Ok;
  if (label == "err") return Keyword::Err;
  if (label == "inf") return Keyword::Inf;
  if (label == "nan") return Keyword::Nan;
  return Keyword::None_;
}

struct ParseFailure {
  std::size_t offset;
  std::string message;
};

const char *token_name(Tok t) {
  switch (t) {
    case Tok::BraceOpen: return "'{'";
    case Tok::BraceClose: return "'}'";
    case Tok::ParenOpen: return "'('";
    case Tok::ParenClose: return "')'";
    case Tok::BracketOpen: return "'['";
    case Tok::BracketClose: return "']'";
    case Tok::Colon: return "':'";
    case Tok::Comma: return "','";
    case Tok::Number: return "a number";
    case Tok::Label: return "a label";
    case Tok::Char: return "a char";
    case Tok::String: return "a string";
    case Tok::MultilineString: return "a multiline string";
    case Tok::End: return "the end of the input";
    case Tok::Invalid: return "an invalid token";
  }
  return "?";
}

class Parser {
 public:
  Parser(std::string_view src, std::size_t max_depth, std::size_t pos = 0)
      : src_(src), lex_(src, pos), max_depth_(max_depth) {}

  // Each step either succeeds or records the first failure and unwinds.
  bool parse_node(Node &out) {
    if (depth_ >= max_depth_) {
      return fail(cur_.start, "nesting is deeper than " + std::to_string(max_depth_) + " levels");
    }
    ++depth_;
    bool ok = parse_node_inner(out);
    --depth_;
    return ok;
  }

  bool finish() {
    Lexer probe = lex_;
    Token t = probe.next();
    if (t.kind != Tok::End) {
      return fail(t.start, "unexpected trailing characters " + quote_at(src_, t.start, t.end));
    }
    return true;
  }

  bool advance() {
    cur_ = lex_.next();
    if (cur_.kind == Tok::Invalid) {
      return fail(cur_.start, "invalid token " + quote_at(src_, cur_.start, cur_.end));
    }
    if (cur_.kind == Tok::End) {
      return fail(cur_.start, "unexpected end of input");
    }
    return true;
  }

  bool next_is(Tok t) const {
    Lexer probe = lex_;
    return probe.next().kind == t;
  }

  bool expect(Tok t) {
    if (cur_.kind != t) {
      return fail(cur_.start,
                  std::string("expected ") + token_name(t) + ", found " + quote_at(src_, cur_.start, cur_.end));
    }
    return true;
  }

  bool parse_tuple_after_open(Node &out) {
    std::size_t start = cur_.start;
    std::vector<Node> children;
    if (!comma_separated(Tok::ParenClose, children)) {
      return false;
    }
    if (children.empty()) {
      return fail(start, "empty tuple '()'");
    }
    out = Node{NodeType::Tuple, start, cur_.end, std::move(children)};
    return true;
  }

  const ParseFailure &failure() const { return failure_; }
  Lexer &lexer() { return lex_; }
  const Token &current() const { return cur_; }

 private:
  bool fail(std::size_t offset, std::string message) {
    failure_ = {offset, std::move(message)};
    return false;
  }

  Node leaf(NodeType t) const { return Node{t, cur_.start, cur_.end, {}}; }

  bool parse_node_inner(Node &out) {
    if (!advance()) {
      return false;
    }
    switch (cur_.kind) {
      case Tok::Number: out = leaf(NodeType::Number); return true;
      case Tok::Char: out = leaf(NodeType::Char); return true;
      case Tok::String: out = leaf(NodeType::String); return true;
      case Tok::MultilineString: out = leaf(NodeType::MultilineString); return true;
      case Tok::ParenOpen: return parse_tuple_after_open(out);
      case Tok::BracketOpen: {
        std::size_t start = cur_.start;
        std::vector<Node> children;
        if (!comma_separated(Tok::BracketClose, children)) {
          return false;
        }
        out = Node{NodeType::List, start, cur_.end, std::move(children)};
        return true;
      }
      case Tok::BraceOpen: return parse_record_or_flags(out);
      case Tok::Label: {
        switch (keyword(src_.substr(cur_.start, cur_.end - cur_.start))) {
          case Keyword::True: out = leaf(NodeType::BoolTrue); return true;
          case Keyword::False: out = leaf(NodeType::BoolFalse); return true;
          case Keyword::Some: return parse_some(out);
          case Keyword::NoneKw: out = leaf(NodeType::OptionNone); return true;
          case Keyword::Ok: return parse_result(NodeType::ResultOk, out);
          case Keyword::Err: return parse_result(NodeType::ResultErr, out);
          case Keyword::Inf:
          case Keyword::Nan: out = leaf(NodeType::Number); return true;
          case Keyword::None_: return parse_label_maybe_payload(out);
        }
        return false;
      }
      default: return fail(cur_.start, std::string("unexpected ") + token_name(cur_.kind));
    }
  }

  bool comma_separated(Tok end, std::vector<Node> &nodes) {
    if (next_is(end)) {
      return advance();
    }
    while (true) {
      Node n;
      if (!parse_node(n)) {
        return false;
      }
      nodes.push_back(std::move(n));
      if (!advance()) {
        return false;
      }
      if (cur_.kind == Tok::Comma) {
        if (next_is(end)) {
          return advance();
        }
      } else {
        return expect(end);
      }
    }
  }

  bool parse_record_or_flags(Node &out) {
    std::size_t start = cur_.start;
    if (!advance()) {
      return false;
    }
    if (cur_.kind == Tok::Colon) {
      if (!advance() || !expect(Tok::BraceClose)) {
        return false;
      }
      out = Node{NodeType::Record, start, cur_.end, {}};
      return true;
    }
    if (cur_.kind == Tok::BraceClose) {
      out = Node{NodeType::Flags, start, cur_.end, {}};
      return true;
    }
    return next_is(Tok::Colon) ? finish_record(start, out) : finish_flags(start, out);
  }

  std::string_view label_text(const Token &t) const {
    std::string_view s = src_.substr(t.start, t.end - t.start);
    return s.substr(0, 1) == "%" ? s.substr(1) : s;
  }

  bool finish_record(std::size_t start, Node &out) {
    std::set<std::string_view> seen;
    std::vector<Node> children;
    while (true) {
      if (!expect(Tok::Label)) {
        return false;
      }
      Node label = leaf(NodeType::Label);
      if (!seen.insert(label_text(cur_)).second) {
        return fail(cur_.start, "duplicate field \"" + std::string(label_text(cur_)) + "\"");
      }
      if (!advance() || !expect(Tok::Colon)) {
        return false;
      }
      Node value;
      if (!parse_node(value)) {
        return false;
      }
      children.push_back(std::move(label));
      children.push_back(std::move(value));
      if (!advance()) {
        return false;
      }
      if (cur_.kind == Tok::Comma && !advance()) {
        return false;
      }
      if (cur_.kind == Tok::BraceClose) {
        break;
      }
    }
    out = Node{NodeType::Record, start, cur_.end, std::move(children)};
    return true;
  }

  bool finish_flags(std::size_t start, Node &out) {
    std::map<std::string_view, Node> flags;  // the crate keeps them sorted by name
    while (true) {
      if (!expect(Tok::Label)) {
        return false;
      }
      if (!flags.emplace(label_text(cur_), leaf(NodeType::Label)).second) {
        return fail(cur_.start, "duplicate flag \"" + std::string(label_text(cur_)) + "\"");
      }
      if (!advance()) {
        return false;
      }
      if (cur_.kind == Tok::Comma && !advance()) {
        return false;
      }
      if (cur_.kind == Tok::BraceClose) {
        break;
      }
    }
    std::vector<Node> children;
    for (auto &[name, node] : flags) {
      children.push_back(std::move(node));
    }
    out = Node{NodeType::Flags, start, cur_.end, std::move(children)};
    return true;
  }

  bool parse_label_maybe_payload(Node &out) {
    std::size_t start = cur_.start;
    Node label = leaf(NodeType::Label);
    if (!next_is(Tok::ParenOpen)) {
      out = std::move(label);
      return true;
    }
    Node payload;
    if (!advance() || !parse_node(payload) || !advance() || !expect(Tok::ParenClose)) {
      return false;
    }
    out = Node{NodeType::VariantWithPayload, start, cur_.end, {}};
    out.children.push_back(std::move(label));
    out.children.push_back(std::move(payload));
    return true;
  }

  bool parse_some(Node &out) {
    std::size_t start = cur_.start;
    Node payload;
    if (!advance() || !expect(Tok::ParenOpen) || !parse_node(payload) || !advance() || !expect(Tok::ParenClose)) {
      return false;
    }
    out = Node{NodeType::OptionSome, start, cur_.end, {}};
    out.children.push_back(std::move(payload));
    return true;
  }

  bool parse_result(NodeType type, Node &out) {
    std::size_t start = cur_.start;
    out = Node{type, start, cur_.end, {}};
    if (!next_is(Tok::ParenOpen)) {
      return true;
    }
    Node payload;
    if (!advance() || !parse_node(payload) || !advance() || !expect(Tok::ParenClose)) {
      return false;
    }
    out.end = cur_.end;
    out.children.push_back(std::move(payload));
    return true;
  }

  std::string_view src_;
  Lexer lex_;
  Token cur_{Tok::End, 0, 0};
  std::size_t depth_ = 0;
  std::size_t max_depth_;
  ParseFailure failure_{0, ""};
};

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
      case TypeKind::Bool:
        if (node.type == NodeType::BoolTrue || node.type == NodeType::BoolFalse) {
          return Value::boolean(node.type == NodeType::BoolTrue);
        }
        return invalid_type(node, type);
      case TypeKind::S8:
      case TypeKind::S16:
      case TypeKind::S32:
      case TypeKind::S64:
      case TypeKind::U8:
      case TypeKind::U16:
      case TypeKind::U32:
      case TypeKind::U64: {
        if (node.type != NodeType::Number) {
          return invalid_type(node, type);
        }
        if (auto v = parse_integer(slice(node), type.kind())) {
          return v;
        }
        return invalid_value(node, "is not a valid " + type.to_string());
      }
      case TypeKind::F32:
      case TypeKind::F64: {
        if (node.type != NodeType::Number) {
          return invalid_type(node, type);
        }
        if (auto v = parse_float(slice(node), type.kind())) {
          return v;
        }
        return invalid_value(node, "is not a valid " + type.to_string());
      }
      case TypeKind::Char: return convert_char(node, type);
      case TypeKind::String: {
        auto s = string_of(node, type);
        if (!s) {
          return std::nullopt;
        }
        return Value::string(std::move(*s));
      }
      case TypeKind::List: {
        if (node.type != NodeType::List) {
          return invalid_type(node, type);
        }
        std::vector<Value> items;
        items.reserve(node.children.size());
        for (const Node &child : node.children) {
          auto v = convert(child, type.element());
          if (!v) {
            return std::nullopt;
          }
          items.push_back(std::move(*v));
        }
        return Value::list(std::move(items));
      }
      case TypeKind::Record: return convert_record(node, type);
      case TypeKind::Tuple: {
        if (node.type != NodeType::Tuple) {
          return invalid_type(node, type);
        }
        if (node.children.size() != type.elements().size()) {
          return fail(node.start, "expected a tuple of " + std::to_string(type.elements().size()) + " values, found " +
                                      std::to_string(node.children.size()));
        }
        std::vector<Value> items;
        for (std::size_t i = 0; i < node.children.size(); ++i) {
          auto v = convert(node.children[i], type.elements()[i]);
          if (!v) {
            return std::nullopt;
          }
          items.push_back(std::move(*v));
        }
        return Value::tuple(std::move(items));
      }
      case TypeKind::Variant: return convert_variant(node, type);
      case TypeKind::Enum: {
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
      case TypeKind::Option: return convert_option(node, type);
      case TypeKind::Result: return convert_result(node, type);
      case TypeKind::Flags: {
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
      case TypeKind::Own:
      case TypeKind::Borrow: {
        if (node.type != NodeType::Label) {
          return invalid_type(node, type);
        }
        auto handle = resource_from_text(label(node), type, resources_);
        if (!handle) {
          return fail(node.start, handle.error().message());
        }
        return std::move(*handle);
      }
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
      case TypeKind::Bool: out += v.as_bool() ? "true" : "false"; return true;
      case TypeKind::S8:
      case TypeKind::U8:
      case TypeKind::S16:
      case TypeKind::U16:
      case TypeKind::S32:
      case TypeKind::U32:
      case TypeKind::S64:
      case TypeKind::U64: return append_integer(out, v);
      case TypeKind::F32: out += rust_float_text(v.as_f32(), true); return true;
      case TypeKind::F64: out += rust_float_text(v.as_f64(), false); return true;
      case TypeKind::Char:
        out += '\'';
        write_char(out, v.as_char());
        out += '\'';
        return true;
      case TypeKind::String: {
        out += '"';
        const std::string &s = v.as_string();
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
      case TypeKind::List: {
        out += '[';
        auto items = v.items();
        ++depth_;
        for (std::size_t i = 0; i < items.size(); ++i) {
          separate(out, i == 0);
          if (!print(items[i], t.element(), out)) {
            return false;
          }
        }
        close(out, !items.empty());
        out += ']';
        return true;
      }
      case TypeKind::Tuple: {
        out += '(';
        auto items = v.items();
        if (items.size() != t.elements().size()) {
          return false;
        }
        ++depth_;
        for (std::size_t i = 0; i < items.size(); ++i) {
          separate(out, i == 0);
          if (!print(items[i], t.elements()[i], out)) {
            return false;
          }
        }
        close(out, !items.empty());
        out += ')';
        return true;
      }
      case TypeKind::Record: {
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
      case TypeKind::Variant: {
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
          if (c.type) {
            out += '(';
            if (!print(var.payload[0], *c.type, out)) {
              return false;
            }
            out += ')';
          }
          return true;
        }
        return false;
      }
      case TypeKind::Enum: {
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
      case TypeKind::Option:
        if (!v.payload()) {
          out += "none";
          return true;
        }
        out += "some(";
        if (!print(*v.payload(), t.element(), out)) {
          return false;
        }
        out += ')';
        return true;
      case TypeKind::Result: {
        const auto &r = v.as_result();
        const auto &pt = r.is_ok ? t.ok_type() : t.err_type();
        if (pt.has_value() != !r.payload.empty()) {
          return false;
        }
        out += r.is_ok ? "ok" : "err";
        if (pt) {
          out += '(';
          if (!print(r.payload[0], *pt, out)) {
            return false;
          }
          out += ')';
        }
        return true;
      }
      case TypeKind::Flags: {
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
      case TypeKind::Own:
      case TypeKind::Borrow:
        if (auto name = resource_to_text(v, resources_)) {
          out += *name;
          return true;
        }
        unsupported_ = true;
        return false;
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

Error make_error(std::string_view text, const ParseFailure &f) { return text_error("WAVE", text, f.offset, f.message); }

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
