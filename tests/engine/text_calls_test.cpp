// Calls by text and host functions that speak text, on the C guest.

#include "engine/showcase_host.hpp"

namespace tairitsu {
namespace {

using namespace testing;

Container showcase() {
  auto built = showcase_builder().build();
  EXPECT_TRUE(built) << built.error();
  return std::move(*built);
}

TEST(TextCalls, CallsByTextInEachFormat) {
  Container c = showcase();
  auto sum = c.call("add", "(1, 2)");
  ASSERT_TRUE(sum) << sum.error();
  EXPECT_EQ(*sum, "3");
  auto pretty = c.call_text(api("reverse"), "([\"a\", \"b\"])", TextFormat::Wave, {.pretty = true});
  ASSERT_TRUE(pretty) << pretty.error();
  EXPECT_EQ(*pretty, "[\n  \"b\",\n  \"a\",\n]");
  auto scaled = c.call_text(api("scale"), "({x: 1, y: -2}, 3)");
  ASSERT_TRUE(scaled) << scaled.error();
  EXPECT_EQ(*scaled, "{x: 3, y: -6}");
  auto ron = c.call_text(api("scale"), "(Point(x: 1, y: -2), 3)", TextFormat::Ron);
  ASSERT_TRUE(ron) << ron.error();
  EXPECT_EQ(*ron, "(x: 3, y: -6)");
  auto json = c.call_text(api("scale"), "{\"p\": {\"x\": 1, \"y\": -2}, \"factor\": 3}", TextFormat::Json);
  ASSERT_TRUE(json) << json.error();
  EXPECT_EQ(*json, "{\"x\":3,\"y\":-6}");
  auto parsed = c.call_text(api("parse-number"), "(\"12x\")");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, "err(\"not a number: 12x\")");
  auto nothing = c.call_text(api("use-session"), "(\"s\")", TextFormat::Ron);
  ASSERT_TRUE(nothing) << nothing.error();
  EXPECT_EQ(*nothing, "\"session s\"");
}

TEST(TextCalls, WholeCallExpressions) {
  Container c = showcase();
  auto r = c.invoke("add(40, 2)");
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(*r, "42");
  r = c.invoke("greet(\"wave\")");  // a bare name found in the exported interface
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(*r, "\"Hello, wave!\"");
  r = c.invoke("area(rectangle({x: 2, y: 3}))");
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(*r, "6");
  r = c.invoke("next-color(Blue)", TextFormat::Ron);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(*r, "Red");
  r = c.invoke("find([\"a\", \"b\"], \"b\")", TextFormat::Json);  // name(args) in JSON too
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(*r, "1");
  r = c.invoke("find([\"a\", \"b\"], \"b\")");
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, "some(1)");
}

TEST(TextCalls, BadArgumentTextNamesTheFunctionAndPosition) {
  Container c = showcase();
  auto r = c.call_text(api("scale"), "({x: 1, y: \"2\"}, 3)");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidInput);
  EXPECT_NE(r.error().message().find("scale: func(p: record { x: s32, y: s32 }"), std::string::npos) << r.error();
  EXPECT_NE(r.error().message().find("1:12: argument 'p': expected s32, found a string"), std::string::npos)
      << r.error();
  auto unknown = c.invoke("nope(1)");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::NotFound);
}

TEST(TextCalls, HostFunctionsAnswerInText) {
  auto b = showcase_builder();
  std::vector<std::string> seen;
  b.define_text_function(host_item("transform"), [&](HostContext &, std::string_view args) -> Result<std::string> {
    seen.emplace_back(args);
    return std::string("{x: 100, y: 200}");
  });
  b.define_text_function(
      host_item("lookup"),
      [&](HostContext &, std::string_view args) -> Result<std::string> {
        seen.emplace_back(args);
        return std::string("Some(\"from ron\")");
      },
      TextFormat::Ron);
  b.define_text_function(
      "host-version",
      [&](HostContext &, std::string_view args) -> Result<std::string> {
        seen.emplace_back(args);
        return std::string("\"json host\"");
      },
      TextFormat::Json);
  auto built = b.build();
  ASSERT_TRUE(built) << built.error();
  auto r = built->invoke("roundtrip({x: 1, y: 2})");
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(*r, "{x: 200, y: 400}");
  r = built->invoke("describe(\"k\")");
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(*r, "\"found: from ron\"");
  r = built->invoke("banner()");
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(*r, "\"showcase on json host\"");
  EXPECT_EQ(seen, (std::vector<std::string>{"({x: 1, y: 2})", "(\"k\")", "[]"}));
}

TEST(TextCalls, AWrongTypedTextResultTrapsNamingTheImportAndTypes) {
  auto b = showcase_builder();
  b.define_text_function(host_item("transform"), [](HostContext &, std::string_view) -> Result<std::string> {
    return std::string("\"not a point\"");
  });
  auto built = b.build();
  ASSERT_TRUE(built) << built.error();
  auto r = built->invoke("roundtrip({x: 1, y: 2})");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::Trap);
  EXPECT_NE(r.error().message().find("host function 'tairitsu:showcase/host@0.1.0#transform' failed: "
                                     "the result '\"not a point\"' is not a record { x: s32, y: s32 }"),
            std::string::npos)
      << r.error();
}

}  // namespace
}  // namespace tairitsu

namespace tairitsu {
namespace {

using namespace testing;

TEST(TextCalls, ResourceHandlesAreNamedInText) {
  auto built = showcase_builder().build();
  ASSERT_TRUE(built) << built.error();
  Container &c = *built;
  auto handle = c.invoke("[constructor]counter(5)");
  ASSERT_TRUE(handle) << handle.error();
  ASSERT_EQ(handle->rfind("handle-", 0), 0u) << *handle;
  auto next = c.invoke("[method]counter.increment(" + *handle + ")");
  ASSERT_TRUE(next) << next.error();
  EXPECT_EQ(*next, "6");
  auto ron = c.invoke("[method]counter.value(" + *handle + ")", TextFormat::Ron);
  ASSERT_TRUE(ron) << ron.error();
  EXPECT_EQ(*ron, "6");
  auto json = c.call_text(api("[method]counter.value"), "[\"" + *handle + "\"]", TextFormat::Json);
  ASSERT_TRUE(json) << json.error();
  EXPECT_EQ(*json, "6");
  auto unknown = c.invoke("[method]counter.value(handle-999999)");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code(), ErrorCode::InvalidInput);
  EXPECT_NE(unknown.error().message().find("'handle-999999' is not a borrow<counter> handle this container holds"),
            std::string::npos)
      << unknown.error();
  // Outside a container there is no table: handles have no text form.
  auto v = c.call(api("[constructor]counter"), {Value::s32(1)});
  ASSERT_TRUE(v);
  auto printed = print_value(*v, Type::own("counter"));
  ASSERT_FALSE(printed);
  EXPECT_EQ(printed.error().code(), ErrorCode::Unsupported);
  auto parsed = parse_value("handle-1", Type::own("counter"));
  ASSERT_FALSE(parsed);
}

}  // namespace
}  // namespace tairitsu
