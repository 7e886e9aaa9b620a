// Copyright 2026 The Thrombo Authors.
// ThromboprophylaxisService over gRPC: the same pipeline as the CDS Hooks HTTP endpoints.
#ifndef THROMBO_SERVICE_GRPC_GRPC_SERVICE_H_
#define THROMBO_SERVICE_GRPC_GRPC_SERVICE_H_

#include <string>

#include "absl/status/status.h"
#include "google/protobuf/arena.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/support/message_allocator.h"
#include "proto/thrombo/v1/service.grpc.pb.h"
#include "risk/engine.h"
#include "service/auth/jwt_verifier.h"
#include "service/cds/hook_audit.h"
#include "service/cds/hook_service.h"

namespace thrombo::service {

// absl and gRPC share canonical code numbers; this keeps the message too.
grpc::Status ToGrpcStatus(const absl::Status& status);

// EvaluateHook's request and response on one protobuf Arena a call. A hook request carries the
// patient's record as FHIR protos: thousands of messages, which the synchronous API parses into
// heap objects one by one and deletes one by one (44% and 19% of a gRPC hook call's
// instructions; docs/benchmarks.md, "fifteenth round"). On an arena they come from a few large
// blocks and go with them. Thread-safe.
class ArenaHookMessages final
    : public grpc::MessageAllocator<v1::EvaluateHookRequest, v1::CdsHooksResponse> {
 public:
  grpc::MessageHolder<v1::EvaluateHookRequest, v1::CdsHooksResponse>* AllocateMessages()
      override;
};

// Thread-safe; everything passed in must outlive it. `verifier` null = no authentication.
// With a verifier, calls carry "authorization: Bearer <JWT>" metadata whose audience is
// `audience` (the service's public gRPC URL). Each EvaluateHook call that passes authentication
// leaves its audit row in `audit` (null: none), the same row as over HTTP. EvaluateHook uses the callback API, so that its
// messages live on an arena (ArenaHookMessages); Assess and ListServices are synchronous.
class ThromboGrpcService final
    : public v1::ThromboprophylaxisService::WithCallbackMethod_EvaluateHook<
          v1::ThromboprophylaxisService::Service> {
 public:
  ThromboGrpcService(const risk::Engine& engine, const HookService& hooks,
                     const auth::JwtVerifier* verifier, std::string audience,
                     const HookAudit* audit = nullptr)
      : engine_(engine),
        hooks_(hooks),
        verifier_(verifier),
        audience_(std::move(audience)),
        audit_(audit) {
    SetMessageAllocatorFor_EvaluateHook(&hook_messages_);
  }

  grpc::Status Assess(grpc::ServerContext* context, const v1::AssessRequest* request,
                      v1::AssessResponse* response) override;
  grpc::ServerUnaryReactor* EvaluateHook(grpc::CallbackServerContext* context,
                                         const v1::EvaluateHookRequest* request,
                                         v1::CdsHooksResponse* response) override;
  grpc::Status ListServices(grpc::ServerContext* context, const v1::ListServicesRequest* request,
                            v1::CdsServices* response) override;

 private:
  absl::Status Authenticate(const grpc::ServerContextBase& context) const;

  ArenaHookMessages hook_messages_;
  const risk::Engine& engine_;
  const HookService& hooks_;
  const auth::JwtVerifier* verifier_;
  std::string audience_;
  const HookAudit* audit_;
};

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_GRPC_GRPC_SERVICE_H_
