#include <gtest/gtest.h>

#include "tairitsu/error.hpp"

namespace tairitsu {
namespace {

TEST(Error, ContextIsPrefixedOutermostFirst) {
  Error e(ErrorCode::NotFound, "no image 'x:latest'");
  e.with_context("creating container 'a'");
  EXPECT_EQ(e.message(), "creating container 'a': no image 'x:latest'");
  EXPECT_EQ(e.to_string(), "not found: creating container 'a': no image 'x:latest'");
}

TEST(Error, BacktraceIsPrintedOneFrameALine) {
  Error e(ErrorCode::Trap, "wasm trap: unreachable");
  e.with_backtrace({Frame{"guest", "run", 3, 0x1a}, Frame{"", "", 7, 0x40}});
  EXPECT_EQ(e.to_string(),
            "trap: wasm trap: unreachable\n"
            "wasm backtrace:\n"
            "  0: guest!run @ 0x1a\n"
            "  1: <module>!<wasm function 7> @ 0x40");
}

TEST(Result, HoldsValueOrError) {
  Result<int> good = 3;
  ASSERT_TRUE(good);
  EXPECT_EQ(*good, 3);
  Result<int> bad = Error(ErrorCode::InvalidInput, "nope");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidInput);
  Result<void> done;
  EXPECT_TRUE(done);
  Result<void> failed = Error(ErrorCode::Io, "disk");
  EXPECT_EQ(failed.error().message(), "disk");
}

}  // namespace
}  // namespace tairitsu
