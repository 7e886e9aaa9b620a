// Copyright 2026 The Thrombo Authors.
// Policy loading (TextFormat with line/column errors), validation with field paths, and the
// embedded default.
#include "risk/policy.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "base/read_file.h"
#include "base/status_macros.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "risk/default_policy_text.h"

namespace thrombo::risk {
namespace {

using v1::CodeRef;

absl::Status Bad(absl::string_view path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", what));
}

std::string Idx(absl::string_view path, int i) { return absl::StrCat(path, "[", i, "]"); }
std::string Field(absl::string_view path, absl::string_view field) {
  return path.empty() ? std::string(field) : absl::StrCat(path, ".", field);
}

// Collects the first TextFormat error with its position (the parser's lines are 0-based).
class FirstErrorCollector final : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!error_.empty()) return;
    error_ = absl::StrCat("line ", line + 1, ", column ", column + 1, ": ", message);
  }
  void AddWarning(int, google::protobuf::io::ColumnNumber, const std::string&) override {}
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

// The identity of a code for duplicate detection: ICD-10-CM ignores the dot and case.
std::string CodeKey(const CodeRef& c) {
  const std::string code = c.system() == kIcd10CmSystem ? NormalizeIcd10Code(c.code()) : c.code();
  return absl::StrCat(c.system(), "|", code, c.prefix() ? "*" : "");
}

bool IsUri(absl::string_view s) {
  return absl::StartsWith(s, "http://") || absl::StartsWith(s, "https://") ||
         absl::StartsWith(s, "urn:");
}

bool HasSpace(absl::string_view s) {
  for (char ch : s) {
    if (absl::ascii_isspace(static_cast<unsigned char>(ch))) return true;
  }
  return false;
}

absl::Status CheckCodeRef(const CodeRef& c, const std::string& path) {
  if (c.system().empty()) return Bad(Field(path, "system"), "empty");
  if (!IsUri(c.system())) {
    return Bad(Field(path, "system"), absl::StrCat("'", c.system(), "' is not a URI"));
  }
  if (c.code().empty()) return Bad(Field(path, "code"), "empty");
  if (HasSpace(c.code())) return Bad(Field(path, "code"), "contains whitespace");
  if (c.prefix() && c.system() != kIcd10CmSystem) {
    return Bad(Field(path, "prefix"), "only ICD-10-CM codes can be prefixes");
  }
  if (c.system() == kIcd10CmSystem && NormalizeIcd10Code(c.code()).size() < 3) {
    return Bad(Field(path, "code"), "an ICD-10-CM code has at least 3 characters");
  }
  if (c.source().empty()) {
    return Bad(Field(path, "source"), "empty (say where the code was verified, or UNVERIFIED)");
  }
  if (!std::isfinite(c.strength_mg()) || c.strength_mg() < 0) {
    return Bad(Field(path, "strength_mg"), "must be a finite number >= 0");
  }
  return absl::OkStatus();
}

absl::Status CheckTerm(const std::string& term, const std::string& path) {
  if (NormalizedWords(term).empty()) return Bad(path, "has no words");
  return absl::OkStatus();
}

// Codes and terms already claimed, with the path that claimed them.
struct Claims {
  absl::flat_hash_map<std::string, std::string> codes;
  absl::flat_hash_map<std::string, std::string> terms;
};

// Validates the codes and text of one concept. Codes and terms must be unique within the
// concept; `global` (drugs, labs) also makes them unique across concepts.
template <typename Concept>
absl::Status CheckConceptCodes(const Concept& concept, const std::string& path,
                               const std::string& owner, Claims* global) {
  Claims local;
  Claims& claims = global != nullptr ? *global : local;
  for (int j = 0; j < concept.code_size(); ++j) {
    const std::string p = Idx(Field(path, "code"), j);
    RETURN_IF_ERROR(CheckCodeRef(concept.code(j), p));
    const auto [it, inserted] = claims.codes.emplace(CodeKey(concept.code(j)), p + owner);
    if (!inserted) {
      return Bad(p, absl::StrCat(concept.code(j).system(), "|", concept.code(j).code(),
                                 " already claimed by ", it->second));
    }
  }
  return absl::OkStatus();
}

