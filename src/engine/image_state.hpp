#pragma once

// The private state of an Image: the compiled component, its digest, its world
// and, for each exported function, what a call needs (export index and type).

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "engine/bridge.hpp"
#include "tairitsu/image.hpp"

namespace tairitsu::detail {

/// The kinds of a function whose parameters and result are all scalars, as
/// calls through the scalar path (engine/bound_export.hpp) pass them.
struct ScalarSignature {
  std::array<uint8_t, TAIRITSU_SCALAR_MAX_PARAMS> params{};  ///< each a TypeKind, as a number
  std::optional<TypeKind> result;
};

/// An exported function as calls use it: facts about its signature that
/// every call would otherwise work out again (engine/exported_function.cpp).
struct ExportedFunction {
  const WorldItem *item = nullptr;
  ExportIndexPtr index;     ///< valid for every instance of the component
  std::size_t ordinal = 0;  ///< its place among the image's exported functions
  bool carries_async_values = false;
  bool scalar_params = false;              ///< only numbers and bools: nothing to check beyond the kind
  std::optional<ScalarSignature> scalars;  ///< set when calls take the scalar path
  uint32_t fast_shape = 0;                 ///< its shape in native/src/fast_call.rs, or 0

  /// The facts of export `item`, whose index in the component is `index`.
  static ExportedFunction of(const WorldItem &item, ExportIndexPtr index, std::size_t ordinal);
};

/// The fast shape (native/src/fast_call.rs) of a function type, or 0.
uint32_t fast_shape_of(const FunctionType &type);

/// An imported item: a root function or a member of an imported interface.
struct ImportedItem {
  const WorldItem *item = nullptr;
};

/// An image's world as linking and calls see it, reflected from the component.
struct ImageWorld {
  ResourceNames resources;
  std::vector<WorldItem> imports;
  std::vector<WorldItem> exports;
  std::map<std::string, ExportedFunction, std::less<>> functions;  ///< by full name
};

struct ImageState {
  explicit ImageState(Engine engine) : engine(std::move(engine)) {}

  Engine engine;
  ComponentPtr component;
  /// "sha256:<hex>"; for an artifact loaded without its component's digest,
  /// the artifact's own, worked out on first use from the bytes Wasmtime
  /// loaded (most programs that load artifacts never ask, and hashing, or
  /// even keeping a copy to hash, is much of the load).
  mutable std::string digest;
  mutable std::once_flag digest_once;
  ImageSource source = ImageSource::Component;
  std::vector<std::byte> bytes;
  std::size_t size = 0;

 private:
  mutable std::once_flag world_once_;
  mutable std::unique_ptr<const ImageWorld> world_;

 public:
  /// The image's world, reflected on first use: reflection costs more than
  /// loading a precompiled artifact, and what a container uses of it (the
  /// exports it calls, the imports the host serves) is often little.
  const ImageWorld &world() const;

  /// Builds the state of a compiled component.
  static Result<Image> make(const Engine &engine, ComponentPtr component, ImageSource source,
                            std::vector<std::byte> bytes, std::string digest, std::size_t size);
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
