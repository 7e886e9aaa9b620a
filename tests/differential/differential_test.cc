// Copyright 2026 The Thrombo Authors.
// The projection reader's license (issue 11): on every golden case, every example, every JSON
// file of the shared compatibility data and generated patients (with the messy representations
// of synth::MessyRates), the hook route and the per-resource entry point give the same
// Assessment, field for field, through the projection reader as through the full proto reader;
// the hook response and the deviations that cost a category are the same too, and garbage in
// elements the decision does not read changes nothing.
//
// THROMBO_DIFFERENTIAL_PATIENTS sets how many generated patients (default kDefaultPatients);
// they come in chunks of kChunk (each chunk is RandomPopulation(kChunk, kSeed + chunk)), one
// parameterized test each, spread over the Bazel shards.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "base/json_index.h"
#include "fhir/json_parser.h"
#include "fhir/json_printer.h"
#include "fhir/lab_observation.h"
#include "fhir/patient_record.h"
#include "fhir/projection_reader.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "risk/engine.h"
#include "service/cds/hook_request_json.h"
#include "service/cds/hook_service.h"
#include "service/cds/response_json.h"
#include "service/grpc/hook_request_wire.h"
#include "service/synth/bundle_builder.h"
#include "service/synth/population.h"
#include "tests/testing/shared_data.h"

namespace thrombo {
namespace {

namespace fs = std::filesystem;
using google::protobuf::util::MessageDifferencer;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 12, 2, 9, 0, 0), absl::UTCTimeZone());
constexpr uint64_t kSeed = 20261202;
// About 48 ms per patient in CI's fastbuild on this 2-core machine (both readers, both routes,
// the mutation check on every tenth): 4,000 patients take about 100 s over the shards, 100,000
// about 40 minutes (run them with THROMBO_DIFFERENTIAL_PATIENTS=100000 before a release).
constexpr int kChunk = 250;
constexpr int kDefaultPatients = 4000;

int PatientCount() {
  const char* env = std::getenv("THROMBO_DIFFERENTIAL_PATIENTS");
  int n = 0;
  if (env != nullptr && absl::SimpleAtoi(env, &n) && n >= 0) return n;
  return kDefaultPatients;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

fhir::ParseOptions Tolerant() {
  fhir::ParseOptions options;
  options.tolerant = true;
  return options;
}

// Every call is assessed, an order no patient gets a card for too: the service answers such an
// order before the record (hook_service.h), which would leave nothing of the record's reading
// to compare. Which orders are answered so is the drafts' classification, compared here
// through the cards of every order hook.
service::HookServiceOptions AssessEveryCall() {
  service::HookServiceOptions options;
  options.answer_unconcerned_orders_from_drafts = false;
  return options;
}

const service::HookService& Hooks() {
  static const service::HookService* const kHooks = new service::HookService(
      risk::Engine::Default(), /*fetcher=*/nullptr, [] { return kNow; }, AssessEveryCall());
  return *kHooks;
}

// The same hook service with the evidence's text written into the Assessment's protos, as the
// engine's other callers have it: the reference for the text Hooks() keeps beside them.
const service::HookService& HooksWithTextInProtos() {
  static const service::HookService* const kHooks = [] {
    service::HookServiceOptions options = AssessEveryCall();
    options.evidence_text_beside = false;
    return new service::HookService(risk::Engine::Default(), /*fetcher=*/nullptr,
                                    [] { return kNow; }, options);
  }();
  return *kHooks;
}

std::string ServiceFor(std::string_view hook) {
  for (const v1::CdsService& service : Hooks().discovery().services()) {
    if (service.hook() == hook) return service.id();
  }
  return "";
}

// Equal protos, or a diff naming `who`.
template <typename M>
void ExpectSame(const M& full, const M& projected, const std::string& who, const char* what) {
  MessageDifferencer differencer;
  std::string diff;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(full, projected)) << who << ": " << what << " differs:\n" << diff;
}

