// Copyright 2026 The Thrombo Authors.
// Tests for JwtVerifier: the spec test vector, self-signed tokens, and each way to be wrong.
#include "service/auth/jwt_verifier.h"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "service/auth/base64url.h"
#include "service/auth/test_keys.h"
#include "tests/testing/shared_data.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service::auth {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::thrombo::testing::IsOk;
using ::thrombo::testing::StatusIs;
using testing::GenerateEcKey;
using testing::GenerateRsaKey;
using testing::HmacToken;
using testing::JwksOf;
using testing::PublicJwk;
using testing::PublicKeyPem;
using testing::SignToken;

constexpr char kIssuer[] = "https://ehr.example.org";
constexpr char kFetchedIssuer[] = "https://fetched.example.org";
constexpr char kJwksUrl[] = "https://fetched.example.org/.well-known/jwks.json";
constexpr char kAudience[] = "https://cds.example.org/cds-services/thrombo-order-sign";
constexpr int64_t kNow = 1'700'000'000;
constexpr char kSpecDir[] = "cds-hooks/spec-2.0.1/";  // under the shared data folder

constexpr auto kUnauthenticated = absl::StatusCode::kUnauthenticated;
constexpr auto kPermissionDenied = absl::StatusCode::kPermissionDenied;

// A JSON object from (name, raw JSON value) pairs, in order.
using Members = std::vector<std::pair<std::string, std::string>>;

std::string Json(const Members& members) {
  std::vector<std::string> parts;
  for (const auto& [name, value] : members) parts.push_back(absl::StrCat("\"", name, "\":", value));
  return absl::StrCat("{", absl::StrJoin(parts, ","), "}");
}

std::string Quoted(const std::string& s) { return absl::StrCat("\"", s, "\""); }

// Sets (or, with an empty value, removes) one member.
Members With(Members members, const std::string& name, const std::string& value) {
  for (auto it = members.begin(); it != members.end(); ++it) {
    if (it->first == name) {
      if (value.empty()) {
        members.erase(it);
      } else {
        it->second = value;
      }
      return members;
    }
  }
  if (!value.empty()) members.emplace_back(name, value);
  return members;
}

// Thread-safe fake: serves configured bodies and counts requests.
class FakeFetcher final : public JwksFetcher {
 public:
  absl::StatusOr<std::string> Fetch(const std::string& url) const override {
    absl::MutexLock lock(&mu_);
    ++calls_;
    const auto it = bodies_.find(url);
    if (it == bodies_.end()) return absl::UnavailableError("fake: connection refused");
    return it->second;
  }
  void Set(const std::string& url, const std::string& body) {
    absl::MutexLock lock(&mu_);
    bodies_[url] = body;
  }
  void Clear() {
    absl::MutexLock lock(&mu_);
    bodies_.clear();
  }
  int calls() const {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

 private:
  mutable absl::Mutex mu_;
  mutable int calls_ = 0;
  std::map<std::string, std::string> bodies_;
};

class JwtVerifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    es384_ = GenerateEcKey("P-384").release();
    es256_ = GenerateEcKey("P-256").release();
    rsa_ = GenerateRsaKey(2048).release();
    fetched_ = GenerateEcKey("P-384").release();
    rotated_ = GenerateEcKey("P-384").release();
  }
  static void TearDownTestSuite() {
    for (EVP_PKEY* key : {es384_, es256_, rsa_, fetched_, rotated_}) EVP_PKEY_free(key);
  }

  void SetUp() override {
    fetcher_ = std::make_shared<FakeFetcher>();
    fetcher_->Set(kJwksUrl, JwksOf({PublicJwk(fetched_, "fetched-1", "ES384")}));
    options_.issuers = {
        {kIssuer, "",
         JwksOf({PublicJwk(es384_, "es384", "ES384"), PublicJwk(es256_, "es256", "ES256"),
                 PublicJwk(rsa_, "rsa", "")}),
         {}},
        {kFetchedIssuer, "", "", {kJwksUrl}},
    };
    options_.fetcher = fetcher_;
    options_.clock = [this] { return now_; };
  }

  JwtVerifier& verifier() {
    if (verifier_ == nullptr) {
      auto created = JwtVerifier::Create(options_);
      EXPECT_THAT(created, IsOk());
      if (created.ok()) verifier_ = *std::move(created);
    }
    return *verifier_;
  }

  Members DefaultHeader(const std::string& alg, const std::string& kid) const {
    return {{"alg", Quoted(alg)}, {"typ", Quoted("JWT")}, {"kid", Quoted(kid)}};
  }
  Members DefaultClaims(const std::string& iss = kIssuer) {
    return {{"iss", Quoted(iss)},
            {"aud", Quoted(kAudience)},
            {"exp", absl::StrCat(kNow + 300)},
            {"iat", absl::StrCat(kNow)},
            {"jti", Quoted(absl::StrCat("jti-", next_jti_++))},
            {"tenant", Quoted("tenant-1")}};
  }
  // DefaultClaims issued at the (possibly advanced) fake clock's time.
  Members CurrentClaims(const std::string& iss) {
    const int64_t now = absl::ToUnixSeconds(now_);
    return With(With(DefaultClaims(iss), "iat", absl::StrCat(now)), "exp",
                absl::StrCat(now + 300));
  }
  std::string Es384Token(const Members& claims) {
    return SignToken(es384_, JwsAlgorithm::kES384, Json(DefaultHeader("ES384", "es384")),
                     Json(claims));
  }
  absl::StatusOr<VerifiedToken> Verify(const std::string& token) {
    return verifier().Verify(token, kAudience);
  }

  static EVP_PKEY* es384_;
  static EVP_PKEY* es256_;
  static EVP_PKEY* rsa_;
  static EVP_PKEY* fetched_;
  static EVP_PKEY* rotated_;

  absl::Time now_ = absl::FromUnixSeconds(kNow);
  std::shared_ptr<FakeFetcher> fetcher_;
  JwtVerifierOptions options_;
  std::unique_ptr<JwtVerifier> verifier_;
  int next_jti_ = 0;
};

