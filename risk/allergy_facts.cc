// Copyright 2026 The Thrombo Authors.
#include "risk/allergy_facts.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace thrombo::risk {
namespace {

// Ingredients of the policy with one of `roles`.
void AddIngredientsWithRole(const v1::Policy& policy, std::initializer_list<v1::DrugRole> roles,
                            std::set<std::string>* out) {
  for (const v1::DrugConcept& d : policy.drug()) {
    for (v1::DrugRole role : roles) {
      if (d.role() == role) out->insert(d.ingredient());
    }
  }
}

std::string Display(const fhir::r4::CodeableConcept& cc) {
  if (!cc.text().empty()) return cc.text();
  for (const auto& coding : cc.coding()) {
    if (!coding.display().empty()) return coding.display();
  }
  for (const auto& coding : cc.coding()) {
    if (!coding.code().empty()) return absl::StrCat(coding.system(), "|", coding.code());
  }
  return "";
}

// "HIT" as an upper-case word of a manifestation's text or display: the abbreviation clinicians
// write. Not matched case-insensitively ("hit by a car" is trauma, not HIT).
bool SaysHit(const fhir::r4::CodeableConcept& cc) {
  std::vector<std::string> texts = {cc.text()};
  for (const auto& coding : cc.coding()) texts.push_back(coding.display());
  for (const std::string& text : texts) {
    for (absl::string_view word : absl::StrSplit(text, absl::ByAnyChar(" ,;:/()-."))) {
      if (word == "HIT") return true;
    }
  }
  return false;
}

bool Excluded(const fhir::r4::AllergyIntolerance& a) {
  for (const auto& coding : a.verification_status().coding()) {
    if (coding.code() == "refuted" || coding.code() == "entered-in-error") return true;
  }
  for (const auto& coding : a.clinical_status().coding()) {
    // Only "resolved" (clinically reassessed, no longer a risk) lifts it: "inactive" alone is
    // ambiguous, and rule 16 names refuted, resolved and entered-in-error only.
    if (coding.code() == "resolved") return true;
  }
  return false;
}

}  // namespace

void AddAllergy(const fhir::r4::AllergyIntolerance& a, FactContext& c) {
  if (Excluded(a)) return;
  const v1::Policy& policy = c.terminology.policy();
  std::set<std::string> excluded;
  bool hit = false;
  bool aspirin = false;
  // The first match's evidence, on the facts' arena: the allergy takes it, the facts it sets
  // take copies.
  EvidencePtr evidence;
  auto note = [&](const std::string& path, MatchSource source, const MatchedText& matched) {
    if (evidence) return;
    evidence =
        MakeEvidence(c, "AllergyIntolerance", a.id(), path, SourceOf(source), matched);
  };
  auto read_substance = [&](const fhir::r4::CodeableConcept& cc, const std::string& path) {
    for (const DrugMatch& m : c.terminology.MatchDrug(cc)) {
      note(path, m.source, m.matched);
      switch (m.concept->role()) {
        case v1::HEPARIN:
        case v1::LMWH:
          AddIngredientsWithRole(policy, {v1::HEPARIN, v1::LMWH}, &excluded);
          break;
        case v1::ASPIRIN:
        case v1::NSAID:
          aspirin = true;
          excluded.insert("aspirin");
          break;
        default:
          excluded.insert(m.concept->ingredient());
          break;
      }
    }
    for (const ConditionMatch& m : c.terminology.MatchCondition(cc)) {
      switch (m.concept->role()) {
        case v1::ASPIRIN_ALLERGY:
          note(path, m.source, m.matched);
          aspirin = true;
          excluded.insert("aspirin");
          break;
        case v1::HEPARIN_ALLERGY:
          note(path, m.source, m.matched);
          AddIngredientsWithRole(policy, {v1::HEPARIN, v1::LMWH}, &excluded);
          break;
        case v1::HIT:
          note(path, m.source, m.matched);
          hit = true;
          AddIngredientsWithRole(policy, {v1::HEPARIN, v1::LMWH}, &excluded);
          break;
        default:
          break;
      }
    }
  };
  read_substance(a.code(), "AllergyIntolerance.code");
  for (const auto& reaction : a.reaction()) {
    read_substance(reaction.substance(), "AllergyIntolerance.reaction.substance");
    for (const fhir::r4::CodeableConcept& manifestation : reaction.manifestation()) {
      bool says_hit = SaysHit(manifestation);
      for (const ConditionMatch& m : c.terminology.MatchCondition(manifestation)) {
        says_hit |= m.concept->role() == v1::HIT;
      }
      if (!says_hit) continue;
      hit = true;
      AddIngredientsWithRole(policy, {v1::HEPARIN, v1::LMWH}, &excluded);
      if (!evidence) {
        evidence = MakeEvidence(c, "AllergyIntolerance", a.id(),
                                "AllergyIntolerance.reaction.manifestation", v1::Evidence::TEXT,
                                Display(manifestation));
      }
    }
  }
  if (excluded.empty()) return;
  if (!evidence) {  // every exclusion above notes its evidence; kept total all the same
    evidence = MakeArenaOwned<v1::Evidence>(c.arena());
  }
  if (hit) MarkPresent(c.facts.mutable_hit_history(), *evidence, c.evidence_refs);
  if (aspirin) {
    MarkPresent(c.facts.mutable_aspirin_contraindication(), *evidence, c.evidence_refs);
  }
  v1::DrugAllergy& allergy = *c.facts.add_drug_allergies();
  for (const std::string& ingredient : excluded) allergy.add_excluded_ingredients(ingredient);
  allergy.set_recorded_as(Display(a.code()));
  allergy.set_heparin_induced_thrombocytopenia(hit);
  allergy.set_allocated_evidence(evidence.release());
}

}  // namespace thrombo::risk
