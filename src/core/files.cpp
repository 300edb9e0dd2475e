#include "core/files.hpp"

#include <openssl/evp.h>

#include <fstream>

namespace tairitsu::detail {

Result<std::vector<std::byte>> read_file(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    bool exists = std::filesystem::exists(path, ec);
    return Error(exists ? ErrorCode::Io : ErrorCode::NotFound,
                 "'" + path.string() + "': " + (exists ? "cannot be read" : "no such file"));
  }
  in.seekg(0, std::ios::end);
  auto size = in.tellg();
  in.seekg(0);
  std::vector<std::byte> bytes(size > 0 ? static_cast<std::size_t>(size) : 0);
  in.read(reinterpret_cast<char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!in && !bytes.empty()) {
    return Error(ErrorCode::Io, "'" + path.string() + "': read failed");
  }
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
