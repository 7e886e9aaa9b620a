// Cards checked against the CDS Hooks 2.0 rules (cds-hooks.md §A6) and the promise that a hard
// stop never yields a one-click order; suggestions' MedicationRequests parse back through the
// FHIR codec.
#include "service/cds/cards.h"

#include <string>

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
  const risk::EngineRules& rules = risk::Engine::Default().rules();
  v1::Assessment a;
  a.set_patient_id("p1");
  *a.mutable_facts() = b.facts();
  v1::DrugExposure& imid = *a.mutable_facts()->add_drugs();
  imid.set_ingredient("lenalidomide");
  imid.set_role("IMID");
  *a.mutable_impede_vte() = risk::ScoreImpedeVte(a.facts(), rules);
  *a.mutable_saved() = risk::ScoreSaved(a.facts(), rules);
  *a.mutable_imwg2008() = risk::ScoreImwg2008(a.facts(), rules, kNow);
  *a.mutable_arterial() = risk::AssessArterial(a.facts(), rules);
  *a.mutable_cotherapy() = risk::AssessCotherapy(a.facts(), rules);
  *a.mutable_recommendation() = risk::Recommend(a, rules, kNow);
  return a;
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
        EXPECT_EQ(action.type(), "create");
        EXPECT_FALSE(action.description().empty());
        EXPECT_TRUE(action.resource().has_medication_request());
      }
    }
    EXPECT_LE(recommended, 1);  // at-most-one allows one recommended suggestion
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

}  // namespace
}  // namespace thrombo::service
