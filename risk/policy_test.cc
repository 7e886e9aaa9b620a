// Copyright 2026 The Thrombo Authors.
// The default policy loads and validates; every validation error names the bad field's path.
#include "risk/policy.h"

#include <cstdlib>
#include <functional>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::risk {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::thrombo::testing::IsOk;
using ::thrombo::testing::StatusIs;

TEST(DefaultPolicyTest, LoadsAndValidates) {
  const v1::Policy& policy = DefaultPolicy();
  EXPECT_EQ(policy.version(), "policy-v1.1");
  EXPECT_THAT(ValidatePolicy(policy), IsOk());
  EXPECT_GT(policy.drug_size(), 30);
  EXPECT_EQ(policy.lab_size(), 7);
  // Spot checks against docs/clinical.md §0 / §2.
  EXPECT_EQ(policy.impede().imid_points(), 4);
  EXPECT_EQ(policy.impede().therapeutic_anticoagulation_points(), -4);
  EXPECT_EQ(policy.impede().tier_high_min(), 8);
  EXPECT_EQ(policy.saved().high_min(), 2);
  EXPECT_EQ(policy.imwg().high_dose_dex_min_mg_per_28d(), 480);
  EXPECT_EQ(policy.hard_stop().platelets_below(), 50);
  EXPECT_EQ(policy.decision().deciding_model(), v1::NCCN_COMBINED);
  EXPECT_EQ(policy.agents().anticoagulant(0).ingredient(), "enoxaparin");
  EXPECT_EQ(policy.agents().anticoagulant(0).product(0).code(), "854235");
}

TEST(DefaultPolicyTest, EmbeddedTextEqualsTheFile) {
  const std::string path =
      std::string(getenv("TEST_SRCDIR")) + "/" + getenv("TEST_WORKSPACE") +
      "/risk/default_policy.textproto";
  absl::StatusOr<v1::Policy> from_file = LoadPolicyFromFile(path);
  ASSERT_THAT(from_file, IsOk());
  EXPECT_EQ(from_file->SerializeAsString(), DefaultPolicy().SerializeAsString());
}

