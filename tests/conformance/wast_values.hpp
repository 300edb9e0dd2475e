#pragma once

// Component values as `wasm-tools json-from-wast` writes them, read into
// Tairitsu `Value`s, and a comparison of results against expected values.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "tairitsu/value.hpp"

namespace tairitsu::conformance {

/// A script value ({"type": "u32", "value": "7"}, ...) as a `Value`; an error
/// names what could not be read.
Result<Value> value_from_json(const nlohmann::json &json);

/// Why `actual` is not the value `expected` describes, or nothing when it is.
/// Floats compare bit for bit, except that "nan:canonical" and
/// "nan:arithmetic" accept any NaN.
std::optional<std::string> mismatch(const nlohmann::json &expected, const Value &actual);

}  // namespace tairitsu::conformance
