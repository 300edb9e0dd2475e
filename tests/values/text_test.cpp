#include <gtest/gtest.h>

#include <cmath>

#include "support.hpp"
#include "tairitsu/text.hpp"
#include "values/random_values.hpp"

namespace tairitsu {
namespace {

Type point() { return Type::record({{"x", Type::s32()}, {"y", Type::s32()}}); }
Value point(int32_t x, int32_t y) { return Value::record({{"x", Value::s32(x)}, {"y", Value::s32(y)}}); }

struct Example {
  Type type;
  Value value;
  std::string wave;
  std::string ron;
  std::string json;
};

// One row per kind of WIT type: the value and how each format prints it.
std::vector<Example> examples() {
  Type shape = Type::variant({{"circle", Type::f64()}, {"rectangle", point()}, {"empty", std::nullopt}});
  Type color = Type::enumeration({"red", "dark-green", "none"});
  Type perms = Type::flags({"read", "write", "exec"});
  return {
      {Type::boolean(), Value::boolean(true), "true", "true", "true"},
      {Type::s8(), Value::s8(-128), "-128", "-128", "-128"},
      {Type::u64(), Value::u64(18446744073709551615u), "18446744073709551615", "18446744073709551615",
       "18446744073709551615"},
      {Type::s64(), Value::s64(INT64_MIN), "-9223372036854775808", "-9223372036854775808", "-9223372036854775808"},
      {Type::f64(), Value::f64(1.0), "1", "1.0", "1"},
      {Type::f64(), Value::f64(0.1), "0.1", "0.1", "0.1"},
      {Type::f64(), Value::f64(-0.0), "-0", "-0.0", "-0"},
      {Type::f64(), Value::f64(1e21), "1000000000000000000000", "1000000000000000000000.0", "1000000000000000000000"},
      {Type::f32(), Value::f32(0.1f), "0.1", "0.1", "0.1"},
      {Type::f64(), Value::f64(NAN), "nan", "NaN", "\"nan\""},
      {Type::f32(), Value::f32(-INFINITY), "-inf", "-inf", "\"-inf\""},
      {Type::character(), Value::character(U'\''), "'\\''", "'\\''", "\"'\""},
      {Type::character(), Value::character(U'好'), "'好'", "'好'", "\"好\""},
      {Type::string(), Value::string("a\"b\\c\nd\té"), "\"a\\\"b\\\\c\\nd\\té\"", "\"a\\\"b\\\\c\\nd\\té\"",
       "\"a\\\"b\\\\c\\nd\\té\""},
      {Type::string(), Value::string(std::string("\x01", 1)), "\"\\u{1}\"", "\"\\u{1}\"", "\"\\u0001\""},
      {Type::list(Type::u8()), Value::list({Value::u8(1), Value::u8(2)}), "[1, 2]", "[1, 2]", "[1,2]"},
      {Type::list(Type::u8()), Value::list({}), "[]", "[]", "[]"},
      {point(), point(1, -2), "{x: 1, y: -2}", "(x: 1, y: -2)", "{\"x\":1,\"y\":-2}"},
      {Type::record({{"first-name", Type::string()}, {"age", Type::option(Type::u8())}}),
       Value::record({{"first-name", Value::string("Ada")}, {"age", Value::none()}}), "{first-name: \"Ada\"}",
       "(first_name: \"Ada\", age: None)", "{\"first-name\":\"Ada\",\"age\":null}"},
      {Type::tuple({Type::u8(), Type::string()}), Value::tuple({Value::u8(7), Value::string("x")}), "(7, \"x\")",
       "(7, \"x\")", "[7,\"x\"]"},
      {shape, Value::variant("circle", Value::f64(1.5)), "circle(1.5)", "Circle(1.5)", "{\"circle\":1.5}"},
      {shape, Value::variant("rectangle", point(2, 3)), "rectangle({x: 2, y: 3})", "Rectangle((x: 2, y: 3))",
       "{\"rectangle\":{\"x\":2,\"y\":3}}"},
      {shape, Value::variant("empty"), "empty", "Empty", "\"empty\""},
      {color, Value::enumeration("dark-green"), "dark-green", "DarkGreen", "\"dark-green\""},
      {color, Value::enumeration("none"), "%none", "None", "\"none\""},
      {Type::option(Type::string()), Value::some(Value::string("a")), "some(\"a\")", "Some(\"a\")", "\"a\""},
      {Type::option(Type::string()), Value::none(), "none", "None", "null"},
      {Type::option(Type::option(Type::u8())), Value::some(Value::none()), "some(none)", "Some(None)",
       "{\"some\":null}"},
      {Type::result(Type::u32(), Type::string()), Value::ok(Value::u32(5)), "ok(5)", "Ok(5)", "{\"ok\":5}"},
      {Type::result(Type::u32(), Type::string()), Value::err(Value::string("bad")), "err(\"bad\")", "Err(\"bad\")",
       "{\"err\":\"bad\"}"},
      {Type::result(std::nullopt, std::nullopt), Value::ok(), "ok", "Ok(())", "{\"ok\":null}"},
      {perms, Value::flags({"exec", "read"}), "{read, exec}", "[Read, Exec]", "[\"read\",\"exec\"]"},
      {perms, Value::flags({}), "{}", "[]", "[]"},
  };
}

TEST(Text, EveryKindPrintsAndParsesInEveryFormat) {
  for (const Example &e : examples()) {
    for (auto [format, text] : {std::pair{TextFormat::Wave, e.wave}, std::pair{TextFormat::Ron, e.ron},
                                std::pair{TextFormat::Json, e.json}}) {
      SCOPED_TRACE(std::string(to_string(format)) + " " + e.type.to_string() + " " + text);
      auto printed = print_value(e.value, e.type, format);
      ASSERT_TRUE(printed) << printed.error();
      EXPECT_EQ(*printed, text);
      auto parsed = parse_value(text, e.type, format);
      ASSERT_TRUE(parsed) << parsed.error();
      EXPECT_EQ(*parsed, e.value);
    }
  }
}

TEST(Text, AlternativeSpellingsAreRead) {
  Type shape = Type::variant({{"circle", Type::f64()}, {"dark-side", std::nullopt}});
  auto check = [](std::string_view text, const Type &t, TextFormat f, const Value &expected) {
    auto v = parse_value(text, t, f);
    ASSERT_TRUE(v) << text << ": " << v.error();
    EXPECT_EQ(*v, expected) << text;
  };
  // WAVE: comments, trailing commas, %-escaped labels, flattened options and results,
  // record fields in any order, escapes, multiline strings.
  check("// a point\n{ y: 2, x: 1, }", point(), TextFormat::Wave, point(1, 2));
  check("%circle(2)", shape, TextFormat::Wave, Value::variant("circle", Value::f64(2)));
  check("5", Type::option(Type::u8()), TextFormat::Wave, Value::some(Value::u8(5)));
  check("5", Type::result(Type::u8(), std::nullopt), TextFormat::Wave, Value::ok(Value::u8(5)));
  check("\"\\u{48}i\"", Type::string(), TextFormat::Wave, Value::string("Hi"));
  check("\"\"\"\n  one\n    two\n  \"\"\"", Type::string(), TextFormat::Wave, Value::string("one\n  two"));
  // RON: struct names, snake/kebab/camel names, raw strings, hex, comments, unit payloads.
  check("Point(x: 1, y: 2)", point(), TextFormat::Ron, point(1, 2));
  check("DarkSide", shape, TextFormat::Ron, Value::variant("dark-side"));
  check("dark_side", shape, TextFormat::Ron, Value::variant("dark-side"));
  check("r#\"a \"quoted\" \\n\"#", Type::string(), TextFormat::Ron, Value::string("a \"quoted\" \\n"));
  check("0xff", Type::u8(), TextFormat::Ron, Value::u8(255));
  check("1_000 /* thousand */", Type::u32(), TextFormat::Ron, Value::u32(1000));
  check("Ok", Type::result(std::nullopt, Type::string()), TextFormat::Ron, Value::ok());
  check("[1, 2,]", Type::list(Type::u8()), TextFormat::Ron, Value::list({Value::u8(1), Value::u8(2)}));
  // JSON: \u escapes with surrogate pairs, omitted option fields.
  check("\"\\ud83d\\ude00\"", Type::string(), TextFormat::Json, Value::string("😀"));
  check("{\"first\": 1}", Type::record({{"first", Type::u8()}, {"second", Type::option(Type::u8())}}), TextFormat::Json,
        Value::record({{"first", Value::u8(1)}, {"second", Value::none()}}));
}

struct Malformed {
  TextFormat format;
  Type type;
  std::string input;
  std::string message;  // a fragment of the expected error
};

TEST(Text, MalformedInputGivesPositionedErrors) {
  std::vector<Malformed> table = {
      {TextFormat::Wave, Type::string(), "\"abc", "WAVE 1:1: invalid token"},
      {TextFormat::Wave, Type::u8(), "256", "'256' is not a valid u8"},
      {TextFormat::Wave, Type::u32(), "-1", "'-1' is not a valid u32"},
      {TextFormat::Wave, Type::s32(), "1.5", "is not a valid s32"},
      {TextFormat::Wave, Type::string(), "\"a\\qb\"", "invalid token"},
      {TextFormat::Wave, Type::string(), "\"\\u{d800}\"", "invalid escape"},
      {TextFormat::Wave, Type::list(Type::u8()), "[1, 2] x", "1:8: unexpected trailing characters 'x'"},
      {TextFormat::Wave, point(), "{x: 1}", "missing field \"y\""},
      {TextFormat::Wave, point(), "{x: 1, x: 2, y: 3}", "duplicate field \"x\""},
      {TextFormat::Wave, Type::enumeration({"red"}), "blue", "unknown case \"blue\""},
      {TextFormat::Wave, Type::flags({"read"}), "{write}", "unknown flag \"write\""},
      {TextFormat::Wave, Type::list(Type::u8()), "[1,\n 2,\n \"x\"]", "3:2: expected u8, found a string"},
      {TextFormat::Wave, Type::tuple({Type::u8()}), "()", "empty tuple"},
      {TextFormat::Wave, Type::character(), "'ab'", "invalid token"},
      {TextFormat::Wave, Type::u8(), "", "unexpected end of input"},
      {TextFormat::Ron, Type::u8(), "300", "'300' is out of range for u8"},
      {TextFormat::Ron, point(), "(x: 1, z: 2)", "unknown field 'z'"},
      {TextFormat::Ron, Type::string(), "\"open", "unterminated string"},
      {TextFormat::Ron, Type::string(), "\"bad \\q\"", "invalid escape '\\q'"},
      {TextFormat::Ron, Type::option(Type::u8()), "Some(1", "expected ')'"},
      {TextFormat::Ron, Type::enumeration({"red"}), "Blue", "unknown case 'Blue'"},
      {TextFormat::Ron, Type::list(Type::u8()), "[1] 2", "trailing characters"},
      {TextFormat::Json, Type::u8(), "1.5", "is not a valid u8"},
      {TextFormat::Json, point(), "{\"x\": 1, \"y\": 2, \"z\": 3}", "unknown field \"z\""},
      {TextFormat::Json, Type::string(), "\"\\ud800\"", "unpaired surrogate"},
      {TextFormat::Json, Type::list(Type::u8()), "[1, 2", "expected ','"},
      {TextFormat::Json, Type::boolean(), "True", "expected bool"},
      {TextFormat::Json, Type::character(), "\"ab\"", "exactly one character"},
      {TextFormat::Json, Type::u64(), "18446744073709551616", "is not a valid u64"},
      {TextFormat::Wave, Type::string(), "\"\xfe\"", "WAVE 1:2: the text is not valid UTF-8"},
      {TextFormat::Ron, Type::string(), "\"\xc3\"", "RON 1:2: the text is not valid UTF-8"},
      {TextFormat::Json, Type::string(), "\"ok\xed\xa0\x80\"", "JSON 1:4: the text is not valid UTF-8"},
  };
  for (const Malformed &m : table) {
    auto r = parse_value(m.input, m.type, m.format);
    ASSERT_FALSE(r) << to_string(m.format) << " accepted " << m.input;
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidInput);
    EXPECT_NE(r.error().message().find(m.message), std::string::npos)
        << to_string(m.format) << " " << m.input << " -> " << r.error().message();
  }
}

TEST(Text, DeepNestingAndHugeInputsAreRefusedWithoutCrashing) {
  Type nested = Type::u8();
  for (int i = 0; i < 5; ++i) nested = Type::list(nested);
  for (TextFormat f : {TextFormat::Wave, TextFormat::Ron, TextFormat::Json}) {
    std::string deep(200000, '[');
    auto r = parse_value(deep, nested, f);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), ErrorCode::InvalidInput);
    std::string big(1000, ' ');
    auto small = parse_value(big + "1", Type::u8(), f, TextLimits{.max_depth = 100, .max_bytes = 100});
    ASSERT_FALSE(small);
    EXPECT_NE(small.error().message().find("limit"), std::string::npos) << small.error();
  }
  // A type nested deeper than the limit: the parser stops at the limit.
  Type deep_type = Type::u8();
  std::string text = "1";
  for (int i = 0; i < 150; ++i) {
    deep_type = Type::list(deep_type);
    text = "[" + text + "]";
  }
  auto r = parse_value(text, deep_type);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("deeper than 100"), std::string::npos) << r.error();
}

