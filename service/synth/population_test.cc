// Copyright 2026 The Thrombo Authors.
// RandomPopulation: reproducible, the advertised mix within loose bounds, every bundle valid;
// WritePopulation: files that parse back to the same Bundles.
#include "service/synth/population.h"

#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fhir/json_parser.h"
#include "fhir/json_printer.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/fhir/r4/resources.pb.h"
#include "service/synth/bundle_builder.h"
#include "service/synth/bundle_checks.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::synth {
namespace {

using ::testing::IsEmpty;
using ::thrombo::testing::EqualsProto;

constexpr int kN = 2000;
constexpr uint64_t kSeed = 20260315;

absl::Time Now() {
  return absl::FromCivil(absl::CivilSecond(2026, 3, 15, 9, 0, 0), absl::UTCTimeZone());
}

// The clean population: the mix tests below state the clean generator's advertised mix, which
// the messy representations (MessyRates) would blur on purpose (e.g. an old low platelet count
// that is the last one on file, a creatinine made to match dialysis). The messy mix has its own
// tests (MessyPopulationTest).
const std::vector<Scenario>& Population() {
  static const auto* const kPopulation =
      new std::vector<Scenario>(RandomPopulation(kN, kSeed, Now(), MessyRates::None()));
  return *kPopulation;
}

const std::vector<Scenario>& MessyPopulation() {
  static const auto* const kPopulation =
      new std::vector<Scenario>(RandomPopulation(kN, kSeed, Now()));
  return *kPopulation;
}

bool HasDrug(const Scenario& s, Drug d, bool active_only = true) {
  for (const MedicationOrder& m : s.medications) {
    if (m.drug == d && (!active_only || m.status == MedStatus::kActive)) return true;
  }
  return false;
}

bool HasCondition(const Scenario& s, ConditionKind k) {
  for (const ConditionSpec& c : s.conditions) {
    if (c.kind == k) return true;
  }
  return false;
}

bool HasImid(const Scenario& s) {
  return HasDrug(s, Drug::kLenalidomide) || HasDrug(s, Drug::kThalidomide) ||
         HasDrug(s, Drug::kPomalidomide);
}

const Lab* FindLab(const Scenario& s, LabKind k) {
  for (const Lab& l : s.labs) {
    if (l.kind == k) return &l;
  }
  return nullptr;
}

double Value(const std::string& text) {
  double v = 0;
  EXPECT_TRUE(absl::SimpleAtod(text, &v)) << text;
  return v;
}

// Cockcroft-Gault (docs/clinical.md §0 rule 10) from the scenario, or -1 when weight or creatinine
// is missing.
double CrCl(const Scenario& s) {
  const Lab* cr = FindLab(s, LabKind::kCreatinine);
  if (cr == nullptr || s.vitals.weight_kg.empty()) return -1;
  const double mg_dl = cr->unit == "umol/L" ? Value(cr->value) / 88.4 : Value(cr->value);
  const double crcl = (140 - *s.age_years) * Value(s.vitals.weight_kg) / (72 * mg_dl);
  return s.sex == Sex::kFemale ? crcl * 0.85 : crcl;
}

// Fraction of the population satisfying `pred`.
double Fraction(const std::function<bool(const Scenario&)>& pred) {
  int count = 0;
  for (const Scenario& s : Population()) count += pred(s) ? 1 : 0;
  return static_cast<double>(count) / Population().size();
}

TEST(PopulationTest, ReproducibleAndPrefixStable) {
  const std::vector<Scenario> a = RandomPopulation(30, 7, Now());
  const std::vector<Scenario> b = RandomPopulation(30, 7, Now());
  const std::vector<Scenario> prefix = RandomPopulation(10, 7, Now());
  const std::vector<Scenario> other = RandomPopulation(30, 8, Now());
  ASSERT_EQ(a.size(), 30u);
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_OK_AND_ASSIGN(const fhir::r4::Bundle ba, BuildBundle(a[i]));
    ASSERT_OK_AND_ASSIGN(const fhir::r4::Bundle bb, BuildBundle(b[i]));
    EXPECT_THAT(bb, EqualsProto(ba)) << i;
    if (i < prefix.size()) {
      ASSERT_OK_AND_ASSIGN(const fhir::r4::Bundle bp, BuildBundle(prefix[i]));
      EXPECT_THAT(bp, EqualsProto(ba)) << i;
    }
  }
  EXPECT_NE(a[0].seed, other[0].seed);
  EXPECT_TRUE(RandomPopulation(0, 7, Now()).empty());
}

