// Copyright 2026 The Thrombo Authors.
#include "risk/fact_fields.h"

#include <cstddef>
#include <iterator>
#include <vector>

#include "google/protobuf/descriptor.h"

namespace thrombo::risk {
namespace {

struct FactField {
  const v1::Fact& (v1::ClinicalFacts::*get)() const;
  v1::Fact* (v1::ClinicalFacts::*get_mutable)();
};

#define THROMBO_FACT_FIELD(name) {&v1::ClinicalFacts::name, &v1::ClinicalFacts::mutable_##name}
constexpr FactField kFactFields[] = {
    THROMBO_FACT_FIELD(age_years),
    THROMBO_FACT_FIELD(bmi),
    THROMBO_FACT_FIELD(weight_kg),
    THROMBO_FACT_FIELD(height_cm),
    THROMBO_FACT_FIELD(imid),
    THROMBO_FACT_FIELD(esa),
    THROMBO_FACT_FIELD(estrogen),
    THROMBO_FACT_FIELD(doxorubicin),
    THROMBO_FACT_FIELD(multi_agent_chemotherapy),
    THROMBO_FACT_FIELD(therapeutic_anticoagulation),
    THROMBO_FACT_FIELD(prophylactic_anticoagulation),
    THROMBO_FACT_FIELD(aspirin),
    THROMBO_FACT_FIELD(prior_vte),
    THROMBO_FACT_FIELD(hip_pelvis_femur_fracture),
    THROMBO_FACT_FIELD(surgery_within_90_days),
    THROMBO_FACT_FIELD(central_venous_catheter),
    THROMBO_FACT_FIELD(cardiac_disease),
    THROMBO_FACT_FIELD(chronic_kidney_disease),
    THROMBO_FACT_FIELD(diabetes),
    THROMBO_FACT_FIELD(acute_infection),
    THROMBO_FACT_FIELD(immobility),
    THROMBO_FACT_FIELD(thrombophilia),
    THROMBO_FACT_FIELD(hyperviscosity),
    THROMBO_FACT_FIELD(active_bleeding),
    THROMBO_FACT_FIELD(hit_history),
    THROMBO_FACT_FIELD(aspirin_contraindication),
    THROMBO_FACT_FIELD(prior_arterial_event),
    THROMBO_FACT_FIELD(hypertension),
    THROMBO_FACT_FIELD(hyperlipidemia),
    THROMBO_FACT_FIELD(tobacco_use),
    THROMBO_FACT_FIELD(multiple_myeloma),
    THROMBO_FACT_FIELD(myeloma_diagnosis),
    THROMBO_FACT_FIELD(platelets),
    THROMBO_FACT_FIELD(creatinine_mg_dl),
    THROMBO_FACT_FIELD(hemoglobin_g_dl),
    THROMBO_FACT_FIELD(egfr),
    THROMBO_FACT_FIELD(creatinine_clearance),
    THROMBO_FACT_FIELD(dialysis),
    THROMBO_FACT_FIELD(possibly_current_anticoagulant),
    THROMBO_FACT_FIELD(strong_cyp3a4_pgp_inhibitor),
    THROMBO_FACT_FIELD(strong_cyp3a4_pgp_inducer),
};
#undef THROMBO_FACT_FIELD

// The singular Fact fields of ClinicalFacts, by reflection, in declaration order.
std::vector<const google::protobuf::FieldDescriptor*> FactFieldsByReflection() {
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  const google::protobuf::Descriptor* descriptor = v1::ClinicalFacts::descriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* field = descriptor->field(i);
    if (field->is_repeated() || field->message_type() != v1::Fact::descriptor()) continue;
    fields.push_back(field);
  }
  return fields;
}

}  // namespace

bool FactAccessorsComplete() {
  static const bool complete = [] {
    const std::vector<const google::protobuf::FieldDescriptor*> fields = FactFieldsByReflection();
    if (fields.size() != std::size(kFactFields)) return false;
    v1::ClinicalFacts probe;
    const google::protobuf::Reflection* reflection = probe.GetReflection();
    for (size_t i = 0; i < fields.size(); ++i) {
      const v1::Fact* by_reflection =
          static_cast<const v1::Fact*>(reflection->MutableMessage(&probe, fields[i]));
      const FactField& listed = kFactFields[i];
      if ((probe.*listed.get_mutable)() != by_reflection ||
          &(probe.*listed.get)() != by_reflection) {
        return false;
      }
    }
    return true;
  }();
  return complete;
}

void ForEachFact(const v1::ClinicalFacts& facts, absl::FunctionRef<void(const v1::Fact&)> visit) {
  if (FactAccessorsComplete()) {
    for (const FactField& field : kFactFields) visit((facts.*field.get)());
    return;
  }
  const google::protobuf::Reflection* reflection = facts.GetReflection();
  for (const google::protobuf::FieldDescriptor* field : FactFieldsByReflection()) {
    visit(static_cast<const v1::Fact&>(reflection->GetMessage(facts, field)));
  }
}

void ForEachMutableFact(v1::ClinicalFacts* facts, absl::FunctionRef<void(v1::Fact*)> visit) {
  if (FactAccessorsComplete()) {
    for (const FactField& field : kFactFields) visit((facts->*field.get_mutable)());
    return;
  }
  const google::protobuf::Reflection* reflection = facts->GetReflection();
  for (const google::protobuf::FieldDescriptor* field : FactFieldsByReflection()) {
    visit(static_cast<v1::Fact*>(reflection->MutableMessage(facts, field)));
  }
}

}  // namespace thrombo::risk
