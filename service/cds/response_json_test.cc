// Copyright 2026 The Thrombo Authors.
// The hook route's response writer (AppendCdsResponseJson, straight from the cards) against the
// proto printer it replaced (CdsResponseToJson of CardsToResponse): the same bytes for every
// golden case, every examples/*.json request, and thousands of synthetic patients with the messy
// representations of real records, at patient-view, order-select and order-sign, with and
// without draft orders, with and without an encounter, a CdsSource url and complete prefetch.
//
// THROMBO_RESPONSE_PATIENTS sets the number of synthetic patients (default 2,000; five hook calls
// each).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "fhir/json_parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/fhir/r4/resources.pb.h"
#include "proto/thrombo/v1/service.pb.h"
#include "risk/engine.h"
#include "service/cds/cards.h"
#include "service/cds/hook_request_json.h"
#include "service/cds/hook_service.h"
#include "service/cds/response_json.h"
#include "service/synth/bundle_builder.h"
#include "service/synth/population.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service {
namespace {

namespace fs = std::filesystem;
using fhir::r4::Bundle;
using fhir::r4::ContainedResource;

const absl::Time kGoldenNow =
    absl::FromCivil(absl::CivilSecond(2026, 11, 25, 12, 0, 0), absl::UTCTimeZone());
constexpr uint64_t kPopulationSeed = 20261202;
constexpr int kDefaultPatients = 2000;
// A CdsSource url with characters JSON must escape, so the writers' escaping is compared too.
constexpr char kSourceUrl[] = "https://cds.example.org/thrombo?a=\"b\"&c=\\d\x01\t";

int PatientCount() {
  const char* env = std::getenv("THROMBO_RESPONSE_PATIENTS");
  int n = 0;
  if (env != nullptr && absl::SimpleAtoi(env, &n) && n > 0) return n;
  return kDefaultPatients;
}

fs::path SourceRoot() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  if (srcdir == nullptr || workspace == nullptr) return fs::current_path();
  std::error_code error;
  const fs::path readme = fs::canonical(fs::path(srcdir) / workspace / "README.md", error);
  return error ? fs::path() : readme.parent_path();
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string TypeOf(const ContainedResource& r) {
  const auto* field = r.GetReflection()->GetOneofFieldDescriptor(
      r, r.GetDescriptor()->FindOneofByName("resource"));
  return field == nullptr ? "" : field->message_type()->name();
}

// What the comparisons covered, so a population that never reaches a kind of output fails.
struct Coverage {
  int calls = 0;
  int cards = 0;
  int suggestions = 0;
  int stop_actions = 0;
  int encounters = 0;
  int source_urls = 0;
  std::map<std::string, int> hooks;
};

// Compares the two writers on one call's cards.
void ExpectSameBytes(const std::vector<Card>& cards, const std::string& who, Coverage* coverage) {
  absl::StatusOr<std::string> old_json = CdsResponseToJson(CardsToResponse(cards));
  ASSERT_TRUE(old_json.ok()) << who << ": " << old_json.status();
  std::string new_json = "prefix";  // appends, leaving what was there
  ASSERT_OK(AppendCdsResponseJson(cards, &new_json));
  ASSERT_EQ(new_json.substr(0, 6), "prefix");
  new_json.erase(0, 6);
  if (new_json != *old_json) {
    size_t at = 0;
    while (at < new_json.size() && at < old_json->size() && new_json[at] == (*old_json)[at]) ++at;
    const size_t from = at < 80 ? 0 : at - 80;
    FAIL() << who << ": the writers differ at byte " << at << "\n old: ..."
           << old_json->substr(from, 200) << "\n new: ..." << new_json.substr(from, 200);
  }
  ++coverage->calls;
  coverage->cards += cards.size();
  for (const Card& card : cards) {
    coverage->suggestions += card.suggestions.size();
    if (!card.source_url.empty()) ++coverage->source_urls;
    for (const CardSuggestion& s : card.suggestions) {
      if (!s.stop_resource_id.empty()) ++coverage->stop_actions;
      if (!s.order.encounter_id.empty()) ++coverage->encounters;
    }
  }
}

// A strict hook request for `service` over `record`: every resource of a prefetch key's type
// under that key (the patient as a resource), `drafts` (may be null) as context.draftOrders.
v1::EvaluateHookRequest RequestFor(const v1::CdsService& service, const Bundle& record,
                                   const Bundle* drafts, absl::Time now, int variant) {
  v1::EvaluateHookRequest request;
  request.set_service_id(service.id());
  request.set_hook(service.hook());
  request.set_hook_instance(absl::StrCat("instance-", variant));
  std::string patient_id;
  for (const Bundle::Entry& e : record.entry()) {
    if (e.resource().has_patient()) patient_id = e.resource().patient().id();
  }
  (*request.mutable_context())["patientId"] = patient_id;
  (*request.mutable_context())["userId"] = "Practitioner/p1";
  if (variant % 2 == 0) (*request.mutable_context())["encounterId"] = absl::StrCat("enc-", variant);
  request.mutable_evaluation_time()->set_seconds(absl::ToUnixSeconds(now));
  if (drafts != nullptr) *request.mutable_draft_orders() = *drafts;
  for (const auto& [key, url] : service.prefetch()) {
    // Every fifth variant leaves out the optional statements, so the cards say the medication
    // list is incomplete and hold their one-click orders.
    if (variant % 5 == 4 && key == "medicationStatements") continue;
    const std::string type = url.substr(0, url.find_first_of("?/"));
    ContainedResource& value = (*request.mutable_prefetch())[key];
    if (type == "Patient") {
      for (const Bundle::Entry& e : record.entry()) {
        if (e.resource().has_patient()) *value.mutable_patient() = e.resource().patient();
      }
      continue;
    }
    Bundle& searchset = *value.mutable_bundle();
    searchset.set_type(fhir::r4::BundleTypeCode::SEARCHSET);
    for (const Bundle::Entry& e : record.entry()) {
      if (TypeOf(e.resource()) == type || (type == "MedicationRequest" &&
                                           e.resource().has_medication())) {
        *searchset.add_entry() = e;
      }
    }
  }
  return request;
}

// Splits `all` into the record and the draft orders: MedicationRequest number `pick` (of those
// in the bundle) becomes a draft; Medications are in both (a draft may reference one).
bool SplitDraft(const Bundle& all, int pick, Bundle* record, Bundle* drafts,
                std::string* selection) {
  int requests = 0;
  for (const Bundle::Entry& e : all.entry()) requests += e.resource().has_medication_request();
  if (requests == 0) return false;
  pick %= requests;
  record->Clear();
  drafts->Clear();
  drafts->set_type(fhir::r4::BundleTypeCode::COLLECTION);
  std::string patient_id;
  for (const Bundle::Entry& e : all.entry()) {
    if (e.resource().has_patient()) patient_id = e.resource().patient().id();
  }
  int index = 0;
  for (const Bundle::Entry& e : all.entry()) {
    if (e.resource().has_medication()) *drafts->add_entry() = e;
    if (e.resource().has_medication_request() && index++ == pick) {
      Bundle::Entry& draft = *drafts->add_entry();
      draft = e;
      fhir::r4::MedicationRequest& order = *draft.mutable_resource()->mutable_medication_request();
      order.set_status(fhir::r4::MedicationRequestStatusCode::DRAFT);
      order.mutable_subject()->set_reference(absl::StrCat("Patient/", patient_id));
      *selection = absl::StrCat("MedicationRequest/", order.id());
      continue;
    }
    *record->add_entry() = e;
  }
  return true;
}

class ResponseWriterTest : public ::testing::Test {
 protected:
  ResponseWriterTest()
      : plain_(risk::Engine::Default(), nullptr, [] { return kGoldenNow; }),
        with_url_(risk::Engine::Default(), nullptr, [] { return kGoldenNow; },
                  HookServiceOptions{absl::Milliseconds(350), kSourceUrl}) {}

