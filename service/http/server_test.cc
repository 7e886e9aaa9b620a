// Copyright 2026 The Thrombo Authors.
// Tests of the HTTP server over real sockets on 127.0.0.1 with ephemeral ports. Timeouts are
// small (300 ms) and assertions only check that things happen within generous bounds.
#include "service/http/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "base/string_compat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/http/metrics.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service::http {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using ::thrombo::testing::StatusIs;

// Generous upper bound for "eventually"; the server's own timeouts are 300 ms.
constexpr absl::Duration kBound = absl::Seconds(10);

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string Header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// A blocking POSIX-socket client, so the tests control exactly which bytes go out and when.
class Client {
 public:
  explicit Client(uint16_t port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~Client() { close(fd_); }

  bool connected() const { return connected_; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one final response (skipping 1xx); nullopt if the connection closes or time runs out.
  std::optional<RawResponse> Read(absl::Duration timeout = kBound) {
    const absl::Time deadline = absl::Now() + timeout;
    while (true) {
      std::optional<RawResponse> response = ReadOne(deadline);
      if (!response.has_value() || response->status >= 200) return response;
    }
  }

  // True when the server closes the connection within `timeout`; bytes received meanwhile
  // are appended to `received`.
  bool WaitClosed(absl::Duration timeout, std::string* received = nullptr) {
    const absl::Time deadline = absl::Now() + timeout;
    while (Fill(deadline)) {
    }
    if (received != nullptr) *received += buffer_;
    buffer_.clear();
    return closed_;
  }

 private:
  // Receives more bytes; false on close, error or deadline.
  bool Fill(absl::Time deadline) {
    const int64_t wait_ms = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (wait_ms <= 0) return false;
    pollfd poll_fd{fd_, POLLIN, 0};
    if (poll(&poll_fd, 1, static_cast<int>(wait_ms)) <= 0) return false;
    char chunk[65536];
    const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) {
      closed_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  std::optional<RawResponse> ReadOne(absl::Time deadline) {
    size_t end = std::string::npos;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline)) return std::nullopt;
    }
    RawResponse response = ParseHead(buffer_.substr(0, end));
    buffer_.erase(0, end + 4);
    size_t length = 0;
    if (!absl::SimpleAtoi(response.Header("content-length"), &length)) length = 0;
    while (buffer_.size() < length) {
      if (!Fill(deadline)) return std::nullopt;
    }
    response.body = buffer_.substr(0, length);
    buffer_.erase(0, length);
    return response;
  }

  static RawResponse ParseHead(const std::string& head) {
    RawResponse response;
    size_t line_end = head.find("\r\n");
    const std::string status_line = head.substr(0, line_end);
    absl::SimpleAtoi(status_line.substr(9, 3), &response.status);
    while (line_end != std::string::npos) {
      const size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line = head.substr(start, line_end - start);
      const size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      response.headers[absl::AsciiStrToLower(line.substr(0, colon))] =
          std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
    }
    return response;
  }

  int fd_;
  bool connected_ = false;
  bool closed_ = false;
  std::string buffer_;
};

std::string Get(const std::string& path, const std::string& extra_headers = "") {
  return absl::StrCat("GET ", path, " HTTP/1.1\r\nHost: test\r\n", extra_headers, "\r\n");
}

std::string Post(const std::string& path, const std::string& body,
                 const std::string& type = "application/json") {
  return absl::StrCat("POST ", path, " HTTP/1.1\r\nHost: test\r\nContent-Type: ", type,
                      "\r\nContent-Length: ", body.size(), "\r\n\r\n", body);
}

