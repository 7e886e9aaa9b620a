// Copyright 2026 The Thrombo Authors.
#include "service/scan/scan.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/read_file.h"
#include "base/string_compat.h"
#include "fhir/json_parser.h"
#include "fhir/lab_observation.h"
#include "fhir/projection_reader.h"
#include "fhir/parse_issue.h"
#include "fhir/patient_record.h"
#include "google/protobuf/arena.h"
#include "service/scan/gap.h"
#include "service/scan/report.h"
#include "simdjson.h"

namespace thrombo::scan {
namespace {

namespace fs = std::filesystem;
using fhir::r4::ContainedResource;

struct ExportFile {
  std::string name;  // inside the export folder; what bad lines name
  std::string path;
  int64_t size = 0;
  bool gz = false;
};

absl::StatusOr<std::vector<ExportFile>> ListExport(const std::string& dir) {
  std::error_code error;
  std::vector<ExportFile> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    const bool gz = absl::EndsWith(name, ".ndjson.gz");
    if (!gz && !absl::EndsWith(name, ".ndjson")) continue;
    if (gz && name.find('\'') != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(name, ": a single quote cannot go to gzip"));
    }
    files.push_back({name, entry.path().string(), static_cast<int64_t>(entry.file_size()), gz});
  }
  if (error) return absl::UnavailableError(absl::StrCat("--bulk=", dir, ": ", error.message()));
  if (files.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--bulk=", dir, ": no .ndjson or .ndjson.gz file (a Bulk Data export)"));
  }
  // A fixed order: line ties break the same way in every shard.
  std::sort(files.begin(), files.end(),
            [](const ExportFile& a, const ExportFile& b) { return a.name < b.name; });
  return files;
}

// Calls on_line(line_number, data, size, capacity) for each non-blank line of `file`, where
// data[size..capacity) is readable memory (simdjson reads up to SIMDJSON_PADDING past the end).
template <typename OnLine>
absl::Status ForEachLine(const ExportFile& file, std::atomic<int64_t>* bytes_read,
                         OnLine&& on_line) {
  std::FILE* in = file.gz ? popen(absl::StrCat("gzip -dc '", file.path, "'").c_str(), "r")
                          : std::fopen(file.path.c_str(), "rb");
  if (in == nullptr) return absl::UnavailableError(absl::StrCat("cannot read ", file.path));
  constexpr size_t kPadding = simdjson::SIMDJSON_PADDING;
  std::vector<char> buffer((size_t{4} << 20) + kPadding);
  size_t have = 0;
  int64_t line_number = 0;
  auto emit = [&](size_t start, size_t end) {
    ++line_number;
    size_t size = end - start;
    if (size > 0 && buffer[start + size - 1] == '\r') --size;
    const char* data = buffer.data() + start;
    size_t first = 0;
    while (first < size && (data[first] == ' ' || data[first] == '\t')) ++first;
    if (first == size) return;
    on_line(line_number, data, size, buffer.size() - start);
  };
  while (true) {
    if (have + kPadding == buffer.size()) buffer.resize(buffer.size() * 2);  // a very long line
    const size_t n = std::fread(buffer.data() + have, 1, buffer.size() - kPadding - have, in);
    bytes_read->fetch_add(static_cast<int64_t>(n), std::memory_order_relaxed);
    have += n;
    size_t start = 0;
    while (true) {
      const void* newline = std::memchr(buffer.data() + start, '\n', have - start);
      if (newline == nullptr) break;
      const size_t end = static_cast<const char*>(newline) - buffer.data();
      emit(start, end);
      start = end + 1;
    }
    if (n == 0) {
      if (start < have) emit(start, have);
      break;
    }
    std::memmove(buffer.data(), buffer.data() + start, have - start);
    have -= start;
  }
  const bool read_error = std::ferror(in) != 0;
  const int rc = file.gz ? pclose(in) : std::fclose(in);
  if (read_error || rc != 0) {
    return absl::UnavailableError(
        absl::StrCat("reading ", file.path, " failed", file.gz ? " (gzip -dc)" : ""));
  }
  return absl::OkStatus();
}

// What the partition needs from a line: its type and whose it is.
struct LineKey {
  enum Kind { kBad, kPatient, kMedication, kPatientData, kNoPatient, kUnread } kind = kBad;
  std::string type;
  std::string key;    // patient id (kPatient, kPatientData) or Medication id
  std::string path;   // kBad: where
  std::string error;  // kBad: what
};

