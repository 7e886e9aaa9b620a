// Copyright 2026 The Thrombo Authors.
// JWS algorithms we can verify (RFC 7518 §3) and signature verification against a JWK.
#ifndef THROMBO_SERVICE_AUTH_JWS_SIGNATURE_H_
#define THROMBO_SERVICE_AUTH_JWS_SIGNATURE_H_

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/auth/jwk.h"

namespace thrombo::service::auth {

// Asymmetric algorithms only: cds-hooks §A10 forbids `none` and every HS*.
enum class JwsAlgorithm { kES256, kES384, kRS256, kRS384, kPS384 };

// The registered name ("ES384").
std::string_view AlgorithmName(JwsAlgorithm algorithm);

// Maps a header "alg" value to an algorithm. Errors (kInvalidArgument): "none" (unsecured
// JWS), HS256/384/512 (symmetric: a verifier holding only public keys must never use one as an
// HMAC secret), and any other name we do not implement. Case-sensitive, as RFC 7515 says.
// Thread-safe (pure function).
absl::StatusOr<JwsAlgorithm> ParseAlgorithm(std::string_view name);

// Verifies `signature` over `signing_input` with `jwk` under `algorithm`.
// First checks that the key fits the algorithm: kty EC with the matching curve (ES256: P-256,
// ES384: P-384) or kty RSA; and if the JWK names an "alg", that it is this one. ES* signatures
// are the raw big-endian r||s of RFC 7518 §3.4 (64 or 96 bytes), converted here to DER for
// OpenSSL; RSA signatures must be exactly the modulus size. PS384 uses MGF1-SHA384 and a
// 48-byte salt (RFC 7518 §3.5).
// Errors: kInvalidArgument when the key does not fit, the signature has the wrong length, or it
// does not verify; kInternal when OpenSSL fails for another reason. The OpenSSL error queue is
// left empty. Thread-safe (the key is only read).
absl::Status VerifyJwsSignature(JwsAlgorithm algorithm, const Jwk& jwk,
                                std::string_view signing_input, std::string_view signature);

}  // namespace thrombo::service::auth

#endif  // THROMBO_SERVICE_AUTH_JWS_SIGNATURE_H_
