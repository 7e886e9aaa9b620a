// Copyright 2026 The Thrombo Authors.
// Tests of PatientRecord: indexing, patient selection and every form of reference.
#include "fhir/patient_record.h"

#include <thread>
#include <vector>

#include "fhir/json_parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::fhir {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::thrombo::testing::StatusIs;

constexpr char kBundle[] = R"({"resourceType": "Bundle", "type": "collection", "entry": [
  {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Patient", "id": "123"}},
  {"fullUrl": "https://ehr.example/fhir/Medication/m1",
   "resource": {"resourceType": "Medication", "id": "m1", "code": {"text": "warfarin"}}},
  {"resource": {"resourceType": "MedicationRequest", "id": "r1", "status": "active",
    "intent": "order", "subject": {"reference": "urn:uuid:p1"},
    "medicationReference": {"reference": "https://ehr.example/fhir/Medication/m1"}}},
  {"resource": {"resourceType": "MedicationRequest", "id": "r2", "status": "active",
    "intent": "order", "subject": {"reference": "Patient/123"},
    "contained": [{"resourceType": "Medication", "id": "c", "code": {"text": "apixaban"}},
                  {"resourceType": "Medication", "id": "d", "ingredient": [
                    {"itemReference": {"reference": "#c"}}]}],
    "medicationReference": {"reference": "#c"}}},
  {"resource": {"resourceType": "MedicationStatement", "status": "active",
    "subject": {"reference": "https://other.example/fhir/Patient/123/_history/4"},
    "medicationReference": {"reference": "Medication/m1"}}},
  {"resource": {"resourceType": "Condition", "subject": {"reference": "Patient/123"}}},
  {"resource": {"resourceType": "Observation", "status": "final", "code": {"text": "x"}}},
  {"resource": {"resourceType": "Procedure", "status": "completed",
                "subject": {"reference": "Patient/123"}}},
  {"resource": {"resourceType": "AllergyIntolerance", "patient": {"reference": "Patient/123"}}},
  {"resource": {"resourceType": "MedicationAdministration", "status": "completed",
    "subject": {"reference": "Patient/123"}, "medicationCodeableConcept": {"text": "x"}}},
  {"resource": {"resourceType": "MedicationDispense", "status": "completed",
    "subject": {"reference": "Patient/123"}, "medicationCodeableConcept": {"text": "apixaban"},
    "daysSupply": {"value": 30, "unit": "d"}, "whenHandedOver": "2026-11-01"}}]})";

class PatientRecordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(bundle_, ParseAs<r4::Bundle>(kBundle));
  }
  r4::Bundle bundle_;
};

TEST_F(PatientRecordTest, IndexesEveryType) {
  ASSERT_OK_AND_ASSIGN(PatientRecord record, PatientRecord::FromBundle(bundle_));
  ASSERT_NE(record.patient(), nullptr);
  EXPECT_EQ(record.patient()->id(), "123");
  EXPECT_THAT(record.medication_requests(), SizeIs(2));
  EXPECT_THAT(record.medication_statements(), SizeIs(1));
  EXPECT_THAT(record.medication_administrations(), SizeIs(1));
  ASSERT_THAT(record.medication_dispenses(), SizeIs(1));
  EXPECT_EQ(record.medication_dispenses()[0]->days_supply().value().value(), "30");
  EXPECT_THAT(record.medications(), SizeIs(1));
  EXPECT_THAT(record.conditions(), SizeIs(1));
  EXPECT_THAT(record.lab_observations(), SizeIs(1));
  EXPECT_THAT(record.procedures(), SizeIs(1));
  EXPECT_THAT(record.allergy_intolerances(), SizeIs(1));
}

