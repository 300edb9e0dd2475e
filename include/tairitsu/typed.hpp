#pragma once

/// Typed calls: C++ types in, C++ types out, checked once against WIT.
///
/// `WitTraits<T>` maps a C++ type to its component type and converts values
/// both ways. It knows `bool`, the fixed-width integers, `float`, `double`,
/// `char32_t`, `std::string` (and `std::string_view`), `std::vector<T>`,
/// `std::optional<T>`, `std::tuple<T...>`, `Outcome<T, E>` (WIT `result`, with
/// `std::monostate` for a missing payload), records (specialize `WitRecord<T>`),
/// enums (`WitEnum<T>`), flags (a struct of `bool`s, `WitFlags<T>`), variants
/// (a type derived from `std::variant`, `WitVariant<T>`) and resources
/// (`Own<T>` and `Borrow<T>` for a tag type with `WitResource<T>`).
/// `tairitsu-bindgen` writes these declarations from WIT.
///
///     struct Point { int32_t x; int32_t y; };
///     template <> struct tairitsu::WitRecord<Point> {
///       static constexpr auto fields = std::tuple{wit_field("x", &Point::x), wit_field("y", &Point::y)};
///     };
///
///     auto scale = container.func<Point(Point, int32_t)>("scale");   // checked here, once
///     Result<Point> p = (*scale)(Point{1, 2}, 3);
///
///     builder.define<Point(Point)>("pkg:ns/host@1.0.0#transform",
///                                  [](Point p) { return Point{p.x + 1, p.y}; });

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "tairitsu/container.hpp"
#include "tairitsu/typed_resources.hpp"
#include "tairitsu/wit_traits.hpp"

namespace tairitsu {

namespace detail {
/// How a typed call takes an argument: owned handles by rvalue, the rest by const reference.
template <typename T>
struct call_param {
  using type = const T &;
};
template <typename T>
struct call_param<Own<T>> {
  using type = Own<T> &&;
};
template <typename T>
using call_param_t = typename call_param<T>::type;
}  // namespace detail

namespace detail {
/// How typed calls and typed host functions cross into the library without
/// `Value`s: each argument or result is a scalar's 64 raw bits (integers
/// sign- or zero-extended, floats as their IEEE bits, a `char32_t` as its
/// code point, a `bool` as 0 or 1) or a run of bytes (a string's UTF-8, a
/// `list<u8>`). Which one follows from the signature, which the library has
/// checked against the component's type; the library chooses how to call.
union Flat {
  uint64_t bits;
  struct Bytes {
    const uint8_t *data;
    std::size_t len;
  } bytes;
};

/// Where a typed call's result goes: a scalar's bits, or the string or byte
/// list `text` or `bytes` points to.
struct FlatResult {
  uint64_t bits = 0;
  std::string *text = nullptr;
  std::vector<uint8_t> *bytes = nullptr;
};

/// An export of a container resolved once for calls (the library's own).
class BoundExport;

/// The export `full_name` of `container`, bound for calls; the container
/// keeps it as long as it lives. `NotFound` if it exports no such function.
Result<BoundExport *> bind_export(Container &container, std::string_view full_name);
/// The export a bound export calls (its name, signature and type).
const WorldItem &export_item(const BoundExport &bound);
/// Calls a bound export with flat arguments, one per parameter.
Result<void> call_flat(BoundExport &bound, std::span<const Flat> args, FlatResult &result);
/// Calls a bound export with `Value`s (checked against its type first).
Result<Value> call_values(BoundExport &bound, std::span<const Value> args);
/// The same with values that `parse_arguments` read against the export's
/// parameter types, which are therefore not checked again (text calls).
Result<Value> call_parsed(BoundExport &bound, std::span<const Value> args);
/// Starts a call of a bound export on `executor` (`Container::call_async`);
/// `done` gets the result, once.
void start_call(BoundExport &bound, std::vector<Value> args, const Executor &executor,
                std::function<void(Result<Value>)> done);

template <typename T>
inline constexpr bool is_scalar_v =
    std::is_same_v<T, bool> || std::is_same_v<T, int8_t> || std::is_same_v<T, uint8_t> || std::is_same_v<T, int16_t> ||
    std::is_same_v<T, uint16_t> || std::is_same_v<T, int32_t> || std::is_same_v<T, uint32_t> ||
    std::is_same_v<T, int64_t> || std::is_same_v<T, uint64_t> || std::is_same_v<T, float> ||
    std::is_same_v<T, double> || std::is_same_v<T, char32_t>;
template <typename T>
inline constexpr bool is_bytes_v =
    std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view> || std::is_same_v<T, std::vector<uint8_t>>;
/// Whether every parameter and the result of `R(Args...)` cross flat.
template <typename R, typename... Args>
inline constexpr bool is_flat_signature_v =
    (std::is_void_v<R> || is_scalar_v<R> || (is_bytes_v<R> && !std::is_same_v<R, std::string_view>)) &&
    ((is_scalar_v<Args> || is_bytes_v<Args>) && ...);

template <typename T>
Flat to_flat(const T &v) {
  Flat out;
  if constexpr (std::is_same_v<T, float>) {
    out.bits = std::bit_cast<uint32_t>(v);
  } else if constexpr (std::is_same_v<T, double>) {
    out.bits = std::bit_cast<uint64_t>(v);
  } else if constexpr (is_scalar_v<T> && std::is_signed_v<T>) {
    out.bits = static_cast<uint64_t>(static_cast<int64_t>(v));
  } else if constexpr (is_scalar_v<T>) {
    out.bits = static_cast<uint64_t>(v);
  } else {
    static_assert(is_bytes_v<T>);
    out.bytes = {reinterpret_cast<const uint8_t *>(v.data()), v.size()};
  }
  return out;
}

template <typename T>
T from_bits(uint64_t bits) {
  static_assert(is_scalar_v<T>);
  if constexpr (std::is_same_v<T, bool>)
    return bits != 0;
  else if constexpr (std::is_same_v<T, float>)
    return std::bit_cast<float>(static_cast<uint32_t>(bits));
  else if constexpr (std::is_same_v<T, double>)
    return std::bit_cast<double>(bits);
  else
    return static_cast<T>(bits);
}

template <typename T>
T from_flat(const Flat &v) {
  if constexpr (is_scalar_v<T>) {
    return from_bits<T>(v.bits);
  } else {
    static_assert(is_bytes_v<T>);
    if constexpr (std::is_same_v<T, std::vector<uint8_t>>) {
      return T(v.bytes.data, v.bytes.data + v.bytes.len);
    } else {
      return T(reinterpret_cast<const char *>(v.bytes.data), v.bytes.len);
    }
  }
}
}  // namespace detail

/// A guest export called with C++ types. Made by `Container::func`, which has
/// checked the signature; valid while the container lives. Signatures whose
/// parameters and result are scalars (bools, integers, floats, `char32_t`),
/// strings and byte lists cross without `Value`s (through Wasmtime's own
/// typed calls where the library has them); the rest convert through
/// `Value`s.
template <typename Sig>
class TypedFunc;

template <typename R, typename... Args>
class TypedFunc<R(Args...)> {
 public:
  explicit TypedFunc(detail::BoundExport &bound) : bound_(&bound) {}