EVP_PKEY* JwtVerifierTest::es384_ = nullptr;
EVP_PKEY* JwtVerifierTest::es256_ = nullptr;
EVP_PKEY* JwtVerifierTest::rsa_ = nullptr;
EVP_PKEY* JwtVerifierTest::fetched_ = nullptr;
EVP_PKEY* JwtVerifierTest::rotated_ = nullptr;

// --- The CDS Hooks 2.0.1 specification's example token --------------------------------------

struct SpecVector {
  std::string authorization_header;
  std::string jwks;
};

bool LoadSpecVector(SpecVector* vector) {
  std::string wrapper;
  if (!::thrombo::testing::ReadSharedFile(std::string(kSpecDir) + "jwt-example-compact.json", &wrapper) ||
      !::thrombo::testing::ReadSharedFile(std::string(kSpecDir) + "jwks-public.json", &vector->jwks)) {
    return false;
  }
  rapidjson::Document doc;
  doc.Parse(wrapper.c_str());
  if (!doc.IsObject() || !doc.HasMember("authorizationHeader")) return false;
  vector->authorization_header = doc["authorizationHeader"].GetString();
  return true;
}

JwtVerifierOptions SpecOptions(const std::string& jwks, std::vector<std::string> jwks_urls) {
  JwtVerifierOptions options;
  options.issuers = {{"https://fhir-ehr.example.com/", "", jwks, std::move(jwks_urls)}};
  options.max_token_age = absl::ZeroDuration();  // its iat (2011) predates exp by 3.5 years
  options.fetcher = std::make_shared<FakeFetcher>();  // never needed: the key is static
  return options;
}

constexpr char kSpecAudience[] = "https://cds.example.org/cds-services/some-service";
constexpr char kSpecJku[] = "https://fhir-ehr.example.com/jwk_uri";

TEST(SpecTestVector, VerifiesWithClockBeforeExpiry) {
  SpecVector vector;
  THROMBO_SKIP_UNLESS_SHARED_DATA(::thrombo::testing::SharedDataDir() / kSpecDir);
  ASSERT_TRUE(LoadSpecVector(&vector));
  JwtVerifierOptions options = SpecOptions(vector.jwks, {kSpecJku});
  options.clock = [] { return absl::FromUnixSeconds(1422568800); };  // 2015-01-29T22:00:00Z
  auto verifier = JwtVerifier::Create(options);
  ASSERT_THAT(verifier, IsOk());
  auto token = (*verifier)->Verify(vector.authorization_header, kSpecAudience);
  ASSERT_THAT(token, IsOk());
  EXPECT_EQ(token->iss, "https://fhir-ehr.example.com/");
  EXPECT_EQ(token->jti, "ee22b021-e1b7-4611-ba5b-8eec6a33ac1e");
  EXPECT_EQ(token->tenant, "2ddd6c3a-8e9a-44c6-a305-52111ad302a2");
  EXPECT_EQ(token->kid, "example-kid");
  EXPECT_EQ(token->alg, JwsAlgorithm::kES384);
  EXPECT_EQ(token->exp, absl::FromUnixSeconds(1422568860));
}

TEST(SpecTestVector, RejectedAsExpiredWithRealClock) {
  SpecVector vector;
  THROMBO_SKIP_UNLESS_SHARED_DATA(::thrombo::testing::SharedDataDir() / kSpecDir);
  ASSERT_TRUE(LoadSpecVector(&vector));
  auto verifier = JwtVerifier::Create(SpecOptions(vector.jwks, {kSpecJku}));
  ASSERT_THAT(verifier, IsOk());
  EXPECT_THAT((*verifier)->Verify(vector.authorization_header, kSpecAudience),
              StatusIs(kUnauthenticated, HasSubstr("expired at 2015-01-29T22:01:00")));
}

