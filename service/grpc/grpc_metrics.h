// Copyright 2026 The Thrombo Authors.
// Prometheus metrics for the gRPC server, the counterpart of the HTTP server's
// (service/http/metrics.h), under the names grpc-ecosystem's exporters use:
//   grpc_server_handled_total{grpc_service,grpc_method,grpc_code}   calls answered, by status
//   grpc_server_handling_seconds{grpc_service,grpc_method}          (histogram) from the call's
//       start on the server to its status being sent: reading the request, the handler, writing
//       the response
// Order-entry systems call EvaluateHook over gRPC; without these an operator could not see its
// error rate or how long the server takes, and the load runs could not tell the server's share
// of a client's latency from the transport's (docs/benchmarks.md, "twenty-second round").
#ifndef THROMBO_SERVICE_GRPC_GRPC_METRICS_H_
#define THROMBO_SERVICE_GRPC_GRPC_METRICS_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/server_interceptor.h"
#include "service/http/metrics.h"

namespace thrombo::service {

// The methods a label names; any other (a client may send any path) is grpc_service="other",
// grpc_method="other", so unknown paths cannot grow the label space.
struct GrpcMethodLabels {
  std::string_view service;
  std::string_view method;
};
// "/thrombo.v1.ThromboprophylaxisService/Assess" -> {"thrombo.v1.ThromboprophylaxisService",
// "Assess"}, for this service's methods and the standard health and reflection services.
GrpcMethodLabels LabelsOfGrpcMethod(std::string_view full_method);

// Owns the two families; InstallOn puts its interceptor on a server builder. Thread-safe; must
// outlive the server.
class GrpcMetrics final {
 public:
  // Errors: AlreadyExists when `registry` already has these metrics.
  static absl::StatusOr<std::unique_ptr<GrpcMetrics>> Create(http::MetricsRegistry* registry);

  // One call's outcome: what the interceptor records when the call sends its status.
  void Record(std::string_view full_method, grpc::StatusCode code, double seconds);

  // Makes every call of the server `builder` builds recorded into `this`. The builder's only
  // interceptor: this sets its whole list.
  void InstallOn(grpc::ServerBuilder* builder);

 private:
  GrpcMetrics(http::Counter* handled, http::Histogram* handling)
      : handled_(handled), handling_(handling) {}

  http::Counter* const handled_;
  http::Histogram* const handling_;
};

// "OK", "INVALID_ARGUMENT", ... as gRPC names its codes; "UNKNOWN" for a number it does not use.
std::string GrpcCodeName(grpc::StatusCode code);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_GRPC_GRPC_METRICS_H_
