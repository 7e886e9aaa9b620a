// Copyright 2026 The Thrombo Authors.
// The CDS Hooks service over TLS end to end: a hook call over HTTPS to the real HTTP API (the
// example order-sign request) answered with its cards for a client verifying the certificate
// against a throwaway openssl CA, and the gRPC service over grpc::SslServerCredentials from the
// same PEM files, refused to a plaintext channel.
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/thrombo/v1/service.grpc.pb.h"
#include "risk/engine.h"
#include "service/cds/hook_service.h"
#include "service/cds/http_api.h"
#include "service/grpc/grpc_service.h"
#include "service/grpc/tls_credentials.h"
#include "service/http/metrics.h"
#include "service/http/server.h"
#include "service/http/tls_context.h"
#include "tests/e2e/service_stack.h"
#include "tests/e2e/tls_client.h"
#include "tests/e2e/tls_test_ca.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::e2e {
namespace {

using ::testing::HasSubstr;
using ::thrombo::testing::StatusIs;

class TlsServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<TestCa> ca = MakeTestCa("service");
    ASSERT_TRUE(ca.ok()) << ca.status();
    ca_ = new TestCa(*std::move(ca));
  }
  static void TearDownTestSuite() { delete ca_; }

  void SetUp() override {
    hooks_ = std::make_unique<service::HookService>(risk::Engine::Default(), nullptr,
                                                    [] { return EvaluationTime(); });
  }

  static TestCa* ca_;
  http::MetricsRegistry registry_;
  std::unique_ptr<service::HookService> hooks_;
};

TestCa* TlsServiceTest::ca_ = nullptr;

TEST_F(TlsServiceTest, HookCallOverHttpsGetsItsCards) {
  service::HttpApiDeps deps;
  deps.hooks = hooks_.get();
  deps.registry = &registry_;
  service::HttpApiOptions api_options;
  api_options.base_url = kBaseUrl;
  absl::StatusOr<http::Router> router = service::BuildHttpApi(deps, api_options);
  ASSERT_TRUE(router.ok()) << router.status();
  absl::StatusOr<std::shared_ptr<http::TlsContext>> tls =
      http::TlsContext::Load({ca_->good.cert_file, ca_->good.key_file});
  ASSERT_TRUE(tls.ok()) << tls.status();
  http::ServerOptions options;
  options.threads = 2;
  options.tls = *tls;
  absl::StatusOr<std::unique_ptr<http::Server>> server =
      http::Server::Start(options, *std::move(router));
  ASSERT_TRUE(server.ok()) << server.status();

  ClientRequest request;
  request.method = "POST";
  request.target = kOrderSign;
  request.headers = {{"Content-Type", "application/json"}};
  request.body = ReadSourceFile("examples/order-sign-thalidomide.json");
  ASSERT_FALSE(request.body.empty());
  TlsClientOptions client;
  client.ca_file = ca_->ca_file;
  const TlsClientResponse response = HttpsSend((*server)->port(), request, client);
  ASSERT_TRUE(response.handshake_ok) << response.http.error;
  EXPECT_EQ(response.http.status, 200) << response.http.body;
  EXPECT_THAT(response.http.body, HasSubstr("\"cards\""));
  EXPECT_THAT(response.http.body, HasSubstr("\"uuid\""));  // at least one card

  // Discovery too, the call an EHR makes first.
  const TlsClientResponse discovery =
      HttpsSend((*server)->port(), ClientRequest{"GET", "/cds-services", {}, ""}, client);
  EXPECT_EQ(discovery.http.status, 200);
  EXPECT_THAT(discovery.http.body, HasSubstr("thrombo-order-sign"));
}

TEST_F(TlsServiceTest, GrpcOverTlsServesAVerifyingClientAndRefusesPlaintext) {
  const http::TlsFiles files{ca_->good.cert_file, ca_->good.key_file};
  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
      service::GrpcServerCredentials(&files);
  ASSERT_TRUE(credentials.ok()) << credentials.status();
  service::ThromboGrpcService grpc_service(risk::Engine::Default(), *hooks_, nullptr, kBaseUrl);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", *credentials, &port);
  builder.RegisterService(&grpc_service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  ASSERT_GT(port, 0);

  grpc::SslCredentialsOptions trust;
  trust.pem_root_certs = ReadSourceFile(ca_->ca_file);  // an absolute path reads as is
  // The address the server listens on, not "localhost": that name resolves to ::1 as well, where
  // another process may hold the same port number (Bazel's own gRPC server listens on [::1]) and
  // answer the plaintext call. The certificate names 127.0.0.1, so the TLS call still checks it.
  auto call = [port](std::shared_ptr<grpc::ChannelCredentials> channel_credentials) {
    auto stub = v1::ThromboprophylaxisService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), channel_credentials));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    v1::CdsServices services;
    const grpc::Status status = stub->ListServices(&context, v1::ListServicesRequest(), &services);
    return std::make_pair(status, services.services_size());
  };
  const auto [ok, count] = call(grpc::SslCredentials(trust));
  EXPECT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(count, 3);
  const auto [plain, ignored] = call(grpc::InsecureChannelCredentials());
  EXPECT_EQ(plain.error_code(), grpc::StatusCode::UNAVAILABLE);
  server->Shutdown();
}

TEST_F(TlsServiceTest, GrpcCredentialsRefuseAKeyThatDoesNotMatchNamingTheFile) {
  const http::TlsFiles mismatched{ca_->good.cert_file, ca_->renewed.key_file};
  EXPECT_THAT(service::GrpcServerCredentials(&mismatched),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(ca_->renewed.key_file)));
  const http::TlsFiles missing{ca_->dir + "/absent.pem", ca_->good.key_file};
  EXPECT_THAT(service::GrpcServerCredentials(&missing),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("absent.pem")));
}

}  // namespace
}  // namespace thrombo::e2e
