#include "tairitsu/registry.hpp"

#include <algorithm>

namespace tairitsu {

Result<Value> SharedContainer::call(std::string_view export_name, std::span<const Value> args) {
  std::lock_guard lock(mutex_);
  return container_.call(export_name, args);
}

Result<Value> SharedContainer::call(std::string_view export_name, std::initializer_list<Value> args) {
  return call(export_name, std::span<const Value>(args.begin(), args.size()));
}

void SharedContainer::stop() {
  std::lock_guard lock(mutex_);
  container_.stop();
}

Result<void> SharedContainer::restart() {
  std::lock_guard lock(mutex_);
  return container_.restart();
}

ContainerState SharedContainer::state() const {
  std::lock_guard lock(mutex_);
  return container_.state();
}

Result<void> Registry::register_image(std::string_view ref, Image image) {
  auto parsed = ImageRef::parse(ref);
  if (!parsed) {
    return std::move(parsed).error();
  }
  std::lock_guard lock(mutex_);
  if (!images_.emplace(*parsed, std::move(image)).second) {
    return Error(ErrorCode::AlreadyExists, "image '" + parsed->to_string() + "' already exists");
  }
  return {};
}

Result<Image> Registry::register_image(std::string_view ref, std::span<const std::byte> bytes) {
  auto image = Image::load(bytes, engine_);
  if (!image) {
    return std::move(image).error().with_context("registering image '" + std::string(ref) + "'");
  }
  if (auto r = register_image(ref, *image); !r) {
    return std::move(r).error();
  }
  return image;
}

std::optional<Image> Registry::find_image(std::string_view ref) const {
  auto parsed = ImageRef::parse(ref);
  if (!parsed) {
    return std::nullopt;
  }
  std::lock_guard lock(mutex_);
  auto it = images_.find(*parsed);
  return it == images_.end() ? std::nullopt : std::optional<Image>(it->second);
}

Result<Image> Registry::get_image(std::string_view ref) const {
  auto parsed = ImageRef::parse(ref);
  if (!parsed) {
    return std::move(parsed).error();
  }
  if (auto image = find_image(ref)) {
    return *image;
  }
  std::string known;
  for (const auto &r : list_images()) {
    known += (known.empty() ? "" : ", ") + r;
  }
  return Error(ErrorCode::NotFound,
               "no image '" + parsed->to_string() + "' (registered: " + (known.empty() ? "none" : known) + ")");
}

std::vector<std::string> Registry::list_images() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto &[ref, image] : images_) {
    out.push_back(ref.to_string());
  }
  return out;
}

Result<void> Registry::remove_image(std::string_view ref) {
  auto parsed = ImageRef::parse(ref);
  if (!parsed) {
    return std::move(parsed).error();
  }
  std::lock_guard lock(mutex_);
  if (images_.erase(*parsed) == 0) {
    return Error(ErrorCode::NotFound, "no image '" + parsed->to_string() + "'");
  }
  return {};
}

Result<std::shared_ptr<SharedContainer>> Registry::create_container(
    std::string_view name, std::string_view ref, const std::function<void(ContainerBuilder &)> &configure) {
  if (name.empty()) {
    return Error(ErrorCode::InvalidInput, "a container needs a name");
  }
  if (find_container(name)) {
    return Error(ErrorCode::AlreadyExists, "container '" + std::string(name) + "' already exists");
  }
  auto image = get_image(ref);
  if (!image) {
    return std::move(image).error().with_context("creating container '" + std::string(name) + "'");
  }
  ContainerBuilder builder(*image);
  if (configure) {
    configure(builder);
  }
  builder.name(std::string(name));
  // Building takes time; the registry stays available meanwhile.
  auto container = builder.build();
  if (!container) {
    return std::move(container).error();
  }
  return add_container(std::move(*container));
}

Result<std::shared_ptr<SharedContainer>> Registry::add_container(Container container) {
  std::string name = container.name();
  auto shared = std::make_shared<SharedContainer>(std::move(container));
  std::lock_guard lock(mutex_);
  if (!containers_.emplace(name, shared).second) {
    return Error(ErrorCode::AlreadyExists, "container '" + name + "' already exists");
  }
  return shared;
}

std::shared_ptr<SharedContainer> Registry::find_container(std::string_view name) const {
  std::lock_guard lock(mutex_);
  auto it = containers_.find(name);
  return it == containers_.end() ? nullptr : it->second;
}

Result<std::shared_ptr<SharedContainer>> Registry::get_container(std::string_view name) const {
  if (auto c = find_container(name)) {
    return c;
  }
  return Error(ErrorCode::NotFound, "no container '" + std::string(name) + "'");
}

std::vector<std::string> Registry::list_containers() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto &[name, c] : containers_) {
    out.push_back(name);
  }
  return out;
}

Result<void> Registry::stop_container(std::string_view name) {
  auto c = get_container(name);
  if (!c) {
    return std::move(c).error();
  }
  (*c)->stop();
  return {};
}

Result<void> Registry::remove_container(std::string_view name) {
  std::shared_ptr<SharedContainer> removed;
  {
    std::lock_guard lock(mutex_);
    auto it = containers_.find(name);
    if (it == containers_.end()) {
      return Error(ErrorCode::NotFound, "no container '" + std::string(name) + "'");
    }
    removed = std::move(it->second);
    containers_.erase(it);
  }
  removed->stop();
  return {};
}

}  // namespace tairitsu
