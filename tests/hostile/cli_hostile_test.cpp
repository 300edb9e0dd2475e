// Hostile input to the `tairitsu` command: files, options and store contents
// an attacker or a slip of the keyboard could give it. Each test is a probe
// of the adversarial pass (issue 13) that once escaped, crashed, hung or lost
// data; none of them may do that again.

#include <elf.h>
#include <sys/file.h>
#include <sys/stat.h>

#include <cstring>
#include <fstream>

#include "process.hpp"
#include "support.hpp"

namespace tairitsu {
namespace {

namespace fs = std::filesystem;
using testing::fixture_path;

class HostileCli : public ::testing::Test {
 protected:
  testing::ProcessResult tairitsu(std::vector<std::string> args, testing::ProcessOptions setting = {}) {
    setting.env.emplace_back("TAIRITSU_HOME", store().string());
    return testing::run_process(TAIRITSU_COMMAND, std::move(args), home(), setting);
  }
  fs::path home() const { return scratch_.path(); }
  fs::path store() const { return scratch_.path() / "store"; }
  std::string fixture(const char *name) { return fixture_path(name).string(); }
  void write(const fs::path &path, std::string_view text) { std::ofstream(path, std::ios::binary) << text; }

  testing::ScratchDirectory scratch_{"tairitsu-hostile"};
};

#define EXPECT_MENTIONS(run, text) EXPECT_NE((run).err.find(text), std::string::npos) << "stderr: " << (run).err

// --- 1. native code from a file ---

// The offset and size of the ELF file's ".text" section.
std::pair<std::size_t, std::size_t> text_section(const std::string &elf) {
  Elf64_Ehdr header;
  std::memcpy(&header, elf.data(), sizeof header);
  auto section = [&](std::size_t i) {
    Elf64_Shdr s;
    std::memcpy(&s, elf.data() + header.e_shoff + i * header.e_shentsize, sizeof s);
    return s;
  };
  Elf64_Shdr names = section(header.e_shstrndx);
  for (std::size_t i = 0; i < header.e_shnum; ++i) {
    Elf64_Shdr s = section(i);
    if (std::strcmp(elf.data() + names.sh_offset + s.sh_name, ".text") == 0) return {s.sh_offset, s.sh_size};
  }
  return {0, 0};
}

TEST_F(HostileCli, NativeCodeInAFileNamedWasmIsNeverRun) {
  fs::path artifact = home() / "a.cwasm";
  ASSERT_EQ(tairitsu({"compile", fixture("adder.wasm"), "-o", artifact.string()}).code, 0);
  std::ifstream in(artifact, std::ios::binary);
  std::string elf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto [offset, size] = text_section(elf);
  ASSERT_GT(size, 8u);
  // x86-64 `mov eax, 39 (getpid); syscall; ret` over the start of every function's code.
  static constexpr unsigned char getpid[] = {0xb8, 0x27, 0x00, 0x00, 0x00, 0x0f, 0x05, 0xc3};
  for (std::size_t at = offset; at + 8 <= offset + size; at += 16) std::memcpy(elf.data() + at, getpid, 8);
  write(home() / "plugin.wasm", elf);

  for (const char *command : {"run", "inspect", "compile", "check"}) {
    std::vector<std::string> args{command, "plugin.wasm"};
    if (std::string(command) == "run") args = {"run", "--invoke", "add(1, 2)", "plugin.wasm"};
    if (std::string(command) == "check")
      args = {"check", "plugin.wasm", "--wit", TAIRITSU_SOURCE_DIR "/tests/fixtures/showcase/wit"};
    auto refused = tairitsu(args);
    EXPECT_EQ(refused.code, 65) << command << ": " << refused.err;
    EXPECT_MENTIONS(refused, "--allow-precompiled");
    EXPECT_EQ(refused.out, "");
  }
  // Loading into the store is refused whatever the flags.
  EXPECT_EQ(tairitsu({"load", "plugin.wasm", "evil"}).code, 65);
}

TEST_F(HostileCli, TheLibraryLoadsArtifactsOnlyThroughTheExplicitCall) {
  auto artifact = testing::fixture_image("adder.wasm").precompile();
  ASSERT_TRUE(artifact) << artifact.error();
  auto loaded = Image::load(*artifact);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code(), ErrorCode::InvalidInput);
  EXPECT_NE(loaded.error().message().find("Image::from_precompiled"), std::string::npos) << loaded.error();
  EXPECT_FALSE(Image::from_component(*artifact));
  EXPECT_TRUE(Image::from_precompiled(*artifact, testing::test_engine()));
}

// --- 2. tables ---

TEST_F(HostileCli, TableGrowthIsLimitedByDefault) {
  auto huge = tairitsu({"run", "--invoke", "grow(4000000000)", fixture("table_grow.wasm")});
  EXPECT_EQ(huge.code, 75) << huge.err;
  EXPECT_MENTIONS(huge, "table limit of 1000000 elements exceeded");
  EXPECT_LT(huge.elapsed, std::chrono::seconds(10));

  auto within = tairitsu({"run", "--invoke", "grow(1000)", fixture("table_grow.wasm")});
  EXPECT_EQ(within.code, 0) << within.err;
  EXPECT_EQ(within.out, "1\n");

  auto limited = tairitsu({"run", "--tables", "10", "--invoke", "grow(20)", fixture("table_grow.wasm")});
  EXPECT_EQ(limited.code, 75);
  EXPECT_MENTIONS(limited, "table limit of 10 elements exceeded");

  // Tables count toward the memory limit: 10,000 elements are 80,000 bytes.
  auto memory = tairitsu({"run", "--memory", "64K", "--invoke", "grow(10000)", fixture("table_grow.wasm")});
  EXPECT_EQ(memory.code, 75);
  EXPECT_MENTIONS(memory, "memory limit of 65536 bytes exceeded");
}

// --- 3. deadlines reach into blocking WASI calls ---

TEST_F(HostileCli, TimeoutEndsASleepInWasiClocks) {
  auto run = tairitsu({"run", "--timeout", "2s", fixture("hostile.wasm"), "--", "sleep", "30"});
  EXPECT_EQ(run.code, 75) << run.err;
  EXPECT_MENTIONS(run, "deadline of 2000 ms exceeded");
  EXPECT_LT(run.elapsed, std::chrono::seconds(8));
  EXPECT_GE(run.elapsed, std::chrono::milliseconds(1900));
}

TEST_F(HostileCli, TimeoutEndsAReadOfASilentStdin) {
  auto run = tairitsu({"run", "--stdin", "inherit", "--timeout", "2s", fixture("hostile.wasm"), "--", "read-stdin"},
                      {.silent_stdin = true});
  EXPECT_EQ(run.code, 75) << run.err;
  EXPECT_MENTIONS(run, "deadline of 2000 ms exceeded");
  EXPECT_LT(run.elapsed, std::chrono::seconds(8));
}

TEST_F(HostileCli, TimeoutEndsWritesToAPipeNobodyReads) {
  auto run = tairitsu({"run", "--timeout", "2s", fixture("hostile.wasm"), "--", "spew"}, {.unread_stdout = true});
  EXPECT_EQ(run.code, 75) << run.err;
  EXPECT_MENTIONS(run, "deadline of 2000 ms exceeded");
  EXPECT_LT(run.elapsed, std::chrono::seconds(8));
}

TEST_F(HostileCli, WithoutTimeoutsCommandsStillRunToTheirEnd) {
  auto run = tairitsu({"run", fixture("hostile.wasm"), "--", "sleep", "1"});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "slept\n");
  auto within = tairitsu({"run", "--timeout", "20s", fixture("hostile.wasm"), "--", "sleep", "1"});
  EXPECT_EQ(within.code, 0) << within.err;
  EXPECT_EQ(within.out, "slept\n");
}

