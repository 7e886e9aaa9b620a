#include "service/cds/hook_request_json.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "fhir/lab_observation.h"
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
  // Among many names too.
  std::string many = R"({"context": {)";
  for (int i = 0; i < 40; ++i) absl::StrAppend(&many, "\"x", i, "\": 1, ");
  EXPECT_TRUE(ParseHookRequestJson(many + R"("x40": 1}})").ok());
  EXPECT_THAT(ParseHookRequestJson(many + R"("x3": 2}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at context.x3")));
  EXPECT_THAT(ParseHookRequestJson(many + R"("x39": 2}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at context.x39")));
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

// Observation entries of a prefetch Bundle, as an EHR sends them: `links` goes into the Bundle.
std::string ObservationsRequest(const std::string& links) {
  const std::string lab = R"({"resourceType": "Observation", "id": "%ID%",
      "meta": {"lastUpdated": "2026-11-25T12:00:00+00:00"}, "status": "final",
      "category": [{"coding": [{"code": "laboratory"}]}],
      "code": {"coding": [{"system": "http://loinc.org", "code": "777-3",
                           "display": "Platelets"}], "text": "Platelet count"},
      "subject": {"reference": "Patient/p"}, %EXTRA%
      "issued": "2026-11-20T13:00:00Z",
      "valueQuantity": {"value": 42.50, "comparator": "<", "unit": "10*3/uL",
                        "system": "http://unitsofmeasure.org", "code": "10*3/uL"}})";
  const auto observation = [&](const std::string& id, const std::string& extra) {
    std::string text = lab;
    text.replace(text.find("%ID%"), 4, id);
    text.replace(text.find("%EXTRA%"), 7, extra);
    return R"({"resource": )" + text + "}";
  };
  return R"({"hook": "patient-view", "hookInstance": "h1",
    "context": {"patientId": "p", "userId": "Practitioner/1"},
    "prefetch": {"observations": {"resourceType": "Bundle", "type": "searchset", )" +
         links + R"("entry": [)" +
         observation("plain", R"("effectiveDateTime": "2026-11-20T12:00:00+01:00",)") + "," +
         observation("period", R"("effectivePeriod": {"start": "2026-11-20"},)") + "," +
         observation("extended",
                     R"("extension": [{"url": "http://x", "valueString": "y"}],)") +
         "]}}}";
}

TEST(HookRequestJsonProjected, ReadsCommonLabResultsAsViewsLeavingStubs) {
  const std::string body = ObservationsRequest("");
  v1::EvaluateHookRequest request;
  fhir::LabObservationTable views;
  ASSERT_OK(ParseHookRequestJsonProjected(body, Tolerant(), &request, nullptr, nullptr, 0,
                                          &views));
  const auto& entries = request.prefetch().at("observations").bundle().entry();
  ASSERT_EQ(entries.size(), 3);
  // An unread extension does not keep an Observation from being a view; an element the view
  // does not hold (effectivePeriod) does: that one is an ordinary proto.
  EXPECT_EQ(views.size(), 2u);
  const fhir::r4::Observation& plain = entries[0].resource().observation();
  const fhir::r4::Observation& period = entries[1].resource().observation();
  const fhir::r4::Observation& extended = entries[2].resource().observation();
  EXPECT_TRUE(fhir::IsViewStub(plain));
  EXPECT_TRUE(fhir::IsViewStub(extended));
  EXPECT_FALSE(fhir::IsViewStub(period));
  EXPECT_EQ(views.Find(&period), nullptr);
  EXPECT_TRUE(period.has_effective_period());
  EXPECT_EQ(period.code().coding(0).code(), "777-3");
  // The stub holds nothing of the Observation: it is all in the view.
  EXPECT_TRUE(plain.id().empty());
  EXPECT_FALSE(plain.has_subject());
  EXPECT_FALSE(plain.has_code());
  EXPECT_FALSE(plain.has_value_quantity());

  // The view holds what the full reader's proto gives the facts.
  ASSERT_OK_AND_ASSIGN(v1::EvaluateHookRequest full, ParseHookRequestJson(body, Tolerant()));
  const fhir::LabObservation expected = fhir::LabObservationFromProto(
      full.prefetch().at("observations").bundle().entry(0).resource().observation());
  const fhir::LabObservation* view = views.Find(&plain);
  ASSERT_NE(view, nullptr);
  EXPECT_EQ(view->id, "plain");
  EXPECT_EQ(view->id, expected.id);
  EXPECT_EQ(view->subject_reference, "Patient/p");
  EXPECT_EQ(view->subject_reference, expected.subject_reference);
  EXPECT_EQ(view->status, expected.status);
  ASSERT_EQ(view->codings.size(), 1u);
  EXPECT_EQ(view->codings[0].system, expected.codings[0].system);
  EXPECT_EQ(view->codings[0].code, expected.codings[0].code);
  EXPECT_EQ(view->codings[0].display, expected.codings[0].display);
  EXPECT_EQ(view->code_text, expected.code_text);
  EXPECT_EQ(view->time, expected.time);  // effectiveDateTime, not issued
  EXPECT_EQ(view->time, absl::FromUnixSeconds(1'795'172'400));  // 2026-11-20T11:00:00Z
  EXPECT_EQ(view->value_kind, fhir::LabObservation::ValueKind::kQuantity);
  EXPECT_EQ(view->quantity.value, "42.50");
  EXPECT_EQ(view->quantity.value, expected.quantity.value);
  EXPECT_EQ(view->quantity.comparator, fhir::r4::Quantity::LESS_THAN);
  EXPECT_EQ(view->quantity.unit, expected.quantity.unit);
  EXPECT_EQ(view->quantity.code, expected.quantity.code);
  // Without effective[x], issued is when it applies.
  EXPECT_EQ(views.Find(&extended)->time, absl::FromUnixSeconds(1'795'179'600));
}

TEST(HookRequestJsonProjected, ABundleWithANextPageKeepsItsObservationsAsProtos) {
  // The hook path copies such a Bundle to append the next page to it: a stub would lose its view.
  const std::string body =
      ObservationsRequest(R"("link": [{"relation": "next", "url": "https://ehr/p2"}], )");
  v1::EvaluateHookRequest request;
  fhir::LabObservationTable views;
  ASSERT_OK(ParseHookRequestJsonProjected(body, Tolerant(), &request, nullptr, nullptr, 0,
                                          &views));
  EXPECT_EQ(views.size(), 0u);
  const auto& entries = request.prefetch().at("observations").bundle().entry();
  ASSERT_EQ(entries.size(), 3);
  EXPECT_FALSE(fhir::IsViewStub(entries[0].resource().observation()));
  EXPECT_EQ(entries[0].resource().observation().code().coding(0).code(), "777-3");
}

TEST(HookRequestJsonProjected, AnObservationTheHandlerMustJudgeIsNoView) {
  // A status the tolerant reader drops (with a deviation): the Bundle goes through the handler.
  std::string body = ObservationsRequest("");
  body.replace(body.find(R"("status": "final")"), 17, R"("status": "bogus")");
  v1::EvaluateHookRequest request;
  std::vector<HookDeviation> deviations;
  fhir::LabObservationTable views;
  ASSERT_OK(ParseHookRequestJsonProjected(body, Tolerant(), &request, &deviations, nullptr, 0,
                                          &views));
  EXPECT_EQ(views.size(), 0u);
  EXPECT_FALSE(deviations.empty());
  for (const auto& entry : request.prefetch().at("observations").bundle().entry()) {
    EXPECT_FALSE(fhir::IsViewStub(entry.resource().observation()));
  }
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
