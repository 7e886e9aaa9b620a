// Copyright 2026 The Thrombo Authors.
#include "base/read_file.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>

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

TEST(ReadFile, ReturnsTheFileOrReadFileIntosError) {
  const absl::StatusOr<std::string> text = ReadFile(WriteTemp("one", "contents"));
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "contents");
  const absl::StatusOr<std::string> over = ReadFile(WriteTemp("two", "contents"), 3);
  EXPECT_EQ(over.status().message(), "document is 8 bytes, limit is 3");
  EXPECT_EQ(ReadFile("/nonexistent/thrombo-file").status().code(), absl::StatusCode::kNotFound);
}

// A pipe has no size: `thrombo validate <(zcat bundle.json.gz)` must still read it.
TEST(ReadFileInto, ReadsAPipeToItsEnd) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir != nullptr ? dir : "/tmp") + "/fifo";
  std::remove(path.c_str());  // a FIFO left by an earlier run outside Bazel
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  const std::string contents(200 * 1024 + 7, 'p');  // more than one chunk
  std::thread writer([&] { std::ofstream(path, std::ios::binary) << contents; });
  std::string text = "left over";
  const absl::Status status = ReadFileInto(path, &text);
  writer.join();
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(text, contents);
}

TEST(ReadFileInto, ReadsAFileThatReportsNoSizeAndHoldsItToTheLimit) {
  std::string text;
  ASSERT_TRUE(ReadFileInto("/proc/self/status", &text).ok());
  EXPECT_NE(text.find("Name:"), std::string::npos);
  const absl::Status over = ReadFileInto("/proc/self/status", &text, 10);
  EXPECT_EQ(over.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(over.message(), "document is over 10 bytes, limit is 10");
}

}  // namespace
}  // namespace thrombo::base
