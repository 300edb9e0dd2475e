// A guest initializer: Wasmtime's own C API, for what Tairitsu does not wrap.
// The initializer runs after WASI and the host's definitions are linked and
// before instantiation; here it defines the bench guest's import
// `tairitsu:bench/host@0.1.0#bounce` directly on the engine's linker.
//
//   guest_init path/to/bench_guest.wasm

#include <iostream>
#include <string_view>

#include "tairitsu/guest_init.hpp"
#include "tairitsu/tairitsu.hpp"

using namespace tairitsu;

namespace {

// bounce(x) = x + 1, as a raw C API host function.
wasmtime_error_t *bounce(void *, wasmtime_context_t *, const wasmtime_component_func_type_t *,
                         wasmtime_component_val_t *args, size_t nargs, wasmtime_component_val_t *results,
                         size_t nresults) {
  if (nargs != 1 || nresults != 1 || args[0].kind != WASMTIME_COMPONENT_S32) {
    return wasmtime_error_new("bounce: expected one s32");
  }
  results[0].kind = WASMTIME_COMPONENT_S32;
  results[0].of.s32 = args[0].of.s32 + 1;
  return nullptr;
}

Result<void> define_bounce(GuestInitContext &ctx) {
  constexpr std::string_view interface = "tairitsu:bench/host@0.1.0";
  constexpr std::string_view function = "bounce";
  wasmtime_component_linker_instance_t *root = wasmtime_component_linker_root(ctx.linker);
  wasmtime_component_linker_instance_t *host = nullptr;
  wasmtime_error_t *err =
      wasmtime_component_linker_instance_add_instance(root, interface.data(), interface.size(), &host);
  if (!err) {
    err = wasmtime_component_linker_instance_add_func(host, function.data(), function.size(), bounce, nullptr, nullptr);
    wasmtime_component_linker_instance_delete(host);
  }
  wasmtime_component_linker_instance_delete(root);
  if (err) {
    wasm_name_t message;
    wasmtime_error_message(err, &message);
    std::string text(message.data, message.size);
    wasm_byte_vec_delete(&message);
    wasmtime_error_delete(err);
    return Error(ErrorCode::LinkError, "defining bounce in '" + ctx.container_name + "': " + text);
  }
  return {};
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: guest_init path/to/bench_guest.wasm\n";
    return 2;
  }
  auto image = Image::from_file(argv[1]);
  if (!image) {
    std::cerr << image.error() << "\n";
    return 1;
  }
  auto container = ContainerBuilder(*image).name("raw").guest_initializer(define_bounce).build();
  if (!container) {
    std::cerr << container.error() << "\n";
    return 1;
  }
  auto result = container->call("round-trip", {Value::s32(20)});  // bounce(20) * 2
  if (!result) {
    std::cerr << result.error() << "\n";
    return 1;
  }
  std::cout << "round-trip(20) = " << result->as_s32() << "\n";
  return result->as_s32() == 42 ? 0 : 1;
}
