// Copyright 2026 The Thrombo Authors.
// Tests for the JSON-lines logger.
#include "service/http/log.h"

#include <sstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"

namespace thrombo::service::http {
namespace {

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
