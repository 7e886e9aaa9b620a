// Copyright 2026 The Thrombo Authors.
#include "service/grpc/tls_credentials.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/read_file.h"
#include "grpcpp/security/server_credentials.h"

namespace thrombo::service {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path, const char* what) {
  std::string text;
  if (!base::ReadFileInto(path, &text).ok() || text.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("TLS ", what, " file ", path,
                                                   ": cannot be read"));
  }
  return text;
}

}  // namespace

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> GrpcServerCredentials(
    const http::TlsFiles* files) {
  if (files == nullptr) return grpc::InsecureServerCredentials();
  // gRPC would only log a bad pair and fail each handshake; refuse it at start instead.
  absl::StatusOr<std::shared_ptr<boost::asio::ssl::context>> checked =
      http::MakeServerContext(*files);
  if (!checked.ok()) return checked.status();
  absl::StatusOr<std::string> cert = ReadPem(files->cert_file, "certificate");
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> key = ReadPem(files->key_file, "key");
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions options(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  options.pem_key_cert_pairs.push_back({*key, *cert});
  return grpc::SslServerCredentials(options);
}

}  // namespace thrombo::service
