#pragma once

/// The registry: images by name and tag, containers by name.
///
/// Like a container daemon, a `Registry` keeps images under references
/// ("name:tag", the tag defaulting to "latest") and running containers under
/// names. It is thread-safe; each container it holds is a `SharedContainer`,
/// whose calls are serialized, so any thread may use any container.
///
///     Registry registry;
///     registry.register_image("calc:1.0", *Image::from_file("calc.wasm"));
///     auto calc = registry.create_container("calc-1", "calc:1.0");
///     auto sum = (*calc)->call("add", {Value::s32(1), Value::s32(2)});

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tairitsu/container.hpp"
#include "tairitsu/error.hpp"
#include "tairitsu/image.hpp"
#include "tairitsu/image_ref.hpp"

namespace tairitsu {

/// A container shared between threads: every operation takes its lock.
class SharedContainer {
 public:
  explicit SharedContainer(Container container) : container_(std::move(container)) {}

  Result<Value> call(std::string_view export_name, std::span<const Value> args = {});
  Result<Value> call(std::string_view export_name, std::initializer_list<Value> args);
  void stop();
  Result<void> restart();
  ContainerState state() const;
  const std::string &name() const { return container_.name(); }
  /// Runs `f(Container&)` under the lock and returns what it returns.
  template <typename F>
  auto with(F &&f) {
    std::lock_guard lock(mutex_);
    return f(container_);
  }

 private:
  mutable std::mutex mutex_;
  Container container_;
};

/// Images and containers by name. Thread-safe.
class Registry {
 public:
  explicit Registry(Engine engine = Engine::shared()) : engine_(std::move(engine)) {}

  /// Stores an image under `ref`. `AlreadyExists` if the reference is taken,
  /// `InvalidInput` for a malformed reference.
  Result<void> register_image(std::string_view ref, Image image);
  /// Loads `bytes` (see `Image::load`) with the registry's engine and stores the image.
  Result<Image> register_image(std::string_view ref, std::span<const std::byte> bytes);
  /// The image under `ref`, or nothing.
  std::optional<Image> find_image(std::string_view ref) const;
  /// The image under `ref`; `NotFound` lists the references that exist.
  Result<Image> get_image(std::string_view ref) const;
  /// All references, sorted.
  std::vector<std::string> list_images() const;
  /// Forgets an image. Containers made from it keep running. `NotFound` if absent.
  Result<void> remove_image(std::string_view ref);

  /// Builds a container from the image under `ref` and keeps it under `name`.
  /// `configure` may adjust the builder (capabilities, host functions, limits).
  /// `AlreadyExists` if the name is taken; build errors as `ContainerBuilder::build`.
  Result<std::shared_ptr<SharedContainer>> create_container(
      std::string_view name, std::string_view ref, const std::function<void(ContainerBuilder &)> &configure = {});
  /// Keeps an already built container under its name.
  Result<std::shared_ptr<SharedContainer>> add_container(Container container);
  std::shared_ptr<SharedContainer> find_container(std::string_view name) const;
  Result<std::shared_ptr<SharedContainer>> get_container(std::string_view name) const;
  std::vector<std::string> list_containers() const;
  /// Stops a container and keeps it (it can be restarted). `NotFound` if absent.
  Result<void> stop_container(std::string_view name);
  /// Stops and forgets a container. `NotFound` if absent.
  Result<void> remove_container(std::string_view name);

  const Engine &engine() const { return engine_; }

 private:
  Engine engine_;
  mutable std::mutex mutex_;
  std::map<ImageRef, Image> images_;
  std::map<std::string, std::shared_ptr<SharedContainer>, std::less<>> containers_;
};

}  // namespace tairitsu
