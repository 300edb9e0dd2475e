#include <fstream>

#include "support.hpp"

namespace tairitsu {
namespace {

using testing::fixture_image;

class Capabilities : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tairitsu-caps-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    std::ofstream(dir_ / "note.txt") << "granted content";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Container files(std::optional<DirAccess> access) {
    ContainerBuilder b(fixture_image("files.wasm"));
    if (access) {
      b.preopen(dir_, "/data", *access);
    }
    auto c = b.build();
    EXPECT_TRUE(c) << c.error();
    return std::move(*c);
  }

  std::filesystem::path dir_;
};

TEST_F(Capabilities, FilesystemIsDeniedByDefault) {
  Container c = files(std::nullopt);
  auto r = c.call("read-file", {Value::string("/data/note.txt")});
  ASSERT_OK(r);
  ASSERT_EQ(r->kind(), TypeKind::Result);
  EXPECT_FALSE(r->as_result().is_ok) << r->to_string();
  EXPECT_NE(r->payload()->as_string().find("/data/note.txt: "), std::string::npos);
}

TEST_F(Capabilities, ReadOnlyPreopenReadsButCannotWrite) {
  Container c = files(DirAccess::ReadOnly);
  auto read = c.call("read-file", {Value::string("/data/note.txt")});
  ASSERT_OK(read);
  EXPECT_EQ(*read, Value::ok(Value::string("granted content")));
  auto write = c.call("write-file", {Value::string("/data/new.txt"), Value::string("x")});
  ASSERT_OK(write);
  EXPECT_FALSE(write->as_result().is_ok) << write->to_string();
  EXPECT_FALSE(std::filesystem::exists(dir_ / "new.txt"));
}

TEST_F(Capabilities, ReadWritePreopenWrites) {
  Container c = files(DirAccess::ReadWrite);
  auto write = c.call("write-file", {Value::string("/data/new.txt"), Value::string("written")});
  ASSERT_OK(write);
  EXPECT_EQ(*write, Value::ok());
  std::ifstream in(dir_ / "new.txt");
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "written");
}

TEST_F(Capabilities, MissingPreopenDirectoryIsAnError) {
  auto c = ContainerBuilder(fixture_image("files.wasm")).preopen(dir_ / "absent", "/x").build();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), ErrorCode::NotFound);
  EXPECT_NE(c.error().message().find("absent"), std::string::npos);
}

}  // namespace
}  // namespace tairitsu