TEST(PopulationTest, EveryBundleBuildsAndItsReferencesResolve) {
  for (size_t i = 0; i < Population().size(); ++i) {
    ASSERT_OK_AND_ASSIGN(const fhir::r4::Bundle b, BuildBundle(Population()[i]));
    ASSERT_THAT(UnresolvedReferences(b), IsEmpty()) << "patient " << i;
  }
}

TEST(PopulationTest, RegimenMix) {
  EXPECT_NEAR(Fraction([](const Scenario& s) { return !HasImid(s); }), 0.10, 0.03);
  // Td + VTd + MPT = 10%; Pd + DPd = 11%; KRd 7%; DRd + DPd 17%; MPT 2%.
  EXPECT_NEAR(Fraction([](const Scenario& s) { return HasDrug(s, Drug::kThalidomide); }), 0.10,
              0.03);
  EXPECT_NEAR(Fraction([](const Scenario& s) { return HasDrug(s, Drug::kPomalidomide); }), 0.11,
              0.03);
  EXPECT_NEAR(Fraction([](const Scenario& s) { return HasDrug(s, Drug::kCarfilzomib); }), 0.07,
              0.025);
  EXPECT_NEAR(Fraction([](const Scenario& s) { return HasDrug(s, Drug::kDaratumumab); }), 0.17,
              0.035);
  EXPECT_NEAR(Fraction([](const Scenario& s) { return HasDrug(s, Drug::kMelphalan); }), 0.02,
              0.012);
  // Maintenance lenalidomide without dex (12%) + MPT (2%) + no-therapy (4%).
  EXPECT_NEAR(Fraction([](const Scenario& s) { return !HasDrug(s, Drug::kDexamethasone); }), 0.18,
              0.04);
}

TEST(PopulationTest, RiskFactorMix) {
  EXPECT_NEAR(Fraction([](const Scenario& s) {
                return HasCondition(s, ConditionKind::kDvt) || HasCondition(s, ConditionKind::kPe);
              }),
              0.05, 0.02);
  EXPECT_NEAR(Fraction([](const Scenario& s) {
                return HasDrug(s, Drug::kApixaban) || HasDrug(s, Drug::kWarfarin) ||
                       HasDrug(s, Drug::kRivaroxaban) || HasDrug(s, Drug::kEnoxaparin);
              }),
              0.10, 0.03);
  EXPECT_NEAR(Fraction([](const Scenario& s) {
                const Lab* plt = FindLab(s, LabKind::kPlatelets);
                return plt != nullptr && Value(plt->value) < 50;
              }),
              0.02, 0.012);
  EXPECT_NEAR(Fraction([](const Scenario& s) { return s.race == Race::kAsian; }), 0.05, 0.02);
  EXPECT_NEAR(Fraction([](const Scenario& s) {
                return HasDrug(s, Drug::kDarbepoetin) || HasDrug(s, Drug::kEpoetin);
              }),
              0.10, 0.03);
  EXPECT_NEAR(Fraction([](const Scenario& s) { return HasDrug(s, Drug::kEstradiol); }), 0.02,
              0.012);
  EXPECT_NEAR(Fraction([](const Scenario& s) {
                for (const ProcedureSpec& p : s.procedures) {
                  if (p.kind != ProcedureKind::kTunneledCvcInsertion &&
                      s.now - p.performed <= absl::Hours(24 * 90)) {
                    return true;
                  }
                }
                return false;
              }),
              0.03, 0.015);
  EXPECT_NEAR(Fraction([](const Scenario& s) {
                for (const ProcedureSpec& p : s.procedures) {
                  if (p.kind == ProcedureKind::kTunneledCvcInsertion) return true;
                }
                return false;
              }),
              0.15, 0.03);
}