// The response bytes the HTTP route writes for a hook result.
std::string ResponseBytes(const service::HookResult& result) {
  std::string body;
  const absl::Status status = service::AppendCdsResponseJson(result.cards, &body);
  return status.ok() ? body : std::string(status.message());
}

// Resources the projection reader wrote directly and those it sent through the handler, over
// the hook calls compared (both paths must be exercised for the comparison to cover them).
fhir::ProjectionStats projected_paths;
// Observations the projection reader read as views (fhir/lab_observation.h), not protos.
int64_t observation_views = 0;
// Of those, the views compared field for field with the full reader's Observation.
int64_t hook_views_compared = 0;
int64_t evidence_beside_held = 0;  // pieces of evidence whose text the hook kept beside
// Observations read as views by ParseResourceProjected with a table: a Bundle's entries
// (CompareResource) and Observation lines read alone, as `thrombo scan` reads them.
int64_t bundle_observation_views = 0;
int64_t line_observation_views = 0;
// Observations a gRPC hook call's bytes gave as views (CompareHookBytes), each compared field
// for field with the parsed Observation.
int64_t wire_views_compared = 0;

void CountPaths(const fhir::ProjectionStats& stats,
                const fhir::LabObservationTable* views = nullptr) {
  projected_paths.direct_resources += stats.direct_resources;
  projected_paths.replayed_resources += stats.replayed_resources;
  if (views != nullptr) observation_views += static_cast<int64_t>(views->size());
}

// An Observation as the facts read it, field for field: `full` from the full reader's proto,
// `view` filled by the projection reader straight from the same text.
void ExpectSameLab(const fhir::LabObservation& full, const fhir::LabObservation& view,
                   const std::string& who) {
  EXPECT_EQ(full.id, view.id) << who;
  EXPECT_EQ(full.subject_reference, view.subject_reference) << who;
  EXPECT_EQ(full.status, view.status) << who;
  ASSERT_EQ(full.codings.size(), view.codings.size()) << who;
  for (size_t i = 0; i < full.codings.size(); ++i) {
    EXPECT_EQ(full.codings[i].system, view.codings[i].system) << who << ": coding " << i;
    EXPECT_EQ(full.codings[i].code, view.codings[i].code) << who << ": coding " << i;
    EXPECT_EQ(full.codings[i].display, view.codings[i].display) << who << ": coding " << i;
  }
  EXPECT_EQ(full.code_text, view.code_text) << who;
  EXPECT_EQ(full.time, view.time) << who;
  EXPECT_EQ(static_cast<int>(full.value_kind), static_cast<int>(view.value_kind)) << who;
  EXPECT_EQ(full.quantity.value, view.quantity.value) << who;
  EXPECT_EQ(full.quantity.comparator, view.quantity.comparator) << who;
  EXPECT_EQ(full.quantity.unit, view.quantity.unit) << who;
  EXPECT_EQ(full.quantity.code, view.quantity.code) << who;
  EXPECT_EQ(full.value_string, view.value_string) << who;
  EXPECT_EQ(full.value_concept == nullptr, view.value_concept == nullptr) << who;
  EXPECT_EQ(full.has_data_absent_reason, view.has_data_absent_reason) << who;
  EXPECT_EQ(full.data_absent_text, view.data_absent_text) << who;
}

// When the projection read Observation `viewed` (a root or a Bundle entry's resource) as a view
// in `views`: that view is what the full reader's `full` gives the facts. Returns whether it
// was a view.
bool CompareView(const fhir::r4::ContainedResource& full,
                 const fhir::r4::ContainedResource& viewed,
                 const fhir::LabObservationTable& views, const std::string& who) {
  if (!viewed.has_observation() || !fhir::IsViewStub(viewed.observation())) return false;
  const fhir::LabObservation* view = views.Find(&viewed.observation());
  EXPECT_NE(view, nullptr) << who << ": a stub Observation without its view";
  EXPECT_TRUE(full.has_observation()) << who;
  if (view != nullptr && full.has_observation()) {
    ExpectSameLab(fhir::LabObservationFromProto(full.observation()), *view, who);
  }
  return true;
}

