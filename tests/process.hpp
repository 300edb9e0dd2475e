#pragma once

// Runs a program as a separate process, capturing its output and exit code.

#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

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

/// Runs `program ARGS...` with `stdin_text` as its input and `env` added to
/// the environment. `scratch` is a directory for the captured streams.
inline ProcessResult run_process(const std::string &program, std::vector<std::string> args,
                                 const std::filesystem::path &scratch, const std::string &stdin_text = "",
                                 const std::vector<std::pair<std::string, std::string>> &env = {}) {
  std::filesystem::path out = scratch / "stdout", err = scratch / "stderr", in = scratch / "stdin";
  std::ofstream(in) << stdin_text;
  pid_t pid = ::fork();
  if (pid == 0) {
    for (const auto &[key, value] : env) ::setenv(key.c_str(), value.c_str(), 1);
    std::freopen(in.c_str(), "r", stdin);
    std::freopen(out.c_str(), "w", stdout);
    std::freopen(err.c_str(), "w", stderr);
    std::vector<char *> argv{const_cast<char *>(program.c_str())};
    for (auto &a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  auto slurp = [](const std::filesystem::path &p) {
    std::ifstream f(p);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  };
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), slurp(out), slurp(err)};
}

}  // namespace tairitsu::testing
