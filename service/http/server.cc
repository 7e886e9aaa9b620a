// Copyright 2026 The Thrombo Authors.
// The Beast server: one Session per connection, each a chain of async operations on its own
// strand, with one deadline timer per session that bounds whichever phase is running.
#include "service/http/server.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <exception>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "boost/asio/dispatch.hpp"
#include "boost/asio/executor_work_guard.hpp"
#include "boost/asio/io_context.hpp"
#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/post.hpp"
#include "boost/asio/signal_set.hpp"
#include "boost/asio/ssl/error.hpp"
#include "boost/asio/ssl/stream_base.hpp"
#include "boost/asio/steady_timer.hpp"
#include "boost/asio/strand.hpp"
#include "boost/beast/core/buffers_range.hpp"
#include "boost/beast/core/flat_buffer.hpp"
#include "boost/beast/core/string.hpp"
#include "boost/beast/http/empty_body.hpp"
#include "boost/beast/http/parser.hpp"
#include "boost/beast/http/read.hpp"
#include "boost/beast/http/string_body.hpp"
#include "boost/beast/http/write.hpp"
#include "boost/beast/ssl/ssl_stream.hpp"

namespace thrombo::service::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// How long a connection accepted before Stop() may take to send its first request once
// shutdown has begun: its client connected in time and is expected to send at once.
constexpr absl::Duration kFirstRequestAtStop = absl::Seconds(1);

// How many decrypted bytes a TLS connection reads while it waits for a request.
constexpr size_t kTlsFirstRead = 4096;

// How many bytes one read of a request may take. Beast reads into the free space of the
// connection's buffer, but at least 512 bytes, so a buffer left at its first small size read a
// 40 KB hook request in about 80 reads (and as many event-loop turns). The space is reserved
// when a request starts and given back when the connection goes idle, so idle keep-alive
// connections hold none of it.
constexpr size_t kReadChunk = 64 * 1024;

// Bytes readable past a request body: the most the hook route's JSON index reads past a text
// (fhir::ProjectionDocument::Parse), which then reads the body where it lies instead of copying
// it.
constexpr size_t kBodySlack = 64;

// A request body as the parser reads it: lent where it lies in the session's receive buffer when
// it arrived whole (Session::OnHeader), else appended piece by piece into `text`.
struct ReceivedBody {
  std::string text;
  std::string_view in_place;  // the whole body in the receive buffer, when lent
  // Set by the session when the receive buffer already holds the whole body and kBodySlack
  // bytes of room past everything in it, and will not move until the handler has run.
  bool may_lend = false;
};

// Beast's body type for ReceivedBody. Its string_body resizes the string before copying each
// piece in, zero-filling what it then overwrites (a 40 KB memset per hook call); this appends.
struct ReceivedBodyType {
  using value_type = ReceivedBody;

  static std::uint64_t size(const value_type& body) {
    return body.in_place.empty() ? body.text.size() : body.in_place.size();
  }

  class reader {
   public:
    template <bool isRequest, class Fields>
    reader(bhttp::header<isRequest, Fields>&, value_type& body) : body_(body) {}

    void init(const boost::optional<std::uint64_t>& length, error_code& ec) {
      ec = {};
      if (!length) return;
      if (*length > body_.text.max_size()) {
        ec = bhttp::error::buffer_overflow;
        return;
      }
      length_ = static_cast<size_t>(*length);  // body_limit has bounded it already
    }

    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, error_code& ec) {
      ec = {};
      const size_t extra = beast::buffer_bytes(buffers);
      // The whole body in one piece of the receive buffer: lent, not copied. The parser hands
      // the body at most its length, from the buffer's one contiguous run.
      if (body_.may_lend && body_.text.empty() && body_.in_place.empty() && length_ > 0 &&
          extra == length_) {
        const auto first = *beast::buffers_range_ref(buffers).begin();
        if (first.size() == length_) {
          body_.in_place = std::string_view(static_cast<const char*>(first.data()), length_);
          return extra;
        }
      }
      if (!body_.in_place.empty() || extra > body_.text.max_size() - body_.text.size()) {
        ec = bhttp::error::buffer_overflow;
        return 0;
      }
      // A body of known length gets its room (and kBodySlack past it) once.
      if (body_.text.empty() && length_ > 0) body_.text.reserve(length_ + kBodySlack);
      for (const auto piece : beast::buffers_range_ref(buffers)) {
        body_.text.append(static_cast<const char*>(piece.data()), piece.size());
      }
      return extra;
    }

