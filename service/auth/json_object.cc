// Copyright 2026 The Thrombo Authors.
// Strict RapidJSON object parsing with duplicate-member rejection.
#include "service/auth/json_object.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "rapidjson/error/en.h"
#include "base/json_dom.h"
#include "base/string_compat.h"

namespace thrombo::service::auth {
namespace {

constexpr unsigned kParseFlags =
    rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag;

// Largest NumericDate we accept: year 9999. Keeps later int64 arithmetic far from overflow.
constexpr int64_t kMaxNumericDate = 253402300799;

}  // namespace

absl::Status ParseJsonObject(std::string_view json, std::string_view what,
                             rapidjson::Document* document) {
  document->Parse<kParseFlags>(json.data(), json.size());
  if (document->HasParseError()) {
    return absl::InvalidArgumentError(
        absl::StrCat(base::Absl(what), " is not valid JSON: ",
                     rapidjson::GetParseError_En(document->GetParseError()), " at offset ",
                     document->GetErrorOffset()));
  }
  if (!document->IsObject()) {
    return absl::InvalidArgumentError(absl::StrCat(base::Absl(what), " is not a JSON object"));
  }
  if (base::FirstDuplicateMember(*document).has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(base::Absl(what), " has a duplicate member name"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<std::string>> GetOptionalString(const rapidjson::Value& object,
                                                             const char* name,
                                                             std::string_view what) {
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd()) return std::nullopt;
  if (!it->value.IsString()) {
    return absl::InvalidArgumentError(absl::StrCat(base::Absl(what), " member \"", name, "\" is not a string"));
  }
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

absl::StatusOr<std::optional<int64_t>> GetOptionalNumericDate(const rapidjson::Value& object,
                                                              const char* name,
                                                              std::string_view what) {
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd()) return std::nullopt;
  const rapidjson::Value& value = it->value;
  int64_t seconds = 0;
  if (value.IsInt64()) {
    seconds = value.GetInt64();
  } else if (value.IsNumber() && std::isfinite(value.GetDouble()) &&
             std::fabs(value.GetDouble()) <= static_cast<double>(kMaxNumericDate)) {
    seconds = static_cast<int64_t>(value.GetDouble());
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat(base::Absl(what), " member \"", name, "\" is not a NumericDate"));
  }
  if (seconds < 0 || seconds > kMaxNumericDate) {
    return absl::InvalidArgumentError(
        absl::StrCat(base::Absl(what), " member \"", name, "\" is out of range"));
  }
  return seconds;
}

}  // namespace thrombo::service::auth
