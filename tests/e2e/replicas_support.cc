// Copyright 2026 The Thrombo Authors.
#include "tests/e2e/replicas_support.h"

#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "service/auth/test_keys.h"
#include "tests/e2e/service_stack.h"
#include "tests/testing/child_process.h"

namespace thrombo::e2e {

namespace fs = std::filesystem;

fs::path TestTempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? fs::path(dir) : fs::temp_directory_path();
}

TokenMinter::TokenMinter(const fs::path& dir)
    : key_(service::auth::testing::GenerateEcKey("P-384")) {
  const fs::path jwks = dir / "replicas-jwks.json";
  std::ofstream(jwks) << service::auth::testing::JwksOf(
      {service::auth::testing::PublicJwk(key_.get(), "replicas-1", "ES384")});
  issuers_file_ = (dir / "replicas-issuers.json").string();
  std::ofstream(issuers_file_) << absl::StrCat(R"([{"iss":")", kReplicaIssuer, R"(","jwks_file":")",
                                               jwks.string(), R"("}])");
  std::random_device random;
  jti_prefix_ = absl::StrCat("jti-", random(), "-", random(), "-");
}

std::string TokenMinter::Mint(const std::string& path) {
  const int64_t now = absl::ToUnixSeconds(absl::Now());
  const std::string claims = absl::StrCat(
      R"({"iss":")", kReplicaIssuer, R"(","aud":")", kReplicaBaseUrl, path, R"(","exp":)",
      now + 300, R"(,"iat":)", now, R"(,"jti":")", jti_prefix_, next_.fetch_add(1), R"("})");
  return service::auth::testing::SignToken(key_.get(), service::auth::JwsAlgorithm::kES384,
                                           R"({"alg":"ES384","typ":"JWT","kid":"replicas-1"})",
                                           claims);
}

std::unique_ptr<Replica> StartReplica(const std::string& name, const std::string& db,
                                      const std::string& issuers_file,
                                      std::vector<std::string> extra) {
  std::vector<std::string> args = {thrombo::testing::ThromboBinary().string(),
                                   "serve",
                                   "--http_port=0",
                                   "--grpc_port=0",
                                   "--threads=2",
                                   "--db_pool_size=4",
                                   absl::StrCat("--db=", db),
                                   absl::StrCat("--base_url=", kReplicaBaseUrl),
                                   absl::StrCat("--jwt_issuers_file=", issuers_file)};
  args.insert(args.end(), extra.begin(), extra.end());
  return thrombo::testing::ChildProcess::Start(
      std::move(args), TestTempDir() / absl::StrCat(name, "-", ::getpid(), ".log"));
}

ClientRequest HookRequest(TokenMinter& tokens) {
  static const std::string* body =
      new std::string(ReadSourceFile("examples/order-sign-thalidomide.json"));
  ClientRequest request;
  request.method = "POST";
  request.target = kOrderSign;
  request.headers = {{"Content-Type", "application/json"},
                     {"Authorization", "Bearer " + tokens.Mint(kOrderSign)}};
  request.body = *body;
  return request;
}

ClientRequest FeedbackRequest(TokenMinter& tokens, const std::string& card_uuid) {
  const std::string path = absl::StrCat(kOrderSign, "/feedback");
  ClientRequest request;
  request.method = "POST";
  request.target = path;
  request.headers = {{"Content-Type", "application/json"},
                     {"Authorization", "Bearer " + tokens.Mint(path)}};
  request.body =
      absl::StrCat(R"({"feedback":[{"card":")", card_uuid,
                   R"(","outcome":"accepted","acceptedSuggestions":[{"id":")", "suggestion-1",
                   R"("}],"outcomeTimestamp":"2026-12-02T07:00:00Z"}]})");
  return request;
}

double MetricValue(const std::string& metrics_text, const std::string& name) {
  double total = 0;
  for (absl::string_view line : absl::StrSplit(metrics_text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    if (space == absl::string_view::npos) continue;
    const absl::string_view series = line.substr(0, space);
    if (series != name && series.substr(0, name.size() + 1) != name + "{") continue;
    double value = 0;
    if (absl::SimpleAtod(std::string(line.substr(space + 1)), &value)) total += value;
  }
  return total;
}

}  // namespace thrombo::e2e
