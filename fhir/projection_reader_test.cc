// Copyright 2026 The Thrombo Authors.
// Tests of the projection reader: it gives the full reader's proto restricted to the read paths,
// judges read elements as the full reader does, skips the others unjudged, and answers every
// failure with the full reader's exact error.
#include "fhir/projection_reader.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/json_index.h"
#include "fhir/lab_observation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::fhir {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::thrombo::testing::EqualsProto;

ParseOptions Tolerant() {
  ParseOptions options;
  options.tolerant = true;
  return options;
}

// "kind resource_type element path" of each deviation.
std::vector<std::string> Describe(const std::vector<ParseDeviation>& deviations) {
  std::vector<std::string> out;
  for (const ParseDeviation& d : deviations) {
    out.push_back(absl::StrCat(std::string(DeviationKindName(d.kind)), " ", d.resource_type, " ", d.element,
                               " ", d.path));
  }
  return out;
}

// The full reader's result, pruned to the decision's read paths.
r4::ContainedResource FullPruned(std::string_view json, const ParseOptions& options = {}) {
  absl::StatusOr<ParsedResource> full = ParseResource(json, options);
  EXPECT_TRUE(full.ok()) << full.status();
  r4::ContainedResource resource = full.ok() ? full->resource : r4::ContainedResource();
  PruneToProjection(Projection::Decision().resource(), &resource);
  return resource;
}

constexpr char kObservation[] = R"({
  "resourceType": "Observation", "id": "o1",
  "text": {"status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>"},
  "identifier": [{"system": "urn:x", "value": "1"}],
  "status": "final",
  "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory"}]}],
  "code": {"coding": [{"system": "http://loinc.org", "code": "777-3"}], "text": "Platelets"},
  "subject": {"reference": "urn:uuid:5b2d3c4e-0000-4000-8000-000000000001"},
  "effectiveDateTime": "2026-11-30T08:00:00Z",
  "_effectiveDateTime": {"extension": [{"url": "urn:x", "valueString": "y"}]},
  "valueQuantity": {"value": 1.50e2, "unit": "10*3/uL", "system": "http://unitsofmeasure.org", "code": "10*3/uL"},
  "note": [{"text": "unread"}],
  "referenceRange": [{"low": {"value": 150.0}, "high": {"value": 400.00}}],
  "component": [{"code": {"text": "c"}, "valueQuantity": {"value": 0.10}}]
})";

TEST(ProjectionTest, DecisionTableCompiles) {
  EXPECT_OK(Projection::Compile(DecisionReadPaths()).status());
}

TEST(ProjectionTest, UnknownElementOrTypeIsAnError) {
  EXPECT_THAT(Projection::Compile({{"Observation", "status valueQuantiy"}}).status(),
              ::thrombo::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                           HasSubstr("valueQuantiy")));
  EXPECT_THAT(Projection::Compile({{"Observatoin", "status"}}).status(),
              ::thrombo::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                           HasSubstr("Observatoin")));
  EXPECT_THAT(Projection::Compile({{"Observation", "status.code"}}).status(),
              ::thrombo::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                           HasSubstr("has no elements")));
}

TEST(ProjectionReaderTest, ReadsTheReadPathsAndNothingElse) {
  ProjectionStats stats;
  ASSERT_OK_AND_ASSIGN(ParsedResource projected,
                       ParseResourceProjected(kObservation, {}, Projection::Decision(), &stats));
  EXPECT_FALSE(stats.fell_back);
  EXPECT_EQ(stats.unread_members, 5);  // text, identifier, category, note, referenceRange
  EXPECT_THAT(projected.resource, EqualsProto(FullPruned(kObservation)));
  const r4::Observation& o = projected.resource.observation();
  EXPECT_EQ(o.id(), "o1");
  EXPECT_EQ(o.note_size(), 0);
  EXPECT_EQ(o.reference_range_size(), 0);
  // Decimals keep their text, exponent and trailing zeros included.
  EXPECT_EQ(o.value_quantity().value().value(), "1.50e2");
  EXPECT_EQ(o.component(0).value_quantity().value().value(), "0.10");
  // The sidecar of a read primitive goes with it.
  EXPECT_EQ(o.primitive_extension_size(), 1);
}

