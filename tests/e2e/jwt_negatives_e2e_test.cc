// Copyright 2026 The Thrombo Authors.
// JWT negatives over real sockets (issue 5 §3): one table of bad bearer credentials, each sent
// to the order-sign hook, to discovery and to feedback. Every one must be refused with 401 (or
// 403 for an issuer or jku the service does not trust) and an OperationOutcome, and must leave
// no trace of having got past authentication: the CDS counters, the audit trail and the
// feedback table are compared before and after each row. The table ends with accepted controls,
// which show that this "nothing changed" check can fail.
#include <atomic>
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "service/auth/base64url.h"
#include "tests/e2e/service_stack.h"

namespace thrombo::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kDiscovery[] = "/cds-services";

// ---- the endpoints a token is tried on ------------------------------------------------------

enum class Endpoint { kHook, kDiscovery, kFeedback };

const char* EndpointName(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::kHook:
      return "hook";
    case Endpoint::kDiscovery:
      return "discovery";
    case Endpoint::kFeedback:
      return "feedback";
  }
  return "?";
}

void PrintTo(Endpoint endpoint, std::ostream* out) { *out << EndpointName(endpoint); }

const char* PathOf(Endpoint endpoint) {
  switch (endpoint) {
    case Endpoint::kHook:
      return kOrderSign;
    case Endpoint::kDiscovery:
      return kDiscovery;
    case Endpoint::kFeedback:
      return kFeedback;
  }
  return "/";
}

// A feedback entry for a card of its own, so every accepted call stores a new row (the store
// skips repeats, which would hide an accepted call from the before/after comparison).
std::string FreshFeedbackBody() {
  static std::atomic<int> counter{0};
  return absl::StrCat(R"({"feedback":[{"card":"jwt-negatives-card-)", counter++,
                      R"(","outcome":"accepted","acceptedSuggestions":[{"id":"s-1"}],)",
                      R"("outcomeTimestamp":"2026-11-25T12:01:00Z"}]})");
}

// ---- token surgery ---------------------------------------------------------------------------

std::vector<std::string> Segments(const std::string& token) { return absl::StrSplit(token, '.'); }

std::string Decoded(const std::string& segment) {
  absl::StatusOr<std::string> decoded = service::auth::Base64UrlDecode(segment);
  return decoded.ok() ? *decoded : std::string();
}

std::string Encoded(const std::string& bytes) { return service::auth::Base64UrlEncode(bytes); }

std::string Bearer(const std::string& token) { return "Bearer " + token; }

// What a row gets to build its credentials with.
struct RowContext {
  ServiceStack* stack;
  std::string path;  // the endpoint's path, which the token's aud must name
  // Sends the endpoint's request with these Authorization values, for rows that need a first
  // use (replay). Its effects happen before the row's before/after comparison starts.
  std::function<ClientResponse(const std::vector<std::string>&)> send;

  std::string Token(const TokenSpec& spec = {}) const { return stack->Token(path, spec); }
};

// The Authorization header values to send (none, one, or several fields).
using Authorizations = std::vector<std::string>;

struct Row {
  const char* name;
  Authorizations (*build)(const RowContext&);
  int status;  // 401, 403; 431 for a header too large to read; 200 for the controls
  // Part of the OperationOutcome's diagnostics: proves the row was refused for its own reason,
  // not by an earlier check that a mistake in building it tripped.
  const char* why;
};

// gtest prints a failing case's parameters; the name is what identifies a row.
void PrintTo(const Row& row, std::ostream* out) { *out << row.name; }

// A valid token whose header says alg=none; the ES384 signature is still attached.
std::string AlgNoneToken(const RowContext& c) {
  TokenSpec spec;
  spec.alg = "none";
  return c.Token(spec);
}

std::string WithoutSignature(const std::string& token) { return token.substr(0, token.rfind('.')); }

TokenSpec WithExtraPadClaim(size_t bytes) {
  TokenSpec spec;
  spec.extra_claims_json = absl::StrCat(R"("pad":")", std::string(bytes, 'x'), R"(")");
  return spec;
}

