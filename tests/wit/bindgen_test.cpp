// tairitsu-bindgen as a command: its output for the all-types world is kept
// as a golden file, and WIT without a C++ mapping is refused by name.
//
// After an intended change of the generator, refresh the golden file with
//   build/dev/tairitsu-bindgen tests/fixtures/alltypes/wit -o tests/wit/golden/alltypes.hpp

#include "process.hpp"
#include "support.hpp"

namespace tairitsu {
namespace {

namespace fs = std::filesystem;

class Bindgen : public ::testing::Test {
 protected:
  testing::ProcessResult bindgen(std::vector<std::string> args) {
    return testing::run_process(TAIRITSU_BINDGEN, std::move(args), scratch_.path());
  }
  static std::string source(const std::string &relative) { return (fs::path(TAIRITSU_SOURCE_DIR) / relative).string(); }
  static std::string slurp(const fs::path &p) {
    std::ifstream f(p, std::ios::binary);
    return std::string((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  }

  testing::ScratchDirectory scratch_{"tairitsu-bindgen"};
};

TEST_F(Bindgen, OutputMatchesTheGoldenFile) {
  auto r = bindgen({source("tests/fixtures/alltypes/wit")});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, slurp(source("tests/wit/golden/alltypes.hpp")))
      << "the generated header changed; if intended, refresh the golden file (see the top of this test)";
}

TEST_F(Bindgen, WritesTheHeaderOnlyWhenItChanges) {
  fs::path out = scratch_.path() / "alltypes.hpp";
  ASSERT_EQ(bindgen({source("tests/fixtures/alltypes/wit"), "-o", out.string()}).code, 0);
  auto first = fs::last_write_time(out);
  ASSERT_EQ(bindgen({source("tests/fixtures/alltypes/wit"), "-o", out.string()}).code, 0);
  EXPECT_EQ(fs::last_write_time(out), first);
  auto other = bindgen({source("tests/fixtures/alltypes/wit"), "-n", "plugins::v1", "-o", out.string()});
  ASSERT_EQ(other.code, 0) << other.err;
  EXPECT_NE(slurp(out).find("namespace plugins::v1::api {"), std::string::npos);
}

TEST_F(Bindgen, RefusesWhatHasNoCppMapping) {
  auto r = bindgen({source("tests/wit/data/unsupported")});
  EXPECT_EQ(r.code, 65);
  EXPECT_NE(r.err.find("the resource 'file' of the imported interface tairitsu:unsupported/files@0.1.0"),
            std::string::npos)
      << r.err;
}

TEST_F(Bindgen, ReportsWitErrorsWithTheirPosition) {
  auto r = bindgen({source("tests/wit/data/broken")});
  EXPECT_EQ(r.code, 65);
  EXPECT_NE(r.err.find("broken.wit:5:3"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace tairitsu
