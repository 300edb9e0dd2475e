#include <random>
#include <thread>

#include "base/files.hpp"
#include "support.hpp"

namespace tairitsu {
namespace {

using testing::fixture_image;
using testing::fixture_path;
using testing::read_bytes;

std::vector<std::string> signatures(const std::vector<WorldItem> &items) {
  std::vector<std::string> out;
  for (const auto &item : items) {
    out.push_back((item.interface_name.empty() ? "" : item.interface_name + "#") + item.signature());
  }
  return out;
}

TEST(Image, ListsExportsOfAWatComponentWithWitSignatures) {
  Image image = fixture_image("adder.wasm");
  EXPECT_EQ(image.source(), ImageSource::Component);
  EXPECT_EQ(signatures(image.exports()), (std::vector<std::string>{
                                             "add: func(a: s32, b: s32) -> s32",
                                             "interface tairitsu:adder/math@1.0.0",
                                             "tairitsu:adder/math@1.0.0#mul: func(a: s32, b: s32) -> s32",
                                         }));
  EXPECT_TRUE(image.imports().empty());
}

TEST(Image, ListsImportsAndExportsOfTheCGuest) {
  Image image = fixture_image("showcase.wasm");
  auto exports = signatures(image.exports());
  auto has = [](const std::vector<std::string> &list, const std::string &s) {
    return std::find(list.begin(), list.end(), s) != list.end();
  };
  EXPECT_TRUE(has(exports, "add: func(a: s32, b: s32) -> s32"));
  EXPECT_TRUE(has(exports, "banner: func() -> string"));
  EXPECT_TRUE(has(exports, "tairitsu:showcase/api@0.1.0#greet: func(name: string) -> string"));
  EXPECT_TRUE(has(exports,
                  "tairitsu:showcase/api@0.1.0#scale: func(p: record { x: s32, y: s32 }, "
                  "factor: s32) -> record { x: s32, y: s32 }"));
  EXPECT_TRUE(has(exports, "tairitsu:showcase/api@0.1.0#resource counter"));
  EXPECT_TRUE(has(exports,
                  "tairitsu:showcase/api@0.1.0#[method]counter.increment: func(self: "
                  "borrow<counter>) -> s32"));
  EXPECT_TRUE(has(exports,
                  "tairitsu:showcase/api@0.1.0#parse-number: func(text: string) -> "
                  "result<s32, string>"));
  auto imports = signatures(image.imports());
  EXPECT_TRUE(has(imports, "host-version: func() -> string"));
  EXPECT_TRUE(has(imports, "tairitsu:showcase/host@0.1.0#resource session"));
  EXPECT_TRUE(has(imports,
                  "tairitsu:showcase/host@0.1.0#lookup: func(key: string) -> "
                  "option<string>"));
}

TEST(Image, DigestIsSha256OfTheBytes) {
  auto bytes = read_bytes(fixture_path("adder.wasm"));
  auto a = Image::load(bytes);
  auto b = Image::from_component(bytes);
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(a->digest(), b->digest());
  EXPECT_EQ(a->digest().rfind("sha256:", 0), 0u);
  EXPECT_EQ(a->digest().size(), 7u + 64u);
  EXPECT_EQ(a->size(), bytes.size());
  EXPECT_NE(a->digest(), fixture_image("showcase.wasm").digest());
}

TEST(Image, CoreCommandModuleIsAdapted) {
  auto image = Image::from_file(fixture_path("hello_command.core.wasm"));
  ASSERT_OK(image);
  EXPECT_EQ(image->source(), ImageSource::CoreCommand);
  bool exports_run = false;
  for (const auto &item : image->exports()) {
    exports_run |= item.interface_name.rfind("wasi:cli/run@0.2", 0) == 0 && item.item_name == "run";
  }
  EXPECT_TRUE(exports_run);
}

TEST(Image, PrecompiledArtifactRoundTrips) {
  Image image = fixture_image("adder.wasm");
  auto artifact = image.precompile();
  ASSERT_OK(artifact);
  auto loaded = Image::from_precompiled(*artifact, Engine::shared(), image.digest());
  ASSERT_OK(loaded);
  EXPECT_EQ(loaded->source(), ImageSource::Precompiled);
  EXPECT_EQ(loaded->digest(), image.digest());
  EXPECT_EQ(signatures(loaded->exports()), signatures(image.exports()));
  auto container = ContainerBuilder(*loaded).build();
  ASSERT_OK(container);
  auto sum = container->call("add", {Value::s32(40), Value::s32(2)});
  ASSERT_OK(sum);
  EXPECT_EQ(sum->as_s32(), 42);
  // Without the component's digest, the image goes by the artifact's own
  // (worked out when first asked for, the same from every thread).
  auto anonymous = Image::from_precompiled(*artifact, Engine::shared());
  ASSERT_OK(anonymous);
  std::vector<std::thread> readers;
  std::vector<std::string> digests(4);
  for (int i = 0; i < 4; ++i) readers.emplace_back([&, i] { digests[i] = Image(*anonymous).digest(); });
  for (auto &t : readers) t.join();
  for (const auto &d : digests) EXPECT_EQ(d, "sha256:" + detail::sha256_hex(*artifact));
  // Its world is reflected when first used, once, whichever thread comes first.
  std::vector<std::thread> callers;
  std::vector<int32_t> sums(4);
  std::vector<std::size_t> exports(4);
  for (int i = 0; i < 4; ++i) {
    callers.emplace_back([&, i] {
      exports[i] = anonymous->exports().size();
      auto c = ContainerBuilder(*anonymous).build();
      if (auto r = c ? c->call("add", {Value::s32(i), Value::s32(1)}) : Result<Value>(c.error())) sums[i] = r->as_s32();
    });
  }
  for (auto &t : callers) t.join();
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(sums[i], i + 1);
    EXPECT_EQ(exports[i], image.exports().size());
  }
}

TEST(Image, PrecompiledArtifactFromAnotherConfigurationIsRefused) {
  EngineConfig other;
  other.fuel = false;
  auto engine = Engine::create(other);
  ASSERT_OK(engine);
  auto image = Image::from_file(fixture_path("adder.wasm"), *engine);
  ASSERT_OK(image);
  auto artifact = image->precompile();
  ASSERT_OK(artifact);
  auto loaded = Image::from_precompiled(*artifact);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code(), ErrorCode::InvalidInput);
  EXPECT_NE(loaded.error().message().find("precompiled artifact"), std::string::npos) << loaded.error();
  // Wasmtime names the setting that differs.
  EXPECT_NE(loaded.error().message().find("fuel"), std::string::npos) << loaded.error();
}