// --- 4. inputs that used to abort ---

TEST_F(HostileCli, ADirectoryAsInputIsAnError) {
  fs::create_directory(home() / "d.wasm");
  for (auto args :
       std::vector<std::vector<std::string>>{{"load", "d.wasm", "x:1"}, {"run", "d.wasm"}, {"inspect", "d.wasm"}}) {
    auto run = tairitsu(args);
    EXPECT_EQ(run.code, 65) << args[0] << ": " << run.err;
    EXPECT_MENTIONS(run, "is a directory");
  }
}

TEST_F(HostileCli, IndexesOfTheWrongShapeAreReportedAndChangeNothing) {
  ASSERT_EQ(tairitsu({"load", fixture("adder.wasm"), "calc:1.0"}).code, 0);
  std::string digest = "sha256:" + std::string(64, 'a');
  for (std::string index : std::vector<std::string>{
           R"({"version":1,"images":[1]})",
           R"({"version":1,"images":null})",
           R"({"version":1})",
           R"([1, 2])",
           R"({"version":"1","images":[]})",
           R"({"version":1,"images":[{"ref":"calc:1.0","digest":"sha2","kind":"component","size":1,"created":0}]})",
           R"({"version":1,"images":[{"ref":"../x","digest":")" + digest + R"(","kind":"c","size":1,"created":0}]})",
           R"({"version":1,"images":[{"ref":"a","digest":")" + digest + R"(","kind":"c","size":-1,"created":0}]})",
           R"(not json at all)",
       }) {
    write(store() / "index.json", index);
    for (const char *command : {"images", "prune", "rmi"}) {
      std::vector<std::string> args{command};
      if (std::string(command) == "rmi") args.push_back("calc:1.0");
      auto run = tairitsu(args);
      EXPECT_EQ(run.code, 74) << index << " / " << command << ": " << run.err;
      EXPECT_MENTIONS(run, "is damaged");
      EXPECT_MENTIONS(run, "nothing was changed");
    }
    EXPECT_FALSE(fs::is_empty(store() / "blobs" / "sha256")) << index;
    EXPECT_FALSE(fs::is_empty(store() / "artifacts")) << index;
  }
  write(store() / "index.json", R"({"version":2,"images":[]})");
  auto newer = tairitsu({"prune"});
  EXPECT_EQ(newer.code, 74);
  EXPECT_MENTIONS(newer, "has version 2");
  EXPECT_FALSE(fs::is_empty(store() / "blobs" / "sha256"));

  // No index at all while blobs exist: prune refuses rather than delete them all.
  fs::remove(store() / "index.json");
  auto orphaned = tairitsu({"prune"});
  EXPECT_EQ(orphaned.code, 74);
  EXPECT_MENTIONS(orphaned, "has blobs but no index");
  EXPECT_FALSE(fs::is_empty(store() / "blobs" / "sha256"));
}

