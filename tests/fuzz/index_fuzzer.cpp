// libFuzzer target for the image store's index reader: any bytes either
// fail with an error or give an index that, written back, reads as the same
// index. Nothing else may happen (no crash, no exception, no guess).

#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "registry/store_index.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  using namespace tairitsu;
  std::span<const std::byte> bytes(reinterpret_cast<const std::byte *>(data), size);
  auto index = detail::parse_store_index("index.json", bytes);
  if (!index) {
    if (index.error().code() != ErrorCode::Io) std::abort();
    return 0;
  }
  std::string text = detail::store_index_json(*index);
  auto again = detail::parse_store_index("index.json", std::as_bytes(std::span(text.data(), text.size())));
  if (!again || *again != *index) std::abort();
  return 0;
}
