// Copyright 2026 The Thrombo Authors.
// Writes N distinct order-sign CDS Hooks request bodies (and, optionally, the typed
// EvaluateHookRequest of each) from the synthetic population, deterministic by seed.
//
// Each body has every prefetch key of thrombo-order-sign: `patient` as a resource and the others
// as searchset Bundles whose entries have absolute fullUrls and whose references are relative
// ("Patient/<id>"), as a FHIR server returns them; the IMiD order being signed is in
// context.draftOrders. Each patient's lab history is extended with older results (the newest
// values unchanged) until the body reaches a size drawn uniformly from [min_kb, max_kb].
//
//   make_requests --n=1000 --seed=7 --out=DIR [--grpc] [--min_kb=20 --max_kb=60]
//
// Writes DIR/req-00000.json ... and, with --grpc, DIR/req-00000.pb (binary EvaluateHookRequest,
// service_id thrombo-order-sign, parsed from the same body by the service's own reader).
#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "fhir/json_printer.h"
#include "base/status_macros.h"
#include "proto/fhir/r4/resources.pb.h"
#include "proto/thrombo/v1/service.pb.h"
#include "service/cds/hook_request_json.h"
#include "service/synth/bundle_builder.h"
#include "service/synth/population.h"
#include "service/synth/scenario.h"

ABSL_FLAG(int, n, 1000, "number of requests (patients)");
ABSL_FLAG(uint64_t, seed, 7, "population seed");
ABSL_FLAG(std::string, out, "", "output directory (must exist)");
ABSL_FLAG(std::string, now, "2026-11-25T12:00:00Z", "the population's evaluation time, RFC 3339");
ABSL_FLAG(int, min_kb, 20, "smallest body, KiB");
ABSL_FLAG(int, max_kb, 60, "largest body, KiB");
ABSL_FLAG(bool, grpc, false, "also write the typed EvaluateHookRequest of each body (.pb)");

