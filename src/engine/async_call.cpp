// Calls started without waiting (`Container::call_async`), run on an
// executor's threads (native/src/executor.rs), and the executors themselves.

#include <thread>

#include "engine/bound_export.hpp"
#include "tairitsu/executor.hpp"

namespace tairitsu {

namespace detail {

struct ExecutorState {
  CPtr<tairitsu_executor, tairitsu_executor_delete> executor;
  std::size_t threads;
};

/// One call in flight: what its report needs.
struct AsyncCall {
  ContainerCore *core;
  std::string what;  // "calling 'run'", for messages
  std::optional<Type> result;
  std::function<void(Result<Value>)> done;
  const tairitsu_call_task *task = nullptr;
  bool cancelled = false;  // set by cancel_in_flight before it cancels
  // Keeps the executor (its threads) alive while the call is in flight.
  std::shared_ptr<ExecutorState> executor;
};

namespace {

// Reports a call: on a worker thread, or inside tairitsu_call_task_cancel.
void call_done(void *env, wasmtime_error_t *error, wasmtime_component_val_t *results, std::size_t nresults) {
  auto *raw = static_cast<AsyncCall *>(env);
  ContainerCore &core = *raw->core;
  std::shared_ptr<AsyncCall> call;
  {
    std::lock_guard lock(core.in_flight_mutex);
    call = std::move(core.in_flight);  // the container is free again from here
    core.busy.store(false, std::memory_order_release);
  }
  Result<Value> outcome = Value::unit();
  if (raw->cancelled) {
    wasmtime_error_delete(error);
    outcome = Error(ErrorCode::InvalidState,
                    raw->what + " in container '" + core.name + "': the container was stopped while the call waited");
  } else if (error) {
    outcome = core.fail(error, raw->what);
  } else {
    core.state = ContainerState::Running;
    if (raw->result && nresults == 1) {
      outcome = value_from_capi(results[0], core.store_link);
    }
  }
  core.deadline.reset();
  tairitsu_call_task_release(raw->task);
  raw->done(std::move(outcome));
}

int64_t deadline_ns(const std::optional<std::chrono::steady_clock::time_point> &deadline) {
  return deadline ? std::chrono::duration_cast<std::chrono::nanoseconds>(deadline->time_since_epoch()).count()
                  : INT64_MAX;
}

}  // namespace

void ContainerCore::cancel_in_flight() {
  std::shared_ptr<AsyncCall> call;
  {
    std::lock_guard lock(in_flight_mutex);
    call = in_flight;
    if (!call) return;
    call->cancelled = true;
  }
  // Waits for a worker that polls the call; then the call reports (as
  // cancelled) from here, unless it finished first.
  tairitsu_call_task_cancel(call->task);
}

}  // namespace detail

Executor Executor::create(std::size_t threads) {
  threads = std::max<std::size_t>(threads, 1);
  return Executor(std::make_shared<detail::ExecutorState>(detail::ExecutorState{
      detail::CPtr<tairitsu_executor, tairitsu_executor_delete>(tairitsu_executor_new(threads)), threads}));
}

Executor Executor::shared() {
  static Executor executor = create(std::max(1u, std::thread::hardware_concurrency()));
  return executor;
}

std::size_t Executor::threads() const { return state_->threads; }

namespace detail {

void start_call(BoundExport &bound, std::vector<Value> args, const Executor &executor,
                std::function<void(Result<Value>)> done) {
  ContainerCore &core = bound.core();
  auto started = [&]() -> Result<void> {
    auto func = bound.prepare(args);  // refuses while a call is in flight
    if (!func) return std::move(func).error();
    const FunctionType &type = *bound.function().item->function;
    CValues cargs(args.size());
    for (std::size_t i = 0; i < args.size(); ++i) {
      value_to_capi(args[i], cargs[i]);
    }
    auto call = std::make_shared<AsyncCall>(AsyncCall{&core, calling(bound.name()), type.result, std::move(done)});
    call->executor = executor.state();
    if (core.spec->limits.fuel || core.spec->limits.timeout) {
      core.arm_limits();
    }
    std::lock_guard lock(core.in_flight_mutex);
    core.in_flight = call;
    core.busy.store(true, std::memory_order_release);
    call->task =
        tairitsu_executor_call(executor.state()->executor.get(), *func, core.context(), cargs.data(), cargs.size(),
                               type.result ? 1 : 0, deadline_ns(core.deadline), call_done, call.get());
    return {};
  }();
  if (!started) {
    done(std::move(started).error());
  }
}

}  // namespace detail

void Container::call_async(std::string_view export_name, std::vector<Value> args,
                           std::function<void(Result<Value>)> done, Executor executor) {
  auto bound = core_->bind(export_name);
  if (!bound) {
    done(std::move(bound).error());
    return;
  }
  detail::start_call(**bound, std::move(args), executor, std::move(done));
}

std::future<Result<Value>> Container::call_async(std::string_view export_name, std::vector<Value> args,
                                                 Executor executor) {
  auto promise = std::make_shared<std::promise<Result<Value>>>();
  auto future = promise->get_future();
  call_async(
      export_name, std::move(args), [promise](Result<Value> r) { promise->set_value(std::move(r)); },
      std::move(executor));
  return future;
}

}  // namespace tairitsu