TEST(ProjectionReaderTest, BundleContainedChoiceAndReferences) {
  constexpr char kBundle[] = R"({
    "resourceType": "Bundle", "type": "collection", "id": "b", "meta": {"versionId": "3"},
    "entry": [
      {"fullUrl": "urn:uuid:5b2d3c4e-0000-4000-8000-000000000001",
       "resource": {"resourceType": "Patient", "id": "p", "birthDate": "1950-02-03",
                    "_gender": {"extension": [{"url": "urn:g", "valueCode": "x"}]},
                    "name": [{"family": "Unread"}], "deceasedBoolean": false}},
      {"fullUrl": "https://x/fhir/MedicationRequest/m",
       "resource": {"id": "m", "resourceType": "MedicationRequest", "status": "active",
                    "intent": "order", "subject": {"reference": "Patient/p"},
                    "contained": [{"resourceType": "Medication", "id": "med",
                                   "code": {"text": "lenalidomide 25 MG"},
                                   "text": {"status": "generated", "div": "<div>u</div>"}}],
                    "medicationReference": {"reference": "#med"},
                    "requester": {"reference": "Practitioner/1"},
                    "dosageInstruction": [{"text": "25 mg daily", "doseAndRate": [
                       {"doseQuantity": {"value": 25.0, "unit": "mg"}}]}],
                    "dispenseRequest": {"validityPeriod": {"end": "2027-01-01"}}}},
      {"resource": {"resourceType": "RiskAssessment", "id": "r", "status": "final",
                    "subject": {"reference": "Patient/p"}, "identifier": [{"value": "1"}]}},
      {"resource": {"resourceType": "Encounter", "id": "unmodelled"}}
    ]})";
  ASSERT_OK_AND_ASSIGN(ParsedResource projected, ParseResourceProjected(kBundle, Tolerant()));
  EXPECT_THAT(projected.resource, EqualsProto(FullPruned(kBundle, Tolerant())));
  const r4::Bundle& bundle = projected.resource.bundle();
  ASSERT_EQ(bundle.entry_size(), 4);
  EXPECT_EQ(bundle.entry(0).full_url(), "urn:uuid:5b2d3c4e-0000-4000-8000-000000000001");
  EXPECT_EQ(bundle.entry(0).resource().patient().name_size(), 0);
  EXPECT_TRUE(bundle.entry(0).resource().patient().has_deceased_boolean());
  const r4::MedicationRequest& mr = bundle.entry(1).resource().medication_request();
  EXPECT_EQ(mr.medication_reference().reference(), "#med");
  EXPECT_EQ(mr.contained(0).medication().code().text(), "lenalidomide 25 MG");
  EXPECT_FALSE(mr.has_requester());
  EXPECT_EQ(mr.dosage_instruction(0).dose_and_rate(0).dose_quantity().value().value(), "25.0");
  // An unread type keeps its id (and its required elements), not the rest.
  EXPECT_EQ(bundle.entry(2).resource().risk_assessment().id(), "r");
  EXPECT_EQ(bundle.entry(2).resource().risk_assessment().identifier_size(), 0);
}

TEST(ProjectionReaderTest, UnreadElementsAreNotJudged) {
  // Malformed elements nothing reads (a RiskAssessment's period, an Observation's note and
  // reference range, a Patient's name): the full reader drops them with deviations; the
  // projection never looks inside them. Only an unread element's own JSON type is checked
  // against its element (one lookup it makes anyway): a string where Patient.name (HumanName)
  // or Observation.note (Annotation) is due is reported as unread_malformed, which costs
  // nothing; an array or object of the right type is not looked into.
  constexpr char kBundle[] = R"({"resourceType": "Bundle", "type": "collection", "entry": [
    {"resource": {"resourceType": "RiskAssessment", "id": "r", "status": "final",
                  "subject": {"reference": "Patient/p"}, "occurrencePeriod": {"start": 2026}}},
    {"resource": {"resourceType": "Patient", "id": "p", "name": "Chalmers"}},
    {"resource": {"resourceType": "Observation", "id": "o", "status": "final",
                  "code": {"text": "x"}, "note": "not an array of Annotation",
                  "referenceRange": [{"low": {"value": "150"}}], "text": {}}}]})";
  ASSERT_OK_AND_ASSIGN(ParsedResource full, ParseResource(kBundle, Tolerant()));
  EXPECT_EQ(full.deviations.size(), 6u) << ::testing::PrintToString(Describe(full.deviations));
  ASSERT_OK_AND_ASSIGN(ParsedResource projected, ParseResourceProjected(kBundle, Tolerant()));
  EXPECT_THAT(Describe(projected.deviations),
              ::testing::ElementsAre(
                  "unread_malformed Patient name Bundle.entry[1].resource.name",
                  "unread_malformed Observation note Bundle.entry[2].resource.note"));
  EXPECT_THAT(projected.resource, EqualsProto(FullPruned(kBundle, Tolerant())));
  // Deviations are the tolerant mode's report; the default mode skips the same elements.
  ASSERT_OK_AND_ASSIGN(ParsedResource plain, ParseResourceProjected(kBundle));
  EXPECT_THAT(plain.deviations, IsEmpty());
}

