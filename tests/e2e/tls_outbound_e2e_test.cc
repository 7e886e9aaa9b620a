// Copyright 2026 The Thrombo Authors.
// Outbound TLS (issue 12 item 5): the FHIR and JWKS fetchers, through net::CurlClient, against
// real TLS servers whose certificates come from a throwaway openssl CA. A good certificate is
// accepted only when the CA is trusted through SSL_CERT_FILE or SSL_CERT_DIR; an expired, a
// wrong-host and a self-signed certificate are always refused.
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/auth/jwks_fetcher.h"
#include "service/fhir_client/curl_fhir_fetcher.h"
#include "service/http/server.h"
#include "service/http/tls_context.h"
#include "tests/e2e/tls_test_ca.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::e2e {
namespace {

using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::thrombo::testing::StatusIs;
using service::CurlFhirFetcher;
using service::CurlFhirFetcherOptions;
using service::FetchRequest;
using service::auth::CurlJwksFetcher;
namespace http = ::thrombo::service::http;

constexpr char kPatient[] = R"({"resourceType": "Patient", "id": "p1"})";
constexpr char kJwks[] = R"({"keys": []})";

// Restores an environment variable when the test ends.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string* value) : name_(name) {
    const char* old = std::getenv(name);
    if (old != nullptr) old_ = std::make_unique<std::string>(old);
    if (value == nullptr) {
      unsetenv(name);
    } else {
      setenv(name, value->c_str(), 1);
    }
  }
  ~ScopedEnv() {
    if (old_ == nullptr) {
      unsetenv(name_);
    } else {
      setenv(name_, old_->c_str(), 1);
    }
  }

 private:
  const char* name_;
  std::unique_ptr<std::string> old_;
};

class TlsOutboundTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<TestCa> ca = MakeTestCa("outbound");
    ASSERT_TRUE(ca.ok()) << ca.status();
    ca_ = new TestCa(*std::move(ca));
    // SSL_CERT_DIR needs OpenSSL's hash-named links to the CA certificate.
    ca_dir_ = new std::string(absl::StrCat(ca_->dir, "/trusted"));
    const std::string command = absl::StrCat("mkdir -p ", *ca_dir_, " && cp ", ca_->ca_file, " ",
                                             *ca_dir_, "/ && openssl rehash ", *ca_dir_);
    ASSERT_EQ(std::system(command.c_str()), 0) << command;
  }
  static void TearDownTestSuite() {
    delete ca_;
    delete ca_dir_;
  }

  // An HTTPS server presenting `certificate`, serving a Patient and a JWK Set.
  static std::unique_ptr<http::Server> Serve(const TestCertificate& certificate) {
    absl::StatusOr<std::shared_ptr<http::TlsContext>> tls =
        http::TlsContext::Load({certificate.cert_file, certificate.key_file});
    EXPECT_TRUE(tls.ok()) << tls.status();
    if (!tls.ok()) return nullptr;
    http::Router router;
    EXPECT_TRUE(router.Handle("GET", "/fhir/Patient/p1", [](const http::Request&) {
      http::Response response;
      response.content_type = "application/fhir+json";
      response.body = kPatient;
      return response;
    }).ok());
    EXPECT_TRUE(router.Handle("GET", "/jwks.json", [](const http::Request&) {
      http::Response response;
      response.body = kJwks;
      return response;
    }).ok());
    http::ServerOptions options;
    options.threads = 1;
    options.tls = *tls;
    absl::StatusOr<std::unique_ptr<http::Server>> server =
        http::Server::Start(options, std::move(router));
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? *std::move(server) : nullptr;
  }

  static absl::StatusOr<fhir::r4::ContainedResource> FetchPatient(uint16_t port) {
    CurlFhirFetcherOptions options;  // reads SSL_CERT_FILE / SSL_CERT_DIR now
    options.use_environment_proxy = false;
    CurlFhirFetcher fetcher(options);
    FetchRequest request;
    request.fhir_server = absl::StrCat("https://localhost:", port, "/fhir");
    request.query = "Patient/p1";
    request.bearer_token = "token-123";
    return fetcher.Fetch(request);
  }

  static absl::StatusOr<std::string> FetchJwks(uint16_t port) {
    return CurlJwksFetcher().Fetch(absl::StrCat("https://localhost:", port, "/jwks.json"));
  }

  static TestCa* ca_;
  static std::string* ca_dir_;
};

