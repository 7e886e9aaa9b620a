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

#include "absl/status/statusor.h"
#include "service/grpc/call_observer.h"
#include "service/http/metrics.h"

namespace thrombo::service {

// Owns the two families; labels are LabelsOfGrpcMethod's and GrpcCodeName's. Thread-safe; must
// outlive the server whose calls it records (see InstallGrpcCallObserver).
class GrpcMetrics final {
 public:
  // Errors: AlreadyExists when `registry` already has these metrics.
  static absl::StatusOr<std::unique_ptr<GrpcMetrics>> Create(http::MetricsRegistry* registry);

  // One answered call, counted and timed.
  void Record(const GrpcCallInfo& call);

 private:
  GrpcMetrics(http::Counter* handled, http::Histogram* handling)
      : handled_(handled), handling_(handling) {}

  http::Counter* const handled_;
  http::Histogram* const handling_;
};

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_GRPC_GRPC_METRICS_H_
