#pragma once

// The rules of WIT names, shared by linking (the engine), world checks and
// the missing-import report.

#include <string>
#include <string_view>
#include <utility>

namespace tairitsu::detail {

/// Splits "pkg:ns/iface@v#item" into interface and item; a name without '#' is a root item.
std::pair<std::string, std::string> split_item_name(std::string_view full_name);

/// Whether a definition for interface `defined` satisfies an import of `imported`:
/// the same name, and versions equal or semver-compatible.
bool interface_satisfies(std::string_view defined, std::string_view imported);

/// Whether the host's item `defined_item` of interface `defined_interface`
/// serves an import of `imported_item` of `imported_interface`: the same item
/// name, both at the root or in interfaces that satisfy the import. The one
/// rule of linking, the missing-import report and world checks.
bool serves(std::string_view defined_interface, std::string_view defined_item, std::string_view imported_interface,
            std::string_view imported_item);

/// True when the linker's WASI preview 2 provides this import (any 0.2.x version).
bool is_wasi_p2_interface(std::string_view import_name);

}  // namespace tairitsu::detail
