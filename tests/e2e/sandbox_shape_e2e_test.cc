// Copyright 2026 The Thrombo Authors.
// Order hooks as the public CDS Hooks Sandbox sends them, rebuilt here from the project's own
// example (vignette 2, examples/order-select-thalidomide.json) rather than copied: draftOrders
// without Bundle.type, MedicationRequest.category as one object instead of an array, and Rx
// View's first call, whose draft has neither intent nor a drug. The patient is put on
// lenalidomide, so the question is which order deserves which card: the IMiD gets the VTE card,
// amoxicillin none (alert fatigue), the empty draft none and no error, an ESA its co-therapy
// card. Calls carry the stack's ES384 bearer tokens, as the Sandbox's do.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/e2e/service_stack.h"

namespace thrombo::e2e {
namespace {

using ::testing::IsEmpty;

constexpr char kRxNorm[] = "http://www.nlm.nih.gov/research/umls/rxnorm";

// A draft MedicationRequest shaped like the Sandbox's Rx View / Rx Sign: no intent, category as
// one object, and a drug only when `rxnorm` is non-empty (Rx View before a drug is chosen).
std::string SandboxDraft(const std::string& id, const std::string& rxnorm,
                         const std::string& display, int dose_mg = 0) {
  std::string json = absl::StrCat(
      R"({"resourceType":"MedicationRequest","id":")", id, R"(","status":"draft",)",
      R"("category":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/)",
      R"(medicationrequest-category","code":"outpatient"}]},"subject":{"reference":"Patient/v2"})");
  if (!rxnorm.empty()) {
    absl::StrAppend(&json, R"(,"medicationCodeableConcept":{"coding":[{"system":")", kRxNorm,
                    R"(","code":")", rxnorm, R"(","display":")", display, R"("}],"text":")",
                    display, R"("})");
  }
  if (dose_mg > 0) {
    // The Sandbox's doseAndRate is one object, not an array.
    absl::StrAppend(&json, R"(,"dosageInstruction":[{"doseAndRate":{"doseQuantity":{"value":)",
                    dose_mg, R"(,"unit":"mg","system":"http://unitsofmeasure.org",)",
                    R"("code":"mg"}}}])");
  }
  return json + "}";
}

// An active lenalidomide order in the record (RxNorm ingredient 342369).
constexpr char kActiveLenalidomide[] =
    R"({"fullUrl":"https://ehr.example.org/fhir/MedicationRequest/v2-len","resource":)"
    R"({"resourceType":"MedicationRequest","id":"v2-len","status":"active","intent":"order",)"
    R"("medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/)"
    R"(rxnorm","code":"342369","display":"lenalidomide"}]},"subject":{"reference":"Patient/v2"},)"
    R"("authoredOn":"2026-11-01","dosageInstruction":[{"text":"25 mg daily days 1-21"}]},)"
    R"("search":{"mode":"match"}})";

class SandboxShapeE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ServiceStack>> stack = ServiceStack::Start();
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
  }

  // The example rebuilt the Sandbox's way for `hook`, the patient on lenalidomide, with
  // `draft` as the only draft order (selected, for order-select).
  std::string Request(const std::string& hook, const std::string& draft) {
    rapidjson::Document request =
        LoadExample("order-select-thalidomide.json", stack_->fhir().base_url());
    auto& alloc = request.GetAllocator();
    request["hook"].SetString(hook.c_str(), alloc);
    rapidjson::Value& context = request["context"];
    rapidjson::Document order = ParseJson(draft);
    rapidjson::Value orders(rapidjson::kObjectType);  // no "type": the Sandbox sends none
    orders.AddMember("resourceType", "Bundle", alloc);
    rapidjson::Value entries(rapidjson::kArrayType);
    rapidjson::Value entry(rapidjson::kObjectType);
    const std::string selection = absl::StrCat("MedicationRequest/", order["id"].GetString());
    entry.AddMember("resource", rapidjson::Value(order, alloc), alloc);
    entries.PushBack(entry, alloc);
    orders.AddMember("entry", entries, alloc);
    context["draftOrders"] = orders;
    if (hook == "order-select") {
      context["selections"].Clear();
      context["selections"].PushBack(rapidjson::Value(selection.c_str(), alloc), alloc);
    } else {
      context.RemoveMember("selections");
    }
    rapidjson::Document active = ParseJson(kActiveLenalidomide);
    request["prefetch"]["medicationRequests"]["entry"].PushBack(rapidjson::Value(active, alloc),
                                                                 alloc);
    return ToJson(request);
  }

  // The kinds of the cards of a 200 answer (fails the test on anything else), read from each
  // card's summary as a clinician would: "prophylaxis" (the VTE card, whatever its advice),
  // "esa", "estrogen", "arterial". Card uuids name the advice, not the call (cards.h), so they
  // are no handle for a test.
  std::vector<std::string> CardKinds(const ClientResponse& response) {
    std::vector<std::string> kinds;
    EXPECT_EQ(response.status, 200) << response.body.substr(0, 500);
    if (response.status != 200) return kinds;
    EXPECT_THAT(CdsResponseProblems(response.body), IsEmpty());
    rapidjson::Document body = ParseJson(response.body);
    for (const auto& card : body["cards"].GetArray()) {
      const std::string summary = card["summary"].GetString();
      if (absl::StartsWith(summary, "ESA with")) {
        kinds.push_back("esa");
      } else if (absl::StartsWith(summary, "Estrogen with")) {
        kinds.push_back("estrogen");
      } else if (absl::StartsWith(summary, "Arterial")) {
        kinds.push_back("arterial");
      } else if (absl::StrContains(summary, "VTE") ||
                 absl::StrContains(summary, "anticoagulated")) {
        kinds.push_back("prophylaxis");
      } else {
        kinds.push_back(absl::StrCat("unknown card: ", summary));
      }
    }
    return kinds;
  }

  std::unique_ptr<ServiceStack> stack_;
};

