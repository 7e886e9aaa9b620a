// Copyright 2026 The Thrombo Authors.
// The gap is read off the engine's Assessment: each category from the fields that decide it.
#include "service/scan/gap.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::scan {
namespace {

using ::testing::HasSubstr;
using v1::DoseIntensity;
using v1::Fact;
using v1::Recommendation;

// An IMiD patient the engine recommends `action` for, with nothing else on record.
v1::Assessment ImidPatient(Recommendation::Action action) {
  v1::Assessment a;
  a.set_patient_id("p1");
  a.mutable_facts()->mutable_imid()->set_state(Fact::PRESENT);
  v1::DrugExposure* imid = a.mutable_facts()->add_drugs();
  imid->set_ingredient("lenalidomide");
  imid->set_role("IMID");
  a.mutable_impede_vte()->set_decision_tier(v1::Tier::INTERMEDIATE);
  a.mutable_impede_vte()->set_tier_certain(true);
  a.mutable_saved()->set_tier_certain(true);
  a.mutable_recommendation()->set_action(action);
  a.mutable_recommendation()->set_deciding_model("NCCN_COMBINED");
  if (action == Recommendation::ANTICOAGULANT || action == Recommendation::ASPIRIN) {
    v1::AgentSuggestion* agent = a.mutable_recommendation()->add_agents();
    agent->set_ingredient(action == Recommendation::ASPIRIN ? "aspirin" : "enoxaparin");
    agent->set_dose_text("40 mg SC once daily");
  }
  return a;
}

void AddDrug(v1::Assessment* a, const std::string& ingredient, const std::string& role,
             DoseIntensity::Value intensity) {
  v1::DrugExposure* drug = a->mutable_facts()->add_drugs();
  drug->set_ingredient(ingredient);
  drug->set_role(role);
  drug->set_intensity(intensity);
  drug->set_dose_mg(40);
  drug->set_doses_per_day(1);
}

TEST(GapTest, NoImidNoRow) {
  v1::Assessment a = ImidPatient(Recommendation::NO_RECOMMENDATION);
  a.mutable_facts()->mutable_imid()->set_state(Fact::ABSENT);
  EXPECT_FALSE(RowFromAssessment(a).has_value());
}

TEST(GapTest, NothingOnRecordIsMissing) {
  const std::optional<GapRow> row = RowFromAssessment(ImidPatient(Recommendation::ANTICOAGULANT));
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->gap, Gap::kMissing);
  EXPECT_EQ(row->imid, "lenalidomide");
  EXPECT_EQ(row->current_intensity, "NONE");
  EXPECT_TRUE(row->one_click);
  EXPECT_EQ(row->recommended, "enoxaparin 40 mg SC once daily");
}

TEST(GapTest, ProphylacticLmwhCoversTheAnticoagulantTier) {
  v1::Assessment a = ImidPatient(Recommendation::ANTICOAGULANT);
  AddDrug(&a, "enoxaparin", "LMWH", DoseIntensity::PROPHYLACTIC);
  const std::optional<GapRow> row = RowFromAssessment(a);
  EXPECT_EQ(row->gap, Gap::kNone);
  EXPECT_EQ(row->current_intensity, "PROPHYLACTIC");
  EXPECT_EQ(row->current_prophylaxis, "enoxaparin 40 mg x1/day (PROPHYLACTIC)");
}

TEST(GapTest, AspirinWhereAnAnticoagulantIsDueIsInsufficient) {
  v1::Assessment a = ImidPatient(Recommendation::ANTICOAGULANT);
  AddDrug(&a, "aspirin", "ASPIRIN", DoseIntensity::DOSE_INTENSITY_UNSPECIFIED);
  a.mutable_recommendation()->set_switch_from_aspirin(true);
  EXPECT_EQ(RowFromAssessment(a)->gap, Gap::kInsufficient);
}

TEST(GapTest, AspirinForTheAspirinTierIsCoveredUnlessTheTierIsUncertain) {
  v1::Assessment a = ImidPatient(Recommendation::ASPIRIN);
  AddDrug(&a, "aspirin", "ASPIRIN", DoseIntensity::DOSE_INTENSITY_UNSPECIFIED);
  EXPECT_EQ(RowFromAssessment(a)->gap, Gap::kNone);
  a.mutable_impede_vte()->set_tier_certain(false);
  a.mutable_impede_vte()->add_missing_data("BMI not recorded: if BMI >= 25 the tier would be ...");
  const std::optional<GapRow> row = RowFromAssessment(a);
  EXPECT_EQ(row->gap, Gap::kDataMissing);
  EXPECT_THAT(row->gap_reason, HasSubstr("BMI not recorded"));
}

TEST(GapTest, AHardStopWithADrugOnRecordIsUnaddressed) {
  v1::Assessment a = ImidPatient(Recommendation::WITHHOLD_PHARMACOLOGIC);
  v1::HardStop* stop = a.mutable_recommendation()->add_hard_stops();
  stop->set_id("platelets_below_50");
  stop->set_reason("Platelets 30 x10^9/L (below 50)");
  EXPECT_EQ(RowFromAssessment(a)->gap, Gap::kNone);  // withheld, and nothing on record
  AddDrug(&a, "apixaban", "DOAC", DoseIntensity::PROPHYLACTIC);
  const std::optional<GapRow> row = RowFromAssessment(a);
  EXPECT_EQ(row->gap, Gap::kHardStopUnaddressed);
  EXPECT_EQ(row->hard_stops, "platelets_below_50");
  EXPECT_THAT(row->gap_reason, HasSubstr("apixaban"));
}

