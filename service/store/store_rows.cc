// Copyright 2026 The Thrombo Authors.
#include "service/store/store_rows.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/utc_time.h"
#include "base/utf8.h"
#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace thrombo::service::store::internal {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

absl::string_view ToAbsl(std::string_view text) { return {text.data(), text.size()}; }

void WriteString(JsonWriter& writer, std::string_view text) {
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
}

void WriteMember(JsonWriter& writer, const char* key, std::string_view value) {
  if (value.empty()) return;  // CDS Hooks and FHIR leave out empty elements
  writer.Key(key);
  WriteString(writer, value);
}

void WriteStringArray(JsonWriter& writer, const char* key, const std::vector<std::string>& items) {
  if (items.empty()) return;
  writer.Key(key);
  writer.StartArray();
  for (const std::string& item : items) WriteString(writer, item);
  writer.EndArray();
}

// Parses a JSON array of strings written by JsonArray; false when the stored text is damaged.
bool ParseStringArray(std::string_view json, std::vector<std::string>* items) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError() || !document.IsArray()) return false;
  for (const auto& item : document.GetArray()) {
    if (!item.IsString()) return false;
    items->emplace_back(item.GetString(), item.GetStringLength());
  }
  return true;
}

// FHIR id: [A-Za-z0-9\-\.]{1,64}.
bool IsFhirLogicalId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

absl::Status CheckText(std::string_view field, std::string_view value, bool required) {
  if (required && value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(field), " is required"));
  }
  if (!base::IsValidUtf8(value)) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(field), " is not valid UTF-8"));
  }
  // PostgreSQL text cannot hold NUL; refused on both backends so they accept the same rows.
  if (value.find('\0') != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(ToAbsl(field), " contains a NUL character"));
  }
  return absl::OkStatus();
}

void AppendLine(const rapidjson::StringBuffer& buffer, std::string* out) {
  out->append(buffer.GetString(), buffer.GetSize());
  out->push_back('\n');
}

}  // namespace

std::string Rfc3339Utc(absl::Time time) {
  return base::FormatUtc(time, 3);
}

absl::Status ValidateFeedback(const FeedbackRecord& record) {
  const std::pair<const char*, const std::string*> required[] = {
      {"serviceId", &record.service_id},
      {"card", &record.card_uuid},
      {"outcomeTimestamp", &record.outcome_timestamp}};
  for (const auto& [field, value] : required) {
    if (absl::Status status = CheckText(field, *value, true); !status.ok()) return status;
  }
  const std::pair<const char*, const std::string*> optional[] = {
      {"overrideReason.reason.system", &record.override_reason_system},
      {"overrideReason.reason.code", &record.override_reason_code},
      {"overrideReason.reason.display", &record.override_reason_display},
      {"overrideReason.userComment", &record.user_comment}};
  for (const auto& [field, value] : optional) {
    if (absl::Status status = CheckText(field, *value, false); !status.ok()) return status;
  }
  for (const std::string& id : record.accepted_suggestion_ids) {
    if (absl::Status status = CheckText("acceptedSuggestions.id", id, true); !status.ok()) {
      return status;
    }
  }
  absl::Time parsed;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, record.outcome_timestamp, &parsed, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("outcomeTimestamp '", record.outcome_timestamp, "' is not RFC 3339: ", error));
  }
  return absl::OkStatus();
}

absl::Status ValidateAudit(const AuditRecord& record) {
  const std::pair<const char*, const std::string*> required[] = {
      {"serviceId", &record.service_id},
      {"hook", &record.hook},
      {"hookInstance", &record.hook_instance},
      {"action", &record.action}};
  for (const auto& [field, value] : required) {
    if (absl::Status status = CheckText(field, *value, true); !status.ok()) return status;
  }
  if (!record.patient_id.empty() && !IsFhirLogicalId(record.patient_id)) {
    // Keeps names, MRNs with spaces and full references out of the audit trail.
    return absl::InvalidArgumentError("patientId must be a FHIR logical id");
  }
  for (const auto* list : {&record.card_uuids, &record.suggestion_uuids}) {
    for (const std::string& uuid : *list) {
      if (absl::Status status = CheckText("uuid", uuid, true); !status.ok()) return status;
    }
  }
  return CheckText("policyVersion", record.policy_version, false);
}

std::string JsonArray(const std::vector<std::string>& items) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartArray();
  for (const std::string& item : items) WriteString(writer, item);
  writer.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize());
}

bool FeedbackLine(const Columns& row, std::string* out) {
  std::vector<std::string> accepted;
  if (!ParseStringArray(row(3), &accepted)) return false;
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  WriteMember(writer, "serviceId", row(0));
  WriteMember(writer, "card", row(1));
  WriteMember(writer, "outcome", row(2));
  if (!accepted.empty()) {
    writer.Key("acceptedSuggestions");
    writer.StartArray();
    for (const std::string& id : accepted) {
      writer.StartObject();
      WriteMember(writer, "id", id);
      writer.EndObject();
    }
    writer.EndArray();
  }
  const bool has_reason = !row(5).empty() || !row(4).empty();
  if (has_reason || !row(7).empty()) {
    writer.Key("overrideReason");
    writer.StartObject();
    if (has_reason) {
      writer.Key("reason");
      writer.StartObject();
      WriteMember(writer, "system", row(4));
      WriteMember(writer, "code", row(5));
      WriteMember(writer, "display", row(6));
      writer.EndObject();
    }
    WriteMember(writer, "userComment", row(7));
    writer.EndObject();
  }
  WriteMember(writer, "outcomeTimestamp", row(8));
  WriteMember(writer, "receivedAt", row(9));
  writer.EndObject();
  AppendLine(buffer, out);
  return true;
}

bool AuditLine(const Columns& row, std::string* out) {
  std::vector<std::string> cards, suggestions;
  if (!ParseStringArray(row(5), &cards) || !ParseStringArray(row(6), &suggestions)) return false;
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  writer.StartObject();
  WriteMember(writer, "time", row(0));
  WriteMember(writer, "serviceId", row(1));
  WriteMember(writer, "hook", row(2));
  WriteMember(writer, "hookInstance", row(3));
  WriteMember(writer, "patientId", row(4));
  WriteStringArray(writer, "cards", cards);
  WriteStringArray(writer, "suggestions", suggestions);
  WriteMember(writer, "policyVersion", row(7));
  WriteMember(writer, "action", row(8));
  writer.EndObject();
  AppendLine(buffer, out);
  return true;
}

absl::Status WriteLine(std::ostream& out, const std::string& line) {
  out.write(line.data(), static_cast<std::streamsize>(line.size()));
  if (!out) return absl::UnavailableError("export: the output stream failed");
  return absl::OkStatus();
}

}  // namespace thrombo::service::store::internal
