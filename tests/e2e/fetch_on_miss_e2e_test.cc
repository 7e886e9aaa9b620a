// Copyright 2026 The Thrombo Authors.
// End-to-end tests of prefetch semantics: fetch-on-miss from an in-test FHIR server (with the
// bearer token), OperationOutcome and null prefetch values, pagination, and what a client sees
// when the FHIR server fails for a required (412) or an optional key (200, data noted missing).
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/e2e/service_stack.h"

namespace thrombo::e2e {
namespace {

using ::testing::Each;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kOperationOutcome[] =
    R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"timeout",)"
    R"("diagnostics":"the EHR's search timed out"}]})";
// Far beyond the service's fetch budget (350 ms) and its answer, yet only a bound.
constexpr absl::Duration kGenerousBound = absl::Seconds(10);

class FetchOnMissE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<ServiceStack>> stack = ServiceStack::Start();
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    request_ = LoadExample("order-sign-thalidomide.json", stack_->fhir().base_url());
    ASSERT_FALSE(request_.HasParseError());
    // The FHIR server holds exactly what the example prefetches.
    ServePrefetchFrom(request_, &stack_->fhir());
    full_ = stack_->PostJson(kOrderSign, ToJson(request_));
    ASSERT_EQ(full_.status, 200) << full_.body;
  }

  ClientResponse Post() { return stack_->PostJson(kOrderSign, ToJson(request_)); }

  // The first card's summary and suggestion labels: what the clinician sees at a glance.
  static std::string Gist(const std::string& body) {
    rapidjson::Document doc = ParseJson(body);
    if (!doc.IsObject() || !doc.HasMember("cards") || doc["cards"].Empty()) return "(no cards)";
    const auto& card = doc["cards"][0];
    std::string gist = card["summary"].GetString();
    if (card.HasMember("suggestions")) {
      for (const auto& s : card["suggestions"].GetArray()) {
        gist += std::string(" | ") + s["label"].GetString();
      }
    }
    return gist;
  }

  static std::string Detail(const std::string& body) {
    rapidjson::Document doc = ParseJson(body);
    if (!doc.IsObject() || !doc.HasMember("cards") || doc["cards"].Empty()) return "";
    const auto& card = doc["cards"][0];
    return card.HasMember("detail") ? card["detail"].GetString() : "";
  }

  int TotalHits() {
    int total = 0;
    for (const char* type : {"Patient", "MedicationRequest", "MedicationStatement", "Condition",
                             "Observation", "Procedure", "AllergyIntolerance"}) {
      total += stack_->fhir().Hits(type);
    }
    return total;
  }

  std::unique_ptr<ServiceStack> stack_;
  rapidjson::Document request_;
  ClientResponse full_;  // the answer with full prefetch, for comparison
};

TEST_F(FetchOnMissE2eTest, MissingKeysAreFetchedWithTheBearerToken) {
  for (const char* key : {"patient", "conditions", "observations"}) RemovePrefetch(&request_, key);
  ClientResponse response = Post();
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(CdsResponseProblems(response.body), IsEmpty()) << response.body;
  EXPECT_EQ(stack_->fhir().Hits("Patient"), 1);
  EXPECT_EQ(stack_->fhir().Hits("Condition"), 1);
  EXPECT_EQ(stack_->fhir().Hits("Observation"), 1);
  EXPECT_EQ(stack_->fhir().Hits("MedicationRequest"), 0);  // it was prefetched
  EXPECT_THAT(stack_->fhir().Authorizations(),
              Each(std::string("Bearer ") + kFhirAccessToken));
  // Same data by another route: the same advice.
  EXPECT_EQ(Gist(response.body), Gist(full_.body));
}

TEST_F(FetchOnMissE2eTest, NoPrefetchAtAllFetchesEveryKey) {
  request_.RemoveMember("prefetch");
  ClientResponse response = Post();
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(CdsResponseProblems(response.body), IsEmpty()) << response.body;
  EXPECT_EQ(TotalHits(), 7);
  EXPECT_EQ(Gist(response.body), Gist(full_.body));
  EXPECT_EQ(Detail(response.body), Detail(full_.body));
}

