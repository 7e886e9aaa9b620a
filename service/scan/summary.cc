// Copyright 2026 The Thrombo Authors.
#include "service/scan/summary.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rapidjson/document.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace thrombo::scan {
namespace {

template <typename Summary, typename Visitor>
void VisitCounts(Summary& s, Visitor&& visit) {
  visit("files", s.files);
  visit("lines", s.lines);
  visit("bytes", s.bytes);
  visit("resources", s.resources);
  visit("patients", s.patients);
  visit("imid_patients", s.imid_patients);
  visit("bad_lines", s.bad_lines);
  visit("unknown_patient_resources", s.unknown_patient_resources);
  visit("assess_errors", s.assess_errors);
}

template <typename Writer>
void WriteString(Writer& writer, std::string_view value) {
  writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

template <typename Writer>
void WriteMap(Writer& writer, const char* name, const std::map<std::string, int64_t>& map) {
  writer.Key(name);
  writer.StartObject();
  for (const auto& [key, count] : map) {
    WriteString(writer, key);
    writer.Int64(count);
  }
  writer.EndObject();
}

absl::Status ReadMap(const rapidjson::Document& document, const char* name,
                     std::map<std::string, int64_t>* map) {
  const auto member = document.FindMember(name);
  if (member == document.MemberEnd()) return absl::OkStatus();
  if (!member->value.IsObject()) {
    return absl::InvalidArgumentError(absl::StrCat("summary: \"", name, "\" is not an object"));
  }
  for (const auto& entry : member->value.GetObject()) {
    if (!entry.value.IsInt64()) {
      return absl::InvalidArgumentError(
          absl::StrCat("summary: ", name, ".", entry.name.GetString(), " is not a count"));
    }
    (*map)[entry.name.GetString()] = entry.value.GetInt64();
  }
  return absl::OkStatus();
}

}  // namespace

void ScanSummary::Add(const ScanSummary& other) {
  if (now.empty()) now = other.now;
  const int64_t max_files = std::max(files, other.files);
  VisitCounts(*this, [&other](const char* name, int64_t& value) {
    VisitCounts(other, [&](const char* other_name, const int64_t& other_value) {
      if (std::string_view(name) == other_name) value += other_value;
    });
  });
  files = max_files;  // every shard reads every file
  for (const auto& [type, count] : other.skipped_types) skipped_types[type] += count;
  for (const auto& [reason, count] : other.bad_by_reason) bad_by_reason[reason] += count;
}

std::string SummaryToJson(const ScanSummary& summary) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.SetIndent(' ', 2);
  writer.StartObject();
  writer.Key("now");
  WriteString(writer, summary.now);
  VisitCounts(summary, [&writer](const char* name, const int64_t& value) {
    writer.Key(name);
    writer.Int64(value);
  });
  WriteMap(writer, "skipped_types", summary.skipped_types);
  WriteMap(writer, "bad_by_reason", summary.bad_by_reason);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

absl::StatusOr<ScanSummary> SummaryFromJson(std::string_view json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError() || !document.IsObject()) {
    return absl::InvalidArgumentError("summary.json: not a JSON object");
  }
  ScanSummary summary;
  const auto now = document.FindMember("now");
  if (now != document.MemberEnd() && now->value.IsString()) summary.now = now->value.GetString();
  absl::Status status;
  VisitCounts(summary, [&](const char* name, int64_t& value) {
    const auto member = document.FindMember(name);
    if (member == document.MemberEnd() || !member->value.IsInt64()) {
      if (status.ok()) {
        status = absl::InvalidArgumentError(absl::StrCat("summary.json: no count \"", name, "\""));
      }
      return;
    }
    value = member->value.GetInt64();
  });
  if (!status.ok()) return status;
  if (absl::Status s = ReadMap(document, "skipped_types", &summary.skipped_types); !s.ok())
    return s;
  if (absl::Status s = ReadMap(document, "bad_by_reason", &summary.bad_by_reason); !s.ok())
    return s;
  return summary;
}

std::string BadLineToJson(const BadLine& bad) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("file");
  WriteString(writer, bad.file);
  writer.Key("line");
  writer.Int64(bad.line);
  writer.Key("path");
  WriteString(writer, bad.path);
  writer.Key("error");
  WriteString(writer, bad.error);
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

absl::StatusOr<BadLine> BadLineFromJson(std::string_view json) {
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError() || !document.IsObject() || !document.HasMember("file") ||
      !document["file"].IsString() || !document.HasMember("line") || !document["line"].IsInt64() ||
      !document.HasMember("path") || !document["path"].IsString() || !document.HasMember("error") ||
      !document["error"].IsString()) {
    return absl::InvalidArgumentError("bad_lines.ndjson: not a {file, line, path, error} object");
  }
  BadLine bad;
  bad.file = document["file"].GetString();
  bad.line = document["line"].GetInt64();
  bad.path = document["path"].GetString();
  bad.error = document["error"].GetString();
  return bad;
}

}  // namespace thrombo::scan
