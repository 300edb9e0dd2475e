// The answer of an async host function, given later from any thread
// (native/src/async_host.rs holds the waiting call's side).

#include <atomic>

#include "engine/container_core.hpp"

namespace tairitsu {

namespace detail {

struct CompletionState {
  const tairitsu_completion *completion;
  std::string function;        // for messages
  std::optional<Type> result;  // the import's result type, when known
  std::size_t nresults;
  std::atomic<bool> finished{false};

  CompletionState(const tairitsu_completion *completion, std::string function, std::optional<Type> result,
                  std::size_t nresults)
      : completion(completion), function(std::move(function)), result(std::move(result)), nresults(nresults) {}
  CompletionState(const CompletionState &) = delete;
  CompletionState &operator=(const CompletionState &) = delete;
  ~CompletionState() { tairitsu_completion_release(completion); }

  // Finishes the call with an error that traps the guest.
  tairitsu_completion_status fail(const std::string &message) {
    std::string text = "host function '" + function + "' failed: " + message;
    return tairitsu_completion_finish(completion, nullptr, 0, wasmtime_error_new(text.c_str()));
  }

  Result<void> outcome(tairitsu_completion_status status) const {
    switch (status) {
      case TAIRITSU_COMPLETION_DELIVERED: return {};
      case TAIRITSU_COMPLETION_ALREADY_FINISHED:
        return Error(ErrorCode::InvalidState,
                     "the call to async host function '" + function + "' was finished before; this answer is dropped");
      case TAIRITSU_COMPLETION_CALL_GONE: break;
    }
    return Error(ErrorCode::InvalidState, "the call to async host function '" + function +
                                              "' is gone (its container stopped or failed, or its deadline "
                                              "passed); this answer is dropped");
  }
};

Completion make_completion(const tairitsu_completion *completion, const HostBinding &binding, std::size_t nresults) {
  std::optional<Type> result = binding.type ? binding.type->result : std::nullopt;
  return Completion(std::make_shared<CompletionState>(completion, binding.def->full_name, std::move(result), nresults));
}

}  // namespace detail

Completion::Completion(std::shared_ptr<detail::CompletionState> state) : state_(std::move(state)) {}
Completion::Completion(Completion &&) noexcept = default;
Completion &Completion::operator=(Completion &&other) noexcept {
  if (this != &other) {
    Completion dropped(std::move(*this));
    state_ = std::move(other.state_);
  }
  return *this;
}

Completion::~Completion() {
  if (state_ && !state_->finished.exchange(true)) {
    state_->fail("the host dropped the completion without finishing it");
  }
}

bool Completion::pending() const {
  return state_ && !state_->finished.load() && tairitsu_completion_pending(state_->completion);
}

Result<void> Completion::complete(Result<Value> result) {
  if (!state_) {
    return Error(ErrorCode::InvalidState, "completing an async host function: this completion was moved away");
  }
  detail::CompletionState &s = *state_;
  if (s.finished.exchange(true)) {
    return s.outcome(TAIRITSU_COMPLETION_ALREADY_FINISHED);
  }
  if (!result) {
    return s.outcome(s.fail(result.error().message()));
  }
  if (s.nresults == 0) {
    return s.outcome(tairitsu_completion_finish(s.completion, nullptr, 0, nullptr));
  }
  std::string where;
  if (s.result && !value_matches(*result, *s.result, &where)) {
    std::string message = detail::mismatch_message("wrong result type", *result, *s.result, where);
    s.fail(message);
    return Error(ErrorCode::TypeMismatch, "completing async host function '" + s.function + "': " + message);
  }
  if (auto bad = detail::check_encodable(*result, "result")) {
    s.fail(*bad);
    return Error(ErrorCode::InvalidInput, "completing async host function '" + s.function + "': " + *bad);
  }
  wasmtime_component_val_t value;
  detail::value_to_capi(*result, value);  // taken over by the call
  return s.outcome(tairitsu_completion_finish(s.completion, &value, 1, nullptr));
}

}  // namespace tairitsu