TEST_F(FetchOnMissE2eTest, OperationOutcomePrefetchCountsAsMissing) {
  SetPrefetchJson(&request_, "observations", kOperationOutcome);
  ClientResponse response = Post();
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(stack_->fhir().Hits("Observation"), 1);  // fetched instead
  EXPECT_EQ(Gist(response.body), Gist(full_.body));
  EXPECT_EQ(Detail(response.body), Detail(full_.body));
}

TEST_F(FetchOnMissE2eTest, BundleOfOnlyOperationOutcomesCountsAsMissing) {
  SetPrefetchJson(&request_, "medicationRequests",
                  std::string(R"({"resourceType":"Bundle","type":"searchset","entry":[)"
                              R"({"resource":)") +
                      kOperationOutcome + R"(,"search":{"mode":"outcome"}}]})");
  ClientResponse response = Post();
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(stack_->fhir().Hits("MedicationRequest"), 1);
  EXPECT_EQ(Gist(response.body), Gist(full_.body));
}

TEST_F(FetchOnMissE2eTest, NullPrefetchMeansNoDataAndIsNotFetched) {
  SetPrefetchJson(&request_, "procedures", "null");
  SetPrefetchJson(&request_, "allergies", "null");
  ClientResponse response = Post();
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(CdsResponseProblems(response.body), IsEmpty());
  EXPECT_EQ(TotalHits(), 0);
  // The example's procedures and allergies are empty searches, so null says the same.
  EXPECT_EQ(Gist(response.body), Gist(full_.body));
  EXPECT_EQ(Detail(response.body), Detail(full_.body));
}

TEST_F(FetchOnMissE2eTest, PaginatedSearchIsFollowed) {
  RemovePrefetch(&request_, "observations");
  stack_->fhir().SetFault("Observation", FhirFault::kPaginate);
  ClientResponse response = Post();
  ASSERT_EQ(response.status, 200) << response.body;
  // examples/order-sign-thalidomide.json prefetches four observations: four pages.
  EXPECT_EQ(stack_->fhir().Hits("Observation"), 4);
  EXPECT_EQ(Gist(response.body), Gist(full_.body));
  EXPECT_EQ(Detail(response.body), Detail(full_.body));
}

// ---- paginated and partly failed prefetch (CDS Hooks 2.0 "Prefetch": results may be paged) ----

// Apixaban 5 mg twice daily (RxNorm 1364445 apixaban 5 MG Oral Tablet): treatment dose, an
// existing anticoagulant that rules out adding prophylaxis (docs/clinical.md, rule 9).
constexpr char kApixabanOrder[] =
    R"({"resourceType":"MedicationRequest","id":"v2-apixaban","status":"active",)"
    R"("intent":"order","subject":{"reference":"Patient/v2"},"authoredOn":"2026-10-01",)"
    R"("medicationCodeableConcept":{"coding":[{"system":)"
    R"("http://www.nlm.nih.gov/research/umls/rxnorm","code":"1364445",)"
    R"("display":"apixaban 5 MG Oral Tablet"}],"text":"apixaban 5 MG Oral Tablet"},)"
    R"("dosageInstruction":[{"text":"5 mg by mouth twice daily","timing":{"repeat":)"
    R"({"frequency":2,"period":1,"periodUnit":"d"}},"doseAndRate":[{"doseQuantity":)"
    R"({"value":5,"unit":"mg","system":"http://unitsofmeasure.org","code":"mg"}}]}]})";

