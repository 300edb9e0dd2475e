// What a host links besides functions: core modules given to a component and
// taken out of one, instances nested in imported instances, resources under
// two names, borrows lent to host methods, and engine features.

#include <gtest/gtest.h>

#include "tairitsu/tairitsu.hpp"

namespace tairitsu {
namespace {

Image component(std::string_view wat, const Engine &engine = Engine::shared()) {
  auto image = Image::from_wat(wat, engine);
  EXPECT_TRUE(image) << image.error();
  return *image;
}

// Imports a core module that exports `f`, instantiates it, and re-exports `f`.
constexpr std::string_view kModuleUser = R"(
  (component
    (import "env" (instance $env
      (export "helpers" (core module
        (export "f" (func (result i32)))))))
    (alias export $env "helpers" (core module $helpers))
    (core instance $i (instantiate $helpers))
    (func (export "f") (result u32) (canon lift (core func $i "f"))))
)";

constexpr std::string_view kHelpers = "(module (func (export \"f\") (result i32) i32.const 101))";

TEST(CoreModules, AComponentInstantiatesTheModuleTheHostGives) {
  auto helpers = CoreModule::from_wat(kHelpers);
  ASSERT_TRUE(helpers) << helpers.error();
  auto container = ContainerBuilder(component(kModuleUser)).wasi(false).define_module("env#helpers", *helpers).build();
  ASSERT_TRUE(container) << container.error();
  EXPECT_EQ(container->call("f", {}).value(), Value::u32(101));
}

TEST(CoreModules, AMissingModuleIsNamedWhenLinkingFails) {
  auto container = ContainerBuilder(component(kModuleUser)).wasi(false).build();
  ASSERT_FALSE(container);
  EXPECT_EQ(container.error().code(), ErrorCode::LinkError);
  EXPECT_NE(container.error().message().find("env#module helpers"), std::string::npos) << container.error();
}

TEST(CoreModules, BadModulesAreRefusedWithTheReason) {
  auto text = CoreModule::from_wat("(module (func (export \"f\") (result i32)))");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code(), ErrorCode::InvalidInput);
  EXPECT_NE(text.error().message().find("type mismatch"), std::string::npos) << text.error();

  auto a_component = CoreModule::from_wat("(component)");
  ASSERT_FALSE(a_component);
  EXPECT_NE(a_component.error().message().find("load it as an Image"), std::string::npos) << a_component.error();

  const std::byte junk[] = {std::byte{1}, std::byte{2}};
  EXPECT_FALSE(CoreModule::load(junk));
}

TEST(CoreModules, AModuleOfAnotherEngineIsRefused) {
  EngineConfig config;
  config.fuel = false;
  auto other = Engine::create(config);
  ASSERT_TRUE(other) << other.error();
  auto helpers = CoreModule::from_wat(kHelpers, *other);
  ASSERT_TRUE(helpers) << helpers.error();
  auto container = ContainerBuilder(component(kModuleUser)).wasi(false).define_module("env#helpers", *helpers).build();
  ASSERT_FALSE(container);
  EXPECT_NE(container.error().message().find("another engine"), std::string::npos) << container.error();
}

TEST(CoreModules, AnExportedModuleServesAnotherContainer) {
  auto exporter = ContainerBuilder(component(R"(
    (component
      (core module $m (func (export "f") (result i32) i32.const 7))
      (export "helpers" (core module $m)))
  )"))
                      .wasi(false)
                      .build();
  ASSERT_TRUE(exporter) << exporter.error();
  auto module = exporter->exported_module("helpers");
  ASSERT_TRUE(module) << module.error();
  EXPECT_EQ(exporter->exported_module("nothing").error().code(), ErrorCode::NotFound);

  auto user = ContainerBuilder(component(kModuleUser)).wasi(false).define_module("env#helpers", *module).build();
  ASSERT_TRUE(user) << user.error();
  EXPECT_EQ(user->call("f", {}).value(), Value::u32(7));
}

TEST(NestedInstances, AFunctionOfANestedInstanceIsNamedByItsPath) {
  auto image = component(R"(
    (component
      (import "host" (instance $host
        (export "nested" (instance
          (export "four" (func (result u32)))))))
      (alias export $host "nested" (instance $nested))
      (alias export $nested "four" (func $four))
      (core func $four_lowered (canon lower (func $four)))
      (core module $m
        (import "" "four" (func $four (result i32)))
        (func (export "call") (result i32) (i32.add (call $four) (i32.const 1))))
      (core instance $i (instantiate $m (with "" (instance (export "four" (func $four_lowered))))))
      (func (export "five") (result u32) (canon lift (core func $i "call"))))
  )");
  auto container =
      ContainerBuilder(image)
          .wasi(false)
          .define_function("host#nested#four",
                           [](HostContext &, std::span<const Value>) -> Result<Value> { return Value::u32(4); })
          .build();
  ASSERT_TRUE(container) << container.error();
  EXPECT_EQ(container->call("five", {}).value(), Value::u32(5));
}

// A host resource imported twice, the second time as equal to the first; its
// constructor and a method that borrows it.
constexpr std::string_view kTwoNames = R"(
  (component
    (import "host" (instance $host
      (export "thing" (type $t (sub resource)))
      (export "thing-again" (type (eq $t)))
      (export "[constructor]thing" (func (param "rep" u32) (result (own $t))))
      (export "[method]thing.rep" (func (param "self" (borrow $t)) (result u32)))
      (export "[method]thing.touch" (func (param "self" (borrow $t))))))
    (alias export $host "thing" (type $t))
    (alias export $host "[constructor]thing" (func $new))
    (alias export $host "[method]thing.rep" (func $rep))
    (alias export $host "[method]thing.touch" (func $touch))
    (core func $new (canon lower (func $new)))
    (core func $rep (canon lower (func $rep)))
    (core func $touch (canon lower (func $touch)))
    (core func $drop (canon resource.drop $t))
    (core module $m
      (import "" "new" (func $new (param i32) (result i32)))
      (import "" "rep" (func $rep (param i32) (result i32)))
      (import "" "drop" (func $drop (param i32)))
      (import "" "touch" (func $touch (param i32)))
      (func (export "round-trip") (param i32) (result i32)
        (local $h i32) (local $r i32)
        (local.set $h (call $new (local.get 0)))
        (call $touch (local.get $h))
        (local.set $r (call $rep (local.get $h)))
        (local.set $r (call $rep (local.get $h)))
        (call $drop (local.get $h))
        (local.get $r)))
    (core instance $i (instantiate $m (with "" (instance
      (export "new" (func $new)) (export "rep" (func $rep)) (export "drop" (func $drop))
      (export "touch" (func $touch))))))
    (func (export "round-trip") (param "rep" u32) (result u32) (canon lift (core func $i "round-trip"))))
)";