// Every entry of Bundle `viewed` read as a view compared with the same entry of `full`, the
// full reader's Bundle of the same text. Returns how many were views.
size_t CompareEntryViews(const fhir::r4::Bundle& full, const fhir::r4::Bundle& viewed,
                         const fhir::LabObservationTable& views, const std::string& who) {
  EXPECT_EQ(full.entry_size(), viewed.entry_size()) << who;
  if (full.entry_size() != viewed.entry_size()) return 0;
  size_t compared = 0;
  for (int i = 0; i < full.entry_size(); ++i) {
    compared += CompareView(full.entry(i).resource(), viewed.entry(i).resource(), views,
                            absl::StrCat(who, " entry ", i))
                    ? 1
                    : 0;
  }
  return compared;
}

// Every prefetch value of `viewed` read as a view, and every entry of its Bundles, compared
// with the same value of `full`, read whole from the same request; and no view that is none of
// theirs. Returns how many were compared.
size_t ComparePrefetchViews(const v1::EvaluateHookRequest& full,
                            const v1::EvaluateHookRequest& viewed,
                            const fhir::LabObservationTable& views, const std::string& who) {
  size_t compared = 0;
  for (const auto& [key, value] : viewed.prefetch()) {
    const auto full_value = full.prefetch().find(key);
    EXPECT_NE(full_value, full.prefetch().end()) << who << ": prefetch." << key;
    if (full_value == full.prefetch().end()) continue;
    const std::string where = absl::StrCat(who, " prefetch.", key);
    compared += CompareView(full_value->second, value, views, where) ? 1 : 0;
    if (value.has_bundle() && full_value->second.has_bundle()) {
      compared += CompareEntryViews(full_value->second.bundle(), value.bundle(), views, where);
    }
  }
  EXPECT_EQ(compared, views.size()) << who << ": views that are no prefetch entry's";
  return compared;
}

// The same call as a gRPC client sends it (`request` encoded), read as gRPC's EvaluateHook reads
// it (Observations as views into the bytes: service/grpc/hook_request_wire.h) and parsed whole:
// every view field for field with the parsed Observation, and the same answer from both.
void CompareHookBytes(const v1::EvaluateHookRequest& request, const std::string& who) {
  const std::string bytes = request.SerializeAsString();
  v1::EvaluateHookRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes)) << who;
  v1::EvaluateHookRequest read;
  fhir::LabObservationTable views;
  std::string scratch;
  const absl::Status status = service::ParseHookRequestWire(bytes, &read, &views, &scratch);
  ASSERT_TRUE(status.ok()) << who << ": " << status;
  wire_views_compared +=
      static_cast<int64_t>(ComparePrefetchViews(parsed, read, views, who + " (bytes)"));
  const absl::StatusOr<service::HookResult> whole = Hooks().Evaluate(parsed);
  const absl::StatusOr<service::HookResult> viewed = Hooks().Evaluate(read, &views);
  ASSERT_EQ(whole.status(), viewed.status()) << who << " (bytes)";
  if (!whole.ok()) return;
  ExpectSame(whole->CompleteAssessment(), viewed->CompleteAssessment(), who,
             "the gRPC hook's Assessment");
  ExpectSame(service::CardsToResponse(whole->cards), service::CardsToResponse(viewed->cards), who,
             "the gRPC hook response");
  EXPECT_EQ(whole->incomplete_data, viewed->incomplete_data) << who << " (bytes)";
}

