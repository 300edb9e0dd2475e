// Typed calls and typed host functions on the C guest.

#include "tairitsu/typed.hpp"
#include "engine/showcase_host.hpp"

namespace {

struct Point {
  int32_t x = 0;
  int32_t y = 0;
  friend bool operator==(const Point &, const Point &) = default;
};

enum class Color { Red, Green, Blue };

}  // namespace

template <>
struct tairitsu::WitRecord<Point> {
  static constexpr auto fields = std::tuple{wit_field("x", &Point::x), wit_field("y", &Point::y)};
};
template <>
struct tairitsu::WitEnum<Color> {
  static constexpr std::array names{"red", "green", "blue"};
};

namespace tairitsu {
namespace {

using namespace testing;

TEST(Typed, CallsExportsWithCppTypes) {
  auto built = showcase_builder().build();
  ASSERT_TRUE(built) << built.error();
  Container &c = *built;
  auto add = c.func<int32_t(int32_t, int32_t)>("add");
  ASSERT_TRUE(add) << add.error();
  EXPECT_EQ(*(*add)(40, 2), 42);
  auto greet = c.func<std::string(std::string)>("greet");
  ASSERT_TRUE(greet) << greet.error();
  EXPECT_EQ(*(*greet)("typed"), "Hello, typed!");
  auto scale = c.func<Point(Point, int32_t)>(api("scale"));
  ASSERT_TRUE(scale) << scale.error();
  EXPECT_EQ(*(*scale)(Point{2, -3}, 4), (Point{8, -12}));
  auto parse = c.func<Outcome<int32_t, std::string>(std::string)>("parse-number");
  ASSERT_TRUE(parse) << parse.error();
  EXPECT_EQ((*parse)("17")->value(), 17);
  EXPECT_EQ((*parse)("x")->error(), "not a number: x");
  auto find = c.func<std::optional<uint32_t>(std::vector<std::string>, std::string)>("find");
  ASSERT_TRUE(find) << find.error();
  EXPECT_EQ(*(*find)({"a", "b"}, "b"), std::optional<uint32_t>(1));
  EXPECT_EQ(*(*find)({"a"}, "z"), std::nullopt);
  auto pair = c.func<std::tuple<uint8_t, std::string>(uint8_t, std::string)>("pair");
  ASSERT_TRUE(pair) << pair.error();
  EXPECT_EQ(*(*pair)(1, "ab"), (std::tuple<uint8_t, std::string>{2, "abab"}));
  auto next = c.func<Color(Color)>("next-color");
  ASSERT_TRUE(next) << next.error();
  EXPECT_EQ(*(*next)(Color::Blue), Color::Red);
  auto reverse = c.func<std::vector<std::string>(std::vector<std::string>)>("reverse");
  ASSERT_TRUE(reverse);
  EXPECT_EQ(*(*reverse)({"x", "y"}), (std::vector<std::string>{"y", "x"}));
}

TEST(Typed, AWrongSignatureNamesBothTypes) {
  auto built = showcase_builder().build();
  ASSERT_TRUE(built);
  auto wrong = built->func<int32_t(std::string)>("add");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().code(), ErrorCode::TypeMismatch);
  EXPECT_NE(wrong.error().message().find("func(a: s32, b: s32) -> s32, not func(string) -> s32"), std::string::npos)
      << wrong.error();
  auto wrong_result = built->func<int64_t(int32_t, int32_t)>("add");
  ASSERT_FALSE(wrong_result);
}

TEST(Typed, HostFunctionsTakeCppCallables) {
  auto b = showcase_builder();
  std::vector<std::string> logged;
  b.define<Point(Point)>(host_item("transform"), [](Point p) { return Point{p.x * 10, p.y * 10}; });
  // A string_view argument sees the guest's string without a copy, during the call.
  b.define<void(std::string_view)>(host_item("log"), [&](std::string_view m) { logged.emplace_back(m); });
  b.define<std::optional<std::string>(std::string)>(host_item("lookup"),
                                                    [](std::string key) -> Result<std::optional<std::string>> {
                                                      if (key == "boom")
                                                        return Error(ErrorCode::InvalidInput, "no boom here");
                                                      return std::optional<std::string>("v-" + key);
                                                    });
  auto built = b.build();
  ASSERT_TRUE(built) << built.error();
  auto roundtrip = built->func<Point(Point)>("roundtrip");
  ASSERT_TRUE(roundtrip);
  EXPECT_EQ(*(*roundtrip)(Point{1, 2}), (Point{20, 40}));
  EXPECT_EQ(logged, std::vector<std::string>{"roundtrip 10,20"});
  auto describe = built->func<std::string(std::string_view)>("describe");
  EXPECT_EQ(*(*describe)("k"), "found: v-k");
  auto failed = (*describe)("boom");
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().message().find("no boom here"), std::string::npos) << failed.error();
}

