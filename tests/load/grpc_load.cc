// Copyright 2026 The Thrombo Authors.
// A small gRPC load client for thrombo.v1.ThromboprophylaxisService/EvaluateHook: replays the
// .pb requests written by make_requests --grpc and prints throughput and latency percentiles.
//
//   grpc_load --target=127.0.0.1:50051 --dir=DIR --connections=8 --requests=20000
//             [--rps=1000] [--max_seconds=30] [--warmup=500]
//
// Closed loop (default): each of --connections threads has its own channel (own HTTP/2
// connection) and sends the next request as soon as the previous answer arrives. With --rps the
// load is open loop: request k is due at start + k/rps, and its latency is measured from when it
// was due, not from when it was sent, so a stalled server is not hidden (no coordinated omission).
// Bounded by --requests and --max_seconds, whichever comes first.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <dirent.h>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "grpcpp/grpcpp.h"
#include "proto/thrombo/v1/service.grpc.pb.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "server address");
ABSL_FLAG(std::string, dir, "", "directory with req-*.pb (make_requests --grpc)");
ABSL_FLAG(int, connections, 8, "client threads, one channel (connection) each");
ABSL_FLAG(int64_t, requests, 20000, "requests to send after the warm-up");
ABSL_FLAG(int64_t, warmup, 500, "requests sent first and not measured");
ABSL_FLAG(double, rps, 0, "open-loop rate, requests/s (0: closed loop, as fast as possible)");
ABSL_FLAG(double, max_seconds, 30, "stop after this long even if --requests is not reached");

namespace thrombo::load {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<thrombo::v1::EvaluateHookRequest> LoadRequests(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      if (absl::EndsWith(e->d_name, ".pb")) names.push_back(e->d_name);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  std::vector<thrombo::v1::EvaluateHookRequest> out(names.size());
  for (size_t i = 0; i < names.size(); ++i) {
    std::ifstream in(dir + "/" + names[i], std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    if (!out[i].ParseFromString(bytes.str())) {
      std::cerr << "grpc_load: cannot parse " << names[i] << "\n";
      out.clear();
      return out;
    }
  }
  return out;
}

double Percentile(std::vector<double>& sorted_us, double p) {
  if (sorted_us.empty()) return 0;
  const size_t i = std::min(sorted_us.size() - 1, static_cast<size_t>(p * sorted_us.size()));
  return sorted_us[i];
}

int Run() {
  const auto requests = LoadRequests(absl::GetFlag(FLAGS_dir));
  if (requests.empty()) {
    std::cerr << "grpc_load: no requests in --dir\n";
    return 2;
  }
  const int threads = std::max(1, absl::GetFlag(FLAGS_connections));
  const int64_t warmup = std::max<int64_t>(0, absl::GetFlag(FLAGS_warmup));
  const int64_t total = warmup + std::max<int64_t>(1, absl::GetFlag(FLAGS_requests));
  const double rps = absl::GetFlag(FLAGS_rps);
  const auto max_time = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(absl::GetFlag(FLAGS_max_seconds)));

  std::atomic<int64_t> next{0};
  std::atomic<int64_t> errors{0};
  std::vector<std::vector<double>> latencies(threads);
  std::atomic<bool> measure_started{false};
  std::atomic<int64_t> measure_start_ns{0};
  const Clock::time_point start = Clock::now();
  const Clock::time_point stop_at = start + max_time;

  auto worker = [&](int t) {
    grpc::ChannelArguments args;
    args.SetInt("thrombo.load.connection", t);  // distinct args: a connection per thread
    args.SetMaxReceiveMessageSize(64 << 20);
    auto stub = thrombo::v1::ThromboprophylaxisService::NewStub(grpc::CreateCustomChannel(
        absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials(), args));
    latencies[t].reserve(static_cast<size_t>(total / threads + 16));
    for (;;) {
      const int64_t k = next.fetch_add(1);
      if (k >= total) break;
      Clock::time_point due = Clock::now();
      if (rps > 0) {
        // Warm-up requests are sent closed loop; the paced schedule starts after them.
        if (k >= warmup) {
          if (!measure_started.exchange(true)) {
            measure_start_ns = Clock::now().time_since_epoch().count();
          }
          while (measure_start_ns.load() == 0) std::this_thread::yield();
          due = Clock::time_point(Clock::duration(measure_start_ns.load())) +
                std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>((k - warmup) / rps));
          std::this_thread::sleep_until(due);
        }
      }
      if (Clock::now() >= stop_at) break;
      if (k == warmup && rps <= 0) measure_start_ns = Clock::now().time_since_epoch().count();
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      thrombo::v1::CdsHooksResponse response;
      const grpc::Status status =
          stub->EvaluateHook(&context, requests[k % requests.size()], &response);
      if (!status.ok()) {
        if (errors.fetch_add(1) < 3) {
          std::cerr << "grpc_load: " << status.error_code() << " " << status.error_message()
                    << "\n";
        }
      }
      if (k >= warmup) {
        latencies[t].push_back(
            std::chrono::duration<double, std::micro>(Clock::now() - due).count());
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker, t);
  for (auto& th : pool) th.join();
  const Clock::time_point end = Clock::now();

  std::vector<double> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  const int64_t begin_ns = measure_start_ns.load();
  const double seconds =
      begin_ns == 0 ? 0
                    : std::chrono::duration<double>(
                          end - Clock::time_point(Clock::duration(begin_ns)))
                          .count();
  const double throughput = seconds > 0 ? all.size() / seconds : 0;
  // One machine-readable line for run.sh, then nothing else on stdout.
  std::cout << absl::StrFormat(
      "grpc_load requests=%d errors=%d seconds=%.2f rps=%.0f p50_ms=%.3f p99_ms=%.3f "
      "p999_ms=%.3f max_ms=%.3f\n",
      all.size(), errors.load(), seconds, throughput, Percentile(all, 0.50) / 1000,
      Percentile(all, 0.99) / 1000, Percentile(all, 0.999) / 1000,
      all.empty() ? 0.0 : all.back() / 1000);
  return errors.load() == 0 ? 0 : 1;
}

}  // namespace
}  // namespace thrombo::load

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return thrombo::load::Run();
}