// One hook call through each reader. The projection's result, for the mutation check.
absl::StatusOr<service::HookResult> CompareHook(const std::string& body,
                                                const std::string& service_id,
                                                const std::string& who) {
  v1::EvaluateHookRequest full_request;
  std::vector<service::HookDeviation> full_deviations;
  const absl::Status full_parse =
      service::ParseHookRequestJson(body, Tolerant(), &full_request, &full_deviations);
  v1::EvaluateHookRequest projected_request;
  std::vector<service::HookDeviation> projected_deviations;
  fhir::ProjectionStats stats;
  fhir::LabObservationTable views;
  // Read in place, as the server reads a body it gave the index's padding: the views then point
  // into it (LabObservationTable::Borrow), and must still read the same after the parse.
  std::string in_place = body;
  in_place.reserve(body.size() + base::JsonIndex::kPadding);
  const absl::Status projected_parse = service::ParseHookRequestJsonProjected(
      in_place, Tolerant(), &projected_request, &projected_deviations, &stats,
      in_place.capacity(), &views);
  CountPaths(stats, &views);
  EXPECT_EQ(full_parse, projected_parse) << who;
  if (!full_parse.ok() || !projected_parse.ok()) return full_parse;
  // Each prefetch entry read as a view, field for field with the full reader's: the Assessment
  // and the cards do not show every field.
  hook_views_compared += static_cast<int64_t>(
      ComparePrefetchViews(full_request, projected_request, views, who));
  full_request.set_service_id(service_id);
  projected_request.set_service_id(service_id);
  const absl::StatusOr<service::HookResult> in_protos =
      HooksWithTextInProtos().Evaluate(full_request, full_deviations);
  const absl::StatusOr<service::HookResult> full =
      Hooks().Evaluate(full_request, std::move(full_deviations));
  // The evidence's text kept beside the Assessment: the same Assessment, field for field, and
  // the same response bytes as with the text in its protos.
  EXPECT_EQ(in_protos.status(), full.status()) << who;
  if (in_protos.ok() && full.ok()) {
    EXPECT_EQ(in_protos->evidence_refs.size(), 0u) << who;
    evidence_beside_held += static_cast<int64_t>(full->evidence_refs.size());
    EXPECT_EQ(ResponseBytes(*in_protos), ResponseBytes(*full)) << who << ": evidence beside";
    ExpectSame(in_protos->CompleteAssessment(), full->CompleteAssessment(), who,
               "the hook's Assessment with its evidence's text beside it");
  }
  absl::StatusOr<service::HookResult> projected =
      Hooks().Evaluate(projected_request, std::move(projected_deviations), &views);
  EXPECT_EQ(full.status(), projected.status()) << who;
  if (!full.ok() || !projected.ok()) return projected;
  ExpectSame(full->CompleteAssessment(), projected->CompleteAssessment(), who,
             "the hook's Assessment");
  ExpectSame(service::CardsToResponse(full->cards), service::CardsToResponse(projected->cards),
             who, "the hook response");
  EXPECT_EQ(ResponseBytes(*full), ResponseBytes(*projected)) << who;
  EXPECT_EQ(full->costly_deviation_paths, projected->costly_deviation_paths) << who;
  EXPECT_EQ(full->incomplete_data, projected->incomplete_data) << who;
  CompareHookBytes(full_request, who);
  return projected;
}

// A record read another way than the reference, and what to call it in a failure.
struct OtherReading {
  const absl::StatusOr<fhir::PatientRecord>* record;
  const char* what;
};

// One record read several ways: each the reference's status and, when the reference has its
// Patient, the reference's Assessment (assessed once).
void ExpectSameAssessment(const absl::StatusOr<fhir::PatientRecord>& reference,
                          std::initializer_list<OtherReading> others, const std::string& who) {
  for (const OtherReading& other : others) {
    ASSERT_EQ(reference.status(), other.record->status()) << who << ": " << other.what;
  }
  if (!reference.ok() || reference->patient() == nullptr) return;
  const absl::StatusOr<v1::Assessment> a =
      risk::Engine::Default().Assess(*reference, nullptr, kNow);
  for (const OtherReading& other : others) {
    const absl::StatusOr<v1::Assessment> b =
        risk::Engine::Default().Assess(**other.record, nullptr, kNow);
    ASSERT_EQ(a.status(), b.status()) << who << ": " << other.what;
    if (a.ok()) ExpectSame(*a, *b, who, other.what);
  }
}