// --- 5. directory access modes ---

TEST_F(HostileCli, MistypedAccessModesAreRefused) {
  fs::create_directory(home() / "host");
  std::string host = (home() / "host").string();
  for (std::string mode : std::vector<std::string>{":RO", ":readonly", ":r0", ":ro ", ":"}) {
    auto run = tairitsu({"run", "--dir", host + "::/data" + mode, "--invoke", "add(1, 2)", fixture("adder.wasm")});
    EXPECT_EQ(run.code, 64) << mode << ": " << run.err;
    EXPECT_MENTIONS(run, "access mode");
  }
  for (std::string spec :
       std::vector<std::string>{host + "::/data:ro", host + "::/data:rw", host + "::/da:ta:ro", host}) {
    auto run = tairitsu({"run", "--dir", spec, "--invoke", "add(1, 2)", fixture("adder.wasm")});
    EXPECT_EQ(run.code, 0) << spec << ": " << run.err;
  }
}

// --- 6. limit values ---

TEST_F(HostileCli, LimitValuesOutOfRangeAreRefused) {
  for (auto args : std::vector<std::vector<std::string>>{{"--timeout", "99999999999999999999ms"},
                                                         {"--timeout", "0s"},
                                                         {"--timeout", "-5s"},
                                                         {"--timeout", "200000000000ms"},
                                                         {"--timeout", "5"},
                                                         {"--memory", "17179869184G"},
                                                         {"--memory", "0"},
                                                         {"--memory", "1Q"},
                                                         {"--fuel", "0"},
                                                         {"--fuel", "-1"},
                                                         {"--fuel", "18446744073709551616"},
                                                         {"--tables", "0"},
                                                         {"--tables", "1e6"}}) {
    args.insert(args.begin(), "run");
    args.insert(args.end(), {"--invoke", "add(1, 2)", fixture("adder.wasm")});
    auto run = tairitsu(args);
    EXPECT_EQ(run.code, 64) << args[1] << " " << args[2] << ": " << run.err;
    EXPECT_MENTIONS(run, args[1]);
  }
  auto largest = tairitsu({"run", "--timeout", "100000000000ms", "--fuel", "4611686018427387903", "--invoke",
                           "add(1, 2)", fixture("adder.wasm")});
  EXPECT_EQ(largest.code, 0) << largest.err;
}

