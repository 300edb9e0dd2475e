// Test helper: adds one image under COUNT references PREFIX:0 .. PREFIX:COUNT-1
// to the store at ROOT, printing "stored PREFIX:i" after each add returns. The
// store tests run several at once, and kill them at random points.
//
//   tairitsu-store-writer ROOT FILE PREFIX COUNT

#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tairitsu/image_store.hpp"

int main(int argc, char **argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: tairitsu-store-writer ROOT FILE PREFIX COUNT\n");
    return 2;
  }
  std::ifstream in(argv[2], std::ios::binary);
  std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto store = tairitsu::ImageStore::open(argv[1]);
  if (!store) {
    std::fprintf(stderr, "%s\n", store.error().to_string().c_str());
    return 1;
  }
  int count = std::stoi(argv[4]);
  for (int i = 0; i < count; ++i) {
    std::string ref = std::string(argv[3]) + ":" + std::to_string(i);
    auto added = store->add(std::as_bytes(std::span(raw)), ref);
    if (!added) {
      std::fprintf(stderr, "%s\n", added.error().to_string().c_str());
      return 1;
    }
    std::printf("stored %s\n", ref.c_str());
    std::fflush(stdout);
  }
  return 0;
}
