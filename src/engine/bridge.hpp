#pragma once

// The engine bridge: the private side of the library that speaks Wasmtime's
// C API. Public headers never include this file; the conversions between
// Tairitsu's `Value`/`Type`/`Error` and Wasmtime's happen here, once.

#include <wasmtime.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "tairitsu/engine.hpp"
#include "tairitsu/error.hpp"
#include "tairitsu/type.hpp"
#include "tairitsu/value.hpp"

#include "tairitsu_native.h"

namespace tairitsu::detail {

/// A unique_ptr for a C API object with its delete function.
template <typename T, void (*Delete)(T *)>
struct CDeleter {
  void operator()(T *p) const {
    if (p) {
      Delete(p);
    }
  }
};
template <typename T, void (*Delete)(T *)>
using CPtr = std::unique_ptr<T, CDeleter<T, Delete>>;

using ErrorPtr = CPtr<wasmtime_error_t, wasmtime_error_delete>;
using ComponentPtr = CPtr<wasmtime_component_t, wasmtime_component_delete>;
using ComponentTypePtr = CPtr<wasmtime_component_type_t, wasmtime_component_type_delete>;
using FuncTypePtr = CPtr<wasmtime_component_func_type_t, wasmtime_component_func_type_delete>;
using ExportIndexPtr = CPtr<wasmtime_component_export_index_t, wasmtime_component_export_index_delete>;
using ResourceTypePtr = CPtr<wasmtime_component_resource_type_t, wasmtime_component_resource_type_delete>;
using LinkerPtr = CPtr<wasmtime_component_linker_t, wasmtime_component_linker_delete>;
using StorePtr = CPtr<wasmtime_store_t, wasmtime_store_delete>;

/// Ticks the engine's epoch at a fixed interval while deadlines are in use.
class EpochTicker {
 public:
  EpochTicker(wasm_engine_t *engine, uint32_t tick_ms) : engine_(engine), tick_ms_(tick_ms) {}
  ~EpochTicker();
  /// Starts the ticking thread if it is not running yet. Thread-safe.
  void ensure_running();

 private:
  wasm_engine_t *engine_;
  uint32_t tick_ms_;
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread thread_;
};

struct EngineState {
  EngineConfig config;
  CPtr<wasm_engine_t, wasm_engine_delete> engine;
  std::unique_ptr<EpochTicker> ticker;

  wasm_engine_t *raw() const { return engine.get(); }
};

/// The store a container's handles live in, for as long as it lives: the
/// container clears `context` when the store goes (stop, restart, destruction).
struct StoreLink {
  wasmtime_context_t *context = nullptr;
  bool concurrent = false;  ///< the engine has concurrency support: drops run on a fiber

  /// Drops a handle of this store.
  wasmtime_error_t *drop(const wasmtime_component_resource_any_t *any) const {
    return concurrent ? tairitsu_resource_any_drop_async(context, any)
                      : wasmtime_component_resource_any_drop(context, any);
  }
};

/// The shared state behind a `ResourceHandle`: one Wasmtime resource reference.
struct EngineResourceSlot final : ResourceSlot {
  EngineResourceSlot(wasmtime_component_resource_any_t *any, uint64_t id, std::shared_ptr<const StoreLink> store)
      : ResourceSlot(id, wasmtime_component_resource_any_owned(any)), any(any), store(std::move(store)) {}
  ~EngineResourceSlot() override { wasmtime_component_resource_any_delete(any); }
  EngineResourceSlot(const EngineResourceSlot &) = delete;
  EngineResourceSlot &operator=(const EngineResourceSlot &) = delete;

  Result<void> drop() override;

