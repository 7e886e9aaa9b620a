// Copyright 2026 The Thrombo Authors.
// A minimal blocking HTTPS client (Boost.Beast over OpenSSL) for the TLS tests: it verifies the
// server against a given CA and reports which certificate the server presented.
#ifndef THROMBO_TESTS_E2E_TLS_CLIENT_H_
#define THROMBO_TESTS_E2E_TLS_CLIENT_H_

#include <cstdint>
#include <string>

#include "tests/e2e/http_client.h"

namespace thrombo::e2e {

struct TlsClientOptions {
  std::string ca_file;             // the only trusted CA (PEM); verification is always on
  std::string host = "localhost";  // sent as SNI and checked against the certificate
  // 0: the client's defaults. TLS1_1_VERSION etc. caps what the client offers (and lowers the
  // client's own minimum and security level so it really offers it), to prove the server's floor.
  int max_version = 0;
};

struct TlsClientResponse {
  ClientResponse http;      // status 0 and http.error set when the exchange failed
  bool handshake_ok = false;
  std::string peer_common_name;  // the subject CN of the server's certificate
};

// One request over a fresh TLS connection to 127.0.0.1:`port` ("Connection: close").
TlsClientResponse HttpsSend(uint16_t port, const ClientRequest& request,
                            const TlsClientOptions& options, int timeout_seconds = 10);

}  // namespace thrombo::e2e

#endif  // THROMBO_TESTS_E2E_TLS_CLIENT_H_
