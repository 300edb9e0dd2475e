// The demo: a host program that registers a guest image, lists what it
// exports, runs it as a container with host functions, and calls into it,
// including calls that come back to the host.
//
//   demo path/to/showcase.wasm

#include <iostream>

#include "tairitsu/tairitsu.hpp"

using namespace tairitsu;

namespace {

constexpr const char *kHost = "tairitsu:showcase/host@0.1.0";
constexpr const char *kApi = "tairitsu:showcase/api@0.1.0";

std::string host(const char *item) { return std::string(kHost) + "#" + item; }
std::string api(const char *item) { return std::string(kApi) + "#" + item; }

// What the host remembers between calls: the names of the sessions it made.
struct HostState {
  std::vector<std::string> sessions;
};

int fail(const Error &error) {
  std::cerr << "demo: " << error << "\n";
  return 1;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: demo SHOWCASE.wasm\n";
    return 2;
  }

  // 1. Register the guest as an image, like pulling an image into a daemon.
  Registry registry;
  auto image = Image::from_file(argv[1]);
  if (!image) {
    return fail(image.error());
  }
  if (auto r = registry.register_image("showcase:0.1.0", *image); !r) {
    return fail(r.error());
  }
  std::cout << "image showcase:0.1.0  " << image->digest().substr(0, 19) << "...  " << image->size()
            << " bytes\n\nexports:\n";
  for (const WorldItem &item : image->exports()) {
    if (item.kind == WorldItem::Kind::Function) {
      std::cout << "  " << (item.interface_name.empty() ? "" : item.interface_name + "#") << item.signature() << "\n";
    }
  }
  std::cout << "imports:\n";
  for (const WorldItem &item : image->imports()) {
    if (item.kind != WorldItem::Kind::Interface && item.interface_name.rfind("wasi:", 0) != 0) {
      std::cout << "  " << (item.interface_name.empty() ? "" : item.interface_name + "#") << item.signature() << "\n";
    }
  }

  // 2. Run a container: the host answers the guest's imports.
  auto container = registry.create_container("demo", "showcase:0.1.0", [](ContainerBuilder &b) {
    b.state(HostState{});
    b.limits({.memory_bytes = 16 << 20, .fuel = 50'000'000, .timeout = std::chrono::seconds(2)});
    b.define_function("host-version", [](HostContext &, std::span<const Value>) -> Result<Value> {
      return Value::string("tairitsu demo");
    });
    b.define_function(host("log"), [](HostContext &, std::span<const Value> args) -> Result<Value> {
      std::cout << "  [guest log] " << args[0].as_string() << "\n";
      return Value::unit();
    });
    b.define_function(host("transform"), [](HostContext &, std::span<const Value> args) -> Result<Value> {
      const Value &p = args[0];
      std::cout << "  [host] transform " << p.to_string() << "\n";
      return Value::record(
          {{"x", Value::s32(p.field("x")->as_s32() * 10)}, {"y", Value::s32(p.field("y")->as_s32() * 10)}});
    });
    b.define_function(host("lookup"), [](HostContext &, std::span<const Value> args) -> Result<Value> {
      return args[0].as_string() == "motto" ? Value::some(Value::string("conflict and harmony")) : Value::none();
    });
    b.define_resource(host("session"), [](HostContext &ctx, uint32_t rep) -> Result<void> {
      std::cout << "  [host] session '" << ctx.state<HostState>()->sessions.at(rep) << "' closed\n";
      return {};
    });
    b.define_function(host("[constructor]session"), [](HostContext &ctx, std::span<const Value> args) -> Result<Value> {
      auto &sessions = ctx.state<HostState>()->sessions;
      sessions.push_back(args[0].as_string());
      return ctx.new_resource(host("session"), static_cast<uint32_t>(sessions.size() - 1));
    });
    b.define_function(host("[method]session.name"), [](HostContext &ctx, std::span<const Value> args) -> Result<Value> {
      auto rep = ctx.resource_rep(args[0]);
      if (!rep) {
        return std::move(rep).error();
      }
      return Value::string(ctx.state<HostState>()->sessions.at(*rep));
    });
  });
  if (!container) {
    return fail(container.error());
  }

  // 3. Call into the guest.
  auto show = [&](const std::string &name, std::vector<Value> args) {
    std::string shown;
    for (const Value &a : args) {
      shown += (shown.empty() ? "" : ", ") + a.to_string();
    }
    std::cout << "\n> " << name << "(" << shown << ")\n";
    auto result = (*container)->call(name, args);
    if (!result) {
      std::cout << "  error: " << result.error() << "\n";
      return Value();
    }
    std::cout << "  = " << result->to_string() << "\n";
    return *result;
  };
  show("add", {Value::s32(20), Value::s32(22)});
  show("banner", {});
  show(api("greet"), {Value::string("Tairitsu")});
  show(api("sum"), {Value::list({Value::s32(1), Value::s32(2), Value::s32(3)})});
  show(api("parse-number"), {Value::string("forty-two")});
  show(api("area"), {Value::variant("circle", Value::f64(1.0))});
  // These come back to the host while the guest runs.
  show(api("roundtrip"), {Value::record({{"x", Value::s32(1)}, {"y", Value::s32(2)}})});
  show(api("describe"), {Value::string("motto")});
  show(api("use-session"), {Value::string("alpha")});
  // A guest resource held by the host.
  Value counter = show(api("[constructor]counter"), {Value::s32(41)});
  show(api("[method]counter.increment"), {counter});
  if (auto dropped = (*container)->with([&](Container &c) { return c.drop_resource(counter); }); !dropped) {
    return fail(dropped.error());
  }

  // 4. The same calls written as text, in WAVE, RON and JSON.
  auto text = [&](std::string_view call, TextFormat format) {
    auto result = (*container)->with([&](Container &c) { return c.invoke(call, format); });
    std::cout << "\n> [" << to_string(format) << "] " << call
              << "\n  = " << (result ? *result : result.error().to_string()) << "\n";
  };
  text("scale({x: 1, y: 2}, 10)", TextFormat::Wave);
  text("area(Rectangle((x: 3, y: 4)))", TextFormat::Ron);
  text("parse-number(\"12\")", TextFormat::Wave);
  auto json = (*container)->with([](Container &c) {
    return c.call_text("tairitsu:showcase/api@0.1.0#pair", R"({"a": 7, "b": "ab"})", TextFormat::Json);
  });
  std::cout << "\n> [json] pair {\"a\": 7, \"b\": \"ab\"}\n  = " << (json ? *json : json.error().to_string()) << "\n";

  // 5. A trap fails the container, not the host; restart brings it back.
  show(api("fail"), {Value::string("deliberate failure")});
  std::cout << "  container state: " << to_string((*container)->state()) << "\n";
  if (auto r = (*container)->restart(); !r) {
    return fail(r.error());
  }
  show("add", {Value::s32(1), Value::s32(1)});
  std::cout << "\ncontainer state: " << to_string((*container)->state()) << "\n";
  return 0;
}
