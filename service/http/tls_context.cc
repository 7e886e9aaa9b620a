// Copyright 2026 The Thrombo Authors.
// Loading and swapping the server's TLS context.
#include "service/http/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <csignal>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "boost/asio/io_context.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/signal_set.hpp"

namespace thrombo::service::http {

namespace asio = boost::asio;
using boost::system::error_code;

namespace {

// TLS 1.2 suites: ECDHE key exchange (forward secrecy) with AEAD ciphers only, the
// "intermediate" list of Mozilla's Server Side TLS guidelines (version 5.7,
// https://wiki.mozilla.org/Security/Server_Side_TLS). TLS 1.3 suites are OpenSSL's defaults.
constexpr char kTls12Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// OpenSSL's reason for the last failure, and the error queue cleared for the next caller.
std::string OpenSslReason(const error_code& ec) {
  const unsigned long code = ERR_peek_last_error();
  std::string reason;
  if (code != 0) {
    char text[256];
    ERR_error_string_n(code, text, sizeof(text));
    reason = text;
  } else {
    reason = ec ? ec.message() : "unknown error";
  }
  ERR_clear_error();
  return reason;
}

}  // namespace

absl::StatusOr<std::shared_ptr<asio::ssl::context>> MakeServerContext(const TlsFiles& files) {
  if (files.cert_file.empty() || files.key_file.empty()) {
    return absl::InvalidArgumentError(
        "TLS needs both a certificate file and a key file (--tls_cert_file, --tls_key_file)");
  }
  ERR_clear_error();
  SSL_CTX* native = SSL_CTX_new(TLS_server_method());
  if (native == nullptr) return absl::InternalError("SSL_CTX_new failed (out of memory?)");
  auto context = std::make_shared<asio::ssl::context>(native);  // takes ownership
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return absl::InternalError(
        absl::StrCat("cannot configure TLS 1.2+: ", OpenSslReason(error_code())));
  }
  // Belt and braces with the minimum version; no compression (CRIME) and no client-initiated
  // renegotiation (a CPU exhaustion lever, and nothing here needs it).
  SSL_CTX_set_options(native, SSL_OP_NO_SSLv3 | SSL_OP_NO_TLSv1 | SSL_OP_NO_TLSv1_1 |
                                  SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                  SSL_OP_CIPHER_SERVER_PREFERENCE);
  error_code ec;
  context->use_certificate_chain_file(files.cert_file, ec);
  if (ec) {
    return absl::InvalidArgumentError(absl::StrCat("TLS certificate file ", files.cert_file,
                                                   ": ", OpenSslReason(ec)));
  }
  context->use_private_key_file(files.key_file, asio::ssl::context::pem, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("TLS key file ", files.key_file, ": ", OpenSslReason(ec)));
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("TLS key file ", files.key_file,
                                                   " does not match the certificate in ",
                                                   files.cert_file));
  }
  return context;
}

absl::StatusOr<std::shared_ptr<TlsContext>> TlsContext::Load(TlsFiles files) {
  std::shared_ptr<TlsContext> tls(new TlsContext(std::move(files)));
  absl::Status loaded = tls->Reload();
  if (!loaded.ok()) return loaded;
  return tls;
}

absl::Status TlsContext::Reload() {
  absl::StatusOr<std::shared_ptr<asio::ssl::context>> fresh = MakeServerContext(files_);
  if (!fresh.ok()) return fresh.status();
  absl::MutexLock lock(&mu_);
  current_ = *std::move(fresh);
  return absl::OkStatus();
}

std::shared_ptr<asio::ssl::context> TlsContext::Current() const {
  absl::MutexLock lock(&mu_);
  return current_;
}

struct ReloadOnSighup::Impl {
  void Wait() {
    signals.async_wait([this](error_code ec, int) {
      if (ec) return;  // cancelled at destruction
      const absl::Status status = tls->Reload();
      if (on_reload) on_reload(status);
      Wait();
    });
  }

  std::shared_ptr<TlsContext> tls;
  std::function<void(const absl::Status&)> on_reload;
  asio::io_context ioc;
  asio::signal_set signals{ioc, SIGHUP};
  std::thread thread;
};

ReloadOnSighup::ReloadOnSighup(std::shared_ptr<TlsContext> tls,
                               std::function<void(const absl::Status&)> on_reload)
    : impl_(std::make_unique<Impl>()) {
  impl_->tls = std::move(tls);
  impl_->on_reload = std::move(on_reload);
  impl_->Wait();
  Impl* impl = impl_.get();
  impl_->thread = std::thread([impl] { impl->ioc.run(); });
}

ReloadOnSighup::~ReloadOnSighup() {
  asio::post(impl_->ioc, [impl = impl_.get()] {
    error_code ignored_too;
    impl->signals.cancel(ignored_too);
    impl->signals.clear(ignored_too);  // restores SIGHUP's default disposition
  });
  impl_->thread.join();  // run() returns once the cancelled wait has completed
}

}  // namespace thrombo::service::http
