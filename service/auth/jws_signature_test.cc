// Copyright 2026 The Thrombo Authors.
// Tests for JWS algorithm parsing and signature verification.
#include "service/auth/jws_signature.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/auth/jwk.h"
#include "service/auth/jws.h"
#include "service/auth/test_keys.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service::auth {
namespace {

using ::testing::HasSubstr;
using ::thrombo::testing::IsOk;
using ::thrombo::testing::IsOkAndHolds;
using ::thrombo::testing::StatusIs;
using testing::GenerateEcKey;
using testing::GenerateRsaKey;
using testing::JwksOf;
using testing::PublicJwk;
using testing::SignToken;

Jwk LoadOne(EVP_PKEY* key, const std::string& alg) {
  auto set = ParseJwks(JwksOf({PublicJwk(key, "k", alg)}));
  EXPECT_THAT(set, IsOk());
  return set.ok() ? set->keys[0] : Jwk{};
}

absl::Status VerifyToken(JwsAlgorithm algorithm, const Jwk& jwk, const std::string& token) {
  auto jws = SplitCompactJws(token);
  if (!jws.ok()) return jws.status();
  return VerifyJwsSignature(algorithm, jwk, jws->signing_input, jws->signature);
}

TEST(ParseAlgorithmTest, NamesAndRejections) {
  EXPECT_THAT(ParseAlgorithm("ES384"), IsOkAndHolds(JwsAlgorithm::kES384));
  EXPECT_THAT(ParseAlgorithm("PS384"), IsOkAndHolds(JwsAlgorithm::kPS384));
  EXPECT_EQ(AlgorithmName(JwsAlgorithm::kRS256), "RS256");
  EXPECT_THAT(ParseAlgorithm("none"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"none\"")));
  EXPECT_THAT(ParseAlgorithm("HS256"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("symmetric")));
  EXPECT_THAT(ParseAlgorithm("HS512"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseAlgorithm("es384"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseAlgorithm("EdDSA"), StatusIs(absl::StatusCode::kInvalidArgument));
}

struct RoundTripCase {
  JwsAlgorithm algorithm;
  const char* key_type;  // "P-256", "P-384" or "RSA"
};

class RoundTripTest : public ::testing::TestWithParam<RoundTripCase> {};

TEST_P(RoundTripTest, SignedTokenVerifiesAndTamperingFails) {
  const RoundTripCase& c = GetParam();
  EvpPkeyPtr key = std::string(c.key_type) == "RSA" ? GenerateRsaKey(2048)
                                                     : GenerateEcKey(c.key_type);
  const Jwk jwk = LoadOne(key.get(), std::string(AlgorithmName(c.algorithm)));
  const std::string token = SignToken(key.get(), c.algorithm, R"({"a":1})", R"({"b":2})");
  EXPECT_THAT(VerifyToken(c.algorithm, jwk, token), IsOk());

  std::string tampered_payload = token;
  tampered_payload[token.find('.') + 2] ^= 1;
  EXPECT_THAT(VerifyToken(c.algorithm, jwk, tampered_payload),
              StatusIs(absl::StatusCode::kInvalidArgument));
  std::string tampered_signature = token;
  char& c0 = tampered_signature[token.rfind('.') + 3];
  c0 = c0 == 'A' ? 'B' : 'A';
  EXPECT_THAT(VerifyToken(c.algorithm, jwk, tampered_signature),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("does not verify")));
}

INSTANTIATE_TEST_SUITE_P(
    Algorithms, RoundTripTest,
    ::testing::Values(RoundTripCase{JwsAlgorithm::kES256, "P-256"},
                      RoundTripCase{JwsAlgorithm::kES384, "P-384"},
                      RoundTripCase{JwsAlgorithm::kRS256, "RSA"},
                      RoundTripCase{JwsAlgorithm::kRS384, "RSA"},
                      RoundTripCase{JwsAlgorithm::kPS384, "RSA"}));

TEST(VerifyJwsSignatureTest, RejectsEcdsaSignatureOfWrongLength) {
  auto key = GenerateEcKey("P-384");
  const Jwk jwk = LoadOne(key.get(), "");
  EXPECT_THAT(VerifyJwsSignature(JwsAlgorithm::kES384, jwk, "a.b", std::string(64, '\x01')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("expected 96")));
  EXPECT_THAT(VerifyJwsSignature(JwsAlgorithm::kES384, jwk, "a.b", std::string(97, '\x01')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("expected 96")));
  // All-zero r and s: never valid.
  EXPECT_THAT(VerifyJwsSignature(JwsAlgorithm::kES384, jwk, "a.b", std::string(96, '\0')),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(VerifyJwsSignatureTest, RejectsRsaSignatureOfWrongLength) {
  auto key = GenerateRsaKey(2048);
  const Jwk jwk = LoadOne(key.get(), "");
  EXPECT_THAT(VerifyJwsSignature(JwsAlgorithm::kRS384, jwk, "a.b", std::string(255, '\x01')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("expected 256")));
}

TEST(VerifyJwsSignatureTest, RejectsKeyThatDoesNotFitAlgorithm) {
  auto p256 = GenerateEcKey("P-256");
  auto p384 = GenerateEcKey("P-384");
  const Jwk p256_jwk = LoadOne(p256.get(), "");
  const Jwk p384_jwk = LoadOne(p384.get(), "ES384");
  const std::string token = SignToken(p256.get(), JwsAlgorithm::kES256, "{}", "{}");
  auto jws = SplitCompactJws(token);
  ASSERT_THAT(jws, IsOk());
  EXPECT_THAT(VerifyJwsSignature(JwsAlgorithm::kES384, p256_jwk, jws->signing_input,
                                 jws->signature),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("needs P-384")));
  EXPECT_THAT(VerifyJwsSignature(JwsAlgorithm::kRS384, p384_jwk, "a.b", std::string(96, 'x')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kty \"EC\"")));
  auto rsa = GenerateRsaKey(2048);
  const Jwk rs384_jwk = LoadOne(rsa.get(), "RS384");
  EXPECT_THAT(VerifyJwsSignature(JwsAlgorithm::kPS384, rs384_jwk, "a.b", std::string(256, 'x')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is for RS384")));
}

TEST(VerifyJwsSignatureTest, LeavesOpenSslErrorQueueEmpty) {
  auto key = GenerateEcKey("P-384");
  const Jwk jwk = LoadOne(key.get(), "");
  ASSERT_FALSE(
      VerifyJwsSignature(JwsAlgorithm::kES384, jwk, "a.b", std::string(96, '\x7f')).ok());
  EXPECT_EQ(ERR_peek_error(), 0u);
}

}  // namespace
}  // namespace thrombo::service::auth