TEST(ProjectionReaderTest, UnreadMembersOfReadElementsAndSidecarsAreTypeChecked) {
  // Bundle.entry is read member by member: its unread `request` given as a string is reported
  // with its path; `_language` (the sidecar of an unread primitive) must be an object; `meta`
  // as an array is wrong; null is never a member's value. An array's items are not looked at
  // (`focus`), and one object for an array (`partOf`) is what the tolerant reader accepts.
  constexpr char kBundle[] = R"({"resourceType": "Bundle", "type": "transaction", "entry": [
    {"request": "POST", "resource": {"resourceType": "Observation", "id": "o",
       "status": "final", "code": {"text": "x"}, "meta": [{}], "_language": "en",
       "language": "en", "encounter": null, "focus": [7], "partOf": {"reference": "x"}}}]})";
  ASSERT_OK_AND_ASSIGN(ParsedResource projected, ParseResourceProjected(kBundle, Tolerant()));
  EXPECT_THAT(Describe(projected.deviations),
              ::testing::ElementsAre(
                  "unread_malformed Bundle entry Bundle.entry[0].request",
                  "unread_malformed Observation meta Bundle.entry[0].resource.meta",
                  "unread_malformed Observation _language Bundle.entry[0].resource._language",
                  "unread_malformed Observation encounter Bundle.entry[0].resource.encounter"));
  EXPECT_THAT(projected.resource, EqualsProto(FullPruned(kBundle, Tolerant())));
}

TEST(ProjectionReaderTest, ReadElementsAreJudgedAsTheFullReaderDoes) {
  constexpr char kObservations[] = R"({"resourceType": "Bundle", "type": "searchset", "entry": [
    {"resource": {"resourceType": "Observation", "id": "o1", "status": "final",
                  "code": {"text": "x"}, "valueQuantity": "12"}},
    {"resource": {"resourceType": "Observation", "id": "o2", "status": "finalized",
                  "code": {"coding": {"code": "777-3"}}, "effectiveDateTime": "yesterday"}},
    {"resource": {"resourceType": "Observation", "id": "o3", "code": {"text": "y"},
                  "valueQuantity": {"value": 5, "value": 6}}}]})";
  ASSERT_OK_AND_ASSIGN(ParsedResource full, ParseResource(kObservations, Tolerant()));
  ASSERT_OK_AND_ASSIGN(ParsedResource projected,
                       ParseResourceProjected(kObservations, Tolerant()));
  EXPECT_FALSE(full.deviations.empty());
  EXPECT_EQ(Describe(projected.deviations), Describe(full.deviations));
  EXPECT_THAT(projected.resource, EqualsProto(FullPruned(kObservations, Tolerant())));
}

// With a table, a root Bundle's Observations of the common shape become views, as on the hook
// route; one the view cannot hold (effectivePeriod) stays a proto, and a text the full reader
// answers adds no view.
TEST(ProjectionReaderTest, ObservationsOfABundleBecomeViewsWhenGivenATable) {
  constexpr char kLabs[] = R"({"resourceType": "Bundle", "type": "collection", "entry": [
    {"resource": {"resourceType": "Observation", "id": "plain", "status": "final",
                  "code": {"coding": [{"system": "http://loinc.org", "code": "777-3"}]},
                  "subject": {"reference": "Patient/p"},
                  "effectiveDateTime": "2026-11-20T12:00:00+01:00",
                  "valueQuantity": {"value": 42.50, "comparator": "<", "unit": "10*3/uL"}}},
    {"resource": {"resourceType": "Observation", "id": "period", "status": "final",
                  "code": {"text": "x"}, "effectivePeriod": {"start": "2026-11-20"}}}]})";
  LabObservationTable views;
  ASSERT_OK_AND_ASSIGN(ParsedResource projected,
                       ParseResourceProjected(kLabs, {}, Projection::Decision(), nullptr,
                                              &views));
  const auto& entries = projected.resource.bundle().entry();
  ASSERT_EQ(entries.size(), 2);
  const r4::Observation& plain = entries[0].resource().observation();
  EXPECT_TRUE(IsViewStub(plain));
  EXPECT_FALSE(IsViewStub(entries[1].resource().observation()));
  ASSERT_EQ(views.size(), 1u);

  ASSERT_OK_AND_ASSIGN(ParsedResource full, ParseResource(kLabs));
  const LabObservation expected =
      LabObservationFromProto(full.resource.bundle().entry(0).resource().observation());
  const LabObservation* view = views.Find(&plain);
  ASSERT_NE(view, nullptr);
  EXPECT_EQ(view->id, expected.id);
  EXPECT_EQ(view->subject_reference, expected.subject_reference);
  EXPECT_EQ(view->status, expected.status);
  ASSERT_EQ(view->codings.size(), 1u);
  EXPECT_EQ(view->codings[0].code, "777-3");
  EXPECT_EQ(view->time, expected.time);
  EXPECT_EQ(view->quantity.value, "42.50");
  EXPECT_EQ(view->quantity.comparator, expected.quantity.comparator);
  EXPECT_EQ(view->quantity.unit, expected.quantity.unit);

  // A syntax error: the full reader answers, and the table keeps only the earlier view.
  EXPECT_FALSE(ParseResourceProjected(std::string(kLabs) + "x", {}, Projection::Decision(),
                                      nullptr, &views)
                   .ok());
  EXPECT_EQ(views.size(), 1u);
}

