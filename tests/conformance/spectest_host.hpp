#pragma once

// The host items that Wasmtime's script runner links for every component of a
// script (`link_component_spectest` in Wasmtime's wast crate), served here
// through Tairitsu's public builder API: root `host-return-two`, an instance
// `host` with functions, a nested instance, a core module, and the resources
// `resource1` and `resource2` with their constructor, methods and statics.

#include <cstdint>
#include <memory>

#include "tairitsu/container.hpp"
#include "tairitsu/core_module.hpp"

namespace tairitsu::conformance {

/// What the host resources record across the whole script.
struct SpectestState {
  uint32_t drops = 0;
  uint32_t last_drop = 0;
  CoreModule simple_module;
};

/// Adds the host items to `builder`; `state` is shared by every component of a script.
void add_spectest_host(ContainerBuilder &builder, const std::shared_ptr<SpectestState> &state);

}  // namespace tairitsu::conformance
