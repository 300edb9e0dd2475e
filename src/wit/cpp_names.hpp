#pragma once

// The C++ names tairitsu-bindgen gives WIT names: snake_case for functions,
// members and namespaces, PascalCase for types, and a trailing underscore
// where a name would be a C++ keyword (or `std`, `tairitsu`, `self`).
//
//   cpp::snake("scaled-area") == "scaled_area"; cpp::pascal("scaled-area") == "ScaledArea"
//   cpp::snake("delete") == "delete_"

#include <string>
#include <string_view>

namespace tairitsu::wit::cpp {

/// "scaled-area" -> "scaled_area"; keywords get a trailing underscore.
std::string snake(std::string_view wit);

/// "scaled-area" -> "ScaledArea".
std::string pascal(std::string_view wit);

}  // namespace tairitsu::wit::cpp