// An Observation on its own (an NDJSON line) becomes a view added to the same table, so that
// one table can gather a patient's lines.
TEST(ProjectionReaderTest, ARootObservationBecomesAViewAddedToTheTable) {
  LabObservationTable views;
  ASSERT_OK_AND_ASSIGN(
      ParsedResource first,
      ParseResourceProjected(R"({"resourceType": "Observation", "id": "a", "status": "final",
                                 "code": {"text": "platelets"}, "valueString": "clumped"})",
                             {}, Projection::Decision(), nullptr, &views));
  ASSERT_OK_AND_ASSIGN(
      ParsedResource second,
      ParseResourceProjected(R"({"resourceType": "Observation", "id": "b", "status": "final",
                                 "code": {"text": "creatinine"}, "valueQuantity": {"value": 1.1}})",
                             {}, Projection::Decision(), nullptr, &views));
  ASSERT_EQ(views.size(), 2u);
  ASSERT_TRUE(IsViewStub(first.resource.observation()));
  ASSERT_TRUE(IsViewStub(second.resource.observation()));
  EXPECT_EQ(views.Find(&first.resource.observation())->value_string, "clumped");
  EXPECT_EQ(views.Find(&second.resource.observation())->quantity.value, "1.1");
  // Without a table it is an ordinary proto.
  ASSERT_OK_AND_ASSIGN(
      ParsedResource plain,
      ParseResourceProjected(R"({"resourceType": "Observation", "id": "a", "status": "final",
                                 "code": {"text": "platelets"}, "valueString": "clumped"})"));
  EXPECT_FALSE(IsViewStub(plain.resource.observation()));
  EXPECT_EQ(plain.resource.observation().value_string(), "clumped");
}

TEST(ProjectionReaderTest, StrictErrorsOfReadElementsAreTheFullReadersErrors) {
  constexpr char kWrongShape[] =
      R"({"resourceType": "Observation", "status": "final", "code": {"text": "x"},
          "valueQuantity": {"value": "12"}})";
  ProjectionStats stats;
  const absl::StatusOr<ParsedResource> projected =
      ParseResourceProjected(kWrongShape, {}, Projection::Decision(), &stats);
  const absl::StatusOr<ParsedResource> full = ParseResource(kWrongShape);
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(projected.status(), full.status());
  EXPECT_THAT(std::string(projected.status().message()),
              HasSubstr("Observation.valueQuantity.value"));
  EXPECT_TRUE(stats.fell_back);
}

TEST(ProjectionReaderTest, SyntaxErrorsAndInvalidUtf8AreTheFullReadersErrors) {
  const std::vector<std::string> broken = {
      R"({"resourceType": "Observation", "note": [{"text": "a"} {"text": "b"}]})",
      R"({"resourceType": "Observation", "text": {"div": tru}})",
      R"({"resourceType": "Observation", "identifier": [1, 2,]})",
      R"({"resourceType": "Observation", "status": "final"} trailing)",
      R"({"resourceType": "Observation", "note": [{"text": "\q"}]})",
      R"({"resourceType": "Observation", "note": [{"text": "\ud800"}]})",
      R"({"resourceType": "Observation", "identifier": [{"value": 01}]})",
      absl::StrCat(R"({"resourceType": "Observation", "note": [{"text": ")", "\xC3\x28",
                   R"("}]})"),
      absl::StrCat(R"({"resourceType": "Observation", "note": [{"text": ")", "a\tb", R"("}]})"),
  };
  for (const std::string& json : broken) {
    SCOPED_TRACE(json);
    const absl::StatusOr<ParsedResource> full = ParseResource(json, Tolerant());
    const absl::StatusOr<ParsedResource> projected = ParseResourceProjected(json, Tolerant());
    ASSERT_FALSE(full.ok());
    EXPECT_EQ(projected.status(), full.status());
  }
}

