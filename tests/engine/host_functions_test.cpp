// The C guest (tests/fixtures/showcase) against a host that serves its imports:
// values of every kind both ways, and calls that come back to the host.

#include "engine/showcase_host.hpp"

namespace tairitsu {
namespace {

using namespace testing;

class Showcase : public ::testing::Test {
 protected:
  void SetUp() override {
    auto built = showcase_builder().build();
    ASSERT_TRUE(built) << built.error();
    container_.emplace(std::move(*built));
  }
  Value call(const std::string &name, std::vector<Value> args = {}) {
    auto r = container_->call(name, args);
    EXPECT_TRUE(r) << r.error();
    return r ? *r : Value();
  }
  ShowcaseState &state() { return *container_->state<ShowcaseState>(); }
  std::optional<Container> container_;
};

TEST_F(Showcase, StringsListsAndNumbers) {
  EXPECT_EQ(call("add", {Value::s32(2), Value::s32(40)}), Value::s32(42));
  EXPECT_EQ(call("add", {Value::s32(INT32_MAX), Value::s32(1)}), Value::s32(INT32_MIN));
  EXPECT_EQ(call(api("greet"), {Value::string("wörld")}), Value::string("Hello, wörld!"));
  EXPECT_EQ(call(api("sum"), {Value::list({Value::s32(INT32_MAX), Value::s32(INT32_MAX), Value::s32(-5)})}),
            Value::s64(int64_t{INT32_MAX} * 2 - 5));
  EXPECT_EQ(call(api("sum"), {Value::list({})}), Value::s64(0));
  EXPECT_EQ(call(api("reverse"), {Value::list({Value::string("a"), Value::string(""), Value::string("c")})}),
            Value::list({Value::string("c"), Value::string(""), Value::string("a")}));
  EXPECT_EQ(call(api("pair"), {Value::u8(255), Value::string("ab")}),
            Value::tuple({Value::u8(0), Value::string("abab")}));
}

TEST_F(Showcase, RecordsVariantsEnumsFlags) {
  EXPECT_EQ(call(api("scale"), {point(3, -4), Value::s32(3)}), point(9, -12));
  EXPECT_DOUBLE_EQ(call(api("area"), {Value::variant("circle", Value::f64(2.0))}).as_f64(), 3.141592653589793 * 4.0);
  EXPECT_EQ(call(api("area"), {Value::variant("rectangle", point(-3, 4))}), Value::f64(12.0));
  EXPECT_EQ(call(api("area"), {Value::variant("empty")}), Value::f64(0.0));
  EXPECT_EQ(call(api("next-color"), {Value::enumeration("blue")}), Value::enumeration("red"));
  EXPECT_EQ(call(api("toggle-write"), {Value::flags({"read"})}), Value::flags({"read", "write"}));
  EXPECT_EQ(call(api("toggle-write"), {Value::flags({"write", "exec"})}), Value::flags({"exec"}));
}

TEST_F(Showcase, OptionsAndResults) {
  EXPECT_EQ(call(api("parse-number"), {Value::string("-123")}), Value::ok(Value::s32(-123)));
  EXPECT_EQ(call(api("parse-number"), {Value::string("12x")}), Value::err(Value::string("not a number: 12x")));
  EXPECT_EQ(call(api("parse-number"), {Value::string("99999999999")}),
            Value::err(Value::string("not a number: 99999999999")));
  auto items = Value::list({Value::string("a"), Value::string("b")});
  EXPECT_EQ(call(api("find"), {items, Value::string("b")}), Value::some(Value::u32(1)));
  EXPECT_EQ(call(api("find"), {items, Value::string("z")}), Value::none());
}

TEST_F(Showcase, GuestCallsBackIntoTheHost) {
  // host -> guest (roundtrip) -> host (transform, log) -> guest -> host
  EXPECT_EQ(call(api("roundtrip"), {point(1, 2)}), point(4, 24));
  EXPECT_EQ(state().transforms, 1);
  EXPECT_EQ(state().logs, std::vector<std::string>{"roundtrip 2,12"});
  EXPECT_EQ(call(api("describe"), {Value::string("colour")}), Value::string("found: teal"));
  EXPECT_EQ(call(api("describe"), {Value::string("size")}), Value::string("missing: size"));
  EXPECT_EQ(call("banner"), Value::string("showcase on tairitsu-test"));
}

TEST_F(Showcase, HostResourceIsCreatedUsedAndDestroyed) {
  EXPECT_EQ(call(api("use-session"), {Value::string("alpha")}), Value::string("session alpha"));
  EXPECT_EQ(call(api("use-session"), {Value::string("beta")}), Value::string("session beta"));
  EXPECT_EQ(state().sessions, (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(state().dropped, (std::vector<uint32_t>{1, 2}));
}

TEST_F(Showcase, GuestResourceLivesInTheHostsHands) {
  Value counter = call(api("[constructor]counter"), {Value::s32(10)});
  ASSERT_EQ(counter.kind(), TypeKind::Own);
  EXPECT_EQ(call(api("[method]counter.increment"), {counter}), Value::s32(11));
  EXPECT_EQ(call(api("[method]counter.increment"), {counter}), Value::s32(12));
  EXPECT_EQ(call(api("[method]counter.value"), {counter}), Value::s32(12));
  Value other = call(api("[constructor]counter"), {Value::s32(-1)});
  EXPECT_EQ(call(api("[method]counter.value"), {other}), Value::s32(-1));
  EXPECT_OK(container_->drop_resource(counter));
  EXPECT_EQ(call(api("[method]counter.value"), {other}), Value::s32(-1));
  auto stale = container_->call(api("[method]counter.value"), {counter});
  EXPECT_FALSE(stale);
}

TEST_F(Showcase, ArgumentsAreCheckedAgainstTheSignature) {
  auto r = container_->call(api("scale"), {point(1, 2)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::TypeMismatch);
  EXPECT_NE(r.error().message().find("expected 2 argument(s)"), std::string::npos) << r.error();
  r = container_->call(api("scale"), {Value::record({{"x", Value::s32(1)}, {"y", Value::string("2")}}), Value::s32(1)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::TypeMismatch);
  EXPECT_NE(r.error().message().find("argument 'p': expected record { x: s32, y: s32 }"), std::string::npos)
      << r.error();
  EXPECT_NE(r.error().message().find("mismatch at .y"), std::string::npos) << r.error();
  r = container_->call(api("greet"), {Value::string(std::string("\xff\xfe", 2))});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidInput);
  EXPECT_NE(r.error().message().find("not valid UTF-8"), std::string::npos);
  // Nothing of this reached the guest: it still works.
  EXPECT_EQ(container_->state(), ContainerState::Created);
  EXPECT_EQ(call("add", {Value::s32(1), Value::s32(1)}), Value::s32(2));
  EXPECT_EQ(container_->state(), ContainerState::Running);
}

TEST_F(Showcase, GuestTrapFailsTheContainerWithMessageAndBacktrace) {
  auto r = container_->call(api("fail"), {Value::string("boom")});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::Trap);
  EXPECT_NE(r.error().message().find("unreachable"), std::string::npos) << r.error();
  EXPECT_FALSE(r.error().backtrace().empty());
  EXPECT_EQ(container_->stderr_text(), "boom\n");
  EXPECT_EQ(container_->state(), ContainerState::Failed);
  auto later = container_->call("add", {Value::s32(1), Value::s32(1)});
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error().code(), ErrorCode::InvalidState);
  EXPECT_NE(later.error().message().find("has failed and must be restarted"), std::string::npos);
  ASSERT_OK(container_->restart());
  EXPECT_EQ(call("add", {Value::s32(1), Value::s32(1)}), Value::s32(2));
}

TEST(HostFunctions, HostErrorAndWrongResultTypeBecomeTraps) {
  ContainerBuilder b(fixture_image("showcase.wasm"));
  b.state(ShowcaseState{});
  b.define_function("host-version", [](HostContext &, std::span<const Value>) -> Result<Value> {
    return Value::u32(7);  // the import returns a string
  });
  b.define_function(host_item("transform"), [](HostContext &, std::span<const Value>) -> Result<Value> {
    return Error(ErrorCode::InvalidInput, "transform is unavailable");
  });
  b.trap_unknown_imports();
  auto built = b.build();
  ASSERT_OK(built);
  Container c = std::move(*built);
  auto r = c.call(api("roundtrip"), {point(0, 0)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::Trap);
  EXPECT_NE(r.error().message().find("host function 'tairitsu:showcase/host@0.1.0#transform' failed: transform is "
                                     "unavailable"),
            std::string::npos)
      << r.error();
  ASSERT_OK(c.restart());
  r = c.call("banner");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("wrong result type: expected string, found 7"), std::string::npos) << r.error();
  ASSERT_OK(c.restart());
  r = c.call(api("describe"), {Value::string("k")});  // lookup is linked as a trap
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::Trap);
}

TEST(HostFunctions, EveryMissingImportIsListedWithItsType) {
  ContainerBuilder b(fixture_image("showcase.wasm"));
  b.define_function(host_item("log"),
                    [](HostContext &, std::span<const Value>) -> Result<Value> { return Value::unit(); });
  auto r = b.build();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::LinkError);
  const std::string &m = r.error().message();
  EXPECT_NE(m.find("host-version: func() -> string"), std::string::npos) << m;
  EXPECT_NE(m.find("tairitsu:showcase/host@0.1.0#transform: func(p: record { x: s32, y: s32 }) "
                   "-> record { x: s32, y: s32 }"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("tairitsu:showcase/host@0.1.0#lookup: func(key: string) -> option<string>"), std::string::npos) << m;
  EXPECT_NE(m.find("tairitsu:showcase/host@0.1.0#resource session"), std::string::npos) << m;
  EXPECT_EQ(m.find("#log:"), std::string::npos) << m;
  EXPECT_EQ(m.find("wasi:"), std::string::npos) << m;
}

TEST(HostFunctions, WithoutWasiTheWasiImportsAreMissing) {
  auto b = showcase_builder();
  b.wasi(false);
  auto r = b.build();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::LinkError);
  EXPECT_NE(r.error().message().find("wasi:"), std::string::npos) << r.error();
}

TEST(HostFunctions, HostStateIsSharedWithTheHost) {
  auto built = showcase_builder().build();
  ASSERT_OK(built);
  ASSERT_OK(built->call(api("roundtrip"), {point(0, 0)}));
  ASSERT_NE(built->state<ShowcaseState>(), nullptr);
  EXPECT_EQ(built->state<ShowcaseState>()->transforms, 1);
  EXPECT_EQ(built->state<int>(), nullptr);
}

TEST(HostFunctions, ALaterDefinitionReplacesAnEarlierOneAndExceptionsTrap) {
  auto b = showcase_builder();
  b.define_function(host_item("transform"),
                    [](HostContext &, std::span<const Value>) -> Result<Value> { throw std::runtime_error("kaboom"); });
  auto built = b.build();
  ASSERT_OK(built);
  auto r = built->call(api("roundtrip"), {point(0, 0)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::Trap);
  EXPECT_NE(r.error().message().find("exception: kaboom"), std::string::npos) << r.error();
  EXPECT_EQ(built->state<ShowcaseState>()->transforms, 0);
}

}  // namespace
}  // namespace tairitsu