TEST(SpecTestVector, ForbiddenWhenItsJkuIsNotAllowlisted) {
  SpecVector vector;
  THROMBO_SKIP_UNLESS_SHARED_DATA(::thrombo::testing::SharedDataDir() / kSpecDir);
  ASSERT_TRUE(LoadSpecVector(&vector));
  JwtVerifierOptions options = SpecOptions(vector.jwks, {});
  options.clock = [] { return absl::FromUnixSeconds(1422568800); };
  auto verifier = JwtVerifier::Create(options);
  ASSERT_THAT(verifier, IsOk());
  EXPECT_THAT((*verifier)->Verify(vector.authorization_header, kSpecAudience),
              StatusIs(kPermissionDenied, HasSubstr("jku")));
}

// --- Accepted tokens ---------------------------------------------------------------------

TEST_F(JwtVerifierTest, AcceptsEs384) {
  auto token = Verify(Es384Token(DefaultClaims()));
  ASSERT_THAT(token, IsOk());
  EXPECT_EQ(token->iss, kIssuer);
  EXPECT_EQ(token->jti, "jti-0");
  EXPECT_EQ(token->tenant, "tenant-1");
  EXPECT_EQ(token->kid, "es384");
  EXPECT_EQ(token->alg, JwsAlgorithm::kES384);
  EXPECT_EQ(token->exp, absl::FromUnixSeconds(kNow + 300));
  EXPECT_EQ(token->iat, absl::FromUnixSeconds(kNow));
}

TEST_F(JwtVerifierTest, AcceptsRs384WithBearerPrefix) {
  const std::string token =
      SignToken(rsa_, JwsAlgorithm::kRS384, Json(DefaultHeader("RS384", "rsa")),
                Json(With(DefaultClaims(), "tenant", "")));
  auto verified = verifier().Verify("Bearer " + token, kAudience);
  ASSERT_THAT(verified, IsOk());
  EXPECT_EQ(verified->alg, JwsAlgorithm::kRS384);
  EXPECT_EQ(verified->tenant, std::nullopt);
}

TEST_F(JwtVerifierTest, AcceptsEs256AndPs384WhenConfigured) {
  options_.allowed_algorithms = {JwsAlgorithm::kES256, JwsAlgorithm::kPS384};
  EXPECT_THAT(Verify(SignToken(es256_, JwsAlgorithm::kES256, Json(DefaultHeader("ES256", "es256")),
                               Json(DefaultClaims()))),
              IsOk());
  EXPECT_THAT(Verify(SignToken(rsa_, JwsAlgorithm::kPS384, Json(DefaultHeader("PS384", "rsa")),
                               Json(DefaultClaims()))),
              IsOk());
  EXPECT_THAT(Verify(Es384Token(DefaultClaims())),
              StatusIs(kUnauthenticated, HasSubstr("ES384 is not allowed")));
}

TEST_F(JwtVerifierTest, AcceptsAudienceArrayContainingUs) {
  const std::string aud = absl::StrCat("[\"https://other.example\",", Quoted(kAudience), "]");
  EXPECT_THAT(Verify(Es384Token(With(DefaultClaims(), "aud", aud))), IsOk());
}

TEST_F(JwtVerifierTest, IgnoresTrailingSlashOnAudience) {
  EXPECT_THAT(Verify(Es384Token(With(DefaultClaims(), "aud", Quoted(absl::StrCat(kAudience, "/"))))),
              IsOk());
  EXPECT_THAT(verifier().Verify(Es384Token(DefaultClaims()), absl::StrCat(kAudience, "/")),
              IsOk());
}

TEST_F(JwtVerifierTest, AcceptsTypInAnyCase) {
  const std::string token = SignToken(es384_, JwsAlgorithm::kES384,
                                      Json(With(DefaultHeader("ES384", "es384"), "typ",
                                                Quoted("jwt"))),
                                      Json(DefaultClaims()));
  EXPECT_THAT(Verify(token), IsOk());
}

TEST_F(JwtVerifierTest, AcceptsExpiryWithinClockSkew) {
  now_ = absl::FromUnixSeconds(kNow + 300 + 30);
  EXPECT_THAT(Verify(Es384Token(DefaultClaims())), IsOk());
}

// --- Algorithms --------------------------------------------------------------------------

TEST_F(JwtVerifierTest, RejectsAlgNone) {
  const Members header = DefaultHeader("none", "es384");
  const std::string unsigned_token =
      absl::StrCat(Base64UrlEncode(Json(header)), ".", Base64UrlEncode(Json(DefaultClaims())));
  EXPECT_THAT(Verify(unsigned_token + "."), StatusIs(kUnauthenticated));
  EXPECT_THAT(Verify(unsigned_token + ".AAAA"),
              StatusIs(kUnauthenticated, HasSubstr("alg \"none\"")));
}

