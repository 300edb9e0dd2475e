#pragma once

// The private side of containers: the configuration a builder collects
// (ContainerSpec, immutable once built) and the live state of a container
// (ContainerCore: store, instance, lifecycle).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>

#include "engine/bridge.hpp"
#include "engine/image_state.hpp"
#include "tairitsu/container.hpp"
#include "tairitsu/typed.hpp"
#include "tairitsu_native.h"
#include "wit/names.hpp"

namespace tairitsu::detail {

/// One thing the host defines for the image's imports: a function, a
/// resource (declared, or an alias of another), a core module, another
/// container's resource type, or an instance defined even when nothing else
/// is added to it. Members beyond the names belong to one kind each.
struct HostDefinition {
  enum class Kind { Function, Resource, Module, ForeignResource, Instance };
  HostDefinition(Kind kind, std::string full_name, std::string interface_name, std::string item_name)
      : kind(kind),
        full_name(std::move(full_name)),
        interface_name(std::move(interface_name)),
        item_name(std::move(item_name)) {}

  Kind kind;
  std::string full_name;       // as given: "f" or "pkg:ns/iface@v#f"; an instance's name
  std::string interface_name;  // empty at the root; an instance: its name
  std::string item_name;       // an instance: empty

  HostFunction function;             // Function
  AsyncHostFunction async_function;  // Function, when it answers later (instead of `function`)
  TypedHostForm typed;               // Function, for define<Sig>: its signature, and its flat form if any

  ResourceDestructor destructor;  // Resource
  uint32_t type_id = 0;           // Resource: the host resource type's number, unique in the process
  std::string alias_of;           // Resource: another name of the resource `alias_of` (its type, no destructor)

  CoreModule module;  // Module

  std::shared_ptr<const ResourceTypePtr> foreign_type;  // ForeignResource: a type another container's instance exports

  /// Whether this definition serves the imported `item` (names.hpp's `serves`).
  bool serves(const WorldItem &item) const;
};

/// Everything a builder collects. Shared between a builder and the containers it
/// built (for `restart()`); copied on write by the builder.
struct PreparedLinker;

struct ContainerSpec {
  Image image;
  std::string name;
  std::shared_ptr<void> state;
  std::type_index state_type = typeid(void);

  bool wasi = true;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;
  bool inherit_env = false;
  std::vector<Preopen> preopens;
  StdioMode stdin_mode = StdioMode::Null;
  std::optional<std::string> stdin_bytes;
  StdioMode stdout_mode = StdioMode::Null;
  StdioMode stderr_mode = StdioMode::Null;

  /// What the host defines, in the order defined; a later definition of a
  /// name replaces an earlier one of the same kind.
  std::vector<HostDefinition> definitions;
  bool trap_unknown_imports = false;
  bool suspendable = false;
  /// Served over HTTP (engine/http_server.cpp): WASI and wasi:http are
  /// linked in their async forms, and every instance runs on a fiber.
  bool serving = false;
  GuestInitializer initializer;
  Limits limits;

  /// The spec's linker, made by the first container and shared by the next.
  /// A copied spec (the builder changed after a build) starts without one.
  struct PreparedSlot {
    std::mutex mutex;
    std::shared_ptr<PreparedLinker> linker;
  };
  std::shared_ptr<PreparedSlot> prepared = std::make_shared<PreparedSlot>();

  explicit ContainerSpec(Image image) : image(std::move(image)) {}

