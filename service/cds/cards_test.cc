// Cards checked against the CDS Hooks 2.0 rules (CDS Hooks 2.0.1 "CDS Service Response") and the promise that a hard
// stop never yields a one-click order; suggestions' MedicationRequests parse back through the
// FHIR codec.
#include "service/cds/cards.h"

#include <string>

#include "absl/strings/str_cat.h"

#include "absl/time/time.h"
#include "fhir/json_parser.h"
#include "fhir/json_printer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "risk/engine.h"
#include "risk/facts_builder.h"
#include "risk/recommendation.h"
#include "risk/scores.h"
#include "service/cds/response_json.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using F = v1::ClinicalFacts;

const absl::Time kNow = absl::FromCivil(absl::CivilSecond(2026, 11, 25, 12, 0, 0),
                                        absl::UTCTimeZone());

v1::Assessment Assess(const risk::FactsBuilder& b) {
  v1::ClinicalFacts facts = b.facts();
  v1::DrugExposure& imid = *facts.add_drugs();
  imid.set_ingredient("lenalidomide");
  imid.set_role("IMID");
  return risk::Engine::Default().AssessFacts(std::move(facts), kNow, "p1");
}

risk::FactsBuilder HighRisk() {
  risk::FactsBuilder b;
  b.Imid().Dex(480, 480, 28).Bmi(31).Age(68).Sex("male").Platelets(250).CrCl(90);
  return b;
}

CardContext Context() {
  CardContext c;
  c.hook_instance = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea";
  c.patient_id = "p1";
  c.encounter_id = "e1";
  c.now = kNow;
  return c;
}

// Every CDS Hooks rule a client checks.
void ExpectValidCard(const v1::CdsCard& card) {
  EXPECT_FALSE(card.uuid().empty());
  EXPECT_FALSE(card.summary().empty());
  EXPECT_LT(card.summary().size(), 140u) << card.summary();
  EXPECT_THAT(card.indicator(), ::testing::AnyOf("info", "warning", "critical"));
  EXPECT_FALSE(card.source().label().empty());
  if (!card.suggestions().empty()) {
    EXPECT_EQ(card.selection_behavior(), "at-most-one");
    int recommended = 0;
    for (const v1::CdsSuggestion& s : card.suggestions()) {
      EXPECT_FALSE(s.label().empty());
      EXPECT_FALSE(s.uuid().empty());
      recommended += s.is_recommended();
      for (const v1::CdsAction& action : s.actions()) {
        EXPECT_FALSE(action.description().empty());
        if (action.type() == "delete") {
          EXPECT_THAT(action.resource_id(), ::testing::StartsWith("MedicationRequest/"));
          continue;
        }
        EXPECT_EQ(action.type(), "create");
        EXPECT_TRUE(action.resource().has_medication_request());
      }
    }
    EXPECT_LE(recommended, 1);  // at-most-one allows one recommended suggestion
    // Only the first may be recommended; the others say what they are in their label.
    for (int i = 1; i < card.suggestions_size(); ++i) {
      EXPECT_FALSE(card.suggestions(i).is_recommended()) << card.suggestions(i).label();
      EXPECT_THAT(card.suggestions(i).label(), ::testing::StartsWith("Alternative: "));
    }
  }
  for (const v1::CdsCoding& reason : card.override_reasons()) {
    EXPECT_FALSE(reason.code().empty());
    EXPECT_FALSE(reason.system().empty());
    EXPECT_FALSE(reason.display().empty());
  }
  for (const v1::CdsLink& link : card.links()) {
    EXPECT_EQ(link.type(), "absolute");
    EXPECT_THAT(link.url(), ::testing::StartsWith("https://"));
    EXPECT_TRUE(link.app_context().empty());
  }
}