TEST(Typed, AHostSignatureThatDoesNotFitTrapsNamingBothTypes) {
  auto b = showcase_builder();
  b.define<int32_t(int32_t)>(host_item("transform"), [](int32_t v) { return v; });
  auto built = b.build();
  ASSERT_TRUE(built);
  auto r = built->call(api("roundtrip"), {point(1, 2)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::Trap);
  EXPECT_NE(r.error().message().find("the host defines func(s32) -> s32 for an import of type "
                                     "func(p: record { x: s32, y: s32 })"),
            std::string::npos)
      << r.error();
}

}  // namespace
}  // namespace tairitsu

namespace tairitsu {
namespace {

using namespace testing;

// Common signatures take the native fast path; it must behave exactly as the
// Value path: limits, traps, restarts, bad input.
TEST(TypedFastPath, TrapsFailTheContainerAndRestartRefreshesTheHandle) {
  auto built = showcase_builder().build();
  ASSERT_TRUE(built) << built.error();
  auto fail = built->func<void(std::string_view)>(api("fail"));  // kStringToUnit
  ASSERT_TRUE(fail) << fail.error();
  auto r = (*fail)("on purpose");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::Trap);
  EXPECT_EQ(built->state(), ContainerState::Failed);
  auto greet = built->func<std::string(std::string_view)>("greet");
  ASSERT_TRUE(greet);
  EXPECT_EQ((*greet)("x").error().code(), ErrorCode::InvalidState);
  ASSERT_TRUE(built->restart());
  EXPECT_EQ(*(*greet)("again"), "Hello, again!");  // the handle follows the new instance
}

TEST(TypedFastPath, InvalidUtf8IsRefusedBeforeTheGuestRuns) {
  auto built = showcase_builder().build();
  ASSERT_TRUE(built);
  auto greet = built->func<std::string(std::string_view)>("greet");
  ASSERT_TRUE(greet);
  auto r = (*greet)(std::string_view("\xff\xfe", 2));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidInput);
  EXPECT_NE(r.error().message().find("not valid UTF-8"), std::string::npos) << r.error();
  EXPECT_NE(built->state(), ContainerState::Failed);
}

TEST(TypedFastPath, LimitsApply) {
  auto built = ContainerBuilder(fixture_image("spin.wasm")).limits({.fuel = 100'000}).build();
  ASSERT_TRUE(built) << built.error();
  auto spin = built->func<void()>("spin");  // kUnitToUnit
  ASSERT_TRUE(spin) << spin.error();
  auto r = (*spin)();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::LimitExceeded) << r.error();
  EXPECT_NE(r.error().message().find("fuel limit of 100000 units exhausted"), std::string::npos) << r.error();
}

// The bench guest's byte, string and scalar echoes, typed and through Values
// (its import `bounce` answers x + 1).
void expect_bench_exports_answer(Container &built) {
  auto echo_bytes = built.func<std::vector<uint8_t>(std::vector<uint8_t>)>("echo-bytes");
  ASSERT_TRUE(echo_bytes);
  std::vector<uint8_t> bytes(65536);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i * 7);
  EXPECT_EQ(*(*echo_bytes)(bytes), bytes);
  EXPECT_EQ(*(*echo_bytes)({}), std::vector<uint8_t>{});
  auto echo = built.func<std::string(std::string)>("echo");
  ASSERT_TRUE(echo);
  EXPECT_EQ(*(*echo)(std::string("caf\xc3\xa9")), "caf\xc3\xa9");
  EXPECT_EQ(*(*echo)(std::string()), "");
  auto round_trip = built.func<int32_t(int32_t)>("round-trip");
  ASSERT_TRUE(round_trip);
  EXPECT_EQ(*(*round_trip)(20), 42);
  // The same exports through Values agree.
  EXPECT_EQ(built.call("round-trip", {Value::s32(20)})->as_s32(), 42);
}

