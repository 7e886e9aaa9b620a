// Copyright 2026 The Thrombo Authors.
// Tests of the FHIR JSON parser: values, choices, sidecars, dispatch, every error class with its
// exact path, limits, strict vs lenient and NDJSON.
#include "fhir/json_parser.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/arena.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::fhir {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::thrombo::testing::EqualsProto;
using ::thrombo::testing::ParseTextProtoOrDie;
using ::thrombo::testing::StatusIs;

// The message of a failed parse, which ends with " at <path>".
std::string ErrorOf(std::string_view json, const ParseOptions& options = {}) {
  absl::StatusOr<ParsedResource> parsed = ParseResource(json, options);
  if (parsed.ok()) return "OK";
  EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(parsed.status().message());
}

TEST(ParseResourceTest, PatientValues) {
  ASSERT_OK_AND_ASSIGN(ParsedResource parsed, ParseResource(R"({
    "resourceType": "Patient", "id": "p1", "active": true, "gender": "female",
    "birthDate": "1970-01-02", "multipleBirthInteger": 2,
    "name": [{"family": "Chalmers", "given": ["Peter", "James"]}],
    "meta": {"lastUpdated": "2020-01-01T10:00:00.5+01:00"}
  })"));
  EXPECT_THAT(parsed.resource, EqualsProto(ParseTextProtoOrDie<r4::ContainedResource>(R"pb(
    patient {
      id: "p1" active: true gender: FEMALE
      birth_date { value_us: 86400000000 precision: DAY }
      multiple_birth_integer: 2
      name { family: "Chalmers" given: "Peter" given: "James" }
      meta { last_updated { value_us: 1577869200500000 precision: MILLISECOND timezone: "+01:00" } }
    })pb")));
  EXPECT_EQ(parsed.skipped, 0);
}

TEST(ParseResourceTest, DecimalsKeepTheirText) {
  ASSERT_OK_AND_ASSIGN(r4::Observation o, ParseAs<r4::Observation>(R"({
    "resourceType": "Observation", "status": "final", "code": {"text": "x"},
    "valueQuantity": {"value": 1.50, "comparator": "<=", "unit": "mg"},
    "referenceRange": [{"low": {"value": 1E-7}, "high": {"value": -0.0}}]})"));
  EXPECT_EQ(o.value_quantity().value().value(), "1.50");
  EXPECT_EQ(o.value_quantity().comparator(), r4::Quantity::LESS_OR_EQUAL);
  EXPECT_EQ(o.reference_range(0).low().value().value(), "1E-7");
  EXPECT_EQ(o.reference_range(0).high().value().value(), "-0.0");
}

TEST(ParseResourceTest, ResourceTypeNeedNotComeFirst) {
  ASSERT_OK_AND_ASSIGN(ParsedResource parsed, ParseResource(R"({
    "id": "m1", "status": "active", "intent": "order",
    "subject": {"reference": "Patient/1"},
    "contained": [{"id": "med", "code": {"text": "aspirin"}, "resourceType": "Medication"}],
    "resourceType": "MedicationRequest",
    "medicationReference": {"reference": "#med"}})"));
  const r4::MedicationRequest& mr = parsed.resource.medication_request();
  EXPECT_EQ(mr.id(), "m1");
  EXPECT_EQ(mr.contained(0).medication().code().text(), "aspirin");
  EXPECT_EQ(mr.medication_reference().reference(), "#med");
}

TEST(ParseResourceTest, ResourceTypeMissingOrWrong) {
  EXPECT_EQ(ErrorOf(R"({"id": "x"})"), "resourceType is missing at Resource");
  EXPECT_EQ(ErrorOf(R"({})"), "resourceType is missing at Resource");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Encounter"})"),
            "resource type \"Encounter\" is not supported at Resource");
  EXPECT_EQ(ErrorOf(R"({"resourceType": 3})"), "resourceType must be a string at Resource");
  EXPECT_THAT(ParseAs<r4::Patient>(R"({"resourceType": "Observation"})").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "resourceType is \"Observation\", expected \"Patient\" at "
                       "Patient.resourceType"));
  EXPECT_THAT(ParseAs<r4::Patient>(R"({"id": "a"})").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, "resourceType is missing at Patient"));
}

