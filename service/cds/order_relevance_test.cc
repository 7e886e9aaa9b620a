// Copyright 2026 The Thrombo Authors.
#include "service/cds/order_relevance.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fhir/json_parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "risk/engine.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service {
namespace {

constexpr char kRxNorm[] = "http://www.nlm.nih.gov/research/umls/rxnorm";

// A draft MedicationRequest entry for RxNorm `code`, with a dose in mg when `dose_mg` > 0.
std::string Entry(const std::string& id, const std::string& code, double dose_mg = 0) {
  std::string dosage;
  if (dose_mg > 0) {
    dosage = absl::StrCat(R"(,"dosageInstruction":[{"doseAndRate":[{"doseQuantity":{"value":)",
                          dose_mg, R"(,"unit":"mg","system":"http://unitsofmeasure.org",)",
                          R"("code":"mg"}}]}])");
  }
  const std::string medication =
      code.empty() ? ""
                   : absl::StrCat(R"(,"medicationCodeableConcept":{"coding":[{"system":")",
                                  kRxNorm, R"(","code":")", code, R"("}]})");
  return absl::StrCat(R"({"resource":{"resourceType":"MedicationRequest","id":")", id,
                      R"(","status":"draft","intent":"order","subject":{"reference":"Patient/p"})",
                      medication, dosage, "}}");
}

OrderFocus Classify(const std::vector<std::string>& entries,
                    const std::vector<std::string>& selections = {},
                    const std::vector<std::string>& unreadable = {}) {
  std::string json = R"({"resourceType":"Bundle","type":"collection","entry":[)";
  for (size_t i = 0; i < entries.size(); ++i) absl::StrAppend(&json, i ? "," : "", entries[i]);
  absl::StrAppend(&json, "]}");
  // The record points into the Bundle, which must outlive it: one per call, kept.
  static std::vector<std::unique_ptr<fhir::r4::Bundle>>* bundles =
      new std::vector<std::unique_ptr<fhir::r4::Bundle>>();
  absl::StatusOr<fhir::r4::Bundle> bundle = fhir::ParseAs<fhir::r4::Bundle>(json);
  EXPECT_TRUE(bundle.ok()) << bundle.status();
  bundles->push_back(std::make_unique<fhir::r4::Bundle>(*std::move(bundle)));
  absl::StatusOr<fhir::PatientRecord> drafts = fhir::PatientRecord::FromBundle(*bundles->back());
  EXPECT_TRUE(drafts.ok()) << drafts.status();
  return ClassifyDraftOrders(*drafts, selections, unreadable,
                             risk::Engine::Default().terminology());
}

// RxNorm ingredient codes (RxNav): lenalidomide 342369, amoxicillin 723, apixaban 1364430,
// epoetin alfa 105694, clopidogrel 32968.
TEST(ClassifyDraftOrdersTest, ClassifiesByTheEnginesTerminology) {
  EXPECT_TRUE(Classify({Entry("a", "342369")}).imid);
  const OrderFocus amoxicillin = Classify({Entry("a", "723")});
  EXPECT_FALSE(amoxicillin.imid);
  EXPECT_FALSE(amoxicillin.empty);
  EXPECT_TRUE(amoxicillin.antithrombotics.empty());
  EXPECT_TRUE(Classify({Entry("a", "105694")}).esa);
  const OrderFocus apixaban = Classify({Entry("a", "1364430", 2.5)});
  ASSERT_EQ(apixaban.antithrombotics.size(), 1u);
  EXPECT_EQ(apixaban.antithrombotics[0].ingredient, "apixaban");
  EXPECT_EQ(apixaban.antithrombotics[0].dose_mg, 2.5);
  EXPECT_EQ(apixaban.antithrombotics[0].order_id, "MedicationRequest/a");
}

TEST(ClassifyDraftOrdersTest, AnEmptyDraftIsEmpty) {
  const OrderFocus focus = Classify({Entry("rx-view", "")});
  EXPECT_TRUE(focus.empty);
  EXPECT_FALSE(PlanCards(focus, /*on_imid=*/true).prophylaxis);
}

TEST(ClassifyDraftOrdersTest, OrderSelectFocusesOnTheSelections) {
  const std::vector<std::string> both = {Entry("len", "342369"), Entry("amox", "723")};
  EXPECT_FALSE(Classify(both, {"MedicationRequest/amox"}).imid);
  EXPECT_TRUE(Classify(both, {"MedicationRequest/len"}).imid);
  EXPECT_TRUE(Classify(both).imid);  // order-sign: every draft
  EXPECT_TRUE(Classify(both, {"NutritionOrder/diet"}).empty);
}

TEST(ClassifyDraftOrdersTest, AMedicationNotReceivedIsNamedByTheReferencesDisplay) {
  const std::string referring =
      R"({"resource":{"resourceType":"MedicationRequest","id":"t","status":"draft",)"
      R"("intent":"order","subject":{"reference":"Patient/p"},"medicationReference":)"
      R"({"reference":"Medication/not-sent","display":"thalidomide 100 MG Oral Capsule"}}})";
  EXPECT_TRUE(Classify({referring}).imid);
  // Without a display nothing names it: it may be an IMiD, as a drug dropped as malformed.
  const std::string bare =
      R"({"resource":{"resourceType":"MedicationRequest","id":"t","status":"draft",)"
      R"("intent":"order","subject":{"reference":"Patient/p"},"medicationReference":)"
      R"({"reference":"Medication/not-sent"}}})";
  const OrderFocus focus = Classify({bare});
  EXPECT_TRUE(focus.unreadable);
  EXPECT_FALSE(NoCardForAnyPatient(focus));
}

