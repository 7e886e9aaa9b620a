// Copyright 2026 The Thrombo Authors.
// CORS for browser-based CDS clients: an exact-origin allowlist, preflight answers, and the
// Access-Control-Allow-Origin header on ordinary responses.
#ifndef THROMBO_SERVICE_HTTP_CORS_H_
#define THROMBO_SERVICE_HTTP_CORS_H_

#include <string>
#include <vector>

#include "service/http/message.h"

namespace thrombo::service::http {

struct CorsOptions {
  // Origins allowed to call the service, compared exactly (scheme://host[:port], as browsers
  // send them). "*" allows every origin and is only honoured when listed explicitly. Empty
  // means no CORS headers are ever sent.
  std::vector<std::string> allowed_origins;
  std::string allow_methods = "GET, POST, OPTIONS";
  // Authorization must be allowed, or browsers cannot send the CDS Hooks JWT.
  std::string allow_headers = "Content-Type, Authorization";
  int max_age_seconds = 600;
};

// Immutable after construction; all methods are const and thread-safe.
class CorsPolicy final {
 public:
  explicit CorsPolicy(CorsOptions options = {});

  // True for a CORS preflight: OPTIONS with Origin and Access-Control-Request-Method headers.
  static bool IsPreflight(const Request& request);

  // The value for Access-Control-Allow-Origin for this request: the request's Origin when it is
  // allowlisted, "*" when "*" is configured, "" when the request has no Origin or it is not
  // allowed.
  std::string AllowedOrigin(const Request& request) const;

  // The answer to a preflight: 204, and when the origin is allowed, Access-Control-Allow-Origin,
  // Vary: Origin, Allow-Methods, Allow-Headers and Max-Age. A denied origin gets a bare 204;
  // the browser then refuses the call, which is the point.
  Response Preflight(const Request& request) const;

  // Adds Access-Control-Allow-Origin and Vary: Origin to `response` when the origin is allowed.
  void Decorate(const Request& request, Response* response) const;

 private:
  CorsOptions options_;
  bool allow_any_ = false;
};

}  // namespace thrombo::service::http

#endif  // THROMBO_SERVICE_HTTP_CORS_H_
