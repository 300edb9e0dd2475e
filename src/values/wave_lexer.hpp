#pragma once

// WAVE's tokens, as the wasm-wave crate (0.254) lexes them (wave_syntax.hpp
// parses them into a tree).

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

}  // namespace tairitsu::detail::wave