TEST(LoadPolicyTest, MissingFileIsNotFound) {
  EXPECT_THAT(LoadPolicyFromFile("/nonexistent/policy.textproto"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(LoadPolicyTest, SyntaxErrorNamesLineAndColumn) {
  EXPECT_THAT(LoadPolicyFromTextproto("version: \"x\"\nimpede {\n  imid_points: four\n}\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith("line 3, column 16:")));
}

TEST(LoadPolicyTest, UnknownFieldNamesLine) {
  EXPECT_THAT(LoadPolicyFromTextproto("version: \"x\"\nno_such_field: 1\n"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::AllOf(StartsWith("line 2,"), HasSubstr("no_such_field"))));
}

TEST(LoadPolicyTest, UnknownEnumNameIsAParseError) {
  EXPECT_THAT(LoadPolicyFromTextproto("drug { ingredient: \"x\" role: NOT_A_ROLE }"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::AllOf(StartsWith("line 1,"), HasSubstr("NOT_A_ROLE"))));
}

// One mutation of the default policy and the message it must produce.
struct BadCase {
  const char* name;
  std::function<void(v1::Policy*)> mutate;
  const char* message;  // the error must start with this (the path comes first)
};

class ValidatePolicyTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ValidatePolicyTest, NamesThePath) {
  v1::Policy policy = DefaultPolicy();
  GetParam().mutate(&policy);
  EXPECT_THAT(ValidatePolicy(policy),
              StatusIs(absl::StatusCode::kInvalidArgument, StartsWith(GetParam().message)));
}

int DrugIndex(const v1::Policy& p, const std::string& ingredient) {
  for (int i = 0; i < p.drug_size(); ++i) {
    if (p.drug(i).ingredient() == ingredient) return i;
  }
  return -1;
}

const BadCase kBadCases[] = {
    {"EmptyVersion", [](v1::Policy* p) { p->clear_version(); }, "version: empty"},
    {"CodeSystemEmpty", [](v1::Policy* p) { p->mutable_drug(5)->mutable_code(1)->clear_system(); },
     "drug[5].code[1].system: empty"},
    {"CodeSystemNotUri",
     [](v1::Policy* p) { p->mutable_drug(0)->mutable_code(0)->set_system("rxnorm"); },
     "drug[0].code[0].system: 'rxnorm' is not a URI"},
    {"CodeEmpty", [](v1::Policy* p) { p->mutable_drug(0)->mutable_code(2)->clear_code(); },
     "drug[0].code[2].code: empty"},
    {"SourceEmpty", [](v1::Policy* p) { p->mutable_drug(1)->mutable_code(0)->clear_source(); },
     "drug[1].code[0].source: empty"},
    {"PrefixOnRxNorm",
     [](v1::Policy* p) { p->mutable_drug(0)->mutable_code(0)->set_prefix(true); },
     "drug[0].code[0].prefix: only ICD-10-CM"},
    {"NegativeStrength",
     [](v1::Policy* p) { p->mutable_drug(0)->mutable_code(2)->set_strength_mg(-1); },
     "drug[0].code[2].strength_mg: must be"},
    {"TierOrder", [](v1::Policy* p) { p->mutable_impede()->set_tier_high_min(4); },
     "impede.tier_high_min: must be > tier_intermediate_min"},
    {"ProtectiveSign", [](v1::Policy* p) { p->mutable_impede()->set_asian_points(3); },
     "impede.asian_points: must be <= 0"},
    {"SavedDexOrder",
     [](v1::Policy* p) { p->mutable_saved()->set_dex_high_above_mg_per_cycle(100); },
     "saved.dex_high_above_mg_per_cycle: must be > dex_standard_min_mg_per_cycle"},
    {"UnknownDrugRole",
     [](v1::Policy* p) { p->mutable_drug(2)->set_role(static_cast<v1::DrugRole>(99)); },
     "drug[2].role: unknown or unspecified (99)"},
    {"UnspecifiedConditionRole",
     [](v1::Policy* p) { p->mutable_condition(1)->set_role(v1::CONDITION_ROLE_UNSPECIFIED); },
     "condition[1].role: unknown or unspecified (0)"},
    {"DuplicateConditionRole",
     [](v1::Policy* p) { p->mutable_condition(2)->set_role(p->condition(1).role()); },
     "condition[2].role: VTE duplicates condition[1]"},
    {"UnspecifiedProcedureRole",
     [](v1::Policy* p) { p->mutable_procedure(1)->set_role(v1::PROCEDURE_ROLE_UNSPECIFIED); },
     "procedure[1].role: unknown or unspecified (0)"},
    {"DuplicateProcedureRole",
     [](v1::Policy* p) { p->mutable_procedure(1)->set_role(p->procedure(0).role()); },
     "procedure[1].role: SURGERY duplicates procedure[0]"},
    {"DeciderUnspecified",
     [](v1::Policy* p) { p->mutable_decision()->clear_deciding_model(); },
     "decision.deciding_model: unknown or unspecified (0)"},
    {"DuplicateCodeAcrossIngredients",
     // drug[3] is iberdomide, which has text only.
     [](v1::Policy* p) { *p->mutable_drug(3)->add_code() = p->drug(0).code(0); },
     "drug[3].code[0]: http://www.nlm.nih.gov/research/umls/rxnorm|342369 already claimed by "
     "drug[0].code[0] (lenalidomide)"},
    {"DuplicateTextAcrossIngredients",
     [](v1::Policy* p) { p->mutable_drug(1)->add_text("REVLIMID"); },
     "drug[1].text[2]: 'REVLIMID' already used by drug[0].text[1] (lenalidomide)"},
    {"IngredientCase", [](v1::Policy* p) { p->mutable_drug(0)->set_ingredient("Lenalidomide"); },
     "drug[0].ingredient: must be lower case"},
    {"DuplicateIngredient",
     [](v1::Policy* p) { p->mutable_drug(1)->set_ingredient(p->drug(0).ingredient()); },
     "drug[1].ingredient: 'lenalidomide' duplicates drug[0]"},
    {"InvestigationalNotImid",
     [](v1::Policy* p) { p->mutable_drug(DrugIndex(*p, "aspirin"))->set_investigational(true); },
     "drug["},
    {"TermWithoutWords", [](v1::Policy* p) { p->mutable_condition(0)->add_text(" - "); },
     "condition[0].text[3]: has no words"},
    {"MissingLabKind", [](v1::Policy* p) { p->mutable_lab()->RemoveLast(); },
     "lab: no BODY_HEIGHT entry"},
    {"LabPrefix", [](v1::Policy* p) { p->mutable_lab(0)->mutable_code(0)->set_prefix(true); },
     "lab[0].code[0].prefix"},
    {"IcdTooShort",
     [](v1::Policy* p) { p->mutable_condition(0)->mutable_code(0)->set_code("C9"); },
     "condition[0].code[0].code: an ICD-10-CM code has at least 3 characters"},
    {"AgentUnknownIngredient",
     [](v1::Policy* p) { p->mutable_agents()->mutable_anticoagulant(1)->set_ingredient("apixabn"); },
     "agents.anticoagulant[1].ingredient: 'apixabn' is not a drug ingredient"},
    {"AgentWrongRole",
     [](v1::Policy* p) { p->mutable_agents()->mutable_aspirin()->set_role(v1::DOAC); },
     "agents.aspirin.role: DOAC differs from drug 'aspirin' (ASPIRIN)"},
    {"AgentProductNotOfIngredient",
     [](v1::Policy* p) {
       p->mutable_agents()->mutable_anticoagulant(0)->mutable_product(0)->set_code("1364435");
     },
     "agents.anticoagulant[0].product[0]: 1364435 is not a code of drug 'enoxaparin'"},
    {"AgentRoute", [](v1::Policy* p) { p->mutable_agents()->mutable_warfarin()->set_route("oral"); },
     "agents.warfarin.route: must be \"SC\" or \"PO\""},
    {"AgentMissing", [](v1::Policy* p) { p->mutable_agents()->clear_aspirin(); },
     "agents.aspirin: missing"},
    {"RenalOrder",
     [](v1::Policy* p) { p->mutable_renal()->set_apixaban_caution_below_crcl(10); },
     "renal.apixaban_caution_below_crcl: must be >= apixaban_min_crcl"},
    {"RaceEmpty", [](v1::Policy* p) { p->mutable_race()->clear_asian_code(); },
     "race.asian_code: empty"},
    {"SuffixNotAWord",
     [](v1::Policy* p) { p->mutable_procedure(0)->add_text_suffix("Ectomy"); },
     "procedure[0].text_suffix[5]: must be one lower-case word"},
    {"LowPlateletsShorterThanReassurance",
     [](v1::Policy* p) { p->mutable_lookback()->set_platelets_low_days(7); },
     "lookback.platelets_low_days: must be >= platelets_days"},
    {"NoPossiblyCurrentWindow",
     [](v1::Policy* p) { p->mutable_lookback()->clear_possibly_current_days(); },
     "lookback.possibly_current_days: must be > 0"},
    {"CeilingForANonAnticoagulant",
     [](v1::Policy* p) { p->mutable_intensity()->mutable_ceiling(0)->set_ingredient("aspirin"); },
     "intensity.ceiling[0].ingredient: 'aspirin' is not an anticoagulant"},
    {"CeilingDayBelowDose",
     [](v1::Policy* p) { p->mutable_intensity()->mutable_ceiling(0)->set_max_per_day(1); },
     "intensity.ceiling[0].max_per_day: must be >= max_per_dose"},
    {"AnticoagulantWithoutCeiling",
     [](v1::Policy* p) { p->mutable_intensity()->mutable_ceiling()->RemoveLast(); },
     "intensity: no ceiling and not always_therapeutic"},
    {"NoFlushWords", [](v1::Policy* p) { p->mutable_flush()->clear_text(); }, "flush.text: empty"},
    {"NoFlushDose", [](v1::Policy* p) { p->mutable_flush()->clear_max_units_per_dose(); },
     "flush.max_units_per_dose: must be > 0"},
};

INSTANTIATE_TEST_SUITE_P(BadPolicies, ValidatePolicyTest, ::testing::ValuesIn(kBadCases),
                         [](const ::testing::TestParamInfo<BadCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(NormalizeTest, WordsAndIcd) {
  EXPECT_THAT(NormalizedWords("Epoetin Alfa-epbx 4000 UNT/ML"),
              ::testing::ElementsAre("epoetin", "alfa", "epbx", "4000", "unt", "ml"));
  EXPECT_THAT(NormalizedWords("  "), ::testing::IsEmpty());
  EXPECT_EQ(NormalizeIcd10Code("i82.401"), "I82401");
}

}  // namespace
}  // namespace thrombo::risk
