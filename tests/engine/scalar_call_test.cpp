// Value calls of exports whose parameters and results are all scalars (bool,
// integers, floats, char), against tests/fixtures/wat/scalars.wat: every kind
// in and out, argument checks with their exact errors, traps and limits.

#include <cmath>
#include <cstring>
#include <limits>

#include "support.hpp"

namespace tairitsu {
namespace {

using testing::fixture_image;

Container scalars(Limits limits = {}) {
  auto c = ContainerBuilder(fixture_image("scalars.wasm")).name("scalars").limits(limits).build();
  if (!c) {
    ADD_FAILURE() << c.error();
    std::abort();
  }
  return std::move(*c);
}

// Calls `function` with `v` and expects `v` back, bit for bit.
void expect_identity(Container &c, const std::string &function, const Value &v) {
  auto r = c.call(function, {v});
  ASSERT_OK(r);
  EXPECT_EQ(r->kind(), v.kind()) << function;
  EXPECT_EQ(*r, v) << function << "(" << v.to_string() << ") gave " << r->to_string();
}

// One argument of each kind for `weigh`, in its order.
std::vector<Value> weigh_args() {
  return {Value::boolean(true),   Value::s8(-2),      Value::u8(200),          Value::s16(-300),
          Value::u16(60000),      Value::s32(-70000), Value::u32(4000000000u), Value::s64(-5000000000),
          Value::u64(9000000000), Value::f32(0.5f),   Value::f64(-0.25),       Value::character(U'\U0001F600')};
}

template <typename T>
uint64_t bits(T x) {
  uint64_t out = 0;
  std::memcpy(&out, &x, sizeof x);
  return out;
}

TEST(ScalarCall, EveryKindComesBackUnchanged) {
  Container c = scalars();
  for (bool b : {false, true}) expect_identity(c, "id-bool", Value::boolean(b));
  for (int8_t v : {int8_t{0}, int8_t{-1}, int8_t{-128}, int8_t{127}}) expect_identity(c, "id-s8", Value::s8(v));
  for (uint8_t v : {uint8_t{0}, uint8_t{128}, uint8_t{255}}) expect_identity(c, "id-u8", Value::u8(v));
  for (int16_t v : {int16_t{-32768}, int16_t{-2}, int16_t{32767}}) expect_identity(c, "id-s16", Value::s16(v));
  for (uint16_t v : {uint16_t{0}, uint16_t{40000}, uint16_t{65535}}) expect_identity(c, "id-u16", Value::u16(v));
  for (int32_t v : {std::numeric_limits<int32_t>::min(), -7, 0, std::numeric_limits<int32_t>::max()}) {
    expect_identity(c, "id-s32", Value::s32(v));
  }
  for (uint32_t v : {0u, 0x80000000u, 0xFFFFFFFFu}) expect_identity(c, "id-u32", Value::u32(v));
  for (int64_t v : {std::numeric_limits<int64_t>::min(), int64_t{-1}, std::numeric_limits<int64_t>::max()}) {
    expect_identity(c, "id-s64", Value::s64(v));
  }
  for (uint64_t v : {uint64_t{0}, uint64_t{1} << 63, ~uint64_t{0}}) expect_identity(c, "id-u64", Value::u64(v));
  for (float v : {0.0f, -0.0f, 1.5f, -3.25e38f, std::numeric_limits<float>::denorm_min(),
                  std::numeric_limits<float>::infinity()}) {
    expect_identity(c, "id-f32", Value::f32(v));
  }
  for (double v :
       {0.0, -0.0, 0.1, -1e308, std::numeric_limits<double>::denorm_min(), -std::numeric_limits<double>::infinity()}) {
    expect_identity(c, "id-f64", Value::f64(v));
  }
  for (char32_t v : {U'\0', U'a', U'\u00e9', U'\uFFFF', U'\U0001F600', U'\U0010FFFF'}) {
    expect_identity(c, "id-char", Value::character(v));
  }
  EXPECT_EQ(c.state(), ContainerState::Running);
}

TEST(ScalarCall, SignedZeroAndNanKeepTheirSign) {
  Container c = scalars();
  auto z = c.call("id-f64", {Value::f64(-0.0)});
  ASSERT_OK(z);
  EXPECT_EQ(bits(z->as_f64()), bits(-0.0));
  auto nan = c.call("id-f32", {Value::f32(std::numeric_limits<float>::quiet_NaN())});
  ASSERT_OK(nan);
  EXPECT_TRUE(std::isnan(nan->as_f32()));
  auto nan64 = c.call("id-f64", {Value::f64(-std::numeric_limits<double>::quiet_NaN())});
  ASSERT_OK(nan64);
  EXPECT_TRUE(std::isnan(nan64->as_f64()));
}

TEST(ScalarCall, OneOfEachKindArrivesInItsPlace) {
  Container c = scalars();
  auto r = c.call("weigh", weigh_args());
  ASSERT_OK(r);
  double expected = 1 * 1.0 + 2 * -2.0 + 3 * 200.0 + 4 * -300.0 + 5 * 60000.0 + 6 * -70000.0 + 7 * 4000000000.0 +
                    8 * -5000000000.0 + 9 * 9000000000.0 + 10 * 0.5 + 11 * -0.25 + 12 * double{0x1F600};
  EXPECT_EQ(*r, Value::f64(expected));
}

TEST(ScalarCall, AFunctionWithoutAResultReturnsUnit) {
  Container c = scalars();
  auto r = c.call("sink", {Value::u32(7)});
  ASSERT_OK(r);
  EXPECT_EQ(*r, Value::unit());
  EXPECT_EQ(c.state(), ContainerState::Running);
}

TEST(ScalarCall, WrongArgumentCountIsRefusedWithTheSignature) {
  Container c = scalars();
  auto r = c.call("id-s32", {Value::s32(1), Value::s32(2)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::TypeMismatch);
  EXPECT_EQ(r.error().message(), "calling 'id-s32': expected 1 argument(s) for id-s32: func(x: s32) -> s32, got 2");
  auto none = c.call("weigh");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code(), ErrorCode::TypeMismatch);
  EXPECT_NE(none.error().message().find("expected 12 argument(s) for weigh: func(a: bool, "), std::string::npos)
      << none.error();
  EXPECT_EQ(c.state(), ContainerState::Created);
}

TEST(ScalarCall, WrongArgumentKindIsRefusedWithBothTypes) {
  Container c = scalars();
  // A number of another width or signedness is another type, as before.
  auto r = c.call("id-u8", {Value::s32(1)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::TypeMismatch);
  EXPECT_EQ(r.error().message(), "calling 'id-u8', argument 'x': expected u8, found 1");
  auto text = c.call("id-char", {Value::string("a")});
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code(), ErrorCode::TypeMismatch);
  EXPECT_EQ(text.error().message(), "calling 'id-char', argument 'x': expected char, found \"a\"");
  std::vector<Value> args = weigh_args();
  args.back() = Value::u32(65);
  auto last = c.call("weigh", args);
  ASSERT_FALSE(last);
  EXPECT_EQ(last.error().code(), ErrorCode::TypeMismatch);
  EXPECT_EQ(last.error().message(), "calling 'weigh', argument 'l': expected char, found 65");
  EXPECT_EQ(c.state(), ContainerState::Created);
}

TEST(ScalarCall, ACharThatIsNotAUnicodeScalarValueIsInvalidInput) {
  Container c = scalars();
  auto r = c.call("id-char", {Value::character(char32_t{0xD800})});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidInput);
  EXPECT_EQ(r.error().message(), "calling 'id-char', argument 'x': char U+55296 is not a Unicode scalar value");
  auto high = c.call("id-char", {Value::character(char32_t{0x110000})});
  ASSERT_FALSE(high);
  EXPECT_EQ(high.error().code(), ErrorCode::InvalidInput);
  EXPECT_EQ(c.state(), ContainerState::Created);
}

TEST(ScalarCall, AResultThatCannotBeLiftedFailsTheContainer) {
  Container c = scalars();
  auto r = c.call("bad-char");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::Trap) << r.error();
  EXPECT_EQ(r.error().message(),
            "calling 'bad-char' in container 'scalars': converted integer out of range for `char`");
  EXPECT_EQ(c.state(), ContainerState::Failed);
}

