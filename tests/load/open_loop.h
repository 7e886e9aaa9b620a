// Copyright 2026 The Thrombo Authors.
// The load clients' common driver (grpc_load, http_load): warm-up, closed- or open-loop pacing,
// latency percentiles and the one machine-readable line run.sh reads.
//
// Closed loop (rps == 0): each connection sends its next request as soon as the previous answer
// arrives. Open loop (rps > 0): request k is due at start + k/rps, whichever connection is free
// sends it, and its latency is measured from when it was due, not from when it was sent, so a
// server that falls behind is not hidden (no coordinated omission). Requests are due evenly
// spaced, or at the random times of a Poisson process of that rate (independent clinicians'
// calls: bursts happen, as in real traffic, but are not synchronized by the tool); the same
// schedule for every transport, so HTTP and gRPC percentiles compare.
#ifndef THROMBO_TESTS_LOAD_OPEN_LOOP_H_
#define THROMBO_TESTS_LOAD_OPEN_LOOP_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace thrombo::load {

struct LoadOptions {
  int connections = 8;     // client threads, one connection each
  int64_t requests = 20000;  // measured requests, sent after the warm-up
  int64_t warmup = 500;    // sent first (closed loop) and not measured
  double rps = 0;          // open-loop rate; 0: closed loop
  bool poisson = false;    // open loop: exponential gaps between due times (else even)
  uint64_t seed = 1;       // of the Poisson schedule, so runs repeat
  double max_seconds = 30;  // stop after this long even if `requests` is not reached
};

struct LoadResult {
  std::vector<double> latencies_us;  // measured requests, sorted
  int64_t errors = 0;                // requests that failed or were not answered 2xx
  double seconds = 0;                // from the first measured request to the end
};

// Sends request number k (any k >= 0: the caller cycles through its bodies) on one connection
// and waits for the answer; false when it failed (the sender reports why on stderr, at most a
// few times).
using SendFunction = std::function<bool(int64_t k)>;

// Open loop: when each measured request is due, in seconds after the first (empty for a closed
// loop).
std::vector<double> DueSeconds(const LoadOptions& options);

// Runs the load: `connect(c)` is called once on each client thread c and returns that thread's
// sender.
LoadResult RunLoad(const LoadOptions& options,
                   const std::function<SendFunction(int connection)>& connect);

// "<tool> requests=N errors=E seconds=S rps=R p50_ms=... p99_ms=... p999_ms=... max_ms=...".
std::string ResultLine(std::string_view tool, const LoadResult& result);

// The options as the command line gave them: --connections --requests --warmup --rps --poisson
// --max_seconds (flags defined here, shared by both clients).
LoadOptions LoadOptionsFromFlags();

// Prints ResultLine(tool, result) on stdout, the one line run.sh reads; returns the exit status:
// 0 when no request failed.
int Report(std::string_view tool, const LoadResult& result);

// The contents of the files in `dir` whose names end in `suffix`, in name order; empty when
// there are none or the folder cannot be read.
std::vector<std::string> ReadFilesEndingIn(const std::string& dir, std::string_view suffix);

// The value at fraction p (0..1) of sorted latencies; 0 when there are none.
double Percentile(const std::vector<double>& sorted_us, double p);

}  // namespace thrombo::load

#endif  // THROMBO_TESTS_LOAD_OPEN_LOOP_H_
