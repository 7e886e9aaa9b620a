// Copyright 2026 The Thrombo Authors.
// The HTTP server with TLS over real sockets, against a throwaway CA made with the openssl
// command line: HTTPS works for a client that verifies the certificate, plain HTTP and TLS 1.1
// on the TLS port get nothing, keep-alive and pipelining work through TLS, and a certificate
// renewed on disk is served after SIGHUP without closing the listener.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/beast/ssl.hpp"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/http/server.h"
#include "service/http/tls_context.h"
#include "tests/e2e/http_client.h"
#include "tests/e2e/tls_client.h"
#include "tests/e2e/tls_test_ca.h"

namespace thrombo::e2e {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;
using service::http::ReloadOnSighup;
using service::http::Server;
using service::http::ServerOptions;
using service::http::TlsContext;
using service::http::TlsFiles;

class TlsServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<TestCa> ca = MakeTestCa("server");
    ASSERT_TRUE(ca.ok()) << ca.status();
    ca_ = new TestCa(*std::move(ca));
  }
  static void TearDownTestSuite() {
    delete ca_;
    ca_ = nullptr;
  }

  // Serves GET /ping over TLS from copies of the good certificate at fixed paths, which a
  // test may overwrite and reload.
  void SetUp() override {
    files_.cert_file = absl::StrCat(ca_->dir, "/serving.pem");
    files_.key_file = absl::StrCat(ca_->dir, "/serving.key");
    Install(ca_->good);
    absl::StatusOr<std::shared_ptr<TlsContext>> tls = TlsContext::Load(files_);
    ASSERT_TRUE(tls.ok()) << tls.status();
    tls_ = *tls;
    service::http::Router router;
    ASSERT_TRUE(router.Handle("GET", "/ping", [this](const service::http::Request&) {
      ++served_;
      service::http::Response response;
      response.body = "pong";
      return response;
    }).ok());
    ServerOptions options;
    options.threads = 2;
    options.tls = tls_;
    options.header_timeout = absl::Seconds(3);
    absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(options, std::move(router));
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  void Install(const TestCertificate& certificate) {
    fs::copy_file(certificate.cert_file, files_.cert_file, fs::copy_options::overwrite_existing);
    fs::copy_file(certificate.key_file, files_.key_file, fs::copy_options::overwrite_existing);
  }

  TlsClientOptions Verifying() const {
    TlsClientOptions options;
    options.ca_file = ca_->ca_file;
    return options;
  }

  static TestCa* ca_;
  TlsFiles files_;
  std::shared_ptr<TlsContext> tls_;
  std::unique_ptr<Server> server_;
  std::atomic<int> served_{0};
};

TestCa* TlsServerTest::ca_ = nullptr;

TEST_F(TlsServerTest, HttpsRequestIsServedToAClientThatVerifiesTheCertificate) {
  const TlsClientResponse response =
      HttpsSend(server_->port(), ClientRequest{"GET", "/ping", {}, ""}, Verifying());
  ASSERT_TRUE(response.handshake_ok) << response.http.error;
  EXPECT_EQ(response.http.status, 200) << response.http.error;
  EXPECT_EQ(response.http.body, "pong");
  EXPECT_EQ(response.peer_common_name, "thrombo-test-good");
}

TEST_F(TlsServerTest, TheCertificateNamesLocalhostAndTheLoopbackAddress) {
  TlsClientOptions by_address = Verifying();
  by_address.host = "127.0.0.1";
  EXPECT_EQ(HttpsSend(server_->port(), ClientRequest{"GET", "/ping", {}, ""}, by_address)
                .http.status,
            200);
  TlsClientOptions other_name = Verifying();
  other_name.host = "thrombo.example";
  const TlsClientResponse refused =
      HttpsSend(server_->port(), ClientRequest{"GET", "/ping", {}, ""}, other_name);
  EXPECT_FALSE(refused.handshake_ok);  // the client's check, proving the test client checks
}

