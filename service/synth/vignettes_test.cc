// Copyright 2026 The Thrombo Authors.
// The §10 vignettes carry the facts of their table rows, read back from the generated Bundles.
#include "service/synth/vignettes.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/fhir/r4/resources.pb.h"
#include "risk/dex_dose.h"
#include "risk/dosing_text.h"
#include "service/synth/bundle_builder.h"
#include "service/synth/bundle_checks.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::synth {
namespace {

using fhir::r4::Bundle;
using ::testing::IsEmpty;

absl::Time Now() {
  return absl::FromCivil(absl::CivilSecond(2026, 6, 1, 12, 0, 0), absl::UTCTimeZone());
}

double Number(const fhir::r4::Decimal& d) {
  double v = 0;
  EXPECT_TRUE(absl::SimpleAtod(d.value(), &v)) << d.value();
  return v;
}

// The value and unit of the first Observation with `loinc`.
std::optional<std::pair<double, std::string>> ObservationValue(const Bundle& b,
                                                               const std::string& loinc) {
  for (const auto& e : b.entry()) {
    if (!e.resource().has_observation()) continue;
    const fhir::r4::Observation& o = e.resource().observation();
    if (o.code().coding(0).code() != loinc) continue;
    return std::make_pair(Number(o.value_quantity().value()), o.value_quantity().code());
  }
  return std::nullopt;
}

int AgeAt(const fhir::r4::Date& birth, absl::Time now) {
  const absl::CivilDay born = absl::ToCivilDay(absl::FromUnixMicros(birth.value_us()),
                                               absl::UTCTimeZone());
  const absl::CivilDay today = absl::ToCivilDay(now, absl::UTCTimeZone());
  int age = static_cast<int>(today.year() - born.year());
  if (today.month() < born.month() || (today.month() == born.month() && today.day() < born.day())) {
    --age;
  }
  return age;
}

// Cockcroft-Gault from what the bundle says (docs/clinical.md §0 rule 10), creatinine converted from
// umol/L at 88.4 umol/L per mg/dL.
double CrClFromBundle(const Bundle& b) {
  const fhir::r4::Patient& p = b.entry(0).resource().patient();
  const auto weight = ObservationValue(b, "29463-7");
  const auto creat = ObservationValue(b, "2160-0");
  EXPECT_TRUE(weight && creat);
  if (!weight || !creat) return -1;
  const double mg_dl = creat->second == "umol/L" ? creat->first / 88.4 : creat->first;
  const double crcl = (140 - AgeAt(p.birth_date(), Now())) * weight->first / (72 * mg_dl);
  return p.gender() == fhir::r4::AdministrativeGenderCode::FEMALE ? crcl * 0.85 : crcl;
}

class VignettesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const NamedScenario& v : Vignettes(Now())) {
      ASSERT_OK_AND_ASSIGN(Bundle b, BuildBundle(v.scenario));
      bundles_.push_back(std::move(b));
      names_.push_back(v.name);
    }
  }
  const Bundle& Vignette(int n) const { return bundles_[n - 1]; }

  std::vector<Bundle> bundles_;
  std::vector<std::string> names_;
};

TEST_F(VignettesTest, EightDistinctValidBundles) {
  ASSERT_EQ(bundles_.size(), 8u);
  EXPECT_EQ(std::set<std::string>(names_.begin(), names_.end()).size(), 8u);
  for (size_t i = 0; i < bundles_.size(); ++i) {
    EXPECT_THAT(UnresolvedReferences(bundles_[i]), IsEmpty()) << names_[i];
    EXPECT_EQ(names_[i].rfind("vignette-" + std::to_string(i + 1) + "-", 0), 0u) << names_[i];
  }
}

TEST_F(VignettesTest, AgeSexAndRaceAsStated) {
  const int ages[] = {70, 68, 66, 74, 78, 69, 81, 72};
  const bool female[] = {true, false, true, false, true, false, false, false};
  const char* races[] = {"2106-3", "2054-5", "2028-9", "2106-3",
                         "2106-3", "2106-3", "2106-3", "2054-5"};
  for (int n = 1; n <= 8; ++n) {
    const fhir::r4::Patient& p = Vignette(n).entry(0).resource().patient();
    EXPECT_EQ(AgeAt(p.birth_date(), Now()), ages[n - 1]) << n;
    EXPECT_EQ(p.gender() == fhir::r4::AdministrativeGenderCode::FEMALE, female[n - 1]) << n;
    EXPECT_EQ(p.extension(0).extension(0).value_coding().code(), races[n - 1]) << n;
  }
}

