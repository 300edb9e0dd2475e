#pragma once

// Runs the `tairitsu` command the way a hostile setting would: in a chosen
// directory, with stdin a pipe that stays open and silent, or with stdout a
// pipe nobody reads; measures how long it took.

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace tairitsu::testing {

struct HostileRun {
  int code = -1;  ///< the exit status, or 128 + the signal that ended it
  std::string out;
  std::string err;
  std::chrono::milliseconds elapsed{0};
};

struct HostileSetting {
  std::filesystem::path cwd;   ///< where to run; the scratch directory when empty
  bool silent_stdin = false;   ///< stdin: a pipe held open that never carries a byte
  bool unread_stdout = false;  ///< stdout: a pipe nobody reads
  std::vector<std::pair<std::string, std::string>> env;
  std::chrono::seconds kill_after{60};  ///< a bound on every run, so no test can hang
};

inline HostileRun run_hostile(const std::string &program, std::vector<std::string> args,
                              const std::filesystem::path &scratch, const HostileSetting &setting = {}) {
  std::filesystem::path out = scratch / "stdout", err = scratch / "stderr";
  int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1};
  if (setting.silent_stdin && ::pipe(in_pipe) != 0) return {};
  if (setting.unread_stdout && ::pipe(out_pipe) != 0) return {};
  auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    for (const auto &[key, value] : setting.env) ::setenv(key.c_str(), value.c_str(), 1);
    if (::chdir((setting.cwd.empty() ? scratch : setting.cwd).c_str()) != 0) ::_exit(126);
    int in = setting.silent_stdin ? in_pipe[0] : ::open("/dev/null", O_RDONLY);
    int o = setting.unread_stdout ? out_pipe[1] : ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(in, 0);
    ::dup2(o, 1);
    ::dup2(e, 2);
    std::vector<char *> argv{const_cast<char *>(program.c_str())};
    for (auto &a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(program.c_str(), argv.data());
    ::_exit(127);
  }
  // The parent keeps the write end of stdin (silent) and the read end of stdout (unread) open.
  if (setting.silent_stdin) ::close(in_pipe[0]);
  if (setting.unread_stdout) ::close(out_pipe[1]);
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() - start > setting.kill_after) {
      ::kill(-pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    ::usleep(5000);
  }
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  if (setting.silent_stdin) ::close(in_pipe[1]);
  if (setting.unread_stdout) ::close(out_pipe[0]);
  auto slurp = [](const std::filesystem::path &p) {
    std::ifstream f(p);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  };
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
          setting.unread_stdout ? std::string() : slurp(out), slurp(err), elapsed};
}

}  // namespace tairitsu::testing
