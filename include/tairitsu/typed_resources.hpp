#pragma once

/// Resources in typed calls: `Own<T>` (an owned handle, dropped when it goes
/// out of scope) and `Borrow<T>`, for a tag type `T` named with
/// `WitResource<T>`; also host objects handed to the guest (`Own<T>::native`).

#include <memory>
#include <typeinfo>

#include "tairitsu/wit_traits.hpp"

namespace tairitsu {

namespace detail {
/// A resource that lives in the host process rather than in a guest: the
/// object behind an `Own<T>` made by `Own<T>::native`.
struct NativeResourceSlot final : ResourceSlot {
  NativeResourceSlot(std::shared_ptr<void> object, const std::type_info &type)
      : ResourceSlot(next_id(), true), object(std::move(object)), type(type) {}
  Result<void> drop() override {
    if (!object) return Error(ErrorCode::InvalidInput, "the resource handle was already dropped");
    object.reset();
    return {};
  }
  static uint64_t next_id() {
    static std::atomic<uint64_t> counter{uint64_t{1} << 48};
    return counter.fetch_add(1);
  }
  std::shared_ptr<void> object;
  const std::type_info &type;
};
}  // namespace detail

template <typename T>
class Own;

/// A borrowed resource handle, as a guest's `borrow<T>` parameter: valid for
/// the call it is passed to. Get one from `Own<T>::borrow()`.
template <typename T>
class Borrow {
 public:
  explicit Borrow(ResourceHandle handle) : handle_(std::move(handle)) {}
  const ResourceHandle &handle() const { return handle_; }
  /// The host object behind a resource made by `Own<T>::native`, or null when
  /// the resource lives in a guest or holds another type.
  template <typename Impl>
  Impl *native() const {
    auto *slot = dynamic_cast<detail::NativeResourceSlot *>(handle_.slot().get());
    if (!slot || slot->type != typeid(Impl)) return nullptr;
    return static_cast<Impl *>(slot->object.get());
  }

 private:
  ResourceHandle handle_;
};

/// An owned resource handle. Move-only; when it goes out of scope the resource
/// is dropped (its destructor runs where it lives). Passing it to a function
/// that takes `own<T>` moves it: `f(std::move(handle))`.
template <typename T>
class Own {
 public:
  Own() : handle_(nullptr) {}
  explicit Own(ResourceHandle handle) : handle_(std::move(handle)) {}
  /// A resource implemented by a host object, for native implementations of
  /// a generated interface; `Borrow<T>::native<Impl>()` finds the object again.
  template <typename Impl>
  static Own native(std::shared_ptr<Impl> object) {
    return Own(ResourceHandle(
        std::make_shared<detail::NativeResourceSlot>(std::static_pointer_cast<void>(std::move(object)), typeid(Impl))));
  }
  Own(Own &&other) noexcept : handle_(other.release()) {}
  Own &operator=(Own &&other) noexcept {
    if (this != &other) {
      reset();
      handle_ = other.release();
    }
    return *this;
  }
  Own(const Own &) = delete;
  Own &operator=(const Own &) = delete;
  ~Own() { reset(); }

  explicit operator bool() const { return handle_.slot() != nullptr; }
  Borrow<T> borrow() const { return Borrow<T>(handle_); }
  const ResourceHandle &handle() const { return handle_; }
  /// Gives up ownership without dropping.
  ResourceHandle release() { return std::exchange(handle_, ResourceHandle(nullptr)); }
  /// Drops now, reporting a failing destructor (the destructor only ignores it).
  Result<void> drop() {
    ResourceHandle h = release();
    return h.slot() ? h.drop() : Result<void>();
  }

 private:
  void reset() {
    if (handle_.slot()) (void)release().drop();
  }
  ResourceHandle handle_;
};

template <typename T>
struct WitTraits<Own<T>> {
  static Type type() { return Type::own(WitResource<T>::name); }
  static Value to_value(Own<T> &&v) { return Value::resource(v.release()); }
  static Result<Own<T>> from_value(const Value &v) {
    if (v.kind() != TypeKind::Own || !v.as_resource().owned()) return detail::value_mismatch(type(), v);
    return Own<T>(v.as_resource());
  }
};

template <typename T>
struct WitTraits<Borrow<T>> {
  static Type type() { return Type::borrow(WitResource<T>::name); }
  static Value to_value(const Borrow<T> &v) { return Value::resource(v.handle()); }
  static Result<Borrow<T>> from_value(const Value &v) {
    if (v.kind() != TypeKind::Own && v.kind() != TypeKind::Borrow) return detail::value_mismatch(type(), v);
    return Borrow<T>(v.as_resource());
  }
};

}  // namespace tairitsu