TEST(ParseResourceTest, BundleDispatchesAndSkipsUnmodelledTypes) {
  constexpr char kBundle[] = R"({"resourceType": "Bundle", "type": "collection", "entry": [
    {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Patient", "id": "1"}},
    {"resource": {"resourceType": "Encounter", "id": "e", "class": {"code": "x"},
                  "nested": [[1, [2]], {"a": {}}]}},
    {"resource": {"resourceType": "Condition", "id": "c",
                  "subject": {"reference": "urn:uuid:1"}}}]})";
  ASSERT_OK_AND_ASSIGN(ParsedResource parsed, ParseResource(kBundle));
  const r4::Bundle& bundle = parsed.resource.bundle();
  ASSERT_THAT(bundle.entry(), SizeIs(3));
  EXPECT_TRUE(bundle.entry(0).resource().has_patient());
  EXPECT_FALSE(bundle.entry(1).has_resource());
  EXPECT_EQ(bundle.entry(2).resource().condition().id(), "c");
  EXPECT_EQ(parsed.skipped, 1);
  ASSERT_THAT(parsed.warnings, SizeIs(1));
  EXPECT_EQ(parsed.warnings[0].path, "Bundle.entry[1].resource");
  EXPECT_EQ(parsed.warnings[0].message, "resource type \"Encounter\" is not supported; skipped");

  ParseOptions strict;
  strict.strict = true;
  EXPECT_EQ(ErrorOf(kBundle, strict),
            "resource type \"Encounter\" is not supported at Bundle.entry[1].resource");
}

TEST(ParseResourceTest, UnknownElementsAreSkippedAndCounted) {
  constexpr char kPatient[] = R"({"resourceType": "Patient",
    "text": {"status": "generated", "div": "<div/>"},
    "telecom": [{"system": "phone", "value": "1", "period": {"start": [1, {"x": [2]}]}}],
    "name": [{"family": "A", "nickname": "B"}], "id": "p"})";
  ASSERT_OK_AND_ASSIGN(ParsedResource parsed, ParseResource(kPatient));
  EXPECT_EQ(parsed.resource.patient().id(), "p");
  EXPECT_EQ(parsed.resource.patient().name(0).family(), "A");
  EXPECT_EQ(parsed.skipped, 3);
  ASSERT_THAT(parsed.warnings, SizeIs(3));
  EXPECT_EQ(parsed.warnings[0].path, "Patient.text");
  EXPECT_EQ(parsed.warnings[1].path, "Patient.telecom");
  EXPECT_EQ(parsed.warnings[2].path, "Patient.name[0].nickname");
  EXPECT_EQ(parsed.warnings[2].message, "unknown element \"nickname\" in HumanName");

  ParseOptions strict;
  strict.strict = true;
  EXPECT_EQ(ErrorOf(kPatient, strict), "unknown element \"text\" in Patient at Patient.text");
}

TEST(ParseResourceTest, WarningsAreCappedButAllCounted) {
  ParseOptions options;
  options.max_warnings = 1;
  ASSERT_OK_AND_ASSIGN(ParsedResource parsed,
                       ParseResource(R"({"resourceType": "Patient", "a": 1, "b": 2})", options));
  EXPECT_EQ(parsed.skipped, 2);
  EXPECT_THAT(parsed.warnings, SizeIs(1));
}

