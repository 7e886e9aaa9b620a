// Copyright 2026 The Thrombo Authors.
// FHIR parse throughput against RapidJSON's own (SAX into a null handler, and DOM) on the same
// bytes: a ~600 KB Synthea-like Bundle built in code, plus the shared Synthea bundles when
// ../shared/data (or $THROMBO_SHARED_DATA) exists.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "fhir/json_parser.h"
#include "fhir/projection_reader.h"
#include "google/protobuf/arena.h"
#include "rapidjson/document.h"
#include "rapidjson/memorystream.h"
#include "rapidjson/reader.h"

namespace {

namespace fs = std::filesystem;

// The same flags the FHIR parser uses, so the comparison is like for like.
constexpr unsigned kFlags = rapidjson::kParseNumbersAsStringsFlag |
                            rapidjson::kParseValidateEncodingFlag |
                            rapidjson::kParseIterativeFlag;

std::string Observation(int i) {
  return absl::StrCat(
      R"({"fullUrl":"urn:uuid:obs-)", i, R"(","resource":{"resourceType":"Observation",)",
      R"("id":"obs-)", i, R"(","meta":{"lastUpdated":"2021-03-04T05:06:07.123Z"},)",
      R"("status":"final","category":[{"coding":[{"system":)",
      R"("http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory",)",
      R"("display":"laboratory"}]}],"code":{"coding":[{"system":"http://loinc.org",)",
      R"("code":"718-7","display":"Hemoglobin [Mass/volume] in Blood"}],"text":"Hemoglobin"},)",
      R"("subject":{"reference":"urn:uuid:patient-1"},"encounter":{"reference":"urn:uuid:enc-)",
      i % 40, R"("},"effectiveDateTime":"2019-0)", 1 + i % 9, R"(-1)", i % 10,
      R"(T08:30:00-05:00","issued":"2019-01-10T08:30:00.000-05:00","valueQuantity":{)",
      R"("value":1)", i % 7, ".", i % 10, R"(,"unit":"g/dL","system":"http://unitsofmeasure.org",)",
      R"("code":"g/dL"},"referenceRange":[{"low":{"value":12.0,"unit":"g/dL"},)",
      R"("high":{"value":16.0,"unit":"g/dL"}}]},"request":{"method":"POST",)",
      R"("url":"Observation"}})");
}

std::string Condition(int i) {
  return absl::StrCat(
      R"({"fullUrl":"urn:uuid:cond-)", i, R"(","resource":{"resourceType":"Condition",)",
      R"("id":"cond-)", i, R"(","clinicalStatus":{"coding":[{"system":)",
      R"("http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},)",
      R"("verificationStatus":{"coding":[{"system":)",
      R"("http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed"}]},)",
      R"("category":[{"coding":[{"system":)",
      R"("http://terminology.hl7.org/CodeSystem/condition-category",)",
      R"("code":"encounter-diagnosis"}]}],"code":{"coding":[{"system":"http://snomed.info/sct",)",
      R"("code":"10953)", i % 10, R"(","display":"Multiple myeloma"}],"text":"Multiple myeloma"},)",
      R"("subject":{"reference":"urn:uuid:patient-1"},"onsetDateTime":"2018-05-0)", 1 + i % 9,
      R"(T10:00:00Z","recordedDate":"2018-05-02T10:00:00Z"},"request":{"method":"POST",)",
      R"("url":"Condition"}})");
}

