// What calls of an export need to know from its signature, worked out once
// when the image is made: which path its calls take.

#include <algorithm>

#include "engine/image_state.hpp"

namespace tairitsu::detail {

namespace {

bool is_scalar(const Type &type) { return type.kind() <= TypeKind::Char; }

// The kinds of `type` when its calls take the scalar path: at most
// TAIRITSU_SCALAR_MAX_PARAMS parameters, and every parameter and the result
// (if there is one) a bool, a number or a char. Otherwise nothing.
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

}  // namespace

uint32_t fast_shape_of(const FunctionType &type) {
  if (type.is_async) {
    return 0;
  }
  // The signature without parameter names, as the native catalogue writes it.
  std::string signature = "func(";
  for (std::size_t i = 0; i < type.params.size(); ++i) {
    signature += (i ? ", " : "") + type.params[i].type.to_string();
  }
  signature += ")";
  if (type.result) {
    signature += " -> " + type.result->to_string();
  }
  return tairitsu_fast_shape(signature.data(), signature.size());
}

ExportedFunction ExportedFunction::of(const WorldItem &item, ExportIndexPtr index, std::size_t ordinal) {
  const FunctionType &type = *item.function;
  ExportedFunction out;
  out.item = &item;
  out.index = std::move(index);
  out.ordinal = ordinal;
  out.carries_async_values = type.contains_async_value();
  out.scalar_params = std::all_of(type.params.begin(), type.params.end(),
                                  [](const Param &p) { return p.type.kind() <= TypeKind::F64; });
  out.scalars = scalar_signature(type);
  out.fast_shape = fast_shape_of(type);
  return out;
}

}  // namespace tairitsu::detail
