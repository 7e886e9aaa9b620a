// Copyright 2026 The Thrombo Authors.
// Google Benchmark for ES384 verification: the raw signature check and a full Verify call.
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "service/auth/jwk.h"
#include "service/auth/jws.h"
#include "service/auth/jws_signature.h"
#include "service/auth/jwt_verifier.h"
#include "service/auth/test_keys.h"

namespace thrombo::service::auth {
namespace {

constexpr char kIssuer[] = "https://ehr.example.org";
constexpr char kAudience[] = "https://cds.example.org/cds-services/thrombo-order-sign";
constexpr int64_t kNow = 1'700'000'000;

std::string Claims(int64_t jti) {
  return absl::StrCat(R"({"iss":")", kIssuer, R"(","aud":")", kAudience, R"(","exp":)",
                      kNow + 300, R"(,"iat":)", kNow, R"(,"jti":"bench-)", jti, R"("})");
}

constexpr char kHeader[] = R"({"alg":"ES384","typ":"JWT","kid":"k"})";

void BM_Es384Signature(benchmark::State& state) {
  EvpPkeyPtr key = testing::GenerateEcKey("P-384");
  auto set = ParseJwks(testing::JwksOf({testing::PublicJwk(key.get(), "k", "ES384")}));
  auto jws = SplitCompactJws(testing::SignToken(key.get(), JwsAlgorithm::kES384, kHeader,
                                                Claims(0)));
  if (!set.ok() || !jws.ok()) {
    state.SkipWithError("setup failed");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        VerifyJwsSignature(JwsAlgorithm::kES384, set->keys[0], jws->signing_input,
                           jws->signature));
  }
}
BENCHMARK(BM_Es384Signature);

// The whole pipeline, including JSON parsing and the replay cache. Each token needs a new jti,
// so signing happens with the timer paused.
void BM_VerifyEs384Token(benchmark::State& state) {
  EvpPkeyPtr key = testing::GenerateEcKey("P-384");
  JwtVerifierOptions options;
  options.issuers = {{kIssuer, "", testing::JwksOf({testing::PublicJwk(key.get(), "k", "ES384")}),
                      {}}};
  options.clock = [] { return absl::FromUnixSeconds(kNow); };
  options.replay_cache_max_entries = 10'000'000;
  auto verifier = JwtVerifier::Create(options);
  if (!verifier.ok()) {
    state.SkipWithError("setup failed");
    return;
  }
  int64_t jti = 0;
  for (auto _ : state) {
    state.PauseTiming();
    const std::string token =
        testing::SignToken(key.get(), JwsAlgorithm::kES384, kHeader, Claims(++jti));
    state.ResumeTiming();
    auto result = (*verifier)->Verify(token, kAudience);
    if (!result.ok()) {
      state.SkipWithError("verification failed");
      break;
    }
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_VerifyEs384Token);

}  // namespace
}  // namespace thrombo::service::auth
