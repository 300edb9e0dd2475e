// Conversions between Tairitsu's types and values and the C API's.

#include <cstring>

#include "engine/bridge.hpp"
#include "values/text_common.hpp"

namespace tairitsu::detail {

namespace {

std::string name_of(const wasm_name_t &name) { return std::string(name.data, name.size); }

void set_name(wasm_name_t &out, std::string_view text) { wasm_name_new(&out, text.size(), text.data()); }

// Takes ownership of a valtype written by the C API and converts it.
Type take_type(wasmtime_component_valtype_t &raw, const ResourceNames &names) {
  Type t = type_from_capi(raw, names);
  wasmtime_component_valtype_delete(&raw);
  return t;
}

std::optional<Type> take_optional_type(bool present, wasmtime_component_valtype_t &raw, const ResourceNames &names) {
  if (!present) {
    return std::nullopt;
  }
  return take_type(raw, names);
}

}  // namespace

void ResourceNames::add(const wasmtime_component_resource_type_t *type, std::string name) {
  names_.emplace_back(ResourceTypePtr(wasmtime_component_resource_type_clone(type)), std::move(name));
}

std::string ResourceNames::name_of(const wasmtime_component_resource_type_t *type) const {
  for (const auto &[known, name] : names_) {
    if (wasmtime_component_resource_type_equal(known.get(), type)) {
      return name;
    }
  }
  return "resource";
}

Type type_from_capi(const wasmtime_component_valtype_t &type, const ResourceNames &names) {
  wasmtime_component_valtype_t inner;
  switch (type.kind) {
    case WASMTIME_COMPONENT_VALTYPE_BOOL: return Type::boolean();
    case WASMTIME_COMPONENT_VALTYPE_S8: return Type::s8();
    case WASMTIME_COMPONENT_VALTYPE_S16: return Type::s16();
    case WASMTIME_COMPONENT_VALTYPE_S32: return Type::s32();
    case WASMTIME_COMPONENT_VALTYPE_S64: return Type::s64();
    case WASMTIME_COMPONENT_VALTYPE_U8: return Type::u8();
    case WASMTIME_COMPONENT_VALTYPE_U16: return Type::u16();
    case WASMTIME_COMPONENT_VALTYPE_U32: return Type::u32();
    case WASMTIME_COMPONENT_VALTYPE_U64: return Type::u64();
    case WASMTIME_COMPONENT_VALTYPE_F32: return Type::f32();
    case WASMTIME_COMPONENT_VALTYPE_F64: return Type::f64();
    case WASMTIME_COMPONENT_VALTYPE_CHAR: return Type::character();
    case WASMTIME_COMPONENT_VALTYPE_STRING: return Type::string();
    case WASMTIME_COMPONENT_VALTYPE_LIST:
      wasmtime_component_list_type_element(type.of.list, &inner);
      return Type::list(take_type(inner, names));
    case WASMTIME_COMPONENT_VALTYPE_RECORD: {
      std::vector<NamedType> fields;
      std::size_t n = wasmtime_component_record_type_field_count(type.of.record);
      for (std::size_t i = 0; i < n; ++i) {
        const char *name = nullptr;
        std::size_t len = 0;
        wasmtime_component_record_type_field_nth(type.of.record, i, &name, &len, &inner);
        fields.push_back({std::string(name, len), take_type(inner, names)});
      }
      return Type::record(std::move(fields));
    }
    case WASMTIME_COMPONENT_VALTYPE_TUPLE: {
      std::vector<Type> elements;
      std::size_t n = wasmtime_component_tuple_type_types_count(type.of.tuple);
      for (std::size_t i = 0; i < n; ++i) {
        wasmtime_component_tuple_type_types_nth(type.of.tuple, i, &inner);
        elements.push_back(take_type(inner, names));
      }
      return Type::tuple(std::move(elements));
    }
    case WASMTIME_COMPONENT_VALTYPE_VARIANT: {
      std::vector<NamedType> cases;
      std::size_t n = wasmtime_component_variant_type_case_count(type.of.variant);
      for (std::size_t i = 0; i < n; ++i) {
        const char *name = nullptr;
        std::size_t len = 0;
        bool has_payload = false;
        wasmtime_component_variant_type_case_nth(type.of.variant, i, &name, &len, &has_payload, &inner);
        cases.push_back({std::string(name, len), take_optional_type(has_payload, inner, names)});
      }
      return Type::variant(std::move(cases));
    }
    case WASMTIME_COMPONENT_VALTYPE_ENUM:
    case WASMTIME_COMPONENT_VALTYPE_FLAGS: {
      bool is_enum = type.kind == WASMTIME_COMPONENT_VALTYPE_ENUM;
      std::vector<std::string> labels;
      std::size_t n = is_enum ? wasmtime_component_enum_type_names_count(type.of.enum_)
                              : wasmtime_component_flags_type_names_count(type.of.flags);
      for (std::size_t i = 0; i < n; ++i) {
        const char *name = nullptr;
        std::size_t len = 0;
        if (is_enum) {
          wasmtime_component_enum_type_names_nth(type.of.enum_, i, &name, &len);
        } else {
          wasmtime_component_flags_type_names_nth(type.of.flags, i, &name, &len);
        }
        labels.emplace_back(name, len);
      }
      return is_enum ? Type::enumeration(std::move(labels)) : Type::flags(std::move(labels));
    }
    case WASMTIME_COMPONENT_VALTYPE_OPTION:
      wasmtime_component_option_type_ty(type.of.option, &inner);
      return Type::option(take_type(inner, names));
    case WASMTIME_COMPONENT_VALTYPE_RESULT: {
      wasmtime_component_valtype_t err;
      bool has_ok = wasmtime_component_result_type_ok(type.of.result, &inner);
      bool has_err = wasmtime_component_result_type_err(type.of.result, &err);
      auto ok_type = take_optional_type(has_ok, inner, names);
      return Type::result(std::move(ok_type), take_optional_type(has_err, err, names));
    }
    case WASMTIME_COMPONENT_VALTYPE_OWN: return Type::own(names.name_of(type.of.own));
    case WASMTIME_COMPONENT_VALTYPE_BORROW: return Type::borrow(names.name_of(type.of.borrow));
    case WASMTIME_COMPONENT_VALTYPE_MAP: {
      wasmtime_component_valtype_t value;
      wasmtime_component_map_type_key(type.of.map, &inner);
      wasmtime_component_map_type_value(type.of.map, &value);
      Type key = take_type(inner, names);
      return Type::map(std::move(key), take_type(value, names));
    }
    case WASMTIME_COMPONENT_VALTYPE_FUTURE: {
      bool has = wasmtime_component_future_type_ty(type.of.future, &inner);
      return Type::future(take_optional_type(has, inner, names));
    }
    case WASMTIME_COMPONENT_VALTYPE_STREAM: {
      bool has = wasmtime_component_stream_type_ty(type.of.stream, &inner);
      return Type::stream(take_optional_type(has, inner, names));
    }
    case WASMTIME_COMPONENT_VALTYPE_ERROR_CONTEXT:
    default: return Type::error_context();
  }
}

FunctionType function_type_from_capi(const wasmtime_component_func_type_t *type, const ResourceNames &names) {
  FunctionType out;
  out.is_async = wasmtime_component_func_type_async(type);
  std::size_t n = wasmtime_component_func_type_param_count(type);
  for (std::size_t i = 0; i < n; ++i) {
    const char *name = nullptr;
    std::size_t len = 0;
    wasmtime_component_valtype_t raw;
    wasmtime_component_func_type_param_nth(type, i, &name, &len, &raw);
    out.params.push_back({std::string(name, len), take_type(raw, names)});
  }
  wasmtime_component_valtype_t raw;
  if (wasmtime_component_func_type_result(type, &raw)) {
    out.result = take_type(raw, names);
  }
  return out;
}

namespace {

// Wasmtime aborts on strings that are not UTF-8 and chars that are not
// Unicode scalar values, so both are checked before any value is handed over.
bool valid_utf8(std::string_view s) { return utf8_error_offset(s) == std::string_view::npos; }

bool valid_char(char32_t c) { return c <= 0x10FFFF && !(c >= 0xD800 && c <= 0xDFFF); }

}  // namespace

namespace {

// The reason a value cannot be handed over, with the path to it assembled
// while unwinding; nothing is allocated for a valid value.
struct Unencodable {
  std::string path;
  std::string reason;
};

std::optional<Unencodable> find_unencodable(const Value &value);

std::optional<Unencodable> within(std::optional<Unencodable> found, auto &&step) {
  if (found) {
    found->path = step() + found->path;
  }
  return found;
}

std::optional<Unencodable> find_unencodable(const Value &value) {
  switch (value.kind()) {
    case TypeKind::String:
      if (!valid_utf8(value.as_string())) {
        return Unencodable{"", "string is not valid UTF-8"};
      }
      return std::nullopt;
    case TypeKind::Char:
      if (!valid_char(value.as_char())) {
        return Unencodable{
            "", "char U+" + std::to_string(static_cast<uint32_t>(value.as_char())) + " is not a Unicode scalar value"};
      }
      return std::nullopt;
    case TypeKind::List:
    case TypeKind::Tuple: {
      auto items = value.items();
      for (std::size_t i = 0; i < items.size(); ++i) {
        if (auto e = find_unencodable(items[i])) {
          return within(std::move(e), [&] { return "[" + std::to_string(i) + "]"; });
        }
      }
      return std::nullopt;
    }
    case TypeKind::Record:
      for (const Field &f : value.as_record().fields) {
        if (auto e = find_unencodable(f.value)) {
          return within(std::move(e), [&] { return "." + f.name; });
        }
      }
      return std::nullopt;
    case TypeKind::Own:
    case TypeKind::Borrow:
      if (!resource_of(value.as_resource())) {
        return Unencodable{"", "the resource handle was not made by a container"};
      }
      return std::nullopt;
    case TypeKind::Map:
      for (const auto &[k, v] : value.as_map().entries) {
        if (auto e = find_unencodable(k)) {
          return within(std::move(e), [] { return std::string("{key}"); });
        }
        if (auto e = find_unencodable(v)) {
          return within(std::move(e), [] { return std::string("{value}"); });
        }
      }
      return std::nullopt;
    default:
      if (const Value *p = value.payload()) {
        return find_unencodable(*p);
      }
      return std::nullopt;
  }
}

}  // namespace

std::optional<std::string> check_encodable(const Value &value, std::string_view name) {
  auto found = find_unencodable(value);
  if (!found) {
    return std::nullopt;
  }
  std::string where = std::string(name) + found->path;
  return where.empty() ? found->reason : where + ": " + found->reason;
}

namespace {

// Bools, numbers and chars.
void scalar_to_capi(const Value &value, wasmtime_component_val_t &out) {
  switch (value.kind()) {
    case TypeKind::Bool:
      out.kind = WASMTIME_COMPONENT_BOOL;
      out.of.boolean = value.as_bool();
      return;
    case TypeKind::S8:
      out.kind = WASMTIME_COMPONENT_S8;
      out.of.s8 = value.as_s8();
      return;
    case TypeKind::U8:
      out.kind = WASMTIME_COMPONENT_U8;
      out.of.u8 = value.as_u8();
      return;
    case TypeKind::S16:
      out.kind = WASMTIME_COMPONENT_S16;
      out.of.s16 = value.as_s16();
      return;
    case TypeKind::U16:
      out.kind = WASMTIME_COMPONENT_U16;
      out.of.u16 = value.as_u16();
      return;
    case TypeKind::S32:
      out.kind = WASMTIME_COMPONENT_S32;
      out.of.s32 = value.as_s32();
      return;
    case TypeKind::U32:
      out.kind = WASMTIME_COMPONENT_U32;
      out.of.u32 = value.as_u32();
      return;
    case TypeKind::S64:
      out.kind = WASMTIME_COMPONENT_S64;
      out.of.s64 = value.as_s64();
      return;
    case TypeKind::U64:
      out.kind = WASMTIME_COMPONENT_U64;
      out.of.u64 = value.as_u64();
      return;
    case TypeKind::F32:
      out.kind = WASMTIME_COMPONENT_F32;
      out.of.f32 = value.as_f32();
      return;
    case TypeKind::F64:
      out.kind = WASMTIME_COMPONENT_F64;
      out.of.f64 = value.as_f64();
      return;
    case TypeKind::Char:
      out.kind = WASMTIME_COMPONENT_CHAR;
      out.of.character = static_cast<uint32_t>(value.as_char());
      return;
    default: return;
  }
}

// A payload of a variant, option or result as the C API holds it: on the heap, or null.
wasmtime_component_val_t *payload_to_capi(const Value *payload) {
  if (!payload) {
    return nullptr;
  }
  wasmtime_component_val_t tmp;
  value_to_capi(*payload, tmp);
  return wasmtime_component_val_new(&tmp);
}

void sequence_to_capi(const Value &value, wasmtime_component_val_t &out) {
  auto items = value.items();
  wasmtime_component_val_t *data;
  if (value.kind() == TypeKind::List) {
    out.kind = WASMTIME_COMPONENT_LIST;
    wasmtime_component_vallist_new_uninit(&out.of.list, items.size());
    data = out.of.list.data;
  } else {
    out.kind = WASMTIME_COMPONENT_TUPLE;
    wasmtime_component_valtuple_new_uninit(&out.of.tuple, items.size());
    data = out.of.tuple.data;
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    value_to_capi(items[i], data[i]);
  }
}

// Records, flags and maps: named or paired members.
void members_to_capi(const Value &value, wasmtime_component_val_t &out) {
  if (value.kind() == TypeKind::Record) {
    const auto &fields = value.as_record().fields;
    out.kind = WASMTIME_COMPONENT_RECORD;
    wasmtime_component_valrecord_new_uninit(&out.of.record, fields.size());
    for (std::size_t i = 0; i < fields.size(); ++i) {
      set_name(out.of.record.data[i].name, fields[i].name);
      value_to_capi(fields[i].value, out.of.record.data[i].val);
    }
  } else if (value.kind() == TypeKind::Flags) {
    const auto &names = value.as_flags().names;
    out.kind = WASMTIME_COMPONENT_FLAGS;
    wasmtime_component_valflags_new_uninit(&out.of.flags, names.size());
    for (std::size_t i = 0; i < names.size(); ++i) {
      set_name(out.of.flags.data[i], names[i]);
    }
  } else {
    const auto &entries = value.as_map().entries;
    out.kind = WASMTIME_COMPONENT_MAP;
    wasmtime_component_valmap_new_uninit(&out.of.map, entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      value_to_capi(entries[i].first, out.of.map.data[i].key);
      value_to_capi(entries[i].second, out.of.map.data[i].value);
    }
  }
}

}  // namespace

void value_to_capi(const Value &value, wasmtime_component_val_t &out) {
  switch (value.kind()) {
    case TypeKind::String:
      out.kind = WASMTIME_COMPONENT_STRING;
      set_name(out.of.string, value.as_string());
      return;
    case TypeKind::List:
    case TypeKind::Tuple: sequence_to_capi(value, out); return;
    case TypeKind::Record:
    case TypeKind::Flags:
    case TypeKind::Map: members_to_capi(value, out); return;
    case TypeKind::Variant:
      out.kind = WASMTIME_COMPONENT_VARIANT;
      set_name(out.of.variant.discriminant, value.as_variant().name);
      out.of.variant.val = payload_to_capi(value.payload());
      return;
    case TypeKind::Enum:
      out.kind = WASMTIME_COMPONENT_ENUM;
      set_name(out.of.enumeration, value.as_enum().name);
      return;
    case TypeKind::Option:
      out.kind = WASMTIME_COMPONENT_OPTION;
      out.of.option = payload_to_capi(value.payload());
      return;
    case TypeKind::Result:
      out.kind = WASMTIME_COMPONENT_RESULT;
      out.of.result.is_ok = value.as_result().is_ok;
      out.of.result.val = payload_to_capi(value.payload());
      return;
    case TypeKind::Own:
    case TypeKind::Borrow:
      out.kind = WASMTIME_COMPONENT_RESOURCE;
      out.of.resource = wasmtime_component_resource_any_clone(resource_of(value.as_resource()));
      return;
    case TypeKind::Stream:
    case TypeKind::Future:
    case TypeKind::ErrorContext:
      // Refused before conversion.
      out.kind = WASMTIME_COMPONENT_BOOL;
      out.of.boolean = false;
      return;
    default: scalar_to_capi(value, out); return;
  }
}

namespace {

// Bools, numbers and chars; nothing for other kinds.
std::optional<Value> scalar_from_capi(const wasmtime_component_val_t &value) {
  switch (value.kind) {
    case WASMTIME_COMPONENT_BOOL: return Value::boolean(value.of.boolean);
    case WASMTIME_COMPONENT_S8: return Value::s8(value.of.s8);
    case WASMTIME_COMPONENT_U8: return Value::u8(value.of.u8);
    case WASMTIME_COMPONENT_S16: return Value::s16(value.of.s16);
    case WASMTIME_COMPONENT_U16: return Value::u16(value.of.u16);
    case WASMTIME_COMPONENT_S32: return Value::s32(value.of.s32);
    case WASMTIME_COMPONENT_U32: return Value::u32(value.of.u32);
    case WASMTIME_COMPONENT_S64: return Value::s64(value.of.s64);
    case WASMTIME_COMPONENT_U64: return Value::u64(value.of.u64);
    case WASMTIME_COMPONENT_F32: return Value::f32(value.of.f32);
    case WASMTIME_COMPONENT_F64: return Value::f64(value.of.f64);
    case WASMTIME_COMPONENT_CHAR: return Value::character(static_cast<char32_t>(value.of.character));
    default: return std::nullopt;
  }
}

Result<std::vector<Value>> items_from_capi(const wasmtime_component_val_t *data, std::size_t n,
                                           const std::shared_ptr<const StoreLink> &store) {
  std::vector<Value> items;
  items.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto v = value_from_capi(data[i], store);
    if (!v) {
      return std::move(v).error();
    }
    items.push_back(std::move(*v));
  }
  return items;
}

Result<std::optional<Value>> payload_from_capi(const wasmtime_component_val_t *p,
                                               const std::shared_ptr<const StoreLink> &store) {
  if (!p) {
    return std::optional<Value>();
  }
  auto v = value_from_capi(*p, store);
  if (!v) {
    return std::move(v).error();
  }
  return std::optional<Value>(std::move(*v));
}

Result<Value> record_from_capi(const wasmtime_component_valrecord_t &record,
                               const std::shared_ptr<const StoreLink> &store) {
  std::vector<Field> fields;
  fields.reserve(record.size);
  for (std::size_t i = 0; i < record.size; ++i) {
    auto v = value_from_capi(record.data[i].val, store);
    if (!v) {
      return std::move(v).error();
    }
    fields.push_back({name_of(record.data[i].name), std::move(*v)});
  }
  return Value::record(std::move(fields));
}

Result<Value> map_from_capi(const wasmtime_component_valmap_t &map, const std::shared_ptr<const StoreLink> &store) {
  std::vector<std::pair<Value, Value>> entries;
  for (std::size_t i = 0; i < map.size; ++i) {
    auto k = value_from_capi(map.data[i].key, store);
    if (!k) {
      return std::move(k).error();
    }
    auto v = value_from_capi(map.data[i].value, store);
    if (!v) {
      return std::move(v).error();
    }
    entries.emplace_back(std::move(*k), std::move(*v));
  }
  return Value::map(std::move(entries));
}

// `make` applied to what `from` gave, or its error.
template <typename T, typename Make>
Result<Value> then(Result<T> from, Make make) {
  if (!from) {
    return std::move(from).error();
  }
  return make(std::move(*from));
}

}  // namespace

