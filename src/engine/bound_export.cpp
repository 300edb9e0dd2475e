// Bound exports: every call of a guest export, whatever its caller, enters
// the guest here.

#include "engine/bound_export.hpp"

#include <array>

#include "values/text_common.hpp"

namespace tairitsu::detail {

static_assert(sizeof(Flat) == sizeof(tairitsu_flat) && alignof(Flat) == alignof(tairitsu_flat));

namespace {

// "calling 'f', argument 'x'": how errors about an argument begin.
std::string argument(std::string_view export_name, const Param &param) {
  return calling(export_name) + ", argument '" + param.name + "'";
}

// The raw bits of a scalar value of kind `kind`.
uint64_t bits_of(const Value &v, TypeKind kind) {
  switch (kind) {
    case TypeKind::Bool: return to_flat(v.as_bool()).bits;
    case TypeKind::S8: return to_flat(v.as_s8()).bits;
    case TypeKind::U8: return to_flat(v.as_u8()).bits;
    case TypeKind::S16: return to_flat(v.as_s16()).bits;
    case TypeKind::U16: return to_flat(v.as_u16()).bits;
    case TypeKind::S32: return to_flat(v.as_s32()).bits;
    case TypeKind::U32: return to_flat(v.as_u32()).bits;
    case TypeKind::S64: return to_flat(v.as_s64()).bits;
    case TypeKind::U64: return to_flat(v.as_u64()).bits;
    case TypeKind::F32: return to_flat(v.as_f32()).bits;
    case TypeKind::F64: return to_flat(v.as_f64()).bits;
    case TypeKind::Char: return to_flat(v.as_char()).bits;
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

// A flat argument as a `Value` of its parameter's type: a scalar, a string or a list<u8>.
Value flat_value(const Flat &flat, const Type &type) {
  if (type.kind() == TypeKind::String) {
    return Value::string(from_flat<std::string>(flat));
  }
  if (type.kind() == TypeKind::List) {
    std::vector<Value> items;
    items.reserve(flat.bytes.len);
    for (std::size_t i = 0; i < flat.bytes.len; ++i) {
      items.push_back(Value::u8(flat.bytes.data[i]));
    }
    return Value::list(std::move(items));
  }
  return value_of(type.kind(), flat.bits);
}

// A result `Value` (of a flat signature) into `out`.
void flat_result(Value value, FlatResult &out) {
  if (value.kind() == TypeKind::String) {
    if (out.text) *out.text = std::move(value).as_string();
  } else if (value.kind() == TypeKind::List) {
    if (out.bytes) {
      out.bytes->clear();
      for (const Value &item : value.items()) out.bytes->push_back(item.as_u8());
    }
  } else {
    out.bits = bits_of(value, value.kind());
  }
}

}  // namespace

Result<void> check_callable(const ContainerCore &core, std::string_view what) {
  if (core.state == ContainerState::Failed) {
    return Error(ErrorCode::InvalidState,
                 std::string(what) + ": container '" + core.name +
                     "' has failed and must be restarted (as Wasmtime says, wasm trap: cannot enter "
                     "component instance; it failed with: " +
                     (core.failure ? core.failure->message() : std::string("no detail")) + ")");
  }
  if (core.state == ContainerState::Stopped) {
    return Error(ErrorCode::InvalidState,
                 std::string(what) + ": container '" + core.name + "' is stopped; restart() it to call it again");
  }
  return {};
}

// Messages are made only when something fails: calls are a hot path.
Result<BoundExport *> ContainerCore::bind(std::string_view export_name) {
  if (last_bound && last_bound->name() == export_name) {
    return last_bound;
  }
  const auto &functions = image().world().functions;
  auto exact = functions.find(export_name);
  if (exact == functions.end()) {
    auto found = spec->image.find_export(export_name);
    if (!found) {
      return std::move(found).error().with_context(calling(export_name) + " in container '" + name + "'");
    }
    exact = functions.find((*found)->name);
  }
  const ExportedFunction &fn = exact->second;
  if (bound.size() <= fn.ordinal) {
    bound.resize(functions.size());
  }
  if (!bound[fn.ordinal]) {
    bound[fn.ordinal] = std::make_unique<BoundExport>(*this, fn);
  }
  last_bound = bound[fn.ordinal].get();
  return last_bound;
}

Result<const wasmtime_component_func_t *> BoundExport::enterable() {
  ContainerCore &core = *core_;
  if (core.state == ContainerState::Failed || core.state == ContainerState::Stopped) {
    return std::move(check_callable(core, what())).error();
  }
  if (core.busy.load(std::memory_order_acquire)) {
    return Error(ErrorCode::InvalidState,
                 what() + " in container '" + core.name + "': a call started with call_async is in flight");
  }
  if (generation_ != core.generation) {
    if (!core.store ||
        !wasmtime_component_instance_get_func(&core.instance, core.context(), fn_->index.get(), &func_)) {
      return Error(ErrorCode::Internal, what() + ": the export is missing from the instance");
    }
    generation_ = core.generation;
    // The fast path calls on the current stack, which a concurrent engine's
    // guest may need to suspend; its shape is checked against the function
    // once, as its calls trust it.
    if (!shape_checked_) {
      shape_checked_ = true;
      if (fn_->fast_shape && !core.concurrent && tairitsu_fast_check(&func_, core.context(), fn_->fast_shape) == 1) {
        shape_ = fn_->fast_shape;
      }
    }
  }
  return &func_;
}

Result<void> BoundExport::check_arguments(std::span<const Value> args) const {
  const WorldItem &item = *fn_->item;
  const FunctionType &type = *item.function;
  if (fn_->carries_async_values) {
    return Error(ErrorCode::Unsupported, what() + ": its type " + type.to_string() +
                                             " carries a stream, future or error-context, which cannot cross "
                                             "Wasmtime's C API");
  }
  if (args.size() != type.params.size()) {
    return Error(ErrorCode::TypeMismatch, what() + ": expected " + std::to_string(type.params.size()) +
                                              " argument(s) for " + item.signature() + ", got " +
                                              std::to_string(args.size()));
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const Param &p = type.params[i];
    if (fn_->scalar_params && args[i].kind() == p.type.kind()) {
      continue;  // a number or bool of the right kind is all there is to check
    }
    std::string where;
    if (!value_matches(args[i], p.type, &where)) {
      return Error(ErrorCode::TypeMismatch, mismatch_message(argument(name(), p), args[i], p.type, where));
    }
    if (auto bad = check_encodable(args[i], "")) {
      return Error(ErrorCode::InvalidInput, argument(name(), p) + ": " + *bad);
    }
  }
  return {};
}

Result<void> BoundExport::check_flat_arguments(std::span<const Flat> args) const {
  // The C++ signature was checked against the type; what is left is what a
  // C++ value can hold and a WIT value cannot: a string that is not UTF-8,
  // a char that is not a Unicode scalar value.
  const FunctionType &type = *fn_->item->function;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const Param &p = type.params[i];
    if (p.type.kind() == TypeKind::String) {
      std::string_view s(reinterpret_cast<const char *>(args[i].bytes.data), args[i].bytes.len);
      if (std::size_t at = utf8_error_offset(s); at != std::string_view::npos) {
        return Error(ErrorCode::InvalidInput,
                     argument(name(), p) + ": the string is not valid UTF-8 (byte " + std::to_string(at) + ")");
      }
    } else if (p.type.kind() == TypeKind::Char) {
      if (auto bad = check_encodable(Value::character(from_bits<char32_t>(args[i].bits)), "")) {
        return Error(ErrorCode::InvalidInput, argument(name(), p) + ": " + *bad);
      }
    }
  }
  return {};
}

Result<Value> BoundExport::call(std::span<const Value> args, bool checked) {
  auto func = enterable();
  if (!func) {
    return std::move(func).error();
  }
  if (!checked) {
    if (auto r = check_arguments(args); !r) {
      return std::move(r).error();
    }
  }
  if (!fn_->scalars) {
    return call_general(**func, args);
  }
  std::array<Flat, TAIRITSU_SCALAR_MAX_PARAMS> flat;
  for (std::size_t i = 0; i < args.size(); ++i) {
    flat[i].bits = bits_of(args[i], static_cast<TypeKind>(fn_->scalars->params[i]));
  }
  std::span<const Flat> flat_args(flat.data(), args.size());
  FlatResult out;
  auto called = shape_ ? call_fast(**func, flat_args, out) : call_scalars(**func, flat_args, &out.bits);
  if (!called) {
    return std::move(called).error();
  }
  return fn_->scalars->result ? value_of(*fn_->scalars->result, out.bits) : Value::unit();
}

Result<const wasmtime_component_func_t *> BoundExport::prepare(std::span<const Value> args) {
  auto func = enterable();
  if (!func) {
    return func;
  }
  if (auto r = check_arguments(args); !r) {
    return std::move(r).error();
  }
  return func;
}

Result<void> BoundExport::call_flat(std::span<const Flat> args, FlatResult &result) {
  auto func = enterable();
  if (!func) {
    return std::move(func).error();
  }
  if (auto r = check_flat_arguments(args); !r) {
    return r;
  }
  if (shape_) {
    return call_fast(**func, args, result);
  }
  if (fn_->scalars) {
    return call_scalars(**func, args, &result.bits);
  }
  return call_flat_as_values(**func, args, result);
}

Result<void> BoundExport::call_fast(const wasmtime_component_func_t &func, std::span<const Flat> args,
                                    FlatResult &result) {
  tairitsu_bytes owned{nullptr, 0};
  tairitsu_flat out{};
  // A byte list goes straight from the guest's memory into the result (or nowhere).
  tairitsu_byte_sink sink{result.bytes, [](void *env, const uint8_t *data, std::size_t len) {
                            if (env) static_cast<std::vector<uint8_t> *>(env)->assign(data, data + len);
                          }};
  auto called = core_->enter(
      [&] {
        return tairitsu_fast_call(&func, core_->context(), shape_, reinterpret_cast<const tairitsu_flat *>(args.data()),
                                  &out, &owned, &sink);
      },
      [&] { return what(); });
  result.bits = out.bits;
  if (called && owned.data && result.text) {
    result.text->assign(reinterpret_cast<const char *>(owned.data), owned.len);
  }
  tairitsu_bytes_free(&owned);
  return called;
}

Result<void> BoundExport::call_scalars(const wasmtime_component_func_t &func, std::span<const Flat> args,
                                       uint64_t *result) {
  const ScalarSignature &signature = *fn_->scalars;
  return core_->enter(
      [&] {
        return tairitsu_scalar_call(&func, core_->context(), signature.params.data(),
                                    reinterpret_cast<const tairitsu_flat *>(args.data()), args.size(), result,
                                    signature.result ? 1 : 0, core_->concurrent);
      },
      [&] { return what(); });
}

Result<Value> BoundExport::call_general(const wasmtime_component_func_t &func, std::span<const Value> args) {
  const FunctionType &type = *fn_->item->function;
  CValues cargs(args.size());
  for (std::size_t i = 0; i < args.size(); ++i) {
    value_to_capi(args[i], cargs[i]);
  }
  CValues results(type.result ? 1 : 0);
  auto called =
      core_->enter([&] { return core_->call(&func, cargs.data(), cargs.size(), results.data(), results.size()); },
                   [&] { return what(); });
  if (!called) {
    return std::move(called).error();
  }
  if (!type.result) {
    return Value::unit();
  }
  auto out = value_from_capi(results[0], core_->store_link);
  if (!out) {
    return std::move(out).error().with_context(what());
  }
  return out;
}

Result<void> BoundExport::call_flat_as_values(const wasmtime_component_func_t &func, std::span<const Flat> args,
                                              FlatResult &result) {
  const FunctionType &type = *fn_->item->function;
  std::vector<Value> values;
  values.reserve(args.size());
  for (std::size_t i = 0; i < args.size(); ++i) {
    values.push_back(flat_value(args[i], type.params[i].type));
  }
  auto out = call_general(func, values);
  if (!out) {
    return std::move(out).error();
  }
  flat_result(std::move(*out), result);
  return {};
}

Result<BoundExport *> bind_export(Container &container, std::string_view full_name) {
  return container.core().bind(full_name);
}

const WorldItem &export_item(const BoundExport &bound) { return *bound.function().item; }

Result<void> call_flat(BoundExport &bound, std::span<const Flat> args, FlatResult &result) {
  return bound.call_flat(args, result);
}

Result<Value> call_values(BoundExport &bound, std::span<const Value> args) { return bound.call(args); }

Result<Value> call_parsed(BoundExport &bound, std::span<const Value> args) { return bound.call(args, true); }

}  // namespace tairitsu::detail
