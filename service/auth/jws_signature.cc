// Copyright 2026 The Thrombo Authors.
// JWS signature verification with OpenSSL 3.0 EVP_DigestVerify.
#include "service/auth/jws_signature.h"

#include <openssl/rsa.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/string_compat.h"
#include "service/auth/openssl_util.h"

namespace thrombo::service::auth {
namespace {

struct AlgorithmInfo {
  JwsAlgorithm algorithm;
  const char* name;
  const char* kty;
  const char* crv;  // EC only
  size_t ecdsa_coordinate_bytes;  // EC only: half the raw r||s length
  const EVP_MD* (*digest)();
};

constexpr AlgorithmInfo kAlgorithms[] = {
    {JwsAlgorithm::kES256, "ES256", "EC", "P-256", 32, EVP_sha256},
    {JwsAlgorithm::kES384, "ES384", "EC", "P-384", 48, EVP_sha384},
    {JwsAlgorithm::kRS256, "RS256", "RSA", "", 0, EVP_sha256},
    {JwsAlgorithm::kRS384, "RS384", "RSA", "", 0, EVP_sha384},
    {JwsAlgorithm::kPS384, "PS384", "RSA", "", 0, EVP_sha384},
};

const AlgorithmInfo& Info(JwsAlgorithm algorithm) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (info.algorithm == algorithm) return info;
  }
  return kAlgorithms[0];  // unreachable: the table covers the enum
}

absl::Status CheckKeyFits(const AlgorithmInfo& info, const Jwk& jwk) {
  if (jwk.key == nullptr) return absl::InternalError("JWK has no key");
  if (jwk.kty != info.kty) {
    return absl::InvalidArgumentError(absl::StrCat("key \"", jwk.kid, "\" has kty \"", jwk.kty,
                                                   "\", which cannot verify ", info.name));
  }
  if (jwk.kty == "EC" && jwk.crv != info.crv) {
    return absl::InvalidArgumentError(absl::StrCat("key \"", jwk.kid, "\" is on ", jwk.crv,
                                                   "; ", info.name, " needs ", info.crv));
  }
  // A JWK that pins its algorithm must not be used under another (RFC 7517 §4.4).
  if (!jwk.alg.empty() && jwk.alg != info.name) {
    return absl::InvalidArgumentError(absl::StrCat("key \"", jwk.kid, "\" is for ", jwk.alg,
                                                   ", not ", info.name));
  }
  return absl::OkStatus();
}

// RFC 7518 §3.4 transmits ECDSA as fixed-width r||s; OpenSSL verifies DER ECDSA-Sig-Value.
absl::StatusOr<std::string> RawEcdsaToDer(std::string_view raw, size_t coordinate_bytes) {
  if (raw.size() != 2 * coordinate_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "ECDSA signature is ", raw.size(), " bytes; expected ", 2 * coordinate_bytes));
  }
  const auto* data = reinterpret_cast<const unsigned char*>(raw.data());
  const int half = static_cast<int>(coordinate_bytes);
  BnPtr r(BN_bin2bn(data, half, nullptr));
  BnPtr s(BN_bin2bn(data + half, half, nullptr));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (r == nullptr || s == nullptr || sig == nullptr ||
      ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return absl::InternalError(absl::StrCat("OpenSSL ECDSA_SIG: ", DrainOpenSslErrors()));
  }
  r.release();  // now owned by sig
  s.release();
  const int length = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (length <= 0) {
    return absl::InternalError(absl::StrCat("OpenSSL i2d_ECDSA_SIG: ", DrainOpenSslErrors()));
  }
  std::string der(static_cast<size_t>(length), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_ECDSA_SIG(sig.get(), &out) != length) {
    return absl::InternalError(absl::StrCat("OpenSSL i2d_ECDSA_SIG: ", DrainOpenSslErrors()));
  }
  return der;
}

}  // namespace

std::string_view AlgorithmName(JwsAlgorithm algorithm) { return Info(algorithm).name; }

absl::StatusOr<JwsAlgorithm> ParseAlgorithm(std::string_view name) {
  for (const AlgorithmInfo& info : kAlgorithms) {
    if (name == info.name) return info.algorithm;
  }
  if (name == "none") {
    return absl::InvalidArgumentError("alg \"none\" (unsigned token) is not accepted");
  }
  if (name.size() > 2 && name.substr(0, 2) == "HS") {
    return absl::InvalidArgumentError("symmetric HS* algorithms are not accepted");
  }
  return absl::InvalidArgumentError("alg is not a supported signature algorithm");
}

absl::Status VerifyJwsSignature(JwsAlgorithm algorithm, const Jwk& jwk,
                                std::string_view signing_input, std::string_view signature) {
  const AlgorithmInfo& info = Info(algorithm);
  RETURN_IF_ERROR(CheckKeyFits(info, jwk));
  std::string der;
  std::string_view to_verify = signature;
  if (info.ecdsa_coordinate_bytes != 0) {
    ASSIGN_OR_RETURN(der, RawEcdsaToDer(signature, info.ecdsa_coordinate_bytes));
    to_verify = der;
  } else if (signature.size() != static_cast<size_t>(EVP_PKEY_get_size(jwk.key.get()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("RSA signature is ", signature.size(), " bytes; expected ",
                     EVP_PKEY_get_size(jwk.key.get())));
  }
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* key_ctx = nullptr;  // owned by ctx
  if (ctx == nullptr ||
      EVP_DigestVerifyInit(ctx.get(), &key_ctx, info.digest(), nullptr, jwk.key.get()) != 1) {
    return absl::InternalError(absl::StrCat("OpenSSL verify init: ", DrainOpenSslErrors()));
  }
  if (algorithm == JwsAlgorithm::kPS384 &&
      (EVP_PKEY_CTX_set_rsa_padding(key_ctx, RSA_PKCS1_PSS_PADDING) != 1 ||
       EVP_PKEY_CTX_set_rsa_pss_saltlen(key_ctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
       EVP_PKEY_CTX_set_rsa_mgf1_md(key_ctx, info.digest()) != 1)) {
    return absl::InternalError(absl::StrCat("OpenSSL PSS setup: ", DrainOpenSslErrors()));
  }
  const int result = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(to_verify.data()), to_verify.size(),
      reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
  // 0 is "does not verify"; a negative value or a malformed DER (from a zero r or s) also ends
  // here. Either way the token is not authentic, and the queue must not leak to the next call.
  ERR_clear_error();
  if (result != 1) return absl::InvalidArgumentError("signature does not verify");
  return absl::OkStatus();
}

}  // namespace thrombo::service::auth
