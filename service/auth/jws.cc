// Copyright 2026 The Thrombo Authors.
// Compact JWS splitting with size limits.
#include "service/auth/jws.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/string_compat.h"
#include "service/auth/base64url.h"

namespace thrombo::service::auth {
namespace {

std::string_view TrimSpaceAndTab(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

absl::StatusOr<std::string> DecodeSegment(std::string_view segment, std::string_view name) {
  if (segment.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("JWS ", base::Absl(name), " segment is empty"));
  }
  auto decoded = Base64UrlDecode(segment);
  if (!decoded.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWS ", base::Absl(name), " segment: ", decoded.status().message()));
  }
  return decoded;
}

}  // namespace

absl::StatusOr<std::string_view> StripBearer(std::string_view authorization_header_value) {
  std::string_view value = TrimSpaceAndTab(authorization_header_value);
  const size_t space = value.find_first_of(" \t");
  if (space != std::string_view::npos) {
    if (!absl::EqualsIgnoreCase(base::Absl(value.substr(0, space)), "Bearer")) {
      return absl::InvalidArgumentError("authorization scheme is not Bearer");
    }
    value = TrimSpaceAndTab(value.substr(space));
  } else if (absl::EqualsIgnoreCase(base::Absl(value), "Bearer")) {
    value = {};
  }
  if (value.empty()) return absl::InvalidArgumentError("bearer token is empty");
  return value;
}

absl::StatusOr<CompactJws> SplitCompactJws(std::string_view token, const JwsLimits& limits) {
  if (token.size() > limits.max_token_bytes) {
    return absl::InvalidArgumentError(absl::StrCat("token is ", token.size(),
                                                   " bytes; the limit is ",
                                                   limits.max_token_bytes));
  }
  const std::vector<absl::string_view> segments = absl::StrSplit(base::Absl(token), '.');
  if (segments.size() != 3) {
    // Five segments would be JWE, which we do not accept.
    return absl::InvalidArgumentError(absl::StrCat(
        "token has ", segments.size(), " segments; a compact JWS has exactly 3"));
  }
  CompactJws jws;
  auto header = DecodeSegment(base::Std(segments[0]), "header");
  if (!header.ok()) return header.status();
  auto payload = DecodeSegment(base::Std(segments[1]), "payload");
  if (!payload.ok()) return payload.status();
  auto signature = DecodeSegment(base::Std(segments[2]), "signature");
  if (!signature.ok()) return signature.status();
  if (header->size() > limits.max_json_bytes || payload->size() > limits.max_json_bytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWS header or payload exceeds ", limits.max_json_bytes, " bytes"));
  }
  jws.signing_input = absl::StrCat(segments[0], ".", segments[1]);
  jws.header_json = *std::move(header);
  jws.payload_json = *std::move(payload);
  jws.signature = *std::move(signature);
  return jws;
}

}  // namespace thrombo::service::auth