bool IsPatientDataType(std::string_view type) {
  return type == "Condition" || type == "Observation" || type == "MedicationRequest" ||
         type == "MedicationStatement" || type == "MedicationAdministration" ||
         type == "MedicationDispense" || type == "Procedure" || type == "AllergyIntolerance";
}

// The patient id of a reference "Patient/123", "https://x/fhir/Patient/123/_history/2"; a
// reference of another form gets a key no Patient has ("?" + reference), so its resources are
// counted as belonging to an unknown patient.
std::string PatientKeyOf(std::string_view reference) {
  size_t at = std::string_view::npos;
  for (size_t p = reference.find("Patient/"); p != std::string_view::npos;
       p = reference.find("Patient/", p + 1)) {
    if (p == 0 || reference[p - 1] == '/') at = p;
  }
  if (at == std::string_view::npos) return std::string("?").append(reference);
  std::string_view id = reference.substr(at + 8);
  id = id.substr(0, id.find('/'));
  if (id.empty()) return std::string("?").append(reference);
  return std::string(id);
}

LineKey KeyOf(simdjson::ondemand::parser& parser, const char* data, size_t size, size_t capacity) {
  LineKey out;
  simdjson::ondemand::document document;
  if (auto error = parser.iterate(data, size, capacity).get(document); error) {
    out.error = absl::StrCat("invalid JSON: ", simdjson::error_message(error));
    return out;
  }
  simdjson::ondemand::object object;
  if (auto error = document.get_object().get(object); error) {
    out.error = absl::StrCat("invalid JSON: not an object (", simdjson::error_message(error), ")");
    return out;
  }
  std::string_view type;
  if (auto error = object["resourceType"].get_string().get(type); error) {
    out.path = "resourceType";
    out.error = absl::StrCat("no resourceType string: ", simdjson::error_message(error));
    return out;
  }
  out.type = std::string(type);
  if (type == "Patient" || type == "Medication") {
    std::string_view id;
    if (auto error = object["id"].get_string().get(id); error || id.empty()) {
      out.path = std::string(type) + ".id";
      out.error = "no id: other resources cannot refer to it";
      return out;
    }
    out.kind = type == "Patient" ? LineKey::kPatient : LineKey::kMedication;
    out.key = std::string(id);
    return out;
  }
  if (!IsPatientDataType(type)) {
    out.kind = LineKey::kUnread;
    return out;
  }
  const char* field = type == "AllergyIntolerance" ? "patient" : "subject";
  std::string_view reference;
  if (object[field]["reference"].get_string().get(reference) != simdjson::SUCCESS ||
      reference.empty()) {
    out.kind = LineKey::kNoPatient;
    return out;
  }
  out.kind = LineKey::kPatientData;
  out.key = PatientKeyOf(reference);
  return out;
}

// The one place a resource line becomes a proto, through the hook path's projection reader (fhir/projection_reader.h): only the elements the
// decision reads are built and judged, so an element the engine ignores never costs a patient
// (docs/clinical.md policy v1.1 rule 14 marks what a dropped read element leaves UNKNOWN). An
// invalid line is answered by the full reader, so its error names the FHIR path. With
// `lab_observations`, an Observation line of the common shape becomes a view added there and a
// stub in the result (fhir/lab_observation.h), as on the hook route.
//
// The resource is made on `arena` (a patient's resources and assessment share one, freed at
// once); its parse's deviations go to `*deviations` when given.
absl::StatusOr<const ContainedResource*> ReadResource(
    std::string_view json, google::protobuf::Arena* arena,
    std::vector<fhir::ParseDeviation>* deviations = nullptr,
    fhir::LabObservationTable* lab_observations = nullptr) {
  fhir::ParseOptions options;
  options.tolerant = true;
  auto* resource = google::protobuf::Arena::CreateMessage<ContainedResource>(arena);
  fhir::ParseReport report;
  if (absl::Status status = fhir::ParseIntoProjected(json, resource, options,
                                                     fhir::Projection::Decision(), &report,
                                                     nullptr, lab_observations);
      !status.ok()) {
    return status;
  }
  if (deviations != nullptr) *deviations = std::move(report.deviations);
  return resource;
}

