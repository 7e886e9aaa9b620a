// Copyright 2026 The Thrombo Authors.
// The paths and default ports an orchestrator depends on: probes, scraping and the listeners.
// One definition each, used by the binary (routes, flag defaults) and checked against the
// deployment manifests (tests/deploy/k8s_manifest_test.cc), so the two cannot drift apart.
#ifndef THROMBO_SERVICE_HTTP_ENDPOINTS_H_
#define THROMBO_SERVICE_HTTP_ENDPOINTS_H_

#include <cstdint>

namespace thrombo::service::http {

// Liveness: 200 while the process answers at all. A failure means "restart me".
inline constexpr char kHealthzPath[] = "/healthz";
// Readiness: 200 when this replica should get traffic (its store usable); 503 otherwise. A
// failure means "route around me", never "restart me".
inline constexpr char kReadyzPath[] = "/readyz";
// Prometheus text exposition.
inline constexpr char kMetricsPath[] = "/metrics";

// `thrombo serve` defaults (--http_port, --grpc_port).
inline constexpr uint16_t kDefaultHttpPort = 8080;
inline constexpr uint16_t kDefaultGrpcPort = 50051;

}  // namespace thrombo::service::http

#endif  // THROMBO_SERVICE_HTTP_ENDPOINTS_H_
