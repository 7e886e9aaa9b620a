// Copyright 2026 The Thrombo Authors.
// The server TLS context: its protocol floor and cipher policy, and errors that name the file.
#include "service/http/tls_context.h"

#include <openssl/ssl.h>

#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/tls_test_ca.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service::http {
namespace {

using ::testing::HasSubstr;
using ::thrombo::testing::StatusIs;

class TlsContextTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<e2e::TestCa> ca = e2e::MakeTestCa("context");
    ASSERT_TRUE(ca.ok()) << ca.status();
    ca_ = new e2e::TestCa(*std::move(ca));
  }
  static void TearDownTestSuite() { delete ca_; }
  static e2e::TestCa* ca_;
};

e2e::TestCa* TlsContextTest::ca_ = nullptr;

TEST_F(TlsContextTest, TheFloorIsTls12AndTls12SuitesAreForwardSecretAead) {
  absl::StatusOr<std::shared_ptr<boost::asio::ssl::context>> context =
      MakeServerContext({ca_->good.cert_file, ca_->good.key_file});
  ASSERT_TRUE(context.ok()) << context.status();
  SSL_CTX* native = (*context)->native_handle();
  EXPECT_EQ(SSL_CTX_get_min_proto_version(native), TLS1_2_VERSION);
  EXPECT_NE(SSL_CTX_get_options(native) & SSL_OP_NO_RENEGOTIATION, 0u);
  EXPECT_NE(SSL_CTX_get_options(native) & SSL_OP_NO_COMPRESSION, 0u);
  SSL* connection = SSL_new(native);
  ASSERT_NE(connection, nullptr);
  STACK_OF(SSL_CIPHER)* ciphers = SSL_get_ciphers(connection);
  ASSERT_GT(sk_SSL_CIPHER_num(ciphers), 0);
  for (int i = 0; i < sk_SSL_CIPHER_num(ciphers); ++i) {
    const SSL_CIPHER* cipher = sk_SSL_CIPHER_value(ciphers, i);
    const std::string name = SSL_CIPHER_get_name(cipher);
    EXPECT_TRUE(SSL_CIPHER_is_aead(cipher)) << name;
    // TLS 1.3 suites (TLS_*) always use (EC)DHE; the TLS 1.2 ones must say so.
    if (name.rfind("TLS_", 0) != 0) EXPECT_EQ(name.rfind("ECDHE-", 0), 0u) << name;
  }
  SSL_free(connection);
}

TEST_F(TlsContextTest, LoadErrorsNameTheFileAtFault) {
  EXPECT_THAT(TlsContext::Load({ca_->dir + "/absent.pem", ca_->good.key_file}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("absent.pem")));
  EXPECT_THAT(TlsContext::Load({ca_->good.cert_file, ca_->dir + "/absent.key"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("absent.key")));
  // A key from another certificate: OpenSSL says "key values mismatch".
  EXPECT_THAT(TlsContext::Load({ca_->good.cert_file, ca_->renewed.key_file}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(ca_->renewed.key_file)));
  EXPECT_THAT(TlsContext::Load({"", ""}), StatusIs(absl::StatusCode::kInvalidArgument,
                                                   HasSubstr("--tls_cert_file")));
}

TEST_F(TlsContextTest, ReloadSwapsTheContextAndAFailedReloadKeepsTheOldOne) {
  const std::string cert = ca_->dir + "/reload.pem";
  const std::string key = ca_->dir + "/reload.key";
  auto install = [&](const e2e::TestCertificate& from) {
    std::ifstream cert_in(from.cert_file), key_in(from.key_file);
    std::ofstream(cert) << cert_in.rdbuf();
    std::ofstream(key) << key_in.rdbuf();
  };
  install(ca_->good);
  absl::StatusOr<std::shared_ptr<TlsContext>> tls = TlsContext::Load({cert, key});
  ASSERT_TRUE(tls.ok()) << tls.status();
  const auto first = (*tls)->Current();
  install(ca_->renewed);
  ASSERT_TRUE((*tls)->Reload().ok());
  const auto second = (*tls)->Current();
  EXPECT_NE(first, second);
  std::ofstream(cert, std::ios::trunc) << "not a certificate\n";
  EXPECT_THAT((*tls)->Reload(), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(cert)));
  EXPECT_EQ((*tls)->Current(), second);
}

}  // namespace
}  // namespace thrombo::service::http
