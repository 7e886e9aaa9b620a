// Copyright 2026 The Thrombo Authors.
// AllergyIntolerance -> what the patient must not be given (docs/clinical.md policy v1.1
// rule 16): one DrugAllergy per record that is not refuted, resolved, inactive or
// entered-in-error, read from its code, its reactions' substances and their manifestations.
#ifndef THROMBO_RISK_ALLERGY_FACTS_H_
#define THROMBO_RISK_ALLERGY_FACTS_H_

#include "proto/fhir/r4/resources.pb.h"
#include "risk/fact_context.h"

namespace thrombo::risk {

// Adds `allergy` to context.facts:
// - heparin, any LMWH or a heparinoid removes every ingredient of role HEPARIN or LMWH;
// - a reaction manifestation of heparin-induced thrombocytopenia (coded, or the text "HIT")
//   also removes them and sets hit_history;
// - aspirin, a salicylate or an NSAID removes aspirin and sets aspirin_contraindication;
// - any other recognised drug (a DOAC, warfarin, fondaparinux...) removes that ingredient.
// A record naming nothing the terminology recognises adds nothing.
void AddAllergy(const fhir::r4::AllergyIntolerance& allergy, FactContext& context);

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_ALLERGY_FACTS_H_
