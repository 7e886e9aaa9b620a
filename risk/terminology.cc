// Copyright 2026 The Thrombo Authors.
// Value-set matching: hash lookups on (system, code), ICD-10-CM prefixes by successive
// truncation, and text terms by word lookup. No regular expressions and no allocation for a
// coding that matches nothing (the common case on the hot path).
#include "risk/terminology.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "base/string_compat.h"
#include "risk/policy.h"

namespace thrombo::risk {
namespace {

// Longest ICD-10-CM code is 7 characters plus the dot; anything longer cannot match.
constexpr size_t kMaxIcdLength = 16;

// Adds or merges a match so that each concept appears once. A product code's strength wins
// over an ingredient code's 0, whichever coding came first.
void AddFound(uint32_t concept, MatchSource source, double strength_mg, MatchedText matched,
              absl::InlinedVector<ConceptIndex::Found, 2>* out) {
  for (ConceptIndex::Found& existing : *out) {
    if (existing.concept != concept) continue;
    if (existing.strength_mg == 0 && strength_mg > 0) {
      existing.strength_mg = strength_mg;
      existing.matched = std::move(matched);
    }
    return;
  }
  out->push_back(ConceptIndex::Found{concept, source, std::move(matched), strength_mg});
}

}  // namespace

const ConceptIndex::SystemTable* ConceptIndex::FindSystem(absl::string_view system) const {
  for (const auto& [uri, table] : systems_) {
    if (uri.size() == system.size() && uri == system) return &table;
  }
  return nullptr;
}

void ConceptIndex::AddCode(const v1::CodeRef& code, uint32_t concept) {
  SystemTable* found = const_cast<SystemTable*>(FindSystem(code.system()));
  if (found == nullptr) {
    systems_.emplace_back(code.system(), SystemTable());
    found = &systems_.back().second;
  }
  SystemTable& table = *found;
  table.icd10 = code.system() == kIcd10CmSystem;
  const std::string key = table.icd10 ? NormalizeIcd10Code(code.code()) : code.code();
  if (code.prefix() && key.size() < 32) table.prefix_lengths |= uint32_t{1} << key.size();
  fhir::KeyIndex<absl::InlinedVector<Hit, 1>>& index = code.prefix() ? table.prefix : table.exact;
  const absl::InlinedVector<Hit, 1>* known = index.Find(key);
  absl::InlinedVector<Hit, 1> hits = known != nullptr ? *known : absl::InlinedVector<Hit, 1>();
  hits.push_back(Hit{concept, code.strength_mg()});
  index.Set(key, hits);
}

void ConceptIndex::AddText(absl::string_view term, uint32_t concept) {
  std::vector<std::string> words = NormalizedWords(std::string_view(term.data(), term.size()));
  if (words.empty()) return;
  Term t;
  t.text = absl::StrJoin(words, " ");
  t.rest.assign(words.begin() + 1, words.end());
  t.concept = concept;
  first_word_lengths_[static_cast<unsigned char>(words[0][0])] |=
      uint32_t{1} << std::min<size_t>(words[0].size(), 31);
  terms_by_first_word_[words[0]].push_back(std::move(t));
}

void ConceptIndex::AddSuffix(absl::string_view suffix, uint32_t concept) {
  suffixes_.emplace_back(absl::AsciiStrToLower(suffix), concept);
}

void ConceptIndex::MatchCoding(absl::string_view system, absl::string_view code,
                               absl::InlinedVector<Found, 2>* out) const {
  const SystemTable* found_system = FindSystem(system);
  if (found_system == nullptr) return;
  const SystemTable& table = *found_system;
  // The record's coding as written (an ICD-10-CM code with its dot), not the key it matched.
  const MatchedText matched = MatchedText::Code(base::Std(system), base::Std(code));
  auto add_hits = [&](const absl::InlinedVector<Hit, 1>& hits) {
    for (const Hit& hit : hits) {
      AddFound(hit.concept, MatchSource::kCode, hit.strength_mg, matched, out);
    }
  };
  if (!table.icd10) {
    if (const auto* hits = table.exact.Find(base::Std(code))) add_hits(*hits);
    return;
  }
  // ICD-10-CM: drop the dot and case into a stack buffer, then try the whole code and every
  // shorter prefix ("I82401" -> "I8240" -> "I824" ...), which is how category prefixes match.
  char buffer[kMaxIcdLength];
  size_t n = 0;
  for (char ch : code) {
    if (ch == '.') continue;
    if (n == kMaxIcdLength) return;
    buffer[n++] = absl::ascii_toupper(static_cast<unsigned char>(ch));
  }
  if (n == 0) return;
  if (const auto* hits = table.exact.Find(std::string_view(buffer, n))) add_hits(*hits);
  for (size_t length = std::min<size_t>(n, 31); length > 0; --length) {
    if (((table.prefix_lengths >> length) & 1) == 0) continue;
    if (const auto* hits = table.prefix.Find(std::string_view(buffer, length))) add_hits(*hits);
  }
}

void ConceptIndex::MatchText(absl::string_view text, absl::InlinedVector<Found, 2>* out) const {
  if (text.empty()) return;
  // Lower-case once into a stack buffer (a heap copy only for unusually long text), then split
  // into words: letters, digits and non-ASCII bytes, as NormalizedWords does for the terms.
  char stack[256];
  std::string heap;
  char* lower = stack;
  if (text.size() > sizeof(stack)) {
    heap.resize(text.size());
    lower = heap.data();
  }
  absl::InlinedVector<absl::string_view, 24> words;
  size_t start = 0;
  bool in_word = false;
  for (size_t i = 0; i <= text.size(); ++i) {
    const unsigned char ch = i < text.size() ? static_cast<unsigned char>(text[i]) : ' ';
    if (absl::ascii_isalnum(ch) || ch >= 0x80) {
      lower[i] = absl::ascii_tolower(ch);
      if (!in_word) start = i;
      in_word = true;
    } else if (in_word) {
      words.emplace_back(lower + start, i - start);
      in_word = false;
    }
  }
  MatchWords(words, out);
}

void ConceptIndex::MatchWords(absl::Span<const absl::string_view> words,
                              absl::InlinedVector<Found, 2>* out) const {
  for (size_t i = 0; i < words.size();) {
    // The longest term starting here wins, so "epoetin beta" is not read as "epoetin".
    const Term* best = nullptr;
    const bool lookup = (first_word_lengths_[static_cast<unsigned char>(words[i][0])] >>
                         std::min<size_t>(words[i].size(), 31)) & 1;
    const auto candidates = lookup ? terms_by_first_word_.find(words[i]) : terms_by_first_word_.end();
    if (candidates != terms_by_first_word_.end()) {
      for (const Term& term : candidates->second) {
        if (i + 1 + term.rest.size() > words.size()) continue;
        if (best != nullptr && term.rest.size() <= best->rest.size()) continue;
        bool all = true;
        for (size_t k = 0; k < term.rest.size() && all; ++k) all = words[i + 1 + k] == term.rest[k];
        if (all) best = &term;
      }
    }
    if (best != nullptr) {
      AddFound(best->concept, MatchSource::kText, 0, MatchedText::Term(best->text), out);
      i += 1 + best->rest.size();
      continue;
    }
    for (const auto& [suffix, concept] : suffixes_) {
      if (words[i].size() > suffix.size() && absl::EndsWith(words[i], suffix)) {
        // The word lives in MatchText's lower-cased copy: kept as text.
        AddFound(concept, MatchSource::kText, 0,
                 MatchedText::Owned(std::string(words[i].data(), words[i].size())), out);
      }
    }
    ++i;
  }
}

absl::InlinedVector<ConceptIndex::Found, 2> ConceptIndex::Match(
    const fhir::r4::CodeableConcept& cc, bool use_text) const {
  absl::InlinedVector<Found, 2> out;
  for (const fhir::r4::Coding& coding : cc.coding()) {
    MatchCoding(coding.system(), coding.code(), &out);
  }
  if (!out.empty() || !use_text) return out;
  // Each display and the text are matched separately: a phrase never spans two of them.
  for (const fhir::r4::Coding& coding : cc.coding()) MatchText(coding.display(), &out);
  MatchText(cc.text(), &out);
  return out;
}

std::optional<uint32_t> ConceptIndex::FirstHit(absl::string_view system,
                                               absl::string_view code) const {
  const SystemTable* table = FindSystem(system);
  if (table == nullptr) return std::nullopt;
  if (table->icd10) {
    // Prefixes and normalisation: the general path (its matches are views: no allocation).
    absl::InlinedVector<Found, 2> found;
    MatchCoding(system, code, &found);
    if (!found.empty()) return found.front().concept;
    return std::nullopt;
  }
  const auto* hits = table->exact.Find(base::Std(code));
  if (hits != nullptr && !hits->empty()) return hits->front().concept;
  return std::nullopt;
}

std::optional<uint32_t> ConceptIndex::FirstCodeMatch(const fhir::r4::CodeableConcept& cc) const {
  for (const fhir::r4::Coding& coding : cc.coding()) {
    const std::optional<uint32_t> hit = FirstHit(coding.system(), coding.code());
    if (hit) return hit;
  }
  return std::nullopt;
}

std::optional<uint32_t> ConceptIndex::FirstCodeMatch(
    absl::Span<const fhir::CodingView> codings) const {
  for (const fhir::CodingView& coding : codings) {
    const std::optional<uint32_t> hit =
        FirstHit(base::Absl(coding.system), base::Absl(coding.code));
    if (hit) return hit;
  }
  return std::nullopt;
}

absl::StatusOr<std::unique_ptr<Terminology>> Terminology::Create(const v1::Policy& policy) {
  RETURN_IF_ERROR(ValidatePolicy(policy));
  std::unique_ptr<Terminology> terminology(new Terminology(policy));
  terminology->Build();
  return terminology;
}

void Terminology::Build() {
  const bool investigational = policy_.features().investigational_celmods_as_imid();
  for (int i = 0; i < policy_.drug_size(); ++i) {
    const v1::DrugConcept& d = policy_.drug(i);
    if (d.investigational() && !investigational) continue;  // docs/clinical.md §5 item 1
    for (const v1::CodeRef& c : d.code()) drugs_.AddCode(c, i);
    for (const std::string& t : d.text()) drugs_.AddText(t, i);
  }
  for (int i = 0; i < policy_.condition_size(); ++i) {
    for (const v1::CodeRef& c : policy_.condition(i).code()) conditions_.AddCode(c, i);
    for (const std::string& t : policy_.condition(i).text()) conditions_.AddText(t, i);
  }
  for (int i = 0; i < policy_.procedure_size(); ++i) {
    const v1::ProcedureConcept& p = policy_.procedure(i);
    for (const v1::CodeRef& c : p.code()) procedures_.AddCode(c, i);
    for (const std::string& t : p.text()) procedures_.AddText(t, i);
    for (const std::string& s : p.text_suffix()) procedures_.AddSuffix(s, i);
  }
  for (int i = 0; i < policy_.lab_size(); ++i) {
    for (const v1::CodeRef& c : policy_.lab(i).code()) labs_.AddCode(c, i);
  }
}

std::vector<DrugMatch> Terminology::MatchDrug(const fhir::r4::CodeableConcept& cc) const {
  absl::InlinedVector<ConceptIndex::Found, 2> found = drugs_.Match(cc, /*use_text=*/true);
  std::vector<DrugMatch> out;
  out.reserve(found.size());  // one allocation, not one per growth
  for (ConceptIndex::Found& f : found) {
    out.push_back(DrugMatch{&policy_.drug(f.concept), f.source, std::move(f.matched), f.strength_mg});
  }
  return out;
}

std::vector<ConditionMatch> Terminology::MatchCondition(const fhir::r4::CodeableConcept& cc) const {
  absl::InlinedVector<ConceptIndex::Found, 2> found = conditions_.Match(cc, /*use_text=*/true);
  std::vector<ConditionMatch> out;
  out.reserve(found.size());  // one allocation, not one per growth
  for (ConceptIndex::Found& f : found) {
    out.push_back(ConditionMatch{&policy_.condition(f.concept), f.source, std::move(f.matched)});
  }
  return out;
}

std::vector<ProcedureMatch> Terminology::MatchProcedure(const fhir::r4::CodeableConcept& cc) const {
  absl::InlinedVector<ConceptIndex::Found, 2> found = procedures_.Match(cc, /*use_text=*/true);
  std::vector<ProcedureMatch> out;
  out.reserve(found.size());  // one allocation, not one per growth
  for (ConceptIndex::Found& f : found) {
    out.push_back(ProcedureMatch{&policy_.procedure(f.concept), f.source, std::move(f.matched)});
  }
  return out;
}

std::optional<v1::LabKind> Terminology::MatchLab(const fhir::r4::CodeableConcept& cc) const {
  const std::optional<uint32_t> concept = labs_.FirstCodeMatch(cc);
  if (!concept) return std::nullopt;
  return policy_.lab(*concept).kind();
}

std::optional<v1::LabKind> Terminology::MatchLab(absl::Span<const fhir::CodingView> codings) const {
  const std::optional<uint32_t> concept = labs_.FirstCodeMatch(codings);
  if (!concept) return std::nullopt;
  return policy_.lab(*concept).kind();
}

std::vector<std::string> Terminology::ObservationCodeTokens() const {
  std::vector<std::string> tokens;
  for (const v1::LabConcept& lab : policy_.lab()) {
    for (const v1::CodeRef& c : lab.code()) tokens.push_back(absl::StrCat(c.system(), "|", c.code()));
  }
  return tokens;
}

}  // namespace thrombo::risk
