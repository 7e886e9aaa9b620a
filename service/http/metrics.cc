// Copyright 2026 The Thrombo Authors.
// Prometheus registry and text rendering.
#include "service/http/metrics.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/string_compat.h"

namespace thrombo::service::http {
namespace {

bool IsMetricName(std::string_view name, bool allow_colon) {
  if (name.empty() || absl::ascii_isdigit(name[0])) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(c) && c != '_' && !(allow_colon && c == ':')) return false;
  }
  return true;
}

// Shortest text that reads back as the same double; Prometheus spells infinity "+Inf".
std::string FormatValue(double value) {
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (std::isnan(value)) return "NaN";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    return absl::StrFormat("%.0f", value);
  }
  for (int precision = 6; precision <= 17; ++precision) {
    std::string text = absl::StrFormat("%.*g", precision, value);
    if (std::strtod(text.c_str(), nullptr) == value) return text;
  }
  return absl::StrFormat("%.17g", value);
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// {a="x",b="y"} plus an optional extra pair (the histogram's le); "" when there are no labels.
std::string LabelText(const std::vector<std::string>& names, const LabelValues& values,
                      std::string_view extra_name = {}, std::string_view extra_value = {}) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    absl::StrAppend(&out, out.empty() ? "" : ",", names[i], "=\"",
                    EscapeLabelValue(values[i]), "\"");
  }
  if (!extra_name.empty()) {
    absl::StrAppend(&out, out.empty() ? "" : ",", base::Absl(extra_name), "=\"",
                    base::Absl(extra_value), "\"");
  }
  return out.empty() ? out : absl::StrCat("{", out, "}");
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void Counter::Increment(const LabelValues& labels, double delta) {
  if (labels.size() != label_count_ || !(delta >= 0)) return;
  std::lock_guard<std::mutex> lock(mu_);
  series_[labels] += delta;
}

double Counter::Value(const LabelValues& labels) const {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = series_.find(labels);
  return it == series_.end() ? 0 : it->second;
}

void Counter::Render(std::string_view name, const std::vector<std::string>& label_names,
                     std::string* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [labels, value] : series_) {
    absl::StrAppend(out, base::Absl(name), LabelText(label_names, labels), " ", FormatValue(value),
                    "\n");
  }
}

void Histogram::Observe(const LabelValues& labels, double value) {
  if (labels.size() != label_count_ || std::isnan(value)) return;
  std::lock_guard<std::mutex> lock(mu_);
  Series& series = series_[labels];
  if (series.buckets.empty()) series.buckets.resize(bounds_.size(), 0);
  for (size_t i = 0; i < bounds_.size(); ++i) {
    if (value <= bounds_[i]) {
      ++series.buckets[i];
      break;
    }
  }
  ++series.count;
  series.sum += value;
}

uint64_t Histogram::Count(const LabelValues& labels) const {
  std::lock_guard<std::mutex> lock(mu_);
  const auto it = series_.find(labels);
  return it == series_.end() ? 0 : it->second.count;
}

void Histogram::Render(std::string_view name, const std::vector<std::string>& label_names,
                       std::string* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [labels, series] : series_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i < bounds_.size(); ++i) {
      cumulative += series.buckets[i];
      absl::StrAppend(out, base::Absl(name), "_bucket",
                      LabelText(label_names, labels, "le", FormatValue(bounds_[i])), " ",
                      cumulative, "\n");
    }
    absl::StrAppend(out, base::Absl(name), "_bucket", LabelText(label_names, labels, "le", "+Inf"), " ",
                    series.count, "\n");
    absl::StrAppend(out, base::Absl(name), "_sum", LabelText(label_names, labels), " ",
                    FormatValue(series.sum), "\n");
    absl::StrAppend(out, base::Absl(name), "_count", LabelText(label_names, labels), " ", series.count,
                    "\n");
  }
}

