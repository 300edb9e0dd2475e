#include "tairitsu/engine.hpp"

#include <chrono>

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

#include "engine/bridge.hpp"

namespace tairitsu {

namespace detail {

EpochTicker::~EpochTicker() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void EpochTicker::ensure_running() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) {
    return;
  }
  // The epoch counts ticks of monotonic time since the thread started: a
  // wake-up that comes late (a busy machine) adds every tick it missed, so
  // deadlines do not drift with load.
  thread_ = std::thread([this] {
    const auto tick = std::chrono::milliseconds(tick_ms_);
    const auto start = std::chrono::steady_clock::now();
    uint64_t ticks = 0;
    std::unique_lock lock(mutex_);
    while (!stop_cv_.wait_until(lock, start + tick * (ticks + 1), [this] { return stop_; })) {
      auto due = static_cast<uint64_t>((std::chrono::steady_clock::now() - start) / tick);
      for (; ticks < due; ++ticks) {
        wasmtime_engine_increment_epoch(engine_);
      }
    }
  });
}

}  // namespace detail

std::string EngineConfig::fingerprint() const {
  // Settings that change generated code or the layout of compiled artifacts.
  std::string out = "wasmtime-48";
  out += fuel ? "+fuel" : "";
  out += deadlines ? "+epochs" : "";
  out += pooling ? "+pooling" : "";
  out += component_model_async ? "+cm-async" : "";
  out += optimize ? "+opt" : "+noopt";
  for (const auto &[name, enabled] : features) {
    out += (enabled ? "+" : "-") + name;
  }
  return out;
}

bool EngineConfig::concurrent() const {
  if (component_model_async) return true;
  for (std::string_view name : {"component_model_error_context", "component_model_threading",
                                "component_model_more_async_builtins", "component_model_async_stackful"}) {
    auto it = features.find(name);
    if (it != features.end() && it->second) return true;
  }
  return false;
}

namespace {

#if defined(__SANITIZE_THREAD__)
void tsan_acquire(const void *address) { __tsan_acquire(const_cast<void *>(address)); }
void tsan_release(const void *address) { __tsan_release(const_cast<void *>(address)); }
#endif

// Under ThreadSanitizer, the native library reports the handoffs it makes
// through Rust's own synchronization, which ThreadSanitizer cannot see.
void annotate_native_synchronization() {
#if defined(__SANITIZE_THREAD__)
  static const bool annotated = [] {
    tairitsu_set_sync_annotations(&tsan_acquire, &tsan_release);
    return true;
  }();
  (void)annotated;
#endif
}

}  // namespace

Result<Engine> Engine::create(const EngineConfig &config) {
  annotate_native_synchronization();
  if (config.deadlines && config.deadline_tick_ms == 0) {
    return Error(ErrorCode::InvalidInput, "engine config: deadline_tick_ms must be at least 1");
  }
  wasm_config_t *raw = wasm_config_new();
  wasmtime_config_wasm_component_model_set(raw, true);
  wasmtime_config_consume_fuel_set(raw, config.fuel);
  wasmtime_config_epoch_interruption_set(raw, config.deadlines);
  wasmtime_config_parallel_compilation_set(raw, config.parallel_compilation);
  wasmtime_config_cranelift_opt_level_set(raw, config.optimize ? WASMTIME_OPT_LEVEL_SPEED : WASMTIME_OPT_LEVEL_NONE);
  // Concurrency support costs every call a task's bookkeeping; it is on only
  // when async components (or the proposals built on it) are wanted.
  wasmtime_config_concurrency_support_set(raw, config.concurrent());
  wasmtime_config_wasm_component_model_async_set(raw, config.component_model_async);
  for (const auto &[name, enabled] : config.features) {
    if (name == "component_model_async") {
      wasm_config_delete(raw);
      return Error(ErrorCode::InvalidInput,
                   "engine config: set component-model async with EngineConfig::component_model_async, "
                   "not as a feature");
    }
    if (!tairitsu_config_set_feature(raw, name.data(), name.size(), enabled)) {
      wasm_config_delete(raw);
      return Error(ErrorCode::InvalidInput, "engine config: unknown feature '" + name + "'");
    }
  }
  if (config.pooling) {
    wasmtime_pooling_allocation_config_t *pooling = wasmtime_pooling_allocation_config_new();
    wasmtime_pooling_allocation_strategy_set(raw, pooling);
    wasmtime_pooling_allocation_config_delete(pooling);
  }
  auto state = std::make_shared<detail::EngineState>();
  state->config = config;
  wasm_engine_t *engine = nullptr;
  if (wasmtime_error_t *err = tairitsu_engine_new(raw, &engine)) {
    return detail::take_error(err, ErrorCode::InvalidInput).with_context("engine config");
  }
  state->engine.reset(engine);
  state->ticker = std::make_unique<detail::EpochTicker>(state->raw(), config.deadline_tick_ms);
  return Engine(std::move(state));
}

Engine Engine::shared() {
  static Engine engine = [] {
    auto created = Engine::create();
    return std::move(created).value();
  }();
  return engine;
}

const EngineConfig &Engine::config() const { return state_->config; }

}  // namespace tairitsu
