// Copyright 2026 The Thrombo Authors.
#include "service/grpc/grpc_metrics.h"

#include <string>
#include <utility>

#include "absl/time/time.h"

namespace thrombo::service {

absl::StatusOr<std::unique_ptr<GrpcMetrics>> GrpcMetrics::Create(
    http::MetricsRegistry* registry) {
  absl::StatusOr<http::Counter*> handled =
      registry->AddCounter("grpc_server_handled_total", "gRPC calls answered, by status.",
                           {"grpc_service", "grpc_method", "grpc_code"});
  if (!handled.ok()) return handled.status();
  absl::StatusOr<http::Histogram*> handling = registry->AddHistogram(
      "grpc_server_handling_seconds",
      "Time from a gRPC call's start on the server to its status being sent.",
      {"grpc_service", "grpc_method"}, http::DefaultLatencyBuckets());
  if (!handling.ok()) return handling.status();
  return std::unique_ptr<GrpcMetrics>(new GrpcMetrics(*handled, *handling));
}

void GrpcMetrics::Record(const GrpcCallInfo& call) {
  const GrpcMethodLabels labels = LabelsOfGrpcMethod(call.method);
  std::string service(labels.service);
  std::string method(labels.method);
  handled_->Increment({service, method, GrpcCodeName(call.code)});
  handling_->Observe({std::move(service), std::move(method)},
                     absl::ToDoubleSeconds(call.latency));
}

}  // namespace thrombo::service
