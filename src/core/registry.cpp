#include "tairitsu/registry.hpp"

#include <algorithm>

namespace tairitsu {

namespace {

constexpr std::size_t kMaxNameLength = 255;
constexpr std::size_t kMaxTagLength = 128;

bool is_alnum_lower(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// One path component of a name: lowercase letters and digits first and last,
// '.', '_' or '-' between them, never "..".
bool valid_component(std::string_view c) {
  if (c.empty() || !is_alnum_lower(c.front()) || !is_alnum_lower(c.back())) return false;
  for (std::size_t i = 0; i < c.size(); ++i) {
    bool sep = c[i] == '.' || c[i] == '_' || c[i] == '-';
    if (!is_alnum_lower(c[i]) && !sep) return false;
    if (c[i] == '.' && c[i - 1] == '.') return false;
  }
  return true;
}

bool valid_tag_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

std::string shown(std::string_view text) {
  return text.size() <= 80 ? std::string(text) : std::string(text.substr(0, 77)) + "...";
}

}  // namespace

Result<ImageRef> ImageRef::parse(std::string_view text) {
  auto invalid = [&](const std::string &why) {
    return Error(ErrorCode::InvalidInput, "image reference '" + shown(text) + "': " + why);
  };
  ImageRef ref;
  // The tag follows the last ':' after the last '/'.
  std::size_t slash = text.rfind('/');
  std::size_t colon = text.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    std::string_view tag = text.substr(colon + 1);
    if (tag.empty() || tag.size() > kMaxTagLength || tag.front() == '.' || tag.front() == '-' ||
        !std::all_of(tag.begin(), tag.end(), valid_tag_char)) {
      return invalid("the tag must be 1 to 128 letters, digits, '.', '_' or '-', not starting with '.' or '-'");
    }
    ref.tag = std::string(tag);
    text = text.substr(0, colon);
  }
  if (text.empty() || text.size() > kMaxNameLength) {
    return invalid("the name must be 1 to 255 characters");
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('/', start);
    std::string_view component = text.substr(start, end == std::string_view::npos ? text.npos : end - start);
    if (!valid_component(component)) {
      return invalid(
          "the name must be lowercase letters and digits, separated by single '.', '_' or '-', "
          "in parts joined by '/' (no empty part, no '..', no leading '/')");
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  ref.name = std::string(text);
  return ref;
}

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
