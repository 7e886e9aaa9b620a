// Copyright 2026 The Thrombo Authors.
#include "service/grpc/grpc_metrics.h"

#include <string>
#include <vector>

#include "absl/status/status.h"

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "grpcpp/support/interceptor.h"

namespace thrombo::service {
namespace {

// The methods labelled by name: this service's (proto/thrombo/v1/service.proto) and those of
// the health and reflection services the server also registers.
constexpr GrpcMethodLabels kKnownMethods[] = {
    {"thrombo.v1.ThromboprophylaxisService", "Assess"},
    {"thrombo.v1.ThromboprophylaxisService", "EvaluateHook"},
    {"thrombo.v1.ThromboprophylaxisService", "ListServices"},
    {"grpc.health.v1.Health", "Check"},
    {"grpc.health.v1.Health", "Watch"},
    {"grpc.reflection.v1alpha.ServerReflection", "ServerReflectionInfo"},
};

// Records the call it was made for when the call sends its status; one per call, made and
// deleted by gRPC.
class MetricsInterceptor final : public grpc::experimental::Interceptor {
 public:
  MetricsInterceptor(GrpcMetrics* metrics, const char* method)
      : metrics_(metrics), method_(method != nullptr ? method : ""), start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      metrics_->Record(method_, methods->GetSendStatus().error_code(),
                       absl::ToDoubleSeconds(absl::Now() - start_));
    }
    methods->Proceed();
  }

 private:
  GrpcMetrics* const metrics_;
  const std::string_view method_;  // gRPC's, alive as long as the call
  const absl::Time start_;
};

class MetricsInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MetricsInterceptorFactory(GrpcMetrics* metrics) : metrics_(metrics) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new MetricsInterceptor(metrics_, info->method());
  }

 private:
  GrpcMetrics* const metrics_;
};

}  // namespace

GrpcMethodLabels LabelsOfGrpcMethod(std::string_view full_method) {
  constexpr GrpcMethodLabels kOther = {"other", "other"};
  if (full_method.empty() || full_method.front() != '/') return kOther;
  const size_t slash = full_method.find('/', 1);
  if (slash == std::string_view::npos) return kOther;
  const std::string_view service = full_method.substr(1, slash - 1);
  const std::string_view method = full_method.substr(slash + 1);
  for (const GrpcMethodLabels& known : kKnownMethods) {
    if (known.service == service && known.method == method) return known;
  }
  return kOther;
}

std::string GrpcCodeName(grpc::StatusCode code) {
  // absl and gRPC share the canonical codes and their names (ToGrpcStatus leans on the same).
  std::string name = absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  return name.empty() ? "UNKNOWN" : name;
}

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

void GrpcMetrics::Record(std::string_view full_method, grpc::StatusCode code, double seconds) {
  const GrpcMethodLabels labels = LabelsOfGrpcMethod(full_method);
  std::string service(labels.service);
  std::string method(labels.method);
  handled_->Increment({service, method, GrpcCodeName(code)});
  handling_->Observe({std::move(service), std::move(method)}, seconds);
}

void GrpcMetrics::InstallOn(grpc::ServerBuilder* builder) {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<MetricsInterceptorFactory>(this));
  builder->experimental().SetInterceptorCreators(std::move(factories));
}

}  // namespace thrombo::service
