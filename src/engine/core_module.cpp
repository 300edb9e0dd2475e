// CoreModule: core WebAssembly modules compiled for an engine, to be given to
// a component that imports one.

#include "engine/core_module_state.hpp"
#include "engine/image_state.hpp"

namespace tairitsu {

Result<CoreModule> CoreModule::load(std::span<const std::byte> bytes, const Engine &engine) {
  switch (detail::classify(bytes)) {
    case detail::BinaryKind::CoreModule: break;
    case detail::BinaryKind::Text:
      return from_wat(std::string_view(reinterpret_cast<const char *>(bytes.data()), bytes.size()), engine);
    case detail::BinaryKind::Component:
      return Error(ErrorCode::InvalidInput, "this is a component, not a core module; load it as an Image");
    case detail::BinaryKind::Precompiled:
      return Error(ErrorCode::InvalidInput, "precompiled core modules are not supported; give the module's bytes");
    case detail::BinaryKind::Unknown: return Error(ErrorCode::InvalidInput, detail::describe_start(bytes));
  }
  wasmtime_module_t *raw = nullptr;
  if (wasmtime_error_t *err = wasmtime_module_new(
          engine.state()->raw(), reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size(), &raw)) {
    return detail::take_error(err, ErrorCode::InvalidInput).with_context("compiling core module");
  }
  return CoreModule(
      std::make_shared<const detail::CoreModuleState>(detail::CoreModuleState{engine, detail::ModulePtr(raw)}));
}

Result<CoreModule> CoreModule::from_wat(std::string_view wat, const Engine &engine) {
  auto bytes = detail::wat_to_binary(wat);
  if (!bytes) {
    return std::move(bytes).error();
  }
  if (detail::classify(*bytes) != detail::BinaryKind::CoreModule) {
    return Error(ErrorCode::InvalidInput, "the WAT text is a component, not a core module; load it as an Image");
  }
  return load(*bytes, engine);
}

}  // namespace tairitsu
