#pragma once

// WAVE text (see wave.cpp).

#include <span>
#include <string_view>

#include "tairitsu/text.hpp"

namespace tairitsu::detail::wave {

Result<Value> parse(std::string_view text, const Type &type, const TextLimits &limits);
Result<std::vector<Value>> parse_params(std::string_view text, std::span<const Param> params, const TextLimits &limits);
Result<std::string> print(const Value &value, const Type &type, PrintOptions options);
Result<std::string> print_params(std::span<const Value> values, std::span<const Param> params, PrintOptions options);

}  // namespace tairitsu::detail::wave