TEST_F(JwtVerifierTest, RejectsHs256SignedWithThePublicKey) {
  for (const std::string& secret :
       {PublicKeyPem(es384_), JwksOf({PublicJwk(es384_, "es384", "ES384")})}) {
    EXPECT_THAT(Verify(HmacToken(secret, Json(DefaultHeader("HS256", "es384")),
                                 Json(DefaultClaims()))),
                StatusIs(kUnauthenticated, HasSubstr("symmetric")));
  }
}

TEST_F(JwtVerifierTest, RejectsDisallowedAlgBeforeAnyKeyLookup) {
  const std::string token =
      SignToken(rsa_, JwsAlgorithm::kRS256, Json(DefaultHeader("RS256", "brand-new-kid")),
                Json(DefaultClaims(kFetchedIssuer)));
  EXPECT_THAT(Verify(token), StatusIs(kUnauthenticated, HasSubstr("RS256 is not allowed")));
  EXPECT_EQ(fetcher_->calls(), 0);
}

TEST_F(JwtVerifierTest, RejectsKeyOfAnotherAlgorithm) {
  options_.allowed_algorithms = {JwsAlgorithm::kES384, JwsAlgorithm::kES256};
  // Signed with the P-256 key but claiming ES384 and naming it.
  const std::string token = SignToken(es256_, JwsAlgorithm::kES256,
                                      Json(DefaultHeader("ES384", "es256")),
                                      Json(DefaultClaims()));
  EXPECT_THAT(Verify(token), StatusIs(kUnauthenticated, HasSubstr("needs P-384")));
}

// --- Shape and encoding ------------------------------------------------------------------

TEST_F(JwtVerifierTest, RejectsMalformedTokens) {
  const std::string token = Es384Token(DefaultClaims());
  EXPECT_THAT(Verify("a.b"), StatusIs(kUnauthenticated, HasSubstr("2 segments")));
  EXPECT_THAT(Verify(token + ".x"), StatusIs(kUnauthenticated, HasSubstr("4 segments")));
  EXPECT_THAT(Verify("e30.e30.%%%%"), StatusIs(kUnauthenticated, HasSubstr("base64url")));
  EXPECT_THAT(Verify("e30=.e30.AAAA"), StatusIs(kUnauthenticated, HasSubstr("padding")));
  EXPECT_THAT(Verify(std::string(9000, 'A')), StatusIs(kUnauthenticated, HasSubstr("limit")));
  EXPECT_THAT(verifier().Verify("Basic dXNlcjpwYXNz", kAudience),
              StatusIs(kUnauthenticated, HasSubstr("not Bearer")));
  EXPECT_THAT(verifier().Verify("", kAudience), StatusIs(kUnauthenticated));
}

TEST_F(JwtVerifierTest, RejectsNonJsonAndDuplicateMembers) {
  const std::string header = Json(DefaultHeader("ES384", "es384"));
  EXPECT_THAT(Verify(SignToken(es384_, JwsAlgorithm::kES384, header, "not json")),
              StatusIs(kUnauthenticated, HasSubstr("JWT claims is not valid JSON")));
  const std::string doubled_iss =
      Json(With(DefaultClaims(), "x", "1")).insert(1, "\"iss\":\"https://evil.example\",");
  EXPECT_THAT(Verify(SignToken(es384_, JwsAlgorithm::kES384, header, doubled_iss)),
              StatusIs(kUnauthenticated, HasSubstr("duplicate")));
}

TEST_F(JwtVerifierTest, RejectsTamperedPayload) {
  const std::string token = Es384Token(DefaultClaims());
  const std::string forged = Base64UrlEncode(Json(With(DefaultClaims(), "tenant", Quoted("x"))));
  const size_t dot1 = token.find('.');
  const size_t dot2 = token.rfind('.');
  const std::string tampered = token.substr(0, dot1 + 1) + forged + token.substr(dot2);
  EXPECT_THAT(Verify(tampered), StatusIs(kUnauthenticated, HasSubstr("does not verify")));
}

TEST_F(JwtVerifierTest, RejectsTamperedSignature) {
  std::string token = Es384Token(DefaultClaims());
  char& c = token[token.rfind('.') + 10];
  c = c == 'A' ? 'B' : 'A';
  EXPECT_THAT(Verify(token), StatusIs(kUnauthenticated, HasSubstr("does not verify")));
}

TEST_F(JwtVerifierTest, RejectsSignatureOfWrongLength) {
  const std::string token = Es384Token(DefaultClaims());
  const std::string signing_input = token.substr(0, token.rfind('.'));
  EXPECT_THAT(Verify(signing_input + "." + Base64UrlEncode(std::string(64, '\x01'))),
              StatusIs(kUnauthenticated, HasSubstr("expected 96")));
  // A DER signature (what OpenSSL emits) instead of raw r||s is also the wrong shape.
  EXPECT_THAT(Verify(signing_input + "." + Base64UrlEncode(std::string(103, '\x30'))),
              StatusIs(kUnauthenticated, HasSubstr("expected 96")));
}

