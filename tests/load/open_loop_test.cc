// Copyright 2026 The Thrombo Authors.
#include "tests/load/open_loop.h"

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thrombo::load {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(OpenLoop, MeasuresEveryRequestAfterTheWarmUpAndCountsFailures) {
  LoadOptions options;
  options.connections = 3;
  options.warmup = 5;
  options.requests = 40;
  std::atomic<int64_t> sent{0};
  const LoadResult result = RunLoad(options, [&](int) -> SendFunction {
    return [&](int64_t k) {
      sent.fetch_add(1);
      return k % 10 != 3;  // requests 3, 13, 23, 33, 43 fail
    };
  });
  EXPECT_EQ(sent.load(), 45);
  EXPECT_EQ(result.latencies_us.size(), 40u);
  EXPECT_EQ(result.errors, 5);
  EXPECT_TRUE(std::is_sorted(result.latencies_us.begin(), result.latencies_us.end()));
}

// The reason the tool exists: a stalled answer delays the requests due behind it, and their
// latencies say so (measured from when each was due, not from when it was sent).
TEST(OpenLoop, RequestsQueuedBehindAStallAreLateFromWhenTheyWereDue) {
  LoadOptions options;
  options.connections = 1;
  options.warmup = 0;
  options.requests = 3;
  options.rps = 1000;  // due at 0, 1 and 2 ms
  const LoadResult result = RunLoad(options, [&](int) -> SendFunction {
    return [](int64_t k) {
      if (k == 0) std::this_thread::sleep_for(std::chrono::milliseconds(60));
      return true;
    };
  });
  ASSERT_EQ(result.latencies_us.size(), 3u);
  // All three answered no earlier than 60 ms after the start; the last was due at 2 ms.
  EXPECT_GE(result.latencies_us[0], 50'000);
}

TEST(OpenLoop, EvenScheduleSpacesRequestsByOneOverTheRate) {
  LoadOptions options;
  options.rps = 1000;
  options.requests = 4;
  EXPECT_THAT(DueSeconds(options), ElementsAre(0, 0.001, 0.002, 0.003));
  options.rps = 0;
  EXPECT_THAT(DueSeconds(options), ElementsAre());
}

TEST(OpenLoop, PoissonScheduleKeepsTheRateWithUnevenGaps) {
  LoadOptions options;
  options.rps = 1000;
  options.requests = 20001;
  options.poisson = true;
  const std::vector<double> due = DueSeconds(options);
  ASSERT_EQ(due.size(), 20001u);
  EXPECT_TRUE(std::is_sorted(due.begin(), due.end()));
  // 20,000 exponential gaps of mean 1 ms: 20 s give or take ~1% (the seed is fixed).
  EXPECT_NEAR(due.back(), 20.0, 0.5);
  // Exponential gaps: about 1 - e^-0.5 = 39% are shorter than half the mean gap.
  int short_gaps = 0;
  for (size_t i = 1; i < due.size(); ++i) short_gaps += due[i] - due[i - 1] < 0.0005;
  EXPECT_NEAR(short_gaps / 20000.0, 0.393, 0.03);
}

TEST(OpenLoop, ResultLineNamesEveryFieldRunShReads) {
  LoadResult result;
  result.latencies_us = {1000, 2000, 3000, 4000};
  result.errors = 1;
  result.seconds = 2;
  const std::string line = ResultLine("http_load", result);
  EXPECT_THAT(line, StartsWith("http_load requests=4 errors=1 seconds=2.00 rps=2 "));
  EXPECT_THAT(line, HasSubstr("p50_ms=3.000 p99_ms=4.000 p999_ms=4.000 max_ms=4.000"));
}

TEST(OpenLoop, PercentileOfNothingIsZero) {
  EXPECT_EQ(Percentile({}, 0.99), 0);
  EXPECT_EQ(Percentile({5, 6, 7, 8}, 0.5), 7);
}

TEST(OpenLoop, ReadsTheFilesOfOneSuffixInNameOrder) {
  const std::string dir = std::string(std::getenv("TEST_TMPDIR")) + "/bodies";
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
           {"req-00001.json", "b"}, {"req-00000.json", "a"}, {"req-00000.pb", "x"}}) {
    std::ofstream(dir + "/" + name) << text;
  }
  EXPECT_THAT(ReadFilesEndingIn(dir, ".json"), ElementsAre("a", "b"));
  EXPECT_THAT(ReadFilesEndingIn(dir + "/missing", ".json"), ElementsAre());
}

}  // namespace
}  // namespace thrombo::load