// Polls `condition` until it holds or kBound passes.
bool Eventually(const std::function<bool()>& condition) {
  const absl::Time deadline = absl::Now() + kBound;
  while (absl::Now() < deadline) {
    if (condition()) return true;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return condition();
}

ServerOptions TestOptions() {
  ServerOptions options;
  options.threads = 2;
  options.max_header_bytes = 4096;
  options.max_body_bytes = 1024;
  options.header_timeout = absl::Milliseconds(300);
  options.body_timeout = absl::Milliseconds(300);
  options.idle_timeout = absl::Milliseconds(300);
  options.write_timeout = absl::Milliseconds(300);
  options.linger_timeout = absl::Milliseconds(200);
  options.cors.allowed_origins = {"https://ehr.example.org"};
  return options;
}

class ServerTest : public ::testing::Test {
 protected:
  void StartServer(ServerOptions options = TestOptions()) {
    Router router;
    ASSERT_OK(router.Handle("GET", "/hello", [](const Request& request) {
      return JsonResponse(absl::StrCat("{\"hello\":\"", request.remote_address, "\"}"));
    }));
    ASSERT_OK(router.Handle("POST", "/echo/{id}", [](const Request& request) {
      if (auto rejected = RequireJsonContentType(request)) return *std::move(rejected);
      return JsonResponse(absl::StrCat("{\"id\":\"", request.path_params.at("id"),
                                       "\",\"body\":", base::Absl(request.body.view()), "}"));
    }));
    ASSERT_OK(router.Handle("POST", "/slack", [](const Request& request) {
      return JsonResponse(absl::StrCat(request.body.readable_bytes() - request.body.size()));
    }));
    ASSERT_OK(router.Handle("POST", "/lent", [](const Request& request) {
      return JsonResponse(absl::StrCat("{\"lent\":", request.body.lent() ? "true" : "false",
                                       ",\"body\":\"", base::Absl(request.body.view()), "\"}"));
    }));
    ASSERT_OK(router.Handle("GET", "/big", [](const Request&) {
      return JsonResponse(std::string(32 * 1024 * 1024, ' '));
    }));
    ASSERT_OK(router.Handle("GET", "/slow", [this](const Request&) {
      slow_started_.set_value();
      absl::SleepFor(absl::Milliseconds(300));
      return JsonResponse("{\"slow\":true}");
    }));
    ASSERT_OK(router.Handle("GET", "/bare-error", [](const Request&) {
      Response response;
      response.status = 502;
      return response;
    }));
    ASSERT_OK_AND_ASSIGN(server_, Server::Start(options, std::move(router)));
    ASSERT_NE(server_->port(), 0);
  }
  uint16_t port() const { return server_->port(); }

  std::promise<void> slow_started_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, RoutesGetAndPost) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send(Get("/hello")));
  std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->Header("content-type"), "application/json");
  EXPECT_EQ(response->body, "{\"hello\":\"127.0.0.1\"}");

  ASSERT_TRUE(client.Send(Post("/echo/vte-risk", "{\"a\":1}")));
  response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "{\"id\":\"vte-risk\",\"body\":{\"a\":1}}");
}

TEST_F(ServerTest, UnknownPathIs404WithOperationOutcome) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send(Get("/nowhere")));
  const std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(response->Header("content-type"), "application/fhir+json");
  EXPECT_THAT(response->body, HasSubstr("\"resourceType\":\"OperationOutcome\""));
  EXPECT_THAT(response->body, HasSubstr("\"code\":\"not-found\""));
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send(Post("/hello", "{}")));
  const std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 405);
  EXPECT_EQ(response->Header("allow"), "GET, OPTIONS");
  EXPECT_THAT(response->body, HasSubstr("not-supported"));
}

TEST_F(ServerTest, NonJsonPostIs415) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send(Post("/echo/x", "a=b", "application/x-www-form-urlencoded")));
  const std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 415);
  EXPECT_THAT(response->body, HasSubstr("not-supported"));
}

TEST_F(ServerTest, OversizedContentLengthIs413BeforeTheBodyIsSent) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send(
      "POST /echo/x HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Content-Length: 10000000\r\n\r\n"));
  const std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  EXPECT_EQ(response->Header("connection"), "close");
  EXPECT_THAT(response->body, HasSubstr("too-costly"));
  EXPECT_TRUE(client.WaitClosed(kBound));
}

TEST_F(ServerTest, OversizedChunkedBodyIs413) {
  StartServer();
  Client client(port());
  std::string request =
      "POST /echo/x HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 8; ++i) absl::StrAppend(&request, "200\r\n", std::string(512, 'x'), "\r\n");
  request += "0\r\n\r\n";
  ASSERT_TRUE(client.Send(request));
  const std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 413);
  EXPECT_TRUE(client.WaitClosed(kBound));
}

TEST_F(ServerTest, SmallChunkedBodyIsAccepted) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send(
      "POST /echo/c HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n3\r\n[1,\r\n2\r\n2]\r\n0\r\n\r\n"));
  const std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "{\"id\":\"c\",\"body\":[1,2]}");
}