TEST_F(TlsServerTest, PlainHttpOnTheTlsPortGetsNoHttpResponseAndReachesNoHandler) {
  const int fd = ConnectLoopback(server_->port(), 5);
  ASSERT_GE(fd, 0);
  const std::string request = "GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n";
  ASSERT_EQ(::write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
  std::string received;
  char buffer[1024];
  for (ssize_t n; (n = ::read(fd, buffer, sizeof(buffer))) > 0;) received.append(buffer, n);
  ::close(fd);
  // At most a TLS alert record; never an HTTP status line, never the handler's body.
  EXPECT_THAT(received, Not(HasSubstr("HTTP/")));
  EXPECT_THAT(received, Not(HasSubstr("pong")));
  EXPECT_EQ(served_.load(), 0);
  // And the plain client used elsewhere in the e2e tests sees no status either.
  EXPECT_EQ(Send(server_->port(), ClientRequest{"GET", "/ping", {}, ""}, 5).status, 0);
  EXPECT_EQ(served_.load(), 0);
}

TEST_F(TlsServerTest, TlsOnePointOneIsRefusedAndTlsOnePointTwoAccepted) {
  TlsClientOptions old_client = Verifying();
  old_client.max_version = TLS1_1_VERSION;
  const TlsClientResponse refused =
      HttpsSend(server_->port(), ClientRequest{"GET", "/ping", {}, ""}, old_client);
  EXPECT_FALSE(refused.handshake_ok);
  EXPECT_EQ(served_.load(), 0);
  TlsClientOptions tls12_client = Verifying();
  tls12_client.max_version = TLS1_2_VERSION;
  const TlsClientResponse accepted =
      HttpsSend(server_->port(), ClientRequest{"GET", "/ping", {}, ""}, tls12_client);
  EXPECT_TRUE(accepted.handshake_ok) << accepted.http.error;
  EXPECT_EQ(accepted.http.status, 200);
}

// Two pipelined requests in one TLS write, then a third after a pause on the same connection:
// the server must find the second request in what TLS already decrypted, not wait for the
// socket to become readable again.
TEST_F(TlsServerTest, KeepAliveAndPipelinedRequestsWorkThroughTls) {
  namespace asio = boost::asio;
  namespace beast = boost::beast;
  namespace bhttp = boost::beast::http;
  asio::ssl::context context(asio::ssl::context::tls_client);
  context.set_verify_mode(asio::ssl::verify_peer);
  context.load_verify_file(ca_->ca_file);
  asio::io_context io;
  beast::ssl_stream<beast::tcp_stream> stream(io, context);
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
  beast::error_code ec;
  beast::get_lowest_layer(stream).connect(
      asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()), ec);
  ASSERT_FALSE(ec) << ec.message();
  stream.handshake(asio::ssl::stream_base::client, ec);
  ASSERT_FALSE(ec) << ec.message();
  const std::string two = "GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n"
                          "GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n";
  asio::write(stream, asio::buffer(two), ec);
  ASSERT_FALSE(ec) << ec.message();
  beast::flat_buffer buffer;
  for (int i = 0; i < 2; ++i) {
    bhttp::response<bhttp::string_body> response;
    bhttp::read(stream, buffer, response, ec);
    ASSERT_FALSE(ec) << "response " << i << ": " << ec.message();
    EXPECT_EQ(response.body(), "pong");
  }
  absl::SleepFor(absl::Milliseconds(200));
  bhttp::request<bhttp::empty_body> third(bhttp::verb::get, "/ping", 11);
  third.set(bhttp::field::host, "localhost");
  third.set(bhttp::field::connection, "close");
  bhttp::write(stream, third, ec);
  ASSERT_FALSE(ec) << ec.message();
  bhttp::response<bhttp::string_body> response;
  bhttp::read(stream, buffer, response, ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(response.body(), "pong");
  EXPECT_EQ(served_.load(), 3);
}

TEST_F(TlsServerTest, SighupServesTheRenewedCertificateWithoutClosingTheListener) {
  absl::Notification reloaded;
  absl::Status reload_status = absl::UnknownError("not called");
  ReloadOnSighup reloader(tls_, [&](const absl::Status& status) {
    reload_status = status;
    reloaded.Notify();
  });
  const uint16_t port = server_->port();
  EXPECT_EQ(HttpsSend(port, ClientRequest{"GET", "/ping", {}, ""}, Verifying()).peer_common_name,
            "thrombo-test-good");

  Install(ca_->renewed);
  ASSERT_EQ(::kill(::getpid(), SIGHUP), 0);
  ASSERT_TRUE(reloaded.WaitForNotificationWithTimeout(absl::Seconds(10)));
  ASSERT_TRUE(reload_status.ok()) << reload_status;

  const TlsClientResponse after =
      HttpsSend(port, ClientRequest{"GET", "/ping", {}, ""}, Verifying());
  EXPECT_EQ(after.http.status, 200) << after.http.error;
  EXPECT_EQ(after.peer_common_name, "thrombo-test-renewed");
  EXPECT_EQ(server_->port(), port);
}

TEST_F(TlsServerTest, AReloadThatFailsKeepsServingThePreviousCertificate) {
  {
    std::ofstream broken(files_.cert_file, std::ios::trunc);
    broken << "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
  }
  const absl::Status reloaded = tls_->Reload();
  EXPECT_FALSE(reloaded.ok());
  EXPECT_THAT(std::string(reloaded.message()), HasSubstr(files_.cert_file));
  const TlsClientResponse response =
      HttpsSend(server_->port(), ClientRequest{"GET", "/ping", {}, ""}, Verifying());
  EXPECT_EQ(response.http.status, 200) << response.http.error;
  EXPECT_EQ(response.peer_common_name, "thrombo-test-good");
}

}  // namespace
}  // namespace thrombo::e2e
