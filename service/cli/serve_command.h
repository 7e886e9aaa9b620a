// Copyright 2026 The Thrombo Authors.
// `thrombo serve`: CDS Hooks over HTTP and the gRPC service, from one pipeline.
#ifndef THROMBO_SERVICE_CLI_SERVE_COMMAND_H_
#define THROMBO_SERVICE_CLI_SERVE_COMMAND_H_

#include <cstdint>
#include <string>
#include <vector>

#include "service/http/endpoints.h"

namespace thrombo::service {

// Everything `serve` takes from the command line (flags live only in main).
struct ServeOptions {
  std::string listen_address = "127.0.0.1";
  uint16_t http_port = http::kDefaultHttpPort;
  uint16_t grpc_port = http::kDefaultGrpcPort;  // 0 disables gRPC
  std::string policy_path;            // empty: the embedded default policy
  std::string db_path = "thrombo.sqlite";  // or a PostgreSQL connection string
  int db_pool_size = 8;                      // PostgreSQL connections per process
  std::string base_url;               // public URL, the JWT audience; default http://localhost:PORT
  std::string jwt_issuers_file;       // JSON: [{"iss": ..., "jwks_file": ..., "jwks_urls": [...]}]
  std::vector<std::string> jwt_algorithms = {"ES384", "RS384"};
  bool allow_unauthenticated = false;  // local demos only; logged as a warning
  std::vector<std::string> cors_origins;
  bool allow_http_fhir_server = false;  // fetch-on-miss over plain http (local testing only)
  int threads = 0;                      // HTTP I/O threads; 0 = one per core
  // Info log lines wait up to this long to be written together (0: each at once); warnings and
  // errors are written at once (http::LoggerOptions::flush_interval).
  int log_flush_ms = 100;
  int64_t max_body_bytes = 16 << 20;
  // PEM files: HTTPS and gRPC over TLS 1.2+; both or neither. The certificate is reloaded on SIGHUP.
  std::string tls_cert_file;
  std::string tls_key_file;
};

// Runs until SIGTERM or SIGINT, then finishes requests in flight and returns the process exit
// code: 0 after a clean shutdown, 2 when the configuration is invalid (the message on stderr
// names the flag or the policy field), 1 when a port cannot be bound.
int RunServe(const ServeOptions& options);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CLI_SERVE_COMMAND_H_
