#pragma once

// Calls of functions whose parameters and result are all scalars (bool,
// integers, floats, char), with `Value`s or typed: each value crosses to the
// engine as 64 raw bits (native/src/scalar_call.rs) instead of as one of the C
// API's generic values, so that such a call allocates nothing on its way.

#include <span>
#include <string_view>

#include "engine/container_core.hpp"

namespace tairitsu::detail {

/// Calls `func`, of scalar signature `signature`, with the raw bits of its
/// arguments (as `detail::to_bits` makes them; chars valid); the result's bits
/// go to `result`. Errors as `Container::call`.
Result<void> call_scalar_bits(ContainerCore &core, const wasmtime_component_func_t &func,
                              const ScalarSignature &signature, std::span<const uint64_t> args, uint64_t *result,
                              std::string_view export_name);

/// The same with `Value`s (checked against the function's type already).
Result<Value> call_scalars(ContainerCore &core, const wasmtime_component_func_t &func, const ScalarSignature &signature,
                           std::span<const Value> args, std::string_view export_name);

}  // namespace tairitsu::detail
