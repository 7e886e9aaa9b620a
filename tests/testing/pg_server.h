// Copyright 2026 The Thrombo Authors.
// The throwaway PostgreSQL server of the test command (scripts/pg_cluster.sh, started by
// scripts/test.sh and passed as THROMBO_TEST_PG), and what a test does without one: skip on a
// developer's machine, fail under CI (CI=true, or THROMBO_REQUIRE_PG=1), so a missing server
// can never pass as green.
#ifndef THROMBO_TESTS_TESTING_PG_SERVER_H_
#define THROMBO_TESTS_TESTING_PG_SERVER_H_

#include <string>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace thrombo::testing {

// THROMBO_TEST_PG: a libpq keyword=value connection string to the server's maintenance
// database; empty when unset.
std::string TestPgConninfo();

// True under CI=true or THROMBO_REQUIRE_PG set to a non-empty value other than "0".
bool PgRequired();

// Creates an empty database with a fresh name (`prefix` plus a random suffix) on the test
// server; returns the connection string for it.
absl::StatusOr<std::string> CreateTestDatabase(const std::string& prefix);

// Runs one SQL command on `conninfo` (for test setup and checks); the first row's first column
// of its result, or "" when it returns none.
absl::StatusOr<std::string> PgQuery(const std::string& conninfo, const std::string& sql);

}  // namespace thrombo::testing

// In a test body or SetUp: skips (or fails, when a server is required) unless THROMBO_TEST_PG
// names one.
#define THROMBO_SKIP_UNLESS_PG()                                                           \
  do {                                                                                     \
    if (::thrombo::testing::TestPgConninfo().empty()) {                                    \
      if (::thrombo::testing::PgRequired()) {                                              \
        FAIL() << "THROMBO_TEST_PG is not set, and a PostgreSQL server is required here "  \
                  "(CI=true or THROMBO_REQUIRE_PG=1; scripts/test.sh starts one)";         \
      }                                                                                    \
      GTEST_SKIP() << "no PostgreSQL server: run scripts/pg_cluster.sh start and pass "    \
                      "--test_env=THROMBO_TEST_PG=<its output> to run this test";          \
    }                                                                                      \
  } while (false)

#endif  // THROMBO_TESTS_TESTING_PG_SERVER_H_