// The hook path builds its cards from the scores' terms, without components in the Assessment;
// every other caller from the components. Both give the same cards, byte for byte.
TEST(Cards, ScoreTermsGiveTheCardsTheComponentsGive) {
  // Terms with the fact's evidence, a note made for the term (a dose of unknown size) and
  // evidence of the term's own (race).
  risk::FactsBuilder b;
  b.Imid().DexUnknownDose().Bmi(31).Age(68).Sex("male").Race("2028-9").Platelets(250).CrCl(90);
  const v1::Assessment complete = Assess(b);
  v1::Assessment without_components;
  *without_components.mutable_facts() = complete.facts();
  risk::ScoreTerms terms;
  risk::Engine::Default().AssessFactsInto(kNow, "p1", &without_components, &terms);
  EXPECT_THAT(without_components.impede_vte().components(), IsEmpty());
  EXPECT_THAT(without_components.imwg2008().components(), IsEmpty());
  ASSERT_EQ(terms.impede_vte.size(),
            static_cast<size_t>(complete.impede_vte().components_size()));

  const std::vector<BuiltCard> from_components = BuildCardsWithKinds(complete, Context());
  const std::vector<BuiltCard> from_terms =
      BuildCardsWithKinds(without_components, Context(), &terms);
  ASSERT_EQ(from_terms.size(), from_components.size());
  ASSERT_FALSE(from_terms.empty());
  EXPECT_THAT(from_terms[0].card.detail, HasSubstr("- IMPEDE VTE: "));
  EXPECT_THAT(from_terms[0].card.detail, HasSubstr("dose could not be computed"));
  EXPECT_THAT(from_terms[0].card.detail, HasSubstr("Asian race"));
  for (size_t i = 0; i < from_terms.size(); ++i) {
    EXPECT_EQ(CardToProto(from_terms[i].card).SerializeAsString(),
              CardToProto(from_components[i].card).SerializeAsString())
        << from_terms[i].card.detail;
  }
}

TEST(Cards, AnticoagulantCardIsAWarningWithOneClickOrders) {
  const std::vector<v1::CdsCard> cards = BuildCards(Assess(HighRisk()), Context());
  ASSERT_THAT(cards, SizeIs(1));
  const v1::CdsCard& card = cards[0];
  ExpectValidCard(card);
  EXPECT_EQ(card.indicator(), "warning");
  EXPECT_THAT(card.summary(), HasSubstr("high"));
  EXPECT_THAT(card.summary(), HasSubstr("anticoagulant"));
  EXPECT_THAT(card.detail(), HasSubstr("IMPEDE VTE"));
  ASSERT_GE(card.suggestions_size(), 3);
  EXPECT_TRUE(card.suggestions(0).is_recommended());
  const auto& order = card.suggestions(0).actions(0).resource().medication_request();
  EXPECT_EQ(order.status(), fhir::r4::MedicationRequestStatusCode::DRAFT);
  EXPECT_EQ(order.intent(), fhir::r4::MedicationRequestIntentCode::ORDER);
  EXPECT_EQ(order.subject().reference(), "Patient/p1");
  EXPECT_EQ(order.encounter().reference(), "Encounter/e1");
  EXPECT_EQ(order.medication_codeable_concept().coding(0).system(),
            "http://www.nlm.nih.gov/research/umls/rxnorm");
  EXPECT_FALSE(order.medication_codeable_concept().coding(0).code().empty());
  EXPECT_EQ(order.dosage_instruction(0).timing().repeat().frequency(), 1);
  EXPECT_EQ(order.dosage_instruction(0).dose_and_rate(0).dose_quantity().value().value(), "40");
}

TEST(Cards, SuggestionsParseBackThroughTheFhirCodec) {
  v1::CdsHooksResponse response;
  for (v1::CdsCard& card : BuildCards(Assess(HighRisk()), Context())) {
    *response.add_cards() = std::move(card);
  }
  ASSERT_OK_AND_ASSIGN(std::string json, CdsResponseToJson(response));
  for (const v1::CdsSuggestion& s : response.cards(0).suggestions()) {
    ASSERT_OK_AND_ASSIGN(std::string resource,
                         fhir::PrintResource(s.actions(0).resource()));
    ASSERT_OK_AND_ASSIGN(fhir::ParsedResource parsed, fhir::ParseResource(resource));
    EXPECT_THAT(parsed.resource, thrombo::testing::EqualsProto(s.actions(0).resource()));
    EXPECT_THAT(json, HasSubstr(s.uuid()));
  }
  EXPECT_THAT(json, HasSubstr("\"selectionBehavior\":\"at-most-one\""));
}

