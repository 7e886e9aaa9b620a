// Copyright 2026 The Thrombo Authors.
// Terminology over the default policy: code before text, word-boundary text, ICD prefixes,
// SNOMED, LOINC, ATC, unknown systems, investigational flag.
#include "risk/terminology.h"

#include <array>
#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "risk/policy.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::risk {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::thrombo::testing::IsOk;
using ::thrombo::testing::StatusIs;

constexpr char kRx[] = "http://www.nlm.nih.gov/research/umls/rxnorm";
constexpr char kIcd[] = "http://hl7.org/fhir/sid/icd-10-cm";
constexpr char kSct[] = "http://snomed.info/sct";

fhir::r4::CodeableConcept Concept(std::initializer_list<std::array<const char*, 3>> codings,
                                  const std::string& text = "") {
  fhir::r4::CodeableConcept cc;
  for (const auto& [system, code, display] : codings) {
    fhir::r4::Coding* c = cc.add_coding();
    c->set_system(system);
    c->set_code(code);
    c->set_display(display);
  }
  cc.set_text(text);
  return cc;
}

fhir::r4::CodeableConcept Text(const std::string& text) { return Concept({}, text); }

const Terminology& Default() {
  static const Terminology* const t = Terminology::Create(DefaultPolicy())->release();
  return *t;
}

std::vector<std::string> Ingredients(const std::vector<DrugMatch>& matches) {
  std::vector<std::string> out;
  for (const DrugMatch& m : matches) out.push_back(m.concept->ingredient());
  return out;
}

std::vector<v1::ConditionRole> Roles(const std::vector<ConditionMatch>& matches) {
  std::vector<v1::ConditionRole> out;
  for (const ConditionMatch& m : matches) out.push_back(m.concept->role());
  return out;
}

TEST(MatchDrugTest, IngredientCode) {
  // A code match's text points into the coding: the concept is kept while it is read.
  const fhir::r4::CodeableConcept concept = Concept({{kRx, "342369", "lenalidomide"}});
  const auto m = Default().MatchDrug(concept);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].concept->ingredient(), "lenalidomide");
  EXPECT_EQ(m[0].concept->role(), v1::IMID);
  EXPECT_EQ(m[0].source, MatchSource::kCode);
  EXPECT_EQ(m[0].matched.ToString(), std::string(kRx) + "|342369");
  EXPECT_EQ(m[0].strength_mg, 0);
}

TEST(MatchDrugTest, ScdCarriesStrength) {
  const fhir::r4::CodeableConcept concept =
      Concept({{kRx, "643720", "lenalidomide 25 MG Oral Capsule"}});
  const auto m = Default().MatchDrug(concept);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].strength_mg, 25);
  EXPECT_EQ(m[0].matched.ToString(), std::string(kRx) + "|643720");
}

TEST(MatchDrugTest, SbdAndEnoxaparinSyringeStrength) {
  auto m = Default().MatchDrug(Concept({{kRx, "643722", "lenalidomide 25 MG Oral Capsule [Revlimid]"}}));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].concept->ingredient(), "lenalidomide");
  EXPECT_EQ(m[0].strength_mg, 25);
  m = Default().MatchDrug(Concept({{kRx, "854235", ""}}));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].concept->role(), v1::LMWH);
  EXPECT_EQ(m[0].strength_mg, 40);
}

TEST(MatchDrugTest, IngredientAndProductOnceWithProductStrength) {
  const auto m = Default().MatchDrug(Concept(
      {{kRx, "3264", "dexamethasone"}, {kRx, "197582", "dexamethasone 4 MG Oral Tablet"}}));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].concept->role(), v1::DEXAMETHASONE);
  EXPECT_EQ(m[0].strength_mg, 4);
}

TEST(MatchDrugTest, SyntheaProducts) {
  EXPECT_THAT(Ingredients(Default().MatchDrug(Concept({{kRx, "855332", "Warfarin Sodium 5 MG Oral Tablet"}}))),
              ElementsAre("warfarin"));
  EXPECT_THAT(Ingredients(Default().MatchDrug(Concept({{kRx, "205923", "Epogen"}}))),
              ElementsAre("epoetin alfa"));
  EXPECT_THAT(Ingredients(Default().MatchDrug(Concept({{kRx, "1534809", "EE patch"}}))),
              ElementsAre("ethinyl estradiol"));
}

TEST(MatchDrugTest, AtcCode) {
  const auto m = Default().MatchDrug(Concept({{"http://www.whocc.no/atc", "B01AF02", "apixaban"}}));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].concept->ingredient(), "apixaban");
  EXPECT_EQ(m[0].source, MatchSource::kCode);
}

TEST(MatchDrugTest, BrandTextCaseInsensitive) {
  const auto m = Default().MatchDrug(Text("REVLIMID 25 mg capsule"));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].concept->ingredient(), "lenalidomide");
  EXPECT_EQ(m[0].source, MatchSource::kText);
  EXPECT_EQ(m[0].matched.ToString(), "revlimid");
  EXPECT_EQ(m[0].strength_mg, 0);
}

