// Containers: instantiation, limits, calls and lifecycle.

#include <cmath>

#include "engine/bound_export.hpp"
#include "engine/container_core.hpp"
#include "engine/core_module_state.hpp"
#include "tairitsu/guest_init.hpp"
#include "tairitsu_native.h"

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

wasmtime_error_t *ContainerCore::call(const wasmtime_component_func_t *func, const wasmtime_component_val_t *args,
                                      std::size_t nargs, wasmtime_component_val_t *results, std::size_t nresults) {
  if (!concurrent) {
    return wasmtime_component_func_call(func, context(), args, nargs, results, nresults);
  }
  return tairitsu_func_call_on_fiber(func, context(), args, nargs, results, nresults);
}

Result<void> ContainerCore::open_store() {
  const ContainerSpec &s = *spec;
  const ImageState &img = image();
  concurrent = s.runs_on_fiber();

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

  store.reset(wasmtime_store_new(img.engine.state()->raw(), this, nullptr));
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
  return {};
}

Result<void> ContainerCore::instantiate() {
  if (auto r = open_store(); !r) {
    return r;
  }
  const ContainerSpec &s = *spec;
  const ImageState &img = image();
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
    err = tairitsu_linker_instantiate_on_fiber(prepared->linker.get(), context(), img.component.get(), &instance);
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

ContainerCore::~ContainerCore() { reset_store(); }

}  // namespace detail

// --- HostContext ---

const std::string &HostContext::container_name() const { return core_.name; }
ResourceTable *HostContext::text_handles() const { return &core_.text_handles; }
std::type_index HostContext::state_type() const { return core_.spec->state_type; }
void *HostContext::state_pointer() const { return core_.spec->state.get(); }

Result<Value> HostContext::new_resource(std::string_view resource, uint32_t rep) {
  for (const auto &r : core_.spec->definitions) {
    if (r.kind == detail::HostDefinition::Kind::Resource && r.full_name == resource) {
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
  auto *context = static_cast<wasmtime_context_t *>(store_context_);
  return detail::host_rep_of(
      handle, "resource", "reading a host resource handle",
      [&](const wasmtime_component_resource_any_t *any, uint32_t *rep) {
        wasmtime_component_resource_host_t *host = nullptr;
        if (wasmtime_error_t *err = wasmtime_component_resource_any_to_host(context, any, &host)) {
          return err;
        }
        *rep = wasmtime_component_resource_host_rep(host);
        wasmtime_component_resource_host_delete(host);
        return static_cast<wasmtime_error_t *>(nullptr);
      });
}

// --- Container ---

Container::Container(std::unique_ptr<detail::ContainerCore> core) : core_(std::move(core)) {}
Container::Container(Container &&) noexcept = default;
Container &Container::operator=(Container &&) noexcept = default;
Container::~Container() = default;

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

Result<Value> Container::call(std::string_view export_name, std::span<const Value> args) {
  detail::ContainerCore &core = *core_;
  if (core.state == ContainerState::Failed || core.state == ContainerState::Stopped) {
    return std::move(detail::check_callable(core, detail::calling(export_name))).error();
  }
  auto bound = core.bind(export_name);
  if (!bound) {
    return std::move(bound).error();
  }
  return (*bound)->call(args);
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
ResourceTable *Container::text_handles() { return &core_->text_handles; }
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
