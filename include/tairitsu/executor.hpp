#pragma once

/// The threads that drive calls started with `Container::call_async`.
///
/// A call runs on one of the executor's threads until its guest waits for an
/// async host function (`ContainerBuilder::define_async_function`); then it
/// holds no thread until the host's answer wakes it. So a few threads keep
/// thousands of calls in flight:
///
///     auto executor = Executor::create(2);
///     std::vector<std::future<Result<Value>>> calls;
///     for (auto &c : containers) calls.push_back(c.call_async("run", {}, executor));
///     for (auto &f : calls) use(f.get());

#include <cstddef>
#include <memory>

namespace tairitsu {

namespace detail {
struct ExecutorState;
}  // namespace detail

/// A handle to a set of worker threads; copies share them. The threads stop
/// when the last handle and the last call using them are gone.
class Executor {
 public:
  /// An executor with `threads` worker threads (at least one).
  static Executor create(std::size_t threads);
  /// The process's executor, with a thread per core, made on first use.
  static Executor shared();

  std::size_t threads() const;
  const std::shared_ptr<detail::ExecutorState> &state() const { return state_; }

 private:
  explicit Executor(std::shared_ptr<detail::ExecutorState> state) : state_(std::move(state)) {}
  std::shared_ptr<detail::ExecutorState> state_;
};

}  // namespace tairitsu
