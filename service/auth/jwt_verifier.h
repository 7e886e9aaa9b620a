// Copyright 2026 The Thrombo Authors.
// Verifies CDS Hooks bearer JWTs (CDS Hooks 2.0.1 "Security and Safety"): algorithm, issuer, key, signature, time,
// audience and replay.
#ifndef THROMBO_SERVICE_AUTH_JWT_VERIFIER_H_
#define THROMBO_SERVICE_AUTH_JWT_VERIFIER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "service/auth/jwk.h"
#include "service/auth/jwks_fetcher.h"
#include "service/auth/jws.h"
#include "service/auth/jws_signature.h"
#include "service/auth/replay_cache.h"

namespace thrombo::service::auth {

// One trusted CDS client. At least one key source is required.
struct IssuerConfig {
  std::string issuer;  // the exact "iss" value, compared byte for byte
  // Static keys, exchanged out of band: a JWKS file read once by JwtVerifier::Create, and/or
  // the JWKS JSON itself (handy for tests and embedded configuration).
  std::string jwks_file;
  std::string jwks_json;
  // Allowlisted JWKS URLs. A token's "jku" header must be one of these exactly, or the token is
  // refused (403); no other URL is ever fetched. Static keys are looked at first; then the
  // "jku" URL, or without one, each of these in order.
  std::vector<std::string> jwks_urls;
};

struct JwtVerifierOptions {
  // Header "alg" values to accept. cds-hooks recommends ES384 and RS384.
  std::vector<JwsAlgorithm> allowed_algorithms = {JwsAlgorithm::kES384, JwsAlgorithm::kRS384};
  std::vector<IssuerConfig> issuers;
  // Fetches jwks_urls. Null means a CurlJwksFetcher with default options (https only).
  std::shared_ptr<const JwksFetcher> fetcher;
  // Injectable for tests.
  std::function<absl::Time()> clock = [] { return absl::Now(); };
  // Tolerance for clock differences, applied to exp, nbf, iat.
  absl::Duration clock_skew = absl::Seconds(60);
  // Reject tokens whose iat is older than this (plus skew); zero or negative disables the
  // check. CDS clients mint a token per call (the sandbox uses exp = iat + 300 s), so five
  // minutes is generous and keeps the replay window short.
  absl::Duration max_token_age = absl::Minutes(5);
  // A fetched JWKS is reused for this long; then refreshed on the next use.
  absl::Duration jwks_cache_ttl = absl::Hours(1);
  // A token naming an unknown kid (e.g. after key rotation) triggers a refetch of a JWKS URL,
  // but at most once per this interval per URL, so junk kids cannot make us hammer the issuer.
  absl::Duration jwks_min_refresh_interval = absl::Seconds(60);
  // Hard bound on remembered jti values across issuers; see ReplayCache.
  size_t replay_cache_max_entries = 100000;
  // Replay protection shared by every replica (FeedbackStore::RecordTokenUse on PostgreSQL):
  // records (iss, jti) until forget_after; OK for a first use, AlreadyExists for a replay, any
  // other error when the shared state cannot be reached. Null: the in-memory cache alone (one
  // process). The in-memory cache is always consulted first, so a replay to the same replica
  // costs no database round trip, and it is what still protects while the database is down.
  std::function<absl::Status(std::string_view iss, std::string_view jti,
                             absl::Time forget_after, absl::Time now)>
      shared_replay;
  // Called (on the request's thread) when shared_replay failed with something other than
  // AlreadyExists and the token was judged by this replica's memory alone; for a metric and a
  // log line. See docs/replicas.md, "Replay protection while the database is down".
  std::function<void(const absl::Status& status)> on_shared_replay_unavailable;
  JwsLimits limits;
};

// What a verified token says. Everything here has been checked.
struct VerifiedToken {
  std::string iss;
  std::string jti;
  std::optional<std::string> tenant;
  absl::Time exp;
  absl::Time iat;
  std::string kid;
  JwsAlgorithm alg = JwsAlgorithm::kES384;
};

// Thread-safe: Verify may be called concurrently; the JWKS cache and the replay cache are
// guarded by mutexes, and JWKS fetches happen outside the cache lock.
class JwtVerifier final {
 public:
  // Loads static JWKS files and checks the configuration.
  // Errors: kInvalidArgument for a bad configuration (no issuers, duplicate issuer, an issuer
  // with no key source, no algorithms) or a bad static JWKS (including one holding private
  // keys); kNotFound when a jwks_file cannot be read.
  static absl::StatusOr<std::unique_ptr<JwtVerifier>> Create(JwtVerifierOptions options);

  // Verifies "Bearer <jwt>" (or a bare <jwt>) for a request to `expected_audience`, the
  // absolute URL of the called endpoint as the client sees it, e.g.
  // https://cds.example.org/cds-services/thrombo-order-sign (a trailing slash on either side
  // is ignored). On success the jti is recorded, so the same token fails the next time.
  // Checks, in order: token shape and size; header (alg allowed, which excludes none and HS*,
  // before any key lookup; typ JWT; kid present; no crit); issuer allowlisted; jku allowlisted
  // for it; key by kid (fitting alg); signature; exp, nbf, iat (with skew, max age); aud; jti
  // unused.
  // Errors:
  //  - kUnauthenticated (HTTP 401): malformed, unsigned, badly signed, expired, not yet valid,
  //    wrong audience, replayed, missing claims, unknown kid.
  //  - kPermissionDenied (HTTP 403): a well-formed token whose iss is not allowlisted, or whose
  //    jku is not allowlisted for its issuer.
  //  - kUnavailable (HTTP 503): the key could not be found because its JWKS could not be
  //    fetched, or the replay cache is full.
  //  - kInternal: `expected_audience` is empty (a caller bug).
  // Messages say what was wrong; they never contain the token.
  absl::StatusOr<VerifiedToken> Verify(std::string_view authorization_header_value_or_token,
                                       std::string_view expected_audience) const;

 private:
  struct Issuer {
    IssuerConfig config;
    std::optional<JwkSet> static_keys;
  };
  struct CachedJwks {
    std::shared_ptr<const JwkSet> keys;
    absl::Time fetched_at = absl::InfinitePast();
    absl::Time last_attempt = absl::InfinitePast();
    absl::Status last_error;
    bool fetching = false;  // a fetch for this URL is in flight (under fetch_mu_)
  };

  explicit JwtVerifier(JwtVerifierOptions options);

  absl::StatusOr<Jwk> FindKey(const Issuer& issuer, const std::optional<std::string>& jku,
                              const std::string& kid, absl::Time now) const;
  absl::StatusOr<std::optional<Jwk>> FindKeyAtUrl(const std::string& url,
                                                  const std::string& kid,
                                                  absl::Time now) const;
  bool ShouldFetch(const CachedJwks& cached, const std::string& kid, absl::Time now) const;

  JwtVerifierOptions options_;
  absl::flat_hash_map<std::string, Issuer> issuers_;  // by iss; immutable after Create
  std::shared_ptr<const JwksFetcher> fetcher_;
  mutable absl::Mutex mu_;
  mutable absl::flat_hash_map<std::string, CachedJwks> jwks_cache_ ABSL_GUARDED_BY(mu_);
  // Serialises fetches, so a burst of tokens with a new kid costs one request, not one each.
  mutable absl::Mutex fetch_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  mutable ReplayCache replay_cache_;
};

}  // namespace thrombo::service::auth

#endif  // THROMBO_SERVICE_AUTH_JWT_VERIFIER_H_