class PaginatedPrefetchE2eTest : public FetchOnMissE2eTest {
 protected:
  // The client's medicationRequests prefetch is page one (the example's dexamethasone order)
  // with a next link to page two on the FHIR server, which holds the apixaban order.
  void PageOneOnly(FhirFault paging) {
    const rapidjson::Value& page_one = request_["prefetch"]["medicationRequests"];
    ASSERT_EQ(page_one["entry"].Size(), 1u);
    const std::string dex = ToJson(page_one["entry"][0]["resource"]);
    stack_->fhir().SetSearch("MedicationRequest", {dex, kApixabanOrder});
    stack_->fhir().SetFault("MedicationRequest", paging);
    SetPrefetchJson(&request_, "medicationRequests",
                    absl::StrCat(R"({"resourceType":"Bundle","type":"searchset","total":2,)",
                                 R"("link":[{"relation":"next","url":")",
                                 stack_->fhir().PageUrl("MedicationRequest", 2), R"("}],)",
                                 R"("entry":[{"resource":)", dex,
                                 R"(,"search":{"mode":"match"}}]})"));
  }

  // The suggestion labels of every card: what a client shows as buttons.
  static std::vector<std::string> Buttons(const std::string& body) {
    std::vector<std::string> labels;
    rapidjson::Document doc = ParseJson(body);
    if (!doc.IsObject() || !doc.HasMember("cards")) return labels;
    for (const auto& card : doc["cards"].GetArray()) {
      if (!card.HasMember("suggestions")) continue;
      for (const auto& s : card["suggestions"].GetArray()) labels.push_back(s["label"].GetString());
    }
    return labels;
  }
};

TEST_F(PaginatedPrefetchE2eTest, NextLinkIsFollowedWithTheTokenAndPageTwoCounts) {
  // Full prefetch offers enoxaparin in one click: the patient has no anticoagulant on page one.
  ASSERT_THAT(Gist(full_.body), HasSubstr("enoxaparin"));
  PageOneOnly(FhirFault::kPaginate);
  ClientResponse response = Post();
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(CdsResponseProblems(response.body), IsEmpty()) << response.body;
  EXPECT_EQ(stack_->fhir().Hits("MedicationRequest"), 1);  // page two, nothing else
  EXPECT_EQ(stack_->fhir().TotalHits(), 1);
  EXPECT_THAT(stack_->fhir().Authorizations(),
              Each(std::string("Bearer ") + kFhirAccessToken));
  // The apixaban order on page two is seen: no second anticoagulant in one click.
  EXPECT_THAT(Buttons(response.body), IsEmpty()) << Gist(response.body);
  EXPECT_THAT(Gist(response.body), HasSubstr("apixaban"));
  EXPECT_THAT(Detail(response.body), Not(HasSubstr("Incomplete data")));
}

// The issue's dangerous case: page two (the apixaban order) cannot be had. The medication list
// is incomplete, so existing anticoagulation is unknown: no agent in one click, and the card
// says which data was incomplete. (Policy v1.1 rule 14; the engine's own UNKNOWN handling
// lands separately and must agree.)
TEST_F(PaginatedPrefetchE2eTest, UnfollowableNextLinkLeavesNoOneClickAndTheCardSaysWhy) {
  PageOneOnly(FhirFault::kPaginateThenFail);
  ClientResponse response = Post();
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(CdsResponseProblems(response.body), IsEmpty()) << response.body;
  EXPECT_EQ(stack_->fhir().Hits("MedicationRequest"), 1);
  EXPECT_THAT(Buttons(response.body), IsEmpty()) << Gist(response.body);
  const std::string detail = Detail(response.body);
  EXPECT_THAT(detail, HasSubstr("Incomplete data"));
  EXPECT_THAT(detail, HasSubstr("Medication orders (MedicationRequest): only the first page"));
  EXPECT_THAT(detail, HasSubstr("Verify before ordering"));
  EXPECT_THAT(Gist(response.body), HasSubstr("verify data first"));
  // The advice itself is still given: the agent is named, to order once verified.
  EXPECT_THAT(detail, HasSubstr("**Recommended:** enoxaparin"));
}

TEST_F(PaginatedPrefetchE2eTest, NextLinkWithoutFhirAuthorizationIsNeverFollowed) {
  PageOneOnly(FhirFault::kPaginate);
  request_.RemoveMember("fhirAuthorization");
  ClientResponse response = Post();
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(stack_->fhir().TotalHits(), 0);
  EXPECT_THAT(Buttons(response.body), IsEmpty()) << Gist(response.body);
  EXPECT_THAT(Detail(response.body), HasSubstr("no FHIR access to fetch the rest"));
}

