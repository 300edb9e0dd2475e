#pragma once

/// The engine's own objects, for guest initializers.
///
/// A guest initializer (`ContainerBuilder::guest_initializer`) runs after the
/// container's WASI and host definitions are linked and before the component
/// is instantiated. It receives Wasmtime's C API objects, so it can link
/// anything the engine supports that Tairitsu does not wrap. This is the one
/// public header that exposes Wasmtime.
///
///     builder.guest_initializer([](GuestInitContext &ctx) -> Result<void> {
///       auto *root = wasmtime_component_linker_root(ctx.linker);
///       // ... wasmtime_component_linker_instance_add_func(root, ...)
///       wasmtime_component_linker_instance_delete(root);
///       return {};
///     });
///
/// With an initializer installed, imports it may define are not checked in
/// advance: a missing one is reported by instantiation.

#include <wasmtime.h>

#include "tairitsu/container.hpp"

namespace tairitsu {

struct GuestInitContext {
  /// The container's linker; definitions added here are visible to instantiation.
  wasmtime_component_linker_t *linker;
  /// The store the component is about to be instantiated in.
  wasmtime_context_t *store;
  /// The image's compiled component.
  const wasmtime_component_t *component;
  /// The container's name.
  const std::string &container_name;
};

}  // namespace tairitsu