TEST(ProjectionReaderTest, LimitsInSkippedPartsAreTheFullReadersErrors) {
  ParseOptions options = Tolerant();
  options.max_depth = 8;
  options.max_string_bytes = 64;
  const std::vector<std::string> over = {
      R"({"resourceType": "Observation", "text": {"a": [[[[[[[[[[1]]]]]]]]]]}})",
      absl::StrCat(R"({"resourceType": "Observation", "note": [{"text": ")",
                   std::string(100, 'x'), R"("}]})"),
  };
  for (const std::string& json : over) {
    SCOPED_TRACE(json);
    const absl::StatusOr<ParsedResource> full = ParseResource(json, options);
    ASSERT_FALSE(full.ok());
    EXPECT_EQ(ParseResourceProjected(json, options).status(), full.status());
  }
}

// A skipped part of a text shorter than the length and element limits is passed over in one
// step (its depth was checked with the text's); a longer text is measured and counted
// (ProjectedEvents::Skip).
TEST(ProjectionReaderTest, LimitsInSkippedPartsOfShortAndLongTexts) {
  constexpr char kDeep[] =
      R"({"resourceType": "Observation", "status": "final", "code": {"text": "x"},
          "text": {"a": [[[[[[[[[[1.50, -2]]]]]]]]]]}})";
  ParseOptions deep = Tolerant();
  deep.max_depth = 8;
  ParseOptions many = Tolerant();
  many.max_elements = 12;
  ParseOptions roomy = Tolerant();
  roomy.max_depth = 16;
  for (const ParseOptions& options : {deep, many}) {
    const absl::StatusOr<ParsedResource> full = ParseResource(kDeep, options);
    ASSERT_FALSE(full.ok());
    ProjectionStats stats;
    EXPECT_EQ(ParseResourceProjected(kDeep, options, Projection::Decision(), &stats).status(),
              full.status());
    EXPECT_TRUE(stats.fell_back);
  }
  ProjectionStats stats;
  ASSERT_OK_AND_ASSIGN(ParsedResource projected,
                       ParseResourceProjected(kDeep, roomy, Projection::Decision(), &stats));
  EXPECT_FALSE(stats.fell_back);
  EXPECT_THAT(projected.resource, EqualsProto(FullPruned(kDeep, roomy)));
}

// A search result of one Observation that the direct writer reads as a view.
constexpr char kSearchsetOfOneObservation[] =
    R"({"resourceType": "Bundle", "type": "searchset", "entry": [{"fullUrl": "urn:uuid:o1",)"
    R"("resource": {"resourceType": "Observation", "id": "o1", "status": "final",)"
    R"("code": {"coding": [{"system": "http://loinc.org", "code": "777-3"}]},)"
    R"("effectiveDateTime": "2026-11-30T08:00:00Z", "meta": {"tag": [{"code": "t"}]},)"
    R"("valueQuantity": {"value": 180, "unit": "10*3/uL"}}}]})";

// Every element limit from none up to past the document's count: the projection refuses
// exactly where the full reader does, with its error, in read parts (the direct writer and the
// views) as in skipped ones.
TEST(ProjectionReaderTest, ElementLimitAtEveryCount) {
  const std::string bundle = kSearchsetOfOneObservation;
  bool accepted = false;
  for (int64_t limit = 0; limit <= 60 && !accepted; ++limit) {
    SCOPED_TRACE(limit);
    ParseOptions options = Tolerant();
    options.max_elements = limit;
    const absl::StatusOr<ParsedResource> full = ParseResource(bundle, options);
    LabObservationTable labs;
    const absl::StatusOr<ParsedResource> projected =
        ParseResourceProjected(bundle, options, Projection::Decision(), nullptr, &labs);
    ASSERT_EQ(projected.ok(), full.ok());
    if (!full.ok()) EXPECT_EQ(projected.status(), full.status());
    if (full.ok()) EXPECT_EQ(labs.size(), 1u);  // the Observation was read as a view
    accepted = full.ok();
  }
  EXPECT_TRUE(accepted) << "the limit never reached the document's element count";
}