// The medicationReference of a medication resource, or null.
const fhir::r4::Reference* MedicationReferenceOf(const ContainedResource& resource) {
  switch (resource.resource_case()) {
    case ContainedResource::kMedicationRequest:
      return resource.medication_request().has_medication_reference()
                 ? &resource.medication_request().medication_reference()
                 : nullptr;
    case ContainedResource::kMedicationStatement:
      return resource.medication_statement().has_medication_reference()
                 ? &resource.medication_statement().medication_reference()
                 : nullptr;
    case ContainedResource::kMedicationAdministration:
      return resource.medication_administration().has_medication_reference()
                 ? &resource.medication_administration().medication_reference()
                 : nullptr;
    case ContainedResource::kMedicationDispense:
      return resource.medication_dispense().has_medication_reference()
                 ? &resource.medication_dispense().medication_reference()
                 : nullptr;
    default:
      return nullptr;
  }
}

// A line of `type` that could not be read: the patient's facts from that category are UNKNOWN.
void MarkUnavailable(std::string_view type, risk::DataAvailability* available) {
  if (type == "Condition") available->conditions = false;
  if (type == "Observation") available->observations = false;
  if (type == "Procedure") available->procedures = false;
  if (type == "AllergyIntolerance") available->allergies = false;
  if (type == "MedicationStatement") available->medication_statements = false;
  if (type == "MedicationRequest") available->medication_requests = false;
  if (type == "MedicationDispense") available->medication_dispenses = false;
  if (type == "MedicationAdministration") available->medication_administrations = false;
}

absl::Status WriteFile(const std::string& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

// Merges row files (each sorted by patient id) into out_dir's gaps.ndjson, gaps.csv and
// report.html, and writes bad_lines.ndjson and summary.json: the last step of a scan and all of
// a merge, so both give the same bytes.
absl::Status WriteOutputs(const std::vector<std::string>& row_files, ScanSummary summary,
                          std::vector<BadLine> bad_lines, const std::string& out_dir,
                          size_t report_rows) {
  std::vector<std::unique_ptr<std::ifstream>> inputs;
  using Head = std::pair<std::string, size_t>;  // patient id, input index
  std::priority_queue<Head, std::vector<Head>, std::greater<Head>> heads;
  std::vector<std::string> lines(row_files.size());
  std::vector<GapRow> rows(row_files.size());
  auto advance = [&](size_t i) -> absl::Status {
    if (!std::getline(*inputs[i], lines[i])) return absl::OkStatus();
    absl::StatusOr<GapRow> row = RowFromJson(lines[i]);
    if (!row.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(row_files[i], ": ", row.status().message()));
    }
    rows[i] = *std::move(row);
    heads.push({rows[i].patient_id, i});
    return absl::OkStatus();
  };
  for (size_t i = 0; i < row_files.size(); ++i) {
    inputs.push_back(std::make_unique<std::ifstream>(row_files[i], std::ios::binary));
    if (!*inputs[i]) return absl::UnavailableError(absl::StrCat("cannot read ", row_files[i]));
    if (absl::Status s = advance(i); !s.ok()) return s;
  }
  std::ofstream ndjson(absl::StrCat(out_dir, "/gaps.ndjson"), std::ios::binary | std::ios::trunc);
  std::ofstream csv(absl::StrCat(out_dir, "/gaps.csv"), std::ios::binary | std::ios::trunc);
  csv << CsvHeader() << "\r\n";  // RFC 4180 line ends
  ReportBuilder report(report_rows);
  std::string previous;
  while (!heads.empty()) {
    const size_t i = heads.top().second;
    heads.pop();
    if (!previous.empty() && rows[i].patient_id == previous) {
      return absl::InvalidArgumentError(
          absl::StrCat("patient ", previous, " is in two inputs: shards of different scans?"));
    }
    previous = rows[i].patient_id;
    ndjson << lines[i] << "\n";
    csv << RowToCsv(rows[i]) << "\r\n";
    report.Add(rows[i]);
    if (absl::Status s = advance(i); !s.ok()) return s;
  }
  ndjson.close();
  csv.close();
  if (!ndjson || !csv) return absl::UnavailableError(absl::StrCat("cannot write to ", out_dir));
  summary.imid_patients = report.total();
  std::sort(bad_lines.begin(), bad_lines.end());
  std::string bad_text;
  for (const BadLine& bad : bad_lines) absl::StrAppend(&bad_text, BadLineToJson(bad), "\n");
  if (absl::Status s = WriteFile(absl::StrCat(out_dir, "/bad_lines.ndjson"), bad_text); !s.ok()) {
    return s;
  }
  std::vector<BadLine> shown(bad_lines.begin(),
                             bad_lines.begin() + std::min<size_t>(bad_lines.size(), 50));
  if (absl::Status s =
          WriteFile(absl::StrCat(out_dir, "/report.html"), report.Html(summary, shown));
      !s.ok()) {
    return s;
  }
  return WriteFile(absl::StrCat(out_dir, "/summary.json"), SummaryToJson(summary));
}

