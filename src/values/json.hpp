#pragma once

// JSON text: read in json.cpp, written in json_writer.cpp.

#include <span>
#include <string_view>

#include "tairitsu/text.hpp"

namespace tairitsu::detail::json {

/// An option's payload whose JSON can itself be null needs the {"some": v} form.
inline bool needs_some_wrapper(const Type &payload) { return payload.kind() == TypeKind::Option; }

Result<Value> parse(std::string_view text, const Type &type, const TextLimits &limits);
Result<std::vector<Value>> parse_params(std::string_view text, std::span<const Param> params, const TextLimits &limits);
Result<std::string> print(const Value &value, const Type &type, PrintOptions options);
Result<std::string> print_params(std::span<const Value> values, std::span<const Param> params, PrintOptions options);

}  // namespace tairitsu::detail::json