TEST_F(PatientRecordTest, ResolvesEachReferenceForm) {
  ASSERT_OK_AND_ASSIGN(PatientRecord record, PatientRecord::FromBundle(bundle_));
  const r4::MedicationRequest& r1 = *record.medication_requests()[0];
  const r4::MedicationRequest& r2 = *record.medication_requests()[1];
  const r4::MedicationStatement& ms = *record.medication_statements()[0];
  // Absolute, matched by fullUrl.
  const r4::Medication* m1 = record.ResolveMedication(r1.medication_reference(), r1);
  ASSERT_NE(m1, nullptr);
  EXPECT_EQ(m1->id(), "m1");
  // Relative, matched by type and id.
  EXPECT_EQ(record.ResolveMedication(ms.medication_reference(), ms), m1);
  // urn:uuid fullUrl and relative Patient/123 both reach the Patient.
  EXPECT_EQ(record.ResolvePatient(r1.subject(), r1), record.patient());
  EXPECT_EQ(record.ResolvePatient(r2.subject(), r2), record.patient());
  // Absolute on another server with _history: matched by type and id.
  EXPECT_EQ(record.ResolvePatient(ms.subject(), ms), record.patient());
  // Contained, relative to the containing resource.
  const r4::Medication* contained = record.ResolveMedication(r2.medication_reference(), r2);
  ASSERT_NE(contained, nullptr);
  EXPECT_EQ(contained->code().text(), "apixaban");
  // From a contained resource, "#c" names its sibling.
  const r4::Medication& d = r2.contained(1).medication();
  EXPECT_EQ(record.ResolveMedication(d.ingredient(0).item_reference(), d), contained);
  // "#c" from another resource resolves to nothing; so do unknown references.
  EXPECT_EQ(record.ResolveMedication(r2.medication_reference(), r1), nullptr);
  EXPECT_EQ(record.Resolve("Patient/999"), nullptr);
  EXPECT_EQ(record.Resolve("urn:uuid:nope"), nullptr);
  EXPECT_EQ(record.Resolve(""), nullptr);
  EXPECT_EQ(record.Resolve("#c"), nullptr);  // no `from`
  EXPECT_EQ(record.Resolve("#", &r2)->medication_request().id(), "r2");
}

TEST(PatientRecordSelectionTest, SeveralPatientsNeedAnIdAndFilterResources) {
  ASSERT_OK_AND_ASSIGN(r4::Bundle bundle, ParseAs<r4::Bundle>(R"({"resourceType": "Bundle",
    "type": "collection", "entry": [
      {"resource": {"resourceType": "Patient", "id": "a"}},
      {"resource": {"resourceType": "Patient", "id": "b"}},
      {"resource": {"resourceType": "Condition", "subject": {"reference": "Patient/a"}}},
      {"resource": {"resourceType": "Condition", "subject": {"reference": "Patient/b"}}},
      {"resource": {"resourceType": "Medication", "id": "m"}}]})"));
  EXPECT_THAT(PatientRecord::FromBundle(bundle).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ids a, b")));
  ASSERT_OK_AND_ASSIGN(PatientRecord record, PatientRecord::FromBundle(bundle, "b"));
  EXPECT_EQ(record.patient()->id(), "b");
  ASSERT_THAT(record.conditions(), SizeIs(1));
  EXPECT_EQ(record.conditions()[0]->subject().reference(), "Patient/b");
  EXPECT_THAT(record.medications(), SizeIs(1));
  ASSERT_OK_AND_ASSIGN(PatientRecord none, PatientRecord::FromBundle(bundle, "zzz"));
  EXPECT_EQ(none.patient(), nullptr);
}

TEST(PatientRecordSelectionTest, LooseResourcesAndNoPatient) {
  ASSERT_OK_AND_ASSIGN(ParsedResource patient,
                       ParseResource(R"({"resourceType": "Patient", "id": "p"})"));
  ASSERT_OK_AND_ASSIGN(ParsedResource bundle, ParseResource(R"({"resourceType": "Bundle",
    "type": "searchset", "entry": [{"resource": {"resourceType": "MedicationRequest",
    "status": "draft", "intent": "proposal", "subject": {"reference": "Patient/p"}}}]})"));
  ASSERT_OK_AND_ASSIGN(PatientRecord record, PatientRecord::FromResources(
                                                 {&patient.resource, &bundle.resource, nullptr}));
  EXPECT_EQ(record.patient()->id(), "p");
  EXPECT_THAT(record.medication_requests(), SizeIs(1));
  ASSERT_OK_AND_ASSIGN(PatientRecord drafts, PatientRecord::FromResources({&bundle.resource}));
  EXPECT_EQ(drafts.patient(), nullptr);
  EXPECT_THAT(drafts.medication_requests(), SizeIs(1));
}

// The hook path's reader leaves stub Observations whose content is a view in a table
// (lab_observation.h): the record reads the view, and a stub without one is an error, never
// an Observation without a result.
TEST(PatientRecordSelectionTest, StubObservationsAreReadThroughTheirViews) {
  ASSERT_OK_AND_ASSIGN(ParsedResource patient,
                       ParseResource(R"({"resourceType": "Patient", "id": "p"})"));
  ASSERT_OK_AND_ASSIGN(ParsedResource bundle, ParseResource(R"({"resourceType": "Bundle",
    "type": "searchset", "entry": [{"resource": {"resourceType": "Observation", "id": "o1",
    "status": "final", "code": {"text": "x"}}}]})"));
  r4::Observation* stub =
      bundle.resource.mutable_bundle()->mutable_entry(0)->mutable_resource()->mutable_observation();
  stub->Clear();  // a stub holds nothing but the status Add() gives it
  LabObservationTable views;
  LabObservation& view = views.Add(stub);
  view.id = "o1";
  view.status = r4::ObservationStatusCode::FINAL;
  view.code_text = views.Keep("platelets");

  ASSERT_OK_AND_ASSIGN(PatientRecord record,
                       PatientRecord::FromResources({&patient.resource, &bundle.resource}, "",
                                                    &views));
  ASSERT_THAT(record.lab_observations(), SizeIs(1));
  EXPECT_EQ(record.lab_observations()[0].code_text, "platelets");
  EXPECT_EQ(record.lab_observations()[0].status, r4::ObservationStatusCode::FINAL);

  EXPECT_THAT(PatientRecord::FromResources({&patient.resource, &bundle.resource}),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("view")));

  // With several Patients, a stub is kept when its view's subject is the one chosen.
  ASSERT_OK_AND_ASSIGN(ParsedResource other,
                       ParseResource(R"({"resourceType": "Patient", "id": "q"})"));
  view.subject_reference = views.Keep("Patient/q");
  ASSERT_OK_AND_ASSIGN(PatientRecord of_p,
                       PatientRecord::FromResources(
                           {&patient.resource, &other.resource, &bundle.resource}, "p", &views));
  EXPECT_THAT(of_p.lab_observations(), SizeIs(0));
  ASSERT_OK_AND_ASSIGN(PatientRecord of_q,
                       PatientRecord::FromResources(
                           {&patient.resource, &other.resource, &bundle.resource}, "q", &views));
  EXPECT_THAT(of_q.lab_observations(), SizeIs(1));
  EXPECT_THAT(PatientRecord::FromBundle(bundle.resource.bundle()),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("view")));
  // A Bundle read with a table (ParseResourceProjected) reads its stubs the same way.
  ASSERT_OK_AND_ASSIGN(PatientRecord from_bundle,
                       PatientRecord::FromBundle(bundle.resource.bundle(), "", &views));
  ASSERT_THAT(from_bundle.lab_observations(), SizeIs(1));
  EXPECT_EQ(from_bundle.lab_observations()[0].code_text, "platelets");
}