// The bucket files of the partition, shared by the threads; each thread buffers its lines per
// bucket and appends a buffer under that bucket's lock.
class Buckets {
 public:
  static constexpr size_t kFlushBytes = 64 << 10;

  static absl::StatusOr<std::unique_ptr<Buckets>> Open(const std::string& dir, int count) {
    auto buckets = std::unique_ptr<Buckets>(new Buckets());
    buckets->locks_ = std::vector<std::mutex>(count);
    for (int b = 0; b < count; ++b) {
      buckets->paths_.push_back(absl::StrFormat("%s/bucket.%04d", dir, b));
      std::FILE* file = std::fopen(buckets->paths_.back().c_str(), "wb");
      if (file == nullptr) {
        return absl::UnavailableError(absl::StrCat("cannot write ", buckets->paths_.back()));
      }
      buckets->files_.push_back(file);
    }
    return buckets;
  }
  ~Buckets() { Close().IgnoreError(); }

  int count() const { return static_cast<int>(files_.size()); }
  const std::string& path(int b) const { return paths_[b]; }

  void Append(int b, const std::string& data) {
    std::lock_guard<std::mutex> lock(locks_[b]);
    if (std::fwrite(data.data(), 1, data.size(), files_[b]) != data.size()) failed_ = true;
  }

  absl::Status Close() {
    bool failed = failed_;
    for (std::FILE*& file : files_) {
      if (file != nullptr && std::fclose(file) != 0) failed = true;
      file = nullptr;
    }
    if (failed) return absl::UnavailableError("cannot write the bucket files (disk full?)");
    return absl::OkStatus();
  }

 private:
  Buckets() = default;
  std::vector<std::string> paths_;
  std::vector<std::FILE*> files_;
  std::vector<std::mutex> locks_;
  std::atomic<bool> failed_{false};
};

// Medication resources by id: the raw line, parsed when a patient's order refers to it.
class MedicationStore {
 public:
  void Put(std::string id, std::string_view line) {
    std::lock_guard<std::mutex> lock(mu_);
    lines_.emplace(std::move(id), std::string(line));
  }
  // Called only after the partition (no writer left): no lock.
  const std::string* Find(std::string_view id) const {
    const auto it = lines_.find(base::Absl(id));
    return it == lines_.end() ? nullptr : &it->second;
  }

 private:
  std::mutex mu_;
  absl::flat_hash_map<std::string, std::string> lines_;
};

// One thread's share of the counts and bad lines, summed at the end.
struct Tally {
  ScanSummary summary;
  std::vector<BadLine> bad_lines;

  void Bad(std::string file, int64_t line, std::string path, std::string error,
           const std::string& reason) {
    ++summary.bad_lines;
    ++summary.bad_by_reason[reason];
    bad_lines.push_back({std::move(file), line, std::move(path), std::move(error)});
  }
};

struct Progress {
  std::atomic<int64_t> bytes_read{0};
  std::atomic<int64_t> patients{0};
  std::atomic<int64_t> bytes_assessed{0};
  std::atomic<int> buckets_done{0};
  std::atomic<int> phase{0};  // 0 partition, 1 assess, 2 done
};

void ReportProgress(const Progress& progress, int64_t total_bytes, bool compressed, int buckets,
                    absl::Time start, std::mutex* mu, std::condition_variable* done) {
  std::unique_lock<std::mutex> lock(*mu);
  absl::Time phase_start = start;
  int last_phase = 0;
  while (progress.phase.load() < 2) {
    done->wait_for(lock, std::chrono::milliseconds(250));
    const int phase = progress.phase.load();
    if (phase != last_phase) {
      phase_start = absl::Now();
      last_phase = phase;
    }
    const double seconds = std::max(1e-3, absl::ToDoubleSeconds(absl::Now() - phase_start));
    std::string line;
    if (phase == 0) {
      const double mb = progress.bytes_read.load() / 1e6;
      line = absl::StrFormat("partition: %.0f MB read, %.0f MB/s", mb, mb / seconds);
      if (!compressed && mb > 0) {
        absl::StrAppend(&line, absl::StrFormat(" of %.0f MB, ETA %.0f s", total_bytes / 1e6,
                                               (total_bytes / 1e6 - mb) / (mb / seconds)));
      }
    } else if (phase == 1) {
      const int64_t patients = progress.patients.load();
      const int done_buckets = progress.buckets_done.load();
      line = absl::StrFormat("assess: %d patients, %.0f/s, %.0f MB, bucket %d of %d", patients,
                             patients / seconds, progress.bytes_assessed.load() / 1e6,
                             done_buckets, buckets);
      if (done_buckets > 0) {
        absl::StrAppend(&line, absl::StrFormat(", ETA %.0f s",
                                               seconds * (buckets - done_buckets) / done_buckets));
      }
    }
    if (!line.empty()) std::cerr << "\r" << line << "\033[K" << std::flush;
  }
  std::cerr << "\r\033[K" << std::flush;
}

