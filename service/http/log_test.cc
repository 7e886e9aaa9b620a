// Copyright 2026 The Thrombo Authors.
// Tests for the JSON-lines logger.
#include "service/http/log.h"

#include <algorithm>
#include <mutex>
#include <ostream>
#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "rapidjson/document.h"

namespace thrombo::service::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const absl::Time kTime = absl::FromUnixMillis(1767323045678);  // 2026-01-02T03:04:05.678Z

TEST(Logger, WritesOneJsonObjectPerLine) {
  std::ostringstream out;
  Logger logger(LoggerOptions{LogLevel::kInfo, &out, [] { return kTime; }});
  logger.Info("listening", {{"port", 8080}, {"address", "0.0.0.0"}, {"tls", false}});
  logger.Warning("slow", {{"latency_ms", absl::Milliseconds(612)}, {"ratio", 1.5}});
  EXPECT_EQ(out.str(),
            "{\"ts\":\"2026-01-02T03:04:05.678Z\",\"level\":\"info\",\"msg\":\"listening\","
            "\"port\":8080,\"address\":\"0.0.0.0\",\"tls\":false}\n"
            "{\"ts\":\"2026-01-02T03:04:05.678Z\",\"level\":\"warn\",\"msg\":\"slow\","
            "\"latency_ms\":612.0,\"ratio\":1.5}\n");
}

TEST(Logger, DropsLinesBelowTheMinimumLevel) {
  std::ostringstream out;
  Logger logger(LoggerOptions{LogLevel::kWarning, &out, [] { return kTime; }});
  logger.Debug("noise");
  logger.Info("noise");
  EXPECT_EQ(out.str(), "");
  logger.Error("bad");
  EXPECT_THAT(out.str(), ::testing::HasSubstr("\"level\":\"error\""));
}

TEST(Logger, EscapesSoEveryLineIsValidJson) {
  const std::string line = Logger::FormatLine(
      kTime, LogLevel::kInfo, "quote \" newline \n bad \xFF",
      {{"path", "/a\"b"}, {"nan", std::nan("")}, {"big", uint64_t{18446744073709551615u}}});
  rapidjson::Document doc;
  doc.Parse(line.c_str());
  ASSERT_FALSE(doc.HasParseError()) << line;
  EXPECT_STREQ(doc["path"].GetString(), "/a\"b");
  EXPECT_TRUE(doc["nan"].IsNull());
  EXPECT_EQ(doc["big"].GetUint64(), 18446744073709551615u);
  EXPECT_EQ(line.find('\n'), std::string::npos);
}

TEST(Logger, WritesTheSameBytesAsRapidJsonDid) {
  // Escapes by name where JSON has one, \u00XX otherwise; numbers in their shortest form.
  EXPECT_EQ(Logger::FormatLine(kTime, LogLevel::kDebug, "a\\b\t\x01/",
                               {{"tiny", 1e-7}, {"whole", 3.0}, {"n", int64_t{-2}}}),
            "{\"ts\":\"2026-01-02T03:04:05.678Z\",\"level\":\"debug\",\"msg\":\"a\\\\b\\t\\u0001/\","
            "\"tiny\":1e-7,\"whole\":3.0,\"n\":-2}");
  // An invalid key is repaired like any text.
  const std::string line = Logger::FormatLine(kTime, LogLevel::kInfo, "m", {{"k\xFF", true}});
  rapidjson::Document doc;
  doc.Parse(line.c_str());
  ASSERT_FALSE(doc.HasParseError()) << line;
  EXPECT_EQ(doc.MemberCount(), 4u);
}

