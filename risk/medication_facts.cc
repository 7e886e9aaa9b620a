// Copyright 2026 The Thrombo Authors.
#include "risk/medication_facts.h"

#include <algorithm>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "risk/anticoagulant_intensity.h"
#include "risk/dex_dose.h"
#include "risk/dose_timing.h"
#include "risk/fhir_values.h"
#include "risk/field_text.h"
#include "risk/policy.h"

namespace thrombo::risk {
namespace {

using State = v1::Fact;
using Dosages = google::protobuf::RepeatedPtrField<fhir::r4::Dosage>;

std::optional<absl::Time> EndOf(const fhir::r4::Period& period) {
  if (!period.has_end()) return std::nullopt;
  return ToTime(period.end());
}

// When every dosage line has a bounds end: the last of them (the regimen's end).
std::optional<absl::Time> DosingEnd(const Dosages& dosages) {
  if (dosages.empty()) return std::nullopt;
  std::optional<absl::Time> last;
  for (const fhir::r4::Dosage& d : dosages) {
    const auto& r = d.timing().repeat();
    const std::optional<absl::Time> end =
        r.has_bounds_period() ? EndOf(r.bounds_period()) : std::nullopt;
    if (!end) return std::nullopt;
    if (!last || *end > *last) last = end;
  }
  return last;
}

std::optional<absl::Time> Earliest(std::optional<absl::Time> a, std::optional<absl::Time> b) {
  if (!a) return b;
  if (!b) return a;
  return std::min(*a, *b);
}

// Current when `end` is absent or not yet passed; possibly current when it passed within `days`.
Currency ByEnd(std::optional<absl::Time> end, absl::Time now, int days, std::string* why) {
  if (!end || *end >= now) return Currency::kCurrent;
  if (now - *end <= absl::Hours(24) * days) {
    *why = absl::StrCat("ended ", DayText(*end));
    return Currency::kPossiblyCurrent;
  }
  return Currency::kNone;
}

// A record whose status leaves it unclear (unknown): possibly current unless its recorded end
// passed more than `days` ago (rule 19).
Currency UnclearStatus(std::optional<absl::Time> end, absl::Time now, int days,
                       const char* reason, std::string* why) {
  if (ByEnd(end, now, days, why) == Currency::kNone) return Currency::kNone;
  *why = reason;
  return Currency::kPossiblyCurrent;
}

// A record that says it ended (completed, stopped): possibly current only when its end is
// recorded and within `days` (rule 19: "recently ended"); a completed order may still be being
// taken from what was dispensed.
Currency RecentlyEnded(std::optional<absl::Time> end, absl::Time now, int days,
                       std::string* why) {
  if (!end || ByEnd(end, now, days, why) == Currency::kNone) return Currency::kNone;
  return Currency::kPossiblyCurrent;
}

Currency RequestCurrency(const fhir::r4::MedicationRequest& mr, bool draft, absl::Time now,
                         int days, std::string* why) {
  using S = fhir::r4::MedicationRequestStatusCode;
  using I = fhir::r4::MedicationRequestIntentCode;
  if (mr.do_not_perform()) return Currency::kNone;
  if (mr.intent() == I::PROPOSAL || mr.intent() == I::OPTION) return Currency::kNone;
  const std::optional<absl::Time> end =
      Earliest(EndOf(mr.dispense_request().validity_period()), DosingEnd(mr.dosage_instruction()));
  if (draft) {
    return mr.status() == S::ACTIVE || mr.status() == S::DRAFT ? Currency::kCurrent
                                                               : Currency::kNone;
  }
  switch (mr.status()) {
    case S::ACTIVE:
      return ByEnd(end, now, days, why);
    case S::ON_HOLD:
      *why = "order on hold";
      return Currency::kPossiblyCurrent;
    case S::UNKNOWN:
      return UnclearStatus(end, now, days, "order status unknown", why);
    case S::COMPLETED:
    case S::STOPPED:
      return RecentlyEnded(end, now, days, why);
    default:
      return Currency::kNone;  // cancelled, entered-in-error, a stray draft, stopped undated
  }
}

Currency StatementCurrency(const fhir::r4::MedicationStatement& ms, absl::Time now, int days,
                           std::string* why) {
  using S = fhir::r4::MedicationStatementStatusCode;
  std::optional<absl::Time> end = DosingEnd(ms.dosage());
  if (ms.has_effective_period()) end = Earliest(EndOf(ms.effective_period()), end);
  switch (ms.status()) {
    case S::ACTIVE:
    case S::INTENDED:
      return ByEnd(end, now, days, why);
    case S::UNKNOWN:
      return UnclearStatus(end, now, days, "statement status unknown", why);
    case S::ON_HOLD:
      *why = "statement on hold";
      return Currency::kPossiblyCurrent;
    case S::COMPLETED:
    case S::STOPPED:
      return RecentlyEnded(end, now, days, why);
    default:
      return Currency::kNone;  // not-taken, entered-in-error, stopped undated
  }
}

// Days a dispense covers, from daysSupply in days or weeks.
std::optional<double> SupplyDays(const fhir::r4::Quantity& q) {
  const std::optional<double> value = ToDouble(q.value());
  if (!value || *value <= 0) return std::nullopt;
  const absl::string_view u = q.code().empty() ? q.unit() : q.code();
  if (u.empty() || u == "d" || u == "day" || u == "days" || u == "D") return *value;
  if (u == "wk" || u == "week" || u == "weeks") return *value * 7;
  return std::nullopt;
}

Currency DispenseCurrency(const fhir::r4::MedicationDispense& md, absl::Time now, int days,
                          std::string* why) {
  using S = fhir::r4::MedicationDispenseStatusCode;
  const std::optional<absl::Time> handed =
      md.has_when_handed_over() ? ToTime(md.when_handed_over()) : ToTime(md.when_prepared());
  switch (md.status()) {
    case S::COMPLETED:
    case S::IN_PROGRESS:
    case S::MEDICATION_DISPENSE_STATUS_UNSPECIFIED: {
      if (!handed) {
        *why = "dispensed, date not recorded";
        return Currency::kPossiblyCurrent;
      }
      const std::optional<double> supply = SupplyDays(md.days_supply());
      if (!supply) {
        // Without a supply the dispense says only that the drug was taken home recently.
        if (now - *handed > absl::Hours(24) * days) return Currency::kNone;
        *why = absl::StrCat("dispensed ", DayText(*handed), ", days supply not recorded");
        return Currency::kPossiblyCurrent;
      }
      const absl::Time end = *handed + absl::Hours(24) * *supply;
      return ByEnd(end, now, days, why);
    }
    case S::PREPARATION:
    case S::ON_HOLD:
    case S::UNKNOWN:
      if (handed && now - *handed > absl::Hours(24) * days) return Currency::kNone;
      *why = "dispense not completed";
      return Currency::kPossiblyCurrent;
    default:
      return Currency::kNone;  // cancelled, declined, stopped, entered-in-error
  }
}

Currency AdministrationCurrency(const fhir::r4::MedicationAdministration& ma, absl::Time now,
                                int days, std::string* why) {
  using S = fhir::r4::MedicationAdministrationStatusCode;
  std::optional<absl::Time> when;
  if (ma.has_effective_date_time()) when = ToTime(ma.effective_date_time());
  if (ma.has_effective_period()) {
    when = ma.effective_period().has_end() ? EndOf(ma.effective_period())
                                           : ToTime(ma.effective_period().start());
  }
  switch (ma.status()) {
    case S::IN_PROGRESS:
      return Currency::kCurrent;  // e.g. an infusion running now
    case S::COMPLETED:
    case S::ON_HOLD:
    case S::UNKNOWN:
      // One administration says the drug was given, not that the regimen goes on.
      if (!when || now - *when > absl::Hours(24) * days) return Currency::kNone;
      *why = absl::StrCat("administered ", DayText(*when));
      return Currency::kPossiblyCurrent;
    default:
      return Currency::kNone;
  }
}

// The element paths of one resource type's medication[x].
struct MedicationPaths {
  const char* type;
  const char* concept;    // <type>.medicationCodeableConcept
  const char* reference;  // <type>.medicationReference
};
constexpr MedicationPaths kRequestPaths = {"MedicationRequest",
                                           "MedicationRequest.medicationCodeableConcept",
                                           "MedicationRequest.medicationReference"};
constexpr MedicationPaths kStatementPaths = {"MedicationStatement",
                                             "MedicationStatement.medicationCodeableConcept",
                                             "MedicationStatement.medicationReference"};
constexpr MedicationPaths kDispensePaths = {"MedicationDispense",
                                            "MedicationDispense.medicationCodeableConcept",
                                            "MedicationDispense.medicationReference"};
constexpr MedicationPaths kAdministrationPaths = {
    "MedicationAdministration", "MedicationAdministration.medicationCodeableConcept",
    "MedicationAdministration.medicationReference"};

template <typename Resource>
MedicationRecord RecordOf(const Resource& resource, const MedicationPaths& paths, RecordKind kind,
                          const fhir::PatientRecord& record) {
  MedicationRecord r;
  r.kind = kind;
  r.type = paths.type;
  r.id = resource.id();
  if (resource.has_medication_codeable_concept()) {
    r.concept = &resource.medication_codeable_concept();
    r.path = paths.concept;
  } else if (resource.has_medication_reference()) {
    r.medication = record.ResolveMedication(resource.medication_reference(), resource);
    r.path = paths.reference;
    if (r.medication == nullptr) {
      r.reference_display = resource.medication_reference().display();
      r.unnamed_reference = r.reference_display.empty();
    }
  }
  return r;
}

bool IsAnticoagulant(v1::DrugRole role) {
  return role == v1::VKA || role == v1::DOAC || role == v1::LMWH || role == v1::HEPARIN ||
         role == v1::FONDAPARINUX;
}

bool InUnits(const fhir::r4::Quantity& q) {
  const absl::string_view u = q.code().empty() ? q.unit() : q.code();
  return u == "U" || u == "[iU]" || u == "[IU]" || u == "IU" || u == "units" || u == "unit" ||
         u == "[arb'U]" || u == "[USP'U]";
}

bool InTablets(const fhir::r4::Quantity& q) {
  const absl::string_view u = q.code().empty() ? q.unit() : q.code();
  return u == "{tbl}" || u == "TAB" || u == "tablet" || u == "tablets" || u == "{capsule}" ||
         u == "CAP" || u == "capsule" || u == "capsules";
}

bool InMillilitres(const fhir::r4::Quantity& q) {
  const absl::string_view u = q.code().empty() ? q.unit() : q.code();
  return u == "mL" || u == "ml" || u == "ML";
}

// Strength of one tablet: the product code's, else the Medication's ingredient strength in mg.
double StrengthMg(const DrugMatch& match, const fhir::r4::Medication* medication) {
  if (match.strength_mg > 0) return match.strength_mg;
  if (medication == nullptr) return 0;
  for (const auto& ingredient : medication->ingredient()) {
    const fhir::r4::Ratio& s = ingredient.strength();
    const std::optional<double> mg = QuantityIn(s.numerator(), Unit::kMilligram);
    const double per = ToDouble(s.denominator().value()).value_or(1);
    if (mg && per > 0) return *mg / per;
  }
  return 0;
}

double AmountOf(const fhir::r4::Quantity& q, double strength_mg, bool* in_units) {
  if (std::optional<double> mg = QuantityIn(q, Unit::kMilligram)) return *mg;
  if (InUnits(q)) {
    *in_units = true;
    return ToDouble(q.value()).value_or(0);
  }
  if (InTablets(q) && strength_mg > 0) return ToDouble(q.value()).value_or(0) * strength_mg;
  return 0;
}

// Amount per administration of the first structured dose, and doses per day.
AnticoagulantDose FirstDose(const MedicationRecord& r, double strength_mg) {
  AnticoagulantDose dose;
  if (r.administration != nullptr) {
    const auto& d = r.administration->dosage();
    if (d.has_dose()) dose.amount = AmountOf(d.dose(), strength_mg, &dose.in_units);
    return dose;  // one administration: doses per day unknown
  }
  if (r.dosages == nullptr) return dose;
  for (const fhir::r4::Dosage& dosage : *r.dosages) {
    for (const auto& dr : dosage.dose_and_rate()) {
      if (!dr.has_dose_quantity()) continue;
      dose.amount = AmountOf(dr.dose_quantity(), strength_mg, &dose.in_units);
      break;
    }
    if (dosage.has_timing()) dose.doses_per_day = DosesPerDay(dosage.timing()).value_or(0);
    if (dose.amount > 0) break;
  }
  return dose;
}

bool HasStructuredDose(const MedicationRecord& r) {
  if (r.dosages == nullptr) return false;
  for (const fhir::r4::Dosage& d : *r.dosages) {
    bool dose = false;
    for (const auto& dr : d.dose_and_rate()) dose |= dr.has_dose_quantity() || dr.has_dose_range();
    if (dose && d.has_timing()) return true;
  }
  return false;
}

std::vector<DrugMatch> MatchesOf(const MedicationRecord& r, const Terminology& terminology) {
  if (r.concept == nullptr && r.medication == nullptr && !r.reference_display.empty()) {
    // A Medication kept outside the Bundle (US Core allows an external reference) and not
    // received: its name in the reference is all there is, read as a text-only medication's.
    fhir::r4::CodeableConcept named;
    named.set_text(std::string(r.reference_display));
    return terminology.MatchDrug(named);
  }
  std::vector<DrugMatch> matches;
  if (r.concept != nullptr) matches = terminology.MatchDrug(*r.concept);
  if (r.medication != nullptr) {
    if (matches.empty()) matches = terminology.MatchDrug(r.medication->code());
    for (const auto& ingredient : r.medication->ingredient()) {
      if (!ingredient.has_item_codeable_concept()) continue;
      for (DrugMatch& m : terminology.MatchDrug(ingredient.item_codeable_concept())) {
        bool seen = false;
        for (const DrugMatch& existing : matches) seen |= existing.concept == m.concept;
        if (!seen) matches.push_back(std::move(m));
      }
    }
  }
  return matches;
}

// The words of every text that can say "flush" or "lock": the medication's name, the dosage
// text, route, site and method.
std::string FlushTexts(const MedicationRecord& r) {
  std::vector<std::string> texts;
  auto add_concept = [&texts](const fhir::r4::CodeableConcept& cc) {
    texts.push_back(cc.text());
    for (const auto& coding : cc.coding()) texts.push_back(coding.display());
  };
  if (r.concept != nullptr) add_concept(*r.concept);
  if (r.medication != nullptr) add_concept(r.medication->code());
  if (!r.reference_display.empty()) texts.push_back(std::string(r.reference_display));
  if (r.dosages != nullptr) {
    for (const fhir::r4::Dosage& d : *r.dosages) {
      texts.push_back(d.text());
      texts.push_back(d.patient_instruction());
      add_concept(d.route());
      add_concept(d.site());
      add_concept(d.method());
    }
  }
  if (r.administration != nullptr) {
    const auto& d = r.administration->dosage();
    texts.push_back(d.text());
    add_concept(d.route());
    add_concept(d.site());
    add_concept(d.method());
  }
  return absl::StrCat(" ", absl::StrJoin(NormalizedWords(absl::StrJoin(texts, " | ")), " "), " ");
}

// Units per mL of the Medication's heparin ingredient, when recorded as a ratio.
std::optional<double> UnitsPerMl(const fhir::r4::Medication* medication) {
  if (medication == nullptr) return std::nullopt;
  for (const auto& ingredient : medication->ingredient()) {
    const fhir::r4::Ratio& s = ingredient.strength();
    if (!InUnits(s.numerator()) || !InMillilitres(s.denominator())) continue;
    const std::optional<double> units = ToDouble(s.numerator().value());
    const double ml = ToDouble(s.denominator().value()).value_or(1);
    if (units && ml > 0) return *units / ml;
  }
  return std::nullopt;
}

}  // namespace

bool IsFlushOrLock(const MedicationRecord& r, const DrugMatch& match, const v1::FlushRules& rules) {
  if (match.concept->role() != v1::HEPARIN) return false;
  for (const v1::CodeRef& product : rules.product()) {
    if (match.matched.IsCode(product.system(), product.code())) return true;
  }
  // What the dosage says: a rate, a dose in units or mL, how often.
  bool rate = false;
  bool as_needed = false;
  std::optional<double> units;
  std::optional<double> millilitres;
  double per_day = 0;
  if (r.dosages != nullptr) {
    for (const fhir::r4::Dosage& d : *r.dosages) {
      as_needed |= d.as_needed_boolean() || d.has_as_needed_codeable_concept();
      if (d.has_timing()) per_day = std::max(per_day, DosesPerDay(d.timing()).value_or(0));
      for (const auto& dr : d.dose_and_rate()) {
        rate |= dr.has_rate_quantity() || dr.has_rate_ratio() || dr.has_rate_range();
        if (!dr.has_dose_quantity()) continue;
        if (InUnits(dr.dose_quantity())) units = ToDouble(dr.dose_quantity().value());
        if (InMillilitres(dr.dose_quantity())) millilitres = ToDouble(dr.dose_quantity().value());
      }
    }
  }
  if (r.administration != nullptr) {
    const auto& d = r.administration->dosage();
    rate |= d.has_rate_quantity() || d.has_rate_ratio();
    if (d.has_dose() && InUnits(d.dose())) units = ToDouble(d.dose().value());
  }
  // Reading a systemic dose as a flush would hide real anticoagulation, so words never override
  // a rate (an infusion, whatever its text says about flushing the line) or a dose in units
  // above a lock's.
  if (rate) return false;
  if (units && *units > rules.max_units_per_dose()) return false;
  const std::string words = FlushTexts(r);
  for (const std::string& term : rules.text()) {
    const std::string t = absl::StrCat(" ", absl::StrJoin(NormalizedWords(term), " "), " ");
    if (words.find(t) != std::string::npos) return true;
  }
  // A lock-sized dose, as needed or at most four times a day.
  const bool lock_frequency = as_needed || (per_day > 0 && per_day <= 4);
  if (units && *units > 0 && lock_frequency) return true;
  const std::optional<double> strength = UnitsPerMl(r.medication);
  return strength && *strength <= rules.max_units_per_ml() && millilitres && *millilitres <= 10 &&
         lock_frequency;
}

std::vector<MedicationRecord> ReadMedicationRecords(const fhir::PatientRecord& record,
                                                    const fhir::PatientRecord* drafts,
                                                    absl::Time now, int days) {
  std::vector<MedicationRecord> out;
  out.reserve(record.medication_requests().size() +
              (drafts != nullptr ? drafts->medication_requests().size() : 0) +
              record.medication_statements().size() + record.medication_dispenses().size() +
              record.medication_administrations().size());
  auto add_requests = [&](const fhir::PatientRecord& source, bool draft) {
    for (const fhir::r4::MedicationRequest* mr : source.medication_requests()) {
      MedicationRecord r = RecordOf(*mr, kRequestPaths,
                                    draft ? RecordKind::kDraftOrder : RecordKind::kOrder, source);
      r.request = mr;
      r.dosages = &mr->dosage_instruction();
      r.currency = RequestCurrency(*mr, draft, now, days, &r.why);
      if (r.currency != Currency::kNone) out.push_back(std::move(r));
    }
  };
  add_requests(record, false);
  if (drafts != nullptr) add_requests(*drafts, true);
  for (const fhir::r4::MedicationStatement* ms : record.medication_statements()) {
    MedicationRecord r = RecordOf(*ms, kStatementPaths, RecordKind::kStatement, record);
    r.statement = ms;
    r.dosages = &ms->dosage();
    r.currency = StatementCurrency(*ms, now, days, &r.why);
    if (r.currency != Currency::kNone) out.push_back(std::move(r));
  }
  for (const fhir::r4::MedicationDispense* md : record.medication_dispenses()) {
    MedicationRecord r = RecordOf(*md, kDispensePaths, RecordKind::kDispense, record);
    r.dispense = md;
    r.dosages = &md->dosage_instruction();
    r.currency = DispenseCurrency(*md, now, days, &r.why);
    if (r.currency != Currency::kNone) out.push_back(std::move(r));
  }
  for (const fhir::r4::MedicationAdministration* ma : record.medication_administrations()) {
    MedicationRecord r =
        RecordOf(*ma, kAdministrationPaths, RecordKind::kAdministration, record);
    r.administration = ma;
    r.currency = AdministrationCurrency(*ma, now, days, &r.why);
    if (r.currency != Currency::kNone) out.push_back(std::move(r));
  }
  return out;
}

namespace {

// One record's reading of one ingredient.
struct Use {
  const MedicationRecord* record = nullptr;
  DrugMatch match;
  double strength_mg = 0;
  AnticoagulantDose dose;
  EvidencePtr evidence;  // on the facts' arena: the fact that takes it takes the pointer
};

// Dexamethasone bands a range dose must not straddle.
bool StraddlesACutOff(const DexDose& dose, const std::vector<double>& cut_offs) {
  for (double cut : cut_offs) {
    if (RangeStraddles(dose, cut)) return true;
  }
  return false;
}

// One dexamethasone figure from every counted record: one as it is; several summed when each
// has mg per 28 days (and mg per cycle when their cycles agree).
void SummariseDex(const std::vector<absl::StatusOr<DexDose>>& doses,
                  const std::vector<double>& cut_offs, v1::DexamethasoneDose* out) {
  if (doses.empty()) {
    out->set_state(State::ABSENT);
    return;
  }
  double per_28 = 0;
  double per_cycle = 0;
  int cycle = -1;
  bool per_28_known = true;
  bool per_cycle_known = true;
  std::vector<std::string> rules;
  for (const absl::StatusOr<DexDose>& dose : doses) {
    if (!dose.ok()) {
      out->set_state(State::UNKNOWN);
      out->set_rule(absl::StrCat("dose not computable: ", dose.status().message()));
      return;
    }
    if (dose->is_range && StraddlesACutOff(*dose, cut_offs)) {
      out->set_state(State::UNKNOWN);
      out->set_rule(absl::StrCat("dose range straddles a score cut-off: ", dose->rule));
      return;
    }
    rules.push_back(dose->rule);
    per_28_known &= dose->mg_per_28_days.has_value();
    per_28 += dose->mg_per_28_days.value_or(0);
    per_cycle_known &= dose->mg_per_cycle.has_value();
    per_cycle += dose->mg_per_cycle.value_or(0);
    const int days = dose->cycle_days.value_or(0);
    if (cycle == -1) cycle = days;
    if (cycle != days) per_cycle_known = false;
  }
  out->set_rule(absl::StrJoin(rules, " + "));
  if (per_cycle_known) {
    out->set_mg_per_cycle(per_cycle);
    out->set_cycle_days(cycle > 0 ? cycle : 0);
  }
  if (!per_28_known) {
    // Known per cycle, but not how often the cycle repeats: IMPEDE cannot use it; SAVED can.
    out->set_state(State::UNKNOWN);
    return;
  }
  out->set_state(State::PRESENT);
  out->set_mg_per_28_days(per_28);
}

absl::StatusOr<DexDose> DexDoseOf(const Use& use) {
  DoseContext context;
  if (use.strength_mg > 0) context.mg_per_unit = use.strength_mg;
  const MedicationRecord& r = *use.record;
  if (r.request != nullptr) return DoseFromMedicationRequest(*r.request, context);
  if (r.statement != nullptr) return DoseFromMedicationStatement(*r.statement, context);
  if (r.dispense != nullptr) return DoseFromMedicationDispense(*r.dispense, context);
  return absl::FailedPreconditionError(
      "a single MedicationAdministration gives no schedule; no order, dispense or statement");
}

// Rule 20: of one ingredient's current uses, the most specific kind counts. A draft order
// replaces everything else; otherwise the first kind (order, dispense, statement,
// administration) with a structured dose and timing, else the first kind present.
std::vector<Use*> OneRegimen(const std::vector<Use*>& uses) {
  std::vector<Use*> chosen;
  auto of_kind = [&uses](RecordKind kind) {
    std::vector<Use*> out;
    for (Use* u : uses) {
      if (u->record->kind == kind) out.push_back(u);
    }
    return out;
  };
  std::vector<Use*> drafts = of_kind(RecordKind::kDraftOrder);
  if (!drafts.empty()) return drafts;
  const RecordKind order[] = {RecordKind::kOrder, RecordKind::kDispense, RecordKind::kStatement,
                              RecordKind::kAdministration};
  for (RecordKind kind : order) {
    std::vector<Use*> same = of_kind(kind);
    for (const Use* u : same) {
      if (HasStructuredDose(*u->record)) return same;
    }
  }
  for (RecordKind kind : order) {
    std::vector<Use*> same = of_kind(kind);
    if (!same.empty()) return same;
  }
  return chosen;
}

}  // namespace

void AddMedicationFacts(const std::vector<MedicationRecord>& records, FactContext& c) {
  const FactRules& r = c.r();
  v1::ClinicalFacts& facts = c.facts;
  std::vector<Use> uses;
  uses.reserve(records.size());  // about one ingredient per record
  for (const MedicationRecord& record : records) {
    for (DrugMatch& match : MatchesOf(record, c.terminology)) {
      // Rule 18: a catheter flush or lock is not anticoagulation, nor any other drug fact.
      if (IsFlushOrLock(record, match, r.flush)) continue;
      Use use;
      use.record = &record;
      use.strength_mg = StrengthMg(match, record.medication);
      use.dose = FirstDose(record, use.strength_mg);
      const std::string why = record.currency == Currency::kPossiblyCurrent
                                  ? absl::StrCat(" (", record.why, ")")
                                  : std::string();
      use.evidence =
          MakeEvidence(c, record.type, record.id, record.path, SourceOf(match.source),
                       match.matched, why, record.kind == RecordKind::kDraftOrder);
      use.match = std::move(match);
      uses.push_back(std::move(use));
    }
  }
  // Group by ingredient, in first-seen order: a handful of ingredients, found by a linear scan
  // (two maps keyed by concept cost a node allocation per ingredient and map).
  // Each Use is read by one pass below, so its evidence moves into the facts at its last use.
  struct Group {
    const v1::DrugConcept* concept = nullptr;
    std::vector<Use*> current;
    std::vector<Use*> possibly;
  };
  std::vector<Group> groups;
  groups.reserve(uses.size());
  for (Use& use : uses) {
    const v1::DrugConcept* concept = use.match.concept;
    auto group = std::find_if(groups.begin(), groups.end(),
                              [concept](const Group& g) { return g.concept == concept; });
    if (group == groups.end()) {
      groups.emplace_back();
      group = std::prev(groups.end());
      group->concept = concept;
    }
    (use.record->currency == Currency::kCurrent ? group->current : group->possibly)
        .push_back(&use);
  }

  std::vector<absl::StatusOr<DexDose>> dex_doses;
  v1::DexamethasoneDose& dex = *facts.mutable_dexamethasone();
  std::set<std::string> chemotherapy_agents;
  std::vector<EvidencePtr> chemotherapy_evidence;
  std::vector<EvidencePtr> unknown_intensity;
  v1::Fact& possibly_current = *facts.mutable_possibly_current_anticoagulant();

  for (const Group& group : groups) {
    const v1::DrugConcept* concept = group.concept;
    const v1::DrugRole role = concept->role();
    if (group.current.empty()) {
      // Rule 19: an anticoagulant that may still be taken, with nothing current of it.
      if (IsAnticoagulant(role)) {
        for (Use* use : group.possibly) {
          MarkPresent(&possibly_current, std::move(use->evidence));
        }
      }
      continue;
    }
    for (Use* use : OneRegimen(group.current)) {
      EvidencePtr& e = use->evidence;
      v1::DrugExposure& exposure = *facts.add_drugs();
      exposure.set_ingredient(concept->ingredient());
      exposure.set_role(v1::DrugRole_Name(role));
      exposure.set_dose_mg(use->dose.in_units ? 0 : use->dose.amount);
      exposure.set_doses_per_day(use->dose.doses_per_day);
      CopyEvidence(*e, exposure.mutable_evidence(), c.evidence_refs);
      switch (role) {
        case v1::IMID:
          MarkPresent(facts.mutable_imid(), std::move(e));
          break;
        case v1::DEXAMETHASONE:
          dex_doses.push_back(DexDoseOf(*use));
          if (dex.evidence_size() < kMaxEvidence) {
            dex.mutable_evidence()->AddAllocated(e.release());
          }
          break;
        case v1::ESA:
          MarkPresent(facts.mutable_esa(), std::move(e));
          break;
        case v1::ESTROGEN:
          MarkPresent(facts.mutable_estrogen(), std::move(e));
          break;
        case v1::DOXORUBICIN:
          MarkPresent(facts.mutable_doxorubicin(), *e, c.evidence_refs);
          chemotherapy_agents.insert(concept->ingredient());
          chemotherapy_evidence.push_back(std::move(e));
          break;
        case v1::MYELOMA_CHEMOTHERAPY:
          chemotherapy_agents.insert(concept->ingredient());
          chemotherapy_evidence.push_back(std::move(e));
          break;
        case v1::VKA:
        case v1::DOAC:
        case v1::LMWH:
        case v1::HEPARIN:
        case v1::FONDAPARINUX: {
          const v1::DoseIntensity::Value intensity =
              ClassifyAnticoagulantIntensity(concept->ingredient(), use->dose, r.intensity);
          exposure.set_intensity(intensity);
          if (intensity == v1::DoseIntensity::THERAPEUTIC) {
            MarkPresent(facts.mutable_therapeutic_anticoagulation(), std::move(e));
          } else if (intensity == v1::DoseIntensity::PROPHYLACTIC) {
            MarkPresent(facts.mutable_prophylactic_anticoagulation(), std::move(e));
          } else {
            // Rule 18: unknown dose or frequency is UNKNOWN intensity; a statement of unclear
            // dose is also possibly current (rule 19).
            if (use->record->kind == RecordKind::kStatement) {
              MarkPresent(&possibly_current, *e, c.evidence_refs);
            }
            unknown_intensity.push_back(std::move(e));
          }
          break;
        }
        case v1::ASPIRIN:
          MarkPresent(facts.mutable_aspirin(), std::move(e));
          break;
        case v1::STRONG_CYP3A4_PGP_INHIBITOR:
          MarkPresent(facts.mutable_strong_cyp3a4_pgp_inhibitor(), std::move(e));
          break;
        case v1::STRONG_CYP3A4_PGP_INDUCER:
          MarkPresent(facts.mutable_strong_cyp3a4_pgp_inducer(), std::move(e));
          break;
        default:
          break;
      }
    }
  }

  // Dexamethasone: mg per cycle and per 28 days across the counted records (§0.3).
  SummariseDex(dex_doses, r.dex_band_cut_offs, &dex);
  if (static_cast<int>(chemotherapy_agents.size()) >= r.multi_agent_min_agents) {
    for (EvidencePtr& e : chemotherapy_evidence) {
      MarkPresent(facts.mutable_multi_agent_chemotherapy(), std::move(e));
    }
  }
  v1::Fact& therapeutic = *facts.mutable_therapeutic_anticoagulation();
  if (!Present(therapeutic) && !unknown_intensity.empty()) {
    therapeutic.set_state(State::UNKNOWN);
    SetText(therapeutic.mutable_note(), "anticoagulant dose or frequency not recorded");
    for (EvidencePtr& e : unknown_intensity) {
      if (therapeutic.evidence_size() < kMaxEvidence) {
        therapeutic.mutable_evidence()->AddAllocated(e.release());
      }
    }
  }
}

}  // namespace thrombo::risk