    void finish(error_code& ec) { ec = {}; }

   private:
    value_type& body_;
    size_t length_ = 0;  // the Content-Length, when given
  };
};

namespace server_internal {
class Session;
}  // namespace server_internal
using server_internal::Session;

struct Server::State {
  State(const ServerOptions& server_options, Router server_router)
      : options(server_options), router(std::move(server_router)), cors(server_options.cors) {}

  // Adds a session; returns how many are open now, including it.
  size_t Register(const std::shared_ptr<Session>& session) {
    std::lock_guard<std::mutex> lock(mu);
    sessions[session.get()] = session;
    return ++open;
  }
  void Unregister(Session* session) {
    std::lock_guard<std::mutex> lock(mu);
    sessions.erase(session);
    --open;
    drained.notify_all();
  }
  std::vector<std::shared_ptr<Session>> Snapshot() {
    std::vector<std::shared_ptr<Session>> live;
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& [raw, weak] : sessions) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
    return live;
  }
  size_t Open() const {
    std::lock_guard<std::mutex> lock(mu);
    return open;
  }
  void WaitForDrain(absl::Duration grace) {
    std::unique_lock<std::mutex> lock(mu);
    drained.wait_for(lock, absl::ToChronoNanoseconds(grace), [this] { return open == 0; });
  }

  const ServerOptions options;
  const Router router;
  const CorsPolicy cors;
  std::atomic<bool> stopping{false};

  mutable std::mutex mu;
  std::condition_variable drained;
  size_t open = 0;  // guarded by mu
  absl::flat_hash_map<Session*, std::weak_ptr<Session>> sessions;  // guarded by mu
};

namespace server_internal {

// One connection. All members are touched only on the session's strand.
class Session final : public std::enable_shared_from_this<Session> {
 public:
  // `tls` is null for plain HTTP; otherwise the connection is TLS from its first byte and
  // keeps this context (one certificate) for its whole life.
  Session(tcp::socket socket, std::shared_ptr<Server::State> state,
          std::shared_ptr<asio::ssl::context> tls)
      : socket_(std::move(socket)),
        executor_(socket_.get_executor()),
        timer_(executor_),
        state_(std::move(state)),
        tls_context_(std::move(tls)) {
    if (tls_context_ != nullptr) tls_.emplace(socket_, *tls_context_);
    error_code ec;
    const tcp::endpoint peer = socket_.remote_endpoint(ec);
    if (!ec) remote_address_ = peer.address().to_string();
    // Responses are written whole; Nagle would only hold back pipelined responses waiting for
    // the client's delayed ACK.
    socket_.set_option(tcp::no_delay(true), ec);
    // Synchronous reads return at once instead of waiting: only TakeWhatArrived makes one.
    if (!tls_) socket_.non_blocking(true, ec);
  }
  ~Session() { state_->Unregister(this); }

  void Start() {
    asio::dispatch(executor_, [self = shared_from_this()] {
      if (self->tls_) return self->Handshake(/*reject=*/false);
      self->WaitForRequest();
    });
  }
  void Reject() {
    asio::dispatch(executor_, [self = shared_from_this()] {
      if (self->tls_) return self->Handshake(/*reject=*/true);
      self->RejectNow();
    });
  }
  // Shutdown notice: a busy connection closes after its current response, an idle keep-alive
  // one now. Not so a connection whose request is already here (bytes waiting) or that has not
  // sent its first request yet: its client sent or is sending that request before it could
  // know, so it is read and answered ("Connection: close"); a new connection that stays silent
  // gets kFirstRequestAtStop, not the full header timeout.
  void NotifyStop() {
    asio::post(executor_, [self = shared_from_this()] {
      if (self->phase_ != Phase::kIdle) return;
      error_code ec;
      const bool request_waiting = self->socket_.available(ec) > 0 && !ec;
      if (request_waiting) return;
      if (!self->first_request_) return self->Close();
      self->Arm(std::min(kFirstRequestAtStop, self->options().header_timeout));
    });
  }

 private:
  enum class Phase { kHandshake, kIdle, kHeader, kBody, kHandle, kWrite, kLinger, kDone };

  const ServerOptions& options() const { return state_->options; }

  // Runs `operation` on the connection's stream: the TLS stream, or the plain socket.
  template <typename Operation>
  void WithStream(Operation&& operation) {
    if (tls_) {
      operation(*tls_);
    } else {
      operation(socket_);
    }
  }

