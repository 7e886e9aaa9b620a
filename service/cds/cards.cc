// Copyright 2026 The Thrombo Authors.
#include "service/cds/cards.h"

#include <algorithm>
#include <array>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/string_compat.h"
#include "risk/evidence_refs.h"
#include "risk/fact_fields.h"
#include "risk/recommendation.h"
#include "risk/scores.h"
#include "service/cds/uuid.h"

namespace thrombo::service {
namespace {

using Action = v1::Recommendation;
using fhir::r4::MedicationRequest;

constexpr size_t kMaxSummary = 139;  // CDS Hooks: summary SHALL be < 140 characters

// What AppendEscaped does with each byte. The characters that can open GFM markup mid-line
// (emphasis, code, links and images via '[', raw HTML, table cells) are escaped; parentheses
// only matter after "]", which is escaped. Line breaks become spaces. One table, so the common
// byte costs one lookup.
enum class EscapeAs : uint8_t { kItself, kBackslashed, kSpace };
constexpr std::string_view kBackslashed = "\\`*_[]<>|~";
constexpr std::string_view kSpaced = "\n\r";
constexpr std::array<EscapeAs, 256> MarkdownEscapes() {
  std::array<EscapeAs, 256> table{};
  for (char c : kBackslashed) table[static_cast<unsigned char>(c)] = EscapeAs::kBackslashed;
  for (char c : kSpaced) table[static_cast<unsigned char>(c)] = EscapeAs::kSpace;
  return table;
}
constexpr std::array<EscapeAs, 256> kMarkdownEscapes = MarkdownEscapes();

// The first byte of `text` at or after `i` that AppendEscaped changes, or text.size(). Card
// text is mostly plain, so sixteen bytes at a time where SSE2 is there (every x86-64), each
// compared with the same characters as the table; the rest byte by byte.
size_t NextSpecial(std::string_view text, size_t i) {
  const char* const data = text.data();
  const size_t size = text.size();
#if defined(__SSE2__)
  for (; i + 16 <= size; i += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + i));
    __m128i hits = _mm_setzero_si128();
    // Unrolled, the characters become constants kept in registers across blocks.
#pragma GCC unroll 16
    for (char c : kBackslashed) hits = _mm_or_si128(hits, _mm_cmpeq_epi8(bytes, _mm_set1_epi8(c)));
#pragma GCC unroll 16
    for (char c : kSpaced) hits = _mm_or_si128(hits, _mm_cmpeq_epi8(bytes, _mm_set1_epi8(c)));
    const int mask = _mm_movemask_epi8(hits);
    if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < size; ++i) {
    if (kMarkdownEscapes[static_cast<unsigned char>(data[i])] != EscapeAs::kItself) return i;
  }
  return size;
}

// Escapes Markdown control characters in text that came from the record, so a drug name or a
// display string cannot turn into a link, an image or a table cell in the card; line breaks
// become spaces. Appends to `out`, copying the runs between specials whole.
void AppendEscaped(std::string_view text, std::string* out) {
  size_t run = 0;
  for (size_t i = NextSpecial(text, 0); i < text.size(); i = NextSpecial(text, i + 1)) {
    out->append(text.data() + run, i - run);
    run = i + 1;
    if (kMarkdownEscapes[static_cast<unsigned char>(text[i])] == EscapeAs::kBackslashed) {
      out->push_back('\\');
      out->push_back(text[i]);
    } else {
      out->push_back(' ');
    }
  }
  out->append(text.data() + run, text.size() - run);
}

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  AppendEscaped(text, &out);
  return out;
}

// Code systems as a clinician reads them. A system URL in card text is noise, and GFM turns it
// into an autolink that swallows the escaped "\\|" and the code after it.
struct SystemName {
  const char* url;
  const char* name;
};
constexpr SystemName kSystemNames[] = {
    {"http://www.nlm.nih.gov/research/umls/rxnorm", "RxNorm"},
    {"http://loinc.org", "LOINC"},
    {"http://hl7.org/fhir/sid/icd-10-cm", "ICD-10-CM"},
    {"http://hl7.org/fhir/sid/icd-10", "ICD-10"},
    {"http://snomed.info/sct", "SNOMED CT"},
    {"http://www.whocc.no/atc", "ATC"},
    {"http://unitsofmeasure.org", "UCUM"},
    {"urn:oid:2.16.840.1.113883.6.238", "CDC race and ethnicity"},
};

// "http://loinc.org|777-3" -> "LOINC 777-3". An unknown system keeps its name without the
// scheme ("example.org/codes X"), so it cannot become a link either. Calls `piece` with the
// readable form's consecutive pieces.
template <typename Piece>
void ReadableCode(std::string_view system, std::string_view code, Piece& piece) {
  for (const SystemName& known : kSystemNames) {
    if (system == known.url) {
      piece(known.name);
      piece(" ");
      piece(code);
      return;
    }
  }
  for (std::string_view scheme : {"https://", "http://"}) {
    if (system.substr(0, scheme.size()) == scheme) system.remove_prefix(scheme.size());
  }
  if (system.substr(0, 4) == "www.") system.remove_prefix(4);
  if (system.empty()) {
    piece(code);
    return;
  }
  piece(system);
  piece(" ");
  piece(code);
}

bool EndsToken(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == ',' || c == ';' || c == ')' || c == '(' ||
         c == '\'' || c == '"';
}