  /// Starts the call on `executor` and returns at once, as
  /// `Container::call_async` does.
  std::future<Result<R>> call_async(detail::call_param_t<std::decay_t<Args>>... args,
                                    Executor executor = Executor::shared()) const {
    std::vector<Value> values{
        WitTraits<std::decay_t<Args>>::to_value(static_cast<detail::call_param_t<std::decay_t<Args>>>(args))...};
    auto promise = std::make_shared<std::promise<Result<R>>>();
    auto future = promise->get_future();
    detail::start_call(*bound_, std::move(values), executor, [promise](Result<Value> result) {
      if (!result) {
        promise->set_value(std::move(result).error());
      } else if constexpr (std::is_void_v<R>) {
        promise->set_value(Result<R>());
      } else {
        promise->set_value(WitTraits<R>::from_value(std::move(*result)));
      }
    });
    return future;
  }

  /// Calls the export. Errors as `Container::call`. Owned resources are
  /// passed by moving them in.
  Result<R> operator()(detail::call_param_t<std::decay_t<Args>>... args) const {
    if constexpr (detail::is_flat_signature_v<R, std::decay_t<Args>...>) {
      return call_flat(args...);
    } else {
      std::array<Value, sizeof...(Args)> values{
          WitTraits<std::decay_t<Args>>::to_value(static_cast<detail::call_param_t<std::decay_t<Args>>>(args))...};
      auto result = detail::call_values(*bound_, std::span<const Value>(values.data(), values.size()));
      if (!result) return std::move(result).error();
      if constexpr (std::is_void_v<R>) {
        return Result<R>();
      } else {
        return WitTraits<R>::from_value(std::move(*result));
      }
    }
  }