// One resource text through each reader: the same status, the projection equal to the full
// parse pruned to the read paths, every Observation read as a view (the root, or a Bundle's
// entry) the same as the full reader's, and for a Bundle with one Patient the same Assessment,
// also when the projection reads the Bundle's Observations as views.
void CompareResource(std::string_view json, const fhir::ParseOptions& options,
                     const std::string& who) {
  const absl::StatusOr<fhir::ParsedResource> full = fhir::ParseResource(json, options);
  fhir::ProjectionStats stats;
  const absl::StatusOr<fhir::ParsedResource> projected =
      fhir::ParseResourceProjected(json, options, fhir::Projection::Decision(), &stats);
  CountPaths(stats);
  fhir::LabObservationTable views;
  const absl::StatusOr<fhir::ParsedResource> viewed = fhir::ParseResourceProjected(
      json, options, fhir::Projection::Decision(), nullptr, &views);
  ASSERT_EQ(full.status(), projected.status()) << who;
  ASSERT_EQ(full.status(), viewed.status()) << who;
  if (!full.ok()) return;
  fhir::r4::ContainedResource pruned = full->resource;
  fhir::PruneToProjection(fhir::Projection::Decision().resource(), &pruned);
  ExpectSame(pruned, projected->resource, who, "the pruned resource");
  if (CompareView(full->resource, viewed->resource, views, who)) ++line_observation_views;
  if (!full->resource.has_bundle()) return;
  // Each entry's view too, field for field: an Assessment does not show every field (a unit
  // beside its UCUM code, say).
  const size_t compared =
      CompareEntryViews(full->resource.bundle(), viewed->resource.bundle(), views, who);
  EXPECT_EQ(compared, views.size()) << who << ": views that are no entry's";
  bundle_observation_views += static_cast<int64_t>(compared);
  const absl::StatusOr<fhir::PatientRecord> full_record =
      fhir::PatientRecord::FromBundle(full->resource.bundle());
  const absl::StatusOr<fhir::PatientRecord> projected_record =
      fhir::PatientRecord::FromBundle(projected->resource.bundle());
  const absl::StatusOr<fhir::PatientRecord> viewed_record =
      fhir::PatientRecord::FromBundle(viewed->resource.bundle(), "", &views);
  ExpectSameAssessment(full_record,
                       {{&projected_record, "the Bundle's Assessment"},
                        {&viewed_record, "the Bundle's Assessment through views"}},
                       who);
}

// A JSON text of any kind: a CDS Hooks request goes through the hook route, anything else
// through the per-resource entry point (in both modes).
void CompareText(const std::string& text, const std::string& who) {
  const absl::StatusOr<v1::EvaluateHookRequest> probe = service::ParseHookRequestJson(text);
  if (probe.ok() && !probe->hook().empty()) {
    const std::string id = ServiceFor(probe->hook());
    if (!id.empty()) CompareHook(text, id, who).IgnoreError();
    return;
  }
  CompareResource(text, {}, who + " (default)");
  CompareResource(text, Tolerant(), who + " (tolerant)");
}

std::vector<fs::path> JsonFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::recursive_directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    const std::string ext = it->path().extension().string();
    if (it->is_regular_file() && (ext == ".json" || ext == ".ndjson")) files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

void CompareFile(const fs::path& path) {
  const std::string text = ReadFile(path);
  if (path.extension() != ".ndjson") {
    CompareText(text, path.string());
    return;
  }
  size_t start = 0;
  for (int line = 1; start < text.size(); ++line) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view one(text.data() + start, end - start);
    if (!one.empty()) CompareResource(one, Tolerant(), absl::StrCat(path.string(), ":", line));
    start = end + 1;
  }
}

TEST(DifferentialTest, GoldenCases) {
  const std::vector<fs::path> files = JsonFiles("tests/golden");
  ASSERT_GE(files.size(), 8u);
  for (const fs::path& file : files) CompareFile(file);
}