// absl::StartsWith and EndsWith for std::string_view (Debian's abseil has its own view type).
bool HasPrefix(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}
bool HasSuffix(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Where the first "http://", "https://" or "urn:oid:" at or after `from` starts (npos if none):
// a quoted code starts with one. It looks at each ':', which prose rarely has, instead of
// searching for each prefix in turn ('h' is in most words). The first ':' that ends a scheme
// gives the earliest start: none of the schemes' letters is a ':'.
size_t FindScheme(std::string_view text, size_t from) {
  for (size_t colon = text.find(':', from); colon != std::string_view::npos;
       colon = text.find(':', colon + 1)) {
    const std::string_view before = text.substr(from, colon - from);  // a scheme starts >= from
    const std::string_view after = text.substr(colon);
    if (HasPrefix(after, "://")) {
      if (HasSuffix(before, "https")) return colon - 5;
      if (HasSuffix(before, "http")) return colon - 4;
    } else if (HasPrefix(after, ":oid:") && HasSuffix(before, "urn")) {
      return colon - 3;
    }
  }
  return std::string_view::npos;
}

// Rewrites every "system|code" in `text` (as evidence, notes and rationales quote codes) into
// its readable form; other text is unchanged. Calls `piece` with the result's consecutive
// pieces, so that callers escape or copy them straight into their output without a temporary.
template <typename Piece>
void ForEachReadablePiece(std::string_view text, Piece piece) {
  size_t i = 0;
  for (size_t start = FindScheme(text, 0); start != std::string_view::npos;
       start = FindScheme(text, i)) {
    size_t end = start;
    while (end < text.size() && !EndsToken(text[end])) ++end;
    const std::string_view token = text.substr(start, end - start);
    const size_t bar = token.find('|');
    piece(text.substr(i, start - i));
    if (bar == std::string_view::npos) {
      piece(token);
    } else {
      ReadableCode(token.substr(0, bar), token.substr(bar + 1), piece);
    }
    i = end;
  }
  piece(text.substr(i));
}

std::string ReadableCodes(std::string_view text) {
  std::string out;
  ForEachReadablePiece(text, [&out](std::string_view piece) { out.append(piece); });
  return out;
}

// Record or engine text as the card shows it: codes readable, Markdown escaped. Escaping is
// byte by byte, so escaping the pieces is escaping the whole.
void AppendText(std::string_view text, std::string* out) {
  ForEachReadablePiece(text, [out](std::string_view piece) { AppendEscaped(piece, out); });
}

std::string Text(std::string_view text) {
  std::string out;
  AppendText(text, &out);
  return out;
}

std::string Truncate(std::string text) {
  if (text.size() <= kMaxSummary) return text;
  text.resize(kMaxSummary - 3);
  return text + "...";
}

// Ingredient names by the code that matched them ("RxNorm 342369" -> "lenalidomide"), so
// evidence reads "RxNorm 342369 lenalidomide". Views into the facts, in record order; a patient
// has a handful of drugs, so a linear search, and the first drug with a code names it.
using DrugNames = std::vector<std::pair<std::string_view, std::string_view>>;

// How the cards read one assessment's evidence: its text (held in the protos or beside them,
// risk/evidence_refs.h) and the drug names its codes stand for.
struct EvidenceReader {
  const risk::EvidenceRefs* refs = nullptr;
  DrugNames names;

  risk::EvidenceText Text(const v1::Evidence& e) const { return risk::EvidenceTextOf(e, refs); }
};

EvidenceReader ReaderOf(const v1::ClinicalFacts& facts, const risk::EvidenceRefs* refs) {
  EvidenceReader reader{refs, {}};
  for (const v1::DrugExposure& drug : facts.drugs()) {
    if (drug.evidence().source() == v1::Evidence::CODE && !drug.ingredient().empty()) {
      reader.names.emplace_back(reader.Text(drug.evidence()).matched, drug.ingredient());
    }
  }
  return reader;
}

// The ingredient `matched` names, or nullptr.
const std::string_view* DrugName(const DrugNames& names, std::string_view matched) {
  for (const auto& [code, name] : names) {
    if (code == matched) return &name;
  }
  return nullptr;
}

// "MedicationRequest/abc (RxNorm 342369 lenalidomide)", "Condition/x (text 'myeloma')".
void AppendEvidence(const v1::Evidence& e, const EvidenceReader& reader, std::string* out) {
  const risk::EvidenceText text = reader.Text(e);
  AppendEscaped(text.resource_type, out);
  if (!text.resource_id.empty()) {
    out->push_back('/');
    AppendEscaped(text.resource_id, out);
  }
  if (e.source() == v1::Evidence::TEXT) {
    // Written in place: never empty, and escaping the parts is escaping the whole.
    out->append(" (text '");
    AppendEscaped(text.matched, out);
    out->append("')");
  } else {
    std::string what = ReadableCodes(text.matched);
    if (e.source() == v1::Evidence::CODE) {
      if (what == text.matched) what = absl::StrCat("code ", base::Absl(text.matched));
      if (const std::string_view* name = DrugName(reader.names, text.matched)) {
        what.push_back(' ');
        what.append(*name);
      }
    }
    if (!what.empty()) {
      out->append(" (");
      AppendEscaped(what, out);
      out->push_back(')');
    }
  }
  if (e.draft_order()) out->append(", draft order");
}

// Every evidence item, "; " between them.
void AppendEvidence(const google::protobuf::RepeatedPtrField<v1::Evidence>& evidence,
                    const EvidenceReader& reader, std::string* out) {
  bool first = true;
  for (const v1::Evidence& e : evidence) {
    if (!first) out->append("; ");
    first = false;
    AppendEvidence(e, reader, out);
  }
}

std::string ImidName(const v1::Assessment& a) {
  for (const v1::DrugExposure& drug : a.facts().drugs()) {
    if (drug.role() == "IMID") return drug.ingredient();
  }
  return "an IMiD";
}

std::string AnticoagulantName(const v1::Assessment& a) {
  for (const v1::DrugExposure& drug : a.facts().drugs()) {
    if (drug.role() == "VKA" || drug.role() == "DOAC" || drug.role() == "LMWH" ||
        drug.role() == "HEPARIN" || drug.role() == "FONDAPARINUX") {
      return drug.ingredient();
    }
  }
  return "an anticoagulant";
}

// The highest tier any model assigns, for the summary line.
std::string HeadlineTier(const v1::Assessment& a) {
  v1::Tier::Value tier = a.impede_vte().decision_tier();
  if (a.saved().tier() == v1::Tier::HIGH || !a.imwg2008().therapy_factors().empty()) {
    tier = v1::Tier::HIGH;
  }
  return risk::TierWord(tier);
}

bool ForbiddenByHardStop(const v1::AgentSuggestion& agent, const v1::Recommendation& rec) {
  for (const v1::HardStop& stop : rec.hard_stops()) {
    if (!stop.heparins_only() || risk::IsHeparin(agent.ingredient())) return true;
  }
  return false;
}

// One agent as the card presents it: named in the text, and offered in one click or held.
struct Offer {
  const v1::AgentSuggestion* agent = nullptr;
  bool preferred = false;  // the first agent of the recommendation
  bool one_click = false;
  enum class Held { kNo, kVerify, kMedicationsIncomplete, kOrderSelect } held = Held::kNo;
};

// The agents the card names, preferred first. An agent a hard stop forbids is not named at all;
// RecommendInto() already leaves those out, and the card checks again so no input can put a
// forbidden order in one click.
std::vector<Offer> Offers(const v1::Recommendation& rec, const CardContext& context) {
  std::vector<Offer> offers;
  const bool may_order = rec.action() == Action::ANTICOAGULANT || rec.action() == Action::ASPIRIN;
  if (!may_order) return offers;
  auto add = [&](const v1::AgentSuggestion& agent, bool preferred) {
    if (ForbiddenByHardStop(agent, rec)) return;
    Offer offer;
    offer.agent = &agent;
    offer.preferred = preferred;
    // Rule 14: an UNKNOWN gating datum removes the one-click order. Incomplete medication lists
    // leave existing anticoagulation UNKNOWN, which gates every prophylactic agent.
    if (!agent.verify_before_ordering().empty()) {
      offer.held = Offer::Held::kVerify;
    } else if (context.medications_incomplete) {
      offer.held = Offer::Held::kMedicationsIncomplete;
    } else if (context.hook == "order-select") {
      offer.held = Offer::Held::kOrderSelect;
    }
    offer.one_click = offer.held == Offer::Held::kNo;
    offers.push_back(offer);
  };
  // The preferred agent is the first recommended one the card may name.
  for (const v1::AgentSuggestion& agent : rec.agents()) add(agent, offers.empty());
  for (const v1::AgentSuggestion& agent : rec.alternatives()) add(agent, false);
  return offers;
}

bool HeldForData(const std::vector<Offer>& offers) {
  for (const Offer& offer : offers) {
    if (offer.one_click || offer.held == Offer::Held::kOrderSelect) return false;
  }
  return !offers.empty();
}

std::string Summary(const v1::Assessment& a, const std::vector<Offer>& offers) {
  const v1::Recommendation& rec = a.recommendation();
  const std::string scores = absl::StrFormat("IMPEDE %d, SAVED %d",
                                             a.impede_vte().decision_points(), a.saved().points());
  // When every agent waits on a datum, the summary says so: the clinician must not look for
  // the one-click order that is not there.
  const char* verify = HeldForData(offers) ? "; verify data first" : "";
  switch (rec.action()) {
    case Action::ANTICOAGULANT:
      return Truncate(absl::StrFormat("VTE risk %s on %s: anticoagulant prophylaxis advised%s (%s)",
                                      HeadlineTier(a), ImidName(a), verify, scores));
    case Action::ASPIRIN:
      return Truncate(absl::StrFormat("VTE risk %s on %s: aspirin 81-325 mg daily advised%s (%s)",
                                      HeadlineTier(a), ImidName(a), verify, scores));
    case Action::WITHHOLD_PHARMACOLOGIC:
      return Truncate(absl::StrFormat(
          "No drug VTE prophylaxis on %s: %s; use mechanical measures (%s)", ImidName(a),
          rec.hard_stops().empty() ? "hard stop" : ReadableCodes(rec.hard_stops(0).reason()),
          scores));
    case Action::ALREADY_ANTICOAGULATED:
      return Truncate(absl::StrFormat(
          "On %s: already anticoagulated, no added VTE prophylaxis; do not add aspirin",
          AnticoagulantName(a)));
    default:
      return "";
  }
}

// "enoxaparin 40 mg SC once daily" -> the current regimen without its record reference.
std::string WithoutReference(std::string_view text) {
  const size_t open = text.rfind(" (");
  if (open != std::string_view::npos && !text.empty() && text.back() == ')') {
    text = text.substr(0, open);
  }
  return std::string(text);
}

// The MedicationRequest id in a replaces_current text ("... (MedicationRequest/7)"), or "".
std::string CurrentOrderId(std::string_view replaces) {
  constexpr std::string_view kPrefix = "(MedicationRequest/";
  const size_t at = replaces.rfind(kPrefix);
  if (at == std::string_view::npos) return "";
  std::string_view id = replaces.substr(at + kPrefix.size());
  const size_t close = id.find(')');
  if (close == std::string_view::npos) return "";
  id = id.substr(0, close);
  // A FHIR id: 1-64 of [A-Za-z0-9-.]; anything else is not a reference a client can act on.
  if (id.empty() || id.size() > 64) return "";
  for (char c : id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return "";
  }
  return std::string(id);
}

// "Change enoxaparin 40 mg SC once daily to 30 mg SC once daily" (rule 22), naming the new
// ingredient only when it differs from the current one.
std::string ChangeText(const v1::AgentSuggestion& agent) {
  const std::string current = WithoutReference(agent.replaces_current());
  const bool same = absl::StartsWith(current, absl::StrCat(agent.ingredient(), " "));
  return absl::StrCat("Change ", current, " to ",
                      same ? agent.dose_text() : absl::StrCat(agent.ingredient(), " ",
                                                              agent.dose_text()));
}

std::string AgentLine(const v1::AgentSuggestion& agent) {
  std::string line = agent.replaces_current().empty()
                         ? absl::StrCat(agent.ingredient(), " ", agent.dose_text())
                         : ChangeText(agent);
  if (!agent.cautions().empty()) {
    absl::StrAppend(&line, " (", absl::StrJoin(agent.cautions(), "; "), ")");
  }
  return line;
}

const char* HeldNote(Offer::Held held) {
  switch (held) {
    case Offer::Held::kVerify:
    case Offer::Held::kMedicationsIncomplete:
      return " - verify first; not offered in one click";
    default:
      return "";
  }
}

void AppendScoreTable(const v1::Assessment& a, std::string* md) {
  const v1::ImpedeVte& impede = a.impede_vte();
  const v1::Saved& saved = a.saved();
  const v1::Imwg2008& imwg = a.imwg2008();
  // StrAppend rather than StrAppendFormat: the same text, without interpreting a format per row.
  md->append("| Score | Points | Tier | Range with missing data |\n|---|---|---|---|\n");
  absl::StrAppend(md, "| IMPEDE VTE (decision) | ", impede.decision_points(), " | ",
                  risk::TierWord(impede.decision_tier()), " | ", impede.min_points(), " to ",
                  impede.max_points(), " |\n");
  absl::StrAppend(md, "| IMPEDE VTE (published, with existing prophylaxis) | ", impede.points(),
                  " | ", risk::TierWord(impede.tier()), " | |\n");
  absl::StrAppend(md, "| SAVED | ", saved.points(), " | ", risk::TierWord(saved.tier()), " | ",
                  saved.min_points(), " to ", saved.max_points(), " |\n");
  // IMWG 2008 (Palumbo et al., Leukemia 2008): two or more individual or myeloma-related
  // factors, or any therapy-related factor, is the higher-risk group (LMWH or warfarin);
  // otherwise the lower-risk group (aspirin). The table shows the group; the action is above.
  absl::StrAppend(md, "| IMWG 2008 | ", imwg.risk_factor_count(), " factor(s)");
  if (!imwg.therapy_factors().empty()) {
    md->append(" + therapy: ");
    AppendText(absl::StrJoin(imwg.therapy_factors(), ", "), md);
  }
  absl::StrAppend(md, " | ",
                  risk::TierWord(imwg.anticoagulant_indicated() ? v1::Tier::HIGH : v1::Tier::LOW),
                  " | ", imwg.min_count(), " to ", imwg.max_count(), " |\n\n");
}

void AppendFactors(const char* score, const std::vector<risk::ScoreTerm>& terms,
                   const EvidenceReader& reader, std::string* md) {
  for (const risk::ScoreTerm& c : terms) {
    if (c.awarded == 0) continue;
    md->append("- ");
    md->append(score);
    md->append(": ");
    AppendText(c.label, md);
    md->append(c.awarded > 0 ? " +" : " ");
    absl::StrAppend(md, c.awarded);
    if (!c.Evidence().empty()) {
      md->append(" from ");
      AppendEvidence(c.Evidence(), reader, md);
    }
    if (!c.Note().empty()) {
      md->append(" (");
      AppendText(c.Note(), md);
      md->push_back(')');
    }
    md->push_back('\n');
  }
}

// `lines` holds std::string or std::string_view.
template <typename Lines>
void AppendList(const char* heading, const Lines& lines, std::string* md) {
  if (lines.empty()) return;
  absl::StrAppend(md, "**", heading, "**\n\n");
  for (const auto& line : lines) {
    md->append("- ");
    AppendText(line, md);
    md->push_back('\n');
  }
  absl::StrAppend(md, "\n");
}

// The distinct reasons facts are UNKNOWN ("observations could not be obtained", "no platelet
// count recorded", ...), so the card says what was missing instead of staying silent. Views into
// `facts`, but for the dexamethasone line, which is kept in `*dexamethasone`; a handful of
// notes, so duplicates are found by a linear search.
std::vector<std::string_view> UnavailableData(const v1::ClinicalFacts& facts,
                                              std::string* dexamethasone) {
  std::vector<std::string_view> notes;
  auto add = [&](std::string_view note) {
    if (!note.empty() && std::find(notes.begin(), notes.end(), note) == notes.end()) {
      notes.push_back(note);
    }
  };
  risk::ForEachFact(facts, [&](const v1::Fact& fact) {
    if (fact.state() == v1::Fact::UNKNOWN) add(fact.note());
  });
  if (facts.dexamethasone().state() == v1::Fact::UNKNOWN) {
    *dexamethasone = absl::StrCat("dexamethasone dose: ", facts.dexamethasone().rule());
    add(*dexamethasone);
  }
  for (const std::string& issue : facts.data_issues()) add(issue);
  return notes;
}

// "AllergyIntolerance/a1, Condition/c2": where the data are, without what they say (for short
// lines), escaped; nothing when no item names a resource.
void AppendReferences(const google::protobuf::RepeatedPtrField<v1::Evidence>& evidence,
                      const risk::EvidenceRefs* refs, std::string* md) {
  bool first = true;
  for (const v1::Evidence& e : evidence) {
    const risk::EvidenceText text = risk::EvidenceTextOf(e, refs);
    if (text.resource_type.empty()) continue;
    md->append(first ? " (" : ", ");
    first = false;
    AppendEscaped(text.resource_type, md);
    if (!text.resource_id.empty()) {
      md->push_back('/');
      AppendEscaped(text.resource_id, md);
    }
  }
  if (!first) md->push_back(')');
}

// One agent's line: the agent and its cautions as text, then why it is held when it is.
void AppendAgentLine(const Offer& offer, bool mixed, std::string* md) {
  AppendText(AgentLine(*offer.agent), md);
  if (mixed) md->append(HeldNote(offer.held));
}

// What to do first: the agent to order (or why it is not in one click), the alternatives, what
// to verify, what was left out and which data was incomplete. The why and the scores follow.
// Written straight into `md`: escaping is byte by byte, so escaping the parts of a line is
// escaping the line.
void AppendWhatToDo(const v1::Recommendation& rec, const std::vector<Offer>& offers,
                    const CardContext& context, std::string* md) {
  // Which agents wait on a datum is said per agent only when others are offered; when all
  // wait, the verify block below says it once.
  bool mixed = false;
  for (const Offer& offer : offers) mixed |= offer.one_click;
  bool any_alternative = false;
  for (const Offer& offer : offers) {
    if (offer.preferred) {
      md->append("**Recommended:** ");
      AppendAgentLine(offer, mixed, md);
      md->append("\n\n");
    } else {
      any_alternative = true;
    }
  }
  if (any_alternative) {
    md->append("**Alternatives:** ");
    bool first = true;
    for (const Offer& offer : offers) {
      if (offer.preferred) continue;
      if (!first) md->append("; ");
      first = false;
      AppendAgentLine(offer, mixed, md);
    }
    md->append("\n\n");
  }
  bool at_order_select = false;
  for (const Offer& offer : offers) at_order_select |= offer.held == Offer::Held::kOrderSelect;
  if (at_order_select) {
    md->append(
        "Advice for the orders selected so far. The order is offered in one click when the "
        "orders are signed, once the whole order set is known.\n\n");
  }
  // The distinct lines, in order; a handful, so duplicates are found by a linear search.
  std::vector<std::string_view> verify;
  for (const Offer& offer : offers) {
    for (const std::string& line : offer.agent->verify_before_ordering()) {
      if (std::find(verify.begin(), verify.end(), line) == verify.end()) verify.push_back(line);
    }
  }
  const bool medications_unknown = context.medications_incomplete && !offers.empty();
  if (!verify.empty() || medications_unknown) {
    md->append("**Verify before ordering** (no one-click order until checked)\n\n");
    for (std::string_view line : verify) {
      md->append("- Verify before ordering: ");
      AppendText(line, md);
      md->push_back('\n');
    }
    if (medications_unknown) {
      md->append(
          "- Verify before ordering: current anticoagulants and aspirin (the medication list "
          "received was incomplete; see Incomplete data)\n");
    }
    md->push_back('\n');
  }
  if (!rec.excluded_agents().empty()) {
    md->append("**Not offered**\n\n");
    for (const v1::ExcludedAgent& excluded : rec.excluded_agents()) {
      md->append("- Not offered: ");
      AppendText(excluded.ingredient(), md);
      md->append(" - ");
      AppendText(excluded.reason(), md);
      AppendReferences(excluded.evidence(), context.evidence_refs, md);
      md->push_back('\n');
    }
    md->push_back('\n');
  }
  if (!context.incomplete_data.empty()) {
    md->append("**Incomplete data** (what was not received counts as unknown)\n\n");
    for (const std::string& line : context.incomplete_data) {
      md->append("- ");
      AppendText(line, md);
      md->push_back('\n');
    }
    md->push_back('\n');
  }
}

std::string Detail(const v1::Assessment& a, const risk::ScoreTerms& terms,
                   const std::vector<Offer>& offers,
                   const CardContext& context) {
  const v1::Recommendation& rec = a.recommendation();
  const EvidenceReader reader = ReaderOf(a.facts(), context.evidence_refs);
  std::string md;
  md.reserve(4096);  // a prophylaxis card's detail is 2-4 KB
  AppendWhatToDo(rec, offers, context, &md);
  AppendText(rec.rationale(), &md);
  md.append("\n\n");
  for (const v1::HardStop& stop : rec.hard_stops()) {
    md.append("**Hard stop:** ");
    AppendText(stop.reason(), &md);
    if (!stop.evidence().empty()) {
      md.append(" from ");
      AppendEvidence(stop.evidence(), reader, &md);
    }
    md.append("\n\n");
  }
  AppendScoreTable(a, &md);
  absl::StrAppend(&md, "**Contributing factors**\n\n");
  AppendFactors("IMPEDE VTE", terms.impede_vte, reader, &md);
  AppendFactors("SAVED", terms.saved, reader, &md);
  AppendFactors("IMWG 2008", terms.imwg2008, reader, &md);
  absl::StrAppend(&md, "\n");
  AppendList("Cautions", rec.cautions(), &md);
  AppendList("Missing data that could change the decision", rec.confidence_notes(), &md);
  std::string dexamethasone_note;
  AppendList("Data not available", UnavailableData(a.facts(), &dexamethasone_note), &md);
  const v1::Fact& crcl = a.facts().creatinine_clearance();
  if (crcl.state() == v1::Fact::PRESENT) {
    absl::StrAppendFormat(&md, "Creatinine clearance (Cockcroft-Gault, actual weight): %.0f mL/min.\n\n",
                          crcl.value());
  } else {
    absl::StrAppend(&md, "Creatinine clearance unknown: ", Text(crcl.note()), "\n\n");
  }
  absl::StrAppendFormat(&md,
                        "Policy %s, deciding model %s. Rules marked \\[P\\] are this service's "
                        "pragmatic choices and configurable by the site.\n",
                        Escape(rec.policy_version()), Escape(rec.deciding_model()));
  return md;
}

// The name behind every card uuid of this advice: the patient and the IMiD orders advised on,
// never the hook call, so the same advice is the same card in every hook and call.
std::string AdviceName(const v1::Assessment& a, const CardContext& context) {
  std::set<std::string> imids;
  for (const v1::DrugExposure& drug : a.facts().drugs()) {
    if (drug.role() != "IMID") continue;
    const risk::EvidenceText text = risk::EvidenceTextOf(drug.evidence(), context.evidence_refs);
    imids.insert(absl::StrCat(base::Absl(text.resource_type), "/", base::Absl(text.resource_id),
                              "/", drug.ingredient()));
  }
  return absl::StrCat("patient/", context.patient_id, "/imid/", absl::StrJoin(imids, ","));
}

// The prophylaxis card's name adds what it advises, so different advice is a different card.
std::string ProphylaxisName(const v1::Assessment& a, const std::vector<Offer>& offers,
                            const std::string& advice_name) {
  const v1::Recommendation& rec = a.recommendation();
  std::string name = absl::StrCat(advice_name, "/prophylaxis/",
                                  Action::Action_Name(rec.action()));
  for (const Offer& offer : offers) {
    absl::StrAppend(&name, "/", offer.agent->ingredient(), " ", offer.agent->dose_text(), " ",
                    offer.agent->replaces_current(), offer.agent->verify_before_ordering().empty()
                                                         ? ""
                                                         : " verify");
  }
  for (const v1::HardStop& stop : rec.hard_stops()) absl::StrAppend(&name, "/stop ", stop.id());
  return name;
}

// The draft order for `agent`, as plain data.
DraftMedicationRequest DraftOf(const v1::AgentSuggestion& agent, const CardContext& context) {
  DraftMedicationRequest order;
  order.rxnorm_code = agent.rxnorm_code();
  if (!order.rxnorm_code.empty()) order.rxnorm_display = agent.rxnorm_display();
  order.medication_text = absl::StrCat(agent.ingredient(), " ", agent.dose_text());
  order.dose_text = agent.dose_text();
  order.doses_per_day = agent.doses_per_day();
  order.subcutaneous = agent.route() == "subcutaneous";
  order.dose_mg = agent.dose_mg();
  order.patient_id = context.patient_id;
  order.encounter_id = context.encounter_id;
  order.authored_on = context.now;
  return order;
}

// `card_uuids` continue the card's name: a suggestion's uuid is that of the card's name followed
// by the suggestion's own.
void AddSuggestion(const Offer& offer, const NameBasedUuids& card_uuids,
                   const CardContext& context, Card* card) {
  const v1::AgentSuggestion& agent = *offer.agent;
  const std::string what = absl::StrCat(agent.ingredient(), " ", agent.dose_text());
  std::string label = agent.replaces_current().empty() ? absl::StrCat("Order ", what)
                                                      : ChangeText(agent);
  if (!offer.preferred) {
    // "Alternative: apixaban 2.5 mg PO twice daily", "Alternative: change aspirin ... to ...".
    label = agent.replaces_current().empty()
                ? absl::StrCat("Alternative: ", what)
                : absl::StrCat("Alternative: ", absl::AsciiStrToLower(label.substr(0, 1)),
                               label.substr(1));
  }
  CardSuggestion& suggestion = card->suggestions.emplace_back();
  suggestion.label = Truncate(std::move(label));
  suggestion.uuid =
      card_uuids.Of(absl::StrCat("/suggestion/", what, "/", agent.replaces_current()));
  // Only the preferred agent: clients that show every suggestion alike (the CDS Hooks sandbox
  // ignores isRecommended) still read "Alternative:" in the others' labels.
  suggestion.is_recommended = offer.preferred;
  if (!agent.replaces_current().empty()) {
    // Rule 22: the change stops the current order, so the patient is not left on both doses.
    // A MedicationRequest named by id can be removed by the client; a regimen recorded
    // otherwise (a MedicationStatement) is stopped by the clinician, as the label says.
    const std::string current_id = CurrentOrderId(agent.replaces_current());
    if (!current_id.empty()) {
      suggestion.stop_description =
          absl::StrCat("Stop the current order: ", WithoutReference(agent.replaces_current()));
      suggestion.stop_resource_id = absl::StrCat("MedicationRequest/", current_id);
    }
  }
  suggestion.create_description = absl::StrCat("Create a draft order for ", what);
  suggestion.order = DraftOf(agent, context);
}

Card ProphylaxisCard(const v1::Assessment& a, const risk::ScoreTerms& terms,
                     const std::string& advice_name, const CardContext& context) {
  const v1::Recommendation& rec = a.recommendation();
  const std::vector<Offer> offers = Offers(rec, context);
  const std::string name = ProphylaxisName(a, offers, advice_name);
  // The suggestions' names extend the card's: when it has any, the card's name is hashed once
  // for them all (a copy of that state costs more than it saves for the card's uuid alone).
  std::optional<NameBasedUuids> uuids;
  if (std::any_of(offers.begin(), offers.end(), [](const Offer& o) { return o.one_click; })) {
    uuids.emplace(name);
  }
  Card card;
  card.uuid = uuids ? uuids->Of("") : NameBasedUuid(name);
  card.summary = Summary(a, offers);
  card.detail = Detail(a, terms, offers, context);
  const bool urgent = rec.action() == Action::ANTICOAGULANT ||
                      rec.action() == Action::WITHHOLD_PHARMACOLOGIC;
  card.indicator = urgent ? "warning" : "info";
  card.source_url = context.source_url;
  for (const Offer& offer : offers) {
    if (offer.one_click) AddSuggestion(offer, *uuids, context, &card);
  }
  card.links_references = true;
  return card;
}

Card SimpleCard(const std::string& key, const std::string& summary, std::string detail,
                const char* indicator, const std::string& advice_name, const CardContext& context) {
  Card card;
  card.uuid = NameBasedUuid(absl::StrCat(advice_name, "/", key, "/", summary));
  card.summary = Truncate(summary);
  card.detail = std::move(detail);
  card.indicator = indicator;
  card.source_url = context.source_url;
  return card;
}

}  // namespace

