// Copyright 2026 The Thrombo Authors.
// Tests for JWK Set parsing.
#include "service/auth/jwk.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/auth/test_keys.h"
#include "tests/testing/shared_data.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service::auth {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
using ::thrombo::testing::IsOk;
using ::thrombo::testing::StatusIs;
using testing::GenerateEcKey;
using testing::GenerateRsaKey;
using testing::JwksOf;
using testing::PublicJwk;

constexpr char kSpecDir[] = "cds-hooks/";  // under the shared data folder

// Replaces the first `"name":"..."` value in a JSON text.
std::string ReplaceMember(std::string json, const std::string& name, const std::string& value) {
  const std::string key = "\"" + name + "\":\"";
  const size_t start = json.find(key) + key.size();
  const size_t end = json.find('"', start);
  return json.replace(start, end - start, value);
}

TEST(ParseJwksTest, ParsesGeneratedEcAndRsaKeys) {
  auto p256 = GenerateEcKey("P-256");
  auto p384 = GenerateEcKey("P-384");
  auto rsa = GenerateRsaKey(2048);
  auto set = ParseJwks(JwksOf({PublicJwk(p256.get(), "a", "ES256"),
                               PublicJwk(p384.get(), "b", "ES384"),
                               PublicJwk(rsa.get(), "c", "")}));
  ASSERT_THAT(set, IsOk());
  ASSERT_THAT(set->keys, SizeIs(3));
  EXPECT_EQ(set->keys[0].crv, "P-256");
  EXPECT_EQ(set->keys[0].bits, 256);
  EXPECT_EQ(set->keys[1].crv, "P-384");
  EXPECT_EQ(set->keys[1].alg, "ES384");
  EXPECT_EQ(set->keys[2].kty, "RSA");
  EXPECT_EQ(set->keys[2].bits, 2048);
  EXPECT_EQ(set->keys[2].use, "sig");
  ASSERT_NE(set->Find("b"), nullptr);
  EXPECT_EQ(set->Find("b")->kid, "b");
  EXPECT_EQ(set->Find("zzz"), nullptr);
  // The imported key is the generated one.
  EXPECT_EQ(EVP_PKEY_eq(set->keys[1].key.get(), p384.get()), 1);
}

TEST(ParseJwksTest, ParsesSpecAndSandboxJwksWhenPresent) {
  THROMBO_SKIP_UNLESS_SHARED_DATA(::thrombo::testing::SharedDataDir() / kSpecDir);
  std::string spec, sandbox;
  if (!::thrombo::testing::ReadSharedFile(std::string(kSpecDir) + "spec-2.0.1/jwks-public.json", &spec) ||
      !::thrombo::testing::ReadSharedFile(std::string(kSpecDir) + "sandbox/sandbox-jwks.json", &sandbox)) {
    FAIL() << "cannot read the JWKS files under " << kSpecDir;
  }
  auto spec_set = ParseJwks(spec);
  ASSERT_THAT(spec_set, IsOk());
  ASSERT_NE(spec_set->Find("example-kid"), nullptr);
  EXPECT_EQ(spec_set->Find("example-kid")->crv, "P-384");
  auto sandbox_set = ParseJwks(sandbox);
  ASSERT_THAT(sandbox_set, IsOk());
  EXPECT_NE(sandbox_set->Find("44823f3d-0b01-4a6c-a80e-b9d3e8a7226f"), nullptr);
}

TEST(ParseJwksTest, RejectsPrivateKeyMembers) {
  auto key = GenerateEcKey("P-384");
  std::string jwk = PublicJwk(key.get(), "leaky", "ES384");
  jwk.insert(jwk.size() - 1, ",\"d\":\"AAAA\"");
  EXPECT_THAT(ParseJwks(JwksOf({jwk})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("kid \"leaky\"): contains private-key member \"d\"")));
  EXPECT_THAT(
      ParseJwks(R"({"keys":[{"kty":"RSA","kid":"r","n":"AQAB","e":"AQAB","p":"AQAB"}]})"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"p\"")));
}

TEST(ParseJwksTest, RejectsSymmetricKeys) {
  EXPECT_THAT(ParseJwks(R"({"keys":[{"kty":"oct","kid":"h"}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("symmetric")));
}

TEST(ParseJwksTest, SkipsUnusableKeysButKeepsOthers) {
  auto key = GenerateEcKey("P-384");
  std::string enc = PublicJwk(key.get(), "enc-key", "");
  enc = ReplaceMember(enc, "use", "enc");
  std::string no_verify = PublicJwk(key.get(), "sign-only", "");
  no_verify.insert(no_verify.size() - 1, ",\"key_ops\":[\"sign\"]");
  auto set = ParseJwks(JwksOf({R"({"kty":"OKP","crv":"Ed25519","kid":"ed","x":"AAAA"})",
                               R"({"kty":"EC","crv":"P-521","kid":"big","x":"AA","y":"AA"})",
                               enc, no_verify, PublicJwk(key.get(), "", ""),
                               PublicJwk(key.get(), "good", "ES384")}));
  ASSERT_THAT(set, IsOk());
  ASSERT_THAT(set->keys, SizeIs(1));
  EXPECT_EQ(set->keys[0].kid, "good");
  EXPECT_THAT(set->skipped, SizeIs(5));
  EXPECT_THAT(set->skipped[0], HasSubstr("\"OKP\" is not supported"));
}

TEST(ParseJwksTest, RejectsSetWithNoUsableKey) {
  EXPECT_THAT(ParseJwks(R"({"keys":[]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no usable")));
  EXPECT_THAT(ParseJwks(R"({"keys":{}})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"keys\" array")));
  EXPECT_THAT(ParseJwks("not json"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ParseJwksTest, RejectsDuplicateKid) {
  auto a = GenerateEcKey("P-384");
  auto b = GenerateEcKey("P-384");
  EXPECT_THAT(ParseJwks(JwksOf({PublicJwk(a.get(), "same", ""), PublicJwk(b.get(), "same", "")})),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("duplicate kid")));
}

TEST(ParseJwksTest, RejectsShortRsaKey) {
  auto rsa = GenerateRsaKey(1024);
  EXPECT_THAT(ParseJwks(JwksOf({PublicJwk(rsa.get(), "weak", "RS384")})),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1024 bits")));
}

TEST(ParseJwksTest, RejectsPointNotOnCurve) {
  auto key = GenerateEcKey("P-384");
  std::string jwk = PublicJwk(key.get(), "off-curve", "");
  // Flip the first character of y (still 48 bytes, canonical base64url).
  const size_t y = jwk.find("\"y\":\"") + 5;
  jwk[y] = jwk[y] == 'A' ? 'B' : 'A';
  EXPECT_THAT(ParseJwks(JwksOf({jwk})),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("off-curve")));
}

TEST(ParseJwksTest, RejectsShortCoordinates) {
  EXPECT_THAT(ParseJwks(R"({"keys":[{"kty":"EC","crv":"P-384","kid":"k","x":"AAAA","y":"AAAA"}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("48 bytes")));
}

TEST(ParseJwksTest, RejectsOversizedDocument) {
  EXPECT_THAT(ParseJwks(std::string(kMaxJwksBytes + 1, ' ')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("limit")));
}

}  // namespace
}  // namespace thrombo::service::auth
