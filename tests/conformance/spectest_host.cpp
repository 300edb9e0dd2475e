#include "conformance/spectest_host.hpp"

#include <string>

namespace tairitsu::conformance {

namespace {

using Args = std::span<const Value>;

HostFunction returns(Value value) {
  return [value](HostContext &, Args) -> Result<Value> { return value; };
}

// Wasmtime's host functions assert with Rust's assert!, which traps the guest.
Result<Value> expect(bool condition, std::string_view what) {
  if (!condition) {
    return Error(ErrorCode::Trap, "assertion failed: " + std::string(what));
  }
  return Value::unit();
}

bool owned(const Value &handle) { return handle.as_resource().owned(); }

}  // namespace

void add_spectest_host(ContainerBuilder &builder, const std::shared_ptr<SpectestState> &state) {
  builder
      .define_function("host-return-two", returns(Value::u32(2)))
      // Concurrent in Wasmtime's runner, but it answers at once: the same as a synchronous answer.
      .define_function("host-echo-u32", [](HostContext &, Args args) -> Result<Value> { return args[0]; })
      .define_function("host#return-three", returns(Value::u32(3)))
      .define_function("host#nested#return-four", returns(Value::u32(4)))
      .define_function("host#return-hi", returns(Value::string("hi")))
      .define_module("host#simple-module", state->simple_module)
      .define_resource("host#resource1",
                       [state](HostContext &, uint32_t rep) -> Result<void> {
                         state->drops += 1;
                         state->last_drop = rep;
                         return {};
                       })
      .define_resource("host#resource2")
      .define_resource_alias("host#resource1-again", "host#resource1")
      .define_function(
          "host#[constructor]resource1",
          [](HostContext &host, Args args) { return host.new_resource("host#resource1", args[0].as_u32()); })
      .define_function("host#[static]resource1.assert",
                       [](HostContext &host, Args args) -> Result<Value> {
                         auto rep = host.resource_rep(args[0]);
                         if (!rep) return std::move(rep).error();
                         return expect(*rep == args[1].as_u32(), "resource.rep() == rep");
                       })
      .define_function("host#[static]resource1.last-drop",
                       [state](HostContext &, Args) -> Result<Value> { return Value::u32(state->last_drop); })
      .define_function("host#[static]resource1.drops",
                       [state](HostContext &, Args) -> Result<Value> { return Value::u32(state->drops); })
      .define_function("host#[method]resource1.simple",
                       [](HostContext &host, Args args) -> Result<Value> {
                         auto rep = host.resource_rep(args[0]);
                         if (!rep) return std::move(rep).error();
                         if (auto r = expect(!owned(args[0]), "!resource.owned()"); !r) return r;
                         return expect(*rep == args[1].as_u32(), "resource.rep() == rep");
                       })
      .define_function("host#[method]resource1.take-borrow",
                       [](HostContext &, Args args) {
                         return expect(!owned(args[0]) && !owned(args[1]), "!a.owned() && !b.owned()");
                       })
      .define_function("host#[method]resource1.take-own", [](HostContext &, Args args) {
        return expect(!owned(args[0]) && owned(args[1]), "!a.owned() && b.owned()");
      });
  // Wasmtime's runner makes these suspend (forever, or for one turn of the
  // event loop). Their imports are `async func`s, which Tairitsu refuses to
  // link with `Unsupported` and the reason, so these bodies never run.
  for (const char *name :
       {"host#never-return", "host#return-two-slowly", "host#echo-slowly", "host#[method]resource1.never-return"}) {
    builder.define_function(name, [](HostContext &host, Args) -> Result<Value> {
      return Error(ErrorCode::Trap, std::string(host.function_name()) + " cannot answer without suspending");
    });
  }
}

}  // namespace tairitsu::conformance
