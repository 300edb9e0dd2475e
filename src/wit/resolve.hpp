#pragma once

// Reading wit-parser's JSON form of a `Resolve` (what `tairitsu_wit_resolve`
// and `wasm-tools component wit --json` print): the shared vocabulary of the
// runtime world check and of tairitsu-bindgen.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "tairitsu/error.hpp"
#include "tairitsu/type.hpp"

namespace tairitsu::wit {

using Json = nlohmann::ordered_json;

/// wit-parser's resolved packages and the selected world.
class Resolve {
 public:
  /// Resolves the WIT at `path` through the native library and selects `world`.
  static Result<Resolve> load(const std::filesystem::path &path, std::string_view world);

  const Json &world() const { return root_["resolve"]["worlds"][world_index()]; }
  const Json &type_def(std::size_t id) const { return root_["resolve"]["types"][id]; }
  const Json &interface(std::size_t id) const { return root_["resolve"]["interfaces"][id]; }
  const Json &package(std::size_t id) const { return root_["resolve"]["packages"][id]; }
  std::size_t world_index() const { return root_["world"].get<std::size_t>(); }
  const std::string &text() const { return text_; }

  /// "pkg:ns/name@1.0.0" for a package's interface or world; the bare name of
  /// an interface declared inline in a world (which has no package name).
  std::string qualified_name(const Json &item, std::string_view fallback = {}) const;
  /// The structural type a type reference ("s32" or a type id) stands for.
  Type type_of(const Json &ref) const;
  /// A type definition with aliases (`type a = b`, `use`) followed to the end.
  const Json &underlying(std::size_t id) const;
  /// The function type of a JSON function (params with names, result, async).
  FunctionType function_type(const Json &function) const;

 private:
  Json root_;
  std::string text_;
};

/// The primitive a JSON type name stands for, or none.
std::optional<Type> primitive_type(std::string_view name);

}  // namespace tairitsu::wit