TEST(Cards, HardStopCardHasNoSuggestions) {
  risk::FactsBuilder b = HighRisk();
  b.Platelets(40);
  const std::vector<v1::CdsCard> cards = BuildCards(Assess(b), Context());
  ASSERT_THAT(cards, SizeIs(1));
  ExpectValidCard(cards[0]);
  EXPECT_EQ(cards[0].indicator(), "warning");
  EXPECT_THAT(cards[0].suggestions(), IsEmpty());
  EXPECT_THAT(cards[0].summary(), HasSubstr("No drug"));
  EXPECT_THAT(cards[0].detail(), HasSubstr("Hard stop"));
}

TEST(Cards, ForgedHardStopStillRemovesForbiddenOrders) {
  v1::Assessment a = Assess(HighRisk());
  ASSERT_EQ(a.recommendation().action(), v1::Recommendation::ANTICOAGULANT);
  // Even if a recommendation carried agents beside a hard stop, the card would not offer them.
  v1::HardStop& stop = *a.mutable_recommendation()->add_hard_stops();
  stop.set_id("active_bleeding");
  stop.set_reason("Active bleeding");
  EXPECT_THAT(BuildCards(a, Context())[0].suggestions(), IsEmpty());
}

TEST(Cards, NoImidNoCards) {
  risk::FactsBuilder b;
  b.Dex(480).Platelets(200);
  v1::Assessment a = Assess(b);
  a.mutable_recommendation()->set_action(v1::Recommendation::NO_RECOMMENDATION);
  EXPECT_THAT(BuildCards(a, Context()), IsEmpty());
}

TEST(Cards, CotherapyAndArterialCards) {
  risk::FactsBuilder b = HighRisk();
  b.Set(&F::mutable_esa).Hemoglobin(13.4).Set(&F::mutable_estrogen);
  b.Set(&F::mutable_prior_arterial_event);
  const std::vector<v1::CdsCard> cards = BuildCards(Assess(b), Context());
  ASSERT_THAT(cards, SizeIs(4));
  for (const v1::CdsCard& card : cards) ExpectValidCard(card);
  EXPECT_THAT(cards[1].summary(), HasSubstr("latest Hb 13.4"));
  EXPECT_THAT(cards[1].detail(), HasSubstr("stop the ESA"));
  EXPECT_THAT(cards[2].summary(), HasSubstr("Estrogen"));
  EXPECT_THAT(cards[3].summary(), HasSubstr("Arterial"));
  // Distinct, stable uuids.
  EXPECT_NE(cards[0].uuid(), cards[1].uuid());
  EXPECT_EQ(cards[0].uuid(), BuildCards(Assess(b), Context())[0].uuid());
}

TEST(Cards, RecordTextCannotInjectMarkdown) {
  v1::Assessment a = Assess(HighRisk());
  v1::ScoreComponent& c = *a.mutable_impede_vte()->mutable_components(0);
  v1::Evidence& e = *c.add_evidence();
  e.set_resource_type("MedicationRequest");
  e.set_resource_id("x");
  e.set_source(v1::Evidence::TEXT);
  e.set_matched("[click](https://evil.example) <img src=x>");
  const std::string detail = BuildCards(a, Context())[0].detail();
  EXPECT_THAT(detail, HasSubstr("\\[click\\]"));
  // No link can form and no raw HTML survives: every '[', ']' and '<' is escaped.
  for (size_t i = 0; i < detail.size(); ++i) {
    if (detail[i] == '<' || detail[i] == '[' || detail[i] == ']') {
      ASSERT_GT(i, 0u);
      EXPECT_EQ(detail[i - 1], '\\') << detail.substr(i > 20 ? i - 20 : 0, 40);
    }
  }
}

