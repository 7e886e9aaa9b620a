// Copyright 2026 The Thrombo Authors.
// The compiled value sets of a Policy: what a FHIR CodeableConcept means (drug, condition,
// procedure, lab), by code first and by name only when no code is known.
#ifndef THROMBO_RISK_TERMINOLOGY_H_
#define THROMBO_RISK_TERMINOLOGY_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
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

// What a match matched, for its evidence: "system|code" of the record's coding, or the text
// term. Held as views (into the coding matched, which must outlive it, or the Terminology's
// terms), so that a match whose evidence is never written costs no string; the evidence writers
// join its Pieces where the text is kept.
class MatchedText final {
 public:
  MatchedText() = default;
  static MatchedText Code(std::string_view system, std::string_view code) {
    MatchedText m;
    m.first_ = system;
    m.code_ = code;
    m.is_code_ = true;
    return m;
  }
  // `term` must outlive the match (a Terminology's term).
  static MatchedText Term(std::string_view term) {
    MatchedText m;
    m.first_ = term;
    return m;
  }
  // Text with nothing to point into (a word lower-cased for a suffix match).
  static MatchedText Owned(std::string text) {
    MatchedText m;
    m.owned_ = std::move(text);
    return m;
  }

  // The text in up to three pieces, to be joined: system, "|", code; or the term alone.
  std::array<std::string_view, 3> Pieces() const {
    if (!owned_.empty()) return {owned_, {}, {}};
    if (is_code_) return {first_, "|", code_};
    return {first_, {}, {}};
  }
  // A code match of exactly this coding.
  bool IsCode(std::string_view system, std::string_view code) const {
    return is_code_ && first_ == system && code_ == code;
  }
  std::string ToString() const {
    std::string s;
    for (std::string_view piece : Pieces()) s.append(piece);
    return s;
  }

 private:
  std::string_view first_;  // the system, or the term
  std::string_view code_;
  bool is_code_ = false;
  std::string owned_;  // Owned's text (then first_ is empty)
};

struct DrugMatch {
  const v1::DrugConcept* concept = nullptr;  // points into the Terminology's policy
  MatchSource source = MatchSource::kCode;
  MatchedText matched;
  // Strength of one unit of the matched product code in mg; 0 when unknown or a text match.
  double strength_mg = 0;
};

struct ConditionMatch {
  const v1::ConditionConcept* concept = nullptr;
  MatchSource source = MatchSource::kCode;
  MatchedText matched;
};

struct ProcedureMatch {
  const v1::ProcedureConcept* concept = nullptr;
  MatchSource source = MatchSource::kCode;
  MatchedText matched;
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
    MatchedText matched;
    double strength_mg = 0;
  };

  void AddCode(const v1::CodeRef& code, uint32_t concept);
  void AddText(absl::string_view term, uint32_t concept);
  void AddSuffix(absl::string_view suffix, uint32_t concept);

  // Code matches of every coding; when there are none and `use_text`, text matches. Each
  // concept appears once, in first-seen order.
  absl::InlinedVector<Found, 2> Match(const fhir::r4::CodeableConcept& cc, bool use_text) const;
  // The concept of Match(cc, false).front(), without building the matches: the first hit of the
  // first coding that has one. Nullopt when none matches.
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
  void MatchCoding(absl::string_view system, absl::string_view code,
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
  // For these three, a code match's `matched` points into `cc`: read it while `cc` lives.
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