TEST_F(PaginatedPrefetchE2eTest, ErrorOutcomeBesideEntriesIsIncomplete) {
  const std::string dex = ToJson(request_["prefetch"]["medicationRequests"]["entry"][0]);
  SetPrefetchJson(&request_, "medicationRequests",
                  absl::StrCat(R"({"resourceType":"Bundle","type":"searchset","entry":[)", dex,
                               R"(,{"resource":)", kOperationOutcome,
                               R"(,"search":{"mode":"outcome"}}]})"));
  ClientResponse response = Post();
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(stack_->fhir().TotalHits(), 0);  // the entries there are used, not refetched
  EXPECT_THAT(Buttons(response.body), IsEmpty()) << Gist(response.body);
  EXPECT_THAT(Detail(response.body), HasSubstr("reported an error for part of the search"));
  // A warning outcome (an ignored parameter, say) is not an error: the card is the full one.
  SetPrefetchJson(&request_, "medicationRequests",
                  absl::StrCat(R"({"resourceType":"Bundle","type":"searchset","entry":[)", dex,
                               R"(,{"resource":{"resourceType":"OperationOutcome","issue":[)",
                               R"({"severity":"warning","code":"informational",)",
                               R"("diagnostics":"_sort ignored"}]},)",
                               R"("search":{"mode":"outcome"}}]})"));
  ClientResponse warned = Post();
  ASSERT_EQ(warned.status, 200) << warned.body;
  EXPECT_EQ(Gist(warned.body), Gist(full_.body));
}

// A fetch-on-miss search cut at the fetcher's page limit (10 in the test stack) is incomplete in
// the same way: the statements after page ten could hold an anticoagulant.
TEST_F(PaginatedPrefetchE2eTest, FetchedSearchCutAtThePageLimitIsIncomplete) {
  RemovePrefetch(&request_, "medicationStatements");
  std::vector<std::string> statements;
  for (int i = 0; i < 12; ++i) {
    statements.push_back(absl::StrCat(
        R"({"resourceType":"MedicationStatement","id":"s)", i,
        R"(","status":"active","subject":{"reference":"Patient/v2"},)",
        R"("medicationCodeableConcept":{"text":"cholecalciferol"}})"));
  }
  stack_->fhir().SetSearch("MedicationStatement", statements);
  stack_->fhir().SetFault("MedicationStatement", FhirFault::kPaginate);
  ClientResponse response = Post();
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(stack_->fhir().Hits("MedicationStatement"), 10);
  EXPECT_THAT(Buttons(response.body), IsEmpty()) << Gist(response.body);
  EXPECT_THAT(Detail(response.body),
              HasSubstr("Home medications (MedicationStatement): only part of the list"));
}

// ---- no fhirAuthorization: fhirServer is never called ------------------------------------------

TEST_F(FetchOnMissE2eTest, WithoutFhirAuthorizationAnOptionalKeyIsUnknownAndNotFetched) {
  request_.RemoveMember("fhirAuthorization");  // fhirServer stays
  RemovePrefetch(&request_, "observations");
  ClientResponse response = Post();
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(stack_->fhir().TotalHits(), 0);
  EXPECT_THAT(Detail(response.body), HasSubstr("observations could not be obtained"));
}

TEST_F(FetchOnMissE2eTest, WithoutFhirAuthorizationARequiredKeyIs412AndNotFetched) {
  request_.RemoveMember("fhirAuthorization");
  RemovePrefetch(&request_, "medicationRequests");
  ClientResponse response = Post();
  EXPECT_EQ(response.status, 412) << response.body;
  EXPECT_THAT(response.body, HasSubstr("no fhirAuthorization"));
  EXPECT_EQ(stack_->fhir().TotalHits(), 0);
}

// ---- a required key that cannot be had: 412 ------------------------------------------------

void Expect412Naming(const ClientResponse& response, const std::string& key) {
  EXPECT_EQ(response.status, 412) << response.error << response.body;
  EXPECT_THAT(OperationOutcomeProblems(response, "prefetch." + key), IsEmpty());
  // The FHIR access token never leaks into the answer.
  EXPECT_THAT(response.body, Not(HasSubstr(kFhirAccessToken)));
}

TEST_F(FetchOnMissE2eTest, FhirServerDownForPatientIs412) {
  RemovePrefetch(&request_, "patient");
  stack_->fhir().Stop();
  Expect412Naming(Post(), "patient");
}

