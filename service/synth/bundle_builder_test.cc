// Copyright 2026 The Thrombo Authors.
// BuildBundle: determinism, the shape of each coding and dosing style, and input errors.
#include "service/synth/bundle_builder.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "gtest/gtest.h"
#include "proto/fhir/r4/resources.pb.h"
#include "service/synth/bundle_checks.h"
#include "service/synth/codes.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::synth {
namespace {

using fhir::r4::Bundle;
using fhir::r4::MedicationRequest;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::thrombo::testing::EqualsProto;
using ::thrombo::testing::StatusIs;

absl::Time Now() { return absl::FromCivil(absl::CivilSecond(2026, 3, 15, 9, 30, 0), absl::UTCTimeZone()); }

Scenario Base() {
  Scenario s;
  s.seed = 42;
  s.now = Now();
  s.age_years = 70;
  s.sex = Sex::kFemale;
  s.race = Race::kWhite;
  s.vitals = {"61.4", "160", "24.0", Now() - absl::Hours(72)};
  s.conditions.push_back({ConditionKind::kMultipleMyeloma, ConditionCoding::kSnomedAndIcd10,
                          Now() - absl::Hours(24 * 60)});
  s.labs.push_back({LabKind::kPlatelets, "220", "", Now() - absl::Hours(48)});
  return s;
}

MedicationOrder Lenalidomide(MedCoding coding) {
  MedicationOrder m;
  m.drug = Drug::kLenalidomide;
  m.strength = "25";
  m.coding = coding;
  m.authored_on = Now() - absl::Hours(24 * 7);
  m.dosing = DailyForDaysDosing("25", 21, 28);
  return m;
}

// The first MedicationRequest in the bundle.
const MedicationRequest* FirstRequest(const Bundle& b) {
  for (const auto& e : b.entry()) {
    if (e.resource().has_medication_request()) return &e.resource().medication_request();
  }
  return nullptr;
}

std::string Serialized(const Bundle& b) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  b.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

TEST(BundleBuilderTest, SameScenarioGivesIdenticalBytes) {
  Scenario s = Base();
  s.medications.push_back(Lenalidomide(MedCoding::kBundledMedication));
  ASSERT_OK_AND_ASSIGN(const Bundle a, BuildBundle(s));
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  EXPECT_THAT(b, EqualsProto(a));
  EXPECT_EQ(Serialized(a), Serialized(b));
  s.seed = 43;
  ASSERT_OK_AND_ASSIGN(const Bundle c, BuildBundle(s));
  EXPECT_NE(c.entry(0).full_url(), a.entry(0).full_url());
}

TEST(BundleBuilderTest, UuidsAreVersion4AndDistinct) {
  const std::string a = DeterministicUuid(1, 0);
  EXPECT_EQ(a.size(), 36u);
  EXPECT_EQ(a[14], '4');
  EXPECT_THAT(std::string("89ab"), HasSubstr(std::string(1, a[19])));
  EXPECT_NE(a, DeterministicUuid(1, 1));
  EXPECT_NE(a, DeterministicUuid(2, 0));
  EXPECT_EQ(a, DeterministicUuid(1, 0));
}

TEST(BundleBuilderTest, PatientCarriesUsCoreRaceAndDemographics) {
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(Base()));
  EXPECT_EQ(b.type(), fhir::r4::BundleTypeCode::COLLECTION);
  const fhir::r4::Patient& p = b.entry(0).resource().patient();
  EXPECT_EQ(b.entry(0).full_url(), "urn:uuid:" + p.id());
  ASSERT_EQ(p.extension_size(), 1);
  const fhir::r4::Extension& race = p.extension(0);
  EXPECT_EQ(race.url(), kUsCoreRaceUrl);
  ASSERT_EQ(race.extension_size(), 2);
  EXPECT_EQ(race.extension(0).url(), "ombCategory");
  EXPECT_EQ(race.extension(0).value_coding().system(), "urn:oid:2.16.840.1.113883.6.238");
  EXPECT_EQ(race.extension(0).value_coding().code(), "2106-3");
  EXPECT_EQ(race.extension(1).url(), "text");
  EXPECT_EQ(race.extension(1).value_string(), "White");
  EXPECT_EQ(p.gender(), fhir::r4::AdministrativeGenderCode::FEMALE);
  EXPECT_EQ(p.identifier(0).type().coding(0).code(), "MR");
  // 70 years old at Now(): born 2026-03-15 minus 70 years minus 45 days.
  const absl::CivilDay born = absl::CivilDay(1956, 3, 15) - 45;
  EXPECT_EQ(p.birth_date().value_us(),
            absl::ToUnixMicros(absl::FromCivil(born, absl::UTCTimeZone())));
  EXPECT_EQ(p.birth_date().precision(), fhir::r4::DAY);
}

