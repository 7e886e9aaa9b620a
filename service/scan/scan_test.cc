// Copyright 2026 The Thrombo Authors.
// The scan end to end on a small synthetic export: the same Assessment as `thrombo assess` on
// each patient's Bundle, shards that merge into the unsharded output, and bad lines that are
// reported and skipped.
#include "service/scan/scan.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "fhir/patient_record.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "risk/engine.h"
#include "service/scan/gap.h"
#include "service/scan/summary.h"
#include "service/synth/bulk_export.h"
#include "service/synth/bundle_builder.h"
#include "service/synth/population.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::scan {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr int kPatients = 200;
constexpr uint64_t kSeed = 13;

absl::Time Now() {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 30, 12, 0, 0), absl::UTCTimeZone());
}

std::string TempDir(const std::string& name) {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string dir = absl::StrCat(base != nullptr ? base : "/tmp", "/", name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> lines = absl::StrSplit(Read(path), '\n', absl::SkipEmpty());
  return lines;
}

// The export, written once for all tests (several files per type, as servers split them).
const std::string& Export() {
  static const std::string* dir = [] {
    auto* path = new std::string(TempDir("bulk"));
    synth::BulkExportOptions options;
    options.resources_per_file = 500;
    const absl::Status status = synth::WriteBulkExport(kPatients, kSeed, Now(), *path, options);
    EXPECT_TRUE(status.ok()) << status;
    return path;
  }();
  return *dir;
}

ScanOptions Options(const std::string& out) {
  ScanOptions options;
  options.bulk_dir = Export();
  options.now = Now();
  options.out_dir = out;
  options.threads = 2;
  options.bucket_bytes = 256 << 10;  // several buckets even for a small export
  return options;
}

TEST(ScanTest, EveryPatientGetsTheAssessmentOfThromboAssessOnItsBundle) {
  std::mutex mu;
  std::map<std::string, v1::Assessment> scanned;
  ScanOptions options = Options(TempDir("out-compare"));
  options.on_assessment = [&](const v1::Assessment& assessment) {
    std::lock_guard<std::mutex> lock(mu);
    scanned[assessment.patient_id()] = assessment;
  };
  ASSERT_OK_AND_ASSIGN(ScanSummary summary, RunScan(options, risk::Engine::Default()));
  EXPECT_EQ(summary.patients, kPatients);
  EXPECT_EQ(summary.bad_lines, 0);
  EXPECT_EQ(summary.unknown_patient_resources, 0);
  ASSERT_EQ(scanned.size(), static_cast<size_t>(kPatients));

  std::map<std::string, std::string> rows;
  for (const std::string& line : Lines(options.out_dir + "/gaps.ndjson")) {
    ASSERT_OK_AND_ASSIGN(GapRow row, RowFromJson(line));
    rows[row.patient_id] = line;
  }
  EXPECT_EQ(static_cast<int64_t>(rows.size()), summary.imid_patients);

  // `thrombo assess` on each patient's Bundle: FromBundle, then Engine::Assess.
  int compared = 0;
  int with_imid = 0;
  for (const synth::Scenario& scenario : synth::RandomPopulation(kPatients, kSeed, Now())) {
    ASSERT_OK_AND_ASSIGN(fhir::r4::Bundle bundle, synth::BuildBundle(scenario));
    ASSERT_OK_AND_ASSIGN(fhir::PatientRecord record, fhir::PatientRecord::FromBundle(bundle));
    ASSERT_OK_AND_ASSIGN(v1::Assessment expected,
                         risk::Engine::Default().Assess(record, nullptr, Now()));
    const auto it = scanned.find(expected.patient_id());
    ASSERT_NE(it, scanned.end()) << expected.patient_id();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(it->second, expected))
        << "patient " << expected.patient_id() << "\nscan:\n"
        << it->second.recommendation().DebugString() << "\nassess:\n"
        << expected.recommendation().DebugString();
    ++compared;
    const std::optional<GapRow> row = RowFromAssessment(expected);
    if (row.has_value()) {
      ++with_imid;
      EXPECT_EQ(rows[expected.patient_id()], RowToJson(*row));
    } else {
      EXPECT_EQ(rows.count(expected.patient_id()), 0u);
    }
  }
  EXPECT_EQ(compared, kPatients);
  EXPECT_EQ(with_imid, summary.imid_patients);
  // The synthetic mix has ~90% IMiD patients and every gap category is exercised by it.
  EXPECT_GT(with_imid, kPatients / 2);
}

TEST(ScanTest, ThreeShardsMergeIntoTheUnshardedOutput) {
  const std::string whole = TempDir("out-whole");
  ASSERT_OK(RunScan(Options(whole), risk::Engine::Default()).status());
  std::vector<std::string> shard_dirs;
  int64_t patients = 0;
  for (int i = 0; i < 3; ++i) {
    ScanOptions options = Options(TempDir(absl::StrCat("out-shard-", i)));
    options.shard_index = i;
    options.shard_count = 3;
    ASSERT_OK_AND_ASSIGN(ScanSummary summary, RunScan(options, risk::Engine::Default()));
    EXPECT_GT(summary.patients, 0) << "shard " << i;
    patients += summary.patients;
    shard_dirs.push_back(options.out_dir);
  }
  EXPECT_EQ(patients, kPatients);
  const std::string merged = TempDir("out-merged");
  ASSERT_OK(MergeScans(shard_dirs, merged));
  for (const char* file :
       {"gaps.ndjson", "gaps.csv", "report.html", "bad_lines.ndjson", "summary.json"}) {
    EXPECT_EQ(Read(merged + "/" + file), Read(whole + "/" + file)) << file;
  }
  EXPECT_FALSE(Read(whole + "/gaps.ndjson").empty());
}