  const v1::CdsService& Service(const std::string& hook) const {
    for (const v1::CdsService& s : plain_.discovery().services()) {
      if (s.hook() == hook) return s;
    }
    ADD_FAILURE() << "no service for " << hook;
    return plain_.discovery().services(0);
  }

  // Every hook over one patient's bundle: patient-view on the whole record; with each
  // MedicationRequest chosen by `pick` as the draft, order-select and order-sign; order-sign
  // with an empty draftOrders.
  void CompareHooks(const Bundle& all, absl::Time now, int pick, int variant,
                    const std::string& who, Coverage* coverage) {
    const HookService& hooks = variant % 3 == 0 ? with_url_ : plain_;
    auto evaluate = [&](const v1::EvaluateHookRequest& request, const std::string& what) {
      absl::StatusOr<HookResult> result = hooks.Evaluate(request);
      ASSERT_TRUE(result.ok()) << who << " " << what << ": " << result.status();
      ExpectSameBytes(result->cards, absl::StrCat(who, " ", what), coverage);
      ++coverage->hooks[absl::StrCat(request.hook(), " ", what)];
    };
    evaluate(RequestFor(Service("patient-view"), all, nullptr, now, variant), "without drafts");
    Bundle empty;
    empty.set_type(fhir::r4::BundleTypeCode::COLLECTION);
    evaluate(RequestFor(Service("order-sign"), all, &empty, now, variant), "without drafts");
    Bundle record;
    Bundle drafts;
    std::string selection;
    if (!SplitDraft(all, pick, &record, &drafts, &selection)) return;
    evaluate(RequestFor(Service("order-sign"), record, &drafts, now, variant), "with drafts");
    v1::EvaluateHookRequest select =
        RequestFor(Service("order-select"), record, &drafts, now, variant);
    select.add_selections(selection);
    evaluate(select, "with drafts");
  }

