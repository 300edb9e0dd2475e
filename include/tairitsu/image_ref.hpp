#pragma once

/// Image references: the names images go by in a registry and a store.
///
///     auto ref = ImageRef::parse("team/calc:1.0");   // name "team/calc", tag "1.0"

#include <compare>
#include <string>
#include <string_view>

#include "tairitsu/error.hpp"

namespace tairitsu {

/// A parsed image reference: "name:tag", tag defaulting to "latest".
struct ImageRef {
  std::string name;
  std::string tag = "latest";

  /// Parses "name" or "name:tag" (the tag follows the last ':' after the last
  /// '/'). A name is at most 255 characters: parts joined by '/', each of
  /// lowercase letters and digits with '.', '_' or '-' between them (no "..",
  /// no empty part, no leading '/'); a tag is 1 to 128 letters,
  /// digits, '.', '_' and '-', not starting with '.' or '-'. `InvalidInput`
  /// otherwise.
  static Result<ImageRef> parse(std::string_view text);
  std::string to_string() const { return name + ":" + tag; }
  friend auto operator<=>(const ImageRef &, const ImageRef &) = default;
};

}  // namespace tairitsu