// --- 9. exit statuses ---

TEST_F(HostileCli, GuestStatusesCannotPassForTairitsusOwn) {
  auto high = tairitsu({"run", fixture("exit_code.wasm")});
  EXPECT_EQ(high.code, 79) << high.err;
  EXPECT_MENTIONS(high, "exited with status 70");
  auto raw = tairitsu({"run", "--raw-exit-code", fixture("exit_code.wasm")});
  EXPECT_EQ(raw.code, 70) << raw.err;
  auto low = tairitsu({"run", "--invoke", "exit(33)", fixture("exit_code.wasm")});
  EXPECT_EQ(low.code, 33) << low.err;
  auto invoked = tairitsu({"run", "--invoke", "exit(200)", fixture("exit_code.wasm")});
  EXPECT_EQ(invoked.code, 79) << invoked.err;
  EXPECT_MENTIONS(invoked, "exited with status 200");
}

// --- 10. options before the image ---

TEST_F(HostileCli, RepeatableOptionsTakeOneValueEach) {
  ASSERT_EQ(tairitsu({"load", fixture("hello_command.core.wasm"), "hello:1"}).code, 0);
  auto run = tairitsu({"run", "-e", "GREETING=hi", "hello:1", "--", "x", "y"});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out.substr(0, run.out.find('\n')), "args: hello x y");
  EXPECT_NE(run.out.find("GREETING=hi"), std::string::npos) << run.out;
  fs::create_directory(home() / "d");
  auto dir = tairitsu({"run", "--dir", (home() / "d").string(), "hello:1", "--", "x"});
  EXPECT_EQ(dir.code, 0) << dir.err;
}

// --- low: files, references, names ---

TEST_F(HostileCli, PipesAndFifosAreReadToTheirEnd) {
  auto via_pipe = testing::run_process(
      "/bin/sh",
      {"-c", std::string("cat ") + fixture("adder.wasm") + " | " + TAIRITSU_COMMAND + " load /dev/stdin calc:1"},
      home(), {.env = {{"TAIRITSU_HOME", store().string()}}});
  EXPECT_EQ(via_pipe.code, 0) << via_pipe.err;
  EXPECT_EQ(via_pipe.out.rfind("sha256:", 0), 0u) << via_pipe.out;

  ASSERT_EQ(::mkfifo((home() / "fifo").c_str(), 0600), 0);
  auto fifo = tairitsu({"load", "fifo", "x:1"}, {.kill_after = std::chrono::seconds(20)});
  EXPECT_EQ(fifo.code, 65) << fifo.err;
  EXPECT_MENTIONS(fifo, "the input is empty");
}

TEST_F(HostileCli, ReferencesThatAreNoNamesAreRefused) {
  for (std::string ref : std::vector<std::string>{"../../etc/passwd", "/abs", "..", "a//b", "a/../b", "UPPER",
                                                  "x:", "x:-tag", std::string(100'000, 'a')}) {
    auto run = tairitsu({"load", fixture("adder.wasm"), ref});
    EXPECT_EQ(run.code, 65) << ref.substr(0, 40) << ": " << run.err;
    EXPECT_MENTIONS(run, "image reference");
    EXPECT_LT(run.err.size(), 2000u);
  }
  ASSERT_EQ(tairitsu({"load", fixture("adder.wasm"), "team/calc.v2_x-y:1.0"}).code, 0);
}

TEST_F(HostileCli, AStoredImageIsNotShadowedByAFileOfTheSameName) {
  ASSERT_EQ(tairitsu({"load", fixture("adder.wasm"), "calc"}).code, 0);
  fs::copy_file(fixture("table_grow.wasm"), home() / "calc");
  auto run = tairitsu({"run", "--invoke", "add(2, 3)", "calc"});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "5\n");
  // A file is still run when it is not the name of a stored image.
  auto file = tairitsu({"run", "--invoke", "size()", "./calc"});
  EXPECT_EQ(file.out, "1\n") << file.err;
}

TEST_F(HostileCli, ContainerNamesKeepTheWholeName) {
  ASSERT_EQ(tairitsu({"load", fixture("hello_command.core.wasm"), "tool:1.2.3"}).code, 0);
  auto run = tairitsu({"run", "tool:1.2.3", "--", "a"});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out.substr(0, run.out.find('\n')), "args: tool a");
}

