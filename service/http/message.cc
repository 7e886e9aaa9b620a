// Copyright 2026 The Thrombo Authors.
// Header lookup, response helpers and the JSON content-type check.
#include "service/http/message.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/string_compat.h"
#include "service/http/operation_outcome.h"

namespace thrombo::service::http {

void Headers::Add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string_view> Headers::Get(std::string_view name) const {
  for (const auto& [field, value] : fields_) {
    if (absl::EqualsIgnoreCase(field, base::Absl(name))) return std::string_view(value);
  }
  return std::nullopt;
}

size_t Headers::Count(std::string_view name) const {
  size_t count = 0;
  for (const auto& field : fields_) {
    if (absl::EqualsIgnoreCase(field.first, base::Absl(name))) ++count;
  }
  return count;
}

Response JsonResponse(std::string body, int status) {
  Response response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Response ErrorResponse(int status, std::string_view diagnostics, std::string_view expression,
                       std::string_view issue_code) {
  Response response;
  response.status = status;
  response.content_type = "application/fhir+json";
  response.body = OperationOutcomeJson(status, diagnostics, expression, issue_code);
  return response;
}

bool IsJsonContentType(std::string_view content_type) {
  const std::vector<absl::string_view> parts = absl::StrSplit(base::Absl(content_type), ';');
  const absl::string_view media_type = absl::StripAsciiWhitespace(parts[0]);
  if (!absl::EqualsIgnoreCase(media_type, "application/json") &&
      !absl::EqualsIgnoreCase(media_type, "application/fhir+json")) {
    return false;
  }
  // Only a UTF-8 charset is JSON (RFC 8259 section 8.1); other parameters are not expected.
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::pair<absl::string_view, absl::string_view> parameter =
        absl::StrSplit(parts[i], absl::MaxSplits('=', 1));
    if (!absl::EqualsIgnoreCase(absl::StripAsciiWhitespace(parameter.first), "charset")) {
      return false;
    }
    absl::string_view value = absl::StripAsciiWhitespace(parameter.second);
    if (absl::ConsumePrefix(&value, "\"") && !absl::ConsumeSuffix(&value, "\"")) return false;
    if (!absl::EqualsIgnoreCase(value, "utf-8")) return false;
  }
  return true;
}

std::optional<Response> RequireJsonContentType(const Request& request) {
  const std::optional<std::string_view> type = request.headers.Get("Content-Type");
  if (type.has_value() && IsJsonContentType(*type)) return std::nullopt;
  return ErrorResponse(415, type.has_value()
                                ? absl::StrCat("Content-Type must be application/json, got '",
                                               base::Absl(*type), "'")
                                : "Content-Type must be application/json; none was sent");
}

}  // namespace thrombo::service::http
