// Copyright 2026 The Thrombo Authors.
#include "fhir/wire_reader.h"

#include <string>

#include "fhir/lab_observation.h"
#include "gtest/gtest.h"
#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::fhir {
namespace {

// 2026-11-30T08:15:00Z, and a day earlier.
constexpr int64_t kTakenUs = 1796026500000000;
constexpr int64_t kIssuedUs = kTakenUs + 86400000000;

// A platelet count as an EHR's lab interface writes it: the elements the view holds, and
// elements the decision does not read.
r4::Observation Platelets() {
  r4::Observation o;
  o.set_id("plt-1");
  o.set_status(r4::ObservationStatusCode::FINAL);
  r4::Coding* loinc = o.mutable_code()->add_coding();
  loinc->set_system("http://loinc.org");
  loinc->set_code("777-3");
  loinc->set_display("Platelets [#/volume] in Blood by Automated count");
  o.mutable_code()->set_text("Platelets");
  o.mutable_subject()->set_reference("Patient/p1");
  o.mutable_effective_date_time()->set_value_us(kTakenUs);
  o.mutable_effective_date_time()->set_precision(r4::SECOND);
  o.mutable_issued()->set_value_us(kIssuedUs);
  o.mutable_issued()->set_precision(r4::MILLISECOND);
  r4::Quantity* q = o.mutable_value_quantity();
  q->mutable_value()->set_value("45");
  q->set_comparator(r4::Quantity::LESS_THAN);
  q->set_unit("10*3/uL");
  q->set_system("http://unitsofmeasure.org");
  q->set_code("10*3/uL");
  // Not read by the decision: passed over.
  r4::Coding* category = o.add_category()->add_coding();
  category->set_system("http://terminology.hl7.org/CodeSystem/observation-category");
  category->set_code("laboratory");
  o.mutable_encounter()->set_reference("Encounter/e1");
  o.add_interpretation()->set_text("low");
  return o;
}

// What ReadLabObservationWire reads from `o`'s encoding; `read` says whether it took it. The
// encoding is kept in `bytes`, which the view points into.
LabObservation ReadEncoded(const r4::Observation& o, std::string* bytes, bool* read) {
  *bytes = o.SerializeAsString();
  LabObservation view;
  *read = ReadLabObservationWire(*bytes, &view);
  return view;
}

void ExpectSameView(const LabObservation& want, const LabObservation& got) {
  EXPECT_EQ(want.id, got.id);
  EXPECT_EQ(want.subject_reference, got.subject_reference);
  EXPECT_EQ(want.status, got.status);
  ASSERT_EQ(want.codings.size(), got.codings.size());
  for (size_t i = 0; i < want.codings.size(); ++i) {
    EXPECT_EQ(want.codings[i].system, got.codings[i].system);
    EXPECT_EQ(want.codings[i].code, got.codings[i].code);
    EXPECT_EQ(want.codings[i].display, got.codings[i].display);
  }
  EXPECT_EQ(want.code_text, got.code_text);
  EXPECT_EQ(want.time, got.time);
  EXPECT_EQ(want.value_kind, got.value_kind);
  EXPECT_EQ(want.quantity.value, got.quantity.value);
  EXPECT_EQ(want.quantity.comparator, got.quantity.comparator);
  EXPECT_EQ(want.quantity.unit, got.quantity.unit);
  EXPECT_EQ(want.quantity.code, got.quantity.code);
  EXPECT_EQ(want.value_string, got.value_string);
  EXPECT_EQ(want.has_data_absent_reason, got.has_data_absent_reason);
}

TEST(ReadLabObservationWireTest, ReadsWhatTheParsedProtoGives) {
  const r4::Observation o = Platelets();
  std::string bytes;
  bool read = false;
  const LabObservation view = ReadEncoded(o, &bytes, &read);
  ASSERT_TRUE(read);
  ExpectSameView(LabObservationFromProto(o), view);
  EXPECT_EQ(view.quantity.value, "45");
  EXPECT_EQ(view.quantity.comparator, r4::Quantity::LESS_THAN);
  EXPECT_EQ(view.time, absl::FromUnixMicros(kTakenUs));
  // The views point into the bytes, not into a copy.
  EXPECT_GE(view.id.data(), bytes.data());
  EXPECT_LE(view.id.data() + view.id.size(), bytes.data() + bytes.size());
}

TEST(ReadLabObservationWireTest, TimeIsTakenAsTheParsedProtoGivesIt) {
  r4::Observation issued_only = Platelets();
  issued_only.clear_effective_date_time();
  // An effectiveDateTime without a precision is no time, even with `issued` (TimeOf).
  r4::Observation no_precision = Platelets();
  no_precision.mutable_effective_date_time()->clear_precision();
  for (const r4::Observation& o : {issued_only, no_precision}) {
    std::string bytes;
    bool read = false;
    const LabObservation view = ReadEncoded(o, &bytes, &read);
    ASSERT_TRUE(read);
    ExpectSameView(LabObservationFromProto(o), view);
  }
}

TEST(ReadLabObservationWireTest, ReadsAStringValue) {
  r4::Observation o = Platelets();
  o.set_value_string("clumped: see smear");
  std::string bytes;
  bool read = false;
  const LabObservation view = ReadEncoded(o, &bytes, &read);
  ASSERT_TRUE(read);
  ExpectSameView(LabObservationFromProto(o), view);
  EXPECT_EQ(view.value_kind, LabObservation::ValueKind::kString);
}

// Each of these holds an element the decision reads that a view does not hold, or something
// only the parser may judge: the Observation is left to the parser.
TEST(ReadLabObservationWireTest, LeavesOtherShapesToTheParser) {
  std::vector<std::pair<std::string, std::string>> cases;
  auto add = [&](const std::string& what, const r4::Observation& o) {
    cases.push_back({what, o.SerializeAsString()});
  };
  r4::Observation o = Platelets();
  o.mutable_value_codeable_concept()->set_text("positive");
  add("valueCodeableConcept", o);
  o = Platelets();
  o.mutable_data_absent_reason()->set_text("specimen clotted");
  add("dataAbsentReason", o);
  o = Platelets();
  o.add_component()->mutable_code()->set_text("systolic");
  add("component", o);
  o = Platelets();
  o.mutable_effective_period()->mutable_start()->set_value_us(kTakenUs);
  add("effectivePeriod", o);
  o = Platelets();
  o.add_contained()->mutable_patient()->set_id("p1");
  add("contained", o);
  o = Platelets();
  o.mutable_code()->mutable_coding(0)->set_version("2.77");
  add("a coding with a version", o);
  o = Platelets();
  o.mutable_subject()->set_display("Jane Doe");
  add("a subject with a display", o);
  o = Platelets();
  o.clear_status();
  add("no status", o);
  o = Platelets();
  o.set_status(static_cast<r4::ObservationStatusCode::Value>(1000));
  add("a status out of range (a stub's)", o);
  o = Platelets();
  o.clear_code();
  add("no code", o);
  // A field given twice: parsed, the second code's codings would join the first's.
  r4::Observation code_only;
  *code_only.mutable_code() = Platelets().code();
  cases.push_back({"code twice", Platelets().SerializeAsString() + code_only.SerializeAsString()});
  // A valueString after a valueQuantity: parsed, the last of the oneof wins.
  r4::Observation string_value;
  string_value.set_value_string("45");
  cases.push_back(
      {"two values", Platelets().SerializeAsString() + string_value.SerializeAsString()});
  o = Platelets();
  o.mutable_code()->mutable_coding(0)->set_display("Plaquettes \xC3");
  add("a display that is not UTF-8", o);
  const std::string whole = Platelets().SerializeAsString();
  cases.push_back({"truncated", whole.substr(0, whole.size() - 3)});
  for (const auto& [what, bytes] : cases) {
    LabObservation view;
    EXPECT_FALSE(ReadLabObservationWire(bytes, &view)) << what;
  }
}

TEST(NextWireFieldTest, RefusesWhatIsNotAField) {
  for (const std::string& bytes : {
           std::string("\x08", 1),                 // a varint field without its value
           std::string("\x0a\x05" "abc", 5),       // a length past the end
           std::string("\x0b", 1),                 // a group (wire type 3)
           std::string("\x07\x00", 2),             // field number 0
           std::string("\x0d\x01\x02", 3),         // a fixed32 of three bytes
           std::string(11, '\xff'),                // a varint tag of more than ten bytes
       }) {
    std::string_view rest = bytes;
    WireField field;
    EXPECT_FALSE(NextWireField(&rest, &field)) << testing::PrintToString(bytes);
  }
}

TEST(NextWireFieldTest, ReadsEachWireType) {
  r4::Quantity q;
  q.set_comparator(r4::Quantity::GREATER_THAN);  // 4: varint
  q.set_unit("mg");                              // 5: length-delimited
  const std::string bytes = q.SerializeAsString();
  std::string_view rest = bytes;
  WireField field;
  ASSERT_TRUE(NextWireField(&rest, &field));
  EXPECT_EQ(field.number, 4u);
  EXPECT_EQ(field.wire_type, 0u);
  EXPECT_EQ(field.varint, 4u);
  ASSERT_TRUE(NextWireField(&rest, &field));
  EXPECT_EQ(field.number, 5u);
  EXPECT_EQ(field.payload, "mg");
  EXPECT_TRUE(rest.empty());
}

// The five-byte length AppendLengthDelimited writes is read by the protobuf parser.
TEST(AppendLengthDelimitedTest, WritesWhatTheParserReads) {
  std::string bytes;
  ASSERT_TRUE(AppendLengthDelimited(r4::CodeableConcept::kCodingFieldNumber, &bytes,
                                    [](std::string* out) {
                                      r4::Coding coding;
                                      coding.set_code("777-3");
                                      out->append(coding.SerializeAsString());
                                      return true;
                                    }));
  r4::CodeableConcept concept_read;
  ASSERT_TRUE(concept_read.ParseFromString(bytes));
  ASSERT_EQ(concept_read.coding_size(), 1);
  EXPECT_EQ(concept_read.coding(0).code(), "777-3");
}

}  // namespace
}  // namespace thrombo::fhir
