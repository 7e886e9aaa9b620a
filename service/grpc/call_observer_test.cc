// Copyright 2026 The Thrombo Authors.
// Tests for the gRPC call observer: every call a real server answers reported once, with its
// method, status, time and peer; method names that cannot leak what a client sent; and the
// access-log line an operator reads.
#include "service/grpc/call_observer.h"

#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/thrombo/v1/service.grpc.pb.h"

namespace thrombo::service {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kService[] = "thrombo.v1.ThromboprophylaxisService";
const absl::Time kTime = absl::FromUnixMillis(1767323045678);  // 2026-01-02T03:04:05.678Z

// Answers ListServices, refuses every Assess as INVALID_ARGUMENT, and leaves EvaluateHook to
// the generated base (UNIMPLEMENTED).
class FakeService final : public v1::ThromboprophylaxisService::Service {
 public:
  grpc::Status Assess(grpc::ServerContext*, const v1::AssessRequest*,
                      v1::AssessResponse*) override {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "no record");
  }
  grpc::Status ListServices(grpc::ServerContext*, const v1::ListServicesRequest*,
                            v1::CdsServices*) override {
    return grpc::Status::OK;
  }
};

// What the observer saw of one call, copied out of its views.
struct Seen {
  std::string method;
  grpc::StatusCode code;
  absl::Duration latency;
  std::string remote;
};

