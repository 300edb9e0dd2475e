// The `tairitsu` command, run as a separate process in a temporary TAIRITSU_HOME.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <thread>

#include "http_client.hpp"
#include "process.hpp"
#include "support.hpp"

namespace tairitsu {
namespace {

namespace fs = std::filesystem;
using testing::fixture_path;

using Outcome = testing::ProcessResult;

class Cli : public ::testing::Test {
 protected:
  Cli() : home_(scratch_.path()) {}

  // Runs `tairitsu ARGS...` with TAIRITSU_HOME set; captures both streams and the exit code.
  Outcome tairitsu(std::vector<std::string> args, const std::string &stdin_text = "") {
    return testing::run_process(TAIRITSU_COMMAND, std::move(args), home_, stdin_text,
                                {{"TAIRITSU_HOME", (home_ / "store").string()}});
  }

  std::string fixture(const char *name) { return fixture_path(name).string(); }

  testing::ScratchDirectory scratch_{"tairitsu-cli"};
  fs::path home_;
};

TEST_F(Cli, LoadImagesInspectTagRmiPrune) {
  auto loaded = tairitsu({"load", fixture("adder.wasm"), "calc:1.0"});
  ASSERT_EQ(loaded.code, 0) << loaded.err;
  EXPECT_EQ(loaded.err, "");  // no progress indicator when stderr is not a terminal
  EXPECT_EQ(loaded.out.rfind("sha256:", 0), 0u);
  auto images = tairitsu({"images"});
  ASSERT_EQ(images.code, 0);
  EXPECT_NE(images.out.find("calc:1.0"), std::string::npos);
  EXPECT_NE(images.out.find(loaded.out.substr(7, 12)), std::string::npos);
  auto json = tairitsu({"images", "--json"});
  ASSERT_EQ(json.code, 0);
  EXPECT_NE(json.out.find("\"tag\": \"1.0\""), std::string::npos) << json.out;
  auto inspect = tairitsu({"inspect", "calc:1.0"});
  ASSERT_EQ(inspect.code, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("add: func(a: s32, b: s32) -> s32"), std::string::npos) << inspect.out;
  EXPECT_NE(inspect.out.find(".cwasm"), std::string::npos) << inspect.out;
  auto inspect_json = tairitsu({"inspect", "calc:1.0", "--json"});
  EXPECT_NE(inspect_json.out.find("\"signature\": \"mul: func(a: s32, b: s32) -> s32\""), std::string::npos);
  ASSERT_EQ(tairitsu({"tag", "calc:1.0", "calc:stable"}).code, 0);
  ASSERT_EQ(tairitsu({"rmi", "calc:1.0"}).code, 0);
  auto prune = tairitsu({"prune"});
  EXPECT_EQ(prune.out.find("deleted blob"), std::string::npos);  // calc:stable still names it
  auto still = tairitsu({"run", "--invoke", "add(2, 2)", "calc:stable"});
  EXPECT_EQ(still.out, "4\n") << still.err;
  ASSERT_EQ(tairitsu({"rmi", "calc:stable"}).code, 0);
  prune = tairitsu({"prune"});
  EXPECT_NE(prune.out.find("deleted blob " + loaded.out.substr(0, 71)), std::string::npos) << prune.out;
  EXPECT_EQ(tairitsu({"images"}).out.find("calc"), std::string::npos);
}

TEST_F(Cli, RunsCommandsAndInvokesInEachFormat) {
  ASSERT_EQ(tairitsu({"load", fixture("hello_command.core.wasm"), "hello"}).code, 0);
  auto run = tairitsu({"run", "-e", "GREETING=hey", "--stdin", "inherit", "hello", "--", "x", "y"}, "input");
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "args: hello x y\nGREETING=hey\nMISSING=(unset)\nstdin: input\n");
  EXPECT_EQ(run.err, "to stderr\n");
  auto fail = tairitsu({"run", "--stderr", "null", "hello", "--", "--fail"});
  EXPECT_EQ(fail.code, 1);  // the adapter reports any non-zero exit status as 1
  EXPECT_EQ(fail.err, "");
  auto showcase = fixture("showcase.wasm");
  auto wave = tairitsu({"run", "--trap-unknown-imports", "--invoke", "scale({x: 1, y: 2}, 3)", showcase});
  EXPECT_EQ(wave.code, 0) << wave.err;
  EXPECT_EQ(wave.out, "{x: 3, y: 6}\n");
  auto ron =
      tairitsu({"run", "--trap-unknown-imports", "--format", "ron", "--invoke", "scale((x: 1, y: 2), 3)", showcase});
  EXPECT_EQ(ron.out, "(x: 3, y: 6)\n") << ron.err;
  auto json = tairitsu(
      {"run", "--trap-unknown-imports", "--format", "json", "--invoke", "scale({\"x\": 1, \"y\": 2}, 3)", showcase});
  EXPECT_EQ(json.out, "{\"x\":3,\"y\":6}\n") << json.err;
  auto qualified =
      tairitsu({"run", "--trap-unknown-imports", "--invoke", "tairitsu:showcase/api@0.1.0#greet(\"cli\")", showcase});
  EXPECT_EQ(qualified.out, "\"Hello, cli!\"\n") << qualified.err;
}

TEST_F(Cli, ShowsProgressOnATerminal) {
  // script(1) gives the command a terminal; the spinner goes to it, then "done".
  fs::path store = home_ / "store";
  std::string command = "TAIRITSU_HOME='" + store.string() + "' script -qec \"'" + TAIRITSU_COMMAND + "' load '" +
                        fixture("showcase.wasm") + "' s\" /dev/null";
  FILE *pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buf[512];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) output.append(buf, n);
  EXPECT_EQ(::pclose(pipe), 0) << output;
  EXPECT_NE(output.find("compiling " + fixture("showcase.wasm") + " done"), std::string::npos) << output;
  EXPECT_NE(output.find("sha256:"), std::string::npos) << output;
}

