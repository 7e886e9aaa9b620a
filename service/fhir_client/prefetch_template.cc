// Copyright 2026 The Thrombo Authors.
// CDS Hooks prefetch template substitution.
#include "service/fhir_client/prefetch_template.h"

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/string_compat.h"
#include "service/fhir_client/url_encoding.h"

namespace thrombo::service {
namespace {

using base::Absl;

constexpr std::string_view kContextPrefix = "context.";

struct UserToken {
  std::string_view token;
  std::string_view resource_type;
};
constexpr UserToken kUserTokens[] = {
    {"userPractitionerId", "Practitioner"},
    {"userPractitionerRoleId", "PractitionerRole"},
    {"userPatientId", "Patient"},
    {"userRelatedPersonId", "RelatedPerson"},
};

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

absl::Status TokenError(absl::StatusCode code, std::string_view token, std::string_view why) {
  return absl::Status(code, absl::StrCat("prefetch token {{", Absl(token), "}}: ", Absl(why)));
}

// The user reference: the explicit argument wins, since the hook handler reads it from the
// validated request; the context map is the fallback.
std::string_view UserId(const std::map<std::string, std::string>& context,
                        std::string_view user_id) {
  if (!user_id.empty()) return user_id;
  auto it = context.find("userId");
  return it == context.end() ? std::string_view() : std::string_view(it->second);
}

absl::StatusOr<std::string> UserTokenValue(const UserToken& spec, std::string_view user) {
  const size_t slash = user.find('/');
  if (slash == std::string_view::npos || slash + 1 == user.size() ||
      user.substr(0, slash) != spec.resource_type) {
    return TokenError(absl::StatusCode::kFailedPrecondition, spec.token,
                      absl::StrCat("context.userId is not a ", Absl(spec.resource_type),
                                   " reference"));
  }
  return std::string(user.substr(slash + 1));
}

absl::StatusOr<std::string> ContextValue(std::string_view token,
                                         const std::map<std::string, std::string>& context,
                                         std::string_view user_id) {
  const std::string_view field = token.substr(kContextPrefix.size());
  if (field.empty() || field.find('.') != std::string_view::npos) {
    return TokenError(absl::StatusCode::kInvalidArgument, token,
                      "only root-level context fields can be prefetch tokens");
  }
  std::string_view value;
  if (field == "userId") {
    value = UserId(context, user_id);
  } else if (auto it = context.find(std::string(field)); it != context.end()) {
    value = it->second;
  }
  if (value.empty()) {
    return TokenError(absl::StatusCode::kFailedPrecondition, token,
                      "the hook context has no value for it");
  }
  return std::string(value);
}

// The raw (unencoded) value of one token.
absl::StatusOr<std::string> TokenValue(std::string_view token,
                                       const std::map<std::string, std::string>& context,
                                       std::string_view user_id) {
  if (token.substr(0, kContextPrefix.size()) == kContextPrefix) {
    return ContextValue(token, context, user_id);
  }
  for (const UserToken& spec : kUserTokens) {
    if (token != spec.token) continue;
    const std::string_view user = UserId(context, user_id);
    if (user.empty()) {
      return TokenError(absl::StatusCode::kFailedPrecondition, token,
                        "the hook context has no userId");
    }
    return UserTokenValue(spec, user);
  }
  return TokenError(absl::StatusCode::kInvalidArgument, token, "unknown token");
}

// In the path, a user reference keeps its '/' so "{{context.userId}}" stays a read of
// "Type/id"; any other value is one segment, so a '/' in it cannot add segments.
std::string EncodeForPath(std::string_view token, std::string_view value) {
  if (token != "context.userId") return PercentEncodeComponent(value);
  std::string out;
  size_t start = 0;
  for (size_t slash; (slash = value.find('/', start)) != std::string_view::npos;
       start = slash + 1) {
    absl::StrAppend(&out, PercentEncodeComponent(value.substr(start, slash - start)), "/");
  }
  absl::StrAppend(&out, PercentEncodeComponent(value.substr(start)));
  return out;
}

}  // namespace

absl::StatusOr<std::string> ResolvePrefetchTemplate(
    std::string_view prefetch_template, const std::map<std::string, std::string>& context,
    std::string_view user_id) {
  const size_t query_start = prefetch_template.find('?');
  std::string out;
  size_t position = 0;
  while (true) {
    const size_t open = prefetch_template.find("{{", position);
    out.append(prefetch_template.substr(position, open - position));
    if (open == std::string_view::npos) break;
    const size_t close = prefetch_template.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "prefetch template has an unterminated \"{{\" at offset ", open));
    }
    const std::string_view token = Trim(prefetch_template.substr(open + 2, close - open - 2));
    ASSIGN_OR_RETURN(const std::string value, TokenValue(token, context, user_id));
    out.append(open < query_start ? EncodeForPath(token, value) : PercentEncodeQueryValue(value));
    position = close + 2;
  }
  return out;
}

}  // namespace thrombo::service