TEST(DifferentialTest, Examples) {
  const std::vector<fs::path> files = JsonFiles("examples");
  ASSERT_GE(files.size(), 3u);
  for (const fs::path& file : files) CompareFile(file);
}

// A prefetch search with a `next` page: the service has no fetcher here, so both readers must
// mark the medication orders incomplete (and offer no one-click anticoagulant) alike.
TEST(DifferentialTest, NextLinkOfAPrefetchSearchIsReadByBoth) {
  std::string body = ReadFile("examples/order-sign-thalidomide.json");
  const std::string anchor = R"("medicationRequests": {
   "resourceType": "Bundle",)";
  const size_t at = body.find(anchor);
  ASSERT_NE(at, std::string::npos);
  body.insert(at + anchor.size(),
              R"( "link": [{"relation": "next", "url": "https://ehr.example.org/fhir/p2"}],)");
  const absl::StatusOr<service::HookResult> result =
      CompareHook(body, ServiceFor("order-sign"), "next link");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_FALSE(result->incomplete_data.empty());
}

TEST(DifferentialTest, SharedData) {
  const fs::path dir = testing::SharedDataDir();
  THROMBO_SKIP_UNLESS_SHARED_DATA(dir);
  const std::vector<fs::path> files = JsonFiles(dir);
  ASSERT_FALSE(files.empty());
  projected_paths = fhir::ProjectionStats();
  observation_views = 0;
  line_observation_views = 0;
  for (const fs::path& file : files) CompareFile(file);
  // Real files: how often the direct writer took a document whole (for the log; a Bundle with
  // one sidecar or unmodelled entry goes through the handler whole), and how many Observations
  // read alone (NDJSON lines, single-resource files) became views.
  std::printf(
      "shared data: %lld documents written directly, %lld through the handler; %lld "
      "Observations read alone as views\n",
      static_cast<long long>(projected_paths.direct_resources),
      static_cast<long long>(projected_paths.replayed_resources),
      static_cast<long long>(line_observation_views));
}

// ---- Generated patients ------------------------------------------------------------------

// The order-sign request for `record` as an EHR sends it: each prefetch template answered by
// the record's resources of its type (a searchset), its first MedicationRequest as the draft.
std::string OrderSignBody(const fhir::r4::Bundle& record, uint64_t seed) {
  const v1::CdsService* order_sign = nullptr;
  for (const v1::CdsService& service : Hooks().discovery().services()) {
    if (service.hook() == "order-sign") order_sign = &service;
  }
  const fhir::r4::Patient& patient = record.entry(0).resource().patient();
  fhir::r4::Bundle drafts;
  drafts.set_type(fhir::r4::BundleTypeCode::COLLECTION);
  for (const fhir::r4::Bundle::Entry& e : record.entry()) {
    if (e.resource().has_medication_request()) {
      *drafts.add_entry() = e;
      break;
    }
  }
  std::string body = absl::StrCat(
      R"({"hook":"order-sign","hookInstance":")", synth::DeterministicUuid(seed, 1u << 20),
      R"(","context":{"userId":"Practitioner/synthetic","patientId":")", patient.id(),
      R"(","draftOrders":)", fhir::PrintMessage(drafts).value_or("null"), R"(},"prefetch":{)");
  bool first = true;
  for (const auto& [key, url] : order_sign->prefetch()) {
    const std::string type = url.substr(0, url.find_first_of("?/"));
    fhir::r4::ContainedResource value;
    if (type == "Patient") {
      *value.mutable_patient() = patient;
    } else {
      fhir::r4::Bundle* searchset = value.mutable_bundle();
      searchset->set_type(fhir::r4::BundleTypeCode::SEARCHSET);
      for (const fhir::r4::Bundle::Entry& e : record.entry()) {
        const fhir::r4::ContainedResource& r = e.resource();
        const google::protobuf::FieldDescriptor* set = r.GetReflection()->GetOneofFieldDescriptor(
            r, r.GetDescriptor()->FindOneofByName("resource"));
        if (set != nullptr &&
            (set->message_type()->name() == type || set->message_type()->name() == "Medication")) {
          *searchset->add_entry() = e;
        }
      }
    }
    absl::StrAppend(&body, first ? "" : ",", "\"", key, "\":",
                    fhir::PrintResource(value).value_or("null"));
    first = false;
  }
  absl::StrAppend(&body, "}}");
  return body;
}

