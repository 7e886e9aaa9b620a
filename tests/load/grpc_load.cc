// Copyright 2026 The Thrombo Authors.
// A small gRPC load client for thrombo.v1.ThromboprophylaxisService/EvaluateHook: replays the
// .pb requests written by make_requests --grpc and prints throughput and latency percentiles.
//
//   grpc_load --target=127.0.0.1:50051 --dir=DIR --connections=8 --requests=20000
//             [--rps=1000 [--poisson]] [--max_seconds=30] [--warmup=500]
//
// Each of --connections threads has its own channel (its own HTTP/2 connection). Closed loop by
// default; with --rps, open loop with latencies from when each request was due
// (tests/load/open_loop.h). Bounded by --requests and --max_seconds, whichever comes first.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "grpcpp/grpcpp.h"
#include "proto/thrombo/v1/service.grpc.pb.h"
#include "tests/load/open_loop.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "server address");
ABSL_FLAG(std::string, dir, "", "directory with req-*.pb (make_requests --grpc)");

namespace thrombo::load {
namespace {

std::vector<thrombo::v1::EvaluateHookRequest> LoadRequests(const std::string& dir) {
  const std::vector<std::string> files = ReadFilesEndingIn(dir, ".pb");
  std::vector<thrombo::v1::EvaluateHookRequest> out(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    if (!out[i].ParseFromString(files[i])) {
      std::cerr << "grpc_load: cannot parse request " << i << " of --dir\n";
      out.clear();
      return out;
    }
  }
  return out;
}

int Run() {
  const auto requests = LoadRequests(absl::GetFlag(FLAGS_dir));
  if (requests.empty()) {
    std::cerr << "grpc_load: no requests in --dir\n";
    return 2;
  }
  std::atomic<int> reported{0};
  const LoadResult result = RunLoad(LoadOptionsFromFlags(), [&](int connection) -> SendFunction {
    grpc::ChannelArguments args;
    args.SetInt("thrombo.load.connection", connection);  // distinct args: a connection each
    args.SetMaxReceiveMessageSize(64 << 20);
    std::shared_ptr<thrombo::v1::ThromboprophylaxisService::Stub> stub =
        thrombo::v1::ThromboprophylaxisService::NewStub(grpc::CreateCustomChannel(
            absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials(), args));
    return [stub, &requests, &reported](int64_t k) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
      thrombo::v1::CdsHooksResponse response;
      const grpc::Status status =
          stub->EvaluateHook(&context, requests[k % requests.size()], &response);
      if (!status.ok() && reported.fetch_add(1) < 3) {
        std::cerr << "grpc_load: " << status.error_code() << " " << status.error_message()
                  << "\n";
      }
      return status.ok();
    };
  });
  return Report("grpc_load", result);
}

}  // namespace
}  // namespace thrombo::load

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return thrombo::load::Run();
}
