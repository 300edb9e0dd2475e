#pragma once

// The private side of containers: the configuration a builder collects
// (ContainerSpec, immutable once built) and the live state of a container
// (ContainerCore: store, instance, lifecycle).

#include <chrono>
#include <mutex>
#include <optional>

#include "engine/bridge.hpp"
#include "engine/image_state.hpp"
#include "tairitsu/container.hpp"
#include "tairitsu_native.h"
#include "wit/names.hpp"

namespace tairitsu::detail {

struct HostFunctionDef {
  std::string full_name;       // as given: "f" or "pkg:ns/iface@v#f"
  std::string interface_name;  // empty at the root
  std::string item_name;
  HostFunction function;
  detail::FastHost fast;  // shape kNoFastPath: none
};

struct HostResourceDef {
  std::string full_name;
  std::string interface_name;
  std::string item_name;
  ResourceDestructor destructor;
  uint32_t type_id = 0;  // the host resource type's number, unique in the process
  std::string alias_of;  // another name of the resource `alias_of`: its type, no destructor
};

struct HostModuleDef {
  std::string full_name;
  std::string interface_name;
  std::string item_name;
  CoreModule module;
};

/// A resource type another container's instance exports, served under a new name.
struct ForeignResourceDef {
  std::string full_name;
  std::string interface_name;
  std::string item_name;
  std::shared_ptr<const ResourceTypePtr> type;
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

  std::vector<HostFunctionDef> functions;
  std::vector<HostResourceDef> resources;
  std::vector<HostModuleDef> modules;
  std::vector<ForeignResourceDef> foreign_resources;
  std::vector<std::string> instances;  ///< defined even when nothing is added to them
  bool trap_unknown_imports = false;
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
};

/// Captured output of one stream; written by WASI from the calling thread.
struct OutputBuffer {
  mutable std::mutex mutex;
  std::string text;
};

/// A host function as linked: what its callback needs to run. The container
/// comes from the store's data, so one linker serves every container of a spec.
struct HostBinding {
  const HostFunctionDef *def;
  std::optional<FunctionType> type;  // from the image's import, when it imports it
};

struct ResourceBinding {
  const HostResourceDef *def;
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
  std::vector<HostFunctionDef> stub_functions;
  // Typed definitions whose signature does not fit their import, as linked.
  std::vector<std::unique_ptr<HostFunctionDef>> mismatched;
  std::vector<HostResourceDef> stub_resources;
  bool needs_engine_stubs = false;
  CPtr<tairitsu_instance_pre, tairitsu_instance_pre_delete> pre;  // null with a guest initializer
};

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

struct ContainerCore {
  std::shared_ptr<const ContainerSpec> spec;
  std::string name;
  /// The spec's linker (shared with the spec's other containers).
  std::shared_ptr<PreparedLinker> prepared;
  StorePtr store;
  /// Shared with the resource handles made in `store`; cleared when it goes.
  std::shared_ptr<StoreLink> store_link;
  wasmtime_component_instance_t instance{};
  /// Counts instantiations, so that cached function handles know when they are stale.
  uint64_t generation = 0;
  /// Exported functions resolved in the instance, by `ExportedFunction::ordinal`;
  /// an entry of an older generation is stale.
  struct ResolvedFunc {
    uint64_t generation = 0;
    wasmtime_component_func_t func{};
  };
  std::vector<ResolvedFunc> funcs;
  /// The export last called, under its full name (held by the image's map):
  /// calls often repeat one, and this spares them the map lookup.
  struct LastExport {
    std::string_view name;
    const ExportedFunction *fn = nullptr;
  } last_export;
  ContainerState state = ContainerState::Created;
  /// The engine has concurrency support: calls and instantiation run on a fiber.
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
  ~ContainerCore() { reset_store(); }

  wasmtime_context_t *context() const { return wasmtime_store_context(store.get()); }
  /// Deletes the store, after telling the handles made in it.
  void reset_store() {
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
  /// The export's function in the current instance, resolved once per
  /// instance; null when the instance lacks it.
  const wasmtime_component_func_t *func(const ExportedFunction &fn);
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

/// Polls a future of the store's own work until it is done, then deletes it.
/// Host functions answer synchronously, so nothing else could wake it.
void wait(wasmtime_call_future_t *future);

/// "calling 'name'": how errors of a call to an export begin.
inline std::string calling(std::string_view export_name) { return "calling '" + std::string(export_name) + "'"; }

/// Turns a C API error into a failed result with context, or success when null.
Result<void> check(wasmtime_error_t *error, ErrorCode code, std::string_view what);

/// The resource a definition stands for: itself, or the declared resource it
/// is an alias of (`LinkError` when there is none).
Result<const HostResourceDef *> resource_target(const ContainerSpec &spec, const HostResourceDef &r);

/// Every import of the spec's image that neither WASI (when linked) nor the
/// host's definitions provide.
std::vector<const WorldItem *> missing_imports(const ContainerSpec &spec);

/// Builds the WASI configuration of a spec; fails when a preopened directory cannot be opened.
Result<wasi_config_t *> make_wasi_config(const ContainerSpec &spec, ContainerCore &core);

}  // namespace tairitsu::detail
