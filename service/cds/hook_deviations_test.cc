// Copyright 2026 The Thrombo Authors.
// Through the tolerant parser: a dropped element the decision reads makes its category UNKNOWN;
// one it does not read, or a deviation with one clear meaning, costs nothing.
#include "service/cds/hook_deviations.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

struct Parsed {
  v1::EvaluateHookRequest request;
  std::vector<HookDeviation> deviations;
};

Parsed Parse(const std::string& prefetch, const std::string& draft_entry = "") {
  const std::string body =
      R"({"hook": "order-sign", "hookInstance": "h", "context": {"patientId": "p", )"
      R"("userId": "Practitioner/u", "draftOrders": {"resourceType": "Bundle", "entry": [)" +
      draft_entry + R"(]}}, "prefetch": {)" + prefetch + "}}";
  fhir::ParseOptions options;
  options.tolerant = true;
  Parsed parsed;
  const absl::Status status = ParseHookRequestJson(body, options, &parsed.request,
                                                   &parsed.deviations);
  EXPECT_TRUE(status.ok()) << status;
  return parsed;
}

DeviationEffects Effects(const Parsed& parsed) {
  return EffectsOf(parsed.deviations, parsed.request);
}

constexpr char kObservation[] =
    R"("observations": {"resourceType": "Bundle", "type": "searchset", "entry": [{"resource": )"
    R"({"resourceType": "Observation", "status": "final", "subject": {"reference": "Patient/p"},)"
    R"( "code": {"coding": [{"system": "http://loinc.org", "code": "777-3"}]}, )";

TEST(HookDeviationsTest, ADroppedValueMakesObservationsUnknown) {
  const Parsed parsed = Parse(std::string(kObservation) + R"("valueQuantity": [40]}}]})");
  const DeviationEffects effects = Effects(parsed);
  EXPECT_FALSE(effects.available.observations);
  EXPECT_TRUE(effects.available.conditions);
  EXPECT_TRUE(effects.available.medication_requests);
  ASSERT_EQ(effects.costly.size(), 1u);
  EXPECT_EQ(effects.costly[0]->path, "prefetch.observations.entry[0].resource.valueQuantity");
}

TEST(HookDeviationsTest, ADroppedUnreadElementCostsNothing) {
  const Parsed parsed = Parse(std::string(kObservation) +
                              R"("valueQuantity": {"value": 40}, "issued": 5,)"
                              R"( "note": {"text": 7}}}],)"
                              R"( "link": {"relation": "self"}})");
  std::vector<std::string> paths;
  for (const HookDeviation& d : parsed.deviations) paths.push_back(d.kind + " " + d.path);
  EXPECT_THAT(paths, ::testing::IsSupersetOf(
                         {"dropped_element prefetch.observations.entry[0].resource.issued",
                          "dropped_element prefetch.observations.entry[0].resource.note[0].text",
                          "object_for_array prefetch.observations.link"}));
  const DeviationEffects effects = Effects(parsed);
  EXPECT_TRUE(effects.available.observations);
  EXPECT_THAT(effects.costly, IsEmpty());
}

TEST(HookDeviationsTest, AMissingStatusInPrefetchIsUnknownButNotInADraft) {
  const Parsed prefetch = Parse(
      R"("medicationRequests": {"resourceType": "MedicationRequest", "intent": "order",)"
      R"( "subject": {"reference": "Patient/p"}, "medicationCodeableConcept": {"text": "x"}})");
  EXPECT_FALSE(Effects(prefetch).available.medication_requests);

  const Parsed draft = Parse("", R"({"resource": {"resourceType": "MedicationRequest", "id": "d",)"
                                 R"( "subject": {"reference": "Patient/p"},)"
                                 R"( "medicationCodeableConcept": {"text": "x"}}})");
  const DeviationEffects effects = Effects(draft);
  EXPECT_TRUE(effects.available.medication_requests);
  EXPECT_THAT(effects.unreadable_draft_ids, IsEmpty());
}

TEST(HookDeviationsTest, ADroppedDraftDrugIsUnreadable) {
  const Parsed draft = Parse("", R"({"resource": {"resourceType": "MedicationRequest", "id": "d",)"
                                 R"( "status": "draft", "intent": "order",)"
                                 R"( "subject": {"reference": "Patient/p"},)"
                                 R"( "medicationCodeableConcept": "lenalidomide"}})");
  const DeviationEffects effects = Effects(draft);
  EXPECT_THAT(effects.unreadable_draft_ids, ElementsAre("MedicationRequest/d"));
  EXPECT_FALSE(effects.available.medication_requests);
}

TEST(HookDeviationsTest, ADroppedEntryOfAForeignKeyMarksEveryCategory) {
  const DeviationEffects effects =
      Effects(Parse(R"("item2": {"resourceType": "Bundle", "type": "searchset", "entry": 3})"));
  EXPECT_FALSE(effects.available.conditions);
  EXPECT_FALSE(effects.available.medication_requests);
  EXPECT_FALSE(effects.available.allergies);
}

// The dispense list is its own category: a dispense whose drug cannot be read makes dispenses
// UNKNOWN, not every category of the record.
TEST(HookDeviationsTest, ADroppedDispenseDrugMakesOnlyDispensesUnknown) {
  const Parsed parsed = Parse(
      R"("medicationDispenses": {"resourceType": "Bundle", "type": "searchset", "entry": [)"
      R"({"resource": {"resourceType": "MedicationDispense", "status": "completed",)"
      R"( "subject": {"reference": "Patient/p"}, "medicationCodeableConcept": [7]}}]})");
  const DeviationEffects effects = Effects(parsed);
  EXPECT_FALSE(effects.available.medication_dispenses);
  EXPECT_TRUE(effects.available.medication_requests);
  EXPECT_TRUE(effects.available.medication_statements);
  EXPECT_TRUE(effects.available.observations);
  EXPECT_TRUE(effects.available.conditions);
}

// A medication's note is where a dexamethasone dose stands when the structured dose cannot be
// read (risk/dex_dose.cc), so a malformed one makes the orders UNKNOWN; an Observation's note
// stays unread (ADroppedUnreadElementCostsNothing).
TEST(HookDeviationsTest, ADroppedMedicationNoteIsRead) {
  const Parsed parsed = Parse(
      R"("medicationRequests": {"resourceType": "Bundle", "type": "searchset", "entry": [)"
      R"({"resource": {"resourceType": "MedicationRequest", "status": "active",)"
      R"( "intent": "order", "subject": {"reference": "Patient/p"},)"
      R"( "medicationCodeableConcept": {"text": "dexamethasone"},)"
      R"( "note": [{"text": ["dexamethasone 40 mg weekly"]}]}}]})");
  const DeviationEffects effects = Effects(parsed);
  EXPECT_FALSE(effects.available.medication_requests);
  EXPECT_THAT(effects.costly, ::testing::Not(IsEmpty()));
}

TEST(HookDeviationsTest, BothIsFalseWhereEitherIs) {
  risk::DataAvailability a;
  risk::DataAvailability b;
  a.medication_administrations = false;
  b.allergies = false;
  const risk::DataAvailability both = Both(a, b);
  EXPECT_FALSE(both.medication_administrations);
  EXPECT_FALSE(both.allergies);
  EXPECT_TRUE(both.medication_requests);
  EXPECT_TRUE(both.observations);
}

}  // namespace
}  // namespace thrombo::service