TEST(BundleBuilderTest, NoRaceMeansNoExtension) {
  Scenario s = Base();
  s.race = Race::kNone;
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  EXPECT_EQ(b.entry(0).resource().patient().extension_size(), 0);
}

TEST(BundleBuilderTest, ConditionHasStatusesCategoryAndBothCodings) {
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(Base()));
  const fhir::r4::Condition& c = b.entry(1).resource().condition();
  EXPECT_EQ(c.clinical_status().coding(0).code(), "active");
  EXPECT_EQ(c.verification_status().coding(0).code(), "confirmed");
  EXPECT_EQ(c.category(0).coding(0).code(), "problem-list-item");
  ASSERT_EQ(c.code().coding_size(), 2);
  EXPECT_EQ(c.code().coding(0).code(), "109989006");
  EXPECT_EQ(c.code().coding(1).system(), "http://hl7.org/fhir/sid/icd-10-cm");
  EXPECT_EQ(c.code().coding(1).code(), "C90.00");
  EXPECT_EQ(c.onset_date_time().timezone(), "+00:00");
}

TEST(BundleBuilderTest, VitalsAndLabsAreUcumQuantities) {
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(Base()));
  // Patient, condition, weight, height, BMI, platelets.
  ASSERT_EQ(b.entry_size(), 6);
  const fhir::r4::Observation& weight = b.entry(2).resource().observation();
  EXPECT_EQ(weight.category(0).coding(0).code(), "vital-signs");
  EXPECT_EQ(weight.code().coding(0).code(), "29463-7");
  EXPECT_EQ(weight.value_quantity().value().value(), "61.4");
  EXPECT_EQ(weight.value_quantity().system(), "http://unitsofmeasure.org");
  EXPECT_EQ(weight.value_quantity().code(), "kg");
  EXPECT_EQ(b.entry(4).resource().observation().code().coding(0).code(), "39156-5");
  const fhir::r4::Observation& plt = b.entry(5).resource().observation();
  EXPECT_EQ(plt.category(0).coding(0).code(), "laboratory");
  EXPECT_EQ(plt.code().coding(0).code(), "777-3");
  EXPECT_EQ(plt.value_quantity().code(), "10*9/L");
}

TEST(BundleBuilderTest, MissingVitalsAreOmitted) {
  Scenario s = Base();
  s.vitals.height_cm.clear();
  s.vitals.weight_kg.clear();
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  EXPECT_EQ(b.entry_size(), 4);
}

TEST(BundleBuilderTest, IngredientCoding) {
  Scenario s = Base();
  s.medications.push_back(Lenalidomide(MedCoding::kIngredientRxnorm));
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  const MedicationRequest* r = FirstRequest(b);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->medication_codeable_concept().coding(0).system(), kRxNorm);
  EXPECT_EQ(r->medication_codeable_concept().coding(0).code(), "342369");
}

TEST(BundleBuilderTest, ScdAndSbdCoding) {
  Scenario s = Base();
  s.medications.push_back(Lenalidomide(MedCoding::kProductScd));
  s.medications.push_back(Lenalidomide(MedCoding::kProductSbd));
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  std::vector<std::string> codes;
  for (const auto& e : b.entry()) {
    if (!e.resource().has_medication_request()) continue;
    codes.push_back(e.resource().medication_request().medication_codeable_concept().coding(0).code());
  }
  EXPECT_THAT(codes, ElementsAre("643720", "643722"));  // docs/clinical.md §9e
}

