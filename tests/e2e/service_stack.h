// Copyright 2026 The Thrombo Authors.
// The full CDS Hooks HTTP stack on 127.0.0.1 for end-to-end tests, plus the helpers a test
// client needs: signed JWTs, request fixtures, and CDS Hooks / OperationOutcome checks.
#ifndef THROMBO_TESTS_E2E_SERVICE_STACK_H_
#define THROMBO_TESTS_E2E_SERVICE_STACK_H_

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rapidjson/document.h"
#include "risk/engine.h"
#include "service/app/service_app.h"
#include "service/auth/jwt_verifier.h"
#include "service/auth/openssl_util.h"
#include "service/cds/hook_service.h"
#include "service/fhir_client/curl_fhir_fetcher.h"
#include "service/http/log.h"
#include "service/http/metrics.h"
#include "service/http/server.h"
#include "service/store/feedback_store.h"
#include "tests/e2e/fake_fhir_server.h"
#include "tests/e2e/http_client.h"

namespace thrombo::e2e {

namespace auth = ::thrombo::service::auth;
namespace http = ::thrombo::service::http;
namespace store = ::thrombo::service::store;

// The evaluation clock of the hook service: the day the golden vignettes (and so the
// examples/ requests built from vignette 2) were scored.
absl::Time EvaluationTime();

// The issuer the stack trusts, and the public URL it believes it is served at (the JWT
// audience is this plus the path called).
inline constexpr char kIssuer[] = "https://ehr.e2e.test/cds-client";
inline constexpr char kKeyId[] = "e2e-es384";
inline constexpr char kBaseUrl[] = "https://cds.e2e.test";
inline constexpr char kAllowedOrigin[] = "https://ehr-app.e2e.test";
// The fhirAuthorization.access_token the fixtures send; it must reach the FHIR server.
inline constexpr char kFhirAccessToken[] = "e2e-fhir-access-token";

// The routes the tests call (service ids from service/cds/discovery.cc).
inline constexpr char kOrderSign[] = "/cds-services/thrombo-order-sign";
inline constexpr char kOrderSelect[] = "/cds-services/thrombo-order-select";
inline constexpr char kPatientView[] = "/cds-services/thrombo-patient-view";
inline constexpr char kFeedback[] = "/cds-services/thrombo-order-sign/feedback";

struct StackOptions {
  bool authenticate = true;  // false: JwtVerifier null (the operator's unauthenticated mode)
  size_t max_body_bytes = 256 * 1024;
  // For fault tests: e.g. max_size_bytes to emulate a full disk, a short busy_timeout.
  store::FeedbackStoreOptions store_options;
  bool grpc = false;  // also serve gRPC (plaintext), on an ephemeral port: grpc_port()
};

// What a test may change in a token; defaults make a valid ES384 token for the path.
struct TokenSpec {
  std::string alg = "ES384";
  std::string kid = kKeyId;
  std::string iss = kIssuer;
  std::string aud;  // empty: kBaseUrl + path
  std::string jti;  // empty: a fresh one
  absl::Duration expires_in = absl::Minutes(5);
  absl::Duration issued_ago = absl::ZeroDuration();
  bool sign_with_untrusted_key = false;  // same kid, a key the verifier does not know
  // For negative tests. Members are written as JSON text, unescaped, so tests can also make
  // them wrong on purpose.
  std::optional<absl::Duration> not_before_in;  // sets "nbf" = now + this
  std::string jku;                              // sets the header's "jku" when non-empty
  std::string aud_json;  // raw JSON for "aud" (e.g. an array); overrides `aud` when non-empty
  std::string extra_header_json;  // raw members appended to the header, e.g. "\"crit\":[]"
  std::string extra_claims_json;  // raw members appended to the claims
  // Header ("typ", "kid") or claim ("iss", "aud", "exp", "iat", "jti") names left out.
  std::vector<std::string> omit;
  // Sign with HMAC-SHA256 keyed by the PEM of the verifier's own trusted public key instead of
  // ES384 (the algorithm-confusion attack); set `alg` to the header value to claim.
  bool hmac_with_trusted_public_key = false;
};

// The shipped service (service/app: ServiceApp) on an ephemeral port, configured as a test
// deployment: the default engine at EvaluationTime(), fetch-on-miss over plain HTTP, feedback
// in a temp SQLite file, the test issuer's key (or no authentication), the log kept in memory;
// and a FakeFhirServer for fetch-on-miss. Start() fails with the first error.
class ServiceStack final {
 public:
  static absl::StatusOr<std::unique_ptr<ServiceStack>> Start(StackOptions options = {});
  ~ServiceStack();

