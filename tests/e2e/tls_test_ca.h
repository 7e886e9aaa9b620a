// Copyright 2026 The Thrombo Authors.
// A throwaway certificate authority made with the `openssl` command line at test time, in a
// directory of the test's own (under $TEST_TMPDIR): nothing is committed, nothing outlives the
// test. EC P-256 keys, so generation takes milliseconds.
#ifndef THROMBO_TESTS_E2E_TLS_TEST_CA_H_
#define THROMBO_TESTS_E2E_TLS_TEST_CA_H_

#include <string>

#include "absl/status/statusor.h"

namespace thrombo::e2e {

// PEM file paths.
struct TestCertificate {
  std::string cert_file;
  std::string key_file;
};

struct TestCa {
  std::string dir;
  std::string ca_file;  // the CA's certificate: what a verifying client trusts
  // For "localhost" and 127.0.0.1 (subjectAltName), valid from now for two days. `good` and
  // `renewed` differ only in their subject CN ("thrombo-test-good", "thrombo-test-renewed"),
  // so a client can tell which one a server presented.
  TestCertificate good;
  TestCertificate renewed;
  // The same names, but its validity ended a day ago.
  TestCertificate expired;
  // Valid, but for "wrong-host.example" only.
  TestCertificate wrong_host;
  // Self-signed for localhost: a certificate no CA vouches for.
  TestCertificate self_signed;
};

// Creates the CA and its certificates in a fresh directory under $TEST_TMPDIR (or /tmp), named
// after `name`. Errors: Internal with the failing openssl command and its output.
absl::StatusOr<TestCa> MakeTestCa(const std::string& name);

// The subject CN of the certificate in `cert_file`, or "" when it cannot be read.
std::string SubjectCommonName(const std::string& cert_file);

}  // namespace thrombo::e2e

#endif  // THROMBO_TESTS_E2E_TLS_TEST_CA_H_
