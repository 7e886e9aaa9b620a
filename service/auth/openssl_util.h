// Copyright 2026 The Thrombo Authors.
// unique_ptr owners for the OpenSSL 3.0 objects this package uses, and error-queue draining.
#ifndef THROMBO_SERVICE_AUTH_OPENSSL_UTIL_H_
#define THROMBO_SERVICE_AUTH_OPENSSL_UTIL_H_

#include <memory>
#include <string>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

namespace thrombo::service::auth {

struct BnFree { void operator()(BIGNUM* p) const { BN_free(p); } };
struct EcdsaSigFree { void operator()(ECDSA_SIG* p) const { ECDSA_SIG_free(p); } };
struct EvpPkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct EvpPkeyCtxFree { void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); } };
struct EvpMdCtxFree { void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); } };
struct ParamBldFree { void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); } };
struct ParamFree { void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); } };

using BnPtr = std::unique_ptr<BIGNUM, BnFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, EvpPkeyCtxFree>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, EvpMdCtxFree>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, ParamFree>;

// Empties this thread's OpenSSL error queue and returns the first reason as text (or
// "unknown"). Failed verifications leave entries behind; left there they would surface as
// spurious errors in unrelated OpenSSL calls later on the same thread (e.g. in libcurl's TLS).
inline std::string DrainOpenSslErrors() {
  const unsigned long first = ERR_get_error();
  ERR_clear_error();
  if (first == 0) return "unknown";
  const char* reason = ERR_reason_error_string(first);
  return reason != nullptr ? reason : "unknown";
}

}  // namespace thrombo::service::auth

#endif  // THROMBO_SERVICE_AUTH_OPENSSL_UTIL_H_
