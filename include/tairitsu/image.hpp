#pragma once

/// Images: compiled components.
///
/// An `Image` is a validated, compiled WebAssembly component together with
/// its sha256 digest and the list of what it imports and exports. It comes
/// from component bytes, from a WASI preview1 core module (wrapped into a
/// component with the preview1 adapter), from WAT text, or, only through the
/// explicit `Image::from_precompiled`, from an artifact made by `Image::precompile`.
///
///     auto image = tairitsu::Image::from_file("plugin.wasm");
///     for (const auto &item : image->exports()) {
///       std::cout << item.signature() << "\n";   // "add: func(a: s32, b: s32) -> s32"
///     }

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tairitsu/engine.hpp"
#include "tairitsu/error.hpp"
#include "tairitsu/type.hpp"
#include "tairitsu/world_item.hpp"

namespace tairitsu {

namespace detail {
struct ImageState;
}

/// Where an image came from.
enum class ImageSource {
  Component,    ///< component bytes (or WAT)
  CoreCommand,  ///< a wasip1 command module, adapted
  CoreReactor,  ///< a wasip1 reactor (library) module, adapted
  Precompiled,  ///< an artifact from `Image::precompile`
};

std::string_view to_string(ImageSource source);

/// A WASI preview1 core module wrapped into component bytes.
struct AdaptedModule {
  std::vector<std::byte> component;
  bool is_command = false;  ///< the module exports `_start`: the command adapter was used
};

/// Wraps a wasip1 core module into a component with the preview1 adapter that
/// matches this Wasmtime release (the command adapter when the module exports
/// `_start`, the reactor adapter otherwise). Does not compile anything.
/// `InvalidInput` if the bytes are not a core module or cannot be adapted.
Result<AdaptedModule> adapt_core_module(std::span<const std::byte> module);

/// An immutable compiled component plus its digest and world.
/// Cheap to copy: copies share the compiled code. Thread-safe.
class Image {
 public:
  /// Loads whatever `bytes` are: a component, a wasip1 core module (adapted),
  /// or WAT text. Fails with `InvalidInput` naming what was wrong. A
  /// precompiled artifact is refused: it is native code, loaded only by the
  /// explicit `from_precompiled`.
  static Result<Image> load(std::span<const std::byte> bytes, const Engine &engine = Engine::shared());
  /// Reads and loads a file; errors name the file. `Io` if it cannot be read.
  static Result<Image> from_file(const std::filesystem::path &path, const Engine &engine = Engine::shared());
  /// Component bytes only: a core module is refused with `InvalidInput`.
  static Result<Image> from_component(std::span<const std::byte> bytes, const Engine &engine = Engine::shared());
  /// A wasip1 core module, wrapped into a component with the preview1 adapter
  /// (command adapter when it exports `_start`, reactor adapter otherwise).
  /// A component is refused with `InvalidInput`.
  static Result<Image> from_core_module(std::span<const std::byte> bytes, const Engine &engine = Engine::shared());
  /// A component (or core module) in WebAssembly text format.
  static Result<Image> from_wat(std::string_view wat, const Engine &engine = Engine::shared());
  /// An artifact made by `precompile()`. Refused with `InvalidInput` when it was made
  /// by another Wasmtime version or engine configuration.
  ///
  /// **Unsafe for bytes you did not make yourself**: an artifact is native
  /// machine code that runs with the host's privileges; Wasmtime checks its
  /// header and configuration, not its code, so a modified artifact escapes
  /// the sandbox. Load only artifacts this program wrote and kept where
  /// nobody else can write (the image store keeps a checksum of each of its
  /// own). `digest` is the digest of the component it was compiled from;
  /// when absent, the artifact's own digest is used.
  static Result<Image> from_precompiled(std::span<const std::byte> artifact, const Engine &engine = Engine::shared(),
                                        std::optional<std::string> digest = std::nullopt);

  /// Serialized machine code for this engine's configuration, for `from_precompiled`.
  Result<std::vector<std::byte>> precompile() const;

  /// "sha256:<64 hex digits>" of the component bytes.
  const std::string &digest() const;
  ImageSource source() const;
  /// The component's bytes; empty for an image loaded from a precompiled artifact.
  std::span<const std::byte> component_bytes() const;
  /// Size in bytes of what was loaded.
  std::size_t size() const;
  const Engine &engine() const;

  /// Imports and exports, functions of interfaces listed individually after their interface.
  const std::vector<WorldItem> &imports() const;
  const std::vector<WorldItem> &exports() const;

  /// Finds an exported function: a root name ("add"), a qualified one
  /// ("pkg:ns/iface@1.0.0#greet"), or a bare name found in exactly one exported
  /// interface. `NotFound` lists what exists; `InvalidInput` lists ambiguous matches.
  Result<const WorldItem *> find_export(std::string_view name) const;

  /// Implementation access for the library's own modules.
  const std::shared_ptr<const detail::ImageState> &state() const { return state_; }

 private:
  explicit Image(std::shared_ptr<const detail::ImageState> state) : state_(std::move(state)) {}
  friend struct detail::ImageState;
  std::shared_ptr<const detail::ImageState> state_;
};

}  // namespace tairitsu
