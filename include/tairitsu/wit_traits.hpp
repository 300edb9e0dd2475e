#pragma once

/// C++ types as WIT types: `WitTraits<T>` gives a C++ type's component type
/// and converts its values to and from `Value`s, for typed calls and typed
/// host functions (tairitsu/typed.hpp). Records, enums, flags and variants
/// are made known by specializing `WitRecord`, `WitEnum`, `WitFlags` and
/// `WitVariant`; resources are in tairitsu/typed_resources.hpp.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <variant>
#include <vector>

#include "tairitsu/error.hpp"
#include "tairitsu/type.hpp"
#include "tairitsu/value.hpp"

namespace tairitsu {

/// A WIT `result<T, E>` on the C++ side. `std::monostate` stands for a missing payload.
template <typename T, typename E>
class Outcome {
 public:
  /// `ok` with a default payload, so that records holding results can be default-made.
  Outcome() = default;
  static Outcome ok(T value) { return Outcome(std::in_place_index<0>, std::move(value)); }
  static Outcome err(E error) { return Outcome(std::in_place_index<1>, std::move(error)); }
  bool is_ok() const { return state_.index() == 0; }
  const T &value() const { return std::get<0>(state_); }
  const E &error() const { return std::get<1>(state_); }
  friend bool operator==(const Outcome &, const Outcome &) = default;

