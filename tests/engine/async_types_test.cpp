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
                                [](HostContext &, std::span<const Value>) -> Result<Value> {
                                  return Value::unit();
                                })
               .build();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), ErrorCode::Unsupported);
  EXPECT_NE(c.error().message().find("take-stream"), std::string::npos) << c.error();
}

TEST(AsyncTypes, AnUnprovidedStreamImportIsListedWithItsType) {
  auto c = ContainerBuilder(async_image()).build();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), ErrorCode::LinkError);
  EXPECT_NE(c.error().message().find("take-stream: func(s: stream<u8>)"), std::string::npos)
      << c.error();
}

}  // namespace
}  // namespace tairitsu