TEST(ParseResourceTest, PrimitiveSidecars) {
  ASSERT_OK_AND_ASSIGN(r4::Patient patient, ParseAs<r4::Patient>(R"({
    "resourceType": "Patient",
    "birthDate": "1970", "_birthDate": {"id": "b", "extension": [
        {"url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime",
         "valueDateTime": "1970-03-30T08:30:00+01:00"}]},
    "_gender": {"extension": [{"url": "u", "valueCode": "x"}]},
    "name": [{"given": ["Peter", null, "Jim"],
              "_given": [null, {"extension": [{"url": "u", "valueString": "P"}]}, null]}]})"));
  EXPECT_THAT(patient, EqualsProto(ParseTextProtoOrDie<r4::Patient>(R"pb(
    birth_date { value_us: 0 precision: YEAR }
    primitive_extension {
      field: "birthDate" id: "b"
      extension {
        url: "http://hl7.org/fhir/StructureDefinition/patient-birthTime"
        value_date_time { value_us: 7630200000000 precision: SECOND timezone: "+01:00" }
      }
    }
    primitive_extension { field: "gender" extension { url: "u" value_code: "x" } }
    name {
      given: "Peter" given: "" given: "Jim"
      primitive_extension {
        field: "given" in_array: true index: 1 extension { url: "u" value_string: "P" }
      }
    })pb")));
}

TEST(ParseResourceTest, SidecarErrors) {
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "name": [{"given": ["a", null]}]})"),
            "null at given[1] has no matching _given extension at Patient.name[0]");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "_birthDate": "x"})"),
            "expected an object, got a string at Patient._birthDate");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "name": [{"_given": {"id": "x"}}]})"),
            "expected an array, got an object at Patient.name[0]._given");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "_birthDate": {}})"),
            "an object must not be empty at Patient._birthDate");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "_birthDate": {"field": "x"}})"),
            "OK");  // "field" is not a JSON member of a sidecar: skipped
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "name": [{"_given": [null, 3]}]})"),
            "expected an object or null, got a number at Patient.name[0]._given[1]");
}

TEST(ParseResourceTest, ChoiceElements) {
  ASSERT_OK_AND_ASSIGN(r4::Condition condition, ParseAs<r4::Condition>(R"({
    "resourceType": "Condition", "subject": {"reference": "Patient/1"},
    "onsetAge": {"value": 52, "unit": "a"}, "abatementString": "resolved"})"));
  EXPECT_EQ(condition.onset_age().value().value(), "52");
  EXPECT_EQ(condition.abatement_string(), "resolved");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Observation", "status": "final", "code": {"text": "x"},
                        "valueQuantity": {"value": 1}, "valueString": "a"})"),
            "choice element value[x] has two values, valueQuantity and valueString at "
            "Observation.valueString");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "deceasedBoolean": false,
                        "deceasedDateTime": "2020"})"),
            "choice element deceased[x] has two values, deceasedBoolean and deceasedDateTime "
            "at Patient.deceasedDateTime");
}

TEST(ParseResourceTest, DeepErrorPath) {
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Bundle", "type": "collection", "entry": [
      {}, {"fullUrl": "a"}, {"fullUrl": "b"},
      {"resource": {"resourceType": "MedicationRequest", "status": "active", "intent": "order",
        "subject": {"reference": "Patient/1"},
        "dosageInstruction": [{"timing": {"repeat": {"period": "1"}}}]}}]})"),
            "an object must not be empty at Bundle.entry[0]");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Bundle", "type": "collection", "entry": [
      {"fullUrl": "x"}, {"fullUrl": "a"}, {"fullUrl": "b"},
      {"resource": {"resourceType": "MedicationRequest", "status": "active", "intent": "order",
        "subject": {"reference": "Patient/1"},
        "dosageInstruction": [{"timing": {"repeat": {"period": "1"}}}]}}]})"),
            "expected a number, got a string at "
            "Bundle.entry[3].resource.dosageInstruction[0].timing.repeat.period");
}

