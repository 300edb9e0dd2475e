#pragma once

// Pieces shared by the text formats: positions, number parsing and printing
// with the exact semantics the formats need, UTF-8 helpers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tairitsu/error.hpp"
#include "tairitsu/text.hpp"
#include "tairitsu/type.hpp"
#include "tairitsu/value.hpp"

namespace tairitsu::detail {

/// "line:column" (1-based; the column counts characters) of a byte offset.
std::string text_position(std::string_view text, std::size_t offset);

/// An InvalidInput error at `offset` of `text`: "<format> 3:7: <message>".
Error text_error(std::string_view format, std::string_view text, std::size_t offset, const std::string &message);

/// The error for an input longer than `limits.max_bytes`.
Error input_too_long(std::string_view format, std::size_t size, const TextLimits &limits);

/// Short quotation of the input at an offset, for messages: `found "abc"`.
std::string quote_at(std::string_view text, std::size_t start, std::size_t end);

/// Integers as Rust's `str::parse` reads them (no '+', no leading zeros
/// checks: the lexers do those): decimal digits with an optional '-'.
std::optional<Value> parse_integer(std::string_view digits, TypeKind kind);
/// Floats as Rust's `str::parse` reads them: decimal or exponent notation,
/// "inf", "-inf", "nan"; out-of-range values become infinity or zero.
std::optional<Value> parse_float(std::string_view text, TypeKind kind);

/// Floats as Rust's `Display` prints them: the shortest digits that read back
/// exactly, in plain decimal notation ("1", "0.1", "1e300" spelled out in
/// full), "-0" for negative zero, "inf", "-inf", "nan".
std::string rust_float_text(double value, bool is_f32);

/// Appends the decimal text of an integer value and returns true, or returns
/// false when the value is not an integer.
bool append_integer(std::string &out, const Value &value);

/// Appends the UTF-8 encoding of a code point.
void append_utf8(std::string &out, char32_t c);
/// Decodes one UTF-8 sequence at `pos`; returns the code point and advances `pos`,
/// or nothing for an invalid sequence.
std::optional<char32_t> decode_utf8(std::string_view s, std::size_t &pos);
/// The offset of the first byte that does not start a valid UTF-8 sequence,
/// or npos when all of `s` is valid. ASCII runs are checked 8 bytes at a time.
std::size_t utf8_error_offset(std::string_view s);

/// A handle named in text ("handle-7"), looked up in the table; the error
/// message when it cannot be (no table, or no such handle).
Result<Value> resource_from_text(std::string_view name, const Type &type, const ResourceTable *resources);
/// The name a handle is printed as, or nothing when there is no table.
std::optional<std::string> resource_to_text(const Value &value, ResourceTable *resources);

}  // namespace tairitsu::detail

namespace tairitsu::detail {

/// A position in text being parsed by hand, with the first failure kept.
/// Shared by the JSON and RON readers.
class Cursor {
 public:
  Cursor(std::string_view format, std::string_view text, const TextLimits &limits, bool comments)
      : format_(format), text_(text), limits_(limits), comments_(comments) {}

  /// Skips spaces, tabs, newlines and (when enabled) // and /* */ comments.
  void skip_space();
  bool at_end() {
    skip_space();
    return pos_ >= text_.size();
  }
  char peek() {
    skip_space();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }
  /// Consumes `c` (after space) if it is next.
  bool accept(char c);
  /// Consumes `c` or fails with "expected 'c' ...".
  bool expect(char c, std::string_view context);
  /// Consumes an identifier [A-Za-z_][A-Za-z0-9_-]* (after space); empty if none.
  std::string_view identifier();

  std::size_t pos() const { return pos_; }
  void set_pos(std::size_t pos) { pos_ = pos; }
  std::string_view text() const { return text_; }
  std::string_view rest() const { return text_.substr(pos_); }

  /// Records a failure at `offset` (the first one wins) and returns false.
  bool fail(std::size_t offset, std::string message);
  bool fail_here(std::string message) { return fail(pos_, std::move(message)); }
  /// "found 'x'" or "found the end of the input".
  std::string found();

  /// Enters one level of nesting; fails past the depth limit.
  bool enter();
  void leave() { --depth_; }

  Error error() const;
  bool failed() const { return failed_; }

 private:
  std::string_view format_;
  std::string_view text_;
  TextLimits limits_;
  bool comments_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  bool failed_ = false;
  std::size_t fail_offset_ = 0;
  std::string fail_message_;
};

inline bool is_identifier_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

}  // namespace tairitsu::detail
