// Copyright 2026 The Thrombo Authors.
#include "service/app/service_app.h"

#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/read_file.h"
#include "base/status_macros.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/health_check_service_interface.h"
#include "rapidjson/document.h"
#include "risk/policy.h"
#include "service/auth/jwks_fetcher.h"
#include "service/cds/http_api.h"
#include "service/grpc/call_observer.h"
#include "service/grpc/grpc_metrics.h"
#include "service/grpc/grpc_service.h"
#include "service/grpc/tls_credentials.h"

namespace thrombo::service {
namespace {

// --jwt_issuers_file: [{"iss": "...", "jwks_file": "...", "jwks_urls": ["..."]}, ...]
absl::StatusOr<std::vector<auth::IssuerConfig>> LoadIssuers(const std::string& path) {
  absl::StatusOr<std::string> text = base::ReadFile(path);
  if (!text.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--jwt_issuers_file: ", text.status().message()));
  }
  rapidjson::Document doc;
  doc.Parse(text->data(), text->size());
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

// Null with allow_unauthenticated; otherwise a verifier of the configured issuers.
// `store` (not null) shares replay protection between replicas when it can (PostgreSQL);
// `replay_fallbacks` counts the calls judged by this replica's memory alone meanwhile.
absl::StatusOr<std::unique_ptr<auth::JwtVerifier>> MakeVerifier(const AppOptions& options,
                                                                store::FeedbackStore* store,
                                                                http::Logger* logger,
                                                                http::Counter* replay_fallbacks) {
  if (options.allow_unauthenticated) return std::unique_ptr<auth::JwtVerifier>();
  auth::JwtVerifierOptions verifier;
  verifier.issuers = options.jwt_issuers;
  if (!options.jwt_issuers_file.empty()) {
    ASSIGN_OR_RETURN(std::vector<auth::IssuerConfig> from_file,
                     LoadIssuers(options.jwt_issuers_file));
    for (auth::IssuerConfig& issuer : from_file) verifier.issuers.push_back(std::move(issuer));
  }
  if (verifier.issuers.empty()) {
    return absl::InvalidArgumentError(
        "no JWT issuers configured: pass --jwt_issuers_file, or --allow_unauthenticated for a "
        "local demo");
  }
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
  if (policy_path.empty()) return std::unique_ptr<risk::Engine>();  // the shared default
  absl::StatusOr<v1::Policy> policy = risk::LoadPolicyFromFile(policy_path);
  if (!policy.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--policy: ", policy.status().message()));
  }
  absl::StatusOr<std::unique_ptr<risk::Engine>> engine = risk::Engine::Create(*policy);
  if (!engine.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("--policy: ", engine.status().message()));
  }
  return engine;
}

// Keeps the status code, puts `prefix` in front of the message.
absl::Status Prefixed(const absl::Status& status, absl::string_view prefix) {
  return absl::Status(status.code(), absl::StrCat(prefix, status.message()));
}

}  // namespace

struct ServiceApp::Grpc {
  std::unique_ptr<GrpcMetrics> metrics;  // first: it outlives the server that records into it
  std::unique_ptr<ThromboGrpcService> service;
  std::unique_ptr<grpc::Server> server;
};

absl::StatusOr<std::unique_ptr<ServiceApp>> ServiceApp::Start(AppOptions options) {
  std::unique_ptr<ServiceApp> app(new ServiceApp());
  RETURN_IF_ERROR(app->Build(std::move(options)));
  return app;
}

absl::Status ServiceApp::Build(AppOptions options) {
  logger_ = std::make_unique<http::Logger>(options.log);

  ASSIGN_OR_RETURN(owned_engine_, MakeEngine(options.policy_path));
  engine_ = owned_engine_ != nullptr ? owned_engine_.get() : &risk::Engine::Default();

  if (!options.store_options.on_audit_error) {
    http::Logger* logger = logger_.get();
    options.store_options.on_audit_error = [logger](const absl::Status& status, size_t rows) {
      logger->Error("audit commit failed", {{"code", absl::StatusCodeToString(status.code())},
                                            {"rows", std::to_string(rows)}});
    };
  }
  absl::StatusOr<std::unique_ptr<store::FeedbackStore>> store =
      store::FeedbackStore::Open(options.db, std::move(options.store_options));
  // Not the --db value itself: a PostgreSQL connection string may hold a password.
  if (!store.ok()) return Prefixed(store.status(), "--db: ");
  store_ = *std::move(store);

  ASSIGN_OR_RETURN(
      http::Counter * replay_fallbacks,
      registry_.AddCounter("thrombo_replay_shared_unavailable_total",
                           "JWTs judged by this replica's memory alone because the shared jti "
                           "table was unreachable",
                           {}));
  ASSIGN_OR_RETURN(verifier_,
                   MakeVerifier(options, store_.get(), logger_.get(), replay_fallbacks));
  if (verifier_ == nullptr) {
    logger_->Warning("authentication is OFF (--allow_unauthenticated): for local demos only");
  }

  fetcher_ = std::make_unique<CurlFhirFetcher>(options.fetcher_options);
  std::function<absl::Time()> clock =
      options.clock ? std::move(options.clock) : std::function<absl::Time()>(absl::Now);
  hooks_ = std::make_unique<HookService>(*engine_, fetcher_.get(), std::move(clock),
                                         options.hook_options);

  if (!options.tls.cert_file.empty() || !options.tls.key_file.empty()) {
    absl::StatusOr<std::shared_ptr<http::TlsContext>> loaded = http::TlsContext::Load(options.tls);
    if (!loaded.ok()) {
      return Prefixed(loaded.status(), "--tls_cert_file/--tls_key_file: ");
    }
    tls_ = *std::move(loaded);
    options.http.tls = tls_;
  }

  ASSIGN_OR_RETURN(http::HttpMetrics metrics, http::HttpMetrics::Create(&registry_));
  http_metrics_ = std::make_unique<http::HttpMetrics>(std::move(metrics));
  // Made before either server starts, so that a failure leaves nothing running.
  std::unique_ptr<GrpcMetrics> grpc_metrics;
  if (options.grpc_port.has_value()) {
    ASSIGN_OR_RETURN(grpc_metrics, GrpcMetrics::Create(&registry_));
  }

  ASSIGN_OR_RETURN(hook_audit_, HookAudit::Create(store_.get(), &registry_, logger_.get()));
  HttpApiDeps deps;
  deps.hooks = hooks_.get();
  deps.store = store_.get();
  deps.audit = hook_audit_.get();
  deps.verifier = verifier_.get();
  deps.registry = &registry_;
  deps.logger = logger_.get();
  HttpApiOptions api_options;
  base_url_ = options.base_url.empty()
                  ? absl::StrCat(scheme(), "://localhost:", options.http.port)
                  : options.base_url;
  api_options.base_url = base_url_;
  ASSIGN_OR_RETURN(http::Router router, BuildHttpApi(deps, api_options));

  http::Observer caller_observer = std::move(options.http.observer);
  http::HttpMetrics* observed = http_metrics_.get();
  http::Logger* logger = logger_.get();
  options.http.observer = [observed, logger, caller_observer](const http::RequestInfo& info) {
    observed->Record(info);
    http::LogRequest(*logger, info);
    if (caller_observer) caller_observer(info);
  };
  absl::StatusOr<std::unique_ptr<http::Server>> server =
      http::Server::Start(options.http, std::move(router));
  if (!server.ok()) {
    return Prefixed(server.status(), absl::StrCat("--http_port ", options.http.port, ": "));
  }
  server_ = *std::move(server);

  if (options.grpc_port.has_value()) {
    grpc_ = std::make_unique<Grpc>();
    grpc_->service =
        std::make_unique<ThromboGrpcService>(*engine_, *hooks_, verifier_.get(), base_url_,
                                             hook_audit_.get());
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    int bound_port = 0;
    absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> credentials =
        GrpcServerCredentials(tls_ != nullptr ? &tls_->files() : nullptr);
    if (!credentials.ok()) {
      server_->Stop(absl::ZeroDuration());
      return Prefixed(credentials.status(), "gRPC TLS: ");
    }
    builder.AddListeningPort(absl::StrCat(options.http.address, ":", *options.grpc_port),
                             *credentials, &bound_port);
    builder.RegisterService(grpc_->service.get());
    grpc_->metrics = std::move(grpc_metrics);
    GrpcMetrics* grpc_observed = grpc_->metrics.get();
    InstallGrpcCallObserver(&builder, [grpc_observed, logger](const GrpcCallInfo& call) {
      grpc_observed->Record(call);
      LogGrpcCall(*logger, call);
    });
    grpc_->server = builder.BuildAndStart();
    if (grpc_->server == nullptr || bound_port == 0) {
      server_->Stop(absl::ZeroDuration());
      return absl::UnavailableError(
          absl::StrCat("--grpc_port ", *options.grpc_port, ": cannot listen"));
    }
    grpc_port_ = static_cast<uint16_t>(bound_port);
  }
  if (tls_ != nullptr && options.reload_tls_on_sighup) {
    http::Logger* reload_logger = logger_.get();
    tls_reload_ = std::make_unique<http::ReloadOnSighup>(
        tls_, [reload_logger](const absl::Status& status) {
          if (status.ok()) return reload_logger->Info("TLS certificate reloaded", {});
          reload_logger->Error("TLS certificate reload failed; the previous one stays in use",
                               {{"reason", std::string(status.message())}});
        });
  }
  return absl::OkStatus();
}

ServiceApp::~ServiceApp() { Stop(absl::ZeroDuration()); }

uint16_t ServiceApp::http_port() const { return server_ != nullptr ? server_->port() : 0; }

void ServiceApp::Stop(absl::Duration grace) {
  tls_reload_.reset();
  if (server_ != nullptr) server_->Stop(grace);
  if (grpc_ != nullptr && grpc_->server != nullptr) {
    grpc_->server->Shutdown(std::chrono::system_clock::now() +
                            absl::ToChronoMilliseconds(grace));
    grpc_->server.reset();
  }
  store_.reset();
}

}  // namespace thrombo::service