TEST_F(Cli, CheckComparesAnImageWithAWitWorld) {
  std::string wit = (fs::path(TAIRITSU_SOURCE_DIR) / "tests/fixtures/alltypes/wit").string();
  auto ok = tairitsu({"check", fixture("alltypes.wasm"), "--wit", wit});
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_EQ(ok.out, fixture("alltypes.wasm") + " conforms to tairitsu:alltypes/alltypes@0.1.0\n");

  ASSERT_EQ(tairitsu({"load", fixture("showcase.wasm"), "show:1"}).code, 0);
  auto differs = tairitsu({"check", "show:1", "--wit", wit, "--world", "alltypes"});
  EXPECT_EQ(differs.code, 65);
  EXPECT_NE(differs.out.find("export tairitsu:alltypes/api@0.1.0 (interface tairitsu:alltypes/api@0.1.0): "
                             "missing from the image"),
            std::string::npos)
      << differs.out;

  auto strict = tairitsu({"check", fixture("alltypes.wasm"), "--wit", wit, "--no-wasi"});
  EXPECT_EQ(strict.code, 65);
  EXPECT_NE(strict.out.find("import wasi:"), std::string::npos) << strict.out;

  auto bad_wit = tairitsu({"check", fixture("alltypes.wasm"), "--wit", fixture("adder.wasm")});
  EXPECT_EQ(bad_wit.code, 65) << bad_wit.err;
  auto no_wit = tairitsu({"check", fixture("alltypes.wasm"), "--wit", "/no/such/dir"});
  EXPECT_EQ(no_wit.code, 66) << no_wit.err;
}

TEST_F(Cli, CompiledArtifactsRun) {
  fs::path out = home_ / "adder.cwasm";
  auto compiled = tairitsu({"compile", fixture("adder.wasm"), "-o", out.string()});
  ASSERT_EQ(compiled.code, 0) << compiled.err;
  ASSERT_TRUE(fs::exists(out));
  // Native code runs only when the user asks for it, for this file.
  auto refused = tairitsu({"run", "--invoke", "add(20, 22)", out.string()});
  EXPECT_EQ(refused.code, 65);
  EXPECT_NE(refused.err.find("--allow-precompiled"), std::string::npos) << refused.err;
  auto run = tairitsu({"run", "--allow-precompiled", "--invoke", "add(20, 22)", out.string()});
  EXPECT_EQ(run.out, "42\n") << run.err;
  ASSERT_EQ(tairitsu({"load", fixture("adder.wasm"), "calc"}).code, 0);
  auto stored = tairitsu({"compile", "calc"});
  EXPECT_EQ(stored.code, 0) << stored.err;
  EXPECT_NE(stored.out.find(".cwasm"), std::string::npos);
}

