// Copyright 2026 The Thrombo Authors.
// Medication reconciliation (docs/clinical.md policy v1.1 rules 18, 19, 20, 23).
#include "risk/medication_facts.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "risk/fact_test_util.h"

namespace thrombo::risk {
namespace {

using testing::DaysAgo;
using testing::Facts;
using ::testing::HasSubstr;
using State = v1::Fact;

v1::ClinicalFacts Read(const std::vector<std::string>& resources,
                       const std::vector<std::string>& drafts = {},
                       const DataAvailability& available = {}) {
  absl::StatusOr<v1::ClinicalFacts> facts = Facts(resources, drafts, available);
  EXPECT_TRUE(facts.ok()) << facts.status();
  return facts.ok() ? *facts : v1::ClinicalFacts();
}

// A dosage with `amount` `unit` and Timing.code `code` (GTS); `extra` spliced into the dosage.
std::string Dosage(const std::string& amount, const std::string& unit, const std::string& code,
                   const std::string& extra = "") {
  std::string dose = amount.empty() ? ""
                                    : absl::StrCat(R"(,"doseAndRate":[{"doseQuantity":{"value":)",
                                                   amount, R"(,"unit":")", unit, R"("}}])");
  std::string timing =
      code.empty()
          ? ""
          : absl::StrCat(
                R"(,"timing":{"code":{"coding":[{"system":)"
                R"("http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation","code":")",
                code, R"("}]}})");
  return absl::StrCat(R"({"text":"as ordered")", dose, timing, extra, "}");
}

std::string Request(const std::string& id, const std::string& drug, const std::string& dosage,
                    const std::string& status = "active", const std::string& extra = "") {
  return absl::StrCat(R"({"resourceType":"MedicationRequest","id":")", id, R"(","status":")",
                      status, R"(","intent":"order","medicationCodeableConcept":{"text":")", drug,
                      R"("},"subject":{"reference":"Patient/p"})",
                      dosage.empty() ? "" : absl::StrCat(R"(,"dosageInstruction":[)", dosage, "]"),
                      extra, "}");
}

std::string Statement(const std::string& id, const std::string& drug, const std::string& dosage,
                      const std::string& status = "active") {
  return absl::StrCat(R"({"resourceType":"MedicationStatement","id":")", id, R"(","status":")",
                      status, R"(","medicationCodeableConcept":{"text":")", drug,
                      R"("},"subject":{"reference":"Patient/p"})",
                      dosage.empty() ? "" : absl::StrCat(R"(,"dosage":[)", dosage, "]"), "}");
}

std::string Dispense(const std::string& id, const std::string& drug, const std::string& dosage,
                     int handed_days_ago, int supply_days) {
  return absl::StrCat(R"({"resourceType":"MedicationDispense","id":")", id,
                      R"(","status":"completed","medicationCodeableConcept":{"text":")", drug,
                      R"("},"subject":{"reference":"Patient/p"},"whenHandedOver":")",
                      DaysAgo(handed_days_ago), R"(","daysSupply":{"value":)", supply_days,
                      R"(,"unit":"day","code":"d"},"dosageInstruction":[)", dosage, "]}");
}

// An order whose medicationReference points to a Medication that was not received ("Medication/x"
// outside the Bundle, as US Core allows), named only by the reference's display.
std::string ReferringRequest(const std::string& id, const std::string& display,
                             const std::string& dosage) {
  return absl::StrCat(R"({"resourceType":"MedicationRequest","id":")", id,
                      R"(","status":"active","intent":"order","medicationReference":)",
                      R"({"reference":"Medication/not-sent")",
                      display.empty() ? "" : absl::StrCat(R"(,"display":")", display, R"(")"),
                      R"(},"subject":{"reference":"Patient/p"},"dosageInstruction":[)", dosage,
                      "]}");
}

