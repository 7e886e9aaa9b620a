// Copyright 2026 The Thrombo Authors.
// Tests of `thrombo validate`: OK lines, and broken inputs that must give a path and a
// non-zero exit without crashing.
#include "service/validate_command.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thrombo::service {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string WriteTemp(const std::string& name, const std::string& contents) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

struct RunResult {
  int code;
  std::string out;
  std::string err;
};

RunResult Validate(std::vector<std::string> args) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = RunValidateCommand(args, out, err);
  return {code, out.str(), err.str()};
}

TEST(ValidateCommandTest, ResourceBundleAndNdjson) {
  const std::string patient = WriteTemp("p.json", R"({"resourceType":"Patient","id":"1",
                                                      "text":{"status":"generated"}})");
  const std::string bundle = WriteTemp("b.json", R"({"resourceType":"Bundle","type":"collection",
      "entry":[{"resource":{"resourceType":"Patient"}},{"resource":{"resourceType":"Encounter"}}]})");
  const std::string ndjson = WriteTemp("x.ndjson", "{\"resourceType\":\"Patient\"}\n"
                                                   "{\"resourceType\":\"Patient\"}\n");
  RunResult run = Validate({patient, bundle, ndjson});
  EXPECT_EQ(run.code, 0);
  EXPECT_EQ(run.out, "OK " + patient + " resources=1 skipped=1\nOK " + bundle +
                         " resources=2 skipped=1\nOK " + ndjson + " resources=2 skipped=0\n");
}

TEST(ValidateCommandTest, StrictTurnsWarningsIntoErrors) {
  const std::string patient = WriteTemp("s.json", R"({"resourceType":"Patient","x":1})");
  RunResult run = Validate({"--strict", patient});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, HasSubstr(R"("code":"not-supported")"));
}

struct BrokenCase {
  const char* name;
  std::string contents;
  const char* expected;  // a fragment of the OperationOutcome
};

TEST(ValidateCommandTest, BrokenInputsGiveAPathAndFail) {
  const BrokenCase cases[] = {
      {"truncated.json", R"({"resourceType":"Patient","name":[{"family":"x")",
       R"("expression":["Patient.name[0]"])"},
      {"wrongtype.json", R"({"resourceType":"Patient","active":"yes"})",
       R"("expression":["Patient.active"])"},
      {"baddate.json", R"({"resourceType":"Patient","birthDate":"1999-02-30"})",
       R"("expression":["Patient.birthDate"])"},
      {"nested.json", R"({"resourceType":"Patient","x":)" + std::string(10000, '[') +
                          std::string(10000, ']') + "}",
       R"(nesting is deeper than the limit of 64 at Patient.x)"},
      {"nestedroot.json", std::string(10000, '[') + std::string(10000, ']'),
       R"("expression":["Resource"])"},
      {"hugestring.json", R"({"resourceType":"Patient","id":")" +
                              std::string(20 << 20, 'a') + "\"}",
       R"(limit is 16777216)"},
      {"bigstring.json", R"({"resourceType":"Patient","gender":")" +
                             std::string(2 << 20, 'a') + "\"}",
       R"(string is 2097152 bytes, limit is 1048576 at Patient.gender)"},
      {"empty.json", "", R"(The document is empty)"},
      {"bad.ndjson", "{\"resourceType\":\"Patient\"}\n{\"resourceType\":\"Patient\",\"id\":[]}\n",
       R"(line 2: expected a string, got an array at Patient.id)"},
      {"encoding.json", "{\"resourceType\":\"Patient\",\"id\":\"\xc3\x28\"}",
       R"(Invalid encoding)"},
  };
  for (const BrokenCase& c : cases) {
    const std::string path = WriteTemp(c.name, c.contents);
    RunResult run = Validate({path});
    EXPECT_EQ(run.code, 1) << c.name;
    EXPECT_THAT(run.out, StartsWith("ERROR " + path + "\n{\"resourceType\":\"OperationOutcome\""))
        << c.name;
    EXPECT_THAT(run.out, HasSubstr(c.expected)) << c.name;
  }
}

TEST(ValidateCommandTest, OneBadFileFailsTheRun) {
  const std::string good = WriteTemp("g.json", R"({"resourceType":"Patient"})");
  RunResult run = Validate({good, "/nonexistent/file.json"});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, HasSubstr("OK " + good));
  EXPECT_THAT(run.out, HasSubstr(R"("code":"not-found")"));
}

TEST(ValidateCommandTest, Usage) {
  EXPECT_EQ(Validate({}).code, 2);
  RunResult run = Validate({"--bogus", "x.json"});
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("usage: thrombo validate"));
}

}  // namespace
}  // namespace thrombo::service
