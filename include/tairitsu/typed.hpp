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
#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <variant>
#include <vector>

#include "tairitsu/container.hpp"
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

namespace detail {
/// A resource that lives in the host process rather than in a guest: the
/// object behind an `Own<T>` made by `Own<T>::native`.
struct NativeResourceSlot final : ResourceSlot {
  NativeResourceSlot(std::shared_ptr<void> object, const std::type_info &type)
      : ResourceSlot(next_id(), true), object(std::move(object)), type(type) {}
  Result<void> drop() override {
    if (!object) return Error(ErrorCode::InvalidInput, "the resource handle was already dropped");
    object.reset();
    return {};
  }
  static uint64_t next_id() {
    static std::atomic<uint64_t> counter{uint64_t{1} << 48};
    return counter.fetch_add(1);
  }
  std::shared_ptr<void> object;
  const std::type_info &type;
};
}  // namespace detail

template <typename T>
class Own;

/// A borrowed resource handle, as a guest's `borrow<T>` parameter: valid for
/// the call it is passed to. Get one from `Own<T>::borrow()`.
template <typename T>
class Borrow {
 public:
  explicit Borrow(ResourceHandle handle) : handle_(std::move(handle)) {}
  const ResourceHandle &handle() const { return handle_; }
  /// The host object behind a resource made by `Own<T>::native`, or null when
  /// the resource lives in a guest or holds another type.
  template <typename Impl>
  Impl *native() const {
    auto *slot = dynamic_cast<detail::NativeResourceSlot *>(handle_.slot().get());
    if (!slot || slot->type != typeid(Impl)) return nullptr;
    return static_cast<Impl *>(slot->object.get());
  }

 private:
  ResourceHandle handle_;
};

/// An owned resource handle. Move-only; when it goes out of scope the resource
/// is dropped (its destructor runs where it lives). Passing it to a function
/// that takes `own<T>` moves it: `f(std::move(handle))`.
template <typename T>
class Own {
 public:
  Own() : handle_(nullptr) {}
  explicit Own(ResourceHandle handle) : handle_(std::move(handle)) {}
  /// A resource implemented by a host object, for native implementations of
  /// a generated interface; `Borrow<T>::native<Impl>()` finds the object again.
  template <typename Impl>
  static Own native(std::shared_ptr<Impl> object) {
    return Own(ResourceHandle(
        std::make_shared<detail::NativeResourceSlot>(std::static_pointer_cast<void>(std::move(object)), typeid(Impl))));
  }
  Own(Own &&other) noexcept : handle_(other.release()) {}
  Own &operator=(Own &&other) noexcept {
    if (this != &other) {
      reset();
      handle_ = other.release();
    }
    return *this;
  }
  Own(const Own &) = delete;
  Own &operator=(const Own &) = delete;
  ~Own() { reset(); }

  explicit operator bool() const { return handle_.slot() != nullptr; }
  Borrow<T> borrow() const { return Borrow<T>(handle_); }
  const ResourceHandle &handle() const { return handle_; }
  /// Gives up ownership without dropping.
  ResourceHandle release() { return std::exchange(handle_, ResourceHandle(nullptr)); }
  /// Drops now, reporting a failing destructor (the destructor only ignores it).
  Result<void> drop() {
    ResourceHandle h = release();
    return h.slot() ? h.drop() : Result<void>();
  }

 private:
  void reset() {
    if (handle_.slot()) (void)release().drop();
  }
  ResourceHandle handle_;
};

template <typename T>
struct WitTraits<Own<T>> {
  static Type type() { return Type::own(WitResource<T>::name); }
  static Value to_value(Own<T> &&v) { return Value::resource(v.release()); }
  static Result<Own<T>> from_value(const Value &v) {
    if (v.kind() != TypeKind::Own || !v.as_resource().owned()) return detail::value_mismatch(type(), v);
    return Own<T>(v.as_resource());
  }
};

template <typename T>
struct WitTraits<Borrow<T>> {
  static Type type() { return Type::borrow(WitResource<T>::name); }
  static Value to_value(const Borrow<T> &v) { return Value::resource(v.handle()); }
  static Result<Borrow<T>> from_value(const Value &v) {
    if (v.kind() != TypeKind::Own && v.kind() != TypeKind::Borrow) return detail::value_mismatch(type(), v);
    return Borrow<T>(v.as_resource());
  }
};

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
/// The native fast path a C++ signature can take, if any.
template <typename Sig>
struct FastShapeOf : std::integral_constant<FastShape, kNoFastPath> {};
#define TAIRITSU_FAST_SHAPE(Sig, Shape) \
  template <>                           \
  struct FastShapeOf<Sig> : std::integral_constant<FastShape, Shape> {};
