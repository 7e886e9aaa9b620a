// Copyright 2026 The Thrombo Authors.
// HTTP/1.1 server on Boost.Beast: a thread pool over one io_context, keep-alive sessions,
// request limits and timeouts, CORS, and graceful shutdown.
#ifndef THROMBO_SERVICE_HTTP_SERVER_H_
#define THROMBO_SERVICE_HTTP_SERVER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/http/cors.h"
#include "service/http/message.h"
#include "service/http/router.h"
#include "service/http/tls_context.h"

namespace thrombo::service::http {

struct ServerOptions {
  // Address to bind: "0.0.0.0" (all IPv4), "::" or one interface. Port 0 picks a free port,
  // reported by Server::port().
  std::string address = "127.0.0.1";
  uint16_t port = 0;
  // I/O threads; 0 means std::thread::hardware_concurrency(). Handlers run on these threads.
  int threads = 0;

  // Request line plus header fields; larger gives 431 and the connection is closed.
  size_t max_header_bytes = 16 * 1024;
  // Request body; larger gives 413, judged from Content-Length before the body is read, and
  // while a chunked body arrives. The connection is closed after a 413.
  size_t max_body_bytes = 4 * 1024 * 1024;

  // From the first byte of a request to the end of its header. A slow-drip header gets 408
  // and the connection is closed.
  absl::Duration header_timeout = absl::Seconds(10);
  // From the end of the header to the end of the body; on expiry 408 and close.
  absl::Duration body_timeout = absl::Seconds(30);
  // How long a connection may wait for its first request, or between keep-alive requests,
  // before it is closed silently.
  absl::Duration idle_timeout = absl::Seconds(60);
  // To write one response. A client that stops reading is disconnected after this, so it
  // cannot pin a session (and its memory) forever.
  absl::Duration write_timeout = absl::Seconds(10);
  // After an error response that leaves request bytes unread, the server half-closes and
  // drains the socket this long before closing, so the client sees the response instead of a
  // TCP reset.
  absl::Duration linger_timeout = absl::Milliseconds(500);

  // Open connections at most; a connection beyond this gets a 503 and is closed.
  size_t max_connections = 1024;

  // HTTPS. When set, every connection must complete a TLS handshake (TLS 1.2 or later, within
  // header_timeout) before a byte of HTTP is read: plain HTTP on this port is never answered.
  // Each new connection takes tls->Current(), so TlsContext::Reload() (on SIGHUP:
  // ReloadOnSighup) serves a renewed certificate without closing the listener. Null: plain HTTP.
  std::shared_ptr<TlsContext> tls;

  CorsOptions cors;
  // Called after every response (see RequestInfo); may be empty.
  Observer observer;
};

// A running server. Create with Start; stop with Stop (or by destroying it). In main():
//   ShutdownSignals signals;  // first, before any thread starts, so an early SIGTERM is kept
//   ASSIGN_OR_RETURN(std::unique_ptr<Server> server, Server::Start(options, std::move(router)));
//   signals.Wait();                   // SIGTERM from Kubernetes, or Ctrl-C
//   server->Stop(absl::Seconds(10));  // finish requests in flight, then close
//
// Threading: handlers and the observer run on the I/O threads, concurrently for different
// connections; one connection's requests are handled one at a time, in order, so pipelined
// requests get their responses in order. Handlers should be short: there is no separate worker
// pool, and a blocked handler holds one of `threads`. port(), active_connections() and Stop()
// may be called from any thread except an I/O thread (Stop joins them).
class Server final {
 public:
  // Binds, listens and starts the I/O threads. Errors: InvalidArgument for an unparsable
  // address or bad options (zero limits or timeouts); Unavailable when the address cannot be
  // bound (in use, no permission), with the address in the message.
  static absl::StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options,
                                                       Router router);

  ~Server();  // Stop(absl::ZeroDuration()) if still running.
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (the chosen one when options.port was 0).
  uint16_t port() const { return port_; }

  // Connections currently open (including ones being refused with 503).
  size_t active_connections() const;

  // Graceful shutdown: stops accepting, closes idle keep-alive connections, lets requests in
  // flight finish and answers them with "Connection: close", then waits for connections to end
  // for at most `grace`. Whatever is still open then is closed, and the threads are joined.
  // Idempotent; later calls return at once.
  void Stop(absl::Duration grace = absl::Seconds(10));

  struct State;    // what connection sessions share with the server
  struct Runtime;  // io_context, acceptor and threads

 private:
  Server();
  absl::Status Listen(const ServerOptions& options);

  uint16_t port_ = 0;
  std::shared_ptr<State> state_;
  std::unique_ptr<Runtime> runtime_;
};

// Installs SIGTERM/SIGINT handling at construction (so a signal that arrives before Wait() is
// kept, not fatal) and restores the default disposition on destruction. One instance at a time.
class ShutdownSignals final {
 public:
  ShutdownSignals();
  ~ShutdownSignals();
  ShutdownSignals(const ShutdownSignals&) = delete;
  ShutdownSignals& operator=(const ShutdownSignals&) = delete;

  // Blocks until one of the signals has arrived (possibly already) and returns its number.
  int Wait();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace thrombo::service::http

#endif  // THROMBO_SERVICE_HTTP_SERVER_H_
