// Copyright 2026 The Thrombo Authors.
#include "risk/lab_facts.h"

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/string_compat.h"
#include "risk/policy.h"

namespace thrombo::risk {
namespace {

using Comparator = fhir::r4::Quantity::Comparator;
using State = v1::Fact;

constexpr char kLoinc[] = "http://loinc.org";
constexpr char kSmokingStatus[] = "72166-2";  // LOINC "Tobacco smoking status" (US Core)

const char* ComparatorText(Comparator c) {
  switch (c) {
    case fhir::r4::Quantity::LESS_THAN:
      return "<";
    case fhir::r4::Quantity::LESS_OR_EQUAL:
      return "<=";
    case fhir::r4::Quantity::GREATER_OR_EQUAL:
      return ">=";
    case fhir::r4::Quantity::GREATER_THAN:
      return ">";
    default:
      return "";
  }
}

bool IsUpperBound(Comparator c) {
  return c == fhir::r4::Quantity::LESS_THAN || c == fhir::r4::Quantity::LESS_OR_EQUAL;
}
bool IsLowerBound(Comparator c) {
  return c == fhir::r4::Quantity::GREATER_THAN || c == fhir::r4::Quantity::GREATER_OR_EQUAL;
}

}  // namespace

bool LabReading::CertainlyBelow(double threshold) const {
  if (!value) return false;
  switch (comparator) {
    case fhir::r4::Quantity::COMPARATOR_UNSPECIFIED:
    case fhir::r4::Quantity::LESS_OR_EQUAL:
      return *value < threshold;
    case fhir::r4::Quantity::LESS_THAN:
      return *value <= threshold;  // "<50" is below 50
    default:
      return false;  // ">10" may be anything above 10
  }
}

bool LabReading::CertainlyAtOrAbove(double threshold) const {
  if (!value) return false;
  if (comparator == fhir::r4::Quantity::COMPARATOR_UNSPECIFIED || IsLowerBound(comparator)) {
    return *value >= threshold;
  }
  return false;
}

namespace {

using ValueKind = fhir::LabObservation::ValueKind;

// The value as recorded (see LabReading::recorded), in pieces to be joined: views into `o` and
// literals, so that the evidence table can keep it without a string built to join them.
std::array<std::string_view, 4> RecordedPieces(const fhir::LabObservation& o) {
  if (o.value_kind == ValueKind::kQuantity) {
    const fhir::LabObservation::Quantity& q = o.quantity;
    const std::string_view unit_text = q.unit.empty() ? q.code : q.unit;
    return {ComparatorText(q.comparator), q.value, unit_text.empty() ? "" : " ", unit_text};
  }
  if (o.has_data_absent_reason) return {"no value (", o.data_absent_text, ")", {}};
  if (o.value_kind == ValueKind::kString) return {"\"", o.value_string, "\"", {}};
  return {"no numeric value", {}, {}, {}};
}

}  // namespace

std::string LabReading::recorded() const {
  std::string out;
  if (source == nullptr) return out;
  for (std::string_view piece : RecordedPieces(*source)) out.append(piece);
  return out;
}

std::string LabReading::unreadable() const {
  if (local_code) return "recorded under a code that is not in the policy's LOINC value set";
  if (source == nullptr) return "";
  const fhir::LabObservation& o = *source;
  if (o.value_kind == ValueKind::kQuantity) {
    if (value) return "";
    const fhir::LabObservation::Quantity& q = o.quantity;
    const std::string_view unit_text = q.unit.empty() ? q.code : q.unit;
    return DecimalToDouble(base::Absl(q.value)).has_value()
               ? absl::StrCat("unit '", base::Absl(unit_text), "' cannot be converted")
               : "no numeric value";
  }
  if (o.has_data_absent_reason) return "dataAbsentReason";
  if (o.value_kind == ValueKind::kString) return "a text value";
  return "no numeric value";
}

void LabReading::WriteEvidence(v1::Evidence* e, EvidenceRefs* refs) const {
  if (source == nullptr) return;
  const std::string_view path = source->value_kind == ValueKind::kQuantity
                                    ? "Observation.valueQuantity"
                                    : "Observation.value";
  e->set_source(v1::Evidence::VALUE);
  // "<recorded> on <day>": its pieces joined where the text is kept, the table or the field.
  const std::array<std::string_view, 4> recorded = RecordedPieces(*source);
  const std::string day = DayText(time);
  WriteEvidenceText(e, {"Observation", source->id, path, recorded[0]},
                    {recorded[1], recorded[2], recorded[3], " on ", day}, refs);
}

std::optional<LabReading> ReadLab(const fhir::LabObservation& o, Unit unit) {
  using S = fhir::r4::ObservationStatusCode;
  if (o.status == S::CANCELLED || o.status == S::ENTERED_IN_ERROR || o.status == S::REGISTERED) {
    return std::nullopt;
  }
  if (!o.time) return std::nullopt;
  LabReading reading;
  reading.time = *o.time;
  reading.source = &o;
  reading.unit = unit;
  if (o.value_kind == ValueKind::kQuantity) {
    reading.comparator = o.quantity.comparator;
    reading.value = BoundIn(base::Absl(o.quantity.value), base::Absl(o.quantity.code),
                            base::Absl(o.quantity.unit), unit);
  }
  return reading;
}

Unit UnitOf(v1::LabKind kind) {
  switch (kind) {
    case v1::BODY_WEIGHT:
      return Unit::kKilogram;
    case v1::BODY_HEIGHT:
      return Unit::kCentimetre;
    case v1::BMI:
      return Unit::kBmi;
    case v1::PLATELETS:
      return Unit::kPerNanolitre;
    case v1::CREATININE:
      return Unit::kMilligramPerDecilitre;
    case v1::HEMOGLOBIN:
      return Unit::kGramPerDecilitre;
    case v1::EGFR:
      return Unit::kEgfr;
    default:
      return Unit::kKilogram;
  }
}

namespace {

// Whether a coding has `system` and `code`, as HasCoding (fhir_values.h) reads a proto's.
bool HasCoding(absl::Span<const fhir::CodingView> codings, std::string_view system,
               std::string_view code) {
  for (const fhir::CodingView& coding : codings) {
    if (coding.system == system && coding.code == code) return true;
  }
  return false;
}

}  // namespace

void LabFacts::Add(const fhir::LabObservation& o) {
  if (HasCoding(o.codings, kLoinc, kSmokingStatus)) {
    if (!IsUsableObservation(o.status) || !o.time) return;
    if (!smoking_set_ || *o.time > smoking_time_) {
      smoking_set_ = true;
      smoking_time_ = *o.time;
      smoker_ = false;
      // Only a proto carries the value concept (fhir/lab_observation.h); any other value is no
      // tobacco-use code, as an empty concept is not.
      if (o.value_concept != nullptr) {
        for (const ConditionMatch& m : c_.terminology.MatchCondition(*o.value_concept)) {
          if (m.concept->role() == v1::TOBACCO_USE) {
            smoker_ = true;
            smoking_source_ = &o;
            smoking_match_source_ = m.source;
            smoking_matched_ = m.matched;
          }
        }
      }
    }
    return;
  }
  std::optional<v1::LabKind> kind = MatchLab(o);
  bool local_code = false;
  if (!kind) {
    kind = NamedByText(o);
    if (!kind) return;
    local_code = true;
  }
  std::optional<LabReading> reading = ReadLab(o, UnitOf(*kind));
  if (!reading) return;
  if (local_code) {
    // Rule 14: the record names the measurement under a code the policy does not list. Its
    // value is not read (the test behind the code is unknown), but it is the latest result.
    reading->value.reset();
    reading->comparator = fhir::r4::Quantity::COMPARATOR_UNSPECIFIED;
    reading->local_code = true;
  }
  if (!reading->exact()) {
    const std::string unreadable = reading->unreadable();
    *c_.facts.add_data_issues() =
        absl::StrCat("Observation/", base::Absl(o.id), ": value ", reading->recorded(),
                     unreadable.empty() ? " is a bound, not a value"
                                        : absl::StrCat(": ", unreadable));
  }
  if (*kind < 0 || static_cast<size_t>(*kind) >= readings_.size()) return;
  std::vector<LabReading>& readings = readings_[*kind];
  if (readings.empty()) readings.reserve(16);  // a few months of weekly results, one allocation
  readings.push_back(std::move(*reading));
}

std::optional<v1::LabKind> LabFacts::MatchLab(const fhir::LabObservation& o) {
  if (o.codings.size() != 1) return c_.terminology.MatchLab(o.codings);
  const fhir::CodingView& coding = o.codings.front();
  // Codes of one length differ mostly in their last character (a LOINC check digit): compared
  // first, it spares most full comparisons.
  const auto same = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && (a.empty() || (a.back() == b.back() && a == b));
  };
  for (size_t i = 0; i < remembered_lab_count_; ++i) {
    const RememberedLab& known = remembered_labs_[i];
    if (same(known.code, coding.code) && known.system == coding.system) return known.kind;
  }
  const std::optional<v1::LabKind> kind = c_.terminology.MatchLab(o.codings);
  if (remembered_lab_count_ < remembered_labs_.size()) {
    remembered_labs_[remembered_lab_count_++] = {coding.system, coding.code, kind};
  }
  return kind;
}

