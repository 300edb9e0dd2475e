// Build tool for test fixtures: wraps a WASI preview1 core module into a
// component with the preview1 adapter, exactly as Image::from_core_module does.
//
//   tairitsu-componentize IN_CORE.wasm OUT_COMPONENT.wasm

#include <fstream>
#include <iostream>
#include <iterator>

#include "tairitsu/image.hpp"

int main(int argc, char **argv) {
  if (argc != 3) {
    std::cerr << "usage: tairitsu-componentize IN_CORE.wasm OUT_COMPONENT.wasm\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << argv[1] << ": cannot be read\n";
    return 1;
  }
  std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto adapted = tairitsu::adapt_core_module(std::as_bytes(std::span(raw)));
  if (!adapted) {
    std::cerr << argv[1] << ": " << adapted.error() << "\n";
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(adapted->component.data()),
            static_cast<std::streamsize>(adapted->component.size()));
  return out ? 0 : 1;
}
