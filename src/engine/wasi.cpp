// WASI preview 2 as containers get it: only what the builder granted.

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>

#include "engine/container_core.hpp"

namespace tairitsu::detail {

namespace {

ptrdiff_t write_to_buffer(void *data, const unsigned char *bytes, size_t len) {
  auto *buffer = static_cast<OutputBuffer *>(data);
  std::lock_guard lock(buffer->mutex);
  buffer->text.append(reinterpret_cast<const char *>(bytes), len);
  return static_cast<ptrdiff_t>(len);
}

void release_buffer(void *data) { delete static_cast<std::shared_ptr<OutputBuffer> *>(data); }

ptrdiff_t write_to_shared_buffer(void *data, const unsigned char *bytes, size_t len) {
  return write_to_buffer(static_cast<std::shared_ptr<OutputBuffer> *>(data)->get(), bytes, len);
}

// The host's stdout or stderr for a container whose calls have a deadline:
// a write waits for the stream at most until the call's deadline, so a guest
// writing to a pipe nobody reads cannot hold the call past it. Writes go in
// pieces of at most PIPE_BUF bytes, which a writable pipe takes whole.
struct BoundedWriter {
  int fd;
  const ContainerCore *core;
};

ptrdiff_t write_before_deadline(void *data, const unsigned char *bytes, size_t len) {
  const auto *w = static_cast<const BoundedWriter *>(data);
  std::size_t done = 0;
  while (done < len) {
    int wait_ms = -1;
    if (w->core->deadline) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(*w->core->deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return -ETIMEDOUT;
      wait_ms = static_cast<int>(std::min<int64_t>(left.count(), INT32_MAX));
    }
    pollfd ready{w->fd, POLLOUT, 0};
    int r = ::poll(&ready, 1, wait_ms);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -errno;
    if (r == 0) return -ETIMEDOUT;
    ssize_t n = ::write(w->fd, bytes + done, std::min<std::size_t>(len - done, PIPE_BUF));
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0) return -errno;
    done += static_cast<std::size_t>(n);
  }
  return static_cast<ptrdiff_t>(len);
}

void release_writer(void *data) { delete static_cast<BoundedWriter *>(data); }

}  // namespace

Result<wasi_config_t *> make_wasi_config(const ContainerSpec &spec, ContainerCore &core) {
  CPtr<wasi_config_t, wasi_config_delete> config(wasi_config_new());

  std::vector<std::string> argv;
  argv.push_back(core.name);
  argv.insert(argv.end(), spec.args.begin(), spec.args.end());
  std::vector<const char *> argp;
  argp.reserve(argv.size());
  for (const auto &a : argv) {
    argp.push_back(a.c_str());
  }
  wasi_config_set_argv(config.get(), argp.size(), argp.data());

  if (spec.inherit_env) {
    wasi_config_inherit_env(config.get());
  } else if (!spec.env.empty()) {
    std::vector<const char *> keys;
    std::vector<const char *> values;
    for (const auto &[k, v] : spec.env) {
      keys.push_back(k.c_str());
      values.push_back(v.c_str());
    }
    wasi_config_set_env(config.get(), keys.size(), keys.data(), values.data());
  }

  for (const Preopen &p : spec.preopens) {
    if (!wasi_config_preopen_dir(config.get(), p.host_path.c_str(), p.guest_path.c_str(),
                                 p.access == DirAccess::ReadWrite)) {
      return Error(ErrorCode::NotFound, "preopened directory '" + p.host_path.string() + "' cannot be opened");
    }
  }

  if (spec.stdin_bytes) {
    wasm_byte_vec_t bytes;
    wasm_byte_vec_new(&bytes, spec.stdin_bytes->size(), spec.stdin_bytes->data());
    wasi_config_set_stdin_bytes(config.get(), &bytes);
  } else if (spec.stdin_mode == StdioMode::Inherit) {
    wasi_config_inherit_stdin(config.get());
  }

  auto connect = [&](StdioMode mode, const std::shared_ptr<OutputBuffer> &buffer, bool is_stdout) {
    if (mode == StdioMode::Inherit && spec.limits.timeout) {
      (is_stdout ? wasi_config_set_stdout_custom : wasi_config_set_stderr_custom)(
          config.get(), write_before_deadline, new BoundedWriter{is_stdout ? STDOUT_FILENO : STDERR_FILENO, &core},
          release_writer);
    } else if (mode == StdioMode::Inherit) {
      is_stdout ? wasi_config_inherit_stdout(config.get()) : wasi_config_inherit_stderr(config.get());
    } else if (mode == StdioMode::Capture) {
      auto *keep = new std::shared_ptr<OutputBuffer>(buffer);
      (is_stdout ? wasi_config_set_stdout_custom : wasi_config_set_stderr_custom)(config.get(), write_to_shared_buffer,
                                                                                  keep, release_buffer);
    }
  };
  connect(spec.stdout_mode, core.stdout_buffer, true);
  connect(spec.stderr_mode, core.stderr_buffer, false);
  return config.release();
}

}  // namespace tairitsu::detail
