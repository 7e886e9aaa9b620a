// Copyright 2026 The Thrombo Authors.
#include "tests/testing/shared_data.h"

#include <cstdlib>

#include "gtest/gtest-spi.h"
#include "gtest/gtest.h"

namespace thrombo::testing {
namespace {

class SharedDataEnvTest : public ::testing::Test {
 protected:
  void TearDown() override {
    unsetenv("THROMBO_REQUIRE_SHARED_DATA");
    unsetenv("THROMBO_SHARED_DATA");
  }
};

TEST_F(SharedDataEnvTest, RequiredOnlyWhenSetToSomethingOtherThanZero) {
  unsetenv("THROMBO_REQUIRE_SHARED_DATA");
  EXPECT_FALSE(SharedDataRequired());
  setenv("THROMBO_REQUIRE_SHARED_DATA", "0", 1);
  EXPECT_FALSE(SharedDataRequired());
  setenv("THROMBO_REQUIRE_SHARED_DATA", "", 1);
  EXPECT_FALSE(SharedDataRequired());
  setenv("THROMBO_REQUIRE_SHARED_DATA", "1", 1);
  EXPECT_TRUE(SharedDataRequired());
}

TEST_F(SharedDataEnvTest, EnvironmentVariableNamesTheFolder) {
  setenv("THROMBO_SHARED_DATA", "/nonexistent/shared/data", 1);
  EXPECT_EQ(SharedDataDir(), std::filesystem::path("/nonexistent/shared/data"));
  std::string contents;
  EXPECT_FALSE(ReadSharedFile("cds-hooks/anything.json", &contents));
}

// The macro returns from the function it is in, so each use gets a function of its own.
void RequireMissingFolder() { THROMBO_SKIP_UNLESS_SHARED_DATA("/nonexistent/shared/data"); }

TEST_F(SharedDataEnvTest, MissingFolderFailsWhenRequired) {
  setenv("THROMBO_REQUIRE_SHARED_DATA", "1", 1);
  EXPECT_FATAL_FAILURE(RequireMissingFolder(), "THROMBO_REQUIRE_SHARED_DATA is set");
}

TEST_F(SharedDataEnvTest, ExistingFolderNeitherSkipsNorFails) {
  setenv("THROMBO_REQUIRE_SHARED_DATA", "1", 1);
  bool reached = false;
  [&] {
    THROMBO_SKIP_UNLESS_SHARED_DATA(std::filesystem::temp_directory_path());
    reached = true;
  }();
  EXPECT_TRUE(reached);
  EXPECT_FALSE(::testing::Test::IsSkipped());
}

}  // namespace
}  // namespace thrombo::testing
