#pragma once

/// Containers: running instances of images.
///
/// A `ContainerBuilder` collects everything a container gets from its host:
/// host state, WASI capabilities (none unless granted), host functions and
/// resources for its imports, and limits. `build()` links and instantiates it;
/// the resulting `Container` is called by export name with `Value`s.
///
///     auto container = ContainerBuilder(image)
///                          .name("calc")
///                          .limits({.fuel = 1'000'000, .timeout = std::chrono::seconds(1)})
///                          .build();
///     auto sum = container->call("add", {Value::s32(1), Value::s32(2)});   // s32 3

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

#include "tairitsu/core_module.hpp"
#include "tairitsu/error.hpp"
#include "tairitsu/executor.hpp"
#include "tairitsu/image.hpp"
#include "tairitsu/stream.hpp"
#include "tairitsu/text.hpp"
#include "tairitsu/value.hpp"

namespace tairitsu {

namespace detail {
struct ContainerCore;
struct ContainerSpec;
}  // namespace detail

struct GuestInitContext;  // tairitsu/guest_init.hpp: the engine's own objects
template <typename Sig>
class TypedFunc;  // tairitsu/typed.hpp
namespace detail {
template <typename Sig, typename F>
struct TypedHost;      // tairitsu/typed.hpp
struct TypedHostForm;  // tairitsu/typed.hpp
}  // namespace detail

/// The lifecycle of a container.
enum class ContainerState {
  Created,  ///< instantiated, no call made yet
  Running,  ///< has been called and is ready for more calls
  Failed,   ///< trapped or hit a limit; calls fail until `restart()`
  Stopped,  ///< stopped by the host; calls fail until `restart()`
};

std::string_view to_string(ContainerState state);

/// The default of `Limits::table_elements`.
inline constexpr uint64_t kDefaultTableElements = 1'000'000;

/// Resource limits of a container. Unset means unlimited (tables have a
/// default limit).
struct Limits {
  /// Maximum bytes of all the container's linear memories and tables
  /// together (a table element counts 8 bytes, what the host spends on it).
  /// Growth past it traps with the limit named.
  std::optional<uint64_t> memory_bytes = {};
  /// Maximum elements of all the container's tables together. On by
  /// default (8 MiB of table), so that no guest can make the host allocate
  /// without bound with `table.grow`; `std::nullopt` removes it.
  std::optional<uint64_t> table_elements = kDefaultTableElements;
  /// Maximum number of instances (core and component) in the container.
  std::optional<uint64_t> instances = {};
  /// Fuel (roughly, wasm instructions) available to each call, refilled before each call.
  std::optional<uint64_t> fuel = {};
  /// Wall-clock time each call may take.
  std::optional<std::chrono::milliseconds> timeout = {};
};

/// What a standard stream of the guest is connected to.
enum class StdioMode {
  Null,     ///< stdin reads nothing; output is discarded (the default)
  Inherit,  ///< the host process's own stream
  Capture,  ///< output kept in a buffer, read with `Container::stdout_text()`; stdin: `stdin_bytes`
};

enum class DirAccess { ReadOnly, ReadWrite };

/// A directory of the host made visible to the guest.
struct Preopen {
  std::filesystem::path host_path;
  std::string guest_path;
  DirAccess access = DirAccess::ReadOnly;
};

class Container;

/// What a host function can reach while it runs: the container's host state,
/// its name, and its resource handles.
class HostContext {
 public:
  /// The host state given to `ContainerBuilder::state`, or null if there is none
  /// or it is not a `T`.
  template <typename T>
  T *state() const {
    return state_type() == typeid(T) ? static_cast<T *>(state_pointer()) : nullptr;
  }
  const std::string &container_name() const;
  /// The full name of the import being served, such as "pkg:ns/iface@1.0.0#f".
  std::string_view function_name() const { return function_name_; }
  /// The import's type, when the image imports the function being served.
  const FunctionType *function_type() const { return function_type_; }