// On a plain engine and on a concurrent one (component-model async), where
// calls run on a fiber and a plain handle drop would be refused as blocking.
class HostResources : public ::testing::TestWithParam<bool> {
 protected:
  Engine engine() {
    EngineConfig config;
    config.component_model_async = GetParam();
    auto engine = Engine::create(config);
    EXPECT_TRUE(engine) << engine.error();
    return *engine;
  }
};

TEST_P(HostResources, AnAliasIsTheSameTypeAndBorrowsEndWithTheHostCall) {
  auto drops = std::make_shared<std::vector<uint32_t>>();
  auto container =
      ContainerBuilder(component(kTwoNames, engine()))
          .wasi(false)
          .define_resource("host#thing",
                           [drops](HostContext &, uint32_t rep) -> Result<void> {
                             drops->push_back(rep);
                             return {};
                           })
          .define_resource_alias("host#thing-again", "host#thing")
          .define_function("host#[constructor]thing",
                           [](HostContext &host, std::span<const Value> args) {
                             return host.new_resource("host#thing-again", args[0].as_u32());
                           })
          .define_function("host#[method]thing.rep",
                           [](HostContext &host, std::span<const Value> args) -> Result<Value> {
                             EXPECT_FALSE(args[0].as_resource().owned());
                             auto rep = host.resource_rep(args[0]);
                             if (!rep) return std::move(rep).error();
                             return Value::u32(*rep);
                           })
          .define_function("host#[method]thing.touch",
                           [](HostContext &, std::span<const Value>) -> Result<Value> { return Value::unit(); })
          .build();
  ASSERT_TRUE(container) << container.error();
  // Borrows lent to the methods in one export call: each is released when
  // its method returns (read or not), or Wasmtime would trap at the end of
  // the call.
  EXPECT_EQ(container->call("round-trip", {Value::u32(42)}).value(), Value::u32(42));
  EXPECT_EQ(*drops, std::vector<uint32_t>{42});
}

INSTANTIATE_TEST_SUITE_P(Engines, HostResources, ::testing::Bool(),
                         [](const auto &info) { return info.param ? "Concurrent" : "Plain"; });

TEST(HostResourceAliases, AnAliasOfNothingIsALinkError) {
  auto container = ContainerBuilder(component(kTwoNames))
                       .wasi(false)
                       .define_resource_alias("host#thing", "host#nothing")
                       .trap_unknown_imports()
                       .build();
  ASSERT_FALSE(container);
  EXPECT_EQ(container.error().code(), ErrorCode::LinkError);
  EXPECT_NE(container.error().message().find("alias of 'host#nothing'"), std::string::npos) << container.error();
}

TEST(EngineFeatures, ProposalsAreSwitchedByName) {
  constexpr std::string_view kTwoMemories = R"(
    (component
      (core module $m (memory 1) (memory 1) (func (export "f") (result i32) i32.const 1))
      (core instance $i (instantiate $m))
      (func (export "f") (result u32) (canon lift (core func $i "f"))))
  )";
  EngineConfig config;
  config.features = {{"multi_memory", false}};
  auto without = Engine::create(config);
  ASSERT_TRUE(without) << without.error();
  auto refused = Image::from_wat(kTwoMemories, *without);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message().find("multiple memories"), std::string::npos) << refused.error();

  config.features = {{"multi_memory", true}};
  auto with = Engine::create(config);
  ASSERT_TRUE(with) << with.error();
  EXPECT_TRUE(Image::from_wat(kTwoMemories, *with));
  EXPECT_NE(config.fingerprint(), EngineConfig().fingerprint());
}

TEST(EngineFeatures, UnknownOrRefusedSettingsAreErrors) {
  EngineConfig config;
  config.features = {{"teleportation", true}};
  auto unknown = Engine::create(config);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message().find("unknown feature 'teleportation'"), std::string::npos);

  config.features = {{"component_model_async", true}};
  auto misplaced = Engine::create(config);
  ASSERT_FALSE(misplaced);
  EXPECT_NE(misplaced.error().message().find("EngineConfig::component_model_async"), std::string::npos);

  // Wasmtime's own reason for refusing a combination.
  config.features = {{"simd", false}, {"relaxed_simd", true}};
  auto refused = Engine::create(config);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::InvalidInput);
  EXPECT_NE(refused.error().message().find("cannot disable the simd proposal but enable the relaxed simd"),
            std::string::npos)
      << refused.error();
}

}  // namespace
}  // namespace tairitsu