std::string MedicationRequest(int i) {
  return absl::StrCat(
      R"({"fullUrl":"urn:uuid:mr-)", i, R"(","resource":{"resourceType":"MedicationRequest",)",
      R"("id":"mr-)", i, R"(","status":"active","intent":"order","medicationCodeableConcept":)",
      R"({"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"34239)", i % 10,
      R"(","display":"lenalidomide 25 MG Oral Capsule"}],"text":"lenalidomide 25 MG"},)",
      R"("subject":{"reference":"urn:uuid:patient-1"},"authoredOn":"2020-02-0)", 1 + i % 9,
      R"(T09:00:00+01:00","requester":{"reference":"Practitioner/pr-1","display":"Dr. A"},)",
      R"("dosageInstruction":[{"sequence":1,"text":"25 mg daily days 1-21","timing":{"repeat":)",
      R"({"boundsPeriod":{"start":"2020-02-01"},"frequency":1,"period":1,"periodUnit":"d"}},)",
      R"("asNeededBoolean":false,"doseAndRate":[{"type":{"coding":[{"system":)",
      R"("http://terminology.hl7.org/CodeSystem/dose-rate-type","code":"ordered"}]},)",
      R"("doseQuantity":{"value":25,"unit":"mg","system":"http://unitsofmeasure.org",)",
      R"("code":"mg"}}]}]},"request":{"method":"POST","url":"MedicationRequest"}})");
}

std::string Encounter(int i) {  // not modelled: exercises skipping
  return absl::StrCat(
      R"({"fullUrl":"urn:uuid:enc-)", i, R"(","resource":{"resourceType":"Encounter","id":"enc-)",
      i, R"(","status":"finished","class":{"system":)",
      R"("http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"type":[{"coding":)",
      R"([{"system":"http://snomed.info/sct","code":"185349003"}]}],"subject":{"reference":)",
      R"("urn:uuid:patient-1"},"period":{"start":"2019-01-10T08:00:00-05:00",)",
      R"("end":"2019-01-10T08:45:00-05:00"}},"request":{"method":"POST","url":"Encounter"}})");
}

// A transaction Bundle shaped like Synthea output, about 600 KB.
std::string SyntheaLikeBundle() {
  std::string json = absl::StrCat(
      R"({"resourceType":"Bundle","type":"transaction","entry":[{"fullUrl":)",
      R"("urn:uuid:patient-1","resource":{"resourceType":"Patient","id":"patient-1",)",
      R"("text":{"status":"generated","div":"<div>Generated</div>"},"extension":[{"url":)",
      R"("http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex","valueCode":"F"}],)",
      R"("identifier":[{"system":"https://github.com/synthetichealth/synthea","value":"p1"}],)",
      R"("name":[{"use":"official","family":"Mueller","given":["Angelic","Rose"],)",
      R"("prefix":["Ms."]}],"gender":"female","birthDate":"1951-04-12",)",
      R"("maritalStatus":{"coding":[{"system":)",
      R"("http://terminology.hl7.org/CodeSystem/v3-MaritalStatus","code":"M"}]}},)",
      R"("request":{"method":"POST","url":"Patient"}})");
  for (int i = 0; json.size() < 600 * 1024; ++i) {
    absl::StrAppend(&json, ",", Observation(i), ",", Observation(i + 100000));
    if (i % 2 == 0) absl::StrAppend(&json, ",", Condition(i));
    if (i % 2 == 1) absl::StrAppend(&json, ",", MedicationRequest(i));
    if (i % 4 == 0) absl::StrAppend(&json, ",", Encounter(i));
  }
  absl::StrAppend(&json, "]}");
  return json;
}