  /// A new owned handle to a host resource declared with `define_resource`
  /// (by its full name, such as "pkg:ns/iface@1.0.0#session"), whose
  /// representation is `rep`. `NotFound` if no such resource was declared.
  Result<Value> new_resource(std::string_view resource, uint32_t rep);
  /// The representation of a host resource handle passed in by the guest.
  /// Reading it takes the handle out of the store's table (as Wasmtime does):
  /// a borrow ends there, and an owned handle passes to the host, which then
  /// owns `rep`; reading it again gives the same number.
  Result<uint32_t> resource_rep(const Value &handle) const;
  /// The container's table of handles named in text ("handle-7").
  ResourceTable *text_handles() const;

  /// A new `wasi:io` input-stream the guest reads and the host feeds through
  /// the writer, buffering up to `capacity` bytes (tairitsu/stream.hpp).
  Result<HostInputStream> input_stream(std::size_t capacity = kDefaultStreamCapacity);
  /// A new `wasi:io` output-stream the guest writes and the host drains.
  Result<HostOutputStream> output_stream(std::size_t capacity = kDefaultStreamCapacity);
  /// Writes all of `bytes` to an output-stream the guest passed in (its
  /// stdout, or one it got elsewhere; owned or borrowed) and flushes it,
  /// waiting as the call's deadline allows. `InvalidState` when the stream
  /// is closed, `Io` when its last operation failed.
  Result<void> write_stream(const Value &output_stream, std::span<const std::byte> bytes);
  /// Reads up to `out.size()` bytes from an input-stream the guest passed
  /// in, waiting for at least one; 0 at the end of the stream.
  Result<std::size_t> read_stream(const Value &input_stream, std::span<std::byte> out);

  HostContext(detail::ContainerCore &core, void *store_context, std::string_view function_name,
              const FunctionType *function_type = nullptr)
      : core_(core), store_context_(store_context), function_name_(function_name), function_type_(function_type) {}

 private:
  std::type_index state_type() const;
  void *state_pointer() const;

  detail::ContainerCore &core_;
  void *store_context_;
  std::string_view function_name_;
  const FunctionType *function_type_;
};

/// A host function: receives the arguments, returns the result (any value,
/// conventionally `Value::unit()`, for functions without one). An error
/// makes the guest trap with its message.
using HostFunction = std::function<Result<Value>(HostContext &, std::span<const Value>)>;

namespace detail {
struct CompletionState;
}  // namespace detail

/// The answer of an async host function (`define_async_function`), given
/// later from any thread. Move-only; finish it once. Dropping it unfinished
/// fails the call (the guest traps), so that no guest waits forever.
class Completion {
 public:
  explicit Completion(std::shared_ptr<detail::CompletionState> state);
  Completion(Completion &&) noexcept;
  Completion &operator=(Completion &&) noexcept;
  Completion(const Completion &) = delete;
  Completion &operator=(const Completion &) = delete;
  ~Completion();

  /// Finishes the call with its result (`Value::unit()` for a function
  /// without one), or with an error, which traps the guest with its message.
  /// `InvalidState` when it was finished before, or when the call is gone
  /// (its container stopped or failed, or its deadline passed): the answer
  /// is dropped. `TypeMismatch` when the result does not fit the import's
  /// type: the guest traps, with both types named.
  Result<void> complete(Result<Value> result);
  /// Whether the guest still waits for the answer.
  bool pending() const;

