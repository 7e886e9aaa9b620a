// Each score term alone, each boundary the clinical spec names, and the intervals that unknown
// data produce. Points and thresholds come from the default policy (policy v1).
#include "risk/scores.h"

#include <string>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "risk/engine.h"
#include "risk/facts_builder.h"

namespace thrombo::risk {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using F = v1::ClinicalFacts;

const EngineRules& Rules() { return Engine::Default().rules(); }

int Impede(const FactsBuilder& b) { return ScoreImpedeVte(b.facts(), Rules()).decision_points(); }
int Saved(const FactsBuilder& b) { return ScoreSaved(b.facts(), Rules()).points(); }

const absl::Time kNow = absl::FromCivil(absl::CivilDay(2026, 11, 25), absl::UTCTimeZone());

TEST(ImpedeVte, EachTermAlone) {
  EXPECT_EQ(Impede(FactsBuilder()), 0);
  EXPECT_EQ(Impede(FactsBuilder().Imid()), 4);
  EXPECT_EQ(Impede(FactsBuilder().Bmi(25.0)), 1);
  EXPECT_EQ(Impede(FactsBuilder().Set(&F::mutable_hip_pelvis_femur_fracture)), 4);
  EXPECT_EQ(Impede(FactsBuilder().Set(&F::mutable_esa)), 1);
  EXPECT_EQ(Impede(FactsBuilder().Dex(160)), 2);
  EXPECT_EQ(Impede(FactsBuilder().Dex(161)), 4);
  EXPECT_EQ(Impede(FactsBuilder().Set(&F::mutable_doxorubicin)), 3);
  EXPECT_EQ(Impede(FactsBuilder().Race("2028-9")), -3);
  EXPECT_EQ(Impede(FactsBuilder().Set(&F::mutable_prior_vte)), 5);
  EXPECT_EQ(Impede(FactsBuilder().Set(&F::mutable_central_venous_catheter)), 2);
}

TEST(ImpedeVte, BmiBoundaryIs25Inclusive) {
  EXPECT_EQ(Impede(FactsBuilder().Bmi(24.9)), 0);
  EXPECT_EQ(Impede(FactsBuilder().Bmi(25.0)), 1);
}

TEST(ImpedeVte, DoxorubicinAddsToDexamethasone) {
  EXPECT_EQ(Impede(FactsBuilder().Dex(480).Set(&F::mutable_doxorubicin)), 7);
}

TEST(ImpedeVte, ExistingProphylaxisLowersPublishedScoreOnly) {
  const v1::ImpedeVte therapeutic =
      ScoreImpedeVte(FactsBuilder().Imid().Dex(160).TherapeuticAnticoagulation().facts(), Rules());
  EXPECT_EQ(therapeutic.points(), 2);
  EXPECT_EQ(therapeutic.decision_points(), 6);
  EXPECT_EQ(therapeutic.tier(), v1::Tier::LOW);
  EXPECT_EQ(therapeutic.decision_tier(), v1::Tier::INTERMEDIATE);

  const v1::ImpedeVte prophylactic =
      ScoreImpedeVte(FactsBuilder().Imid().ProphylacticAnticoagulation().facts(), Rules());
  EXPECT_EQ(prophylactic.points(), 1);
  EXPECT_EQ(prophylactic.decision_points(), 4);

  const v1::ImpedeVte aspirin =
      ScoreImpedeVte(FactsBuilder().Imid().Set(&F::mutable_aspirin).facts(), Rules());
  EXPECT_EQ(aspirin.points(), 1);
}

const v1::ScoreComponent* Component(const v1::ImpedeVte& score, const std::string& id) {
  for (const v1::ScoreComponent& c : score.components()) {
    if (c.id() == id) return &c;
  }
  return nullptr;
}
const v1::ScoreComponent* Component(const v1::Saved& score, const std::string& id) {
  for (const v1::ScoreComponent& c : score.components()) {
    if (c.id() == id) return &c;
  }
  return nullptr;
}

// Policy v1.1 rule 18: an anticoagulant of unknown dose may be therapeutic, prophylactic or not
// systemic at all, so the existing-prophylaxis term is UNKNOWN over [-4, 0] and the published
// score does not subtract it (before v1.1 it took a fixed -4).
TEST(ImpedeVte, AnticoagulantOfUnknownIntensityMakesTheExistingTermAnInterval) {
  const v1::ImpedeVte score = ScoreImpedeVte(
      FactsBuilder().Imid().AnticoagulationOfUnknownIntensity().facts(), Rules());
  EXPECT_EQ(score.decision_points(), 4);
  EXPECT_EQ(score.points(), 4);  // the unknown term is not subtracted
  const v1::ScoreComponent* term = Component(score, "impede.existing_anticoagulation");
  ASSERT_NE(term, nullptr);
  EXPECT_EQ(term->state(), v1::Fact::UNKNOWN);
  EXPECT_EQ(term->points(), Rules().impede.therapeutic_anticoagulation);  // the low end, -4
  EXPECT_EQ(term->awarded(), 0);                                          // the high end
  EXPECT_THAT(term->note(), HasSubstr("spans -4 to 0"));
  ASSERT_EQ(term->evidence_size(), 1);
  EXPECT_EQ(term->evidence(0).resource_type(), "MedicationStatement");
}

// Rule 19: an anticoagulant that is possibly still taken makes the term UNKNOWN the same way.
TEST(ImpedeVte, PossiblyCurrentAnticoagulantMakesTheExistingTermAnInterval) {
  const v1::ImpedeVte score =
      ScoreImpedeVte(FactsBuilder().Imid().PossiblyCurrentAnticoagulant().facts(), Rules());
  EXPECT_EQ(score.points(), 4);
  const v1::ScoreComponent* term = Component(score, "impede.existing_anticoagulation");
  ASSERT_NE(term, nullptr);
  EXPECT_EQ(term->state(), v1::Fact::UNKNOWN);
}

// Rule 21: several race categories, one of them Asian: the race term of IMPEDE and SAVED is
// UNKNOWN (the interval reaches -3) and the reported scores do not subtract it.
TEST(ImpedeVte, SeveralRaceCategoriesWithAsianMakeTheRaceTermUnknown) {
  const FactsBuilder b = FactsBuilder().Imid().Bmi(22).RaceCategories({"2106-3", "2028-9"});
  const v1::ImpedeVte impede = ScoreImpedeVte(b.facts(), Rules());
  EXPECT_EQ(impede.decision_points(), 4);
  EXPECT_EQ(impede.min_points(), 1);
  EXPECT_EQ(impede.max_points(), 4);
  const v1::ScoreComponent* race = Component(impede, "impede.asian");
  ASSERT_NE(race, nullptr);
  EXPECT_EQ(race->state(), v1::Fact::UNKNOWN);
  EXPECT_EQ(race->evidence_size(), 2);  // both recorded categories
  EXPECT_THAT(race->note(), HasSubstr("several race categories"));

  const v1::Saved saved = ScoreSaved(b.facts(), Rules());
  EXPECT_EQ(saved.points(), 0);
  EXPECT_EQ(saved.min_points(), -3);
  EXPECT_EQ(Component(saved, "saved.asian")->state(), v1::Fact::UNKNOWN);

  // One category, Asian: the term applies; several without Asian: no term.
  EXPECT_EQ(Impede(FactsBuilder().RaceCategories({"2028-9"})), -3);
  EXPECT_EQ(Impede(FactsBuilder().RaceCategories({"2106-3", "2054-5"})), 0);
  EXPECT_EQ(ScoreImpedeVte(FactsBuilder().RaceCategories({"2106-3", "2054-5"}).facts(), Rules())
                .min_points(),
            0);
}

TEST(ImpedeVte, TierBoundaries) {
  EXPECT_EQ(ImpedeTier(3, Rules()), v1::Tier::LOW);
  EXPECT_EQ(ImpedeTier(4, Rules()), v1::Tier::INTERMEDIATE);
  EXPECT_EQ(ImpedeTier(7, Rules()), v1::Tier::INTERMEDIATE);
  EXPECT_EQ(ImpedeTier(8, Rules()), v1::Tier::HIGH);
}

TEST(ImpedeVte, UnknownBmiGivesIntervalAndSaysWhenTierWouldChange) {
  // IMiD 4 + low-dose dex 2 + ESA 1 = 7, one point below high; BMI is not recorded.
  const v1::ImpedeVte score = ScoreImpedeVte(
      FactsBuilder().Imid().Dex(160).Set(&F::mutable_esa).facts(), Rules());
  EXPECT_EQ(score.decision_points(), 7);
  EXPECT_EQ(score.min_points(), 7);
  EXPECT_EQ(score.max_points(), 8);
  EXPECT_FALSE(score.tier_certain());
  EXPECT_THAT(score.missing_data(),
              Contains(AllOf(HasSubstr("BMI"), HasSubstr("would be high"))));
}

TEST(ImpedeVte, UnknownTermThatCannotMoveTheTierKeepsItCertain) {
  const v1::ImpedeVte score = ScoreImpedeVte(FactsBuilder().Imid().Dex(160).facts(), Rules());
  EXPECT_EQ(score.decision_points(), 6);
  EXPECT_EQ(score.max_points(), 7);  // BMI unknown
  EXPECT_TRUE(score.tier_certain());
}

TEST(ImpedeVte, PacificIslanderRaceIsUnknownNotAsian) {
  const v1::ImpedeVte score =
      ScoreImpedeVte(FactsBuilder().Imid().Bmi(22).Race("2076-8").facts(), Rules());
  EXPECT_EQ(score.decision_points(), 4);
  EXPECT_EQ(score.min_points(), 1);
  EXPECT_EQ(score.max_points(), 4);
  EXPECT_EQ(Saved(FactsBuilder().Race("2076-8")), 0);
  EXPECT_EQ(Impede(FactsBuilder().Race("2054-5")), 0);  // Black: no IMPEDE term
}

TEST(ImpedeVte, DexamethasoneOfUnknownDoseSpansLowToHigh) {
  const v1::ImpedeVte score =
      ScoreImpedeVte(FactsBuilder().Imid().Bmi(22).DexUnknownDose().facts(), Rules());
  EXPECT_EQ(score.decision_points(), 6);
  EXPECT_EQ(score.min_points(), 6);
  EXPECT_EQ(score.max_points(), 8);
  EXPECT_FALSE(score.tier_certain());
}

TEST(Saved, EachTermAloneAndBoundaries) {
  EXPECT_EQ(Saved(FactsBuilder().Set(&F::mutable_surgery_within_90_days)), 2);
  EXPECT_EQ(Saved(FactsBuilder().Race("2028-9")), -3);
  EXPECT_EQ(Saved(FactsBuilder().Set(&F::mutable_prior_vte)), 3);
  EXPECT_EQ(Saved(FactsBuilder().Age(79.9)), 0);
  EXPECT_EQ(Saved(FactsBuilder().Age(80)), 1);
  EXPECT_EQ(Saved(FactsBuilder().Dex(160, 160, 28)), 1);
  EXPECT_EQ(Saved(FactsBuilder().Dex(161, 161, 28)), 2);
  EXPECT_EQ(Saved(FactsBuilder().Dex(120, 120, 28)), 1);
  EXPECT_EQ(Saved(FactsBuilder().Dex(119, 119, 28)), 0);
}

TEST(Saved, UsesMgPerCycleNotPer28Days) {
  // VRd: 20 mg on 8 days of a 21-day cycle = 160 mg per cycle (213 mg per 28 days).
  EXPECT_EQ(Saved(FactsBuilder().Dex(213.3, 160, 21)), 1);
  EXPECT_EQ(Impede(FactsBuilder().Dex(213.3, 160, 21)), 4);
  // No cycle known: per 28 days.
  EXPECT_EQ(Saved(FactsBuilder().Dex(213.3)), 2);
}

TEST(Saved, DoseBelowTheLowestBandIsFlaggedAsInferred) {
  const v1::Saved score = ScoreSaved(FactsBuilder().Dex(80, 80, 28).facts(), Rules());
  ASSERT_EQ(score.points(), 0);
  bool flagged = false;
  for (const auto& c : score.components()) {
    if (c.id() == "saved.dexamethasone") flagged = c.note().find("inferred") != std::string::npos;
  }
  EXPECT_TRUE(flagged);
}

TEST(Saved, CutOffIsTwo) {
  EXPECT_EQ(ScoreSaved(FactsBuilder().Dex(160, 160, 28).facts(), Rules()).tier(),
            v1::Tier::LOW);
  EXPECT_EQ(ScoreSaved(FactsBuilder().Dex(161, 161, 28).facts(), Rules()).tier(),
            v1::Tier::HIGH);
}

TEST(Saved, UnknownAgeMakesIntervalAndUncertainTier) {
  // Age not recorded: the age term could add 1 and cross the cut-off.
  const v1::Saved score = ScoreSaved(FactsBuilder().Dex(160, 160, 28).facts(), Rules());
  EXPECT_EQ(score.points(), 1);
  EXPECT_EQ(score.max_points(), 2);
  EXPECT_FALSE(score.tier_certain());
}

TEST(Imwg2008, EachIndividualFactorCountsSeparately) {
  const v1::Imwg2008 score = ScoreImwg2008(
      FactsBuilder()
          .Bmi(30.1)
          .Set(&F::mutable_cardiac_disease)
          .Set(&F::mutable_chronic_kidney_disease)
          .Set(&F::mutable_diabetes)
          .Set(&F::mutable_esa)
          .DiagnosedAgo(kNow, absl::Hours(24 * 30))
          .facts(),
      Rules(), kNow);
  EXPECT_EQ(score.risk_factor_count(), 6);
  EXPECT_TRUE(score.anticoagulant_indicated());
}

TEST(Imwg2008, ObesityIsAbove30) {
  EXPECT_EQ(ScoreImwg2008(FactsBuilder().Bmi(30.0).facts(), Rules(), kNow).risk_factor_count(),
            0);
  EXPECT_EQ(ScoreImwg2008(FactsBuilder().Bmi(30.1).facts(), Rules(), kNow).risk_factor_count(),
            1);
}

TEST(Imwg2008, DiagnosisPerSeWithinSixMonths) {
  auto count = [](absl::Duration ago) {
    return ScoreImwg2008(FactsBuilder().Bmi(22).DiagnosedAgo(kNow, ago).facts(), Rules(), kNow)
        .risk_factor_count();
  };
  EXPECT_EQ(count(absl::Hours(24 * 150)), 1);
  EXPECT_EQ(count(absl::Hours(24 * 365 * 4)), 0);
}

TEST(Imwg2008, TherapyFactorsIndicateAnticoagulationAlone) {
  const v1::Imwg2008 dex480 = ScoreImwg2008(FactsBuilder().Bmi(22).Dex(480).facts(), Rules(), kNow);
  EXPECT_THAT(dex480.therapy_factors(), Contains(HasSubstr("high-dose dexamethasone")));
  EXPECT_TRUE(dex480.anticoagulant_indicated());
  const v1::Imwg2008 dex479 = ScoreImwg2008(FactsBuilder().Bmi(22).Dex(479).facts(), Rules(), kNow);
  EXPECT_TRUE(dex479.therapy_factors().empty());
  EXPECT_FALSE(dex479.anticoagulant_indicated());
  EXPECT_TRUE(ScoreImwg2008(FactsBuilder().Bmi(22).Set(&F::mutable_doxorubicin).facts(), Rules(),
                            kNow)
                  .anticoagulant_indicated());
  EXPECT_TRUE(ScoreImwg2008(FactsBuilder().Bmi(22).Set(&F::mutable_multi_agent_chemotherapy)
                                .facts(),
                            Rules(), kNow)
                  .anticoagulant_indicated());
}

TEST(Arterial, PriorEventOrTwoModifiableFactors) {
  EXPECT_TRUE(AssessArterial(FactsBuilder().Imid().Set(&F::mutable_prior_arterial_event).facts(),
                             Rules())
                  .flagged());
  EXPECT_FALSE(
      AssessArterial(FactsBuilder().Imid().Set(&F::mutable_hypertension).facts(), Rules())
          .flagged());
  EXPECT_TRUE(AssessArterial(FactsBuilder().Imid().Set(&F::mutable_hypertension).Egfr(59).facts(),
                             Rules())
                  .flagged());
  EXPECT_FALSE(AssessArterial(FactsBuilder().Imid().Set(&F::mutable_hypertension).Egfr(60).facts(),
                              Rules())
                   .flagged());
  // No IMiD, no flag: the label's arterial warning is about IMiDs.
  EXPECT_FALSE(AssessArterial(FactsBuilder().Set(&F::mutable_prior_arterial_event).facts(),
                              Rules())
                   .flagged());
}

TEST(Cotherapy, EsaShowsHemoglobinAgainstStopThreshold) {
  const v1::Cotherapy high =
      AssessCotherapy(FactsBuilder().Imid().Set(&F::mutable_esa).Hemoglobin(13.2).facts(), Rules());
  EXPECT_TRUE(high.esa());
  EXPECT_TRUE(high.hemoglobin_above_esa_stop());
  EXPECT_DOUBLE_EQ(high.latest_hemoglobin().value(), 13.2);
  EXPECT_FALSE(
      AssessCotherapy(FactsBuilder().Imid().Set(&F::mutable_esa).Hemoglobin(13.0).facts(), Rules())
          .hemoglobin_above_esa_stop());
  EXPECT_TRUE(
      AssessCotherapy(FactsBuilder().Imid().Set(&F::mutable_estrogen).facts(), Rules()).estrogen());
}

}  // namespace
}  // namespace thrombo::risk
