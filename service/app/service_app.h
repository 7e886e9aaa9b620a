// Copyright 2026 The Thrombo Authors.
// The composition root: the one place that wires the engine, authentication, the store, the
// hook service, the HTTP API and the gRPC service into a running service. `thrombo serve` and
// the end-to-end tests both start the service through it, so what the tests exercise is what
// ships.
#ifndef THROMBO_SERVICE_APP_SERVICE_APP_H_
#define THROMBO_SERVICE_APP_SERVICE_APP_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "risk/engine.h"
#include "service/auth/jwt_verifier.h"
#include "service/cds/hook_audit.h"
#include "service/cds/hook_service.h"
#include "service/fhir_client/curl_fhir_fetcher.h"
#include "service/http/log.h"
#include "service/http/metrics.h"
#include "service/http/server.h"
#include "service/http/tls_context.h"
#include "service/store/feedback_store.h"

namespace thrombo::service {

// Everything the service is built from. Error messages name the `thrombo serve` flag that set
// the offending option, so an operator can act on them.
struct AppOptions {
  // Clinical policy (--policy): a policy file, or empty for the embedded default.
  std::string policy_path;

  // Authentication. Issuers come from --jwt_issuers_file and/or are given inline (tests and
  // embedded configurations); with none, `allow_unauthenticated` must be set (local demos).
  std::string jwt_issuers_file;
  std::vector<auth::IssuerConfig> jwt_issuers;
  std::vector<std::string> jwt_algorithms = {"ES384", "RS384"};
  bool allow_unauthenticated = false;

  // Feedback and audit storage (--db): a SQLite file path.
  std::string db = "thrombo.sqlite";
  store::FeedbackStoreOptions store_options;  // on_audit_error is set by the app when empty

  // Fetch-on-miss from the EHR's FHIR server, and the hook service itself.
  CurlFhirFetcherOptions fetcher_options;
  HookServiceOptions hook_options;
  std::function<absl::Time()> clock;  // the evaluation clock; empty means absl::Now

  // HTTP (address, port, threads, limits, CORS). The observer is the app's: metrics and the
  // request log; a caller's observer is called after them.
  http::ServerOptions http;
  // HTTPS and gRPC over TLS 1.2+ from these PEM files (both or neither; neither is plain HTTP
  // for a terminating proxy or a local demo). `reload_tls_on_sighup` renews the HTTPS
  // certificate for new connections on SIGHUP (gRPC keeps the one it started with).
  http::TlsFiles tls;
  bool reload_tls_on_sighup = false;
  // The public URL clients call (the JWT audience); empty: http(s)://localhost:<port>.
  std::string base_url;
  // gRPC: nullopt disables it; 0 binds an ephemeral port.
  std::optional<uint16_t> grpc_port;

  // Where the structured log goes (defaults to stderr).
  http::LoggerOptions log;
};

// A running service. Start it with Start; Stop (or destruction) finishes requests in flight.
class ServiceApp final {
 public:
  // Errors: InvalidArgument for a bad configuration (the message names the flag),
  // Unavailable when a port cannot be bound or the store cannot be opened.
  static absl::StatusOr<std::unique_ptr<ServiceApp>> Start(AppOptions options);
  ~ServiceApp();
  ServiceApp(const ServiceApp&) = delete;
  ServiceApp& operator=(const ServiceApp&) = delete;

  uint16_t http_port() const;
  uint16_t grpc_port() const { return grpc_port_; }  // 0 when gRPC is off
  const char* scheme() const { return tls_ != nullptr ? "https" : "http"; }
  const std::string& base_url() const { return base_url_; }
  bool authenticated() const { return verifier_ != nullptr; }
  const risk::Engine& engine() const { return *engine_; }
  HookService& hooks() { return *hooks_; }
  store::FeedbackStore* store() { return store_.get(); }
  http::MetricsRegistry& registry() { return registry_; }
  http::Logger& logger() { return *logger_; }

  // Stops accepting, finishes requests in flight within `grace`, then closes the store.
  // Idempotent.
  void Stop(absl::Duration grace = absl::Seconds(10));

 private:
  ServiceApp() = default;
  absl::Status Build(AppOptions options);

  std::unique_ptr<risk::Engine> owned_engine_;
  const risk::Engine* engine_ = nullptr;
  std::unique_ptr<http::Logger> logger_;
  std::unique_ptr<auth::JwtVerifier> verifier_;
  std::unique_ptr<store::FeedbackStore> store_;
  std::unique_ptr<CurlFhirFetcher> fetcher_;
  std::unique_ptr<HookService> hooks_;
  http::MetricsRegistry registry_;
  std::unique_ptr<http::HttpMetrics> http_metrics_;
  // Hook calls' audit rows over HTTP and gRPC alike. Declared after store_, registry_ and
  // logger_, which it uses, so it is destroyed before them.
  std::unique_ptr<HookAudit> hook_audit_;
  std::string base_url_;
  std::shared_ptr<http::TlsContext> tls_;
  std::unique_ptr<http::ReloadOnSighup> tls_reload_;
  std::unique_ptr<http::Server> server_;
  struct Grpc;
  std::unique_ptr<Grpc> grpc_;
  uint16_t grpc_port_ = 0;
};

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_APP_SERVICE_APP_H_
