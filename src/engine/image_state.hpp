#pragma once

// The private state of an Image: the compiled component, its digest, its world
// and, for each exported function, what a call needs (export index and type).

#include <array>
#include <map>
#include <optional>

#include <mutex>

#include "engine/bridge.hpp"
#include "tairitsu/image.hpp"

namespace tairitsu::detail {

/// The kinds of a function whose parameters and result are all scalars, as
/// calls through the scalar path (engine/scalar_call.hpp) pass them.
struct ScalarSignature {
  std::array<uint8_t, TAIRITSU_SCALAR_MAX_PARAMS> params{};  ///< each a TypeKind, as a number
  std::optional<TypeKind> result;
  uint32_t fast_shape = 0;  ///< the TAIRITSU_SHAPE_* of the same signature, or 0
};

/// The kinds of `type` when its calls take the scalar path: at most
/// TAIRITSU_SCALAR_MAX_PARAMS parameters, and every parameter and the result
/// (if there is one) a bool, a number or a char. Otherwise nothing.
std::optional<ScalarSignature> scalar_signature(const FunctionType &type);

/// An exported function as calls use it.
struct ExportedFunction {
  const WorldItem *item;
  ExportIndexPtr index;  ///< valid for every instance of the component
  /// Facts about the signature that every call would otherwise work out again.
  bool carries_async_values = false;
  bool scalar_params = false;              ///< only numbers and bools: nothing to check beyond the kind
  std::optional<ScalarSignature> scalars;  ///< set when calls take the scalar path
  std::size_t ordinal = 0;                 ///< its place among the image's exported functions
};

/// An imported item: a root function or a member of an imported interface.
struct ImportedItem {
  const WorldItem *item;
};

struct ImageState {
  explicit ImageState(Engine engine) : engine(std::move(engine)) {}

  Engine engine;
  ComponentPtr component;
  /// "sha256:<hex>"; for an artifact loaded without its component's digest,
  /// the artifact's own, worked out from `digest_source` on first use (most
  /// programs that load artifacts never ask, and hashing is most of the load).
  mutable std::string digest;
  mutable std::vector<std::byte> digest_source;
  mutable std::once_flag digest_once;
  ImageSource source = ImageSource::Component;
  std::vector<std::byte> bytes;
  std::size_t size = 0;
  ResourceNames resources;
  std::vector<WorldItem> imports;
  std::vector<WorldItem> exports;
  std::map<std::string, ExportedFunction, std::less<>> functions;  ///< by full name

  /// Builds the state of a compiled component: reflects its world and indexes its exports.
  static Result<Image> make(const Engine &engine, ComponentPtr component, ImageSource source,
                            std::vector<std::byte> bytes, std::string digest, std::size_t size,
                            std::vector<std::byte> digest_source = {});
};

/// What bytes are, by their first bytes: the 8-byte preamble "\0asm" with
/// version 1 for core modules or 0x0d 0x00 0x01 0x00 (version 13, layer 1)
/// for components, an ELF artifact, or text.
enum class BinaryKind { CoreModule, Component, Precompiled, Text, Unknown };
BinaryKind classify(std::span<const std::byte> bytes);
/// Why a precompiled artifact is not loaded where bytes of any kind are accepted.
inline constexpr const char *kPrecompiledRefused =
    "this is a precompiled artifact: native machine code that runs outside the sandbox, so it is "
    "loaded only on request, for artifacts you made yourself (Image::from_precompiled; the CLI's "
    "--allow-precompiled)";
/// Why bytes of kind Unknown are not WebAssembly.
std::string describe_start(std::span<const std::byte> bytes);

/// The binary of WAT text (a module or a component); `InvalidInput` with the position otherwise.
Result<std::vector<std::byte>> wat_to_binary(std::string_view wat);

/// "sha256:<hex>" of `bytes`.
std::string sha256_digest(std::span<const std::byte> bytes);

}  // namespace tairitsu::detail