  HookService plain_;
  HookService with_url_;
};

TEST_F(ResponseWriterTest, GoldenCasesGiveTheSameBytes) {
  Coverage coverage;
  for (int n = 1; n <= 8; ++n) {
    const fs::path path = SourceRoot() / "tests" / "golden" / absl::StrCat("vignette-", n, ".json");
    ASSERT_OK_AND_ASSIGN(Bundle bundle, fhir::ParseAs<Bundle>(ReadFile(path)));
    int requests = 0;
    for (const Bundle::Entry& e : bundle.entry()) requests += e.resource().has_medication_request();
    // Each MedicationRequest in turn as the draft being ordered; every variant of context.
    for (int pick = 0; pick < std::max(requests, 1); ++pick) {
      for (int variant = 0; variant < 6; ++variant) {
        CompareHooks(bundle, kGoldenNow, pick, variant,
                     absl::StrCat(path.filename().string(), " draft ", pick, " variant ", variant),
                     &coverage);
        if (HasFatalFailure()) return;
      }
    }
  }
  EXPECT_GT(coverage.suggestions, 0);
  EXPECT_GT(coverage.encounters, 0);
  EXPECT_GT(coverage.source_urls, 0);
}

TEST_F(ResponseWriterTest, ExamplesGiveTheSameBytes) {
  Coverage coverage;
  int files = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(SourceRoot() / "examples")) {
    if (entry.path().extension() != ".json") continue;
    ++files;
    v1::EvaluateHookRequest request;
    std::vector<HookDeviation> deviations;
    fhir::ParseOptions options;
    options.tolerant = true;  // as the HTTP route reads them
    ASSERT_OK(ParseHookRequestJson(ReadFile(entry.path()), options, &request, &deviations));
    request.set_service_id(absl::StrCat("thrombo-", request.hook()));
    for (const HookService* hooks : {&plain_, &with_url_}) {
      absl::StatusOr<HookResult> result = hooks->Evaluate(request, deviations);
      ASSERT_TRUE(result.ok()) << entry.path() << ": " << result.status();
      ExpectSameBytes(result->cards, entry.path().filename().string(), &coverage);
    }
  }
  EXPECT_EQ(files, 3);
  EXPECT_GT(coverage.suggestions, 0);
}

