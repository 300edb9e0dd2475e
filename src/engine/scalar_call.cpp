// Value calls of functions of scalars, through tairitsu_scalar_call.

#include "engine/scalar_call.hpp"

#include <array>

namespace tairitsu::detail {

namespace {

// TypeKind numbers the scalars as the native library does.
constexpr int kind_number(TypeKind kind) { return static_cast<int>(kind); }
static_assert(kind_number(TypeKind::Bool) == TAIRITSU_SCALAR_BOOL);
static_assert(kind_number(TypeKind::S8) == TAIRITSU_SCALAR_S8);
static_assert(kind_number(TypeKind::U8) == TAIRITSU_SCALAR_U8);
static_assert(kind_number(TypeKind::S16) == TAIRITSU_SCALAR_S16);
static_assert(kind_number(TypeKind::U16) == TAIRITSU_SCALAR_U16);
static_assert(kind_number(TypeKind::S32) == TAIRITSU_SCALAR_S32);
static_assert(kind_number(TypeKind::U32) == TAIRITSU_SCALAR_U32);
static_assert(kind_number(TypeKind::S64) == TAIRITSU_SCALAR_S64);
static_assert(kind_number(TypeKind::U64) == TAIRITSU_SCALAR_U64);
static_assert(kind_number(TypeKind::F32) == TAIRITSU_SCALAR_F32);
static_assert(kind_number(TypeKind::F64) == TAIRITSU_SCALAR_F64);
static_assert(kind_number(TypeKind::Char) == TAIRITSU_SCALAR_CHAR);
static_assert(kMaxScalarParams == TAIRITSU_SCALAR_MAX_PARAMS);

bool is_scalar(const Type &type) { return type.kind() <= TypeKind::Char; }

// The raw bits of a scalar value of kind `kind`.
uint64_t bits_of(const Value &v, TypeKind kind) {
  switch (kind) {
    case TypeKind::Bool: return to_bits(v.as_bool());
    case TypeKind::S8: return to_bits(v.as_s8());
    case TypeKind::U8: return to_bits(v.as_u8());
    case TypeKind::S16: return to_bits(v.as_s16());
    case TypeKind::U16: return to_bits(v.as_u16());
    case TypeKind::S32: return to_bits(v.as_s32());
    case TypeKind::U32: return to_bits(v.as_u32());
    case TypeKind::S64: return to_bits(v.as_s64());
    case TypeKind::U64: return to_bits(v.as_u64());
    case TypeKind::F32: return to_bits(v.as_f32());
    case TypeKind::F64: return to_bits(v.as_f64());
    case TypeKind::Char: return to_bits(v.as_char());
    default: return 0;  // not a scalar: refused before any call
  }
}

// The scalar of kind `kind` whose raw bits are `bits`.
Value value_of(TypeKind kind, uint64_t bits) {
  switch (kind) {
    case TypeKind::Bool: return Value::boolean(from_bits<bool>(bits));
    case TypeKind::S8: return Value::s8(from_bits<int8_t>(bits));
    case TypeKind::U8: return Value::u8(from_bits<uint8_t>(bits));
    case TypeKind::S16: return Value::s16(from_bits<int16_t>(bits));
    case TypeKind::U16: return Value::u16(from_bits<uint16_t>(bits));
    case TypeKind::S32: return Value::s32(from_bits<int32_t>(bits));
    case TypeKind::U32: return Value::u32(from_bits<uint32_t>(bits));
    case TypeKind::S64: return Value::s64(from_bits<int64_t>(bits));
    case TypeKind::U64: return Value::u64(from_bits<uint64_t>(bits));
    case TypeKind::F32: return Value::f32(from_bits<float>(bits));
    case TypeKind::F64: return Value::f64(from_bits<double>(bits));
    case TypeKind::Char: return Value::character(from_bits<char32_t>(bits));
    default: return Value::unit();
  }
}

}  // namespace

std::optional<ScalarSignature> scalar_signature(const FunctionType &type) {
  if (type.params.size() > TAIRITSU_SCALAR_MAX_PARAMS || (type.result && !is_scalar(*type.result))) {
    return std::nullopt;
  }
  ScalarSignature out;
  for (std::size_t i = 0; i < type.params.size(); ++i) {
    if (!is_scalar(type.params[i].type)) {
      return std::nullopt;
    }
    out.params[i] = static_cast<uint8_t>(type.params[i].type.kind());
  }
  if (type.result) {
    out.result = type.result->kind();
  }
  return out;
}

Result<void> call_scalar_bits(ContainerCore &core, const wasmtime_component_func_t &func,
                              const ScalarSignature &signature, std::span<const uint64_t> args,
                              uint64_t *result, std::string_view export_name) {
  return core.enter(
      [&] {
        return tairitsu_scalar_call(&func, core.context(), signature.params.data(), args.data(),
                                    args.size(), result, signature.result ? 1 : 0);
      },
      [&] { return calling(export_name); });
}

Result<Value> call_scalars(ContainerCore &core, const wasmtime_component_func_t &func,
                           const ScalarSignature &signature, std::span<const Value> args,
                           std::string_view export_name) {
  std::array<uint64_t, TAIRITSU_SCALAR_MAX_PARAMS> bits;
  for (std::size_t i = 0; i < args.size(); ++i) {
    bits[i] = bits_of(args[i], static_cast<TypeKind>(signature.params[i]));
  }
  uint64_t result = 0;
  auto called = call_scalar_bits(core, func, signature, std::span(bits.data(), args.size()),
                                 &result, export_name);
  if (!called) {
    return std::move(called).error();
  }
  return signature.result ? value_of(*signature.result, result) : Value::unit();
}

}  // namespace tairitsu::detail