TEST(ReferenceTest, AMedicationNotReceivedIsReadFromTheReferencesDisplay) {
  v1::ClinicalFacts f =
      Read({ReferringRequest("r", "apixaban 5 MG Oral Tablet", Dosage("5", "mg", "Q12H"))});
  EXPECT_EQ(f.therapeutic_anticoagulation().state(), State::PRESENT);
  ASSERT_EQ(f.drugs_size(), 1);
  EXPECT_EQ(f.drugs(0).ingredient(), "apixaban");
  EXPECT_EQ(f.drugs(0).evidence().source(), v1::Evidence::TEXT);
  f = Read({ReferringRequest("r", "lenalidomide 10 MG Oral Capsule", Dosage("10", "mg", "QD"))});
  ASSERT_EQ(f.drugs_size(), 1);
  EXPECT_EQ(f.drugs(0).role(), "IMID");
  // Its name is read for rule 18 as well: a lock flush named so, with no dose to tell, is no
  // anticoagulation.
  f = Read({ReferringRequest("f", "HEP-LOCK U/P 10 units/mL", Dosage("", "", ""))});
  EXPECT_EQ(f.prophylactic_anticoagulation().state(), State::ABSENT);
  EXPECT_EQ(f.therapeutic_anticoagulation().state(), State::ABSENT);
  EXPECT_EQ(f.drugs_size(), 0);
  // No display: nothing names the drug, which may be an anticoagulant (rule 14).
  f = Read({ReferringRequest("r", "", Dosage("5", "mg", "Q12H"))});
  EXPECT_EQ(f.drugs_size(), 0);
  for (const v1::Fact* fact : {&f.therapeutic_anticoagulation(), &f.prophylactic_anticoagulation(),
                               &f.possibly_current_anticoagulant(), &f.aspirin()}) {
    EXPECT_EQ(fact->state(), State::UNKNOWN);
    EXPECT_EQ(fact->note(), "MedicationRequest/r refers to a Medication that was not received");
  }
  // What another record shows still counts.
  f = Read({ReferringRequest("r", "", Dosage("5", "mg", "Q12H")),
            Request("a", "apixaban", Dosage("5", "mg", "Q12H"))});
  EXPECT_EQ(f.therapeutic_anticoagulation().state(), State::PRESENT);
}

// The timing disagreement the shared reader fixed: Q12H read as 0 doses a day.
TEST(AnticoagulantTest, ApixabanTimedByCodeQ12H) {
  v1::ClinicalFacts f = Read({Request("r", "apixaban", Dosage("5", "mg", "Q12H"))});
  EXPECT_EQ(f.therapeutic_anticoagulation().state(), State::PRESENT);
  f = Read({Request("r", "apixaban", Dosage("2.5", "mg", "Q12H"))});
  EXPECT_EQ(f.prophylactic_anticoagulation().state(), State::PRESENT);
  EXPECT_EQ(f.therapeutic_anticoagulation().state(), State::ABSENT);
}

TEST(AnticoagulantTest, UnknownDoseIsUnknownIntensity) {
  const v1::ClinicalFacts f = Read({Request("r", "rivaroxaban", "")});
  EXPECT_EQ(f.therapeutic_anticoagulation().state(), State::UNKNOWN);
  EXPECT_EQ(f.therapeutic_anticoagulation().evidence(0).resource_id(), "r");
}

// The issue's case: a port's heparin lock flush counted as full anticoagulation.
TEST(FlushTest, LockAndFlushProductsAreNotAnticoagulation) {
  for (const std::string& record :
       {Request("f", "Heparin lock flush 100 units/mL", Dosage("500", "U", "QD")),
        Request("f", "HEP-LOCK U/P 10 units/mL", Dosage("", "", "")),
        Request("f", "heparin", Dosage("300", "U", "", R"(,"asNeededBoolean":true)")),
        Request("f", "heparin", Dosage("5", "mL", "QD", R"(,"route":{"text":"Intracatheter"})")),
        Request("f", "heparin", Dosage("2", "mL", "BID", R"(,"method":{"text":"Flush"})"))}) {
    const v1::ClinicalFacts f = Read({record});
    EXPECT_EQ(f.therapeutic_anticoagulation().state(), State::ABSENT) << record;
    EXPECT_EQ(f.prophylactic_anticoagulation().state(), State::ABSENT) << record;
    EXPECT_EQ(f.drugs_size(), 0) << record;
  }
}

TEST(FlushTest, SystemicHeparinIsStillAnticoagulation) {
  v1::ClinicalFacts f = Read({Request("h", "heparin", Dosage("5000", "U", "Q8H"))});
  EXPECT_EQ(f.prophylactic_anticoagulation().state(), State::PRESENT);
  // Words about flushing the line do not make a systemic dose a flush.
  f = Read({Request("h", "heparin",
                    Dosage("5000", "U", "Q12H", R"(,"patientInstruction":"then flush line")"))});
  EXPECT_EQ(f.prophylactic_anticoagulation().state(), State::PRESENT);
  // An infusion (a rate, not a lock dose) is never a flush.
  f = Read({Request(
      "h", "heparin",
      R"({"doseAndRate":[{"doseQuantity":{"value":100,"unit":"U"},)"
      R"("rateQuantity":{"value":1000,"unit":"U/h"}}]})")});
  EXPECT_NE(f.therapeutic_anticoagulation().state(), State::ABSENT);
}

