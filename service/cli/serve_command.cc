// Copyright 2026 The Thrombo Authors.
#include "service/cli/serve_command.h"

#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/status_macros.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "rapidjson/document.h"
#include "risk/engine.h"
#include "risk/policy.h"
#include "service/auth/jwks_fetcher.h"
#include "service/auth/jwt_verifier.h"
#include "service/cds/hook_service.h"
#include "service/cds/http_api.h"
#include "service/fhir_client/curl_fhir_fetcher.h"
#include "service/grpc/grpc_service.h"
#include "service/http/log.h"
#include "service/http/metrics.h"
#include "service/http/server.h"
#include "service/store/feedback_store.h"

namespace thrombo::service {
namespace {

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// --jwt_issuers_file: [{"iss": "...", "jwks_file": "...", "jwks_urls": ["..."]}, ...]
absl::StatusOr<std::vector<auth::IssuerConfig>> LoadIssuers(const std::string& path) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError() || !doc.IsArray()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--jwt_issuers_file ", path, ": expected a JSON array of issuers"));
  }
  std::vector<auth::IssuerConfig> issuers;
  for (rapidjson::SizeType i = 0; i < doc.Size(); ++i) {
    const rapidjson::Value& entry = doc[i];
    const std::string where = absl::StrCat("--jwt_issuers_file ", path, " [", i, "]");
    if (!entry.IsObject() || !entry.HasMember("iss") || !entry["iss"].IsString()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": \"iss\" (string) is required"));
    }
    auth::IssuerConfig issuer;
    issuer.issuer = entry["iss"].GetString();
    if (entry.HasMember("jwks_file") && entry["jwks_file"].IsString()) {
      issuer.jwks_file = entry["jwks_file"].GetString();
    }
    if (entry.HasMember("jwks_urls") && entry["jwks_urls"].IsArray()) {
      for (const auto& url : entry["jwks_urls"].GetArray()) {
        if (url.IsString()) issuer.jwks_urls.push_back(url.GetString());
      }
    }
    if (issuer.jwks_file.empty() && issuer.jwks_urls.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": give \"jwks_file\" or \"jwks_urls\""));
    }
    issuers.push_back(std::move(issuer));
  }
  return issuers;
}

absl::StatusOr<std::unique_ptr<auth::JwtVerifier>> MakeVerifier(
    const ServeOptions& options, store::FeedbackStore* store, http::Logger* logger,
    http::Counter* replay_fallbacks) {
  if (options.jwt_issuers_file.empty()) {
    return absl::InvalidArgumentError(
        "no JWT issuers configured: pass --jwt_issuers_file, or --allow_unauthenticated for a "
        "local demo");
  }
  auth::JwtVerifierOptions verifier;
  ASSIGN_OR_RETURN(verifier.issuers, LoadIssuers(options.jwt_issuers_file));
  verifier.allowed_algorithms.clear();
  for (const std::string& name : options.jwt_algorithms) {
    absl::StatusOr<auth::JwsAlgorithm> alg = auth::ParseAlgorithm(name);
    if (!alg.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--jwt_algorithms: ", alg.status().message()));
    }
    verifier.allowed_algorithms.push_back(*alg);
  }
  verifier.fetcher = std::make_shared<auth::CurlJwksFetcher>();
  if (store->backend() == "postgresql") {
    // Replicas share one jti table (docs/replicas.md); SQLite means one machine, one process.
    verifier.shared_replay = [store](std::string_view iss, std::string_view jti,
                                     absl::Time forget_after, absl::Time now) {
      return store->RecordTokenUse(iss, jti, forget_after, now);
    };
    verifier.on_shared_replay_unavailable = [logger, replay_fallbacks](const absl::Status& s) {
      replay_fallbacks->Increment({});
      logger->Warning("shared replay check unavailable; this replica's memory decided",
                      {{"code", absl::StatusCodeToString(s.code())}});
    };
  }
  return auth::JwtVerifier::Create(std::move(verifier));
}

absl::StatusOr<std::unique_ptr<risk::Engine>> MakeEngine(const std::string& policy_path) {
  if (policy_path.empty()) return risk::Engine::Create(risk::DefaultPolicy());
  ASSIGN_OR_RETURN(v1::Policy policy, risk::LoadPolicyFromFile(policy_path));
  return risk::Engine::Create(policy);
}

}  // namespace

