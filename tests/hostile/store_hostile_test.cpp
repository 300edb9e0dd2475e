// Hostile store contents through the library: damaged artifacts are repaired
// once, the index is read strictly, and a held lock can be waited out or not.

#include <sys/file.h>

#include <fstream>

#include "process.hpp"
#include "registry/store_index.hpp"
#include "support.hpp"

namespace tairitsu {
namespace {

namespace fs = std::filesystem;
using testing::fixture_path;
using testing::read_bytes;

class HostileStore : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = ImageStore::open(scratch_.path() / "store");
    ASSERT_TRUE(store) << store.error();
    store_.emplace(*store);
  }
  testing::ScratchDirectory scratch_{"tairitsu-hostile-store"};
  std::optional<ImageStore> store_;
};

TEST_F(HostileStore, ADamagedArtifactIsRepairedOnceNotBypassedForever) {
  auto added = store_->add(read_bytes(fixture_path("adder.wasm")), "calc", testing::test_engine());
  ASSERT_TRUE(added) << added.error();
  fs::path artifact = store_->artifact_path(added->digest, testing::test_engine());
  auto good = read_bytes(artifact);
  // A one-byte change in the machine code: the checksum no longer matches.
  auto bad = good;
  bad[bad.size() / 2] ^= std::byte{0x01};
  std::ofstream(artifact, std::ios::binary)
      .write(reinterpret_cast<const char *>(bad.data()), static_cast<std::streamsize>(bad.size()));
  auto compiled = store_->load("calc", testing::test_engine());
  ASSERT_TRUE(compiled) << compiled.error();
  EXPECT_EQ(compiled->source(), ImageSource::Component);  // compiled from the blob, not the damaged code
  auto repaired = store_->load("calc", testing::test_engine());
  ASSERT_TRUE(repaired) << repaired.error();
  EXPECT_EQ(repaired->source(), ImageSource::Precompiled);  // the artifact was written anew
  auto c = ContainerBuilder(*repaired).build();
  ASSERT_OK(c);
  EXPECT_EQ(*c->call("add", {Value::s32(1), Value::s32(2)}), Value::s32(3));

  // A missing artifact is made again too.
  fs::remove(artifact);
  ASSERT_TRUE(store_->load("calc", testing::test_engine()));
  EXPECT_TRUE(fs::exists(artifact));
}

TEST_F(HostileStore, ArtifactsOthersCouldHaveWrittenAreNotLoaded) {
  auto added = store_->add(read_bytes(fixture_path("adder.wasm")), "calc", testing::test_engine());
  ASSERT_TRUE(added) << added.error();
  fs::path artifacts = store_->root() / "artifacts";
  fs::permissions(artifacts, fs::perms::others_write, fs::perm_options::add);
  auto image = store_->load("calc", testing::test_engine());
  ASSERT_TRUE(image) << image.error();
  EXPECT_EQ(image->source(), ImageSource::Component);  // compiled from the blob, whose digest is checked
  fs::permissions(artifacts, fs::perms::others_write, fs::perm_options::remove);
  fs::path artifact = store_->artifact_path(added->digest, testing::test_engine());
  fs::permissions(artifact, fs::perms::group_write, fs::perm_options::add);
  EXPECT_EQ(store_->load("calc", testing::test_engine())->source(), ImageSource::Component);
  fs::permissions(artifact, fs::perms::group_write, fs::perm_options::remove);
  EXPECT_EQ(store_->load("calc", testing::test_engine())->source(), ImageSource::Precompiled);
}

std::span<const std::byte> bytes_of(const std::string &text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

TEST_F(HostileStore, TheIndexIsReadStrictly) {
  std::string digest = "sha256:" + std::string(64, 'b');
  std::string entry = R"({"ref":"calc:1.0","digest":")" + digest + R"(","kind":"component","size":10,"created":5})";
  auto good = detail::parse_store_index("i", bytes_of(R"({"version":1,"images":[)" + entry + "]}"));
  ASSERT_TRUE(good) << good.error();
  ASSERT_EQ(good->size(), 1u);
  EXPECT_EQ(good->at("calc:1.0").digest, digest);
  auto written = detail::store_index_json(*good);
  auto again = detail::parse_store_index("i", bytes_of(written));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *good);

  for (auto [text, why] : std::vector<std::pair<std::string, std::string>>{
           {R"({"version":1,"images":[)" + entry + "," + entry + "]}", "a second time"},
           {R"({"version":1,"images":[{"ref":"calc","digest":")" + digest.substr(0, 20) +
                R"(","kind":"c","size":1,"created":0}]})",
            "images[0].digest"},
           {R"({"version":1,"images":[{"ref":"calc","digest":")" + digest + R"(","kind":1,"size":1,"created":0}]})",
            "images[0].kind"},
           {R"({"version":1,"images":[{"digest":")" + digest + R"(","kind":"c","size":1,"created":0}]})",
            "images[0].ref"},
           {R"({"version":1,"images":{}})", "\"images\" is not a list"},
           {R"({"images":[]})", "no \"version\""},
       }) {
    auto r = detail::parse_store_index("i", bytes_of(text));
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code(), ErrorCode::Io);
    EXPECT_NE(r.error().message().find(why), std::string::npos) << r.error();
  }
}

TEST_F(HostileStore, AWriterWaitsForAHeldLockOrStopsAtItsTimeout) {
  ASSERT_TRUE(store_->add(read_bytes(fixture_path("adder.wasm")), "a", testing::test_engine()));
  int fd = ::open((store_->root() / "lock").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  std::vector<std::string> told;
  auto impatient = ImageStore::open(store_->root(), {.lock_timeout = std::chrono::milliseconds(1200),
                                                     .on_lock_wait = [&](const std::string &m) { told.push_back(m); }});
  ASSERT_TRUE(impatient);
  auto refused = impatient->tag("a", "b");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code(), ErrorCode::Io);
  EXPECT_NE(refused.error().message().find("was not released within 1200 ms"), std::string::npos) << refused.error();
  EXPECT_EQ(told.size(), 1u);
  // A reader is never kept waiting.
  EXPECT_TRUE(impatient->load("a", testing::test_engine()));
  std::thread release([fd] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::close(fd);
  });
  auto patient = ImageStore::open(store_->root());
  ASSERT_TRUE(patient);
  EXPECT_TRUE(patient->tag("a", "b"));
  release.join();
}

}  // namespace
}  // namespace tairitsu
