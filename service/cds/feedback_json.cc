// Copyright 2026 The Thrombo Authors.
#include "service/cds/feedback_json.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/json_dom.h"
#include "base/string_compat.h"
#include "fhir/parse_issue.h"
#include "rapidjson/document.h"
#include "rapidjson/error/en.h"

namespace thrombo::service {
namespace {

using rapidjson::Value;

absl::Status Invalid(absl::string_view what, absl::string_view path) {
  return fhir::MakeParseError(fhir::IssueType::kInvalid, base::Std(what), base::Std(path));
}

absl::StatusOr<std::string> RequiredString(const Value& object, const char* name,
                                           const std::string& path) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd()) {
    return Invalid(absl::StrCat(name, " is required"), absl::StrCat(path, ".", name));
  }
  if (!it->value.IsString() || it->value.GetStringLength() == 0) {
    return Invalid(absl::StrCat(name, " must be a non-empty string"),
                   absl::StrCat(path, ".", name));
  }
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

// "" when absent; a present member of another type is an error rather than silently dropped
// (a number as userComment would otherwise be stored as "no comment").
absl::StatusOr<std::string> OptionalString(const Value& object, const char* name,
                                           const std::string& path) {
  auto it = object.FindMember(name);
  if (it == object.MemberEnd()) return std::string();
  if (!it->value.IsString()) {
    return Invalid(absl::StrCat(name, " must be a string"), absl::StrCat(path, ".", name));
  }
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

absl::StatusOr<store::FeedbackRecord> ParseEntry(const Value& entry, const std::string& path,
                                                 std::string_view service_id) {
  if (!entry.IsObject()) return Invalid("a feedback entry must be an object", path);
  store::FeedbackRecord record;
  record.service_id = std::string(service_id);
  absl::StatusOr<std::string> card = RequiredString(entry, "card", path);
  if (!card.ok()) return card.status();
  record.card_uuid = *card;
  absl::StatusOr<std::string> outcome = RequiredString(entry, "outcome", path);
  if (!outcome.ok()) return outcome.status();
  if (*outcome == "accepted") {
    record.outcome = store::FeedbackOutcome::kAccepted;
  } else if (*outcome == "overridden") {
    record.outcome = store::FeedbackOutcome::kOverridden;
  } else {
    return Invalid("outcome must be 'accepted' or 'overridden'", absl::StrCat(path, ".outcome"));
  }
  absl::StatusOr<std::string> timestamp = RequiredString(entry, "outcomeTimestamp", path);
  if (!timestamp.ok()) return timestamp.status();
  absl::Time parsed;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, *timestamp, &parsed, &error)) {
    return Invalid("outcomeTimestamp must be an RFC 3339 date-time",
                   absl::StrCat(path, ".outcomeTimestamp"));
  }
  record.outcome_timestamp = *timestamp;

  auto accepted = entry.FindMember("acceptedSuggestions");
  if (accepted != entry.MemberEnd()) {
    if (!accepted->value.IsArray()) {
      return Invalid("acceptedSuggestions must be an array",
                     absl::StrCat(path, ".acceptedSuggestions"));
    }
    for (rapidjson::SizeType i = 0; i < accepted->value.Size(); ++i) {
      const std::string item_path = absl::StrCat(path, ".acceptedSuggestions[", i, "]");
      if (!accepted->value[i].IsObject()) return Invalid("must be an object", item_path);
      absl::StatusOr<std::string> id = RequiredString(accepted->value[i], "id", item_path);
      if (!id.ok()) return id.status();
      record.accepted_suggestion_ids.push_back(*id);
    }
  }
  if (record.outcome == store::FeedbackOutcome::kAccepted &&
      record.accepted_suggestion_ids.empty()) {
    return Invalid("acceptedSuggestions is required when outcome is 'accepted'",
                   absl::StrCat(path, ".acceptedSuggestions"));
  }
  auto reason = entry.FindMember("overrideReason");
  if (reason != entry.MemberEnd()) {
    const std::string reason_path = absl::StrCat(path, ".overrideReason");
    if (!reason->value.IsObject()) return Invalid("must be an object", reason_path);
    absl::StatusOr<std::string> comment =
        OptionalString(reason->value, "userComment", reason_path);
    if (!comment.ok()) return comment.status();
    record.user_comment = *std::move(comment);
    auto coding = reason->value.FindMember("reason");
    if (coding != reason->value.MemberEnd()) {
      const std::string coding_path = absl::StrCat(reason_path, ".reason");
      if (!coding->value.IsObject()) return Invalid("must be a Coding", coding_path);
      absl::StatusOr<std::string> code = RequiredString(coding->value, "code", coding_path);
      if (!code.ok()) return code.status();
      absl::StatusOr<std::string> system = RequiredString(coding->value, "system", coding_path);
      if (!system.ok()) return system.status();
      record.override_reason_code = *code;
      record.override_reason_system = *system;
      absl::StatusOr<std::string> display =
          OptionalString(coding->value, "display", coding_path);
      if (!display.ok()) return display.status();
      record.override_reason_display = *std::move(display);
    }
  }
  return record;
}

}  // namespace

absl::StatusOr<std::vector<store::FeedbackRecord>> ParseFeedbackJson(std::string_view body,
                                                                     std::string_view service_id,
                                                                     size_t max_entries) {
  rapidjson::Document document;
  document.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(
      body.data(), body.size());
  if (document.HasParseError()) {
    // Located like the hook reader's errors, so a client reads both the same way.
    const auto [line, column] = fhir::JsonLineColumn(body, document.GetErrorOffset());
    absl::Status status = fhir::MakeParseError(
        fhir::IssueType::kStructure,
        absl::StrCat("malformed JSON: ", rapidjson::GetParseError_En(document.GetParseError()),
                     " (line ", line, ", column ", column, ")"),
        "");
    fhir::SetErrorPosition(&status, line, column);
    return status;
  }
  if (!document.IsObject()) return Invalid("the body must be a JSON object", "$");
  // FindMember reads the first of repeated members while other readers keep the last, so the
  // stored outcome would depend on who reads the body.
  if (std::optional<base::DuplicateMember> repeat = base::FirstDuplicateMember(document)) {
    return Invalid(absl::StrCat("duplicate member '", repeat->name, "'"), repeat->path);
  }
  auto feedback = document.FindMember("feedback");
  if (feedback == document.MemberEnd() || !feedback->value.IsArray()) {
    return Invalid("'feedback' must be an array", "feedback");
  }
  if (feedback->value.Size() > max_entries) {
    return Invalid(absl::StrCat("at most ", max_entries, " feedback entries per call"),
                   "feedback");
  }
  std::vector<store::FeedbackRecord> records;
  for (rapidjson::SizeType i = 0; i < feedback->value.Size(); ++i) {
    absl::StatusOr<store::FeedbackRecord> record =
        ParseEntry(feedback->value[i], absl::StrCat("feedback[", i, "]"), service_id);
    if (!record.ok()) return record.status();
    records.push_back(*std::move(record));
  }
  return records;
}

}  // namespace thrombo::service
