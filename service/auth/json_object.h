// Copyright 2026 The Thrombo Authors.
// Strict RapidJSON parsing of a JSON object for JOSE headers, claims and JWKs.
#ifndef THROMBO_SERVICE_AUTH_JSON_OBJECT_H_
#define THROMBO_SERVICE_AUTH_JSON_OBJECT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rapidjson/document.h"

namespace thrombo::service::auth {

// Parses `json` into `document`, which must then hold an object. Strict on purpose:
//  - invalid UTF-8 is an error (RapidJSON accepts it by default);
//  - duplicate member names in any object are an error: RFC 7515 §4 allows a parser to reject
//    them, and accepting them lets two parsers disagree about which "alg" or "aud" counts;
//  - parsing is iterative, so deep nesting cannot exhaust the stack.
// `what` names the input in messages ("JWT header"). Errors: kInvalidArgument.
// Thread-safe (pure function).
absl::Status ParseJsonObject(std::string_view json, std::string_view what,
                             rapidjson::Document* document);

// Typed member access. Each returns std::nullopt when the member is absent, and
// kInvalidArgument when it is present with the wrong type. `what` names the object.
absl::StatusOr<std::optional<std::string>> GetOptionalString(const rapidjson::Value& object,
                                                             const char* name,
                                                             std::string_view what);

// A JSON number holding a NumericDate (RFC 7519 §2): seconds since the epoch, non-negative,
// integral or not (fractions are truncated). Huge or non-finite values are kInvalidArgument.
absl::StatusOr<std::optional<int64_t>> GetOptionalNumericDate(const rapidjson::Value& object,
                                                              const char* name,
                                                              std::string_view what);

}  // namespace thrombo::service::auth

#endif  // THROMBO_SERVICE_AUTH_JSON_OBJECT_H_