// Bodies larger than one read (64 KB, kReadChunk) arrive whole and in order, with a length and
// chunked; a second request on the connection reads into the same reserved buffer.
TEST_F(ServerTest, BodiesLargerThanOneReadArriveWhole) {
  ServerOptions options = TestOptions();
  options.max_body_bytes = 1 << 20;
  StartServer(options);
  Client client(port());
  std::string array = "[";
  for (int i = 0; i < 40000; ++i) absl::StrAppend(&array, i == 0 ? "" : ",", i);
  array += "]";  // about 230 KB
  ASSERT_TRUE(client.Send(Post("/echo/long", array)));
  std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, absl::StrCat("{\"id\":\"long\",\"body\":", array, "}"));

  std::string chunked =
      "POST /echo/chunks HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Transfer-Encoding: chunked\r\n\r\n";
  for (size_t at = 0; at < array.size(); at += 70000) {
    const std::string piece = array.substr(at, 70000);
    absl::StrAppend(&chunked, absl::Hex(piece.size()), "\r\n", piece, "\r\n");
  }
  chunked += "0\r\n\r\n";
  ASSERT_TRUE(client.Send(chunked));
  response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, absl::StrCat("{\"id\":\"chunks\",\"body\":", array, "}"));
}

// The hook route's simdjson reads up to 64 bytes past a text: a body of known length arrives
// with that much room, so it is parsed where it lies instead of copied.
TEST_F(ServerTest, ABodyOfKnownLengthHasRoomForAParsersPadding) {
  ServerOptions options = TestOptions();
  options.max_body_bytes = 1 << 20;
  StartServer(options);
  Client client(port());
  for (const size_t size : {size_t{2}, size_t{40000}}) {
    ASSERT_TRUE(client.Send(Post("/slack", std::string(size, ' '))));
    const std::optional<RawResponse> response = client.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200);
    EXPECT_GE(std::stoul(response->body), 64u) << size;
  }
}

// A body that came with its header is lent to the handler where it lies in the receive buffer;
// one whose last bytes come after the header has been read is copied. Either way the handler
// reads the same bytes, and a next request already in the same buffer is read afresh.
TEST_F(ServerTest, ABodyThatCameWithItsHeaderIsLentAndOneThatCameLaterIsCopied) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send(Post("/lent", "abc")));
  std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "{\"lent\":true,\"body\":\"abc\"}");

  const std::string late = Post("/lent", "def");
  ASSERT_TRUE(client.Send(late.substr(0, late.size() - 3)));
  absl::SleepFor(absl::Milliseconds(50));
  ASSERT_TRUE(client.Send(late.substr(late.size() - 3)));
  response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "{\"lent\":false,\"body\":\"def\"}");

  ASSERT_TRUE(client.Send(absl::StrCat(Post("/lent", "first"), Post("/lent", "second"))));
  response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "{\"lent\":true,\"body\":\"first\"}");
  response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->body, "{\"lent\":true,\"body\":\"second\"}");
}

TEST_F(ServerTest, OversizedHeaderIs431) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send(Get("/hello", absl::StrCat("X-Big: ", std::string(8000, 'a'), "\r\n"))));
  const std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 431);
  EXPECT_TRUE(client.WaitClosed(kBound));
}

TEST_F(ServerTest, MalformedRequestIs400) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send("THIS IS NOT HTTP\r\n\r\n"));
  const std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 400);
  EXPECT_THAT(response->body, HasSubstr("OperationOutcome"));
}

TEST_F(ServerTest, ErrorWithoutBodyGetsAnOperationOutcome) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send(Get("/bare-error")));
  const std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 502);
  EXPECT_THAT(response->body, HasSubstr("OperationOutcome"));
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send(Get("/hello")));
  ASSERT_TRUE(client.Read().has_value());
  // Two pipelined requests in one write come back in order.
  ASSERT_TRUE(client.Send(Post("/echo/one", "1") + Post("/echo/two", "2")));
  std::optional<RawResponse> first = client.Read();
  std::optional<RawResponse> second = client.Read();
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_EQ(first->body, "{\"id\":\"one\",\"body\":1}");
  EXPECT_EQ(second->body, "{\"id\":\"two\",\"body\":2}");
  EXPECT_NE(second->Header("connection"), "close");
}