TEST_F(Cli, LimitsAndCapabilitiesAreObservedFromOutside) {
  auto spin = fixture("spin.wasm");
  auto timeout = tairitsu({"run", "--timeout", "100ms", "--invoke", "spin()", spin});
  EXPECT_EQ(timeout.code, 75);
  EXPECT_NE(timeout.err.find("deadline of 100 ms exceeded"), std::string::npos) << timeout.err;
  auto fuel = tairitsu({"run", "--fuel", "10000", "--invoke", "spin()", spin});
  EXPECT_EQ(fuel.code, 75);
  EXPECT_NE(fuel.err.find("fuel limit of 10000"), std::string::npos) << fuel.err;
  auto memory = tairitsu({"run", "--memory", "256K", "--invoke", "grow(10)", spin});
  EXPECT_EQ(memory.code, 75);
  EXPECT_NE(memory.err.find("memory limit of 262144 bytes"), std::string::npos) << memory.err;

  fs::path data = home_ / "data";
  fs::create_directories(data);
  std::ofstream(data / "in.txt") << "granted";
  auto files = fixture("files.wasm");
  auto denied = tairitsu({"run", "--invoke", "read-file(\"/d/in.txt\")", files});
  EXPECT_EQ(denied.code, 0);
  EXPECT_EQ(denied.out.rfind("err(", 0), 0u) << denied.out;
  auto ro = tairitsu({"run", "--dir", data.string() + "::/d:ro", "--invoke", "read-file(\"/d/in.txt\")", files});
  EXPECT_EQ(ro.out, "ok(\"granted\")\n") << ro.err;
  auto ro_write =
      tairitsu({"run", "--dir", data.string() + "::/d:ro", "--invoke", "write-file(\"/d/out.txt\", \"x\")", files});
  EXPECT_EQ(ro_write.out.rfind("err(", 0), 0u) << ro_write.out;
  auto rw = tairitsu({"run", "--dir", data.string() + "::/d", "--invoke", "write-file(\"/d/out.txt\", \"x\")", files});
  EXPECT_EQ(rw.out, "ok\n") << rw.err;
  EXPECT_TRUE(fs::exists(data / "out.txt"));
}

TEST_F(Cli, ErrorsHaveDocumentedExitCodes) {
  EXPECT_EQ(tairitsu({}).code, 64);
  EXPECT_EQ(tairitsu({"frobnicate"}).code, 64);
  EXPECT_EQ(tairitsu({"run", "--memory", "lots", "x"}).code, 64);
  auto missing = tairitsu({"run", "nothing:here"});
  EXPECT_EQ(missing.code, 66);
  EXPECT_NE(missing.err.find("no image 'nothing:here'"), std::string::npos) << missing.err;
  EXPECT_EQ(tairitsu({"load", (home_ / "absent.wasm").string()}).code, 66);
  std::ofstream(home_ / "junk.wasm") << "not wasm at all";
  auto junk = tairitsu({"load", (home_ / "junk.wasm").string()});
  EXPECT_EQ(junk.code, 65);
  EXPECT_NE(junk.err.find("junk.wasm"), std::string::npos) << junk.err;
  auto unlinked = tairitsu({"run", "--invoke", "add(1, 2)", fixture("showcase.wasm")});
  EXPECT_EQ(unlinked.code, 69);
  EXPECT_NE(unlinked.err.find("host-version: func() -> string"), std::string::npos) << unlinked.err;
  auto trap = tairitsu({"run", "--trap-unknown-imports", "--invoke", "fail(\"x\")", fixture("showcase.wasm")});
  EXPECT_EQ(trap.code, 70);
  auto bad_text = tairitsu({"run", "--invoke", "add(1, \"two\")", fixture("adder.wasm")});
  EXPECT_EQ(bad_text.code, 65);
  EXPECT_NE(bad_text.err.find("1:8"), std::string::npos) << bad_text.err;
  auto no_export = tairitsu({"run", "--invoke", "div(1, 2)", fixture("adder.wasm")});
  EXPECT_EQ(no_export.code, 66);
  auto ambiguous = tairitsu({"run", "--invoke", "get()", fixture("ambiguous.wasm")});
  EXPECT_EQ(ambiguous.code, 65);
  EXPECT_NE(ambiguous.err.find("tairitsu:ambiguous/first@1.0.0#get"), std::string::npos) << ambiguous.err;
  EXPECT_NE(ambiguous.err.find("tairitsu:ambiguous/second@1.0.0#get"), std::string::npos) << ambiguous.err;
  auto chosen = tairitsu({"run", "--invoke", "tairitsu:ambiguous/second@1.0.0#get()", fixture("ambiguous.wasm")});
  EXPECT_EQ(chosen.out, "2\n") << chosen.err;
  auto help = tairitsu({"run", "--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("Examples:"), std::string::npos);
}

TEST_F(Cli, ParallelLoadsAndKilledLoadsLoseNothingReported) {
  // Several loads at once.
  std::vector<std::thread> threads;
  std::vector<Outcome> outcomes(6);
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back(
        [&, i] { outcomes[i] = tairitsu({"load", fixture("adder.wasm"), "par:" + std::to_string(i)}); });
  }
  for (auto &t : threads) t.join();
  for (const auto &o : outcomes) EXPECT_EQ(o.code, 0) << o.err;
  auto images = tairitsu({"images"});
  for (int i = 0; i < 6; ++i) EXPECT_NE(images.out.find("par:" + std::to_string(i)), std::string::npos);

  // A shell loop of loads killed with SIGKILL at random points, many times.
  std::mt19937 rng(11);
  std::vector<std::string> reported;
  std::error_code ignored;  // the log may vanish from under a check: then it is not there
  for (int round = 0; round < 8; ++round) {
    fs::path log = home_ / ("round" + std::to_string(round));
    pid_t pid = ::fork();
    if (pid == 0) {
      ::setpgid(0, 0);
      ::setenv("TAIRITSU_HOME", (home_ / "store").c_str(), 1);
      std::string script = "for i in $(seq 1000); do \"" + std::string(TAIRITSU_COMMAND) + "\" load \"" +
                           fixture("hello_command.core.wasm") + "\" k" + std::to_string(round) +
                           ":$i >/dev/null && echo stored k" + std::to_string(round) + ":$i >> \"" + log.string() +
                           "\"; done";
      ::execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char *>(nullptr));
      ::_exit(127);
    }
    // Killed once a load has been reported (however busy the machine), at a
    // random point of a later one.
    auto reported_one = [&] { return fs::exists(log, ignored) && fs::file_size(log, ignored) > 0; };
    for (int waited = 0; waited < 600 && !reported_one(); ++waited) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 400));
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    std::ifstream in(log);
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("stored ", 0) == 0) reported.push_back(line.substr(7));
    }
    auto list = tairitsu({"images"});
    ASSERT_EQ(list.code, 0) << "round " << round << ": " << list.err;
    for (const auto &ref : reported) {
      ASSERT_NE(list.out.find(ref + " "), std::string::npos) << "round " << round << ": " << ref << " lost";
    }
  }
  ASSERT_FALSE(reported.empty());
  auto run = tairitsu({"run", reported.back()});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(tairitsu({"prune"}).code, 0);
  EXPECT_EQ(tairitsu({"run", reported.front()}).code, 0);
}

