// Copyright 2026 The Thrombo Authors.
// CDS Hooks JWT verification: header, issuer and jku allowlists, key lookup with a JWKS
// cache, signature, time, audience and replay checks.
#include "service/auth/jwt_verifier.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/read_file.h"
#include "base/status_macros.h"
#include "rapidjson/document.h"
#include "base/string_compat.h"
#include "service/auth/json_object.h"

namespace thrombo::service::auth {
namespace {

constexpr size_t kMaxJtiBytes = 256;
constexpr char kHeader[] = "JWT header";
constexpr char kClaims[] = "JWT claims";

absl::Status Unauthenticated(absl::string_view why) {
  return absl::UnauthenticatedError(absl::StrCat("invalid bearer token: ", why));
}

template <typename T>
absl::StatusOr<T> AsUnauthenticated(absl::StatusOr<T> value) {
  if (value.ok()) return value;
  return Unauthenticated(value.status().message());
}

// For echoing a short attacker-chosen value (kid, iss) into a message: printable ASCII only
// and truncated, so it cannot forge log lines or bloat them.
std::string Printable(std::string_view value) {
  constexpr size_t kMax = 64;
  std::string out = "\"";
  for (const char c : value.substr(0, kMax)) {
    out.push_back(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
  }
  absl::StrAppend(&out, value.size() > kMax ? "...\"" : "\"");
  return out;
}

std::string FormatUtc(absl::Time time) {
  return absl::FormatTime(absl::RFC3339_sec, time, absl::UTCTimeZone());
}

absl::StatusOr<std::string> RequiredString(const rapidjson::Value& object, const char* name,
                                           const char* what) {
  ASSIGN_OR_RETURN(std::optional<std::string> value,
                   AsUnauthenticated(GetOptionalString(object, name, what)));
  if (!value.has_value() || value->empty()) {
    return Unauthenticated(absl::StrCat(what, " has no \"", name, "\""));
  }
  return *std::move(value);
}

absl::StatusOr<int64_t> RequiredDate(const rapidjson::Value& object, const char* name) {
  ASSIGN_OR_RETURN(std::optional<int64_t> value,
                   AsUnauthenticated(GetOptionalNumericDate(object, name, kClaims)));
  if (!value.has_value()) return Unauthenticated(absl::StrCat(kClaims, " has no \"", name, "\""));
  return *value;
}

struct Header {
  JwsAlgorithm alg;
  std::string kid;
  std::optional<std::string> jku;
};

absl::StatusOr<Header> ParseHeader(const std::string& json,
                                   const std::vector<JwsAlgorithm>& allowed) {
  rapidjson::Document doc;
  if (absl::Status s = ParseJsonObject(json, kHeader, &doc); !s.ok()) {
    return Unauthenticated(s.message());
  }
  // alg first: none, HS* and unlisted algorithms are refused before anything else is read.
  ASSIGN_OR_RETURN(const std::string alg_name, RequiredString(doc, "alg", kHeader));
  Header header;
  ASSIGN_OR_RETURN(header.alg, AsUnauthenticated(ParseAlgorithm(alg_name)));
  if (std::find(allowed.begin(), allowed.end(), header.alg) == allowed.end()) {
    return Unauthenticated(absl::StrCat("alg ", base::Absl(AlgorithmName(header.alg)),
                                        " is not allowed by this service"));
  }
  ASSIGN_OR_RETURN(const std::string typ, RequiredString(doc, "typ", kHeader));
  if (!absl::EqualsIgnoreCase(typ, "JWT")) return Unauthenticated("header typ is not JWT");
  ASSIGN_OR_RETURN(header.kid, RequiredString(doc, "kid", kHeader));
  ASSIGN_OR_RETURN(header.jku, AsUnauthenticated(GetOptionalString(doc, "jku", kHeader)));
  // RFC 7515 §4.1.11: a verifier that does not understand a listed extension must reject the
  // token; we implement none (e.g. b64=false would change what was signed).
  if (doc.HasMember("crit")) return Unauthenticated("header has \"crit\"; no extension is supported");
  return header;
}

struct Claims {
  std::string iss;
  std::vector<std::string> aud;
  int64_t exp = 0;
  int64_t iat = 0;
  std::optional<int64_t> nbf;
  std::string jti;
  std::optional<std::string> tenant;
};

absl::Status ParseAudience(const rapidjson::Value& object, Claims* claims) {
  const auto it = object.FindMember("aud");
  if (it == object.MemberEnd()) return Unauthenticated("JWT claims has no \"aud\"");
  if (it->value.IsString()) {
    claims->aud.emplace_back(it->value.GetString(), it->value.GetStringLength());
  } else if (it->value.IsArray()) {
    for (const auto& element : it->value.GetArray()) {
      if (!element.IsString()) return Unauthenticated("\"aud\" array has a non-string member");
      claims->aud.emplace_back(element.GetString(), element.GetStringLength());
    }
  } else {
    return Unauthenticated("\"aud\" is neither a string nor an array");
  }
  if (claims->aud.empty()) return Unauthenticated("\"aud\" is empty");
  return absl::OkStatus();
}

absl::StatusOr<Claims> ParseClaims(const std::string& json) {
  rapidjson::Document doc;
  if (absl::Status s = ParseJsonObject(json, kClaims, &doc); !s.ok()) {
    return Unauthenticated(s.message());
  }
  Claims claims;
  ASSIGN_OR_RETURN(claims.iss, RequiredString(doc, "iss", kClaims));
  RETURN_IF_ERROR(ParseAudience(doc, &claims));
  ASSIGN_OR_RETURN(claims.exp, RequiredDate(doc, "exp"));
  ASSIGN_OR_RETURN(claims.iat, RequiredDate(doc, "iat"));
  ASSIGN_OR_RETURN(claims.nbf, AsUnauthenticated(GetOptionalNumericDate(doc, "nbf", kClaims)));
  ASSIGN_OR_RETURN(claims.jti, RequiredString(doc, "jti", kClaims));
  if (claims.jti.size() > kMaxJtiBytes) return Unauthenticated("\"jti\" is too long");
  ASSIGN_OR_RETURN(claims.tenant, AsUnauthenticated(GetOptionalString(doc, "tenant", kClaims)));
  return claims;
}

absl::Status CheckTimes(const Claims& claims, absl::Time now,
                        const JwtVerifierOptions& options) {
  const absl::Duration skew = options.clock_skew;
  const absl::Time exp = absl::FromUnixSeconds(claims.exp);
  const absl::Time iat = absl::FromUnixSeconds(claims.iat);
  if (now >= exp + skew) return Unauthenticated(absl::StrCat("token expired at ", FormatUtc(exp)));
  if (claims.nbf.has_value() && now + skew < absl::FromUnixSeconds(*claims.nbf)) {
    return Unauthenticated("token is not valid yet (nbf is in the future)");
  }
  if (iat > now + skew) return Unauthenticated("token was issued in the future (iat)");
  if (options.max_token_age > absl::ZeroDuration() && now - iat > options.max_token_age + skew) {
    return Unauthenticated(absl::StrCat("token is too old (iat ", FormatUtc(iat), " is over ",
                                        absl::FormatDuration(options.max_token_age), " ago)"));
  }
  return absl::OkStatus();
}

std::string_view WithoutTrailingSlash(std::string_view url) {
  if (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return url;
}

absl::Status CheckAudience(const Claims& claims, std::string_view expected) {
  const std::string_view want = WithoutTrailingSlash(expected);
  for (const std::string& aud : claims.aud) {
    if (WithoutTrailingSlash(aud) == want) return absl::OkStatus();
  }
  return Unauthenticated(absl::StrCat("aud does not name this endpoint (", base::Absl(want), ")"));
}

absl::StatusOr<JwkSet> LoadStaticJwks(const IssuerConfig& config) {
  std::string json = config.jwks_json;
  if (!config.jwks_file.empty()) {
    if (absl::Status read = base::ReadFileInto(config.jwks_file, &json); !read.ok()) {
      return absl::Status(read.code(), absl::StrCat("JWKS file: ", read.message()));
    }
  }
  auto set = ParseJwks(json);
  if (!set.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "static JWKS for issuer ", config.issuer,
        config.jwks_file.empty() ? "" : absl::StrCat(" (", config.jwks_file, ")"), ": ",
        set.status().message()));
  }
  return set;
}

}  // namespace

JwtVerifier::JwtVerifier(JwtVerifierOptions options)
    : options_(std::move(options)), replay_cache_(options_.replay_cache_max_entries) {}

absl::StatusOr<std::unique_ptr<JwtVerifier>> JwtVerifier::Create(JwtVerifierOptions options) {
  if (options.issuers.empty()) return absl::InvalidArgumentError("no trusted issuers configured");
  if (options.allowed_algorithms.empty()) {
    return absl::InvalidArgumentError("no signature algorithms allowed");
  }
  if (!options.clock) return absl::InvalidArgumentError("clock is not set");
  std::unique_ptr<JwtVerifier> verifier(new JwtVerifier(std::move(options)));
  bool any_url = false;
  for (const IssuerConfig& config : verifier->options_.issuers) {
    if (config.issuer.empty()) return absl::InvalidArgumentError("an issuer has an empty iss");
    const bool has_static = !config.jwks_file.empty() || !config.jwks_json.empty();
    if (!config.jwks_file.empty() && !config.jwks_json.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("issuer ", config.issuer, " has both jwks_file and jwks_json"));
    }
    if (!has_static && config.jwks_urls.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("issuer ", config.issuer, " has no keys"));
    }
    Issuer issuer{config, std::nullopt};
    if (has_static) {
      ASSIGN_OR_RETURN(issuer.static_keys, LoadStaticJwks(config));
    }
    for (const std::string& url : config.jwks_urls) {
      if (url.empty()) {
        return absl::InvalidArgumentError(absl::StrCat("issuer ", config.issuer,
                                                       " has an empty JWKS URL"));
      }
    }
    any_url |= !config.jwks_urls.empty();
    if (!verifier->issuers_.emplace(config.issuer, std::move(issuer)).second) {
      return absl::InvalidArgumentError(absl::StrCat("issuer ", config.issuer, " is listed twice"));
    }
  }
  verifier->fetcher_ = verifier->options_.fetcher;
  if (any_url && verifier->fetcher_ == nullptr) {
    verifier->fetcher_ = std::make_shared<CurlJwksFetcher>();
  }
  return verifier;
}

