#include <gtest/gtest.h>

#include "tairitsu/type.hpp"

namespace tairitsu {
namespace {

TEST(Type, PrintsWitSyntax) {
  Type point = Type::record({{"x", Type::s32()}, {"y", Type::s32()}});
  EXPECT_EQ(point.to_string(), "record { x: s32, y: s32 }");
  EXPECT_EQ(Type::list(Type::option(Type::string())).to_string(), "list<option<string>>");
  EXPECT_EQ(Type::result(std::nullopt, Type::string()).to_string(), "result<_, string>");
  EXPECT_EQ(Type::result(Type::u8(), std::nullopt).to_string(), "result<u8>");
  EXPECT_EQ(Type::result(std::nullopt, std::nullopt).to_string(), "result");
  EXPECT_EQ(Type::variant({{"a", Type::f64()}, {"b", std::nullopt}}).to_string(), "variant { a(f64), b }");
  EXPECT_EQ(Type::flags({"read", "write"}).to_string(), "flags { read, write }");
  EXPECT_EQ(Type::tuple({Type::u8(), Type::character()}).to_string(), "tuple<u8, char>");
  EXPECT_EQ(Type::borrow("counter").to_string(), "borrow<counter>");
  EXPECT_EQ(Type::stream(Type::u8()).to_string(), "stream<u8>");
  EXPECT_EQ(Type::future(std::nullopt).to_string(), "future");
}

TEST(Type, EqualityIsStructural) {
  EXPECT_EQ(Type::list(Type::u8()), Type::list(Type::u8()));
  EXPECT_NE(Type::list(Type::u8()), Type::list(Type::s8()));
  EXPECT_NE(Type::own("a"), Type::borrow("a"));
}

TEST(Type, FindsAsyncValuesAtAnyDepth) {
  EXPECT_FALSE(Type::list(Type::string()).contains_async_value());
  EXPECT_TRUE(Type::list(Type::option(Type::stream(Type::u8()))).contains_async_value());
  EXPECT_TRUE(Type::record({{"f", Type::future(std::nullopt)}}).contains_async_value());
  EXPECT_TRUE(Type::result(std::nullopt, Type::error_context()).contains_async_value());
  FunctionType f{{{"s", Type::stream(Type::u8())}}, std::nullopt};
  EXPECT_TRUE(f.contains_async_value());
  EXPECT_EQ(f.to_string(), "func(s: stream<u8>)");
}

}  // namespace
}  // namespace tairitsu