// With a flush interval: info lines wait; a warning, Flush() and the destructor write them, in
// the order they were logged.
TEST(Logger, BatchedLinesKeepTheirOrderAndAreWrittenByWarningsFlushAndTheDestructor) {
  std::ostringstream out;
  {
    LoggerOptions options{LogLevel::kInfo, &out, [] { return kTime; }};
    options.flush_interval = absl::Hours(1);  // the flusher's timer never fires here
    Logger logger(options);
    logger.Info("first");
    logger.Info("second");
    EXPECT_EQ(out.str(), "");
    logger.Warning("third");
    const std::string written = out.str();
    const size_t first = written.find("\"first\"");
    const size_t second = written.find("\"second\"");
    const size_t third = written.find("\"third\"");
    ASSERT_NE(first, std::string::npos) << written;
    EXPECT_LT(first, second);
    EXPECT_LT(second, third);
    EXPECT_EQ(std::count(written.begin(), written.end(), '\n'), 3);

    logger.Info("fourth");
    EXPECT_THAT(out.str(), Not(HasSubstr("fourth")));
    logger.Flush();
    EXPECT_THAT(out.str(), HasSubstr("\"fourth\""));

    logger.Info("fifth");
    EXPECT_THAT(out.str(), Not(HasSubstr("fifth")));
  }
  EXPECT_THAT(out.str(), HasSubstr("\"fifth\""));  // written by the destructor
}

TEST(Logger, BatchedLinesAreWrittenOnceTheBufferIsFull) {
  std::ostringstream out;
  LoggerOptions options{LogLevel::kInfo, &out, [] { return kTime; }};
  options.flush_interval = absl::Hours(1);
  Logger logger(options);
  const std::string filler(1000, 'x');
  int lines = 0;
  while (out.str().empty() && lines < 1000) {
    logger.Info("filler", {{"text", filler}});
    ++lines;
  }
  // Nothing was written until the lines waiting reached the limit; then all of them at once.
  EXPECT_LT(lines, 1000);
  const std::string written = out.str();
  EXPECT_GE(written.size(), Logger::kMaxPendingBytes);
  EXPECT_EQ(std::count(written.begin(), written.end(), '\n'), lines);
}

// A stream another thread may write while the test reads it.
class LockedStream final : public std::streambuf {
 public:
  std::string text() {
    std::lock_guard<std::mutex> lock(mu_);
    return text_;
  }

 protected:
  std::streamsize xsputn(const char* data, std::streamsize size) override {
    std::lock_guard<std::mutex> lock(mu_);
    text_.append(data, static_cast<size_t>(size));
    return size;
  }
  int overflow(int c) override {
    if (c == traits_type::eof()) return traits_type::not_eof(c);
    const char byte = static_cast<char>(c);
    return xsputn(&byte, 1) == 1 ? c : traits_type::eof();
  }

 private:
  std::mutex mu_;
  std::string text_;
};

TEST(Logger, TheFlusherWritesWaitingLinesAfterTheInterval) {
  LockedStream sink;
  std::ostream out(&sink);
  LoggerOptions options{LogLevel::kInfo, &out, [] { return kTime; }};
  options.flush_interval = absl::Milliseconds(20);
  Logger logger(options);
  logger.Info("later");
  // Written by the flusher thread, with no call to Flush(): within seconds even on a busy machine.
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (sink.text().empty() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
  EXPECT_THAT(sink.text(), HasSubstr("\"msg\":\"later\""));
}

TEST(LogRequest, LogsTheRequestWithoutABody) {
  std::ostringstream out;
  Logger logger(LoggerOptions{LogLevel::kInfo, &out, [] { return kTime; }});
  RequestInfo info;
  info.route = "/cds-services/{id}";
  info.method = "POST";
  info.status = 503;
  info.request_body_bytes = 42;
  info.remote_address = "10.0.0.1";
  LogRequest(logger, info);
  rapidjson::Document doc;
  doc.Parse(out.str().c_str());
  ASSERT_FALSE(doc.HasParseError()) << out.str();
  EXPECT_STREQ(doc["level"].GetString(), "warn");
  EXPECT_STREQ(doc["route"].GetString(), "/cds-services/{id}");
  EXPECT_EQ(doc["status"].GetInt(), 503);
  EXPECT_EQ(doc["request_bytes"].GetInt(), 42);
  EXPECT_FALSE(doc.HasMember("body"));
}

}  // namespace
}  // namespace thrombo::service::http