// Rows are captureless lambdas so the table reads as data. Each builds fresh tokens, so no row
// is refused merely because another row already used its jti.
const Row kRows[] = {
    // -- algorithm: none and HS* are refused before any key is looked at (A10: SHALL NOT).
    {"alg_none_empty_signature",
     [](const RowContext& c) -> Authorizations {
       return {Bearer(WithoutSignature(AlgNoneToken(c)) + ".")};
     },
     401, "signature segment is empty"},
    {"alg_none_no_signature_part",
     [](const RowContext& c) -> Authorizations {
       return {Bearer(WithoutSignature(AlgNoneToken(c)))};
     },
     401, "2 segments"},
    {"alg_none_with_valid_signature_kept",
     [](const RowContext& c) -> Authorizations { return {Bearer(AlgNoneToken(c))}; }, 401,
     "alg \"none\""},
    {"hs256_keyed_with_trusted_public_key",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.alg = "HS256";
       spec.hmac_with_trusted_public_key = true;
       return {Bearer(c.Token(spec))};
     },
     401, "HS*"},
    {"alg_es256_not_configured",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.alg = "ES256";
       return {Bearer(c.Token(spec))};
     },
     401, "ES256 is not allowed"},
    {"alg_rs384_for_an_ec_key",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.alg = "RS384";
       return {Bearer(c.Token(spec))};
     },
     401, "cannot verify RS384"},

    // -- header: kid and typ are required, crit is not understood, jku must be allowlisted.
    {"kid_missing",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.omit = {"kid"};
       return {Bearer(c.Token(spec))};
     },
     401, "no \"kid\""},
    {"kid_unknown",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.kid = "e2e-rotated-away";
       return {Bearer(c.Token(spec))};
     },
     401, "no key with kid"},
    {"typ_missing",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.omit = {"typ"};
       return {Bearer(c.Token(spec))};
     },
     401, "no \"typ\""},
    {"typ_not_jwt",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.omit = {"typ"};
       spec.extra_header_json = R"("typ":"at+jwt")";
       return {Bearer(c.Token(spec))};
     },
     401, "typ is not JWT"},
    {"crit_header",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.extra_header_json = R"("crit":["exp"])";
       return {Bearer(c.Token(spec))};
     },
     401, "crit"},
    // The trusted issuer has static keys and no JWKS URL, so any jku is an attempt to make us
    // fetch keys from somewhere we were not told to trust (A10 step 2): forbidden, not retried.
    {"jku_not_allowlisted",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.jku = "https://attacker.e2e.test/.well-known/jwks.json";
       return {Bearer(c.Token(spec))};
     },
     403, "jku is not an allowlisted"},
    {"jku_on_issuer_host_not_allowlisted",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.jku = absl::StrCat(kIssuer, "/.well-known/jwks.json");
       return {Bearer(c.Token(spec))};
     },
     403, "jku is not an allowlisted"},

    // -- issuer: compared byte for byte against the allowlist.
    {"issuer_not_allowed",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.iss = "https://unknown-ehr.e2e.test";
       return {Bearer(c.Token(spec))};
     },
     403, "is not trusted"},
    {"issuer_with_trailing_slash",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.iss = absl::StrCat(kIssuer, "/");
       return {Bearer(c.Token(spec))};
     },
     403, "is not trusted"},
    {"iss_missing",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.omit = {"iss"};
       return {Bearer(c.Token(spec))};
     },
     401, "no \"iss\""},

    // -- signature: only the trusted key over exactly these bytes will do.
    {"untrusted_key_with_trusted_kid",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.sign_with_untrusted_key = true;
       return {Bearer(c.Token(spec))};
     },
     401, "signature does not verify"},
    // One byte of the claims changed (the jti's first character), so every claim is still
    // valid and only the signature can catch it.
    {"tampered_payload_one_byte",
     [](const RowContext& c) -> Authorizations {
       std::vector<std::string> parts = Segments(c.Token());
       std::string claims = Decoded(parts[1]);
       const size_t jti = claims.find(R"("jti":")");
       if (jti == std::string::npos) return {"test bug: no jti in " + claims};
       char& first = claims[jti + 7];
       first = first == 'e' ? 'f' : 'e';
       parts[1] = Encoded(claims);
       return {Bearer(absl::StrJoin(parts, "."))};
     },
     401, "signature does not verify"},
    // "JWT" -> "JWt": typ is compared ignoring case, so the header still passes its own checks.
    {"tampered_header_one_byte",
     [](const RowContext& c) -> Authorizations {
       std::vector<std::string> parts = Segments(c.Token());
       std::string header = Decoded(parts[0]);
       const size_t typ = header.find(R"("JWT")");
       if (typ == std::string::npos) return {"test bug: no typ in " + header};
       header[typ + 3] = 't';
       parts[0] = Encoded(header);
       return {Bearer(absl::StrJoin(parts, "."))};
     },
     401, "signature does not verify"},
    {"tampered_signature_one_bit",
     [](const RowContext& c) -> Authorizations {
       std::vector<std::string> parts = Segments(c.Token());
       std::string signature = Decoded(parts[2]);
       signature[10] = static_cast<char>(signature[10] ^ 0x01);
       parts[2] = Encoded(signature);
       return {Bearer(absl::StrJoin(parts, "."))};
     },
     401, "signature does not verify"},
    {"signature_truncated",
     [](const RowContext& c) -> Authorizations {
       std::vector<std::string> parts = Segments(c.Token());
       std::string signature = Decoded(parts[2]);
       signature.pop_back();
       parts[2] = Encoded(signature);
       return {Bearer(absl::StrJoin(parts, "."))};
     },
     401, "signature is 95 bytes"},
    // Both tokens are genuine; the signature of one does not vouch for the other's claims.
    {"signature_spliced_from_another_token",
     [](const RowContext& c) -> Authorizations {
       std::vector<std::string> parts = Segments(c.Token());
       parts[2] = Segments(c.Token())[2];
       return {Bearer(absl::StrJoin(parts, "."))};
     },
     401, "signature does not verify"},

    // -- time: the verifier allows 60 s of clock skew and tokens up to 5 minutes old.
    {"expired_beyond_skew",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.issued_ago = absl::Minutes(3);
       spec.expires_in = -absl::Seconds(90);
       return {Bearer(c.Token(spec))};
     },
     401, "expired"},
    {"not_yet_valid_nbf_in_future",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.not_before_in = absl::Minutes(10);
       spec.expires_in = absl::Minutes(15);
       return {Bearer(c.Token(spec))};
     },
     401, "nbf"},
    {"not_yet_valid_iat_in_future",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.issued_ago = -absl::Minutes(10);
       spec.expires_in = absl::Minutes(15);
       return {Bearer(c.Token(spec))};
     },
     401, "issued in the future"},
    // Unexpired, but minted long ago: an EHR mints one token per call, so this is a leaked one.
    {"issued_too_long_ago",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.issued_ago = absl::Minutes(20);
       spec.expires_in = absl::Minutes(5);
       return {Bearer(c.Token(spec))};
     },
     401, "too old"},
    {"exp_missing",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.omit = {"exp"};
       return {Bearer(c.Token(spec))};
     },
     401, "no \"exp\""},
    {"exp_not_a_number",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.omit = {"exp"};
       spec.extra_claims_json = R"("exp":"tomorrow")";
       return {Bearer(c.Token(spec))};
     },
     401, "not a NumericDate"},
    {"iat_missing",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.omit = {"iat"};
       return {Bearer(c.Token(spec))};
     },
     401, "no \"iat\""},
    {"jti_missing",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.omit = {"jti"};
       return {Bearer(c.Token(spec))};
     },
     401, "no \"jti\""},

    // -- audience: must name exactly the endpoint called (A10 step 6).
    {"aud_another_endpoint",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.aud = absl::StrCat(kBaseUrl, "/cds-services/thrombo-patient-view");
       return {Bearer(c.Token(spec))};
     },
     401, "aud does not name this endpoint"},
    {"aud_same_path_other_host",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.aud = absl::StrCat("https://evil.e2e.test", c.path);
       return {Bearer(c.Token(spec))};
     },
     401, "aud does not name this endpoint"},
    {"aud_array_without_ours",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.aud_json = absl::StrCat(R"([")", kBaseUrl, R"(/cds-services/thrombo-patient-view",)",
                                    R"("https://other-cds.e2e.test/cds-services"])");
       return {Bearer(c.Token(spec))};
     },
     401, "aud does not name this endpoint"},
    {"aud_empty_array",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.aud_json = "[]";
       return {Bearer(c.Token(spec))};
     },
     401, "\"aud\" is empty"},
    {"aud_missing",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.omit = {"aud"};
       return {Bearer(c.Token(spec))};
     },
     401, "no \"aud\""},
    // Ours first, a second "aud" after it: parsers differ on which one wins, so the token is
    // ambiguous and must be refused rather than read one way.
    {"duplicate_aud_claim",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.extra_claims_json = R"("aud":"https://evil.e2e.test/cds-services")";
       return {Bearer(c.Token(spec))};
     },
     401, "duplicate member"},

    // -- replay (A10 step 7).
    {"replayed_token",
     [](const RowContext& c) -> Authorizations {
       const std::string token = c.Token();
       const ClientResponse first = c.send({Bearer(token)});
       if (first.status != 200) return {"test bug: first use got " + std::to_string(first.status)};
       return {Bearer(token)};
     },
     401, "replay"},
    {"new_token_reusing_a_used_jti",
     [](const RowContext& c) -> Authorizations {
       TokenSpec spec;
       spec.jti = absl::StrCat("jwt-negatives-reused-", absl::ToUnixNanos(absl::Now()));
       const ClientResponse first = c.send({Bearer(c.Token(spec))});
       if (first.status != 200) return {"test bug: first use got " + std::to_string(first.status)};
       return {Bearer(c.Token(spec))};
     },
     401, "replay"},

    // -- encoding: strict unpadded base64url, exactly three non-empty segments.
    {"base64_standard_alphabet_plus",
     [](const RowContext& c) -> Authorizations {
       std::vector<std::string> parts = Segments(c.Token());
       parts[2][0] = '+';
       return {Bearer(absl::StrJoin(parts, "."))};
     },
     401, "signature segment: base64url: invalid character"},
    {"base64_standard_alphabet_slash",
     [](const RowContext& c) -> Authorizations {
       std::vector<std::string> parts = Segments(c.Token());
       parts[1][4] = '/';
       return {Bearer(absl::StrJoin(parts, "."))};
     },
     401, "payload segment: base64url: invalid character"},
    {"base64_invalid_character",
     [](const RowContext& c) -> Authorizations {
       std::vector<std::string> parts = Segments(c.Token());
       parts[0][3] = '*';
       return {Bearer(absl::StrJoin(parts, "."))};
     },
     401, "header segment: base64url: invalid character"},
    // As a standard base64 encoder would write it: each segment padded with '='.
    {"base64_padded_segments",
     [](const RowContext& c) -> Authorizations {
       std::vector<std::string> parts = Segments(c.Token());
       bool padded = false;
       for (std::string& part : parts) {
         while (part.size() % 4 != 0) {
           part.push_back('=');
           padded = true;
         }
       }
       if (!padded) return {"test bug: no segment needed padding"};
       return {Bearer(absl::StrJoin(parts, "."))};
     },
     401, "padding is not allowed"},
    {"two_segments",
     [](const RowContext& c) -> Authorizations { return {Bearer(WithoutSignature(c.Token()))}; },
     401, "2 segments"},
    {"four_segments",
     [](const RowContext& c) -> Authorizations {
       const std::string token = c.Token();
       return {Bearer(token + "." + Segments(token)[2])};
     },
     401, "4 segments"},
    {"five_segments_jwe_shape",
     [](const RowContext& c) -> Authorizations {
       const std::vector<std::string> parts = Segments(c.Token());
       return {Bearer(absl::StrJoin({parts[0], parts[1], parts[2], parts[1], parts[2]}, "."))};
     },
     401, "5 segments"},
    {"empty_header_segment",
     [](const RowContext& c) -> Authorizations {
       std::vector<std::string> parts = Segments(c.Token());
       parts[0].clear();
       return {Bearer(absl::StrJoin(parts, "."))};
     },
     401, "header segment is empty"},
    {"empty_payload_segment",
     [](const RowContext& c) -> Authorizations {
       std::vector<std::string> parts = Segments(c.Token());
       parts[1].clear();
       return {Bearer(absl::StrJoin(parts, "."))};
     },
     401, "payload segment is empty"},
    {"empty_signature_segment",
     [](const RowContext& c) -> Authorizations {
       return {Bearer(WithoutSignature(c.Token()) + ".")};
     },
     401, "signature segment is empty"},
    {"only_dots", [](const RowContext&) -> Authorizations { return {Bearer("..")}; }, 401,
     "segment is empty"},
    {"header_not_json",
     [](const RowContext& c) -> Authorizations {
       std::vector<std::string> parts = Segments(c.Token());
       parts[0] = Encoded("ES384 JWT e2e-es384");
       return {Bearer(absl::StrJoin(parts, "."))};
     },
     401, "header is not valid JSON"},
    {"claims_json_array",
     [](const RowContext& c) -> Authorizations {
       std::vector<std::string> parts = Segments(c.Token());
       parts[1] = Encoded(absl::StrCat("[", Decoded(parts[1]), "]"));
       return {Bearer(absl::StrJoin(parts, "."))};
     },
     401, "claims is not a JSON object"},

    // -- not a JWT at all.
    {"opaque_access_token",
     [](const RowContext&) -> Authorizations { return {Bearer("2YotnFZFEjr1zCsicMWpAA")}; }, 401,
     "1 segments"},
    {"plain_text", [](const RowContext&) -> Authorizations { return {Bearer("not a jwt at all")}; },
     401, "1 segments"},

    // -- the Authorization header itself.
    {"no_authorization_header", [](const RowContext&) -> Authorizations { return {}; }, 401,
     "missing Authorization"},
    {"empty_authorization_value", [](const RowContext&) -> Authorizations { return {""}; }, 401,
     "bearer token is empty"},
    {"bearer_without_token", [](const RowContext&) -> Authorizations { return {"Bearer"}; }, 401,
     "bearer token is empty"},
    {"bearer_and_spaces_only", [](const RowContext&) -> Authorizations { return {"Bearer    "}; },
     401, "bearer token is empty"},
    {"basic_scheme", [](const RowContext&) -> Authorizations { return {"Basic ZWhyOnBhc3N3b3Jk"}; },
     401, "scheme is not Bearer"},
    // A valid JWT under another scheme is still not a bearer credential.
    {"basic_scheme_with_valid_jwt",
     [](const RowContext& c) -> Authorizations { return {"Basic " + c.Token()}; }, 401,
     "scheme is not Bearer"},
    {"dpop_scheme_with_valid_jwt",
     [](const RowContext& c) -> Authorizations { return {"DPoP " + c.Token()}; }, 401,
     "scheme is not Bearer"},
    {"two_authorization_headers_junk_first",
     [](const RowContext& c) -> Authorizations {
       return {Bearer("not-a-jwt"), Bearer(c.Token())};
     },
     401, "more than one"},
    // Authorization is a singleton field (RFC 9110 §5.3): two of them are ambiguous, and a
    // proxy that authorizes one while we read the other is the classic confusion. Refuse.
    {"two_authorization_headers_valid_first",
     [](const RowContext& c) -> Authorizations {
       return {Bearer(c.Token()), Bearer("not-a-jwt")};
     },
     401, "more than one"},
    {"two_valid_authorization_headers",
     [](const RowContext& c) -> Authorizations {
       return {Bearer(c.Token()), Bearer(c.Token())};
     },
     401, "more than one"},

    // -- size. Over the verifier's 8 KiB token limit but within the server's 16 KiB header
    // limit: the verifier refuses it. About 63 KiB (the test client, Boost.Beast, will not
    // write a field value of 64 KiB or more): the server refuses the header before any handler.
    {"token_over_verifier_limit_12k",
     [](const RowContext& c) -> Authorizations {
       return {Bearer(c.Token(WithExtraPadClaim(9 * 1024)))};
     },
     401, "the limit is 8192"},
    {"token_63k",
     [](const RowContext& c) -> Authorizations {
       return {Bearer(c.Token(WithExtraPadClaim(46 * 1024)))};
     },
     431, "request header larger than"},

    // -- controls: accepted, so they must show up in the counters and the store.
    {"control_valid_token",
     [](const RowContext& c) -> Authorizations { return {Bearer(c.Token())}; }, 200, ""},
    // RFC 7235 §2.1: the auth-scheme is case-insensitive, so "bearer" must work too.
    {"control_lower_case_scheme",
     [](const RowContext& c) -> Authorizations { return {"bearer " + c.Token()}; }, 200, ""},
};