// Protos from elsewhere (gRPC) may carry a status number out of the enum's range, even the
// stubs' own: an Observation with anything besides it is read as any other, its status unusable,
// and only a bare one (as a stub is) is taken for a stub that lost its table.
TEST(PatientRecordSelectionTest, AnOutOfRangeStatusFromAProtoIsNoStub) {
  ASSERT_OK_AND_ASSIGN(ParsedResource bundle, ParseResource(R"({"resourceType": "Bundle",
    "type": "collection", "entry": [{"resource": {"resourceType": "Patient", "id": "p"}},
    {"resource": {"resourceType": "Observation", "id": "o1", "status": "final",
     "code": {"text": "platelets"}}}]})"));
  r4::Observation* lab =
      bundle.resource.mutable_bundle()->mutable_entry(1)->mutable_resource()->mutable_observation();
  lab->set_status(static_cast<r4::ObservationStatusCode::Value>(
      LabObservationTable::kViewStubStatus + 5));
  ASSERT_OK_AND_ASSIGN(PatientRecord record, PatientRecord::FromBundle(bundle.resource.bundle()));
  ASSERT_THAT(record.lab_observations(), SizeIs(1));
  EXPECT_EQ(record.lab_observations()[0].code_text, "platelets");
  EXPECT_EQ(record.lab_observations()[0].status, lab->status());

  lab->Clear();
  lab->set_status(LabObservationTable::kViewStubStatus);
  EXPECT_THAT(PatientRecord::FromBundle(bundle.resource.bundle()),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("view")));
}

// A view is read only for a stub: an ordinary Observation at an address the table knows (a
// stub freed earlier, its memory reused) is read from its own proto.
TEST(PatientRecordSelectionTest, AnOrdinaryObservationIsNeverReadThroughAView) {
  ASSERT_OK_AND_ASSIGN(ParsedResource patient,
                       ParseResource(R"({"resourceType": "Patient", "id": "p"})"));
  ASSERT_OK_AND_ASSIGN(ParsedResource lab, ParseResource(R"({"resourceType": "Observation",
    "id": "o1", "status": "final", "code": {"text": "creatinine"}})"));
  LabObservationTable views;
  r4::Observation* reused = lab.resource.mutable_observation();
  views.Add(reused).code_text = views.Keep("stale platelets");
  reused->set_status(r4::ObservationStatusCode::FINAL);  // no longer a stub
  ASSERT_OK_AND_ASSIGN(PatientRecord record,
                       PatientRecord::FromResources({&patient.resource, &lab.resource}, "",
                                                    &views));
  ASSERT_THAT(record.lab_observations(), SizeIs(1));
  EXPECT_EQ(record.lab_observations()[0].code_text, "creatinine");
}

