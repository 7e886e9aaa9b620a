// Copyright 2026 The Thrombo Authors.
// A minimal blocking HTTP/1.1 client on Boost.Beast for the end-to-end tests.
#include "tests/e2e/http_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <exception>
#include <string>

#include "absl/strings/ascii.h"
#include "boost/asio/connect.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/beast/core.hpp"
#include "boost/beast/http.hpp"

namespace thrombo::e2e {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

std::string ClientResponse::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

ClientResponse Send(uint16_t port, const ClientRequest& request, int timeout_seconds) {
  ClientResponse out;
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code ec;
  stream.expires_after(std::chrono::seconds(timeout_seconds));
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), ec);
  if (ec) {
    out.error = "connect: " + ec.message();
    return out;
  }

  bhttp::request<bhttp::string_body> req;
  try {  // Beast throws on a field value of 64 KiB or more; this function does not.
    req.method_string(request.method);
    req.target(request.target);
    req.version(11);
    req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));
    req.set(bhttp::field::connection, "close");
    for (const auto& [name, value] : request.headers) req.insert(name, value);
  } catch (const std::exception& e) {
    out.error = std::string("request not sendable: ") + e.what();
    return out;
  }
  req.body() = request.body;
  // Beast would otherwise omit Content-Length on a bodiless GET; POSTs need it even when empty.
  if (!request.body.empty() || request.method != "GET") req.prepare_payload();

  stream.expires_after(std::chrono::seconds(timeout_seconds));
  bhttp::write(stream, req, ec);
  std::string write_error = ec ? ec.message() : "";

  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64u << 20);
  parser.header_limit(64u << 10);
  stream.expires_after(std::chrono::seconds(timeout_seconds));
  bhttp::read(stream, buffer, parser, ec);
  if (ec && !parser.is_header_done()) {
    out.error = "read: " + ec.message() + (write_error.empty() ? "" : "; write: " + write_error);
    return out;
  }
  const auto& res = parser.get();
  out.status = static_cast<int>(res.result_int());
  for (const auto& field : res) {
    std::string name = absl::AsciiStrToLower(std::string(field.name_string()));
    std::string value(field.value());
    auto [it, inserted] = out.headers.emplace(name, value);
    if (!inserted) it->second += ", " + value;
  }
  out.body = res.body();
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return out;
}

int ConnectLoopback(uint16_t port, int timeout_seconds) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  timeval tv{};
  tv.tv_sec = timeout_seconds;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

}  // namespace thrombo::e2e
