#pragma once

/// Errors and results.
///
/// Every operation that can fail returns a `Result<T>`: either a value or an
/// `Error` with a code from a short list, a message that names the offending
/// thing, and for traps the WebAssembly backtrace.
///
///     tairitsu::Result<Image> image = Image::from_file("plugin.wasm");
///     if (!image) {
///       std::cerr << image.error().to_string() << "\n";
///     }

#include <cstddef>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace tairitsu {

/// The kind of a failure. Callers branch on this, never on message text.
enum class ErrorCode {
  InvalidInput,   ///< bytes, text or arguments that are malformed or of the wrong kind
  NotFound,       ///< a named image, container, export or file does not exist
  AlreadyExists,  ///< a name is already taken
  TypeMismatch,   ///< a value or signature does not match the expected WIT type
  LinkError,      ///< imports the host did not provide, or a definition that does not fit
  Trap,           ///< the guest trapped, or a host function it called failed
  LimitExceeded,  ///< memory, table, instance, fuel or deadline limit reached
  InvalidState,   ///< the operation does not fit the object's state (a failed container)
  Unsupported,    ///< something the engine cannot do (for example stream values)
  Io,             ///< reading or writing a file failed
  Internal,       ///< an unexpected engine failure
};

/// The name of a code, such as "not found".
std::string_view to_string(ErrorCode code);

/// One frame of a WebAssembly backtrace, innermost first.
struct Frame {
  std::string module;    ///< module name from the name section, may be empty
  std::string function;  ///< function name from the name section, may be empty
  uint32_t function_index = 0;
  std::size_t module_offset = 0;  ///< byte offset of the instruction in its module

  /// "module!function+0x1a" or "<wasm function 3>" when names are missing.
  std::string to_string() const;
};

/// A failure: a code, a message and, for traps, a wasm backtrace.
/// Cheap to move; copyable.
class Error {
 public:
  Error(ErrorCode code, std::string message);

  ErrorCode code() const { return code_; }
  /// The message, with any context added outermost first.
  const std::string &message() const { return message_; }
  /// Innermost frame first; empty unless the error is a trap with a backtrace.
  const std::vector<Frame> &backtrace() const { return backtrace_; }
  /// The exit status requested by a WASI guest through `exit`, if that is what ended it.
  std::optional<int> exit_status() const { return exit_status_; }

  /// Prefixes the message with what was being done: "calling 'add': <message>".
  Error &with_context(std::string_view context) &;
  Error &&with_context(std::string_view context) &&;
  Error &with_backtrace(std::vector<Frame> frames) &;
  Error &with_exit_status(int status) &;

  /// "<code>: <message>" followed by the backtrace, one frame a line.
  std::string to_string() const;

 private:
  ErrorCode code_;
  std::string message_;
  std::vector<Frame> backtrace_;
  std::optional<int> exit_status_;
};

std::ostream &operator<<(std::ostream &out, const Error &error);

/// Either a `T` or an `Error`. Test it like a pointer, then use `*` / `->`
/// or `value()`; `error()` on failure.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}
  template <typename U>
    requires(std::is_constructible_v<T, U &&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Error> && !std::is_same_v<std::decay_t<U>, Result<T>>)
  Result(U &&value) : state_(std::in_place_index<0>, std::forward<U>(value)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T &value() & { return std::get<0>(state_); }
  const T &value() const & { return std::get<0>(state_); }
  T &&value() && { return std::get<0>(std::move(state_)); }
  T &operator*() & { return value(); }
  const T &operator*() const & { return value(); }
  T &&operator*() && { return std::move(*this).value(); }
  T *operator->() { return &value(); }
  const T *operator->() const { return &value(); }

  const Error &error() const & { return std::get<1>(state_); }
  Error &&error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

/// A result that carries no value on success.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error &error() const & { return *error_; }
  Error &&error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

}  // namespace tairitsu
