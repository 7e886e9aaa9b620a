// Copyright 2026 The Thrombo Authors.
// JSON-lines formatting with base::JsonWriter, straight into the line's string: two lines a
// hook call, each formerly about 7 k instructions through RapidJSON's Writer, which escapes a
// byte at a time (docs/benchmarks.md, "thirteenth round").
#include "service/http/log.h"

#include <cmath>
#include <iostream>
#include <utility>

#include "rapidjson/internal/dtoa.h"
#include "base/json_writer.h"
#include "base/utc_time.h"
#include "base/utf8.h"

namespace thrombo::service::http {
namespace {

// Text is UTF-8-repaired, so that the line is valid JSON whatever a caller passes.
void WriteText(base::JsonWriter& writer, std::string_view text) {
  if (base::IsValidUtf8(text)) {  // nearly always: written without a sanitized copy
    writer.String(text);
    return;
  }
  writer.String(base::SanitizeUtf8(text));
}

void WriteValue(base::JsonWriter& writer, const LogValue::Value& value) {
  if (const auto* text = std::get_if<std::string_view>(&value)) {
    WriteText(writer, *text);
  } else if (const auto* signed_number = std::get_if<int64_t>(&value)) {
    writer.Int(*signed_number);
  } else if (const auto* unsigned_number = std::get_if<uint64_t>(&value)) {
    writer.Uint(*unsigned_number);
  } else if (const auto* number = std::get_if<double>(&value)) {
    if (std::isfinite(*number)) {
      // RapidJSON's shortest round-trip form ("612.0", "0.25"), as the lines had before.
      char digits[32];
      const char* end = rapidjson::internal::dtoa(*number, digits);
      writer.Raw(std::string_view(digits, static_cast<size_t>(end - digits)));
    } else {
      writer.Raw("null");  // JSON has no NaN or infinity
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
  if (options_.flush_interval > absl::ZeroDuration()) {
    flusher_ = std::thread([this] { RunFlusher(); });
  }
}

Logger::~Logger() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (flusher_.joinable()) flusher_.join();
  absl::MutexLock lock(&mu_);
  WritePendingLocked();
}

void Logger::Flush() {
  absl::MutexLock lock(&mu_);
  WritePendingLocked();
}

void Logger::WritePendingLocked() {
  if (pending_.empty()) return;
  options_.out->write(pending_.data(), static_cast<std::streamsize>(pending_.size()));
  options_.out->flush();
  pending_.clear();
}

// Idle while nothing waits; from the first waiting line on, lets more gather for the interval
// (cut short by the destructor), then writes them all.
void Logger::RunFlusher() {
  absl::MutexLock lock(&mu_);
  const auto waiting_or_stopping = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !pending_.empty() || stopping_;
  };
  while (!stopping_) {
    mu_.Await(absl::Condition(&waiting_or_stopping));
    if (stopping_) break;
    mu_.AwaitWithTimeout(absl::Condition(&stopping_), options_.flush_interval);
    WritePendingLocked();
  }
}

std::string Logger::FormatLine(absl::Time time, LogLevel level, std::string_view msg,
                               std::initializer_list<LogField> fields) {
  std::string line;
  line.reserve(256);
  base::JsonWriter writer(&line);
  writer.StartObject();
  writer.Key("ts");
  writer.String(base::FormatUtc(time, 3));
  writer.Key("level");
  writer.String(LogLevelName(level));
  writer.Key("msg");
  WriteText(writer, msg);
  for (const LogField& field : fields) {
    if (base::IsValidUtf8(field.key)) {
      writer.Key(field.key);
    } else {
      writer.Key(base::SanitizeUtf8(field.key));
    }
    WriteValue(writer, field.value.value());
  }
  writer.EndObject();
  return line;
}

void Logger::Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields) {
  if (!Enabled(level)) return;
  std::string line = FormatLine(options_.clock(), level, msg, fields);
  line += '\n';
  absl::MutexLock lock(&mu_);
  if (flusher_.joinable() && level < LogLevel::kWarning) {
    pending_ += line;
    if (pending_.size() >= kMaxPendingBytes) WritePendingLocked();
    return;
  }
  WritePendingLocked();
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
