// Copyright 2026 The Thrombo Authors.
#include "fhir/lab_observation.h"

#include <string>

#include "absl/time/time.h"
#include "fhir/json_parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thrombo::fhir {
namespace {

using ValueKind = LabObservation::ValueKind;

r4::Observation Parse(const std::string& members) {
  absl::StatusOr<r4::Observation> o = ParseAs<r4::Observation>(
      R"({"resourceType":"Observation","status":"final","code":{"text":"x"})" +
      (members.empty() ? "" : "," + members) + "}");
  EXPECT_TRUE(o.ok()) << o.status();
  return o.ok() ? *o : r4::Observation();
}

absl::Time At(const char* text) {
  absl::Time t;
  std::string error;
  EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, text, &t, &error)) << error;
  return t;
}

TEST(LabObservationTest, ReadsTheCodeStatusAndQuantityAsRecorded) {
  const r4::Observation o = ParseAs<r4::Observation>(R"({
    "resourceType": "Observation", "id": "p1", "status": "amended",
    "code": {"coding": [{"system": "http://loinc.org", "code": "777-3", "display": "Platelets"},
                        {"system": "urn:local", "code": "PLT"}],
             "text": "Platelet count"},
    "effectiveDateTime": "2026-11-20T08:30:00+01:00",
    "valueQuantity": {"value": 10.50, "comparator": "<", "unit": "K/uL", "code": "10*3/uL"}
  })").value();
  const LabObservation view = LabObservationFromProto(o);
  EXPECT_EQ(view.id, "p1");
  EXPECT_EQ(view.status, r4::ObservationStatusCode::AMENDED);
  ASSERT_EQ(view.codings.size(), 2u);
  EXPECT_EQ(view.codings[0].system, "http://loinc.org");
  EXPECT_EQ(view.codings[0].code, "777-3");
  EXPECT_EQ(view.codings[0].display, "Platelets");
  EXPECT_EQ(view.codings[1].code, "PLT");
  EXPECT_EQ(view.codings[1].display, "");
  EXPECT_EQ(view.code_text, "Platelet count");
  EXPECT_EQ(view.time, At("2026-11-20T07:30:00Z"));
  ASSERT_EQ(view.value_kind, ValueKind::kQuantity);
  EXPECT_EQ(view.quantity.value, "10.50");  // the decimal's exact text
  EXPECT_EQ(view.quantity.comparator, r4::Quantity::LESS_THAN);
  EXPECT_EQ(view.quantity.unit, "K/uL");
  EXPECT_EQ(view.quantity.code, "10*3/uL");
  EXPECT_FALSE(view.has_data_absent_reason);
  // Views, not copies: they point into the proto.
  EXPECT_EQ(view.id.data(), o.id().data());
}

TEST(LabObservationTest, TimeIsEffectiveElseIssued) {
  EXPECT_EQ(LabObservationFromProto(Parse(R"("effectiveDateTime":"2026-01-02")")).time,
            At("2026-01-02T00:00:00Z"));
  EXPECT_EQ(LabObservationFromProto(
                Parse(R"("effectivePeriod":{"start":"2026-01-02","end":"2026-01-05"})"))
                .time,
            At("2026-01-02T00:00:00Z"));
  EXPECT_EQ(LabObservationFromProto(Parse(R"("effectivePeriod":{"end":"2026-01-05"})")).time,
            At("2026-01-05T00:00:00Z"));
  EXPECT_EQ(LabObservationFromProto(Parse(R"("effectiveInstant":"2026-01-02T03:04:05Z")")).time,
            At("2026-01-02T03:04:05Z"));
  // A Timing says nothing the facts read: issued decides.
  EXPECT_EQ(LabObservationFromProto(Parse(R"("effectiveTiming":{"event":["2026-01-01"]},)"
                                          R"("issued":"2026-01-03T00:00:00Z")"))
                .time,
            At("2026-01-03T00:00:00Z"));
  // effective[x] wins over issued.
  EXPECT_EQ(LabObservationFromProto(Parse(R"("effectiveDateTime":"2026-01-02",)"
                                          R"("issued":"2026-01-03T00:00:00Z")"))
                .time,
            At("2026-01-02T00:00:00Z"));
  EXPECT_EQ(LabObservationFromProto(Parse("")).time, std::nullopt);
  // A period without start or end gives no time (issued is not consulted).
  EXPECT_EQ(LabObservationFromProto(Parse(R"("effectivePeriod":{"id":"x"},)"
                                          R"("issued":"2026-01-03T00:00:00Z")"))
                .time,
            std::nullopt);
}