// --- Header ------------------------------------------------------------------------------

TEST_F(JwtVerifierTest, RejectsBadHeaders) {
  const std::string claims = Json(DefaultClaims());
  auto sign = [&](const Members& header) {
    return SignToken(es384_, JwsAlgorithm::kES384, Json(header), claims);
  };
  const Members header = DefaultHeader("ES384", "es384");
  EXPECT_THAT(Verify(sign(With(header, "kid", ""))),
              StatusIs(kUnauthenticated, HasSubstr("has no \"kid\"")));
  EXPECT_THAT(Verify(sign(With(header, "typ", ""))),
              StatusIs(kUnauthenticated, HasSubstr("has no \"typ\"")));
  EXPECT_THAT(Verify(sign(With(header, "typ", Quoted("JOSE")))),
              StatusIs(kUnauthenticated, HasSubstr("typ is not JWT")));
  EXPECT_THAT(Verify(sign(With(header, "alg", ""))),
              StatusIs(kUnauthenticated, HasSubstr("has no \"alg\"")));
  EXPECT_THAT(Verify(sign(With(header, "kid", "7"))),
              StatusIs(kUnauthenticated, HasSubstr("\"kid\" is not a string")));
  EXPECT_THAT(Verify(sign(With(header, "crit", "[\"b64\"]"))),
              StatusIs(kUnauthenticated, HasSubstr("crit")));
}

// --- Claims ------------------------------------------------------------------------------

class MissingClaimTest : public JwtVerifierTest,
                         public ::testing::WithParamInterface<const char*> {};

TEST_P(MissingClaimTest, IsRejected) {
  EXPECT_THAT(Verify(Es384Token(With(DefaultClaims(), GetParam(), ""))),
              StatusIs(kUnauthenticated, HasSubstr(absl::StrCat("has no \"", GetParam(), "\""))));
}

INSTANTIATE_TEST_SUITE_P(RequiredClaims, MissingClaimTest,
                         ::testing::Values("iss", "aud", "exp", "iat", "jti"));

TEST_F(JwtVerifierTest, RejectsClaimsOfWrongType) {
  EXPECT_THAT(Verify(Es384Token(With(DefaultClaims(), "exp", Quoted("tomorrow")))),
              StatusIs(kUnauthenticated, HasSubstr("\"exp\" is not a NumericDate")));
  EXPECT_THAT(Verify(Es384Token(With(DefaultClaims(), "aud", "[1]"))),
              StatusIs(kUnauthenticated, HasSubstr("non-string")));
  EXPECT_THAT(Verify(Es384Token(With(DefaultClaims(), "aud", "[]"))),
              StatusIs(kUnauthenticated, HasSubstr("\"aud\" is empty")));
  EXPECT_THAT(Verify(Es384Token(With(DefaultClaims(), "jti", Quoted(std::string(300, 'j'))))),
              StatusIs(kUnauthenticated, HasSubstr("too long")));
}

TEST_F(JwtVerifierTest, DoesNotRequireSub) {
  EXPECT_THAT(Verify(Es384Token(With(DefaultClaims(), "sub", ""))), IsOk());
}

TEST_F(JwtVerifierTest, RejectsExpiredToken) {
  now_ = absl::FromUnixSeconds(kNow + 300 + 60);
  EXPECT_THAT(Verify(Es384Token(DefaultClaims())), StatusIs(kUnauthenticated, HasSubstr("expired")));
}

TEST_F(JwtVerifierTest, RejectsIatInTheFuture) {
  EXPECT_THAT(Verify(Es384Token(With(DefaultClaims(), "iat", absl::StrCat(kNow + 120)))),
              StatusIs(kUnauthenticated, HasSubstr("issued in the future")));
}

TEST_F(JwtVerifierTest, RejectsNotYetValidToken) {
  EXPECT_THAT(Verify(Es384Token(With(DefaultClaims(), "nbf", absl::StrCat(kNow + 120)))),
              StatusIs(kUnauthenticated, HasSubstr("not valid yet")));
  EXPECT_THAT(Verify(Es384Token(With(DefaultClaims(), "nbf", absl::StrCat(kNow + 30)))), IsOk());
}

TEST_F(JwtVerifierTest, RejectsVeryOldIat) {
  Members claims = With(DefaultClaims(), "iat", absl::StrCat(kNow - 600));
  EXPECT_THAT(Verify(Es384Token(claims)), StatusIs(kUnauthenticated, HasSubstr("too old")));
}

TEST_F(JwtVerifierTest, MaxTokenAgeCanBeDisabled) {
  options_.max_token_age = absl::ZeroDuration();
  EXPECT_THAT(Verify(Es384Token(With(DefaultClaims(), "iat", absl::StrCat(kNow - 86400)))),
              IsOk());
}