TEST(Text, ArgumentsOfTheDeepestAcceptedTypeParseInEveryFormat) {
  // A value nested exactly as deep as the limit, passed as a call's only
  // argument: the argument list is no level of its own in any format.
  Type type = Type::u8();
  Value value = Value::u8(7);
  for (int i = 1; i < 100; ++i) {
    type = Type::list(type);
    value = Value::list({value});
  }
  std::vector<Param> params{{"x", type}};
  for (TextFormat f : {TextFormat::Wave, TextFormat::Ron, TextFormat::Json}) {
    auto text = print_arguments(std::vector<Value>{value}, params, f);
    ASSERT_TRUE(text) << text.error();
    auto back = parse_arguments(*text, params, f);
    ASSERT_TRUE(back) << to_string(f) << ": " << back.error();
    EXPECT_EQ(back->at(0), value);
    // One level more is refused in every format.
    std::vector<Param> deeper_params{{"x", Type::list(type)}};
    auto deeper_text = print_arguments(std::vector<Value>{Value::list({value})}, deeper_params, f);
    ASSERT_TRUE(deeper_text) << deeper_text.error();
    auto deeper = parse_arguments(*deeper_text, deeper_params, f);
    ASSERT_FALSE(deeper) << to_string(f);
    EXPECT_NE(deeper.error().message().find("deeper than 100"), std::string::npos) << deeper.error();
  }
}