TEST(BundleBuilderTest, TextOnlyCodingHasNoCoding) {
  Scenario s = Base();
  MedicationOrder m = Lenalidomide(MedCoding::kTextOnly);
  m.text = "Revlimid 25 mg capsule";
  s.medications.push_back(m);
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  const MedicationRequest* r = FirstRequest(b);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->medication_codeable_concept().coding_size(), 0);
  EXPECT_EQ(r->medication_codeable_concept().text(), "Revlimid 25 mg capsule");
}

TEST(BundleBuilderTest, ContainedMedicationIsReferencedByHash) {
  Scenario s = Base();
  s.medications.push_back(Lenalidomide(MedCoding::kContainedMedication));
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  const MedicationRequest* r = FirstRequest(b);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->medication_reference().reference(), "#med1");
  ASSERT_EQ(r->contained_size(), 1);
  const fhir::r4::Medication& med = r->contained(0).medication();
  EXPECT_EQ(med.id(), "med1");
  EXPECT_EQ(med.code().coding(0).code(), "643720");
  EXPECT_EQ(med.ingredient(0).item_codeable_concept().coding(0).code(), "342369");
  EXPECT_EQ(med.ingredient(0).strength().numerator().value().value(), "25");
  EXPECT_EQ(med.ingredient(0).strength().numerator().code(), "mg");
  EXPECT_THAT(UnresolvedReferences(b), IsEmpty());
}

TEST(BundleBuilderTest, BundledMedicationIsAnEntry) {
  Scenario s = Base();
  s.medications.push_back(Lenalidomide(MedCoding::kBundledMedication));
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  const MedicationRequest* r = FirstRequest(b);
  ASSERT_NE(r, nullptr);
  const std::string& ref = r->medication_reference().reference();
  bool found = false;
  for (const auto& e : b.entry()) {
    if (e.full_url() == ref) found = e.resource().has_medication();
  }
  EXPECT_TRUE(found) << ref;
  EXPECT_THAT(UnresolvedReferences(b), IsEmpty());
}

TEST(BundleBuilderTest, StructuredDosingShape) {
  Scenario s = Base();
  s.conditions.clear();
  MedicationOrder dex;
  dex.drug = Drug::kDexamethasone;
  dex.strength = "4";
  dex.authored_on = Now();
  dex.dosing = CycleDaysDosing("40", {1, 8, 15, 22}, 28);
  dex.dosing->style = DosingStyle::kStructured;
  s.medications.push_back(dex);
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  const MedicationRequest* r = FirstRequest(b);
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->dosage_instruction_size(), 1);
  const fhir::r4::Dosage& d = r->dosage_instruction(0);
  EXPECT_TRUE(d.text().empty());
  EXPECT_EQ(d.timing().repeat().frequency(), 4);
  EXPECT_EQ(d.timing().repeat().period().value(), "28");
  EXPECT_EQ(d.timing().repeat().period_unit(), fhir::r4::Timing::Repeat::D);
  EXPECT_EQ(d.dose_and_rate(0).dose_quantity().value().value(), "40");
  EXPECT_EQ(d.dose_and_rate(0).dose_quantity().code(), "mg");
  EXPECT_EQ(r->reason_reference_size(), 0);  // no myeloma condition in this scenario
}

TEST(BundleBuilderTest, TextDosingShape) {
  Scenario s = Base();
  MedicationOrder dex;
  dex.drug = Drug::kDexamethasone;
  dex.coding = MedCoding::kIngredientRxnorm;
  dex.authored_on = Now();
  dex.dosing = CycleDaysDosing("40", {1, 8, 15, 22}, 28);
  dex.dosing->style = DosingStyle::kText;
  s.medications.push_back(dex);
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  const fhir::r4::Dosage& d = FirstRequest(b)->dosage_instruction(0);
  EXPECT_EQ(d.text(), "40 mg on days 1, 8, 15, 22 of a 28-day cycle");
  EXPECT_FALSE(d.has_timing());
  EXPECT_EQ(d.dose_and_rate_size(), 0);
  EXPECT_EQ(FirstRequest(b)->reason_reference_size(), 1);
}

