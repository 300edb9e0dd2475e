#pragma once

// WAVE's syntax, as the wasm-wave crate (0.254) has it: the parser that
// makes an untyped tree of the tokens (wave_lexer.hpp) of the text (wave.cpp
// converts the tree against a type; wave_printer.cpp writes values back).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "values/wave_lexer.hpp"

namespace tairitsu::detail::wave {

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
