#pragma once

/// The engine: compiler settings shared by images and containers.
///
/// Images are compiled for one engine and run in containers of the same
/// engine. Most programs use one engine, `Engine::shared()`, which has
/// the defaults below; make your own to change them.
///
///     EngineConfig config;
///     config.pooling = true;
///     auto engine = Engine::create(config);

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "tairitsu/error.hpp"

namespace tairitsu {

namespace detail {
struct EngineState;
}

/// Settings fixed when an engine is made. Defaults favour safety.
struct EngineConfig {
  /// Count fuel so that containers can be given a fuel limit (a little slower).
  bool fuel = true;
  /// Interrupt guests at a wall-clock deadline (epoch interruption).
  bool deadlines = true;
  /// How often the deadline clock ticks; the resolution of deadlines.
  uint32_t deadline_tick_ms = 5;
  /// Reuse preallocated slots for instances (faster creation, more virtual memory).
  bool pooling = false;
  /// Compile functions on several threads.
  bool parallel_compilation = true;
  /// Accept components that use component-model async features (types only:
  /// stream, future and error-context values cannot cross the C API). Off by
  /// default: it makes every call pay for task bookkeeping (about half of a
  /// small call's time, see bench/README.md).
  bool component_model_async = false;
  /// Optimise compiled code for speed (true) or compile faster (false).
  bool optimize = true;
  /// WebAssembly and component-model proposals switched on or off by name,
  /// over Wasmtime's defaults: `{{"multi_memory", true}, {"gc", true}}`.
  /// The names are those of Wasmtime's test scripts: threads, bulk_memory,
  /// multi_memory, multi_value, memory64, custom_page_sizes, reference_types,
  /// function_references, gc, exceptions, simd, relaxed_simd, tail_call,
  /// extended_const, wide_arithmetic, branch_hinting, stack_switching, and
  /// component_model_ + more_async_builtins, async_stackful, threading,
  /// error_context, gc, map, memory64, fixed_length_lists, implements.
  /// (Component-model async itself is `component_model_async` above.)
  /// An unknown name, or a combination Wasmtime refuses, fails `Engine::create`.
  std::map<std::string, bool, std::less<>> features = {};

  /// Whether Wasmtime's concurrency support is on: with component-model
  /// async, or a proposal that needs it (error_context, threading,
  /// more_async_builtins, async_stackful). Calls then run on a fiber.
  bool concurrent() const;

  /// A string naming every setting that changes compiled code; images
  /// precompiled under another fingerprint are refused.
  std::string fingerprint() const;

  friend bool operator==(const EngineConfig &, const EngineConfig &) = default;
};

/// A compilation and execution environment. Cheap to copy: copies share one engine.
/// Thread-safe.
class Engine {
 public:
  /// Makes an engine. Fails with `InvalidInput` if the settings are inconsistent.
  static Result<Engine> create(const EngineConfig &config = {});
  /// The process-wide engine with default settings, made on first use.
  static Engine shared();

  const EngineConfig &config() const;

  /// Implementation access for the library's own modules.
  const std::shared_ptr<detail::EngineState> &state() const { return state_; }

 private:
  explicit Engine(std::shared_ptr<detail::EngineState> state) : state_(std::move(state)) {}
  std::shared_ptr<detail::EngineState> state_;
};

}  // namespace tairitsu