 private:
  template <std::size_t I, typename V>
  Outcome(std::in_place_index_t<I> i, V &&v) : state_(i, std::forward<V>(v)) {}
  std::variant<T, E> state_;
};

/// A record field: its WIT name and the member it maps to.
template <typename C, typename M>
struct WitField {
  const char *name;
  M C::*member;
};
template <typename C, typename M>
constexpr WitField<C, M> wit_field(const char *name, M C::*member) {
  return {name, member};
}

/// Specialize with `static constexpr auto fields = std::tuple{wit_field(...), ...};`.
template <typename T>
struct WitRecord;
/// Specialize with `static constexpr std::array names{"red", "green"};`, in the
/// order of the enum's values 0, 1, ...
template <typename T>
struct WitEnum;

/// Specialize with `static constexpr auto fields = std::tuple{wit_field("read", &P::read), ...};`
/// where every member is a `bool`: a WIT `flags` type.
template <typename T>
struct WitFlags;
/// Specialize with `static constexpr std::array names{"circle", "none"};` for a
/// type derived from `std::variant<...>` with one alternative per case, in
/// order (`std::monostate` for a case without payload): a WIT `variant`.
template <typename T>
struct WitVariant;
/// Specialize with `static constexpr const char *name = "counter";` for a tag
/// type that stands for a WIT resource in `Own<T>` and `Borrow<T>`.
template <typename T>
struct WitResource;

template <typename T, typename = void>
struct WitTraits;

namespace detail {
template <typename T, typename = void>
struct is_record : std::false_type {};
template <typename T>
struct is_record<T, std::void_t<decltype(WitRecord<T>::fields)>> : std::true_type {};
template <typename T, typename = void>
struct is_enum : std::false_type {};
template <typename T>
struct is_enum<T, std::void_t<decltype(WitEnum<T>::names)>> : std::true_type {};
template <typename T, typename = void>
struct is_flags : std::false_type {};
template <typename T>
struct is_flags<T, std::void_t<decltype(WitFlags<T>::fields)>> : std::true_type {};
template <typename T, typename = void>
struct is_variant : std::false_type {};
template <typename T>
struct is_variant<T, std::void_t<decltype(WitVariant<T>::names)>> : std::true_type {};

/// The `std::variant` a variant type derives from.
template <typename... A>
std::variant<A...> variant_base(const std::variant<A...> &);
template <typename T>
using variant_base_t = decltype(variant_base(std::declval<const T &>()));

/// Converts the items of a tuple-like set of values, stopping at the first error.
template <typename Tuple, std::size_t... I>
std::optional<Error> first_error(const Tuple &parts, std::index_sequence<I...>) {
  std::optional<Error> failure;
  ((std::get<I>(parts) ? void() : void(failure = failure ? failure : std::get<I>(parts).error())), ...);
  return failure;
}

inline Error value_mismatch(const Type &type, const Value &value) {
  return Error(ErrorCode::TypeMismatch, "expected " + type.to_string() + ", found " + value.to_string());
}
}  // namespace detail

#define TAIRITSU_WIT_SCALAR(CppType, Factory, Accessor, Kind)                   \
  template <>                                                                   \
  struct WitTraits<CppType> {                                                   \
    static Type type() { return Type::Factory(); }                              \
    static Value to_value(CppType v) { return Value::Factory(v); }              \
    static Result<CppType> from_value(const Value &v) {                         \
      if (v.kind() != TypeKind::Kind) return detail::value_mismatch(type(), v); \
      return v.Accessor();                                                      \
    }                                                                           \
  };
TAIRITSU_WIT_SCALAR(bool, boolean, as_bool, Bool)
TAIRITSU_WIT_SCALAR(int8_t, s8, as_s8, S8)
TAIRITSU_WIT_SCALAR(uint8_t, u8, as_u8, U8)
TAIRITSU_WIT_SCALAR(int16_t, s16, as_s16, S16)
TAIRITSU_WIT_SCALAR(uint16_t, u16, as_u16, U16)
TAIRITSU_WIT_SCALAR(int32_t, s32, as_s32, S32)
TAIRITSU_WIT_SCALAR(uint32_t, u32, as_u32, U32)
TAIRITSU_WIT_SCALAR(int64_t, s64, as_s64, S64)
TAIRITSU_WIT_SCALAR(uint64_t, u64, as_u64, U64)
TAIRITSU_WIT_SCALAR(float, f32, as_f32, F32)
TAIRITSU_WIT_SCALAR(double, f64, as_f64, F64)
TAIRITSU_WIT_SCALAR(char32_t, character, as_char, Char)
#undef TAIRITSU_WIT_SCALAR

template <>
struct WitTraits<std::string> {
  static Type type() { return Type::string(); }
  static Value to_value(const std::string &v) { return Value::string(v); }
  static Value to_value(std::string &&v) { return Value::string(std::move(v)); }
  static Result<std::string> from_value(const Value &v) {
    if (v.kind() != TypeKind::String) return detail::value_mismatch(type(), v);
    return v.as_string();
  }
  static Result<std::string> from_value(Value &&v) {
    if (v.kind() != TypeKind::String) return detail::value_mismatch(type(), v);
    return std::move(v).as_string();
  }
};

/// For arguments: a host function taking `std::string_view` sees the guest's
/// string without a copy, valid during the call.
template <>
struct WitTraits<std::string_view> {
  static Type type() { return Type::string(); }
  static Value to_value(std::string_view v) { return Value::string(std::string(v)); }
  static Result<std::string_view> from_value(const Value &v) {
    if (v.kind() != TypeKind::String) return detail::value_mismatch(type(), v);
    return std::string_view(v.as_string());
  }
};

template <typename T>
struct WitTraits<std::vector<T>> {
  static Type type() { return Type::list(WitTraits<T>::type()); }
  static Value to_value(const std::vector<T> &v) {
    std::vector<Value> items;
    items.reserve(v.size());
    for (const T &x : v) items.push_back(WitTraits<T>::to_value(x));
    return Value::list(std::move(items));
  }
  static Result<std::vector<T>> from_value(const Value &v) {
    if (v.kind() != TypeKind::List) return detail::value_mismatch(type(), v);
    std::vector<T> out;
    out.reserve(v.items().size());
    for (const Value &item : v.items()) {
      auto x = WitTraits<T>::from_value(item);
      if (!x) return std::move(x).error();
      out.push_back(std::move(*x));
    }
    return out;
  }
};

template <typename T>
struct WitTraits<std::optional<T>> {
  static Type type() { return Type::option(WitTraits<T>::type()); }
  static Value to_value(const std::optional<T> &v) {
    return v ? Value::some(WitTraits<T>::to_value(*v)) : Value::none();
  }
  static Result<std::optional<T>> from_value(const Value &v) {
    if (v.kind() != TypeKind::Option) return detail::value_mismatch(type(), v);
    if (!v.payload()) return std::optional<T>();
    auto x = WitTraits<T>::from_value(*v.payload());
    if (!x) return std::move(x).error();
    return std::optional<T>(std::move(*x));
  }
};

template <typename... Ts>
struct WitTraits<std::tuple<Ts...>> {
  static Type type() { return Type::tuple({WitTraits<Ts>::type()...}); }
  static Value to_value(const std::tuple<Ts...> &v) {
    return std::apply(
        [](const auto &...x) { return Value::tuple({WitTraits<std::decay_t<decltype(x)>>::to_value(x)...}); }, v);
  }
  static Result<std::tuple<Ts...>> from_value(const Value &v) {
    if (v.kind() != TypeKind::Tuple || v.items().size() != sizeof...(Ts)) {
      return detail::value_mismatch(type(), v);
    }
    return convert(v, std::index_sequence_for<Ts...>{});
  }