TEST(PossiblyCurrentTest, OnHoldAndRecentlyEndedOrders) {
  v1::ClinicalFacts f = Read({Request("r", "apixaban", Dosage("5", "mg", "BID"), "on-hold")});
  EXPECT_EQ(f.possibly_current_anticoagulant().state(), State::PRESENT);
  EXPECT_THAT(f.possibly_current_anticoagulant().evidence(0).matched(), HasSubstr("on hold"));
  EXPECT_EQ(f.therapeutic_anticoagulation().state(), State::ABSENT);

  const std::string ended_10 = absl::StrCat(R"(,"dispenseRequest":{"validityPeriod":{"start":")",
                                            DaysAgo(100), R"(","end":")", DaysAgo(10), R"("}})");
  f = Read({Request("r", "rivaroxaban", Dosage("20", "mg", "QD"), "active", ended_10)});
  EXPECT_EQ(f.possibly_current_anticoagulant().state(), State::PRESENT);
  EXPECT_EQ(f.therapeutic_anticoagulation().state(), State::ABSENT);

  const std::string ended_60 = absl::StrCat(R"(,"dispenseRequest":{"validityPeriod":{"start":")",
                                            DaysAgo(100), R"(","end":")", DaysAgo(60), R"("}})");
  f = Read({Request("r", "rivaroxaban", Dosage("20", "mg", "QD"), "active", ended_60)});
  EXPECT_EQ(f.possibly_current_anticoagulant().state(), State::ABSENT);

  // Stopped within the window is "recently ended" too (rule 19); stopped long ago, or with no
  // end recorded, is past.
  f = Read({Request("r", "enoxaparin", Dosage("40", "mg", "QD"), "stopped", ended_10)});
  EXPECT_EQ(f.possibly_current_anticoagulant().state(), State::PRESENT);
  f = Read({Request("r", "enoxaparin", Dosage("40", "mg", "QD"), "stopped", ended_60)});
  EXPECT_EQ(f.possibly_current_anticoagulant().state(), State::ABSENT);
  f = Read({Request("r", "enoxaparin", Dosage("40", "mg", "QD"), "stopped")});
  EXPECT_EQ(f.possibly_current_anticoagulant().state(), State::ABSENT);
}

TEST(PossiblyCurrentTest, StatementsOfUnknownStatusOrUnclearDose) {
  v1::ClinicalFacts f = Read({Statement("s", "warfarin", "", "unknown")});
  EXPECT_EQ(f.possibly_current_anticoagulant().state(), State::PRESENT);
  f = Read({Statement("s", "enoxaparin", "")});
  EXPECT_EQ(f.possibly_current_anticoagulant().state(), State::PRESENT);
  EXPECT_EQ(f.therapeutic_anticoagulation().state(), State::UNKNOWN);
}

TEST(DispenseTest, ADispenseCoveringTodayIsCurrent) {
  v1::ClinicalFacts f = Read({Dispense("d", "rivaroxaban", Dosage("20", "mg", "QD"), 10, 30)});
  EXPECT_EQ(f.therapeutic_anticoagulation().state(), State::PRESENT);
  EXPECT_EQ(f.therapeutic_anticoagulation().evidence(0).resource_type(), "MedicationDispense");
  // Supply ran out 10 days ago: possibly current, not current.
  f = Read({Dispense("d", "rivaroxaban", Dosage("20", "mg", "QD"), 40, 30)});
  EXPECT_EQ(f.therapeutic_anticoagulation().state(), State::ABSENT);
  EXPECT_EQ(f.possibly_current_anticoagulant().state(), State::PRESENT);
  // A dispensed IMiD is an IMiD.
  f = Read({Dispense("d", "lenalidomide", Dosage("25", "mg", "QD"), 5, 21)});
  EXPECT_EQ(f.imid().state(), State::PRESENT);
}

