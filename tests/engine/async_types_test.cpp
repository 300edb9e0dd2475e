// Wasmtime 48's C API aborts the process when a stream, future or
// error-context value crosses it. Tairitsu refuses such calls and definitions
// with a clear error instead.

#include "support.hpp"

namespace tairitsu {
namespace {

// Async types need an engine that accepts them (not the default).
Image async_image() {
  static Image image = [] {
    EngineConfig config;
    config.component_model_async = true;
#ifdef TAIRITSU_TEST_SERIAL_COMPILATION
    config.parallel_compilation = false;  // see test_engine() in support.hpp
#endif
    auto engine = Engine::create(config);
    return *Image::from_file(testing::fixture_path("async_types.wasm"), *engine);
  }();
  return image;
}

TEST(AsyncTypes, TheDefaultEngineRefusesAsyncTypes) {
  auto r = Image::from_file(testing::fixture_path("async_types.wasm"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::InvalidInput);
  EXPECT_NE(r.error().message().find("async"), std::string::npos) << r.error();
}

TEST(AsyncTypes, SignaturesShowStreamAndFutureTypes) {
  Image image = async_image();
  bool saw_stream = false;
  for (const auto &item : image.exports()) {
    if (item.item_name == "consume") {
      EXPECT_EQ(item.signature(), "consume: func(s: stream<u8>)");
      saw_stream = true;
    }
  }
  EXPECT_TRUE(saw_stream);
}

TEST(AsyncTypes, CallingAFunctionWithAStreamIsUnsupported) {
  auto c = ContainerBuilder(async_image()).trap_unknown_imports().build();
  ASSERT_OK(c);
  auto r = c->call("consume", {Value::u32(0)});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::Unsupported);
  EXPECT_NE(r.error().message().find("stream<u8>"), std::string::npos) << r.error();
  auto ok = c->call("ok");
  ASSERT_OK(ok);
  EXPECT_EQ(*ok, Value::u32(7));
}

TEST(AsyncTypes, DefiningAHostFunctionWithAStreamIsUnsupported) {
  auto c = ContainerBuilder(async_image())
               .define_function("take-stream",
                                [](HostContext &, std::span<const Value>) -> Result<Value> { return Value::unit(); })
               .build();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), ErrorCode::Unsupported);
  EXPECT_NE(c.error().message().find("take-stream"), std::string::npos) << c.error();
}

TEST(AsyncTypes, AnUnprovidedStreamImportIsListedWithItsType) {
  auto c = ContainerBuilder(async_image()).build();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), ErrorCode::LinkError);
  EXPECT_NE(c.error().message().find("take-stream: func(s: stream<u8>)"), std::string::npos) << c.error();
}

}  // namespace
}  // namespace tairitsu

namespace tairitsu {
namespace {

// An export lifted `async` (with a callback), called through `Container::call`:
// on a concurrent engine the call runs on a fiber, where the guest's task may
// suspend; the plain `call` of earlier versions panicked inside Wasmtime.
TEST(AsyncExports, ACallbackLiftedExportAnswersThroughCall) {
  auto engine = tairitsu::testing::concurrent_test_engine();
  ASSERT_TRUE(engine) << engine.error();
  auto image = Image::from_wat(R"(
    (component
      (core func $return (canon task.return (result u32)))
      (core module $m
        (import "" "task.return" (func $return (param i32)))
        (func (export "f") (result i32) (call $return (i32.const 7)) (i32.const 0))  ;; exit
        (func (export "callback") (param i32 i32 i32) (result i32) unreachable))
      (core instance $i (instantiate $m (with "" (instance (export "task.return" (func $return))))))
      (func (export "f") async (result u32)
        (canon lift (core func $i "f") async (callback (core func $i "callback")))))
  )",
                               *engine);
  ASSERT_TRUE(image) << image.error();
  auto container = ContainerBuilder(*image).wasi(false).build();
  ASSERT_TRUE(container) << container.error();
  EXPECT_EQ(container->call("f", {}).value(), Value::u32(7));
  EXPECT_EQ(container->call("f", {}).value(), Value::u32(7));
}

}  // namespace
}  // namespace tairitsu
