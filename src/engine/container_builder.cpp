// ContainerBuilder: collecting a container's configuration, checking the
// image's imports against it, linking, and instantiating.

#include <atomic>
#include <set>

#include "engine/container_core.hpp"
#include "engine/core_module_state.hpp"
#include "tairitsu/guest_init.hpp"

namespace tairitsu {

namespace detail {

namespace {

std::atomic<uint32_t> next_resource_type_id{1};

// The host's definition (function or resource) that serves an imported item.
template <typename Definition>
const Definition *find_definition(const std::vector<Definition> &definitions, std::string_view iface,
                                  std::string_view item) {
  for (const Definition &d : definitions) {
    if (d.item_name == item &&
        (iface.empty() ? d.interface_name.empty() : interface_satisfies(d.interface_name, iface))) {
      return &d;
    }
  }
  return nullptr;
}

}  // namespace

Result<const HostResourceDef *> resource_target(const ContainerSpec &spec, const HostResourceDef &r) {
  if (r.alias_of.empty()) {
    return &r;
  }
  for (const HostResourceDef &other : spec.resources) {
    if (other.full_name == r.alias_of && other.alias_of.empty()) {
      return &other;
    }
  }
  return Error(ErrorCode::LinkError, "resource '" + r.full_name + "' is declared as an alias of '" + r.alias_of +
                                         "', which is not a declared host resource");
}

std::vector<const WorldItem *> missing_imports(const ContainerSpec &spec) {
  std::vector<const WorldItem *> missing;
  for (const WorldItem &item : spec.image.imports()) {
    const std::string &iface = item.interface_name;
    if (item.kind == WorldItem::Kind::Interface) {
      continue;  // judged by its members
    }
    if (!iface.empty() && spec.wasi && is_wasi_p2_interface(iface)) {
      continue;
    }
    bool provided = false;
    if (item.kind == WorldItem::Kind::Function) {
      provided = find_definition(spec.functions, iface, item.item_name) != nullptr;
    } else if (item.kind == WorldItem::Kind::Resource) {
      provided = find_definition(spec.resources, iface, item.item_name) != nullptr ||
                 find_definition(spec.foreign_resources, iface, item.item_name) != nullptr;
    } else if (item.kind == WorldItem::Kind::Module) {
      provided = find_definition(spec.modules, iface, item.item_name) != nullptr;
    }
    if (!provided) {
      missing.push_back(&item);
    }
  }
  return missing;
}

namespace {

wasmtime_error_t *host_function_callback(void *env, wasmtime_context_t *context, const wasmtime_component_func_type_t *,
                                         wasmtime_component_val_t *args, size_t nargs,
                                         wasmtime_component_val_t *results, size_t nresults) {
  auto *binding = static_cast<HostBinding *>(env);
  auto *core = static_cast<ContainerCore *>(wasmtime_context_get_data(context));
  const std::string &name = binding->def->full_name;
  auto trap = [&](const std::string &message) {
    std::string text = "host function '" + name + "' failed: " + message;
    return wasmtime_error_new(text.c_str());
  };
  std::vector<Value> values;
  values.reserve(nargs);
  for (std::size_t i = 0; i < nargs; ++i) {
    auto v = value_from_capi(args[i], core->store_link);
    if (!v) {
      return trap(v.error().message());
    }
    values.push_back(std::move(*v));
  }
  HostContext host(*core, context, name, binding->type ? &*binding->type : nullptr);
  Result<Value> result = [&]() -> Result<Value> {
    try {
      return binding->def->function(host, values);
    } catch (const std::exception &e) {
      return Error(ErrorCode::Trap, std::string("exception: ") + e.what());
    } catch (...) {
      return Error(ErrorCode::Trap, "unknown exception");
    }
  }();
  for (const Value &arg : values) {
    if (wasmtime_error_t *err = release_borrows(arg)) {
      return err;
    }
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

// A typed host function's fast form (see native/src/fast_call.rs).
// A typed host function whose signature does not fit the import: linked in
// its place, it fails every call naming both types.
std::unique_ptr<HostFunctionDef> mismatch_stub(const HostFunctionDef &def, const FunctionType &imported) {
  auto stub = std::make_unique<HostFunctionDef>(def);
  stub->fast = {};
  std::string message = "the host defines " + def.fast.signature() + " for an import of type " + imported.to_string();
  stub->function = [message](HostContext &, std::span<const Value>) -> Result<Value> {
    return Error(ErrorCode::TypeMismatch, message);
  };
  return stub;
}

wasmtime_error_t *fast_host_callback(void *env, wasmtime_context_t *context, const tairitsu_flat *args,
                                     tairitsu_flat *result) {
  auto *binding = static_cast<HostBinding *>(env);
  auto *core = static_cast<ContainerCore *>(wasmtime_context_get_data(context));
  // Holds a string or byte result until Wasmtime has copied it, right after
  // this returns; a nested host call on this thread finishes before then.
  thread_local std::string scratch;
  HostContext host(*core, context, binding->def->full_name, binding->type ? &*binding->type : nullptr);
  Result<void> done = [&]() -> Result<void> {
    try {
      return binding->def->fast.call(host, reinterpret_cast<const FastValue *>(args),
                                     reinterpret_cast<FastValue *>(result), scratch);
    } catch (const std::exception &e) {
      return Error(ErrorCode::Trap, std::string("exception: ") + e.what());
    } catch (...) {
      return Error(ErrorCode::Trap, "unknown exception");
    }
  }();
  if (!done) {
    std::string text = "host function '" + binding->def->full_name + "' failed: " + done.error().message();
    return wasmtime_error_new(text.c_str());
  }
  return nullptr;
}

// The same parameter and result types, whatever the parameters are called.
bool same_types(const FunctionType &a, const FunctionType &b) {
  if (a.params.size() != b.params.size() || a.result != b.result || a.is_async != b.is_async) return false;
  for (std::size_t i = 0; i < a.params.size(); ++i) {
    if (!(a.params[i].type == b.params[i].type)) return false;
  }
  return true;
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

// Plans trap stubs for the imports nobody provides (with trap_unknown_imports).
void plan_import_stubs(PreparedLinker &core) {
  for (const WorldItem *item : missing_imports(*core.spec)) {
    if (item->kind == WorldItem::Kind::Resource) {
      core.stub_resources.push_back(
          {item->name, item->interface_name, item->item_name, {}, next_resource_type_id.fetch_add(1), {}});
    } else if (item->kind == WorldItem::Kind::Function && item->function->contains_async_value()) {
      // Tairitsu cannot serve such a function (its values cannot cross the C
      // API); Wasmtime's own trap stubs can, without converting anything.
      core.needs_engine_stubs = true;
    } else if (item->kind == WorldItem::Kind::Function) {
      std::string name = item->name;
      core.stub_functions.push_back({item->name,
                                     item->interface_name,
                                     item->item_name,
                                     [name](HostContext &, std::span<const Value>) -> Result<Value> {
                                       return Error(ErrorCode::Trap,
                                                    "unknown import '" + name +
                                                        "' was called, but the host does not provide it");
                                     },
                                     {}});
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

// Defines the host's functions, resources and modules in the linker, one interface at a time.
Result<void> link_host_items(PreparedLinker &core) {
  const ContainerSpec &spec = *core.spec;
  std::vector<const HostFunctionDef *> functions;
  std::vector<const HostResourceDef *> resources;
  for (const std::vector<HostFunctionDef> *list : {&spec.functions, &std::as_const(core.stub_functions)}) {
    for (const auto &f : *list) {
      functions.push_back(&f);
    }
  }
  for (const std::vector<HostResourceDef> *list : {&spec.resources, &std::as_const(core.stub_resources)}) {
    for (const auto &r : *list) {
      resources.push_back(&r);
    }
  }
  std::vector<std::string> interfaces;
  for (const auto *f : functions) {
    interfaces.push_back(f->interface_name);
  }
  for (const auto *r : resources) {
    interfaces.push_back(r->interface_name);
  }
  for (const auto &m : spec.modules) {
    interfaces.push_back(m.interface_name);
  }
  for (const auto &r : spec.foreign_resources) {
    interfaces.push_back(r.interface_name);
  }
  for (const auto &name : spec.instances) {
    interfaces.push_back(name);
  }
  std::sort(interfaces.begin(), interfaces.end());
  interfaces.erase(std::unique(interfaces.begin(), interfaces.end()), interfaces.end());

  auto import_type = [&](const std::string &iface, const std::string &item) -> std::optional<FunctionType> {
    for (const WorldItem &w : spec.image.imports()) {
      if (w.kind == WorldItem::Kind::Function && w.item_name == item &&
          (iface.empty() ? w.interface_name.empty() : interface_satisfies(iface, w.interface_name))) {
        return w.function;
      }
    }
    return std::nullopt;
  };

  for (const std::string &iface : interfaces) {
    auto instance = LinkerInstance::open(core.linker.get(), iface);
    if (!instance) {
      return std::move(instance).error();
    }
    wasmtime_component_linker_instance_t *target = instance->get();
    for (const HostResourceDef *resource : resources) {
      const HostResourceDef &r = *resource;
      if (r.interface_name != iface) {
        continue;
      }
      auto of = resource_target(spec, r);
      if (!of) {
        return std::move(of).error();
      }
      auto binding = std::make_unique<ResourceBinding>(ResourceBinding{*of});
      ResourceTypePtr type(wasmtime_component_resource_type_new_host((*of)->type_id));
      auto defined = check(
          wasmtime_component_linker_instance_add_resource(target, r.item_name.data(), r.item_name.size(), type.get(),
                                                          resource_destructor_callback, binding.get(), no_finalizer),
          ErrorCode::LinkError, "defining resource '" + r.full_name + "'");
      core.resource_bindings.push_back(std::move(binding));
      if (!defined) {
        return defined;
      }
    }
    for (const ForeignResourceDef &r : spec.foreign_resources) {
      if (r.interface_name != iface) {
        continue;
      }
      if (auto defined =
              check(wasmtime_component_linker_instance_add_resource(target, r.item_name.data(), r.item_name.size(),
                                                                    r.type->get(), ignore_drop, nullptr, no_finalizer),
                    ErrorCode::LinkError, "defining resource '" + r.full_name + "'");
          !defined) {
        return defined;
      }
    }
    for (const HostModuleDef &m : spec.modules) {
      if (m.interface_name != iface) {
        continue;
      }
      if (!m.module || m.module.state()->engine.state() != spec.image.engine().state()) {
        return Error(ErrorCode::LinkError,
                     "module '" + m.full_name + "' is empty or was compiled for another engine than the image");
      }
      if (auto r = check(wasmtime_component_linker_instance_add_module(target, m.item_name.data(), m.item_name.size(),
                                                                       m.module.state()->module.get()),
                         ErrorCode::LinkError, "defining module '" + m.full_name + "'");
          !r) {
        return r;
      }
    }
    for (const HostFunctionDef *function : functions) {
      const HostFunctionDef &f = *function;
      if (f.interface_name != iface) {
        continue;
      }
      auto type = import_type(f.interface_name, f.item_name);
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
      // A typed definition is checked against the import's type once, here;
      // one that does not fit is linked as a function that says so when the
      // guest calls it. The fast form only where the image imports exactly its type.
      const HostFunctionDef *def = &f;
      if (type && f.fast.matches && !f.fast.matches(*type)) {
        def = core.mismatched.emplace_back(mismatch_stub(f, *type)).get();
      }
      bool fast = def->fast.shape != kNoFastPath && type && same_types(*type, def->fast.type);
      auto binding = std::make_unique<HostBinding>(HostBinding{def, std::move(type)});
      auto defined =
          check(fast ? tairitsu_linker_instance_add_fast_func(target, f.item_name.data(), f.item_name.size(),
                                                              f.fast.shape, fast_host_callback, binding.get())
                     : wasmtime_component_linker_instance_add_func(target, f.item_name.data(), f.item_name.size(),
                                                                   host_function_callback, binding.get(), no_finalizer),
                ErrorCode::LinkError, "defining function '" + f.full_name + "'");
      core.bindings.push_back(std::move(binding));
      if (!defined) {
        return defined;
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
  if (s.wasi) {
    if (auto r =
            check(wasmtime_component_linker_add_wasip2(prepared->linker.get()), ErrorCode::LinkError, "linking WASI");
        !r) {
      return std::move(r).error();
    }
    // With a deadline, the guest's waits in WASI end at it too.
    if (s.limits.timeout) {
      if (auto r = check(tairitsu_linker_bound_wasi_waits(prepared->linker.get()), ErrorCode::LinkError,
                         "linking WASI's waits to the deadline");
          !r) {
        return std::move(r).error();
      }
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

namespace {

// Adds `definition` (a function, resource or module) to `list`, replacing an
// earlier one of the same full name.
template <typename Definition>
void replace_definition(std::vector<Definition> &list, Definition definition) {
  std::erase_if(list, [&](const Definition &d) { return d.full_name == definition.full_name; });
  list.push_back(std::move(definition));
}

}  // namespace

ContainerBuilder::ContainerBuilder(Image image) : spec_(std::make_shared<detail::ContainerSpec>(std::move(image))) {}
ContainerBuilder::~ContainerBuilder() = default;
ContainerBuilder::ContainerBuilder(const ContainerBuilder &) = default;
ContainerBuilder &ContainerBuilder::operator=(const ContainerBuilder &) = default;
ContainerBuilder::ContainerBuilder(ContainerBuilder &&) noexcept = default;
ContainerBuilder &ContainerBuilder::operator=(ContainerBuilder &&) noexcept = default;

std::shared_ptr<detail::ContainerSpec> ContainerBuilder::mutable_spec() {
  // Containers built earlier keep the spec they were built with.
  if (spec_.use_count() > 1) {
    spec_ = std::make_shared<detail::ContainerSpec>(*spec_);
    spec_->prepared = std::make_shared<detail::ContainerSpec::PreparedSlot>();  // links anew
  }
  return spec_;
}

ContainerBuilder &ContainerBuilder::name(std::string name) {
  mutable_spec()->name = std::move(name);
  return *this;
}
ContainerBuilder &ContainerBuilder::set_state(std::shared_ptr<void> state, std::type_index type) {
  auto spec = mutable_spec();
  spec->state = std::move(state);
  spec->state_type = type;
  return *this;
}
ContainerBuilder &ContainerBuilder::wasi(bool enabled) {
  mutable_spec()->wasi = enabled;
  return *this;
}
ContainerBuilder &ContainerBuilder::args(std::vector<std::string> args) {
  mutable_spec()->args = std::move(args);
  return *this;
}
ContainerBuilder &ContainerBuilder::env(std::string key, std::string value) {
  mutable_spec()->env.emplace_back(std::move(key), std::move(value));
  return *this;
}
ContainerBuilder &ContainerBuilder::inherit_env() {
  mutable_spec()->inherit_env = true;
  return *this;
}
ContainerBuilder &ContainerBuilder::preopen(std::filesystem::path host_path, std::string guest_path, DirAccess access) {
  mutable_spec()->preopens.push_back({std::move(host_path), std::move(guest_path), access});
  return *this;
}
ContainerBuilder &ContainerBuilder::stdin_mode(StdioMode mode) {
  mutable_spec()->stdin_mode = mode;
  return *this;
}
ContainerBuilder &ContainerBuilder::stdin_bytes(std::string bytes) {
  auto spec = mutable_spec();
  spec->stdin_mode = StdioMode::Capture;
  spec->stdin_bytes = std::move(bytes);
  return *this;
}
ContainerBuilder &ContainerBuilder::stdout_mode(StdioMode mode) {
  mutable_spec()->stdout_mode = mode;
  return *this;
}
ContainerBuilder &ContainerBuilder::stderr_mode(StdioMode mode) {
  mutable_spec()->stderr_mode = mode;
  return *this;
}
ContainerBuilder &ContainerBuilder::define_function(std::string full_name, HostFunction function) {
  return define_function(std::move(full_name), std::move(function), detail::FastHost{});
}
ContainerBuilder &ContainerBuilder::define_function(std::string full_name, HostFunction function,
                                                    detail::FastHost fast) {
  auto [iface, item] = detail::split_item_name(full_name);
  replace_definition(mutable_spec()->functions,
                     detail::HostFunctionDef{std::move(full_name), std::move(iface), std::move(item),
                                             std::move(function), std::move(fast)});
  return *this;
}
ContainerBuilder &ContainerBuilder::define_text_function(std::string full_name, TextHostFunction function,
                                                         TextFormat format) {
  std::string name = full_name;
  return define_function(
      std::move(full_name),
      [name, format, function = std::move(function)](HostContext &ctx, std::span<const Value> args) -> Result<Value> {
        const FunctionType *type = ctx.function_type();
        if (!type) {
          return Error(ErrorCode::LinkError, "'" + name + "' is not imported by the image, so its type is unknown");
        }
        auto text = print_arguments(args, type->params, format, {.resources = ctx.text_handles()});
        if (!text) {
          return std::move(text).error();
        }
        auto answer = function(ctx, *text);
        if (!answer) {
          return std::move(answer).error();
        }
        if (!type->result) {
          return Value::unit();
        }
        TextLimits limits;
        limits.resources = ctx.text_handles();
        auto value = parse_value(*answer, *type->result, format, limits);
        if (!value) {
          return Error(ErrorCode::TypeMismatch, "the result '" + *answer + "' is not a " + type->result->to_string() +
                                                    " (" + value.error().message() + ")");
        }
        return value;
      });
}

ContainerBuilder &ContainerBuilder::define_resource(std::string full_name, ResourceDestructor destructor) {
  auto [iface, item] = detail::split_item_name(full_name);
  replace_definition(mutable_spec()->resources, detail::HostResourceDef{std::move(full_name),
                                                                        std::move(iface),
                                                                        std::move(item),
                                                                        std::move(destructor),
                                                                        detail::next_resource_type_id.fetch_add(1),
                                                                        {}});
  return *this;
}
ContainerBuilder &ContainerBuilder::define_resource_alias(std::string full_name, std::string existing) {
  auto [iface, item] = detail::split_item_name(full_name);
  replace_definition(
      mutable_spec()->resources,
      detail::HostResourceDef{std::move(full_name), std::move(iface), std::move(item), {}, 0, std::move(existing)});
  return *this;
}
ContainerBuilder &ContainerBuilder::define_module(std::string full_name, CoreModule module) {
  auto [iface, item] = detail::split_item_name(full_name);
  replace_definition(mutable_spec()->modules,
                     detail::HostModuleDef{std::move(full_name), std::move(iface), std::move(item), std::move(module)});
  return *this;
}
ContainerBuilder &ContainerBuilder::define_instance(std::string name, Container &source) {
  auto spec = mutable_spec();
  for (const WorldItem &item : source.image().exports()) {
    if (!item.interface_name.empty()) {
      continue;
    }
    std::string full_name = name + "#" + item.item_name;
    if (item.kind == WorldItem::Kind::Module) {
      if (auto module = source.exported_module(item.item_name)) {
        replace_definition(spec->modules, detail::HostModuleDef{full_name, name, item.item_name, std::move(*module)});
      }
    } else if (item.kind == WorldItem::Kind::Resource) {
      detail::ContainerCore &core = source.core();
      wasmtime_component_resource_type_t *type = nullptr;
      if (core.store && tairitsu_component_instance_get_resource(&core.instance, core.context(), item.item_name.data(),
                                                                 item.item_name.size(), &type)) {
        replace_definition(spec->foreign_resources,
                           detail::ForeignResourceDef{full_name, name, item.item_name,
                                                      std::make_shared<const detail::ResourceTypePtr>(type)});
      }
    }
  }
  spec->instances.push_back(std::move(name));
  return *this;
}
ContainerBuilder &ContainerBuilder::trap_unknown_imports(bool enabled) {
  mutable_spec()->trap_unknown_imports = enabled;
  return *this;
}
ContainerBuilder &ContainerBuilder::guest_initializer(GuestInitializer initializer) {
  mutable_spec()->initializer = std::move(initializer);
  return *this;
}
ContainerBuilder &ContainerBuilder::limits(Limits limits) {
  mutable_spec()->limits = limits;
  return *this;
}

Result<Container> ContainerBuilder::build() const {
  const detail::ContainerSpec &spec = *spec_;
  std::string name = spec.name.empty() ? spec.image.digest().substr(7, 12) : spec.name;
  auto context = [&](std::string_view what) { return std::string(what) + " container '" + name + "'"; };

  auto core = std::make_unique<detail::ContainerCore>();
  core->spec = spec_;
  core->name = name;
  if (auto r = core->instantiate(); !r) {
    Error error = std::move(r).error().with_context(context("building"));
    // Wasmtime's reason first (it decides: an import whose type equals
    // another's needs no definition of its own), then what the host does not
    // seem to provide, with types. A guest initializer may define more than
    // the spec knows, so then there is no such list.
    if (error.code() != ErrorCode::LinkError || spec.initializer) {
      return error;
    }
    std::string missing;
    for (const WorldItem *m : detail::missing_imports(spec)) {
      missing += "\n  " + (m->interface_name.empty() ? std::string() : m->interface_name + "#") + m->signature();
    }
    if (missing.empty()) {
      return error;
    }
    return Error(ErrorCode::LinkError,
                 error.message() + "\nthe image imports what the host does not provide:" + missing);
  }
  return Container(std::move(core));
}

}  // namespace tairitsu
