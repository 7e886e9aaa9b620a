// Copyright 2026 The Thrombo Authors.
// Every gRPC call the server answers, seen once as it sends its status: what the metrics count
// and the access log writes. The gRPC counterpart of the HTTP server's http::Observer.
#ifndef THROMBO_SERVICE_GRPC_CALL_OBSERVER_H_
#define THROMBO_SERVICE_GRPC_CALL_OBSERVER_H_

#include <functional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/support/status.h"
#include "service/http/log.h"

namespace thrombo::service {

// One answered call. Holds views: valid during the observer's call only.
struct GrpcCallInfo {
  std::string_view method;  // the path the client sent, e.g. "/thrombo.v1.Service/Assess"
  // The code the client got: DEADLINE_EXCEEDED or CANCELLED when it gave up before the
  // handler's status was sent, whatever that status was.
  grpc::StatusCode code = grpc::StatusCode::OK;
  absl::Duration latency;   // from the call's start on the server to its status being sent
  std::string_view remote;  // the peer's address without its port, e.g. "127.0.0.1"
};

// The methods known by name: this service's (proto/thrombo/v1/service.proto) and those of the
// health and reflection services the server also registers. Any other path (a client may send
// anything) is {"other", "other"}, so unknown paths cannot grow a metric's label space or put
// what a client wrote into a log line.
struct GrpcMethodLabels {
  std::string_view service;
  std::string_view method;
};
// "/thrombo.v1.ThromboprophylaxisService/Assess" -> {"thrombo.v1.ThromboprophylaxisService",
// "Assess"}.
GrpcMethodLabels LabelsOfGrpcMethod(std::string_view full_method);

// Called once per call on a gRPC thread; must be thread-safe and fast (metrics, logs).
using GrpcCallObserver = std::function<void(const GrpcCallInfo&)>;

// Makes every call of the server `builder` builds reported to `observer` (none when it is
// empty). The builder's only interceptor: this sets its whole list.
void InstallGrpcCallObserver(grpc::ServerBuilder* builder, GrpcCallObserver observer);

// The address in a gRPC peer name: "ipv4:10.0.0.7:41234" -> "10.0.0.7", "ipv6:[::1]:41234"
// (or its URI-escaped form) -> "::1"; any other form ("unix:/run/x.sock") as it is.
std::string_view RemoteAddressOfPeer(std::string_view peer);

// "OK", "INVALID_ARGUMENT", ... as gRPC names its codes; "UNKNOWN" for a number it does not use.
std::string GrpcCodeName(grpc::StatusCode code);

// The access-log line of a call, as http::LogRequest writes one per HTTP request: "grpc
// request" with service and method (LabelsOfGrpcMethod's), code, latency_ms and remote; never a
// message. Codes that mean the server failed (INTERNAL, UNKNOWN, UNAVAILABLE, DATA_LOSS,
// DEADLINE_EXCEEDED) log at warn, as HTTP's 5xx do.
void LogGrpcCall(http::Logger& logger, const GrpcCallInfo& call);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_GRPC_CALL_OBSERVER_H_
