#pragma once

// A host for the showcase guest (tests/fixtures/showcase): every import served,
// with what the guest sent recorded in the host state.

#include "support.hpp"

namespace tairitsu::testing {

inline constexpr const char *kHost = "tairitsu:showcase/host@0.1.0";
inline constexpr const char *kApi = "tairitsu:showcase/api@0.1.0";

inline std::string host_item(const char *item) { return std::string(kHost) + "#" + item; }
inline std::string api(const char *item) { return std::string(kApi) + "#" + item; }

struct ShowcaseState {
  std::vector<std::string> logs;
  std::vector<std::string> sessions;  // by rep - 1
  std::vector<uint32_t> dropped;
  int transforms = 0;
};

inline Value point(int32_t x, int32_t y) { return Value::record({{"x", Value::s32(x)}, {"y", Value::s32(y)}}); }

/// A builder with every import of the showcase guest defined.
inline ContainerBuilder showcase_builder() {
  ContainerBuilder b(fixture_image("showcase.wasm"));
  b.name("showcase").state(ShowcaseState{}).stderr_mode(StdioMode::Capture);
  b.define_function("host-version", [](HostContext &, std::span<const Value>) -> Result<Value> {
    return Value::string("tairitsu-test");
  });
  b.define_function(host_item("log"), [](HostContext &ctx, std::span<const Value> args) -> Result<Value> {
    ctx.state<ShowcaseState>()->logs.push_back(args[0].as_string());
    return Value::unit();
  });
  b.define_function(host_item("transform"), [](HostContext &ctx, std::span<const Value> args) -> Result<Value> {
    ctx.state<ShowcaseState>()->transforms++;
    int32_t x = args[0].field("x")->as_s32();
    int32_t y = args[0].field("y")->as_s32();
    return point(x + 1, y + 10);
  });
  b.define_function(host_item("lookup"), [](HostContext &, std::span<const Value> args) -> Result<Value> {
    if (args[0].as_string() == "colour") {
      return Value::some(Value::string("teal"));
    }
    return Value::none();
  });
  b.define_resource(host_item("session"), [](HostContext &ctx, uint32_t rep) -> Result<void> {
    ctx.state<ShowcaseState>()->dropped.push_back(rep);
    return {};
  });
  b.define_function(host_item("[constructor]session"),
                    [](HostContext &ctx, std::span<const Value> args) -> Result<Value> {
                      auto *state = ctx.state<ShowcaseState>();
                      state->sessions.push_back(args[0].as_string());
                      return ctx.new_resource(host_item("session"), static_cast<uint32_t>(state->sessions.size()));
                    });
  b.define_function(host_item("[method]session.name"),
                    [](HostContext &ctx, std::span<const Value> args) -> Result<Value> {
                      auto rep = ctx.resource_rep(args[0]);
                      if (!rep) {
                        return std::move(rep).error();
                      }
                      return Value::string(ctx.state<ShowcaseState>()->sessions.at(*rep - 1));
                    });
  return b;
}

}  // namespace tairitsu::testing