  /// Whether calls and instantiation run on a fiber: asked for, the engine
  /// is concurrent, or some host function answers later.
  bool runs_on_fiber() const {
    return suspendable || serving || image.engine().config().concurrent() ||
           std::any_of(definitions.begin(), definitions.end(),
                       [](const HostDefinition &d) { return static_cast<bool>(d.async_function); });
  }
};

/// Captured output of one stream; written by WASI from the calling thread.
struct OutputBuffer {
  mutable std::mutex mutex;
  std::string text;
};

/// A host function as linked: what its callback needs to run. The container
/// comes from the store's data, so one linker serves every container of a spec.
struct HostBinding {
  const HostDefinition *def;
  std::optional<FunctionType> type;  // from the image's import, when it imports it
};

struct ResourceBinding {
  const HostDefinition *def;
};

/// What every container of one spec shares: a linker with WASI, the host's
/// definitions and trap stubs, and the component pre-instantiated against it.
struct PreparedLinker {
  // The definitions the bindings point into. Not owned: whoever holds this
  // (the spec's slot, a container) keeps the spec alive too.
  const ContainerSpec *spec = nullptr;
  LinkerPtr linker;
  std::vector<std::unique_ptr<HostBinding>> bindings;
  std::vector<std::unique_ptr<ResourceBinding>> resource_bindings;
  // Trap stubs for imports nobody provides (with trap_unknown_imports).
  std::vector<HostDefinition> stub_functions;
  // Typed definitions whose signature does not fit their import, as linked.
  std::vector<std::unique_ptr<HostDefinition>> mismatched;
  std::vector<HostDefinition> stub_resources;
  bool needs_engine_stubs = false;
  CPtr<tairitsu_instance_pre, tairitsu_instance_pre_delete> pre;  // null with a guest initializer
};

/// The completion of one call to an async host function, made by the link
/// step's callback (engine/completion.cpp).
Completion make_completion(const tairitsu_completion *completion, const HostBinding &binding, std::size_t nresults);

/// A number for a new host resource type, unique in the process.
uint32_t new_resource_type_id();

/// Links a spec: WASI when asked, the host's definitions, stubs, and (unless
/// the spec has a guest initializer, which may add to the linker) the
/// pre-instantiated component.
Result<std::shared_ptr<PreparedLinker>> prepare_linker(const ContainerSpec &spec);

/// `LimitExceeded` when the calling thread's stack has too little room left
/// for another call into a guest (Wasmtime gives each entry up to 512 KiB of
/// wasm stack, counted from where that entry starts): host functions that
/// call into containers, which call host functions, and so on, end in this
/// error rather than in an overflow of the thread's stack. Nothing when the
/// call runs on a stack other than the thread's own (a fiber).
std::optional<Error> short_of_native_stack();

/// Makes a deadline the calling thread's call deadline (what bounds blocking
/// WASI calls) for its scope, and puts back the one before (calls nest when
/// a host function calls into another container).
class CallDeadline {
 public:
  explicit CallDeadline(const std::optional<std::chrono::steady_clock::time_point> &deadline) {
    if (deadline) {
      armed_ = true;
      previous_ = tairitsu_call_deadline_exchange(
          std::chrono::duration_cast<std::chrono::nanoseconds>(deadline->time_since_epoch()).count());
    }
  }
  CallDeadline(const CallDeadline &) = delete;
  CallDeadline &operator=(const CallDeadline &) = delete;
  ~CallDeadline() {
    if (armed_) tairitsu_call_deadline_exchange(previous_);
  }

 private:
  bool armed_ = false;
  int64_t previous_ = 0;
};

class BoundExport;  // engine/bound_export.hpp

struct AsyncCall;  // engine/async_call.cpp

struct ContainerCore {
  std::shared_ptr<const ContainerSpec> spec;
  std::string name;
  /// The spec's linker (shared with the spec's other containers).
  std::shared_ptr<PreparedLinker> prepared;
  StorePtr store;
  /// Shared with the resource handles made in `store`; cleared when it goes.
  std::shared_ptr<StoreLink> store_link;
  wasmtime_component_instance_t instance{};
  /// Counts instantiations, so that bound exports know when their function is stale.
  uint64_t generation = 0;
  /// The exports bound for calls, by `ExportedFunction::ordinal` (made on first use).
  std::vector<std::unique_ptr<BoundExport>> bound;
  /// The export last bound: calls often repeat one, and this spares them the map lookup.
  BoundExport *last_bound = nullptr;
  ContainerState state = ContainerState::Created;
  /// Calls and instantiation run on a fiber: the engine has concurrency
  /// support, or a host function answers later.
  bool concurrent = false;
  std::optional<Error> failure;
  /// Handles named in text calls ("handle-7"); a fresh instance starts with none.
  ResourceTable text_handles;
  std::shared_ptr<OutputBuffer> stdout_buffer = std::make_shared<OutputBuffer>();
  std::shared_ptr<OutputBuffer> stderr_buffer = std::make_shared<OutputBuffer>();

  /// The store's limiter; deleted after the store, which uses it to the end.
  tairitsu_limiter *limiter = nullptr;
  /// When the current call must end, in monotonic time (set by `arm_limits`
  /// when the limits have a timeout). The epoch callback, blocking WASI
  /// calls and the output writers all measure against it.
  std::optional<std::chrono::steady_clock::time_point> deadline;

  ContainerCore() = default;
  ContainerCore(const ContainerCore &) = delete;
  ContainerCore &operator=(const ContainerCore &) = delete;
  ~ContainerCore();