TEST(InstallGrpcCallObserver, ReportsEveryCallOnceWithItsStatusTimeAndPeer) {
  absl::Mutex mu;
  std::vector<Seen> seen;
  FakeService service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  InstallGrpcCallObserver(&builder, [&](const GrpcCallInfo& call) {
    absl::MutexLock lock(&mu);
    seen.push_back({std::string(call.method), call.code, call.latency, std::string(call.remote)});
  });
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  ASSERT_NE(port, 0);
  std::unique_ptr<v1::ThromboprophylaxisService::Stub> stub =
      v1::ThromboprophylaxisService::NewStub(grpc::CreateChannel(
          "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  {
    grpc::ClientContext context;
    v1::CdsServices services;
    EXPECT_TRUE(stub->ListServices(&context, v1::ListServicesRequest(), &services).ok());
  }
  {
    grpc::ClientContext context;
    v1::AssessResponse response;
    EXPECT_EQ(stub->Assess(&context, v1::AssessRequest(), &response).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
  {
    grpc::ClientContext context;
    v1::CdsHooksResponse response;
    EXPECT_EQ(stub->EvaluateHook(&context, v1::EvaluateHookRequest(), &response).error_code(),
              grpc::StatusCode::UNIMPLEMENTED);
  }
  server->Shutdown();

  absl::MutexLock lock(&mu);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].method, absl::StrCat("/", kService, "/ListServices"));
  EXPECT_EQ(seen[0].code, grpc::StatusCode::OK);
  EXPECT_EQ(seen[1].method, absl::StrCat("/", kService, "/Assess"));
  EXPECT_EQ(seen[1].code, grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(seen[2].method, absl::StrCat("/", kService, "/EvaluateHook"));
  EXPECT_EQ(seen[2].code, grpc::StatusCode::UNIMPLEMENTED);
  for (const Seen& call : seen) {
    EXPECT_EQ(call.remote, "127.0.0.1") << call.method;
    EXPECT_GT(call.latency, absl::ZeroDuration()) << call.method;
    EXPECT_LT(call.latency, absl::Seconds(10)) << call.method;
  }
}

// Answers EvaluateHook OK after half a second, as a slow handler that does not look at
// cancellation would, whether or not its caller is still there: on a handler thread (the
// synchronous API) ...
class SlowService final : public v1::ThromboprophylaxisService::Service {
 public:
  grpc::Status EvaluateHook(grpc::ServerContext*, const v1::EvaluateHookRequest*,
                            v1::CdsHooksResponse*) override {
    absl::SleepFor(absl::Milliseconds(500));
    return grpc::Status::OK;
  }
};

// ... or through a reactor finished from another thread (the callback API, as the app serves).
class SlowCallbackService final : public v1::ThromboprophylaxisService::CallbackService {
 public:
  ~SlowCallbackService() override {
    for (std::thread& t : finishers_) t.join();
  }
  grpc::ServerUnaryReactor* EvaluateHook(grpc::CallbackServerContext* context,
                                         const v1::EvaluateHookRequest*,
                                         v1::CdsHooksResponse*) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    absl::MutexLock lock(&mu_);
    finishers_.emplace_back([reactor] {
      absl::SleepFor(absl::Milliseconds(500));
      reactor->Finish(grpc::Status::OK);
    });
    return reactor;
  }

 private:
  absl::Mutex mu_;
  std::vector<std::thread> finishers_;
};

// Serves `service` with the observer and makes two EvaluateHook calls whose clients give up
// after 200 ms: one by its deadline, one by cancelling. What the observer saw.
std::vector<Seen> CallsGivenUpOn(grpc::Service* service) {
  absl::Mutex mu;
  std::vector<Seen> seen;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(service);
  InstallGrpcCallObserver(&builder, [&](const GrpcCallInfo& call) {
    absl::MutexLock lock(&mu);
    seen.push_back({std::string(call.method), call.code, call.latency, std::string(call.remote)});
  });
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr) return {};
  std::unique_ptr<v1::ThromboprophylaxisService::Stub> stub =
      v1::ThromboprophylaxisService::NewStub(grpc::CreateChannel(
          "127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
    v1::CdsHooksResponse response;
    EXPECT_EQ(stub->EvaluateHook(&context, v1::EvaluateHookRequest(), &response).error_code(),
              grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  {
    grpc::ClientContext context;
    v1::CdsHooksResponse response;
    std::thread canceller([&context] {
      absl::SleepFor(absl::Milliseconds(200));
      context.TryCancel();
    });
    EXPECT_EQ(stub->EvaluateHook(&context, v1::EvaluateHookRequest(), &response).error_code(),
              grpc::StatusCode::CANCELLED);
    canceller.join();
  }
  // Both handlers have finished: the server waits for them before it stops.
  server->Shutdown();
  absl::MutexLock lock(&mu);
  return seen;
}

// The code the client got, not the handler's OK: an operator must see a server too slow for its
// clients' deadlines.
void ExpectGivenUpCalls(const std::vector<Seen>& seen) {
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].code, grpc::StatusCode::DEADLINE_EXCEEDED);
  EXPECT_EQ(seen[1].code, grpc::StatusCode::CANCELLED);
  for (const Seen& call : seen) {
    EXPECT_EQ(call.method, absl::StrCat("/", kService, "/EvaluateHook"));
    EXPECT_GE(call.latency, absl::Milliseconds(500));
  }
}

TEST(InstallGrpcCallObserver, ReportsACallItsClientGaveUpOnWithTheClientsCode) {
  SlowService service;
  ExpectGivenUpCalls(CallsGivenUpOn(&service));
}

TEST(InstallGrpcCallObserver, ReportsACallItsClientGaveUpOnWithTheClientsCodeThroughAReactor) {
  SlowCallbackService service;
  ExpectGivenUpCalls(CallsGivenUpOn(&service));
}

TEST(InstallGrpcCallObserver, AnEmptyObserverLeavesCallsUnobservedAndServed) {
  FakeService service;
  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  InstallGrpcCallObserver(&builder, GrpcCallObserver());
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  std::unique_ptr<v1::ThromboprophylaxisService::Stub> stub =
      v1::ThromboprophylaxisService::NewStub(server->InProcessChannel(grpc::ChannelArguments()));
  grpc::ClientContext context;
  v1::CdsServices services;
  EXPECT_TRUE(stub->ListServices(&context, v1::ListServicesRequest(), &services).ok());
  server->Shutdown();
}

TEST(LabelsOfGrpcMethod, NamesKnownMethodsAndFoldsTheRest) {
  GrpcMethodLabels labels = LabelsOfGrpcMethod("/thrombo.v1.ThromboprophylaxisService/Assess");
  EXPECT_EQ(labels.service, kService);
  EXPECT_EQ(labels.method, "Assess");
  labels = LabelsOfGrpcMethod("/grpc.health.v1.Health/Check");
  EXPECT_EQ(labels.service, "grpc.health.v1.Health");
  EXPECT_EQ(labels.method, "Check");
  // A client may send any path: none of these may become a label value of its own.
  for (const char* path : {"/thrombo.v1.ThromboprophylaxisService/Nope", "/evil.Service/Assess",
                           "thrombo.v1.ThromboprophylaxisService/Assess", "/", "",
                           "/thrombo.v1.ThromboprophylaxisService"}) {
    labels = LabelsOfGrpcMethod(path);
    EXPECT_EQ(labels.service, "other") << path;
    EXPECT_EQ(labels.method, "other") << path;
  }
}

TEST(GrpcCodeName, NamesEveryCodeAsGrpcDoes) {
  EXPECT_EQ(GrpcCodeName(grpc::StatusCode::OK), "OK");
  EXPECT_EQ(GrpcCodeName(grpc::StatusCode::INVALID_ARGUMENT), "INVALID_ARGUMENT");
  EXPECT_EQ(GrpcCodeName(grpc::StatusCode::UNAUTHENTICATED), "UNAUTHENTICATED");
  EXPECT_EQ(GrpcCodeName(static_cast<grpc::StatusCode>(99)), "UNKNOWN");
}

TEST(RemoteAddressOfPeer, KeepsTheAddressWithoutItsPort) {
  EXPECT_EQ(RemoteAddressOfPeer("ipv4:10.0.0.7:41234"), "10.0.0.7");
  EXPECT_EQ(RemoteAddressOfPeer("ipv6:[::1]:41234"), "::1");
  EXPECT_EQ(RemoteAddressOfPeer("ipv6:%5B2001:db8::5%5D:443"), "2001:db8::5");
  EXPECT_EQ(RemoteAddressOfPeer("unix:/run/thrombo.sock"), "unix:/run/thrombo.sock");
  EXPECT_EQ(RemoteAddressOfPeer("ipv4:10.0.0.7"), "10.0.0.7");
  EXPECT_EQ(RemoteAddressOfPeer(""), "");
}

TEST(LogGrpcCall, WritesOneLineACallWithoutWhatTheClientSent) {
  std::ostringstream out;
  http::Logger logger(http::LoggerOptions{http::LogLevel::kInfo, &out, [] { return kTime; }});
  LogGrpcCall(logger, {"/thrombo.v1.ThromboprophylaxisService/EvaluateHook",
                       grpc::StatusCode::INVALID_ARGUMENT, absl::Microseconds(1500),
                       "10.0.0.7"});
  EXPECT_EQ(out.str(),
            "{\"ts\":\"2026-01-02T03:04:05.678Z\",\"level\":\"info\",\"msg\":\"grpc request\","
            "\"service\":\"thrombo.v1.ThromboprophylaxisService\",\"method\":\"EvaluateHook\","
            "\"code\":\"INVALID_ARGUMENT\",\"latency_ms\":1.5,\"remote\":\"10.0.0.7\"}\n");

  // A path this server does not serve is any text a client chose: it is not written.
  out.str("");
  LogGrpcCall(logger, {"/patient.Jane-Doe/1970-01-01", grpc::StatusCode::UNIMPLEMENTED,
                       absl::Microseconds(80), "10.0.0.7"});
  EXPECT_THAT(out.str(), HasSubstr("\"service\":\"other\",\"method\":\"other\""));
  EXPECT_THAT(out.str(), HasSubstr("\"level\":\"info\""));
  EXPECT_THAT(out.str(), Not(HasSubstr("Jane")));
}

TEST(LogGrpcCall, LogsTheServersOwnFailuresAtWarn) {
  std::ostringstream out;
  http::Logger logger(http::LoggerOptions{http::LogLevel::kWarning, &out, [] { return kTime; }});
  LogGrpcCall(logger, {"/grpc.health.v1.Health/Check", grpc::StatusCode::OK,
                       absl::Microseconds(50), "10.0.0.7"});
  EXPECT_EQ(out.str(), "");  // info: below the logger's level
  for (grpc::StatusCode code :
       {grpc::StatusCode::INTERNAL, grpc::StatusCode::UNAVAILABLE, grpc::StatusCode::UNKNOWN,
        grpc::StatusCode::DATA_LOSS, grpc::StatusCode::DEADLINE_EXCEEDED}) {
    out.str("");
    LogGrpcCall(logger, {"/grpc.health.v1.Health/Check", code, absl::Microseconds(50),
                         "10.0.0.7"});
    EXPECT_THAT(out.str(), HasSubstr("\"level\":\"warn\"")) << GrpcCodeName(code);
    EXPECT_THAT(out.str(), HasSubstr(absl::StrCat("\"code\":\"", GrpcCodeName(code), "\"")));
  }
}

}  // namespace
}  // namespace thrombo::service