TEST(Text, RoundTripsRandomValuesCanonically) {
  testing::RandomValues random(20261121);
  int checked = 0;
  for (int i = 0; i < 400; ++i) {
    Type t = random.type();
    bool wave_ok = t.to_string().find("map<") == std::string::npos;  // WAVE has no maps
    for (int j = 0; j < 5; ++j) {
      Value v = random.value(t);
      for (TextFormat f : {TextFormat::Wave, TextFormat::Ron, TextFormat::Json}) {
        if (f == TextFormat::Wave && !wave_ok) continue;
        for (bool pretty : {false, true}) {
          auto text = print_value(v, t, f, {.pretty = pretty});
          ASSERT_TRUE(text) << to_string(f) << " " << t.to_string() << " " << v.to_string() << ": " << text.error();
          auto back = parse_value(*text, t, f);
          ASSERT_TRUE(back) << to_string(f) << " " << t.to_string() << " " << *text << ": " << back.error();
          EXPECT_EQ(*back, v) << to_string(f) << " " << *text;
          auto again = print_value(*back, t, f, {.pretty = pretty});
          ASSERT_TRUE(again);
          EXPECT_EQ(*again, *text) << "printing is not canonical";
          ++checked;
        }
      }
    }
  }
  EXPECT_GT(checked, 8000);
}