TEST(ParseResourceTest, WrongJsonTypes) {
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "id": 5})"),
            "expected a string, got a number at Patient.id");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "multipleBirthInteger": "2"})"),
            "expected a number, got a string at Patient.multipleBirthInteger");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "active": "true"})"),
            "expected a boolean, got a string at Patient.active");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "name": {"family": "x"}})"),
            "expected an array, got an object at Patient.name");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "name": ["x"]})"),
            "expected an object, got a string at Patient.name[0]");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "maritalStatus": [{"text": "x"}]})"),
            "expected an object, got an array at Patient.maritalStatus");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "birthDate": {"x": 1}})"),
            "expected a string, got an object at Patient.birthDate");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "name": [["x"]]})"),
            "expected an element, got a nested array at Patient.name[0]");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "name": [{"given": "x"}]})"),
            "expected an array, got a string at Patient.name[0].given");
  EXPECT_EQ(ErrorOf(R"(["resourceType"])"), "expected an object, got an array at Resource");
}

TEST(ParseResourceTest, BadPrimitiveValues) {
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "birthDate": "2023-02-29"})"),
            "invalid date \"2023-02-29\" at Patient.birthDate");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "deceasedDateTime": "2020-01-01T10:00:00"})"),
            "invalid dateTime \"2020-01-01T10:00:00\" at Patient.deceasedDateTime");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "meta": {"lastUpdated": "2020-01-01"}})"),
            "invalid instant \"2020-01-01\" at Patient.meta.lastUpdated");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "gender": "F"})"),
            "invalid code \"F\" at Patient.gender");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "language": "en  US"})"),
            "invalid code \"en  US\" at Patient.language");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "id": "a b"})"),
            "invalid id \"a b\" at Patient.id");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "multipleBirthInteger": 1.5})"),
            "invalid integer \"1.5\" at Patient.multipleBirthInteger");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "multipleBirthInteger": 2147483648})"),
            "integer 2147483648 is out of range [-2147483648, 2147483647] at "
            "Patient.multipleBirthInteger");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Bundle", "type": "searchset", "total": -1})"),
            "integer -1 is out of range [0, 2147483647] at Bundle.total");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient",
      "extension": [{"url": "u", "valuePositiveInt": 0}]})"),
            "integer 0 is out of range [1, 2147483647] at Patient.extension[0].valuePositiveInt");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Observation", "status": "final", "code": {"text": "x"},
                        "valueTime": "25:00:00"})"),
            "invalid time \"25:00:00\" at Observation.valueTime");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Bundle", "type": "batch", "entry": [
                        {"request": {"method": "get", "url": "x"}}]})"),
            "invalid code \"get\" at Bundle.entry[0].request.method");
}

TEST(ParseResourceTest, EmptyAndNullValues) {
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "id": ""})"),
            "a string must not be empty at Patient.id");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "maritalStatus": {}})"),
            "an object must not be empty at Patient.maritalStatus");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "active": null})"),
            "null is not allowed here at Patient.active");
  ParseOptions strict;
  strict.strict = true;
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "name": []})", strict),
            "an array must not be empty at Patient.name");
  // Lenient (default): an empty array, which EHRs send, is read as absent and reported.
  ASSERT_OK_AND_ASSIGN(ParsedResource lenient,
                       ParseResource(R"({"resourceType": "Bundle", "type": "searchset",
                                         "entry": []})"));
  EXPECT_EQ(lenient.resource.bundle().entry_size(), 0);
  ASSERT_EQ(lenient.warnings.size(), 1u);
  EXPECT_EQ(lenient.warnings[0].path, "Bundle.entry");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "name": [null]})"),
            "null is not allowed here at Patient.name[0]");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "id": "a", "id": "b"})"),
            "duplicate element at Patient.id");
  // A second resourceType, even the same, in every mode: the type is never left out (found by
  // cds_hook_fuzzer: tolerant mode tried to clear it as a field).
  for (const bool tolerant : {false, true}) {
    ParseOptions options;
    options.tolerant = tolerant;
    EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "id": "a", "resourceType": "Patient"})",
                      options),
              "duplicate element at Patient.resourceType")
        << "tolerant " << tolerant;
    EXPECT_EQ(ErrorOf(R"({"resourceType": "MedicationRequest", "id": "a",
                          "resourceType": "Condition"})",
                      options),
              "duplicate element at MedicationRequest.resourceType")
        << "tolerant " << tolerant;
  }
}

