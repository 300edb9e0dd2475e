#pragma once

// WAVE's syntax, as the wasm-wave crate (0.254) has it: the lexer and the
// parser that makes an untyped tree of the text (wave.cpp converts the tree
// against a type; wave_printer.cpp writes values back).

#include <cmath>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "values/text_common.hpp"

namespace tairitsu::detail::wave {

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

inline bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

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

inline Keyword keyword(std::string_view label) {
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

inline const char *token_name(Tok t) {
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

/// A parse or conversion failure as an `InvalidInput` error with its position.
inline Error make_error(std::string_view text, const ParseFailure &f) {
  return text_error("WAVE", text, f.offset, f.message);
}

}  // namespace tairitsu::detail::wave