namespace thrombo::load {
namespace {

using fhir::r4::Bundle;
using fhir::r4::ContainedResource;
using synth::Drug;
using synth::Scenario;

constexpr char kFhirBase[] = "https://ehr.example.org/fhir/";
constexpr char kServiceId[] = "thrombo-order-sign";

bool IsImid(Drug d) {
  return d == Drug::kLenalidomide || d == Drug::kThalidomide || d == Drug::kPomalidomide;
}

// Turns the scenario's first IMiD MedicationRequest into the draft being signed now; patients
// without one get a new lenalidomide 25 mg days 1-21 of 28 order.
void MakeDraftImid(Scenario& s) {
  for (synth::MedicationOrder& m : s.medications) {
    if (IsImid(m.drug) && m.resource == synth::MedResource::kMedicationRequest) {
      m.status = synth::MedStatus::kDraft;
      m.authored_on = s.now;
      return;
    }
  }
  synth::MedicationOrder m;
  m.drug = Drug::kLenalidomide;
  m.strength = "25";
  m.coding = synth::MedCoding::kProductScd;
  m.resource = synth::MedResource::kMedicationRequest;
  m.status = synth::MedStatus::kDraft;
  m.authored_on = s.now;
  m.dosing = synth::DailyForDaysDosing("25", 21, 28);
  s.medications.push_back(std::move(m));
}

// Adds `count` older lab results: copies of the patient's labs (hemoglobin when there are none),
// one set a week before the oldest result so far, so the newest value of each kind is unchanged.
void AddLabHistory(Scenario& s, int count) {
  std::vector<synth::Lab> kinds;
  std::map<synth::LabKind, bool> seen;
  absl::Time oldest = s.now;
  for (const synth::Lab& lab : s.labs) {
    oldest = std::min(oldest, lab.taken);
    if (!seen[lab.kind]) kinds.push_back(lab);
    seen[lab.kind] = true;
  }
  if (kinds.empty()) {
    synth::Lab hb;
    hb.kind = synth::LabKind::kHemoglobin;
    hb.value = "11.8";
    kinds.push_back(hb);
  }
  for (int added = 0, week = 1; added < count; ++week) {
    for (const synth::Lab& kind : kinds) {
      if (added++ >= count) break;
      synth::Lab lab = kind;
      lab.taken = oldest - absl::Hours(24 * 7 * week);
      s.labs.push_back(std::move(lab));
    }
  }
}

std::string TypeOf(const ContainedResource& r) {
  const auto* field = r.GetReflection()->GetOneofFieldDescriptor(
      r, r.GetDescriptor()->FindOneofByName("resource"));
  if (field == nullptr) return "";
  return field->message_type()->name();
}

// The request body for one scenario, plus the patient id.
absl::StatusOr<std::string> BuildBody(const Scenario& s, uint64_t index) {
  ASSIGN_OR_RETURN(Bundle all, synth::BuildBundle(s));
  std::string patient_id;
  std::map<std::string, std::string> type_of_id;  // for urn:uuid -> Type/id
  for (const Bundle::Entry& e : all.entry()) {
    const std::string type = TypeOf(e.resource());
    const std::string id = e.full_url().substr(std::string("urn:uuid:").size());
    type_of_id[id] = type;
    if (type == "Patient") patient_id = id;
  }
  if (patient_id.empty()) return absl::InternalError("no Patient in the synthetic Bundle");

  // Prefetch keys in the order the service's discovery declares them.
  const std::vector<std::pair<std::string, std::string>> keys = {
      {"medicationRequests", "MedicationRequest"}, {"medicationStatements", "MedicationStatement"},
      {"conditions", "Condition"},                 {"observations", "Observation"},
      {"procedures", "Procedure"},                 {"allergies", "AllergyIntolerance"}};
  std::map<std::string, Bundle> searchsets;
  for (const auto& [key, type] : keys) searchsets[type].set_type(fhir::r4::BundleTypeCode::SEARCHSET);
  Bundle drafts;
  drafts.set_type(fhir::r4::BundleTypeCode::COLLECTION);
  ContainedResource patient;
  for (const Bundle::Entry& e : all.entry()) {
    const std::string type = TypeOf(e.resource());
    const std::string id = e.full_url().substr(std::string("urn:uuid:").size());
    Bundle::Entry copy;
    copy.set_full_url(absl::StrCat(kFhirBase, type, "/", id));
    *copy.mutable_resource() = e.resource();
    if (type == "Patient") {
      patient = e.resource();
    } else if (type == "Medication") {
      // _include'd by the MedicationRequest search; the drafts may reference it too.
      copy.mutable_search()->set_mode(fhir::r4::SearchEntryModeCode::INCLUDE);
      *searchsets["MedicationRequest"].add_entry() = copy;
      copy.clear_search();
      *drafts.add_entry() = std::move(copy);
    } else if (type == "MedicationRequest" && e.resource().medication_request().status() ==
                                                  fhir::r4::MedicationRequestStatusCode::DRAFT) {
      *drafts.add_entry() = std::move(copy);
    } else if (searchsets.count(type)) {
      copy.mutable_search()->set_mode(fhir::r4::SearchEntryModeCode::MATCH);
      *searchsets[type].add_entry() = std::move(copy);
    }
  }
  for (auto& [type, b] : searchsets) {
    int matches = 0;
    for (const Bundle::Entry& e : b.entry()) {
      matches += e.search().mode() == fhir::r4::SearchEntryModeCode::MATCH;
    }
    b.set_total(matches);
  }

  auto print_bundle = [](const Bundle& b) -> absl::StatusOr<std::string> {
    ContainedResource r;
    *r.mutable_bundle() = b;
    return fhir::PrintResource(r);
  };
  ASSIGN_OR_RETURN(std::string patient_json, fhir::PrintResource(patient));
  ASSIGN_OR_RETURN(std::string drafts_json, print_bundle(drafts));
  std::string body = absl::StrCat(
      "{\"hookInstance\":\"", synth::DeterministicUuid(s.seed ^ 0x9e3779b97f4a7c15ull, index),
      "\",\"hook\":\"order-sign\",\"fhirServer\":\"https://ehr.example.org/fhir\","
      "\"context\":{\"userId\":\"Practitioner/load-", index % 50, "\",\"patientId\":\"",
      patient_id, "\",\"encounterId\":\"enc-", index, "\",\"draftOrders\":", drafts_json,
      "},\"prefetch\":{\"patient\":", patient_json);
  for (const auto& [key, type] : keys) {
    ASSIGN_OR_RETURN(std::string json, print_bundle(searchsets[type]));
    absl::StrAppend(&body, ",\"", key, "\":", json);
  }
  absl::StrAppend(&body, "}}");
  // In-bundle references (urn:uuid:<id>) become the relative references a server returns.
  std::vector<std::pair<std::string, std::string>> rewrites;
  rewrites.reserve(type_of_id.size());
  for (const auto& [id, type] : type_of_id) {
    rewrites.emplace_back(absl::StrCat("\"urn:uuid:", id, "\""),
                          absl::StrCat("\"", type, "/", id, "\""));
  }
  return absl::StrReplaceAll(body, rewrites);
}

absl::Status WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

absl::Status Run() {
  const int n = absl::GetFlag(FLAGS_n);
  const uint64_t seed = absl::GetFlag(FLAGS_seed);
  const std::string out = absl::GetFlag(FLAGS_out);
  const int min_bytes = absl::GetFlag(FLAGS_min_kb) * 1024;
  const int max_bytes = absl::GetFlag(FLAGS_max_kb) * 1024;
  if (out.empty()) return absl::InvalidArgumentError("--out is required");
  if (n <= 0 || min_bytes <= 0 || max_bytes < min_bytes) {
    return absl::InvalidArgumentError("need --n > 0 and 0 < --min_kb <= --max_kb");
  }
  absl::Time now;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, absl::GetFlag(FLAGS_now), &now, &error)) {
    return absl::InvalidArgumentError(absl::StrCat("--now: ", error));
  }
  std::mt19937_64 sizes(seed * 0x2545f4914f6cdd1dull + 1);
  const std::vector<Scenario> population = synth::RandomPopulation(n, seed, now);
  int64_t total = 0;
  size_t smallest = SIZE_MAX, largest = 0;
  for (int i = 0; i < n; ++i) {
    const size_t target =
        min_bytes + static_cast<size_t>(sizes() % static_cast<uint64_t>(max_bytes - min_bytes + 1));
    Scenario s = population[i];
    MakeDraftImid(s);
    ASSIGN_OR_RETURN(std::string body, BuildBody(s, i));
    // Grow the lab history: estimate the bytes per result from one batch, then top up.
    if (body.size() < target) {
      constexpr int kProbe = 8;
      Scenario probe = s;
      AddLabHistory(probe, kProbe);
      ASSIGN_OR_RETURN(std::string probed, BuildBody(probe, i));
      const double per_lab = std::max<double>(1.0, (probed.size() - body.size()) / double{kProbe});
      int count = static_cast<int>((target - body.size()) / per_lab);
      for (int tries = 0; tries < 20; ++tries) {
        Scenario grown = s;
        AddLabHistory(grown, count);
        ASSIGN_OR_RETURN(body, BuildBody(grown, i));
        if (body.size() >= target) break;
        count += std::max(1, static_cast<int>((target - body.size()) / per_lab));
      }
    }
    const std::string stem = absl::StrFormat("%s/req-%05d", out, i);
    RETURN_IF_ERROR(WriteFile(stem + ".json", body));
    total += static_cast<int64_t>(body.size());
    smallest = std::min(smallest, body.size());
    largest = std::max(largest, body.size());
    if (absl::GetFlag(FLAGS_grpc)) {
      absl::StatusOr<v1::EvaluateHookRequest> typed = service::ParseHookRequestJson(body);
      if (!typed.ok()) {
        return absl::Status(typed.status().code(),
                            absl::StrCat(stem, ".json: ", typed.status().message()));
      }
      typed->set_service_id(kServiceId);
      std::string wire;
      if (!typed->SerializeToString(&wire)) return absl::InternalError("cannot serialize");
      RETURN_IF_ERROR(WriteFile(stem + ".pb", wire));
    }
  }
  std::cerr << absl::StrFormat("make_requests: %d bodies in %s, %d-%d bytes, mean %d\n", n, out,
                               smallest, largest, total / n);
  return absl::OkStatus();
}

}  // namespace
}  // namespace thrombo::load

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const absl::Status status = thrombo::load::Run();
  if (!status.ok()) {
    std::cerr << "make_requests: " << status << "\n";
    return 1;
  }
  return 0;
}
