// Copyright 2026 The Thrombo Authors.
// Where the public compatibility data lives (shared/data beside the checkout: Synthea bundles,
// HL7 examples, CDS Hooks spec files), and what a test does when it is absent: skip on a
// developer's machine, fail where the test command requires it (scripts/test.sh sets
// THROMBO_REQUIRE_SHARED_DATA=1 under CI), so a missing folder can never pass as green.
#ifndef THROMBO_TESTS_TESTING_SHARED_DATA_H_
#define THROMBO_TESTS_TESTING_SHARED_DATA_H_

#include <filesystem>
#include <string>

#include "gtest/gtest.h"

namespace thrombo::testing {

// THROMBO_SHARED_DATA when set, else shared/data beside the source tree (found through the
// README.md runfile, which links back into the checkout). Empty when neither can be found.
std::filesystem::path SharedDataDir();

// True when THROMBO_REQUIRE_SHARED_DATA is set to a non-empty value other than "0".
bool SharedDataRequired();

// Reads a file under SharedDataDir(); false when it cannot be read.
bool ReadSharedFile(const std::string& relative_path, std::string* contents);

}  // namespace thrombo::testing

// In a test body or SetUp: skips (or fails, when the data is required) unless `path` exists.
#define THROMBO_SKIP_UNLESS_SHARED_DATA(path)                                              \
  do {                                                                                     \
    std::error_code shared_data_error_;                                                    \
    if (!std::filesystem::exists((path), shared_data_error_)) {                            \
      if (::thrombo::testing::SharedDataRequired()) {                                      \
        FAIL() << "shared data " << (path)                                                 \
               << " not found, and THROMBO_REQUIRE_SHARED_DATA is set";                    \
      }                                                                                    \
      GTEST_SKIP() << "shared data " << (path)                                             \
                   << " not found; set THROMBO_SHARED_DATA to run this test";              \
    }                                                                                      \
  } while (false)

#endif  // THROMBO_TESTS_TESTING_SHARED_DATA_H_
