// Copyright 2026 The Thrombo Authors.
// Fuzz target: the bearer-token reader (service/auth/jwk.h ParseJwks, service/auth/jwt_verifier.h
// JwtVerifier::Create and Verify) with a static JWKS. The first input byte picks the mode:
//   0 (mod 3): the rest is a JWK Set: ParseJwks, and JwtVerifier::Create with it as static keys.
//   1 (mod 3): the rest is an Authorization header value, verified as it is.
//   2 (mod 3): the rest is "<header JSON>\n<payload JSON>", signed here with the fixed ES384 key
//              below and verified, so the claim checks after the signature are reached too.
// A fresh verifier per input keeps runs independent (its replay cache remembers jti values).
// The private key is a fuzzing-only key made for this file; it protects nothing.
#include <openssl/bio.h>
#include <openssl/pem.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/auth/jwk.h"
#include "service/auth/jwks_fetcher.h"
#include "service/auth/jwt_verifier.h"
#include "service/auth/openssl_util.h"
#include "service/auth/test_keys.h"

namespace {

using thrombo::service::auth::JwsAlgorithm;
using thrombo::service::auth::JwtVerifier;
using thrombo::service::auth::JwtVerifierOptions;

constexpr char kIssuer[] = "https://ehr.example.org";
constexpr char kJwksUrl[] = "https://ehr.example.org/.well-known/jwks.json";
constexpr char kAudience[] = "https://cds.example.org/cds-services/thrombo-order-sign";
constexpr int64_t kNow = 1'700'000'000;

constexpr char kPrivateKeyPem[] = R"(-----BEGIN PRIVATE KEY-----
MIG2AgEAMBAGByqGSM49AgEGBSuBBAAiBIGeMIGbAgEBBDCBADVSSyezC2+aMlk5
HBqr4e5sHEktZiKD3AwiHmNQ4NUHjAZe1BW4pZZVWf9QDN6hZANiAAQV63OnRukr
+Oju+lSiB5ek0liIwYUuGLmgKjcbEDV5Q7lK7QjehxeR0PCWNXaP84avUC4mM6ra
QPNmJ/l8T9PyOSYhwWM+kNdGM70hu+mXnyHLuiwAG/sBU+Ugz7RSs8Q=
-----END PRIVATE KEY-----
)";

EVP_PKEY* Key() {
  static EVP_PKEY* const key = [] {
    BIO* bio = BIO_new_mem_buf(kPrivateKeyPem, -1);
    EVP_PKEY* parsed = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (parsed == nullptr) __builtin_trap();
    return parsed;
  }();
  return key;
}

// Serves the fixed key under a second kid at kJwksUrl; every other URL is unreachable.
class FixedFetcher final : public thrombo::service::auth::JwksFetcher {
 public:
  absl::StatusOr<std::string> Fetch(const std::string& url) const override {
    if (url != kJwksUrl) return absl::UnavailableError("unreachable");
    return thrombo::service::auth::testing::JwksOf(
        {thrombo::service::auth::testing::PublicJwk(Key(), "fuzz-fetched", "ES384")});
  }
};

JwtVerifierOptions Options(std::string static_jwks) {
  JwtVerifierOptions options;
  options.issuers = {{kIssuer, "", std::move(static_jwks), {kJwksUrl}}};
  options.fetcher = std::make_shared<FixedFetcher>();
  options.clock = [] { return absl::FromUnixSeconds(kNow); };
  return options;
}

const std::string& StaticJwks() {
  static const std::string* const jwks = new std::string(thrombo::service::auth::testing::JwksOf(
      {thrombo::service::auth::testing::PublicJwk(Key(), "fuzz-es384", "ES384")}));
  return *jwks;
}

void VerifyWithStaticKeys(std::string_view token) {
  auto verifier = JwtVerifier::Create(Options(StaticJwks()));
  if (!verifier.ok()) __builtin_trap();  // the fixed configuration is valid
  (void)(*verifier)->Verify(token, kAudience);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0: {
      (void)thrombo::service::auth::ParseJwks(rest);
      (void)JwtVerifier::Create(Options(std::string(rest)));
      break;
    }
    case 1:
      VerifyWithStaticKeys(rest);
      break;
    default: {
      const size_t newline = rest.find('\n');
      if (newline == std::string_view::npos) return 0;
      VerifyWithStaticKeys(thrombo::service::auth::testing::SignToken(
          Key(), JwsAlgorithm::kES384, rest.substr(0, newline), rest.substr(newline + 1)));
      break;
    }
  }
  return 0;
}
