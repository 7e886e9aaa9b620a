// Copyright 2026 The Thrombo Authors.
// PatientRecord: one patient's resources from a Bundle (or loose resources), indexed by type,
// with FHIR reference resolution (relative, absolute, urn:uuid fullUrl, contained #id).
#ifndef THROMBO_FHIR_PATIENT_RECORD_H_
#define THROMBO_FHIR_PATIENT_RECORD_H_

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/call_once.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "fhir/lab_observation.h"
#include "google/protobuf/message.h"
#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::fhir {

// A read-only view of a patient's resources. It does NOT own them: it points into the Bundle or
// resources it was built from, which the caller must keep alive and unmodified for as long as
// the record (or any pointer it returned) is used. Moving the record keeps it valid; copying is
// allowed too. All const methods are thread-safe.
class PatientRecord final {
 public:
  // Indexes the modelled resources of `bundle`'s entries. The Patient is the one whose id is
  // `patient_id` when given (none matching leaves patient() null), else the only Patient (null
  // when there is none). More than one Patient and no `patient_id` is InvalidArgument. When the
  // Bundle holds several Patients, only resources whose subject (patient, for
  // AllergyIntolerance) resolves to the selected Patient are kept.
  // `lab_observations` as for FromResources below (a Bundle read by ParseResourceProjected
  // with a table).
  static absl::StatusOr<PatientRecord> FromBundle(
      const r4::Bundle& bundle, std::string_view patient_id = "",
      const LabObservationTable* lab_observations = nullptr);
  // The same over loose resources (e.g. CDS Hooks prefetch values, each a resource or a
  // searchset Bundle), without copying them into one Bundle: a Bundle among them contributes
  // its entries, except search outcome entries (search.mode = outcome) and OperationOutcomes,
  // which report on a search and are not the patient's data. Null pointers are ignored.
  // `lab_observations` holds the views of the stub Observations among them (the hook path's
  // reader, lab_observation.h); a stub without a view there is an Internal error.
  static absl::StatusOr<PatientRecord> FromResources(
      const std::vector<const r4::ContainedResource*>& resources,
      std::string_view patient_id = "",
      const LabObservationTable* lab_observations = nullptr);

  const r4::Patient* patient() const { return patient_; }
  const std::vector<const r4::MedicationRequest*>& medication_requests() const {
    return medication_requests_;
  }
  const std::vector<const r4::MedicationStatement*>& medication_statements() const {
    return medication_statements_;
  }
  const std::vector<const r4::MedicationAdministration*>& medication_administrations() const {
    return medication_administrations_;
  }
  const std::vector<const r4::MedicationDispense*>& medication_dispenses() const {
    return medication_dispenses_;
  }
  const std::vector<const r4::Medication*>& medications() const { return medications_; }
  const std::vector<const r4::Condition*>& conditions() const { return conditions_; }
  // The Observations as the lab facts read them (lab_observation.h): from their protos, or from
  // the views of the stubs the hook path's reader left.
  const std::vector<LabObservation>& lab_observations() const { return lab_observations_; }
  const std::vector<const r4::Procedure*>& procedures() const { return procedures_; }
  const std::vector<const r4::AllergyIntolerance*>& allergy_intolerances() const {
    return allergy_intolerances_;
  }

  // Resolves a reference string made in resource `from` (a top-level resource of the record;
  // needed only for "#id" references to its contained resources):
  //   "#id" -> from.contained with that id ("#" alone -> `from` itself);
  //   "urn:uuid:..." / "urn:oid:..." -> the entry with that fullUrl;
  //   "https://x/fhir/Patient/123" -> the entry with that fullUrl, else by type and id;
  //   "Patient/123" (optionally ".../_history/n") -> by type and id.
  // Returns nullptr when nothing matches (not an error). An Observation read as a view
  // (lab_observation.h) is found by its fullUrl only.
  const r4::ContainedResource* Resolve(std::string_view reference,
                                       const google::protobuf::Message* from = nullptr) const;
  const r4::ContainedResource* Resolve(const r4::Reference& reference,
                                       const google::protobuf::Message* from = nullptr) const {
    return Resolve(reference.reference(), from);
  }
  // The Medication a medicationReference points to, or nullptr.
  const r4::Medication* ResolveMedication(const r4::Reference& reference,
                                          const google::protobuf::Message& from) const;
  // The Patient a subject reference points to, or nullptr.
  const r4::Patient* ResolvePatient(const r4::Reference& reference,
                                    const google::protobuf::Message& from) const;