  void Handshake(bool reject);
  void RejectNow();
  void WaitForRequest();
  enum class Arrival { kBytes, kNothing, kGone };
  Arrival TakeWhatArrived();
  void ReadHeader();
  void OnHeader(error_code ec);
  void SendContinue();
  void ReadBody();
  void OnReadError(error_code ec);
  void Handle();
  Response Respond(Request& request);
  void Fail(int status, std::string_view diagnostics);
  void Send(Response response);
  void OnWrite(error_code ec, size_t bytes);
  void Report(error_code ec, size_t bytes);
  void Linger();
  void ShutdownTls();
  void Drain();
  void Close();
  void Arm(absl::Duration timeout);
  void Disarm();
  void WaitForDeadline();
  void OnDeadline();

  tcp::socket socket_;
  asio::any_io_executor executor_;
  asio::steady_timer timer_;
  std::shared_ptr<Server::State> state_;
  std::shared_ptr<asio::ssl::context> tls_context_;  // outlives tls_, which uses it
  std::optional<beast::ssl_stream<tcp::socket&>> tls_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<ReceivedBodyType>> parser_;
  bhttp::response<bhttp::string_body> response_;  // alive while it is being written
  bhttp::response<bhttp::empty_body> continue_;
  std::vector<char> drain_;
  std::string remote_address_;

  Phase phase_ = Phase::kIdle;
  // The running phase's deadline; max() when none runs. The timer's wait may be due earlier
  // (see Arm).
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  bool timer_waiting_ = false;
  uint64_t deadline_generation_ = 0;
  bool timed_out_ = false;
  bool first_request_ = true;
  bool close_after_write_ = false;
  bool linger_after_write_ = false;

  // For the observer, per request.
  absl::Time request_start_;
  std::string route_;
  std::string method_;
  int status_ = 0;
  size_t request_body_bytes_ = 0;
};

// The handshake is bounded by the header timeout. A client that speaks plain HTTP, offers
// only TLS 1.0/1.1, or fails in any other way gets no HTTP response at all: nothing is served
// outside TLS.
void Session::Handshake(bool reject) {
  phase_ = Phase::kHandshake;
  Arm(options().header_timeout);
  tls_->async_handshake(asio::ssl::stream_base::server,
                        [self = shared_from_this(), reject](error_code ec) {
                          if (ec || self->timed_out_) return self->Close();
                          self->Disarm();
                          if (reject) return self->RejectNow();
                          self->WaitForRequest();
                        });
}

void Session::RejectNow() {
  request_start_ = absl::Now();
  Fail(503, "the server is at its connection limit; retry later");
}

void Session::WaitForRequest() {
  // A connection accepted before the listener closed still gets its first request answered.
  if (state_->stopping.load() && !first_request_) return Close();
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(
      std::min<size_t>(options().max_header_bytes, UINT32_MAX)));
  parser_->body_limit(options().max_body_bytes);
  route_.clear();
  method_.clear();
  request_body_bytes_ = 0;
  if (buffer_.size() > 0) return ReadHeader();  // a pipelined request is already here
  if (!tls_) {
    switch (TakeWhatArrived()) {
      case Arrival::kBytes:
        return ReadHeader();
      case Arrival::kGone:
        return Close();
      case Arrival::kNothing:
        break;
    }
  }
  buffer_.shrink_to_fit();  // idle: see kReadChunk
  // Waiting for the first byte is "idle"; from it on the header timeout runs. A fresh
  // connection gets the (shorter) header timeout for its wait, so silent sockets go quickly.
  phase_ = Phase::kIdle;
  Arm(first_request_ ? options().header_timeout : options().idle_timeout);
  if (tls_) {
    // TLS may already hold the next request (buffered records), which a wait on the raw
    // socket would not see: read the first decrypted bytes instead; the parser takes them.
    tls_->async_read_some(buffer_.prepare(kTlsFirstRead),
                          [self = shared_from_this()](error_code ec, size_t bytes) {
                            self->buffer_.commit(bytes);
                            if (ec || self->phase_ != Phase::kIdle) return self->Close();
                            self->ReadHeader();
                          });
    return;
  }
  socket_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](error_code ec) {
    if (ec || self->phase_ != Phase::kIdle) return self->Close();
    self->ReadHeader();
  });
}