 private:
  std::shared_ptr<detail::CompletionState> state_;
};

/// An async host function: it receives the arguments and the completion to
/// finish later; it returns at once. While it has not answered, the guest's
/// call is suspended and the thread that drives the call waits without
/// spinning. Borrowed handles among the arguments are valid only until the
/// function returns.
using AsyncHostFunction = std::function<void(HostContext &, std::span<const Value>, Completion)>;

/// A host function that speaks text: it receives the arguments as an argument
/// list in the chosen format ("(1, \"a\")" in WAVE) and returns the result as
/// text (ignored for functions without a result).
using TextHostFunction = std::function<Result<std::string>(HostContext &, std::string_view)>;

/// Called when the guest drops the last handle to a host resource.
using ResourceDestructor = std::function<Result<void>(HostContext &, uint32_t rep)>;

/// Runs before instantiation with the engine's own linker, store and component,
/// for users who need Wasmtime itself (see tairitsu/guest_init.hpp).
using GuestInitializer = std::function<Result<void>(GuestInitContext &)>;

/// Collects a container's configuration. Copyable; `build()` can be called
/// more than once to make several containers alike.
class ContainerBuilder {
 public:
  explicit ContainerBuilder(Image image);
  ~ContainerBuilder();
  ContainerBuilder(const ContainerBuilder &);
  ContainerBuilder &operator=(const ContainerBuilder &);
  ContainerBuilder(ContainerBuilder &&) noexcept;
  ContainerBuilder &operator=(ContainerBuilder &&) noexcept;

  /// A name for messages and the registry. Defaults to the image digest's first 12 hex digits.
  ContainerBuilder &name(std::string name);

  /// Host state reachable from host functions through `HostContext::state<T>()`
  /// and from the host through `Container::state<T>()`. It lives as long as the container.
  template <typename T>
  ContainerBuilder &state(T value) {
    return set_state(std::shared_ptr<void>(std::make_shared<T>(std::move(value))), typeid(T));
  }

  // --- WASI capabilities: nothing is granted unless asked for. ---

  /// Links WASI preview 2 (the default). Without it, WASI imports are missing imports.
  ContainerBuilder &wasi(bool enabled);
  ContainerBuilder &args(std::vector<std::string> args);
  ContainerBuilder &env(std::string key, std::string value);
  /// Passes the host process's whole environment.
  ContainerBuilder &inherit_env();
  ContainerBuilder &preopen(std::filesystem::path host_path, std::string guest_path,
                            DirAccess access = DirAccess::ReadOnly);
  ContainerBuilder &stdin_mode(StdioMode mode);
  /// Gives the guest these bytes as stdin.
  ContainerBuilder &stdin_bytes(std::string bytes);
  ContainerBuilder &stdout_mode(StdioMode mode);
  ContainerBuilder &stderr_mode(StdioMode mode);

  // --- Imports. ---

  /// Serves an import: a root function ("log") or a member of an interface
  /// ("pkg:ns/iface@1.0.0#log", "pkg:ns/iface@1.0.0#[method]session.name").
  /// A member of an instance nested in an imported instance names the whole
  /// path: "host#nested#return-four".
  /// A later definition of the same name replaces an earlier one.
  ContainerBuilder &define_function(std::string full_name, HostFunction function);
  /// As above, for `define<Sig>`: with the C++ signature, checked against
  /// the import's type when linking, and a form that takes arguments
  /// without `Value`s where the signature allows.
  ContainerBuilder &define_function(std::string full_name, HostFunction function, detail::TypedHostForm typed);
  /// Serves an import with a function that speaks text in `format`. The
  /// result text is read against the import's result type; a mismatch traps
  /// the guest with an error naming the import, the text and the type.
  /// Serves an import with a C++ callable of signature `Sig`, such as
  /// `define<Point(Point, int32_t)>(name, [](Point p, int32_t f) { ... })`;
  /// arguments and results convert through `WitTraits` (tairitsu/typed.hpp).
  /// The callable may also return `Result<R>`. A signature that does not fit
  /// the import traps the guest with both types named.
  template <typename Sig, typename F>
  ContainerBuilder &define(std::string full_name, F function);

  /// Serves an import with an async host function, which answers through
  /// its `Completion` when it likes, from any thread. A container with one
  /// runs every call on a fiber (as a component-model-async engine does).
  ContainerBuilder &define_async_function(std::string full_name, AsyncHostFunction function);
  /// As above, with the C++ signature (checked against the import when linking).
  ContainerBuilder &define_async_function(std::string full_name, AsyncHostFunction function,
                                          detail::TypedHostForm typed);
  /// Serves an import with an async C++ callable of signature `Sig`, which
  /// gets the arguments and a `TypedCompletion<R>` to finish later:
  /// `define_async<uint32_t(uint32_t)>(name, [](uint32_t key, TypedCompletion<uint32_t> done) { ... })`
  /// (tairitsu/typed.hpp).
  template <typename Sig, typename F>
  ContainerBuilder &define_async(std::string full_name, F function);

