// Value calls of functions of scalars, through tairitsu_scalar_call.

#include "engine/scalar_call.hpp"

#include <array>
#include <bit>
#include <cstring>
#include <vector>

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

// The typed fast path (native/src/fast_call.rs) of a signature of scalars, if
// it has one: calls through it skip Func::call's dynamic type checks and
// conversions as well. The shape follows from the export's own type as
// Wasmtime reflects it, the type TypedFunc would check it against.
uint32_t fast_shape_of(const FunctionType &type) {
  if (type.is_async) return 0;
  using K = TypeKind;
  std::vector<K> params;
  for (const Param &p : type.params) params.push_back(p.type.kind());
  K result = type.result ? type.result->kind() : K::Bool;
  bool pair = params.size() == 2 && params[0] == params[1] && type.result && result == params[0];
  if (params.empty() && !type.result) return TAIRITSU_SHAPE_UNIT_TO_UNIT;
  if (params.size() == 1 && params[0] == K::S32 && type.result && result == K::S32) {
    return TAIRITSU_SHAPE_S32_TO_S32;
  }
  if (pair && result == K::S32) return TAIRITSU_SHAPE_S32_S32_TO_S32;
  if (pair && result == K::U32) return TAIRITSU_SHAPE_U32_U32_TO_U32;
  if (pair && result == K::S64) return TAIRITSU_SHAPE_S64_S64_TO_S64;
  if (pair && result == K::F64) return TAIRITSU_SHAPE_F64_F64_TO_F64;
  return 0;
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
  out.fast_shape = fast_shape_of(type);
  return out;
}

Result<void> call_scalar_bits(ContainerCore &core, const wasmtime_component_func_t &func,
                              const ScalarSignature &signature, std::span<const uint64_t> args, uint64_t *result,
                              std::string_view export_name) {
  auto what = [&] { return calling(export_name); };
  // The fast path calls on the current stack, which a concurrent engine's
  // guest may need to suspend.
  if (signature.fast_shape && !core.concurrent) {
    // A fast shape takes at most two scalars, each a member of tairitsu_flat
    // that starts at its first byte: on a little-endian machine the raw bits,
    // copied in whole, are that member (and a result copied out, its bits).
    static_assert(std::endian::native == std::endian::little);
    std::array<tairitsu_flat, 2> flat{};
    for (std::size_t i = 0; i < args.size(); ++i) {
      std::memcpy(&flat[i], &args[i], sizeof args[i]);
    }
    tairitsu_flat out{};
    tairitsu_bytes none{nullptr, 0};
    auto called = core.enter(
        [&] { return tairitsu_fast_call(&func, core.context(), signature.fast_shape, flat.data(), &out, &none); },
        what);
    std::memcpy(result, &out, sizeof *result);
    return called;
  }
  return core.enter(
      [&] {
        return tairitsu_scalar_call(&func, core.context(), signature.params.data(), args.data(), args.size(), result,
                                    signature.result ? 1 : 0, core.concurrent);
      },
      what);
}

Result<Value> call_scalars(ContainerCore &core, const wasmtime_component_func_t &func, const ScalarSignature &signature,
                           std::span<const Value> args, std::string_view export_name) {
  std::array<uint64_t, TAIRITSU_SCALAR_MAX_PARAMS> bits;
  for (std::size_t i = 0; i < args.size(); ++i) {
    bits[i] = bits_of(args[i], static_cast<TypeKind>(signature.params[i]));
  }
  uint64_t result = 0;
  auto called = call_scalar_bits(core, func, signature, std::span(bits.data(), args.size()), &result, export_name);
  if (!called) {
    return std::move(called).error();
  }
  return signature.result ? value_of(*signature.result, result) : Value::unit();
}

}  // namespace tairitsu::detail
