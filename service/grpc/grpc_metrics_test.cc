// Copyright 2026 The Thrombo Authors.
// Tests for the gRPC server's metrics: calls counted by method and status, and timed, through the
// interceptor as a real server runs it.
#include "service/grpc/grpc_metrics.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/thrombo/v1/service.grpc.pb.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service {
namespace {

using ::testing::HasSubstr;
using ::thrombo::testing::StatusIs;

constexpr char kService[] = "thrombo.v1.ThromboprophylaxisService";

// Answers ListServices, refuses every Assess as INVALID_ARGUMENT, and leaves EvaluateHook to
// the generated base (UNIMPLEMENTED).
class FakeService final : public v1::ThromboprophylaxisService::Service {
 public:
  grpc::Status Assess(grpc::ServerContext*, const v1::AssessRequest*,
                      v1::AssessResponse*) override {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no record");
  }
  grpc::Status ListServices(grpc::ServerContext*, const v1::ListServicesRequest*,
                            v1::CdsServices*) override {
    return grpc::Status::OK;
  }
};

TEST(GrpcMetrics, RegistersOnceARegistry) {
  http::MetricsRegistry registry;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<GrpcMetrics> metrics, GrpcMetrics::Create(&registry));
  EXPECT_THAT(GrpcMetrics::Create(&registry).status(),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST(GrpcMetrics, CountsAndTimesEveryCallAServerAnswers) {
  http::MetricsRegistry registry;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<GrpcMetrics> metrics, GrpcMetrics::Create(&registry));
  FakeService service;
  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  InstallGrpcCallObserver(&builder,
                          [&metrics](const GrpcCallInfo& call) { metrics->Record(call); });
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<v1::ThromboprophylaxisService::Stub> stub =
      v1::ThromboprophylaxisService::NewStub(server->InProcessChannel(grpc::ChannelArguments()));

  for (int i = 0; i < 2; ++i) {
    grpc::ClientContext context;
    v1::CdsServices services;
    EXPECT_TRUE(stub->ListServices(&context, v1::ListServicesRequest(), &services).ok());
  }
  {
    grpc::ClientContext context;
    v1::AssessResponse response;
    EXPECT_EQ(stub->Assess(&context, v1::AssessRequest(), &response).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    grpc::ClientContext context;
    v1::CdsHooksResponse response;
    EXPECT_EQ(stub->EvaluateHook(&context, v1::EvaluateHookRequest(), &response).error_code(),
              grpc::StatusCode::UNIMPLEMENTED);
  }
  server->Shutdown();

  const std::string text = registry.RenderText();
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total{grpc_service=\"thrombo.v1."
                              "ThromboprophylaxisService\",grpc_method=\"ListServices\","
                              "grpc_code=\"OK\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total{grpc_service=\"thrombo.v1."
                              "ThromboprophylaxisService\",grpc_method=\"Assess\","
                              "grpc_code=\"INVALID_ARGUMENT\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handled_total{grpc_service=\"thrombo.v1."
                              "ThromboprophylaxisService\",grpc_method=\"EvaluateHook\","
                              "grpc_code=\"UNIMPLEMENTED\"} 1\n"));
  // Every call is timed, in the series of its method; an in-process call takes far less than
  // the top bucket.
  EXPECT_THAT(text, HasSubstr("grpc_server_handling_seconds_count{grpc_service=\"thrombo.v1."
                              "ThromboprophylaxisService\",grpc_method=\"ListServices\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handling_seconds_bucket{grpc_service=\"thrombo.v1."
                              "ThromboprophylaxisService\",grpc_method=\"Assess\",le=\"10\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("grpc_server_handling_seconds_bucket{grpc_service=\"thrombo.v1."
                              "ThromboprophylaxisService\",grpc_method=\"Assess\","
                              "le=\"0.00025\"}"));
}

}  // namespace
}  // namespace thrombo::service
