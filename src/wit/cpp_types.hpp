#pragma once

// The C++ types tairitsu-bindgen spells for WIT types: primitives as <cstdint>
// and std types, named types by their (namespace-qualified) PascalCase name,
// anonymous ones by their structure (std::vector, std::optional,
// tairitsu::Outcome, std::tuple, tairitsu::Own / tairitsu::Borrow).
//
//   cpp::TypeMapping types(resolve);
//   types.cpp_type(param["type"], cpp::Passing::Viewed);  // "std::string_view", "geometry::Point", ...

#include <cstddef>
#include <stdexcept>
#include <string>

#include "wit/resolve.hpp"

namespace tairitsu::wit::cpp {

/// A WIT item with no C++ mapping; generate_header reports it as ErrorCode::Unsupported.
struct Unsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// How a parameter is passed.
enum class Passing {
  Owned,   ///< by value, as the typed layer receives it (host implementations)
  Viewed,  ///< cheap for calls into a guest: string_view, const& for aggregates
};

/// The C++ spelling of the types of one resolved WIT package set.
/// Holds a reference: the Resolve must outlive it. Throws Unsupported.
class TypeMapping {
 public:
  explicit TypeMapping(const Resolve &resolve) : r_(resolve) {}

  /// The C++ namespace of an interface's items, below the world's namespace.
  std::string namespace_of_interface(std::size_t id) const;

  /// The C++ name of a named type definition, relative to the world's namespace.
  std::string named_type(const Json &def) const;

  /// The C++ type of a type reference: a primitive's name or a type definition's id.
  std::string cpp_type(const Json &ref, Passing passing = Passing::Owned) const;

  /// A type definition spelled through its structure, whatever its name.
  std::string structural_type(const Json &def, Passing passing = Passing::Owned) const;

  /// How a parameter of a call into a guest is declared.
  std::string param_decl(const Json &ref) const;

  /// `type name`, or `const type &name`.
  static std::string declare(const std::string &type, const std::string &name) {
    return type + (type.ends_with("&") ? "" : " ") + name;
  }

 private:
  const Resolve &r_;
};

}  // namespace tairitsu::wit::cpp
