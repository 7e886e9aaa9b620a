// Copyright 2026 The Thrombo Authors.
// A minimal blocking HTTP/1.1 client (Boost.Beast) for end-to-end tests against 127.0.0.1.
#ifndef THROMBO_TESTS_E2E_HTTP_CLIENT_H_
#define THROMBO_TESTS_E2E_HTTP_CLIENT_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace thrombo::e2e {

struct ClientRequest {
  std::string method = "GET";
  std::string target = "/";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

struct ClientResponse {
  // 0 when no response could be read at all (connection refused, reset before a status line);
  // `error` then says why.
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased; repeats joined with ", "
  std::string body;
  std::string error;

  // The header's value, or "" when absent. `name` must be lower case.
  std::string Header(const std::string& name) const;
};

// Sends one request on a fresh connection to 127.0.0.1:`port` ("Connection: close") and reads
// the answer. Never throws. A failed write still tries to read a response, because a server
// may answer an oversized body early (413) and stop reading. Every step is bounded by
// `timeout_seconds`, so a hung server fails the test instead of hanging it.
ClientResponse Send(uint16_t port, const ClientRequest& request, int timeout_seconds = 30);

// A blocking TCP socket connected to 127.0.0.1:`port` whose reads and writes time out after
// `timeout_seconds` (so a hung server fails a test instead of hanging it), or -1 when the
// connection is refused. For tests that need bytes an HTTP client would not send.
int ConnectLoopback(uint16_t port, int timeout_seconds);

}  // namespace thrombo::e2e

#endif  // THROMBO_TESTS_E2E_HTTP_CLIENT_H_
