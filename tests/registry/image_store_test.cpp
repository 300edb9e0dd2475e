#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <thread>

#include "support.hpp"

namespace tairitsu {
namespace {

using testing::fixture_path;
using testing::read_bytes;

class Store : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("tairitsu-store-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(root_);
    auto store = ImageStore::open(root_);
    ASSERT_TRUE(store) << store.error();
    store_.emplace(*store);
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::filesystem::path root_;
  std::optional<ImageStore> store_;
};

TEST_F(Store, AddsListsLoadsTagsRemovesAndPrunes) {
  auto adder = read_bytes(fixture_path("adder.wasm"));
  auto added = store_->add(adder, "adder:1.0");
  ASSERT_TRUE(added) << added.error();
  EXPECT_EQ(added->kind, "component");
  EXPECT_EQ(added->size, adder.size());
  EXPECT_TRUE(std::filesystem::exists(store_->blob_path(added->digest)));
  EXPECT_TRUE(std::filesystem::exists(store_->artifact_path(added->digest, Engine::shared())));

  auto command = store_->add(read_bytes(fixture_path("hello_command.core.wasm")), "hello");
  ASSERT_TRUE(command) << command.error();
  EXPECT_EQ(command->kind, "core module (command)");

  auto tagged = store_->tag("adder:1.0", "adder:stable");
  ASSERT_TRUE(tagged) << tagged.error();
  auto list = store_->list();
  ASSERT_TRUE(list);
  std::vector<std::string> refs;
  for (const auto &e : *list) refs.push_back(e.ref.to_string());
  EXPECT_EQ(refs, (std::vector<std::string>{"adder:1.0", "adder:stable", "hello:latest"}));

  // A store opened anew (another process would do the same) sees everything.
  auto again = ImageStore::open(root_);
  ASSERT_TRUE(again);
  auto image = again->load("adder:stable");
  ASSERT_TRUE(image) << image.error();
  EXPECT_EQ(image->source(), ImageSource::Precompiled);
  EXPECT_EQ(image->digest(), added->digest);
  auto c = ContainerBuilder(*image).build();
  ASSERT_TRUE(c);
  EXPECT_EQ(*c->call("add", {Value::s32(2), Value::s32(3)}), Value::s32(5));

  ASSERT_TRUE(store_->remove("adder:1.0"));
  auto pruned = store_->prune();
  ASSERT_TRUE(pruned);
  EXPECT_TRUE(pruned->blobs.empty());  // adder:stable still names it
  ASSERT_TRUE(store_->remove("adder:stable"));
  pruned = store_->prune();
  ASSERT_TRUE(pruned);
  EXPECT_EQ(pruned->blobs, std::vector<std::string>{added->digest});
  EXPECT_EQ(pruned->artifacts.size(), 2u);  // the artifact and its checksum
  EXPECT_FALSE(std::filesystem::exists(store_->blob_path(added->digest)));
  auto missing = store_->find("adder:1.0");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code(), ErrorCode::NotFound);
  EXPECT_NE(missing.error().message().find("hello:latest"), std::string::npos);
}

void flip_byte(const std::filesystem::path &path, std::streamoff at) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(at);
  char c = 0;
  f.get(c);
  f.seekp(at);
  f.put(static_cast<char>(c ^ 0xFF));
}

TEST_F(Store, DamagedFilesAreReportedOrBypassed) {
  auto added = store_->add(read_bytes(fixture_path("adder.wasm")), "adder");
  ASSERT_TRUE(added);
  // A damaged artifact is never run: its checksum fails and the blob is compiled instead.
  auto art = store_->artifact_path(added->digest, Engine::shared());
  flip_byte(art, 200);
  auto image = store_->load("adder");
  ASSERT_TRUE(image) << image.error();
  EXPECT_EQ(image->source(), ImageSource::Component);
  // A damaged blob is reported.
  std::filesystem::remove(art);
  flip_byte(store_->blob_path(added->digest), 20);
  auto damaged = store_->load("adder");
  ASSERT_FALSE(damaged);
  EXPECT_EQ(damaged.error().code(), ErrorCode::Io);
  EXPECT_NE(damaged.error().message().find("is damaged"), std::string::npos) << damaged.error();
  std::filesystem::remove(store_->blob_path(added->digest));
  auto gone = store_->load("adder");
  ASSERT_FALSE(gone);
  EXPECT_NE(gone.error().message().find("is missing"), std::string::npos) << gone.error();
}

