// Copyright 2026 The Thrombo Authors.
#include "service/grpc/grpc_service.h"

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "fhir/json_parser.h"
#include "fhir/patient_record.h"
#include "google/protobuf/arena.h"
#include "grpcpp/support/message_allocator.h"
#include "base/status_macros.h"
#include "service/cds/cards.h"
#include "service/grpc/hook_request_wire.h"

namespace thrombo::service {
namespace {

// The request's record as one Bundle: the request's own when it sent one, read in place (a copy
// and its destruction cost six times the engine on a 57 KB record: docs/benchmarks.md,
// "twenty-seventh round"), else one built in `storage`.
absl::StatusOr<const fhir::r4::Bundle*> RecordBundle(const v1::AssessRequest& request,
                                                     fhir::r4::Bundle* storage) {
  switch (request.record_case()) {
    case v1::AssessRequest::kBundle:
      return &request.bundle();
    case v1::AssessRequest::kResources:
      storage->set_type(fhir::r4::BundleTypeCode::COLLECTION);
      for (const auto& resource : request.resources().resource()) {
        *storage->add_entry()->mutable_resource() = resource;
      }
      return storage;
    case v1::AssessRequest::kBundleJson: {
      ASSIGN_OR_RETURN(*storage, fhir::ParseAs<fhir::r4::Bundle>(request.bundle_json()));
      return storage;
    }
    default:
      return absl::InvalidArgumentError("a record is required: bundle, resources or bundle_json");
  }
}

// Each gRPC thread's rewritten request bytes are reused from call to call; grown past this by an
// unusually large request, they are given back after it.
constexpr size_t kKeptScratchBytes = 1 << 20;

// Each Assess call's request and response on one Arena, freed with it when gRPC releases them:
// the record's thousands of FHIR messages are parsed into a few blocks, and the Assessment written
// beside them, instead of a malloc and a free each (docs/benchmarks.md, "twenty-seventh round").
class ArenaAssessMessages final
    : public grpc::MessageAllocator<v1::AssessRequest, v1::AssessResponse> {
 public:
  grpc::MessageHolder<v1::AssessRequest, v1::AssessResponse>* AllocateMessages() override {
    return new Holder();
  }

 private:
  class Holder final : public grpc::MessageHolder<v1::AssessRequest, v1::AssessResponse> {
   public:
    Holder() : arena_(CallArenaOptions()) {
      set_request(google::protobuf::Arena::CreateMessage<v1::AssessRequest>(&arena_));
      set_response(google::protobuf::Arena::CreateMessage<v1::AssessResponse>(&arena_));
    }
    void Release() override { delete this; }

   private:
    google::protobuf::Arena arena_;
  };
};

// A callback call answered at once, its work done on the thread that started it.
grpc::ServerUnaryReactor* Answered(grpc::CallbackServerContext* context,
                                   const grpc::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

}  // namespace

ThromboGrpcService::ThromboGrpcService(const risk::Engine& engine, const HookService& hooks,
                                       const auth::JwtVerifier* verifier, std::string audience,
                                       const HookAudit* audit)
    : engine_(engine),
      hooks_(hooks),
      verifier_(verifier),
      audience_(std::move(audience)),
      audit_(audit),
      assess_messages_(std::make_unique<ArenaAssessMessages>()) {
  SetMessageAllocatorFor_Assess(assess_messages_.get());
}

ThromboGrpcService::~ThromboGrpcService() = default;

// The first block holds a typical EvaluateHook request's parsed part (the load mix's 20-60 KB of
// JSON), so that most calls allocate one or two blocks; an Assess call's record, every element
// parsed, takes a few more.
google::protobuf::ArenaOptions CallArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.start_block_size = 64 << 10;
  options.max_block_size = 256 << 10;
  return options;
}

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

absl::Status ThromboGrpcService::Authenticate(const grpc::ServerContextBase& context) const {
  if (verifier_ == nullptr) return absl::OkStatus();
  auto it = context.client_metadata().find("authorization");
  if (it == context.client_metadata().end()) {
    return absl::UnauthenticatedError("missing authorization metadata (Bearer <JWT>)");
  }
  const std::string header(it->second.data(), it->second.size());
  return verifier_->Verify(header, audience_).status();
}

grpc::ServerUnaryReactor* ThromboGrpcService::Assess(grpc::CallbackServerContext* context,
                                                     const v1::AssessRequest* request,
                                                     v1::AssessResponse* response) {
  return Answered(context, AssessCall(*context, *request, response));
}

grpc::Status ThromboGrpcService::AssessCall(const grpc::ServerContextBase& context,
                                            const v1::AssessRequest& request,
                                            v1::AssessResponse* response) const {
  absl::Status status = [&]() -> absl::Status {
    RETURN_IF_ERROR(Authenticate(context));
    if (!request.has_evaluation_time()) {
      return absl::InvalidArgumentError("evaluation_time is required at evaluation_time");
    }
    const absl::Time now = absl::FromUnixSeconds(request.evaluation_time().seconds()) +
                           absl::Nanoseconds(request.evaluation_time().nanos());
    fhir::r4::Bundle built;
    ASSIGN_OR_RETURN(const fhir::r4::Bundle* bundle, RecordBundle(request, &built));
    ASSIGN_OR_RETURN(fhir::PatientRecord record,
                     fhir::PatientRecord::FromBundle(*bundle, request.patient_id()));
    fhir::r4::Bundle drafts_bundle;
    for (const auto& order : request.draft_orders()) {
      *drafts_bundle.add_entry()->mutable_resource()->mutable_medication_request() = order;
    }
    ASSIGN_OR_RETURN(fhir::PatientRecord drafts,
                     fhir::PatientRecord::FromBundle(drafts_bundle, ""));
    // Written where the response lives: on the call's arena, every message of the Assessment.
    RETURN_IF_ERROR(
        engine_.AssessInto(record, &drafts, now, /*available=*/{}, response->mutable_assessment()));
    CardContext cards;
    cards.hook_instance = absl::StrCat("assess/", response->assessment().patient_id(), "/",
                                       absl::ToUnixMicros(now));
    cards.patient_id = response->assessment().patient_id();
    cards.now = now;
    for (v1::CdsCard& card : BuildCards(response->assessment(), cards)) {
      *response->add_cards() = std::move(card);
    }
    return absl::OkStatus();
  }();
  if (!status.ok()) response->Clear();  // an error's answer carries no half-written assessment
  return ToGrpcStatus(status);
}

grpc::ServerUnaryReactor* ThromboGrpcService::EvaluateHook(grpc::CallbackServerContext* context,
                                                           const grpc::ByteBuffer* request,
                                                           grpc::ByteBuffer* response) {
  return Answered(context, EvaluateHookBytes(*context, *request, response));
}

grpc::Status ThromboGrpcService::EvaluateHookBytes(const grpc::CallbackServerContext& context,
                                                   const grpc::ByteBuffer& request_bytes,
                                                   grpc::ByteBuffer* response_bytes) const {
  if (absl::Status s = Authenticate(context); !s.ok()) return ToGrpcStatus(s);
  // The request's bytes in one piece, held until the call ends (the views point into them):
  // gRPC's own slice when it holds them in one, else a copy joined into one (a request of more
  // than one HTTP/2 frame, most of the load mix's, comes in several).
  grpc::Slice slice;
  if (!request_bytes.TrySingleSlice(&slice).ok() &&
      !request_bytes.DumpToSingleSlice(&slice).ok()) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "cannot read the request's bytes");
  }
  const std::string_view bytes(reinterpret_cast<const char*>(slice.begin()), slice.size());
  google::protobuf::Arena arena(CallArenaOptions());
  auto* request = google::protobuf::Arena::CreateMessage<v1::EvaluateHookRequest>(&arena);
  fhir::LabObservationTable lab_observations;
  thread_local std::string scratch;
  const absl::Status parsed = ParseHookRequestWire(bytes, request, &lab_observations, &scratch);
  if (scratch.capacity() > kKeptScratchBytes) std::string().swap(scratch);
  if (!parsed.ok()) return ToGrpcStatus(parsed);
  absl::StatusOr<HookResult> result = hooks_.Evaluate(*request, &lab_observations);
  if (!result.ok()) {
    if (audit_ != nullptr) audit_->RecordRefusal(*request, result.status());
    return ToGrpcStatus(result.status());
  }
  auto* response = google::protobuf::Arena::CreateMessage<v1::CdsHooksResponse>(&arena);
  *response = CardsToResponse(result->cards);
  // After the response: the row takes the cards' uuids.
  if (audit_ != nullptr) audit_->RecordAnswer(*request, &*result);
  bool own_buffer = false;
  return grpc::SerializationTraits<v1::CdsHooksResponse>::Serialize(*response, response_bytes,
                                                                   &own_buffer);
}

grpc::Status ThromboGrpcService::ListServices(grpc::ServerContext* context,
                                              const v1::ListServicesRequest*,
                                              v1::CdsServices* response) {
  if (absl::Status s = Authenticate(*context); !s.ok()) return ToGrpcStatus(s);
  *response = hooks_.discovery();
  return grpc::Status::OK;
}

}  // namespace thrombo::service
