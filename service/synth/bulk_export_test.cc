// Copyright 2026 The Thrombo Authors.
#include "service/synth/bulk_export.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::synth {
namespace {

namespace fs = std::filesystem;

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Dir(const std::string& name) {
  const char* base = std::getenv("TEST_TMPDIR");
  const std::string dir = absl::StrCat(base != nullptr ? base : "/tmp", "/", name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

const absl::Time kNow = absl::FromUnixSeconds(1796040000);  // 2026-11-30T12:00:00Z

TEST(BulkExportTest, OneLinePerResourceSplitByTypeWithServerStyleReferences) {
  const std::string dir = Dir("bulk");
  BulkExportOptions options;
  options.resources_per_file = 100;
  ASSERT_OK(WriteBulkExport(30, 4, kNow, dir, options));
  std::map<std::string, int> lines_by_type;
  int observation_files = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name == "manifest.json") continue;
    const std::string type = name.substr(0, name.find('.'));
    if (type == "Observation") ++observation_files;
    std::istringstream text(Read(entry.path()));
    int count = 0;
    for (std::string line; std::getline(text, line);) {
      ++count;
      EXPECT_TRUE(absl::StartsWith(line, absl::StrCat("{\"resourceType\":\"", type, "\"")))
          << name << ": " << line.substr(0, 80);
      // Bundle-internal references are gone: every reference names a type and an id.
      EXPECT_FALSE(absl::StrContains(line, "urn:uuid:")) << name;
    }
    EXPECT_LE(count, 100) << name;
    lines_by_type[type] += count;
  }
  EXPECT_EQ(lines_by_type["Patient"], 30);
  EXPECT_GT(observation_files, 1);  // split at 100 lines
  const std::string manifest = Read(fs::path(dir) / "manifest.json");
  EXPECT_THAT(manifest,
              ::testing::HasSubstr(
                  "{\"type\": \"Patient\", \"url\": \"Patient.001.ndjson\", \"count\": 30}"));
  EXPECT_THAT(manifest, ::testing::HasSubstr("\"transactionTime\": \"2026-11-30T12:00:00+00:00\""));

  // The same arguments give the same bytes.
  const std::string again = Dir("bulk-again");
  ASSERT_OK(WriteBulkExport(30, 4, kNow, again, options));
  EXPECT_EQ(Read(fs::path(again) / "Patient.001.ndjson"),
            Read(fs::path(dir) / "Patient.001.ndjson"));
  EXPECT_EQ(Read(fs::path(again) / "MedicationRequest.001.ndjson"),
            Read(fs::path(dir) / "MedicationRequest.001.ndjson"));
}

TEST(BulkExportTest, RejectsNoPatients) {
  EXPECT_FALSE(WriteBulkExport(0, 1, kNow, Dir("none")).ok());
}

}  // namespace
}  // namespace thrombo::synth