  wasmtime_context_t *context() const { return wasmtime_store_context(store.get()); }
  /// The call started with `call_async` that has not reported yet
  /// (engine/async_call.cpp); guarded by `in_flight_mutex`.
  std::shared_ptr<AsyncCall> in_flight;
  std::mutex in_flight_mutex;
  /// Whether `in_flight` is set, for the calling paths to check without the mutex.
  std::atomic<bool> busy{false};
  /// Cancels the call in flight, if any, and waits until it lets go of the store.
  void cancel_in_flight();

  /// Deletes the store, after cancelling a call in flight and telling the handles made in it.
  void reset_store() {
    cancel_in_flight();
    if (store_link) store_link->context = nullptr;
    store_link.reset();
    store.reset();
    tairitsu_limiter_delete(std::exchange(limiter, nullptr));
  }
  /// Whether the current call had a deadline and it has passed.
  bool deadline_passed() const { return deadline && std::chrono::steady_clock::now() >= *deadline; }
  const ImageState &image() const { return *spec->image.state(); }

  /// Makes the store (with WASI and limits) and instantiates the component.
  Result<void> instantiate();
  /// Makes a new store with WASI and the limits armed, on the spec's linker
  /// (linked on first use), without instantiating: `instantiate`'s first
  /// half, and what an HTTP server does for each request.
  Result<void> open_store();
  /// Calls a function of the instance: on the current stack, or, when the
  /// engine is concurrent, on a fiber whose guest may suspend (waited for).
  wasmtime_error_t *call(const wasmtime_component_func_t *func, const wasmtime_component_val_t *args, std::size_t nargs,
                         wasmtime_component_val_t *results, std::size_t nresults);
  /// Gives a new store its limiter and, when the engine has deadlines, the
  /// epoch callback that checks the clock (engine/limits.cpp).
  void install_limits();
  /// Sets fuel and the deadline before entering the guest: those the limits
  /// set, and with `unlimited_too` (when the store is made) the unlimited
  /// ones too, which no call can use up (2^62 units or ticks) and so are
  /// not set again.
  void arm_limits(bool unlimited_too = false);
  /// The export `export_name` names (full, or a bare name found in one
  /// exported interface), bound for calls. `NotFound` if there is none.
  Result<BoundExport *> bind(std::string_view export_name);
  /// Turns a failed call into the error to report, naming the limit when one
  /// was hit, and marks the container failed.
  Error fail(wasmtime_error_t *error, std::string_view what);

  /// Enters the guest: arms the limits, runs `call` (which returns the
  /// engine's error, or null), and records the outcome: an error fails the
  /// container (its message made by `what()`), success marks it running.
  template <typename Call, typename What>
  Result<void> enter(Call &&call, What &&what) {
    if (auto low = short_of_native_stack()) {
      return std::move(*low).with_context(what() + " in container '" + name + "'");
    }
    if (spec->limits.fuel || spec->limits.timeout) {
      arm_limits();  // the unlimited ones were set with the store, for good
    }
    CallDeadline bound(deadline);
    if (wasmtime_error_t *err = call()) {
      return fail(err, what());
    }
    state = ContainerState::Running;
    return {};
  }
};

/// `InvalidState` naming `what` when the container has failed or is stopped.
Result<void> check_callable(const ContainerCore &core, std::string_view what);

/// "calling 'name'": how errors of a call to an export begin.
inline std::string calling(std::string_view export_name) { return "calling '" + std::string(export_name) + "'"; }

/// Turns a C API error into a failed result with context, or success when null.
Result<void> check(wasmtime_error_t *error, ErrorCode code, std::string_view what);

/// The resource a definition stands for: itself, or the declared resource it
/// is an alias of (`LinkError` when there is none).
Result<const HostDefinition *> resource_target(const ContainerSpec &spec, const HostDefinition &r);

/// Every import of the spec's image that neither WASI (when linked) nor the
/// host's definitions provide.
std::vector<const WorldItem *> missing_imports(const ContainerSpec &spec);

/// A `LinkError` with the imports the spec does not provide listed after
/// Wasmtime's reason; any other error as it is.
Error explain_link_error(const ContainerSpec &spec, Error error);

/// Builds the WASI configuration of a spec; fails when a preopened directory cannot be opened.
Result<wasi_config_t *> make_wasi_config(const ContainerSpec &spec, ContainerCore &core);

}  // namespace tairitsu::detail
