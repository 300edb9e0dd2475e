// Wasmtime errors become Tairitsu errors here, once.

#include <atomic>

#include "engine/bridge.hpp"

namespace tairitsu {

namespace detail {

namespace {

std::string trim(std::string_view s) {
  std::size_t a = s.find_first_not_of(" \t\r\n");
  std::size_t b = s.find_last_not_of(" \t\r\n");
  return a == std::string_view::npos ? std::string() : std::string(s.substr(a, b - a + 1));
}

// Wasmtime's message is anyhow's debug form: the outermost context, maybe a
// rendered backtrace, then "Caused by:" and one numbered cause a line. Keep the
// contexts and causes, outermost first, and drop the rendered backtrace (the
// frames are kept structurally).
std::string readable_message(const std::string &raw) {
  std::vector<std::string> parts;
  std::size_t caused = raw.find("\nCaused by:");
  std::string head = raw.substr(0, caused);
  std::string first_line = trim(head.substr(0, head.find('\n')));
  if (first_line.rfind("error while executing at wasm backtrace", 0) != 0 && !first_line.empty()) {
    parts.push_back(first_line);
  }
  if (caused != std::string::npos) {
    std::string rest = raw.substr(caused + 11);
    std::size_t pos = 0;
    while (pos < rest.size()) {
      std::size_t end = rest.find('\n', pos);
      std::string line = trim(rest.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
      pos = end == std::string::npos ? rest.size() : end + 1;
      // Numbered causes look like "0: message"; a single cause has no number.
      std::size_t colon = line.find(": ");
      if (colon != std::string::npos && colon > 0 && line.find_first_not_of("0123456789") == colon) {
        line = line.substr(colon + 2);
      }
      if (!line.empty() && line.rfind("error while executing at wasm backtrace", 0) != 0 &&
          line.find("!<wasm function") == std::string::npos && line.rfind("at ", 0) != 0 &&
          !(line.size() > 2 && line[0] >= '0' && line[0] <= '9' && line.find(":   0x") != std::string::npos)) {
        parts.push_back(line);
      }
    }
  }
  if (parts.empty()) {
    return trim(raw);
  }
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    out += (i ? ": " : "") + parts[i];
  }
  return out;
}

std::string frame_name(const wasm_name_t *name) { return name ? std::string(name->data, name->size) : std::string(); }

}  // namespace

Error take_error(wasmtime_error_t *raw, ErrorCode code) {
  ErrorPtr error(raw);
  wasm_name_t message;
  wasmtime_error_message(error.get(), &message);
  std::string text(message.data, message.size);
  wasm_byte_vec_delete(&message);

  Error out(code, readable_message(text));

  wasm_frame_vec_t trace;
  wasmtime_error_wasm_trace(error.get(), &trace);
  std::vector<Frame> frames;
  for (std::size_t i = 0; i < trace.size; ++i) {
    const wasm_frame_t *f = trace.data[i];
    frames.push_back(Frame{frame_name(wasmtime_frame_module_name(f)), frame_name(wasmtime_frame_func_name(f)),
                           wasm_frame_func_index(f), wasm_frame_module_offset(f)});
  }
  wasm_frame_vec_delete(&trace);
  out.with_backtrace(std::move(frames));

  int status = 0;
  if (wasmtime_error_exit_status(error.get(), &status)) {
    out.with_exit_status(status);
  }
  return out;
}

ResourceHandle make_resource_handle(wasmtime_component_resource_any_t *any, std::shared_ptr<const StoreLink> store) {
  static std::atomic<uint64_t> next_id{1};
  return ResourceHandle(std::make_shared<EngineResourceSlot>(any, next_id.fetch_add(1), std::move(store)));
}

Result<uint32_t> host_rep_of(
    const Value &handle, std::string_view what, std::string_view reading,
    const std::function<wasmtime_error_t *(const wasmtime_component_resource_any_t *, uint32_t *)> &read) {
  std::string article = what.find_first_of("aeiou") == 0 ? "an " : "a ";
  if (handle.kind() != TypeKind::Own && handle.kind() != TypeKind::Borrow) {
    return Error(ErrorCode::TypeMismatch,
                 "expected " + article + std::string(what) + " handle, found " + handle.to_string());
  }
  auto *slot = dynamic_cast<EngineResourceSlot *>(handle.as_resource().slot().get());
  if (!slot) {
    return Error(ErrorCode::InvalidInput, "the " + std::string(what) + " handle was not made by a container");
  }
  if (slot->host_rep) {
    return *slot->host_rep;
  }
  uint32_t rep = 0;
  if (wasmtime_error_t *err = read(slot->any, &rep)) {
    return take_error(err, ErrorCode::TypeMismatch).with_context(std::string(reading));
  }
  slot->host_rep = rep;
  slot->dropped = true;
  return rep;
}

Result<void> EngineResourceSlot::drop() {
  if (!owned) {
    return Error(ErrorCode::InvalidInput, "a borrowed resource handle cannot be dropped");
  }
  if (dropped) {
    return Error(ErrorCode::InvalidInput, "the resource handle was already dropped");
  }
  if (!store || !store->context) {
    return Error(ErrorCode::InvalidInput, "the container that made this resource handle has stopped");
  }
  if (wasmtime_error_t *err = stream == Stream::None
                                  ? store->drop(any)
                                  : tairitsu_wasi_stream_drop(store->context, any, stream == Stream::Output)) {
    return take_error(err, ErrorCode::Trap).with_context("dropping a resource");
  }
  dropped = true;
  return {};
}

wasmtime_error_t *release_borrows(const Value &value) {
  switch (value.kind()) {
    case TypeKind::Own:
    case TypeKind::Borrow: {
      auto *slot = dynamic_cast<EngineResourceSlot *>(value.as_resource().slot().get());
      if (!slot || slot->owned || slot->dropped || !slot->store || !slot->store->context) return nullptr;
      slot->dropped = true;
      return slot->store->drop(slot->any);
    }
    case TypeKind::List:
      // Items share one type: a list of numbers or strings holds no handle.
      if (value.items().empty() || value.items()[0].kind() <= TypeKind::String) return nullptr;
      [[fallthrough]];
    case TypeKind::Tuple:
      for (const Value &item : value.items()) {
        if (wasmtime_error_t *err = release_borrows(item)) return err;
      }
      return nullptr;
    case TypeKind::Record:
      for (const Field &field : value.as_record().fields) {
        if (wasmtime_error_t *err = release_borrows(field.value)) return err;
      }
      return nullptr;
    case TypeKind::Variant:
    case TypeKind::Option:
    case TypeKind::Result: return value.payload() ? release_borrows(*value.payload()) : nullptr;
    default: return nullptr;
  }
}

}  // namespace detail

}  // namespace tairitsu
