#pragma once

// Runs a program as a separate process, capturing its output and exit code.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace tairitsu::testing {

struct ProcessResult {
  int code = -1;  ///< the exit status, or 128 + the signal that ended it
  std::string out;
  std::string err;
  std::chrono::milliseconds elapsed{0};
};

/// How a process is run: its input, environment and directory, and the
/// settings of hostile tests (a stdin that stays open and silent, a stdout
/// nobody reads).
struct ProcessOptions {
  std::string stdin_text;                                ///< stdin's whole content (unless silent_stdin)
  std::vector<std::pair<std::string, std::string>> env;  ///< added to the environment
  std::filesystem::path cwd;                             ///< where to run; the scratch directory when empty
  bool silent_stdin = false;                             ///< stdin: a pipe held open that never carries a byte
  bool unread_stdout = false;                            ///< stdout: a pipe nobody reads (`out` stays empty)
  std::chrono::seconds kill_after{300};                  ///< a bound on every run, so no test can hang
};

/// A fresh directory named after the running test, removed at the end.
class ScratchDirectory {
 public:
  explicit ScratchDirectory(const std::string &prefix)
      : path_(std::filesystem::temp_directory_path() /
              (prefix + "-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDirectory() { std::filesystem::remove_all(path_); }
  ScratchDirectory(const ScratchDirectory &) = delete;
  ScratchDirectory &operator=(const ScratchDirectory &) = delete;

  const std::filesystem::path &path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// Runs `program ARGS...` as `options` say; `scratch` is a directory for the
/// captured streams. Killed (with its process group) after `kill_after`.
inline ProcessResult run_process(const std::string &program, std::vector<std::string> args,
                                 const std::filesystem::path &scratch, const ProcessOptions &options) {
  std::filesystem::path out = scratch / "stdout", err = scratch / "stderr", in = scratch / "stdin";
  std::ofstream(in) << options.stdin_text;
  int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1};
  if (options.silent_stdin && ::pipe(in_pipe) != 0) return {};
  if (options.unread_stdout && ::pipe(out_pipe) != 0) return {};
  auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    for (const auto &[key, value] : options.env) ::setenv(key.c_str(), value.c_str(), 1);
    if (::chdir((options.cwd.empty() ? scratch : options.cwd).c_str()) != 0) ::_exit(126);
    int i = options.silent_stdin ? in_pipe[0] : ::open(in.c_str(), O_RDONLY);
    int o = options.unread_stdout ? out_pipe[1] : ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(i, 0);
    ::dup2(o, 1);
    ::dup2(e, 2);
    std::vector<char *> argv{const_cast<char *>(program.c_str())};
    for (auto &a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  // The parent keeps the write end of a silent stdin and the read end of an unread stdout open.
  if (options.silent_stdin) ::close(in_pipe[0]);
  if (options.unread_stdout) ::close(out_pipe[1]);
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() - start > options.kill_after) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    ::usleep(2000);
  }
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  if (options.silent_stdin) ::close(in_pipe[1]);
  if (options.unread_stdout) ::close(out_pipe[0]);
  auto slurp = [](const std::filesystem::path &p) {
    std::ifstream f(p);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  };
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
          options.unread_stdout ? std::string() : slurp(out), slurp(err), elapsed};
}

/// Runs `program ARGS...` with `stdin_text` as its input and `env` added to
/// the environment. `scratch` is a directory for the captured streams.
inline ProcessResult run_process(const std::string &program, std::vector<std::string> args,
                                 const std::filesystem::path &scratch, const std::string &stdin_text = "",
                                 const std::vector<std::pair<std::string, std::string>> &env = {}) {
  return run_process(program, std::move(args), scratch, ProcessOptions{.stdin_text = stdin_text, .env = env});
}

}  // namespace tairitsu::testing