std::optional<v1::LabKind> LabFacts::NamedByText(const fhir::LabObservation& o) const {
  std::vector<std::string> texts = {std::string(o.code_text)};
  for (const fhir::CodingView& coding : o.codings) {
    if (coding.system == kLoinc) return std::nullopt;  // a LOINC test we do not read
    texts.emplace_back(coding.display);
  }
  const std::string words =
      absl::StrCat(" ", absl::StrJoin(NormalizedWords(absl::StrJoin(texts, " | ")), " "), " ");
  for (const v1::LabConcept& lab : c_.terminology.policy().lab()) {
    for (const std::string& term : lab.text()) {
      const std::string t = absl::StrCat(" ", absl::StrJoin(NormalizedWords(term), " "), " ");
      if (words.find(t) != std::string::npos) return lab.kind();
    }
  }
  return std::nullopt;
}

const std::vector<LabReading>& LabFacts::Readings(v1::LabKind kind) const {
  static const std::vector<LabReading>* const kNone = new std::vector<LabReading>();
  if (kind < 0 || static_cast<size_t>(kind) >= readings_.size()) return *kNone;
  return readings_[kind];
}

const LabReading* LabFacts::Latest(v1::LabKind kind) const {
  const LabReading* latest = nullptr;
  const absl::Time last_day = c_.now + absl::Hours(24);
  for (const LabReading& r : Readings(kind)) {
    if (r.time > last_day) continue;  // dated in the future
    if (latest == nullptr || r.time > latest->time) latest = &r;
  }
  return latest;
}