  uint16_t port() const { return port_; }
  uint16_t grpc_port() const { return app_->grpc_port(); }  // 0 without StackOptions::grpc
  FakeFhirServer& fhir() { return *fhir_; }
  store::FeedbackStore* store() { return app_->store(); }
  const std::string& store_path() const { return store_path_; }
  http::MetricsRegistry& registry() { return app_->registry(); }

  // Stops the HTTP server, then closes the store (so its file can be reopened).
  void StopServer();

  // Every line the app logged. Only after StopServer(): until then its threads may still write.
  std::string Log() const { return log_sink_.str(); }

  // A compact JWS for a call to `path`.
  std::string Token(const std::string& path, const TokenSpec& spec = {}) const;

  // GET or POST with a fresh valid bearer token for the path (when `authorize`).
  ClientResponse Get(const std::string& path, bool authorize = true) const;
  ClientResponse PostJson(const std::string& path, const std::string& body,
                          bool authorize = true) const;
  // Sends `request` as is (no token added).
  ClientResponse Raw(const ClientRequest& request) const;

 private:
  ServiceStack() = default;

  StackOptions options_;
  std::unique_ptr<FakeFhirServer> fhir_;
  std::string store_path_;
  auth::EvpPkeyPtr key_;
  auth::EvpPkeyPtr untrusted_key_;
  std::ostringstream log_sink_;  // declared before app_: the app logs into it until destroyed
  std::unique_ptr<service::ServiceApp> app_;
  uint16_t port_ = 0;
};

// ---- JSON fixtures -------------------------------------------------------------------------

// The checkout's root, found through the README runfile (a symlink into the source tree):
// examples/ and tests/golden/ export no Bazel targets, so tests read them from there.
std::filesystem::path SourceRoot();
// The text of a source file by repository-relative path (e.g. "examples/patient-view.json");
// "" when it cannot be read.
std::string ReadSourceFile(const std::string& relative_path);
// Parses JSON text; a parse failure leaves a document whose HasParseError() is true.
rapidjson::Document ParseJson(const std::string& text);
std::string ToJson(const rapidjson::Value& value);

// One of examples/*.json (complete CDS Hooks requests from golden vignette 2), pointed at the
// fake FHIR server (fhirServer = `fhir_server`, with fhirAuthorization carrying
// kFhirAccessToken), so no request ever names a host other than 127.0.0.1.
rapidjson::Document LoadExample(const std::string& file, const std::string& fhir_server);

// Serves the example's prefetch values from `fhir`, so any key may be dropped from the request
// and fetched on miss instead.
void ServePrefetchFrom(const rapidjson::Document& example, FakeFhirServer* fhir);

// Prefetch edits on a request document.
void RemovePrefetch(rapidjson::Document* request, const std::string& key);
void SetPrefetchJson(rapidjson::Document* request, const std::string& key,
                     const std::string& json);  // "null" for a JSON null

// The FHIR resource type a discovery prefetch key searches or reads.
std::string ResourceTypeOfKey(const std::string& key);

// ---- response checks ----------------------------------------------------------------------

// Every way `body` breaks the CDS Hooks 2.0 response rules (CDS Hooks 2.0.1 "CDS Service Response"): cards array,
// summary < 140 chars, indicator, source.label, uuids, selectionBehavior when suggestions exist,
// override reasons with display, links typed absolute|smart, actions well formed, and every
// action resource parsing back through fhir::ParseResource. Empty when valid.
std::vector<std::string> CdsResponseProblems(const std::string& body);

// Every way `response` fails to be an error answer with an OperationOutcome: non-2xx, JSON
// body with resourceType OperationOutcome and issue[0].severity, code and diagnostics. When
// `expression` is non-empty, issue[0].expression must contain an entry containing it.
std::vector<std::string> OperationOutcomeProblems(const ClientResponse& response,
                                                  const std::string& expression = "");

}  // namespace thrombo::e2e

#endif  // THROMBO_TESTS_E2E_SERVICE_STACK_H_