// Under load a keep-alive client's next request is usually here by the time the response to its
// last one is written: 98.6% of them at saturation with one server thread and eight connections
// (docs/benchmarks.md, "sixteenth round"). One non-blocking read takes it without a turn of the
// event loop. Waiting for it with async_wait instead costs an epoll_ctl every request (Asio
// re-arms the descriptor for each wait), and on a VM with page-table isolation each kernel entry
// empties the TLB. When nothing has arrived the read is one kernel entry more than before, at
// loads that leave the server time to spare.
Session::Arrival Session::TakeWhatArrived() {
  error_code ec;
  const size_t bytes = socket_.read_some(buffer_.prepare(kReadChunk), ec);
  if (!ec) {
    buffer_.commit(bytes);
    return Arrival::kBytes;
  }
  if (ec == asio::error::would_block || ec == asio::error::try_again) return Arrival::kNothing;
  return Arrival::kGone;  // the client closed, or the connection failed: nothing to answer
}

void Session::ReadHeader() {
  phase_ = Phase::kHeader;
  request_start_ = absl::Now();
  if (buffer_.capacity() < kReadChunk) buffer_.reserve(kReadChunk);
  Arm(options().header_timeout);
  WithStream([this](auto& stream) {
    bhttp::async_read_header(stream, buffer_, *parser_,
                             [self = shared_from_this()](error_code ec, size_t) {
                               self->OnHeader(ec);
                             });
  });
}

void Session::OnHeader(error_code ec) {
  if (ec) return OnReadError(ec);
  const auto& header = parser_->get();
  method_ = std::string(header.method_string());
  // Beast already refuses an oversized Content-Length (body_limit); this keeps the rule
  // visible here and independent of that detail.
  const boost::optional<std::uint64_t> length = parser_->content_length();
  if (length.has_value() && *length > options().max_body_bytes) {
    return OnReadError(bhttp::error::body_limit);
  }
  if (parser_->is_done()) return Handle();
  // Usually the whole body came with the header (a client writes them together; a read takes up
  // to kReadChunk). Then it is lent to the handler where it lies: room for a parser's padding is
  // made now, while moving the buffer's contents is still harmless, and nothing reads into the
  // buffer again before the handler has run.
  if (length.has_value() && buffer_.size() >= *length) {
    buffer_.prepare(kBodySlack);
    parser_->get().body().may_lend = true;
  }
  const auto expect = header.find(bhttp::field::expect);
  if (expect != header.end() && beast::iequals(expect->value(), "100-continue")) {
    return SendContinue();
  }
  ReadBody();
}

// curl and others wait (about a second) for "100 Continue" before sending a large body.
void Session::SendContinue() {
  phase_ = Phase::kWrite;
  Arm(options().write_timeout);
  continue_ = bhttp::response<bhttp::empty_body>(bhttp::status::continue_, 11);
  WithStream([this](auto& stream) {
    bhttp::async_write(stream, continue_, [self = shared_from_this()](error_code ec, size_t) {
      if (ec || self->timed_out_) return self->Close();
      self->ReadBody();
    });
  });
}

void Session::ReadBody() {
  phase_ = Phase::kBody;
  Arm(options().body_timeout);
  WithStream([this](auto& stream) {
    bhttp::async_read(stream, buffer_, *parser_,
                      [self = shared_from_this()](error_code ec, size_t) {
                        if (ec) return self->OnReadError(ec);
                        self->Handle();
                      });
  });
}

void Session::OnReadError(error_code ec) {
  if (timed_out_) {
    return Fail(408, phase_ == Phase::kBody ? "the request body did not arrive in time"
                                            : "the request header did not arrive in time");
  }
  if (ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow) {
    return Fail(431, absl::StrCat("request header larger than ", options().max_header_bytes,
                                  " bytes"));
  }
  if (ec == bhttp::error::body_limit) {
    return Fail(413, absl::StrCat("request body larger than ", options().max_body_bytes,
                                  " bytes"));
  }
  // The peer went away (cleanly or not) or we are closing: nothing to answer.
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message ||
      ec == asio::error::eof || ec == asio::error::connection_reset ||
      ec == asio::error::operation_aborted || ec == asio::error::broken_pipe) {
    return Close();
  }
  // A TLS failure mid-connection (truncation, a bad record): no HTTP answer can get through.
  if (ec.category() == asio::error::get_ssl_category() ||
      ec.category() == asio::ssl::error::get_stream_category()) {
    return Close();
  }
  Fail(400, absl::StrCat("malformed HTTP request: ", ec.message()));
}

