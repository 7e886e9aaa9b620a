// Copyright 2026 The Thrombo Authors.
// Splits a JWS compact serialization (RFC 7515 §7.1) with size limits, before any crypto.
#ifndef THROMBO_SERVICE_AUTH_JWS_H_
#define THROMBO_SERVICE_AUTH_JWS_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace thrombo::service::auth {

// Bounds applied before decoding, so a hostile token costs O(limit) work at most.
struct JwsLimits {
  size_t max_token_bytes = 8 * 1024;  // the whole compact token
  size_t max_json_bytes = 4 * 1024;   // the decoded header and payload, each
};

// The three decoded parts of a compact JWS. Nothing here has been verified.
struct CompactJws {
  std::string signing_input;  // ASCII(BASE64URL(header) || '.' || BASE64URL(payload))
  std::string header_json;
  std::string payload_json;
  std::string signature;  // raw bytes
};

// Accepts either "Bearer <token>" (scheme case-insensitive, RFC 7235 §2.1) or a bare token,
// and returns the token. Surrounding spaces and tabs are ignored.
// Errors: kInvalidArgument for another scheme or an empty token.
// Thread-safe (pure function).
absl::StatusOr<std::string_view> StripBearer(std::string_view authorization_header_value);

// Splits and decodes `token`: exactly three non-empty dot-separated base64url segments, within
// `limits`. Errors: kInvalidArgument saying which segment is wrong and why; the token itself is
// never echoed. Thread-safe (pure function).
absl::StatusOr<CompactJws> SplitCompactJws(std::string_view token, const JwsLimits& limits = {});

}  // namespace thrombo::service::auth

#endif  // THROMBO_SERVICE_AUTH_JWS_H_