TAIRITSU_FAST_SHAPE(int32_t(int32_t, int32_t), kS32S32ToS32)
TAIRITSU_FAST_SHAPE(int32_t(int32_t), kS32ToS32)
TAIRITSU_FAST_SHAPE(int64_t(int64_t, int64_t), kS64S64ToS64)
TAIRITSU_FAST_SHAPE(double(double, double), kF64F64ToF64)
TAIRITSU_FAST_SHAPE(uint32_t(uint32_t, uint32_t), kU32U32ToU32)
TAIRITSU_FAST_SHAPE(void(), kUnitToUnit)
TAIRITSU_FAST_SHAPE(std::string(std::string), kStringToString)
TAIRITSU_FAST_SHAPE(std::string(std::string_view), kStringToString)
TAIRITSU_FAST_SHAPE(void(std::string), kStringToUnit)
TAIRITSU_FAST_SHAPE(void(std::string_view), kStringToUnit)
TAIRITSU_FAST_SHAPE(std::string(), kUnitToString)
TAIRITSU_FAST_SHAPE(std::vector<uint8_t>(std::vector<uint8_t>), kBytesToBytes)
#undef TAIRITSU_FAST_SHAPE

inline FastValue to_fast(int32_t v) { return {.s32 = v}; }
inline FastValue to_fast(uint32_t v) { return {.u32 = v}; }
inline FastValue to_fast(int64_t v) { return {.s64 = v}; }
inline FastValue to_fast(double v) { return {.f64 = v}; }
inline FastValue to_fast(std::string_view v) {
  FastValue out;
  out.slice = {reinterpret_cast<const uint8_t *>(v.data()), v.size()};
  return out;
}
inline FastValue to_fast(const std::vector<uint8_t> &v) {
  FastValue out;
  out.slice = {v.data(), v.size()};
  return out;
}
}  // namespace detail

/// A guest export called with C++ types. Made by `Container::func`, which has
/// checked the signature; valid while the container lives. Common signatures
/// (two `int32_t`s to one, strings and byte lists in and out, ...) take a
/// native fast path that skips `Value`s, and so do all others whose parameters
/// and result are scalars (bools, integers, floats, `char32_t`), as raw bits;
/// the rest convert through `Value`s.
template <typename Sig>
class TypedFunc;

template <typename R, typename... Args>
class TypedFunc<R(Args...)> {
 public:
  TypedFunc(Container &container, std::string name) : container_(&container) {
    fast_.name = std::move(name);
    fast_.shape = detail::FastShapeOf<R(std::decay_t<Args>...)>::value;
    if (!container.prepare_fast(fast_)) fast_.shape = detail::kNoFastPath;
  }

  /// Calls the export. Errors as `Container::call`. Owned resources are
  /// passed by moving them in.
  Result<R> operator()(detail::call_param_t<std::decay_t<Args>>... args) const {
    if constexpr (detail::FastShapeOf<R(std::decay_t<Args>...)>::value != detail::kNoFastPath) {
      if (fast_.shape != detail::kNoFastPath) return call_fast(args...);
    }
    if constexpr ((std::is_void_v<R> || detail::is_scalar_v<R>) && (detail::is_scalar_v<std::decay_t<Args>> && ...) &&
                  sizeof...(Args) <= detail::kMaxScalarParams) {
      return call_scalars(args...);
    }
    std::array<Value, sizeof...(Args)> values{
        WitTraits<std::decay_t<Args>>::to_value(static_cast<detail::call_param_t<std::decay_t<Args>>>(args))...};
    auto result = container_->call(fast_.name, std::span<const Value>(values.data(), values.size()));
    if (!result) return std::move(result).error();
    if constexpr (std::is_void_v<R>) {
      return Result<R>();
    } else {
      return WitTraits<R>::from_value(std::move(*result));
    }
  }

