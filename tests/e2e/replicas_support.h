// Copyright 2026 The Thrombo Authors.
// Several real `thrombo serve` processes on one PostgreSQL database, for the fleet tests
// (issue 12): starting and killing replicas, minting the JWTs an EHR would send, and the
// requests of a load client.
#ifndef THROMBO_TESTS_E2E_REPLICAS_SUPPORT_H_
#define THROMBO_TESTS_E2E_REPLICAS_SUPPORT_H_

#include <sys/types.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "service/auth/openssl_util.h"
#include "tests/e2e/http_client.h"
#include "tests/testing/child_process.h"

namespace thrombo::e2e {

// The public URL every replica is configured with, as behind one load balancer: the JWT
// audience of a call is this plus the path.
inline constexpr char kReplicaBaseUrl[] = "https://cds.replicas.test";
inline constexpr char kReplicaIssuer[] = "https://ehr.replicas.test/cds-client";

// An ES384 key trusted by the replicas (a --jwt_issuers_file naming its JWKS file) and the
// tokens it signs.
class TokenMinter final {
 public:
  // Writes the JWKS and issuers files under `dir`.
  explicit TokenMinter(const std::filesystem::path& dir);
  const std::string& issuers_file() const { return issuers_file_; }
  // A fresh token (new jti, 5 minutes) for a call to `path`.
  std::string Mint(const std::string& path);

 private:
  service::auth::EvpPkeyPtr key_;
  std::string issuers_file_;
  std::string jti_prefix_;
  std::atomic<int> next_{0};  // load clients mint concurrently
};

// One `thrombo serve` replica as a child process: HTTP on an ephemeral port, gRPC off, JWT
// authentication on, its output in a log file.
using Replica = thrombo::testing::ChildProcess;
std::unique_ptr<Replica> StartReplica(const std::string& name, const std::string& db,
                                      const std::string& issuers_file,
                                      std::vector<std::string> extra = {});

// POST of examples/order-sign-thalidomide.json (full prefetch: no FHIR server is needed).
ClientRequest HookRequest(TokenMinter& tokens);
// POST of one accepted feedback entry for card `card_uuid`.
ClientRequest FeedbackRequest(TokenMinter& tokens, const std::string& card_uuid);

// The value of the un-labelled counter or gauge `name` in a /metrics text (0 when absent).
double MetricValue(const std::string& metrics_text, const std::string& name);

std::filesystem::path TestTempDir();

}  // namespace thrombo::e2e

#endif  // THROMBO_TESTS_E2E_REPLICAS_SUPPORT_H_
