// Copyright 2026 The Thrombo Authors.
// Tests of the FHIR JSON printer: exact output, round trips (parse(print(x)) == x) over many
// documents and over every choice-element member of the protos, and printer errors.
#include "fhir/json_printer.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fhir/field_table.h"
#include "fhir/json_parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::fhir {
namespace {

using ::testing::HasSubstr;
using ::thrombo::testing::EqualsProto;
using ::thrombo::testing::IsOkAndHolds;
using ::thrombo::testing::StatusIs;

TEST(JsonPrinterTest, CompactOutputIsCanonical) {
  constexpr char kJson[] =
      R"({"resourceType":"Observation","id":"o1","status":"final","code":{"coding":[)"
      R"({"system":"http://loinc.org","code":"718-7"}]},"subject":{"reference":"Patient/1"},)"
      R"("effectiveDateTime":"2020-01-02T03:04:05+01:00","valueQuantity":{"value":13.10,)"
      R"("comparator":"<","unit":"g/dL"}})";
  ASSERT_OK_AND_ASSIGN(ParsedResource parsed, ParseResource(kJson));
  EXPECT_THAT(PrintResource(parsed.resource), IsOkAndHolds(std::string(kJson)));
}

TEST(JsonPrinterTest, PrettyOutput) {
  r4::Patient patient;
  patient.set_id("p");
  patient.set_active(true);
  EXPECT_THAT(PrintMessage(patient, {.pretty = true}),
              IsOkAndHolds("{\n  \"resourceType\": \"Patient\",\n  \"id\": \"p\",\n"
                           "  \"active\": true\n}"));
}

TEST(JsonPrinterTest, SidecarsAndNullsAreReEmitted) {
  constexpr char kJson[] =
      R"({"resourceType":"Patient","name":[{"given":["A",null],"_given":[null,)"
      R"({"extension":[{"url":"u","valueString":"B"}]}]}],"gender":"male",)"
      R"("_gender":{"id":"g"},"birthDate":"1970","_birthDate":{"extension":[{"url":"u",)"
      R"("valueInteger":1}]}})";
  ASSERT_OK_AND_ASSIGN(ParsedResource parsed, ParseResource(kJson));
  ASSERT_OK_AND_ASSIGN(std::string printed, PrintResource(parsed.resource));
  EXPECT_EQ(printed, kJson);
}

// Documents that exercise nesting, contained resources, repeated enums, repeated dates,
// decimals, sidecars and every resource type.
const char* const kRoundTripDocuments[] = {
    R"({"resourceType":"Bundle","id":"b","meta":{"lastUpdated":"2020-01-01T00:00:00Z",)"
    R"("profile":["http://x"],"tag":[{"code":"t"}]},"type":"searchset","total":2,)"
    R"("timestamp":"2021-05-06T07:08:09.123456-04:00","link":[{"relation":"self","url":"u"}],)"
    R"("entry":[{"fullUrl":"urn:uuid:1","resource":{"resourceType":"Patient","id":"1",)"
    R"("deceasedBoolean":false,"multipleBirthBoolean":true}, "search":{"mode":"match",)"
    R"("score":0.50}},{"request":{"method":"PUT","url":"Patient/1",)"
    R"("ifModifiedSince":"2020-01-01T00:00:00Z"},"response":{"status":"201 Created",)"
    R"("outcome":{"resourceType":"OperationOutcome","issue":[{"severity":"information",)"
    R"("code":"informational","diagnostics":"ok","expression":["Patient.id"]}]}}}]})",
    R"({"resourceType":"MedicationRequest","id":"m","status":"active","intent":"order",)"
    R"("subject":{"reference":"Patient/1","display":"P"},"contained":[{"resourceType":)"
    R"("Medication","id":"med","code":{"text":"warfarin"},"status":"active","ingredient":)"
    R"([{"itemCodeableConcept":{"text":"x"},"isActive":true,"strength":{"numerator":)"
    R"({"value":5,"unit":"mg"},"denominator":{"value":1}}}],"batch":{"lotNumber":"1",)"
    R"("expirationDate":"2030-01"}}],"medicationReference":{"reference":"#med"},)"
    R"("authoredOn":"2020-01-01","dosageInstruction":[{"sequence":1,"text":"daily",)"
    R"("timing":{"event":["2020-01-01T08:00:00Z",null],"_event":[null,{"id":"e"}],)"
    R"("repeat":{"boundsPeriod":{"start":"2020-01-01"},"frequency":1,"period":1.0,)"
    R"("periodUnit":"d","dayOfWeek":["mon","fri"],"timeOfDay":["08:00:00"],"when":["MORN"]}},)"
    R"("asNeededBoolean":false,"doseAndRate":[{"doseQuantity":{"value":5,"unit":"mg"},)"
    R"("rateRatio":{"numerator":{"value":1}}}]}],"dispenseRequest":{"numberOfRepeatsAllowed":)"
    R"(0,"validityPeriod":{"end":"2021"}},"substitution":{"allowedBoolean":true},)"
    R"("note":[{"authorString":"dr","text":"note"}]})",
    R"({"resourceType":"AllergyIntolerance","patient":{"reference":"Patient/1"},)"
    R"("category":["food","medication"],"criticality":"unable-to-assess","type":"allergy",)"
    R"("onsetRange":{"low":{"value":1},"high":{"value":2}},"reaction":[{"severity":)"
    R"("moderate","manifestation":[{"text":"rash"}],"onset":"2012-06-12"}]})",
    R"({"resourceType":"Condition","subject":{"reference":"Patient/1"},"onsetPeriod":{)"
    R"("start":"2019"},"abatementAge":{"value":60,"system":"http://unitsofmeasure.org",)"
    R"("code":"a"},"stage":[{"summary":{"text":"II"}}],"evidence":[{"detail":[{"reference":)"
    R"("Observation/1"}]}],"recordedDate":"2019-03"})",
    R"({"resourceType":"Procedure","status":"completed","subject":{"reference":"Patient/1"},)"
    R"("performedString":"long ago","performer":[{"actor":{"reference":"Practitioner/1"}}]})",
    R"({"resourceType":"MedicationStatement","status":"active","subject":{"reference":"p"},)"
    R"("medicationCodeableConcept":{"text":"x"},"effectivePeriod":{"start":"2020"},)"
    R"("dosage":[{"asNeededCodeableConcept":{"text":"pain"}}]})",
    R"({"resourceType":"MedicationAdministration","status":"in-progress","subject":{)"
    R"("reference":"p"},"medicationReference":{"reference":"Medication/1"},)"
    R"("effectiveDateTime":"2020-02-02T10:00:00Z","dosage":{"dose":{"value":1},)"
    R"("rateQuantity":{"value":2}},"performer":[{"actor":{"reference":"x"}}]})",
    R"({"resourceType":"RiskAssessment","status":"final","subject":{"reference":"p"},)"
    R"("occurrenceDateTime":"2020","prediction":[{"probabilityDecimal":0.023,)"
    R"("relativeRisk":1.2,"whenRange":{"low":{"value":1}}}],"mitigation":"m"})",
    R"({"resourceType":"Observation","status":"final","code":{"text":"bp"},)"
    R"("effectiveTiming":{"repeat":{"boundsDuration":{"value":1}}},"component":[{"code":)"
    R"({"text":"sys"},"valueQuantity":{"value":120}},{"code":{"text":"c"},"valueRatio":)"
    R"({"denominator":{"value":3}}}],"issued":"2020-01-01T00:00:00.000Z"})",
};

TEST(JsonPrinterTest, RoundTripsDocuments) {
  for (const char* json : kRoundTripDocuments) {
    ASSERT_OK_AND_ASSIGN(ParsedResource first, ParseResource(json));
    EXPECT_EQ(first.skipped, 0) << json;
    ASSERT_OK_AND_ASSIGN(std::string printed, PrintResource(first.resource));
    ASSERT_OK_AND_ASSIGN(ParsedResource second, ParseResource(printed));
    EXPECT_THAT(second.resource, EqualsProto(first.resource)) << printed;
    ASSERT_OK_AND_ASSIGN(std::string pretty, PrintResource(first.resource, {.pretty = true}));
    ASSERT_OK_AND_ASSIGN(ParsedResource third, ParseResource(pretty));
    EXPECT_THAT(third.resource, EqualsProto(first.resource));
  }
}

// A JSON value of each kind that the parser accepts and the printer reproduces exactly.
std::string SampleValue(const FieldEntry& entry) {
  switch (entry.kind) {
    case FieldKind::kString: return R"("text value")";
    case FieldKind::kCode: return R"("a-code")";
    case FieldKind::kId: return R"("id-1")";
    case FieldKind::kTime: return R"("10:11:12")";
    case FieldKind::kBool: return "false";
    case FieldKind::kInteger: return "-7";
    case FieldKind::kPositiveInt: return "7";
    case FieldKind::kUnsignedInt: return "0";
    case FieldKind::kDecimal: return "1.50";
    case FieldKind::kDate: return R"("2020-02")";
    case FieldKind::kDateTime: return R"("2020-02-03T04:05:06.789+05:30")";
    case FieldKind::kInstant: return R"("2020-02-03T04:05:06Z")";
    default: return R"({"id":"x"})";  // every FHIR complex type has an element id
  }
}

// Visits every message reachable from ContainedResource once.
void CollectTables(const FieldTable& table, std::vector<const FieldTable*>* seen) {
  for (const FieldTable* t : *seen) {
    if (t == &table) return;
  }
  seen->push_back(&table);
  for (const FieldEntry* entry : table.value_entries()) {
    if (entry->message_table != nullptr) CollectTables(*entry->message_table, seen);
  }
}

TEST(JsonPrinterTest, EveryChoiceMemberRoundTrips) {
  std::vector<const FieldTable*> tables;
  CollectTables(FieldTable::For(r4::ContainedResource::descriptor()), &tables);
  ParseOptions options;
  options.check_required = false;  // each document holds only the choice member
  int members = 0;
  for (const FieldTable* table : tables) {
    if (table->descriptor() == r4::ContainedResource::descriptor()) continue;
    for (const FieldEntry* entry : table->value_entries()) {
      if (entry->field->containing_oneof() == nullptr) continue;
      ++members;
      const std::string prefix =
          table->is_resource() ? absl::StrCat(R"({"resourceType":")", table->resource_type(), "\",")
                               : "{";
      const std::string json =
          absl::StrCat(prefix, "\"", entry->json_name, "\":", SampleValue(*entry), "}");
      std::unique_ptr<google::protobuf::Message> message(
          google::protobuf::MessageFactory::generated_factory()
              ->GetPrototype(table->descriptor())
              ->New());
      ASSERT_OK(ParseInto(json, message.get(), options)) << json;
      EXPECT_THAT(PrintMessage(*message), IsOkAndHolds(json));
    }
  }
  EXPECT_GT(members, 80);  // the protos declare this many choice members
}

TEST(JsonPrinterTest, Errors) {
  r4::ContainedResource empty;
  EXPECT_THAT(PrintResource(empty), StatusIs(absl::StatusCode::kInvalidArgument,
                                             HasSubstr("ContainedResource holds no resource")));
  r4::Observation observation;
  observation.mutable_value_quantity()->mutable_value()->set_value("1,5");
  EXPECT_THAT(PrintMessage(observation),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "invalid decimal \"1,5\" at $.valueQuantity.value"));
  observation.Clear();
  observation.set_status(static_cast<r4::ObservationStatusCode::Value>(99));
  EXPECT_THAT(PrintMessage(observation),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("has no FHIR code")));
  r4::Patient patient;
  patient.mutable_birth_date();  // no precision
  EXPECT_THAT(PrintMessage(patient), StatusIs(absl::StatusCode::kInvalidArgument,
                                              "date has no precision at $.birthDate"));
}

}  // namespace
}  // namespace thrombo::fhir
