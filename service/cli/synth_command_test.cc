// Copyright 2026 The Thrombo Authors.
// RunSynth: the files `thrombo synth` writes, messy by default and clean with --clean.
#include "service/cli/synth_command.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service {
namespace {

using ::thrombo::testing::StatusIs;

const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 12, 2, 9, 0, 0), absl::UTCTimeZone());

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Dir(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  return absl::StrFormat("%s/%s", tmp == nullptr ? "/tmp" : tmp, name);
}

// The files of `n` patients joined, so a representation anywhere in them can be looked for.
std::string AllFiles(const std::string& dir, int n) {
  std::string all;
  for (int i = 1; i <= n; ++i) all += ReadFile(absl::StrFormat("%s/patient-%04d.json", dir, i));
  return all;
}

TEST(RunSynthTest, MessyByDefaultCleanOnRequest) {
  constexpr int kN = 200;
  ASSERT_OK(RunSynth(kN, 42, kNow, Dir("messy")));
  ASSERT_OK(RunSynth(kN, 42, kNow, Dir("clean"), /*clean=*/true));
  const std::string messy = AllFiles(Dir("messy"), kN);
  const std::string clean = AllFiles(Dir("clean"), kN);
  ASSERT_FALSE(ReadFile(Dir("messy") + "/patient-0200.json").empty());
  ASSERT_TRUE(ReadFile(Dir("messy") + "/patient-0201.json").empty());
  // Representations only the messy records carry (over 200 patients each is all but certain at
  // the default rates: the eGFR variant alone is drawn for ~16 of them).
  for (const char* messy_only : {"\"comparator\"", "62238-1", "14682-9"}) {
    EXPECT_NE(messy.find(messy_only), std::string::npos) << messy_only;
  }
  EXPECT_EQ(clean.find("\"comparator\""), std::string::npos);
  EXPECT_EQ(clean.find("dataAbsentReason"), std::string::npos);
  EXPECT_EQ(clean.find("MedicationDispense"), std::string::npos);
  EXPECT_NE(messy, clean);
}

TEST(RunSynthTest, RejectsANonPositiveCount) {
  EXPECT_THAT(RunSynth(0, 1, kNow, Dir("none")), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace thrombo::service