void Session::Handle() {
  phase_ = Phase::kHandle;
  Disarm();
  bhttp::request<ReceivedBodyType> message = parser_->release();
  Request request;
  request.method = std::string(message.method_string());
  request.target = std::string(message.target());
  const size_t question = request.target.find('?');
  request.path = request.target.substr(0, question);
  if (question != std::string::npos) request.query = request.target.substr(question + 1);
  for (const auto& field : message) {
    request.headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  ReceivedBody& body = message.body();
  if (!body.in_place.empty()) {
    // In the receive buffer, with kBodySlack bytes of room past whatever it holds (OnHeader).
    request.body.Lend(body.in_place, body.in_place.size() + kBodySlack);
  } else {
    request.body = std::move(body.text);
  }
  request.remote_address = remote_address_;
  request_body_bytes_ = request.body.size();
  close_after_write_ = !message.keep_alive();
  linger_after_write_ = false;
  Send(Respond(request));
}

Response Session::Respond(Request& request) {
  if (CorsPolicy::IsPreflight(request)) {
    if (auto match = state_->router.MatchPath(request.path)) {
      route_ = match->route;
      return state_->cors.Preflight(request);
    }
  }
  Response response = state_->router.Dispatch(&request, &route_);
  state_->cors.Decorate(request, &response);
  return response;
}

// An error the transport answers itself. The request may be partly unread, so the connection
// is closed after the response, lingering so the client can read it.
void Session::Fail(int status, std::string_view diagnostics) {
  close_after_write_ = true;
  linger_after_write_ = true;
  Send(ErrorResponse(status, diagnostics));
}

void Session::Send(Response response) {
  if (response.status >= 400 && response.body.empty()) {
    // Every error carries an OperationOutcome, even when a handler forgot it.
    Response filled = ErrorResponse(response.status, "request failed");
    response.body = std::move(filled.body);
    response.content_type = std::move(filled.content_type);
  }
  status_ = response.status;
  // Checked after the handler ran, so a request in flight when Stop() began still learns that
  // the connection is closing.
  if (state_->stopping.load()) close_after_write_ = true;
  response_ = bhttp::response<bhttp::string_body>();
  response_.version(11);
  response_.result(static_cast<unsigned>(response.status));
  if (!response.content_type.empty()) {
    response_.set(bhttp::field::content_type, response.content_type);
  }
  for (const auto& [name, value] : response.headers) response_.insert(name, value);
  response_.body() = std::move(response.body);
  response_.keep_alive(!close_after_write_);
  response_.prepare_payload();
  phase_ = Phase::kWrite;
  Arm(options().write_timeout);
  WithStream([this](auto& stream) {
    bhttp::async_write(stream, response_, [self = shared_from_this()](error_code ec, size_t n) {
      self->OnWrite(ec, n);
    });
  });
}

void Session::OnWrite(error_code ec, size_t bytes) {
  Disarm();
  Report(ec, bytes);
  response_ = bhttp::response<bhttp::string_body>();  // free a large body now
  if (ec) return Close();
  if (close_after_write_) {
    if (tls_) return ShutdownTls();
    if (linger_after_write_) return Linger();
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    return Close();
  }
  first_request_ = false;
  WaitForRequest();
}

void Session::Report(error_code ec, size_t bytes) {
  if (!options().observer) return;
  RequestInfo info;
  info.route = route_;
  info.method = method_;
  info.status = status_;
  info.latency = absl::Now() - request_start_;
  info.request_body_bytes = request_body_bytes_;
  info.response_bytes = bytes;
  info.write_failed = static_cast<bool>(ec);
  info.remote_address = remote_address_;
  try {
    options().observer(info);
  } catch (...) {
    // Metrics must never take the connection (or an I/O thread) down.
  }
}

// Half-close, then read and discard until the peer closes or linger_timeout passes.
void Session::Linger() {
  error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  phase_ = Phase::kLinger;
  Arm(options().linger_timeout);
  drain_.resize(4096);
  Drain();
}

void Session::Drain() {
  socket_.async_read_some(asio::buffer(drain_), [self = shared_from_this()](error_code ec,
                                                                             size_t) {
    if (ec || self->phase_ != Phase::kLinger) return self->Close();
    self->Drain();
  });
}

// TLS's closing handshake: close_notify tells the client the response is complete (not
// truncated); the peer's reply is awaited for at most linger_timeout.
void Session::ShutdownTls() {
  phase_ = Phase::kLinger;
  Arm(options().linger_timeout);
  tls_->async_shutdown([self = shared_from_this()](error_code) { self->Close(); });
}

void Session::Close() {
  phase_ = Phase::kDone;
  Disarm();
  timer_.cancel();  // lets the session go now rather than when the wait falls due
  error_code ignored;
  socket_.close(ignored);
}

// Each phase of a request moves the deadline later, and that does not touch the timer: a wait
// already due earlier fires, finds the deadline ahead and waits again (about once a
// header_timeout per busy connection). Re-arming the timer for each phase instead cancelled a
// pending wait three or four times a request, and each cancelled wait is a handler run through
// the strand. Only a deadline nearer than the pending wait (linger, a stop) replaces the wait.
void Session::Arm(absl::Duration timeout) {
  timed_out_ = false;
  deadline_ = std::chrono::steady_clock::now() + absl::ToChronoNanoseconds(timeout);
  if (!timer_waiting_ || timer_.expiry() > deadline_) WaitForDeadline();
}

// The pending wait stays (it holds the session until it fires); Close() cancels it.
void Session::Disarm() { deadline_ = std::chrono::steady_clock::time_point::max(); }

void Session::WaitForDeadline() {
  const uint64_t generation = ++deadline_generation_;
  timer_waiting_ = true;
  timer_.expires_at(deadline_);  // cancels the wait it replaces
  timer_.async_wait([self = shared_from_this(), generation](error_code ec) {
    if (generation != self->deadline_generation_) return;  // replaced by a nearer deadline
    self->timer_waiting_ = false;
    if (ec) return;  // cancelled: the session is closing
    if (self->deadline_ == std::chrono::steady_clock::time_point::max()) return;  // disarmed
    if (std::chrono::steady_clock::now() < self->deadline_) return self->WaitForDeadline();
    self->OnDeadline();
  });
}

void Session::OnDeadline() {
  timed_out_ = true;
  if (phase_ == Phase::kHeader || phase_ == Phase::kBody) {
    // Cancel the read but keep the socket, so a 408 can still be written.
    error_code ignored;
    socket_.cancel(ignored);
    return;
  }
  // Idle, a stalled write, or lingering: nothing more is owed to this peer.
  Close();
}

}  // namespace server_internal

