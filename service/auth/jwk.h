// Copyright 2026 The Thrombo Authors.
// JWK / JWK Set (RFC 7517, 7518 §6) parsing into OpenSSL public keys for JWS verification.
#ifndef THROMBO_SERVICE_AUTH_JWK_H_
#define THROMBO_SERVICE_AUTH_JWK_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/evp.h>

#include "absl/status/statusor.h"

namespace thrombo::service::auth {

// One public signature key. `key` is immutable after parsing and shared, so it may be used
// from many threads at once (OpenSSL 3 allows concurrent use of an unmodified EVP_PKEY).
struct Jwk {
  std::string kid;
  std::string kty;  // "EC" or "RSA"
  std::string crv;  // "P-256" or "P-384" for EC; empty for RSA
  std::string alg;  // optional; when set, a token's header alg must equal it
  std::string use;  // optional; only "sig" (or absent) keys are kept
  int bits = 0;     // key size: 256/384 for EC, modulus bits for RSA
  std::shared_ptr<EVP_PKEY> key;
};

// The usable keys of a JWK Set, plus why others were left out (for operators' logs).
struct JwkSet {
  std::vector<Jwk> keys;
  std::vector<std::string> skipped;  // e.g. "key #2: kty \"OKP\" is not supported"

  // The key with this kid, or nullptr.
  const Jwk* Find(std::string_view kid) const;
};

// Limits for a JWK Set document (static files and fetched ones alike).
inline constexpr size_t kMaxJwksBytes = 64 * 1024;
inline constexpr size_t kMaxJwksKeys = 64;
inline constexpr int kMinRsaBits = 2048;
inline constexpr int kMaxRsaBits = 8192;  // verification cost grows with the modulus

// Parses a JWK Set `{"keys":[...]}`.
//  - EC keys need crv P-256 or P-384 and full-length x and y naming a point on the curve;
//    RSA keys need n of kMinRsaBits..kMaxRsaBits bits and an odd e >= 65537 (OpenSSL's
//    SP 800-56B public-key check, run on every key).
//  - Kept: keys with a kid, use absent or "sig", key_ops absent or containing "verify".
//    Others (unsupported kty/crv, "enc" keys, no kid) are listed in `skipped`, not errors, so
//    an issuer may publish keys we cannot use beside ones we can.
// Errors (kInvalidArgument, naming the key by index and kid):
//  - any private-key member (d, p, q, dp, dq, qi, oth, k) or kty "oct": the JWKS would leak a
//    secret, which is a misconfiguration to stop on, not to paper over;
//  - malformed JSON, a duplicate kid, a malformed supported key, more than kMaxJwksKeys keys,
//    over kMaxJwksBytes, or no usable key at all.
// Thread-safe (pure function).
absl::StatusOr<JwkSet> ParseJwks(std::string_view json);

}  // namespace thrombo::service::auth

#endif  // THROMBO_SERVICE_AUTH_JWK_H_