 private:
  PatientRecord() = default;

  void Reserve(size_t count);
  void Index(const r4::ContainedResource& resource, std::string_view full_url);
  // Internal when Index met a stub Observation without its view.
  absl::Status CheckViews() const;
  absl::Status SelectPatient(std::string_view patient_id);
  absl::Status Finish(std::string_view patient_id);
  void Collect(const r4::ContainedResource& resource, bool filter);

  // While indexing: the views of stub Observations, and whether a stub had none.
  const LabObservationTable* lab_table_ = nullptr;
  bool view_missing_ = false;

  // A top-level resource of the record, with what finding it by reference needs.
  struct Entry {
    const r4::ContainedResource* resource = nullptr;
    absl::string_view full_url;  // its Bundle entry's fullUrl ("" when none)
    bool stub = false;           // a reader's stub Observation: found by its fullUrl only
  };
  // The references by fullUrl, by type and id, and to a resource itself ("#"), indexed on the
  // first Resolve that needs them: a hook call's record holds forty resources, and most calls
  // resolve only a contained "#id", or nothing (docs/benchmarks.md, "twenty-eighth round").
  // Keys are views of the resources' own strings (fullUrl, id) and of descriptor names, which
  // outlive the record as the resources must: indexing copies no string. Copies of a record
  // share it: they hold the same resources.
  using TypeAndIdKey = std::pair<absl::string_view, absl::string_view>;  // ("Patient", "123")
  struct ReferenceIndex {
    absl::once_flag built;
    absl::flat_hash_map<absl::string_view, const r4::ContainedResource*> by_full_url;
    absl::flat_hash_map<TypeAndIdKey, const r4::ContainedResource*> by_type_and_id;
    // Each top-level resource's message -> its ContainedResource ("#" resolves to it).
    absl::flat_hash_map<const google::protobuf::Message*, const r4::ContainedResource*> holder;
  };
  // *references_, built by the first call (once, whichever thread makes it).
  const ReferenceIndex& References() const;

  const r4::Patient* patient_ = nullptr;
  std::vector<Entry> all_;  // top-level resources in order
  std::vector<const r4::MedicationRequest*> medication_requests_;
  std::vector<const r4::MedicationStatement*> medication_statements_;
  std::vector<const r4::MedicationAdministration*> medication_administrations_;
  std::vector<const r4::MedicationDispense*> medication_dispenses_;
  std::vector<const r4::Medication*> medications_;
  std::vector<const r4::Condition*> conditions_;
  std::vector<LabObservation> lab_observations_;
  std::vector<const r4::Procedure*> procedures_;
  std::vector<const r4::AllergyIntolerance*> allergy_intolerances_;

  std::shared_ptr<ReferenceIndex> references_ = std::make_shared<ReferenceIndex>();
  // The contained resources of each top-level resource, by id, and each contained resource's
  // message -> its container's message (siblings resolve "#id"). Few resources contain any.
  absl::flat_hash_map<const google::protobuf::Message*,
                      absl::flat_hash_map<absl::string_view, const r4::ContainedResource*>>
      contained_;
  absl::flat_hash_map<const google::protobuf::Message*, const google::protobuf::Message*>
      container_of_;
};

}  // namespace thrombo::fhir

#endif  // THROMBO_FHIR_PATIENT_RECORD_H_
