// Copyright 2026 The Thrombo Authors.
// JudgeAgent, one test per rule of docs/clinical.md "Policy v1.1: reading real records safely"
// (and the policy v1 hard stops and renal rules it also enforces). Each test says what the
// clinician sees: which agents are one-click, which need a datum verified, which are excluded
// and why.
#include "risk/agent_gate.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "risk/engine.h"
#include "risk/facts_builder.h"

namespace thrombo::risk {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using F = v1::ClinicalFacts;
using Kind = AgentVerdict::Kind;

const RecommendationRules& Rules() { return Engine::Default().rules().recommend; }

// The policy's product for `ingredient`; fondaparinux (not in the default policy, but what a
// clinician may choose in HIT) as its label prophylaxis dose, 2.5 mg SC daily (Arixtra USPI).
AgentSpec Spec(const std::string& ingredient) {
  for (const AgentSpec& spec : Rules().anticoagulants) {
    if (spec.ingredient == ingredient) return spec;
  }
  if (ingredient == "warfarin") return Rules().warfarin;
  if (ingredient == "aspirin") return Rules().aspirin;
  AgentSpec spec;
  spec.ingredient = ingredient;
  spec.dose_mg = 2.5;
  spec.doses_per_day = 1;
  spec.dose_text = "2.5 mg SC once daily";
  return spec;
}

const std::vector<std::string> kAll = {"enoxaparin", "apixaban",     "rivaroxaban",
                                       "warfarin",   "fondaparinux", "aspirin"};

AgentVerdict Judge(const std::string& ingredient, const FactsBuilder& b,
                   AgentUse use = AgentUse::kNew) {
  return JudgeAgent(Spec(ingredient), b.facts(), Rules(), use);
}

// What the clinician sees for each agent: "one-click", "verify" or "excluded".
std::string Seen(const AgentVerdict& v) {
  switch (v.kind) {
    case Kind::kAllowed:
      return "one-click";
    case Kind::kVerify:
      return "verify";
    case Kind::kForbidden:
      return "excluded";
  }
  return "?";
}
std::vector<std::string> SeenForAll(const FactsBuilder& b) {
  std::vector<std::string> seen;
  for (const std::string& name : kAll) seen.push_back(name + ":" + Seen(Judge(name, b)));
  return seen;
}

// A patient every gating datum is known and normal for.
FactsBuilder Clean() {
  FactsBuilder b;
  b.Imid().Age(70).Sex("female").Weight(70).Platelets(220).CrCl(65);
  return b;
}

TEST(AgentGate, CleanRecordOffersEveryAgentInOneClick) {
  EXPECT_THAT(SeenForAll(Clean()),
              ElementsAre("enoxaparin:one-click", "apixaban:one-click", "rivaroxaban:one-click",
                          "warfarin:one-click", "fondaparinux:one-click", "aspirin:one-click"));
  const AgentVerdict enoxaparin = Judge("enoxaparin", Clean());
  EXPECT_EQ(enoxaparin.suggestion.dose_mg(), 40);
  EXPECT_THAT(enoxaparin.suggestion.verify_before_ordering(), IsEmpty());
  EXPECT_THAT(enoxaparin.suggestion.cautions(), IsEmpty());
}

// Policy v1 rule 8 / v1.1 rule 15: platelets below 50 forbid every drug, aspirin included.
TEST(AgentGate, LowPlateletsExcludeEveryDrugWithTheCount) {
  const FactsBuilder b = Clean().Platelets(30);
  EXPECT_THAT(SeenForAll(b), Each(HasSubstr(":excluded")));
  const AgentVerdict aspirin = Judge("aspirin", b);
  EXPECT_THAT(aspirin.excluded.reason(), HasSubstr("Platelets 30"));
  EXPECT_EQ(aspirin.excluded.ingredient(), "aspirin");
  EXPECT_THAT(aspirin.suggestion.ingredient(), IsEmpty());
}

// Rule 17 (and policy v1 rule 8): active bleeding forbids every drug.
TEST(AgentGate, ActiveBleedingExcludesEveryDrug) {
  const FactsBuilder b = Clean().Set(&F::mutable_active_bleeding);
  EXPECT_THAT(SeenForAll(b), Each(HasSubstr(":excluded")));
  EXPECT_THAT(Judge("apixaban", b).excluded.reason(), HasSubstr("Active bleeding"));
}

// Section 8: HIT forbids heparins and LMWH only; fondaparinux and the DOACs stay.
TEST(AgentGate, HitExcludesHeparinsOnly) {
  const FactsBuilder b = Clean().Set(&F::mutable_hit_history);
  EXPECT_THAT(SeenForAll(b),
              ElementsAre("enoxaparin:excluded", "apixaban:one-click", "rivaroxaban:one-click",
                          "warfarin:one-click", "fondaparinux:one-click", "aspirin:one-click"));
  EXPECT_THAT(Judge("enoxaparin", b).excluded.reason(), HasSubstr("heparin-induced"));
}

// Rule 14: an unreadable platelet result gates every agent, aspirin included, and the line
// quotes the result as recorded with its date and resource.
TEST(AgentGate, UnreadablePlateletsGateEveryAgentAndQuoteTheRecord) {
  const FactsBuilder b = Clean().UnknownPlatelets(
      "clumped, see comment", absl::FromCivil(absl::CivilDay(2026, 11, 20), absl::UTCTimeZone()),
      "p1");
  EXPECT_THAT(SeenForAll(b), Each(HasSubstr(":verify")));
  EXPECT_THAT(Judge("aspirin", b).suggestion.verify_before_ordering(),
              ElementsAre("Platelets recorded as 'clumped, see comment' on 2026-11-20 "
                          "(Observation/p1): verify before ordering"));
}

// Rule 14 / 15: no count in the window (or only an old one) is UNKNOWN, not normal.
TEST(AgentGate, NoPlateletCountGatesEveryAgent) {
  FactsBuilder b;
  b.Imid().Age(70).Sex("female").Weight(70).CrCl(65);  // platelets never recorded
  EXPECT_THAT(SeenForAll(b), Each(HasSubstr(":verify")));
  EXPECT_THAT(
      Judge("warfarin", b).suggestion.verify_before_ordering(),
      ElementsAre(AllOf(HasSubstr("Platelets not known"), HasSubstr("verify before ordering"))));
}

// Rule 14 / 17: bleeding that cannot be ruled out (conditions not obtained) gates every agent.
TEST(AgentGate, UnknownActiveBleedingGatesEveryAgent) {
  const FactsBuilder b = Clean().SetUnknown(&F::mutable_active_bleeding);
  EXPECT_THAT(SeenForAll(b), Each(HasSubstr(":verify")));
  EXPECT_THAT(Judge("rivaroxaban", b).suggestion.verify_before_ordering(),
              Contains(HasSubstr("Active bleeding not known")));
}

// Rule 14 / 16: HIT history unknown (allergies not obtained) gates the heparins only.
TEST(AgentGate, UnknownHitHistoryGatesHeparinsOnly) {
  const FactsBuilder b = Clean().SetUnknown(&F::mutable_hit_history);
  EXPECT_THAT(SeenForAll(b),
              ElementsAre("enoxaparin:verify", "apixaban:one-click", "rivaroxaban:one-click",
                          "warfarin:one-click", "fondaparinux:one-click", "aspirin:one-click"));
}

// Rule 14 with policy v1 rule 10: unknown clearance decides the enoxaparin dose and whether a
// DOAC or fondaparinux may be given, so those need it verified; warfarin and aspirin do not.
TEST(AgentGate, UnknownCreatinineClearanceGatesRenallyClearedAgents) {
  FactsBuilder b;
  b.Imid().Age(70).Sex("female").Weight(70).Platelets(220);
  b.UnknownAsRecorded(&F::mutable_creatinine_mg_dl, "1.9 mmol/dL", "Observation", "cr1",
                      absl::FromCivil(absl::CivilDay(2026, 11, 24), absl::UTCTimeZone()),
                      "unknown unit");
  EXPECT_THAT(SeenForAll(b),
              ElementsAre("enoxaparin:verify", "apixaban:verify", "rivaroxaban:verify",
                          "warfarin:one-click", "fondaparinux:verify", "aspirin:one-click"));
  EXPECT_THAT(Judge("apixaban", b).suggestion.verify_before_ordering(),
              ElementsAre("Creatinine (clearance not computable) recorded as '1.9 mmol/dL' on "
                          "2026-11-24 (Observation/cr1; unknown unit): verify before ordering"));
  // The dose the clinician would verify is still the standard one, with the renal caution.
  EXPECT_EQ(Judge("enoxaparin", b).suggestion.dose_mg(), 40);
  EXPECT_THAT(Judge("enoxaparin", b).suggestion.cautions(), Contains(HasSubstr("30 mg")));
}

// Rules 14, 18, 19: when it is not known whether an anticoagulant is already taken, no new
// anticoagulant (nor aspirin on top of one) is one-click; continuing the current agent is not
// gated by it.
TEST(AgentGate, UnknownExistingAnticoagulationGatesNewAndContinuedAgents) {
  FactsBuilder b = Clean();
  b.SetUnknown(&F::mutable_therapeutic_anticoagulation);
  EXPECT_THAT(SeenForAll(b), Each(HasSubstr(":verify")));
  EXPECT_THAT(Judge("apixaban", b).suggestion.verify_before_ordering(),
              ElementsAre(HasSubstr("Existing anticoagulation not known")));
  // Continuing is prescribing (rule 22): a dose change beside an unclear anticoagulant is a new
  // order, so it is verified too.
  EXPECT_THAT(Judge("enoxaparin", b, AgentUse::kContinue).suggestion.verify_before_ordering(),
              ElementsAre(HasSubstr("Existing anticoagulation not known")));

  FactsBuilder seen = Clean();
  seen.AnticoagulationOfUnknownIntensity();
  EXPECT_THAT(Judge("rivaroxaban", seen).suggestion.verify_before_ordering(),
              ElementsAre(HasSubstr("recorded as 'eliquis' (MedicationStatement/apixaban")));
}

// Rule 19: an anticoagulant on hold or recently ended gates every new agent, naming the record.
TEST(AgentGate, PossiblyCurrentAnticoagulantGatesNewAgents) {
  const FactsBuilder b = Clean().PossiblyCurrentAnticoagulant("mr-hold");
  EXPECT_THAT(SeenForAll(b), Each(HasSubstr(":verify")));
  EXPECT_THAT(Judge("enoxaparin", b).suggestion.verify_before_ordering(),
              ElementsAre(HasSubstr("(MedicationRequest/mr-hold; order on hold)")));
}

// Rule 16: an allergy removes exactly what it names, with the allergy record as the reason.
TEST(AgentGate, AllergyExcludesWhatItNames) {
  const FactsBuilder heparin =
      Clean().Allergy("Heparin", {"heparin", "enoxaparin", "dalteparin", "tinzaparin"});
  EXPECT_THAT(SeenForAll(heparin),
              ElementsAre("enoxaparin:excluded", "apixaban:one-click", "rivaroxaban:one-click",
                          "warfarin:one-click", "fondaparinux:one-click", "aspirin:one-click"));
  const AgentVerdict enoxaparin = Judge("enoxaparin", heparin);
  EXPECT_THAT(enoxaparin.excluded.reason(), HasSubstr("recorded as 'Heparin'"));
  ASSERT_THAT(enoxaparin.excluded.evidence(), SizeIs(1));
  EXPECT_EQ(enoxaparin.excluded.evidence(0).resource_type(), "AllergyIntolerance");

  EXPECT_THAT(SeenForAll(Clean().Allergy("Eliquis", {"apixaban"})),
              ElementsAre("enoxaparin:one-click", "apixaban:excluded", "rivaroxaban:one-click",
                          "warfarin:one-click", "fondaparinux:one-click", "aspirin:one-click"));
  EXPECT_THAT(SeenForAll(Clean().Allergy("NSAIDs", {"aspirin"})),
              ElementsAre("enoxaparin:one-click", "apixaban:one-click", "rivaroxaban:one-click",
                          "warfarin:one-click", "fondaparinux:one-click", "aspirin:excluded"));
  // A reaction of heparin-induced thrombocytopenia forbids every heparin, whatever it named.
  // (Here the HIT history fact is cleared, so only the allergy record can forbid it.)
  FactsBuilder hit_reaction = Clean().Allergy("Heparin sodium", {"heparin"}, /*hit=*/true);
  hit_reaction.SetAbsent(&F::mutable_hit_history);
  EXPECT_EQ(Judge("enoxaparin", hit_reaction).kind, Kind::kForbidden);
  // The aspirin contraindication fact (aspirin/NSAID allergy or active peptic ulcer) too.
  EXPECT_EQ(Judge("aspirin", Clean().Set(&F::mutable_aspirin_contraindication)).kind,
            Kind::kForbidden);
}

// Policy v1 rule 10 (Lovenox USPI): enoxaparin 30 mg daily below CrCl 30.
TEST(AgentGate, EnoxaparinThirtyMilligramsBelowCrCl30) {
  const AgentVerdict at29 = Judge("enoxaparin", Clean().CrCl(29));
  EXPECT_EQ(at29.kind, Kind::kAllowed);
  EXPECT_EQ(at29.suggestion.dose_mg(), 30);
  EXPECT_TRUE(at29.suggestion.renally_adjusted());
  EXPECT_EQ(at29.suggestion.rxnorm_code(), Rules().enoxaparin_renal.rxnorm_code);
  EXPECT_EQ(Judge("enoxaparin", Clean().CrCl(30)).suggestion.dose_mg(), 40);
}

// Policy v1 rule 10: rivaroxaban not below 30; apixaban not below 15, cautioned 15-29.
TEST(AgentGate, DoacRenalLimits) {
  EXPECT_THAT(SeenForAll(Clean().CrCl(29)),
              ElementsAre("enoxaparin:one-click", "apixaban:one-click", "rivaroxaban:excluded",
                          "warfarin:one-click", "fondaparinux:excluded", "aspirin:one-click"));
  EXPECT_THAT(Judge("rivaroxaban", Clean().CrCl(29)).excluded.reason(), HasSubstr("Xarelto USPI"));
  EXPECT_THAT(Judge("apixaban", Clean().CrCl(29)).suggestion.cautions(),
              ElementsAre(HasSubstr("use with caution")));
  EXPECT_EQ(Judge("apixaban", Clean().CrCl(15)).kind, Kind::kAllowed);
  EXPECT_EQ(Judge("apixaban", Clean().CrCl(14)).kind, Kind::kForbidden);
  EXPECT_THAT(Judge("apixaban", Clean().CrCl(30)).suggestion.cautions(), IsEmpty());
}

// Rule 23 (Lovenox USPI): low body weight is a caution on enoxaparin, by sex.
TEST(AgentGate, EnoxaparinLowBodyWeightCaution) {
  auto cautions = [](const std::string& sex, double kg) {
    FactsBuilder b = Clean();
    b.Sex(sex).Weight(kg);
    const AgentVerdict v = Judge("enoxaparin", b);
    EXPECT_EQ(v.kind, Kind::kAllowed);
    return std::vector<std::string>(v.suggestion.cautions().begin(), v.suggestion.cautions().end());
  };
  EXPECT_THAT(cautions("female", 44), ElementsAre(HasSubstr("Lovenox USPI")));
  EXPECT_THAT(cautions("female", 45), IsEmpty());
  EXPECT_THAT(cautions("male", 56), ElementsAre(HasSubstr("men < 57 kg")));
  EXPECT_THAT(cautions("male", 57), IsEmpty());
}

// Rule 23: dialysis / ESRD excludes the DOACs (not a one-click order; the clearance a formula
// gives on dialysis means nothing) and gives enoxaparin at the renal dose with a caution, even
// when no clearance could be computed.
TEST(AgentGate, DialysisExcludesDoacsAndDosesEnoxaparinForRenalFailure) {
  FactsBuilder b;
  b.Imid().Age(70).Sex("male").Weight(70).Platelets(220).Dialysis();  // CrCl not computable
  EXPECT_THAT(SeenForAll(b),
              ElementsAre("enoxaparin:one-click", "apixaban:excluded", "rivaroxaban:excluded",
                          "warfarin:one-click", "fondaparinux:excluded", "aspirin:one-click"));
  const AgentVerdict enoxaparin = Judge("enoxaparin", b);
  EXPECT_EQ(enoxaparin.suggestion.dose_mg(), 30);
  EXPECT_THAT(enoxaparin.suggestion.cautions(), Contains(HasSubstr("Dialysis")));
  EXPECT_THAT(Judge("apixaban", b).excluded.reason(), HasSubstr("Eliquis USPI"));
}

// Rule 23 (Eliquis, Xarelto USPI section 7): a strong combined CYP3A4 + P-gp inducer excludes
// both DOACs; an inhibitor excludes rivaroxaban and apixaban at 2.5 mg twice daily (the label:
// already at 2.5 mg, avoid), and cautions a higher apixaban dose.
TEST(AgentGate, StrongCyp3a4PgpInteractions) {
  EXPECT_THAT(SeenForAll(Clean().StrongInducer("rifampin")),
              ElementsAre("enoxaparin:one-click", "apixaban:excluded", "rivaroxaban:excluded",
                          "warfarin:one-click", "fondaparinux:one-click", "aspirin:one-click"));
  const FactsBuilder inhibitor = Clean().StrongInhibitor("ketoconazole");
  EXPECT_THAT(SeenForAll(inhibitor),
              ElementsAre("enoxaparin:one-click", "apixaban:excluded", "rivaroxaban:excluded",
                          "warfarin:one-click", "fondaparinux:one-click", "aspirin:one-click"));
  EXPECT_THAT(Judge("apixaban", inhibitor).excluded.reason(), HasSubstr("Eliquis USPI"));
  AgentSpec five = Spec("apixaban");
  five.dose_mg = 5;
  const AgentVerdict at5 = JudgeAgent(five, inhibitor.facts(), Rules());
  EXPECT_EQ(at5.kind, Kind::kAllowed);
  EXPECT_THAT(at5.suggestion.cautions(), ElementsAre(HasSubstr("reduce the dose by 50%")));
}

// Rule 23 (Arixtra USPI): fondaparinux contraindicated below CrCl 30 and weight 50 kg; unknown
// weight needs verification.
TEST(AgentGate, FondaparinuxLimits) {
  EXPECT_EQ(Judge("fondaparinux", Clean().CrCl(29)).kind, Kind::kForbidden);
  EXPECT_THAT(Judge("fondaparinux", Clean().Weight(49)).excluded.reason(),
              HasSubstr("Arixtra USPI"));
  EXPECT_EQ(Judge("fondaparinux", Clean().Weight(50)).kind, Kind::kAllowed);
  FactsBuilder no_weight;
  no_weight.Imid().Sex("female").Platelets(220).CrCl(65);
  EXPECT_THAT(Judge("fondaparinux", no_weight).suggestion.verify_before_ordering(),
              ElementsAre(HasSubstr("Body weight not known")));
}

// Rule 22: continuing is checked like starting (renal dose, allergy), only not against itself.
TEST(AgentGate, ContinuingIsJudgedLikeStarting) {
  const AgentVerdict renal = Judge("enoxaparin", Clean().CrCl(20), AgentUse::kContinue);
  EXPECT_EQ(renal.suggestion.dose_mg(), 30);
  EXPECT_TRUE(renal.suggestion.renally_adjusted());
  EXPECT_EQ(
      Judge("enoxaparin", Clean().Allergy("heparin", {"enoxaparin"}), AgentUse::kContinue).kind,
      Kind::kForbidden);
  EXPECT_THAT(Judge("apixaban", Clean().PossiblyCurrentAnticoagulant(), AgentUse::kContinue)
                  .suggestion.verify_before_ordering(),
              ElementsAre(HasSubstr("Possibly current anticoagulant")));
}

TEST(AgentGate, ForbiddenAgentCarriesEveryReasonAndNoVerifyLines) {
  FactsBuilder b;
  b.Imid().Sex("female").Weight(70).Platelets(30).Allergy("Xarelto", {"rivaroxaban"});
  const AgentVerdict v = Judge("rivaroxaban", b);
  EXPECT_EQ(v.kind, Kind::kForbidden);
  EXPECT_THAT(v.excluded.reason(), AllOf(HasSubstr("Platelets 30"), HasSubstr("'Xarelto'")));
  EXPECT_THAT(v.suggestion.verify_before_ordering(), IsEmpty());
}

TEST(AgentGate, DescribeRegimenNamesDoseAndRecord) {
  v1::DrugExposure drug;
  drug.set_ingredient("enoxaparin");
  drug.set_dose_mg(40);
  drug.set_doses_per_day(1);
  drug.mutable_evidence()->set_resource_type("MedicationRequest");
  drug.mutable_evidence()->set_resource_id("7");
  EXPECT_EQ(DescribeRegimen(drug), "enoxaparin 40 mg once daily (MedicationRequest/7)");
}

TEST(AgentGate, IsHeparinExcludesFondaparinux) {
  EXPECT_TRUE(IsHeparin("enoxaparin"));
  EXPECT_TRUE(IsHeparin("heparin"));
  EXPECT_FALSE(IsHeparin("fondaparinux"));
  EXPECT_FALSE(IsHeparin("apixaban"));
}

}  // namespace
}  // namespace thrombo::risk