void BM_ThromboParse(benchmark::State& state, const std::string* json) {
  for (auto _ : state) {
    absl::StatusOr<thrombo::fhir::ParsedResource> parsed = thrombo::fhir::ParseResource(*json);
    if (!parsed.ok()) {
      state.SkipWithError(std::string(parsed.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(parsed->resource);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * json->size());
}

// The same parse into a ContainedResource on an arena (one arena per document, as a request
// handler would use it).
void BM_ThromboParseArena(benchmark::State& state, const std::string* json) {
  for (auto _ : state) {
    google::protobuf::Arena arena;
    auto* resource =
        google::protobuf::Arena::CreateMessage<thrombo::fhir::r4::ContainedResource>(&arena);
    absl::Status status = thrombo::fhir::ParseInto(*json, resource);
    if (!status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(resource);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * json->size());
}

// The projection reader (the hook route's): the index checks everything, only the elements
// the decision reads are built.
void BM_ProjectedParse(benchmark::State& state, const std::string* json) {
  for (auto _ : state) {
    absl::StatusOr<thrombo::fhir::ParsedResource> parsed =
        thrombo::fhir::ParseResourceProjected(*json);
    if (!parsed.ok()) {
      state.SkipWithError(std::string(parsed.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(parsed->resource);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * json->size());
}

// The projection reader's check and index of the text alone (base::JsonIndex): the floor under
// the projection reader.
void BM_JsonIndex(benchmark::State& state, const std::string* json) {
  thrombo::fhir::ProjectionDocument document;
  const int max_depth = thrombo::fhir::ParseOptions().max_depth;
  for (auto _ : state) {
    if (!document.Parse(*json, max_depth).ok()) {
      state.SkipWithError("JsonIndex refused the text");
      return;
    }
    benchmark::DoNotOptimize(document.root());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * json->size());
}

void BM_RapidJsonSaxNull(benchmark::State& state, const std::string* json) {
  for (auto _ : state) {
    rapidjson::Reader reader;
    rapidjson::BaseReaderHandler<> handler;
    rapidjson::MemoryStream stream(json->data(), json->size());
    if (reader.Parse<kFlags>(stream, handler).IsError()) {
      state.SkipWithError("RapidJSON SAX parse failed");
      return;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * json->size());
}

void BM_RapidJsonDom(benchmark::State& state, const std::string* json) {
  for (auto _ : state) {
    rapidjson::Document document;
    document.Parse<rapidjson::kParseNumbersAsStringsFlag>(json->data(), json->size());
    if (document.HasParseError()) {
      state.SkipWithError("RapidJSON DOM parse failed");
      return;
    }
    benchmark::DoNotOptimize(document);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * json->size());
}

void RegisterInput(const std::string& name, const std::string* json) {
  benchmark::RegisterBenchmark(("ThromboParse/" + name).c_str(), BM_ThromboParse, json);
  benchmark::RegisterBenchmark(("ThromboParseArena/" + name).c_str(), BM_ThromboParseArena,
                               json);
  benchmark::RegisterBenchmark(("ProjectedParse/" + name).c_str(), BM_ProjectedParse, json);
  benchmark::RegisterBenchmark(("JsonIndex/" + name).c_str(), BM_JsonIndex, json);
  benchmark::RegisterBenchmark(("RapidJsonSaxNull/" + name).c_str(), BM_RapidJsonSaxNull, json);
  benchmark::RegisterBenchmark(("RapidJsonDom/" + name).c_str(), BM_RapidJsonDom, json);
}

fs::path SharedBundles() {
  if (const char* env = std::getenv("THROMBO_SHARED_DATA"); env != nullptr && *env != '\0') {
    return fs::path(env) / "synthea" / "bundles";
  }
  // `bazel run` starts in the runfiles tree; BUILD_WORKSPACE_DIRECTORY names the checkout.
  if (const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY")) {
    return fs::path(workspace).parent_path() / "shared" / "data" / "synthea" / "bundles";
  }
  return {};
}

// Registered before benchmark_main's main() runs. Inputs live for the whole process.
const bool kRegistered = [] {
  RegisterInput("synthetic_600KB", new std::string(SyntheaLikeBundle()));
  std::error_code error;
  const fs::path dir = SharedBundles();
  if (dir.empty() || !fs::is_directory(dir, error)) return true;
  std::vector<fs::path> files;
  for (const auto& item : fs::directory_iterator(dir, error)) {
    if (item.path().extension() == ".json") files.push_back(item.path());
  }
  std::sort(files.begin(), files.end());
  for (const fs::path& file : files) {
    if (fs::file_size(file, error) < 300 * 1024) continue;  // the small STU3-style sample
    std::ifstream in(file, std::ios::binary);
    std::ostringstream contents;
    contents << in.rdbuf();
    RegisterInput(file.stem().string().substr(0, 20), new std::string(contents.str()));
  }
  return true;
}();

}  // namespace
