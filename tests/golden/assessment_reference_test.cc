// Copyright 2026 The Thrombo Authors.
// The engine's output pinned byte for byte: every reference case (reference_cases.h) is assessed
// and its serialized Assessment compared with the one recorded in tests/golden/assessments/
// (proto text format, so that a reviewer can read what changed). Any change to an Assessment, in
// any field, fails here; a deliberate clinical change regenerates the files and the diff is
// reviewed like code.
//
// Regenerate (from the workspace root; `bazel run`, since a test's sandbox cannot write there):
//   THROMBO_WRITE_ASSESSMENTS=$PWD/tests/golden/assessments
//   bazel run //tests/golden:assessment_reference_test   (with that variable exported)
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "tests/golden/reference_cases.h"

namespace thrombo::golden {
namespace {

// RandomPopulation patients pinned here, besides the vignettes (about 20 KB of text each).
constexpr int kPopulation = 12;
constexpr uint64_t kPopulationSeed = 20261125;

std::string TextOf(const v1::Assessment& a) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(a, &text);
  return text;
}

std::vector<ReferenceCase> AllCases() {
  std::vector<ReferenceCase> cases = VignetteCases();
  for (ReferenceCase& c : PopulationCases(kPopulation, kPopulationSeed)) {
    cases.push_back(std::move(c));
  }
  return cases;
}

TEST(AssessmentReference, EveryCaseIsByteForByteTheRecordedAssessment) {
  const char* write_dir = std::getenv("THROMBO_WRITE_ASSESSMENTS");
  const std::vector<ReferenceCase> cases = AllCases();
  // The population must exercise the draft-order path, or half of what it pins is missing.
  int drafts = 0;
  for (const ReferenceCase& c : cases) drafts += c.name.find("-draft") != std::string::npos;
  EXPECT_GE(drafts, kPopulation / 3);

  for (const ReferenceCase& c : cases) {
    SCOPED_TRACE(c.name);
    ASSERT_TRUE(c.assessment.ok()) << c.assessment.status();
    const std::string file = c.name + ".textproto";
    if (write_dir != nullptr) {
      std::ofstream out(std::string(write_dir) + "/" + file);
      out << "# proto-file: proto/thrombo/v1/assessment.proto\n"
          << "# proto-message: thrombo.v1.Assessment\n"
          << "# Written by tests/golden/assessment_reference_test (THROMBO_WRITE_ASSESSMENTS).\n"
          << TextOf(*c.assessment);
      ASSERT_TRUE(out.good()) << "cannot write " << write_dir << "/" << file;
      continue;
    }
    std::ifstream in("tests/golden/assessments/" + file);
    ASSERT_TRUE(in.good()) << "no reference tests/golden/assessments/" << file;
    std::stringstream text;
    text << in.rdbuf();
    v1::Assessment expected;
    ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(text.str(), &expected)) << file;

    if (DeterministicBytes(*c.assessment) != DeterministicBytes(expected)) {
      std::string diff;
      google::protobuf::util::MessageDifferencer differ;
      differ.ReportDifferencesToString(&diff);
      differ.Compare(expected, *c.assessment);
      ADD_FAILURE() << file << ": the Assessment differs from the reference:\n" << diff;
    }
  }
}

}  // namespace
}  // namespace thrombo::golden