std::string DoseValueText(double dose_mg) { return absl::StrFormat("%g", dose_mg); }

MedicationRequest MedicationRequestToProto(const DraftMedicationRequest& draft) {
  MedicationRequest order;
  order.set_status(fhir::r4::MedicationRequestStatusCode::DRAFT);
  order.set_intent(fhir::r4::MedicationRequestIntentCode::ORDER);
  fhir::r4::CodeableConcept& medication = *order.mutable_medication_codeable_concept();
  if (!draft.rxnorm_code.empty()) {
    fhir::r4::Coding& coding = *medication.add_coding();
    coding.set_system(kRxNormSystem);
    coding.set_code(draft.rxnorm_code);
    coding.set_display(draft.rxnorm_display);
  }
  medication.set_text(draft.medication_text);
  order.mutable_subject()->set_reference(absl::StrCat("Patient/", draft.patient_id));
  if (!draft.encounter_id.empty()) {
    order.mutable_encounter()->set_reference(absl::StrCat("Encounter/", draft.encounter_id));
  }
  fhir::r4::DateTime& authored = *order.mutable_authored_on();
  authored.set_value_us(absl::ToUnixSeconds(draft.authored_on) * 1000000);
  authored.set_precision(fhir::r4::SECOND);
  authored.set_timezone("Z");
  order.add_reason_code()->set_text(kDraftOrderReason);

  fhir::r4::Dosage& dosage = *order.add_dosage_instruction();
  dosage.set_text(draft.dose_text);
  if (draft.doses_per_day > 0) {
    fhir::r4::Timing::Repeat& repeat = *dosage.mutable_timing()->mutable_repeat();
    repeat.set_frequency(draft.doses_per_day);
    repeat.mutable_period()->set_value("1");
    repeat.set_period_unit(fhir::r4::Timing::Repeat::D);
  }
  fhir::r4::Coding& route = *dosage.mutable_route()->add_coding();
  route.set_system(kSnomedSystem);
  route.set_code(RouteCode(draft.subcutaneous));
  route.set_display(RouteDisplay(draft.subcutaneous));
  if (draft.dose_mg > 0) {
    fhir::r4::Quantity& dose =
        *dosage.add_dose_and_rate()->mutable_dose_quantity();
    dose.mutable_value()->set_value(DoseValueText(draft.dose_mg));
    dose.set_unit("mg");
    dose.set_system(kUcumSystem);
    dose.set_code("mg");
  }
  return order;
}