// issue[0].diagnostics of an OperationOutcome, unescaped; "" when there is none.
std::string Diagnostics(const std::string& body) {
  const rapidjson::Document doc = ParseJson(body);
  if (!doc.IsObject() || !doc.HasMember("issue") || !doc["issue"].IsArray() ||
      doc["issue"].Empty() || !doc["issue"][0].IsObject() ||
      !doc["issue"][0].HasMember("diagnostics") || !doc["issue"][0]["diagnostics"].IsString()) {
    return "";
  }
  return doc["issue"][0]["diagnostics"].GetString();
}

// ---- what would show that a request got past authentication ---------------------------------

std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

// Sum of a counter's series in the Prometheus text (all label values together).
double CounterTotal(const std::string& metrics_text, const std::string& name) {
  double total = 0;
  for (const std::string& line : Lines(metrics_text)) {
    if (!absl::StartsWith(line, name + "{") && !absl::StartsWith(line, name + " ")) continue;
    total += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return total;
}

struct Traces {
  double recommendations = 0;  // thrombo_recommendations_total: the engine advised
  double prefetch = 0;         // thrombo_prefetch_total: prefetch was looked at
  double parse_errors = 0;     // thrombo_parse_errors_total: the body was parsed
  size_t audit_rows = 0;       // one per hook call that reached the hook service
  size_t feedback_rows = 0;    // feedback stored

  bool operator==(const Traces& o) const {
    return recommendations == o.recommendations && prefetch == o.prefetch &&
           parse_errors == o.parse_errors && audit_rows == o.audit_rows &&
           feedback_rows == o.feedback_rows;
  }
};

std::ostream& operator<<(std::ostream& out, const Traces& t) {
  return out << "{recommendations " << t.recommendations << ", prefetch " << t.prefetch
             << ", parse_errors " << t.parse_errors << ", audit_rows " << t.audit_rows
             << ", feedback_rows " << t.feedback_rows << "}";
}

Traces ReadTraces(ServiceStack& stack) {
  Traces traces;
  const std::string metrics = stack.registry().RenderText();
  traces.recommendations = CounterTotal(metrics, "thrombo_recommendations_total");
  traces.prefetch = CounterTotal(metrics, "thrombo_prefetch_total");
  traces.parse_errors = CounterTotal(metrics, "thrombo_parse_errors_total");
  // Audit rows are written by a background thread: wait for everything queued so far.
  EXPECT_TRUE(stack.store()->FlushAudit().ok());
  std::ostringstream audit;
  EXPECT_TRUE(stack.store()->ExportAuditJsonLines(audit).ok());
  traces.audit_rows = Lines(audit.str()).size();
  std::ostringstream feedback;
  EXPECT_TRUE(stack.store()->ExportFeedbackJsonLines(feedback).ok());
  traces.feedback_rows = Lines(feedback.str()).size();
  return traces;
}

// ---- the suite -------------------------------------------------------------------------------

class JwtNegativesE2eTest : public ::testing::TestWithParam<std::tuple<Row, Endpoint>> {
 protected:
  // One stack for the whole table, so the traces are compared across every row on one server.
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<ServiceStack>> stack = ServiceStack::Start();
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = stack->release();
    hook_body_ = new std::string(
        ToJson(LoadExample("order-sign-thalidomide.json", stack_->fhir().base_url())));
    suite_start_ = new Traces(ReadTraces(*stack_));
  }

  static void TearDownTestSuite() {
    // Across the whole table, the only traces are those of the calls meant to be accepted (the
    // controls and the first use of the replay rows): every other row left none, including
    // anything a per-row comparison could have missed by landing late.
    if (stack_ != nullptr && suite_start_ != nullptr) {
      const Traces end = ReadTraces(*stack_);
      Traces expected = *suite_start_;
      expected.recommendations += accepted_hook_calls_;
      expected.audit_rows += accepted_hook_calls_;
      expected.feedback_rows += accepted_feedback_calls_;
      expected.prefetch = end.prefetch;  // counted per prefetch key of the accepted calls
      EXPECT_EQ(end, expected) << "at the start of the table: " << *suite_start_;
      if (accepted_hook_calls_ > 0) {
        EXPECT_GT(end.prefetch, suite_start_->prefetch);
      }
    }
    delete stack_;
    stack_ = nullptr;
    delete hook_body_;
    delete suite_start_;
  }

  void SetUp() override { ASSERT_NE(stack_, nullptr) << "the service stack did not start"; }

  static ClientResponse Send(Endpoint endpoint, const Authorizations& authorizations) {
    ClientRequest request;
    request.target = PathOf(endpoint);
    if (endpoint == Endpoint::kDiscovery) {
      request.method = "GET";
    } else {
      request.method = "POST";
      request.headers.push_back({"Content-Type", "application/json"});
      request.body = endpoint == Endpoint::kHook ? *hook_body_ : FreshFeedbackBody();
    }
    for (const std::string& value : authorizations) {
      request.headers.push_back({"Authorization", value});
    }
    return stack_->Raw(request);
  }

  // Counts a call that was meant to be accepted (a control, or a replay row's first use), for
  // the table-wide comparison in TearDownTestSuite.
  static void CountAccepted(Endpoint endpoint, const ClientResponse& response) {
    if (response.status != 200) return;
    if (endpoint == Endpoint::kHook) ++accepted_hook_calls_;
    if (endpoint == Endpoint::kFeedback) ++accepted_feedback_calls_;
  }

  static ServiceStack* stack_;
  static std::string* hook_body_;
  static Traces* suite_start_;
  static int accepted_hook_calls_;
  static int accepted_feedback_calls_;
};

