#pragma once

// The private state of a CoreModule: the compiled module and its engine.

#include "engine/bridge.hpp"
#include "tairitsu/core_module.hpp"

namespace tairitsu::detail {

using ModulePtr = CPtr<wasmtime_module_t, wasmtime_module_delete>;

struct CoreModuleState {
  Engine engine;
  ModulePtr module;
};

}  // namespace tairitsu::detail