// Garbage in elements no fact reads (docs/clinical.md policy v1.1 rule 14): an identifier that
// is a number, a meta that is a string, implicitRules as an object, in every resource.
std::string WithGarbage(const std::string& json) {
  std::string out = json;
  for (const char* type : {"Patient", "Observation", "Condition", "Procedure",
                           "AllergyIntolerance", "MedicationRequest", "MedicationStatement",
                           "MedicationDispense", "MedicationAdministration", "Medication"}) {
    const std::string tag = absl::StrCat(R"("resourceType":")", type, "\"");
    out = absl::StrReplaceAll(
        out, {{tag, absl::StrCat(tag, R"(,"identifier":42,"meta":"garbage",)",
                                 R"("implicitRules":{"x":[1,{"y":null}]})")}});
  }
  return out;
}

// The patient's resources one per line, as `thrombo scan` reads a bulk export: each line
// through the full reader and through the projection, which adds its Observations to one table
// as views; each view the same as the full reader's Observation; the record over the loose
// resources the same Assessment either way.
void CompareLines(const fhir::r4::Bundle& bundle, const std::string& who) {
  std::vector<fhir::r4::ContainedResource> full_resources;
  std::vector<fhir::r4::ContainedResource> viewed_resources;
  fhir::LabObservationTable views;
  for (int i = 0; i < bundle.entry_size(); ++i) {
    const std::string line_who = absl::StrCat(who, " line ", i + 1);
    const absl::StatusOr<std::string> line = fhir::PrintResource(bundle.entry(i).resource());
    ASSERT_TRUE(line.ok()) << line_who << ": " << line.status();
    absl::StatusOr<fhir::ParsedResource> full = fhir::ParseResource(*line, Tolerant());
    absl::StatusOr<fhir::ParsedResource> viewed = fhir::ParseResourceProjected(
        *line, Tolerant(), fhir::Projection::Decision(), nullptr, &views);
    ASSERT_EQ(full.status(), viewed.status()) << line_who;
    if (!full.ok()) continue;
    if (CompareView(full->resource, viewed->resource, views, line_who)) {
      ++line_observation_views;
    }
    // Moving a resource keeps its Observation where it is, and so the stub the view is keyed by.
    full_resources.push_back(std::move(full->resource));
    viewed_resources.push_back(std::move(viewed->resource));
  }
  std::vector<const fhir::r4::ContainedResource*> full_pointers;
  std::vector<const fhir::r4::ContainedResource*> viewed_pointers;
  for (const fhir::r4::ContainedResource& r : full_resources) full_pointers.push_back(&r);
  for (const fhir::r4::ContainedResource& r : viewed_resources) viewed_pointers.push_back(&r);
  const std::string& patient_id = bundle.entry(0).resource().patient().id();
  const absl::StatusOr<fhir::PatientRecord> full_record =
      fhir::PatientRecord::FromResources(full_pointers, patient_id);
  const absl::StatusOr<fhir::PatientRecord> viewed_record =
      fhir::PatientRecord::FromResources(viewed_pointers, patient_id, &views);
  ExpectSameAssessment(full_record, {{&viewed_record, "the Assessment of the lines through views"}},
                       who);
}

class PopulationTest : public ::testing::TestWithParam<int> {};

