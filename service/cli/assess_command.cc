// Copyright 2026 The Thrombo Authors.
#include "service/cli/assess_command.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "fhir/json_parser.h"
#include "fhir/patient_record.h"
#include "base/status_macros.h"
#include "google/protobuf/util/json_util.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"
#include "service/cds/cards.h"
#include "service/cds/hook_request_json.h"
#include "service/cds/hook_service.h"
#include "service/cds/response_json.h"
#include "service/cli/explain.h"

namespace thrombo::service {
namespace {

// What a document for `thrombo assess` is, decided by the shape of its top-level object: a CDS
// Hooks request has a string "hook" member; a FHIR resource has "resourceType". Only the top
// level is read (nested objects are skipped), so a "hook" inside a resource cannot mislead it.
enum class DocumentKind { kHookRequest, kFhirResource };

absl::StatusOr<DocumentKind> KindOf(std::string_view json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "not JSON: ", rapidjson::GetParseError_En(document.GetParseError()), " at offset ",
        document.GetErrorOffset()));
  }
  if (!document.IsObject()) {
    return absl::InvalidArgumentError("expected a JSON object (a FHIR Bundle or a CDS Hooks "
                                      "request) at the top level");
  }
  const auto hook = document.FindMember("hook");
  const auto resource_type = document.FindMember("resourceType");
  const bool is_hook = hook != document.MemberEnd() && hook->value.IsString();
  const bool is_resource = resource_type != document.MemberEnd();
  if (is_hook && is_resource) {
    return absl::InvalidArgumentError(
        "the document has both \"hook\" and \"resourceType\" at the top level: it is neither "
        "a CDS Hooks request nor a FHIR resource");
  }
  if (is_hook) return DocumentKind::kHookRequest;
  if (is_resource) return DocumentKind::kFhirResource;
  return absl::InvalidArgumentError(
      "neither \"hook\" (a CDS Hooks request) nor \"resourceType\" (a FHIR Bundle) at the top "
      "level");
}

absl::Status PrintAssessmentJson(const v1::Assessment& assessment, std::ostream& out) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  // Zero points and false flags are answers, not absences: print them.
  options.always_print_primitive_fields = true;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(assessment, &json, options);
  if (!status.ok()) return absl::InternalError(std::string(status.message()));
  out << json;
  return absl::OkStatus();
}

absl::Status Emit(const v1::Assessment& assessment, const v1::CdsHooksResponse& response,
                  AssessFormat format, std::ostream& out) {
  switch (format) {
    case AssessFormat::kAssessment:
      return PrintAssessmentJson(assessment, out);
    case AssessFormat::kExplain:
      out << ExplainAssessment(assessment);
      return absl::OkStatus();
    case AssessFormat::kCdsHooks: {
      ASSIGN_OR_RETURN(std::string json, CdsResponseToJson(response));
      out << json << "\n";
      return absl::OkStatus();
    }
  }
  return absl::InternalError("unknown format");
}

}  // namespace

absl::StatusOr<AssessFormat> ParseAssessFormat(std::string_view name) {
  if (name == "cds-hooks" || name == "cds") return AssessFormat::kCdsHooks;
  if (name == "assessment") return AssessFormat::kAssessment;
  if (name == "explain") return AssessFormat::kExplain;
  return absl::InvalidArgumentError(absl::StrCat(
      "--format=", std::string(name), ": expected cds-hooks, assessment or explain"));
}

absl::Status RunAssess(std::string_view json, const risk::Engine& engine,
                       const AssessCommandOptions& options, std::ostream& out) {
  ASSIGN_OR_RETURN(DocumentKind kind, KindOf(json));
  if (kind == DocumentKind::kHookRequest) {
    ASSIGN_OR_RETURN(v1::EvaluateHookRequest request, ParseHookRequestJson(json));
    request.set_service_id(absl::StrCat("thrombo-", request.hook()));
    request.mutable_evaluation_time()->set_seconds(absl::ToUnixSeconds(options.now));
    // The patient is assessed whatever the order: the assessment and explain formats show it.
    HookServiceOptions hook_options;
    hook_options.answer_unconcerned_orders_from_drafts = false;
    HookService hooks(engine, /*fetcher=*/nullptr, [now = options.now] { return now; },
                      hook_options);
    ASSIGN_OR_RETURN(HookResult result, hooks.Evaluate(request));
    return Emit(result.CompleteAssessment(), CardsToResponse(result.cards), options.format, out);
  }
  ASSIGN_OR_RETURN(fhir::r4::Bundle bundle, fhir::ParseAs<fhir::r4::Bundle>(json));
  ASSIGN_OR_RETURN(fhir::PatientRecord record,
                   fhir::PatientRecord::FromBundle(bundle, options.patient_id));
  ASSIGN_OR_RETURN(v1::Assessment assessment, engine.Assess(record, nullptr, options.now));
  CardContext context;
  context.hook_instance = absl::StrCat("cli/", assessment.patient_id());
  context.patient_id = assessment.patient_id();
  context.now = options.now;
  v1::CdsHooksResponse response;
  for (v1::CdsCard& card : BuildCards(assessment, context)) {
    *response.add_cards() = std::move(card);
  }
  return Emit(assessment, response, options.format, out);
}

}  // namespace thrombo::service