TEST_F(JwtVerifierTest, RejectsWrongAudience) {
  EXPECT_THAT(Verify(Es384Token(With(DefaultClaims(), "aud",
                                     Quoted("https://cds.example.org/cds-services/other")))),
              StatusIs(kUnauthenticated, HasSubstr("aud does not name this endpoint")));
  EXPECT_THAT(Verify(Es384Token(With(DefaultClaims(), "aud", "[\"https://a\",\"https://b\"]"))),
              StatusIs(kUnauthenticated));
  EXPECT_THAT(verifier().Verify(Es384Token(DefaultClaims()), ""),
              StatusIs(absl::StatusCode::kInternal));
}

// --- Issuer, jku and keys ----------------------------------------------------------------

TEST_F(JwtVerifierTest, ForbidsIssuerNotOnAllowlist) {
  EXPECT_THAT(Verify(Es384Token(DefaultClaims("https://stranger.example"))),
              StatusIs(kPermissionDenied, HasSubstr("\"https://stranger.example\" is not trusted")));
}

TEST_F(JwtVerifierTest, ForbidsJkuNotOnIssuersAllowlist) {
  const Members header = With(DefaultHeader("ES384", "fetched-1"), "jku",
                              Quoted("https://attacker.example/jwks.json"));
  const std::string token =
      SignToken(fetched_, JwsAlgorithm::kES384, Json(header), Json(DefaultClaims(kFetchedIssuer)));
  EXPECT_THAT(Verify(token), StatusIs(kPermissionDenied, HasSubstr("jku is not an allowlisted")));
  // Another issuer's URL is not good enough either.
  const Members static_header = With(DefaultHeader("ES384", "es384"), "jku", Quoted(kJwksUrl));
  EXPECT_THAT(Verify(SignToken(es384_, JwsAlgorithm::kES384, Json(static_header),
                               Json(DefaultClaims()))),
              StatusIs(kPermissionDenied));
  EXPECT_EQ(fetcher_->calls(), 0);
}

TEST_F(JwtVerifierTest, RejectsUnknownKid) {
  const std::string token = SignToken(es384_, JwsAlgorithm::kES384,
                                      Json(DefaultHeader("ES384", "nobody")),
                                      Json(DefaultClaims()));
  EXPECT_THAT(Verify(token), StatusIs(kUnauthenticated, HasSubstr("no key with kid \"nobody\"")));
}

TEST_F(JwtVerifierTest, RejectsKeyOfAnotherIssuer) {
  // Signed by the fetched issuer's key, claiming the static issuer.
  const std::string token = SignToken(fetched_, JwsAlgorithm::kES384,
                                      Json(DefaultHeader("ES384", "fetched-1")),
                                      Json(DefaultClaims(kIssuer)));
  EXPECT_THAT(Verify(token), StatusIs(kUnauthenticated, HasSubstr("no key")));
}

// --- Replay ------------------------------------------------------------------------------

TEST_F(JwtVerifierTest, RejectsReplayedJti) {
  const std::string token = Es384Token(DefaultClaims());
  EXPECT_THAT(Verify(token), IsOk());
  EXPECT_THAT(Verify(token), StatusIs(kUnauthenticated, HasSubstr("replay")));
  // A fresh token reusing the jti is a replay too.
  EXPECT_THAT(Verify(Es384Token(With(DefaultClaims(), "jti", Quoted("jti-0")))),
              StatusIs(kUnauthenticated, HasSubstr("replay")));
}

TEST_F(JwtVerifierTest, RejectedTokensDoNotConsumeTheirJti) {
  const Members claims = DefaultClaims();
  EXPECT_THAT(verifier().Verify(Es384Token(claims), "https://cds.example.org/other"),
              StatusIs(kUnauthenticated));
  EXPECT_THAT(Verify(Es384Token(claims)), IsOk());
}

TEST_F(JwtVerifierTest, FullReplayCacheFailsClosed) {
  options_.replay_cache_max_entries = 1;
  EXPECT_THAT(Verify(Es384Token(DefaultClaims())), IsOk());
  EXPECT_THAT(Verify(Es384Token(DefaultClaims())),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("full")));
  now_ += absl::Minutes(7);  // the first jti is forgotten after iat + 5 min + skew
  Members claims = DefaultClaims();
  claims = With(With(claims, "iat", absl::StrCat(kNow + 420)), "exp", absl::StrCat(kNow + 720));
  EXPECT_THAT(Verify(Es384Token(claims)), IsOk());
}

TEST_F(JwtVerifierTest, ConcurrentReplaysAcceptExactlyOne) {
  const std::string token = Es384Token(DefaultClaims());
  JwtVerifier& v = verifier();
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (v.Verify(token, kAudience).ok()) ++accepted;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), 1);
}

