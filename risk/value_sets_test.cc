// Copyright 2026 The Thrombo Authors.
// Every value set of the default policy, coded each way it lists (docs/clinical.md policy v1.1
// rule 24): a record carrying any listed code is recognised as that concept, with or without the
// ICD-10-CM dot, and a record carrying only a listed term in its text is recognised too. Where
// the codes came from is in risk/default_policy.textproto and docs/terminology.md.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "risk/policy.h"
#include "risk/terminology.h"

namespace thrombo::risk {
namespace {

const Terminology& Terms() {
  static const Terminology* t = Terminology::Create(DefaultPolicy()).value().release();
  return *t;
}

fhir::r4::CodeableConcept Coded(const v1::CodeRef& ref, bool drop_dot = false) {
  fhir::r4::CodeableConcept cc;
  auto* coding = cc.add_coding();
  coding->set_system(ref.system());
  coding->set_code(drop_dot ? absl::StrReplaceAll(ref.code(), {{".", ""}}) : ref.code());
  return cc;
}

fhir::r4::CodeableConcept Texted(const std::string& text) {
  fhir::r4::CodeableConcept cc;
  auto* coding = cc.add_coding();
  coding->set_system("http://example.org/local-codes");
  coding->set_code("LOCAL-1");
  cc.set_text(absl::StrCat("Pt has ", text, " (per chart)"));
  return cc;
}

TEST(ValueSetsTest, EveryLabCode) {
  for (const v1::LabConcept& lab : DefaultPolicy().lab()) {
    for (const v1::CodeRef& code : lab.code()) {
      EXPECT_EQ(Terms().MatchLab(Coded(code)), lab.kind()) << code.code();
    }
  }
}

TEST(ValueSetsTest, EveryDrugCodeAndTerm) {
  const bool celmods = DefaultPolicy().features().investigational_celmods_as_imid();
  for (const v1::DrugConcept& drug : DefaultPolicy().drug()) {
    if (drug.investigational() && !celmods) continue;
    auto has = [&drug](const std::vector<DrugMatch>& matches) {
      for (const DrugMatch& m : matches) {
        if (m.concept->ingredient() == drug.ingredient()) return true;
      }
      return false;
    };
    for (const v1::CodeRef& code : drug.code()) {
      EXPECT_TRUE(has(Terms().MatchDrug(Coded(code)))) << drug.ingredient() << " " << code.code();
    }
    for (const std::string& text : drug.text()) {
      EXPECT_TRUE(has(Terms().MatchDrug(Texted(text)))) << drug.ingredient() << " '" << text << "'";
    }
  }
}

TEST(ValueSetsTest, EveryConditionCodeAndTerm) {
  for (const v1::ConditionConcept& condition : DefaultPolicy().condition()) {
    auto has = [&condition](const std::vector<ConditionMatch>& matches) {
      for (const ConditionMatch& m : matches) {
        if (m.concept->role() == condition.role()) return true;
      }
      return false;
    };
    const std::string role = v1::ConditionRole_Name(condition.role());
    for (const v1::CodeRef& code : condition.code()) {
      EXPECT_TRUE(has(Terms().MatchCondition(Coded(code)))) << role << " " << code.code();
      if (code.system() == kIcd10CmSystem) {
        EXPECT_TRUE(has(Terms().MatchCondition(Coded(code, /*drop_dot=*/true))))
            << role << " " << code.code() << " without the dot";
        if (code.prefix()) {
          v1::CodeRef child = code;
          child.set_code(
              absl::StrCat(code.code(), code.code().find('.') == std::string::npos ? ".9" : "9"));
          EXPECT_TRUE(has(Terms().MatchCondition(Coded(child)))) << role << " " << child.code();
        }
      }
    }
    for (const std::string& text : condition.text()) {
      EXPECT_TRUE(has(Terms().MatchCondition(Texted(text)))) << role << " '" << text << "'";
    }
  }
}

TEST(ValueSetsTest, EveryProcedureCodeAndTerm) {
  for (const v1::ProcedureConcept& procedure : DefaultPolicy().procedure()) {
    auto has = [&procedure](const std::vector<ProcedureMatch>& matches) {
      for (const ProcedureMatch& m : matches) {
        if (m.concept->role() == procedure.role()) return true;
      }
      return false;
    };
    const std::string role = v1::ProcedureRole_Name(procedure.role());
    for (const v1::CodeRef& code : procedure.code()) {
      EXPECT_TRUE(has(Terms().MatchProcedure(Coded(code)))) << role << " " << code.code();
    }
    for (const std::string& text : procedure.text()) {
      EXPECT_TRUE(has(Terms().MatchProcedure(Texted(text)))) << role << " '" << text << "'";
    }
  }
}

// Rule 24: every value set names where its codes came from.
TEST(ValueSetsTest, EveryCodeNamesItsSource) {
  const v1::Policy& p = DefaultPolicy();
  auto check = [](const v1::CodeRef& code) {
    EXPECT_FALSE(code.source().empty()) << code.system() << "|" << code.code();
  };
  for (const auto& d : p.drug())
    for (const auto& c : d.code()) check(c);
  for (const auto& d : p.condition())
    for (const auto& c : d.code()) check(c);
  for (const auto& d : p.procedure())
    for (const auto& c : d.code()) check(c);
  for (const auto& d : p.lab())
    for (const auto& c : d.code()) check(c);
  for (const auto& c : p.flush().product()) check(c);
}

}  // namespace
}  // namespace thrombo::risk
