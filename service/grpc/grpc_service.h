// Copyright 2026 The Thrombo Authors.
// ThromboprophylaxisService over gRPC: the same pipeline as the CDS Hooks HTTP endpoints.
#ifndef THROMBO_SERVICE_GRPC_GRPC_SERVICE_H_
#define THROMBO_SERVICE_GRPC_GRPC_SERVICE_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/grpcpp.h"
#include "proto/thrombo/v1/service.grpc.pb.h"
#include "risk/engine.h"
#include "service/auth/jwt_verifier.h"
#include "service/cds/hook_service.h"

namespace thrombo::service {

// absl and gRPC share canonical code numbers; this keeps the message too.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Thread-safe; everything passed in must outlive it. `verifier` null = no authentication.
// With a verifier, calls carry "authorization: Bearer <JWT>" metadata whose audience is
// `audience` (the service's public gRPC URL).
class ThromboGrpcService final : public v1::ThromboprophylaxisService::Service {
 public:
  ThromboGrpcService(const risk::Engine& engine, const HookService& hooks,
                     const auth::JwtVerifier* verifier, std::string audience)
      : engine_(engine), hooks_(hooks), verifier_(verifier), audience_(std::move(audience)) {}

  grpc::Status Assess(grpc::ServerContext* context, const v1::AssessRequest* request,
                      v1::AssessResponse* response) override;
  grpc::Status EvaluateHook(grpc::ServerContext* context, const v1::EvaluateHookRequest* request,
                            v1::CdsHooksResponse* response) override;
  grpc::Status ListServices(grpc::ServerContext* context, const v1::ListServicesRequest* request,
                            v1::CdsServices* response) override;

 private:
  absl::Status Authenticate(const grpc::ServerContext& context) const;

  const risk::Engine& engine_;
  const HookService& hooks_;
  const auth::JwtVerifier* verifier_;
  std::string audience_;
};

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_GRPC_GRPC_SERVICE_H_
