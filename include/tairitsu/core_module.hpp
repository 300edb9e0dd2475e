#pragma once

/// Core WebAssembly modules as component items.
///
/// A component can import a core module (`(import "m" (core module ...))`)
/// or export one. A `CoreModule` is such a module compiled for an engine: the
/// host provides it to a container with `ContainerBuilder::define_module`, and
/// takes one out of a running container with `Container::exported_module`.
///
///     auto module = CoreModule::load(wat_or_wasm_bytes);
///     auto container = ContainerBuilder(image).define_module("env#helpers", *module).build();

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>

#include "tairitsu/engine.hpp"
#include "tairitsu/error.hpp"

namespace tairitsu {

namespace detail {
struct CoreModuleState;
}

/// A compiled core module. Cheap to copy: copies share the compiled code. Thread-safe.
class CoreModule {
 public:
  /// Compiles core module bytes or WAT text. Fails with `InvalidInput` naming
  /// what was wrong (a component is refused: load it as an `Image`).
  static Result<CoreModule> load(std::span<const std::byte> bytes, const Engine &engine = Engine::shared());
  static Result<CoreModule> from_wat(std::string_view wat, const Engine &engine = Engine::shared());

  /// An empty module handle, for containers of modules; not usable until assigned.
  CoreModule() = default;
  explicit operator bool() const { return state_ != nullptr; }

  /// Implementation access for the library's own modules.
  const std::shared_ptr<const detail::CoreModuleState> &state() const { return state_; }
  explicit CoreModule(std::shared_ptr<const detail::CoreModuleState> state) : state_(std::move(state)) {}

 private:
  std::shared_ptr<const detail::CoreModuleState> state_;
};

}  // namespace tairitsu
