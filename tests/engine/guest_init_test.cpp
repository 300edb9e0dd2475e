// Guest initializers: Wasmtime's own linker and store before instantiation.

#include "tairitsu/guest_init.hpp"
#include "support.hpp"

namespace tairitsu {
namespace {

using testing::fixture_image;

// bench_guest's import `host#bounce`, answered with x * 10 through the C API.
wasmtime_error_t *times_ten(void *calls, wasmtime_context_t *, const wasmtime_component_func_type_t *,
                            wasmtime_component_val_t *args, size_t, wasmtime_component_val_t *results, size_t) {
  ++*static_cast<int *>(calls);
  results[0].kind = WASMTIME_COMPONENT_S32;
  results[0].of.s32 = args[0].of.s32 * 10;
  return nullptr;
}

TEST(GuestInit, TheInitializerLinksWhatTheHostDidNotAndRunsForEachInstance) {
  int calls = 0, runs = 0;
  std::string seen_name;
  auto c =
      ContainerBuilder(fixture_image("bench_guest.wasm"))
          .name("raw-host")
          .guest_initializer([&](GuestInitContext &ctx) -> Result<void> {
            ++runs;
            seen_name = ctx.container_name;
            EXPECT_NE(ctx.store, nullptr);
            EXPECT_NE(ctx.component, nullptr);
            auto *root = wasmtime_component_linker_root(ctx.linker);
            wasmtime_component_linker_instance_t *host = nullptr;
            std::string_view iface = "tairitsu:bench/host@0.1.0", fn = "bounce";
            wasmtime_error_t *err =
                wasmtime_component_linker_instance_add_instance(root, iface.data(), iface.size(), &host);
            if (!err) {
              err = wasmtime_component_linker_instance_add_func(host, fn.data(), fn.size(), times_ten, &calls, nullptr);
              wasmtime_component_linker_instance_delete(host);
            }
            wasmtime_component_linker_instance_delete(root);
            if (err) {
              wasmtime_error_delete(err);
              return Error(ErrorCode::LinkError, "bounce could not be defined");
            }
            return {};
          })
          .build();
  ASSERT_OK(c);
  EXPECT_EQ(seen_name, "raw-host");
  EXPECT_EQ(*c->call("round-trip", {Value::s32(4)}), Value::s32(80));
  EXPECT_EQ(calls, 1);
  ASSERT_OK(c->restart());
  EXPECT_EQ(runs, 2);  // a fresh linker and instance each time
  EXPECT_EQ(*c->call("round-trip", {Value::s32(1)}), Value::s32(20));
}

TEST(GuestInit, AFailingInitializerFailsTheBuildWithItsError) {
  auto c = ContainerBuilder(fixture_image("bench_guest.wasm"))
               .guest_initializer([](GuestInitContext &) -> Result<void> {
                 return Error(ErrorCode::InvalidInput, "no license for this plugin");
               })
               .build();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), ErrorCode::InvalidInput);
  EXPECT_NE(c.error().message().find("guest initializer"), std::string::npos) << c.error();
  EXPECT_NE(c.error().message().find("no license for this plugin"), std::string::npos) << c.error();
}

TEST(GuestInit, AnImportNobodyDefinesIsReportedByInstantiation) {
  auto c = ContainerBuilder(fixture_image("bench_guest.wasm"))
               .guest_initializer([](GuestInitContext &) -> Result<void> { return {}; })
               .build();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code(), ErrorCode::LinkError) << c.error();
  EXPECT_NE(c.error().message().find("tairitsu:bench/host@0.1.0"), std::string::npos) << c.error();
}

}  // namespace
}  // namespace tairitsu