 private:
  template <std::size_t... I>
  static Result<std::tuple<Ts...>> convert(const Value &v, std::index_sequence<I...>) {
    std::tuple<Result<Ts>...> parts{WitTraits<Ts>::from_value(v.items()[I])...};
    if (auto failure = detail::first_error(parts, std::index_sequence<I...>{})) {
      return std::move(*failure);
    }
    return std::tuple<Ts...>{std::move(*std::get<I>(parts))...};
  }
};

template <typename T, typename E>
struct WitTraits<Outcome<T, E>> {
  static std::optional<Type> payload_type(bool ok) {
    if (ok) {
      if constexpr (std::is_same_v<T, std::monostate>)
        return std::nullopt;
      else
        return WitTraits<T>::type();
    }
    if constexpr (std::is_same_v<E, std::monostate>)
      return std::nullopt;
    else
      return WitTraits<E>::type();
  }
  static Type type() { return Type::result(payload_type(true), payload_type(false)); }
  static Value to_value(const Outcome<T, E> &v) {
    if (v.is_ok()) {
      if constexpr (std::is_same_v<T, std::monostate>)
        return Value::ok();
      else
        return Value::ok(WitTraits<T>::to_value(v.value()));
    }
    if constexpr (std::is_same_v<E, std::monostate>)
      return Value::err();
    else
      return Value::err(WitTraits<E>::to_value(v.error()));
  }
  static Result<Outcome<T, E>> from_value(const Value &v) {
    if (v.kind() != TypeKind::Result) return detail::value_mismatch(type(), v);
    if (v.as_result().is_ok) {
      if constexpr (std::is_same_v<T, std::monostate>) {
        return Outcome<T, E>::ok(std::monostate{});
      } else {
        if (!v.payload()) return detail::value_mismatch(type(), v);
        auto x = WitTraits<T>::from_value(*v.payload());
        if (!x) return std::move(x).error();
        return Outcome<T, E>::ok(std::move(*x));
      }
    }
    if constexpr (std::is_same_v<E, std::monostate>) {
      return Outcome<T, E>::err(std::monostate{});
    } else {
      if (!v.payload()) return detail::value_mismatch(type(), v);
      auto x = WitTraits<E>::from_value(*v.payload());
      if (!x) return std::move(x).error();
      return Outcome<T, E>::err(std::move(*x));
    }
  }
};

template <typename T>
struct WitTraits<T, std::enable_if_t<detail::is_record<T>::value>> {
  static Type type() {
    return std::apply([](const auto &...f) { return Type::record({NamedType{f.name, field_type(f)}...}); },
                      WitRecord<T>::fields);
  }
  static Value to_value(const T &v) {
    return std::apply([&](const auto &...f) { return Value::record({Field{f.name, member_value(v, f)}...}); },
                      WitRecord<T>::fields);
  }
  static Result<T> from_value(const Value &v) {
    if (v.kind() != TypeKind::Record) return detail::value_mismatch(type(), v);
    T out{};
    std::optional<Error> failure;
    std::apply([&](const auto &...f) { (read_field(v, out, f, failure), ...); }, WitRecord<T>::fields);
    if (failure) return std::move(*failure);
    return out;
  }