TEST(PopulationTest, RenalFunctionAndBmi) {
  int known = 0;
  int below_30 = 0;
  for (const Scenario& s : Population()) {
    const double crcl = CrCl(s);
    if (crcl < 0) continue;
    ++known;
    below_30 += crcl < 30 ? 1 : 0;
  }
  ASSERT_GT(known, kN * 3 / 4);
  EXPECT_NEAR(static_cast<double>(below_30) / known, 0.05, 0.02);
  EXPECT_NEAR(Fraction([](const Scenario& s) {
                return !s.vitals.bmi.empty() && Value(s.vitals.bmi) >= 25;
              }),
              0.6, 0.12);
}

TEST(PopulationTest, MissingDataMix) {
  EXPECT_NEAR(Fraction([](const Scenario& s) { return s.vitals.bmi.empty(); }), 0.10, 0.03);
  EXPECT_NEAR(Fraction([](const Scenario& s) { return s.labs.empty(); }), 0.10, 0.03);
}

TEST(PopulationTest, CodingStyleMix) {
  int imid_orders = 0;
  std::map<MedCoding, int> by_style;
  std::map<DosingStyle, int> by_dosing;
  for (const Scenario& s : Population()) {
    for (const MedicationOrder& m : s.medications) {
      if (m.status != MedStatus::kActive) continue;
      if (m.dosing) ++by_dosing[m.dosing->style];
      if (m.drug != Drug::kLenalidomide && m.drug != Drug::kThalidomide &&
          m.drug != Drug::kPomalidomide) {
        continue;
      }
      ++imid_orders;
      ++by_style[m.coding];
    }
  }
  ASSERT_GT(imid_orders, kN / 2);
  for (MedCoding c : {MedCoding::kIngredientRxnorm, MedCoding::kProductScd, MedCoding::kProductSbd,
                      MedCoding::kTextOnly, MedCoding::kContainedMedication,
                      MedCoding::kBundledMedication}) {
    EXPECT_GT(by_style[c], imid_orders / 20) << static_cast<int>(c);
  }
  for (DosingStyle d : {DosingStyle::kStructured, DosingStyle::kText,
                        DosingStyle::kStructuredAndText}) {
    EXPECT_GT(by_dosing[d], 200) << static_cast<int>(d);
  }
  EXPECT_NEAR(Fraction([](const Scenario& s) { return s.bundle_kind == BundleKind::kTransaction; }),
              0.2, 0.04);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(WritePopulationTest, FilesParseBackToTheSameBundles) {
  const char* tmp = std::getenv("TEST_TMPDIR");
  ASSERT_NE(tmp, nullptr);
  const std::string dir = tmp;
  ASSERT_OK(WritePopulation(25, kSeed, Now(), dir));
  const std::vector<Scenario> population = RandomPopulation(25, kSeed, Now());
  for (int i = 0; i < 25; ++i) {
    const std::string json = ReadFile(absl::StrFormat("%s/patient-%04d.json", dir, i + 1));
    ASSERT_FALSE(json.empty()) << i;
    ASSERT_OK_AND_ASSIGN(const fhir::r4::Bundle parsed, fhir::ParseAs<fhir::r4::Bundle>(json));
    ASSERT_OK_AND_ASSIGN(const fhir::r4::Bundle built, BuildBundle(population[i]));
    EXPECT_THAT(parsed, EqualsProto(built)) << "patient " << i + 1;
  }
  EXPECT_TRUE(ReadFile(dir + "/patient-0026.json").empty());
}

TEST(WritePopulationTest, SameInputsSameBytes) {
  const std::string dir = std::getenv("TEST_TMPDIR");
  ASSERT_OK(WritePopulation(3, 99, Now(), dir));
  const std::string first = ReadFile(dir + "/patient-0003.json");
  ASSERT_OK(WritePopulation(3, 99, Now(), dir));
  EXPECT_EQ(ReadFile(dir + "/patient-0003.json"), first);
  EXPECT_NE(first.find("\"resourceType\": \"Bundle\""), std::string::npos) << first.substr(0, 200);
}

TEST(WritePopulationTest, Errors) {
  EXPECT_THAT(WritePopulation(10000, 1, Now(), "/tmp"),
              ::thrombo::testing::StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(WritePopulation(1, 1, Now(), "/nonexistent/dir/for/sure"),
              ::thrombo::testing::StatusIs(absl::StatusCode::kNotFound));
}

// ---------------------------------------------------------------------------------------------
// The messy representations (MessyRates, docs/clinical.md policy v1.1 rules 14-24).

int Count(const std::function<bool(const Scenario&)>& pred) {
  int count = 0;
  for (const Scenario& s : MessyPopulation()) count += pred(s) ? 1 : 0;
  return count;
}

bool AnyLab(const Scenario& s, const std::function<bool(const Lab&)>& pred) {
  for (const Lab& lab : s.labs) {
    if (pred(lab)) return true;
  }
  return false;
}

bool IsAnticoagulantDrug(Drug d) {
  return d == Drug::kApixaban || d == Drug::kRivaroxaban || d == Drug::kWarfarin ||
         d == Drug::kEnoxaparin;
}

bool AnyMed(const Scenario& s, const std::function<bool(const MedicationOrder&)>& pred) {
  for (const MedicationOrder& m : s.medications) {
    if (pred(m)) return true;
  }
  return false;
}

// Each representation is drawn at about its advertised rate (binomial sd over 2,000 patients is
// at most ~0.6 percentage points at these rates; the bounds are about four sd).
TEST(MessyPopulationTest, EachRepresentationAtItsRate) {
  const MessyRates r;
  auto rate = [](int count) { return static_cast<double>(count) / kN; };
  // Labs exist for 90% of patients, so lab representations show at 0.9 x their rate.
  EXPECT_NEAR(rate(Count([](const Scenario& s) {
                return AnyLab(s, [](const Lab& l) {
                  return l.kind == LabKind::kPlatelets && !l.comparator.empty();
                });
              })),
              0.9 * r.platelet_comparator, 0.015);
  EXPECT_NEAR(rate(Count([](const Scenario& s) {
                return AnyLab(s, [](const Lab& l) {
                  return l.kind == LabKind::kPlatelets &&
                         (l.form != LabValueForm::kQuantity || l.unit == "/[HPF]");
                });
              })),
              0.9 * r.platelet_unreadable, 0.015);
  EXPECT_NEAR(rate(Count([](const Scenario& s) {
                return AnyLab(s, [](const Lab& l) { return l.status != LabStatus::kFinal; });
              })),
              0.9 * r.platelet_status, 0.015);
  EXPECT_NEAR(rate(Count([](const Scenario& s) {
                return AnyLab(s, [](const Lab& l) {
                  return l.kind == LabKind::kCreatinine && !l.loinc.empty();
                });
              })),
              0.9 * r.creatinine_alternate, 0.03);
  EXPECT_NEAR(rate(Count([](const Scenario& s) { return !s.allergies.empty(); })),
              0.02 + r.allergy, 0.02);  // plus the clean generator's 2% aspirin allergies
  EXPECT_NEAR(rate(Count([](const Scenario& s) {
                return AnyMed(s, [](const MedicationOrder& m) {
                  return m.purpose == MedPurpose::kCatheterFlush;
                });
              })),
              0.15 * r.heparin_flush, 0.015);  // 15% have a tunneled catheter
  EXPECT_NEAR(rate(Count([](const Scenario& s) { return !s.extra_races.empty(); })),
              0.965 * r.several_races, 0.015);
  EXPECT_NEAR(rate(Count([](const Scenario& s) {
                return AnyMed(s, [](const MedicationOrder& m) {
                  return m.drug == Drug::kRifampin || m.drug == Drug::kKetoconazole;
                });
              })),
              r.cyp3a4_pgp_interaction, 0.012);
  EXPECT_NEAR(rate(Count([](const Scenario& s) {
                return AnyMed(s, [](const MedicationOrder& m) {
                  return m.status == MedStatus::kOnHold || m.ended.has_value();
                });
              })),
              r.anticoagulant_held_or_ended, 0.015);
}

// Every representation shows up, in every form it has, so the safety invariants over this
// population meet each of them.
TEST(MessyPopulationTest, EveryFormShowsUp) {
  std::map<std::string, int> seen;
  for (const Scenario& s : MessyPopulation()) {
    for (const Lab& l : s.labs) {
      if (!l.comparator.empty()) ++seen["comparator " + l.comparator + l.value];
      if (l.form == LabValueForm::kString) ++seen["valueString"];
      if (l.form == LabValueForm::kDataAbsent) ++seen["dataAbsentReason"];
      if (l.unit == "/[HPF]") ++seen["unknown unit"];
      if (!l.loinc.empty()) ++seen["LOINC " + l.loinc];
      if (l.status == LabStatus::kPreliminary) ++seen["preliminary"];
      if (l.status == LabStatus::kEnteredInError) ++seen["entered-in-error"];
      if (l.status == LabStatus::kCancelled) ++seen["cancelled"];
    }
    for (const AllergySpec& a : s.allergies) {
      if (a.reaction == AllergyReaction::kHit) ++seen["heparin allergy with HIT"];
      if (a.substance == Drug::kEnoxaparin) ++seen["enoxaparin allergy"];
      if (a.substance == Drug::kIbuprofen) ++seen["NSAID allergy"];
      if (a.substance == Drug::kApixaban) ++seen["apixaban allergy"];
      if (a.verification == AllergyVerification::kRefuted) ++seen["refuted allergy"];
      if (a.verification == AllergyVerification::kEnteredInError) ++seen["allergy in error"];
      if (a.clinical == AllergyClinical::kResolved) ++seen["resolved allergy"];
      if (a.text_only) ++seen["allergy as text"];
    }
    for (const ConditionSpec& c : s.conditions) {
      if (c.kind == ConditionKind::kGastricUlcerHaemorrhage) ++seen["K25.4"];
      if (c.kind == ConditionKind::kHaematuria) ++seen["R31.9"];
      if (c.kind == ConditionKind::kPepticUlcer) ++seen["K27.9"];
      if (c.kind == ConditionKind::kDialysis) ++seen["Z99.2"];
      if (c.kind == ConditionKind::kEsrd) ++seen["N18.6"];
    }
    for (const MedicationOrder& m : s.medications) {
      if (m.duplicate_record && m.resource == MedResource::kMedicationStatement) {
        ++seen["duplicate as statement"];
      }
      if (m.duplicate_record && m.resource == MedResource::kMedicationDispense) {
        ++seen["duplicate as dispense"];
      }
      if (m.status == MedStatus::kOnHold) ++seen["on hold"];
      if (m.ended && s.now - *m.ended < absl::Hours(24 * 30)) ++seen["ended within 30 days"];
      if (m.ended && s.now - *m.ended > absl::Hours(24 * 30)) ++seen["ended long ago"];
      if (m.purpose == MedPurpose::kCatheterFlush) ++seen["heparin flush"];
      if (m.drug == Drug::kRifampin) ++seen["rifampin"];
      if (m.drug == Drug::kKetoconazole) ++seen["ketoconazole"];
      if (IsAnticoagulantDrug(m.drug) && !m.dosing) ++seen["anticoagulant of unknown dose"];
    }
    for (Race extra : s.extra_races) {
      if (extra == Race::kAsian || s.race == Race::kAsian) ++seen["several races with Asian"];
    }
    double kg = 0;
    if (!s.vitals.weight_kg.empty() && absl::SimpleAtod(s.vitals.weight_kg, &kg) &&
        kg < (s.sex == Sex::kFemale ? 45 : 57)) {
      ++seen["low body weight"];
    }
  }
  for (const char* what :
       {"comparator <10", "comparator >100", "comparator <100", "comparator >90", "valueString",
        "dataAbsentReason", "unknown unit", "LOINC 26515-7", "LOINC 778-1", "LOINC 14682-9",
        "LOINC 38483-4", "LOINC 62238-1", "preliminary", "entered-in-error", "cancelled",
        "heparin allergy with HIT", "enoxaparin allergy", "NSAID allergy", "apixaban allergy",
        "refuted allergy", "allergy in error", "resolved allergy", "allergy as text", "K25.4",
        "R31.9", "K27.9", "Z99.2", "N18.6", "duplicate as statement", "duplicate as dispense",
        "on hold", "ended within 30 days", "ended long ago", "heparin flush", "rifampin",
        "ketoconazole", "several races with Asian", "low body weight",
        "anticoagulant of unknown dose"}) {
    EXPECT_GT(seen[what], 0) << what;
  }
}

// With every rate at 0 the population is the clean generator's; with the default rates a patient
// differs from its clean twin only by what was drawn: same seed, same clean conditions and
// procedures first, and most patients identical byte for byte.
TEST(MessyPopulationTest, MessyDrawsLeaveTheCleanPatientAlone) {
  int identical = 0;
  for (int i = 0; i < kN; ++i) {
    const Scenario& clean = Population()[i];
    const Scenario& messy = MessyPopulation()[i];
    ASSERT_EQ(clean.seed, messy.seed) << i;
    ASSERT_LE(clean.conditions.size(), messy.conditions.size()) << i;
    for (size_t c = 0; c < clean.conditions.size(); ++c) {
      EXPECT_EQ(clean.conditions[c].kind, messy.conditions[c].kind) << i;
    }
    EXPECT_EQ(clean.procedures.size(), messy.procedures.size()) << i;
    EXPECT_EQ(clean.race, messy.race) << i;
    ASSERT_OK_AND_ASSIGN(const fhir::r4::Bundle a, BuildBundle(clean));
    ASSERT_OK_AND_ASSIGN(const fhir::r4::Bundle b, BuildBundle(messy));
    identical += a.SerializeAsString() == b.SerializeAsString() ? 1 : 0;
  }
  // The default rates sum to about 0.85 per patient (the eGFR variant alone 0.2), so about 45%
  // of patients draw nothing and stay identical.
  EXPECT_GT(identical, kN * 35 / 100);
  EXPECT_LT(identical, kN);
}

// Messy bundles print as FHIR JSON and parse back to the same Bundle (comparators, valueString,
// dataAbsentReason, MedicationDispense, AllergyIntolerance statuses, several race categories).
TEST(MessyPopulationTest, EveryMessyBundleRoundTripsThroughJson) {
  MessyRates every;  // every representation far more often than real, to meet each in 300
  for (double* rate : {&every.platelet_alternate_code, &every.platelet_comparator,
                       &every.platelet_unreadable, &every.platelet_old_low,
                       &every.platelet_status, &every.creatinine_alternate,
                       &every.creatinine_unreadable, &every.allergy, &every.bleeding,
                       &every.peptic_ulcer, &every.duplicate_regimen, &every.several_races,
                       &every.anticoagulant_held_or_ended, &every.dialysis,
                       &every.cyp3a4_pgp_interaction, &every.low_body_weight,
                       &every.anticoagulant_unknown_dose}) {
    *rate = 0.3;
  }
  every.heparin_flush = 1;
  const std::vector<Scenario> population = RandomPopulation(300, kSeed + 1, Now(), every);
  for (size_t i = 0; i < population.size(); ++i) {
    ASSERT_OK_AND_ASSIGN(const fhir::r4::Bundle built, BuildBundle(population[i]));
    ASSERT_THAT(UnresolvedReferences(built), IsEmpty()) << "patient " << i;
    fhir::r4::ContainedResource resource;
    *resource.mutable_bundle() = built;
    ASSERT_OK_AND_ASSIGN(const std::string json, fhir::PrintResource(resource));
    ASSERT_OK_AND_ASSIGN(const fhir::r4::Bundle parsed, fhir::ParseAs<fhir::r4::Bundle>(json));
    EXPECT_THAT(parsed, EqualsProto(built)) << "patient " << i;
  }
}

}  // namespace
}  // namespace thrombo::synth
