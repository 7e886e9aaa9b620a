// Copyright 2026 The Thrombo Authors.
// Parses every Synthea bundle, the Synthea bulk NDJSON and each HL7 R4 example whose
// resourceType we model, with zero errors, and checks each round trips through the printer.
// Skips when the shared data folder is absent (fails instead under THROMBO_REQUIRE_SHARED_DATA).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fhir/field_table.h"
#include "fhir/json_parser.h"
#include "fhir/json_printer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/testing/shared_data.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::fhir {
namespace {

namespace fs = std::filesystem;
using ::thrombo::testing::EqualsProto;

using ::thrombo::testing::SharedDataDir;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::vector<fs::path> FilesIn(const fs::path& dir, const std::string& extension) {
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& item : fs::recursive_directory_iterator(dir, error)) {
    if (item.is_regular_file() && item.path().extension() == extension) {
      files.push_back(item.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

class SharedDataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = SharedDataDir();
    THROMBO_SKIP_UNLESS_SHARED_DATA(dir_);
  }

  // Parses, prints, re-parses and compares one resource document.
  static void ExpectParsesAndRoundTrips(const fs::path& file, const std::string& json) {
    absl::StatusOr<ParsedResource> parsed = ParseResource(json);
    ASSERT_TRUE(parsed.ok()) << file << ": " << parsed.status();
    absl::StatusOr<std::string> printed = PrintResource(parsed->resource);
    ASSERT_TRUE(printed.ok()) << file << ": " << printed.status();
    absl::StatusOr<ParsedResource> reparsed = ParseResource(*printed);
    ASSERT_TRUE(reparsed.ok()) << file << ": " << reparsed.status();
    EXPECT_THAT(reparsed->resource, EqualsProto(parsed->resource)) << file;
  }

  fs::path dir_;
};

// Files that are not valid R4 and must be rejected, with the error we expect. google/fhir's
// synthea.bundle.json carries STU3-style Condition.clinicalStatus codes (R4 makes them
// CodeableConcepts); accepting a string there would hide real type errors.
struct KnownInvalid {
  const char* file;
  const char* error;
};
constexpr KnownInvalid kKnownInvalid[] = {
    {"google-fhir-synthea.bundle.json",
     "expected an object, got a string at Bundle.entry[4].resource.clinicalStatus"},
};

const char* KnownError(const fs::path& file) {
  for (const KnownInvalid& known : kKnownInvalid) {
    if (file.filename() == known.file) return known.error;
  }
  return nullptr;
}

TEST_F(SharedDataTest, SyntheaBundles) {
  const std::vector<fs::path> files = FilesIn(dir_ / "synthea" / "bundles", ".json");
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    if (const char* error = KnownError(file)) {
      absl::StatusOr<ParsedResource> parsed = ParseResource(ReadFile(file));
      EXPECT_EQ(parsed.status().message(), error);
      continue;
    }
    ExpectParsesAndRoundTrips(file, ReadFile(file));
  }
}

TEST_F(SharedDataTest, SyntheaBulkNdjson) {
  const std::vector<fs::path> files = FilesIn(dir_ / "synthea" / "bulk-10-patients", ".ndjson");
  ASSERT_FALSE(files.empty());
  int resources = 0;
  for (const fs::path& file : files) {
    absl::Status status = ParseNdjson(ReadFile(file), ParseOptions(), [&](int, ParsedResource) {
      ++resources;
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << file << ": " << status;
  }
  EXPECT_GT(resources, 1000);
}

TEST_F(SharedDataTest, Hl7ExamplesOfModelledTypes) {
  const FieldTable& contained = FieldTable::For(r4::ContainedResource::descriptor());
  int parsed = 0;
  for (const fs::path& file : FilesIn(dir_ / "hl7-examples", ".json")) {
    const std::string json = ReadFile(file);
    rapidjson::Document document;
    document.Parse(json.c_str(), json.size());
    if (document.HasParseError() || !document.IsObject() ||
        !document.HasMember("resourceType") || !document["resourceType"].IsString() ||
        contained.FindResourceType(document["resourceType"].GetString()) == nullptr) {
      continue;  // package.json, or a resource type we do not model
    }
    SCOPED_TRACE(file.string());
    ExpectParsesAndRoundTrips(file, json);
    ++parsed;
  }
  EXPECT_GT(parsed, 100);
}

}  // namespace
}  // namespace thrombo::fhir