TEST_F(ResponseWriterTest, SyntheticPatientsGiveTheSameBytes) {
  const absl::Time now =
      absl::FromCivil(absl::CivilSecond(2026, 12, 2, 9, 0, 0), absl::UTCTimeZone());
  const int n = PatientCount();
  Coverage coverage;
  int built = 0;
  for (const synth::Scenario& s : synth::RandomPopulation(n, kPopulationSeed, now)) {
    const std::string who = absl::StrCat("RandomPopulation(", n, ", ", kPopulationSeed,
                                         ") patient ", built, " (seed ", s.seed, ")");
    absl::StatusOr<Bundle> bundle = synth::BuildBundle(s);
    ASSERT_TRUE(bundle.ok()) << who << ": " << bundle.status();
    CompareHooks(*bundle, now, built / 3, built, who, &coverage);
    if (HasFatalFailure()) return;
    ++built;
  }
  EXPECT_EQ(built, n);
  // The population must reach every kind of output the writer has.
  EXPECT_GT(coverage.suggestions, n / 4);
  EXPECT_GT(coverage.stop_actions, 0) << "no suggestion replaced a current order (rule 22)";
  EXPECT_GT(coverage.encounters, 0);
  EXPECT_GT(coverage.source_urls, 0);
  for (const auto& [hook, calls] : coverage.hooks) EXPECT_GT(calls, 0) << hook;
  EXPECT_EQ(coverage.hooks.size(), 4u);
  std::cout << coverage.calls << " calls, " << coverage.cards << " cards, "
            << coverage.suggestions << " suggestions, " << coverage.stop_actions
            << " stop actions compared\n";
}

// Every shape a draft order can take, each optional part present and absent (the members the
// writer writes once and those it writes per order meet at each of them), with record text that
// JSON must escape.
TEST(ResponseWriterDraftTest, EveryDraftOrderShapeGivesTheSameBytes) {
  Card card;
  card.uuid = "u1";
  card.summary = "summary";
  card.detail = "detail \"quoted\"\n";
  card.indicator = "warning";
  for (int shape = 0; shape < 64; ++shape) {
    CardSuggestion& s = card.suggestions.emplace_back();
    s.label = absl::StrCat("Order shape ", shape);
    s.uuid = absl::StrCat("s", shape);
    s.is_recommended = shape == 0;
    if (shape & 32) {
      s.stop_description = "Stop the current order: aspirin 81 mg";
      s.stop_resource_id = "MedicationRequest/m7";
    }
    s.create_description = "Create a draft order";
    DraftMedicationRequest& order = s.order;
    if (shape & 1) {
      order.rxnorm_code = "854235";
      order.rxnorm_display = "0.4 ML enoxaparin \"sodium\" 100 MG/ML";
    }
    order.medication_text = "enoxaparin 40 mg SC once daily";
    order.dose_text = (shape & 2) ? "40 mg\tSC" : "";
    order.doses_per_day = (shape & 4) ? 2 : 0;
    order.subcutaneous = (shape & 8) != 0;
    order.dose_mg = (shape & 16) ? 2.5 : 0;
    order.patient_id = "p\\1";
    order.encounter_id = (shape & 1) ? "" : "enc-1";
    order.authored_on = kGoldenNow;
  }
  Coverage coverage;
  ExpectSameBytes({card}, "every draft order shape", &coverage);
  EXPECT_EQ(coverage.suggestions, 64);
}

}  // namespace
}  // namespace thrombo::service