 private:
  template <typename... A>
  Result<R> call_flat(const A &...args) const {
    std::array<detail::Flat, sizeof...(A)> flat{detail::to_flat(args)...};
    detail::FlatResult out;
    [[maybe_unused]] std::conditional_t<std::is_void_v<R>, int, R> value{};
    if constexpr (std::is_same_v<R, std::string>) out.text = &value;
    if constexpr (std::is_same_v<R, std::vector<uint8_t>>) out.bytes = &value;
    auto r = detail::call_flat(*bound_, flat, out);
    if (!r) return std::move(r).error();
    if constexpr (std::is_void_v<R>) {
      return Result<R>();
    } else if constexpr (detail::is_scalar_v<R>) {
      return detail::from_bits<R>(out.bits);
    } else {
      return value;
    }
  }

  detail::BoundExport *bound_;
};

namespace detail {

/// The WIT function type a C++ signature stands for (parameter names are the export's).
template <typename R, typename... Args>
bool signature_matches(const FunctionType &type) {
  if (type.params.size() != sizeof...(Args)) return false;
  std::array<Type, sizeof...(Args)> expected{WitTraits<std::decay_t<Args>>::type()...};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    if (!(expected[i] == type.params[i].type)) return false;
  }
  if constexpr (std::is_void_v<R>) {
    return !type.result.has_value();
  } else {
    return type.result && *type.result == WitTraits<R>::type();
  }
}

template <typename R, typename... Args>
std::string signature_text() {
  std::string out = "func(";
  std::size_t i = 0;
  ((out += (i++ ? ", " : "") + WitTraits<std::decay_t<Args>>::type().to_string()), ...);
  out += ")";
  if constexpr (!std::is_void_v<R>) out += " -> " + WitTraits<R>::type().to_string();
  return out;
}

template <typename Sig>
struct Signature;
template <typename R, typename... Args>
struct Signature<R(Args...)> {
  static bool matches(const FunctionType &type) { return signature_matches<R, Args...>(type); }
  static std::string text() { return signature_text<R, Args...>(); }
  template <typename F>
  static TypedHostForm host_form(F function);
};

}  // namespace detail

template <typename Sig>
Result<TypedFunc<Sig>> Container::func(std::string_view name) {
  auto item = image().find_export(name);
  if (!item) return std::move(item).error();
  if (!detail::Signature<Sig>::matches(*(*item)->function)) {
    return Error(ErrorCode::TypeMismatch, "export '" + std::string(name) + "' is " + (*item)->function->to_string() +
                                              ", not " + detail::Signature<Sig>::text());
  }
  auto bound = detail::bind_export(*this, (*item)->name);
  if (!bound) return std::move(bound).error();
  return TypedFunc<Sig>(**bound);
}

namespace detail {
/// What `define<Sig>` adds to a host function: its C++ signature, which
/// linking checks against the import's type once, and a form that takes
/// flat arguments (when every parameter and the result crosses flat), which
/// linking uses where the import's signature has a fast path. A string or
/// byte-list result is written to `scratch`, which `result.bytes` then
/// points into.
struct TypedHostForm {
  bool (*matches)(const FunctionType &) = nullptr;
  std::string (*signature)() = nullptr;
  std::function<Result<void>(HostContext &, const Flat *args, Flat &result, std::string &scratch)> flat;
};

/// The flat form of a typed host function, when its signature has one.
template <typename R, typename... Args, typename F>
std::function<Result<void>(HostContext &, const Flat *, Flat &, std::string &)> flat_host(F function) {
  if constexpr (!is_flat_signature_v<R, std::decay_t<Args>...>) {
    return {};
  } else {
    return [function](HostContext &, const Flat *args, Flat &result, std::string &scratch) -> Result<void> {
      auto invoke = [&]<std::size_t... I>(std::index_sequence<I...>) {
        return function(from_flat<std::decay_t<Args>>(args[I])...);
      };
      using Returned = decltype(invoke(std::index_sequence_for<Args...>{}));
      auto store = [&](auto &&value) {
        using V = std::decay_t<decltype(value)>;
        if constexpr (is_bytes_v<V>) {
          scratch.assign(reinterpret_cast<const char *>(value.data()), value.size());
          result = to_flat(scratch);
        } else {
          result = to_flat(value);
        }
      };
      if constexpr (std::is_same_v<Returned, Result<R>>) {
        auto r = invoke(std::index_sequence_for<Args...>{});
        if (!r) return std::move(r).error();
        if constexpr (!std::is_void_v<R>) store(std::move(*r));
      } else if constexpr (std::is_void_v<R>) {
        invoke(std::index_sequence_for<Args...>{});
      } else {
        store(R(invoke(std::index_sequence_for<Args...>{})));
      }
      return {};
    };
  }
}

template <typename R, typename... Args>
template <typename F>
TypedHostForm Signature<R(Args...)>::host_form(F function) {
  return {&Signature::matches, &Signature::text, detail::flat_host<R, Args...>(std::move(function))};
}
}  // namespace detail