  wasmtime_component_resource_any_t *const any;
  const std::shared_ptr<const StoreLink> store;
  bool dropped = false;              ///< no longer in the store's table
  std::optional<uint32_t> host_rep;  ///< a host resource's representation, once read
  /// A `wasi:io` stream the host made: dropping it deletes the stream too.
  enum class Stream { None, Input, Output } stream = Stream::None;
};

/// The engine's reference behind a handle, or null for a handle made elsewhere.
inline wasmtime_component_resource_any_t *resource_of(const ResourceHandle &handle) {
  auto *slot = dynamic_cast<const EngineResourceSlot *>(handle.slot().get());
  return slot ? slot->any : nullptr;
}

/// Wraps a resource reference (taking ownership) as a handle of the store behind `store`.
ResourceHandle make_resource_handle(wasmtime_component_resource_any_t *any, std::shared_ptr<const StoreLink> store);

/// The representation of a host resource handle (`what`: "resource",
/// "output-stream"), read once and kept in the handle's slot: `read` takes
/// it out of the store's table (a borrow ends there, an owned handle passes
/// to the host). Errors name `what` and, as context, `reading`.
Result<uint32_t> host_rep_of(
    const Value &handle, std::string_view what, std::string_view reading,
    const std::function<wasmtime_error_t *(const wasmtime_component_resource_any_t *, uint32_t *)> &read);

/// Ends the borrows a host function was lent in `value` (its argument), as
/// Wasmtime requires before the call returns; the handles become unusable.
wasmtime_error_t *release_borrows(const Value &value);

/// Takes ownership of a Wasmtime error and turns it into an `Error` with the
/// given code, a readable message (the root cause, its contexts outermost first),
/// the wasm backtrace and the WASI exit status when there is one.
Error take_error(wasmtime_error_t *error, ErrorCode code);

/// Names the resource types that appear in a component's signatures.
class ResourceNames {
 public:
  void add(const wasmtime_component_resource_type_t *type, std::string name);
  /// The WIT name of `type`, or "resource" when it is not one of the known ones.
  std::string name_of(const wasmtime_component_resource_type_t *type) const;

 private:
  std::vector<std::pair<ResourceTypePtr, std::string>> names_;
};

/// Reflection: C API types to Tairitsu types.
Type type_from_capi(const wasmtime_component_valtype_t &type, const ResourceNames &names);
FunctionType function_type_from_capi(const wasmtime_component_func_type_t *type, const ResourceNames &names);

/// Why `value` cannot be handed to the engine (a string that is not UTF-8, a
/// char that is not a Unicode scalar value), or nothing when it can. `name`
/// names the value in the message.
std::optional<std::string> check_encodable(const Value &value, std::string_view name);

/// Values: Tairitsu to C API. `out` receives a value owned by the caller, to be
/// released with `wasmtime_component_val_delete`. The value must already match its type.
void value_to_capi(const Value &value, wasmtime_component_val_t &out);
/// Values: C API to Tairitsu. Fails with `Unsupported` for kinds that cannot be represented.
/// A C API value as a `Value`; resource handles made here belong to `store`.
Result<Value> value_from_capi(const wasmtime_component_val_t &value, const std::shared_ptr<const StoreLink> &store);

/// A vector of C values released together.
class CValues {
 public:
  explicit CValues(std::size_t n) : values_(n) {
    for (auto &v : values_) {
      v.kind = WASMTIME_COMPONENT_BOOL;
      v.of.boolean = false;
    }
  }
  ~CValues() {
    for (auto &v : values_) {
      wasmtime_component_val_delete(&v);
    }
  }
  CValues(const CValues &) = delete;
  CValues &operator=(const CValues &) = delete;
  wasmtime_component_val_t *data() { return values_.data(); }
  std::size_t size() const { return values_.size(); }
  wasmtime_component_val_t &operator[](std::size_t i) { return values_[i]; }

 private:
  std::vector<wasmtime_component_val_t> values_;
};

/// "a", "b" → the message used when a value does not fit the expected type.
std::string mismatch_message(std::string_view what, const Value &value, const Type &type, const std::string &path);

}  // namespace tairitsu::detail