TEST(Text, ArgumentsAndCalls) {
  std::vector<Param> params = {{"a", Type::s32()}, {"label", Type::option(Type::string())}};
  auto wave = parse_arguments("(1)", params);
  ASSERT_TRUE(wave) << wave.error();
  EXPECT_EQ(*wave, (std::vector<Value>{Value::s32(1), Value::none()}));
  auto ron = parse_arguments("(1, Some(\"x\"))", params, TextFormat::Ron);
  ASSERT_TRUE(ron) << ron.error();
  EXPECT_EQ((*ron)[1], Value::some(Value::string("x")));
  auto json = parse_arguments("{\"label\": \"y\", \"a\": 2}", params, TextFormat::Json);
  ASSERT_TRUE(json) << json.error();
  EXPECT_EQ(*json, (std::vector<Value>{Value::s32(2), Value::some(Value::string("y"))}));
  auto missing = parse_arguments("()", params);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("missing argument 'a'"), std::string::npos);
  auto call = split_call("  pkg:ns/iface@1.0.0#add (1, 2)");
  ASSERT_TRUE(call);
  EXPECT_EQ(call->function, "pkg:ns/iface@1.0.0#add");
  EXPECT_EQ(call->arguments, "(1, 2)");
  EXPECT_FALSE(split_call("add"));
  auto printed = print_arguments(std::vector<Value>{Value::s32(1), Value::none()}, params);
  ASSERT_TRUE(printed);
  EXPECT_EQ(*printed, "(1, none)");
}

