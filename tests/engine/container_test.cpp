#include "support.hpp"

namespace tairitsu {
namespace {

using testing::fixture_image;
using testing::fixture_path;

TEST(Container, CallsRootAndInterfaceExportsOfAWatComponent) {
  auto c = ContainerBuilder(fixture_image("adder.wasm")).name("adder").build();
  ASSERT_OK(c);
  EXPECT_EQ(c->name(), "adder");
  EXPECT_EQ(c->state(), ContainerState::Created);
  auto sum = c->call("add", {Value::s32(-7), Value::s32(3)});
  ASSERT_OK(sum);
  EXPECT_EQ(*sum, Value::s32(-4));
  auto product = c->call("tairitsu:adder/math@1.0.0#mul", {Value::s32(6), Value::s32(7)});
  ASSERT_OK(product);
  EXPECT_EQ(*product, Value::s32(42));
  auto bare = c->call("mul", {Value::s32(2), Value::s32(3)});
  ASSERT_OK(bare);
  EXPECT_EQ(*bare, Value::s32(6));
  EXPECT_EQ(c->state(), ContainerState::Running);
}

TEST(Container, UnknownExportIsNotFoundAndListsTheExports) {
  auto c = ContainerBuilder(fixture_image("adder.wasm")).build();
  ASSERT_OK(c);
  auto r = c->call("sub", {Value::s32(1), Value::s32(1)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::NotFound);
  EXPECT_NE(r.error().message().find("no exported function 'sub'"), std::string::npos);
  EXPECT_NE(r.error().message().find("mul: func(a: s32, b: s32) -> s32"), std::string::npos);
  EXPECT_EQ(c->state(), ContainerState::Created);
}

TEST(Container, DefaultNameComesFromTheDigest) {
  Image image = fixture_image("adder.wasm");
  auto c = ContainerBuilder(image).build();
  ASSERT_OK(c);
  EXPECT_EQ(c->name(), image.digest().substr(7, 12));
}

TEST(Container, StopAndRestart) {
  auto c = ContainerBuilder(fixture_image("adder.wasm")).build();
  ASSERT_OK(c);
  c->stop();
  EXPECT_EQ(c->state(), ContainerState::Stopped);
  auto r = c->call("add", {Value::s32(1), Value::s32(2)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidState);
  EXPECT_NE(r.error().message().find("is stopped"), std::string::npos);
  ASSERT_OK(c->restart());
  EXPECT_EQ(c->state(), ContainerState::Created);
  auto sum = c->call("add", {Value::s32(1), Value::s32(2)});
  ASSERT_OK(sum);
  EXPECT_EQ(*sum, Value::s32(3));
}

TEST(Container, BuilderMakesIndependentContainers) {
  ContainerBuilder b(fixture_image("adder.wasm"));
  auto first = b.name("one").build();
  auto second = b.name("two").build();
  ASSERT_OK(first);
  ASSERT_OK(second);
  EXPECT_EQ(first->name(), "one");
  EXPECT_EQ(second->name(), "two");
  first->stop();
  auto sum = second->call("add", {Value::s32(2), Value::s32(2)});
  ASSERT_OK(sum);
}

TEST(Container, RunsACoreCommandModuleWithArgsEnvAndCapturedOutput) {
  auto image = Image::from_file(fixture_path("hello_command.core.wasm"), testing::test_engine());
  ASSERT_OK(image);
  auto c = ContainerBuilder(*image)
               .name("hello")
               .args({"one", "two words"})
               .env("GREETING", "bonjour")
               .stdin_bytes("from the host")
               .stdout_mode(StdioMode::Capture)
               .stderr_mode(StdioMode::Capture)
               .build();
  ASSERT_OK(c);
  auto code = c->run();
  ASSERT_OK(code);
  EXPECT_EQ(*code, 0);
  EXPECT_EQ(c->stdout_text(),
            "args: hello one two words\n"
            "GREETING=bonjour\n"
            "MISSING=(unset)\n"
            "stdin: from the host\n");
  EXPECT_EQ(c->stderr_text(), "to stderr\n");
}

TEST(Container, CommandExitCodeAndDeniedEnvironment) {
  auto c =
      ContainerBuilder(fixture_image("hello_command.wasm")).args({"--fail"}).stdout_mode(StdioMode::Capture).build();
  ASSERT_OK(c);
  auto code = c->run();
  ASSERT_OK(code);
  // The preview1 adapter reports any non-zero exit status as wasi:cli/exit(err), which is 1.
  EXPECT_EQ(*code, 1);
  // Nothing was granted: no environment, empty stdin, stderr discarded.
  EXPECT_NE(c->stdout_text().find("GREETING=(unset)"), std::string::npos) << c->stdout_text();
  EXPECT_EQ(c->stdout_text().find("stdin:"), std::string::npos);
  EXPECT_EQ(c->stderr_text(), "");
}

TEST(Container, RunOnALibraryIsNotFound) {
  auto c = ContainerBuilder(fixture_image("adder.wasm")).build();
  ASSERT_OK(c);
  auto r = c->run();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::NotFound);
}

}  // namespace
}  // namespace tairitsu