TEST_F(HostileCli, RmiRemovesEveryNameItCan) {
  ASSERT_EQ(tairitsu({"load", fixture("adder.wasm"), "a"}).code, 0);
  ASSERT_EQ(tairitsu({"tag", "a", "c"}).code, 0);
  auto run = tairitsu({"rmi", "a", "nope", "c"});
  EXPECT_EQ(run.code, 66) << run.err;
  EXPECT_EQ(run.out, "removed a\nremoved c\n");
  EXPECT_MENTIONS(run, "no image 'nope:latest'");
}

TEST_F(HostileCli, AWriterSaysWhoHoldsTheLockAndCanStopWaiting) {
  ASSERT_EQ(tairitsu({"load", fixture("adder.wasm"), "a"}).code, 0);
  int fd = ::open((store() / "lock").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  std::string pid = std::to_string(::getpid()) + "\n";
  ASSERT_EQ(::ftruncate(fd, 0), 0);
  ASSERT_EQ(::pwrite(fd, pid.data(), pid.size(), 0), static_cast<ssize_t>(pid.size()));
  auto run = tairitsu({"--lock-timeout", "1500ms", "tag", "a", "b"});
  ::close(fd);
  EXPECT_EQ(run.code, 74) << run.err;
  EXPECT_MENTIONS(run, "waiting for the store lock");
  EXPECT_MENTIONS(run, "held by process " + std::to_string(::getpid()));
  EXPECT_MENTIONS(run, "was not released within 1500 ms");
  EXPECT_LT(run.elapsed, std::chrono::seconds(10));
  EXPECT_EQ(tairitsu({"tag", "a", "b"}).code, 0);
}

TEST_F(HostileCli, CompileToAFileOnlyReadsTheStore) {
  ASSERT_EQ(tairitsu({"load", fixture("adder.wasm"), "calc"}).code, 0);
  // Nothing can be written to the store: its lock cannot even be opened for writing.
  fs::remove(store() / "lock");
  fs::create_directory(store() / "lock");
  auto run = tairitsu({"compile", "calc", "-o", (home() / "calc.cwasm").string()});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_TRUE(fs::exists(home() / "calc.cwasm"));
}

TEST_F(HostileCli, InspectTakesFilesAndNamesWhatIsMissing) {
  auto file = tairitsu({"inspect", fixture("adder.wasm")});
  EXPECT_EQ(file.code, 0) << file.err;
  EXPECT_NE(file.out.find("add: func(a: s32, b: s32) -> s32"), std::string::npos) << file.out;
  auto missing = tairitsu({"inspect", "missing.wasm"});
  EXPECT_EQ(missing.code, 66);
  EXPECT_MENTIONS(missing, "no such file");
}

TEST_F(HostileCli, HeadersOfUnknownVersionsAreNamed) {
  write(home() / "v2.wasm", std::string("\0asm\x02\0\0\0", 8));
  auto run = tairitsu({"run", "v2.wasm"});
  EXPECT_EQ(run.code, 65);
  EXPECT_MENTIONS(run, "version 2");
}

TEST_F(HostileCli, EnvironmentEntriesNeedAKey) {
  auto run = tairitsu({"run", "-e", "=x", "--invoke", "add(1, 2)", fixture("adder.wasm")});
  EXPECT_EQ(run.code, 64);
  EXPECT_MENTIONS(run, "the key is empty");
}

TEST_F(HostileCli, InvalidUtf8IsEscapedInMessages) {
  auto run = tairitsu({"run", "--invoke", "\xff\xfe(1)", fixture("adder.wasm")});
  EXPECT_NE(run.code, 0);
  EXPECT_EQ(run.err.find('\xff'), std::string::npos);
  EXPECT_MENTIONS(run, "\\xff");
}

}  // namespace
}  // namespace tairitsu
