// Copyright 2026 The Thrombo Authors.
// A small thread-safe Prometheus registry (labelled counters and fixed-bucket histograms)
// rendered in the text exposition format for GET /metrics.
#ifndef THROMBO_SERVICE_HTTP_METRICS_H_
#define THROMBO_SERVICE_HTTP_METRICS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/http/message.h"

namespace thrombo::service::http {

// Label values in the order of the metric's label names.
using LabelValues = std::vector<std::string>;

// A monotonically increasing counter family. Thread-safe.
class Counter final {
 public:
  // Adds `delta` (negative deltas are ignored) to the series for `labels`. A call with the
  // wrong number of label values is a programming error; it is dropped rather than crashing.
  void Increment(const LabelValues& labels, double delta = 1.0);
  // The current value of one series; 0 when it has never been incremented.
  double Value(const LabelValues& labels) const;

 private:
  friend class MetricsRegistry;
  explicit Counter(size_t label_count) : label_count_(label_count) {}
  void Render(std::string_view name, const std::vector<std::string>& label_names,
              std::string* out) const;

  const size_t label_count_;
  mutable std::mutex mu_;
  std::map<LabelValues, double> series_;  // guarded by mu_
};

// A histogram family with fixed upper bounds. Thread-safe.
class Histogram final {
 public:
  // Records one observation; dropped when the label count is wrong.
  void Observe(const LabelValues& labels, double value);
  // Observations recorded for one series.
  uint64_t Count(const LabelValues& labels) const;

 private:
  friend class MetricsRegistry;
  Histogram(size_t label_count, std::vector<double> bounds)
      : label_count_(label_count), bounds_(std::move(bounds)) {}
  void Render(std::string_view name, const std::vector<std::string>& label_names,
              std::string* out) const;

  struct Series {
    std::vector<uint64_t> buckets;  // per bound, not cumulative
    uint64_t count = 0;
    double sum = 0;
  };
  const size_t label_count_;
  const std::vector<double> bounds_;
  mutable std::mutex mu_;
  std::map<LabelValues, Series> series_;  // guarded by mu_
};

// Owns metric families; pointers it returns live as long as the registry. Thread-safe.
class MetricsRegistry final {
 public:
  // Registers a counter. Errors: InvalidArgument for a name or label name that is not a valid
  // Prometheus name ([a-zA-Z_:][a-zA-Z0-9_:]*; labels without ':' and not "le");
  // AlreadyExists for a name already registered.
  absl::StatusOr<Counter*> AddCounter(std::string name, std::string help,
                                      std::vector<std::string> label_names);
  // Registers a histogram with the given bucket upper bounds (strictly increasing, finite;
  // +Inf is implied). Errors as for AddCounter, and InvalidArgument for bad bounds.
  absl::StatusOr<Histogram*> AddHistogram(std::string name, std::string help,
                                          std::vector<std::string> label_names,
                                          std::vector<double> bounds);

  // The text exposition format (version 0.0.4): families in registration order, series sorted
  // by label values, label values escaped.
  std::string RenderText() const;

 private:
  struct Family {
    std::string name;
    std::string help;
    std::vector<std::string> label_names;
    std::unique_ptr<Counter> counter;      // one of these two is set
    std::unique_ptr<Histogram> histogram;
  };
  absl::Status CheckNew(const std::string& name, const std::vector<std::string>& labels) const;

  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Family>> families_;  // guarded by mu_
};

// Seconds: 0.25 ms to 10 s. Hook calls take 0.2-5 ms here and the goal is a p99 under 5 ms
// (docs/benchmarks.md), so the low buckets are fine; the top ones catch a stalled database.
std::vector<double> DefaultLatencyBuckets();

// The standard HTTP metrics, fed from the server's observer:
//   http_requests_total{route,method,status}
//   http_request_duration_seconds{route,method}   (histogram)
//   http_response_bytes_total{route}
// A request that matched no route is labelled route="unmatched", so stray paths cannot blow
// up the label space. Thread-safe.
class HttpMetrics final {
 public:
  // Errors: AlreadyExists when `registry` already has these metrics.
  static absl::StatusOr<HttpMetrics> Create(MetricsRegistry* registry);

  void Record(const RequestInfo& info);
  // An observer for ServerOptions::observer; `this` must outlive the server.
  Observer AsObserver();

 private:
  HttpMetrics() = default;
  Counter* requests_ = nullptr;
  Histogram* latency_ = nullptr;
  Counter* response_bytes_ = nullptr;
};

}  // namespace thrombo::service::http

#endif  // THROMBO_SERVICE_HTTP_METRICS_H_