int BucketCount(int64_t bytes, const ScanOptions& options, int threads) {
  const int64_t per_shard = bytes / std::max(1, options.shard_count);
  // At least four per thread, so the threads finish together.
  const int64_t wanted =
      std::max<int64_t>(per_shard / std::max<int64_t>(1, options.bucket_bytes) + 1, 4 * threads);
  // At most 512 open files; beyond ~8 GB per shard the buckets grow instead.
  return static_cast<int>(std::min<int64_t>(wanted, 512));
}

}  // namespace

uint64_t StableHash(std::string_view text) {
  uint64_t hash = 14695981039346656037ull;  // FNV-1a 64 offset basis and prime
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

absl::StatusOr<ScanSummary> RunScan(const ScanOptions& options, const risk::Engine& engine) {
  if (options.shard_count < 1 || options.shard_index < 0 ||
      options.shard_index >= options.shard_count) {
    return absl::InvalidArgumentError(absl::StrCat("--shard=", options.shard_index, "/",
                                                   options.shard_count,
                                                   ": expected I/N with 0 <= I < N"));
  }
  const absl::Time start = absl::Now();
  absl::StatusOr<std::vector<ExportFile>> listed = ListExport(options.bulk_dir);
  if (!listed.ok()) return listed.status();
  const std::vector<ExportFile>& files = *listed;
  std::error_code error;
  fs::create_directories(options.out_dir, error);
  if (error)
    return absl::UnavailableError(absl::StrCat("--out=", options.out_dir, ": ", error.message()));
  const std::string tmp = options.tmp_dir.empty()
                              ? absl::StrCat(options.out_dir, "/.scan-tmp-", getpid())
                              : absl::StrCat(options.tmp_dir, "/thrombo-scan-", getpid());
  fs::create_directories(tmp, error);
  if (error) return absl::UnavailableError(absl::StrCat(tmp, ": ", error.message()));
  struct RemoveTmp {
    std::string dir;
    ~RemoveTmp() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } remove_tmp{tmp};

  int64_t total_bytes = 0;
  bool compressed = false;
  for (const ExportFile& file : files) {
    // A gzip'd NDJSON export is about 8x smaller than its text: size the buckets for the text.
    total_bytes += file.gz ? file.size * 8 : file.size;
    compressed |= file.gz;
  }
  const int threads = options.threads > 0
                          ? options.threads
                          : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  absl::StatusOr<std::unique_ptr<Buckets>> opened =
      Buckets::Open(tmp, BucketCount(total_bytes, options, threads));
  if (!opened.ok()) return opened.status();
  Buckets& buckets = **opened;
  const uint64_t shards = static_cast<uint64_t>(options.shard_count);
  const uint64_t shard = static_cast<uint64_t>(options.shard_index);
  auto mine = [&](std::string_view key) { return StableHash(key) % shards == shard; };

  Progress progress;
  std::mutex progress_mu;
  std::condition_variable progress_done;
  std::thread reporter;
  if (options.progress) {
    reporter = std::thread(ReportProgress, std::cref(progress), total_bytes, compressed,
                           buckets.count(), start, &progress_mu, &progress_done);
  }
  struct JoinReporter {
    Progress* progress;
    std::condition_variable* done;
    std::thread* thread;
    ~JoinReporter() {
      progress->phase = 2;
      done->notify_all();
      if (thread->joinable()) thread->join();
    }
  } join_reporter{&progress, &progress_done, &reporter};

  // 1. Partition.
  MedicationStore medications;
  std::vector<Tally> tallies(threads);
  std::vector<absl::Status> statuses(threads);
  std::atomic<size_t> next_file{0};
  auto partition = [&](int t) {
    Tally& tally = tallies[t];
    simdjson::ondemand::parser parser;
    std::vector<std::string> pending(buckets.count());
    for (size_t f = next_file++; f < files.size(); f = next_file++) {
      const ExportFile& file = files[f];
      const std::string file_index = absl::StrCat(f);
      absl::Status status = ForEachLine(
          file, &progress.bytes_read,
          [&](int64_t line, const char* data, size_t size, size_t capacity) {
            const std::string_view text(data, size);
            LineKey key = KeyOf(parser, data, size, capacity);
            const bool patient_line =
                key.kind == LineKey::kPatient || key.kind == LineKey::kPatientData;
            // Every line is counted by one shard: a patient's by the patient's, any other by
            // the hash of where it is.
            const bool counted =
                patient_line ? mine(key.key) : mine(absl::StrCat(file.name, ":", line));
            if (counted) {
              ++tally.summary.lines;
              tally.summary.bytes += static_cast<int64_t>(size) + 1;
            }
            switch (key.kind) {
              case LineKey::kBad:
                if (counted) {
                  tally.Bad(file.name, line, key.path, key.error,
                            key.path.empty() ? "invalid JSON" : "invalid FHIR");
                }
                return;
              case LineKey::kUnread:
                if (counted) ++tally.summary.skipped_types[key.type];
                return;
              case LineKey::kNoPatient:
                if (counted) ++tally.summary.unknown_patient_resources;
                return;
              case LineKey::kMedication:
                if (counted) ++tally.summary.resources;
                medications.Put(std::move(key.key), text);
                return;
              case LineKey::kPatient:
              case LineKey::kPatientData: {
                if (!counted) return;
                const uint64_t hash = StableHash(key.key) / shards;
                const int b = static_cast<int>(hash % static_cast<uint64_t>(buckets.count()));
                // Tabs and newlines cannot be in an NDJSON line's text, only in the key.
                for (char& c : key.key) {
                  if (c == '\t' || c == '\n') c = ' ';
                }
                std::string& buffer = pending[b];
                absl::StrAppend(&buffer, key.key, "\t", file_index, "\t", line, "\t", key.type,
                                "\t", base::Absl(text), "\n");
                if (buffer.size() >= Buckets::kFlushBytes) {
                  buckets.Append(b, buffer);
                  buffer.clear();
                }
                return;
              }
            }
          });
      if (!status.ok()) {
        statuses[t] = status;
        return;
      }
    }
    for (int b = 0; b < buckets.count(); ++b) {
      if (!pending[b].empty()) buckets.Append(b, pending[b]);
    }
  };
  {
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) workers.emplace_back(partition, t);
    for (std::thread& worker : workers) worker.join();
  }
  for (const absl::Status& status : statuses) {
    if (!status.ok()) return status;
  }
  if (absl::Status closed = buckets.Close(); !closed.ok()) return closed;
  const absl::Time partitioned = absl::Now();

  // 2. Assess, one bucket at a time per thread.
  progress.phase = 1;
  std::atomic<int> next_bucket{0};
  std::vector<std::string> row_files(buckets.count());
  auto assess = [&](int t) {
    Tally& tally = tallies[t];
    // Each bucket in turn, in the same memory: a fresh string per bucket had its pages faulted
    // in again each time (docs/benchmarks.md, "Population scan").
    struct Entry {
      std::string_view key;
      int file = 0;
      int64_t line = 0;
      std::string_view type;
      std::string_view json;
    };
    std::string text;
    std::vector<Entry> entries;
    for (int b = next_bucket++; b < buckets.count(); b = next_bucket++) {
      if (absl::Status read = base::ReadFileInto(buckets.path(b), &text); !read.ok()) {
        statuses[t] = read;
        return;
      }
      progress.bytes_assessed.fetch_add(static_cast<int64_t>(text.size()));
      std::error_code ignored;
      fs::remove(buckets.path(b), ignored);  // the disk holds each line about once
      entries.clear();
      for (absl::string_view record : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
        std::vector<absl::string_view> parts = absl::StrSplit(record, absl::MaxSplits('\t', 4));
        Entry entry;
        if (parts.size() != 5 || !absl::SimpleAtoi(parts[1], &entry.file) ||
            !absl::SimpleAtoi(parts[2], &entry.line)) {
          statuses[t] = absl::InternalError(absl::StrCat(buckets.path(b), ": corrupt record"));
          return;
        }
        entry.key = base::Std(parts[0]);
        entry.type = base::Std(parts[3]);
        entry.json = base::Std(parts[4]);
        entries.push_back(entry);
      }
      std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return std::tie(a.key, a.file, a.line) < std::tie(b.key, b.file, b.line);
      });
      row_files[b] = absl::StrFormat("%s/rows.%04d.ndjson", tmp, b);
      std::ofstream rows(row_files[b], std::ios::binary | std::ios::trunc);
      for (size_t begin = 0; begin < entries.size();) {
        size_t end = begin;
        while (end < entries.size() && entries[end].key == entries[begin].key) ++end;
        const std::string patient_id(entries[begin].key);
        // The patient's resources and assessment: made on one arena, freed at once.
        google::protobuf::Arena arena;
        std::vector<const ContainedResource*> resources;
        resources.reserve(end - begin);
        // The patient's lab results as views; the stubs in `resources` point into it.
        fhir::LabObservationTable lab_observations;
        bool has_patient = false;
        risk::DataAvailability available;
        std::vector<fhir::ParseDeviation> deviations;
        for (size_t i = begin; i < end; ++i) {
          absl::StatusOr<const ContainedResource*> parsed =
              ReadResource(entries[i].json, &arena, &deviations, &lab_observations);
          if (!parsed.ok()) {
            tally.Bad(files[entries[i].file].name, entries[i].line,
                      fhir::ErrorPath(parsed.status()).value_or(""),
                      std::string(parsed.status().message()), "invalid FHIR");
            MarkUnavailable(entries[i].type, &available);
            continue;
          }
          // An element the tolerant parser had to leave out (wrong shape or value) or found
          // missing: the line is reported and skipped, and its category is UNKNOWN for this
          // patient (docs/clinical.md policy v1.1 rule 14), never read as "none". A Patient
          // line is kept: its dropped element is absent, which the facts read as UNKNOWN.
          const fhir::ParseDeviation* costly = nullptr;
          for (const fhir::ParseDeviation& deviation : deviations) {
            if (deviation.kind == fhir::ParseDeviation::Kind::kDroppedElement ||
                deviation.kind == fhir::ParseDeviation::Kind::kMissingRequired ||
                deviation.kind == fhir::ParseDeviation::Kind::kUnsupportedResource) {
              costly = &deviation;
              break;
            }
          }
          if (costly != nullptr) {
            tally.Bad(files[entries[i].file].name, entries[i].line, costly->path, costly->message,
                      "invalid FHIR");
            if (!(*parsed)->has_patient()) {
              MarkUnavailable(entries[i].type, &available);
              continue;
            }
          }
          ++tally.summary.resources;
          has_patient |= (*parsed)->has_patient();
          resources.push_back(*parsed);
        }
        if (!has_patient) {
          tally.summary.unknown_patient_resources += static_cast<int64_t>(resources.size());
          begin = end;
          continue;
        }
        // The Medications the patient's orders refer to ("Medication/<id>").
        const size_t own_resources = resources.size();
        for (size_t r = 0; r < own_resources; ++r) {
          const fhir::r4::Reference* reference = MedicationReferenceOf(*resources[r]);
          if (reference == nullptr || !absl::StartsWith(reference->reference(), "Medication/")) {
            continue;
          }
          const std::string* line =
              medications.Find(std::string_view(reference->reference()).substr(11));
          if (line == nullptr) continue;  // unresolved: the engine reads the order's text
          absl::StatusOr<const ContainedResource*> parsed = ReadResource(*line, &arena);
          if (parsed.ok()) resources.push_back(*parsed);
        }
        absl::StatusOr<fhir::PatientRecord> record =
            fhir::PatientRecord::FromResources(resources, patient_id, &lab_observations);
        // The gap row reads no score's terms; only a caller watching the assessments gets
        // them written in as components.
        auto* assessment = google::protobuf::Arena::CreateMessage<v1::Assessment>(&arena);
        risk::ScoreTerms terms;
        const absl::Status assessed =
            record.ok() ? engine.AssessInto(*record, nullptr, options.now, available, assessment,
                                            options.on_assessment ? nullptr : &terms)
                        : record.status();
        ++tally.summary.patients;
        progress.patients.fetch_add(1, std::memory_order_relaxed);
        if (!assessed.ok()) {
          ++tally.summary.assess_errors;
          tally.Bad(files[entries[begin].file].name, entries[begin].line, "Patient",
                    absl::StrCat("patient ", patient_id, " not assessed: ", assessed.message()),
                    "not assessed");
          --tally.summary.bad_lines;  // a patient, not a line
        } else {
          if (options.on_assessment) options.on_assessment(*assessment);
          if (std::optional<GapRow> row = RowFromAssessment(*assessment)) {
            rows << RowToJson(*row) << "\n";
          }
        }
        begin = end;
      }
      rows.close();
      if (!rows) {
        statuses[t] = absl::UnavailableError(absl::StrCat("cannot write ", row_files[b]));
        return;
      }
      ++progress.buckets_done;
    }
  };
  {
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) workers.emplace_back(assess, t);
    for (std::thread& worker : workers) worker.join();
  }
  for (const absl::Status& status : statuses) {
    if (!status.ok()) return status;
  }
  const absl::Time assessed = absl::Now();

  ScanSummary summary;
  summary.now = absl::FormatTime(absl::RFC3339_full, options.now, absl::UTCTimeZone());
  std::vector<BadLine> bad_lines;
  for (Tally& tally : tallies) {
    summary.Add(tally.summary);
    std::move(tally.bad_lines.begin(), tally.bad_lines.end(), std::back_inserter(bad_lines));
  }
  summary.files = static_cast<int64_t>(files.size());
  if (absl::Status s = WriteOutputs(row_files, summary, std::move(bad_lines), options.out_dir,
                                    options.report_rows);
      !s.ok()) {
    return s;
  }
  std::string written;
  if (absl::Status s =
          base::ReadFileInto(absl::StrCat(options.out_dir, "/summary.json"), &written);
      !s.ok()) {
    return s;
  }
  absl::StatusOr<ScanSummary> result = SummaryFromJson(written);
  {  // One line of figures at the end, terminal or not (stderr; the outputs are files).
    const absl::Time end = absl::Now();
    const double total = absl::ToDoubleSeconds(end - start);
    std::cerr << absl::StrFormat(
        "thrombo scan: %d patients (%d on an IMiD), %.1f MB in %.1f s (partition %.1f s, assess "
        "%.1f s, output %.1f s): %.1f MB/s, %.0f patients/s; %d buckets, %d threads\n",
        summary.patients, result.ok() ? result->imid_patients : 0, summary.bytes / 1e6, total,
        absl::ToDoubleSeconds(partitioned - start), absl::ToDoubleSeconds(assessed - partitioned),
        absl::ToDoubleSeconds(end - assessed), summary.bytes / 1e6 / total,
        summary.patients / total, buckets.count(), threads);
  }
  return result;
}

