// Copyright 2026 The Thrombo Authors.
#include "tests/load/open_loop.h"

#include <dirent.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_format.h"

ABSL_FLAG(int, connections, 8, "client threads, one connection each");
ABSL_FLAG(int64_t, requests, 20000, "requests to send after the warm-up");
ABSL_FLAG(int64_t, warmup, 500, "requests sent first (closed loop) and not measured");
ABSL_FLAG(double, rps, 0, "open-loop rate, requests/s (0: closed loop, as fast as possible)");
ABSL_FLAG(bool, poisson, false,
          "open loop: requests due at the random times of a Poisson process of rate --rps "
          "(else evenly spaced)");
ABSL_FLAG(double, max_seconds, 30, "stop after this long even if --requests is not reached");

namespace thrombo::load {
namespace {

using Clock = std::chrono::steady_clock;

Clock::duration Seconds(double seconds) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
}

}  // namespace

LoadOptions LoadOptionsFromFlags() {
  LoadOptions options;
  options.connections = absl::GetFlag(FLAGS_connections);
  options.requests = absl::GetFlag(FLAGS_requests);
  options.warmup = absl::GetFlag(FLAGS_warmup);
  options.rps = absl::GetFlag(FLAGS_rps);
  options.poisson = absl::GetFlag(FLAGS_poisson);
  options.max_seconds = absl::GetFlag(FLAGS_max_seconds);
  return options;
}

int Report(std::string_view tool, const LoadResult& result) {
  std::cout << ResultLine(tool, result) << "\n";
  return result.errors == 0 ? 0 : 1;
}

std::vector<std::string> ReadFilesEndingIn(const std::string& dir, std::string_view suffix) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (const dirent* entry = readdir(d)) {
      const std::string_view name = entry->d_name;
      if (name.size() >= suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
        names.emplace_back(name);
      }
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  std::vector<std::string> contents;
  contents.reserve(names.size());
  for (const std::string& name : names) {
    std::ifstream in(dir + "/" + name, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    contents.push_back(bytes.str());
  }
  return contents;
}

double Percentile(const std::vector<double>& sorted_us, double p) {
  if (sorted_us.empty()) return 0;
  const size_t i = std::min(sorted_us.size() - 1, static_cast<size_t>(p * sorted_us.size()));
  return sorted_us[i];
}

std::vector<double> DueSeconds(const LoadOptions& options) {
  if (options.rps <= 0) return {};
  std::vector<double> due(static_cast<size_t>(std::max<int64_t>(1, options.requests)));
  std::mt19937_64 random(options.seed);
  std::exponential_distribution<double> gap(options.rps);
  for (size_t i = 1; i < due.size(); ++i) {
    due[i] = options.poisson ? due[i - 1] + gap(random) : i / options.rps;
  }
  return due;
}

LoadResult RunLoad(const LoadOptions& options,
                   const std::function<SendFunction(int connection)>& connect) {
  const int threads = std::max(1, options.connections);
  const int64_t warmup = std::max<int64_t>(0, options.warmup);
  const int64_t total = warmup + std::max<int64_t>(1, options.requests);
  const double rps = options.rps;

  const std::vector<double> due_after = DueSeconds(options);

  std::atomic<int64_t> next{0};
  std::atomic<int64_t> errors{0};
  std::vector<std::vector<double>> latencies(threads);
  std::atomic<bool> measure_started{false};
  std::atomic<int64_t> measure_start_ns{0};
  const Clock::time_point stop_at = Clock::now() + Seconds(options.max_seconds);

  auto worker = [&](int t) {
    const SendFunction send = connect(t);
    latencies[t].reserve(static_cast<size_t>(total / threads + 16));
    for (;;) {
      const int64_t k = next.fetch_add(1);
      if (k >= total) break;
      Clock::time_point due = Clock::now();
      if (rps > 0 && k >= warmup) {
        // Warm-up requests are sent closed loop; the paced schedule starts after them.
        if (!measure_started.exchange(true)) {
          measure_start_ns = Clock::now().time_since_epoch().count();
        }
        while (measure_start_ns.load() == 0) std::this_thread::yield();
        due = Clock::time_point(Clock::duration(measure_start_ns.load())) +
              Seconds(due_after[k - warmup]);
        std::this_thread::sleep_until(due);
      }
      if (Clock::now() >= stop_at) break;
      if (k == warmup && rps <= 0) measure_start_ns = Clock::now().time_since_epoch().count();
      if (!send(k)) errors.fetch_add(1);
      if (k >= warmup) {
        latencies[t].push_back(
            std::chrono::duration<double, std::micro>(Clock::now() - due).count());
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker, t);
  for (std::thread& thread : pool) thread.join();
  const Clock::time_point end = Clock::now();

  LoadResult result;
  for (const std::vector<double>& v : latencies) {
    result.latencies_us.insert(result.latencies_us.end(), v.begin(), v.end());
  }
  std::sort(result.latencies_us.begin(), result.latencies_us.end());
  result.errors = errors.load();
  const int64_t begin_ns = measure_start_ns.load();
  if (begin_ns != 0) {
    result.seconds =
        std::chrono::duration<double>(end - Clock::time_point(Clock::duration(begin_ns)))
            .count();
  }
  return result;
}

std::string ResultLine(std::string_view tool, const LoadResult& result) {
  const std::vector<double>& all = result.latencies_us;
  const double throughput = result.seconds > 0 ? all.size() / result.seconds : 0;
  return absl::StrFormat(
      "%s requests=%d errors=%d seconds=%.2f rps=%.0f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f "
      "max_ms=%.3f",
      tool, all.size(), result.errors, result.seconds, throughput, Percentile(all, 0.50) / 1000,
      Percentile(all, 0.99) / 1000, Percentile(all, 0.999) / 1000,
      all.empty() ? 0.0 : all.back() / 1000);
}

}  // namespace thrombo::load
