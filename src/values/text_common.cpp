#include "values/text_common.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace tairitsu::detail {

std::string text_position(std::string_view text, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

Error text_error(std::string_view format, std::string_view text, std::size_t offset, const std::string &message) {
  return Error(ErrorCode::InvalidInput, std::string(format) + " " + text_position(text, offset) + ": " + message);
}

Error input_too_long(std::string_view format, std::size_t size, const TextLimits &limits) {
  return Error(ErrorCode::InvalidInput, std::string(format) + ": the input is " + std::to_string(size) +
                                            " bytes, more than the limit of " + std::to_string(limits.max_bytes));
}

std::string quote_at(std::string_view text, std::size_t start, std::size_t end) {
  if (start >= text.size()) {
    return "the end of the input";
  }
  end = std::min(std::max(end, start + 1), text.size());
  std::string_view s = text.substr(start, std::min<std::size_t>(end - start, 40));
  std::string out = "'";
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  out += "'";
  if (end - start > 40) {
    out += "...";
  }
  return out;
}

std::optional<Value> parse_integer(std::string_view digits, TypeKind kind) {
  if (digits.empty()) {
    return std::nullopt;
  }
  bool negative = digits.front() == '-';
  std::string_view body = negative ? digits.substr(1) : digits;
  if (body.empty()) {
    return std::nullopt;
  }
  for (char c : body) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
  }
  auto parse = [&]<typename T>() -> std::optional<T> {
    T v{};
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || p != digits.data() + digits.size()) {
      return std::nullopt;
    }
    return v;
  };
  switch (kind) {
    case TypeKind::S8:
      if (auto v = parse.operator()<int8_t>()) return Value::s8(*v);
      break;
    case TypeKind::S16:
      if (auto v = parse.operator()<int16_t>()) return Value::s16(*v);
      break;
    case TypeKind::S32:
      if (auto v = parse.operator()<int32_t>()) return Value::s32(*v);
      break;
    case TypeKind::S64:
      if (auto v = parse.operator()<int64_t>()) return Value::s64(*v);
      break;
    case TypeKind::U8:
    case TypeKind::U16:
    case TypeKind::U32:
    case TypeKind::U64: {
      if (negative) {
        return std::nullopt;  // Rust rejects a sign on unsigned integers, even "-0"
      }
      if (kind == TypeKind::U8) {
        if (auto v = parse.operator()<uint8_t>()) return Value::u8(*v);
      }
      if (kind == TypeKind::U16) {
        if (auto v = parse.operator()<uint16_t>()) return Value::u16(*v);
      }
      if (kind == TypeKind::U32) {
        if (auto v = parse.operator()<uint32_t>()) return Value::u32(*v);
      }
      if (kind == TypeKind::U64) {
        if (auto v = parse.operator()<uint64_t>()) return Value::u64(*v);
      }
      break;
    }
    default: break;
  }
  return std::nullopt;
}

std::optional<Value> parse_float(std::string_view text, TypeKind kind) {
  bool is_f32 = kind == TypeKind::F32;
  auto make = [&](double v) { return is_f32 ? Value::f32(static_cast<float>(v)) : Value::f64(v); };
  if (text == "inf") {
    return make(std::numeric_limits<double>::infinity());
  }
  if (text == "-inf") {
    return make(-std::numeric_limits<double>::infinity());
  }
  if (text == "nan") {
    return make(std::numeric_limits<double>::quiet_NaN());
  }
  const char *begin = text.data();
  const char *end = text.data() + text.size();
  if (is_f32) {
    float v = 0;
    auto [p, ec] = std::from_chars(begin, end, v);
    if (p != end) {
      return std::nullopt;
    }
    if (ec == std::errc::result_out_of_range) {
      std::string copy(text);
      v = std::strtof(copy.c_str(), nullptr);  // correctly rounded: infinity or zero
    } else if (ec != std::errc()) {
      return std::nullopt;
    }
    return Value::f32(v);
  }
  double v = 0;
  auto [p, ec] = std::from_chars(begin, end, v);
  if (p != end) {
    return std::nullopt;
  }
  if (ec == std::errc::result_out_of_range) {
    std::string copy(text);
    v = std::strtod(copy.c_str(), nullptr);
  } else if (ec != std::errc()) {
    return std::nullopt;
  }
  return Value::f64(v);
}

std::string rust_float_text(double value, bool is_f32) {
  if (std::isnan(value)) {
    return "nan";
  }
  if (std::isinf(value)) {
    return value > 0 ? "inf" : "-inf";
  }
  // Shortest round-trip digits in scientific form, then laid out plainly.
  char buf[64];
  std::to_chars_result r =
      is_f32 ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(value), std::chars_format::scientific)
             : std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<std::size_t>(r.ptr - buf));
  bool negative = sci.front() == '-';
  if (negative) {
    sci.remove_prefix(1);
  }
  std::size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') {
      digits += c;
    }
  }
  int exponent = std::atoi(std::string(sci.substr(e + 1)).c_str());
  // digits d0 d1 d2 ... represent d0.d1d2... x 10^exponent
  std::string out = negative ? "-" : "";
  if (digits == "0") {
    return out + "0";
  }
  int point = exponent + 1;  // position of the decimal point after `point` digits
  if (point <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-point), '0');
    out += digits;
  } else if (static_cast<std::size_t>(point) >= digits.size()) {
    out += digits;
    out.append(static_cast<std::size_t>(point) - digits.size(), '0');
  } else {
    out += digits.substr(0, static_cast<std::size_t>(point));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(point));
  }
  return out;
}