absl::Status MergeScans(const std::vector<std::string>& shard_dirs, const std::string& out_dir,
                        size_t report_rows) {
  if (shard_dirs.empty()) return absl::InvalidArgumentError("scan merge: no shard folders");
  ScanSummary summary;
  std::vector<BadLine> bad_lines;
  std::vector<std::string> row_files;
  for (const std::string& dir : shard_dirs) {
    std::string text;
    if (absl::Status s = base::ReadFileInto(absl::StrCat(dir, "/summary.json"), &text);
        !s.ok()) {
      return s;
    }
    absl::StatusOr<ScanSummary> shard = SummaryFromJson(text);
    if (!shard.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(dir, "/", shard.status().message()));
    }
    if (!summary.now.empty() && shard->now != summary.now) {
      return absl::InvalidArgumentError(
          absl::StrCat(dir, ": scanned as of ", shard->now, ", the others as of ", summary.now));
    }
    summary.Add(*shard);
    std::string bad;
    if (absl::Status s = base::ReadFileInto(absl::StrCat(dir, "/bad_lines.ndjson"), &bad);
        !s.ok()) {
      return s;
    }
    for (absl::string_view line : absl::StrSplit(bad, '\n', absl::SkipEmpty())) {
      absl::StatusOr<BadLine> parsed = BadLineFromJson(base::Std(line));
      if (!parsed.ok()) return parsed.status();
      bad_lines.push_back(*std::move(parsed));
    }
    row_files.push_back(absl::StrCat(dir, "/gaps.ndjson"));
  }
  std::error_code error;
  fs::create_directories(out_dir, error);
  if (error) return absl::UnavailableError(absl::StrCat("--out=", out_dir, ": ", error.message()));
  // The merged rows are written to the merge's own folder: never merge into a shard's folder.
  for (const std::string& dir : shard_dirs) {
    if (fs::equivalent(dir, out_dir, error)) {
      return absl::InvalidArgumentError(absl::StrCat("--out=", out_dir, " is a shard's folder"));
    }
  }
  return WriteOutputs(row_files, summary, std::move(bad_lines), out_dir, report_rows);
}

}  // namespace thrombo::scan