  ContainerBuilder &define_text_function(std::string full_name, TextHostFunction function,
                                         TextFormat format = TextFormat::Wave);
  /// Declares a host resource ("pkg:ns/iface@1.0.0#session"); its constructor and
  /// methods are functions ("...#[constructor]session", "...#[method]session.name").
  ContainerBuilder &define_resource(std::string full_name, ResourceDestructor destructor = {});
  /// Declares `full_name` as another name of the host resource `existing`
  /// (declared with `define_resource`): the same type, so that a component
  /// importing both sees one resource; drops run `existing`'s destructor.
  /// `build()` fails with `LinkError` if `existing` is not declared.
  ContainerBuilder &define_resource_alias(std::string full_name, std::string existing);
  /// Serves an imported core module ("env#helpers", or "helpers" at the root).
  /// The module must be compiled for the image's engine.
  ContainerBuilder &define_module(std::string full_name, CoreModule module);
  /// Serves an imported instance `name` with what `source` exports at its
  /// root now: its core modules, and its resource types (so that handles of
  /// one type can be told from another's). Functions cannot cross containers;
  /// define them with `define_function`. The instance is defined even when
  /// `source` exports none of these.
  ContainerBuilder &define_instance(std::string name, Container &source);
  /// Links every import that nothing provides as a function that traps when called.
  ContainerBuilder &trap_unknown_imports(bool enabled = true);
  ContainerBuilder &guest_initializer(GuestInitializer initializer);

  ContainerBuilder &limits(Limits limits);
  /// Runs every call on a fiber, so that the guest can be suspended while it
  /// waits (for a host stream in `wasi:io`, or for an async host function):
  /// a call started with `call_async` then leaves the executor's thread to
  /// other calls meanwhile. Calls cost a little more (no fast path). On by
  /// itself with async host functions or a concurrent engine.
  ContainerBuilder &suspendable(bool enabled = true);

  /// Links and instantiates. Fails with `LinkError` listing every missing import
  /// with its type, `Unsupported` for a host function whose type carries a
  /// stream, future or error-context, `LimitExceeded` or `Trap` if instantiation
  /// does.
  Result<Container> build() const;

 private:
  ContainerBuilder &set_state(std::shared_ptr<void> state, std::type_index type);
  std::shared_ptr<detail::ContainerSpec> mutable_spec();
  friend class HttpServer;  // serves copies of the spec

  std::shared_ptr<detail::ContainerSpec> spec_;
};

/// A running instance of an Image. Move-only; owns its store and shares its host state.
/// May move between threads, never used from two at once (the Registry's
/// `SharedContainer` serializes access for you).
class Container {
 public:
  Container(Container &&) noexcept;
  Container &operator=(Container &&) noexcept;
  ~Container();

  /// Calls an export by name: root ("add"), qualified ("pkg:ns/iface@1.0.0#greet"),
  /// or a bare name found in one exported interface. Arguments are checked
  /// against the signature. Returns the result, or `Value::unit()` for functions
  /// without one. Errors: `NotFound`, `TypeMismatch`, `Unsupported`,
  /// `InvalidState` (failed or stopped), `Trap`, `LimitExceeded`.
  Result<Value> call(std::string_view export_name, std::span<const Value> args = {});
  Result<Value> call(std::string_view export_name, std::initializer_list<Value> args);