Result<Value> value_from_capi(const wasmtime_component_val_t &value, const std::shared_ptr<const StoreLink> &store) {
  if (auto scalar = scalar_from_capi(value)) {
    return std::move(*scalar);
  }
  const auto &of = value.of;
  switch (value.kind) {
    case WASMTIME_COMPONENT_STRING: return Value::string(name_of(of.string));
    case WASMTIME_COMPONENT_LIST:
      return then(items_from_capi(of.list.data, of.list.size, store),
                  [](auto items) { return Value::list(std::move(items)); });
    case WASMTIME_COMPONENT_TUPLE:
      return then(items_from_capi(of.tuple.data, of.tuple.size, store),
                  [](auto items) { return Value::tuple(std::move(items)); });
    case WASMTIME_COMPONENT_RECORD: return record_from_capi(of.record, store);
    case WASMTIME_COMPONENT_VARIANT:
      return then(payload_from_capi(of.variant.val, store),
                  [&](auto p) { return Value::variant(name_of(of.variant.discriminant), std::move(p)); });
    case WASMTIME_COMPONENT_ENUM: return Value::enumeration(name_of(of.enumeration));
    case WASMTIME_COMPONENT_OPTION:
      return then(payload_from_capi(of.option, store),
                  [](auto p) { return p ? Value::some(std::move(*p)) : Value::none(); });
    case WASMTIME_COMPONENT_RESULT:
      return then(payload_from_capi(of.result.val, store),
                  [&](auto p) { return of.result.is_ok ? Value::ok(std::move(p)) : Value::err(std::move(p)); });
    case WASMTIME_COMPONENT_FLAGS: {
      std::vector<std::string> names;
      for (std::size_t i = 0; i < of.flags.size; ++i) {
        names.push_back(name_of(of.flags.data[i]));
      }
      return Value::flags(std::move(names));
    }
    case WASMTIME_COMPONENT_MAP: return map_from_capi(of.map, store);
    case WASMTIME_COMPONENT_RESOURCE:
      return Value::resource(make_resource_handle(wasmtime_component_resource_any_clone(of.resource), store));
    default:
      return Error(ErrorCode::Unsupported,
                   "a value of kind " + std::to_string(value.kind) + " cannot be represented by the C API");
  }
}

std::string mismatch_message(std::string_view what, const Value &value, const Type &type, const std::string &path) {
  std::string out = std::string(what) + ": expected " + type.to_string() + ", found " + value.to_string();
  if (!path.empty()) {
    out += " (mismatch at " + path + ")";
  }
  return out;
}

}  // namespace tairitsu::detail