TEST_F(VignettesTest, BmiAsStatedAndConsistentWithWeightAndHeight) {
  const double bmis[] = {24.0, 31.0, 23.5, 29.0, 26.0, 28.0, 22.0, 30.5};
  for (int n = 1; n <= 8; ++n) {
    const auto bmi = ObservationValue(Vignette(n), "39156-5");
    const auto kg = ObservationValue(Vignette(n), "29463-7");
    const auto cm = ObservationValue(Vignette(n), "8302-2");
    ASSERT_TRUE(bmi && kg && cm) << n;
    EXPECT_DOUBLE_EQ(bmi->first, bmis[n - 1]) << n;
    EXPECT_EQ(bmi->second, "kg/m2");
    const double m = cm->first / 100;
    EXPECT_NEAR(kg->first / (m * m), bmis[n - 1], 0.05) << n;
  }
}

TEST_F(VignettesTest, CockcroftGaultReproducesStatedCrCl) {
  // §10 values; vignette 3 states none, 61.7 is the documented choice.
  const double crcl[] = {65, 90, 61.7, 60, 48, 70, 25, 55};
  for (int n = 1; n <= 8; ++n) {
    EXPECT_NEAR(CrClFromBundle(Vignette(n)), crcl[n - 1], 1.0) << "vignette " << n;
  }
}

TEST_F(VignettesTest, PlateletsAsStated) {
  const std::map<int, double> stated = {{1, 220}, {2, 250}, {4, 200}, {6, 40}, {7, 180}, {8, 150}};
  for (const auto& [n, plt] : stated) {
    const auto value = ObservationValue(Vignette(n), "777-3");
    ASSERT_TRUE(value) << n;
    EXPECT_DOUBLE_EQ(value->first, plt) << n;
    EXPECT_EQ(value->second, "10*9/L");
  }
}

TEST_F(VignettesTest, DiagnosisTiming) {
  for (int n = 1; n <= 8; ++n) {
    const fhir::r4::Condition& mm = Vignette(n).entry(1).resource().condition();
    ASSERT_EQ(mm.code().coding(0).code(), "109989006") << n;
    const absl::Duration ago =
        Now() - absl::FromUnixMicros(mm.onset_date_time().value_us());
    if (n == 6 || n == 8) {
      EXPECT_GT(ago, absl::Hours(24 * 365 * 3)) << n;
      EXPECT_EQ(mm.clinical_status().coding(0).code(), "relapse");
    } else {
      EXPECT_LE(ago, absl::Hours(24 * 182)) << n;  // NDMM: <= 6 months (§10)
    }
  }
}

// Every medication of a vignette, as (code or text, resource type).
std::vector<std::string> MedicationCodes(const Bundle& b) {
  std::vector<std::string> out;
  for (const auto& e : b.entry()) {
    const fhir::r4::CodeableConcept* cc = nullptr;
    if (e.resource().has_medication_request()) {
      const auto& r = e.resource().medication_request();
      cc = r.has_medication_codeable_concept() ? &r.medication_codeable_concept() : nullptr;
      if (r.contained_size() > 0) cc = &r.contained(0).medication().code();
    } else if (e.resource().has_medication_statement()) {
      cc = &e.resource().medication_statement().medication_codeable_concept();
    } else if (e.resource().has_medication()) {
      cc = &e.resource().medication().code();
    }
    if (cc == nullptr) continue;
    out.push_back(cc->coding_size() > 0 ? cc->coding(0).code() : cc->text());
  }
  return out;
}

TEST_F(VignettesTest, ImidCodingStylesAreMixed) {
  using ::testing::Contains;
  EXPECT_THAT(MedicationCodes(Vignette(1)), Contains("643720"));  // SCD
  EXPECT_THAT(MedicationCodes(Vignette(2)), Contains("404449"));  // Thalomid SBD
  EXPECT_THAT(MedicationCodes(Vignette(3)), Contains("Revlimid 25 mg capsule"));  // text only
  EXPECT_THAT(MedicationCodes(Vignette(4)), Contains("643720"));  // contained Medication
  EXPECT_THAT(MedicationCodes(Vignette(5)), Contains("602910"));  // bundled Medication (SCD)
  EXPECT_THAT(MedicationCodes(Vignette(6)), Contains("1369734"));  // pomalidomide SCD (assumed)
  EXPECT_THAT(MedicationCodes(Vignette(7)), Contains("616114"));  // Revlimid 10 mg SBD
  EXPECT_THAT(MedicationCodes(Vignette(8)), Contains("1369713"));  // ingredient
  int contained = 0;
  for (const auto& e : Vignette(4).entry()) {
    if (e.resource().has_medication_request()) {
      contained += e.resource().medication_request().contained_size();
    }
  }
  EXPECT_EQ(contained, 1);
}