// Long record text with the Markdown specials at every offset, alone and in runs: the card
// shows each escaped exactly as a byte-by-byte reading of the rule says.
TEST(Cards, EveryMarkdownSpecialIsEscapedWhereverItStands) {
  const std::string alphabet = "ab .-\\`*_[]<>|~\n\r";
  const auto reference = [](const std::string& text) {
    std::string out;
    for (char c : text) {
      if (c == '\n' || c == '\r') {
        out.push_back(' ');
      } else {
        if (std::string_view("\\`*_[]<>|~").find(c) != std::string_view::npos) out.push_back('\\');
        out.push_back(c);
      }
    }
    return out;
  };
  v1::Assessment a = Assess(HighRisk());
  v1::ScoreComponent& c = *a.mutable_impede_vte()->mutable_components(0);
  std::vector<std::string> texts;
  uint32_t state = 20261202;
  for (int n = 0; n < 60; ++n) {
    std::string text(n * 5, 'a');
    const uint32_t density = 1 + n % 9;  // one byte in `density` may be special
    for (char& ch : text) {
      state = state * 1664525u + 1013904223u;
      if ((state >> 8) % density == 0) ch = alphabet[(state >> 16) % alphabet.size()];
    }
    texts.push_back(text);
    v1::Evidence& e = *c.add_evidence();
    e.set_resource_type("Observation");
    e.set_source(v1::Evidence::TEXT);
    e.set_matched(text);
  }
  const std::string detail = BuildCards(a, Context())[0].detail();
  for (const std::string& text : texts) {
    EXPECT_THAT(detail, HasSubstr(absl::StrCat("Observation (text '", reference(text), "')")))
        << text;
  }
}

}  // namespace
}  // namespace thrombo::service