absl::Status MetricsRegistry::CheckNew(const std::string& name,
                                       const std::vector<std::string>& labels) const {
  if (!IsMetricName(name, /*allow_colon=*/true)) {
    return absl::InvalidArgumentError(absl::StrCat("bad metric name '", name, "'"));
  }
  for (const std::string& label : labels) {
    if (!IsMetricName(label, /*allow_colon=*/false) || label == "le") {
      return absl::InvalidArgumentError(
          absl::StrCat("bad label name '", label, "' on metric ", name));
    }
  }
  for (const auto& family : families_) {
    if (family->name == name) {
      return absl::AlreadyExistsError(absl::StrCat("metric ", name, " is already registered"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Counter*> MetricsRegistry::AddCounter(std::string name, std::string help,
                                                     std::vector<std::string> label_names) {
  std::lock_guard<std::mutex> lock(mu_);
  if (absl::Status status = CheckNew(name, label_names); !status.ok()) return status;
  auto family = std::make_unique<Family>();
  family->counter.reset(new Counter(label_names.size()));
  family->name = std::move(name);
  family->help = std::move(help);
  family->label_names = std::move(label_names);
  families_.push_back(std::move(family));
  return families_.back()->counter.get();
}

absl::StatusOr<Histogram*> MetricsRegistry::AddHistogram(std::string name, std::string help,
                                                         std::vector<std::string> label_names,
                                                         std::vector<double> bounds) {
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
      return absl::InvalidArgumentError(
          absl::StrCat("histogram ", name, " bounds must be finite and increasing"));
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (absl::Status status = CheckNew(name, label_names); !status.ok()) return status;
  auto family = std::make_unique<Family>();
  family->histogram.reset(new Histogram(label_names.size(), std::move(bounds)));
  family->name = std::move(name);
  family->help = std::move(help);
  family->label_names = std::move(label_names);
  families_.push_back(std::move(family));
  return families_.back()->histogram.get();
}

std::string MetricsRegistry::RenderText() const {
  std::string out;
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& family : families_) {
    const char* type = family->counter != nullptr ? "counter" : "histogram";
    absl::StrAppend(&out, "# HELP ", family->name, " ", EscapeHelp(family->help), "\n");
    absl::StrAppend(&out, "# TYPE ", family->name, " ", type, "\n");
    if (family->counter != nullptr) {
      family->counter->Render(family->name, family->label_names, &out);
    } else {
      family->histogram->Render(family->name, family->label_names, &out);
    }
  }
  return out;
}

std::vector<double> DefaultLatencyBuckets() {
  return {0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

namespace {

// Clients choose the method string; only known ones become label values.
std::string MethodLabel(std::string_view method) {
  for (const char* known : {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"}) {
    if (method == known) return known;
  }
  return "other";
}

}  // namespace

absl::StatusOr<HttpMetrics> HttpMetrics::Create(MetricsRegistry* registry) {
  HttpMetrics metrics;
  auto requests = registry->AddCounter("http_requests_total", "HTTP responses sent.",
                                       {"route", "method", "status"});
  if (!requests.ok()) return requests.status();
  auto latency = registry->AddHistogram(
      "http_request_duration_seconds",
      "Time from the first request byte to the last response byte.", {"route", "method"},
      DefaultLatencyBuckets());
  if (!latency.ok()) return latency.status();
  auto bytes = registry->AddCounter("http_response_bytes_total", "HTTP response bytes written.",
                                    {"route"});
  if (!bytes.ok()) return bytes.status();
  metrics.requests_ = *requests;
  metrics.latency_ = *latency;
  metrics.response_bytes_ = *bytes;
  return metrics;
}

void HttpMetrics::Record(const RequestInfo& info) {
  const std::string route = info.route.empty() ? "unmatched" : std::string(info.route);
  const std::string method = MethodLabel(info.method);
  requests_->Increment({route, method, absl::StrCat(info.status)});
  latency_->Observe({route, method}, absl::ToDoubleSeconds(info.latency));
  response_bytes_->Increment({route}, static_cast<double>(info.response_bytes));
}

Observer HttpMetrics::AsObserver() {
  return [this](const RequestInfo& info) { Record(info); };
}

}  // namespace thrombo::service::http
