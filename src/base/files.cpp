#include "base/files.hpp"

#include <openssl/evp.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace tairitsu::detail {

Result<std::vector<std::byte>> read_file(const std::filesystem::path &path) {
  auto failed = [&](ErrorCode code, const std::string &why) { return Error(code, "'" + path.string() + "': " + why); };
  // Not blocking in open(): a FIFO nobody writes to reads as empty instead of
  // waiting forever. Reading itself blocks, so pipes are read to their end.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    int err = errno;
    return failed(err == ENOENT || err == ENOTDIR ? ErrorCode::NotFound : ErrorCode::Io,
                  err == ENOENT || err == ENOTDIR ? "no such file" : std::strerror(err));
  }
  struct stat st{};
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    ::close(fd);
    return failed(ErrorCode::InvalidInput, "is a directory, not a file");
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  std::vector<std::byte> bytes;
  if (S_ISREG(st.st_mode) && st.st_size > 0) bytes.reserve(static_cast<std::size_t>(st.st_size));
  std::byte chunk[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return failed(ErrorCode::Io, std::string("read failed: ") + std::strerror(err));
    }
    if (n == 0) break;
    bytes.insert(bytes.end(), chunk, chunk + n);
  }
  ::close(fd);
  return bytes;
}

std::string sha256_hex(std::span<const std::byte> bytes) {
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), hash, &len, EVP_sha256(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[hash[i] >> 4];
    out += hex[hash[i] & 15];
  }
  return out;
}

}  // namespace tairitsu::detail