void SettleLatest(const FactContext& c, const std::vector<LabReading>& readings, const char* what,
                  const char* unit, int window_days, SafeBound bound, v1::Fact* fact) {
  const LabReading* latest = nullptr;
  const absl::Time last_day = c.now + absl::Hours(24);
  for (const LabReading& r : readings) {
    if (r.time > last_day) continue;  // dated in the future: not a result yet
    if (latest == nullptr || r.time > latest->time) latest = &r;
  }
  if (latest == nullptr) {
    MarkUnknown(fact, absl::StrFormat("no %s recorded", what));
    return;
  }
  // The latest reading is quoted whatever it settles to: written straight into the fact.
  auto quote = [&] {
    if (v1::Evidence* e = AddEvidence(fact)) latest->WriteEvidence(e, c.evidence_refs);
  };
  if (!c.Within(latest->time, window_days)) {
    if (MarkUnknown(fact, absl::StrFormat("latest %s (%s) is older than %d days", what,
                                          DayText(latest->time), window_days))) {
      quote();
    }
    return;
  }
  const bool bound_ok =
      latest->value && ((bound == SafeBound::kUpper && IsUpperBound(latest->comparator)) ||
                        (bound == SafeBound::kLower && IsLowerBound(latest->comparator)));
  if (!latest->exact() && !bound_ok) {
    const std::string unreadable = latest->unreadable();
    if (MarkUnknown(fact, absl::StrFormat("latest %s recorded as %s on %s: %s", what,
                                          latest->recorded(), DayText(latest->time),
                                          unreadable.empty() ? "a bound, not a value"
                                                             : unreadable))) {
      quote();
    }
    return;
  }
  fact->set_state(State::PRESENT);
  fact->clear_note();
  fact->set_value(*latest->value);
  fact->set_unit(unit);
  fact->set_time_us(absl::ToUnixMicros(latest->time));
  if (bound_ok) {
    fact->set_note(absl::StrFormat("recorded as %s: %s this value", latest->recorded(),
                                   bound == SafeBound::kUpper ? "at most" : "at least"));
  }
  latest->WriteEvidence(fact->add_evidence(), c.evidence_refs);
}

