#include "service/cds/hook_request_json.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "fhir/projection_reader.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using thrombo::testing::StatusIs;

constexpr char kOrderSign[] = R"({
  "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
  "fhirServer": "https://fhir.example.org",
  "hook": "order-sign",
  "fhirAuthorization": {"access_token": "t", "token_type": "Bearer", "expires_in": 300,
                        "scope": "user/Patient.read", "subject": "cds-service"},
  "context": {
    "userId": "Practitioner/123", "patientId": "p1", "encounterId": "e1",
    "draftOrders": {"resourceType": "Bundle", "type": "collection", "entry": [
      {"resource": {"resourceType": "MedicationRequest", "id": "mr1", "status": "draft",
        "intent": "order", "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": {"text": "lenalidomide 25 mg"},
        "dosageInstruction": [{"doseAndRate": [{"doseQuantity": {"value": 25.0, "unit": "mg"}}]}]}}]}
  },
  "prefetch": {
    "patient": {"resourceType": "Patient", "id": "p1", "gender": "female"},
    "conditions": null
  },
  "extension": {"com.example.x": [1, 2, {"deep": [[]]}]}
})";

TEST(HookRequestJson, ReadsEnvelopeContextAndEmbeddedFhir) {
  ASSERT_OK_AND_ASSIGN(v1::EvaluateHookRequest request, ParseHookRequestJson(kOrderSign));
  EXPECT_EQ(request.hook(), "order-sign");
  EXPECT_EQ(request.hook_instance(), "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea");
  EXPECT_EQ(request.fhir_server(), "https://fhir.example.org");
  EXPECT_EQ(request.fhir_authorization().expires_in(), 300);
  EXPECT_EQ(request.context().at("patientId"), "p1");
  EXPECT_EQ(request.context().at("encounterId"), "e1");
  ASSERT_EQ(request.draft_orders().entry_size(), 1);
  const auto& order = request.draft_orders().entry(0).resource().medication_request();
  EXPECT_EQ(order.id(), "mr1");
  // The decimal keeps its exact text.
  EXPECT_EQ(order.dosage_instruction(0).dose_and_rate(0).dose_quantity().value().value(), "25.0");
  EXPECT_EQ(request.prefetch().at("patient").patient().id(), "p1");
  EXPECT_THAT(request.null_prefetch_keys(), ElementsAre("conditions"));
}

TEST(HookRequestJson, ParsesOntoAnArenaTheSameAsOnTheHeap) {
  ASSERT_OK_AND_ASSIGN(v1::EvaluateHookRequest on_heap, ParseHookRequestJson(kOrderSign));
  google::protobuf::Arena arena;
  auto* on_arena = google::protobuf::Arena::CreateMessage<v1::EvaluateHookRequest>(&arena);
  on_arena->set_hook("stale");  // cleared first
  ASSERT_OK(ParseHookRequestJson(kOrderSign, fhir::ParseOptions(), on_arena));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(on_heap, *on_arena));
  // The embedded FHIR was built on the arena, not copied there from the heap.
  EXPECT_EQ(on_arena->prefetch().at("patient").GetArena(), &arena);
  EXPECT_EQ(on_arena->draft_orders().GetArena(), &arena);
}

TEST(HookRequestJson, MalformedJsonNamesLineAndColumn) {
  EXPECT_THAT(ParseHookRequestJson("{\n  \"hook\": \"order-sign\",\n  \"context\": {"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("line 3")));
}