// A text no longer than the length and element limits cannot pass them, so it is read without
// counting (WithProjectedEvents); one byte less room and every key, value and length is
// counted. Either way the same proto, views and statistics: a directly written Observation
// view, and one whose sidecar sends it to the handler.
TEST(ProjectionReaderTest, LimitsAreCountedOnlyWhereTheTextCouldPassThem) {
  for (const std::string_view json : {kSearchsetOfOneObservation, kObservation}) {
    SCOPED_TRACE(json);
    ProjectionDocument document;
    ASSERT_OK(document.Parse(json, ParseOptions().max_depth));
    const int64_t size = static_cast<int64_t>(json.size());
    ParseOptions at_size = Tolerant();
    at_size.max_elements = size;
    at_size.max_string_bytes = json.size();
    ParseOptions fewer_elements = at_size;
    fewer_elements.max_elements = size - 1;
    ParseOptions shorter_strings = at_size;
    shorter_strings.max_string_bytes = json.size() - 1;
    EXPECT_TRUE(WithinCountedLimits(document, at_size));
    EXPECT_FALSE(WithinCountedLimits(document, fewer_elements));
    EXPECT_FALSE(WithinCountedLimits(document, shorter_strings));

    const auto read = [&](const ParseOptions& options, ProjectionStats* stats, size_t* views) {
      LabObservationTable labs;
      absl::StatusOr<ParsedResource> parsed =
          ParseResourceProjected(json, options, Projection::Decision(), stats, &labs);
      *views = labs.size();
      return parsed;
    };
    ProjectionStats uncounted_stats;
    size_t uncounted_views = 0;
    ASSERT_OK_AND_ASSIGN(const ParsedResource uncounted,
                         read(at_size, &uncounted_stats, &uncounted_views));
    EXPECT_FALSE(uncounted_stats.fell_back);
    for (const ParseOptions& counted_options : {fewer_elements, shorter_strings}) {
      ProjectionStats stats;
      size_t views = 0;
      ASSERT_OK_AND_ASSIGN(const ParsedResource counted, read(counted_options, &stats, &views));
      EXPECT_THAT(counted.resource, EqualsProto(uncounted.resource));
      EXPECT_EQ(views, uncounted_views);
      EXPECT_EQ(stats.fell_back, uncounted_stats.fell_back);
      EXPECT_EQ(stats.unread_members, uncounted_stats.unread_members);
      EXPECT_EQ(stats.direct_resources, uncounted_stats.direct_resources);
      EXPECT_EQ(stats.replayed_resources, uncounted_stats.replayed_resources);
    }
  }
}

TEST(ProjectionReaderTest, ObjectWhoseMembersAreAllUnreadIsNotEmpty) {
  constexpr char kJson[] = R"({"resourceType": "MedicationRequest", "id": "m",
    "status": "active", "intent": "order", "subject": {"reference": "Patient/p"},
    "medicationCodeableConcept": {"text": "x"},
    "dispenseRequest": {"numberOfRepeatsAllowed": 2}})";
  ASSERT_OK_AND_ASSIGN(ParsedResource full, ParseResource(kJson, Tolerant()));
  ASSERT_OK_AND_ASSIGN(ParsedResource projected, ParseResourceProjected(kJson, Tolerant()));
  EXPECT_THAT(Describe(full.deviations), IsEmpty());
  EXPECT_THAT(Describe(projected.deviations), IsEmpty());
}

TEST(ProjectionReaderTest, ResourceTypeAfterOtherMembers) {
  constexpr char kJson[] = R"({"id": "c", "code": {"text": "myeloma"}, "note": [{"text": "u"}],
    "subject": {"reference": "Patient/p"}, "resourceType": "Condition"})";
  ASSERT_OK_AND_ASSIGN(ParsedResource projected, ParseResourceProjected(kJson));
  EXPECT_THAT(projected.resource, EqualsProto(FullPruned(kJson)));
  EXPECT_EQ(projected.resource.condition().code().text(), "myeloma");
}