TEST(ParseResourceTest, RequiredElements) {
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Observation", "code": {"text": "x"}})"),
            "missing required element \"status\" at Observation");
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "extension": [{"valueString": "x"}]})"),
            "missing required element \"url\" at Patient.extension[0]");
  // An extension on the element stands in for its value.
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Observation", "code": {"text": "x"},
      "_status": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                                 "valueCode": "unknown"}]}})"),
            "OK");
  ParseOptions lax;
  lax.check_required = false;
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Observation", "code": {"text": "x"}})", lax), "OK");
}

TEST(ParseResourceTest, InvalidJsonHasLineAndColumn) {
  absl::StatusOr<ParsedResource> parsed =
      ParseResource("{\"resourceType\": \"Patient\",\n \"name\": [{\"family\": \"x\" \"given\"");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(std::string(parsed.status().message()),
            "invalid JSON: Missing a comma or '}' after an object member. (line 2, column 26) "
            "at Patient.name[0]");
  EXPECT_EQ(ErrorPath(parsed.status()), "Patient.name[0]");
  EXPECT_EQ(ErrorPosition(parsed.status()), std::make_pair(2, 26));
  EXPECT_THAT(ErrorOf("{\"resourceType\": \"Patient\", \"id\": \"\xff\"}"),
              HasSubstr("Invalid encoding"));
  EXPECT_THAT(ErrorOf(""), HasSubstr("The document is empty"));
  EXPECT_THAT(ErrorOf(R"({"resourceType": "Patient"} {})"), HasSubstr("not be followed"));
}

TEST(ParseResourceTest, Limits) {
  ParseOptions options;
  options.max_document_bytes = 10;
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient"})", options),
            "document is 27 bytes, limit is 10 at Resource");

  std::string deep = R"({"resourceType": "Patient", "x": )" + std::string(10000, '[') +
                     std::string(10000, ']') + "}";
  EXPECT_EQ(ErrorOf(deep), "nesting is deeper than the limit of 64 at Patient.x");

  options = ParseOptions();
  options.max_string_bytes = 12;  // "resourceType" is 12 bytes
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "id": "1234567890123"})", options),
            "string is 13 bytes, limit is 12 at Patient.id");

  options = ParseOptions();
  options.max_elements = 5;
  EXPECT_EQ(ErrorOf(R"({"resourceType": "Patient", "id": "1", "active": true})", options),
            "document has more than 5 elements (the max_elements limit) at Patient");
}

TEST(ParseResourceTest, ErrorsCarryPathPayloadAndIssueType) {
  absl::StatusOr<ParsedResource> parsed =
      ParseResource(R"({"resourceType": "Patient", "gender": "F"})");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(ErrorPath(parsed.status()), "Patient.gender");
  EXPECT_EQ(ErrorIssueType(parsed.status()), IssueType::kValue);
}

TEST(ParseIntoTest, ContainedResourceOnAnArena) {
  google::protobuf::Arena arena;
  auto* resource = google::protobuf::Arena::CreateMessage<r4::ContainedResource>(&arena);
  ASSERT_OK(ParseInto(R"({"resourceType": "Patient", "name": [{"family": "A"}]})", resource));
  EXPECT_EQ(resource->patient().name(0).family(), "A");
  EXPECT_EQ(resource->patient().GetArena(), &arena);
  EXPECT_THAT(ParseInto(R"({"resourceType": "Encounter"})", resource),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "resource type \"Encounter\" is not supported at Resource"));
}

TEST(ParseNdjsonTest, ParsesEachLine) {
  std::vector<std::string> ids;
  ASSERT_OK(ParseNdjson("{\"resourceType\":\"Patient\",\"id\":\"a\"}\r\n\n"
                        "{\"resourceType\":\"Patient\",\"id\":\"b\"}",
                        ParseOptions(), [&](int line, ParsedResource r) {
                          ids.push_back(absl::StrCat(line, ":", r.resource.patient().id()));
                          return absl::OkStatus();
                        }));
  EXPECT_THAT(ids, ElementsAre("1:a", "3:b"));
}

