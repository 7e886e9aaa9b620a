// Copyright 2026 The Thrombo Authors.
// Tests for the libcurl JWKS fetcher against a one-shot HTTP server on 127.0.0.1.
#include "service/auth/jwks_fetcher.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service::auth {
namespace {

using ::testing::HasSubstr;
using ::thrombo::testing::IsOkAndHolds;
using ::thrombo::testing::StatusIs;

// Serves one canned HTTP response to the first connection on an ephemeral loopback port.
class OneShotServer {
 public:
  explicit OneShotServer(std::string response) : response_(std::move(response)) {
    listener_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    ok_ = listener_ >= 0 &&
          bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
          listen(listener_, 1) == 0 &&
          getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    port_ = ntohs(address.sin_port);
    if (ok_) thread_ = std::thread([this] { Serve(); });
  }
  ~OneShotServer() {
    if (listener_ >= 0) shutdown(listener_, SHUT_RDWR);
    if (thread_.joinable()) thread_.join();
    if (listener_ >= 0) close(listener_);
  }
  bool ok() const { return ok_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  void Serve() {
    const int connection = accept(listener_, nullptr, nullptr);
    if (connection < 0) return;
    char buffer[4096];
    (void)read(connection, buffer, sizeof(buffer));  // the request; its content is not checked
    size_t sent = 0;
    while (sent < response_.size()) {
      const ssize_t n = write(connection, response_.data() + sent, response_.size() - sent);
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    close(connection);
  }

  std::string response_;
  int listener_ = -1;
  int port_ = 0;
  bool ok_ = false;
  std::thread thread_;
};

std::string HttpResponse(int status, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body;
}

CurlJwksFetcher LoopbackFetcher() {
  CurlJwksFetcherOptions options;
  options.allow_http_loopback_for_testing = true;
  options.max_body_bytes = 1024;
  return CurlJwksFetcher(options);
}

TEST(CurlJwksFetcherTest, RequiresHttps) {
  CurlJwksFetcher fetcher;
  EXPECT_THAT(fetcher.Fetch("http://127.0.0.1:1/jwks"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("https")));
  EXPECT_THAT(fetcher.Fetch("file:///etc/passwd"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(fetcher.Fetch("not a url"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CurlJwksFetcherTest, LoopbackFlagAllowsOnly127001) {
  CurlJwksFetcher fetcher = LoopbackFetcher();
  EXPECT_THAT(fetcher.Fetch("http://example.org/jwks"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(fetcher.Fetch("http://127.0.0.1:80@example.org/jwks"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(fetcher.Fetch("http://localhost/jwks"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CurlJwksFetcherTest, FetchesBody) {
  OneShotServer server(HttpResponse(200, R"({"keys":[]})"));
  ASSERT_TRUE(server.ok());
  EXPECT_THAT(LoopbackFetcher().Fetch(server.url("/jwks")), IsOkAndHolds(R"({"keys":[]})"));
}

TEST(CurlJwksFetcherTest, RejectsNon200) {
  OneShotServer server(HttpResponse(404, "nope"));
  ASSERT_TRUE(server.ok());
  EXPECT_THAT(LoopbackFetcher().Fetch(server.url("/jwks")),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("HTTP 404")));
}

TEST(CurlJwksFetcherTest, DoesNotFollowRedirects) {
  OneShotServer server(
      "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/x\r\nContent-Length: 0\r\n\r\n");
  ASSERT_TRUE(server.ok());
  EXPECT_THAT(LoopbackFetcher().Fetch(server.url("/jwks")),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("HTTP 302")));
}

TEST(CurlJwksFetcherTest, CapsBodySize) {
  OneShotServer server(HttpResponse(200, std::string(5000, 'x')));
  ASSERT_TRUE(server.ok());
  EXPECT_THAT(LoopbackFetcher().Fetch(server.url("/jwks")),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("1024")));
}

TEST(CurlJwksFetcherTest, CapsBodySizeWithoutContentLength) {
  OneShotServer server("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + std::string(5000, 'x'));
  ASSERT_TRUE(server.ok());
  EXPECT_THAT(LoopbackFetcher().Fetch(server.url("/jwks")),
              StatusIs(absl::StatusCode::kResourceExhausted));
}

TEST(CurlJwksFetcherTest, ConnectionRefusedIsUnavailable) {
  // Bind then close to get a port that is (almost certainly) not listening.
  int port = 0;
  {
    OneShotServer server(HttpResponse(200, ""));
    ASSERT_TRUE(server.ok());
    port = std::stoi(server.url("").substr(std::string("http://127.0.0.1:").size()));
  }
  EXPECT_THAT(LoopbackFetcher().Fetch("http://127.0.0.1:" + std::to_string(port) + "/"),
              StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace thrombo::service::auth
