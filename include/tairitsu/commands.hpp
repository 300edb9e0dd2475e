#pragma once

/// Native command dispatch: typed commands with typed responses, handlers
/// (stateless or with state), a dispatcher that routes commands by name, and
/// interfaces that group commands and compose. Everything is checked by the
/// compiler; no value is serialized.
///
///     struct Read {
///       TAIRITSU_WIT_COMMAND("read", Outcome<std::string, std::string>);
///       std::string path;
///     };
///     WitCommandDispatcher dispatcher;
///     dispatcher.register_handler(simple_handler<Read>([](const Read &r) {
///       return Outcome<std::string, std::string>::ok("contents of " + r.path);
///     }));
///     Result<Outcome<std::string, std::string>> answer = dispatcher.dispatch(Read{.path = "a.txt"});

#include <algorithm>
#include <concepts>
#include <exception>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <typeindex>
#include <utility>
#include <variant>
#include <vector>

#include "tairitsu/error.hpp"

namespace tairitsu {

/// A command: a type with a static `command_name` and a `Response` type.
template <typename C>
concept WitCommand = requires {
  typename C::Response;
  { C::command_name } -> std::convertible_to<std::string_view>;
};

/// Declares a command's name and response type inside its struct:
/// `struct Query { TAIRITSU_WIT_COMMAND("query", std::string); uint32_t id; };`
#define TAIRITSU_WIT_COMMAND(wit_name, ...)                  \
  static constexpr std::string_view command_name = wit_name; \
  using Response = __VA_ARGS__

/// Executes commands of type `C`.
template <WitCommand C>
class WitCommandHandler {
 public:
  virtual ~WitCommandHandler() = default;
  /// The response, or an error that the dispatcher passes on.
  virtual Result<typename C::Response> execute(const C &command) = 0;
};

namespace detail {
/// Calls `f`, accepting a plain response or a `Result`; exceptions become errors.
template <typename Response, typename F, typename... Args>
Result<Response> invoke_handler(F &f, Args &&...args) {
  try {
    if constexpr (std::is_same_v<std::invoke_result_t<F &, Args...>, Result<Response>>) {
      return f(std::forward<Args>(args)...);
    } else if constexpr (std::is_void_v<Response>) {
      f(std::forward<Args>(args)...);
      return {};
    } else {
      return Result<Response>(f(std::forward<Args>(args)...));
    }
  } catch (const std::exception &e) {
    return Error(ErrorCode::Trap, std::string("the handler threw: ") + e.what());
  }
}

template <WitCommand C, typename F>
class FunctionHandler final : public WitCommandHandler<C> {
 public:
  explicit FunctionHandler(F f) : f_(std::move(f)) {}
  Result<typename C::Response> execute(const C &command) override {
    return invoke_handler<typename C::Response>(f_, command);
  }

 private:
  F f_;
};

template <WitCommand C, typename State, typename F>
class StatefulHandler final : public WitCommandHandler<C> {
 public:
  StatefulHandler(std::shared_ptr<State> state, F f) : state_(std::move(state)), f_(std::move(f)) {}
  Result<typename C::Response> execute(const C &command) override {
    return invoke_handler<typename C::Response>(f_, *state_, command);
  }

 private:
  std::shared_ptr<State> state_;
  F f_;
};
}  // namespace detail

/// A handler from a callable `f(const C&)` returning the response or a `Result` of it.
template <WitCommand C, typename F>
std::unique_ptr<WitCommandHandler<C>> simple_handler(F f) {
  return std::make_unique<detail::FunctionHandler<C, F>>(std::move(f));
}

/// A handler with state: `f(State&, const C&)`. The caller may keep `state`
/// to look at it; the handler shares it.
template <WitCommand C, typename State, typename F>
std::unique_ptr<WitCommandHandler<C>> stateful_handler(std::shared_ptr<State> state, F f) {
  return std::make_unique<detail::StatefulHandler<C, State, F>>(std::move(state), std::move(f));
}

/// Routes each command to the handler registered for its name.
/// Not thread-safe: give each thread its own, or guard it.
class WitCommandDispatcher {
 public:
  /// Registers `handler` for commands named `C::command_name`. `AlreadyExists`
  /// (naming the interface that has it) when the name is taken.
  template <WitCommand C>
  Result<void> register_handler(std::unique_ptr<WitCommandHandler<C>> handler, std::string_view interface_name = {}) {
    return add(C::command_name, std::type_index(typeid(C)),
               std::shared_ptr<void>(std::shared_ptr<WitCommandHandler<C>>(std::move(handler))), interface_name);
  }

  /// Executes `command` with its handler. `NotFound` (listing the commands
  /// there are) when none is registered; the handler's error otherwise, with
  /// the command's name as context.
  template <WitCommand C>
  Result<typename C::Response> dispatch(const C &command) const {
    auto handler = find(C::command_name, std::type_index(typeid(C)));
    if (!handler) return std::move(handler).error();
    auto r = static_cast<WitCommandHandler<C> *>(*handler)->execute(command);
    if (!r) return std::move(r).error().with_context("command '" + std::string(C::command_name) + "'");
    return r;
  }