TEST(LabObservationTest, ValueKinds) {
  EXPECT_EQ(LabObservationFromProto(Parse("")).value_kind, ValueKind::kNone);
  const r4::Observation text = Parse(R"("valueString":"clumped")");
  EXPECT_EQ(LabObservationFromProto(text).value_kind, ValueKind::kString);
  EXPECT_EQ(LabObservationFromProto(text).value_string, "clumped");
  const r4::Observation concept = Parse(
      R"("valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"77176002"}]})");
  const LabObservation concept_view = LabObservationFromProto(concept);
  EXPECT_EQ(concept_view.value_kind, ValueKind::kCodeableConcept);
  EXPECT_EQ(concept_view.value_concept, &concept.value_codeable_concept());
  EXPECT_EQ(LabObservationFromProto(Parse(R"("valueBoolean":true)")).value_kind, ValueKind::kOther);
  // A quantity without a value is still a quantity (the facts say "no numeric value").
  // The view points into the proto, so the proto outlives it.
  const r4::Observation unit_only = Parse(R"("valueQuantity":{"unit":"g/dL"})");
  const LabObservation empty = LabObservationFromProto(unit_only);
  EXPECT_EQ(empty.value_kind, ValueKind::kQuantity);
  EXPECT_EQ(empty.quantity.value, "");
  EXPECT_EQ(empty.quantity.comparator, r4::Quantity::COMPARATOR_UNSPECIFIED);
}

TEST(LabObservationTest, DataAbsentReasonIsQuotedByTextElseDisplayElseCode) {
  const auto words = [](const std::string& reason) {
    const r4::Observation observation = Parse(R"("dataAbsentReason":)" + reason);
    const LabObservation view = LabObservationFromProto(observation);
    EXPECT_TRUE(view.has_data_absent_reason);
    return std::string(view.data_absent_text);
  };
  EXPECT_EQ(words(R"({"text":"haemolysed","coding":[{"code":"error","display":"Error"}]})"),
            "haemolysed");
  EXPECT_EQ(words(R"({"coding":[{"code":"error","display":"Error"}]})"), "Error");
  EXPECT_EQ(words(R"({"coding":[{"code":"error"},{"code":"x","display":"X"}]})"), "error");
  EXPECT_EQ(words(R"({"coding":[{"system":"s"},{"code":"x","display":"X"}]})"), "X");
  EXPECT_FALSE(LabObservationFromProto(Parse("")).has_data_absent_reason);
}

// A stub finds its view by its own address and the position its status holds: a copy of it,
// or the same stub asked of another table, has none (PatientRecord then refuses the record).
TEST(LabObservationTableTest, AStubFindsItsViewAndACopyDoesNot) {
  r4::Observation first;
  r4::Observation second;
  LabObservationTable views;
  views.Add(&first).code_text = views.Keep("platelets");
  views.Add(&second).code_text = views.Keep("creatinine");
  EXPECT_TRUE(IsViewStub(first));
  EXPECT_TRUE(IsViewStub(second));
  ASSERT_NE(views.Find(&second), nullptr);
  EXPECT_EQ(views.Find(&second)->code_text, "creatinine");
  EXPECT_EQ(views.Find(&first)->code_text, "platelets");

  const r4::Observation copy = second;
  EXPECT_TRUE(IsViewStub(copy));
  EXPECT_EQ(views.Find(&copy), nullptr);
  LabObservationTable other;
  EXPECT_EQ(other.Find(&second), nullptr);

  r4::Observation ordinary;
  ordinary.set_status(r4::ObservationStatusCode::FINAL);
  EXPECT_EQ(views.Find(&ordinary), nullptr);

  views.Truncate(1);  // a reader gave up on `second`
  EXPECT_EQ(views.Find(&second), nullptr);
  EXPECT_EQ(views.Find(&first)->code_text, "platelets");
}

// Text a reader lends the table (the request body it reads in place) is pointed into, not
// copied; anything not wholly inside it is copied, and Clear() ends the loan.
TEST(LabObservationTableTest, KeepsBorrowedTextInPlaceAndCopiesTheRest) {
  // The body, with bytes after it that are not lent.
  const std::string backing = R"({"code": "777-3", "unit": "10*3/uL"}tail)";
  const std::string_view text = std::string_view(backing).substr(0, backing.size() - 4);
  LabObservationTable views;
  const std::string_view code = text.substr(10, 5);
  EXPECT_NE(views.Keep(code).data(), code.data());  // nothing borrowed yet: a copy
  views.Borrow(text);
  EXPECT_EQ(views.Keep(code).data(), code.data());
  EXPECT_EQ(views.Keep(text).data(), text.data());  // the whole of it
  const std::string_view last = text.substr(text.size() - 1);
  EXPECT_EQ(views.Keep(last).data(), last.data());

  // Starting inside but running past its end, or elsewhere: copied, with the same bytes.
  const std::string_view past(text.data() + text.size() - 2, 4);
  const std::string other = "10*3/uL";
  for (const std::string_view piece : {past, std::string_view(other), std::string_view(backing)}) {
    const std::string_view kept = views.Keep(piece);
    EXPECT_NE(kept.data(), piece.data());
    EXPECT_EQ(kept, piece);
  }

  views.Clear();
  const std::string_view kept = views.Keep(code);
  EXPECT_NE(kept.data(), code.data());
  EXPECT_EQ(kept, "777-3");
}

}  // namespace
}  // namespace thrombo::fhir