TEST(Image, BadInputGivesClearErrors) {
  auto expect_invalid = [](Result<Image> r, const std::string &fragment) {
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidInput) << r.error();
    EXPECT_NE(r.error().message().find(fragment), std::string::npos) << r.error();
  };
  expect_invalid(Image::load({}), "empty");
  auto adder = read_bytes(fixture_path("adder.wasm"));
  expect_invalid(Image::load(std::span(adder).first(6)), "truncated");
  expect_invalid(Image::load(std::span(adder).first(adder.size() / 2)), "compiling component");
  std::mt19937 rng(42);
  std::vector<std::byte> noise(4096);
  for (auto &b : noise) {
    b = static_cast<std::byte>(rng());
  }
  expect_invalid(Image::load(noise), "not WebAssembly");
  auto core = read_bytes(fixture_path("not_a_component.wasm"));
  expect_invalid(Image::from_component(core), "core WebAssembly module, not a component");
  expect_invalid(Image::from_core_module(adder), "is a component, not a core module");
  expect_invalid(Image::from_precompiled(adder), "not a precompiled artifact");
  expect_invalid(Image::from_wat("(component (func $oops"), "parsing WAT");
}

TEST(Image, MissingFileIsNotFoundAndNamesThePath) {
  auto r = Image::from_file("/nonexistent/plugin.wasm");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::NotFound);
  EXPECT_NE(r.error().message().find("/nonexistent/plugin.wasm"), std::string::npos);
}

TEST(Image, FindsExportsByRootQualifiedAndBareName) {
  Image image = fixture_image("adder.wasm");
  ASSERT_OK(image.find_export("add"));
  auto mul = image.find_export("mul");
  ASSERT_OK(mul);
  EXPECT_EQ((*mul)->name, "tairitsu:adder/math@1.0.0#mul");
  ASSERT_OK(image.find_export("tairitsu:adder/math@1.0.0#mul"));
  auto missing = image.find_export("div");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::NotFound);
  EXPECT_NE(missing.error().message().find("add: func(a: s32, b: s32) -> s32"), std::string::npos);
}

}  // namespace
}  // namespace tairitsu
