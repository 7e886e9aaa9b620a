// Copyright 2026 The Thrombo Authors.
#include "service/cds/response_json.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/json_writer.h"
#include "base/status_macros.h"
#include "fhir/json_printer.h"
#include "fhir/parse_issue.h"
#include "fhir/primitives.h"
#include "proto/fhir/r4/datatypes.pb.h"
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

// ---- The direct writer: the same member order as the printer above and fhir/json_printer.h
// (FHIR elements in field number order, "resourceType" first), without protos.

using base::JsonWriter;

// authoredOn as fhir::FormatDateTime prints a DateTime of SECOND precision in "Z", so the bytes
// cannot drift from the proto printer's.
absl::StatusOr<std::string> AuthoredOn(absl::Time time) {
  fhir::r4::DateTime date_time;
  date_time.set_value_us(absl::ToUnixSeconds(time) * 1000000);
  date_time.set_precision(fhir::r4::SECOND);
  date_time.set_timezone("Z");
  absl::StatusOr<std::string> text = fhir::FormatDateTime(date_time);
  if (!text.ok()) {
    return fhir::MakeParseError(fhir::IssueType::kProcessing, std::string(text.status().message()),
                                "$.authoredOn");
  }
  return text;
}

// What `write` writes through a JsonWriter, as a string. The response's fixed parts are written
// once per process this way, by the same writer calls a per-call write would make, so the bytes
// are the same.
template <typename Write>
std::string WrittenBy(Write write) {
  std::string out;
  JsonWriter w(&out);
  write(w);
  return out;
}

// The members `write` writes into an object, without the object's braces, for
// JsonWriter::Members.
template <typename Write>
std::string FixedMembers(Write write) {
  const std::string object = WrittenBy([&write](JsonWriter& w) {
    w.StartObject();
    write(w);
    w.EndObject();
  });
  return object.substr(1, object.size() - 2);
}

void WriteReference(JsonWriter& w, std::string_view key, std::string_view type,
                    std::string_view id, std::string* scratch) {
  w.Key(key);
  w.StartObject();
  w.Key("reference");
  scratch->assign(type.data(), type.size());
  scratch->append(id.data(), id.size());
  w.String(*scratch);
  w.EndObject();
}

// The route member of a draft order given by `subcutaneous`.
std::string RouteMember(bool subcutaneous) {
  return FixedMembers([subcutaneous](JsonWriter& w) {
    w.Key("route");
    w.StartObject();
    w.Key("coding");
    w.StartArray();
    w.StartObject();
    w.Key("system");
    w.String(kSnomedSystem);
    w.Key("code");
    w.String(RouteCode(subcutaneous));
    w.Key("display");
    w.String(RouteDisplay(subcutaneous));
    w.EndObject();
    w.EndArray();
    w.EndObject();
  });
}

// The members that are the same in every draft order, written once.
struct DraftOrderMembers {
  std::string head;           // resourceType, status, intent
  std::string rxnorm_system;  // medicationCodeableConcept.coding[0].system
  std::string reason_code;
  std::string period;  // timing.repeat's period and periodUnit: one day
  std::string oral_route;
  std::string subcutaneous_route;
  std::string dose_unit;  // doseQuantity's unit, system and code: mg in UCUM
};

const DraftOrderMembers& FixedDraftOrderMembers() {
  static const DraftOrderMembers* const members = new DraftOrderMembers{
      FixedMembers([](JsonWriter& w) {
        w.Key("resourceType");
        w.String("MedicationRequest");
        w.Key("status");
        w.String("draft");
        w.Key("intent");
        w.String("order");
      }),
      FixedMembers([](JsonWriter& w) {
        w.Key("system");
        w.String(kRxNormSystem);
      }),
      FixedMembers([](JsonWriter& w) {
        w.Key("reasonCode");
        w.StartArray();
        w.StartObject();
        w.Key("text");
        w.String(kDraftOrderReason);
        w.EndObject();
        w.EndArray();
      }),
      FixedMembers([](JsonWriter& w) {
        w.Key("period");
        w.Raw("1");
        w.Key("periodUnit");
        w.String("d");
      }),
      RouteMember(false),
      RouteMember(true),
      FixedMembers([](JsonWriter& w) {
        w.Key("unit");
        w.String("mg");
        w.Key("system");
        w.String(kUcumSystem);
        w.Key("code");
        w.String("mg");
      }),
  };
  return *members;
}

