// Copyright 2026 The Thrombo Authors.
#include "service/grpc/call_observer.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "base/string_compat.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/interceptor.h"
#include "grpcpp/support/server_interceptor.h"

namespace thrombo::service {
namespace {

constexpr GrpcMethodLabels kKnownMethods[] = {
    {"thrombo.v1.ThromboprophylaxisService", "Assess"},
    {"thrombo.v1.ThromboprophylaxisService", "EvaluateHook"},
    {"thrombo.v1.ThromboprophylaxisService", "ListServices"},
    {"grpc.health.v1.Health", "Check"},
    {"grpc.health.v1.Health", "Watch"},
    {"grpc.reflection.v1alpha.ServerReflection", "ServerReflectionInfo"},
};

// The code the client got. A handler that does not look at cancellation (none here does: a
// hook call is short) still returns its own status after its client has gone; the client got
// DEADLINE_EXCEEDED or CANCELLED instead, and that is what an operator must see: a server too
// slow for its clients' deadlines would otherwise count and log only OKs.
grpc::StatusCode CodeTheClientSees(grpc::ServerContextBase& context, const grpc::Status& sent,
                                   absl::Time now) {
  if (!context.IsCancelled()) return sent.error_code();
  return absl::FromChrono(context.deadline()) <= now ? grpc::StatusCode::DEADLINE_EXCEEDED
                                                     : grpc::StatusCode::CANCELLED;
}

// Reports the call it was made for when the call sends its status; one per call, made and
// deleted by gRPC.
class ObservingInterceptor final : public grpc::experimental::Interceptor {
 public:
  ObservingInterceptor(const GrpcCallObserver* observer, grpc::experimental::ServerRpcInfo* info)
      : observer_(observer), info_(info), start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      grpc::ServerContextBase* const context = info_->server_context();
      const std::string peer = context->peer();
      const char* method = info_->method();
      const absl::Time now = absl::Now();
      (*observer_)(GrpcCallInfo{method != nullptr ? method : "",
                                CodeTheClientSees(*context, methods->GetSendStatus(), now),
                                now - start_, RemoteAddressOfPeer(peer)});
    }
    methods->Proceed();
  }

 private:
  const GrpcCallObserver* const observer_;
  grpc::experimental::ServerRpcInfo* const info_;  // gRPC's, alive as long as the call
  const absl::Time start_;
};

class ObservingInterceptorFactory final
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit ObservingInterceptorFactory(GrpcCallObserver observer)
      : observer_(std::move(observer)) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    if (!observer_) return nullptr;  // gRPC runs the call without an interceptor
    return new ObservingInterceptor(&observer_, info);
  }

 private:
  const GrpcCallObserver observer_;
};

// Whether a code means the server, not the caller, failed: those gRPC maps to HTTP 5xx
// (UNIMPLEMENTED aside, which here only means a method this server does not have).
bool IsServerFailure(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::UNKNOWN:
    case grpc::StatusCode::INTERNAL:
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DATA_LOSS:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return true;
    default:
      return false;
  }
}

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

void InstallGrpcCallObserver(grpc::ServerBuilder* builder, GrpcCallObserver observer) {
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> factories;
  factories.push_back(std::make_unique<ObservingInterceptorFactory>(std::move(observer)));
  builder->experimental().SetInterceptorCreators(std::move(factories));
}

std::string_view RemoteAddressOfPeer(std::string_view peer) {
  if (!absl::StartsWith(base::Absl(peer), "ipv4:") &&
      !absl::StartsWith(base::Absl(peer), "ipv6:")) {
    return peer;
  }
  std::string_view address = peer.substr(5);
  // The port follows the last colon (an IPv6 address is bracketed, so its own colons come
  // before it).
  const size_t colon = address.rfind(':');
  if (colon != std::string_view::npos && colon + 1 < address.size() &&
      std::all_of(address.begin() + colon + 1, address.end(),
                  [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); })) {
    address = address.substr(0, colon);
  }
  for (const auto& [open, close] : {std::pair<std::string_view, std::string_view>{"[", "]"},
                                    {"%5B", "%5D"}, {"%5b", "%5d"}}) {
    if (absl::StartsWith(base::Absl(address), base::Absl(open)) &&
        absl::EndsWith(base::Absl(address), base::Absl(close))) {
      return address.substr(open.size(), address.size() - open.size() - close.size());
    }
  }
  return address;
}

void LogGrpcCall(http::Logger& logger, const GrpcCallInfo& call) {
  const http::LogLevel level =
      IsServerFailure(call.code) ? http::LogLevel::kWarning : http::LogLevel::kInfo;
  if (!logger.Enabled(level)) return;
  const GrpcMethodLabels labels = LabelsOfGrpcMethod(call.method);
  logger.Log(level, "grpc request",
             {{"service", labels.service},
              {"method", labels.method},
              {"code", GrpcCodeName(call.code)},
              {"latency_ms", call.latency},
              {"remote", call.remote}});
}

}  // namespace thrombo::service
