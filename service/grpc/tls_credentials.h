// Copyright 2026 The Thrombo Authors.
// The gRPC port's server credentials: TLS from the same PEM files as the HTTPS port.
#ifndef THROMBO_SERVICE_GRPC_TLS_CREDENTIALS_H_
#define THROMBO_SERVICE_GRPC_TLS_CREDENTIALS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"
#include "service/http/tls_context.h"

namespace thrombo::service {

// grpc::SslServerCredentials over `files` (the certificate chain and its key; no client
// certificate requested; gRPC's own floor is TLS 1.2), or insecure credentials when `files` is
// null. The files are checked the way the HTTPS port checks them, so a bad pair is refused at
// start with the same message (InvalidArgument naming the file). gRPC reads the certificate
// once: a SIGHUP reload renews the HTTPS port only, and a rolling restart renews gRPC.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> GrpcServerCredentials(
    const http::TlsFiles* files);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_GRPC_TLS_CREDENTIALS_H_
