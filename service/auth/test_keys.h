// Copyright 2026 The Thrombo Authors.
// Test-only: fresh OpenSSL keys, their public JWKs, and JWS signing, so tests need no fixtures.
#ifndef THROMBO_SERVICE_AUTH_TEST_KEYS_H_
#define THROMBO_SERVICE_AUTH_TEST_KEYS_H_

#include <string>
#include <string_view>
#include <vector>

#include "service/auth/jws_signature.h"
#include "service/auth/openssl_util.h"

namespace thrombo::service::auth::testing {

// New key pairs. `curve` is "P-256" or "P-384". Abort on OpenSSL failure (tests only).
EvpPkeyPtr GenerateEcKey(const char* curve);
EvpPkeyPtr GenerateRsaKey(int bits);

// The public JWK of `key` as a JSON object; `alg` is omitted when empty.
std::string PublicJwk(EVP_PKEY* key, std::string_view kid, std::string_view alg);
// {"keys":[<jwks joined>]}.
std::string JwksOf(const std::vector<std::string>& jwks);

// Signs header.payload with `key` under `algorithm` (ES* as raw r||s) and returns the token.
std::string SignToken(EVP_PKEY* key, JwsAlgorithm algorithm, std::string_view header_json,
                      std::string_view payload_json);

// base64url(header).base64url(payload) with HMAC-SHA256 over it keyed by `secret`: the
// "use the public key as an HMAC secret" attack.
std::string HmacToken(std::string_view secret, std::string_view header_json,
                      std::string_view payload_json);

// The SubjectPublicKeyInfo PEM of `key`, the usual secret in that attack.
std::string PublicKeyPem(EVP_PKEY* key);

}  // namespace thrombo::service::auth::testing

#endif  // THROMBO_SERVICE_AUTH_TEST_KEYS_H_