 private:
  template <typename F>
  static Type field_type(const F &f) {
    using M = std::decay_t<decltype(std::declval<T>().*(f.member))>;
    return WitTraits<M>::type();
  }
  template <typename F>
  static Value member_value(const T &v, const F &f) {
    using M = std::decay_t<decltype(v.*(f.member))>;
    return WitTraits<M>::to_value(v.*(f.member));
  }
  template <typename F>
  static void read_field(const Value &v, T &out, const F &f, std::optional<Error> &failure) {
    if (failure) return;
    using M = std::decay_t<decltype(out.*(f.member))>;
    const Value *fv = v.field(f.name);
    if (!fv) {
      failure = Error(ErrorCode::TypeMismatch, std::string("missing field '") + f.name + "'");
      return;
    }
    auto x = WitTraits<M>::from_value(*fv);
    if (!x) {
      failure = std::move(x).error().with_context(std::string("field '") + f.name + "'");
      return;
    }
    out.*(f.member) = std::move(*x);
  }
};

template <typename T>
struct WitTraits<T, std::enable_if_t<detail::is_enum<T>::value>> {
  static Type type() {
    std::vector<std::string> names(std::begin(WitEnum<T>::names), std::end(WitEnum<T>::names));
    return Type::enumeration(std::move(names));
  }
  static Value to_value(T v) { return Value::enumeration(WitEnum<T>::names[static_cast<std::size_t>(v)]); }
  static Result<T> from_value(const Value &v) {
    if (v.kind() == TypeKind::Enum) {
      const auto &names = WitEnum<T>::names;
      for (std::size_t i = 0; i < std::size(names); ++i) {
        if (v.as_enum().name == names[i]) return static_cast<T>(i);
      }
    }
    return detail::value_mismatch(type(), v);
  }
};

template <typename T>
struct WitTraits<T, std::enable_if_t<detail::is_flags<T>::value>> {
  static Type type() {
    return std::apply([](const auto &...f) { return Type::flags({std::string(f.name)...}); }, WitFlags<T>::fields);
  }
  static Value to_value(const T &v) {
    std::vector<std::string> set;
    std::apply([&](const auto &...f) { ((v.*(f.member) ? void(set.emplace_back(f.name)) : void()), ...); },
               WitFlags<T>::fields);
    return Value::flags(std::move(set));
  }
  static Result<T> from_value(const Value &v) {
    if (v.kind() != TypeKind::Flags) return detail::value_mismatch(type(), v);
    T out{};
    for (const std::string &name : v.as_flags().names) {
      bool known = false;
      std::apply([&](const auto &...f) { ((name == f.name ? void(known = out.*(f.member) = true) : void()), ...); },
                 WitFlags<T>::fields);
      if (!known) return detail::value_mismatch(type(), v);
    }
    return out;
  }
};

template <typename T>
struct WitTraits<T, std::enable_if_t<detail::is_variant<T>::value>> {
  using Base = detail::variant_base_t<T>;
  static constexpr std::size_t size = std::variant_size_v<Base>;
  static_assert(std::size(WitVariant<T>::names) == size, "WitVariant<T>::names needs one name per alternative");

  static Type type() { return make_type(std::make_index_sequence<size>{}); }
  static Value to_value(const T &v) {
    static constexpr auto table = make_table<Value (*)(const T &)>([]<std::size_t I>() { return &case_value<I>; },
                                                                   std::make_index_sequence<size>{});
    return table[v.index()](v);
  }
  static Result<T> from_value(const Value &v) {
    if (v.kind() == TypeKind::Variant) {
      static constexpr auto table = make_table<Result<T> (*)(const Value &)>(
          []<std::size_t I>() { return &case_from<I>; }, std::make_index_sequence<size>{});
      const auto &names = WitVariant<T>::names;
      for (std::size_t i = 0; i < size; ++i) {
        if (v.as_variant().name == names[i]) return table[i](v);
      }
    }
    return detail::value_mismatch(type(), v);
  }

 private:
  template <std::size_t I>
  using Alternative = std::variant_alternative_t<I, Base>;
  template <std::size_t I>
  static constexpr bool has_payload = !std::is_same_v<Alternative<I>, std::monostate>;

  template <typename Fn, typename Make, std::size_t... I>
  static constexpr std::array<Fn, size> make_table(Make make, std::index_sequence<I...>) {
    return { make.template operator()<I>()... };
  }
  template <std::size_t... I>
  static Type make_type(std::index_sequence<I...>) {
    return Type::variant({NamedType{WitVariant<T>::names[I], case_type<I>()}...});
  }
  template <std::size_t I>
  static std::optional<Type> case_type() {
    if constexpr (has_payload<I>)
      return WitTraits<Alternative<I>>::type();
    else
      return std::nullopt;
  }
  template <std::size_t I>
  static Value case_value(const T &v) {
    if constexpr (has_payload<I>) {
      return Value::variant(WitVariant<T>::names[I],
                            WitTraits<Alternative<I>>::to_value(std::get<I>(static_cast<const Base &>(v))));
    } else {
      return Value::variant(WitVariant<T>::names[I]);
    }
  }
  template <std::size_t I>
  static Result<T> case_from(const Value &v) {
    if constexpr (has_payload<I>) {
      if (!v.payload()) return detail::value_mismatch(type(), v);
      auto x = WitTraits<Alternative<I>>::from_value(*v.payload());
      if (!x) return std::move(x).error().with_context(std::string("case '") + WitVariant<T>::names[I] + "'");
      return T(std::in_place_index<I>, std::move(*x));
    } else {
      return T(std::in_place_index<I>);
    }
  }
};

}  // namespace tairitsu
