// Containers: instantiation, limits, calls and lifecycle.

#include <cmath>

#include "engine/container_core.hpp"
#include "engine/core_module_state.hpp"
#include "engine/scalar_call.hpp"
#include "tairitsu/guest_init.hpp"
#include "tairitsu_native.h"
#include "values/text_common.hpp"

namespace tairitsu {

std::string_view to_string(ContainerState state) {
  switch (state) {
    case ContainerState::Created: return "created";
    case ContainerState::Running: return "running";
    case ContainerState::Failed: return "failed";
    case ContainerState::Stopped: return "stopped";
  }
  return "?";
}

namespace detail {

void wait(wasmtime_call_future_t *future) {
  while (!wasmtime_call_future_poll(future)) {}
  wasmtime_call_future_delete(future);
}

wasmtime_error_t *ContainerCore::call(const wasmtime_component_func_t *func, const wasmtime_component_val_t *args,
                                      std::size_t nargs, wasmtime_component_val_t *results, std::size_t nresults) {
  if (!concurrent) {
    return wasmtime_component_func_call(func, context(), args, nargs, results, nresults);
  }
  wasmtime_error_t *err = nullptr;
  wait(wasmtime_component_func_call_async(func, context(), args, nargs, results, nresults, &err));
  return err;
}

Result<void> ContainerCore::instantiate() {
  const ContainerSpec &s = *spec;
  const ImageState &img = image();
  wasm_engine_t *engine = img.engine.state()->raw();
  concurrent = img.engine.config().concurrent();

  text_handles = ResourceTable();
  instance = {};
  reset_store();
  // Containers of one spec share its linker; a guest initializer may add to
  // the linker, so a spec with one links afresh for each instance.
  if (s.initializer) {
    auto made = prepare_linker(s);
    if (!made) return std::move(made).error();
    prepared = std::move(*made);
  } else if (!prepared) {
    std::lock_guard lock(s.prepared->mutex);
    if (!s.prepared->linker) {
      auto made = prepare_linker(s);
      if (!made) return std::move(made).error();
      s.prepared->linker = std::move(*made);
    }
    prepared = s.prepared->linker;
  }

  store.reset(wasmtime_store_new(engine, this, nullptr));
  ++generation;
  store_link = std::make_shared<StoreLink>(StoreLink{context(), concurrent});
  install_limits();
  // With WASI linked, a WASI context grants only what the spec grants
  // (Wasmtime requires one whenever a WASI function runs). Without WASI no
  // WASI function can run, and the context would only cost creation time.
  if (s.wasi) {
    auto wasi = make_wasi_config(s, *this);
    if (!wasi) {
      return std::move(wasi).error();
    }
    if (auto r = check(wasmtime_context_set_wasi(context(), *wasi), ErrorCode::InvalidInput, "configuring WASI"); !r) {
      return r;
    }
  }
  arm_limits(true);
  // Start functions run under the limits too, waits in WASI included.
  CallDeadline bound(deadline);

  if (s.initializer) {
    GuestInitContext init{prepared->linker.get(), context(), img.component.get(), name};
    if (auto r = s.initializer(init); !r) {
      return std::move(r).error().with_context("guest initializer");
    }
  }

  wasmtime_error_t *err = nullptr;
  if (prepared->pre) {
    err = concurrent ? tairitsu_instance_pre_instantiate_async(prepared->pre.get(), context(), &instance)
                     : tairitsu_instance_pre_instantiate(prepared->pre.get(), context(), &instance);
  } else if (concurrent) {
    wait(wasmtime_component_linker_instantiate_async(prepared->linker.get(), context(), img.component.get(), &instance,
                                                     &err));
  } else {
    err = wasmtime_component_linker_instantiate(prepared->linker.get(), context(), img.component.get(), &instance);
  }
  if (err) {
    // Instantiation fails without a wasm trap and within every limit only
    // when the imports cannot be satisfied: that is a link error.
    bool trapped = tairitsu_error_trap_code(err) >= 0;
    Error e = fail(err, "instantiating");
    if (e.code() == ErrorCode::Trap && !trapped) {
      return Error(ErrorCode::LinkError, e.message());
    }
    return e;
  }
  state = ContainerState::Created;
  failure.reset();
  return {};
}

const wasmtime_component_func_t *ContainerCore::func(const ExportedFunction &fn) {
  if (funcs.size() <= fn.ordinal) {
    funcs.resize(image().functions.size());
  }
  ResolvedFunc &slot = funcs[fn.ordinal];
  if (slot.generation != generation) {
    if (!wasmtime_component_instance_get_func(&instance, context(), fn.index.get(), &slot.func)) {
      return nullptr;
    }
    slot.generation = generation;
  }
  return &slot.func;
}

}  // namespace detail

// --- HostContext ---

const std::string &HostContext::container_name() const { return core_.name; }
ResourceTable *HostContext::text_handles() const { return &core_.text_handles; }
std::type_index HostContext::state_type() const { return core_.spec->state_type; }
void *HostContext::state_pointer() const { return core_.spec->state.get(); }

Result<Value> HostContext::new_resource(std::string_view resource, uint32_t rep) {
  for (const auto &r : core_.spec->resources) {
    if (r.full_name == resource) {
      // An alias makes handles of the resource it names (linking checked that there is one).
      auto target = detail::resource_target(*core_.spec, r);
      if (!target) {
        return std::move(target).error();
      }
      detail::CPtr<wasmtime_component_resource_host_t, wasmtime_component_resource_host_delete> host(
          wasmtime_component_resource_host_new(true, rep, (*target)->type_id));
      wasmtime_component_resource_any_t *any = nullptr;
      wasmtime_error_t *err =
          wasmtime_component_resource_host_to_any(static_cast<wasmtime_context_t *>(store_context_), host.get(), &any);
      if (err) {
        return detail::take_error(err, ErrorCode::Internal)
            .with_context("making a handle to resource '" + std::string(resource) + "'");
      }
      return Value::resource(detail::make_resource_handle(any, core_.store_link));
    }
  }
  return Error(ErrorCode::NotFound,
               "no host resource '" + std::string(resource) + "' was declared with define_resource");
}

Result<uint32_t> HostContext::resource_rep(const Value &handle) const {
  if (handle.kind() != TypeKind::Own && handle.kind() != TypeKind::Borrow) {
    return Error(ErrorCode::TypeMismatch, "expected a resource handle, found " + handle.to_string());
  }
  auto *slot = dynamic_cast<detail::EngineResourceSlot *>(handle.as_resource().slot().get());
  if (!slot) {
    return Error(ErrorCode::InvalidInput, "the resource handle was not made by a container");
  }
  if (slot->host_rep) {
    return *slot->host_rep;
  }
  // Reading the representation takes the handle out of the store's table:
  // a borrow is released, an owned handle passes to the host.
  wasmtime_component_resource_host_t *host = nullptr;
  wasmtime_error_t *err =
      wasmtime_component_resource_any_to_host(static_cast<wasmtime_context_t *>(store_context_), slot->any, &host);
  if (err) {
    return detail::take_error(err, ErrorCode::TypeMismatch).with_context("reading a host resource handle");
  }
  slot->host_rep = wasmtime_component_resource_host_rep(host);
  slot->dropped = true;
  wasmtime_component_resource_host_delete(host);
  return *slot->host_rep;
}

// --- Container ---

Container::Container(std::unique_ptr<detail::ContainerCore> core) : core_(std::move(core)) {}
Container::Container(Container &&) noexcept = default;
Container &Container::operator=(Container &&) noexcept = default;
Container::~Container() = default;

namespace {

Result<void> check_callable(const detail::ContainerCore &core, std::string_view what) {
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

}  // namespace

Result<CoreModule> Container::exported_module(std::string_view name) {
  detail::ContainerCore &core = *core_;
  std::string what = "taking module '" + std::string(name) + "' from container '" + core.name + "'";
  if (!core.store) {
    return Error(ErrorCode::InvalidState, what + ": the container has no instance");
  }
  wasmtime_module_t *module = nullptr;
  if (!tairitsu_component_instance_get_module(&core.instance, core.context(), name.data(), name.size(), &module)) {
    return Error(ErrorCode::NotFound, what + ": the component exports no core module of that name");
  }
  return CoreModule(std::make_shared<const detail::CoreModuleState>(
      detail::CoreModuleState{core.spec->image.engine(), detail::ModulePtr(module)}));
}

Result<Value> Container::call(std::string_view export_name, std::initializer_list<Value> args) {
  return call(export_name, std::span<const Value>(args.begin(), args.size()));
}

namespace {

// What a call of an export needs: the export and its function in the instance.
struct Callable {
  const detail::ExportedFunction *fn;
  const wasmtime_component_func_t *func;
};

// The export `name` names, ready to call; fails when the container cannot be
// called or has no such export. Messages are made only when something fails:
// calls are a hot path.
Result<Callable> callable(detail::ContainerCore &core, std::string_view name) {
  if (core.state == ContainerState::Failed || core.state == ContainerState::Stopped) {
    return std::move(check_callable(core, detail::calling(name))).error();
  }
  if (!core.last_export.fn || core.last_export.name != name) {
    const auto &functions = core.image().functions;
    auto exact = functions.find(name);
    if (exact == functions.end()) {
      auto found = core.spec->image.find_export(name);
      if (!found) {
        return std::move(found).error().with_context(detail::calling(name) + " in container '" + core.name + "'");
      }
      exact = functions.find((*found)->name);
    }
    core.last_export = {exact->first, &exact->second};
  }
  const wasmtime_component_func_t *func = core.func(*core.last_export.fn);
  if (!func) {
    return Error(ErrorCode::Internal, detail::calling(name) + ": the export is missing from the instance");
  }
  return Callable{core.last_export.fn, func};
}

// "calling 'f', argument 'x'": how errors about an argument begin.
std::string argument(std::string_view export_name, const Param &param) {
  return detail::calling(export_name) + ", argument '" + param.name + "'";
}

}  // namespace

Result<Value> Container::call(std::string_view export_name, std::span<const Value> args) {
  detail::ContainerCore &core = *core_;
  auto what = [&] { return detail::calling(export_name); };
  auto found = callable(core, export_name);
  if (!found) {
    return std::move(found).error();
  }
  const detail::ExportedFunction &fn = *found->fn;
  const WorldItem &item = *fn.item;
  const FunctionType &type = *item.function;
  if (fn.carries_async_values) {
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
    if (fn.scalar_params && args[i].kind() == p.type.kind()) {
      continue;  // a number or bool of the right kind is all there is to check
    }
    std::string where;
    if (!value_matches(args[i], p.type, &where)) {
      return Error(ErrorCode::TypeMismatch, detail::mismatch_message(argument(export_name, p), args[i], p.type, where));
    }
    if (auto bad = detail::check_encodable(args[i], "")) {
      return Error(ErrorCode::InvalidInput, argument(export_name, p) + ": " + *bad);
    }
  }
  const wasmtime_component_func_t *func = found->func;
  if (fn.scalars) {
    return detail::call_scalars(core, *func, *fn.scalars, args, export_name);
  }

  detail::CValues cargs(args.size());
  for (std::size_t i = 0; i < args.size(); ++i) {
    detail::value_to_capi(args[i], cargs[i]);
  }
  detail::CValues results(type.result ? 1 : 0);
  auto called =
      core.enter([&] { return core.call(func, cargs.data(), cargs.size(), results.data(), results.size()); }, what);
  if (!called) {
    return std::move(called).error();
  }
  if (!type.result) {
    return Value::unit();
  }
  auto out = detail::value_from_capi(results[0], core.store_link);
  if (!out) {
    return std::move(out).error().with_context(what());
  }
  return out;
}

namespace {

static_assert(sizeof(detail::FastValue) == sizeof(tairitsu_flat) &&
              alignof(detail::FastValue) == alignof(tairitsu_flat));
static_assert(sizeof(wasmtime_component_func_t) <= sizeof(detail::FastTarget::func));
static_assert(int{detail::kS32S32ToS32} == TAIRITSU_SHAPE_S32_S32_TO_S32 &&
              int{detail::kBytesToBytes} == TAIRITSU_SHAPE_BYTES_TO_BYTES &&
              int{detail::kStringToString} == TAIRITSU_SHAPE_STRING_TO_STRING &&
              int{detail::kUnitToString} == TAIRITSU_SHAPE_UNIT_TO_STRING);

wasmtime_component_func_t *func_of(detail::FastTarget &target) {
  return reinterpret_cast<wasmtime_component_func_t *>(target.func);
}

// Points `target` at the export in the current instance.
bool resolve_fast(detail::ContainerCore &core, detail::FastTarget &target) {
  auto found = core.image().functions.find(target.name);
  if (found == core.image().functions.end() || !core.store) return false;
  const wasmtime_component_func_t *func = core.func(found->second);
  if (!func) return false;
  *func_of(target) = *func;
  target.generation = core.generation;
  return true;
}

}  // namespace

bool Container::prepare_fast(detail::FastTarget &target) {
  // The fast path calls on the current stack, which a concurrent engine's
  // guest may need to suspend.
  if (core_->concurrent) return false;
  if (target.shape == detail::kNoFastPath || !resolve_fast(*core_, target)) return false;
  return tairitsu_fast_check(func_of(target), core_->context(), target.shape) == 1;
}

Result<void> Container::call_fast(detail::FastTarget &target, const detail::FastValue *args, detail::FastValue *result,
                                  std::string *text, std::vector<uint8_t> *bytes) {
  detail::ContainerCore &core = *core_;
  auto what = [&] { return detail::calling(target.name); };
  if (core.state == ContainerState::Failed || core.state == ContainerState::Stopped) {
    return check_callable(core, what());
  }
  if (target.generation != core.generation && !resolve_fast(core, target)) {
    return Error(ErrorCode::Internal, what() + ": the export is missing from the instance");
  }
  if (target.shape == detail::kStringToString || target.shape == detail::kStringToUnit) {
    std::string_view s(reinterpret_cast<const char *>(args[0].slice.data), args[0].slice.len);
    if (std::size_t at = detail::utf8_error_offset(s); at != std::string_view::npos) {
      return Error(ErrorCode::InvalidInput,
                   what() + ": the string argument is not valid UTF-8 (byte " + std::to_string(at) + ")");
    }
  }
  tairitsu_bytes owned{nullptr, 0};
  auto called = core.enter(
      [&] {
        return tairitsu_fast_call(func_of(target), core.context(), target.shape,
                                  reinterpret_cast<const tairitsu_flat *>(args),
                                  reinterpret_cast<tairitsu_flat *>(result), &owned);
      },
      what);
  if (!called) {
    return called;
  }
  if (owned.data) {
    if (text) text->assign(reinterpret_cast<const char *>(owned.data), owned.len);
    if (bytes) bytes->assign(owned.data, owned.data + owned.len);
  }
  tairitsu_bytes_free(&owned);
  return {};
}

Result<void> Container::call_scalars(std::string_view name, std::span<const uint64_t> args, uint64_t *result) {
  detail::ContainerCore &core = *core_;
  auto found = callable(core, name);
  if (!found) {
    return std::move(found).error();
  }
  const detail::ExportedFunction &fn = *found->fn;
  const FunctionType &type = *fn.item->function;
  if (!fn.scalars || args.size() != type.params.size()) {
    return Error(ErrorCode::Internal, detail::calling(name) + ": its type " + type.to_string() + " does not take " +
                                          std::to_string(args.size()) + " scalars");
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    // A char is checked as a Value call checks it: before the engine sees it.
    if (fn.scalars->params[i] != static_cast<uint8_t>(TypeKind::Char)) {
      continue;
    }
    if (auto bad = detail::check_encodable(Value::character(detail::from_bits<char32_t>(args[i])), "")) {
      return Error(ErrorCode::InvalidInput, argument(name, type.params[i]) + ": " + *bad);
    }
  }
  return detail::call_scalar_bits(core, *found->func, *fn.scalars, args, result, name);
}

Result<std::string> Container::call_text(std::string_view export_name, std::string_view arguments, TextFormat format,
                                         PrintOptions options) {
  auto found = core_->spec->image.find_export(export_name);
  if (!found) {
    return std::move(found).error().with_context("calling '" + std::string(export_name) + "' in container '" +
                                                 core_->name + "'");
  }
  const FunctionType &type = *(*found)->function;
  TextLimits limits;
  limits.resources = &core_->text_handles;
  auto args = parse_arguments(arguments, type.params, format, limits);
  if (!args) {
    return std::move(args).error().with_context("arguments of '" + std::string(export_name) + "' (" +
                                                (*found)->signature() + ")");
  }
  auto result = call(export_name, *args);
  if (!result) {
    return std::move(result).error();
  }
  if (!type.result) {
    return std::string();
  }
  options.resources = &core_->text_handles;
  return print_value(*result, *type.result, format, options);
}

Result<std::string> Container::invoke(std::string_view call_expression, TextFormat format, PrintOptions options) {
  auto call = split_call(call_expression);
  if (!call) {
    return std::move(call).error();
  }
  // A call expression is name(args) in every format; JSON reads its arguments
  // as an array, so the parentheses become brackets.
  std::string arguments = call->arguments;
  if (format == TextFormat::Json && arguments.size() >= 2 && arguments.front() == '(' && arguments.back() == ')') {
    arguments.front() = '[';
    arguments.back() = ']';
  }
  // Spaces in place of the name keep error positions those of the whole expression.
  std::size_t name_end = call_expression.size() - call->arguments.size();
  return call_text(call->function, std::string(name_end, ' ') + arguments, format, options);
}

Result<int> Container::run() {
  detail::ContainerCore &core = *core_;
  const WorldItem *run_item = nullptr;
  for (const WorldItem &item : core.spec->image.exports()) {
    if (item.kind == WorldItem::Kind::Function && item.item_name == "run" &&
        item.interface_name.rfind("wasi:cli/run@", 0) == 0) {
      run_item = &item;
    }
  }
  if (!run_item) {
    return Error(ErrorCode::NotFound,
                 "container '" + core.name + "' is not a command: its image exports no wasi:cli/run");
  }
  auto result = call(run_item->name);
  if (!result) {
    if (auto status = result.error().exit_status()) {
      // exit(n) unwinds the guest; the instance is done but nothing failed.
      core.state = ContainerState::Stopped;
      core.failure.reset();
      return *status;
    }
    return std::move(result).error();
  }
  return result->kind() == TypeKind::Result && !result->as_result().is_ok ? 1 : 0;
}

Result<void> Container::drop_resource(const Value &handle) {
  if (handle.kind() != TypeKind::Own && handle.kind() != TypeKind::Borrow) {
    return Error(ErrorCode::TypeMismatch, "drop_resource: expected a resource handle, found " + handle.to_string());
  }
  auto *slot = dynamic_cast<detail::EngineResourceSlot *>(handle.as_resource().slot().get());
  if (!slot || slot->store != core_->store_link) {
    return Error(ErrorCode::InvalidInput,
                 "drop_resource: the handle was not made by this container's current instance");
  }
  if (!slot->owned || slot->dropped) {
    return slot->drop();  // the error that says why
  }
  wasmtime_error_t *err = core_->store_link->drop(slot->any);
  if (err) {
    return core_->fail(err, "dropping a resource");
  }
  slot->dropped = true;
  core_->text_handles.forget(handle.as_resource());
  return {};
}

ContainerState Container::state() const { return core_->state; }
const std::optional<Error> &Container::failure() const { return core_->failure; }
const std::string &Container::name() const { return core_->name; }
const Image &Container::image() const { return core_->spec->image; }

std::string Container::stdout_text() const {
  std::lock_guard lock(core_->stdout_buffer->mutex);
  return core_->stdout_buffer->text;
}

std::string Container::stderr_text() const {
  std::lock_guard lock(core_->stderr_buffer->mutex);
  return core_->stderr_buffer->text;
}

std::type_index Container::state_type() const { return core_->spec->state_type; }
void *Container::state_pointer() const { return core_->spec->state.get(); }

void Container::stop() {
  // The store goes, and with it the guest's memory; the configuration stays for restart().
  core_->reset_store();
  core_->instance = {};
  core_->failure.reset();
  core_->state = ContainerState::Stopped;
}

Result<void> Container::restart() {
  auto r = core_->instantiate();
  if (!r) {
    return std::move(r).error().with_context("restarting container '" + core_->name + "'");
  }
  return {};
}

}  // namespace tairitsu
