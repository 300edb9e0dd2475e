#include "tairitsu/image.hpp"

#include <algorithm>
#include <cstring>

#include "base/files.hpp"
#include "engine/image_state.hpp"

namespace tairitsu {

std::string_view to_string(ImageSource source) {
  switch (source) {
    case ImageSource::Component: return "component";
    case ImageSource::CoreCommand: return "core module (command)";
    case ImageSource::CoreReactor: return "core module (reactor)";
    case ImageSource::Precompiled: return "precompiled";
  }
  return "?";
}

namespace detail {

std::string sha256_digest(std::span<const std::byte> bytes) { return "sha256:" + sha256_hex(bytes); }

namespace {

// Walks the items of a component type (imports or exports) and their
// interface members, in order.
template <typename Visit>
void walk_items(const wasmtime_component_type_t *type, const wasm_engine_t *engine, bool imports, Visit &&visit) {
  std::size_t n =
      imports ? wasmtime_component_type_import_count(type, engine) : wasmtime_component_type_export_count(type, engine);
  for (std::size_t i = 0; i < n; ++i) {
    const char *name = nullptr;
    std::size_t len = 0;
    wasmtime_component_item_t item;
    bool found = imports ? wasmtime_component_type_import_nth(type, engine, i, &name, &len, &item)
                         : wasmtime_component_type_export_nth(type, engine, i, &name, &len, &item);
    if (!found) {
      continue;
    }
    std::string root(name, len);
    visit(std::string(), root, item);
    if (item.kind == WASMTIME_COMPONENT_ITEM_COMPONENT_INSTANCE) {
      const auto *inst = item.of.component_instance;
      std::size_t m = wasmtime_component_instance_type_export_count(inst, engine);
      for (std::size_t j = 0; j < m; ++j) {
        wasmtime_component_item_t member;
        if (wasmtime_component_instance_type_export_nth(inst, engine, j, &name, &len, &member)) {
          visit(root, std::string(name, len), member);
          wasmtime_component_item_delete(&member);
        }
      }
    }
    wasmtime_component_item_delete(&item);
  }
}

std::vector<WorldItem> reflect(const wasmtime_component_type_t *type, const wasm_engine_t *engine, bool imports,
                               const ResourceNames &names) {
  std::vector<WorldItem> out;
  std::vector<std::pair<ResourceTypePtr, std::string>> resources;  // each resource type, by its first name
  walk_items(type, engine, imports,
             [&](const std::string &iface, const std::string &name, const wasmtime_component_item_t &item) {
               WorldItem w;
               w.interface_name = iface;
               w.item_name = name;
               w.name = iface.empty() ? name : iface + "#" + name;
               switch (item.kind) {
                 case WASMTIME_COMPONENT_ITEM_COMPONENT_FUNC:
                   w.kind = WorldItem::Kind::Function;
                   w.function = function_type_from_capi(item.of.component_func, names);
                   break;
                 case WASMTIME_COMPONENT_ITEM_COMPONENT_INSTANCE: w.kind = WorldItem::Kind::Interface; break;
                 case WASMTIME_COMPONENT_ITEM_RESOURCE: {
                   w.kind = WorldItem::Kind::Resource;
                   for (const auto &[seen, first] : resources) {
                     if (wasmtime_component_resource_type_equal(seen.get(), item.of.resource)) {
                       w.same_as = first;
                       break;
                     }
                   }
                   if (w.same_as.empty()) {
                     resources.emplace_back(ResourceTypePtr(wasmtime_component_resource_type_clone(item.of.resource)),
                                            w.name);
                   }
                   break;
                 }
                 case WASMTIME_COMPONENT_ITEM_MODULE: w.kind = WorldItem::Kind::Module; break;
                 case WASMTIME_COMPONENT_ITEM_COMPONENT: w.kind = WorldItem::Kind::Component; break;
                 default: return;  // types and core functions are not part of the calling surface
               }
               out.push_back(std::move(w));
             });
  return out;
}

bool has_prefix(std::span<const std::byte> bytes, std::string_view prefix) {
  return bytes.size() >= prefix.size() && std::memcmp(bytes.data(), prefix.data(), prefix.size()) == 0;
}

}  // namespace

BinaryKind classify(std::span<const std::byte> bytes) {
  if (has_prefix(bytes, std::string_view("\0asm\x01\0\0\0", 8))) {
    return BinaryKind::CoreModule;
  }
  if (has_prefix(bytes, std::string_view("\0asm", 4)) && bytes.size() >= 8 && bytes[6] == std::byte{1}) {
    return BinaryKind::Component;
  }
  if (has_prefix(bytes,
                 "\x7f"
                 "ELF")) {
    return BinaryKind::Precompiled;
  }
  auto first = std::find_if(bytes.begin(), bytes.end(), [](std::byte b) {
    return !(b == std::byte{' '} || b == std::byte{'\n'} || b == std::byte{'\t'} || b == std::byte{'\r'});
  });
  if (first != bytes.end() && (*first == std::byte{'('} || *first == std::byte{';'})) {
    return BinaryKind::Text;
  }
  return BinaryKind::Unknown;
}

std::string describe_start(std::span<const std::byte> bytes) {
  if (bytes.empty()) {
    return "the input is empty";
  }
  if (has_prefix(bytes, std::string_view("\0asm", 4)) && bytes.size() < 8) {
    return "the input is truncated inside the WebAssembly header";
  }
  if (has_prefix(bytes, std::string_view("\0asm", 4))) {
    auto byte = [&](std::size_t i) { return std::to_integer<unsigned>(bytes[i]); };
    return "the WebAssembly header has version " + std::to_string(byte(4) | byte(5) << 8) + " and layer " +
           std::to_string(byte(6) | byte(7) << 8) +
           ", which this engine does not know (core modules are version 1 layer 0, components "
           "layer 1)";
  }
  return "the input is not WebAssembly (no \\0asm header, not WAT text, not a precompiled artifact)";
}

namespace {

Result<Image> compile_component(const Engine &engine, std::vector<std::byte> bytes, ImageSource source) {
  wasmtime_component_t *raw = nullptr;
  wasmtime_error_t *err = wasmtime_component_new(engine.state()->raw(), reinterpret_cast<const uint8_t *>(bytes.data()),
                                                 bytes.size(), &raw);
  if (err) {
    return take_error(err, ErrorCode::InvalidInput).with_context("compiling component");
  }
  std::string digest = sha256_digest(bytes);
  std::size_t size = bytes.size();
  return ImageState::make(engine, ComponentPtr(raw), source, std::move(bytes), std::move(digest), size);
}

std::vector<std::byte> to_vector(std::span<const std::byte> bytes) {
  return std::vector<std::byte>(bytes.begin(), bytes.end());
}

}  // namespace

const ImageWorld &ImageState::world() const {
  std::call_once(world_once_, [this] {
    auto world = std::make_unique<ImageWorld>();
    ComponentTypePtr type(wasmtime_component_type(component.get()));
    const wasm_engine_t *raw_engine = engine.state()->raw();

    // Resource names first, so that signatures can name own<T> and borrow<T>.
    for (bool imports : {true, false}) {
      walk_items(type.get(), raw_engine, imports,
                 [&](const std::string &, const std::string &name, const wasmtime_component_item_t &item) {
                   if (item.kind == WASMTIME_COMPONENT_ITEM_RESOURCE) {
                     world->resources.add(item.of.resource, name);
                   }
                 });
    }
    world->imports = reflect(type.get(), raw_engine, true, world->resources);
    world->exports = reflect(type.get(), raw_engine, false, world->resources);
    for (const WorldItem &item : world->exports) {
      if (item.kind != WorldItem::Kind::Function) {
        continue;
      }
      ExportIndexPtr parent;
      if (!item.interface_name.empty()) {
        parent.reset(wasmtime_component_get_export_index(component.get(), nullptr, item.interface_name.data(),
                                                         item.interface_name.size()));
      }
      ExportIndexPtr index(wasmtime_component_get_export_index(component.get(), parent.get(), item.item_name.data(),
                                                               item.item_name.size()));
      if (index) {
        world->functions.emplace(item.name, ExportedFunction::of(item, std::move(index), world->functions.size()));
      }
    }
    world_ = std::move(world);
  });
  return *world_;
}

Result<Image> ImageState::make(const Engine &engine, ComponentPtr component, ImageSource source,
                               std::vector<std::byte> bytes, std::string digest, std::size_t size) {
  auto state = std::make_shared<ImageState>(engine);
  state->source = source;
  state->bytes = std::move(bytes);
  state->digest = std::move(digest);
  state->size = size;
  state->component = std::move(component);
  return Image(std::move(state));
}

}  // namespace detail

Result<Image> Image::load(std::span<const std::byte> bytes, const Engine &engine) {
  switch (detail::classify(bytes)) {
    case detail::BinaryKind::Component: return from_component(bytes, engine);
    case detail::BinaryKind::CoreModule: return from_core_module(bytes, engine);
    case detail::BinaryKind::Precompiled: return Error(ErrorCode::InvalidInput, detail::kPrecompiledRefused);
    case detail::BinaryKind::Text:
      return from_wat(std::string_view(reinterpret_cast<const char *>(bytes.data()), bytes.size()), engine);
    case detail::BinaryKind::Unknown: break;
  }
  return Error(ErrorCode::InvalidInput, detail::describe_start(bytes));
}

Result<Image> Image::from_file(const std::filesystem::path &path, const Engine &engine) {
  auto bytes = detail::read_file(path);
  if (!bytes) {
    return std::move(bytes).error();
  }
  auto image = load(*bytes, engine);
  if (!image) {
    return std::move(image).error().with_context("loading '" + path.string() + "'");
  }
  return image;
}

Result<Image> Image::from_component(std::span<const std::byte> bytes, const Engine &engine) {
  switch (detail::classify(bytes)) {
    case detail::BinaryKind::Component:
      return detail::compile_component(engine, detail::to_vector(bytes), ImageSource::Component);
    case detail::BinaryKind::CoreModule:
      return Error(ErrorCode::InvalidInput,
                   "this is a core WebAssembly module, not a component; load it with "
                   "Image::from_core_module to wrap it with the WASI preview1 adapter");
    case detail::BinaryKind::Precompiled: return Error(ErrorCode::InvalidInput, detail::kPrecompiledRefused);
    default: return Error(ErrorCode::InvalidInput, detail::describe_start(bytes));
  }
}

Result<AdaptedModule> adapt_core_module(std::span<const std::byte> bytes) {
  auto kind = detail::classify(bytes);
  if (kind == detail::BinaryKind::Component) {
    return Error(ErrorCode::InvalidInput, "this is a component, not a core module; load it with Image::from_component");
  }
  if (kind != detail::BinaryKind::CoreModule) {
    return Error(ErrorCode::InvalidInput, detail::describe_start(bytes));
  }
  const auto *data = reinterpret_cast<const uint8_t *>(bytes.data());
  static constexpr std::string_view start = "_start";
  int32_t is_command =
      tairitsu_core_module_exports(data, bytes.size(), reinterpret_cast<const uint8_t *>(start.data()), start.size());
  if (is_command < 0) {
    return Error(ErrorCode::InvalidInput, "the core module cannot be parsed");
  }
  tairitsu_bytes out{};
  tairitsu_bytes error{};
  if (tairitsu_componentize(data, bytes.size(), is_command, &out, &error) != 0) {
    std::string message(reinterpret_cast<const char *>(error.data), error.len);
    tairitsu_bytes_free(&error);
    return Error(ErrorCode::InvalidInput, "wrapping the core module with the WASI preview1 adapter: " + message);
  }
  AdaptedModule adapted;
  adapted.component.assign(reinterpret_cast<const std::byte *>(out.data),
                           reinterpret_cast<const std::byte *>(out.data) + out.len);
  adapted.is_command = is_command == 1;
  tairitsu_bytes_free(&out);
  return adapted;
}

Result<Image> Image::from_core_module(std::span<const std::byte> bytes, const Engine &engine) {
  auto adapted = adapt_core_module(bytes);
  if (!adapted) {
    return std::move(adapted).error();
  }
  return detail::compile_component(engine, std::move(adapted->component),
                                   adapted->is_command ? ImageSource::CoreCommand : ImageSource::CoreReactor);
}

namespace detail {

Result<std::vector<std::byte>> wat_to_binary(std::string_view wat) {
  wasm_byte_vec_t out;
  if (wasmtime_error_t *err = wasmtime_wat2wasm(wat.data(), wat.size(), &out)) {
    return take_error(err, ErrorCode::InvalidInput).with_context("parsing WAT");
  }
  std::vector<std::byte> bytes(reinterpret_cast<const std::byte *>(out.data),
                               reinterpret_cast<const std::byte *>(out.data) + out.size);
  wasm_byte_vec_delete(&out);
  return bytes;
}

}  // namespace detail

Result<Image> Image::from_wat(std::string_view wat, const Engine &engine) {
  auto bytes = detail::wat_to_binary(wat);
  if (!bytes) {
    return std::move(bytes).error();
  }
  return load(*bytes, engine);
}

Result<Image> Image::from_precompiled(std::span<const std::byte> artifact, const Engine &engine,
                                      std::optional<std::string> digest) {
  if (detail::classify(artifact) != detail::BinaryKind::Precompiled) {
    return Error(ErrorCode::InvalidInput,
                 artifact.empty() ? "the artifact is empty" : "this is not a precompiled artifact (no ELF header)");
  }
  wasmtime_component_t *raw = nullptr;
  wasmtime_error_t *err = wasmtime_component_deserialize(
      engine.state()->raw(), reinterpret_cast<const uint8_t *>(artifact.data()), artifact.size(), &raw);
  if (err) {
    return detail::take_error(err, ErrorCode::InvalidInput)
        .with_context(
            "loading a precompiled artifact (it must come from this Tairitsu build "
            "with engine configuration '" +
            engine.config().fingerprint() + "')");
  }
  return detail::ImageState::make(engine, detail::ComponentPtr(raw), ImageSource::Precompiled, {},
                                  digest.value_or(std::string()), artifact.size());
}

Result<std::vector<std::byte>> Image::precompile() const {
  wasm_byte_vec_t out;
  wasmtime_error_t *err = wasmtime_component_serialize(state_->component.get(), &out);
  if (err) {
    return detail::take_error(err, ErrorCode::Internal).with_context("precompiling");
  }
  std::vector<std::byte> bytes(reinterpret_cast<const std::byte *>(out.data),
                               reinterpret_cast<const std::byte *>(out.data) + out.size);
  wasm_byte_vec_delete(&out);
  return bytes;
}

const std::string &Image::digest() const {
  const detail::ImageState *s = state_.get();
  std::call_once(s->digest_once, [s] {
    if (!s->digest.empty()) return;
    // An artifact loaded without its component's digest: its own digest,
    // from the image Wasmtime loaded, which it leaves as it was (Wasmtime 48
    // refuses artifacts whose code needs relocating, and Tairitsu emits no
    // debug sections): the same bytes, without a copy kept at every load.
    wasm_byte_vec_t image;
    if (wasmtime_error_t *err = wasmtime_component_serialize(s->component.get(), &image)) {
      wasmtime_error_delete(err);
      return;  // stays empty: the image has no digest to give
    }
    s->digest = detail::sha256_digest(std::as_bytes(std::span(image.data, image.size)));
    wasm_byte_vec_delete(&image);
  });
  return s->digest;
}
ImageSource Image::source() const { return state_->source; }
std::span<const std::byte> Image::component_bytes() const { return state_->bytes; }
std::size_t Image::size() const { return state_->size; }
const Engine &Image::engine() const { return state_->engine; }
const std::vector<WorldItem> &Image::imports() const { return state_->world().imports; }
const std::vector<WorldItem> &Image::exports() const { return state_->world().exports; }

Result<const WorldItem *> Image::find_export(std::string_view name) const {
  const auto &functions = state_->world().functions;
  if (auto it = functions.find(name); it != functions.end()) {
    return it->second.item;
  }
  std::vector<const WorldItem *> matches;
  if (name.find('#') == std::string_view::npos) {
    for (const auto &[full, fn] : functions) {
      if (!fn.item->interface_name.empty() && fn.item->item_name == name) {
        matches.push_back(fn.item);
      }
    }
  }
  if (matches.size() == 1) {
    return matches.front();
  }
  if (matches.size() > 1) {
    std::string list;
    for (const WorldItem *m : matches) {
      list += "\n  " + m->name;
    }
    return Error(ErrorCode::InvalidInput, "export name '" + std::string(name) + "' is ambiguous; it matches:" + list);
  }
  std::string list;
  for (const auto &[full, fn] : functions) {
    list += "\n  " + fn.item->signature() +
            (fn.item->interface_name.empty() ? "" : "  (in " + fn.item->interface_name + ")");
  }
  return Error(ErrorCode::NotFound, "no exported function '" + std::string(name) +
                                        "'; the image exports:" + (list.empty() ? " nothing" : list));
}

}  // namespace tairitsu
