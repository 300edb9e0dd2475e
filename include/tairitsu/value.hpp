#pragma once

/// Component-model values.
///
/// A `Value` is one value of any WIT type, built with the factory functions
/// and read with the accessors. Values are plain data: copying a value copies
/// its contents (a resource handle is shared, not duplicated).
///
///     Value point = Value::record({{"x", Value::s32(1)}, {"y", Value::s32(2)}});
///     point.field("y")->as_s32();   // 2

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "tairitsu/error.hpp"
#include "tairitsu/type.hpp"

namespace tairitsu {

namespace detail {
/// What a handle refers to; the engine bridge derives its own slot from this.
struct ResourceSlot {
  ResourceSlot(uint64_t id, bool owned) : id(id), owned(owned) {}
  virtual ~ResourceSlot() = default;
  /// Ends the resource's life where it lives (running its destructor).
  virtual Result<void> drop() = 0;
  const uint64_t id;
  const bool owned;
};
}  // namespace detail

/// A handle to a resource held by a container's store: a guest resource
/// returned by an export, or a host resource made by `HostContext::new_resource`.
/// Copies share the one handle. It is valid only with the container that made it.
class ResourceHandle {
 public:
  /// True for an owned handle, false for a borrow.
  bool owned() const { return slot_ && slot_->owned; }
  /// A number that identifies the handle within this process, for printing.
  uint64_t id() const { return slot_ ? slot_->id : 0; }
  /// Drops an owned handle: the resource's destructor runs in the container
  /// that made it. Dropping twice, dropping a borrow, or dropping after the
  /// container stopped is an error and changes nothing.
  Result<void> drop() const {
    if (!slot_) return Error(ErrorCode::InvalidInput, "drop: an empty resource handle");
    return slot_->drop();
  }

  friend bool operator==(const ResourceHandle &a, const ResourceHandle &b) { return a.slot_ == b.slot_; }

  explicit ResourceHandle(std::shared_ptr<detail::ResourceSlot> slot) : slot_(std::move(slot)) {}
  const std::shared_ptr<detail::ResourceSlot> &slot() const { return slot_; }

 private:
  std::shared_ptr<detail::ResourceSlot> slot_;
};

class Value;

/// A record field.
struct Field;

/// One component-model value. Copyable; copies are deep except for resources.
class Value {
 public:
  struct List {
    std::vector<Value> items;
  };
  struct Record {
    std::vector<Field> fields;
  };
  struct Tuple {
    std::vector<Value> items;
  };
  struct Variant {
    std::string name;
    std::vector<Value> payload;
  };  ///< payload: 0 or 1 value
  struct Enum {
    std::string name;
  };
  struct Option {
    std::vector<Value> some;
  };  ///< 0 or 1 value
  struct ResultCase {
    bool is_ok;
    std::vector<Value> payload;
  };  ///< payload: 0 or 1 value
  struct Flags {
    std::vector<std::string> names;
  };
  struct Map {
    std::vector<std::pair<Value, Value>> entries;
  };

  /// `false`. Exists so that containers of values can be resized.
  Value();

  static Value boolean(bool v);
  static Value s8(int8_t v);
  static Value u8(uint8_t v);
  static Value s16(int16_t v);
  static Value u16(uint16_t v);
  static Value s32(int32_t v);
  static Value u32(uint32_t v);
  static Value s64(int64_t v);
  static Value u64(uint64_t v);
  static Value f32(float v);
  static Value f64(double v);
  static Value character(char32_t v);
  static Value string(std::string v);
  static Value list(std::vector<Value> items);
  static Value record(std::vector<Field> fields);
  static Value tuple(std::vector<Value> items);
  static Value variant(std::string name);
  static Value variant(std::string name, std::optional<Value> payload);
  static Value enumeration(std::string name);
  static Value some(Value v);
  static Value none();
  static Value ok();
  static Value ok(std::optional<Value> v);
  static Value err();
  static Value err(std::optional<Value> v);
  static Value flags(std::vector<std::string> names);
  static Value map(std::vector<std::pair<Value, Value>> entries);
  static Value resource(ResourceHandle handle);
  /// The empty tuple: what a call of a function without a result returns.
  static Value unit();

  /// The kind of the value. Own and borrow handles both report `TypeKind::Own`
  /// unless `as_resource().owned()` says otherwise.
  TypeKind kind() const;