TEST_P(PopulationTest, SameAssessmentThroughBothReaders) {
  const int chunk = GetParam();
  const int n = std::min(kChunk, PatientCount() - chunk * kChunk);
  const std::vector<synth::Scenario> population =
      synth::RandomPopulation(n, kSeed + static_cast<uint64_t>(chunk), kNow);
  const std::string order_sign = ServiceFor("order-sign");
  projected_paths = fhir::ProjectionStats();
  observation_views = 0;
  hook_views_compared = 0;
  evidence_beside_held = 0;
  bundle_observation_views = 0;
  line_observation_views = 0;
  wire_views_compared = 0;
  for (int i = 0; i < n; ++i) {
    const std::string who = absl::StrCat("RandomPopulation(", n, ", ", kSeed + chunk,
                                         ") patient ", i);
    const absl::StatusOr<fhir::r4::Bundle> bundle = synth::BuildBundle(population[i]);
    ASSERT_TRUE(bundle.ok()) << who << ": " << bundle.status();
    const absl::StatusOr<std::string> json = fhir::PrintMessage(*bundle);
    ASSERT_TRUE(json.ok()) << who;
    CompareResource(*json, Tolerant(), who);
    CompareLines(*bundle, who);
    const std::string body = OrderSignBody(*bundle, population[i].seed);
    const absl::StatusOr<service::HookResult> clean = CompareHook(body, order_sign, who);
    if (i % 10 != 0 || !clean.ok()) continue;
    // The mutation check, on every tenth patient: the hook route (the projection reader) gives
    // the same answer with garbage in unread elements. (The full reader does not always: a
    // dropped element of a draft's contained Medication costs the draft's drug in
    // service/cds/hook_deviations.cc whether or not the element is read.)
    const std::string mutated = WithGarbage(body);
    ASSERT_NE(mutated, body);
    v1::EvaluateHookRequest request;
    std::vector<service::HookDeviation> deviations;
    fhir::ProjectionStats stats;
    fhir::LabObservationTable views;
    ASSERT_TRUE(service::ParseHookRequestJsonProjected(mutated, Tolerant(), &request, &deviations,
                                                       &stats, 0, &views)
                    .ok())
        << who;
    CountPaths(stats, &views);
    request.set_service_id(order_sign);
    const absl::StatusOr<service::HookResult> dirty =
        Hooks().Evaluate(request, std::move(deviations), &views);
    ASSERT_TRUE(dirty.ok()) << who << ": " << dirty.status();
    EXPECT_EQ(clean->costly_deviation_paths, dirty->costly_deviation_paths) << who;
    ExpectSame(clean->CompleteAssessment(), dirty->CompleteAssessment(), who,
               "the Assessment with garbage");
    EXPECT_EQ(ResponseBytes(*clean), ResponseBytes(*dirty)) << who << ": the response with garbage";
  }
  // The generated records are mostly well formed (written directly); their messy
  // representations and the garbage of the mutation check go through the handler.
  EXPECT_GT(projected_paths.direct_resources, 0);
  EXPECT_GT(projected_paths.replayed_resources, 0);
  EXPECT_GT(observation_views, 0);
  EXPECT_GT(hook_views_compared, 0);
  EXPECT_GT(evidence_beside_held, 0);
  EXPECT_GT(bundle_observation_views, 0);
  EXPECT_GT(line_observation_views, 0);
  EXPECT_GT(wire_views_compared, 0);
  std::printf(
      "chunk %d: %lld resources written directly, %lld through the handler; %lld Observations "
      "read as views on the hook route (%lld of them compared field for field), %lld in Bundles, "
      "%lld as lines, %lld from gRPC bytes; %lld pieces of evidence kept beside the hook's "
      "Assessment\n",
      chunk, static_cast<long long>(projected_paths.direct_resources),
      static_cast<long long>(projected_paths.replayed_resources),
      static_cast<long long>(observation_views), static_cast<long long>(hook_views_compared),
      static_cast<long long>(bundle_observation_views),
      static_cast<long long>(line_observation_views),
      static_cast<long long>(wire_views_compared),
      static_cast<long long>(evidence_beside_held));
}

int ChunkCount() { return (PatientCount() + kChunk - 1) / kChunk; }

INSTANTIATE_TEST_SUITE_P(Chunks, PopulationTest, ::testing::Range(0, std::max(1, ChunkCount())));

}  // namespace
}  // namespace thrombo