TEST_F(FetchOnMissE2eTest, FhirServer500ForMedicationRequestsIs412) {
  RemovePrefetch(&request_, "medicationRequests");
  stack_->fhir().SetFault("MedicationRequest", FhirFault::kServerError);
  Expect412Naming(Post(), "medicationRequests");
}

TEST_F(FetchOnMissE2eTest, FhirServerGarbageForPatientIs412) {
  RemovePrefetch(&request_, "patient");
  stack_->fhir().SetFault("Patient", FhirFault::kGarbage);
  Expect412Naming(Post(), "patient");
}

TEST_F(FetchOnMissE2eTest, FhirServerOperationOutcomeForPatientIs412) {
  RemovePrefetch(&request_, "patient");
  stack_->fhir().SetFault("Patient", FhirFault::kOperationOutcome);
  Expect412Naming(Post(), "patient");
}

TEST_F(FetchOnMissE2eTest, SlowFhirServerPastTheDeadlineIs412InBoundedTime) {
  RemovePrefetch(&request_, "patient");
  stack_->fhir().SetFault("Patient", FhirFault::kSlow);
  stack_->fhir().set_slow_delay(absl::Seconds(3));
  const absl::Time start = absl::Now();
  ClientResponse response = Post();
  const absl::Duration took = absl::Now() - start;
  Expect412Naming(response, "patient");
  EXPECT_LT(took, kGenerousBound);
}

TEST_F(FetchOnMissE2eTest, MissingRequiredKeyWithoutFhirServerIs412) {
  request_.RemoveMember("fhirServer");
  request_.RemoveMember("fhirAuthorization");
  RemovePrefetch(&request_, "medicationRequests");
  Expect412Naming(Post(), "medicationRequests");
  EXPECT_EQ(TotalHits(), 0);
}

// ---- an optional key that cannot be had: 200, and the card says so --------------------------

// An optional key the FHIR server fails to give: the hook still answers 200, and the card must
// not read exactly like the card for a record that holds nothing of that kind (an empty
// search): "could not look" and "looked, found none" differ for the clinician. `type` is the
// resource type behind `key`.
void ExpectCardShowsDataMissing(ServiceStack* stack, rapidjson::Document* request,
                                      const std::string& key, const std::string& type) {
  // The same call with an empty search for `key`: the record truly has none.
  SetPrefetchJson(request, key, R"({"resourceType":"Bundle","type":"searchset","total":0})");
  ClientResponse empty = stack->PostJson(kOrderSign, ToJson(*request));
  ASSERT_EQ(empty.status, 200) << empty.body;

  RemovePrefetch(request, key);
  stack->fhir().SetFault(type, FhirFault::kServerError);
  ClientResponse failed = stack->PostJson(kOrderSign, ToJson(*request));
  ASSERT_EQ(failed.status, 200) << failed.body;
  EXPECT_EQ(stack->fhir().Hits(type), 1);
  EXPECT_THAT(CdsResponseProblems(failed.body), IsEmpty()) << failed.body;
  rapidjson::Document doc = ParseJson(failed.body);
  ASSERT_TRUE(doc.IsObject() && !doc["cards"].Empty()) << failed.body;
  const std::string detail =
      doc["cards"][0].HasMember("detail") ? doc["cards"][0]["detail"].GetString() : "";
  rapidjson::Document empty_doc = ParseJson(empty.body);
  ASSERT_TRUE(empty_doc.IsObject() && !empty_doc["cards"].Empty()) << empty.body;
  EXPECT_NE(detail, std::string(empty_doc["cards"][0]["detail"].GetString()))
      << "a failed fetch of " << key << " reads exactly like a record with none";
}

TEST_F(FetchOnMissE2eTest, ObservationsFailingGives200AndCardShowsDataMissing) {
  ExpectCardShowsDataMissing(stack_.get(), &request_, "observations", "Observation");
}

TEST_F(FetchOnMissE2eTest, ConditionsFailingGives200AndCardShowsDataMissing) {
  ExpectCardShowsDataMissing(stack_.get(), &request_, "conditions", "Condition");
}

