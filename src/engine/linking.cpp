// Linking a container spec: which host definition serves which import, the
// callbacks through which the guest calls the host, and the linker every
// container of a spec shares.

#include <atomic>

#include "engine/container_core.hpp"
#include "engine/core_module_state.hpp"

namespace tairitsu {

namespace detail {

uint32_t new_resource_type_id() {
  static std::atomic<uint32_t> next{1};
  return next.fetch_add(1);
}

namespace {

using Kind = HostDefinition::Kind;

// The host's definition that serves an imported item, if any.
const HostDefinition *find_definition(const ContainerSpec &spec, const WorldItem &item) {
  for (const HostDefinition &d : spec.definitions) {
    bool fits = item.kind == WorldItem::Kind::Function   ? d.kind == Kind::Function
                : item.kind == WorldItem::Kind::Resource ? d.kind == Kind::Resource || d.kind == Kind::ForeignResource
                : item.kind == WorldItem::Kind::Module   ? d.kind == Kind::Module
                                                         : false;
    if (fits && d.serves(item)) {
      return &d;
    }
  }
  return nullptr;
}

}  // namespace

bool HostDefinition::serves(const WorldItem &item) const {
  return detail::serves(interface_name, item_name, item.interface_name, item.item_name);
}

Result<const HostDefinition *> resource_target(const ContainerSpec &spec, const HostDefinition &r) {
  if (r.alias_of.empty()) {
    return &r;
  }
  for (const HostDefinition &other : spec.definitions) {
    if (other.kind == Kind::Resource && other.full_name == r.alias_of && other.alias_of.empty()) {
      return &other;
    }
  }
  return Error(ErrorCode::LinkError, "resource '" + r.full_name + "' is declared as an alias of '" + r.alias_of +
                                         "', which is not a declared host resource");
}

Error explain_link_error(const ContainerSpec &spec, Error error) {
  // Wasmtime's reason first (it decides: an import whose type equals
  // another's needs no definition of its own), then what the host does not
  // seem to provide, with types. A guest initializer may define more than
  // the spec knows, so then there is no such list.
  if (error.code() != ErrorCode::LinkError || spec.initializer) {
    return error;
  }
  std::string missing;
  for (const WorldItem *m : missing_imports(spec)) {
    missing += "\n  " + (m->interface_name.empty() ? std::string() : m->interface_name + "#") + m->signature();
  }
  if (missing.empty()) {
    return error;
  }
  return Error(ErrorCode::LinkError, error.message() + "\nthe image imports what the host does not provide:" + missing);
}

std::vector<const WorldItem *> missing_imports(const ContainerSpec &spec) {
  std::vector<const WorldItem *> missing;
  for (const WorldItem &item : spec.image.imports()) {
    if (item.kind == WorldItem::Kind::Interface || !item.same_as.empty()) {
      continue;  // judged by its members; served with the resource it is
    }
    if (!item.interface_name.empty() && spec.wasi && is_wasi_p2_interface(item.interface_name)) {
      continue;
    }
    if (spec.serving && item.interface_name.starts_with("wasi:http/")) {
      continue;
    }
    if (!find_definition(spec, item)) {
      missing.push_back(&item);
    }
  }
  return missing;
}

namespace {

// The guest's arguments to a host function as Values, or the error that
// traps the guest.
Result<std::vector<Value>> host_arguments(const wasmtime_component_val_t *args, std::size_t nargs,
                                          const ContainerCore &core) {
  std::vector<Value> values;
  values.reserve(nargs);
  for (std::size_t i = 0; i < nargs; ++i) {
    auto v = value_from_capi(args[i], core.store_link);
    if (!v) {
      return std::move(v).error();
    }
    values.push_back(std::move(*v));
  }
  return values;
}

// Runs host code, turning an exception into an error that traps the guest.
template <typename F>
auto guarded(F &&f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception &e) {
    return Error(ErrorCode::Trap, std::string("exception: ") + e.what());
  } catch (...) {
    return Error(ErrorCode::Trap, "unknown exception");
  }
}

wasmtime_error_t *host_failure(const std::string &name, const std::string &message) {
  std::string text = "host function '" + name + "' failed: " + message;
  return wasmtime_error_new(text.c_str());
}

// Ends the borrows the guest lent a host function, as Wasmtime requires.
wasmtime_error_t *release_all_borrows(const std::vector<Value> &values) {
  for (const Value &arg : values) {
    if (wasmtime_error_t *err = release_borrows(arg)) {
      return err;
    }
  }
  return nullptr;
}

wasmtime_error_t *host_function_callback(void *env, wasmtime_context_t *context, const wasmtime_component_func_type_t *,
                                         wasmtime_component_val_t *args, size_t nargs,
                                         wasmtime_component_val_t *results, size_t nresults) {
  auto *binding = static_cast<HostBinding *>(env);
  auto *core = static_cast<ContainerCore *>(wasmtime_context_get_data(context));
  const std::string &name = binding->def->full_name;
  auto trap = [&](const std::string &message) { return host_failure(name, message); };
  auto arguments = host_arguments(args, nargs, *core);
  if (!arguments) {
    return trap(arguments.error().message());
  }
  std::vector<Value> &values = *arguments;
  HostContext host(*core, context, name, binding->type ? &*binding->type : nullptr);
  Result<Value> result = guarded([&]() -> Result<Value> { return binding->def->function(host, values); });
  if (wasmtime_error_t *err = release_all_borrows(values)) {
    return err;
  }
  if (!result) {
    return trap(result.error().message());
  }
  if (nresults == 0) {
    return nullptr;
  }
  if (binding->type && binding->type->result) {
    std::string where;
    if (!value_matches(*result, *binding->type->result, &where)) {
      return trap(mismatch_message("wrong result type", *result, *binding->type->result, where));
    }
  }
  if (auto bad = check_encodable(*result, "result")) {
    return trap(*bad);
  }
  value_to_capi(*result, results[0]);
  return nullptr;
}

// An async host function: called with a completion it finishes later.
wasmtime_error_t *async_host_callback(void *env, wasmtime_context_t *context, const wasmtime_component_func_type_t *,
                                      wasmtime_component_val_t *args, size_t nargs, size_t nresults,
                                      const tairitsu_completion *completion) {
  auto *binding = static_cast<HostBinding *>(env);
  auto *core = static_cast<ContainerCore *>(wasmtime_context_get_data(context));
  Completion answer = make_completion(completion, *binding, nresults);
  auto arguments = host_arguments(args, nargs, *core);
  if (!arguments) {
    return host_failure(binding->def->full_name, arguments.error().message());
  }
  HostContext host(*core, context, binding->def->full_name, binding->type ? &*binding->type : nullptr);
  Result<void> started = guarded([&]() -> Result<void> {
    binding->def->async_function(host, *arguments, std::move(answer));
    return {};
  });
  if (wasmtime_error_t *err = release_all_borrows(*arguments)) {
    return err;
  }
  return started ? nullptr : host_failure(binding->def->full_name, started.error().message());
}

// A typed host function whose signature does not fit the import: linked in
// its place, it fails every call naming both types.
std::unique_ptr<HostDefinition> mismatch_stub(const HostDefinition &def, const FunctionType &imported) {
  auto stub = std::make_unique<HostDefinition>(def);
  stub->typed = {};
  stub->async_function = {};
  std::string message = "the host defines " + def.typed.signature() + " for an import of type " + imported.to_string();
  stub->function = [message](HostContext &, std::span<const Value>) -> Result<Value> {
    return Error(ErrorCode::TypeMismatch, message);
  };
  return stub;
}

// A typed host function's flat form, linked where the import's signature
// has a fast path (native/src/fast_call.rs).
wasmtime_error_t *fast_host_callback(void *env, wasmtime_context_t *context, const tairitsu_flat *args,
                                     tairitsu_flat *result) {
  auto *binding = static_cast<HostBinding *>(env);
  auto *core = static_cast<ContainerCore *>(wasmtime_context_get_data(context));
  // Holds a string or byte result until Wasmtime has copied it, right after
  // this returns; a nested host call on this thread finishes before then.
  thread_local std::string scratch;
  HostContext host(*core, context, binding->def->full_name, binding->type ? &*binding->type : nullptr);
  Result<void> done = guarded([&]() -> Result<void> {
    return binding->def->typed.flat(host, reinterpret_cast<const Flat *>(args), *reinterpret_cast<Flat *>(result),
                                    scratch);
  });
  return done ? nullptr : host_failure(binding->def->full_name, done.error().message());
}

wasmtime_error_t *resource_destructor_callback(void *env, wasmtime_context_t *context, uint32_t rep) {
  auto *binding = static_cast<ResourceBinding *>(env);
  if (!binding->def->destructor) {
    return nullptr;
  }
  auto *core = static_cast<ContainerCore *>(wasmtime_context_get_data(context));
  HostContext host(*core, context, binding->def->full_name);
  auto done = binding->def->destructor(host, rep);
  if (!done) {
    std::string text = "destructor of '" + binding->def->full_name + "' failed: " + done.error().message();
    return wasmtime_error_new(text.c_str());
  }
  return nullptr;
}

void no_finalizer(void *) {}

// Handles of another instance's resource type belong to that instance; the
// host has nothing to release when one is dropped here.
wasmtime_error_t *ignore_drop(void *, wasmtime_context_t *, uint32_t) { return nullptr; }

}  // namespace

Result<void> check(wasmtime_error_t *error, ErrorCode code, std::string_view what) {
  if (error) {
    return take_error(error, code).with_context(what);
  }
  return {};
}

namespace {

// A definition of `kind` under the imported item's names.
HostDefinition named_after(Kind kind, const WorldItem &item) {
  return HostDefinition(kind, item.name, item.interface_name, item.item_name);
}

// Plans trap stubs for the imports nobody provides (with trap_unknown_imports).
void plan_import_stubs(PreparedLinker &core) {
  for (const WorldItem *item : missing_imports(*core.spec)) {
    if (item->kind == WorldItem::Kind::Resource) {
      HostDefinition stub = named_after(Kind::Resource, *item);
      stub.type_id = new_resource_type_id();
      core.stub_resources.push_back(std::move(stub));
    } else if (item->kind == WorldItem::Kind::Function && item->function->contains_async_value()) {
      // Tairitsu cannot serve such a function (its values cannot cross the C
      // API); Wasmtime's own trap stubs can, without converting anything.
      core.needs_engine_stubs = true;
    } else if (item->kind == WorldItem::Kind::Function) {
      HostDefinition stub = named_after(Kind::Function, *item);
      stub.function = [name = item->name](HostContext &, std::span<const Value>) -> Result<Value> {
        return Error(ErrorCode::Trap, "unknown import '" + name + "' was called, but the host does not provide it");
      };
      core.stub_functions.push_back(std::move(stub));
    }
  }
}

// An instance of the linker, opened by its path ("", "iface", "host#nested")
// and closed when it goes.
class LinkerInstance {
 public:
  static Result<LinkerInstance> open(wasmtime_component_linker_t *linker, const std::string &path) {
    LinkerInstance out;
    out.chain_.push_back(wasmtime_component_linker_root(linker));
    std::size_t start = 0;
    while (!path.empty() && start <= path.size()) {
      std::size_t end = std::min(path.find('#', start), path.size());
      wasmtime_component_linker_instance_t *next = nullptr;
      if (auto r =
              check(wasmtime_component_linker_instance_add_instance(out.get(), path.data() + start, end - start, &next),
                    ErrorCode::LinkError, "defining interface '" + path.substr(0, end) + "'");
          !r) {
        return std::move(r).error();
      }
      out.chain_.push_back(next);
      start = end + 1;
    }
    return out;
  }
  LinkerInstance() = default;
  LinkerInstance(LinkerInstance &&other) noexcept : chain_(std::move(other.chain_)) { other.chain_.clear(); }
  ~LinkerInstance() {
    // A linker instance borrows its parent: the innermost goes first.
    for (auto it = chain_.rbegin(); it != chain_.rend(); ++it) {
      wasmtime_component_linker_instance_delete(*it);
    }
  }
  wasmtime_component_linker_instance_t *get() const { return chain_.back(); }

