#pragma once

/// Component-model types, in WIT's vocabulary.
///
/// A `Type` describes a value that crosses the boundary between host and
/// guest: primitives, strings, lists, records, tuples, variants, enums,
/// options, results, flags, resource handles, and the async types that the
/// engine can describe but not carry (streams, futures, error contexts).
///
///     Type point = Type::record({{"x", Type::s32()}, {"y", Type::s32()}});
///     point.to_string();   // "record { x: s32, y: s32 }"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tairitsu {

/// Every kind of component-model value type.
enum class TypeKind : uint8_t {
  Bool,
  S8,
  U8,
  S16,
  U16,
  S32,
  U32,
  S64,
  U64,
  F32,
  F64,
  Char,
  String,
  List,
  Record,
  Tuple,
  Variant,
  Enum,
  Option,
  Result,
  Flags,
  Own,
  Borrow,
  Map,
  Future,
  Stream,
  ErrorContext,
};

/// "bool", "s32", "list", "own", ...
std::string_view to_string(TypeKind kind);

class Type;

/// A named member of a record (a field) or of a variant (a case, whose type is optional).
struct NamedType;

/// An immutable component-model type. Cheap to copy: copies share structure.
class Type {
 public:
  /// A `bool`. Types are never empty; this is the default only so that
  /// containers of types can be resized.
  Type();

  static Type boolean();
  static Type s8();
  static Type u8();
  static Type s16();
  static Type u16();
  static Type s32();
  static Type u32();
  static Type s64();
  static Type u64();
  static Type f32();
  static Type f64();
  static Type character();
  static Type string();
  static Type list(Type element);
  static Type record(std::vector<NamedType> fields);
  static Type tuple(std::vector<Type> elements);
  static Type variant(std::vector<NamedType> cases);
  static Type enumeration(std::vector<std::string> names);
  static Type option(Type some);
  static Type result(std::optional<Type> ok, std::optional<Type> err);
  static Type flags(std::vector<std::string> names);
  /// An owned handle to the resource called `resource_name` (a WIT name such as "counter").
  static Type own(std::string resource_name);
  static Type borrow(std::string resource_name);
  static Type map(Type key, Type value);
  static Type future(std::optional<Type> payload);
  static Type stream(std::optional<Type> payload);
  static Type error_context();

  TypeKind kind() const { return kind_; }

  /// The element of a list, the payload of an option, the key of a map.
  const Type &element() const;
  /// The value of a map.
  const Type &map_value() const;
  /// Fields of a record or cases of a variant.
  const std::vector<NamedType> &members() const;
  /// Elements of a tuple.
  const std::vector<Type> &elements() const;
  /// Names of an enum's cases or of flags.
  const std::vector<std::string> &names() const;
  /// Payload types of a result (either may be absent), or of a future/stream (ok side).
  const std::optional<Type> &ok_type() const;
  const std::optional<Type> &err_type() const;
  /// The resource name of an own or borrow handle.
  const std::string &resource_name() const;

  /// True when this type, or any type inside it, is a stream, future or
  /// error-context: values of these kinds cannot cross the C API.
  bool contains_async_value() const;

  /// WIT syntax, structural: `list<record { x: s32, y: s32 }>`, `option<string>`,
  /// `result<_, string>`, `own<counter>`.
  std::string to_string() const;

  friend bool operator==(const Type &a, const Type &b);

 private:
  struct Data;
  Type(TypeKind kind, std::shared_ptr<const Data> data);

  TypeKind kind_;
  std::shared_ptr<const Data> data_;
};

struct NamedType {
  std::string name;
  std::optional<Type> type;  ///< always set for record fields; absent for payload-less cases

  friend bool operator==(const NamedType &, const NamedType &) = default;
};

/// A named parameter of a function.
struct Param {
  std::string name;
  Type type;

  friend bool operator==(const Param &, const Param &) = default;
};

/// The type of a component function.
struct FunctionType {
  std::vector<Param> params;
  std::optional<Type> result;
  bool is_async = false;

  /// True when a parameter or the result contains a stream, future or error-context.
  bool contains_async_value() const;
  /// `func(a: s32, b: s32) -> s32`, with `async func` for async functions.
  std::string to_string() const;

  friend bool operator==(const FunctionType &, const FunctionType &) = default;
};

}  // namespace tairitsu
