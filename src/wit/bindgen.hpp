#pragma once

// tairitsu-bindgen: C++ headers from a WIT world.
//
// For the world's types: structs (records, flags), enum classes, variants
// derived from std::variant, resource tags, with the typed layer's traits.
// For each imported interface: an abstract class the host implements and
// `add_to_builder`, which defines its functions on a ContainerBuilder. For
// each exported interface (and the world's root exports): an abstract class
// with one method per function, so that native code and a guest can stand
// behind the same calls, and `<Name>Guest`, its implementation by a container.

#include <string>

#include "tairitsu/error.hpp"
#include "wit/resolve.hpp"

namespace tairitsu::wit {

struct BindgenOptions {
  /// The C++ namespace everything goes in; empty: the world's name in snake case.
  std::string cpp_namespace;
};

/// The header's text. `Unsupported` names the WIT item that has no C++ mapping
/// yet (maps, streams and futures; resources of imported interfaces).
Result<std::string> generate_header(const Resolve &resolve, const BindgenOptions &options);

}  // namespace tairitsu::wit
