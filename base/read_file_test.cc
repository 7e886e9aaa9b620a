// Copyright 2026 The Thrombo Authors.
#include "base/read_file.h"

#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace thrombo::base {
namespace {

std::string WriteTemp(const std::string& name, const std::string& contents) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir != nullptr ? dir : "/tmp") + "/" + name;
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

TEST(ReadFileInto, ReadsTheWholeFileReplacingWhatTheStringHeld) {
  const std::string contents("line one\nline two\0binary\n", 26);
  const std::string path = WriteTemp("whole", contents);
  std::string text = "left over from an earlier, longer file";
  ASSERT_TRUE(ReadFileInto(path, &text).ok());
  EXPECT_EQ(text, contents);
  ASSERT_TRUE(ReadFileInto(WriteTemp("empty", ""), &text).ok());
  EXPECT_EQ(text, "");
}

TEST(ReadFileInto, RefusesAFileOverTheLimitBeforeReadingIt) {
  const std::string path = WriteTemp("big", std::string(100, 'x'));
  std::string text;
  EXPECT_TRUE(ReadFileInto(path, &text, 100).ok());
  const absl::Status over = ReadFileInto(path, &text, 99);
  EXPECT_EQ(over.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(over.message(), "document is 100 bytes, limit is 99");
}

TEST(ReadFileInto, AMissingFileIsNotFoundNamingIt) {
  std::string text;
  const absl::Status missing = ReadFileInto("/nonexistent/thrombo-file", &text);
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "cannot open /nonexistent/thrombo-file");
}

}  // namespace
}  // namespace thrombo::base