// Plain integer arguments take a shortcut past the general parser; whatever
// it does not take must read (or fail) exactly as before.
TEST(Text, PlainIntegerArgumentsReadAsTheGeneralParserReadsThem) {
  std::vector<Param> params = {{"a", Type::s32()}, {"b", Type::u8()}, {"c", Type::s64()}};
  auto read = [&](std::string_view text) { return parse_arguments(text, params); };
  EXPECT_EQ(read("(1, 2, 3)").value(), (std::vector<Value>{Value::s32(1), Value::u8(2), Value::s64(3)}));
  EXPECT_EQ(read("(-2147483648,255,-9223372036854775808)").value(),
            (std::vector<Value>{Value::s32(INT32_MIN), Value::u8(255), Value::s64(INT64_MIN)}));
  EXPECT_EQ(read("( 0 , 0 , -0 )").value(), (std::vector<Value>{Value::s32(0), Value::u8(0), Value::s64(0)}));
  EXPECT_EQ(read("\t(1,\n2, 3) ").value(), (std::vector<Value>{Value::s32(1), Value::u8(2), Value::s64(3)}));
  for (std::string_view bad : {"(01, 2, 3)", "(1, 256, 3)", "(1, -1, 3)", "(1, 2)", "(1, 2, 3, 4)", "(1, 2, 3,,)",
                               "(1, 2, 3) x", "(1.5, 2, 3)", "(a, 2, 3)", "(1 2, 3)"}) {
    auto r = read(bad);
    EXPECT_FALSE(r) << bad;
    if (!r) EXPECT_EQ(r.error().code(), ErrorCode::InvalidInput) << bad;
  }
  EXPECT_EQ(read("(1, 2, 3,)").value(), (std::vector<Value>{Value::s32(1), Value::u8(2), Value::s64(3)}));
  auto too_big = read("(2147483648, 2, 3)");
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.error().message().find("is not a valid s32"), std::string::npos) << too_big.error();
}

TEST(Text, FormatNames) {
  EXPECT_EQ(parse_text_format("WAVE"), TextFormat::Wave);
  EXPECT_EQ(parse_text_format("ron"), TextFormat::Ron);
  EXPECT_EQ(parse_text_format("json"), TextFormat::Json);
  EXPECT_FALSE(parse_text_format("yaml"));
}

}  // namespace
}  // namespace tairitsu
