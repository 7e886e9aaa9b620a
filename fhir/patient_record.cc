// Copyright 2026 The Thrombo Authors.
// Indexes a patient's resources and resolves references with hash maps: it sits on the hot
// path of every assessment.
#include "fhir/patient_record.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/string_compat.h"
#include "google/protobuf/reflection.h"

namespace thrombo::fhir {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The resource message inside a ContainedResource, or nullptr when it is empty.
const Message* ResourceOf(const r4::ContainedResource& contained) {
  const google::protobuf::Reflection* reflection = contained.GetReflection();
  const FieldDescriptor* member = reflection->GetOneofFieldDescriptor(
      contained, r4::ContainedResource::descriptor()->oneof_decl(0));
  return member == nullptr ? nullptr : &reflection->GetMessage(contained, member);
}

// Every modelled resource has `string id = 1`. Generated messages return a reference to their
// own storage, so `scratch` is only a fallback.
const std::string& IdOf(const Message& resource, std::string* scratch) {
  return resource.GetReflection()->GetStringReference(resource, resource.GetDescriptor()->field(0),
                                                      scratch);
}

// "https://x/fhir/Patient/123/_history/2" -> "Patient/123"; "" when there is no type/id.
std::string_view TypeAndId(std::string_view reference) {
  if (const size_t history = reference.find("/_history/"); history != std::string_view::npos) {
    reference = reference.substr(0, history);
  }
  const size_t last = reference.rfind('/');
  if (last == std::string_view::npos || last == 0 || last + 1 == reference.size()) return {};
  const size_t type_start = reference.rfind('/', last - 1);
  return type_start == std::string_view::npos ? reference : reference.substr(type_start + 1);
}

// The reference to the patient a clinical resource is about.
const r4::Reference* SubjectOf(const r4::ContainedResource& resource) {
  switch (resource.resource_case()) {
    case r4::ContainedResource::kMedicationRequest:
      return &resource.medication_request().subject();
    case r4::ContainedResource::kMedicationStatement:
      return &resource.medication_statement().subject();
    case r4::ContainedResource::kMedicationAdministration:
      return &resource.medication_administration().subject();
    case r4::ContainedResource::kMedicationDispense:
      return &resource.medication_dispense().subject();
    case r4::ContainedResource::kCondition: return &resource.condition().subject();
    case r4::ContainedResource::kObservation: return &resource.observation().subject();
    case r4::ContainedResource::kProcedure: return &resource.procedure().subject();
    case r4::ContainedResource::kAllergyIntolerance:
      return &resource.allergy_intolerance().patient();
    default: return nullptr;
  }
}

}  // namespace

absl::StatusOr<PatientRecord> PatientRecord::FromBundle(const r4::Bundle& bundle,
                                                        std::string_view patient_id) {
  PatientRecord record;
  record.all_.reserve(bundle.entry_size());
  for (const r4::Bundle::Entry& entry : bundle.entry()) {
    if (entry.has_resource()) record.Index(entry.resource(), entry.full_url());
  }
  absl::Status status = record.SelectPatient(patient_id);
  if (!status.ok()) return status;
  return record;
}

absl::StatusOr<PatientRecord> PatientRecord::FromResources(
    const std::vector<const r4::ContainedResource*>& resources, std::string_view patient_id) {
  PatientRecord record;
  for (const r4::ContainedResource* resource : resources) {
    if (resource == nullptr) continue;
    if (resource->has_bundle()) {
      for (const r4::Bundle::Entry& entry : resource->bundle().entry()) {
        if (!entry.has_resource() || entry.resource().has_operation_outcome()) continue;
        if (entry.search().mode() == r4::SearchEntryModeCode::OUTCOME) continue;
        record.Index(entry.resource(), entry.full_url());
      }
    } else {
      record.Index(*resource, "");
    }
  }
  absl::Status status = record.SelectPatient(patient_id);
  if (!status.ok()) return status;
  return record;
}

void PatientRecord::Index(const r4::ContainedResource& resource, std::string_view full_url) {
  const Message* message = ResourceOf(resource);
  if (message == nullptr) return;
  all_.push_back(&resource);
  holder_.emplace(message, &resource);
  if (!full_url.empty()) by_full_url_.emplace(std::string(full_url), &resource);
  std::string scratch;
  const std::string& id = IdOf(*message, &scratch);
  if (!id.empty()) {
    by_type_and_id_.emplace(absl::StrCat(message->GetDescriptor()->name(), "/", id), &resource);
  }
  const FieldDescriptor* contained_field = message->GetDescriptor()->FindFieldByName("contained");
  if (contained_field == nullptr) return;
  const auto& contained = message->GetReflection()->GetRepeatedFieldRef<r4::ContainedResource>(
      *message, contained_field);
  if (contained.empty()) return;
  auto& by_id = contained_[message];
  for (const r4::ContainedResource& item : contained) {
    const Message* inner = ResourceOf(item);
    if (inner == nullptr) continue;
    container_of_.emplace(inner, message);
    by_id.emplace(IdOf(*inner, &scratch), &item);
  }
}

