// Runtime WIT: load a world from WIT files while the program runs, and check
// a plugin image against it before running it. The report names every
// missing or mistyped function.
//
//   wit_check path/to/wit-dir path/to/plugin.wasm [world]

#include <iostream>

#include "tairitsu/tairitsu.hpp"

using namespace tairitsu;

int main(int argc, char **argv) {
  if (argc < 3 || argc > 4) {
    std::cerr << "usage: wit_check WIT_DIR PLUGIN.wasm [WORLD]\n";
    return 2;
  }
  auto world = WitWorld::load(argv[1], argc == 4 ? argv[3] : "");
  if (!world) {
    std::cerr << "wit_check: " << world.error() << "\n";
    return 1;
  }
  std::cout << "world " << world->name() << " expects:\n";
  for (const WorldItem &item : world->exports()) {
    if (item.kind == WorldItem::Kind::Function)
      std::cout << "  " << item.name << ": " << item.function->to_string() << "\n";
  }

  auto image = Image::from_file(argv[2]);
  if (!image) {
    std::cerr << "wit_check: " << image.error() << "\n";
    return 1;
  }
  WorldCheck report = check_world(*image, *world);
  std::cout << argv[2] << " " << report.to_string() << "\n";
  return report.conforms() ? 0 : 3;
}