// The draft order as fhir::PrintResource prints MedicationRequestToProto(order). The members
// that are the same in every draft order are written once (FixedDraftOrderMembers); only the
// order's own values are written per call.
absl::Status WriteMedicationRequest(JsonWriter& w, const DraftMedicationRequest& order,
                                    std::string_view authored_on, std::string* scratch) {
  const DraftOrderMembers& fixed = FixedDraftOrderMembers();
  w.StartObject();
  w.Members(fixed.head);
  w.Key("medicationCodeableConcept");
  w.StartObject();
  if (!order.rxnorm_code.empty()) {
    w.Key("coding");
    w.StartArray();
    w.StartObject();
    w.Members(fixed.rxnorm_system);
    w.NonEmpty("code", order.rxnorm_code);
    w.NonEmpty("display", order.rxnorm_display);
    w.EndObject();
    w.EndArray();
  }
  w.NonEmpty("text", order.medication_text);
  w.EndObject();
  WriteReference(w, "subject", "Patient/", order.patient_id, scratch);
  if (!order.encounter_id.empty()) {
    WriteReference(w, "encounter", "Encounter/", order.encounter_id, scratch);
  }
  w.Key("authoredOn");
  w.String(authored_on);
  w.Members(fixed.reason_code);
  w.Key("dosageInstruction");
  w.StartArray();
  w.StartObject();
  w.NonEmpty("text", order.dose_text);
  if (order.doses_per_day > 0) {
    w.Key("timing");
    w.StartObject();
    w.Key("repeat");
    w.StartObject();
    w.Key("frequency");
    w.Int(order.doses_per_day);
    w.Members(fixed.period);
    w.EndObject();
    w.EndObject();
  }
  w.Members(order.subcutaneous ? fixed.subcutaneous_route : fixed.oral_route);
  if (order.dose_mg > 0) {
    const std::string value = DoseValueText(order.dose_mg);
    if (!fhir::IsValidDecimal(value)) {
      return fhir::MakeParseError(
          fhir::IssueType::kProcessing, absl::StrCat("invalid decimal \"", value, "\""),
          "$.dosageInstruction[0].doseAndRate[0].doseQuantity.value");
    }
    w.Key("doseAndRate");
    w.StartArray();
    w.StartObject();
    w.Key("doseQuantity");
    w.StartObject();
    w.Key("value");
    w.Raw(value);
    w.Members(fixed.dose_unit);
    w.EndObject();
    w.EndObject();
    w.EndArray();
  }
  w.EndObject();
  w.EndArray();
  w.EndObject();
  return absl::OkStatus();
}

// The override reasons of a card with suggestions, as a JSON array: the same on every card, so
// written once, by the same writer, rather than quoted again on every card of every call.
const std::string& OverrideReasonsJson() {
  static const std::string* const json = new std::string(WrittenBy([](JsonWriter& w) {
    w.StartArray();
    for (const OverrideReason& reason : kOverrideReasons) {
      // CdsCoding's member order in the printer above: code, system, display.
      w.StartObject();
      w.Key("code");
      w.String(reason.code);
      w.Key("system");
      w.String(kOverrideReasonSystem);
      w.Key("display");
      w.String(reason.display);
      w.EndObject();
    }
    w.EndArray();
  }));
  return *json;
}

// The prophylaxis card's reference links, as a JSON array, written once (as above).
const std::string& ReferenceLinksJson() {
  static const std::string* const json = new std::string(WrittenBy([](JsonWriter& w) {
    w.StartArray();
    for (const ReferenceLink& link : kReferenceLinks) {
      w.StartObject();
      w.Key("label");
      w.String(link.label);
      w.Key("url");
      w.String(link.url);
      w.Key("type");
      w.String("absolute");
      w.EndObject();
    }
    w.EndArray();
  }));
  return *json;
}

// Sizes the output once: the cards' text plus the fixed parts of each suggestion.
size_t EstimatedSize(const std::vector<Card>& cards) {
  size_t size = 16;
  for (const Card& card : cards) {
    size += 512 + card.summary.size() + card.detail.size() + card.detail.size() / 8;
    size += card.suggestions.size() * 1400;
    if (!card.suggestions.empty()) size += 600;
    if (card.links_references) size += 400;
  }
  return size;
}

}  // namespace

absl::Status AppendCdsResponseJson(const std::vector<Card>& cards, std::string* out) {
  out->reserve(out->size() + EstimatedSize(cards));
  JsonWriter w(out);
  std::string scratch;
  absl::Time authored_time = absl::InfinitePast();
  std::string authored_on;  // the text of `authored_time`, formatted once per call
  w.StartObject();
  w.Key("cards");
  w.StartArray();
  for (const Card& card : cards) {
    w.StartObject();
    w.NonEmpty("uuid", card.uuid);
    w.NonEmpty("summary", card.summary);
    w.NonEmpty("detail", card.detail);
    w.NonEmpty("indicator", card.indicator);
    w.Key("source");
    w.StartObject();
    w.Key("label");
    w.String(kSourceLabel);
    w.NonEmpty("url", card.source_url);
    w.EndObject();
    if (!card.suggestions.empty()) {
      w.Key("suggestions");
      w.StartArray();
      for (const CardSuggestion& s : card.suggestions) {
        w.StartObject();
        w.NonEmpty("label", s.label);
        w.NonEmpty("uuid", s.uuid);
        if (s.is_recommended) {
          w.Key("isRecommended");
          w.Bool(true);
        }
        w.Key("actions");
        w.StartArray();
        if (!s.stop_resource_id.empty()) {
          w.StartObject();
          w.Key("type");
          w.String("delete");
          w.NonEmpty("description", s.stop_description);
          w.Key("resourceId");
          w.String(s.stop_resource_id);
          w.EndObject();
        }
        w.StartObject();
        w.Key("type");
        w.String("create");
        w.NonEmpty("description", s.create_description);
        w.Key("resource");
        if (s.order.authored_on != authored_time || authored_on.empty()) {
          ASSIGN_OR_RETURN(authored_on, AuthoredOn(s.order.authored_on));
          authored_time = s.order.authored_on;
        }
        RETURN_IF_ERROR(WriteMedicationRequest(w, s.order, authored_on, &scratch));
        w.EndObject();
        w.EndArray();
        w.EndObject();
      }
      w.EndArray();
      w.Key("selectionBehavior");
      w.String("at-most-one");
      w.Key("overrideReasons");
      w.Raw(OverrideReasonsJson());
    }
    if (card.links_references) {
      w.Key("links");
      w.Raw(ReferenceLinksJson());
    }
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return absl::OkStatus();
}

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