// The direct writer takes a resource whose read elements are all well formed; anything the
// handler must judge sends the whole resource to the handler instead. Either way the answer is
// the full reader's: the same proto and the same deviations.
TEST(ProjectionReaderTest, WellFormedResourcesAreWrittenDirectlyTheRestByTheHandler) {
  const std::string entries = R"(
      {"fullUrl": "urn:uuid:5b2d3c4e-0000-4000-8000-000000000002",
       "resource": {"resourceType": "Observation", "id": "o1", "status": "final",
                    "code": {"coding": [{"system": "http://loinc.org", "code": "777-3"}]},
                    "effectiveDateTime": "2026-11-30T08:00:00Z",
                    "valueQuantity": {"value": 1.50e2, "unit": "10*3/uL", "comparator": "<"},
                    "note": [{"text": "unread", "time": "2026-11-30"}]}},
      {"resource": {"id": "m", "resourceType": "MedicationRequest", "status": "active",
                    "intent": "order", "subject": {"reference": "Patient/p"},
                    "contained": [{"resourceType": "Medication", "id": "med",
                                   "code": {"text": "lenalidomide 25 MG"}}],
                    "medicationReference": {"reference": "#med"},
                    "dosageInstruction": [{"text": "25 mg daily", "timing": {"repeat": {
                       "frequency": 1, "period": 1, "periodUnit": "d"}}, "doseAndRate": [
                       {"doseQuantity": {"value": 25.0, "unit": "mg"}}]}]}})";
  const auto bundle = [&](absl::string_view extra_entry) {
    return absl::StrCat(R"({"resourceType": "Bundle", "type": "searchset", "entry": [)", entries,
                        extra_entry, "]}");
  };
  struct Case {
    std::string name;
    std::string json;
    bool direct;
  };
  const std::vector<Case> cases = {
      {"well formed", bundle(""), true},
      {"resourceType last", bundle(R"(, {"resource": {"id": "c", "code": {"text": "myeloma"},
          "subject": {"reference": "Patient/p"}, "resourceType": "Condition"}})"), true},
      {"an `_x` sidecar", bundle(R"(, {"resource": {"resourceType": "Patient", "id": "p",
          "birthDate": "1950-02-03", "_birthDate": {"id": "b"}}})"), false},
      {"an empty string", bundle(R"(, {"resource": {"resourceType": "Patient", "id": "p",
          "gender": ""}})"), false},
      {"an invalid code", bundle(R"(, {"resource": {"resourceType": "Patient", "id": "p",
          "gender": "woman"}})"), false},
      {"an object for a read array", bundle(R"(, {"resource": {"resourceType": "Condition",
          "id": "c", "subject": {"reference": "Patient/p"}, "code": {"coding": {"code": "x"}}}})"), false},
      {"an empty array", bundle(R"(, {"resource": {"resourceType": "Condition", "id": "c",
          "subject": {"reference": "Patient/p"}, "code": {"coding": []}}})"), false},
      {"a null item", bundle(R"(, {"resource": {"resourceType": "Condition", "id": "c",
          "subject": {"reference": "Patient/p"}, "code": {"coding": [null]}}})"), false},
      {"an unknown element in a read element", bundle(R"(, {"resource": {
          "resourceType": "Condition", "id": "c", "subject": {"reference": "Patient/p"},
          "code": {"text": "x", "txet": "y"}}})"), false},
      {"a duplicate member", bundle(R"(, {"resource": {"resourceType": "Condition", "id": "c",
          "subject": {"reference": "Patient/p"}, "code": {"text": "x"}, "code": {"text": "y"}}})"), false},
      {"two values of a choice", bundle(R"(, {"resource": {"resourceType": "Observation",
          "id": "o", "status": "final", "code": {"text": "x"}, "valueString": "a",
          "subject": {"reference": "Patient/p"},
          "valueQuantity": {"value": 1}}})"), false},
      {"an empty object", bundle(R"(, {"resource": {"resourceType": "Condition", "id": "c",
          "subject": {"reference": "Patient/p"}, "code": {}}})"), false},
      {"a missing required element", bundle(R"(, {"resource": {"resourceType": "Observation",
          "id": "o", "status": "final"}})"), false},
      {"a malformed unread element", bundle(R"(, {"resource": {"resourceType": "Patient",
          "id": "p", "name": "Smith"}})"), false},
      {"an unmodelled resource type", bundle(R"(, {"resource": {"resourceType": "Encounter",
          "id": "e"}})"), false},
      {"a number for a string", bundle(R"(, {"resource": {"resourceType": "Condition",
          "id": "c", "subject": {"reference": "Patient/p"}, "code": {"text": 7}}})"), false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ProjectionStats stats;
    ASSERT_OK_AND_ASSIGN(ParsedResource projected,
                         ParseResourceProjected(c.json, Tolerant(), Projection::Decision(), &stats));
    ASSERT_OK_AND_ASSIGN(ParsedResource full, ParseResource(c.json, Tolerant()));
    EXPECT_FALSE(stats.fell_back);
    EXPECT_EQ(stats.direct_resources, c.direct ? 1 : 0);
    EXPECT_EQ(stats.replayed_resources, c.direct ? 0 : 1);
    EXPECT_THAT(projected.resource, EqualsProto(FullPruned(c.json, Tolerant())));
    if (c.name == "a malformed unread element") {
      // Not read, so not judged like the full reader: only noted.
      EXPECT_THAT(Describe(projected.deviations),
                  ::testing::ElementsAre(HasSubstr("unread_malformed Patient name")));
    } else {
      EXPECT_EQ(Describe(projected.deviations), Describe(full.deviations));
    }
    if (c.direct) {
      EXPECT_THAT(projected.deviations, IsEmpty());
      EXPECT_THAT(projected.warnings, IsEmpty());
    }
  }
}

