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

void print_item(const WorldItem &item) {
  std::cout << "  " << (item.interface_name.empty() ? "" : item.interface_name + "#") << item.signature() << "\n";
}

// 1. Register the guest as an image, like pulling an image into a daemon.
Result<void> register_showcase(Registry &registry, const char *path) {
  auto image = Image::from_file(path);
  if (!image) {
    return std::move(image).error();
  }
  if (auto r = registry.register_image("showcase:0.1.0", *image); !r) {
    return r;
  }
  std::cout << "image showcase:0.1.0  " << image->digest().substr(0, 19) << "...  " << image->size()
            << " bytes\n\nexports:\n";
  for (const WorldItem &item : image->exports()) {
    if (item.kind == WorldItem::Kind::Function) {
      print_item(item);
    }
  }
  std::cout << "imports:\n";
  for (const WorldItem &item : image->imports()) {
    if (item.kind != WorldItem::Kind::Interface && item.interface_name.rfind("wasi:", 0) != 0) {
      print_item(item);
    }
  }
  return {};
}

// 2. Run a container: the host answers the guest's imports.
void define_host(ContainerBuilder &b) {
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
}

// One call into the guest, shown with its arguments and its result.
Value show(SharedContainer &container, const std::string &name, std::vector<Value> args) {
  std::string shown;
  for (const Value &a : args) {
    shown += (shown.empty() ? "" : ", ") + a.to_string();
  }
  std::cout << "\n> " << name << "(" << shown << ")\n";
  auto result = container.call(name, args);
  if (!result) {
    std::cout << "  error: " << result.error() << "\n";
    return Value();
  }
  std::cout << "  = " << result->to_string() << "\n";
  return *result;
}

// 3. Call into the guest.
Result<void> call_guest(SharedContainer &container) {
  show(container, "add", {Value::s32(20), Value::s32(22)});
  show(container, "banner", {});
  show(container, api("greet"), {Value::string("Tairitsu")});
  show(container, api("sum"), {Value::list({Value::s32(1), Value::s32(2), Value::s32(3)})});
  show(container, api("parse-number"), {Value::string("forty-two")});
  show(container, api("area"), {Value::variant("circle", Value::f64(1.0))});
  // These come back to the host while the guest runs.
  show(container, api("roundtrip"), {Value::record({{"x", Value::s32(1)}, {"y", Value::s32(2)}})});
  show(container, api("describe"), {Value::string("motto")});
  show(container, api("use-session"), {Value::string("alpha")});
  // A guest resource held by the host.
  Value counter = show(container, api("[constructor]counter"), {Value::s32(41)});
  show(container, api("[method]counter.increment"), {counter});
  return container.with([&](Container &c) { return c.drop_resource(counter); });
}

// 4. The same calls written as text, in WAVE, RON and JSON.
void call_with_text(SharedContainer &container) {
  auto text = [&](std::string_view call, TextFormat format) {
    auto result = container.with([&](Container &c) { return c.invoke(call, format); });
    std::cout << "\n> [" << to_string(format) << "] " << call
              << "\n  = " << (result ? *result : result.error().to_string()) << "\n";
  };
  text("scale({x: 1, y: 2}, 10)", TextFormat::Wave);
  text("area(Rectangle((x: 3, y: 4)))", TextFormat::Ron);
  text("parse-number(\"12\")", TextFormat::Wave);
  auto json = container.with([](Container &c) {
    return c.call_text("tairitsu:showcase/api@0.1.0#pair", R"({"a": 7, "b": "ab"})", TextFormat::Json);
  });
  std::cout << "\n> [json] pair {\"a\": 7, \"b\": \"ab\"}\n  = " << (json ? *json : json.error().to_string()) << "\n";
}

// 5. A trap fails the container, not the host; restart brings it back.
Result<void> trap_and_restart(SharedContainer &container) {
  show(container, api("fail"), {Value::string("deliberate failure")});
  std::cout << "  container state: " << to_string(container.state()) << "\n";
  if (auto r = container.restart(); !r) {
    return r;
  }
  show(container, "add", {Value::s32(1), Value::s32(1)});
  std::cout << "\ncontainer state: " << to_string(container.state()) << "\n";
  return {};
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: demo SHOWCASE.wasm\n";
    return 2;
  }
  Registry registry;
  if (auto r = register_showcase(registry, argv[1]); !r) {
    return fail(r.error());
  }
  auto container = registry.create_container("demo", "showcase:0.1.0", define_host);
  if (!container) {
    return fail(container.error());
  }
  if (auto r = call_guest(**container); !r) {
    return fail(r.error());
  }
  call_with_text(**container);
  if (auto r = trap_and_restart(**container); !r) {
    return fail(r.error());
  }
  return 0;
}
