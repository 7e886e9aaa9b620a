// Copyright 2026 The Thrombo Authors.
// Transport-free HTTP request/response values, so handlers are pure functions testable without
// sockets.
#ifndef THROMBO_SERVICE_HTTP_MESSAGE_H_
#define THROMBO_SERVICE_HTTP_MESSAGE_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"

namespace thrombo::service::http {

// An ordered list of header fields with case-insensitive name lookup (RFC 9110 field names are
// case-insensitive). Repeated names are kept in arrival order. Not synchronized.
class Headers final {
 public:
  void Add(std::string name, std::string value);
  // The first value whose name equals `name` ignoring ASCII case; nullopt when absent. The view
  // is valid until the Headers is modified or destroyed.
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name).has_value(); }
  // How many fields have this name (ignoring ASCII case).
  size_t Count(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// A request's body, read through its string_view. The server lends a handler the bytes where
// they arrived (its receive buffer) when the whole body was there with its header, instead of
// copying them out: a hook call's body is about 40 KB. The loan lasts for the handler's call,
// as a body's own text does; keep a copy of anything needed after it. A body assigned a string
// (tests, a body read in pieces) owns its text.
class RequestBody final {
 public:
  RequestBody() = default;
  RequestBody(std::string text) : owned_(std::move(text)) {}  // NOLINT: a body is its text
  RequestBody& operator=(std::string text) {
    owned_ = std::move(text);
    lent_ = {};
    readable_ = 0;
    return *this;
  }

  // Lends `text`, of which `readable_bytes` (at least text.size()) can be read from
  // text.data(): the room a SIMD reader may read past the end (fhir::ProjectionDocument::Parse).
  void Lend(std::string_view text, size_t readable_bytes) {
    owned_.clear();
    lent_ = text;
    readable_ = readable_bytes < text.size() ? text.size() : readable_bytes;
  }

  bool lent() const { return lent_.data() != nullptr; }
  std::string_view view() const { return lent() ? lent_ : owned_; }
  operator std::string_view() const { return view(); }  // NOLINT: read as text
  const char* data() const { return view().data(); }
  size_t size() const { return view().size(); }
  bool empty() const { return view().empty(); }
  // Bytes readable from data(): size() and whatever room lies past it.
  size_t readable_bytes() const { return lent() ? readable_ : owned_.capacity(); }

  friend bool operator==(const RequestBody& body, std::string_view text) {
    return body.view() == text;
  }

 private:
  std::string owned_;
  std::string_view lent_;
  size_t readable_ = 0;
};

// One parsed request as handlers see it. The whole body has been read (and is within the
// server's body limit) before a handler runs.
struct Request {
  std::string method;          // as sent, e.g. "POST"
  std::string target;          // the raw request-target, e.g. "/cds-services/x?debug=1"
  std::string path;            // target up to '?', not percent-decoded
  std::string query;           // after '?', empty when absent
  Headers headers;
  RequestBody body;
  std::string remote_address;  // peer IP address, e.g. "127.0.0.1"
  // Values of "{name}" segments of the matched route, filled by Router::Dispatch. Raw segment
  // text (not percent-decoded).
  absl::flat_hash_map<std::string, std::string> path_params;
};

// What a handler returns. The server adds Content-Length, Connection and (for allowed
// origins) CORS headers; `headers` are extra fields such as Allow or Cache-Control.
struct Response {
  int status = 200;
  std::string content_type = "application/json";  // not sent when empty
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// A request handler. Handlers run on the server's I/O threads, so they should be short (CPU
// work of a few milliseconds is fine; blocking I/O ties up a thread for every connection it
// serves). Handlers may be called concurrently from several threads and must be thread-safe.
// A handler that throws gets a 500 response; do not rely on it.
using Handler = std::function<Response(const Request&)>;

// A 200 (or `status`) response with an application/json body.
Response JsonResponse(std::string body, int status = 200);

// A non-2xx response whose body is OperationOutcomeJson(status, diagnostics, expression,
// issue_code) and whose content type is application/fhir+json.
Response ErrorResponse(int status, std::string_view diagnostics,
                       std::string_view expression = {}, std::string_view issue_code = {});

// True for "application/json" and "application/fhir+json" (ASCII case-insensitive), with no
// parameters or only a charset parameter equal to utf-8 (quoted or not).
bool IsJsonContentType(std::string_view content_type);

// For handlers taking a JSON body: nullopt when the request's Content-Type is JSON as above,
// otherwise a 415 ErrorResponse naming the type received. Usage:
//   if (auto rejected = RequireJsonContentType(request)) return *std::move(rejected);
std::optional<Response> RequireJsonContentType(const Request& request);

// What the server reports to its observer after each response is written (or fails to be).
// The string views are valid only during the observer call. Request bodies are never reported.
struct RequestInfo {
  std::string_view route;   // matched route template, e.g. "/cds-services/{id}"; "" if none
  std::string_view method;  // "" when the request line could not be parsed
  int status = 0;
  absl::Duration latency;   // first request byte to last response byte
  size_t request_body_bytes = 0;
  size_t response_bytes = 0;  // bytes written, including the header
  bool write_failed = false;  // the peer never got the whole response (timeout, reset)
  std::string_view remote_address;
};

// Called once per response on an I/O thread; must be thread-safe and fast (metrics, logs).
using Observer = std::function<void(const RequestInfo&)>;

}  // namespace thrombo::service::http

#endif  // THROMBO_SERVICE_HTTP_MESSAGE_H_
