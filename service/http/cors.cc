// Copyright 2026 The Thrombo Authors.
// CORS allowlist checks and headers.
#include "service/http/cors.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace thrombo::service::http {

CorsPolicy::CorsPolicy(CorsOptions options) : options_(std::move(options)) {
  allow_any_ = std::find(options_.allowed_origins.begin(), options_.allowed_origins.end(),
                         "*") != options_.allowed_origins.end();
}

bool CorsPolicy::IsPreflight(const Request& request) {
  return request.method == "OPTIONS" && request.headers.Has("Origin") &&
         request.headers.Has("Access-Control-Request-Method");
}

std::string CorsPolicy::AllowedOrigin(const Request& request) const {
  const std::optional<std::string_view> origin = request.headers.Get("Origin");
  if (!origin.has_value() || origin->empty()) return "";
  if (allow_any_) return "*";
  for (const std::string& allowed : options_.allowed_origins) {
    if (allowed == *origin) return allowed;
  }
  return "";
}

Response CorsPolicy::Preflight(const Request& request) const {
  Response response;
  response.status = 204;
  response.content_type.clear();
  const std::string origin = AllowedOrigin(request);
  if (origin.empty()) return response;
  response.headers = {
      {"Access-Control-Allow-Origin", origin},
      {"Vary", "Origin"},
      {"Access-Control-Allow-Methods", options_.allow_methods},
      {"Access-Control-Allow-Headers", options_.allow_headers},
      {"Access-Control-Max-Age", absl::StrCat(options_.max_age_seconds)},
  };
  return response;
}

void CorsPolicy::Decorate(const Request& request, Response* response) const {
  const std::string origin = AllowedOrigin(request);
  if (origin.empty()) return;
  response->headers.emplace_back("Access-Control-Allow-Origin", origin);
  response->headers.emplace_back("Vary", "Origin");
}

}  // namespace thrombo::service::http
