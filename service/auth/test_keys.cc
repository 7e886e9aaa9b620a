// Copyright 2026 The Thrombo Authors.
// Test-only key generation, JWK export and JWS signing with OpenSSL 3.0.
#include "service/auth/test_keys.h"

#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/string_compat.h"
#include "service/auth/base64url.h"

namespace thrombo::service::auth::testing {
namespace {

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "test_keys: %s failed: %s\n", what, DrainOpenSslErrors().c_str());
  std::abort();
}

std::string BnParam(EVP_PKEY* key, const char* name, int pad_to) {
  BIGNUM* raw = nullptr;
  Check(EVP_PKEY_get_bn_param(key, name, &raw) == 1, name);
  BnPtr bn(raw);
  const int size = pad_to > 0 ? pad_to : BN_num_bytes(bn.get());
  std::string out(static_cast<size_t>(size), '\0');
  Check(BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(out.data()), size) == size,
        "BN_bn2binpad");
  return out;
}

// DER ECDSA-Sig-Value -> fixed-width r||s.
std::string DerToRaw(const std::string& der, int coordinate_bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  Check(sig != nullptr, "d2i_ECDSA_SIG");
  std::string raw(2 * static_cast<size_t>(coordinate_bytes), '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  Check(BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, coordinate_bytes) == coordinate_bytes &&
            BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + coordinate_bytes,
                         coordinate_bytes) == coordinate_bytes,
        "BN_bn2binpad");
  return raw;
}

}  // namespace

EvpPkeyPtr GenerateEcKey(const char* curve) {
  EvpPkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", curve));
  Check(key != nullptr, "EC keygen");
  return key;
}

EvpPkeyPtr GenerateRsaKey(int bits) {
  EvpPkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)));
  Check(key != nullptr, "RSA keygen");
  return key;
}

std::string PublicJwk(EVP_PKEY* key, std::string_view kid, std::string_view alg) {
  std::string members;
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC) {
    const int bits = EVP_PKEY_get_bits(key);
    const int bytes = (bits + 7) / 8;
    members = absl::StrCat(
        "\"kty\":\"EC\",\"crv\":\"", bits == 256 ? "P-256" : "P-384", "\",\"x\":\"",
        Base64UrlEncode(BnParam(key, OSSL_PKEY_PARAM_EC_PUB_X, bytes)), "\",\"y\":\"",
        Base64UrlEncode(BnParam(key, OSSL_PKEY_PARAM_EC_PUB_Y, bytes)), "\"");
  } else {
    members = absl::StrCat(
        "\"kty\":\"RSA\",\"n\":\"", Base64UrlEncode(BnParam(key, OSSL_PKEY_PARAM_RSA_N, 0)),
        "\",\"e\":\"", Base64UrlEncode(BnParam(key, OSSL_PKEY_PARAM_RSA_E, 0)), "\"");
  }
  absl::StrAppend(&members, ",\"use\":\"sig\",\"kid\":\"", base::Absl(kid), "\"");
  if (!alg.empty()) absl::StrAppend(&members, ",\"alg\":\"", base::Absl(alg), "\"");
  return absl::StrCat("{", members, "}");
}

std::string JwksOf(const std::vector<std::string>& jwks) {
  return absl::StrCat("{\"keys\":[", absl::StrJoin(jwks, ","), "]}");
}

std::string SignToken(EVP_PKEY* key, JwsAlgorithm algorithm, std::string_view header_json,
                      std::string_view payload_json) {
  const std::string input = absl::StrCat(Base64UrlEncode(header_json), ".",
                                         Base64UrlEncode(payload_json));
  const bool sha256 = algorithm == JwsAlgorithm::kES256 || algorithm == JwsAlgorithm::kRS256;
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* key_ctx = nullptr;
  Check(ctx != nullptr && EVP_DigestSignInit(ctx.get(), &key_ctx,
                                             sha256 ? EVP_sha256() : EVP_sha384(), nullptr,
                                             key) == 1,
        "DigestSignInit");
  if (algorithm == JwsAlgorithm::kPS384) {
    Check(EVP_PKEY_CTX_set_rsa_padding(key_ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
              EVP_PKEY_CTX_set_rsa_pss_saltlen(key_ctx, RSA_PSS_SALTLEN_DIGEST) == 1,
          "PSS setup");
  }
  size_t length = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(input.data());
  Check(EVP_DigestSign(ctx.get(), nullptr, &length, data, input.size()) == 1, "sign size");
  std::string signature(length, '\0');
  Check(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length,
                       data, input.size()) == 1,
        "sign");
  signature.resize(length);
  if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC) {
    signature = DerToRaw(signature, (EVP_PKEY_get_bits(key) + 7) / 8);
  }
  return absl::StrCat(input, ".", Base64UrlEncode(signature));
}

std::string HmacToken(std::string_view secret, std::string_view header_json,
                      std::string_view payload_json) {
  const std::string input = absl::StrCat(Base64UrlEncode(header_json), ".",
                                         Base64UrlEncode(payload_json));
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int mac_length = 0;
  Check(HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac,
             &mac_length) != nullptr,
        "HMAC");
  return absl::StrCat(input, ".",
                      Base64UrlEncode(std::string_view(reinterpret_cast<char*>(mac), mac_length)));
}

std::string PublicKeyPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  Check(bio != nullptr && PEM_write_bio_PUBKEY(bio.get(), key) == 1, "PEM_write_bio_PUBKEY");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

}  // namespace thrombo::service::auth::testing