ServiceStack* JwtNegativesE2eTest::stack_ = nullptr;
std::string* JwtNegativesE2eTest::hook_body_ = nullptr;
Traces* JwtNegativesE2eTest::suite_start_ = nullptr;
int JwtNegativesE2eTest::accepted_hook_calls_ = 0;
int JwtNegativesE2eTest::accepted_feedback_calls_ = 0;

TEST_P(JwtNegativesE2eTest, RefusedWithOperationOutcomeAndNeverReachesTheEngine) {
  const auto& [row, endpoint] = GetParam();
  const RowContext context{stack_, PathOf(endpoint),
                           [endpoint = endpoint](const Authorizations& a) {
                             ClientResponse first_use = Send(endpoint, a);
                             CountAccepted(endpoint, first_use);
                             return first_use;
                           }};
  const Authorizations authorizations = row.build(context);
  for (const std::string& value : authorizations) {
    ASSERT_THAT(value, Not(StartsWith("test bug"))) << value;
  }

  const Traces before = ReadTraces(*stack_);
  const ClientResponse response = Send(endpoint, authorizations);
  const Traces after = ReadTraces(*stack_);
  if (row.status == 200) CountAccepted(endpoint, response);

  EXPECT_EQ(response.status, row.status) << response.error << " " << response.body.substr(0, 300);
  if (row.status == 200) {
    // A control: the same comparison must see an accepted call.
    Traces expected = before;
    if (endpoint == Endpoint::kHook) {
      expected.recommendations += 1;
      expected.audit_rows += 1;
      expected.prefetch = after.prefetch;  // one per prefetch key; the count is not the point
    }
    if (endpoint == Endpoint::kFeedback) expected.feedback_rows += 1;
    EXPECT_EQ(after, expected) << "before: " << before;
    return;
  }

  EXPECT_THAT(OperationOutcomeProblems(response), IsEmpty()) << response.body.substr(0, 300);
  EXPECT_THAT(Diagnostics(response.body), HasSubstr(row.why)) << response.body.substr(0, 300);
  EXPECT_THAT(response.body, Not(HasSubstr("\"cards\"")));
  // RFC 6750 §3: every 401 carries a WWW-Authenticate challenge naming the Bearer scheme.
  if (row.status == 401) {
    EXPECT_THAT(response.Header("www-authenticate"), StartsWith("Bearer"));
  }
  // An authentication error is not about a FHIR element: no expression (a JWT error's
  // " at <time>" or " at offset 4" once leaked into one).
  EXPECT_THAT(response.body, Not(HasSubstr("\"expression\"")));
  // Nothing behind authentication ran: no advice, no prefetch, no body parsed, no audit row,
  // no feedback stored.
  EXPECT_EQ(after, before);
}

std::vector<std::tuple<Row, Endpoint>> AllCases() {
  std::vector<std::tuple<Row, Endpoint>> cases;
  for (const Row& row : kRows) {
    for (Endpoint endpoint : {Endpoint::kHook, Endpoint::kDiscovery, Endpoint::kFeedback}) {
      cases.emplace_back(row, endpoint);
    }
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Table, JwtNegativesE2eTest, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<std::tuple<Row, Endpoint>>& info) {
                           return absl::StrCat(std::get<0>(info.param).name, "_on_",
                                               EndpointName(std::get<1>(info.param)));
                         });

}  // namespace
}  // namespace thrombo::e2e
