#pragma once

/// Tairitsu: a WebAssembly component runtime with images, containers and a registry.
/// This header includes the whole public API except the engine-level
/// `tairitsu/guest_init.hpp`.

#include "tairitsu/commands.hpp"
#include "tairitsu/container.hpp"
#include "tairitsu/core_module.hpp"
#include "tairitsu/engine.hpp"
#include "tairitsu/error.hpp"
#include "tairitsu/http_server.hpp"
#include "tairitsu/image.hpp"
#include "tairitsu/image_store.hpp"
#include "tairitsu/registry.hpp"
#include "tairitsu/text.hpp"
#include "tairitsu/type.hpp"
#include "tairitsu/typed.hpp"
#include "tairitsu/value.hpp"
#include "tairitsu/wit.hpp"
