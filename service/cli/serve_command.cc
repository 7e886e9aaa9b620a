// Copyright 2026 The Thrombo Authors.
#include "service/cli/serve_command.h"

#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "service/app/service_app.h"
#include "service/http/server.h"

namespace thrombo::service {

int RunServe(const ServeOptions& options) {
  http::ShutdownSignals signals;  // before any thread starts, so an early SIGTERM is kept

  if (options.log_flush_ms < 0) {
    fprintf(stderr, "thrombo serve: --log_flush_ms=%d: expected 0 (each line at once) or more\n",
            options.log_flush_ms);
    return 2;
  }
  AppOptions app_options;
  app_options.log.flush_interval = absl::Milliseconds(options.log_flush_ms);
  app_options.policy_path = options.policy_path;
  app_options.jwt_issuers_file = options.jwt_issuers_file;
  app_options.jwt_algorithms = options.jwt_algorithms;
  app_options.allow_unauthenticated = options.allow_unauthenticated;
  app_options.db = options.db_path;
  app_options.store_options.pool_size = options.db_pool_size;
  app_options.fetcher_options.allow_http = options.allow_http_fhir_server;
  app_options.http.address = options.listen_address;
  app_options.http.port = options.http_port;
  app_options.http.threads = options.threads;
  app_options.http.max_body_bytes = static_cast<size_t>(options.max_body_bytes);
  app_options.http.cors.allowed_origins = options.cors_origins;
  app_options.base_url = options.base_url;
  if (options.grpc_port != 0) app_options.grpc_port = options.grpc_port;
  app_options.tls = {options.tls_cert_file, options.tls_key_file};
  app_options.reload_tls_on_sighup = true;

  absl::StatusOr<std::unique_ptr<ServiceApp>> started = ServiceApp::Start(std::move(app_options));
  if (!started.ok()) {
    fprintf(stderr, "thrombo serve: %s\n", std::string(started.status().message()).c_str());
    // A configuration the operator must fix is 2; a port or a resource that is busy is 1.
    return started.status().code() == absl::StatusCode::kInvalidArgument ? 2 : 1;
  }
  ServiceApp& app = **started;
  const int port = app.http_port();
  const char* scheme = app.scheme();
  app.logger().Info("serving", {{"http", absl::StrCat(scheme, "://", options.listen_address, ":",
                                                      port, "/cds-services")},
                                {"grpc_port", static_cast<int64_t>(app.grpc_port())},
                                {"policy", app.engine().rules().policy_version},
                                {"authenticated", app.authenticated()}});
  app.logger().Flush();  // the start-up lines now, before the hints below
  fprintf(stderr,
          "thrombo: CDS Hooks discovery at %s://%s:%d/cds-services, gRPC on port %d.\n", scheme,
          options.listen_address.c_str(), port, app.grpc_port());
  if (!app.authenticated()) {
    fprintf(stderr, "Try: curl %s://localhost:%d/cds-services\n", scheme, port);
  } else {
    // With authentication on, discovery and hook calls need a bearer JWT: a suggestion without
    // one would only show a 401.
    fprintf(stderr,
            "Authentication is on: every /cds-services call needs a JWT signed by a trusted\n"
            "issuer (--jwt_issuers_file; how a client makes one: docs/operations.md, Trusted\n"
            "issuers).\n"
            "Try: curl %s://localhost:%d/healthz   (no token needed)\n"
            "     curl -H \"Authorization: Bearer $TOKEN\" %s://localhost:%d/cds-services\n"
            "For a local demo without tokens, restart with --allow_unauthenticated.\n",
            scheme, port, scheme, port);
  }

  const int signal_number = signals.Wait();
  app.logger().Info("shutting down", {{"signal", static_cast<int64_t>(signal_number)}});
  app.Stop(absl::Seconds(10));
  return 0;
}

}  // namespace thrombo::service