bool JwtVerifier::ShouldFetch(const CachedJwks& cached, const std::string& kid,
                              absl::Time now) const {
  // The rate limit covers every reason to fetch, including retries after a failure.
  if (now - cached.last_attempt < options_.jwks_min_refresh_interval) return false;
  if (cached.keys == nullptr) return true;
  if (now - cached.fetched_at >= options_.jwks_cache_ttl) return true;
  return cached.keys->Find(kid) == nullptr;
}

absl::StatusOr<std::optional<Jwk>> JwtVerifier::FindKeyAtUrl(const std::string& url,
                                                             const std::string& kid,
                                                             absl::Time now) const {
  // Reads the cache; an error only when no key set was ever fetched from this URL.
  auto lookup = [&](const CachedJwks& cached) -> absl::StatusOr<std::optional<Jwk>> {
    if (cached.keys != nullptr) {
      if (const Jwk* jwk = cached.keys->Find(kid)) return *jwk;
      return std::nullopt;
    }
    if (!cached.last_error.ok()) return cached.last_error;
    return std::nullopt;
  };
  {
    absl::MutexLock lock(&mu_);
    const CachedJwks& cached = jwks_cache_[url];
    // While another thread's fetch is in flight, its outcome decides unless we already hold
    // the key; answering "unknown kid" from the old state would reject a valid token.
    const bool have_kid = cached.keys != nullptr && cached.keys->Find(kid) != nullptr;
    if (!ShouldFetch(cached, kid, now) && (!cached.fetching || have_kid)) return lookup(cached);
  }
  // Fetch without holding mu_, so verifications with cached keys never wait on the network.
  // Holding fetch_mu_ also means no other fetch is in flight past this point.
  absl::MutexLock fetch_lock(&fetch_mu_);
  {
    absl::MutexLock lock(&mu_);
    CachedJwks& cached = jwks_cache_[url];
    if (!ShouldFetch(cached, kid, now)) return lookup(cached);  // another thread just did it
    cached.last_attempt = now;
    cached.fetching = true;
  }
  auto body = fetcher_->Fetch(url);
  absl::StatusOr<JwkSet> set = body.ok() ? ParseJwks(*body) : body.status();
  absl::MutexLock lock(&mu_);
  CachedJwks& cached = jwks_cache_[url];
  cached.fetching = false;
  if (set.ok()) {
    cached.keys = std::make_shared<const JwkSet>(*std::move(set));
    cached.fetched_at = now;
    cached.last_error = absl::OkStatus();
  } else {
    // Keep serving the previous keys: an issuer outage should not lock out its clients.
    cached.last_error = set.status();
  }
  return lookup(cached);
}

