// Copyright 2026 The Thrombo Authors.
// The server's TLS configuration (OpenSSL 3 through boost::asio::ssl): a certificate chain and
// key loaded from PEM files into a TLS 1.2+ context that can be reloaded while serving.
#ifndef THROMBO_SERVICE_HTTP_TLS_CONTEXT_H_
#define THROMBO_SERVICE_HTTP_TLS_CONTEXT_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "boost/asio/ssl/context.hpp"

namespace thrombo::service::http {

struct TlsFiles {
  // PEM: the server certificate first, then any intermediates (the chain clients need).
  std::string cert_file;
  // PEM: the private key of the first certificate, unencrypted (no passphrase prompt at start).
  std::string key_file;
};

// Thread-safe. Connections take Current() when they are accepted and keep that context for
// their lifetime, so Reload() changes the certificate for new connections only and never
// disturbs a handshake or a connection in progress.
class TlsContext final {
 public:
  // Reads both files. Errors: InvalidArgument naming the file (and OpenSSL's reason) when a
  // file is missing, unreadable or not PEM, or when the key does not match the certificate.
  static absl::StatusOr<std::shared_ptr<TlsContext>> Load(TlsFiles files);

  // Re-reads the same paths (a renewed certificate, e.g. from cert-manager or certbot). On any
  // error the previous certificate stays in use and the error is returned.
  absl::Status Reload();

  // The context for a new connection.
  std::shared_ptr<boost::asio::ssl::context> Current() const;

  const TlsFiles& files() const { return files_; }

 private:
  explicit TlsContext(TlsFiles files) : files_(std::move(files)) {}

  const TlsFiles files_;
  mutable absl::Mutex mu_;
  std::shared_ptr<boost::asio::ssl::context> current_ ABSL_GUARDED_BY(mu_);
};

// Builds a server context from the files: TLS 1.2 minimum, forward-secret AEAD cipher suites
// for TLS 1.2 (OpenSSL's TLS 1.3 defaults are all AEAD), no compression, no renegotiation.
// Exposed for tests that inspect the settings.
absl::StatusOr<std::shared_ptr<boost::asio::ssl::context>> MakeServerContext(
    const TlsFiles& files);

// Calls `tls->Reload()` on every SIGHUP until destroyed, and `on_reload` with its result (to
// log it). Installs the handler at construction, so SIGHUP no longer terminates the process;
// the default disposition is restored on destruction. Runs its own thread.
class ReloadOnSighup final {
 public:
  ReloadOnSighup(std::shared_ptr<TlsContext> tls,
                 std::function<void(const absl::Status&)> on_reload);
  ~ReloadOnSighup();
  ReloadOnSighup(const ReloadOnSighup&) = delete;
  ReloadOnSighup& operator=(const ReloadOnSighup&) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace thrombo::service::http

#endif  // THROMBO_SERVICE_HTTP_TLS_CONTEXT_H_
