#pragma once

/// WIT worlds at run time: load a world from WIT files and check an image
/// against it before running it.
///
/// A world says what a host provides (its imports) and what it expects of a
/// guest (its exports). `check_world` compares an image's imports and exports
/// with them, function by function and type by type.
///
///     auto world = tairitsu::WitWorld::load("wit/", "plugin");
///     auto report = tairitsu::check_world(*image, *world);
///     if (!report.conforms()) std::cerr << report.to_string();

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tairitsu/error.hpp"
#include "tairitsu/image.hpp"
#include "tairitsu/world_item.hpp"

namespace tairitsu {

/// A resolved WIT world. Cheap to copy.
class WitWorld {
 public:
  /// Resolves the WIT file or directory at `path` (with its `deps/`) with the
  /// wit-parser crate and selects `world`: a name in the package ("plugin"), a
  /// qualified one ("pkg:ns/plugin@1.0.0"), or empty for the package's only
  /// world. `InvalidInput` with wit-parser's message (file, line and column)
  /// when the WIT is wrong; `NotFound` when the path does not exist.
  static Result<WitWorld> load(const std::filesystem::path &path, std::string_view world = {});

  /// "pkg:ns/plugin@1.0.0".
  const std::string &name() const { return name_; }
  /// What the host provides and what the guest must provide, in the form of
  /// `Image::imports()` and `Image::exports()`.
  const std::vector<WorldItem> &imports() const { return imports_; }
  const std::vector<WorldItem> &exports() const { return exports_; }
  /// wit-parser's JSON form of the resolved packages, for generators:
  /// `{"world": <index>, "resolve": {...}}`.
  const std::string &json() const { return json_; }

 private:
  std::string name_;
  std::vector<WorldItem> imports_;
  std::vector<WorldItem> exports_;
  std::string json_;
};

/// One way in which an image differs from a world.
struct WorldDifference {
  enum class Kind {
    UnprovidedImport,  ///< the image imports something the world does not provide
    MissingExport,     ///< the world expects an export the image lacks
    ImportType,        ///< an import exists on both sides with different types
    ExportType,        ///< an export exists on both sides with different types
  };
  Kind kind;
  /// The full name: "add", "pkg:ns/iface@1.0.0", "pkg:ns/iface@1.0.0#greet".
  std::string name;
  /// The world's side and the image's side (signatures), empty where absent.
  std::string in_world;
  std::string in_image;

  /// One line: "export pkg:ns/api@1.0.0#greet: the world has func(name: string) -> string, the image has func() ->
  /// string".
  std::string to_string() const;
};

/// The result of checking an image against a world.
struct WorldCheck {
  std::string world;
  std::vector<WorldDifference> differences;

  bool conforms() const { return differences.empty(); }
  /// "conforms to pkg:ns/w" or a line per difference.
  std::string to_string() const;
};

struct WorldCheckOptions {
  /// WASI 0.2 interfaces count as provided, as containers link them unless
  /// `ContainerBuilder::wasi(false)` (granting nothing unless asked).
  bool wasi_provided = true;
};

/// Compares a component's imports and exports with `world`: every import
/// must be provided by the world with the same type, and every export of the
/// world must be exported with the same type. Items match as linking
/// matches them: the same name, in interfaces of the same name whose versions
/// are equal or semver-compatible (0.1.0 and 0.1.3; 1.0.0 and 1.4.0); an
/// interface missing as a whole is one difference.
WorldCheck check_world(std::span<const WorldItem> imports, std::span<const WorldItem> exports, const WitWorld &world,
                       WorldCheckOptions options = {});

/// Compares `image` with `world` (see above).
inline WorldCheck check_world(const Image &image, const WitWorld &world, WorldCheckOptions options = {}) {
  return check_world(image.imports(), image.exports(), world, options);
}

/// `check_world` as a `Result`: `TypeMismatch` whose message lists every difference.
inline Result<void> require_world(const Image &image, const WitWorld &world, WorldCheckOptions options = {}) {
  WorldCheck report = check_world(image, world, options);
  if (report.conforms()) return {};
  return Error(ErrorCode::TypeMismatch, "image " + image.digest() + " " + report.to_string());
}

}  // namespace tairitsu