// Low platelets do not expire (docs/clinical.md policy v1.1 rule 15): a count below the hard-stop
// threshold within platelets_low_days, with no later count at or above it, is the platelet fact
// whatever came after it that could not be read. Otherwise the latest count, which reassures only
// when recent (rule 8's 14 days) and read with certainty (rule 14).
void LabFacts::SettlePlatelets() {
  const FactRules& r = c_.r();
  const std::vector<LabReading>& all = Readings(v1::PLATELETS);
  v1::Fact& fact = *c_.facts.mutable_platelets();
  const LabReading* low = nullptr;
  for (const LabReading& reading : all) {
    if (!reading.CertainlyBelow(r.platelets_low_below)) continue;
    if (!c_.Within(reading.time, r.platelets_low_days)) continue;
    if (low == nullptr || reading.time > low->time) low = &reading;
  }
  if (low != nullptr) {
    bool recovered = false;
    for (const LabReading& reading : all) {
      recovered |= reading.time > low->time && reading.CertainlyAtOrAbove(r.platelets_low_below);
    }
    if (!recovered) {
      fact.set_state(State::PRESENT);
      fact.clear_note();
      fact.set_value(*low->value);
      fact.set_unit("10*9/L");
      fact.set_time_us(absl::ToUnixMicros(low->time));
      fact.set_note(
          absl::StrFormat("platelet count %s on %s is below %g with no later count at or above it",
                          low->recorded(), DayText(low->time), r.platelets_low_below));
      low->WriteEvidence(fact.add_evidence(), c_.evidence_refs);
      return;
    }
  }
  // A ">100" count reassures as surely as 100 does: its bound is the value.
  const LabReading* latest = Latest(v1::PLATELETS);
  if (latest != nullptr && c_.Within(latest->time, r.platelets_window_days) &&
      IsLowerBound(latest->comparator) && latest->CertainlyAtOrAbove(r.platelets_low_below)) {
    fact.set_state(State::PRESENT);
    fact.clear_note();
    fact.set_value(*latest->value);
    fact.set_unit("10*9/L");
    fact.set_time_us(absl::ToUnixMicros(latest->time));
    fact.set_note(absl::StrFormat("recorded as %s: at least this value", latest->recorded()));
    latest->WriteEvidence(fact.add_evidence(), c_.evidence_refs);
    return;
  }
  SettleLatest(c_, all, "platelet count", "10*9/L", r.platelets_window_days, SafeBound::kNone,
               &fact);
}

void LabFacts::Finish() {
  const FactRules& r = c_.r();
  SettlePlatelets();
  SettleLatest(c_, Readings(v1::HEMOGLOBIN), "haemoglobin", "g/dL", r.labs_window_days,
               SafeBound::kNone, c_.facts.mutable_hemoglobin_g_dl());
  // Laboratories report a normal eGFR as ">60" or ">90": a lower bound, enough to say "not
  // below 60" for the arterial flag's CKD (docs/clinical.md §0 rule 11).
  SettleLatest(c_, Readings(v1::EGFR), "eGFR", "mL/min/{1.73_m2}", r.labs_window_days,
               SafeBound::kLower, c_.facts.mutable_egfr());
  if (smoking_set_ && smoker_) {
    if (v1::Evidence* e = MarkPresent(c_.facts.mutable_tobacco_use())) {
      SetEvidence(c_, e, "Observation", base::Absl(smoking_source_->id),
                  "Observation.valueCodeableConcept",
                  SourceOf(smoking_match_source_), smoking_matched_);
    }
  }
}

}  // namespace thrombo::risk
