// Copyright 2026 The Thrombo Authors.
// A small HTTP/1.1 load client for a CDS Hooks service (or nginx standing in for one): POSTs the
// JSON bodies of a folder over keep-alive connections and prints throughput and latency
// percentiles, on the same schedule as grpc_load (tests/load/open_loop.h), so HTTP and gRPC
// figures compare.
//
//   http_load --host=127.0.0.1 --port=8080 --path=/cds-services/thrombo-order-sign --dir=DIR
//             --connections=20 --rps=1000 [--poisson] --requests=15000 [--max_seconds=30]
//             [--warmup=500]
//
// Why not h2load alone: h2load --rps paces each connection on its own timer, and its connections
// start together, so at 1,000 req/s over 20 connections about 20 requests arrive at once every
// 20 ms; it also times a request from when it was sent. Here requests are due evenly spaced (or,
// with --poisson, as independent callers send them) and are timed from when they were due.
// run.sh reports both.
//
// Each of --connections threads has one blocking connection. Answers must carry Content-Length
// (both thrombo and nginx send it); a non-2xx answer or a broken connection counts as an error,
// and the connection is opened again for the next request.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "tests/load/open_loop.h"

ABSL_FLAG(std::string, host, "127.0.0.1", "server IPv4 address");
ABSL_FLAG(int, port, 8080, "server port");
ABSL_FLAG(std::string, path, "/cds-services/thrombo-order-sign", "request path");
ABSL_FLAG(std::string, dir, "", "directory with req-*.json bodies (make_requests)");

namespace thrombo::load {
namespace {

// One keep-alive HTTP/1.1 connection, reopened after any failure.
class HttpConnection {
 public:
  HttpConnection(std::string host, int port) : host_(std::move(host)), port_(port) {}
  ~HttpConnection() { Close(); }
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Sends `request` (a complete HTTP request) and reads the answer; "" when it was 2xx, else
  // what went wrong.
  std::string Exchange(std::string_view request) {
    if (fd_ < 0) {
      if (std::string error = Open(); !error.empty()) return error;
    }
    std::string error = SendAll(request);
    if (error.empty()) error = ReadAnswer();
    if (!error.empty()) Close();
    return error;
  }

 private:
  std::string Open() {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return "socket() failed";
    const int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port_));
    if (inet_pton(AF_INET, host_.c_str(), &address.sin_addr) != 1) {
      Close();
      return absl::StrCat("--host=", host_, " is not an IPv4 address");
    }
    if (connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
      Close();
      return absl::StrCat("cannot connect to ", host_, ":", port_);
    }
    return "";
  }

  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
    buffer_.clear();
  }

  std::string SendAll(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return "the connection broke while sending";
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return "";
  }

  // Reads more bytes into buffer_; false at end of stream or on error.
  bool Fill() {
    char chunk[16384];
    const ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  std::string ReadAnswer() {
    size_t header_end;
    while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return "the connection closed before an answer's headers";
    }
    const absl::string_view head(buffer_.data(), header_end);
    // "HTTP/1.1 200 OK"
    int status = 0;
    if (head.size() < 12 || !absl::SimpleAtoi(head.substr(9, 3), &status)) {
      return "an answer without an HTTP status line";
    }
    int64_t length = -1;
    bool close_after = false;
    for (absl::string_view rest = head; !rest.empty();) {
      const size_t eol = rest.find("\r\n");
      const absl::string_view line = rest.substr(0, eol);
      rest = eol == absl::string_view::npos ? absl::string_view() : rest.substr(eol + 2);
      const size_t colon = line.find(':');
      if (colon == absl::string_view::npos) continue;
      const std::string name = absl::AsciiStrToLower(line.substr(0, colon));
      const absl::string_view value = absl::StripAsciiWhitespace(line.substr(colon + 1));
      if (name == "content-length" && !absl::SimpleAtoi(value, &length)) length = -1;
      if (name == "connection" && absl::EqualsIgnoreCase(value, "close")) close_after = true;
    }
    if (length < 0) return "an answer without Content-Length (chunked answers are not read)";
    const size_t total = header_end + 4 + static_cast<size_t>(length);
    while (buffer_.size() < total) {
      if (!Fill()) return "the connection closed inside an answer's body";
    }
    buffer_.erase(0, total);
    if (close_after) Close();
    if (status < 200 || status > 299) return absl::StrCat("answered HTTP ", status);
    return "";
  }

  const std::string host_;
  const int port_;
  int fd_ = -1;
  std::string buffer_;  // bytes read and not yet consumed
};

int Run() {
  const std::vector<std::string> bodies = ReadFilesEndingIn(absl::GetFlag(FLAGS_dir), ".json");
  if (bodies.empty()) {
    std::cerr << "http_load: no *.json bodies in --dir\n";
    return 2;
  }
  const std::string host = absl::GetFlag(FLAGS_host);
  const int port = absl::GetFlag(FLAGS_port);
  // Each request complete once, so a send is one buffer.
  std::vector<std::string> requests;
  requests.reserve(bodies.size());
  for (const std::string& body : bodies) {
    requests.push_back(absl::StrCat("POST ", absl::GetFlag(FLAGS_path), " HTTP/1.1\r\nHost: ",
                                    host, ":", port,
                                    "\r\nContent-Type: application/json\r\nContent-Length: ",
                                    body.size(), "\r\n\r\n", body));
  }
  std::atomic<int> reported{0};
  const LoadResult result = RunLoad(LoadOptionsFromFlags(), [&](int) -> SendFunction {
    auto connection = std::make_shared<HttpConnection>(host, port);
    return [connection, &requests, &reported](int64_t k) {
      const std::string error = connection->Exchange(requests[k % requests.size()]);
      if (!error.empty() && reported.fetch_add(1) < 3) std::cerr << "http_load: " << error << "\n";
      return error.empty();
    };
  });
  return Report("http_load", result);
}

}  // namespace
}  // namespace thrombo::load

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return thrombo::load::Run();
}