TEST(ParseNdjsonTest, ErrorNamesTheLine) {
  absl::Status status = ParseNdjson(
      "{\"resourceType\":\"Patient\"}\n{\"resourceType\":\"Patient\",\"id\":1}\n",
      ParseOptions(), [](int, ParsedResource) { return absl::OkStatus(); });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               "line 2: expected a string, got a number at Patient.id"));
  EXPECT_EQ(ErrorPosition(status), std::make_pair(2, 1));
}

// ---- Tolerant mode (the CDS Hooks path) -------------------------------------------------

ParseOptions Tolerant() {
  ParseOptions options;
  options.tolerant = true;
  return options;
}

// "kind path (resource_type.element)" of each deviation, for compact expectations.
std::vector<std::string> Deviations(const std::vector<ParseDeviation>& deviations) {
  std::vector<std::string> out;
  for (const ParseDeviation& d : deviations) {
    out.push_back(absl::StrCat(std::string(DeviationKindName(d.kind)), " ", d.path, " (",
                               d.resource_type, ".", d.element, ")"));
  }
  return out;
}

// The Sandbox's and the hook library's draft order: Bundle.type missing, category and
// doseAndRate as one object, no intent.
constexpr char kLooseDraftBundle[] = R"({"resourceType": "Bundle", "entry": [{"resource": {
  "resourceType": "MedicationRequest", "id": "m1", "status": "draft",
  "category": {"coding": [{"code": "outpatient"}]},
  "medicationCodeableConcept": {"coding": [{"system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                            "code": "342369"}]},
  "subject": {"reference": "Patient/p1"},
  "dosageInstruction": [{"doseAndRate": {"doseQuantity": {"value": 25, "unit": "mg"}}}]}}]})";

TEST(TolerantParseTest, StrictR4RefusesTheLooseDraft) {
  EXPECT_THAT(ParseAs<r4::Bundle>(kLooseDraftBundle).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("expected an array")));
}

TEST(TolerantParseTest, ObjectForArrayAndMissingRequiredAreAcceptedAndReported) {
  ParseReport report;
  ASSERT_OK_AND_ASSIGN(r4::Bundle bundle,
                       ParseAs<r4::Bundle>(kLooseDraftBundle, Tolerant(), &report));
  const r4::MedicationRequest& order = bundle.entry(0).resource().medication_request();
  ASSERT_THAT(order.category(), SizeIs(1));
  EXPECT_EQ(order.category(0).coding(0).code(), "outpatient");
  ASSERT_THAT(order.dosage_instruction(0).dose_and_rate(), SizeIs(1));
  EXPECT_EQ(order.dosage_instruction(0).dose_and_rate(0).dose_quantity().value().value(), "25");
  EXPECT_EQ(order.medication_codeable_concept().coding(0).code(), "342369");
  EXPECT_THAT(
      Deviations(report.deviations),
      ElementsAre(
          "object_for_array Bundle.entry[0].resource.category (MedicationRequest.category)",
          "object_for_array Bundle.entry[0].resource.dosageInstruction[0].doseAndRate "
          "(MedicationRequest.dosageInstruction)",
          "missing_required Bundle.entry[0].resource.intent (MedicationRequest.intent)",
          "missing_required Bundle.type (Bundle.type)"));
}

TEST(TolerantParseTest, ScalarForArrayIsOneElement) {
  ParseReport report;
  ASSERT_OK_AND_ASSIGN(r4::Patient patient, ParseAs<r4::Patient>(
      R"({"resourceType": "Patient", "name": [{"given": "Ann"}]})", Tolerant(), &report));
  EXPECT_THAT(patient.name(0).given(), ElementsAre("Ann"));
  EXPECT_THAT(Deviations(report.deviations),
              ElementsAre("scalar_for_array Patient.name[0].given (Patient.name)"));
}