bool append_integer(std::string &out, const Value &value) {
  switch (value.kind()) {
    case TypeKind::S8: out += std::to_string(value.as_s8()); return true;
    case TypeKind::U8: out += std::to_string(value.as_u8()); return true;
    case TypeKind::S16: out += std::to_string(value.as_s16()); return true;
    case TypeKind::U16: out += std::to_string(value.as_u16()); return true;
    case TypeKind::S32: out += std::to_string(value.as_s32()); return true;
    case TypeKind::U32: out += std::to_string(value.as_u32()); return true;
    case TypeKind::S64: out += std::to_string(value.as_s64()); return true;
    case TypeKind::U64: out += std::to_string(value.as_u64()); return true;
    default: return false;
  }
}

void append_utf8(std::string &out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::optional<char32_t> decode_utf8(std::string_view s, std::size_t &pos) {
  if (pos >= s.size()) {
    return std::nullopt;
  }
  auto c = static_cast<unsigned char>(s[pos]);
  std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || pos + len > s.size()) {
    return std::nullopt;
  }
  char32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (std::size_t k = 1; k < len; ++k) {
    auto cc = static_cast<unsigned char>(s[pos + k]);
    if ((cc & 0xC0) != 0x80) {
      return std::nullopt;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  static constexpr char32_t min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return std::nullopt;
  }
  pos += len;
  return cp;
}

std::size_t utf8_error_offset(std::string_view s) {
  constexpr uint64_t kHighBits = 0x8080808080808080ull;
  std::size_t pos = 0;
  while (pos < s.size()) {
    uint64_t word = 0;
    while (pos + sizeof word <= s.size() &&
           (std::memcpy(&word, s.data() + pos, sizeof word), (word & kHighBits) == 0)) {
      pos += sizeof word;
    }
    if (pos >= s.size()) break;
    if (static_cast<unsigned char>(s[pos]) < 0x80) {
      ++pos;
      continue;
    }
    std::size_t at = pos;
    if (!decode_utf8(s, pos)) return at;
  }
  return std::string_view::npos;
}

Result<Value> resource_from_text(std::string_view name, const Type &type, const ResourceTable *resources) {
  if (!resources) {
    return Error(ErrorCode::Unsupported,
                 "a " + type.to_string() + " can be named in text only in a container's text call");
  }
  auto handle = resources->find(name);
  if (!handle) {
    return Error(ErrorCode::NotFound,
                 "'" + std::string(name) + "' is not a " + type.to_string() + " handle this container holds");
  }
  if (type.kind() == TypeKind::Own && !handle->owned()) {
    return Error(ErrorCode::TypeMismatch, "'" + std::string(name) + "' is a borrowed handle, not " + type.to_string());
  }
  return Value::resource(*handle);
}

std::optional<std::string> resource_to_text(const Value &value, ResourceTable *resources) {
  if (!resources || (value.kind() != TypeKind::Own && value.kind() != TypeKind::Borrow)) {
    return std::nullopt;
  }
  return resources->name_of(value.as_resource());
}

}  // namespace tairitsu::detail

namespace tairitsu::detail {

void Cursor::skip_space() {
  while (pos_ < text_.size()) {
    char c = text_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++pos_;
    } else if (comments_ && c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
      while (pos_ < text_.size() && text_[pos_] != '\n') {
        ++pos_;
      }
    } else if (comments_ && c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
      std::size_t close = text_.find("*/", pos_ + 2);
      pos_ = close == std::string_view::npos ? text_.size() : close + 2;
    } else {
      break;
    }
  }
}

bool Cursor::accept(char c) {
  if (peek() == c && pos_ < text_.size()) {
    ++pos_;
    return true;
  }
  return false;
}

bool Cursor::expect(char c, std::string_view context) {
  if (accept(c)) {
    return true;
  }
  return fail_here(std::string("expected '") + c + "' " + std::string(context) + ", found " + found());
}

std::string_view Cursor::identifier() {
  skip_space();
  std::size_t start = pos_;
  if (pos_ < text_.size() && is_identifier_start(text_[pos_])) {
    ++pos_;
    while (pos_ < text_.size() &&
           (is_identifier_start(text_[pos_]) || (text_[pos_] >= '0' && text_[pos_] <= '9') || text_[pos_] == '-')) {
      ++pos_;
    }
  }
  return text_.substr(start, pos_ - start);
}

bool Cursor::fail(std::size_t offset, std::string message) {
  if (!failed_) {
    failed_ = true;
    fail_offset_ = offset;
    fail_message_ = std::move(message);
  }
  return false;
}

std::string Cursor::found() {
  skip_space();
  if (pos_ >= text_.size()) {
    return "the end of the input";
  }
  std::size_t end = pos_;
  std::size_t p = pos_;
  if (decode_utf8(text_, p)) {
    end = p;
  } else {
    end = pos_ + 1;
  }
  return quote_at(text_, pos_, end);
}

bool Cursor::enter() {
  if (++depth_ > limits_.max_depth) {
    return fail_here("nesting is deeper than " + std::to_string(limits_.max_depth) + " levels");
  }
  return true;
}

Error Cursor::error() const { return text_error(format_, text_, fail_offset_, fail_message_); }

}  // namespace tairitsu::detail