int RunServe(const ServeOptions& options) {
  http::Logger logger;
  http::ShutdownSignals signals;  // before any thread starts, so an early SIGTERM is kept

  absl::StatusOr<std::unique_ptr<risk::Engine>> engine = MakeEngine(options.policy_path);
  if (!engine.ok()) {
    fprintf(stderr, "thrombo serve: policy: %s\n", std::string(engine.status().message()).c_str());
    return 2;
  }
  store::FeedbackStoreOptions store_options;
  store_options.pool_size = options.db_pool_size;
  store_options.on_audit_error = [&logger](const absl::Status& status, size_t rows) {
    logger.Error("audit commit failed", {{"code", absl::StatusCodeToString(status.code())},
                                         {"rows", std::to_string(rows)}});
  };
  absl::StatusOr<std::unique_ptr<store::FeedbackStore>> store =
      store::FeedbackStore::Open(options.db_path, std::move(store_options));
  if (!store.ok()) {
    // Not the --db value itself: a connection string may hold a password.
    fprintf(stderr, "thrombo serve: --db: %s\n", std::string(store.status().message()).c_str());
    return 2;
  }

  http::MetricsRegistry registry;
  absl::StatusOr<http::Counter*> replay_fallbacks = registry.AddCounter(
      "thrombo_replay_shared_unavailable_total",
      "JWTs judged by this replica's memory alone because the shared jti table was unreachable",
      {});
  std::unique_ptr<auth::JwtVerifier> verifier;
  if (options.allow_unauthenticated) {
    logger.Warning("authentication is OFF (--allow_unauthenticated): for local demos only");
  } else {
    absl::StatusOr<std::unique_ptr<auth::JwtVerifier>> made =
        MakeVerifier(options, store->get(), &logger, *replay_fallbacks);
    if (!made.ok()) {
      fprintf(stderr, "thrombo serve: %s\n", std::string(made.status().message()).c_str());
      return 2;
    }
    verifier = *std::move(made);
  }
  CurlFhirFetcherOptions fetcher_options;
  fetcher_options.allow_http = options.allow_http_fhir_server;
  CurlFhirFetcher fetcher(fetcher_options);
  HookService hooks(**engine, &fetcher, [] { return absl::Now(); });

  const std::string base_url = options.base_url.empty()
                                   ? absl::StrCat("http://localhost:", options.http_port)
                                   : options.base_url;
  absl::StatusOr<http::HttpMetrics> http_metrics = http::HttpMetrics::Create(&registry);
  HttpApiDeps deps;
  deps.hooks = &hooks;
  deps.store = store->get();
  deps.verifier = verifier.get();
  deps.registry = &registry;
  deps.logger = &logger;
  HttpApiOptions api_options;
  api_options.base_url = base_url;
  absl::StatusOr<http::Router> router = BuildHttpApi(deps, api_options);
  if (!http_metrics.ok() || !router.ok()) {
    fprintf(stderr, "thrombo serve: %s\n",
            std::string((http_metrics.ok() ? router.status() : http_metrics.status()).message())
                .c_str());
    return 2;
  }
  http::ServerOptions server_options;
  server_options.address = options.listen_address;
  server_options.port = options.http_port;
  server_options.threads = options.threads;
  server_options.max_body_bytes = static_cast<size_t>(options.max_body_bytes);
  server_options.cors.allowed_origins = options.cors_origins;
  http::HttpMetrics* metrics = &*http_metrics;
  server_options.observer = [metrics, &logger](const http::RequestInfo& info) {
    metrics->Record(info);
    http::LogRequest(logger, info);
  };
  absl::StatusOr<std::unique_ptr<http::Server>> server =
      http::Server::Start(server_options, *std::move(router));
  if (!server.ok()) {
    fprintf(stderr, "thrombo serve: --http_port %d: %s\n", options.http_port,
            std::string(server.status().message()).c_str());
    return 1;
  }

  std::unique_ptr<grpc::Server> grpc_server;
  ThromboGrpcService grpc_service(**engine, hooks, verifier.get(), base_url);
  if (options.grpc_port != 0) {
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    int bound_port = 0;
    builder.AddListeningPort(absl::StrCat(options.listen_address, ":", options.grpc_port),
                             grpc::InsecureServerCredentials(), &bound_port);
    builder.RegisterService(&grpc_service);
    grpc_server = builder.BuildAndStart();
    if (grpc_server == nullptr || bound_port == 0) {
      fprintf(stderr, "thrombo serve: --grpc_port %d: cannot listen\n", options.grpc_port);
      (*server)->Stop(absl::ZeroDuration());
      return 1;
    }
  }
  logger.Info("serving", {{"http", absl::StrCat("http://", options.listen_address, ":",
                                                (*server)->port(), "/cds-services")},
                          {"grpc_port", static_cast<int64_t>(options.grpc_port)},
                          {"policy", (*engine)->rules().policy_version},
                          {"authenticated", verifier != nullptr}});
  fprintf(stderr,
          "thrombo: CDS Hooks discovery at http://%s:%d/cds-services, gRPC on port %d.\n",
          options.listen_address.c_str(), (*server)->port(), options.grpc_port);
  if (verifier == nullptr) {
    fprintf(stderr, "Try: curl http://localhost:%d/cds-services\n", (*server)->port());
  } else {
    // With authentication on, discovery and hook calls need a bearer JWT: a suggestion without
    // one would only show a 401.
    fprintf(stderr,
            "Authentication is on: every /cds-services call needs a JWT signed by a trusted\n"
            "issuer (--jwt_issuers_file; how a client makes one: docs/operations.md, Trusted\n"
            "issuers).\n"
            "Try: curl http://localhost:%d/healthz   (no token needed)\n"
            "     curl -H \"Authorization: Bearer $TOKEN\" http://localhost:%d/cds-services\n"
            "For a local demo without tokens, restart with --allow_unauthenticated.\n",
            (*server)->port(), (*server)->port());
  }

  const int signal_number = signals.Wait();
  logger.Info("shutting down", {{"signal", static_cast<int64_t>(signal_number)}});
  (*server)->Stop(absl::Seconds(10));
  if (grpc_server != nullptr) {
    grpc_server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(10));
  }
  return 0;
}

}  // namespace thrombo::service
