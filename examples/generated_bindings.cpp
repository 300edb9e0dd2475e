// Compile-time bindings: C++ generated from WIT by tairitsu-bindgen (the
// CMake function tairitsu_bindgen runs it during the build). The host
// implements the imported interface as a class; the guest's exports are
// called through a typed wrapper whose signatures were checked once.
//
//   generated_bindings path/to/alltypes.wasm

#include <iostream>
#include <map>

#include "alltypes.hpp"  // generated from tests/fixtures/alltypes/wit
#include "tairitsu/tairitsu.hpp"

using namespace tairitsu;
using alltypes::types::Level;
using alltypes::types::Point;
using alltypes::types::Shape;

namespace {

// The host's side of `tairitsu:alltypes/store`: one method per WIT function.
class MemoryStore final : public alltypes::store::Store {
 public:
  Outcome<std::monostate, std::string> put(std::string key, std::vector<uint8_t> value) override {
    if (key.empty()) return Outcome<std::monostate, std::string>::err("empty key");
    data_[key] = std::move(value);
    return Outcome<std::monostate, std::string>::ok({});
  }
  std::optional<std::vector<uint8_t>> get(std::string key) override {
    auto it = data_.find(key);
    return it == data_.end() ? std::nullopt : std::optional(it->second);
  }
  void log(Level, std::string message) override { std::cout << "[guest] " << message << "\n"; }
  alltypes::types::Everything mirror(alltypes::types::Everything e) override { return e; }
  Shape scale(Shape s, double factor) override {
    if (auto *radius = std::get_if<0>(&s)) return Shape::circle(*radius * factor);
    return s;
  }

 private:
  std::map<std::string, std::vector<uint8_t>> data_;
};

int fail(const Error &error) {
  std::cerr << "generated_bindings: " << error << "\n";
  return 1;
}

}  // namespace

int main(int argc, char **argv) {
  if (argc != 2) {
    std::cerr << "usage: generated_bindings ALLTYPES.wasm\n";
    return 2;
  }
  auto image = Image::from_file(argv[1]);
  if (!image) return fail(image.error());

  MemoryStore store;
  ContainerBuilder builder(*image);
  alltypes::store::add_to_builder(builder, store);  // every import of the interface
  auto container = builder.build();
  if (!container) return fail(container.error());

  auto api = alltypes::api::ApiGuest::bind(*container);  // checks every signature, once
  if (!api) return fail(api.error());

  auto stored = api->stash("greeting", {'h', 'i'});  // guest -> host put, host log
  if (!stored) return fail(stored.error());
  std::cout << "stashed " << stored->value() << " bytes\n";

  auto area = api->scaled_area(Shape::circle(1.0), 2.0);  // guest -> host scale
  if (!area) return fail(area.error());
  std::cout << "area: " << *area << "\n";

  auto described = api->describe(Shape::labelled({"home", Point{3, 4}}));
  if (!described) return fail(described.error());
  std::cout << "described: " << *described << "\n";

  // A guest resource as an RAII handle: dropped (the guest's destructor runs)
  // when it goes out of scope, or moved into a call that takes ownership.
  auto counter = api->accumulator_new(40);
  if (!counter) return fail(counter.error());
  if (auto r = api->accumulator_add(counter->borrow(), 2); !r) return fail(r.error());
  auto label = api->accumulator_label(counter->borrow());
  if (!label) return fail(label.error());
  auto total = api->finish(std::move(*counter));
  if (!total) return fail(total.error());
  std::cout << *label << " finished with " << *total << "\n";
  return 0;
}
