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
//
// The requests go out as the bytes read from the files and the answers stay bytes (only their
// status is read), as http_load posts its bodies: the client shares the server's two cores, and
// serializing a 40 KB request and parsing its answer each call made this tool spend 255 us of
// CPU a call against http_load's 64 us (docs/benchmarks.md, "twenty-second round").
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
#include "grpcpp/impl/client_unary_call.h"
#include "grpcpp/impl/rpc_method.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/slice.h"
#include "proto/thrombo/v1/service.grpc.pb.h"
#include "tests/load/open_loop.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50051", "server address");
ABSL_FLAG(std::string, dir, "", "directory with req-*.pb (make_requests --grpc)");
ABSL_FLAG(int, deadline_ms, 10000,
          "each call's deadline; a short one shows how the server reports calls given up on");

namespace thrombo::load {
namespace {

constexpr char kEvaluateHook[] = "/thrombo.v1.ThromboprophylaxisService/EvaluateHook";

// Each file's bytes, checked once to be an EvaluateHookRequest.
std::vector<grpc::ByteBuffer> LoadRequests(const std::string& dir) {
  const std::vector<std::string> files = ReadFilesEndingIn(dir, ".pb");
  std::vector<grpc::ByteBuffer> out;
  for (size_t i = 0; i < files.size(); ++i) {
    if (thrombo::v1::EvaluateHookRequest request; !request.ParseFromString(files[i])) {
      std::cerr << "grpc_load: cannot parse request " << i << " of --dir\n";
      out.clear();
      return out;
    }
    grpc::Slice slice(files[i]);
    out.emplace_back(&slice, 1);
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
    std::shared_ptr<grpc::Channel> channel = grpc::CreateCustomChannel(
        absl::GetFlag(FLAGS_target), grpc::InsecureChannelCredentials(), args);
    // What the generated stub does, with bytes for messages.
    auto method = std::make_shared<grpc::internal::RpcMethod>(
        kEvaluateHook, grpc::internal::RpcMethod::NORMAL_RPC, channel);
    const auto deadline = std::chrono::milliseconds(absl::GetFlag(FLAGS_deadline_ms));
    return [channel, method, deadline, &requests, &reported](int64_t k) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + deadline);
      grpc::ByteBuffer response;
      const grpc::Status status = grpc::internal::BlockingUnaryCall(
          channel.get(), *method, &context, requests[k % requests.size()], &response);
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
