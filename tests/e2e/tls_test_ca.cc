// Copyright 2026 The Thrombo Authors.
// The throwaway CA: openssl req / x509 commands run through the shell.
#include "tests/e2e/tls_test_ca.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace thrombo::e2e {
namespace {

namespace fs = std::filesystem;

// Runs `command` with stdout and stderr into `log`; Internal with both when it fails.
absl::Status Run(const std::string& command, const std::string& log) {
  const int rc = std::system(absl::StrCat(command, " >>", log, " 2>&1").c_str());
  if (rc == 0) return absl::OkStatus();
  std::ifstream in(log);
  std::ostringstream text;
  text << in.rdbuf();
  return absl::InternalError(absl::StrCat("`", command, "` failed (", rc, "): ", text.str()));
}

absl::Status WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.close();
  if (!out) return absl::InternalError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

// A key and a certificate signed by the CA in `dir`. `days` may be negative: openssl then sets
// notAfter that many days before now (notBefore stays now), an expired certificate.
absl::StatusOr<TestCertificate> Issue(const std::string& dir, const std::string& name,
                                      const std::string& common_name,
                                      const std::string& alt_names, int days,
                                      const std::string& log) {
  TestCertificate out;
  out.key_file = absl::StrCat(dir, "/", name, ".key");
  out.cert_file = absl::StrCat(dir, "/", name, ".pem");
  const std::string csr = absl::StrCat(dir, "/", name, ".csr");
  const std::string extensions = absl::StrCat(dir, "/", name, ".ext");
  absl::Status written = WriteFile(
      extensions, absl::StrCat("subjectAltName=", alt_names,
                               "\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"));
  if (!written.ok()) return written;
  absl::Status status = Run(
      absl::StrCat("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ",
                   out.key_file, " -out ", csr, " -subj /CN=", common_name),
      log);
  if (status.ok()) {
    status = Run(absl::StrCat("openssl x509 -req -in ", csr, " -CA ", dir, "/ca.pem -CAkey ",
                              dir, "/ca.key -CAcreateserial -days ", days, " -extfile ",
                              extensions, " -out ", out.cert_file),
                 log);
  }
  if (!status.ok()) return status;
  return out;
}

}  // namespace

absl::StatusOr<TestCa> MakeTestCa(const std::string& name) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  TestCa ca;
  ca.dir = absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/tls-", name);
  std::error_code ec;
  fs::remove_all(ca.dir, ec);
  fs::create_directories(ca.dir, ec);
  if (ec) return absl::InternalError(absl::StrCat("cannot create ", ca.dir, ": ", ec.message()));
  const std::string log = absl::StrCat(ca.dir, "/openssl.log");
  ca.ca_file = absl::StrCat(ca.dir, "/ca.pem");
  absl::Status status = Run(
      absl::StrCat("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ",
                   ca.dir, "/ca.key -out ", ca.ca_file,
                   " -subj /CN=thrombo-test-ca -days 2 -addext basicConstraints=critical,CA:TRUE"
                   " -addext keyUsage=critical,keyCertSign,cRLSign"),
      log);
  if (!status.ok()) return status;
  const std::string localhost = "DNS:localhost,IP:127.0.0.1";
  absl::StatusOr<TestCertificate> issued =
      Issue(ca.dir, "good", "thrombo-test-good", localhost, 2, log);
  if (!issued.ok()) return issued.status();
  ca.good = *issued;
  issued = Issue(ca.dir, "renewed", "thrombo-test-renewed", localhost, 2, log);
  if (!issued.ok()) return issued.status();
  ca.renewed = *issued;
  issued = Issue(ca.dir, "expired", "thrombo-test-expired", localhost, -1, log);
  if (!issued.ok()) return issued.status();
  ca.expired = *issued;
  issued = Issue(ca.dir, "wrong-host", "wrong-host.example", "DNS:wrong-host.example", 2, log);
  if (!issued.ok()) return issued.status();
  ca.wrong_host = *issued;
  ca.self_signed.key_file = absl::StrCat(ca.dir, "/self-signed.key");
  ca.self_signed.cert_file = absl::StrCat(ca.dir, "/self-signed.pem");
  status = Run(
      absl::StrCat("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ",
                   ca.self_signed.key_file, " -out ", ca.self_signed.cert_file,
                   " -subj /CN=localhost -days 2 -addext subjectAltName=", localhost),
      log);
  if (!status.ok()) return status;
  return ca;
}

std::string SubjectCommonName(const std::string& cert_file) {
  FILE* file = std::fopen(cert_file.c_str(), "r");
  if (file == nullptr) return "";
  X509* cert = PEM_read_X509(file, nullptr, nullptr, nullptr);
  std::fclose(file);
  if (cert == nullptr) return "";
  char name[256] = "";
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, name, sizeof(name));
  X509_free(cert);
  return name;
}

}  // namespace thrombo::e2e
