#include <thread>

#include "support.hpp"

namespace tairitsu {
namespace {

using testing::fixture_image;

TEST(Registry, RegistersImagesByNameAndTag) {
  Registry registry;
  ASSERT_OK(registry.register_image("calc", fixture_image("adder.wasm")));
  ASSERT_OK(registry.register_image("calc:1.0", fixture_image("adder.wasm")));
  EXPECT_EQ(registry.list_images(), (std::vector<std::string>{"calc:1.0", "calc:latest"}));
  ASSERT_TRUE(registry.find_image("calc:latest"));
  EXPECT_EQ(registry.find_image("calc")->digest(), fixture_image("adder.wasm").digest());
}

TEST(Registry, DuplicatesUnknownNamesAndBadReferencesAreErrors) {
  Registry registry;
  ASSERT_OK(registry.register_image("calc:1", fixture_image("adder.wasm")));
  auto dup = registry.register_image("calc:1", fixture_image("adder.wasm"));
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), ErrorCode::AlreadyExists);
  auto missing = registry.get_image("calc:2");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::NotFound);
  EXPECT_NE(missing.error().message().find("calc:1"), std::string::npos);
  auto bad = registry.register_image("Calc:1", fixture_image("adder.wasm"));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidInput);
  EXPECT_EQ(registry.remove_image("nope").error().code(), ErrorCode::NotFound);
  EXPECT_EQ(registry.get_container("nope").error().code(), ErrorCode::NotFound);
}

TEST(Registry, RegistersBytes) {
  Registry registry(testing::test_engine());
  auto bytes = testing::read_bytes(testing::fixture_path("adder.wasm"));
  auto image = registry.register_image("adder:v1", bytes);
  ASSERT_OK(image);
  EXPECT_TRUE(registry.find_image("adder:v1"));
  auto junk = registry.register_image("junk", std::vector<std::byte>(3));
  ASSERT_FALSE(junk);
  EXPECT_NE(junk.error().message().find("registering image 'junk'"), std::string::npos);
}

TEST(Registry, ContainersByNameOutliveTheirImage) {
  Registry registry;
  ASSERT_OK(registry.register_image("calc", fixture_image("adder.wasm")));
  auto c = registry.create_container("calc-1", "calc");
  ASSERT_OK(c);
  auto dup = registry.create_container("calc-1", "calc");
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code(), ErrorCode::AlreadyExists);
  ASSERT_OK(registry.remove_image("calc"));
  auto sum = (*c)->call("add", {Value::s32(1), Value::s32(2)});
  ASSERT_OK(sum);
  EXPECT_EQ(*sum, Value::s32(3));
  EXPECT_EQ(registry.list_containers(), std::vector<std::string>{"calc-1"});
  ASSERT_OK(registry.stop_container("calc-1"));
  EXPECT_EQ((*c)->state(), ContainerState::Stopped);
  ASSERT_OK((*c)->restart());
  ASSERT_OK(registry.remove_container("calc-1"));
  EXPECT_TRUE(registry.list_containers().empty());
  EXPECT_EQ(registry.find_container("calc-1"), nullptr);
}

TEST(Registry, ConfiguresContainersItCreates) {
  Registry registry;
  ASSERT_OK(registry.register_image("spin", fixture_image("spin.wasm")));
  auto c = registry.create_container("limited", "spin", [](ContainerBuilder &b) { b.limits({.fuel = 10'000}); });
  ASSERT_OK(c);
  auto r = (*c)->call("spin");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::LimitExceeded);
}

TEST(Registry, EightThreadsRegisterCreateCallAndRemoveAtOnce) {
  Registry registry;
  ASSERT_OK(registry.register_image("calc:shared", fixture_image("adder.wasm")));
  constexpr int kThreads = 8;
  constexpr int kRounds = 20;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRounds; ++i) {
        std::string ref = "calc:t" + std::to_string(t) + "-" + std::to_string(i);
        std::string name = "c" + std::to_string(t) + "-" + std::to_string(i);
        bool ok = registry.register_image(ref, fixture_image("adder.wasm")).ok();
        auto c = registry.create_container(name, i % 2 ? ref : "calc:shared");
        ok = ok && c.ok();
        if (ok) {
          auto sum = (*c)->call("add", {Value::s32(t), Value::s32(i)});
          ok = sum && *sum == Value::s32(t + i);
          // Another thread's container, called through the registry.
          if (auto other =
                  registry.find_container("c" + std::to_string((t + 1) % kThreads) + "-" + std::to_string(i))) {
            auto r = other->call("add", {Value::s32(1), Value::s32(1)});
            ok = ok && (r || r.error().code() == ErrorCode::InvalidState);
          }
          ok = ok && registry.remove_image(ref).ok();
          if (i % 3 == 0) {
            ok = ok && registry.remove_container(name).ok();
          }
        }
        if (!ok) {
          failures++;
        }
      }
    });
  }
  for (auto &th : threads) {
    th.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(registry.list_images(), std::vector<std::string>{"calc:shared"});
  EXPECT_EQ(registry.list_containers().size(), static_cast<std::size_t>(kThreads * (kRounds - 7)));
}

}  // namespace
}  // namespace tairitsu