template <typename Concept>
absl::Status CheckConceptText(const Concept& concept, const std::string& path,
                              const std::string& owner, Claims* global) {
  Claims local;
  Claims& claims = global != nullptr ? *global : local;
  for (int j = 0; j < concept.text_size(); ++j) {
    const std::string p = Idx(Field(path, "text"), j);
    RETURN_IF_ERROR(CheckTerm(concept.text(j), p));
    const auto [it, inserted] =
        claims.terms.emplace(absl::StrJoin(NormalizedWords(concept.text(j)), " "), p + owner);
    if (!inserted) {
      return Bad(p, absl::StrCat("'", concept.text(j), "' already used by ", it->second));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckDrugs(const v1::Policy& policy) {
  Claims claims;
  absl::flat_hash_map<std::string, int> ingredients;
  bool any_imid = false;
  for (int i = 0; i < policy.drug_size(); ++i) {
    const v1::DrugConcept& d = policy.drug(i);
    const std::string path = Idx("drug", i);
    if (d.ingredient().empty()) return Bad(Field(path, "ingredient"), "empty");
    if (d.ingredient() != absl::AsciiStrToLower(d.ingredient()) ||
        absl::StripAsciiWhitespace(d.ingredient()) != d.ingredient()) {
      return Bad(Field(path, "ingredient"), "must be lower case without outer spaces");
    }
    if (!ingredients.emplace(d.ingredient(), i).second) {
      return Bad(Field(path, "ingredient"),
                 absl::StrCat("'", d.ingredient(), "' duplicates drug[",
                              ingredients[d.ingredient()], "]"));
    }
    if (!v1::DrugRole_IsValid(d.role()) || d.role() == v1::DRUG_ROLE_UNSPECIFIED) {
      return Bad(Field(path, "role"), absl::StrCat("unknown or unspecified (", d.role(), ")"));
    }
    if (d.investigational() && d.role() != v1::IMID) {
      return Bad(Field(path, "investigational"), "only IMID concepts can be investigational");
    }
    if (d.code_size() == 0 && d.text_size() == 0) return Bad(path, "no code and no text");
    const std::string owner = absl::StrCat(" (", d.ingredient(), ")");
    RETURN_IF_ERROR(CheckConceptCodes(d, path, owner, &claims));
    RETURN_IF_ERROR(CheckConceptText(d, path, owner, &claims));
    any_imid |= d.role() == v1::IMID && !d.investigational();
  }
  if (!any_imid) return Bad("drug", "no IMID concept: the engine would never fire");
  return absl::OkStatus();
}

// The role of concept group `index` of `list` (at `path`): a value of `type` other than 0
// (UNSPECIFIED), and not the role of an earlier group of the list (`roles`: role -> index).
absl::Status CheckRole(const google::protobuf::EnumDescriptor& type, int role, int index,
                       absl::string_view list, const std::string& path,
                       absl::flat_hash_map<int, int>* roles) {
  const google::protobuf::EnumValueDescriptor* value = type.FindValueByNumber(role);
  if (value == nullptr || role == 0) {
    return Bad(Field(path, "role"), absl::StrCat("unknown or unspecified (", role, ")"));
  }
  if (!roles->emplace(role, index).second) {
    return Bad(Field(path, "role"),
               absl::StrCat(value->name(), " duplicates ", list, "[", (*roles)[role], "]"));
  }
  return absl::OkStatus();
}

absl::Status CheckConditions(const v1::Policy& policy) {
  absl::flat_hash_map<int, int> roles;
  for (int i = 0; i < policy.condition_size(); ++i) {
    const v1::ConditionConcept& c = policy.condition(i);
    const std::string path = Idx("condition", i);
    RETURN_IF_ERROR(
        CheckRole(*v1::ConditionRole_descriptor(), c.role(), i, "condition", path, &roles));
    if (c.code_size() == 0 && c.text_size() == 0) return Bad(path, "no code and no text");
    // A code may sit in two groups (diabetic kidney disease is CKD and diabetes).
    RETURN_IF_ERROR(CheckConceptCodes(c, path, "", nullptr));
    RETURN_IF_ERROR(CheckConceptText(c, path, "", nullptr));
  }
  return absl::OkStatus();
}

absl::Status CheckProcedures(const v1::Policy& policy) {
  absl::flat_hash_map<int, int> roles;
  for (int i = 0; i < policy.procedure_size(); ++i) {
    const v1::ProcedureConcept& p = policy.procedure(i);
    const std::string path = Idx("procedure", i);
    RETURN_IF_ERROR(
        CheckRole(*v1::ProcedureRole_descriptor(), p.role(), i, "procedure", path, &roles));
    if (p.code_size() == 0 && p.text_size() == 0 && p.text_suffix_size() == 0) {
      return Bad(path, "no code, text or suffix");
    }
    RETURN_IF_ERROR(CheckConceptCodes(p, path, "", nullptr));
    RETURN_IF_ERROR(CheckConceptText(p, path, "", nullptr));
    for (int j = 0; j < p.text_suffix_size(); ++j) {
      const std::vector<std::string> words = NormalizedWords(p.text_suffix(j));
      if (words.size() != 1 || words[0] != p.text_suffix(j)) {
        return Bad(Idx(Field(path, "text_suffix"), j), "must be one lower-case word");
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckLabs(const v1::Policy& policy) {
  Claims claims;
  absl::flat_hash_map<int, int> kinds;
  for (int i = 0; i < policy.lab_size(); ++i) {
    const v1::LabConcept& l = policy.lab(i);
    const std::string path = Idx("lab", i);
    if (!v1::LabKind_IsValid(l.kind()) || l.kind() == v1::LAB_KIND_UNSPECIFIED) {
      return Bad(Field(path, "kind"), absl::StrCat("unknown or unspecified (", l.kind(), ")"));
    }
    if (!kinds.emplace(l.kind(), i).second) {
      return Bad(Field(path, "kind"), absl::StrCat(v1::LabKind_Name(l.kind()), " duplicates lab[",
                                                   kinds[l.kind()], "]"));
    }
    if (l.code_size() == 0) return Bad(Field(path, "code"), "empty");
    for (int j = 0; j < l.code_size(); ++j) {
      if (l.code(j).prefix()) return Bad(Idx(Field(path, "code"), j) + ".prefix", "labs match exactly");
    }
    RETURN_IF_ERROR(CheckConceptCodes(l, path, absl::StrCat(" (", v1::LabKind_Name(l.kind()), ")"),
                                      &claims));
    RETURN_IF_ERROR(CheckConceptText(l, path, "", nullptr));
  }
  // Facts read every kind; a policy without one would silently report it as never measured.
  for (int k = v1::LabKind_MIN; k <= v1::LabKind_MAX; ++k) {
    if (k != v1::LAB_KIND_UNSPECIFIED && v1::LabKind_IsValid(k) && !kinds.contains(k)) {
      return Bad("lab", absl::StrCat("no ", v1::LabKind_Name(static_cast<v1::LabKind>(k)), " entry"));
    }
  }
  return absl::OkStatus();
}

// Small helpers for the numeric rules: each names its field.
absl::Status Positive(double v, absl::string_view path) {
  return std::isfinite(v) && v > 0 ? absl::OkStatus() : Bad(path, "must be > 0");
}
absl::Status NonNegative(double v, absl::string_view path) {
  return std::isfinite(v) && v >= 0 ? absl::OkStatus() : Bad(path, "must be >= 0");
}
absl::Status NonPositive(double v, absl::string_view path) {
  return v <= 0 ? absl::OkStatus() : Bad(path, "must be <= 0 (a protective term)");
}
absl::Status CheckHandling(v1::RaceTermHandling h, absl::string_view path) {
  if (!v1::RaceTermHandling_IsValid(h) || h == v1::RACE_TERM_HANDLING_UNSPECIFIED) {
    return Bad(path, absl::StrCat("unknown or unspecified (", h, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckImpede(const v1::ImpedeRules& r) {
  for (const auto& [v, name] : std::initializer_list<std::pair<int, const char*>>{
           {r.imid_points(), "imid_points"}, {r.bmi_points(), "bmi_points"},
           {r.fracture_points(), "fracture_points"}, {r.esa_points(), "esa_points"},
           {r.dex_high_points(), "dex_high_points"}, {r.dex_low_points(), "dex_low_points"},
           {r.doxorubicin_points(), "doxorubicin_points"}, {r.vte_points(), "vte_points"},
           {r.cvc_points(), "cvc_points"}}) {
    RETURN_IF_ERROR(NonNegative(v, Field("impede", name)));
  }
  RETURN_IF_ERROR(NonPositive(r.asian_points(), "impede.asian_points"));
  RETURN_IF_ERROR(NonPositive(r.therapeutic_anticoagulation_points(),
                              "impede.therapeutic_anticoagulation_points"));
  RETURN_IF_ERROR(NonPositive(r.prophylactic_anticoagulation_points(),
                              "impede.prophylactic_anticoagulation_points"));
  RETURN_IF_ERROR(Positive(r.bmi_min(), "impede.bmi_min"));
  RETURN_IF_ERROR(Positive(r.dex_high_above_mg_per_28d(), "impede.dex_high_above_mg_per_28d"));
  RETURN_IF_ERROR(Positive(r.tier_intermediate_min(), "impede.tier_intermediate_min"));
  if (r.tier_high_min() <= r.tier_intermediate_min()) {
    return Bad("impede.tier_high_min", "must be > tier_intermediate_min");
  }
  return CheckHandling(r.native_hawaiian_pacific(), "impede.native_hawaiian_pacific");
}

absl::Status CheckSaved(const v1::SavedRules& r) {
  for (const auto& [v, name] : std::initializer_list<std::pair<int, const char*>>{
           {r.surgery_points(), "surgery_points"}, {r.vte_points(), "vte_points"},
           {r.age_points(), "age_points"}, {r.dex_high_points(), "dex_high_points"},
           {r.dex_standard_points(), "dex_standard_points"}}) {
    RETURN_IF_ERROR(NonNegative(v, Field("saved", name)));
  }
  RETURN_IF_ERROR(NonPositive(r.asian_points(), "saved.asian_points"));
  RETURN_IF_ERROR(Positive(r.surgery_window_days(), "saved.surgery_window_days"));
  RETURN_IF_ERROR(Positive(r.age_min_years(), "saved.age_min_years"));
  RETURN_IF_ERROR(Positive(r.dex_standard_min_mg_per_cycle(), "saved.dex_standard_min_mg_per_cycle"));
  if (r.dex_high_above_mg_per_cycle() <= r.dex_standard_min_mg_per_cycle()) {
    return Bad("saved.dex_high_above_mg_per_cycle", "must be > dex_standard_min_mg_per_cycle");
  }
  RETURN_IF_ERROR(Positive(r.high_min(), "saved.high_min"));
  return CheckHandling(r.native_hawaiian_pacific(), "saved.native_hawaiian_pacific");
}

absl::Status CheckRules(const v1::Policy& p) {
  RETURN_IF_ERROR(CheckImpede(p.impede()));
  RETURN_IF_ERROR(CheckSaved(p.saved()));
  const v1::ImwgRules& imwg = p.imwg();
  RETURN_IF_ERROR(Positive(imwg.obesity_bmi_above(), "imwg.obesity_bmi_above"));
  RETURN_IF_ERROR(Positive(imwg.high_dose_dex_min_mg_per_28d(), "imwg.high_dose_dex_min_mg_per_28d"));
  RETURN_IF_ERROR(Positive(imwg.diagnosis_window_days(), "imwg.diagnosis_window_days"));
  RETURN_IF_ERROR(Positive(imwg.anticoagulant_min_count(), "imwg.anticoagulant_min_count"));
  if (imwg.multi_agent_chemotherapy_min_agents() < 2) {
    return Bad("imwg.multi_agent_chemotherapy_min_agents", "must be >= 2 (multi-agent)");
  }
  const v1::DecisionRules& d = p.decision();
  if (!v1::DecidingModel_IsValid(d.deciding_model()) ||
      d.deciding_model() == v1::DECIDING_MODEL_UNSPECIFIED) {
    return Bad("decision.deciding_model",
               absl::StrCat("unknown or unspecified (", d.deciding_model(), ")"));
  }
  RETURN_IF_ERROR(Positive(d.impede_decision_min(), "decision.impede_decision_min"));
  RETURN_IF_ERROR(Positive(d.saved_min(), "decision.saved_min"));
  RETURN_IF_ERROR(Positive(p.hard_stop().platelets_below(), "hard_stop.platelets_below"));
  RETURN_IF_ERROR(Positive(p.hard_stop().platelets_window_days(), "hard_stop.platelets_window_days"));
  const v1::RenalRules& r = p.renal();
  RETURN_IF_ERROR(Positive(r.enoxaparin_reduced_below_crcl(), "renal.enoxaparin_reduced_below_crcl"));
  RETURN_IF_ERROR(Positive(r.rivaroxaban_min_crcl(), "renal.rivaroxaban_min_crcl"));
  RETURN_IF_ERROR(Positive(r.apixaban_min_crcl(), "renal.apixaban_min_crcl"));
  if (r.apixaban_caution_below_crcl() < r.apixaban_min_crcl()) {
    return Bad("renal.apixaban_caution_below_crcl", "must be >= apixaban_min_crcl");
  }
  const v1::LookbackRules& l = p.lookback();
  RETURN_IF_ERROR(Positive(l.platelets_days(), "lookback.platelets_days"));
  RETURN_IF_ERROR(Positive(l.labs_days(), "lookback.labs_days"));
  RETURN_IF_ERROR(Positive(l.vitals_days(), "lookback.vitals_days"));
  RETURN_IF_ERROR(NonNegative(l.height_days(), "lookback.height_days"));
  RETURN_IF_ERROR(Positive(l.acute_infection_days(), "lookback.acute_infection_days"));
  RETURN_IF_ERROR(NonNegative(l.cvc_insertion_days(), "lookback.cvc_insertion_days"));
  RETURN_IF_ERROR(Positive(l.platelets_low_days(), "lookback.platelets_low_days"));
  if (l.platelets_low_days() < l.platelets_days()) {
    return Bad("lookback.platelets_low_days", "must be >= platelets_days (low counts outlast normal ones)");
  }
  RETURN_IF_ERROR(Positive(l.active_bleeding_days(), "lookback.active_bleeding_days"));
  RETURN_IF_ERROR(Positive(l.possibly_current_days(), "lookback.possibly_current_days"));
  RETURN_IF_ERROR(Positive(l.dialysis_procedure_days(), "lookback.dialysis_procedure_days"));
  RETURN_IF_ERROR(Positive(p.arterial().min_modifiable_factors(), "arterial.min_modifiable_factors"));
  RETURN_IF_ERROR(Positive(p.arterial().ckd_egfr_below(), "arterial.ckd_egfr_below"));
  RETURN_IF_ERROR(Positive(p.cotherapy().esa_stop_hemoglobin_above_g_dl(),
                           "cotherapy.esa_stop_hemoglobin_above_g_dl"));
  RETURN_IF_ERROR(Positive(p.confidence().maintenance_after_days(),
                           "confidence.maintenance_after_days"));
  const v1::RaceCodes& race = p.race();
  for (const auto& [v, name] : std::initializer_list<std::pair<const std::string&, const char*>>{
           {race.extension_url(), "extension_url"}, {race.omb_category_url(), "omb_category_url"},
           {race.omb_system(), "omb_system"}, {race.asian_code(), "asian_code"},
           {race.native_hawaiian_pacific_code(), "native_hawaiian_pacific_code"}}) {
    if (v.empty()) return Bad(Field("race", name), "empty");
  }
  return absl::OkStatus();
}

bool IsAnticoagulantRole(v1::DrugRole role) {
  return role == v1::VKA || role == v1::DOAC || role == v1::LMWH || role == v1::HEPARIN ||
         role == v1::FONDAPARINUX;
}

// Every anticoagulant in the value sets has a prophylaxis ceiling or is always therapeutic, so
// no anticoagulant's intensity is silently UNKNOWN for want of a table row.
absl::Status CheckIntensity(const v1::Policy& p) {
  absl::flat_hash_map<std::string, v1::DrugRole> roles;
  for (const v1::DrugConcept& d : p.drug()) roles[d.ingredient()] = d.role();
  absl::flat_hash_set<std::string> covered;
  auto check_ingredient = [&](const std::string& ingredient,
                              const std::string& path) -> absl::Status {
    const auto it = roles.find(ingredient);
    if (it == roles.end() || !IsAnticoagulantRole(it->second)) {
      return Bad(path, absl::StrCat("'", ingredient, "' is not an anticoagulant drug in the policy"));
    }
    if (!covered.insert(ingredient).second) {
      return Bad(path, absl::StrCat("'", ingredient, "' listed twice"));
    }
    return absl::OkStatus();
  };
  const v1::IntensityRules& r = p.intensity();
  for (int i = 0; i < r.ceiling_size(); ++i) {
    const v1::ProphylaxisCeiling& c = r.ceiling(i);
    const std::string path = Idx("intensity.ceiling", i);
    RETURN_IF_ERROR(check_ingredient(c.ingredient(), Field(path, "ingredient")));
    RETURN_IF_ERROR(Positive(c.max_per_dose(), Field(path, "max_per_dose")));
    if (!(c.max_per_day() >= c.max_per_dose())) {
      return Bad(Field(path, "max_per_day"), "must be >= max_per_dose");
    }
  }
  for (int i = 0; i < r.always_therapeutic_size(); ++i) {
    RETURN_IF_ERROR(check_ingredient(r.always_therapeutic(i),
                                     Idx("intensity.always_therapeutic", i)));
  }
  for (const v1::DrugConcept& d : p.drug()) {
    if (IsAnticoagulantRole(d.role()) && !covered.contains(d.ingredient())) {
      return Bad("intensity", absl::StrCat("no ceiling and not always_therapeutic: '",
                                           d.ingredient(), "'"));
    }
  }
  const v1::FlushRules& f = p.flush();
  RETURN_IF_ERROR(Positive(f.max_units_per_ml(), "flush.max_units_per_ml"));
  RETURN_IF_ERROR(Positive(f.max_units_per_dose(), "flush.max_units_per_dose"));
  if (f.text_size() == 0) return Bad("flush.text", "empty");
  for (int i = 0; i < f.product_size(); ++i) {
    const v1::CodeRef& c = f.product(i);
    const std::string path = Idx("flush.product", i);
    if (c.system().empty() || c.code().empty()) return Bad(path, "system and code required");
    if (c.source().empty()) return Bad(Field(path, "source"), "empty");
  }
  return absl::OkStatus();
}

absl::Status CheckAgent(const v1::Agent& a, const std::string& path, const v1::Policy& policy,
                        std::initializer_list<v1::DrugRole> roles) {
  const v1::DrugConcept* concept = nullptr;
  for (const v1::DrugConcept& d : policy.drug()) {
    if (d.ingredient() == a.ingredient()) concept = &d;
  }
  if (concept == nullptr) {
    return Bad(Field(path, "ingredient"), absl::StrCat("'", a.ingredient(), "' is not a drug ingredient in the policy"));
  }
  if (a.role() != concept->role()) {
    return Bad(Field(path, "role"), absl::StrCat(v1::DrugRole_Name(a.role()), " differs from drug '",
                                                 a.ingredient(), "' (", v1::DrugRole_Name(concept->role()), ")"));
  }
  bool allowed = false;
  for (v1::DrugRole r : roles) allowed |= a.role() == r;
  if (!allowed) return Bad(Field(path, "role"), absl::StrCat(v1::DrugRole_Name(a.role()), " does not fit this slot"));
  RETURN_IF_ERROR(NonNegative(a.dose_mg(), Field(path, "dose_mg")));
  if (a.dose_mg() == 0 && a.role() != v1::VKA) {
    return Bad(Field(path, "dose_mg"), "must be > 0 (only a VKA is dosed to INR)");
  }
  if (a.route() != "SC" && a.route() != "PO") return Bad(Field(path, "route"), "must be \"SC\" or \"PO\"");
  if (a.frequency().empty()) return Bad(Field(path, "frequency"), "empty");
  if (a.dose_text().empty()) return Bad(Field(path, "dose_text"), "empty");
  if (a.product_size() == 0 && a.dose_mg() > 0) return Bad(Field(path, "product"), "empty");
  for (int j = 0; j < a.product_size(); ++j) {
    const std::string p = Idx(Field(path, "product"), j);
    RETURN_IF_ERROR(CheckCodeRef(a.product(j), p));
    bool known = false;
    for (const CodeRef& c : concept->code()) known |= CodeKey(c) == CodeKey(a.product(j));
    if (!known) {
      return Bad(p, absl::StrCat(a.product(j).code(), " is not a code of drug '", a.ingredient(), "'"));
    }
  }
  if (a.timing_frequency() < 1) return Bad(Field(path, "timing_frequency"), "must be >= 1");
  RETURN_IF_ERROR(Positive(a.timing_period(), Field(path, "timing_period")));
  if (a.timing_period_unit() != "h" && a.timing_period_unit() != "d" && a.timing_period_unit() != "wk") {
    return Bad(Field(path, "timing_period_unit"), "must be \"h\", \"d\" or \"wk\"");
  }
  if (!a.has_route_code()) return Bad(Field(path, "route_code"), "missing");
  return CheckCodeRef(a.route_code(), Field(path, "route_code"));
}

absl::Status CheckAgents(const v1::Policy& p) {
  const v1::Agents& a = p.agents();
  if (a.anticoagulant_size() == 0) return Bad("agents.anticoagulant", "empty");
  for (int i = 0; i < a.anticoagulant_size(); ++i) {
    RETURN_IF_ERROR(CheckAgent(a.anticoagulant(i), Idx("agents.anticoagulant", i), p,
                               {v1::LMWH, v1::DOAC, v1::FONDAPARINUX, v1::HEPARIN, v1::VKA}));
  }
  if (!a.has_enoxaparin_renal()) return Bad("agents.enoxaparin_renal", "missing");
  RETURN_IF_ERROR(CheckAgent(a.enoxaparin_renal(), "agents.enoxaparin_renal", p, {v1::LMWH}));
  if (!a.has_warfarin()) return Bad("agents.warfarin", "missing");
  RETURN_IF_ERROR(CheckAgent(a.warfarin(), "agents.warfarin", p, {v1::VKA}));
  if (!a.has_aspirin()) return Bad("agents.aspirin", "missing");
  return CheckAgent(a.aspirin(), "agents.aspirin", p, {v1::ASPIRIN});
}

}  // namespace

std::vector<std::string> NormalizedWords(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char ch : text) {
    const unsigned char u = static_cast<unsigned char>(ch);
    if (absl::ascii_isalnum(u) || u >= 0x80) {
      current.push_back(static_cast<char>(absl::ascii_tolower(u)));
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

std::string NormalizeIcd10Code(std::string_view code) {
  std::string out;
  out.reserve(code.size());
  for (char ch : code) {
    if (ch != '.') out.push_back(absl::ascii_toupper(static_cast<unsigned char>(ch)));
  }
  return out;
}

absl::Status ValidatePolicy(const v1::Policy& policy) {
  if (policy.version().empty()) return Bad("version", "empty");
  RETURN_IF_ERROR(CheckRules(policy));
  RETURN_IF_ERROR(CheckDrugs(policy));
  RETURN_IF_ERROR(CheckConditions(policy));
  RETURN_IF_ERROR(CheckProcedures(policy));
  RETURN_IF_ERROR(CheckLabs(policy));
  RETURN_IF_ERROR(CheckIntensity(policy));
  return CheckAgents(policy);
}

absl::StatusOr<v1::Policy> LoadPolicyFromTextproto(std::string_view text) {
  google::protobuf::TextFormat::Parser parser;
  FirstErrorCollector errors;
  parser.RecordErrorsTo(&errors);
  v1::Policy policy;
  // ParseFromString takes ConstStringParam, a const std::string& in protobuf 3.21.
  if (!parser.ParseFromString(std::string(text), &policy)) {
    return absl::InvalidArgumentError(
        errors.error().empty() ? "policy textproto does not parse" : errors.error());
  }
  RETURN_IF_ERROR(ValidatePolicy(policy));
  return policy;
}

absl::StatusOr<v1::Policy> LoadPolicyFromFile(const std::string& path) {
  std::string text;
  if (absl::Status read = base::ReadFileInto(path, &text); !read.ok()) {
    return absl::Status(read.code(), absl::StrCat("policy file: ", read.message()));
  }
  absl::StatusOr<v1::Policy> policy = LoadPolicyFromTextproto(text);
  if (!policy.ok()) {
    return absl::Status(policy.status().code(), absl::StrCat(path, ": ", policy.status().message()));
  }
  return policy;
}

const v1::Policy& DefaultPolicy() {
  static const v1::Policy* const policy = [] {
    absl::StatusOr<v1::Policy> loaded = LoadPolicyFromTextproto(DefaultPolicyText());
    if (!loaded.ok()) {
      fprintf(stderr, "embedded default policy is invalid: %s\n",
              loaded.status().ToString().c_str());
      abort();
    }
    return new v1::Policy(*std::move(loaded));
  }();
  return *policy;
}

}  // namespace thrombo::risk
