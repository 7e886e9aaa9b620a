// Copyright 2026 The Thrombo Authors.
// A JSON-lines logger: one object per line with level, RFC 3339 time, message and fields.
#ifndef THROMBO_SERVICE_HTTP_LOG_H_
#define THROMBO_SERVICE_HTTP_LOG_H_

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>
#include <variant>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "service/http/message.h"

namespace thrombo::service::http {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// "debug", "info", "warn" or "error".
std::string_view LogLevelName(LogLevel level);

// A field value: text, integer, floating point or boolean. Holds views, so it must not outlive
// the call it is passed to.
class LogValue final {
 public:
  LogValue(std::string_view text) : value_(text) {}  // NOLINT: implicit by design
  LogValue(const char* text) : value_(std::string_view(text)) {}  // NOLINT
  LogValue(const std::string& text) : value_(std::string_view(text)) {}  // NOLINT
  LogValue(bool flag) : value_(flag) {}  // NOLINT
  LogValue(double number) : value_(number) {}  // NOLINT
  template <typename T, typename = std::enable_if_t<std::is_integral_v<T> &&
                                                    !std::is_same_v<T, bool>>>
  LogValue(T number)  // NOLINT
      : value_(std::is_signed_v<T> ? Value(static_cast<int64_t>(number))
                                   : Value(static_cast<uint64_t>(number))) {}
  LogValue(absl::Duration duration)  // NOLINT: logged as milliseconds
      : value_(absl::ToDoubleMilliseconds(duration)) {}

  using Value = std::variant<std::string_view, int64_t, uint64_t, double, bool>;
  const Value& value() const { return value_; }

 private:
  Value value_;
};

struct LogField {
  std::string_view key;
  LogValue value;
};

struct LoggerOptions {
  LogLevel min_level = LogLevel::kInfo;
  std::ostream* out = nullptr;          // nullptr: std::cerr
  std::function<absl::Time()> clock;    // empty: absl::Now
  // Zero: every line is written when it is logged. Otherwise debug and info lines wait in memory
  // and are written together by a background thread, at most this long after the first of them
  // was logged (at once when Logger::kMaxPendingBytes are waiting): one write for many lines
  // instead of one a line. Each write enters the kernel, which on this project's VMs also
  // empties the TLB (page-table isolation without PCID), and a hook call's two info lines cost
  // `thrombo serve` 8% of its CPU (docs/benchmarks.md, "fifteenth round"). Warnings and errors
  // are written at once, after the lines waiting before them, so the order holds; so is
  // everything waiting when Flush() is called or the logger is destroyed.
  absl::Duration flush_interval = absl::ZeroDuration();
};

// Writes lines such as
//   {"ts":"2026-01-02T03:04:05.678Z","level":"info","msg":"listening","port":8080}
// Fields follow ts, level and msg in the order given; a field named ts, level or msg is
// written as given, after them (callers should avoid it). Text is UTF-8-repaired and escaped,
// so a line is always valid JSON. Contract for callers: never pass request bodies, tokens or
// patient data other than logical ids; this logger cannot tell them apart.
//
// Thread-safe: each line is formatted first and written (or queued) under one lock, so lines
// from different threads never interleave.
class Logger final {
 public:
  // With a flush interval, lines waiting are written once this many bytes are.
  static constexpr size_t kMaxPendingBytes = 64 << 10;

  explicit Logger(LoggerOptions options = {});
  ~Logger();  // writes the lines still waiting
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  bool Enabled(LogLevel level) const { return level >= options_.min_level; }
  void Log(LogLevel level, std::string_view msg, std::initializer_list<LogField> fields = {});
  void Debug(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kDebug, msg, fields);
  }
  void Info(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kInfo, msg, fields);
  }
  void Warning(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kWarning, msg, fields);
  }
  void Error(std::string_view msg, std::initializer_list<LogField> fields = {}) {
    Log(LogLevel::kError, msg, fields);
  }
  // Writes the lines waiting now (with a flush interval), e.g. before a message written to the
  // same stream by other means, so that the order holds.
  void Flush();

  // The line Log would write, without the trailing newline. Pure.
  static std::string FormatLine(absl::Time time, LogLevel level, std::string_view msg,
                                std::initializer_list<LogField> fields);

 private:
  void WritePendingLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void RunFlusher();

  LoggerOptions options_;
  absl::Mutex mu_;  // serializes writes to options_.out
  std::string pending_ ABSL_GUARDED_BY(mu_);  // lines waiting for the flusher
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread flusher_;  // runs with a flush interval
};

// An access-log line per request ("http request" with route, method, status, latency_ms,
// request_bytes, response_bytes, remote); never the body. Errors (5xx) log at warn.
void LogRequest(Logger& logger, const RequestInfo& info);

}  // namespace thrombo::service::http

#endif  // THROMBO_SERVICE_HTTP_LOG_H_