MedicationRequest BuildMedicationRequest(const v1::AgentSuggestion& agent,
                                         const CardContext& context) {
  return MedicationRequestToProto(DraftOf(agent, context));
}

v1::CdsCard CardToProto(const Card& card) {
  v1::CdsCard proto;
  proto.set_uuid(card.uuid);
  proto.set_summary(card.summary);
  proto.set_detail(card.detail);
  proto.set_indicator(card.indicator);
  proto.mutable_source()->set_label(kSourceLabel);
  if (!card.source_url.empty()) proto.mutable_source()->set_url(card.source_url);
  for (const CardSuggestion& s : card.suggestions) {
    v1::CdsSuggestion& suggestion = *proto.add_suggestions();
    suggestion.set_label(s.label);
    suggestion.set_uuid(s.uuid);
    suggestion.set_is_recommended(s.is_recommended);
    if (!s.stop_resource_id.empty()) {
      v1::CdsAction& stop = *suggestion.add_actions();
      stop.set_type("delete");
      stop.set_description(s.stop_description);
      stop.set_resource_id(s.stop_resource_id);
    }
    v1::CdsAction& action = *suggestion.add_actions();
    action.set_type("create");
    action.set_description(s.create_description);
    *action.mutable_resource()->mutable_medication_request() = MedicationRequestToProto(s.order);
  }
  if (!card.suggestions.empty()) {
    proto.set_selection_behavior("at-most-one");
    for (const OverrideReason& reason : kOverrideReasons) {
      v1::CdsCoding& coding = *proto.add_override_reasons();
      coding.set_system(kOverrideReasonSystem);
      coding.set_code(reason.code);
      coding.set_display(reason.display);
    }
  }
  if (card.links_references) {
    for (const ReferenceLink& ref : kReferenceLinks) {
      v1::CdsLink& link = *proto.add_links();
      link.set_label(ref.label);
      link.set_url(ref.url);
      link.set_type("absolute");
    }
  }
  return proto;
}