TEST(ScalarCall, ATrapFailsTheContainerUntilRestart) {
  Container c = scalars();
  ASSERT_OK(c.call("id-s32", {Value::s32(1)}));
  auto r = c.call("trap", {Value::u32(1)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::Trap) << r.error();
  EXPECT_EQ(r.error().message(),
            "calling 'trap' in container 'scalars': wasm trap: wasm "
            "`unreachable` instruction executed");
  EXPECT_FALSE(r.error().backtrace().empty());
  EXPECT_EQ(c.state(), ContainerState::Failed);
  ASSERT_TRUE(c.failure().has_value());
  EXPECT_EQ(c.failure()->code(), ErrorCode::Trap);

  auto refused = c.call("id-s32", {Value::s32(1)});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::InvalidState);
  EXPECT_NE(refused.error().message().find("calling 'id-s32': container 'scalars' has failed"), std::string::npos)
      << refused.error();

  ASSERT_OK(c.restart());
  auto again = c.call("id-s32", {Value::s32(5)});
  ASSERT_OK(again);
  EXPECT_EQ(*again, Value::s32(5));
}

TEST(ScalarCall, ATrapInAFunctionOfAddsSignatureFailsTheContainer) {
  Container c = scalars({.fuel = 10'000});
  for (int i = 0; i < 100; ++i) {
    ASSERT_OK(c.call("id-s32", {Value::s32(i)}));  // (s32) -> s32: fuel refilled each time
  }
  auto r = c.call("trap-pair", {Value::s32(1), Value::s32(2)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::Trap) << r.error();
  EXPECT_EQ(r.error().message(),
            "calling 'trap-pair' in container 'scalars': wasm trap: wasm "
            "`unreachable` instruction executed");
  EXPECT_FALSE(r.error().backtrace().empty());
  EXPECT_EQ(c.state(), ContainerState::Failed);
  ASSERT_OK(c.restart());
  auto sum = c.call("weigh", weigh_args());
  ASSERT_OK(sum);
}

TEST(ScalarCall, FuelIsRefilledForEachCallAndItsExhaustionFailsTheContainer) {
  Container c = scalars({.fuel = 10'000});
  for (int i = 0; i < 100; ++i) {
    ASSERT_OK(c.call("id-s64", {Value::s64(i)}));  // 100 calls: more than one call's fuel in all
  }
  auto r = c.call("spin");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::LimitExceeded) << r.error();
  EXPECT_EQ(r.error().message(),
            "calling 'spin' in container 'scalars': fuel limit of 10000 "
            "units exhausted (wasm trap: all fuel consumed by WebAssembly)");
  EXPECT_EQ(c.state(), ContainerState::Failed);
  ASSERT_OK(c.restart());
  auto sum = c.call("id-u16", {Value::u16(9)});
  ASSERT_OK(sum);
  EXPECT_EQ(*sum, Value::u16(9));
}

TEST(ScalarCall, TheDeadlineStopsASpinningCall) {
  Container c = scalars({.timeout = std::chrono::milliseconds(30)});
  auto r = c.call("spin");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::LimitExceeded) << r.error();
  EXPECT_NE(r.error().message().find("deadline of 30 ms exceeded"), std::string::npos) << r.error();
  EXPECT_EQ(c.state(), ContainerState::Failed);
}

TEST(ScalarCall, AStoppedContainerRefusesCalls) {
  Container c = scalars();
  c.stop();
  auto r = c.call("id-bool", {Value::boolean(true)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidState);
  EXPECT_NE(r.error().message().find("is stopped"), std::string::npos);
  ASSERT_OK(c.restart());
  auto back = c.call("id-bool", {Value::boolean(true)});
  ASSERT_OK(back);
  EXPECT_EQ(*back, Value::boolean(true));
}

TEST(ScalarCall, TypedCallsOfScalarSignaturesAgree) {
  Container c = scalars();
  auto id8 = c.func<int8_t(int8_t)>("id-s8");
  ASSERT_OK(id8);
  EXPECT_EQ(*(*id8)(-100), -100);
  auto idc = c.func<char32_t(char32_t)>("id-char");
  ASSERT_OK(idc);
  EXPECT_EQ(*(*idc)(U'\U0001F600'), U'\U0001F600');
  auto bad = (*idc)(char32_t{0xDFFF});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidInput);
  EXPECT_EQ(bad.error().message(), "calling 'id-char', argument 'x': char U+57343 is not a Unicode scalar value");
  EXPECT_EQ(c.state(), ContainerState::Running);
  auto weigh = c.func<double(bool, int8_t, uint8_t, int16_t, uint16_t, int32_t, uint32_t, int64_t, uint64_t, float,
                             double, char32_t)>("weigh");
  ASSERT_OK(weigh);
  auto w = (*weigh)(false, 1, 2, 3, 4, 5, 6, 7, 8, 9.0f, 10.0, U'\u000b');
  ASSERT_OK(w);
  EXPECT_EQ(*w, 2 * 1 + 3 * 2 + 4 * 3 + 5 * 4 + 6 * 5 + 7 * 6 + 8 * 7 + 9 * 8 + 10 * 9 + 11 * 10 + 12 * 11.0);
  auto trap = c.func<uint32_t(uint32_t)>("trap");
  ASSERT_OK(trap);
  auto t = (*trap)(1);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().code(), ErrorCode::Trap);
  EXPECT_EQ(c.state(), ContainerState::Failed);
}

// Calls `function` as a typed `T(T)` with each of `values` and expects each back.
template <typename T>
void expect_typed_identity(Container &c, const std::string &function, std::initializer_list<T> values) {
  auto f = c.func<T(T)>(function);
  ASSERT_OK(f);
  for (T v : values) {
    auto r = (*f)(v);
    ASSERT_OK(r);
    EXPECT_EQ(bits(*r), bits(v)) << function;
  }
}

TEST(ScalarCall, TypedCallsOfEveryKindComeBackUnchanged) {
  Container c = scalars();
  expect_typed_identity<bool>(c, "id-bool", {false, true});
  expect_typed_identity<int8_t>(c, "id-s8", {-128, -1, 0, 127});
  expect_typed_identity<uint8_t>(c, "id-u8", {0, 128, 255});
  expect_typed_identity<int16_t>(c, "id-s16", {-32768, -2, 32767});
  expect_typed_identity<uint16_t>(c, "id-u16", {0, 40000, 65535});
  expect_typed_identity<int32_t>(c, "id-s32", {std::numeric_limits<int32_t>::min(), -7, 0});
  expect_typed_identity<uint32_t>(c, "id-u32", {0u, 0x80000000u, 0xFFFFFFFFu});
  expect_typed_identity<int64_t>(c, "id-s64", {std::numeric_limits<int64_t>::min(), -1});
  expect_typed_identity<uint64_t>(c, "id-u64", {uint64_t{1} << 63, ~uint64_t{0}});
  expect_typed_identity<float>(c, "id-f32", {-0.0f, 1.5f, std::numeric_limits<float>::denorm_min()});
  expect_typed_identity<double>(c, "id-f64", {-0.0, 0.1, -std::numeric_limits<double>::infinity()});
  expect_typed_identity<char32_t>(c, "id-char", {U'\0', U'\u00e9', U'\U0010FFFF'});
  auto sink = c.func<void(uint32_t)>("sink");
  ASSERT_OK(sink);
  ASSERT_OK((*sink)(3));
  EXPECT_EQ(c.state(), ContainerState::Running);
}

TEST(ScalarCall, TypedCallsOfAFailedContainerAreRefused) {
  Container c = scalars({.fuel = 10'000});
  auto spin = c.func<uint64_t()>("spin");
  ASSERT_OK(spin);
  auto r = (*spin)();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::LimitExceeded);
  EXPECT_EQ(r.error().message(),
            "calling 'spin' in container 'scalars': fuel limit of 10000 "
            "units exhausted (wasm trap: all fuel consumed by WebAssembly)");
  auto id = c.func<uint16_t(uint16_t)>("id-u16");
  ASSERT_OK(id);
  auto refused = (*id)(1);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::InvalidState);
  ASSERT_OK(c.restart());
  auto again = (*id)(2);
  ASSERT_OK(again);
  EXPECT_EQ(*again, 2);
}

}  // namespace
}  // namespace tairitsu
