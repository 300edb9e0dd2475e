#include <thread>

#include "support.hpp"

namespace tairitsu {
namespace {

using testing::fixture_image;

Result<Container> spinner(Limits limits) {
  return ContainerBuilder(fixture_image("spin.wasm")).name("spinner").limits(limits).build();
}

void expect_limit(const Result<Value> &r, const std::string &fragment) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::LimitExceeded) << r.error();
  EXPECT_NE(r.error().message().find(fragment), std::string::npos) << r.error();
}

// After a limit stopped one container, the host and other containers carry on,
// and the stopped one works again after restart().
void expect_recovery(Container &failed) {
  EXPECT_EQ(failed.state(), ContainerState::Failed);
  ASSERT_TRUE(failed.failure().has_value());
  EXPECT_EQ(failed.failure()->code(), ErrorCode::LimitExceeded);
  auto other = ContainerBuilder(fixture_image("adder.wasm")).build();
  ASSERT_OK(other);
  auto sum = other->call("add", {Value::s32(20), Value::s32(22)});
  ASSERT_OK(sum);
  EXPECT_EQ(*sum, Value::s32(42));
  ASSERT_OK(failed.restart());
  auto quick = failed.call("spin-for", {Value::u64(10)});
  ASSERT_OK(quick);
  EXPECT_EQ(*quick, Value::u64(10));
}

TEST(Limits, DeadlineStopsAnInfiniteLoop) {
  auto c = spinner({.timeout = std::chrono::milliseconds(50)});
  ASSERT_OK(c);
  auto started = std::chrono::steady_clock::now();
  expect_limit(c->call("spin"), "deadline of 50 ms exceeded");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  expect_recovery(*c);
}

TEST(Limits, FuelStopsAnInfiniteLoop) {
  auto c = spinner({.fuel = 100'000});
  ASSERT_OK(c);
  expect_limit(c->call("spin"), "fuel limit of 100000 units exhausted");
  expect_recovery(*c);
}

TEST(Limits, FuelIsRefilledForEachCall) {
  auto c = spinner({.fuel = 1'000'000});
  ASSERT_OK(c);
  for (int i = 0; i < 5; ++i) {
    auto r = c->call("spin-for", {Value::u64(10'000)});
    ASSERT_OK(r);
  }
}

TEST(Limits, MemoryGrowthPastTheLimitFails) {
  auto c = spinner({.memory_bytes = 4 * 65536});
  ASSERT_OK(c);
  auto within = c->call("grow", {Value::u32(2)});
  ASSERT_OK(within);
  EXPECT_EQ(*within, Value::s32(1));  // the old size in pages
  expect_limit(c->call("grow", {Value::u32(8)}), "memory limit of 262144 bytes exceeded");
  expect_recovery(*c);
}

TEST(Limits, UnlimitedGrowthSucceeds) {
  auto c = spinner({});
  ASSERT_OK(c);
  auto grown = c->call("grow", {Value::u32(8)});
  ASSERT_OK(grown);
  EXPECT_EQ(*grown, Value::s32(1));
}

TEST(Limits, InstanceLimitRefusesInstantiation) {
  // The adapted command module is several core instances; one is not enough.
  auto c = ContainerBuilder(fixture_image("hello_command.wasm")).limits({.instances = 1}).build();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), ErrorCode::LimitExceeded) << c.error();
  EXPECT_NE(c.error().message().find("instance limit of 1"), std::string::npos) << c.error();
}

TEST(Limits, DeadlinesOfParallelContainersAreIndependent) {
  std::vector<std::thread> threads;
  std::atomic<int> limited{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      auto c = spinner({.timeout = std::chrono::milliseconds(30)});
      if (c && !c->call("spin") && c->failure()->code() == ErrorCode::LimitExceeded) {
        limited++;
      }
    });
  }
  for (auto &t : threads) {
    t.join();
  }
  EXPECT_EQ(limited.load(), 4);
}

}  // namespace
}  // namespace tairitsu
