// Copyright 2026 The Thrombo Authors.
// The shared libcurl GET against an in-process plain-HTTP server on 127.0.0.1. TLS trust and
// verification (expired, wrong-host, SSL_CERT_FILE) are tested against a real TLS server with a
// throwaway CA in tests/e2e/tls_outbound_e2e_test.cc.
#include "service/net/curl_client.h"

#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/http/server.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service::net {
namespace {

using ::testing::HasSubstr;
using ::thrombo::testing::StatusIs;

class CurlClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    http::Router router;
    ASSERT_TRUE(router.Handle("GET", "/echo", [this](const http::Request& request) {
      absl::MutexLock lock(&mu_);
      last_accept_ = std::string(request.headers.Get("Accept").value_or(""));
      last_agent_ = std::string(request.headers.Get("User-Agent").value_or(""));
      http::Response response;
      response.body = "hello";
      return response;
    }).ok());
    ASSERT_TRUE(router.Handle("GET", "/big", [](const http::Request&) {
      http::Response response;
      response.body = std::string(4096, 'x');
      return response;
    }).ok());
    ASSERT_TRUE(router.Handle("GET", "/moved", [](const http::Request&) {
      http::Response response;
      response.status = 302;
      response.body = "{}";
      response.headers.emplace_back("Location", "/echo");
      return response;
    }).ok());
    ASSERT_TRUE(router.Handle("GET", "/slow", [](const http::Request&) {
      absl::SleepFor(absl::Milliseconds(1500));
      return http::Response();
    }).ok());
    http::ServerOptions options;
    options.threads = 2;
    absl::StatusOr<std::unique_ptr<http::Server>> server =
        http::Server::Start(options, std::move(router));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  std::string Url(const std::string& path) const {
    return absl::StrCat("http://127.0.0.1:", server_->port(), path);
  }

  static CurlClientOptions PlainHttp() {
    CurlClientOptions options;
    options.allow_http = true;
    options.use_environment_proxy = false;
    options.user_agent = "thrombo-test/1";
    return options;
  }

  std::unique_ptr<http::Server> server_;
  absl::Mutex mu_;
  std::string last_accept_;
  std::string last_agent_;
};

TEST_F(CurlClientTest, GetReturnsStatusAndBodyAndSendsHeaders) {
  CurlClient client(PlainHttp());
  absl::StatusOr<CurlResponse> response =
      client.Get(Url("/echo"), {"Accept: application/fhir+json"}, absl::Seconds(5));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "hello");
  absl::MutexLock lock(&mu_);
  EXPECT_EQ(last_accept_, "application/fhir+json");
  EXPECT_EQ(last_agent_, "thrombo-test/1");
}

TEST_F(CurlClientTest, PlainHttpIsRefusedUnlessAllowed) {
  CurlClientOptions options = PlainHttp();
  options.allow_http = false;
  CurlClient client(options);
  EXPECT_THAT(client.Get(Url("/echo"), {}, absl::Seconds(5)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(CurlClientTest, RedirectIsReturnedNotFollowed) {
  CurlClient client(PlainHttp());
  absl::StatusOr<CurlResponse> response = client.Get(Url("/moved"), {}, absl::Seconds(5));
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->status, 302);
  EXPECT_EQ(response->body, "{}");
}

TEST_F(CurlClientTest, BodyOverTheCapIsResourceExhausted) {
  CurlClientOptions options = PlainHttp();
  options.max_body_bytes = 1000;
  CurlClient client(options);
  EXPECT_THAT(client.Get(Url("/big"), {}, absl::Seconds(5)),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("1000 bytes")));
  options.max_body_bytes = 4096;
  EXPECT_TRUE(CurlClient(options).Get(Url("/big"), {}, absl::Seconds(5)).ok());
}

TEST_F(CurlClientTest, SlowServerIsDeadlineExceededWithinTheTimeout) {
  CurlClient client(PlainHttp());
  const absl::Time start = absl::Now();
  EXPECT_THAT(client.Get(Url("/slow"), {}, absl::Milliseconds(300)),
              StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_LT(absl::Now() - start, absl::Milliseconds(1200));
}

TEST(CurlClientNoServerTest, ConnectionRefusedIsUnavailable) {
  CurlClientOptions options;
  options.allow_http = true;
  options.use_environment_proxy = false;
  // Port 1 on loopback: nothing listens there for an unprivileged test.
  EXPECT_THAT(CurlClient(options).Get("http://127.0.0.1:1/", {}, absl::Seconds(5)),
              StatusIs(absl::StatusCode::kUnavailable));
}

TEST(CurlClientNoServerTest, MalformedUrlIsInvalidArgument) {
  CurlClientOptions options;
  options.use_environment_proxy = false;
  EXPECT_THAT(CurlClient(options).Get("https://exa mple.org/[", {}, absl::Seconds(5)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(TrustStoreTest, FromEnvironmentReadsSslCertFileAndDir) {
  ASSERT_EQ(setenv("SSL_CERT_FILE", "/tmp/site-ca.pem", 1), 0);
  ASSERT_EQ(setenv("SSL_CERT_DIR", "/tmp/site-certs", 1), 0);
  TrustStore trust = TrustStore::FromEnvironment();
  EXPECT_EQ(trust.ca_file, "/tmp/site-ca.pem");
  EXPECT_EQ(trust.ca_dir, "/tmp/site-certs");
  ASSERT_EQ(unsetenv("SSL_CERT_FILE"), 0);
  ASSERT_EQ(unsetenv("SSL_CERT_DIR"), 0);
  trust = TrustStore::FromEnvironment();
  EXPECT_EQ(trust.ca_file, "");  // libcurl's built-in bundle
  EXPECT_EQ(trust.ca_dir, "");
}

}  // namespace
}  // namespace thrombo::service::net