absl::StatusOr<Jwk> JwtVerifier::FindKey(const Issuer& issuer,
                                         const std::optional<std::string>& jku,
                                         const std::string& kid, absl::Time now) const {
  if (issuer.static_keys.has_value()) {
    if (const Jwk* jwk = issuer.static_keys->Find(kid)) return *jwk;
  }
  const std::vector<std::string> urls =
      jku.has_value() ? std::vector<std::string>{*jku} : issuer.config.jwks_urls;
  absl::Status fetch_error;
  for (const std::string& url : urls) {
    auto found = FindKeyAtUrl(url, kid, now);
    if (!found.ok()) {
      fetch_error = found.status();
    } else if (found->has_value()) {
      return **std::move(found);
    }
  }
  if (!fetch_error.ok()) {
    return absl::UnavailableError(absl::StrCat("no key ", Printable(kid),
                                               " and the issuer's JWKS is unavailable: ",
                                               fetch_error.message()));
  }
  return Unauthenticated(absl::StrCat("no key with kid ", Printable(kid), " for this issuer"));
}

absl::StatusOr<VerifiedToken> JwtVerifier::Verify(
    std::string_view authorization_header_value_or_token,
    std::string_view expected_audience) const {
  if (expected_audience.empty()) return absl::InternalError("expected audience is empty");
  ASSIGN_OR_RETURN(const std::string_view token,
                   AsUnauthenticated(StripBearer(authorization_header_value_or_token)));
  ASSIGN_OR_RETURN(const CompactJws jws,
                   AsUnauthenticated(SplitCompactJws(token, options_.limits)));
  ASSIGN_OR_RETURN(const Header header, ParseHeader(jws.header_json, options_.allowed_algorithms));
  ASSIGN_OR_RETURN(const Claims claims, ParseClaims(jws.payload_json));

  const auto issuer = issuers_.find(claims.iss);
  if (issuer == issuers_.end()) {
    return absl::PermissionDeniedError(
        absl::StrCat("issuer ", Printable(claims.iss), " is not trusted by this service"));
  }
  const std::vector<std::string>& urls = issuer->second.config.jwks_urls;
  if (header.jku.has_value() && std::find(urls.begin(), urls.end(), *header.jku) == urls.end()) {
    return absl::PermissionDeniedError("jku is not an allowlisted JWKS URL for this issuer");
  }
  const absl::Time now = options_.clock();
  ASSIGN_OR_RETURN(const Jwk jwk, FindKey(issuer->second, header.jku, header.kid, now));
  if (absl::Status s = VerifyJwsSignature(header.alg, jwk, jws.signing_input, jws.signature);
      !s.ok()) {
    return absl::IsInternal(s) ? s : Unauthenticated(s.message());
  }
  RETURN_IF_ERROR(CheckTimes(claims, now, options_));
  RETURN_IF_ERROR(CheckAudience(claims, expected_audience));

  // Remember the jti only as long as the token could pass the checks above.
  absl::Time forget_after = absl::FromUnixSeconds(claims.exp) + options_.clock_skew;
  if (options_.max_token_age > absl::ZeroDuration()) {
    forget_after = std::min(forget_after, absl::FromUnixSeconds(claims.iat) +
                                              options_.max_token_age + options_.clock_skew);
  }
  if (absl::Status s = replay_cache_.Insert(claims.iss, claims.jti, forget_after, now); !s.ok()) {
    if (absl::IsAlreadyExists(s)) return Unauthenticated("jti was already used (replay)");
    return absl::UnavailableError(s.message());
  }
  if (options_.shared_replay) {
    const absl::Status shared = options_.shared_replay(claims.iss, claims.jti, forget_after, now);
    if (absl::IsAlreadyExists(shared)) {
      return Unauthenticated("jti was already used (replay, seen by another replica)");
    }
    // Fail open to this replica's memory, not closed: a hook that cannot be answered removes
    // the VTE advice from every order while the database is down, and a replay across replicas
    // in that window needs a captured, unexpired (at most max_token_age old), audience-bound
    // token and yields advice only. docs/replicas.md gives the full reasoning.
    if (!shared.ok() && options_.on_shared_replay_unavailable) {
      options_.on_shared_replay_unavailable(shared);
    }
  }
  return VerifiedToken{claims.iss, claims.jti, claims.tenant,
                       absl::FromUnixSeconds(claims.exp), absl::FromUnixSeconds(claims.iat),
                       header.kid, header.alg};
}

}  // namespace thrombo::service::auth