TEST(MatchDrugTest, GenericTextInDisplay) {
  const auto m = Default().MatchDrug(Concept({{"urn:oid:local", "X1", "Pomalidomide 4mg cap"}}));
  EXPECT_THAT(Ingredients(m), ElementsAre("pomalidomide"));
}

TEST(MatchDrugTest, WordBoundary) {
  EXPECT_THAT(Default().MatchDrug(Text("pomalidomidex 4 mg")), IsEmpty());
  EXPECT_THAT(Default().MatchDrug(Text("xpomalidomide")), IsEmpty());
  EXPECT_THAT(Ingredients(Default().MatchDrug(Text("pomalidomide-4mg"))), ElementsAre("pomalidomide"));
}

TEST(MatchDrugTest, MultiWordTermsAndLongestFirst) {
  EXPECT_THAT(Ingredients(Default().MatchDrug(Text("Epoetin Alfa 10,000 units"))),
              ElementsAre("epoetin alfa"));
  EXPECT_THAT(Ingredients(Default().MatchDrug(Text("Conjugated  Estrogens 0.625 mg"))),
              ElementsAre("conjugated estrogens"));
  // "epoetin beta" is a longer term than "epoetin" and belongs to another ingredient.
  EXPECT_THAT(Ingredients(Default().MatchDrug(Text("epoetin beta"))),
              ElementsAre("methoxy polyethylene glycol-epoetin beta"));
  // Two ingredients in one text; each once.
  EXPECT_THAT(Ingredients(Default().MatchDrug(Text("Lenalidomide + dexamethasone; lenalidomide"))),
              ElementsAre("lenalidomide", "dexamethasone"));
}

TEST(MatchDrugTest, CodeBeforeText) {
  // The code says warfarin; the text names aspirin. Only the code counts.
  const auto m = Default().MatchDrug(Concept({{kRx, "855288", "warfarin sodium 1 MG"}}, "aspirin"));
  EXPECT_THAT(Ingredients(m), ElementsAre("warfarin"));
  EXPECT_EQ(m[0].source, MatchSource::kCode);
}

TEST(MatchDrugTest, UnknownSystemFallsBackToText) {
  const auto m = Default().MatchDrug(
      Concept({{"http://hl7.org/fhir/sid/ndc", "59572-0410-00", "Revlimid 10 MG"}}));
  EXPECT_THAT(Ingredients(m), ElementsAre("lenalidomide"));
  EXPECT_EQ(m[0].source, MatchSource::kText);
}

TEST(MatchDrugTest, UnknownCodeInKnownSystemFallsBackToText) {
  const auto m = Default().MatchDrug(
      Concept({{kRx, "999999999", "levonorgestrel 0.15 MG / ethinyl estradiol 0.03 MG Oral Tablet"}}));
  EXPECT_THAT(Ingredients(m), ElementsAre("ethinyl estradiol"));
}

TEST(MatchDrugTest, NoMatch) {
  EXPECT_THAT(Default().MatchDrug(Concept({{kRx, "314076", "lisinopril 10 MG Oral Tablet"}})), IsEmpty());
  EXPECT_THAT(Default().MatchDrug(fhir::r4::CodeableConcept()), IsEmpty());
}

TEST(MatchDrugTest, InvestigationalOnlyBehindFlag) {
  EXPECT_THAT(Default().MatchDrug(Text("iberdomide 1.3 mg")), IsEmpty());
  v1::Policy policy = DefaultPolicy();
  policy.mutable_features()->set_investigational_celmods_as_imid(true);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Terminology> t, Terminology::Create(policy));
  const auto m = t->MatchDrug(Text("Iberdomide 1.3 mg"));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].concept->role(), v1::IMID);
}

TEST(MatchConditionTest, IcdPrefixWithAndWithoutDot) {
  EXPECT_THAT(Roles(Default().MatchCondition(Concept({{kIcd, "I82.401", ""}}))), ElementsAre(v1::VTE));
  EXPECT_THAT(Roles(Default().MatchCondition(Concept({{kIcd, "I82401", ""}}))), ElementsAre(v1::VTE));
  EXPECT_THAT(Roles(Default().MatchCondition(Concept({{kIcd, "c90.02", ""}}))),
              ElementsAre(v1::MULTIPLE_MYELOMA));
  // I82.3 (renal vein) is not in the set; I82.4 prefix must not match I82.3.
  EXPECT_THAT(Default().MatchCondition(Concept({{kIcd, "I82.3", ""}})), IsEmpty());
  // The coding as the record wrote it (with its dot), not the key it matched.
  const fhir::r4::CodeableConcept concept = Concept({{kIcd, "I82.401", ""}});
  const auto m = Default().MatchCondition(concept);
  EXPECT_EQ(m[0].matched.ToString(), std::string(kIcd) + "|I82.401");
}