TEST(GapTest, AHitStopConcernsHeparinsOnly) {
  v1::Assessment a = ImidPatient(Recommendation::ANTICOAGULANT);
  v1::HardStop* stop = a.mutable_recommendation()->add_hard_stops();
  stop->set_id("hit_history");
  stop->set_heparins_only(true);
  AddDrug(&a, "apixaban", "DOAC", DoseIntensity::PROPHYLACTIC);
  EXPECT_EQ(RowFromAssessment(a)->gap, Gap::kNone);
  AddDrug(&a, "enoxaparin", "LMWH", DoseIntensity::PROPHYLACTIC);
  EXPECT_EQ(RowFromAssessment(a)->gap, Gap::kHardStopUnaddressed);
}

TEST(GapTest, ACurrentAgentTheEngineExcludedIsInsufficient) {
  v1::Assessment a = ImidPatient(Recommendation::ANTICOAGULANT);
  AddDrug(&a, "rivaroxaban", "DOAC", DoseIntensity::PROPHYLACTIC);
  v1::ExcludedAgent* excluded = a.mutable_recommendation()->add_excluded_agents();
  excluded->set_ingredient("rivaroxaban");
  excluded->set_reason("currently taken, must not be continued: CrCl 22 mL/min");
  const std::optional<GapRow> row = RowFromAssessment(a);
  EXPECT_EQ(row->gap, Gap::kInsufficient);
  EXPECT_THAT(row->gap_reason, HasSubstr("CrCl 22"));
}

TEST(GapTest, APossiblyCurrentAnticoagulantIsItsOwnGap) {
  v1::Assessment a = ImidPatient(Recommendation::ANTICOAGULANT);
  a.mutable_facts()->mutable_possibly_current_anticoagulant()->set_state(Fact::PRESENT);
  EXPECT_EQ(RowFromAssessment(a)->gap, Gap::kPossiblyCurrentAnticoagulant);
}

TEST(GapTest, NoOneClickOrderForUnknownPlateletsIsDataMissing) {
  v1::Assessment a = ImidPatient(Recommendation::ANTICOAGULANT);
  a.mutable_facts()->mutable_platelets()->set_state(Fact::UNKNOWN);
  a.mutable_recommendation()->mutable_agents(0)->add_verify_before_ordering(
      "Platelets recorded as '<100 10*9/L': verify before ordering");
  const std::optional<GapRow> row = RowFromAssessment(a);
  EXPECT_EQ(row->gap, Gap::kDataMissing);
  EXPECT_FALSE(row->one_click);
  EXPECT_EQ(row->platelets, "UNKNOWN");
  EXPECT_THAT(row->unknown_facts, HasSubstr("platelets"));
}

TEST(GapTest, AlreadyAnticoagulatedIsCovered) {
  v1::Assessment a = ImidPatient(Recommendation::ALREADY_ANTICOAGULATED);
  AddDrug(&a, "warfarin", "VKA", DoseIntensity::THERAPEUTIC);
  const std::optional<GapRow> row = RowFromAssessment(a);
  EXPECT_EQ(row->gap, Gap::kNone);
  EXPECT_EQ(row->current_intensity, "THERAPEUTIC");
}

TEST(GapTest, EsaWithHaemoglobinAboveThirteenIsFlaggedFromTheCotherapy) {
  v1::Assessment a = ImidPatient(Recommendation::ANTICOAGULANT);
  a.mutable_cotherapy()->set_esa(true);
  a.mutable_cotherapy()->mutable_latest_hemoglobin()->set_state(Fact::PRESENT);
  a.mutable_cotherapy()->mutable_latest_hemoglobin()->set_value(13.4);
  a.mutable_cotherapy()->set_hemoglobin_above_esa_stop(true);
  const std::optional<GapRow> row = RowFromAssessment(a);
  EXPECT_TRUE(row->esa_hb_above_13);
  EXPECT_EQ(row->hemoglobin_g_dl, "13.4");
}

TEST(GapTest, RowsRoundTripThroughJsonAndQuoteCsv) {
  v1::Assessment a = ImidPatient(Recommendation::ANTICOAGULANT);
  AddDrug(&a, "aspirin", "ASPIRIN", DoseIntensity::DOSE_INTENSITY_UNSPECIFIED);
  AddDrug(&a, "enoxaparin", "LMWH", DoseIntensity::PROPHYLACTIC);
  const GapRow row = *RowFromAssessment(a);
  ASSERT_OK_AND_ASSIGN(GapRow back, RowFromJson(RowToJson(row)));
  EXPECT_EQ(RowToJson(back), RowToJson(row));
  // "enoxaparin ... ; aspirin ..." has no comma, the gap reason may: quoted when it does.
  GapRow quoted = row;
  quoted.gap_reason = "a, \"b\"";
  EXPECT_THAT(RowToCsv(quoted), HasSubstr("\"a, \"\"b\"\"\""));
  EXPECT_THAT(CsvHeader(), HasSubstr("patient_id,imid,gap,"));
  EXPECT_FALSE(RowFromJson("{\"patient_id\":1}").ok());
}

}  // namespace
}  // namespace thrombo::scan