absl::Status PatientRecord::SelectPatient(std::string_view patient_id) {
  std::vector<const r4::Patient*> patients;
  for (const r4::ContainedResource* resource : all_) {
    if (resource->has_patient()) patients.push_back(&resource->patient());
  }
  if (!patient_id.empty()) {
    for (const r4::Patient* patient : patients) {
      if (patient->id() == patient_id) patient_ = patient;
    }
  } else if (patients.size() == 1) {
    patient_ = patients[0];
  } else if (patients.size() > 1) {
    std::vector<std::string> ids;
    for (const r4::Patient* patient : patients) ids.push_back(patient->id());
    return absl::InvalidArgumentError(absl::StrCat(
        "the Bundle holds ", patients.size(), " Patient resources (ids ",
        absl::StrJoin(ids, ", "), "); give the patient id to choose one"));
  }
  const bool filter = patients.size() > 1;
  for (const r4::ContainedResource* resource : all_) Collect(*resource, filter);
  return absl::OkStatus();
}

void PatientRecord::Collect(const r4::ContainedResource& resource, bool filter) {
  if (filter) {
    const r4::Reference* subject = SubjectOf(resource);
    if (subject == nullptr && !resource.has_medication()) return;
    if (subject != nullptr) {
      const r4::Patient* patient = ResolvePatient(*subject, *ResourceOf(resource));
      if (patient == nullptr || patient != patient_) return;
    }
  }
  switch (resource.resource_case()) {
    case r4::ContainedResource::kMedicationRequest:
      medication_requests_.push_back(&resource.medication_request());
      break;
    case r4::ContainedResource::kMedicationStatement:
      medication_statements_.push_back(&resource.medication_statement());
      break;
    case r4::ContainedResource::kMedicationAdministration:
      medication_administrations_.push_back(&resource.medication_administration());
      break;
    case r4::ContainedResource::kMedicationDispense:
      medication_dispenses_.push_back(&resource.medication_dispense());
      break;
    case r4::ContainedResource::kMedication: medications_.push_back(&resource.medication()); break;
    case r4::ContainedResource::kCondition: conditions_.push_back(&resource.condition()); break;
    case r4::ContainedResource::kObservation:
      observations_.push_back(&resource.observation());
      break;
    case r4::ContainedResource::kProcedure: procedures_.push_back(&resource.procedure()); break;
    case r4::ContainedResource::kAllergyIntolerance:
      allergy_intolerances_.push_back(&resource.allergy_intolerance());
      break;
    default: break;
  }
}

const r4::ContainedResource* PatientRecord::Resolve(std::string_view reference,
                                                    const Message* from) const {
  if (reference.empty()) return nullptr;
  if (reference[0] == '#') {
    if (from == nullptr) return nullptr;
    if (auto container = container_of_.find(from); container != container_of_.end()) {
      from = container->second;  // a contained resource refers to its siblings
    }
    if (reference.size() == 1) {
      auto holder = holder_.find(from);
      return holder == holder_.end() ? nullptr : holder->second;
    }
    auto contained = contained_.find(from);
    if (contained == contained_.end()) return nullptr;
    auto item = contained->second.find(base::Absl(reference.substr(1)));
    return item == contained->second.end() ? nullptr : item->second;
  }
  if (auto by_url = by_full_url_.find(base::Absl(reference)); by_url != by_full_url_.end()) {
    return by_url->second;
  }
  if (reference.rfind("urn:", 0) == 0) return nullptr;
  const std::string_view type_and_id = TypeAndId(reference);
  if (type_and_id.empty()) return nullptr;
  auto found = by_type_and_id_.find(base::Absl(type_and_id));
  return found == by_type_and_id_.end() ? nullptr : found->second;
}

const r4::Medication* PatientRecord::ResolveMedication(const r4::Reference& reference,
                                                       const Message& from) const {
  const r4::ContainedResource* resolved = Resolve(reference.reference(), &from);
  return resolved != nullptr && resolved->has_medication() ? &resolved->medication() : nullptr;
}

const r4::Patient* PatientRecord::ResolvePatient(const r4::Reference& reference,
                                                 const Message& from) const {
  const r4::ContainedResource* resolved = Resolve(reference.reference(), &from);
  return resolved != nullptr && resolved->has_patient() ? &resolved->patient() : nullptr;
}

}  // namespace thrombo::fhir