 private:
  template <typename... A>
  Result<R> call_fast(const A &...args) const {
    std::array<detail::FastValue, sizeof...(A)> flat{detail::to_fast(args)...};
    detail::FastValue scalar{};
    if constexpr (std::is_same_v<R, std::string>) {
      std::string text;
      auto r = container_->call_fast(fast_, flat.data(), &scalar, &text, nullptr);
      if (!r) return std::move(r).error();
      return text;
    } else if constexpr (std::is_same_v<R, std::vector<uint8_t>>) {
      std::vector<uint8_t> bytes;
      auto r = container_->call_fast(fast_, flat.data(), &scalar, nullptr, &bytes);
      if (!r) return std::move(r).error();
      return bytes;
    } else {
      auto r = container_->call_fast(fast_, flat.data(), &scalar, nullptr, nullptr);
      if (!r) return std::move(r).error();
      if constexpr (std::is_void_v<R>)
        return Result<R>();
      else if constexpr (std::is_same_v<R, int32_t>)
        return scalar.s32;
      else if constexpr (std::is_same_v<R, uint32_t>)
        return scalar.u32;
      else if constexpr (std::is_same_v<R, int64_t>)
        return scalar.s64;
      else
        return scalar.f64;
    }
  }

  template <typename... A>
  Result<R> call_scalars(const A &...args) const {
    std::array<uint64_t, sizeof...(A)> bits{detail::to_bits(args)...};
    uint64_t result = 0;
    auto r = container_->call_scalars(fast_.name, bits, &result);
    if (!r) return std::move(r).error();
    if constexpr (std::is_void_v<R>)
      return Result<R>();
    else
      return detail::from_bits<R>(result);
  }

  Container *container_;
  mutable detail::FastTarget fast_;  // the export's name, and its fast path if it has one
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
  static FastHost fast_host(F function);
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
  return TypedFunc<Sig>(*this, (*item)->name);
}

namespace detail {
/// A C++ argument from a fast value.
template <typename T>
T from_fast(const FastValue &v) {
  if constexpr (std::is_same_v<T, int32_t>)
    return v.s32;
  else if constexpr (std::is_same_v<T, uint32_t>)
    return v.u32;
  else if constexpr (std::is_same_v<T, int64_t>)
    return v.s64;
  else if constexpr (std::is_same_v<T, double>)
    return v.f64;
  else if constexpr (std::is_same_v<T, std::string_view>) {
    return std::string_view(reinterpret_cast<const char *>(v.slice.data), v.slice.len);
  } else if constexpr (std::is_same_v<T, std::string>) {
    return std::string(reinterpret_cast<const char *>(v.slice.data), v.slice.len);
  } else {
    static_assert(std::is_same_v<T, std::vector<uint8_t>>);
    return std::vector<uint8_t>(v.slice.data, v.slice.data + v.slice.len);
  }
}

/// The fast form of a typed host function of a fast shape.
template <typename R, typename... Args, typename F>
FastHost fast_host(F function) {
  FastHost fast;
  fast.shape = FastShapeOf<R(std::decay_t<Args>...)>::value;
  if constexpr (FastShapeOf<R(std::decay_t<Args>...)>::value == kNoFastPath) {
    return fast;
  } else {
    fast.type.params = {Param{"", WitTraits<std::decay_t<Args>>::type()}...};
    if constexpr (!std::is_void_v<R>) fast.type.result = WitTraits<R>::type();
    fast.call = [function](HostContext &, const FastValue *args, FastValue *result,
                           std::string &scratch) -> Result<void> {
      auto invoke = [&]<std::size_t... I>(std::index_sequence<I...>) {
        return function(from_fast<std::decay_t<Args>>(args[I])...);
      };
      using Returned = decltype(invoke(std::index_sequence_for<Args...>{}));
      auto store = [&](auto &&value) {
        using V = std::decay_t<decltype(value)>;
        if constexpr (std::is_same_v<V, std::string>) {
          scratch = std::forward<decltype(value)>(value);
          *result = to_fast(std::string_view(scratch));
        } else if constexpr (std::is_same_v<V, std::vector<uint8_t>>) {
          scratch.assign(reinterpret_cast<const char *>(value.data()), value.size());
          *result = to_fast(std::string_view(scratch));
        } else {
          *result = to_fast(value);
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
    return fast;
  }
}

template <typename R, typename... Args>
template <typename F>
FastHost Signature<R(Args...)>::fast_host(F function) {
  return detail::fast_host<R, Args...>(std::move(function));
}
}  // namespace detail

template <typename Sig, typename F>
ContainerBuilder &ContainerBuilder::define(std::string full_name, F function) {
  detail::FastHost fast = detail::Signature<Sig>::fast_host(function);
  fast.matches = &detail::Signature<Sig>::matches;
  fast.signature = &detail::Signature<Sig>::text;
  return define_function(std::move(full_name), detail::TypedHost<Sig, F>{std::move(function)}, std::move(fast));
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