v1::CdsHooksResponse CardsToResponse(const std::vector<Card>& cards) {
  v1::CdsHooksResponse response;
  for (const Card& card : cards) *response.add_cards() = CardToProto(card);
  return response;
}

std::vector<v1::CdsCard> BuildCards(const v1::Assessment& a, const CardContext& context) {
  std::vector<v1::CdsCard> cards;
  for (const BuiltCard& built : BuildCardsWithKinds(a, context)) {
    cards.push_back(CardToProto(built.card));
  }
  return cards;
}

std::vector<BuiltCard> BuildCardsWithKinds(const v1::Assessment& a, const CardContext& context,
                                           const risk::ScoreTerms* terms) {
  std::vector<BuiltCard> cards;
  if (a.recommendation().action() == Action::NO_RECOMMENDATION ||
      a.recommendation().action() == Action::ACTION_UNSPECIFIED) {
    return cards;
  }
  // Every card of this call names the same advice: built once.
  const std::string advice_name = AdviceName(a, context);
  if (terms != nullptr) {
    cards.push_back({CardKind::kProphylaxis, ProphylaxisCard(a, *terms, advice_name, context)});
  } else {
    const risk::ScoreTerms of_proto = {risk::TermsOf(a.impede_vte().components()),
                                       risk::TermsOf(a.saved().components()),
                                       risk::TermsOf(a.imwg2008().components())};
    cards.push_back({CardKind::kProphylaxis, ProphylaxisCard(a, of_proto, advice_name, context)});
  }
  const v1::Cotherapy& co = a.cotherapy();
  if (co.esa()) {
    const v1::Fact& hb = co.latest_hemoglobin();
    const std::string hb_text = hb.state() == v1::Fact::PRESENT
                                    ? absl::StrFormat("latest Hb %.1f g/dL", hb.value())
                                    : std::string("no recent Hb");
    cards.push_back({CardKind::kEsa, SimpleCard(
        "esa",
        absl::StrFormat("ESA with %s raises thrombosis risk; %s (stop ESA if Hb > 13)",
                        ImidName(a), hb_text),
        absl::StrCat(
            "Erythropoiesis-stimulating agents may further increase the risk of thrombosis with "
            "immunomodulatory drugs; use should be a benefit-risk decision (REVLIMID label). "
            "The EU SmPC says a haemoglobin above 13 g/dL should lead to discontinuation of "
            "the ESA. ESA use adds 1 point to IMPEDE VTE and counts as an IMWG factor.\n\n",
            co.hemoglobin_above_esa_stop() ? "**Hb is above 13 g/dL: stop the ESA.**\n" : ""),
        "warning", advice_name, context)});
  }
  if (co.estrogen()) {
    cards.push_back({CardKind::kEstrogen, SimpleCard(
        "estrogen",
        absl::StrFormat("Estrogen with %s raises thrombosis risk: reassess the need", ImidName(a)),
        "Estrogens may further increase the risk of thrombosis with immunomodulatory drugs; "
        "their use should be based on a benefit-risk decision (REVLIMID label). Counted as an "
        "IMWG medication factor (NCCN-adapted list) [P].\n",
        "warning", advice_name, context)});
  }
  if (a.arterial().flagged()) {
    std::string detail =
        "Arterial thromboembolism (myocardial infarction, stroke) is increased with "
        "immunomodulatory drugs; minimise modifiable factors such as hyperlipidaemia, "
        "hypertension and smoking (REVLIMID label). Aspirin is not added to an anticoagulant "
        "solely for arterial risk; that is a clinician decision because of bleeding risk. "
        "This flag is a pragmatic rule [P]; no validated myeloma arterial score exists.\n\n"
        "**Why flagged**\n\n";
    for (const std::string& reason : a.arterial().reasons()) {
      absl::StrAppend(&detail, "- ", Text(reason), "\n");
    }
    cards.push_back({CardKind::kArterial, SimpleCard(
        "arterial",
        absl::StrFormat("Arterial thrombosis risk on %s: optimise BP, lipids, smoking",
                        ImidName(a)),
        detail, "info", advice_name, context)});
  }
  return cards;
}

}  // namespace thrombo::service
