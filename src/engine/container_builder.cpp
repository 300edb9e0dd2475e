// ContainerBuilder: collecting a container's configuration, and building
// containers from it (linking is in linking.cpp).

#include "engine/bound_export.hpp"
#include "engine/container_core.hpp"
#include "engine/core_module_state.hpp"
#include "tairitsu/guest_init.hpp"

namespace tairitsu {

namespace {

using Kind = detail::HostDefinition::Kind;

// A definition of `kind` named `full_name`.
detail::HostDefinition definition(Kind kind, std::string full_name) {
  auto [iface, item] = detail::split_item_name(full_name);
  return detail::HostDefinition(kind, std::move(full_name), std::move(iface), std::move(item));
}

// Both serve resource imports, so one replaces the other.
bool same_kind(Kind a, Kind b) {
  auto resource = [](Kind k) { return k == Kind::Resource || k == Kind::ForeignResource; };
  return a == b || (resource(a) && resource(b));
}

// Adds `d` to the spec's definitions, replacing an earlier one of the same
// kind and full name.
void replace_definition(detail::ContainerSpec &spec, detail::HostDefinition d) {
  std::erase_if(spec.definitions, [&](const detail::HostDefinition &old) {
    return same_kind(old.kind, d.kind) && old.full_name == d.full_name;
  });
  spec.definitions.push_back(std::move(d));
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
  return define_function(std::move(full_name), std::move(function), detail::TypedHostForm{});
}
ContainerBuilder &ContainerBuilder::define_function(std::string full_name, HostFunction function,
                                                    detail::TypedHostForm typed) {
  auto d = definition(Kind::Function, std::move(full_name));
  d.function = std::move(function);
  d.typed = std::move(typed);
  replace_definition(*mutable_spec(), std::move(d));
  return *this;
}
ContainerBuilder &ContainerBuilder::define_async_function(std::string full_name, AsyncHostFunction function) {
  return define_async_function(std::move(full_name), std::move(function), detail::TypedHostForm{});
}
ContainerBuilder &ContainerBuilder::define_async_function(std::string full_name, AsyncHostFunction function,
                                                          detail::TypedHostForm typed) {
  auto d = definition(Kind::Function, std::move(full_name));
  d.async_function = std::move(function);
  d.typed = std::move(typed);
  replace_definition(*mutable_spec(), std::move(d));
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
  auto d = definition(Kind::Resource, std::move(full_name));
  d.destructor = std::move(destructor);
  d.type_id = detail::new_resource_type_id();
  replace_definition(*mutable_spec(), std::move(d));
  return *this;
}
ContainerBuilder &ContainerBuilder::define_resource_alias(std::string full_name, std::string existing) {
  auto d = definition(Kind::Resource, std::move(full_name));
  d.alias_of = std::move(existing);
  replace_definition(*mutable_spec(), std::move(d));
  return *this;
}
ContainerBuilder &ContainerBuilder::define_module(std::string full_name, CoreModule module) {
  auto d = definition(Kind::Module, std::move(full_name));
  d.module = std::move(module);
  replace_definition(*mutable_spec(), std::move(d));
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
        auto d = definition(Kind::Module, full_name);
        d.module = std::move(*module);
        replace_definition(*spec, std::move(d));
      }
    } else if (item.kind == WorldItem::Kind::Resource) {
      detail::ContainerCore &core = source.core();
      wasmtime_component_resource_type_t *type = nullptr;
      if (core.store && tairitsu_component_instance_get_resource(&core.instance, core.context(), item.item_name.data(),
                                                                 item.item_name.size(), &type)) {
        auto d = definition(Kind::ForeignResource, full_name);
        d.foreign_type = std::make_shared<const detail::ResourceTypePtr>(type);
        replace_definition(*spec, std::move(d));
      }
    }
  }
  // Defined even when nothing above was added to it.
  replace_definition(*spec, detail::HostDefinition(Kind::Instance, name, name, ""));
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
ContainerBuilder &ContainerBuilder::suspendable(bool enabled) {
  mutable_spec()->suspendable = enabled;
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
    return detail::explain_link_error(spec, std::move(r).error().with_context(context("building")));
  }
  return Container(std::move(core));
}

}  // namespace tairitsu
