// Copyright 2026 The Thrombo Authors.
// The compiled value sets of a Policy: what a FHIR CodeableConcept means (drug, condition,
// procedure, lab), by code first and by name only when no code is known.
#ifndef THROMBO_RISK_TERMINOLOGY_H_
#define THROMBO_RISK_TERMINOLOGY_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "fhir/key_index.h"
#include "fhir/lab_observation.h"
#include "proto/fhir/r4/datatypes.pb.h"
#include "proto/thrombo/v1/policy.pb.h"

namespace thrombo::risk {

// How a concept was recognised.
enum class MatchSource {
  kCode,  // a Coding's (system, code) is in the concept's value set
  kText,  // a concept term appeared in Coding.display or CodeableConcept.text (no code matched)
};

struct DrugMatch {
  const v1::DrugConcept* concept = nullptr;  // points into the Terminology's policy
  MatchSource source = MatchSource::kCode;
  // "system|code" of the record's coding that matched, or the policy's text term.
  std::string matched;
  // Strength of one unit of the matched product code in mg; 0 when unknown or a text match.
  double strength_mg = 0;
};

struct ConditionMatch {
  const v1::ConditionConcept* concept = nullptr;
  MatchSource source = MatchSource::kCode;
  std::string matched;
};

struct ProcedureMatch {
  const v1::ProcedureConcept* concept = nullptr;
  MatchSource source = MatchSource::kCode;
  std::string matched;
};

// A value-set index over one kind of concept. Internal to Terminology; public only so the
// header can hold it by value.
class ConceptIndex final {
 public:
  struct Hit {
    uint32_t concept = 0;    // index into the policy's repeated field
    double strength_mg = 0;  // from the CodeRef
  };
  struct Found {
    uint32_t concept = 0;
    MatchSource source = MatchSource::kCode;
    std::string matched;
    double strength_mg = 0;
  };

  void AddCode(const v1::CodeRef& code, uint32_t concept);
  void AddText(absl::string_view term, uint32_t concept);
  void AddSuffix(absl::string_view suffix, uint32_t concept);

  // Code matches of every coding; when there are none and `use_text`, text matches. Each
  // concept appears once, in first-seen order.
  // `with_evidence` false skips building Found::matched (MatchLab needs only the concept).
  absl::InlinedVector<Found, 2> Match(const fhir::r4::CodeableConcept& cc, bool use_text,
                                      bool with_evidence = true) const;
  // The concept of Match(cc, false, false).front(), without building the matches (no
  // allocation): the first hit of the first coding that has one. Nullopt when none matches.
  std::optional<uint32_t> FirstCodeMatch(const fhir::r4::CodeableConcept& cc) const;
  // The same over the codings of a view (fhir/lab_observation.h).
  std::optional<uint32_t> FirstCodeMatch(absl::Span<const fhir::CodingView> codings) const;

 private:
  struct SystemTable {
    bool icd10 = false;  // codes stored without the dot, upper-cased; prefixes allowed
    // fhir::KeyIndex, not absl::flat_hash_map: a code is looked up for every coding of every
    // resource read (each Observation's LOINC code among them), and absl's string hash was most
    // of a lookup's cost.
    fhir::KeyIndex<absl::InlinedVector<Hit, 1>> exact;
    fhir::KeyIndex<absl::InlinedVector<Hit, 1>> prefix;
    uint32_t prefix_lengths = 0;  // bit n set when some prefix has n characters (n < 32)
  };
  struct Term {
    std::vector<std::string> rest;  // words after the first
    std::string text;               // the term as normalised, for evidence
    uint32_t concept = 0;
  };

  const SystemTable* FindSystem(absl::string_view system) const;
  void MatchCoding(absl::string_view system, absl::string_view code, bool with_evidence,
                   absl::InlinedVector<Found, 2>* out) const;
  // The first hit of one coding, as FirstCodeMatch takes it.
  std::optional<uint32_t> FirstHit(absl::string_view system, absl::string_view code) const;
  void MatchText(absl::string_view text, absl::InlinedVector<Found, 2>* out) const;
  void MatchWords(absl::Span<const absl::string_view> words,
                  absl::InlinedVector<Found, 2>* out) const;

  // A handful of systems per index: a linear scan comparing sizes first beats hashing a
  // 40-character URI.
  std::vector<std::pair<std::string, SystemTable>> systems_;
  // Pre-filter before the hash lookup: bit min(length, 31) of first_word_lengths_[c] is set
  // when some term's first word starts with byte c and has that length. Most words of a
  // display ("10", "MG", "Oral", "Tablet") are rejected without hashing.
  uint32_t first_word_lengths_[256] = {};
  absl::flat_hash_map<std::string, std::vector<Term>> terms_by_first_word_;
  std::vector<std::pair<std::string, uint32_t>> suffixes_;
};

// Immutable after Create; every method is const and thread-safe. Build once per policy and
// share (the engine holds one). Concept pointers in matches live as long as the Terminology.
class Terminology final {
 public:
  // Compiles `policy`, which should already have passed ValidatePolicy. Investigational drugs
  // are left out unless policy.features().investigational_celmods_as_imid. Errors:
  // kInvalidArgument when the policy does not validate.
  static absl::StatusOr<std::unique_ptr<Terminology>> Create(const v1::Policy& policy);

  // Drug ingredients of `cc`: codes first (RxNorm IN/SCD/SBD, ATC, any system in the policy);
  // only when no coding matched, generic and brand names in coding[].display and text
  // (case-insensitive, whole words, longest term first). Each ingredient at most once.
  std::vector<DrugMatch> MatchDrug(const fhir::r4::CodeableConcept& cc) const;

  // Condition groups of `cc`: SNOMED exact, ICD-10-CM exact or by prefix (with or without the
  // dot), then text as for drugs. A code may belong to several groups.
  std::vector<ConditionMatch> MatchCondition(const fhir::r4::CodeableConcept& cc) const;

  // Procedure groups of `cc`: codes, then terms and word suffixes ("-ectomy").
  std::vector<ProcedureMatch> MatchProcedure(const fhir::r4::CodeableConcept& cc) const;

  // The measurement an Observation.code carries (LOINC exact; never text).
  std::optional<v1::LabKind> MatchLab(const fhir::r4::CodeableConcept& cc) const;
  std::optional<v1::LabKind> MatchLab(absl::Span<const fhir::CodingView> codings) const;

  // "system|code" of every lab code, in policy order: the FHIR search token list for the
  // Observation prefetch.
  std::vector<std::string> ObservationCodeTokens() const;

  // US Core race constants of the policy (docs/clinical.md §0 rule 4, §9d).
  const v1::RaceCodes& race() const { return policy_.race(); }
  const v1::Policy& policy() const { return policy_; }

 private:
  explicit Terminology(const v1::Policy& policy) : policy_(policy) {}
  void Build();

  const v1::Policy policy_;  // owned copy: matches point into it
  ConceptIndex drugs_;
  ConceptIndex conditions_;
  ConceptIndex procedures_;
  ConceptIndex labs_;
};

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_TERMINOLOGY_H_
