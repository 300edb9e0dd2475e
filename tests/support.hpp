#pragma once

// Shared helpers for the tests: fixture paths and images compiled once per process.

#include <gtest/gtest.h>

#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "tairitsu/tairitsu.hpp"

namespace tairitsu::testing {

inline std::filesystem::path fixture_path(const std::string &name) {
  return std::filesystem::path(TAIRITSU_FIXTURE_DIR) / name;
}

inline std::vector<std::byte> read_bytes(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<std::byte> out(raw.size());
  std::memcpy(out.data(), raw.data(), raw.size());
  return out;
}

/// The engine fixtures are compiled with. ThreadSanitizer builds compile on the
/// calling thread: Wasmtime's compilation threads synchronize in uninstrumented
/// Rust code, which ThreadSanitizer would report as races.
inline Engine test_engine() {
#ifdef TAIRITSU_TEST_SERIAL_COMPILATION
  static Engine engine = [] {
    EngineConfig config;
    config.parallel_compilation = false;
    return *Engine::create(config);
  }();
  return engine;
#else
  return Engine::shared();
#endif
}

/// A concurrent engine (component-model async), compiling as `test_engine` does.
inline Result<Engine> concurrent_test_engine() {
  EngineConfig config;
  config.component_model_async = true;
#ifdef TAIRITSU_TEST_SERIAL_COMPILATION
  config.parallel_compilation = false;
#endif
  return Engine::create(config);
}

/// The fixture's image, compiled on first use and shared by all tests.
inline Image fixture_image(const std::string &name) {
  static std::mutex mutex;
  static std::map<std::string, Image> cache;
  std::lock_guard lock(mutex);
  auto it = cache.find(name);
  if (it == cache.end()) {
    auto image = Image::from_file(fixture_path(name), test_engine());
    if (!image) {
      ADD_FAILURE() << "fixture " << name << ": " << image.error();
      std::abort();
    }
    it = cache.emplace(name, *image).first;
  }
  return it->second;
}

/// CPU time the calling thread has used, in seconds: what a busy wait on it would burn.
inline double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

#define ASSERT_OK(expr)                                             \
  do {                                                              \
    const auto &tairitsu_result_ = (expr);                          \
    ASSERT_TRUE(tairitsu_result_.ok()) << tairitsu_result_.error(); \
  } while (0)

#define EXPECT_OK(expr)                                             \
  do {                                                              \
    const auto &tairitsu_result_ = (expr);                          \
    EXPECT_TRUE(tairitsu_result_.ok()) << tairitsu_result_.error(); \
  } while (0)

}  // namespace tairitsu::testing