TEST(BundleBuilderTest, SequencedDosingIsDatedPerRange) {
  Scenario s = Base();
  MedicationOrder dex;
  dex.drug = Drug::kDexamethasone;
  dex.coding = MedCoding::kIngredientRxnorm;
  dex.authored_on = absl::FromCivil(absl::CivilSecond(2026, 3, 1, 8, 0, 0), absl::UTCTimeZone());
  dex.dosing = SequencedRangesDosing("40", {{1, 4}, {9, 12}, {17, 20}}, 28);
  s.medications.push_back(dex);
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  const MedicationRequest* r = FirstRequest(b);
  ASSERT_EQ(r->dosage_instruction_size(), 3);
  const fhir::r4::Dosage& second = r->dosage_instruction(1);
  EXPECT_EQ(second.sequence(), 2);
  const auto& period = second.timing().repeat().bounds_period();
  auto day_us = [](int d) {
    return absl::ToUnixMicros(absl::FromCivil(absl::CivilDay(2026, 3, d), absl::UTCTimeZone()));
  };
  EXPECT_EQ(period.start().value_us(), day_us(9));
  EXPECT_EQ(period.end().value_us(), day_us(12));
  EXPECT_EQ(period.end().precision(), fhir::r4::DAY);
  EXPECT_EQ(r->dosage_instruction(0).text(), "40 mg on days 1-4, 9-12, 17-20 of a 28-day cycle");
  EXPECT_TRUE(second.text().empty());
}

TEST(BundleBuilderTest, MedicationStatementForHomeMeds) {
  Scenario s = Base();
  MedicationOrder apix;
  apix.drug = Drug::kApixaban;
  apix.strength = "5";
  apix.resource = MedResource::kMedicationStatement;
  apix.authored_on = Now() - absl::Hours(24 * 400);
  apix.dosing = ContinuousDailyDosing("5", 2);
  s.medications.push_back(apix);
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  const auto& st = b.entry(b.entry_size() - 1).resource().medication_statement();
  EXPECT_EQ(st.status(), fhir::r4::MedicationStatementStatusCode::ACTIVE);
  EXPECT_EQ(st.medication_codeable_concept().coding(0).code(), "1364445");
  EXPECT_EQ(st.dosage(0).timing().repeat().frequency(), 2);
  EXPECT_EQ(st.dosage(0).text(), "5 mg twice daily");
}

TEST(BundleBuilderTest, TransactionEntriesArePosts) {
  Scenario s = Base();
  s.bundle_kind = BundleKind::kTransaction;
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  EXPECT_EQ(b.type(), fhir::r4::BundleTypeCode::TRANSACTION);
  EXPECT_EQ(b.entry(1).request().method(), fhir::r4::HttpVerbCode::POST);
  EXPECT_EQ(b.entry(1).request().url(), "Condition");
}

TEST(BundleBuilderTest, ProceduresAndAllergies) {
  Scenario s = Base();
  s.procedures.push_back({ProcedureKind::kTunneledCvcInsertion, Now() - absl::Hours(240)});
  s.procedures.push_back({ProcedureKind::kHipReplacement, Now() - absl::Hours(480)});
  s.allergies.push_back({Drug::kAspirin, Now() - absl::Hours(24 * 900)});
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  const int n = b.entry_size();
  const auto& cvc = b.entry(n - 3).resource().procedure();
  EXPECT_EQ(cvc.code().coding(0).code(), "442309004");
  EXPECT_FALSE(cvc.has_category());
  EXPECT_EQ(b.entry(n - 2).resource().procedure().category().coding(0).code(), "387713003");
  const auto& allergy = b.entry(n - 1).resource().allergy_intolerance();
  EXPECT_EQ(allergy.code().coding(0).code(), "1191");
  EXPECT_EQ(allergy.clinical_status().coding(0).code(), "active");
  EXPECT_THAT(UnresolvedReferences(b), IsEmpty());
}

