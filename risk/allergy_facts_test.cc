// Copyright 2026 The Thrombo Authors.
// AllergyIntolerance -> DrugAllergy (docs/clinical.md policy v1.1 rule 16).
#include "risk/allergy_facts.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "risk/fact_test_util.h"

namespace thrombo::risk {
namespace {

using testing::Coding;
using ::testing::Contains;
using ::testing::ElementsAre;
using testing::Facts;
using ::testing::IsEmpty;
using testing::kRxNorm;
using testing::kSnomed;
using ::testing::UnorderedElementsAre;
using State = v1::Fact;

v1::ClinicalFacts Read(const std::vector<std::string>& resources) {
  absl::StatusOr<v1::ClinicalFacts> facts = Facts(resources);
  EXPECT_TRUE(facts.ok()) << facts.status();
  return facts.ok() ? *facts : v1::ClinicalFacts();
}

std::string Allergy(const std::string& code_json, const std::string& extra = "") {
  return absl::StrCat(
      R"({"resourceType":"AllergyIntolerance","id":"a",)"
      R"("patient":{"reference":"Patient/p"},"code":)",
      code_json, extra, "}");
}

std::string Codes(const std::string& system, const std::string& code, const std::string& display) {
  return absl::StrCat("{\"coding\":[", Coding(system, code, display), "]}");
}

std::vector<std::string> Excluded(const v1::ClinicalFacts& f) {
  std::vector<std::string> out;
  for (const auto& a : f.drug_allergies()) {
    out.insert(out.end(), a.excluded_ingredients().begin(), a.excluded_ingredients().end());
  }
  return out;
}

// The issue's case: heparin recorded as an AllergyIntolerance with a HIT reaction was ignored.
TEST(AllergyTest, HeparinWithAHitReaction) {
  const v1::ClinicalFacts f = Read({Allergy(
      Codes(kRxNorm, "5224", "heparin"),
      R"(,"reaction":[{"manifestation":[{"text":"Heparin-induced thrombocytopenia"}]}])")});
  ASSERT_EQ(f.drug_allergies_size(), 1);
  EXPECT_THAT(f.drug_allergies(0).excluded_ingredients(),
              UnorderedElementsAre("heparin", "enoxaparin", "dalteparin", "tinzaparin"));
  EXPECT_TRUE(f.drug_allergies(0).heparin_induced_thrombocytopenia());
  EXPECT_EQ(f.drug_allergies(0).evidence().resource_type(), "AllergyIntolerance");
  EXPECT_EQ(f.hit_history().state(), State::PRESENT);
}

TEST(AllergyTest, HitAbbreviationInTheManifestation) {
  const v1::ClinicalFacts f = Read({Allergy(
      R"({"text":"Heparin sodium"})", R"(,"reaction":[{"manifestation":[{"text":"HIT"}]}])")});
  EXPECT_EQ(f.hit_history().state(), State::PRESENT);
}

TEST(AllergyTest, AnyLmwhOrHeparinoidRemovesEveryHeparin) {
  for (const std::string& code :
       {Codes(kRxNorm, "67108", "enoxaparin"), std::string(R"({"text":"Lovenox"})"),
        std::string(R"({"text":"Heparinoids"})"),
        Codes(kSnomed, "294872001", "Allergy to heparin")}) {
    const v1::ClinicalFacts f = Read({Allergy(code)});
    EXPECT_THAT(Excluded(f),
                UnorderedElementsAre("heparin", "enoxaparin", "dalteparin", "tinzaparin"))
        << code;
    EXPECT_EQ(f.hit_history().state(), State::ABSENT) << code;
  }
}

TEST(AllergyTest, AspirinOrNsaidRemovesAspirin) {
  for (const std::string& code :
       {Codes(kRxNorm, "1191", "aspirin"), std::string(R"({"text":"Ibuprofen"})"),
        std::string(R"({"text":"NSAIDs"})"), Codes(kSnomed, "293586001", "Allergy to aspirin")}) {
    const v1::ClinicalFacts f = Read({Allergy(code)});
    EXPECT_THAT(Excluded(f), ElementsAre("aspirin")) << code;
    EXPECT_EQ(f.aspirin_contraindication().state(), State::PRESENT) << code;
  }
}

TEST(AllergyTest, ADoacRemovesThatDoac) {
  const v1::ClinicalFacts f = Read({Allergy(R"({"text":"Eliquis"})")});
  EXPECT_THAT(Excluded(f), ElementsAre("apixaban"));
}

TEST(AllergyTest, TheReactionSubstanceIsRead) {
  const v1::ClinicalFacts f = Read({Allergy(
      R"({"text":"Anticoagulant"})", R"(,"reaction":[{"substance":{"text":"dalteparin"}}])")});
  EXPECT_THAT(Excluded(f),
              UnorderedElementsAre("heparin", "enoxaparin", "dalteparin", "tinzaparin"));
}

TEST(AllergyTest, RefutedResolvedAndErroneousRecordsDoNotCount) {
  const std::string ver = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";
  const std::string clin = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
  for (const std::string& status : {absl::StrCat(R"(,"verificationStatus":{"coding":[{"system":")",
                                                 ver, R"(","code":"refuted"}]})"),
                                    absl::StrCat(R"(,"verificationStatus":{"coding":[{"system":")",
                                                 ver, R"(","code":"entered-in-error"}]})"),
                                    absl::StrCat(R"(,"clinicalStatus":{"coding":[{"system":")",
                                                 clin, R"(","code":"resolved"}]})")}) {
    const v1::ClinicalFacts f = Read({Allergy(R"({"text":"heparin"})", status)});
    EXPECT_THAT(f.drug_allergies(), IsEmpty()) << status;
  }
}

// "inactive" alone does not lift an allergy (rule 16 names refuted, resolved and
// entered-in-error only); nor does "unconfirmed": neither says the risk is gone.
TEST(AllergyTest, InactiveOrUnconfirmedRecordsStillCount) {
  const std::string ver = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";
  const std::string clin = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
  for (const std::string& status : {absl::StrCat(R"(,"clinicalStatus":{"coding":[{"system":")",
                                                 clin, R"(","code":"inactive"}]})"),
                                    absl::StrCat(R"(,"verificationStatus":{"coding":[{"system":")",
                                                 ver, R"(","code":"unconfirmed"}]})")}) {
    const v1::ClinicalFacts f = Read({Allergy(R"({"text":"heparin"})", status)});
    ASSERT_EQ(f.drug_allergies_size(), 1) << status;
    EXPECT_THAT(f.drug_allergies(0).excluded_ingredients(), Contains("enoxaparin")) << status;
  }
}

TEST(AllergyTest, AnUnrecognisedSubstanceAddsNothing) {
  EXPECT_THAT(Read({Allergy(R"({"text":"Penicillin"})")}).drug_allergies(), IsEmpty());
}

}  // namespace
}  // namespace thrombo::risk