  /// Executes whichever command `command` holds; the response is the
  /// alternative of the same index.
  template <WitCommand... Cs>
  Result<std::variant<typename Cs::Response...>> dispatch(const std::variant<Cs...> &command) const {
    using Responses = std::variant<typename Cs::Response...>;
    return std::visit(
        [&]<typename C>(const C &c) -> Result<Responses> {
          auto r = dispatch(c);
          if (!r) return std::move(r).error();
          return Responses(std::in_place_index<index_of<C, Cs...>()>, std::move(*r));
        },
        command);
  }

  bool contains(std::string_view command_name) const { return handlers_.contains(command_name); }
  /// Every registered command name, sorted.
  std::vector<std::string> command_names() const;

 private:
  struct Entry {
    std::type_index type;
    std::shared_ptr<void> handler;
    std::string interface_name;
  };

  template <typename C, typename First, typename... Rest>
  static constexpr std::size_t index_of() {
    if constexpr (std::is_same_v<C, First>)
      return 0;
    else
      return 1 + index_of<C, Rest...>();
  }

  Result<void> add(std::string_view name, std::type_index type, std::shared_ptr<void> handler,
                   std::string_view interface_name);
  Result<void *> find(std::string_view name, std::type_index type) const;

  std::map<std::string, Entry, std::less<>> handlers_;
};

/// A named group of commands that registers its handlers with a dispatcher.
class WitInterface {
 public:
  virtual ~WitInterface() = default;
  virtual std::string_view interface_name() const = 0;
  virtual Result<void> register_handlers(WitCommandDispatcher &dispatcher) = 0;
};

/// Several interfaces registered as one.
class CompositeWitInterface final : public WitInterface {
 public:
  explicit CompositeWitInterface(std::string name = "composite") : name_(std::move(name)) {}

  CompositeWitInterface &add_interface(std::unique_ptr<WitInterface> interface) {
    interfaces_.push_back(std::move(interface));
    return *this;
  }
  std::vector<std::string_view> interface_names() const;

  std::string_view interface_name() const override { return name_; }
  /// Registers every interface's handlers; stops at the first that fails
  /// (two interfaces claiming one command name, say) and names it.
  Result<void> register_handlers(WitCommandDispatcher &dispatcher) override;
  /// The same, by the product description's name.
  Result<void> register_all(WitCommandDispatcher &dispatcher) { return register_handlers(dispatcher); }

 private:
  std::string name_;
  std::vector<std::unique_ptr<WitInterface>> interfaces_;
};

/// A string usable as a template argument: `WitInterfaceOf<"filesystem", ...>`.
template <std::size_t N>
struct FixedString {
  constexpr FixedString(const char (&text)[N]) { std::copy_n(text, N, chars); }  // NOLINT: implicit by design
  constexpr std::string_view view() const { return {chars, N - 1}; }
  char chars[N];
};

/// An interface declared by its commands, with one handler per command set
/// through `on<C>(f)`; registering fails, naming the command, while one is
/// missing. `Command` is the variant of all its commands.
///
///     using Filesystem = WitInterfaceOf<"filesystem", Read, Write>;
///     Filesystem fs;
///     fs.on<Read>([](const Read &r) { ... }).on<Write>([](const Write &w) { ... });
template <FixedString Name, WitCommand... Cs>
class WitInterfaceOf final : public WitInterface {
 public:
  using Command = std::variant<Cs...>;

  /// Sets the handler of command `C`: `f(const C&)` returning `C::Response` or a `Result` of it.
  template <WitCommand C, typename F>
  WitInterfaceOf &on(F f) {
    static_assert((std::is_same_v<C, Cs> || ...), "the command is not part of this interface");
    std::get<std::unique_ptr<WitCommandHandler<C>>>(handlers_) = simple_handler<C>(std::move(f));
    return *this;
  }
  /// Sets the handler of `C` to `f(State&, const C&)` with shared state.
  template <WitCommand C, typename State, typename F>
  WitInterfaceOf &on(std::shared_ptr<State> state, F f) {
    static_assert((std::is_same_v<C, Cs> || ...), "the command is not part of this interface");
    std::get<std::unique_ptr<WitCommandHandler<C>>>(handlers_) = stateful_handler<C>(std::move(state), std::move(f));
    return *this;
  }

  std::string_view interface_name() const override { return Name.view(); }
  /// Moves the handlers into `dispatcher`.
  Result<void> register_handlers(WitCommandDispatcher &dispatcher) override {
    Result<void> outcome;
    auto one = [&]<typename C>(std::unique_ptr<WitCommandHandler<C>> &handler) {
      if (!outcome) return;
      if (!handler) {
        outcome = Error(ErrorCode::NotFound, "command '" + std::string(C::command_name) + "' of interface '" +
                                                 std::string(Name.view()) + "' has no handler");
        return;
      }
      outcome = dispatcher.register_handler(std::move(handler), Name.view());
    };
    std::apply([&](auto &...h) { (one(h), ...); }, handlers_);
    return outcome;
  }

 private:
  std::tuple<std::unique_ptr<WitCommandHandler<Cs>>...> handlers_;
};

}  // namespace tairitsu
