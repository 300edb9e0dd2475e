#include <gtest/gtest.h>

#include <cmath>

#include "tairitsu/value.hpp"

namespace tairitsu {
namespace {

TEST(Value, BuildsAndReadsEveryKind) {
  Value point = Value::record({{"x", Value::s32(1)}, {"y", Value::s32(-2)}});
  EXPECT_EQ(point.kind(), TypeKind::Record);
  EXPECT_EQ(point.field("y")->as_s32(), -2);
  EXPECT_EQ(point.field("z"), nullptr);
  EXPECT_EQ(Value::some(Value::u8(7)).payload()->as_u8(), 7);
  EXPECT_EQ(Value::none().payload(), nullptr);
  EXPECT_EQ(Value::err(Value::string("bad")).payload()->as_string(), "bad");
  EXPECT_FALSE(Value::err().as_result().is_ok);
  EXPECT_EQ(Value::variant("circle", Value::f64(1.5)).payload()->as_f64(), 1.5);
  EXPECT_EQ(Value::list({Value::u8(1), Value::u8(2)}).items().size(), 2u);
  EXPECT_EQ(Value::unit().kind(), TypeKind::Tuple);
  EXPECT_THROW(point.as_s32(), std::bad_variant_access);
}

TEST(Value, EqualityTreatsNanAsEqualAndFlagsAsSets) {
  EXPECT_EQ(Value::f64(NAN), Value::f64(NAN));
  EXPECT_NE(Value::f64(1.0), Value::f32(1.0f));
  EXPECT_EQ(Value::flags({"a", "b"}), Value::flags({"b", "a"}));
  EXPECT_NE(Value::some(Value::u8(1)), Value::none());
}

TEST(Value, PrintsReadably) {
  Value v = Value::record({{"name", Value::string("a\"b\n")}, {"tags", Value::list({Value::character(U'é')})}});
  EXPECT_EQ(v.to_string(), "{name: \"a\\\"b\\n\", tags: ['é']}");
  EXPECT_EQ(Value::ok().to_string(), "ok");
  EXPECT_EQ(Value::some(Value::f32(INFINITY)).to_string(), "some(inf)");
}

TEST(Value, MatchesTypesAndNamesTheMismatch) {
  Type point = Type::record({{"x", Type::s32()}, {"y", Type::s32()}});
  Type t = Type::list(point);
  std::string where;
  EXPECT_TRUE(value_matches(Value::list({Value::record({{"x", Value::s32(1)}, {"y", Value::s32(2)}})}), t, &where));
  EXPECT_FALSE(
      value_matches(Value::list({Value::record({{"x", Value::s32(1)}, {"y", Value::string("2")}})}), t, &where));
  EXPECT_EQ(where, "[0].y");
  EXPECT_FALSE(value_matches(Value::enumeration("purple"), Type::enumeration({"red"}), &where));
  EXPECT_FALSE(value_matches(Value::variant("b", Value::u8(1)), Type::variant({{"b", std::nullopt}}), &where));
  EXPECT_EQ(where, ".b");
  EXPECT_TRUE(value_matches(Value::ok(), Type::result(std::nullopt, Type::string())));
  EXPECT_FALSE(value_matches(Value::ok(Value::u8(1)), Type::result(std::nullopt, Type::string())));
}

}  // namespace
}  // namespace tairitsu