// The bench guest on `engine`, its import `bounce` answering x + 1.
Result<Container> bench_container(const Engine &engine) {
  auto image = Image::from_file(fixture_path("bench_guest.wasm"), engine);
  if (!image) return std::move(image).error();
  return ContainerBuilder(*image)
      .define<int32_t(int32_t)>("tairitsu:bench/host@0.1.0#bounce", [](int32_t x) { return x + 1; })
      .build();
}

TEST(TypedFastPath, ByteListsAndStringsCrossInOnePiece) {
  auto built = bench_container(Engine::shared());
  ASSERT_TRUE(built) << built.error();
  expect_bench_exports_answer(*built);
}

// A concurrent engine's calls run on a fiber, so typed calls of the fast
// path's signatures take the other paths of the same bound export (raw
// scalars; `Value`s for strings and byte lists) and give the same answers.
TEST(TypedFastPath, AConcurrentEngineTakesTheOtherPathsAlike) {
  auto engine = concurrent_test_engine();
  ASSERT_TRUE(engine) << engine.error();
  auto built = bench_container(*engine);
  ASSERT_TRUE(built) << built.error();
  expect_bench_exports_answer(*built);
  auto echo = built->func<std::string(std::string_view)>("echo");
  ASSERT_TRUE(echo);
  auto bad = (*echo)("\xff");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidInput);
  EXPECT_NE(bad.error().message().find("not valid UTF-8"), std::string::npos) << bad.error();
  auto add = built->func<int32_t(int32_t, int32_t)>("add");
  ASSERT_TRUE(add);
  EXPECT_EQ(*(*add)(40, 2), 42);
  auto mix = built->func<uint64_t(uint8_t, bool, int64_t)>("mix");
  ASSERT_TRUE(mix);
  EXPECT_EQ(*(*mix)(1, true, 2), built->call("mix", {Value::u8(1), Value::boolean(true), Value::s64(2)})->as_u64());
}

TEST(TypedFastPath, HostFunctionsOfCommonSignaturesFailLikeTheOthers) {
  auto image = Image::from_file(fixture_path("bench_guest.wasm"));
  ASSERT_TRUE(image) << image.error();
  int calls = 0;
  auto built = ContainerBuilder(*image)
                   .define<int32_t(int32_t)>("tairitsu:bench/host@0.1.0#bounce",
                                             [&](int32_t x) -> Result<int32_t> {
                                               ++calls;
                                               if (x < 0) return Error(ErrorCode::InvalidInput, "negative bounce");
                                               if (x == 0) throw std::runtime_error("zero bounce");
                                               return x + 1;
                                             })
                   .build();
  ASSERT_TRUE(built) << built.error();
  auto round_trip = built->func<int32_t(int32_t)>("round-trip");
  ASSERT_TRUE(round_trip);
  EXPECT_EQ(*(*round_trip)(1), 4);
  auto refused = (*round_trip)(-1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::Trap);
  EXPECT_NE(refused.error().message().find("host function 'tairitsu:bench/host@0.1.0#bounce' failed: negative bounce"),
            std::string::npos)
      << refused.error();
  ASSERT_TRUE(built->restart());
  auto threw = (*round_trip)(0);
  ASSERT_FALSE(threw);
  EXPECT_NE(threw.error().message().find("exception: zero bounce"), std::string::npos) << threw.error();
  EXPECT_EQ(calls, 3);

  // A string result crosses back from the host's fast form.
  auto showcase = showcase_builder();
  showcase.define<std::string()>("host-version", [] { return std::string("fast-host 2.0"); });
  auto shown = showcase.build();
  ASSERT_TRUE(shown) << shown.error();
  auto banner = shown->func<std::string()>("banner");
  ASSERT_TRUE(banner);
  EXPECT_EQ(*(*banner)(), "showcase on fast-host 2.0");
}

}  // namespace
}  // namespace tairitsu
