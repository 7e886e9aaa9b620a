// Copyright 2026 The Thrombo Authors.
// Prints the reference cases' Assessments as text for a before/after diff of an engine change:
//   assessment_dump [N [SEED]]   the vignette cases, then N (default 3000) population patients.
// Each Assessment is preceded by "=== <case name>" and ends with its serialized size in bytes.
// Run from the workspace root (bazel run does) so the vignette bundles are found.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "google/protobuf/text_format.h"
#include "proto/thrombo/v1/assessment.pb.h"
#include "tests/golden/reference_cases.h"

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 3000;
  const uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 7;
  std::vector<thrombo::golden::ReferenceCase> cases = thrombo::golden::VignetteCases();
  for (auto& c : thrombo::golden::PopulationCases(n, seed)) cases.push_back(std::move(c));
  int failed = 0;
  for (const auto& c : cases) {
    std::printf("=== %s\n", c.name.c_str());
    if (!c.assessment.ok()) {
      std::printf("error: %s\n", c.assessment.status().ToString().c_str());
      ++failed;
      continue;
    }
    std::string text;
    google::protobuf::TextFormat::PrintToString(*c.assessment, &text);
    std::fputs(text.c_str(), stdout);
    std::printf("--- %zu bytes\n", c.assessment->ByteSizeLong());
  }
  std::fprintf(stderr, "%zu cases, %d errors\n", cases.size(), failed);
  return failed == 0 ? 0 : 1;
}
