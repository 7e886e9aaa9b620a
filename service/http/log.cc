// Copyright 2026 The Thrombo Authors.
// JSON-lines formatting with RapidJSON's Writer.
#include "service/http/log.h"

#include <cmath>
#include <iostream>
#include <utility>

#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "base/utc_time.h"
#include "base/utf8.h"

namespace thrombo::service::http {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

void WriteText(JsonWriter& writer, std::string_view text) {
  if (base::IsValidUtf8(text)) {  // nearly always: written without a sanitized copy
    writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return;
  }
  const std::string clean = base::SanitizeUtf8(text);
  writer.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
}

void WriteValue(JsonWriter& writer, const LogValue::Value& value) {
  if (const auto* text = std::get_if<std::string_view>(&value)) {
    WriteText(writer, *text);
  } else if (const auto* signed_number = std::get_if<int64_t>(&value)) {
    writer.Int64(*signed_number);
  } else if (const auto* unsigned_number = std::get_if<uint64_t>(&value)) {
    writer.Uint64(*unsigned_number);
  } else if (const auto* number = std::get_if<double>(&value)) {
    // JSON has no NaN or infinity; RapidJSON's Writer would refuse the whole line.
    if (std::isfinite(*number)) {
      writer.Double(*number);
    } else {
      writer.Null();
    }
  } else {
    writer.Bool(std::get<bool>(value));
  }
}

}  // namespace

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

Logger::Logger(LoggerOptions options) : options_(std::move(options)) {
  if (options_.out == nullptr) options_.out = &std::cerr;
  if (!options_.clock) options_.clock = [] { return absl::Now(); };
}

std::string Logger::FormatLine(absl::Time time, LogLevel level, std::string_view msg,
                               std::initializer_list<LogField> fields) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  writer.Key("ts");
  WriteText(writer, base::FormatUtc(time, 3));
  writer.Key("level");
  WriteText(writer, LogLevelName(level));
  writer.Key("msg");
  WriteText(writer, msg);
  for (const LogField& field : fields) {
    WriteText(writer, field.key);
    WriteValue(writer, field.value.value());
  }
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

void Logger::Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields) {
  if (!Enabled(level)) return;
  std::string line = FormatLine(options_.clock(), level, msg, fields);
  line += '\n';
  std::lock_guard<std::mutex> lock(mu_);
  options_.out->write(line.data(), static_cast<std::streamsize>(line.size()));
  options_.out->flush();
}

void LogRequest(Logger& logger, const RequestInfo& info) {
  const LogLevel level = info.status >= 500 ? LogLevel::kWarning : LogLevel::kInfo;
  logger.Log(level, "http request",
             {{"route", info.route.empty() ? std::string_view("unmatched") : info.route},
              {"method", info.method},
              {"status", info.status},
              {"latency_ms", info.latency},
              {"request_bytes", info.request_body_bytes},
              {"response_bytes", info.response_bytes},
              {"write_failed", info.write_failed},
              {"remote", info.remote_address}});
}

}  // namespace thrombo::service::http
