// Copyright 2026 The Thrombo Authors.
// Tests for the Prometheus registry and its text rendering.
#include "service/http/metrics.h"

#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service::http {
namespace {

using ::testing::HasSubstr;
using ::thrombo::testing::StatusIs;

TEST(MetricsRegistry, RendersCountersWithEscapedLabels) {
  MetricsRegistry registry;
  ASSERT_OK_AND_ASSIGN(Counter * counter,
                       registry.AddCounter("cards_total", "Cards sent.", {"service", "kind"}));
  counter->Increment({"vte", "warn\"ing"});
  counter->Increment({"vte", "warn\"ing"}, 2);
  counter->Increment({"a\\b", "line\nbreak"});
  counter->Increment({"too few"});  // dropped, not a crash
  EXPECT_EQ(counter->Value({"vte", "warn\"ing"}), 3);
  EXPECT_EQ(registry.RenderText(),
            "# HELP cards_total Cards sent.\n"
            "# TYPE cards_total counter\n"
            "cards_total{service=\"a\\\\b\",kind=\"line\\nbreak\"} 1\n"
            "cards_total{service=\"vte\",kind=\"warn\\\"ing\"} 3\n");
}

TEST(MetricsRegistry, RendersHistogramsCumulatively) {
  MetricsRegistry registry;
  ASSERT_OK_AND_ASSIGN(Histogram * histogram,
                       registry.AddHistogram("latency_seconds", "Latency.", {}, {0.1, 0.5}));
  histogram->Observe({}, 0.05);
  histogram->Observe({}, 0.2);
  histogram->Observe({}, 3);
  EXPECT_EQ(registry.RenderText(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{le=\"0.1\"} 1\n"
            "latency_seconds_bucket{le=\"0.5\"} 2\n"
            "latency_seconds_bucket{le=\"+Inf\"} 3\n"
            "latency_seconds_sum 3.25\n"
            "latency_seconds_count 3\n");
}

TEST(MetricsRegistry, RejectsBadNamesDuplicatesAndBounds) {
  MetricsRegistry registry;
  ASSERT_OK(registry.AddCounter("ok_total", "", {}).status());
  EXPECT_THAT(registry.AddCounter("ok_total", "", {}), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(registry.AddCounter("9bad", "", {}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(registry.AddCounter("x_total", "", {"bad-label"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(registry.AddHistogram("h", "", {"le"}, {1}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(registry.AddHistogram("h", "", {}, {1, 1}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(MetricsRegistry, CountsFromManyThreads) {
  MetricsRegistry registry;
  ASSERT_OK_AND_ASSIGN(Counter * counter, registry.AddCounter("hits_total", "", {"t"}));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) counter->Increment({"x"});
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter->Value({"x"}), 4000);
}

TEST(HttpMetrics, RecordsRequestsFromTheObserver) {
  MetricsRegistry registry;
  ASSERT_OK_AND_ASSIGN(HttpMetrics metrics, HttpMetrics::Create(&registry));
  Observer observer = metrics.AsObserver();
  RequestInfo info;
  info.route = "/cds-services/{id}";
  info.method = "POST";
  info.status = 200;
  info.latency = absl::Milliseconds(30);
  info.response_bytes = 120;
  observer(info);
  info.route = "";
  info.method = "BREW";
  info.status = 404;
  observer(info);
  const std::string text = registry.RenderText();
  EXPECT_THAT(text, HasSubstr("http_requests_total{route=\"/cds-services/{id}\",method=\"POST\","
                              "status=\"200\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("http_requests_total{route=\"unmatched\",method=\"other\","
                              "status=\"404\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("http_request_duration_seconds_bucket{route=\"/cds-services/{id}\","
                              "method=\"POST\",le=\"0.05\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("http_response_bytes_total{route=\"/cds-services/{id}\"} 120\n"));
  EXPECT_THAT(HttpMetrics::Create(&registry), StatusIs(absl::StatusCode::kAlreadyExists));
}

}  // namespace
}  // namespace thrombo::service::http
