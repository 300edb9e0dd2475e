// A container's limits: installed with its store, armed before each call,
// and named from facts when a call fails.

#include <pthread.h>

#include <algorithm>
#include <chrono>

#include "engine/container_core.hpp"

namespace tairitsu::detail {

namespace {

constexpr uint64_t kUnlimited = uint64_t{1} << 62;

int64_t limit_or_default(const std::optional<uint64_t> &limit) {
  return limit ? static_cast<int64_t>(std::min<uint64_t>(*limit, INT64_MAX)) : -1;
}

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// The epoch reached the deadline's tick count: the call ends if its deadline
// has passed in monotonic time, else it goes on for the ticks still left.
wasmtime_error_t *on_epoch_deadline(wasmtime_context_t *, void *data, uint64_t *ticks,
                                    wasmtime_update_deadline_kind_t *kind) {
  const auto *core = static_cast<const ContainerCore *>(data);
  if (core->deadline_passed()) {
    return wasmtime_error_new("the call ran past its deadline");
  }
  *kind = WASMTIME_UPDATE_DEADLINE_CONTINUE;
  *ticks = kUnlimited;
  if (core->deadline) {
    auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(*core->deadline - std::chrono::steady_clock::now());
    uint64_t tick_ms = core->image().engine.config().deadline_tick_ms;
    *ticks = std::max<uint64_t>(1, (static_cast<uint64_t>(left.count()) + tick_ms - 1) / tick_ms);
  }
  return nullptr;
}

}  // namespace

void ContainerCore::install_limits() {
  const Limits &l = spec->limits;
  limiter = tairitsu_limiter_install(store.get(), limit_or_default(l.memory_bytes), limit_or_default(l.table_elements),
                                     limit_or_default(l.instances));
  if (image().engine.config().deadlines) {
    wasmtime_store_epoch_deadline_callback(store.get(), on_epoch_deadline, this, nullptr);
  }
}

std::optional<Error> short_of_native_stack() {
  // Enough for one guest's wasm stack and the host frames around it.
  constexpr std::size_t kReserve = std::size_t{1} << 20;
  thread_local uintptr_t low = 0, high = 0;
  if (high == 0) {
    pthread_attr_t attr;
    void *addr = nullptr;
    std::size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
        low = reinterpret_cast<uintptr_t>(addr);
        high = low + size;
      }
      pthread_attr_destroy(&attr);
    }
    if (high == 0) high = 1;  // unknown: never checked
  }
  auto sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  if (sp < low || sp >= high || sp - low >= kReserve) {
    return std::nullopt;
  }
  return Error(ErrorCode::LimitExceeded, "not enough native stack left for another call into a guest (" +
                                             std::to_string((sp - low) >> 10) + " KiB left, " +
                                             std::to_string(kReserve >> 10) +
                                             " KiB needed): host functions and guests call each other too deeply");
}

void ContainerCore::arm_limits(bool unlimited_too) {
  const EngineConfig &config = image().engine.config();
  const Limits &l = spec->limits;
  if (config.fuel && (l.fuel || unlimited_too)) {
    wasmtime_error_t *err = wasmtime_context_set_fuel(context(), l.fuel ? *l.fuel : kUnlimited);
    if (err) {
      wasmtime_error_delete(err);
    }
  }
  if (config.deadlines && (l.timeout || unlimited_too)) {
    uint64_t ticks = kUnlimited;
    if (l.timeout) {
      image().engine.state()->ticker->ensure_running();
      auto ms = static_cast<uint64_t>(std::max<int64_t>(l.timeout->count(), 0));
      ticks = std::max<uint64_t>(1, (ms + config.deadline_tick_ms - 1) / config.deadline_tick_ms);
      deadline = std::chrono::steady_clock::now() + *l.timeout;
    }
    wasmtime_context_set_epoch_deadline(context(), ticks);
  }
}

Error ContainerCore::fail(wasmtime_error_t *raw, std::string_view what) {
  // Which limit ended the call comes from facts: the trap's code, the
  // deadline this container armed, the limit its limiter enforced.
  int32_t trap = tairitsu_error_trap_code(raw);
  uint32_t hit = limiter ? tairitsu_limiter_take_hit(limiter) : uint32_t{TAIRITSU_LIMIT_HIT_NONE};
  Error e = take_error(raw, ErrorCode::Trap);
  const std::string &m = e.message();
  const Limits &l = spec->limits;
  std::string limit;
  if (trap == WASMTIME_TRAP_CODE_OUT_OF_FUEL) {
    limit = "fuel limit of " + std::to_string(l.fuel.value_or(0)) + " units exhausted";
  } else if (trap == WASMTIME_TRAP_CODE_INTERRUPT || deadline_passed()) {
    limit = "deadline of " + std::to_string(l.timeout ? l.timeout->count() : 0) + " ms exceeded";
  } else if (hit == TAIRITSU_LIMIT_HIT_MEMORY) {
    limit = "memory limit of " + std::to_string(l.memory_bytes.value_or(0)) + " bytes exceeded";
  } else if (hit == TAIRITSU_LIMIT_HIT_TABLE) {
    limit = "table limit of " + std::to_string(l.table_elements.value_or(0)) + " elements exceeded";
  } else if (contains(m, "instance count too high")) {
    // Wasmtime counts instances itself and says so only in its message.
    limit = "instance limit of " + std::to_string(l.instances.value_or(0)) + " exceeded";
  }
  if (!limit.empty()) {
    Error limited(ErrorCode::LimitExceeded, m.rfind(limit, 0) == 0 ? m : limit + " (" + m + ")");
    limited.with_backtrace(e.backtrace());
    e = std::move(limited);
  }
  e.with_context(std::string(what) + " in container '" + name + "'");
  failure = e;
  state = ContainerState::Failed;
  return e;
}

}  // namespace tairitsu::detail
