// Linking beyond host functions: a component that exports a core module and a
// resource type serves another component's imported instance; a host function
// lives in an instance nested inside an imported one; a core module is given
// by the host. The components are WAT text, written here in full.
//
//   linking

#include <iostream>

#include <tairitsu/tairitsu.hpp>

using namespace tairitsu;

namespace {

// Exports a core module ("counter", which counts calls) and a resource type.
constexpr std::string_view kLibrary = R"(
  (component
    (core module $counter
      (global $n (mut i32) (i32.const 0))
      (func (export "next") (result i32)
        (global.set $n (i32.add (global.get $n) (i32.const 1)))
        (global.get $n)))
    (export "counter" (core module $counter))
    (type $ticket (resource (rep i32)))
    (export "ticket" (type $ticket)))
)";

// Imports the library's instance (its module and its resource type), a core
// module from the host, and a function nested two instances deep.
constexpr std::string_view kApp = R"(
  (component
    (import "library" (instance $library
      (export "counter" (core module (export "next" (func (result i32)))))
      (export "ticket" (type (sub resource)))))
    (import "host" (instance $host
      (export "math" (core module (export "double" (func (param i32) (result i32)))))
      (export "clock" (instance (export "now" (func (result u32)))))))
    (alias export $library "counter" (core module $counter))
    (alias export $host "math" (core module $math))
    (alias export $host "clock" (instance $clock))
    (alias export $clock "now" (func $now))
    (core func $now (canon lower (func $now)))
    (core instance $c (instantiate $counter))
    (core instance $m (instantiate $math))
    (core module $main
      (import "c" "next" (func $next (result i32)))
      (import "m" "double" (func $double (param i32) (result i32)))
      (import "h" "now" (func $now (result i32)))
      (func (export "tick") (result i32)
        (i32.add (call $double (call $next)) (call $now))))
    (core instance $i (instantiate $main
      (with "c" (instance $c))
      (with "m" (instance $m))
      (with "h" (instance (export "now" (func $now))))))
    (func (export "tick") (result u32) (canon lift (core func $i "tick"))))
)";

template <typename T>
T need(Result<T> result, std::string_view what) {
  if (!result) {
    std::cerr << what << ": " << result.error() << "\n";
    std::exit(1);
  }
  return std::move(*result);
}

}  // namespace

int main() {
  auto library =
      need(ContainerBuilder(need(Image::from_wat(kLibrary), "library image")).wasi(false).build(), "library container");
  auto math = need(CoreModule::from_wat(R"((module (func (export "double") (param i32) (result i32)
                                              (i32.mul (local.get 0) (i32.const 2)))))"),
                   "math module");

  auto app =
      need(ContainerBuilder(need(Image::from_wat(kApp), "app image"))
               .wasi(false)
               .define_instance("library", library)  // its module and resource type
               .define_module("host#math", math)
               .define_function("host#clock#now",
                                [](HostContext &, std::span<const Value>) -> Result<Value> { return Value::u32(1000); })
               .build(),
           "app container");

  for (int i = 0; i < 3; ++i) {
    std::cout << "tick: " << need(app.call("tick", {}), "tick").to_string() << "\n";  // 1002, 1004, 1006
  }

  // Without the library's instance, the app cannot link: the error says what is missing.
  auto alone = ContainerBuilder(need(Image::from_wat(kApp), "app image")).wasi(false).build();
  std::cout << "without the library: " << alone.error().message() << "\n";
}