  /// Starts a call and returns at once; the result comes through the future.
  /// The call runs on `executor`'s threads, and holds none of them while its
  /// guest waits for an async host function. Until the result is ready the
  /// container must not be used, except to `stop()` it (or destroy it), which
  /// cancels the call: the result is then `InvalidState`. Errors as `call`,
  /// and `InvalidState` when a call is in flight already.
  std::future<Result<Value>> call_async(std::string_view export_name, std::vector<Value> args = {},
                                        Executor executor = Executor::shared());
  /// The same, handing the result to `done` (on an executor thread, or on
  /// the thread that stops the container) instead of a future.
  void call_async(std::string_view export_name, std::vector<Value> args, std::function<void(Result<Value>)> done,
                  Executor executor = Executor::shared());

  /// Calls an export with arguments written as text: `call_text("add", "(1, 2)")`.
  /// Returns the result as text in the same format ("3"; "" for functions without
  /// a result). Text errors are `InvalidInput` with the position; others as `call`.
  Result<std::string> call_text(std::string_view export_name, std::string_view arguments,
                                TextFormat format = TextFormat::Wave, PrintOptions options = {});
  /// `call_text` started on `executor`, as `call_async` starts `call`.
  std::future<Result<std::string>> call_text_async(std::string_view export_name, std::string_view arguments,
                                                   TextFormat format = TextFormat::Wave,
                                                   Executor executor = Executor::shared());
  /// A typed handle to an export, its signature checked once against the
  /// component's type: `func<int32_t(int32_t, int32_t)>("add")`. `TypeMismatch`
  /// names both types (tairitsu/typed.hpp).
  template <typename Sig>
  Result<TypedFunc<Sig>> func(std::string_view name);

  /// The same as `call_text`: `call("add", "(1, 2)")` returns "3".
  Result<std::string> call(std::string_view export_name, std::string_view arguments,
                           TextFormat format = TextFormat::Wave) {
    return call_text(export_name, arguments, format);
  }
  /// Calls a whole call expression: `invoke("add(1, 2)")`.
  Result<std::string> invoke(std::string_view call_expression, TextFormat format = TextFormat::Wave,
                             PrintOptions options = {});

  /// Runs a command component's `wasi:cli/run` and returns its exit code
  /// (0 on success, 1 when `run` returned an error, or the code passed to `exit`).
  Result<int> run();

  /// A core module the component exports at its root, to give to another
  /// container's `define_module`. `NotFound` if it exports none of that name.
  Result<CoreModule> exported_module(std::string_view name);

  /// Drops a guest resource handle that the host owns, running the guest's destructor.
  Result<void> drop_resource(const Value &handle);

  ContainerState state() const;
  /// The trap or limit that failed the container, if it failed.
  const std::optional<Error> &failure() const;
  const std::string &name() const;
  const Image &image() const;

  /// The container's table of handles named in text calls ("handle-7"); a
  /// fresh instance starts with none.
  ResourceTable *text_handles();

  /// A new `wasi:io` input-stream in this container's store, for the host to
  /// feed and the guest to read: pass `stream` to an export, keep `writer`
  /// (tairitsu/stream.hpp). `InvalidState` when the container has no instance.
  Result<HostInputStream> input_stream(std::size_t capacity = kDefaultStreamCapacity);
  /// A new `wasi:io` output-stream for the guest to write and the host to drain.
  Result<HostOutputStream> output_stream(std::size_t capacity = kDefaultStreamCapacity);

  /// Captured output (with `StdioMode::Capture`), accumulated since the container was built.
  std::string stdout_text() const;
  std::string stderr_text() const;

  /// The host state given to the builder, or null if it is not a `T`.
  template <typename T>
  T *state() const {
    return state_type() == typeid(T) ? static_cast<T *>(state_pointer()) : nullptr;
  }

  /// Marks the container stopped; later calls fail with `InvalidState`.
  void stop();
  /// A fresh instance with the same configuration and host state; the failure is cleared.
  Result<void> restart();

  /// Implementation access for the library's own modules.
  detail::ContainerCore &core() { return *core_; }

 private:
  friend class ContainerBuilder;
  explicit Container(std::unique_ptr<detail::ContainerCore> core);
  std::type_index state_type() const;
  void *state_pointer() const;

  std::unique_ptr<detail::ContainerCore> core_;
};

}  // namespace tairitsu