TEST(HookRequestJson, WrongShapesNameTheirPath) {
  EXPECT_THAT(ParseHookRequestJson(R"({"hook": 5})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at hook")));
  EXPECT_THAT(ParseHookRequestJson(R"({"context": []})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at context")));
  EXPECT_THAT(ParseHookRequestJson(R"({"prefetch": {"patient": "Patient/1"}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("prefetch.patient")));
  EXPECT_THAT(
      ParseHookRequestJson(
          R"({"prefetch": {"patient": {"resourceType": "Patient", "birthDate": "1950-13-01"}}})"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("prefetch.patient")));
  EXPECT_THAT(ParseHookRequestJson(R"([1, 2])"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(HookRequestJson, RejectsPreOneZeroRequests) {
  EXPECT_THAT(ParseHookRequestJson(R"({"hook": "medication-prescribe", "user": "Practitioner/1"})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("pre-1.0")));
}

TEST(HookRequestJson, DuplicateEnvelopeMembersAreRejectedNamingThem) {
  EXPECT_THAT(ParseHookRequestJson(R"({"hook": "patient-view", "hook": "order-sign"})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("duplicate member 'hook' at hook")));
  EXPECT_THAT(ParseHookRequestJson(R"({"context": {"patientId": "a", "patientId": "b"}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at context.patientId")));
  EXPECT_THAT(ParseHookRequestJson(R"({"prefetch": {"conditions": null, "conditions": null}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at prefetch.conditions")));
  EXPECT_THAT(ParseHookRequestJson(
                  R"({"fhirAuthorization": {"access_token": "a", "access_token": "b"}})"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("at fhirAuthorization.access_token")));
  // The same name at different levels, or inside an ignored member, is not a duplicate.
  EXPECT_TRUE(ParseHookRequestJson(
                  R"({"hook": "order-sign", "context": {"hook": "x"}, "extension": {"a": 1, "a": 2}})")
                  .ok());
}

TEST(HookRequestJson, DeepNestingInIgnoredMembersIsBounded) {
  std::string deep = R"({"extension": )" + std::string(10000, '[') + std::string(10000, ']') + "}";
  // Either accepted (ignored) or rejected, but never a crash.
  (void)ParseHookRequestJson(deep);
  std::string deep_fhir = R"({"prefetch": {"patient": {"resourceType": "Patient", "extension": )" +
                          std::string(10000, '[') + std::string(10000, ']') + "}}}";
  EXPECT_THAT(ParseHookRequestJson(deep_fhir), StatusIs(absl::StatusCode::kInvalidArgument));
}

// ---- Tolerant mode (the HTTP hook path) ---------------------------------------------------

fhir::ParseOptions Tolerant() {
  fhir::ParseOptions options;
  options.tolerant = true;
  return options;
}

std::vector<std::string> Kinds(const std::vector<HookDeviation>& deviations) {
  std::vector<std::string> out;
  for (const HookDeviation& d : deviations) out.push_back(d.kind + " " + d.path);
  return out;
}

// The CDS Hooks Sandbox's order-sign (pre-1.0 "user" added): draftOrders without Bundle.type,
// MedicationRequest.category as one object.
constexpr char kSandboxLike[] = R"({"hook": "order-sign", "hookInstance": "h1",
  "user": "Practitioner/COREPRACTITIONER1",
  "context": {"patientId": "p1", "draftOrders": {"resourceType": "Bundle", "entry": [
    {"resource": {"resourceType": "MedicationRequest", "id": "m1", "status": "draft",
      "intent": "order", "category": {"text": "outpatient"}, "subject": {"reference": "Patient/p1"},
      "medicationCodeableConcept": {"text": "lenalidomide"}}}]}},
  "prefetch": {"odd": 7, "list": [1]}})";

TEST(HookRequestJsonTolerant, StrictRefusesWhatTolerantAccepts) {
  EXPECT_THAT(ParseHookRequestJson(kSandboxLike), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(HookRequestJsonTolerant, ReadsTheSandboxShapeAndReportsEachDeviation) {
  std::vector<HookDeviation> deviations;
  ASSERT_OK_AND_ASSIGN(v1::EvaluateHookRequest request,
                       ParseHookRequestJson(kSandboxLike, Tolerant(), &deviations));
  // The pre-1.0 user stands in for the absent context.userId.
  EXPECT_EQ(request.context().at("userId"), "Practitioner/COREPRACTITIONER1");
  EXPECT_EQ(request.draft_orders().entry(0).resource().medication_request().category_size(), 1);
  EXPECT_TRUE(request.prefetch().empty());
  EXPECT_THAT(Kinds(deviations),
              ElementsAre("pre_1_0_user user",
                          "object_for_array context.draftOrders.entry[0].resource.category",
                          "missing_required context.draftOrders.type",
                          "dropped_element prefetch.odd", "dropped_element prefetch.list"));
  EXPECT_EQ(deviations[1].resource_type, "MedicationRequest");
  EXPECT_EQ(deviations[1].element, "category");
}

TEST(HookRequestJsonTolerant, ContextUserIdWinsOverTheOldUser) {
  ASSERT_OK_AND_ASSIGN(
      v1::EvaluateHookRequest request,
      ParseHookRequestJson(R"({"hook": "patient-view", "user": "Practitioner/old",
                               "context": {"userId": "Practitioner/new", "patientId": "p"}})",
                           Tolerant()));
  EXPECT_EQ(request.context().at("userId"), "Practitioner/new");
}

TEST(HookRequestJsonTolerant, AcceptsAByteOrderMark) {
  const std::string body = std::string("\xEF\xBB\xBF") + kOrderSign;
  EXPECT_THAT(ParseHookRequestJson(body), StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<HookDeviation> deviations;
  ASSERT_OK_AND_ASSIGN(v1::EvaluateHookRequest request,
                       ParseHookRequestJson(body, Tolerant(), &deviations));
  EXPECT_EQ(request.hook(), "order-sign");
  EXPECT_THAT(Kinds(deviations), ElementsAre("byte_order_mark $"));
}

TEST(HookRequestJsonTolerant, WhatCannotBeUnderstoodStaysAnError) {
  EXPECT_THAT(ParseHookRequestJson("{\"hook\": ", Tolerant()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("malformed JSON")));
  EXPECT_THAT(ParseHookRequestJson(R"({"hook": "patient-view", "context": "p1"})", Tolerant()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at context")));
  EXPECT_THAT(ParseHookRequestJson(
                  R"({"context": {"patientId": "a", "patientId": "b"}})", Tolerant()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("duplicate member")));
}

// ---- Through the projection reader (the HTTP hook route) ----------------------------------

// `request` with its FHIR content restricted to what the decision reads.
v1::EvaluateHookRequest Pruned(v1::EvaluateHookRequest request) {
  const fhir::ProjectionNode* resource = fhir::Projection::Decision().resource();
  for (auto& [key, value] : *request.mutable_prefetch()) fhir::PruneToProjection(resource, &value);
  if (request.has_draft_orders()) {
    fhir::PruneToProjection(resource, request.mutable_draft_orders());
  }
  return request;
}

TEST(HookRequestJsonProjected, ReadsWhatTheFullReaderReadsWithinTheReadPaths) {
  ASSERT_OK_AND_ASSIGN(v1::EvaluateHookRequest full, ParseHookRequestJson(kOrderSign, Tolerant()));
  v1::EvaluateHookRequest projected;
  fhir::ProjectionStats stats;
  ASSERT_OK(ParseHookRequestJsonProjected(kOrderSign, Tolerant(), &projected, nullptr, &stats));
  EXPECT_FALSE(stats.fell_back);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(Pruned(full), projected))
      << projected.DebugString();
  EXPECT_EQ(projected.fhir_authorization().expires_in(), 300);
}

TEST(HookRequestJsonProjected, ReportsTheDeviationsOfWhatTheDecisionReads) {
  std::vector<HookDeviation> deviations;
  v1::EvaluateHookRequest request;
  ASSERT_OK(ParseHookRequestJsonProjected(kSandboxLike, Tolerant(), &request, &deviations));
  EXPECT_EQ(request.context().at("userId"), "Practitioner/COREPRACTITIONER1");
  // MedicationRequest.category is not read: its shape is neither judged nor reported.
  EXPECT_EQ(request.draft_orders().entry(0).resource().medication_request().category_size(), 0);
  EXPECT_THAT(Kinds(deviations),
              ElementsAre("pre_1_0_user user", "missing_required context.draftOrders.type",
                          "dropped_element prefetch.odd", "dropped_element prefetch.list"));
}

TEST(HookRequestJsonProjected, FailuresAreTheFullReadersFailures) {
  const std::vector<std::string> bodies = {
      "{\"hook\": ",
      R"({"hook": "patient-view", "context": "p1"})",
      R"({"context": {"patientId": "a", "patientId": "b"}})",
      R"({"hook": 5})",
      R"([1, 2])",
      std::string("\xEF\xBB\xBF") + "{\"hook\": tru}",
      R"({"prefetch": {"patient": {"resourceType": "Patient", "text": {"div": [1 2]}}}})",
      R"({"prefetch": {"patient": {"resourceType": "Observation", "code": {"text": "x"},
          "status": "final", "extension": "\ud800"}}})",
      R"({"context": {"draftOrders": {"resourceType": "Patient", "id": "p"}}})",
  };
  for (const std::string& body : bodies) {
    SCOPED_TRACE(body);
    std::vector<HookDeviation> full_deviations = {{"earlier", "$", "", ""}};
    std::vector<HookDeviation> projected_deviations = full_deviations;
    v1::EvaluateHookRequest full;
    v1::EvaluateHookRequest projected;
    const absl::Status full_status =
        ParseHookRequestJson(body, Tolerant(), &full, &full_deviations);
    ASSERT_FALSE(full_status.ok());
    EXPECT_EQ(ParseHookRequestJsonProjected(body, Tolerant(), &projected, &projected_deviations),
              full_status);
    EXPECT_EQ(Kinds(projected_deviations), Kinds(full_deviations));
  }
}

}  // namespace
}  // namespace thrombo::service