TEST_F(FetchOnMissE2eTest, PatientViewFetchesTheWholeRecordOnMiss) {
  rapidjson::Document view = LoadExample("patient-view.json", stack_->fhir().base_url());
  ServePrefetchFrom(view, &stack_->fhir());
  ClientResponse full = stack_->PostJson(kPatientView, ToJson(view));
  ASSERT_EQ(full.status, 200) << full.body;
  view.RemoveMember("prefetch");
  ClientResponse response = stack_->PostJson(kPatientView, ToJson(view));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(CdsResponseProblems(response.body), IsEmpty());
  EXPECT_EQ(TotalHits(), 7);
  EXPECT_EQ(Gist(response.body), Gist(full.body));
  EXPECT_NE(Gist(response.body), "(no cards)");
}

// ---- an order no patient gets a card for: answered from the draft orders alone -------------

// Makes the example's draft order one of RxNorm ingredient `rxnorm` (`name`).
void OrderDrug(rapidjson::Document* request, const char* rxnorm, const char* name) {
  auto& alloc = request->GetAllocator();
  rapidjson::Value& order = (*request)["context"]["draftOrders"]["entry"][0]["resource"];
  rapidjson::Value& coding = order["medicationCodeableConcept"]["coding"][0];
  coding["code"].SetString(rxnorm, alloc);
  coding["display"].SetString(name, alloc);
  order["medicationCodeableConcept"]["text"].SetString(name, alloc);
}

// The audit row of `hook_instance` (JSON lines of the store's export), or "".
std::string AuditRowOf(ServiceStack* stack, const std::string& hook_instance) {
  std::ostringstream out;
  const absl::Status status = stack->store()->ExportAuditJsonLines(out);
  EXPECT_TRUE(status.ok()) << status;
  for (absl::string_view line : absl::StrSplit(out.str(), '\n')) {
    if (absl::StrContains(line, absl::StrCat("\"hookInstance\":\"", hook_instance, "\""))) {
      return std::string(line);
    }
  }
  return "";
}

TEST_F(FetchOnMissE2eTest, AnOrderNoPatientGetsACardForNeedsNoPrefetch) {
  // RxNorm ingredient 723 amoxicillin: no card whoever the patient is (docs/operations.md).
  OrderDrug(&request_, "723", "amoxicillin");
  request_.RemoveMember("prefetch");
  request_["hookInstance"].SetString("amoxicillin-order", request_.GetAllocator());
  ClientResponse response = Post();
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body, R"({"cards":[]})");
  EXPECT_EQ(stack_->fhir().TotalHits(), 0);  // nothing fetched
  // Nor does a FHIR server that cannot be reached make it a 412.
  stack_->fhir().Stop();
  request_["hookInstance"].SetString("amoxicillin-order-2", request_.GetAllocator());
  response = Post();
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body, R"({"cards":[]})");
  // Counted and audited as answered without an assessment, under the policy that said so.
  const ClientResponse metrics = stack_->Get("/metrics", /*authorize=*/false);
  EXPECT_THAT(metrics.body,
              HasSubstr(R"(thrombo_recommendations_total{action="NOT_ASSESSED"} 2)"));
  const std::string row = AuditRowOf(stack_.get(), "amoxicillin-order");
  EXPECT_THAT(row, HasSubstr(R"("action":"NOT_ASSESSED")"));
  EXPECT_THAT(row, HasSubstr(R"("policyVersion":"policy-v1.1")"));
  EXPECT_THAT(stack_->Log(), HasSubstr("no drug this service advises on (record not read)"));
}

TEST_F(FetchOnMissE2eTest, AnEsaOrderStillNeedsTheRecord) {
  // An ESA gets its co-therapy card only for a patient on an IMiD, which only the record tells
  // (RxNorm ingredient 105694 epoetin alfa): fetched when not sent, 412 when neither.
  OrderDrug(&request_, "105694", "epoetin alfa");
  request_.RemoveMember("prefetch");
  ClientResponse response = Post();
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(TotalHits(), 7);
  stack_->fhir().Stop();
  Expect412Naming(Post(), "patient");
}

}  // namespace
}  // namespace thrombo::e2e
