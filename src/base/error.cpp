#include "tairitsu/error.hpp"

#include <cstdio>

namespace tairitsu {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidInput: return "invalid input";
    case ErrorCode::NotFound: return "not found";
    case ErrorCode::AlreadyExists: return "already exists";
    case ErrorCode::TypeMismatch: return "type mismatch";
    case ErrorCode::LinkError: return "link error";
    case ErrorCode::Trap: return "trap";
    case ErrorCode::LimitExceeded: return "limit exceeded";
    case ErrorCode::InvalidState: return "invalid state";
    case ErrorCode::Unsupported: return "unsupported";
    case ErrorCode::Io: return "i/o error";
    case ErrorCode::Internal: return "internal error";
  }
  return "unknown error";
}

std::string Frame::to_string() const {
  char offset[32];
  std::snprintf(offset, sizeof offset, "0x%zx", module_offset);
  std::string where = module.empty() ? "<module>" : module;
  std::string func = function.empty() ? "<wasm function " + std::to_string(function_index) + ">" : function;
  return where + "!" + func + " @ " + offset;
}

Error::Error(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}

Error &Error::with_context(std::string_view context) & {
  message_ = std::string(context) + ": " + message_;
  return *this;
}

Error &&Error::with_context(std::string_view context) && {
  message_ = std::string(context) + ": " + message_;
  return std::move(*this);
}

Error &Error::with_backtrace(std::vector<Frame> frames) & {
  backtrace_ = std::move(frames);
  return *this;
}

Error &Error::with_exit_status(int status) & {
  exit_status_ = status;
  return *this;
}

std::string Error::to_string() const {
  std::string out = std::string(tairitsu::to_string(code_)) + ": " + message_;
  if (!backtrace_.empty()) {
    out += "\nwasm backtrace:";
    for (std::size_t i = 0; i < backtrace_.size(); ++i) {
      out += "\n  " + std::to_string(i) + ": " + backtrace_[i].to_string();
    }
  }
  return out;
}

std::ostream &operator<<(std::ostream &out, const Error &error) { return out << error.to_string(); }

}  // namespace tairitsu