struct Server::Runtime {
  Runtime() : work(asio::make_work_guard(ioc)), acceptor(asio::make_strand(ioc)),
              retry(acceptor.get_executor()) {}

  void Accept(const std::shared_ptr<State>& state);
  void OnAccept(const std::shared_ptr<State>& state, error_code ec, tcp::socket socket);
  void StartSession(const std::shared_ptr<State>& state, tcp::socket socket);
  void CloseListener(const std::shared_ptr<State>& state);

  asio::io_context ioc;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  tcp::acceptor acceptor;
  asio::steady_timer retry;  // backs off when accept fails (e.g. out of descriptors)
  std::vector<std::thread> threads;
  std::mutex stop_mu;
  bool stopped = false;  // guarded by stop_mu
};

void Server::Runtime::Accept(const std::shared_ptr<State>& state) {
  acceptor.async_accept(asio::make_strand(ioc),
                        [this, state](error_code ec, tcp::socket socket) {
                          OnAccept(state, ec, std::move(socket));
                        });
}

void Server::Runtime::OnAccept(const std::shared_ptr<State>& state, error_code ec,
                               tcp::socket socket) {
  // Accepted before the listener closed: served even if Stop() has begun since.
  if (!ec) StartSession(state, std::move(socket));
  if (!acceptor.is_open() || state->stopping.load()) return;
  if (ec) {
    // EMFILE and friends: retrying at once would spin; wait a little for descriptors.
    retry.expires_after(std::chrono::milliseconds(50));
    retry.async_wait([this, state](error_code wait_ec) {
      if (!wait_ec) Accept(state);
    });
    return;
  }
  Accept(state);
}

void Server::Runtime::StartSession(const std::shared_ptr<State>& state, tcp::socket socket) {
  auto session = std::make_shared<Session>(
      std::move(socket), state, state->options.tls ? state->options.tls->Current() : nullptr);
  if (state->Register(session) > state->options.max_connections) {
    session->Reject();
  } else {
    session->Start();
  }
}

