// Copyright 2026 The Thrombo Authors.
// One CDS Hooks order-sign call end to end in process: the request bytes in, the response bytes
// out, through the HTTP API's handler (service/cds/http_api.cc: parse, HookService::Evaluate,
// metrics, the response writer) without sockets. The request is examples/order-sign-
// thalidomide.json (golden vignette 2), or the file given with --request=FILE (e.g. a
// tests/load/make_requests body, 20-60 KB, as tests/load/profile.sh sends).
//
//   bazel run -c opt //tests/benchmarks:hook_benchmark -- --benchmark_filter=BM_HookCall
//
// For callgrind, --calls=N runs N calls and exits (no benchmark framework in the profile), and
// --toggle-collect counts only inside the calls:
//   valgrind --tool=callgrind --toggle-collect='*HookCallOnce*' <bazel-bin>/tests/benchmarks/
//       hook_benchmark --calls=200 [--request=FILE]; callgrind_annotate --inclusive=yes <out>
// With --calls, --request_list=FILE (one body's path a line) takes the bodies in turn, each
// copied into the request before its call, as the server receives a fresh body each time; timed
// with /usr/bin/time, that is the in-process CPU a call over the load mix (docs/benchmarks.md,
// "fifteenth round").
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "risk/engine.h"
#include "service/cds/hook_service.h"
#include "service/cds/http_api.h"
#include "service/http/message.h"
#include "service/http/metrics.h"
#include "service/http/router.h"

namespace {

namespace fs = std::filesystem;
using thrombo::service::HookService;
namespace http = thrombo::service::http;

// The examples' evaluation time (their draft order is authored then).
const absl::Time kNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 25, 12, 0, 0), absl::UTCTimeZone());

std::string g_request_file;  // --request
std::string g_request_list;  // --request_list

// The checkout, found through the README runfile (a symlink into the source tree), or the
// working directory outside Bazel.
fs::path SourceRoot() {
  std::error_code error;
  for (const char* candidate : {"README.md", "_main/README.md", "__main__/README.md"}) {
    const fs::path readme = fs::canonical(candidate, error);
    if (!error) return readme.parent_path();
  }
  return fs::current_path();
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fprintf(stderr, "cannot read %s\n", path.c_str());
    exit(2);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The service as `thrombo serve` wires it for HTTP, without a store, a logger or a verifier.
struct Stack {
  Stack()
      : hooks(thrombo::risk::Engine::Default(), /*fetcher=*/nullptr, [] { return kNow; }) {
    thrombo::service::HttpApiDeps deps;
    deps.hooks = &hooks;
    deps.registry = &registry;
    router = thrombo::service::BuildHttpApi(deps, {}).value();
    request.method = "POST";
    request.target = request.path = "/cds-services/thrombo-order-sign";
    request.headers.Add("Content-Type", "application/json");
    SetBody(ReadFile(g_request_file.empty()
                         ? SourceRoot() / "examples" / "order-sign-thalidomide.json"
                         : fs::path(g_request_file)));
  }
  // The HTTP server lends a handler the body where it arrived, with 64 bytes of room past it
  // (service/http/server.cc, kBodySlack), so the reader parses it in place; without them it
  // would copy the body.
  void SetBody(const std::string& text) {
    body_text.reserve(text.size() + 64);
    body_text.assign(text);
    request.body.Lend(body_text, body_text.size() + 64);
  }
  std::string body_text;
  http::MetricsRegistry registry;
  HookService hooks;
  http::Router router;
  http::Request request;
};

Stack& TheStack() {
  static Stack* const stack = new Stack;
  return *stack;
}

// One call; not inlined so that callgrind can collect exactly this.
__attribute__((noinline)) http::Response HookCallOnce(Stack& stack) {
  return stack.router.Dispatch(&stack.request);
}

void BM_HookCall(benchmark::State& state) {
  Stack& stack = TheStack();
  const http::Response first = HookCallOnce(stack);
  // The default example must produce a one-click order; a --request body (e.g. the load mix,
  // whose synthetic cards often ask to verify data first) need only be answered.
  const bool answered = first.status == 200 && first.body.find("\"cards\"") != std::string::npos;
  const bool suggests = first.body.find("\"suggestions\"") != std::string::npos;
  if (!answered || (g_request_file.empty() && !suggests)) {
    state.SkipWithError(("unexpected response: " + first.body.substr(0, 300)).c_str());
    return;
  }
  for (auto _ : state) {
    http::Response response = HookCallOnce(stack);
    benchmark::DoNotOptimize(response);
  }
  state.counters["request_bytes"] = static_cast<double>(stack.request.body.size());
  state.counters["response_bytes"] = static_cast<double>(first.body.size());
}
BENCHMARK(BM_HookCall);

}  // namespace

int main(int argc, char** argv) {
  long calls = 0;
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    if (strncmp(argv[i], "--calls=", 8) == 0) {
      calls = strtol(argv[i] + 8, nullptr, 10);
    } else if (strncmp(argv[i], "--request=", 10) == 0) {
      g_request_file = argv[i] + 10;
    } else if (strncmp(argv[i], "--request_list=", 15) == 0) {
      g_request_list = argv[i] + 15;
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  if (calls > 0) {
    Stack& stack = TheStack();
    size_t bytes = 0;
    int status = 0;
    std::vector<std::string> bodies;
    if (!g_request_list.empty()) {
      std::ifstream list(g_request_list);
      for (std::string path; std::getline(list, path);) {
        if (!path.empty()) bodies.push_back(ReadFile(path));
      }
      if (bodies.empty()) {
        fprintf(stderr, "--request_list=%s: no bodies\n", g_request_list.c_str());
        return 1;
      }
    }
    for (long i = 0; i < calls; ++i) {
      if (!bodies.empty()) {
        // Copied into the stack's one buffer and lent from it, as a client's bytes land in the
        // session's receive buffer and are lent to the handler (see Stack).
        stack.SetBody(bodies[static_cast<size_t>(i) % bodies.size()]);
      }
      const http::Response response = HookCallOnce(stack);
      bytes = response.body.size();
      status = response.status;
    }
    printf("%ld calls, status %d, %zu response bytes\n", calls, status, bytes);
    return status == 200 ? 0 : 1;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