TestCa* TlsOutboundTest::ca_ = nullptr;
std::string* TlsOutboundTest::ca_dir_ = nullptr;

TEST_F(TlsOutboundTest, GoodCertificateIsAcceptedThroughSslCertFile) {
  std::unique_ptr<http::Server> server = Serve(ca_->good);
  ASSERT_NE(server, nullptr);
  ScopedEnv file("SSL_CERT_FILE", &ca_->ca_file);
  ScopedEnv dir("SSL_CERT_DIR", nullptr);
  absl::StatusOr<fhir::r4::ContainedResource> patient = FetchPatient(server->port());
  ASSERT_TRUE(patient.ok()) << patient.status();
  EXPECT_EQ(patient->patient().id(), "p1");
  absl::StatusOr<std::string> jwks = FetchJwks(server->port());
  ASSERT_TRUE(jwks.ok()) << jwks.status();
  EXPECT_EQ(*jwks, kJwks);
}

TEST_F(TlsOutboundTest, GoodCertificateIsAcceptedThroughSslCertDir) {
  std::unique_ptr<http::Server> server = Serve(ca_->good);
  ASSERT_NE(server, nullptr);
  ScopedEnv file("SSL_CERT_FILE", nullptr);
  ScopedEnv dir("SSL_CERT_DIR", ca_dir_);
  absl::StatusOr<fhir::r4::ContainedResource> patient = FetchPatient(server->port());
  EXPECT_TRUE(patient.ok()) << patient.status();
  EXPECT_TRUE(FetchJwks(server->port()).ok());
}

// Without the variables the system's bundle is used, which does not hold the test CA: proof
// that the acceptances above come from SSL_CERT_FILE / SSL_CERT_DIR.
TEST_F(TlsOutboundTest, GoodCertificateIsRefusedWhenItsCaIsNotTrusted) {
  std::unique_ptr<http::Server> server = Serve(ca_->good);
  ASSERT_NE(server, nullptr);
  ScopedEnv file("SSL_CERT_FILE", nullptr);
  ScopedEnv dir("SSL_CERT_DIR", nullptr);
  EXPECT_THAT(FetchPatient(server->port()), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(FetchJwks(server->port()), StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(TlsOutboundTest, ExpiredCertificateIsRefused) {
  std::unique_ptr<http::Server> server = Serve(ca_->expired);
  ASSERT_NE(server, nullptr);
  ScopedEnv file("SSL_CERT_FILE", &ca_->ca_file);
  EXPECT_THAT(FetchPatient(server->port()),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("expired")));
  EXPECT_THAT(FetchJwks(server->port()),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("expired")));
}

TEST_F(TlsOutboundTest, WrongHostCertificateIsRefused) {
  std::unique_ptr<http::Server> server = Serve(ca_->wrong_host);
  ASSERT_NE(server, nullptr);
  ScopedEnv file("SSL_CERT_FILE", &ca_->ca_file);
  // libcurl's wording: "SSL: no alternative certificate subject name matches target host name".
  EXPECT_THAT(FetchPatient(server->port()),
              StatusIs(absl::StatusCode::kUnavailable,
                       AnyOf(HasSubstr("subject name"), HasSubstr("host name"))));
  EXPECT_THAT(FetchJwks(server->port()), StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(TlsOutboundTest, SelfSignedCertificateIsRefused) {
  std::unique_ptr<http::Server> server = Serve(ca_->self_signed);
  ASSERT_NE(server, nullptr);
  ScopedEnv file("SSL_CERT_FILE", &ca_->ca_file);
  EXPECT_THAT(FetchPatient(server->port()), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(FetchJwks(server->port()), StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(TlsOutboundTest, TheBearerTokenNeverAppearsInATlsError) {
  std::unique_ptr<http::Server> server = Serve(ca_->expired);
  ASSERT_NE(server, nullptr);
  ScopedEnv file("SSL_CERT_FILE", &ca_->ca_file);
  absl::StatusOr<fhir::r4::ContainedResource> refused = FetchPatient(server->port());
  ASSERT_FALSE(refused.ok());
  EXPECT_THAT(std::string(refused.status().message()), ::testing::Not(HasSubstr("token-123")));
}

}  // namespace
}  // namespace thrombo::e2e
