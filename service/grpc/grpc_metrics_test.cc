// Copyright 2026 The Thrombo Authors.
// Tests for the gRPC server's metrics: calls counted by method and status, and timed. The calls
// reach Record through the call observer (call_observer_test) and the app wires the two
// together (tests/e2e/grpc_e2e_test, GrpcServedByTheApp).
#include "service/grpc/grpc_metrics.h"

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::thrombo::testing::StatusIs;

constexpr char kAssess[] = "/thrombo.v1.ThromboprophylaxisService/Assess";
constexpr char kList[] = "/thrombo.v1.ThromboprophylaxisService/ListServices";

TEST(GrpcMetrics, RegistersOnceARegistry) {
  http::MetricsRegistry registry;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<GrpcMetrics> metrics, GrpcMetrics::Create(&registry));
  EXPECT_THAT(GrpcMetrics::Create(&registry).status(),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST(GrpcMetrics, CountsEachCallByMethodAndCodeAndTimesItByMethod) {
  http::MetricsRegistry registry;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<GrpcMetrics> metrics, GrpcMetrics::Create(&registry));
  metrics->Record({kList, grpc::StatusCode::OK, absl::Microseconds(100), "10.0.0.7"});
  metrics->Record({kList, grpc::StatusCode::OK, absl::Microseconds(200), "10.0.0.7"});
  metrics->Record({kAssess, grpc::StatusCode::INVALID_ARGUMENT, absl::Milliseconds(3),
                   "10.0.0.7"});
  metrics->Record({"/evil.Service/Jane-Doe", grpc::StatusCode::UNIMPLEMENTED,
                   absl::Microseconds(50), "10.0.0.7"});

  const std::string text = registry.RenderText();
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total{grpc_service=\"thrombo.v1."
                              "ThromboprophylaxisService\",grpc_method=\"ListServices\","
                              "grpc_code=\"OK\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total{grpc_service=\"thrombo.v1."
                              "ThromboprophylaxisService\",grpc_method=\"Assess\","
                              "grpc_code=\"INVALID_ARGUMENT\"} 1\n"));
  // A path this server does not serve is folded into one series, whatever the client sent.
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total{grpc_service=\"other\","
                              "grpc_method=\"other\",grpc_code=\"UNIMPLEMENTED\"} 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("Jane")));
  // Timed in the series of its method, in the bucket of its latency: 3 ms is above 2.5 ms.
  EXPECT_THAT(text, HasSubstr("grpc_server_handling_seconds_count{grpc_service=\"thrombo.v1."
                              "ThromboprophylaxisService\",grpc_method=\"ListServices\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handling_seconds_bucket{grpc_service=\"thrombo.v1."
                              "ThromboprophylaxisService\",grpc_method=\"Assess\","
                              "le=\"0.0025\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handling_seconds_bucket{grpc_service=\"thrombo.v1."
                              "ThromboprophylaxisService\",grpc_method=\"Assess\","
                              "le=\"0.005\"} 1\n"));
}

}  // namespace
}  // namespace thrombo::service