// An observer that holds the connection's thread after its first response is written, until the
// test has put the client in the state it wants; the session then turns to the next request.
struct HeldAfterFirstResponse {
  absl::Notification release;
  std::atomic<int> calls{0};
  Observer Callback() {
    return [this](const RequestInfo&) {
      if (calls.fetch_add(1) == 0) release.WaitForNotificationWithTimeout(kBound);
    };
  }
};

TEST_F(ServerTest, ANextRequestAlreadyPartlyHereIsReadAndCompleted) {
  HeldAfterFirstResponse hold;
  ServerOptions options = TestOptions();
  options.observer = hold.Callback();
  StartServer(options);
  Client client(port());
  ASSERT_TRUE(client.Send(Get("/hello")));
  ASSERT_TRUE(client.Read().has_value());
  // The first part of the next request is in the server's socket before the session looks.
  const std::string next = Post("/echo/two", "{\"n\":2}");
  ASSERT_TRUE(client.Send(next.substr(0, 30)));
  hold.release.Notify();
  absl::SleepFor(absl::Milliseconds(50));
  ASSERT_TRUE(client.Send(next.substr(30)));
  const std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "{\"id\":\"two\",\"body\":{\"n\":2}}");
  server_->Stop();
}

TEST_F(ServerTest, AClientGoneAfterItsResponseIsClosedWithoutWaitingForTheIdleTimeout) {
  HeldAfterFirstResponse hold;
  ServerOptions options = TestOptions();
  options.observer = hold.Callback();
  options.idle_timeout = absl::Seconds(60);  // longer than kBound: only the close can end it
  StartServer(options);
  auto client = std::make_unique<Client>(port());
  ASSERT_TRUE(client->Send(Get("/hello")));
  ASSERT_TRUE(client->Read().has_value());
  client.reset();  // closed before the session looks for a next request
  hold.release.Notify();
  EXPECT_TRUE(Eventually([&] { return server_->active_connections() == 0; }));
  server_->Stop();
}

TEST_F(ServerTest, ExpectContinueGets100ThenTheResponse) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send(
      "POST /echo/e HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
  std::string interim;
  EXPECT_FALSE(client.WaitClosed(absl::Milliseconds(100), &interim));
  EXPECT_THAT(interim, StartsWith("HTTP/1.1 100 Continue"));
  ASSERT_TRUE(client.Send("{}"));
  const std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
}

TEST_F(ServerTest, CorsPreflightForAnAllowedOrigin) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send(
      "OPTIONS /echo/x HTTP/1.1\r\nHost: t\r\nOrigin: https://ehr.example.org\r\n"
      "Access-Control-Request-Method: POST\r\n"
      "Access-Control-Request-Headers: authorization,content-type\r\n\r\n"));
  const std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 204);
  EXPECT_EQ(response->Header("access-control-allow-origin"), "https://ehr.example.org");
  EXPECT_EQ(response->Header("vary"), "Origin");
  EXPECT_EQ(response->Header("access-control-allow-methods"), "GET, POST, OPTIONS");
  EXPECT_EQ(response->Header("access-control-allow-headers"), "Content-Type, Authorization");
  EXPECT_EQ(response->Header("access-control-max-age"), "600");

  // The actual call from that origin carries Access-Control-Allow-Origin too.
  ASSERT_TRUE(client.Send(Get("/hello", "Origin: https://ehr.example.org\r\n")));
  const std::optional<RawResponse> actual = client.Read();
  ASSERT_TRUE(actual.has_value());
  EXPECT_EQ(actual->Header("access-control-allow-origin"), "https://ehr.example.org");
}

TEST_F(ServerTest, CorsPreflightForAnotherOriginHasNoCorsHeaders) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send(
      "OPTIONS /echo/x HTTP/1.1\r\nHost: t\r\nOrigin: https://evil.example.org\r\n"
      "Access-Control-Request-Method: POST\r\n\r\n"));
  const std::optional<RawResponse> response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 204);
  for (const auto& [name, value] : response->headers) {
    EXPECT_THAT(name, ::testing::Not(StartsWith("access-control-"))) << name;
  }
}