namespace thrombo::service {
namespace {

using ::testing::Not;
using ::testing::StartsWith;

// The lines of `detail` before the score table: what the clinician reads first.
std::string Head(const std::string& detail) { return detail.substr(0, detail.find("| Score")); }

TEST(CardsRender, CodesReadAsAClinicianReadsThemAndFormNoLinks) {
  v1::Assessment a = Assess(HighRisk());
  v1::DrugExposure& imid = *a.mutable_facts()->mutable_drugs(a.facts().drugs_size() - 1);
  v1::Evidence& drug = *imid.mutable_evidence();
  drug.set_resource_type("MedicationRequest");
  drug.set_resource_id("m1");
  drug.set_source(v1::Evidence::CODE);
  drug.set_matched("http://www.nlm.nih.gov/research/umls/rxnorm|342369");
  v1::ScoreComponent& c = *a.mutable_impede_vte()->mutable_components(0);
  *c.add_evidence() = drug;
  v1::Evidence& myeloma = *c.add_evidence();
  myeloma.set_resource_type("Condition");
  myeloma.set_resource_id("c1");
  myeloma.set_source(v1::Evidence::CODE);
  myeloma.set_matched("http://hl7.org/fhir/sid/icd-10-cm|C90.00");
  c.set_note("latest http://loinc.org|777-3 result; see http://example.org/codes|X1");
  const std::string detail = BuildCards(a, Context())[0].detail();
  EXPECT_THAT(detail, HasSubstr("MedicationRequest/m1 (RxNorm 342369 lenalidomide)"));
  EXPECT_THAT(detail, HasSubstr("Condition/c1 (ICD-10-CM C90.00)"));
  EXPECT_THAT(detail, HasSubstr("latest LOINC 777-3 result; see example.org/codes X1"));
  // No system URL is left for GFM to autolink, and so no "\|" inside a link target.
  EXPECT_THAT(detail, Not(HasSubstr("http")));
  EXPECT_THAT(detail, Not(HasSubstr("www.")));
  EXPECT_THAT(detail, Not(HasSubstr("\\|")));
}

// Where a quoted code starts and ends: every scheme, a scheme inside a word, codes back to back,
// a URL without a code (kept), colons in prose and schemes cut short (kept).
TEST(CardsRender, CodesAreFoundWhereverTheTextQuotesThem) {
  const std::pair<const char*, const char*> kCases[] = {
      {"Note: see https://example.org/a|B1 and urn:oid:2.16.840.1.113883.6.238|2106-3; url "
       "http://x.org/y stays",
       "Note: see example.org/a B1 and CDC race and ethnicity 2106-3; url http://x.org/y stays"},
      {"codes http://loinc.org|1,http://loinc.org|2;xhttp://www.a.org|Z (urn:oid:1.2|3) "
       "urn:oid2 http:/ https://|Q",
       "codes LOINC 1,LOINC 2;xa.org Z (urn:oid:1.2 3) urn:oid2 http:/ Q"},
  };
  for (const auto& [note, shown] : kCases) {
    v1::Assessment a = Assess(HighRisk());
    a.mutable_impede_vte()->mutable_components(0)->set_note(note);
    EXPECT_THAT(BuildCards(a, Context())[0].detail(), HasSubstr(absl::StrCat("(", shown, ")")))
        << note;
  }
}

TEST(CardsRender, ImwgRowShowsAGroupNotAnAction) {
  const std::string detail = BuildCards(Assess(HighRisk()), Context())[0].detail();
  const size_t row = detail.find("| IMWG 2008 |");
  ASSERT_NE(row, std::string::npos) << detail;
  const std::string line = detail.substr(row, detail.find('\n', row) - row);
  EXPECT_THAT(line, HasSubstr("| high |")) << line;  // 480 mg/28 d dexamethasone: therapy factor
  EXPECT_THAT(line, Not(HasSubstr("LMWH"))) << line;
  EXPECT_THAT(line, Not(HasSubstr("aspirin"))) << line;
}

TEST(CardsRender, OnlyThePreferredAgentIsRecommended) {
  const v1::CdsCard card = BuildCards(Assess(HighRisk()), Context())[0];
  ExpectValidCard(card);
  ASSERT_GE(card.suggestions_size(), 2);
  EXPECT_TRUE(card.suggestions(0).is_recommended());
  EXPECT_THAT(card.suggestions(0).label(), StartsWith("Order enoxaparin"));
  for (int i = 1; i < card.suggestions_size(); ++i) {
    EXPECT_FALSE(card.suggestions(i).is_recommended());
    EXPECT_THAT(card.suggestions(i).label(), StartsWith("Alternative: "));
  }
  EXPECT_THAT(Head(card.detail()), StartsWith("**Recommended:** enoxaparin"));
}

TEST(CardsRender, AHeparinOnlyStopMakesTheNextAgentThePreferredOne) {
  v1::Assessment a = Assess(HighRisk());
  ASSERT_EQ(a.recommendation().agents(0).ingredient(), "enoxaparin");
  v1::HardStop& stop = *a.mutable_recommendation()->add_hard_stops();
  stop.set_id("hit_history");
  stop.set_reason("History of heparin-induced thrombocytopenia");
  stop.set_heparins_only(true);
  const v1::CdsCard card = BuildCards(a, Context())[0];
  ExpectValidCard(card);
  ASSERT_FALSE(card.suggestions().empty());
  for (const v1::CdsSuggestion& s : card.suggestions()) {
    EXPECT_THAT(s.label(), Not(HasSubstr("enoxaparin")));
  }
  EXPECT_THAT(card.suggestions(0).label(), StartsWith("Order "));
  EXPECT_TRUE(card.suggestions(0).is_recommended());
  EXPECT_THAT(Head(card.detail()), Not(HasSubstr("**Recommended:** enoxaparin")));
}

constexpr char kPlateletsVerify[] =
    "platelets recorded as '<10 10*9/L' on 2026-11-20 (Observation/p1)";

TEST(CardsRender, VerifyLinesTakeTheAgentOutOfOneClick) {
  v1::Assessment a = Assess(HighRisk());
  v1::Recommendation& rec = *a.mutable_recommendation();
  const std::string preferred = rec.agents(0).ingredient();
  rec.mutable_agents(0)->add_verify_before_ordering(kPlateletsVerify);
  v1::CdsCard card = BuildCards(a, Context())[0];
  ExpectValidCard(card);
  for (const v1::CdsSuggestion& s : card.suggestions()) {
    EXPECT_THAT(s.label(), Not(HasSubstr(preferred)));
    EXPECT_FALSE(s.is_recommended());  // the recommended agent is held; nothing stands in
  }
  EXPECT_THAT(Head(card.detail()), StartsWith(absl::StrCat("**Recommended:** ", preferred)));
  EXPECT_THAT(Head(card.detail()), HasSubstr("verify first; not offered in one click"));
  EXPECT_THAT(Head(card.detail()),
              HasSubstr("- Verify before ordering: platelets recorded as '\\<10 10\\*9/L' on "
                        "2026-11-20 (Observation/p1)"));

  // Every agent gated: no suggestion at all, and the summary says to verify.
  for (auto* agents : {rec.mutable_agents(), rec.mutable_alternatives()}) {
    for (v1::AgentSuggestion& agent : *agents) agent.add_verify_before_ordering(kPlateletsVerify);
  }
  card = BuildCards(a, Context())[0];
  ExpectValidCard(card);
  EXPECT_THAT(card.suggestions(), IsEmpty());
  EXPECT_TRUE(card.selection_behavior().empty());
  EXPECT_THAT(card.summary(), HasSubstr("verify data first"));
  // The same datum gating several agents is listed once.
  const std::string head = Head(card.detail());
  EXPECT_EQ(head.find("Verify before ordering: platelets"),
            head.rfind("Verify before ordering: platelets"));
}

TEST(CardsRender, ExcludedAgentsSayWhyTheyAreMissing) {
  v1::Assessment a = Assess(HighRisk());
  v1::ExcludedAgent& excluded = *a.mutable_recommendation()->add_excluded_agents();
  excluded.set_ingredient("enoxaparin");
  excluded.set_reason("heparin allergy");
  v1::Evidence& e = *excluded.add_evidence();
  e.set_resource_type("AllergyIntolerance");
  e.set_resource_id("a1");
  e.set_source(v1::Evidence::CODE);
  e.set_matched("http://snomed.info/sct|294872001");
  const std::string head = Head(BuildCards(a, Context())[0].detail());
  EXPECT_THAT(head,
              HasSubstr("- Not offered: enoxaparin - heparin allergy (AllergyIntolerance/a1)"));
}

TEST(CardsRender, ReplacingTheCurrentDoseStopsTheCurrentOrder) {
  v1::Assessment a = Assess(HighRisk());
  v1::AgentSuggestion& agent = *a.mutable_recommendation()->mutable_agents(0);
  ASSERT_EQ(agent.ingredient(), "enoxaparin");
  agent.set_dose_mg(30);
  agent.set_dose_text("30 mg SC once daily");
  agent.set_replaces_current("enoxaparin 40 mg SC once daily (MedicationRequest/7)");
  v1::CdsCard card = BuildCards(a, Context())[0];
  ExpectValidCard(card);
  const v1::CdsSuggestion& change = card.suggestions(0);
  EXPECT_EQ(change.label(), "Change enoxaparin 40 mg SC once daily to 30 mg SC once daily");
  EXPECT_TRUE(change.is_recommended());
  ASSERT_EQ(change.actions_size(), 2);
  EXPECT_EQ(change.actions(0).type(), "delete");
  EXPECT_EQ(change.actions(0).resource_id(), "MedicationRequest/7");
  EXPECT_EQ(change.actions(1).type(), "create");
  EXPECT_EQ(change.actions(1).resource().medication_request().dosage_instruction(0).text(),
            "30 mg SC once daily");
  EXPECT_THAT(Head(card.detail()),
              StartsWith("**Recommended:** Change enoxaparin 40 mg SC once daily to 30 mg"));

  // An alternative that changes the regimen says both.
  v1::AgentSuggestion& alternative = *a.mutable_recommendation()->mutable_alternatives(0);
  alternative.set_replaces_current("enoxaparin 40 mg SC once daily (MedicationRequest/7)");
  card = BuildCards(a, Context())[0];
  ASSERT_GE(card.suggestions_size(), 2);  // alternatives come after the recommended agents
  EXPECT_EQ(card.suggestions(card.suggestions_size() - 1).label(),
            absl::StrCat("Alternative: change enoxaparin 40 mg SC once daily to ",
                         alternative.ingredient(), " ", alternative.dose_text()));
  alternative.clear_replaces_current();

  // A regimen recorded as a home medication has no order to remove: the label says it.
  agent.set_replaces_current("enoxaparin 40 mg SC once daily (MedicationStatement/s1)");
  card = BuildCards(a, Context())[0];
  ASSERT_EQ(card.suggestions(0).actions_size(), 1);
  EXPECT_EQ(card.suggestions(0).actions(0).type(), "create");
  EXPECT_THAT(card.suggestions(0).label(), StartsWith("Change enoxaparin 40 mg"));
}

TEST(CardsRender, IncompleteMedicationsLeaveNoOneClickAndSayWhichData) {
  CardContext context = Context();
  context.medications_incomplete = true;
  context.incomplete_data = {
      "Medication orders (MedicationRequest): only the first page of several was received; "
      "the next page could not be fetched"};
  const v1::CdsCard card = BuildCards(Assess(HighRisk()), context)[0];
  ExpectValidCard(card);
  EXPECT_THAT(card.suggestions(), IsEmpty());
  EXPECT_THAT(card.summary(), HasSubstr("verify data first"));
  const std::string head = Head(card.detail());
  EXPECT_THAT(head, HasSubstr("**Incomplete data**"));
  EXPECT_THAT(head, HasSubstr("- Medication orders (MedicationRequest): only the first page"));
  EXPECT_THAT(head, HasSubstr("Verify before ordering: current anticoagulants and aspirin"));
}

TEST(CardsAcrossHooks, OrderSelectAdvisesAndOrderSignOffersTheSameCard) {
  const v1::Assessment a = Assess(HighRisk());
  CardContext select = Context();
  select.hook = "order-select";
  select.hook_instance = "a0000000-0000-4000-8000-000000000001";
  CardContext sign = Context();
  sign.hook = "order-sign";
  sign.hook_instance = "a0000000-0000-4000-8000-000000000002";
  const v1::CdsCard at_select = BuildCards(a, select)[0];
  const v1::CdsCard at_sign = BuildCards(a, sign)[0];
  ExpectValidCard(at_select);
  EXPECT_THAT(at_select.suggestions(), IsEmpty());
  EXPECT_THAT(Head(at_select.detail()), StartsWith("**Recommended:** enoxaparin"));
  EXPECT_THAT(Head(at_select.detail()),
              HasSubstr("offered in one click when the orders are signed"));
  EXPECT_THAT(at_select.summary(), Not(HasSubstr("verify")));
  EXPECT_FALSE(at_sign.suggestions().empty());
  // Same patient, IMiD order and advice: one card, whichever hook or call showed it.
  EXPECT_EQ(at_select.uuid(), at_sign.uuid());
  EXPECT_EQ(at_sign.suggestions(0).uuid(), BuildCards(a, Context())[0].suggestions(0).uuid());
  // Different advice or another patient: another card.
  CardContext other = sign;
  other.patient_id = "p2";
  EXPECT_NE(BuildCards(a, other)[0].uuid(), at_sign.uuid());
  risk::FactsBuilder low;
  low.Imid().Age(50).Sex("female").Platelets(250).CrCl(90).Bmi(22);
  EXPECT_NE(BuildCards(Assess(low), sign)[0].uuid(), at_sign.uuid());
}

}  // namespace
}  // namespace thrombo::service