TEST_F(VignettesTest, Vignette5IsOnApixaban5Bid) {
  bool found = false;
  for (const auto& e : Vignette(5).entry()) {
    if (!e.resource().has_medication_statement()) continue;
    const auto& st = e.resource().medication_statement();
    EXPECT_EQ(st.status(), fhir::r4::MedicationStatementStatusCode::ACTIVE);
    EXPECT_EQ(st.medication_codeable_concept().coding(0).code(), "1364445");
    EXPECT_EQ(st.dosage(0).timing().repeat().frequency(), 2);
    EXPECT_EQ(st.dosage(0).dose_and_rate(0).dose_quantity().value().value(), "5");
    found = true;
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(Vignette(5).entry(2).resource().condition().code().coding(0).code(), "49436004");
}

TEST_F(VignettesTest, Vignette8HasDarbepoetinAndHemoglobin9) {
  const auto hb = ObservationValue(Vignette(8), "718-7");
  ASSERT_TRUE(hb);
  EXPECT_DOUBLE_EQ(hb->first, 9.0);
  bool found = false;
  for (const auto& e : Vignette(8).entry()) {
    if (!e.resource().has_medication_request()) continue;
    const auto& r = e.resource().medication_request();
    if (r.medication_codeable_concept().coding(0).code() != "283838") continue;
    const auto& d = r.dosage_instruction(0);
    EXPECT_EQ(d.dose_and_rate(0).dose_quantity().value().value(), "500");
    EXPECT_EQ(d.dose_and_rate(0).dose_quantity().code(), "ug");
    EXPECT_EQ(d.timing().repeat().period().value(), "3");
    EXPECT_EQ(d.timing().repeat().period_unit(), fhir::r4::Timing::Repeat::WK);
    found = true;
  }
  EXPECT_TRUE(found);
}

// The dosing texts the vignettes send are understood by the project's text parser and give the
// §10 dexamethasone totals (mg per 28 days).
TEST_F(VignettesTest, DexDosingTextsGiveStatedTotals) {
  const std::map<int, double> dex = {{2, 480}, {3, 160}, {4, 160}, {5, 80}, {6, 160}, {8, 160}};
  for (const auto& [n, mg] : dex) {
    std::string text;
    for (const auto& e : Vignette(n).entry()) {
      if (!e.resource().has_medication_request()) continue;
      const auto& r = e.resource().medication_request();
      const std::string name = r.medication_codeable_concept().coding_size() > 0
                                   ? r.medication_codeable_concept().coding(0).display()
                                   : "";
      if (name.find("dexamethasone") != std::string::npos) text = r.dosage_instruction(0).text();
    }
    ASSERT_FALSE(text.empty()) << n;
    ASSERT_OK_AND_ASSIGN(const risk::TextDosing d, risk::ParseDosingText(text));
    const double per_28 = d.continuous ? d.amount * d.doses_per_period * 28.0 / d.period_days
                                       : d.amount * d.doses * 28.0 / d.cycle_days.value_or(0);
    EXPECT_DOUBLE_EQ(per_28, mg) << n << ": " << text;
  }
}

TEST_F(VignettesTest, Deterministic) {
  const std::vector<NamedScenario> again = Vignettes(Now());
  for (int n = 1; n <= 8; ++n) {
    ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(again[n - 1].scenario));
    EXPECT_THAT(b, ::thrombo::testing::EqualsProto(Vignette(n)));
  }
}

// The whole dex orders (structured, text or both) read by the project's dose arithmetic give the
// §10 totals in mg per 28 days.
TEST_F(VignettesTest, DexOrdersGiveStatedTotalsThroughDoseArithmetic) {
  const double dex[] = {160, 480, 160, 160, 80, 160, 80, 160};
  for (int n = 1; n <= 8; ++n) {
    int seen = 0;
    for (const auto& e : Vignette(n).entry()) {
      if (!e.resource().has_medication_request()) continue;
      const auto& r = e.resource().medication_request();
      if (r.medication_codeable_concept().coding_size() == 0 ||
          r.medication_codeable_concept().coding(0).display().find("dexamethasone") ==
              std::string::npos) {
        continue;
      }
      ++seen;
      ASSERT_OK_AND_ASSIGN(const risk::DexDose d,
                           risk::DoseFromMedicationRequest(r, risk::DoseContext{}));
      ASSERT_TRUE(d.mg_per_28_days.has_value()) << n << ": " << d.rule;
      EXPECT_NEAR(*d.mg_per_28_days, dex[n - 1], 0.5) << n << ": " << d.rule;
    }
    EXPECT_EQ(seen, 1) << n;
  }
}

}  // namespace
}  // namespace thrombo::synth
