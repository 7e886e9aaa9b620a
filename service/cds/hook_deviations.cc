// Copyright 2026 The Thrombo Authors.
#include "service/cds/hook_deviations.h"

#include <cctype>
#include <string_view>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "service/cds/discovery.h"
#include "service/cds/prefetch_gather.h"

namespace thrombo::service {
namespace {

// Resource elements no fact reads (identifiers, narrative, provenance, workflow links). A
// malformed one never costs the card. Anything not listed is taken as read (fail safe).
constexpr std::string_view kUnread[] = {
    "id", "meta", "implicitRules", "language", "text", "identifier", "performer",
    "encounter", "context", "basedOn", "partOf", "issued", "referenceRange", "interpretation",
    "method", "device", "specimen", "hasMember", "derivedFrom", "bodySite", "recorder",
    "asserter", "requester", "reasonReference", "insurance", "supportingInformation",
    "priorPrescription", "detectedIssue", "eventHistory", "informationSource", "location",
    "outcome", "complication", "followUp", "focalDevice", "usedReference", "usedCode", "report",
    "instantiatesCanonical", "instantiatesUri", "groupIdentifier", "performerType", "priority",
    "substitution", "reported", "recordedDate", "dateAsserted", "statusReason"};

// "valueQuantity" -> "value", "_birthDate" -> "birthDate": the element a JSON key belongs to,
// with a choice type's suffix removed (the suffix starts with an upper-case letter).
std::string_view BaseElement(std::string_view key) {
  if (!key.empty() && key.front() == '_') key.remove_prefix(1);
  for (size_t i = 1; i < key.size(); ++i) {
    if (std::isupper(static_cast<unsigned char>(key[i])) == 0) continue;
    const std::string_view head = key.substr(0, i);
    for (std::string_view choice : {"value", "effective", "medication", "onset", "abatement",
                                    "occurrence", "performed", "deceased", "multipleBirth",
                                    "reported", "asNeeded"}) {
      if (head == choice) return head;
    }
  }
  return key;
}

bool IsRead(std::string_view resource_type, std::string_view element) {
  const std::string_view base = BaseElement(element);
  // `note` is where a dexamethasone dose stands when the structured dose cannot be read
  // (risk/dex_dose.cc, DoseFromOrder), so it is read on the medication resources only.
  if (base == "note") {
    return resource_type == "MedicationRequest" || resource_type == "MedicationStatement" ||
           resource_type == "MedicationDispense";
  }
  for (std::string_view unread : kUnread) {
    if (base == unread) return false;
  }
  return true;
}

// Marks the category `resource_type` feeds. False when the type feeds none.
bool MarkResource(std::string_view resource_type, risk::DataAvailability* a) {
  if (resource_type == "Medication") {
    // A Medication is read through the medication resources that reference it.
    for (const DataCategory& category : DataCategories()) {
      if (category.medications) a->*category.flag = false;
    }
    return true;
  }
  for (const DataCategory& category : DataCategories()) {
    if (resource_type == category.type) {
      a->*category.flag = false;
      return true;
    }
  }
  return false;
}

// Marks the category of prefetch key `key`; every category for a key this service did not
// ask for (its searchset could have held anything).
void MarkKey(std::string_view key, risk::DataAvailability* a) {
  if (key == kPrefetchConditions) {
    a->conditions = false;
  } else if (key == kPrefetchObservations) {
    a->observations = false;
  } else if (key == kPrefetchProcedures) {
    a->procedures = false;
  } else if (key == kPrefetchAllergies) {
    a->allergies = false;
  } else if (key == kPrefetchMedicationStatements) {
    a->medication_statements = false;
  } else if (key == kPrefetchMedicationRequests) {
    a->medication_requests = false;
  } else if (key == kPrefetchMedicationDispenses) {
    a->medication_dispenses = false;
  } else if (key == kPrefetchMedicationAdministrations) {
    a->medication_administrations = false;
  } else if (key != kPrefetchPatient) {
    for (const DataCategory& category : DataCategories()) a->*category.flag = false;
  }
}

// The N of a path starting with "context.draftOrders.entry[N]", or -1.
int DraftEntryIndex(absl::string_view path) {
  constexpr absl::string_view kPrefix = "context.draftOrders.entry[";
  if (!absl::StartsWith(path, kPrefix)) return -1;
  path.remove_prefix(kPrefix.size());
  const size_t end = path.find(']');
  int index = -1;
  if (end == absl::string_view::npos || !absl::SimpleAtoi(path.substr(0, end), &index)) return -1;
  return index;
}

}  // namespace

risk::DataAvailability Both(const risk::DataAvailability& a, const risk::DataAvailability& b) {
  risk::DataAvailability both;
  for (const DataCategory& category : DataCategories()) {
    both.*category.flag = a.*category.flag && b.*category.flag;
  }
  return both;
}

DeviationEffects EffectsOf(const std::vector<HookDeviation>& deviations,
                           const v1::EvaluateHookRequest& request) {
  DeviationEffects effects;
  for (const HookDeviation& d : deviations) {
    const bool dropped = d.kind == "dropped_element";
    if (!dropped && d.kind != "missing_required") continue;  // clear meaning: no cost
    if (absl::StartsWith(d.path, "context.draftOrders")) {
      if (!dropped) continue;  // a draft's intent/status: the hook says what they are
      const int index = DraftEntryIndex(d.path);
      const std::string_view base = BaseElement(d.element);
      const bool drug = (d.resource_type == "MedicationRequest" && base == "medication") ||
                        d.resource_type == "Medication" ||
                        (d.resource_type == "Bundle" && base == "entry") ||
                        (d.resource_type == "MedicationRequest" && base == "contained");
      if (drug) {
        const bool known = index >= 0 && index < request.draft_orders().entry_size() &&
                           d.resource_type != "Bundle";
        effects.unreadable_draft_ids.push_back(
            known ? "MedicationRequest/" +
                        request.draft_orders().entry(index).resource().medication_request().id()
                  : "*");
      }
      if (drug || (d.resource_type == "MedicationRequest" && base == "dosageInstruction")) {
        effects.available.medication_requests = false;
        effects.costly.push_back(&d);
      }
      continue;
    }
    if (!absl::StartsWith(d.path, "prefetch.")) continue;
    if (d.resource_type == "Bundle") {
      if (BaseElement(d.element) != "entry") continue;  // link, total, type: not read
      std::string_view key = std::string_view(d.path).substr(9);
      key = key.substr(0, key.find('.'));
      MarkKey(key, &effects.available);
      effects.costly.push_back(&d);
      continue;
    }
    if (d.resource_type.empty() || !IsRead(d.resource_type, d.element)) continue;
    if (MarkResource(d.resource_type, &effects.available)) effects.costly.push_back(&d);
  }
  return effects;
}

}  // namespace thrombo::service
