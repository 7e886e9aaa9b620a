// Copyright 2026 The Thrombo Authors.
// Indexes a patient's resources and resolves references with hash maps: it sits on the hot
// path of every assessment.
#include "fhir/patient_record.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/string_compat.h"
#include "fhir/field_access.h"
#include "google/protobuf/reflection.h"

namespace thrombo::fhir {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// What indexing needs of one resource type, found once per process so that no resource is
// indexed through Reflection or a descriptor lookup (this runs for every resource of every call).
struct ResourceKind {
  const FieldAccess* member = nullptr;  // ContainedResource.<type>: get_message
  const FieldAccess* id = nullptr;      // <type>.id: get_string
  absl::string_view type_name;          // "Observation"
  const FieldDescriptor* contained = nullptr;  // <type>.contained, or null
};

// The kind of the resource inside `contained` (by its oneof case, which is the member's field
// number), or nullptr when it is empty.
const ResourceKind* KindOf(const r4::ContainedResource& contained) {
  static const std::vector<ResourceKind>* const kKinds = [] {
    auto* kinds = new std::vector<ResourceKind>;
    const google::protobuf::OneofDescriptor* oneof =
        r4::ContainedResource::descriptor()->oneof_decl(0);
    for (int i = 0; i < oneof->field_count(); ++i) {
      const FieldDescriptor* member = oneof->field(i);
      if (kinds->size() <= static_cast<size_t>(member->number())) {
        kinds->resize(member->number() + 1);
      }
      const google::protobuf::Descriptor* type = member->message_type();
      ResourceKind& kind = (*kinds)[member->number()];
      kind.member = FindFieldAccess(member);
      kind.id = FindFieldAccess(type->FindFieldByName("id"));
      kind.type_name = type->name();
      kind.contained = type->FindFieldByName("contained");
    }
    return kinds;
  }();
  const size_t number = static_cast<size_t>(contained.resource_case());
  if (number == 0 || number >= kKinds->size() || (*kKinds)[number].member == nullptr) {
    return nullptr;
  }
  return &(*kKinds)[number];
}

// The resource message inside a ContainedResource, or nullptr when it is empty.
const Message* ResourceOf(const r4::ContainedResource& contained) {
  const ResourceKind* kind = KindOf(contained);
  return kind == nullptr ? nullptr : &kind->member->get_message(contained);
}

// The id of the resource inside `contained` (a modelled resource has one: field_access_test).
absl::string_view IdOf(const ResourceKind& kind, const Message& resource) {
  return kind.id == nullptr ? absl::string_view() : kind.id->get_string(resource);
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

// Whether `resource` is a reader's stub (lab_observation.h) for the record to read through its
// table. Without a table the record's protos came from elsewhere (the full reader, gRPC), where
// an Observation can still carry a status number out of range: such an Observation is read as
// any other (its status is unusable), unless it is bare as only a stub is, which means a stub
// reached the record without its table.
bool IsStubFor(const r4::ContainedResource& resource, const LabObservationTable* table) {
  if (!resource.has_observation() || !IsViewStub(resource.observation())) return false;
  const r4::Observation& o = resource.observation();
  return table != nullptr ||
         (o.id().empty() && !o.has_code() && o.value_case() == r4::Observation::VALUE_NOT_SET);
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

absl::StatusOr<PatientRecord> PatientRecord::FromBundle(
    const r4::Bundle& bundle, std::string_view patient_id,
    const LabObservationTable* lab_observations) {
  PatientRecord record;
  record.lab_table_ = lab_observations;
  record.Reserve(bundle.entry_size());
  for (const r4::Bundle::Entry& entry : bundle.entry()) {
    if (entry.has_resource()) record.Index(entry.resource(), entry.full_url());
  }
  if (absl::Status status = record.Finish(patient_id); !status.ok()) return status;
  return record;
}

absl::StatusOr<PatientRecord> PatientRecord::FromResources(
    const std::vector<const r4::ContainedResource*>& resources, std::string_view patient_id,
    const LabObservationTable* lab_observations) {
  PatientRecord record;
  record.lab_table_ = lab_observations;
  size_t count = 0;
  for (const r4::ContainedResource* resource : resources) {
    if (resource != nullptr) count += resource->has_bundle() ? resource->bundle().entry_size() : 1;
  }
  record.Reserve(count);
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
  if (absl::Status status = record.Finish(patient_id); !status.ok()) return status;
  return record;
}

// After indexing: every stub has its view, and the Patient is chosen. The table is not kept:
// the views needed are copied into lab_observations_.
absl::Status PatientRecord::Finish(std::string_view patient_id) {
  absl::Status status = CheckViews();
  if (status.ok()) status = SelectPatient(patient_id);
  lab_table_ = nullptr;
  return status;
}

// Room for `count` resources, so that the list is not grown while it fills.
void PatientRecord::Reserve(size_t count) { all_.reserve(count); }

absl::Status PatientRecord::CheckViews() const {
  if (!view_missing_) return absl::OkStatus();
  // A bug, never the client's: the reader's stub was copied or its table not passed on. Reading
  // it as an empty Observation would hide a result the clinician may need.
  return absl::InternalError(
      "an Observation of the request was read as a view, and the view is missing");
}

void PatientRecord::Index(const r4::ContainedResource& resource, std::string_view full_url) {
  if (IsStubFor(resource, lab_table_)) {
    // Most of a hook call's resources. A stub has no id (its view has) and no contained
    // resources, and only a Patient or a Medication is ever resolved, which a stub is not: so
    // it is found by its fullUrl only, which must still resolve to it, not to a later entry.
    if (lab_table_ == nullptr || lab_table_->Find(&resource.observation()) == nullptr) {
      view_missing_ = true;
    }
    all_.push_back({&resource, base::Absl(full_url), /*stub=*/true});
    return;
  }
  const ResourceKind* kind = KindOf(resource);
  if (kind == nullptr) return;
  all_.push_back({&resource, base::Absl(full_url), /*stub=*/false});
  const Message* message = &kind->member->get_message(resource);
  if (kind->contained == nullptr ||
      message->GetReflection()->FieldSize(*message, kind->contained) == 0) {
    return;
  }
  const auto& contained = message->GetReflection()->GetRepeatedFieldRef<r4::ContainedResource>(
      *message, kind->contained);
  auto& by_id = contained_[message];
  for (const r4::ContainedResource& item : contained) {
    const ResourceKind* inner_kind = KindOf(item);
    if (inner_kind == nullptr) continue;
    const Message* inner = &inner_kind->member->get_message(item);
    container_of_.emplace(inner, message);
    by_id.emplace(IdOf(*inner_kind, *inner), &item);
  }
}

const PatientRecord::ReferenceIndex& PatientRecord::References() const {
  ReferenceIndex& index = *references_;
  absl::call_once(index.built, [&] {
    index.by_full_url.reserve(all_.size());
    index.by_type_and_id.reserve(all_.size());
    index.holder.reserve(all_.size());
    // In the record's order, the first of each key kept (emplace), as when indexed eagerly.
    for (const Entry& entry : all_) {
      if (!entry.full_url.empty()) index.by_full_url.emplace(entry.full_url, entry.resource);
      if (entry.stub) continue;
      const ResourceKind& kind = *KindOf(*entry.resource);
      const Message* message = &kind.member->get_message(*entry.resource);
      index.holder.emplace(message, entry.resource);
      const absl::string_view id = IdOf(kind, *message);
      if (!id.empty()) {
        index.by_type_and_id.emplace(TypeAndIdKey{kind.type_name, id}, entry.resource);
      }
    }
  });
  return index;
}

absl::Status PatientRecord::SelectPatient(std::string_view patient_id) {
  std::vector<const r4::Patient*> patients;
  size_t observations = 0;
  for (const Entry& entry : all_) {
    if (entry.resource->has_patient()) patients.push_back(&entry.resource->patient());
    observations += entry.resource->has_observation() ? 1 : 0;
  }
  // Most of a hook request's resources are Observations (about 30): copied into a vector grown
  // one at a time, each copy was made six times over.
  lab_observations_.reserve(observations);
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
  for (const Entry& entry : all_) Collect(*entry.resource, filter);
  return absl::OkStatus();
}

void PatientRecord::Collect(const r4::ContainedResource& resource, bool filter) {
  // Find() answers for stubs only: an ordinary Observation is read from its proto even if the
  // table still holds a view of a stub freed earlier at the same address.
  const LabObservation* view = lab_table_ != nullptr && resource.has_observation()
                                   ? lab_table_->Find(&resource.observation())
                                   : nullptr;
  if (filter && view != nullptr) {  // a stub: whose result it is is in the view
    const r4::ContainedResource* subject =
        Resolve(view->subject_reference, &resource.observation());
    if (subject == nullptr || !subject->has_patient() || &subject->patient() != patient_) return;
  } else if (filter) {
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
      if (view != nullptr) {
        lab_observations_.push_back(*view);
      } else {
        lab_observations_.push_back(LabObservationFromProto(resource.observation()));
      }
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
      const auto& holder = References().holder;
      auto found = holder.find(from);
      return found == holder.end() ? nullptr : found->second;
    }
    auto contained = contained_.find(from);
    if (contained == contained_.end()) return nullptr;
    auto item = contained->second.find(base::Absl(reference.substr(1)));
    return item == contained->second.end() ? nullptr : item->second;
  }
  const ReferenceIndex& index = References();
  if (auto by_url = index.by_full_url.find(base::Absl(reference));
      by_url != index.by_full_url.end()) {
    return by_url->second;
  }
  if (reference.rfind("urn:", 0) == 0) return nullptr;
  const std::string_view type_and_id = TypeAndId(reference);
  if (type_and_id.empty()) return nullptr;
  const size_t slash = type_and_id.find('/');  // a type name has none; an id has none either
  auto found = index.by_type_and_id.find(TypeAndIdKey{
      base::Absl(type_and_id.substr(0, slash)), base::Absl(type_and_id.substr(slash + 1))});
  return found == index.by_type_and_id.end() ? nullptr : found->second;
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