TEST_F(Cli, ServeAnswersUntilSigtermThenExitsCleanly) {
  fs::path err = home_ / "serve.err";
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setenv("TAIRITSU_HOME", (home_ / "store").c_str(), 1);
    int fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(fd, STDERR_FILENO);
    // The handler's host function is not the CLI's to give: its route traps.
    ::execl(TAIRITSU_COMMAND, "tairitsu", "serve", "--addr", "127.0.0.1:0", "--trap-unknown-imports", "--timeout", "5s",
            fixture("http_handler.wasm").c_str(), static_cast<char *>(nullptr));
    ::_exit(127);
  }
  auto text = [&] {
    std::ifstream in(err);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  };
  std::string address;
  for (int waited = 0; waited < 600 && address.empty(); ++waited) {
    std::string t = text();
    auto at = t.find(" on http://");
    if (at != std::string::npos && t.find('\n', at) != std::string::npos) {
      address = t.substr(at + 11, t.find('\n', at) - at - 11);
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ASSERT_FALSE(address.empty()) << text();
  testing::HttpClient client(address);
  auto hello = client.get("/hello");
  EXPECT_EQ(hello.status, 200);
  EXPECT_EQ(hello.body, "hello from wasi:http\n");
  EXPECT_EQ(client.get("/greet").status, 500);
  EXPECT_EQ(client.get("/hello").status, 200);
  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << "\n" << text();
  std::string log = text();
  EXPECT_NE(log.find("GET /hello 200 21 "), std::string::npos) << log;
  EXPECT_NE(log.find("GET /greet 500 "), std::string::npos) << log;
  EXPECT_NE(log.find("stopped after 3 requests (2 served, 1 failed"), std::string::npos) << log;

  auto bad = tairitsu({"serve", "--max-requests", "many", fixture("http_handler.wasm")});
  EXPECT_EQ(bad.code, 64) << bad.err;
  EXPECT_NE(bad.err.find("--max-requests"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace tairitsu