  /// Accessors. Each requires the matching kind and throws
  /// `std::bad_variant_access` otherwise; test `kind()` first when unsure.
  bool as_bool() const { return std::get<0>(data_); }
  int8_t as_s8() const { return std::get<1>(data_); }
  uint8_t as_u8() const { return std::get<2>(data_); }
  int16_t as_s16() const { return std::get<3>(data_); }
  uint16_t as_u16() const { return std::get<4>(data_); }
  int32_t as_s32() const { return std::get<5>(data_); }
  uint32_t as_u32() const { return std::get<6>(data_); }
  int64_t as_s64() const { return std::get<7>(data_); }
  uint64_t as_u64() const { return std::get<8>(data_); }
  float as_f32() const { return std::get<9>(data_); }
  double as_f64() const { return std::get<10>(data_); }
  char32_t as_char() const { return std::get<11>(data_); }
  const std::string &as_string() const & { return std::get<12>(data_); }
  /// Moves the string out of a value that is going away.
  std::string as_string() && { return std::move(std::get<12>(data_)); }
  const List &as_list() const { return std::get<13>(data_); }
  const Record &as_record() const { return std::get<14>(data_); }
  const Tuple &as_tuple() const { return std::get<15>(data_); }
  const Variant &as_variant() const { return std::get<16>(data_); }
  const Enum &as_enum() const { return std::get<17>(data_); }
  const Option &as_option() const { return std::get<18>(data_); }
  const ResultCase &as_result() const { return std::get<19>(data_); }
  const Flags &as_flags() const { return std::get<20>(data_); }
  const Map &as_map() const { return std::get<21>(data_); }
  const ResourceHandle &as_resource() const { return std::get<22>(data_); }

  /// The items of a list or tuple.
  std::span<const Value> items() const;
  /// A record field by name, or null.
  const Value *field(std::string_view name) const;
  /// The payload of a variant, option, or result, or null when there is none.
  const Value *payload() const;

  /// A short human-readable rendering for messages and debugging (WAVE-like).
  std::string to_string() const;

  friend bool operator==(const Value &a, const Value &b);

 private:
  using Data = std::variant<bool, int8_t, uint8_t, int16_t, uint16_t, int32_t, uint32_t, int64_t, uint64_t, float,
                            double, char32_t, std::string, List, Record, Tuple, Variant, Enum, Option, ResultCase,
                            Flags, Map, ResourceHandle>;
  explicit Value(Data data);

  Data data_;
};

struct Field {
  std::string name;
  Value value;

  friend bool operator==(const Field &, const Field &) = default;
};

// Defined here, where Field is complete: constructing a Value instantiates every alternative.
inline Value::Value() : data_(false) {}
inline Value::Value(Data data) : data_(std::move(data)) {}
inline Value Value::boolean(bool v) { return Value(Data(std::in_place_index<0>, v)); }
inline Value Value::s8(int8_t v) { return Value(Data(std::in_place_index<1>, v)); }
inline Value Value::u8(uint8_t v) { return Value(Data(std::in_place_index<2>, v)); }
inline Value Value::s16(int16_t v) { return Value(Data(std::in_place_index<3>, v)); }
inline Value Value::u16(uint16_t v) { return Value(Data(std::in_place_index<4>, v)); }
inline Value Value::s32(int32_t v) { return Value(Data(std::in_place_index<5>, v)); }
inline Value Value::u32(uint32_t v) { return Value(Data(std::in_place_index<6>, v)); }
inline Value Value::s64(int64_t v) { return Value(Data(std::in_place_index<7>, v)); }
inline Value Value::u64(uint64_t v) { return Value(Data(std::in_place_index<8>, v)); }
inline Value Value::f32(float v) { return Value(Data(std::in_place_index<9>, v)); }
inline Value Value::f64(double v) { return Value(Data(std::in_place_index<10>, v)); }
inline Value Value::character(char32_t v) { return Value(Data(std::in_place_index<11>, v)); }
inline Value Value::string(std::string v) { return Value(Data(std::in_place_index<12>, std::move(v))); }

/// Whether `value` is of type `type`, looking inside aggregates. On mismatch,
/// `where` receives a path to the offending part, such as ".items[3].x".
bool value_matches(const Value &value, const Type &type, std::string *where = nullptr);

}  // namespace tairitsu
