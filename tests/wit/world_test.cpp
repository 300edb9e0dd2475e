// WIT worlds loaded at run time, and images checked against them.

#include <gmock/gmock.h>

#include "support.hpp"

namespace tairitsu {
namespace {

using namespace testing;

std::filesystem::path alltypes_wit() {
  return std::filesystem::path(TAIRITSU_SOURCE_DIR) / "tests/fixtures/alltypes/wit";
}
std::filesystem::path wit_data(const char *name) {
  return std::filesystem::path(TAIRITSU_SOURCE_DIR) / "tests/wit/data" / name;
}

const WorldItem *find(const std::vector<WorldItem> &items, std::string_view name) {
  for (const WorldItem &item : items) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

TEST(WitWorld, LoadsImportsAndExportsWithTypes) {
  auto world = WitWorld::load(alltypes_wit(), "alltypes");
  ASSERT_TRUE(world) << world.error();
  EXPECT_EQ(world->name(), "tairitsu:alltypes/alltypes@0.1.0");
  const WorldItem *add = find(world->exports(), "add");
  ASSERT_TRUE(add);
  EXPECT_EQ(add->signature(), "add: func(a: s32, b: s32) -> s32");
  const WorldItem *merge = find(world->exports(), "tairitsu:alltypes/api@0.1.0#[static]accumulator.merge");
  ASSERT_TRUE(merge);
  EXPECT_EQ(merge->function->to_string(), "func(a: borrow<accumulator>, b: borrow<accumulator>) -> own<accumulator>");
  const WorldItem *resource = find(world->exports(), "tairitsu:alltypes/api@0.1.0#accumulator");
  ASSERT_TRUE(resource);
  EXPECT_EQ(resource->kind, WorldItem::Kind::Resource);
  const WorldItem *log = find(world->imports(), "tairitsu:alltypes/store@0.1.0#log");
  ASSERT_TRUE(log);
  EXPECT_EQ(log->function->to_string(), "func(level: enum { low, medium, high }, message: string)");
  // The only world of the package is found without a name, and by its qualified name.
  EXPECT_TRUE(WitWorld::load(alltypes_wit()));
  EXPECT_TRUE(WitWorld::load(alltypes_wit(), "tairitsu:alltypes/alltypes@0.1.0"));
}

TEST(WitWorld, TheWorldAndTheImageAgree) {
  // The world's types, read from WIT, equal the types Wasmtime reflects from the compiled guest.
  auto world = WitWorld::load(alltypes_wit());
  ASSERT_TRUE(world) << world.error();
  Image image = fixture_image("alltypes.wasm");
  for (const WorldItem &item : world->exports()) {
    if (item.kind != WorldItem::Kind::Function) continue;
    auto found = image.find_export(item.name);
    ASSERT_TRUE(found) << found.error();
    EXPECT_EQ((*found)->function, item.function) << item.name;
  }
  WorldCheck report = check_world(image, *world);
  EXPECT_TRUE(report.conforms()) << report.to_string();
  EXPECT_EQ(report.to_string(), "conforms to tairitsu:alltypes/alltypes@0.1.0");
  EXPECT_TRUE(require_world(image, *world));
}

TEST(WitWorld, EveryDifferenceIsListed) {
  auto world = WitWorld::load(wit_data("drifted"));
  ASSERT_TRUE(world) << world.error();
  Image image = fixture_image("alltypes.wasm");
  WorldCheck report = check_world(image, *world);
  ASSERT_FALSE(report.conforms());
  std::vector<std::string> lines;
  for (const auto &d : report.differences) lines.push_back(d.to_string());
  EXPECT_THAT(lines, ::testing::UnorderedElementsAre(
                         "import tairitsu:alltypes/store@0.1.0#scale (func(s: variant { circle(f64), "
                         "rectangle(record { x: s32, y: s32 }), polygon(list<record { x: s32, y: s32 }>), "
                         "labelled(tuple<string, record { x: s32, y: s32 }>), nothing }, factor: f64) -> "
                         "variant { circle(f64), rectangle(record { x: s32, y: s32 }), polygon(list<record "
                         "{ x: s32, y: s32 }>), labelled(tuple<string, record { x: s32, y: s32 }>), "
                         "nothing }): not provided by the world",
                         "export tairitsu:alltypes/api@0.1.0#echo: the world expects func(s: u32) -> string, "
                         "the image exports func(s: string) -> string",
                         "export add: the world expects func(a: s32, b: s32) -> s64, the image exports "
                         "func(a: s32, b: s32) -> s32",
                         "export extra (func()): missing from the image"));
  auto required = require_world(image, *world);
  ASSERT_FALSE(required);
  EXPECT_EQ(required.error().code(), ErrorCode::TypeMismatch);
  EXPECT_NE(required.error().message().find("does not conform to tairitsu:alltypes/alltypes@0.1.0"), std::string::npos)
      << required.error();
}

TEST(WitWorld, CompatibleVersionsConformAsLinkingAccepts) {
  // The alltypes world at 0.1.3: linking would serve the image's 0.1.0
  // imports with it, and a host looking for 0.1.3 exports takes 0.1.0's.
  auto world = WitWorld::load(wit_data("patched"));
  ASSERT_TRUE(world) << world.error();
  EXPECT_EQ(world->name(), "tairitsu:alltypes/alltypes@0.1.3");
  WorldCheck report = check_world(fixture_image("alltypes.wasm"), *world);
  EXPECT_TRUE(report.conforms()) << report.to_string();
}

TEST(WitWorld, AMissingInterfaceIsOneDifference) {
  auto world = WitWorld::load(alltypes_wit());
  ASSERT_TRUE(world);
  WorldCheck report = check_world(fixture_image("showcase.wasm"), *world);
  std::vector<std::string> names;
  for (const auto &d : report.differences) names.push_back(d.name);
  EXPECT_THAT(names, ::testing::UnorderedElementsAre("tairitsu:showcase/types@0.1.0", "tairitsu:showcase/host@0.1.0",
                                                     "host-version", "tairitsu:alltypes/api@0.1.0"))
      << report.to_string();
}

TEST(WitWorld, WasiCountsAsProvidedUnlessTurnedOff) {
  auto world = WitWorld::load(alltypes_wit());
  ASSERT_TRUE(world);
  Image image = fixture_image("alltypes.wasm");
  WorldCheck without = check_world(image, *world, {.wasi_provided = false});
  ASSERT_FALSE(without.conforms());
  for (const auto &d : without.differences) {
    EXPECT_EQ(d.kind, WorldDifference::Kind::UnprovidedImport);
    EXPECT_TRUE(d.name.starts_with("wasi:")) << d.to_string();
  }
}

TEST(WitWorld, BadWitIsRefusedWithItsPosition) {
  auto broken = WitWorld::load(wit_data("broken"));
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code(), ErrorCode::InvalidInput);
  EXPECT_NE(broken.error().message().find("broken.wit:5:3"), std::string::npos) << broken.error();
  EXPECT_NE(broken.error().message().find("expected ';'"), std::string::npos) << broken.error();

  auto missing = WitWorld::load(wit_data("no-such-dir"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::NotFound);

  auto no_world = WitWorld::load(alltypes_wit(), "nope");
  ASSERT_FALSE(no_world);
  EXPECT_EQ(no_world.error().code(), ErrorCode::InvalidInput);
  EXPECT_NE(no_world.error().message().find("nope"), std::string::npos) << no_world.error();
}

}  // namespace
}  // namespace tairitsu