TEST_F(SandboxShapeE2eTest, LenalidomideOrderSignGetsTheVteCard) {
  const std::string request =
      Request("order-sign", SandboxDraft("rx-sign-1", "342369", "lenalidomide 25 MG"));
  EXPECT_THAT(CardKinds(stack_->PostJson(kOrderSign, request)),
              ::testing::Contains("prophylaxis"));
}

TEST_F(SandboxShapeE2eTest, LenalidomideOrderSelectGetsTheVteCard) {
  const std::string request =
      Request("order-select", SandboxDraft("rx-view-1", "342369", "lenalidomide 25 MG"));
  EXPECT_THAT(CardKinds(stack_->PostJson(kOrderSelect, request)),
              ::testing::Contains("prophylaxis"));
}

TEST_F(SandboxShapeE2eTest, AmoxicillinForAnImidPatientGetsNoCard) {
  // RxNorm ingredient 723 amoxicillin: nothing this service advises on.
  for (const char* hook : {"order-select", "order-sign"}) {
    SCOPED_TRACE(hook);
    const std::string request = Request(hook, SandboxDraft("rx-amox", "723", "amoxicillin"));
    const std::string path = std::string("/cds-services/thrombo-") + hook;
    EXPECT_THAT(CardKinds(stack_->PostJson(path, request)), IsEmpty());
  }
}

TEST_F(SandboxShapeE2eTest, RxViewFirstCallWithAnEmptyDraftGets200AndNoCards) {
  const std::string request = Request("order-select", SandboxDraft("rx-view-0", "", ""));
  EXPECT_THAT(CardKinds(stack_->PostJson(kOrderSelect, request)), IsEmpty());
}

TEST_F(SandboxShapeE2eTest, AnEsaForAnImidPatientGetsOnlyTheCoTherapyCard) {
  // RxNorm ingredient 105694 epoetin alfa.
  const std::string request =
      Request("order-select", SandboxDraft("rx-esa", "105694", "epoetin alfa"));
  EXPECT_THAT(CardKinds(stack_->PostJson(kOrderSelect, request)),
              ::testing::ElementsAre("esa"));
}

// Vignette 2 on lenalidomide is advised enoxaparin 40 mg SC daily (examples/README.md). An
// anticoagulant order is checked against that: the advised dose gets no card, another dose gets
// the prophylaxis card. RxNorm ingredient 67108 enoxaparin.
TEST_F(SandboxShapeE2eTest, AnAnticoagulantOrderGetsACardOnlyWhenItDisagrees) {
  const std::string agrees =
      Request("order-sign", SandboxDraft("rx-enox-40", "67108", "enoxaparin", 40));
  EXPECT_THAT(CardKinds(stack_->PostJson(kOrderSign, agrees)), IsEmpty());
  const std::string differs =
      Request("order-sign", SandboxDraft("rx-enox-100", "67108", "enoxaparin", 100));
  EXPECT_THAT(CardKinds(stack_->PostJson(kOrderSign, differs)),
              ::testing::ElementsAre("prophylaxis"));
}

TEST_F(SandboxShapeE2eTest, AcceptedDeviationsAreCountedByKind) {
  const std::string request =
      Request("order-sign", SandboxDraft("rx-sign-2", "342369", "lenalidomide 25 MG"));
  ASSERT_EQ(stack_->PostJson(kOrderSign, request).status, 200);
  const ClientResponse metrics = stack_->Get("/metrics", /*authorize=*/false);
  ASSERT_EQ(metrics.status, 200);
  // MedicationRequest.category (one object) is not read by the decision: the hook route's
  // projection reader (fhir/projection_reader.h) skips it unjudged, so no object_for_array.
  EXPECT_THAT(metrics.body, ::testing::Not(::testing::HasSubstr(
                                R"(thrombo_hook_deviations_total{kind="object_for_array"})")));
  EXPECT_THAT(metrics.body,
              ::testing::HasSubstr(R"(thrombo_hook_deviations_total{kind="missing_required"})"));
}

}  // namespace
}  // namespace thrombo::e2e
