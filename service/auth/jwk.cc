// Copyright 2026 The Thrombo Authors.
// JWK Set parsing with the OpenSSL 3.0 EVP_PKEY_fromdata API.
#include "service/auth/jwk.h"

#include <openssl/core_names.h>

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "rapidjson/document.h"
#include "base/string_compat.h"
#include "service/auth/base64url.h"
#include "service/auth/json_object.h"
#include "service/auth/openssl_util.h"

namespace thrombo::service::auth {
namespace {

// Members that only a private or symmetric key carries (RFC 7518 §6.2.2, §6.3.2, §6.4.1).
constexpr const char* kPrivateMembers[] = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"};

struct Curve {
  const char* jwk_name;
  const char* openssl_group;
  size_t coordinate_bytes;
};
constexpr Curve kCurves[] = {{"P-256", "prime256v1", 32}, {"P-384", "secp384r1", 48}};

absl::Status KeyError(size_t index, std::string_view kid, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat("JWKS key #", index, " (kid \"", base::Absl(kid),
                                                 "\"): ", problem));
}

// Builds a public EVP_PKEY of `type` from params, then runs OpenSSL's public-key check (for EC:
// point on the curve and in the right subgroup; for RSA: SP 800-56B sanity), because
// fromdata alone would accept keys an attacker could pick to make signatures easy to forge.
absl::StatusOr<std::shared_ptr<EVP_PKEY>> BuildPublicKey(const char* type,
                                                         OSSL_PARAM_BLD* builder) {
  ParamPtr params(OSSL_PARAM_BLD_to_param(builder));
  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  if (params == nullptr || ctx == nullptr || EVP_PKEY_fromdata_init(ctx.get()) != 1) {
    return absl::InternalError(absl::StrCat("OpenSSL setup failed: ", DrainOpenSslErrors()));
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a valid public key: ", DrainOpenSslErrors()));
  }
  EvpPkeyPtr key(raw);
  EvpPkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (check == nullptr || EVP_PKEY_public_check(check.get()) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("public key check failed: ", DrainOpenSslErrors()));
  }
  return std::shared_ptr<EVP_PKEY>(key.release(), EvpPkeyFree());
}

absl::StatusOr<std::string> RequiredBase64Member(const rapidjson::Value& object,
                                                 const char* name) {
  ASSIGN_OR_RETURN(std::optional<std::string> encoded, GetOptionalString(object, name, "JWK"));
  if (!encoded.has_value() || encoded->empty()) {
    return absl::InvalidArgumentError(absl::StrCat("missing \"", name, "\""));
  }
  auto decoded = Base64UrlDecode(*encoded);
  if (!decoded.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", name, "\": ", decoded.status().message()));
  }
  return decoded;
}

// Fills crv, bits and key of an EC JWK. Returns kNotFound for a curve we do not support.
absl::Status ParseEcKey(const rapidjson::Value& object, Jwk* jwk) {
  ASSIGN_OR_RETURN(std::optional<std::string> crv, GetOptionalString(object, "crv", "JWK"));
  if (!crv.has_value()) return absl::InvalidArgumentError("missing \"crv\"");
  const Curve* curve = nullptr;
  for (const Curve& candidate : kCurves) {
    if (*crv == candidate.jwk_name) curve = &candidate;
  }
  if (curve == nullptr) {
    return absl::NotFoundError(absl::StrCat("crv \"", *crv, "\" is not supported"));
  }
  ASSIGN_OR_RETURN(const std::string x, RequiredBase64Member(object, "x"));
  ASSIGN_OR_RETURN(const std::string y, RequiredBase64Member(object, "y"));
  // RFC 7518 §6.2.1.2: coordinates are full length; anything else is malformed.
  if (x.size() != curve->coordinate_bytes || y.size() != curve->coordinate_bytes) {
    return absl::InvalidArgumentError(absl::StrCat("\"x\" and \"y\" must be ",
                                                   curve->coordinate_bytes, " bytes for ",
                                                   curve->jwk_name));
  }
  const std::string point = absl::StrCat("\x04", x, y);  // SEC1 uncompressed form
  ParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (builder == nullptr ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME,
                                      curve->openssl_group, 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return absl::InternalError(absl::StrCat("OpenSSL setup failed: ", DrainOpenSslErrors()));
  }
  ASSIGN_OR_RETURN(jwk->key, BuildPublicKey("EC", builder.get()));
  jwk->crv = *crv;
  jwk->bits = static_cast<int>(curve->coordinate_bytes * 8);
  return absl::OkStatus();
}