TEST(TolerantParseTest, WrongShapesAreDroppedWithTheirPathNotTheirValue) {
  ParseReport report;
  ASSERT_OK_AND_ASSIGN(r4::Observation o, ParseAs<r4::Observation>(R"({
    "resourceType": "Observation", "status": "final", "code": {"text": "Platelets"},
    "effectiveDateTime": "last tuesday", "valueQuantity": [{"value": 40}],
    "issued": {"when": "now"}, "note": [{"text": "ok"}, 7]})", Tolerant(), &report));
  EXPECT_FALSE(o.has_effective_date_time());
  EXPECT_FALSE(o.has_value_quantity());
  EXPECT_FALSE(o.has_issued());
  EXPECT_THAT(o.note(), SizeIs(1));
  EXPECT_EQ(o.code().text(), "Platelets");
  EXPECT_THAT(Deviations(report.deviations),
              ElementsAre("dropped_element Observation.effectiveDateTime "
                          "(Observation.effectiveDateTime)",
                          "dropped_element Observation.valueQuantity (Observation.valueQuantity)",
                          "dropped_element Observation.issued (Observation.issued)",
                          "dropped_element Observation.note[1] (Observation.note)"));
  for (const ParseDeviation& d : report.deviations) {
    EXPECT_THAT(d.message, ::testing::Not(HasSubstr("tuesday")));
  }
}

TEST(TolerantParseTest, AnInvalidCodeIsDroppedAndTheResourceKept) {
  ParseReport report;
  ASSERT_OK_AND_ASSIGN(r4::MedicationRequest m, ParseAs<r4::MedicationRequest>(R"({
    "resourceType": "MedicationRequest", "status": "signed", "intent": "order",
    "subject": {"reference": "Patient/p"}, "medicationCodeableConcept": {"text": "x"}})",
                                                   Tolerant(), &report));
  EXPECT_EQ(m.status(), 0);
  // Dropped, and then missing: both are reported.
  EXPECT_THAT(Deviations(report.deviations),
              ElementsAre("dropped_element MedicationRequest.status (MedicationRequest.status)",
                          "missing_required MedicationRequest.status (MedicationRequest.status)"));
}

TEST(TolerantParseTest, DuplicateAndConflictingChoiceValuesAreBothDropped) {
  ParseReport report;
  ASSERT_OK_AND_ASSIGN(r4::Observation o, ParseAs<r4::Observation>(R"({
    "resourceType": "Observation", "status": "final", "code": {"text": "Hb"},
    "valueQuantity": {"value": 9}, "valueString": "nine"})", Tolerant(), &report));
  EXPECT_FALSE(o.has_value_quantity());
  EXPECT_TRUE(o.value_string().empty());
  EXPECT_THAT(Deviations(report.deviations),
              ElementsAre("dropped_element Observation.valueString (Observation.valueString)"));
}

TEST(TolerantParseTest, TopLevelUnmodelledResourceIsSkippedNotAnError) {
  absl::StatusOr<ParsedResource> parsed =
      ParseResource(R"({"resourceType": "Encounter", "id": "e1", "period": {}})", Tolerant());
  ASSERT_OK(parsed.status());
  EXPECT_EQ(parsed->resource.resource_case(), r4::ContainedResource::RESOURCE_NOT_SET);
  EXPECT_EQ(parsed->skipped, 1);
}

TEST(TolerantParseTest, LimitsAndForeignResourceTypesStayErrors) {
  ParseOptions options = Tolerant();
  options.max_depth = 3;
  EXPECT_THAT(ErrorOf(R"({"resourceType": "Patient", "name": [{"period": {"start": "2020"}}]})",
                      options),
              HasSubstr("nesting is deeper"));
  EXPECT_THAT(ParseAs<r4::Bundle>(R"({"resourceType": "Patient"})", Tolerant()).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("expected \"Bundle\"")));
}

TEST(TolerantParseTest, StrictWinsOverTolerant) {
  ParseOptions options = Tolerant();
  options.strict = true;
  EXPECT_THAT(ParseAs<r4::Bundle>(kLooseDraftBundle, options).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace thrombo::fhir