// --- Replay protection shared by replicas --------------------------------------------------

// Stands in for the shared table (PgStore::RecordTokenUse): one set of (iss, jti) that several
// verifiers (replicas) consult, and a switch for "database down".
struct SharedJtiTable {
  absl::Mutex mu;
  std::set<std::pair<std::string, std::string>> used;
  absl::Status down;
  int calls = 0;
  std::function<absl::Status(std::string_view, std::string_view, absl::Time, absl::Time)>
  Use() {
    return [this](std::string_view iss, std::string_view jti, absl::Time, absl::Time) {
      absl::MutexLock lock(&mu);
      ++calls;
      if (!down.ok()) return down;
      if (!used.emplace(std::string(iss), std::string(jti)).second) {
        return absl::AlreadyExistsError("used");
      }
      return absl::OkStatus();
    };
  }
};

TEST_F(JwtVerifierTest, ATokenUsedOnOneReplicaIsRefusedByTheOthers) {
  SharedJtiTable table;
  options_.shared_replay = table.Use();
  std::vector<std::unique_ptr<JwtVerifier>> replicas;
  for (int i = 0; i < 3; ++i) {
    auto created = JwtVerifier::Create(options_);
    ASSERT_THAT(created, IsOk());
    replicas.push_back(*std::move(created));
  }
  const std::string token = Es384Token(DefaultClaims());
  EXPECT_THAT(replicas[0]->Verify(token, kAudience), IsOk());
  EXPECT_THAT(replicas[1]->Verify(token, kAudience),
              StatusIs(kUnauthenticated, HasSubstr("another replica")));
  EXPECT_THAT(replicas[2]->Verify(token, kAudience), StatusIs(kUnauthenticated));
  // A replay to the same replica is refused from memory, without asking the table.
  const int calls = table.calls;
  EXPECT_THAT(replicas[0]->Verify(token, kAudience), StatusIs(kUnauthenticated));
  EXPECT_EQ(table.calls, calls);
}

TEST_F(JwtVerifierTest, SharedReplayDownFallsBackToThisReplicasMemoryAndSaysSo) {
  SharedJtiTable table;
  table.down = absl::UnavailableError("database down");
  std::vector<absl::Status> reported;
  options_.shared_replay = table.Use();
  options_.on_shared_replay_unavailable = [&reported](const absl::Status& s) {
    reported.push_back(s);
  };
  const std::string token = Es384Token(DefaultClaims());
  EXPECT_THAT(Verify(token), IsOk());  // hooks keep answering while the database is down
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_THAT(reported[0], StatusIs(absl::StatusCode::kUnavailable));
  // This replica still refuses the replay on its own.
  EXPECT_THAT(Verify(token), StatusIs(kUnauthenticated, HasSubstr("replay")));
}

// --- JWKS URLs ---------------------------------------------------------------------------

TEST_F(JwtVerifierTest, FetchesAndCachesJwks) {
  auto token = [&](const std::string& jku) {
    Members header = DefaultHeader("ES384", "fetched-1");
    if (!jku.empty()) header = With(header, "jku", Quoted(jku));
    return SignToken(fetched_, JwsAlgorithm::kES384, Json(header),
                     Json(CurrentClaims(kFetchedIssuer)));
  };
  EXPECT_THAT(Verify(token(kJwksUrl)), IsOk());
  EXPECT_THAT(Verify(token("")), IsOk());
  EXPECT_THAT(Verify(token(kJwksUrl)), IsOk());
  EXPECT_EQ(fetcher_->calls(), 1);
  // After the TTL the set is fetched again.
  now_ += options_.jwks_cache_ttl;
  EXPECT_THAT(Verify(token("")), IsOk());
  EXPECT_EQ(fetcher_->calls(), 2);
}

TEST_F(JwtVerifierTest, RefreshesOnUnknownKidAtMostOncePerInterval) {
  auto token = [&](EVP_PKEY* key, const std::string& kid) {
    return SignToken(key, JwsAlgorithm::kES384, Json(DefaultHeader("ES384", kid)),
                     Json(CurrentClaims(kFetchedIssuer)));
  };
  EXPECT_THAT(Verify(token(fetched_, "fetched-1")), IsOk());
  EXPECT_EQ(fetcher_->calls(), 1);
  // The issuer rotates its key. Within the refresh interval an unknown kid is not refetched.
  fetcher_->Set(kJwksUrl, JwksOf({PublicJwk(fetched_, "fetched-1", "ES384"),
                                  PublicJwk(rotated_, "fetched-2", "ES384")}));
  EXPECT_THAT(Verify(token(rotated_, "fetched-2")),
              StatusIs(kUnauthenticated, HasSubstr("no key with kid")));
  EXPECT_EQ(fetcher_->calls(), 1);
  now_ += options_.jwks_min_refresh_interval;
  EXPECT_THAT(Verify(token(rotated_, "fetched-2")), IsOk());
  EXPECT_EQ(fetcher_->calls(), 2);
  // Junk kids right after a refresh cost nothing.
  for (int i = 0; i < 5; ++i) {
    EXPECT_THAT(Verify(token(rotated_, absl::StrCat("junk-", i))), StatusIs(kUnauthenticated));
  }
  EXPECT_EQ(fetcher_->calls(), 2);
}