absl::Status ParseRsaKey(const rapidjson::Value& object, Jwk* jwk) {
  ASSIGN_OR_RETURN(const std::string n_bytes, RequiredBase64Member(object, "n"));
  ASSIGN_OR_RETURN(const std::string e_bytes, RequiredBase64Member(object, "e"));
  if (e_bytes.size() > 32) return absl::InvalidArgumentError("\"e\" is too large");
  const auto* n_data = reinterpret_cast<const unsigned char*>(n_bytes.data());
  const auto* e_data = reinterpret_cast<const unsigned char*>(e_bytes.data());
  BnPtr n(BN_bin2bn(n_data, static_cast<int>(n_bytes.size()), nullptr));
  BnPtr e(BN_bin2bn(e_data, static_cast<int>(e_bytes.size()), nullptr));
  if (n == nullptr || e == nullptr) {
    return absl::InternalError(absl::StrCat("OpenSSL BN failed: ", DrainOpenSslErrors()));
  }
  const int bits = BN_num_bits(n.get());
  if (bits < kMinRsaBits || bits > kMaxRsaBits) {
    return absl::InvalidArgumentError(absl::StrCat("RSA modulus is ", bits, " bits; need ",
                                                   kMinRsaBits, "..", kMaxRsaBits));
  }
  ParamBldPtr builder(OSSL_PARAM_BLD_new());
  if (builder == nullptr ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1) {
    return absl::InternalError(absl::StrCat("OpenSSL setup failed: ", DrainOpenSslErrors()));
  }
  ASSIGN_OR_RETURN(jwk->key, BuildPublicKey("RSA", builder.get()));
  jwk->bits = bits;
  return absl::OkStatus();
}

// The verdict on one key: an error stops the whole set; `skip_reason` set means leave it out.
absl::Status ParseOneKey(const rapidjson::Value& object, size_t index, Jwk* jwk,
                         std::string* skip_reason) {
  if (!object.IsObject()) return KeyError(index, "", "is not a JSON object");
  auto kid = GetOptionalString(object, "kid", "JWK");
  if (!kid.ok()) return KeyError(index, "", kid.status().message());
  jwk->kid = kid->value_or("");
  for (const char* member : kPrivateMembers) {
    if (object.HasMember(member)) {
      return KeyError(index, jwk->kid,
                      absl::StrCat("contains private-key member \"", member,
                                   "\"; a JWKS for verification must hold public keys only"));
    }
  }
  auto kty = GetOptionalString(object, "kty", "JWK");
  auto alg = GetOptionalString(object, "alg", "JWK");
  auto use = GetOptionalString(object, "use", "JWK");
  for (const auto* field : {&kty, &alg, &use}) {
    if (!field->ok()) return KeyError(index, jwk->kid, field->status().message());
  }
  if (!kty->has_value()) return KeyError(index, jwk->kid, "missing \"kty\"");
  jwk->kty = **kty;
  jwk->alg = alg->value_or("");
  jwk->use = use->value_or("");
  if (jwk->kty == "oct") {
    return KeyError(index, jwk->kid, "symmetric (kty \"oct\") keys are not allowed");
  }
  if (jwk->kid.empty()) {
    *skip_reason = "no kid (tokens must name their key)";
    return absl::OkStatus();
  }
  if (!jwk->use.empty() && jwk->use != "sig") {
    *skip_reason = absl::StrCat("use \"", jwk->use, "\" is not \"sig\"");
    return absl::OkStatus();
  }
  if (const auto ops = object.FindMember("key_ops"); ops != object.MemberEnd()) {
    bool verify = false;
    if (ops->value.IsArray()) {
      for (const auto& op : ops->value.GetArray()) verify |= op.IsString() && op == "verify";
    }
    if (!verify) {
      *skip_reason = "key_ops does not include \"verify\"";
      return absl::OkStatus();
    }
  }
  absl::Status status;
  if (jwk->kty == "EC") {
    status = ParseEcKey(object, jwk);
  } else if (jwk->kty == "RSA") {
    status = ParseRsaKey(object, jwk);
  } else {
    status = absl::NotFoundError(absl::StrCat("kty \"", jwk->kty, "\" is not supported"));
  }
  if (absl::IsNotFound(status)) {
    *skip_reason = std::string(status.message());
    return absl::OkStatus();
  }
  if (!status.ok()) return KeyError(index, jwk->kid, status.message());
  return absl::OkStatus();
}

}  // namespace

const Jwk* JwkSet::Find(std::string_view kid) const {
  for (const Jwk& jwk : keys) {
    if (jwk.kid == kid) return &jwk;
  }
  return nullptr;
}

absl::StatusOr<JwkSet> ParseJwks(std::string_view json) {
  if (json.size() > kMaxJwksBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWKS is ", json.size(), " bytes; the limit is ", kMaxJwksBytes));
  }
  rapidjson::Document document;
  RETURN_IF_ERROR(ParseJsonObject(json, "JWKS", &document));
  const auto keys = document.FindMember("keys");
  if (keys == document.MemberEnd() || !keys->value.IsArray()) {
    return absl::InvalidArgumentError("JWKS has no \"keys\" array");
  }
  if (keys->value.Size() > kMaxJwksKeys) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWKS has ", keys->value.Size(), " keys; the limit is ", kMaxJwksKeys));
  }
  JwkSet set;
  absl::flat_hash_set<std::string> kids;
  for (rapidjson::SizeType i = 0; i < keys->value.Size(); ++i) {
    Jwk jwk;
    std::string skip_reason;
    RETURN_IF_ERROR(ParseOneKey(keys->value[i], i, &jwk, &skip_reason));
    if (!skip_reason.empty()) {
      set.skipped.push_back(absl::StrCat("key #", i, ": ", skip_reason));
      continue;
    }
    // kid must be unique within the set (cds-hooks §A10), else key selection is ambiguous.
    if (!kids.insert(jwk.kid).second) return KeyError(i, jwk.kid, "duplicate kid");
    set.keys.push_back(std::move(jwk));
  }
  if (set.keys.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "JWKS has no usable signature key (", set.skipped.size(), " skipped)"));
  }
  return set;
}

}  // namespace thrombo::service::auth