TEST_F(ServerTest, SlowDripHeaderIsClosedWithin408) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\n"));
  const absl::Time deadline = absl::Now() + kBound;
  std::string received;
  bool closed = false;
  // One header line every 100 ms: each byte arrives well within any per-read timeout, but the
  // header as a whole never completes.
  while (!closed && absl::Now() < deadline) {
    client.Send("X-Drip: 1\r\n");  // fails once the server has closed; that is fine
    closed = client.WaitClosed(absl::Milliseconds(100), &received);
  }
  EXPECT_TRUE(closed);
  EXPECT_THAT(received, StartsWith("HTTP/1.1 408"));
}

TEST_F(ServerTest, IdleKeepAliveConnectionIsClosed) {
  StartServer();
  Client client(port());
  ASSERT_TRUE(client.Send(Get("/hello")));
  ASSERT_TRUE(client.Read().has_value());
  EXPECT_TRUE(client.WaitClosed(kBound));
  Client silent(port());  // never sends anything
  EXPECT_TRUE(silent.WaitClosed(kBound));
}

// Each request moves the connection's deadline later; the wait set for the first one falls due
// long before the last, and must neither close the connection nor stop bounding the next phase.
TEST_F(ServerTest, DeadlinesFollowTheRequestsOfABusyConnection) {
  StartServer();  // header and idle timeouts of 300 ms
  Client client(port());
  const absl::Time start = absl::Now();
  int answered = 0;
  while (absl::Now() - start < absl::Milliseconds(1200)) {
    ASSERT_TRUE(client.Send(Get("/hello"))) << "after " << answered << " responses";
    const std::optional<RawResponse> response = client.Read();
    ASSERT_TRUE(response.has_value()) << "after " << answered << " responses";
    EXPECT_EQ(response->status, 200);
    ++answered;
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_GE(answered, 5);
  // A header that stalls on the same connection still ends in a 408 when its own deadline passes.
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\n"));
  std::string received;
  EXPECT_TRUE(client.WaitClosed(kBound, &received));
  EXPECT_THAT(received, StartsWith("HTTP/1.1 408"));
}

TEST_F(ServerTest, ClientThatNeverReadsDoesNotPinTheServer) {
  StartServer();
  Client stalled(port());
  ASSERT_TRUE(stalled.Send(Get("/big")));  // 32 MiB response that nobody reads
  for (int i = 0; i < 3; ++i) {
    Client other(port());
    ASSERT_TRUE(other.Send(Get("/hello")));
    const std::optional<RawResponse> response = other.Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->status, 200);
  }
  // The stalled session hits its write timeout and goes away although the client is alive.
  EXPECT_TRUE(Eventually([&] { return server_->active_connections() == 0; }));
}

TEST_F(ServerTest, ConnectionsBeyondTheLimitGet503) {
  ServerOptions options = TestOptions();
  options.max_connections = 2;
  options.idle_timeout = absl::Seconds(30);
  options.header_timeout = absl::Seconds(30);
  StartServer(options);
  Client first(port());
  Client second(port());
  ASSERT_TRUE(Eventually([&] { return server_->active_connections() == 2; }));
  Client third(port());
  ASSERT_TRUE(third.Send(Get("/hello")));
  const std::optional<RawResponse> response = third.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 503);
  EXPECT_THAT(response->body, HasSubstr("transient"));
  // The admitted connections still work.
  ASSERT_TRUE(first.Send(Get("/hello")));
  const std::optional<RawResponse> ok = first.Read();
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->status, 200);
}

TEST_F(ServerTest, StopLetsTheRequestInFlightFinish) {
  ServerOptions options = TestOptions();
  options.idle_timeout = absl::Seconds(30);
  options.header_timeout = absl::Seconds(30);
  StartServer(options);
  Client idle(port());
  ASSERT_TRUE(idle.Send(Get("/hello")));
  ASSERT_TRUE(idle.Read().has_value());
  Client busy(port());
  ASSERT_TRUE(busy.Send(Get("/slow")));
  slow_started_.get_future().wait();
  const absl::Time stop_started = absl::Now();
  std::thread stopper([&] { server_->Stop(kBound); });
  const std::optional<RawResponse> response = busy.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->Header("connection"), "close");
  EXPECT_TRUE(idle.WaitClosed(kBound));
  stopper.join();
  EXPECT_LT(absl::Now() - stop_started, kBound);
  Client late(port());
  EXPECT_FALSE(late.connected());
}

