// Copyright 2026 The Thrombo Authors.
// The blocking HTTPS test client.
#include "tests/e2e/tls_client.h"

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <chrono>
#include <exception>
#include <string>

#include "absl/strings/ascii.h"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"
#include "boost/beast/ssl.hpp"

namespace thrombo::e2e {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;

namespace {

std::string PeerCommonName(SSL* connection) {
  X509* cert = SSL_get1_peer_certificate(connection);
  if (cert == nullptr) return "";
  char name[256] = "";
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, name, sizeof(name));
  X509_free(cert);
  return name;
}

}  // namespace

TlsClientResponse HttpsSend(uint16_t port, const ClientRequest& request,
                            const TlsClientOptions& options, int timeout_seconds) {
  TlsClientResponse out;
  beast::error_code ec;
  ssl::context context(ssl::context::tls_client);
  context.set_verify_mode(ssl::verify_peer);
  context.load_verify_file(options.ca_file, ec);
  if (ec) {
    out.http.error = "load_verify_file " + options.ca_file + ": " + ec.message();
    return out;
  }
  if (options.max_version != 0) {
    SSL_CTX_set_security_level(context.native_handle(), 0);
    SSL_CTX_set_min_proto_version(context.native_handle(), 0);
    SSL_CTX_set_max_proto_version(context.native_handle(), options.max_version);
    SSL_CTX_set_cipher_list(context.native_handle(), "ALL:@SECLEVEL=0");
  }
  asio::io_context io;
  beast::ssl_stream<beast::tcp_stream> stream(io, context);
  SSL_set_tlsext_host_name(stream.native_handle(), options.host.c_str());
  stream.set_verify_callback(ssl::host_name_verification(options.host));
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(timeout_seconds));
  beast::get_lowest_layer(stream).connect(
      asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) {
    out.http.error = "connect: " + ec.message();
    return out;
  }
  stream.handshake(ssl::stream_base::client, ec);
  if (ec) {
    out.http.error = "handshake: " + ec.message();
    return out;
  }
  out.handshake_ok = true;
  out.peer_common_name = PeerCommonName(stream.native_handle());

  bhttp::request<bhttp::string_body> req;
  try {
    req.method_string(request.method);
    req.target(request.target);
    req.version(11);
    req.set(bhttp::field::host, options.host + ":" + std::to_string(port));
    req.set(bhttp::field::connection, "close");
    for (const auto& [name, value] : request.headers) req.insert(name, value);
  } catch (const std::exception& e) {
    out.http.error = std::string("request not sendable: ") + e.what();
    return out;
  }
  req.body() = request.body;
  if (!request.body.empty() || request.method != "GET") req.prepare_payload();
  bhttp::write(stream, req, ec);
  if (ec) {
    out.http.error = "write: " + ec.message();
    return out;
  }
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64u << 20);
  bhttp::read(stream, buffer, parser, ec);
  if (ec && !parser.is_done()) {
    out.http.error = "read: " + ec.message();
    return out;
  }
  const auto& res = parser.get();
  out.http.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    std::string name = absl::AsciiStrToLower(std::string(field.name_string()));
    auto [it, inserted] = out.http.headers.emplace(name, std::string(field.value()));
    if (!inserted) it->second += ", " + std::string(field.value());
  }
  out.http.body = res.body();
  stream.shutdown(ec);  // close_notify both ways; the server answers it
  return out;
}

}  // namespace thrombo::e2e