TEST(ScanTest, BadLinesAreReportedAndSkippedAndUnknownPatientsCounted) {
  const std::string bulk = TempDir("bulk-bad");
  for (const fs::directory_entry& entry : fs::directory_iterator(Export())) {
    fs::copy_file(entry.path(), bulk + "/" + entry.path().filename().string());
  }
  const std::vector<std::string> observations = Lines(bulk + "/Observation.001.ndjson");
  ASSERT_GT(observations.size(), 10u);
  {
    std::ofstream out(bulk + "/Observation.001.ndjson", std::ios::app | std::ios::binary);
    out << observations[0].substr(0, observations[0].size() / 2) << "\n";  // truncated
    out << "not json at all\n";
    out << "\n";  // blank: not a line to report
    out << R"({"resourceType":"Observation","id":"bad-status","status":7,)"
        << R"("code":{"text":"x"},"subject":{"reference":"Patient/nobody"}})"
        << "\n";
    out << R"({"resourceType":"Observation","id":"orphan","status":"final",)"
        << R"("code":{"text":"x"},"subject":{"reference":"Patient/nobody"}})"
        << "\n";
    out << R"({"resourceType":"Observation","id":"no-subject","status":"final",)"
        << R"("code":{"text":"x"}})"
        << "\n";
    out << R"({"resourceType":"Encounter","id":"e1","status":"finished"})"
        << "\n";
    out << R"({"id":"no-type"})"
        << "\n";
    // A real patient's Observation with a malformed element the decision does not read
    // (Observation.method): read like the hook path reads it, not a bad line.
    out << R"({"method":5,)" << observations[1].substr(1) << "\n";
  }
  const int64_t first_added = static_cast<int64_t>(observations.size()) + 1;
  ScanOptions options = Options(TempDir("out-bad"));
  options.bulk_dir = bulk;
  ASSERT_OK_AND_ASSIGN(ScanSummary summary, RunScan(options, risk::Engine::Default()));
  EXPECT_EQ(summary.patients, kPatients);  // nothing else was lost
  EXPECT_EQ(summary.skipped_types["Encounter"], 1);
  EXPECT_EQ(summary.unknown_patient_resources, 2);  // "orphan" and "no-subject"

  std::vector<BadLine> bad;
  for (const std::string& line : Lines(options.out_dir + "/bad_lines.ndjson")) {
    ASSERT_OK_AND_ASSIGN(BadLine parsed, BadLineFromJson(line));
    bad.push_back(parsed);
  }
  // Truncated, not JSON, a FHIR error (status 7: the tolerant parser drops it, the scan reports
  // and skips the line) and no resourceType; not the malformed Observation.method.
  ASSERT_EQ(bad.size(), 4u);
  EXPECT_EQ(summary.bad_lines, 4);
  for (const BadLine& line : bad) EXPECT_EQ(line.file, "Observation.001.ndjson");
  EXPECT_EQ(bad[0].line, first_added);
  EXPECT_EQ(bad[1].line, first_added + 1);
  EXPECT_THAT(bad[1].error, HasSubstr("invalid JSON"));
  EXPECT_EQ(bad[2].line, first_added + 3);
  EXPECT_EQ(bad[2].path, "Observation.status");
  EXPECT_EQ(bad[3].path, "resourceType");
  EXPECT_THAT(Read(options.out_dir + "/report.html"), HasSubstr("Observation.status"));
}

TEST(ScanTest, GzipFilesAreReadThroughGzip) {
  const std::string bulk = TempDir("bulk-gz");
  synth::BulkExportOptions export_options;
  export_options.gzip = true;
  ASSERT_OK(synth::WriteBulkExport(20, kSeed, Now(), bulk, export_options));
  ASSERT_TRUE(fs::exists(bulk + "/Patient.001.ndjson.gz"));
  ScanOptions options = Options(TempDir("out-gz"));
  options.bulk_dir = bulk;
  ASSERT_OK_AND_ASSIGN(ScanSummary summary, RunScan(options, risk::Engine::Default()));
  EXPECT_EQ(summary.patients, 20);
  EXPECT_EQ(summary.bad_lines, 0);
}

TEST(ScanTest, RejectsAFolderWithoutNdjsonAndABadShard) {
  ScanOptions options = Options(TempDir("out-empty"));
  options.bulk_dir = TempDir("empty");
  EXPECT_THAT(RunScan(options, risk::Engine::Default()).status().message(),
              HasSubstr("no .ndjson"));
  options = Options(TempDir("out-shard"));
  options.shard_index = 3;
  options.shard_count = 3;
  EXPECT_THAT(RunScan(options, risk::Engine::Default()).status().message(),
              HasSubstr("--shard=3/3"));
}

}  // namespace
}  // namespace thrombo::scan
