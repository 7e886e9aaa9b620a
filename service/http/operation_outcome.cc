// Copyright 2026 The Thrombo Authors.
// OperationOutcome bodies written with RapidJSON's Writer.
#include "service/http/operation_outcome.h"

#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "base/utf8.h"

namespace thrombo::service::http {
namespace {

void WriteString(rapidjson::Writer<rapidjson::StringBuffer>& writer, std::string_view text) {
  const std::string clean = base::SanitizeUtf8(text);
  writer.String(clean.data(), static_cast<rapidjson::SizeType>(clean.size()));
}

}  // namespace

std::string_view IssueCodeForHttpStatus(int http_status) {
  switch (http_status) {
    case 400: return "invalid";
    case 401: return "login";
    case 403: return "forbidden";
    case 404: return "not-found";
    case 405:
    case 415: return "not-supported";
    case 408: return "timeout";
    case 412: return "processing";
    case 413:
    case 431: return "too-costly";
    case 429: return "throttled";
    case 500: return "exception";
    case 503: return "transient";
    default: break;
  }
  return http_status >= 400 && http_status < 500 ? "processing" : "exception";
}

std::string OperationOutcomeJson(int http_status, std::string_view diagnostics,
                                 std::string_view expression, std::string_view issue_code) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("resourceType");
  writer.String("OperationOutcome");
  writer.Key("issue");
  writer.StartArray();
  writer.StartObject();
  writer.Key("severity");
  writer.String("error");
  writer.Key("code");
  WriteString(writer, issue_code.empty() ? IssueCodeForHttpStatus(http_status) : issue_code);
  if (!diagnostics.empty()) {
    writer.Key("diagnostics");
    WriteString(writer, diagnostics);
  }
  if (!expression.empty()) {
    writer.Key("expression");
    writer.StartArray();
    WriteString(writer, expression);
    writer.EndArray();
  }
  writer.EndObject();
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace thrombo::service::http