TEST(AdministrationTest, InProgressIsCurrentARecentOneIsPossiblyCurrent) {
  const std::string running = absl::StrCat(
      R"({"resourceType":"MedicationAdministration","id":"m","status":"in-progress",)"
      R"("medicationCodeableConcept":{"text":"enoxaparin"},"subject":{"reference":"Patient/p"},)"
      R"("effectiveDateTime":")",
      DaysAgo(0), R"(","dosage":{"dose":{"value":80,"unit":"mg"}}})");
  v1::ClinicalFacts f = Read({running});
  EXPECT_EQ(f.therapeutic_anticoagulation().state(), State::PRESENT);
  const std::string given = absl::StrCat(
      R"({"resourceType":"MedicationAdministration","id":"m","status":"completed",)"
      R"("medicationCodeableConcept":{"text":"apixaban"},"subject":{"reference":"Patient/p"},)"
      R"("effectiveDateTime":")",
      DaysAgo(2), R"("})");
  f = Read({given});
  EXPECT_EQ(f.possibly_current_anticoagulant().state(), State::PRESENT);
}

// The issue's case: the same dexamethasone regimen in an order and a statement was added twice.
TEST(OneRegimenTest, OrderAndStatementOfOneRegimenCountOnce) {
  const std::string weekly = Dosage("40", "mg", "WK");
  const v1::ClinicalFacts once = Read({Request("r", "dexamethasone", weekly)});
  const v1::ClinicalFacts twice =
      Read({Request("r", "dexamethasone", weekly), Statement("s", "dexamethasone", weekly),
            Dispense("d", "dexamethasone", weekly, 3, 28)});
  ASSERT_EQ(once.dexamethasone().state(), State::PRESENT);
  EXPECT_DOUBLE_EQ(twice.dexamethasone().mg_per_28_days(), once.dexamethasone().mg_per_28_days());
  EXPECT_DOUBLE_EQ(once.dexamethasone().mg_per_28_days(), 160);
}

TEST(OneRegimenTest, StructuredBeatsText) {
  // The order has no structured dose; the statement does: the statement's dose counts.
  const v1::ClinicalFacts f = Read({Request("r", "apixaban", R"({"text":"as directed"})"),
                                    Statement("s", "apixaban", Dosage("2.5", "mg", "BID"))});
  EXPECT_EQ(f.prophylactic_anticoagulation().state(), State::PRESENT);
  EXPECT_EQ(f.therapeutic_anticoagulation().state(), State::ABSENT);
}

TEST(OneRegimenTest, ADraftOrderReplacesTheActiveOrder) {
  const v1::ClinicalFacts f = Read({Request("r", "enoxaparin", Dosage("80", "mg", "BID"))},
                                   {Request("draft", "enoxaparin", Dosage("40", "mg", "QD"))});
  EXPECT_EQ(f.prophylactic_anticoagulation().state(), State::PRESENT);
  EXPECT_EQ(f.therapeutic_anticoagulation().state(), State::ABSENT);
  ASSERT_EQ(f.drugs_size(), 1);
  EXPECT_TRUE(f.drugs(0).evidence().draft_order());
}

TEST(InteractionTest, StrongCyp3a4PgpInhibitorsAndInducers) {
  for (const char* drug : {"ketoconazole", "itraconazole", "ritonavir", "Paxlovid", "posaconazole",
                           "voriconazole", "cobicistat", "clarithromycin"}) {
    const v1::ClinicalFacts f = Read({Request("r", drug, Dosage("200", "mg", "QD"))});
    EXPECT_EQ(f.strong_cyp3a4_pgp_inhibitor().state(), State::PRESENT) << drug;
    EXPECT_EQ(f.strong_cyp3a4_pgp_inducer().state(), State::ABSENT) << drug;
  }
  for (const char* drug :
       {"rifampin", "Rifampicin", "carbamazepine", "phenytoin", "St John's wort"}) {
    const v1::ClinicalFacts f = Read({Statement("s", drug, Dosage("300", "mg", "QD"))});
    EXPECT_EQ(f.strong_cyp3a4_pgp_inducer().state(), State::PRESENT) << drug;
  }
}

TEST(AvailabilityTest, MissingDispensesMakePossiblyCurrentUnknown) {
  DataAvailability available;
  available.medication_dispenses = false;
  const v1::ClinicalFacts f = Read({}, {}, available);
  EXPECT_EQ(f.possibly_current_anticoagulant().state(), State::UNKNOWN);
  EXPECT_THAT(f.possibly_current_anticoagulant().note(), HasSubstr("MedicationDispense"));
}

}  // namespace
}  // namespace thrombo::risk