TEST(MatchConditionTest, IcdExactIsNotPrefix) {
  EXPECT_THAT(Roles(Default().MatchCondition(Concept({{kIcd, "I26.99", ""}}))), ElementsAre(v1::VTE));
  EXPECT_THAT(Default().MatchCondition(Concept({{kIcd, "I26.90", ""}})), IsEmpty());
}

TEST(MatchConditionTest, CodeInTwoGroups) {
  EXPECT_THAT(Roles(Default().MatchCondition(Concept({{kSct, "127013003", ""}}))),
              ElementsAre(v1::CKD, v1::DIABETES));
  EXPECT_THAT(Roles(Default().MatchCondition(Concept({{kIcd, "I21.4", ""}}))),
              ElementsAre(v1::CARDIAC_DISEASE, v1::MYOCARDIAL_INFARCTION));
}

TEST(MatchConditionTest, SnomedExact) {
  EXPECT_THAT(Roles(Default().MatchCondition(Concept({{kSct, "132281000119108", ""}}))),
              ElementsAre(v1::VTE));
  EXPECT_THAT(Roles(Default().MatchCondition(Concept({{kSct, "449868002", "Current every day smoker"}}))),
              ElementsAre(v1::TOBACCO_USE));
  EXPECT_THAT(Default().MatchCondition(Concept({{kSct, "1099", "Multiple"}})), IsEmpty());
}

TEST(MatchConditionTest, TextFallbackAndFormerSmoker) {
  EXPECT_THAT(Roles(Default().MatchCondition(Text("History of deep vein thrombosis"))),
              ElementsAre(v1::VTE));
  EXPECT_THAT(Default().MatchCondition(Concept({{kSct, "8517006", "Former smoker"}})), IsEmpty());
}

TEST(MatchProcedureTest, CodeTextAndSuffix) {
  auto m = Default().MatchProcedure(Concept({{kSct, "442309004", ""}}));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].concept->role(), v1::CVC_INSERTION);
  m = Default().MatchProcedure(Text("Laparoscopic cholecystectomy"));
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].concept->role(), v1::SURGERY);
  EXPECT_EQ(m[0].matched.ToString(), "cholecystectomy");
  EXPECT_THAT(Default().MatchProcedure(Text("Phlebotomy")), IsEmpty());
  EXPECT_THAT(Default().MatchProcedure(Text("ectomy")), IsEmpty());
}

// A suffix match's word was lower-cased into a buffer of the matcher's own: its text must not
// point there, nor into the concept, which may be gone before the evidence is written.
TEST(MatchProcedureTest, SuffixMatchKeepsItsOwnText) {
  std::vector<ProcedureMatch> m;
  {
    const fhir::r4::CodeableConcept concept = Text("EMERGENCY APPENDICECTOMY, OPEN");
    m = Default().MatchProcedure(concept);
  }
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].source, MatchSource::kText);
  EXPECT_EQ(m[0].matched.ToString(), "appendicectomy");
}

TEST(MatchedTextTest, CodeTermAndOwnedText) {
  const MatchedText code = MatchedText::Code(kIcd, "I82.401");
  EXPECT_EQ(code.ToString(), std::string(kIcd) + "|I82.401");
  EXPECT_TRUE(code.IsCode(kIcd, "I82.401"));
  EXPECT_FALSE(code.IsCode(kIcd, "I82401"));
  EXPECT_FALSE(code.IsCode(kSct, "I82.401"));
  EXPECT_EQ(MatchedText::Term("revlimid").ToString(), "revlimid");
  EXPECT_FALSE(MatchedText::Term("revlimid").IsCode("revlimid", ""));
  EXPECT_EQ(MatchedText::Owned("appendicectomy").ToString(), "appendicectomy");
  EXPECT_EQ(MatchedText().ToString(), "");
}

TEST(MatchLabTest, LoincExactNeverText) {
  EXPECT_EQ(Default().MatchLab(Concept({{"http://loinc.org", "777-3", ""}})), v1::PLATELETS);
  EXPECT_EQ(Default().MatchLab(Concept({{"http://loinc.org", "38483-4", ""}})), v1::CREATININE);
  EXPECT_EQ(Default().MatchLab(Concept({{"http://loinc.org", "33914-3", ""}})), v1::EGFR);
  EXPECT_EQ(Default().MatchLab(Text("Platelets")), std::nullopt);
  EXPECT_EQ(Default().MatchLab(Concept({{"http://snomed.info/sct", "777-3", ""}})), std::nullopt);
}

TEST(TerminologyTest, TokensAndRace) {
  const std::vector<std::string> tokens = Default().ObservationCodeTokens();
  EXPECT_THAT(tokens, ::testing::Contains("http://loinc.org|777-3"));
  EXPECT_EQ(Default().race().asian_code(), "2028-9");
}

TEST(TerminologyTest, CreateRejectsInvalidPolicy) {
  v1::Policy policy = DefaultPolicy();
  policy.clear_version();
  EXPECT_THAT(Terminology::Create(policy), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace thrombo::risk