TEST(ProjectionReaderTest, ParsesIntoAMessageOnAnArena) {
  google::protobuf::Arena arena;
  auto* resource = google::protobuf::Arena::CreateMessage<r4::ContainedResource>(&arena);
  resource->mutable_patient()->set_id("left over from an earlier use");
  ProjectionStats stats;
  ParseReport report;
  ASSERT_OK(ParseIntoProjected(kObservation, resource, {}, Projection::Decision(), &report,
                               &stats));
  EXPECT_FALSE(stats.fell_back);
  EXPECT_THAT(*resource, EqualsProto(FullPruned(kObservation)));
  EXPECT_EQ(resource->observation().code().GetArena(), &arena);
  // A text only the full reader can answer is answered by it, into the same message.
  EXPECT_FALSE(ParseIntoProjected("{\"resourceType\": \"Observation\",", resource).ok());
}

TEST(ProjectionDocumentTest, ABufferWithRoomForThePaddingIsReadInPlace) {
  std::string text = kObservation;
  // What lies in the padding does not matter: fill it with bytes that would be JSON.
  text.resize(text.size() + base::JsonIndex::kPadding, '1');
  text.resize(sizeof(kObservation) - 1);
  ASSERT_GE(text.capacity(), text.size() + base::JsonIndex::kPadding);
  const int depth = ParseOptions().max_depth;
  ProjectionDocument in_place;
  ProjectionDocument copied;
  ProjectionDocument short_room;  // too little room: copied
  ASSERT_OK(in_place.Parse(text, depth, text.capacity()));
  ASSERT_OK(copied.Parse(text, depth));
  ASSERT_OK(short_room.Parse(text, depth, text.size() + 1));
  // Read in place: the values are views of the caller's text; copied: of the document's copy.
  base::JsonValue status;
  ASSERT_TRUE(in_place.root().object().Find("status", &status));
  EXPECT_EQ(status.string(), "final");
  EXPECT_GE(status.string().data(), text.data());
  EXPECT_LT(status.string().data(), text.data() + text.size());
  for (const ProjectionDocument* document : {&copied, &short_room}) {
    ASSERT_TRUE(document->root().object().Find("status", &status));
    EXPECT_EQ(status.string(), "final");
    EXPECT_FALSE(status.string().data() >= text.data() &&
                 status.string().data() < text.data() + text.size());
  }
  // The same walk, so the same proto, whichever way the text was read.
  const auto walk = [](const ProjectionDocument& document) {
    r4::ContainedResource resource;
    const ParseOptions options;
    ResourceSaxHandler handler(options, &resource);
    ProjectedEvents<ResourceSaxHandler> events(document, options, &handler);
    EXPECT_TRUE(events.Walk(document.root(), Projection::Decision().resource()));
    return resource;
  };
  const r4::ContainedResource expected = walk(copied);
  EXPECT_THAT(walk(in_place), EqualsProto(expected));
  EXPECT_THAT(walk(short_room), EqualsProto(expected));
  EXPECT_THAT(expected, EqualsProto(FullPruned(kObservation)));
}

// A document checked against a higher depth limit than the walk's is not trusted to have
// checked the walk's: an unread value is then measured, and its depth refused.
TEST(ProjectionDocumentTest, AWalkWithALowerDepthLimitMeasuresWhatItSkips) {
  constexpr char kDeep[] =
      R"({"resourceType": "Observation", "status": "final", "code": {"text": "x"},
          "text": {"a": [[[[[[[[[[1.50, -2]]]]]]]]]]}})";
  ProjectionDocument document;
  ASSERT_OK(document.Parse(kDeep, 16));
  ParseOptions options;
  options.max_depth = 8;
  r4::ContainedResource resource;
  ResourceSaxHandler handler(options, &resource);
  ProjectedEvents<ResourceSaxHandler> events(document, options, &handler);
  EXPECT_FALSE(events.Walk(document.root(), Projection::Decision().resource()));
  EXPECT_TRUE(events.limit_hit());
}

// A text nested deeper than the depth limit is refused by the document, so that an unread value
// can be passed over without measuring it; the full reader then answers.
TEST(ProjectionDocumentTest, RefusesNestingPastTheDepthLimit) {
  constexpr char kNested[] = R"({"resourceType": "Observation", "text": {"a": [[1]]}})";
  ProjectionDocument document;
  EXPECT_OK(document.Parse(kNested, 4));
  EXPECT_FALSE(document.Parse(kNested, 3).ok());
}

}  // namespace
}  // namespace thrombo::fhir