// A client that connected before shutdown sends its request a moment later, unaware: it gets
// its answer (with "Connection: close"), not a reset.
TEST_F(ServerTest, StopAnswersANewConnectionsFirstRequest) {
  ServerOptions options = TestOptions();
  options.header_timeout = absl::Seconds(5);  // the stop window is then kFirstRequestAtStop
  StartServer(options);
  Client fresh(port());
  ASSERT_TRUE(fresh.connected());
  ASSERT_TRUE(Eventually([&] { return server_->active_connections() == 1; }));
  std::thread stopper([&] { server_->Stop(kBound); });
  absl::SleepFor(absl::Milliseconds(100));  // Stop() has begun
  ASSERT_TRUE(fresh.Send(Get("/hello")));
  const std::optional<RawResponse> response = fresh.Read();
  stopper.join();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->Header("connection"), "close");
}

// With the only I/O thread busy, a new connection waits in the kernel's accept queue with its
// request already sent. Closing the listener would reset it; Stop() takes it and answers.
TEST_F(ServerTest, StopAnswersConnectionsStillInTheAcceptQueue) {
  ServerOptions options = TestOptions();
  options.threads = 1;
  StartServer(options);
  Client busy(port());
  ASSERT_TRUE(busy.Send(Get("/slow")));
  slow_started_.get_future().wait();  // the I/O thread sleeps in the handler from here
  Client queued(port());
  ASSERT_TRUE(queued.connected());
  ASSERT_TRUE(queued.Send(Get("/hello")));
  std::thread stopper([&] { server_->Stop(kBound); });
  const std::optional<RawResponse> slow = busy.Read();
  const std::optional<RawResponse> hello = queued.Read();
  stopper.join();
  ASSERT_TRUE(slow.has_value());
  EXPECT_EQ(slow->status, 200);
  ASSERT_TRUE(hello.has_value());
  EXPECT_EQ(hello->status, 200);
  EXPECT_EQ(hello->Header("connection"), "close");
}

TEST_F(ServerTest, StopIsBoundedByItsGrace) {
  StartServer();
  Client busy(port());
  ASSERT_TRUE(busy.Send(Get("/slow")));
  slow_started_.get_future().wait();
  const absl::Time stop_started = absl::Now();
  server_->Stop(absl::Milliseconds(10));
  server_->Stop();  // idempotent
  EXPECT_LT(absl::Now() - stop_started, kBound);
}

TEST_F(ServerTest, ObserverFeedsMetrics) {
  MetricsRegistry registry;
  ASSERT_OK_AND_ASSIGN(HttpMetrics metrics, HttpMetrics::Create(&registry));
  ServerOptions options = TestOptions();
  options.observer = metrics.AsObserver();
  StartServer(options);
  Client client(port());
  ASSERT_TRUE(client.Send(Post("/echo/abc", "{}") + Get("/missing")));
  ASSERT_TRUE(client.Read().has_value());
  ASSERT_TRUE(client.Read().has_value());
  // The observer runs after the write completes, possibly just after the client has read.
  EXPECT_TRUE(Eventually([&] {
    const std::string text = registry.RenderText();
    return text.find("http_requests_total{route=\"/echo/{id}\",method=\"POST\",status=\"200\"} "
                     "1\n") != std::string::npos &&
           text.find("route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n") !=
               std::string::npos;
  })) << registry.RenderText();
  server_->Stop();
}

TEST(ServerStart, ReportsBadAddressAndBusyPort) {
  ServerOptions options = TestOptions();
  options.address = "not-an-address";
  EXPECT_THAT(Server::Start(options, Router()), StatusIs(absl::StatusCode::kInvalidArgument));

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Server> first, Server::Start(TestOptions(), Router()));
  options = TestOptions();
  options.port = first->port();
  EXPECT_THAT(Server::Start(options, Router()),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("cannot listen")));

  options = TestOptions();
  options.write_timeout = absl::ZeroDuration();
  EXPECT_THAT(Server::Start(options, Router()), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ShutdownSignals, WaitReturnsTheSignalThatArrived) {
  ShutdownSignals signals;
  ASSERT_EQ(raise(SIGTERM), 0);  // caught, so the test process survives
  EXPECT_EQ(signals.Wait(), SIGTERM);
}

}  // namespace
}  // namespace thrombo::service::http