TEST_F(Store, BadInputChangesNothing) {
  auto bad = store_->add(std::vector<std::byte>(10), "junk");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code(), ErrorCode::InvalidInput);
  auto list = store_->list();
  ASSERT_TRUE(list);
  EXPECT_TRUE(list->empty());
  EXPECT_EQ(store_->add(read_bytes(fixture_path("adder.wasm")), "Bad Name").error().code(), ErrorCode::InvalidInput);
}

// Runs the writer tool; returns its pid and the read end of its stdout.
std::pair<pid_t, int> spawn_writer(const std::filesystem::path &root, const std::string &prefix, int count) {
  int fds[2];
  if (::pipe(fds) != 0) return {-1, -1};
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::close(fds[0]);
    ::close(fds[1]);
    std::string file = fixture_path("adder.wasm").string();
    std::string n = std::to_string(count);
    ::execl(TAIRITSU_STORE_WRITER, TAIRITSU_STORE_WRITER, root.c_str(), file.c_str(), prefix.c_str(), n.c_str(),
            static_cast<char *>(nullptr));
    ::_exit(127);
  }
  ::close(fds[1]);
  return {pid, fds[0]};
}

std::vector<std::string> read_reports(int fd) {
  std::string all;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) all.append(buf, static_cast<std::size_t>(n));
  ::close(fd);
  std::vector<std::string> refs;
  std::size_t pos = 0;
  while (pos < all.size()) {
    std::size_t nl = all.find('\n', pos);
    if (nl == std::string::npos) break;  // a line cut by the kill is not a report
    std::string line = all.substr(pos, nl - pos);
    if (line.rfind("stored ", 0) == 0) refs.push_back(line.substr(7));
    pos = nl + 1;
  }
  return refs;
}

TEST_F(Store, ParallelProcessesLoseNothing) {
  std::vector<std::pair<pid_t, int>> writers;
  for (int i = 0; i < 4; ++i) writers.push_back(spawn_writer(root_, "p" + std::to_string(i), 5));
  for (auto [pid, fd] : writers) {
    int status = 0;
    auto reports = read_reports(fd);
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_EQ(reports.size(), 5u);
  }
  auto list = store_->list();
  ASSERT_TRUE(list) << list.error();
  EXPECT_EQ(list->size(), 20u);
}

TEST_F(Store, KilledWritersLeaveAReadableStoreWithEverythingReported) {
  std::mt19937 rng(7);
  std::vector<std::string> reported;
  for (int round = 0; round < 12; ++round) {
    auto [pid, fd] = spawn_writer(root_, "k" + std::to_string(round), 1000);
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 120));
    ::kill(pid, SIGKILL);
    auto reports = read_reports(fd);
    int status = 0;
    ::waitpid(pid, &status, 0);
    reported.insert(reported.end(), reports.begin(), reports.end());
    auto list = store_->list();
    ASSERT_TRUE(list) << "round " << round << ": " << list.error();
    for (const std::string &ref : reported) {
      ASSERT_TRUE(store_->find(ref)) << "round " << round << ": reported " << ref << " is missing";
    }
  }
  ASSERT_FALSE(reported.empty());
  auto image = store_->load(reported.back());
  ASSERT_TRUE(image) << image.error();
  auto pruned = store_->prune();
  ASSERT_TRUE(pruned);
  auto after = store_->load(reported.front());
  ASSERT_TRUE(after) << after.error();
}

}  // namespace
}  // namespace tairitsu
