#pragma once

// RON text: read in ron.cpp, written in ron_writer.cpp.

#include <span>
#include <string>
#include <string_view>

#include "tairitsu/text.hpp"

namespace tairitsu::detail::ron {

/// A WIT name as RON writes a field: kebab-case to snake_case.
inline std::string snake(std::string_view kebab) {
  std::string out(kebab);
  for (char &c : out) c = c == '-' ? '_' : c;
  return out;
}

/// A WIT name as RON writes a case: kebab-case to UpperCamelCase.
inline std::string camel(std::string_view kebab) {
  std::string out;
  bool upper = true;
  for (char c : kebab) {
    if (c == '-') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

Result<Value> parse(std::string_view text, const Type &type, const TextLimits &limits);
Result<std::vector<Value>> parse_params(std::string_view text, std::span<const Param> params, const TextLimits &limits);
Result<std::string> print(const Value &value, const Type &type, PrintOptions options);
Result<std::string> print_params(std::span<const Value> values, std::span<const Param> params, PrintOptions options);

}  // namespace tairitsu::detail::ron
