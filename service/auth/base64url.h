// Copyright 2026 The Thrombo Authors.
// Strict unpadded base64url (RFC 4648 §5, as used by JWS/JWK in RFC 7515 §2).
#ifndef THROMBO_SERVICE_AUTH_BASE64URL_H_
#define THROMBO_SERVICE_AUTH_BASE64URL_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace thrombo::service::auth {

// Decodes unpadded base64url. Strict, so that one byte string has exactly one accepted
// encoding (a lenient decoder lets an attacker mint many spellings of one token, which defeats
// signature-input and replay bookkeeping):
//  - only [A-Za-z0-9-_]; `=` padding, whitespace and the standard alphabet's `+` `/` are errors;
//  - a length of 1 mod 4 is impossible and rejected;
//  - the unused low bits of the final character must be zero (non-canonical tails rejected).
// The empty string decodes to the empty string.
// Errors: kInvalidArgument naming the offset of the problem (never echoing the input).
// Thread-safe (pure function).
absl::StatusOr<std::string> Base64UrlDecode(std::string_view encoded);

// Encodes bytes as unpadded base64url. Thread-safe (pure function).
std::string Base64UrlEncode(std::string_view bytes);

}  // namespace thrombo::service::auth

#endif  // THROMBO_SERVICE_AUTH_BASE64URL_H_