template <typename Sig, typename F>
ContainerBuilder &ContainerBuilder::define(std::string full_name, F function) {
  detail::TypedHostForm form = detail::Signature<Sig>::host_form(function);
  return define_function(std::move(full_name), detail::TypedHost<Sig, F>{std::move(function)}, std::move(form));
}

/// The answer of a typed async host function (`ContainerBuilder::define_async`):
/// a `Completion` that takes an `R` (or an error). Move-only; finish it once.
template <typename R>
class TypedCompletion {
 public:
  explicit TypedCompletion(Completion completion) : completion_(std::move(completion)) {}
  /// Errors as `Completion::complete`.
  Result<void> complete(Result<R> result) {
    if (!result) return completion_.complete(std::move(result).error());
    if constexpr (std::is_void_v<R>) {
      return completion_.complete(Value::unit());
    } else {
      return completion_.complete(WitTraits<R>::to_value(std::move(*result)));
    }
  }
  bool pending() const { return completion_.pending(); }

 private:
  Completion completion_;
};

namespace detail {
template <typename Sig, typename F>
struct TypedAsyncHost;
template <typename R, typename... Args, typename F>
struct TypedAsyncHost<R(Args...), F> {
  F function;

  // The import's type was checked against the signature when linking.
  void operator()(HostContext &, std::span<const Value> args, Completion done) {
    if (args.size() != sizeof...(Args)) {
      (void)done.complete(Error(ErrorCode::TypeMismatch, "expected " + std::to_string(sizeof...(Args)) +
                                                             " arguments, got " + std::to_string(args.size())));
      return;
    }
    call(args, std::move(done), std::index_sequence_for<Args...>{});
  }

 private:
  template <std::size_t... I>
  void call(std::span<const Value> args, Completion done, std::index_sequence<I...>) {
    std::tuple<Result<std::decay_t<Args>>...> converted{WitTraits<std::decay_t<Args>>::from_value(args[I])...};
    if (auto failure = first_error(converted, std::index_sequence<I...>{})) {
      (void)done.complete(std::move(*failure));
      return;
    }
    function(std::move(*std::get<I>(converted))..., TypedCompletion<R>(std::move(done)));
  }
};
}  // namespace detail

template <typename Sig, typename F>
ContainerBuilder &ContainerBuilder::define_async(std::string full_name, F function) {
  detail::TypedHostForm form{&detail::Signature<Sig>::matches, &detail::Signature<Sig>::text, {}};
  return define_async_function(std::move(full_name), detail::TypedAsyncHost<Sig, F>{std::move(function)},
                               std::move(form));
}

namespace detail {

template <typename R, typename... Args, typename F>
struct TypedHost<R(Args...), F> {
  F function;

  // The import's type was checked against the signature when linking.
  Result<Value> operator()(HostContext &, std::span<const Value> args) {
    if (args.size() != sizeof...(Args)) {
      return Error(ErrorCode::TypeMismatch,
                   "expected " + std::to_string(sizeof...(Args)) + " arguments, got " + std::to_string(args.size()));
    }
    return call(args, std::index_sequence_for<Args...>{});
  }

 private:
  template <std::size_t... I>
  Result<Value> call(std::span<const Value> args, std::index_sequence<I...>) {
    std::tuple<Result<std::decay_t<Args>>...> converted{WitTraits<std::decay_t<Args>>::from_value(args[I])...};
    if (auto failure = first_error(converted, std::index_sequence<I...>{})) {
      return std::move(*failure);
    }
    if constexpr (std::is_void_v<R>) {
      function(std::move(*std::get<I>(converted))...);
      return Value::unit();
    } else {
      using Returned = std::invoke_result_t<F &, std::decay_t<Args>...>;
      if constexpr (std::is_same_v<Returned, Result<R>>) {
        auto r = function(std::move(*std::get<I>(converted))...);
        if (!r) return std::move(r).error();
        return WitTraits<R>::to_value(std::move(*r));
      } else {
        return WitTraits<R>::to_value(function(std::move(*std::get<I>(converted))...));
      }
    }
  }
};

}  // namespace detail

}  // namespace tairitsu
