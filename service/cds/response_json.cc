// Copyright 2026 The Thrombo Authors.
#include "service/cds/response_json.h"

#include <map>
#include <string>

#include "fhir/json_printer.h"
#include "base/status_macros.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace thrombo::service {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, const char* key, const std::string& value) {
  if (value.empty()) return;
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void WriteCoding(Writer& w, const v1::CdsCoding& coding) {
  w.StartObject();
  Str(w, "code", coding.code());
  Str(w, "system", coding.system());
  Str(w, "display", coding.display());
  w.EndObject();
}

absl::Status WriteAction(Writer& w, const v1::CdsAction& action) {
  w.StartObject();
  Str(w, "type", action.type());
  Str(w, "description", action.description());
  if (action.has_resource()) {
    ASSIGN_OR_RETURN(std::string json, fhir::PrintResource(action.resource()));
    w.Key("resource");
    w.RawValue(json.data(), json.size(), rapidjson::kObjectType);
  }
  Str(w, "resourceId", action.resource_id());
  w.EndObject();
  return absl::OkStatus();
}

absl::Status WriteCard(Writer& w, const v1::CdsCard& card) {
  w.StartObject();
  Str(w, "uuid", card.uuid());
  Str(w, "summary", card.summary());
  Str(w, "detail", card.detail());
  Str(w, "indicator", card.indicator());
  w.Key("source");
  w.StartObject();
  Str(w, "label", card.source().label());
  Str(w, "url", card.source().url());
  Str(w, "icon", card.source().icon());
  if (card.source().has_topic()) {
    w.Key("topic");
    WriteCoding(w, card.source().topic());
  }
  w.EndObject();
  if (!card.suggestions().empty()) {
    w.Key("suggestions");
    w.StartArray();
    for (const v1::CdsSuggestion& s : card.suggestions()) {
      w.StartObject();
      Str(w, "label", s.label());
      Str(w, "uuid", s.uuid());
      if (s.is_recommended()) {
        w.Key("isRecommended");
        w.Bool(true);
      }
      if (!s.actions().empty()) {
        w.Key("actions");
        w.StartArray();
        for (const v1::CdsAction& action : s.actions()) RETURN_IF_ERROR(WriteAction(w, action));
        w.EndArray();
      }
      w.EndObject();
    }
    w.EndArray();
  }
  Str(w, "selectionBehavior", card.selection_behavior());
  if (!card.override_reasons().empty()) {
    w.Key("overrideReasons");
    w.StartArray();
    for (const v1::CdsCoding& reason : card.override_reasons()) WriteCoding(w, reason);
    w.EndArray();
  }
  if (!card.links().empty()) {
    w.Key("links");
    w.StartArray();
    for (const v1::CdsLink& link : card.links()) {
      w.StartObject();
      Str(w, "label", link.label());
      Str(w, "url", link.url());
      Str(w, "type", link.type());
      Str(w, "appContext", link.app_context());
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> CdsResponseToJson(const v1::CdsHooksResponse& response) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("cards");
  w.StartArray();
  for (const v1::CdsCard& card : response.cards()) RETURN_IF_ERROR(WriteCard(w, card));
  w.EndArray();
  if (!response.system_actions().empty()) {
    w.Key("systemActions");
    w.StartArray();
    for (const v1::CdsAction& action : response.system_actions()) {
      RETURN_IF_ERROR(WriteAction(w, action));
    }
    w.EndArray();
  }
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string CdsServicesToJson(const v1::CdsServices& services) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  w.Key("services");
  w.StartArray();
  for (const v1::CdsService& s : services.services()) {
    w.StartObject();
    Str(w, "hook", s.hook());
    Str(w, "title", s.title());
    Str(w, "description", s.description());
    Str(w, "id", s.id());
    if (!s.prefetch().empty()) {
      w.Key("prefetch");
      w.StartObject();
      // Sorted keys: stable output for clients that diff discovery.
      const std::map<std::string, std::string> sorted(s.prefetch().begin(), s.prefetch().end());
      for (const auto& [key, query] : sorted) Str(w, key.c_str(), query);
      w.EndObject();
    }
    Str(w, "usageRequirements", s.usage_requirements());
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace thrombo::service