// Connections the kernel has completed but nobody has accepted yet would be reset when the
// listener closes, though their clients may have sent whole requests: take them first and serve
// them like any other connection accepted before Stop(). Runs on the acceptor's strand.
void Server::Runtime::CloseListener(const std::shared_ptr<State>& state) {
  error_code ec;
  acceptor.non_blocking(true, ec);
  while (!ec) {
    tcp::socket socket(asio::make_strand(ioc));
    acceptor.accept(socket, ec);  // would_block once the queue is empty
    if (!ec) StartSession(state, std::move(socket));
  }
  acceptor.close(ec);
  retry.cancel();
}

Server::Server() = default;

Server::~Server() {
  Stop(absl::ZeroDuration());
  runtime_.reset();  // destroys pending sessions while state_ is still alive
}

namespace {

absl::Status ValidateOptions(const ServerOptions& options) {
  const bool bad_limits = options.max_header_bytes == 0 || options.max_body_bytes == 0 ||
                          options.max_connections == 0;
  const absl::Duration shortest =
      std::min({options.header_timeout, options.body_timeout, options.idle_timeout,
                options.write_timeout, options.linger_timeout});
  if (bad_limits || shortest <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError("server limits and timeouts must all be positive");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options,
                                                      Router router) {
  if (absl::Status valid = ValidateOptions(options); !valid.ok()) return valid;
  std::unique_ptr<Server> server(new Server());
  server->state_ = std::make_shared<State>(options, std::move(router));
  server->runtime_ = std::make_unique<Runtime>();
  if (absl::Status listening = server->Listen(options); !listening.ok()) return listening;
  int threads = options.threads > 0 ? options.threads
                                    : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(threads, 1);
  Runtime* runtime = server->runtime_.get();
  for (int i = 0; i < threads; ++i) {
    runtime->threads.emplace_back([runtime] { runtime->ioc.run(); });
  }
  return server;
}

absl::Status Server::Listen(const ServerOptions& options) {
  error_code ec;
  const asio::ip::address address = asio::ip::make_address(options.address, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad listen address '", options.address, "': ", ec.message()));
  }
  const tcp::endpoint endpoint(address, options.port);
  tcp::acceptor& acceptor = runtime_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (!ec) port_ = acceptor.local_endpoint(ec).port();
  if (ec) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", options.address, ":",
                                               options.port, ": ", ec.message()));
  }
  runtime_->Accept(state_);
  return absl::OkStatus();
}

size_t Server::active_connections() const { return state_ == nullptr ? 0 : state_->Open(); }

void Server::Stop(absl::Duration grace) {
  if (runtime_ == nullptr) return;
  {
    std::lock_guard<std::mutex> lock(runtime_->stop_mu);
    if (runtime_->stopped) return;
    runtime_->stopped = true;
  }
  state_->stopping.store(true);
  Runtime* runtime = runtime_.get();
  if (runtime->threads.empty()) {
    runtime->CloseListener(state_);  // Start() failed before any I/O thread ran
  } else {
    // Waited for, so the sessions it starts are counted before WaitForDrain looks.
    std::promise<void> listener_closed;
    asio::post(runtime->acceptor.get_executor(), [runtime, state = state_, &listener_closed] {
      runtime->CloseListener(state);
      listener_closed.set_value();
    });
    listener_closed.get_future().wait();
  }
  {
    std::vector<std::shared_ptr<Session>> live = state_->Snapshot();
    for (const auto& session : live) session->NotifyStop();
  }  // drop our references before waiting, or the sessions could never end
  state_->WaitForDrain(grace);
  runtime->work.reset();
  runtime->ioc.stop();
  for (std::thread& thread : runtime->threads) thread.join();
}

struct ShutdownSignals::Impl {
  asio::io_context ioc;
  asio::signal_set signals{ioc, SIGTERM, SIGINT};
};

ShutdownSignals::ShutdownSignals() : impl_(std::make_unique<Impl>()) {}

ShutdownSignals::~ShutdownSignals() {
  error_code ignored;
  impl_->signals.clear(ignored);  // restores the default dispositions
}

int ShutdownSignals::Wait() {
  int received = 0;
  impl_->signals.async_wait([&received](error_code ec, int signal_number) {
    if (!ec) received = signal_number;
  });
  impl_->ioc.run();
  impl_->ioc.restart();
  return received;
}

}  // namespace thrombo::service::http