 private:
  std::vector<wasmtime_component_linker_instance_t *> chain_;
};

Result<void> link_resource(PreparedLinker &core, wasmtime_component_linker_instance_t *target,
                           const HostDefinition &r) {
  auto of = resource_target(*core.spec, r);
  if (!of) {
    return std::move(of).error();
  }
  auto binding = std::make_unique<ResourceBinding>(ResourceBinding{*of});
  ResourceTypePtr type(wasmtime_component_resource_type_new_host((*of)->type_id));
  auto defined =
      check(wasmtime_component_linker_instance_add_resource(target, r.item_name.data(), r.item_name.size(), type.get(),
                                                            resource_destructor_callback, binding.get(), no_finalizer),
            ErrorCode::LinkError, "defining resource '" + r.full_name + "'");
  core.resource_bindings.push_back(std::move(binding));
  return defined;
}

Result<void> link_foreign_resource(wasmtime_component_linker_instance_t *target, const HostDefinition &r) {
  return check(
      wasmtime_component_linker_instance_add_resource(target, r.item_name.data(), r.item_name.size(),
                                                      r.foreign_type->get(), ignore_drop, nullptr, no_finalizer),
      ErrorCode::LinkError, "defining resource '" + r.full_name + "'");
}

Result<void> link_module(const ContainerSpec &spec, wasmtime_component_linker_instance_t *target,
                         const HostDefinition &m) {
  if (!m.module || m.module.state()->engine.state() != spec.image.engine().state()) {
    return Error(ErrorCode::LinkError,
                 "module '" + m.full_name + "' is empty or was compiled for another engine than the image");
  }
  return check(wasmtime_component_linker_instance_add_module(target, m.item_name.data(), m.item_name.size(),
                                                             m.module.state()->module.get()),
               ErrorCode::LinkError, "defining module '" + m.full_name + "'");
}

Result<void> link_function(PreparedLinker &core, wasmtime_component_linker_instance_t *target,
                           const HostDefinition &f) {
  std::optional<FunctionType> type;
  for (const WorldItem &w : core.spec->image.imports()) {
    if (w.kind == WorldItem::Kind::Function && f.serves(w)) {
      type = w.function;
      break;
    }
  }
  if (type && type->is_async) {
    return Error(ErrorCode::Unsupported, "host function '" + f.full_name + "' is imported as " + type->to_string() +
                                             ": Wasmtime serves async imports only with concurrent host functions, "
                                             "which its C API cannot define");
  }
  if (type && type->contains_async_value()) {
    return Error(ErrorCode::Unsupported, "host function '" + f.full_name + "' has type " + type->to_string() +
                                             ": stream, future and error-context values cannot cross "
                                             "Wasmtime's C API, so such functions cannot be defined by the host");
  }
  // A typed definition is checked against the import's type once, here; one
  // that does not fit is linked as a function that says so when the guest
  // calls it. Its flat form serves imports whose signature has a fast path.
  const HostDefinition *def = &f;
  if (type && f.typed.matches && !f.typed.matches(*type)) {
    def = core.mismatched.emplace_back(mismatch_stub(f, *type)).get();
  }
  uint32_t shape = def->typed.flat && type ? fast_shape_of(*type) : 0;
  auto binding = std::make_unique<HostBinding>(HostBinding{def, std::move(type)});
  const char *name = f.item_name.data();
  std::size_t len = f.item_name.size();
  wasmtime_error_t *err =
      def->async_function
          ? tairitsu_linker_instance_add_async_func(target, name, len, async_host_callback, binding.get(), no_finalizer)
      : shape ? tairitsu_linker_instance_add_fast_func(target, name, len, shape, fast_host_callback, binding.get())
              : wasmtime_component_linker_instance_add_func(target, name, len, host_function_callback, binding.get(),
                                                            no_finalizer);
  auto defined = check(err, ErrorCode::LinkError, "defining function '" + f.full_name + "'");
  core.bindings.push_back(std::move(binding));
  return defined;
}

// Defines the host's definitions and the stubs in the linker, one interface
// at a time: resources first, which the functions' types may name.
Result<void> link_host_items(PreparedLinker &core) {
  std::vector<const HostDefinition *> all;
  for (const std::vector<HostDefinition> *list :
       {&core.spec->definitions, &std::as_const(core.stub_functions), &std::as_const(core.stub_resources)}) {
    for (const HostDefinition &d : *list) {
      all.push_back(&d);
    }
  }
  std::vector<std::string> interfaces;
  for (const HostDefinition *d : all) {
    interfaces.push_back(d->interface_name);
  }
  std::sort(interfaces.begin(), interfaces.end());
  interfaces.erase(std::unique(interfaces.begin(), interfaces.end()), interfaces.end());

  for (const std::string &iface : interfaces) {
    auto instance = LinkerInstance::open(core.linker.get(), iface);
    if (!instance) {
      return std::move(instance).error();
    }
    wasmtime_component_linker_instance_t *target = instance->get();
    for (Kind kind : {Kind::Resource, Kind::ForeignResource, Kind::Module, Kind::Function}) {
      for (const HostDefinition *d : all) {
        if (d->kind != kind || d->interface_name != iface) {
          continue;
        }
        Result<void> linked = kind == Kind::Resource          ? link_resource(core, target, *d)
                              : kind == Kind::ForeignResource ? link_foreign_resource(target, *d)
                              : kind == Kind::Module          ? link_module(*core.spec, target, *d)
                                                              : link_function(core, target, *d);
        if (!linked) {
          return linked;
        }
      }
    }
  }
  return {};
}

}  // namespace

Result<std::shared_ptr<PreparedLinker>> prepare_linker(const ContainerSpec &spec) {
  auto prepared = std::make_shared<PreparedLinker>();
  prepared->spec = &spec;
  const ContainerSpec &s = *prepared->spec;
  const ImageState &img = *s.image.state();
  prepared->linker.reset(wasmtime_component_linker_new(img.engine.state()->raw()));
  if (s.serving) {
    // Served instances run inside the server's async runtime, where WASI's
    // blocking forms cannot wait; wasi:http comes with them.
    if (auto r = check(wasmtime_component_linker_add_wasip2_async(prepared->linker.get()), ErrorCode::LinkError,
                       "linking WASI");
        !r) {
      return std::move(r).error();
    }
    if (auto r =
            check(tairitsu_linker_add_wasi_http(prepared->linker.get()), ErrorCode::LinkError, "linking wasi:http");
        !r) {
      return std::move(r).error();
    }
  } else if (s.wasi) {
    if (auto r =
            check(wasmtime_component_linker_add_wasip2(prepared->linker.get()), ErrorCode::LinkError, "linking WASI");
        !r) {
      return std::move(r).error();
    }
    // A guest on a fiber suspends it while it waits in wasi:io; with a
    // deadline, the guest's waits in WASI end at it too.
    wasmtime_error_t *err = s.runs_on_fiber()  ? tairitsu_linker_fiber_wasi_waits(prepared->linker.get())
                            : s.limits.timeout ? tairitsu_linker_bound_wasi_waits(prepared->linker.get())
                                               : nullptr;
    if (auto r = check(err, ErrorCode::LinkError, "linking WASI's waits"); !r) {
      return std::move(r).error();
    }
  }
  if (s.trap_unknown_imports) {
    plan_import_stubs(*prepared);
  }
  if (auto r = link_host_items(*prepared); !r) {
    return std::move(r).error();
  }
  if (prepared->needs_engine_stubs) {
    if (auto r = check(
            wasmtime_component_linker_define_unknown_imports_as_traps(prepared->linker.get(), img.component.get()),
            ErrorCode::LinkError, "linking unknown imports as traps");
        !r) {
      return std::move(r).error();
    }
  }
  if (!s.initializer) {
    tairitsu_instance_pre *pre = nullptr;
    if (wasmtime_error_t *err = tairitsu_instance_pre_new(prepared->linker.get(), img.component.get(), &pre)) {
      return take_error(err, ErrorCode::LinkError).with_context("linking the image's imports");
    }
    prepared->pre.reset(pre);
  }
  return prepared;
}

}  // namespace detail

}  // namespace tairitsu