TEST(BundleBuilderTest, RejectsBadInput) {
  Scenario no_age = Base();
  no_age.age_years.reset();
  EXPECT_THAT(BuildBundle(no_age), StatusIs(absl::StatusCode::kInvalidArgument));

  Scenario bad_decimal = Base();
  bad_decimal.labs[0].value = "2,20";
  EXPECT_THAT(BuildBundle(bad_decimal),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a decimal")));

  Scenario bad_strength = Base();
  MedicationOrder m = Lenalidomide(MedCoding::kProductScd);
  m.strength = "7";
  bad_strength.medications.push_back(m);
  EXPECT_THAT(BuildBundle(bad_strength),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no product code")));

  Scenario abated_active = Base();
  abated_active.conditions[0].abatement = Now();
  EXPECT_THAT(BuildBundle(abated_active), StatusIs(absl::StatusCode::kInvalidArgument));
}

// Messy results (docs/clinical.md policy v1.1 rule 14): comparator, valueString,
// dataAbsentReason, statuses and alternate LOINC codes come out as a lab feed writes them.
TEST(BundleBuilderTest, MessyLabResults) {
  Scenario s = Base();
  s.labs.clear();
  Lab below{LabKind::kPlatelets, "10", "", Now() - absl::Hours(30)};
  below.comparator = "<";
  below.loinc = "778-1";
  below.status = LabStatus::kPreliminary;
  Lab words{LabKind::kPlatelets, "", "", Now() - absl::Hours(20)};
  words.form = LabValueForm::kString;
  words.text = "Platelet clumps seen; count not reported";
  Lab absent{LabKind::kCreatinine, "", "", Now() - absl::Hours(10)};
  absent.form = LabValueForm::kDataAbsent;
  absent.absent_reason = "error";
  absent.status = LabStatus::kEnteredInError;
  Lab molar{LabKind::kCreatinine, "88", "umol/L", Now() - absl::Hours(5)};
  molar.loinc = "14682-9";
  s.labs = {below, words, absent, molar};
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  std::vector<const fhir::r4::Observation*> labs;
  for (const auto& e : b.entry()) {
    if (e.resource().has_observation() &&
        e.resource().observation().category(0).coding(0).code() == "laboratory") {
      labs.push_back(&e.resource().observation());
    }
  }
  ASSERT_EQ(labs.size(), 4u);
  EXPECT_EQ(labs[0]->status(), fhir::r4::ObservationStatusCode::PRELIMINARY);
  EXPECT_EQ(labs[0]->code().coding(0).code(), "778-1");
  EXPECT_EQ(labs[0]->code().coding(0).display(), "Platelets [#/volume] in Blood by Manual count");
  EXPECT_EQ(labs[0]->value_quantity().comparator(), fhir::r4::Quantity::LESS_THAN);
  EXPECT_EQ(labs[0]->value_quantity().value().value(), "10");
  EXPECT_EQ(labs[1]->value_string(), "Platelet clumps seen; count not reported");
  EXPECT_FALSE(labs[2]->has_value_quantity());
  EXPECT_EQ(labs[2]->data_absent_reason().coding(0).code(), "error");
  EXPECT_EQ(labs[2]->status(), fhir::r4::ObservationStatusCode::ENTERED_IN_ERROR);
  EXPECT_EQ(labs[3]->code().coding(0).code(), "14682-9");
  EXPECT_EQ(labs[3]->value_quantity().code(), "umol/L");

  Scenario bad = Base();
  bad.labs[0].comparator = "~";
  EXPECT_THAT(BuildBundle(bad), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("~")));
}

// Rule 16: statuses and a HIT manifestation; ait-2: no clinicalStatus when entered in error.
TEST(BundleBuilderTest, AllergyStatusesAndReactions) {
  Scenario s = Base();
  AllergySpec hit{Drug::kHeparin, Now() - absl::Hours(24 * 400)};
  hit.reaction = AllergyReaction::kHit;
  AllergySpec refuted{Drug::kAspirin, Now() - absl::Hours(24 * 400)};
  refuted.verification = AllergyVerification::kRefuted;
  refuted.clinical = AllergyClinical::kInactive;
  AllergySpec in_error{Drug::kEnoxaparin, Now() - absl::Hours(24 * 400)};
  in_error.verification = AllergyVerification::kEnteredInError;
  AllergySpec nsaid{Drug::kIbuprofen, Now() - absl::Hours(24 * 400)};
  nsaid.text_only = true;
  s.allergies = {hit, refuted, in_error, nsaid};
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  const int n = b.entry_size();
  const auto& h = b.entry(n - 4).resource().allergy_intolerance();
  EXPECT_EQ(h.code().coding(0).code(), "5224");
  EXPECT_EQ(h.reaction(0).manifestation(0).coding(0).code(), "73397007");
  const auto& r = b.entry(n - 3).resource().allergy_intolerance();
  EXPECT_EQ(r.verification_status().coding(0).code(), "refuted");
  EXPECT_EQ(r.clinical_status().coding(0).code(), "inactive");
  const auto& e = b.entry(n - 2).resource().allergy_intolerance();
  EXPECT_EQ(e.verification_status().coding(0).code(), "entered-in-error");
  EXPECT_FALSE(e.has_clinical_status());
  const auto& t = b.entry(n - 1).resource().allergy_intolerance();
  EXPECT_THAT(t.code().coding(), IsEmpty());
  EXPECT_EQ(t.code().text(), "NSAIDs");
}

// Rules 18-21: a port flush, a dispense of an order, a recently ended order, several races.
TEST(BundleBuilderTest, FlushDispenseEndedAndSeveralRaces) {
  Scenario s = Base();
  s.extra_races = {Race::kAsian};
  MedicationOrder flush;
  flush.drug = Drug::kHeparin;
  flush.purpose = MedPurpose::kCatheterFlush;
  flush.coding = MedCoding::kIngredientRxnorm;
  flush.text = "Heparin lock flush 100 units/mL";
  flush.authored_on = Now() - absl::Hours(24 * 30);
  flush.dosing = EveryWeeksDosing("500", 4, "[iU]");
  MedicationOrder dex;
  dex.drug = Drug::kDexamethasone;
  dex.strength = "4";
  dex.resource = MedResource::kMedicationDispense;
  dex.authored_on = Now() - absl::Hours(24 * 3);
  dex.dosing = WeeklyDosing("40");
  MedicationOrder ended;
  ended.drug = Drug::kApixaban;
  ended.strength = "5";
  ended.status = MedStatus::kStopped;
  ended.authored_on = Now() - absl::Hours(24 * 100);
  ended.ended = Now() - absl::Hours(24 * 10);
  ended.dosing = ContinuousDailyDosing("5", 2);
  s.medications = {flush, dex, ended};
  ASSERT_OK_AND_ASSIGN(const Bundle b, BuildBundle(s));
  const auto& race = b.entry(0).resource().patient().extension(0);
  ASSERT_EQ(race.extension_size(), 3);  // two ombCategory and the text
  EXPECT_EQ(race.extension(0).value_coding().code(), "2106-3");
  EXPECT_EQ(race.extension(1).value_coding().code(), "2028-9");
  EXPECT_EQ(race.extension(2).value_string(), "White, Asian");
  const int n = b.entry_size();
  const auto& f = b.entry(n - 3).resource().medication_request();
  EXPECT_EQ(f.medication_codeable_concept().text(), "Heparin lock flush 100 units/mL");
  EXPECT_EQ(f.dosage_instruction(0).route().coding(0).code(), "47625008");
  EXPECT_EQ(f.dosage_instruction(0).dose_and_rate(0).dose_quantity().code(), "[iU]");
  const auto& d = b.entry(n - 2).resource().medication_dispense();
  EXPECT_EQ(d.status(), fhir::r4::MedicationDispenseStatusCode::COMPLETED);
  EXPECT_EQ(d.medication_codeable_concept().coding(0).code(), "197582");
  EXPECT_EQ(d.days_supply().value().value(), "28");
  EXPECT_EQ(d.dosage_instruction(0).text(), "40 mg once weekly");
  const auto& e = b.entry(n - 1).resource().medication_request();
  EXPECT_EQ(e.status(), fhir::r4::MedicationRequestStatusCode::STOPPED);
  EXPECT_TRUE(e.dispense_request().validity_period().has_end());
  EXPECT_THAT(UnresolvedReferences(b), IsEmpty());
}

TEST(BundleChecksTest, FindsDanglingReferences) {
  ASSERT_OK_AND_ASSIGN(Bundle b, BuildBundle(Base()));
  EXPECT_THAT(UnresolvedReferences(b), IsEmpty());
  b.mutable_entry(1)->mutable_resource()->mutable_condition()->mutable_subject()->set_reference(
      "urn:uuid:nowhere");
  EXPECT_THAT(UnresolvedReferences(b), ElementsAre("1: urn:uuid:nowhere"));
}

}  // namespace
}  // namespace thrombo::synth
