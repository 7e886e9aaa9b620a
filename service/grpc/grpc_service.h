// Copyright 2026 The Thrombo Authors.
// ThromboprophylaxisService over gRPC: the same pipeline as the CDS Hooks HTTP endpoints.
#ifndef THROMBO_SERVICE_GRPC_GRPC_SERVICE_H_
#define THROMBO_SERVICE_GRPC_GRPC_SERVICE_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/arena.h"
#include "grpcpp/grpcpp.h"
#include "proto/thrombo/v1/service.grpc.pb.h"
#include "risk/engine.h"
#include "service/auth/jwt_verifier.h"
#include "service/cds/hook_audit.h"
#include "service/cds/hook_service.h"

namespace thrombo::service {

// absl and gRPC share canonical code numbers; this keeps the message too.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The arena of one call's request and response (each EvaluateHook and Assess call has its own),
// exposed so that benchmarks measure what the service does.
google::protobuf::ArenaOptions CallArenaOptions();

// Thread-safe; everything passed in must outlive it. `verifier` null = no authentication.
// With a verifier, calls carry "authorization: Bearer <JWT>" metadata whose audience is
// `audience` (the service's public gRPC URL). Each EvaluateHook call that passes authentication
// leaves its audit row in `audit` (null: none), the same row as over HTTP.
//
// EvaluateHook takes its request as bytes (gRPC's raw callback API) and reads them as the JSON
// route reads its body (hook_request_wire.h): the prefetch Bundles' Observations as views into
// the bytes, the rest parsed onto one protobuf Arena a call, with the response. The answers are
// the whole parse's (tests/differential); what the decision does not read is not judged, and
// bytes that do not parse are INVALID_ARGUMENT (gRPC's own deserializer said INTERNAL).
// Assess (the reference reader: every element) is a callback method too, its request and response
// on one Arena a call (AssessCall). ListServices is synchronous.
class ThromboGrpcService final
    : public v1::ThromboprophylaxisService::WithCallbackMethod_Assess<
          v1::ThromboprophylaxisService::WithRawCallbackMethod_EvaluateHook<
              v1::ThromboprophylaxisService::Service>> {
 public:
  ThromboGrpcService(const risk::Engine& engine, const HookService& hooks,
                     const auth::JwtVerifier* verifier, std::string audience,
                     const HookAudit* audit = nullptr);
  ~ThromboGrpcService() override;

  grpc::ServerUnaryReactor* Assess(grpc::CallbackServerContext* context,
                                   const v1::AssessRequest* request,
                                   v1::AssessResponse* response) override;
  grpc::ServerUnaryReactor* EvaluateHook(grpc::CallbackServerContext* context,
                                         const grpc::ByteBuffer* request,
                                         grpc::ByteBuffer* response) override;
  grpc::Status ListServices(grpc::ServerContext* context, const v1::ListServicesRequest* request,
                            v1::CdsServices* response) override;

  // Assess's work, for callers in process (tests/benchmarks): the call's status, and the
  // Assessment with its cards in `*response` (written on its arena, when it has one).
  grpc::Status AssessCall(const grpc::ServerContextBase& context, const v1::AssessRequest& request,
                          v1::AssessResponse* response) const;

 private:
  absl::Status Authenticate(const grpc::ServerContextBase& context) const;
  // EvaluateHook's work: the response's bytes, or the call's error.
  grpc::Status EvaluateHookBytes(const grpc::CallbackServerContext& context,
                                 const grpc::ByteBuffer& request,
                                 grpc::ByteBuffer* response) const;

  const risk::Engine& engine_;
  const HookService& hooks_;
  const auth::JwtVerifier* verifier_;
  std::string audience_;
  const HookAudit* audit_;
  // Makes each Assess call's request and response on an Arena of the call's own.
  std::unique_ptr<grpc::MessageAllocator<v1::AssessRequest, v1::AssessResponse>> assess_messages_;
};

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_GRPC_GRPC_SERVICE_H_