// CDS Hooks prefetch values as they arrive: searchset Bundles with absolute fullUrls, and the
// server's search outcome (an OperationOutcome) among the matches.
TEST(PatientRecordSelectionTest, LooseSearchsetsKeepFullUrlsAndDropSearchOutcomes) {
  ASSERT_OK_AND_ASSIGN(ParsedResource patients, ParseResource(R"({"resourceType": "Bundle",
    "type": "searchset", "entry": [{"fullUrl": "https://ehr.test/fhir/Patient/p",
      "resource": {"resourceType": "Patient", "id": "p"}, "search": {"mode": "match"}}]})"));
  ASSERT_OK_AND_ASSIGN(ParsedResource conditions, ParseResource(R"({"resourceType": "Bundle",
    "type": "searchset", "entry": [
      {"fullUrl": "https://ehr.test/fhir/Condition/c", "search": {"mode": "match"},
       "resource": {"resourceType": "Condition", "id": "c",
                    "subject": {"reference": "https://ehr.test/fhir/Patient/p"}}},
      {"search": {"mode": "outcome"}, "resource": {"resourceType": "OperationOutcome",
       "id": "oo", "issue": [{"severity": "warning", "code": "too-costly"}]}},
      {"resource": {"resourceType": "OperationOutcome", "id": "oo2",
       "issue": [{"severity": "error", "code": "exception"}]}}]})"));
  ASSERT_OK_AND_ASSIGN(PatientRecord record, PatientRecord::FromResources(
                                                 {&patients.resource, &conditions.resource}, "p"));
  ASSERT_NE(record.patient(), nullptr);
  ASSERT_THAT(record.conditions(), SizeIs(1));
  EXPECT_EQ(record.ResolvePatient(record.conditions()[0]->subject(), *record.conditions()[0]),
            record.patient());
  EXPECT_EQ(record.Resolve("OperationOutcome/oo"), nullptr);
  EXPECT_EQ(record.Resolve("OperationOutcome/oo2"), nullptr);
}

TEST_F(PatientRecordTest, SurvivesMoves) {
  ASSERT_OK_AND_ASSIGN(PatientRecord record, PatientRecord::FromBundle(bundle_));
  PatientRecord moved = std::move(record);
  const r4::MedicationRequest& r2 = *moved.medication_requests()[1];
  EXPECT_NE(moved.ResolveMedication(r2.medication_reference(), r2), nullptr);
}

// The reference indexes are built on the first Resolve that needs one, once, by whichever
// thread comes first; a copy made before that shares them and resolves the same.
TEST_F(PatientRecordTest, CopiesAndThreadsResolveAlike) {
  ASSERT_OK_AND_ASSIGN(const PatientRecord record, PatientRecord::FromBundle(bundle_));
  const PatientRecord copy = record;  // before any reference was resolved
  const r4::MedicationRequest& r2 = *record.medication_requests()[1];
  // The answers, from the Bundle itself: nothing is resolved before the threads start.
  const r4::ContainedResource* patient = &bundle_.entry(0).resource();
  const r4::ContainedResource* medication = &bundle_.entry(1).resource();
  ASSERT_TRUE(patient->has_patient());
  ASSERT_TRUE(medication->has_medication());
  std::vector<std::thread> threads;
  std::vector<int> wrong(8, 0);
  for (int t = 0; t < 8; ++t) {
    const PatientRecord& reader = t % 2 == 0 ? record : copy;
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        wrong[t] += reader.Resolve("urn:uuid:p1") != patient;
        wrong[t] += reader.Resolve("https://x.example/fhir/Patient/123") != patient;
        wrong[t] += reader.Resolve("https://ehr.example/fhir/Medication/m1") != medication;
        wrong[t] += reader.Resolve("Medication/m1") != medication;
        const r4::ContainedResource* self = reader.Resolve("#", &r2);
        wrong[t] += self == nullptr || &self->medication_request() != &r2;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(wrong, ::testing::Each(0));
}

}  // namespace
}  // namespace thrombo::fhir
