#pragma once

// The one way into a guest's export: a bound export, resolved once per
// container and called by `Value` calls, typed calls and text calls alike.

#include <span>

#include "engine/container_core.hpp"
#include "tairitsu/typed.hpp"

namespace tairitsu::detail {

/// An export of a container, resolved once: its function in the current
/// instance (resolved again after a restart) and the path its calls take,
/// chosen once from its signature:
///  - fast: Wasmtime's own typed call of a signature in the native catalogue
///    (native/src/fast_call.rs), for flat arguments;
///  - scalars: every parameter and the result a scalar, as raw bits;
///  - general: the C API's generic values.
/// `Value` calls of a fast or scalar signature take the same paths.
class BoundExport {
 public:
  BoundExport(ContainerCore &core, const ExportedFunction &fn) : core_(&core), fn_(&fn) {}

  const ExportedFunction &function() const { return *fn_; }
  ContainerCore &core() const { return *core_; }
  const std::string &name() const { return fn_->item->name; }

  /// A call with `Value`s; `checked` when they were read against the
  /// export's parameter types already (text calls), so they are not checked twice.
  Result<Value> call(std::span<const Value> args, bool checked = false);
  /// A call with flat arguments, one per parameter (typed calls).
  Result<void> call_flat(std::span<const Flat> args, FlatResult &result);
  /// The function to call with `args`, checked against the export's type,
  /// when the container can be called: for calls made elsewhere
  /// (engine/async_call.cpp).
  Result<const wasmtime_component_func_t *> prepare(std::span<const Value> args);

 private:
  /// The export's function, when the container can be called.
  Result<const wasmtime_component_func_t *> enterable();
  Result<void> check_arguments(std::span<const Value> args) const;
  Result<void> check_flat_arguments(std::span<const Flat> args) const;
  Result<void> call_fast(const wasmtime_component_func_t &func, std::span<const Flat> args, FlatResult &result);
  Result<void> call_scalars(const wasmtime_component_func_t &func, std::span<const Flat> args, uint64_t *result);
  Result<Value> call_general(const wasmtime_component_func_t &func, std::span<const Value> args);
  Result<void> call_flat_as_values(const wasmtime_component_func_t &func, std::span<const Flat> args,
                                   FlatResult &result);
  std::string what() const { return calling(name()); }

  ContainerCore *core_;
  const ExportedFunction *fn_;
  uint64_t generation_ = 0;
  wasmtime_component_func_t func_{};
  /// The fast shape, once checked against the function; 0 for none.
  uint32_t shape_ = 0;
  bool shape_checked_ = false;
};

}  // namespace tairitsu::detail