TEST(ClassifyDraftOrdersTest, AnUnreadableDrugCountsAsPossiblyAnImid) {
  const OrderFocus focus = Classify({Entry("x", "")}, {}, {"MedicationRequest/x"});
  EXPECT_TRUE(focus.unreadable);
  EXPECT_TRUE(PlanCards(focus, /*on_imid=*/false).prophylaxis);
}

TEST(PlanCardsTest, EachOrderGetsItsCards) {
  OrderFocus imid;
  imid.imid = true;
  imid.empty = false;
  EXPECT_TRUE(PlanCards(imid, false).prophylaxis);

  OrderFocus esa;
  esa.esa = true;
  esa.empty = false;
  EXPECT_TRUE(PlanCards(esa, true).esa);
  EXPECT_FALSE(PlanCards(esa, true).prophylaxis);
  EXPECT_FALSE(PlanCards(esa, false).esa);  // no IMiD: not this service's concern

  OrderFocus other;
  other.empty = false;
  EXPECT_TRUE(PlanCards(other, true).ShowsNoCard());

  OrderFocus apixaban;
  apixaban.antithrombotics.push_back({"apixaban", v1::DOAC, 2.5, "MedicationRequest/a"});
  EXPECT_TRUE(PlanCards(apixaban, true).check_antithrombotic);
  EXPECT_FALSE(PlanCards(apixaban, false).check_antithrombotic);
}

// The orders answered without the patient's record are exactly those whose cards do not depend
// on it: an IMiD, an unreadable drug, and (for a patient on an IMiD) an ESA, an estrogen or an
// antithrombotic each need the record.
TEST(NoCardForAnyPatientTest, OnlyOrdersNoPatientGetsACardFor) {
  EXPECT_TRUE(NoCardForAnyPatient(Classify({Entry("amox", "723")})));
  EXPECT_TRUE(NoCardForAnyPatient(Classify({Entry("rx-view", "")})));
  EXPECT_TRUE(NoCardForAnyPatient(Classify({Entry("len", "342369")}, {"NutritionOrder/d"})));
  EXPECT_FALSE(NoCardForAnyPatient(Classify({Entry("len", "342369")})));
  EXPECT_FALSE(NoCardForAnyPatient(Classify({Entry("x", "")}, {}, {"MedicationRequest/x"})));
  EXPECT_FALSE(NoCardForAnyPatient(Classify({Entry("esa", "105694")})));
  EXPECT_FALSE(NoCardForAnyPatient(Classify({Entry("apx", "1364430", 2.5)})));
  EXPECT_FALSE(NoCardForAnyPatient(Classify({Entry("amox", "723"), Entry("len", "342369")})));
  OrderFocus estrogen;
  estrogen.estrogen = true;
  estrogen.empty = false;
  EXPECT_FALSE(NoCardForAnyPatient(estrogen));
}

v1::Recommendation Recommends(const std::string& ingredient, double dose_mg) {
  v1::Recommendation rec;
  rec.set_action(v1::Recommendation::ANTICOAGULANT);
  v1::AgentSuggestion& agent = *rec.add_agents();
  agent.set_ingredient(ingredient);
  agent.set_dose_mg(dose_mg);
  return rec;
}

TEST(OrderDisagreesTest, ComparesAgentDoseAndHardStops) {
  const OrderedAgent apixaban{"apixaban", v1::DOAC, 2.5, "MedicationRequest/a"};
  EXPECT_EQ(OrderDisagrees(apixaban, Recommends("apixaban", 2.5)), "");
  EXPECT_THAT(OrderDisagrees(apixaban, Recommends("apixaban", 5)), ::testing::HasSubstr("dose"));
  EXPECT_THAT(OrderDisagrees(apixaban, Recommends("enoxaparin", 40)),
              ::testing::HasSubstr("not among"));
  OrderedAgent unknown_dose = apixaban;
  unknown_dose.dose_mg = 0;
  EXPECT_THAT(OrderDisagrees(unknown_dose, Recommends("apixaban", 2.5)),
              ::testing::HasSubstr("cannot be read"));

  v1::Recommendation hit = Recommends("apixaban", 2.5);
  v1::HardStop& stop = *hit.add_hard_stops();
  stop.set_id("hit_history");
  stop.set_heparins_only(true);
  EXPECT_EQ(OrderDisagrees(apixaban, hit), "");  // HIT forbids heparins, not apixaban
  const OrderedAgent enoxaparin{"enoxaparin", v1::LMWH, 40, "MedicationRequest/e"};
  EXPECT_THAT(OrderDisagrees(enoxaparin, hit), ::testing::HasSubstr("hit_history"));

  v1::Recommendation excluded = Recommends("apixaban", 2.5);
  excluded.add_excluded_agents()->set_ingredient("apixaban");
  EXPECT_THAT(OrderDisagrees(apixaban, excluded), ::testing::HasSubstr("excluded"));

  v1::Recommendation anticoagulated;
  anticoagulated.set_action(v1::Recommendation::ALREADY_ANTICOAGULATED);
  EXPECT_THAT(OrderDisagrees(apixaban, anticoagulated), ::testing::HasSubstr("already"));

  const OrderedAgent clopidogrel{"clopidogrel", v1::ANTIPLATELET_OTHER, 75, "MedicationRequest/c"};
  EXPECT_EQ(OrderDisagrees(clopidogrel, Recommends("apixaban", 2.5)), "");
  v1::Recommendation bleeding = Recommends("apixaban", 2.5);
  bleeding.add_hard_stops()->set_id("active_bleeding");
  EXPECT_THAT(OrderDisagrees(clopidogrel, bleeding), ::testing::HasSubstr("active_bleeding"));
}

}  // namespace
}  // namespace thrombo::service
