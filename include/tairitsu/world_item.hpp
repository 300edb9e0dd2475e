#pragma once

/// What a component imports and exports, item by item: the shape both an
/// `Image` (from the compiled component) and a `WitWorld` (from WIT) list.

#include <optional>
#include <string>

#include "tairitsu/type.hpp"

namespace tairitsu {

/// One import or export of a component: a function, an interface, or a resource.
struct WorldItem {
  enum class Kind { Function, Interface, Resource, Module, Component };

  Kind kind = Kind::Function;
  /// The full name: "add", "pkg:ns/iface@1.0.0", or "pkg:ns/iface@1.0.0#greet"
  /// for a member of an interface (the form `Container::call` accepts).
  std::string name;
  /// The interface of a member, or empty at the root.
  std::string interface_name;
  /// The member's own name: "greet", "[method]counter.increment", "counter".
  std::string item_name;
  /// For functions.
  std::optional<FunctionType> function;
  /// For a resource that is another listed resource under a second name (a
  /// type an interface `use`s from another): that one's full name. Whatever
  /// serves that one serves this one.
  std::string same_as;

  /// WIT-style: "greet: func(name: string) -> string", "resource counter",
  /// "interface pkg:ns/iface@1.0.0".
  std::string signature() const;
};

}  // namespace tairitsu