TEST_F(JwtVerifierTest, ConcurrentFirstUseFetchesOnce) {
  std::vector<std::string> tokens;
  for (int i = 0; i < 8; ++i) {
    tokens.push_back(SignToken(fetched_, JwsAlgorithm::kES384,
                               Json(DefaultHeader("ES384", "fetched-1")),
                               Json(DefaultClaims(kFetchedIssuer))));
  }
  JwtVerifier& v = verifier();
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (const std::string& token : tokens) {
    threads.emplace_back([&v, &accepted, &token] {
      if (v.Verify(token, kAudience).ok()) ++accepted;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), 8);
  EXPECT_EQ(fetcher_->calls(), 1);
}

TEST_F(JwtVerifierTest, JwksFetchFailureIsUnavailableButCachedKeysSurvive) {
  auto token = [&]() {
    return SignToken(fetched_, JwsAlgorithm::kES384, Json(DefaultHeader("ES384", "fetched-1")),
                     Json(CurrentClaims(kFetchedIssuer)));
  };
  fetcher_->Clear();
  EXPECT_THAT(Verify(token()), StatusIs(absl::StatusCode::kUnavailable, HasSubstr("fake")));
  now_ += options_.jwks_min_refresh_interval;
  fetcher_->Set(kJwksUrl, JwksOf({PublicJwk(fetched_, "fetched-1", "ES384")}));
  EXPECT_THAT(Verify(token()), IsOk());
  // The issuer goes down after the TTL: keep using the keys we have.
  fetcher_->Clear();
  now_ += options_.jwks_cache_ttl;
  EXPECT_THAT(Verify(token()), IsOk());
  EXPECT_EQ(fetcher_->calls(), 3);
}

TEST_F(JwtVerifierTest, FetchedJwksWithPrivateKeyIsNotUsed) {
  std::string leaky = PublicJwk(fetched_, "fetched-1", "ES384");
  leaky.insert(leaky.size() - 1, ",\"d\":\"AAAA\"");
  fetcher_->Set(kJwksUrl, JwksOf({leaky}));
  EXPECT_THAT(Verify(SignToken(fetched_, JwsAlgorithm::kES384,
                               Json(DefaultHeader("ES384", "fetched-1")),
                               Json(DefaultClaims(kFetchedIssuer)))),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("private-key member")));
}

// --- Configuration -----------------------------------------------------------------------

TEST_F(JwtVerifierTest, RejectsStaticJwksWithPrivateKey) {
  std::string leaky = PublicJwk(es384_, "es384", "ES384");
  leaky.insert(leaky.size() - 1, ",\"d\":\"AAAA\"");
  options_.issuers[0].jwks_json = JwksOf({leaky});
  EXPECT_THAT(JwtVerifier::Create(options_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("private-key member \"d\"")));
}

TEST_F(JwtVerifierTest, LoadsStaticJwksFromFile) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string path = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/jwks.json");
  {
    std::ofstream out(path);
    out << JwksOf({PublicJwk(es384_, "es384", "ES384")});
  }
  options_.issuers[0].jwks_json.clear();
  options_.issuers[0].jwks_file = path;
  EXPECT_THAT(Verify(Es384Token(DefaultClaims())), IsOk());
  options_.issuers[0].jwks_file = path + ".missing";
  EXPECT_THAT(JwtVerifier::Create(options_), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(JwtVerifierTest, RejectsBadConfiguration) {
  JwtVerifierOptions options = options_;
  options.issuers.clear();
  EXPECT_THAT(JwtVerifier::Create(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options = options_;
  options.issuers.push_back(options.issuers[0]);
  EXPECT_THAT(JwtVerifier::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("twice")));
  options = options_;
  options.issuers[1].jwks_urls.clear();
  EXPECT_THAT(JwtVerifier::Create(options),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no keys")));
  options = options_;
  options.allowed_algorithms.clear();
  EXPECT_THAT(JwtVerifier::Create(options), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(JwtVerifierTest, ErrorsNeverContainTheToken) {
  const std::string token = Es384Token(DefaultClaims("https://stranger.example"));
  for (const std::string& candidate : {token, token + "x", "Bearer " + token.substr(5)}) {
    auto result = Verify(candidate);
    ASSERT_THAT(result, Not(IsOk()));
    EXPECT_THAT(std::string(result.status().message()), Not(HasSubstr(token.substr(5, 20))));
  }
}

}  // namespace
}  // namespace thrombo::service::auth
