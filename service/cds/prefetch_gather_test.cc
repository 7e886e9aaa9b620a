// Copyright 2026 The Thrombo Authors.
// The prefetch loop against a scripted FhirFetcher: paginated prefetch is followed with the
// client's token or marked incomplete, error outcomes among entries make a category incomplete,
// and nothing is fetched without fhirAuthorization.
#include "service/cds/prefetch_gather.h"

#include <map>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "fhir/json_parser.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thrombo::service {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kToken[] = "client-access-token";
constexpr char kNext[] = "https://ehr.example.org/fhir/MedicationRequest?page=2";

fhir::r4::ContainedResource Resource(const std::string& json) {
  absl::StatusOr<fhir::ParsedResource> parsed = fhir::ParseResource(json);
  EXPECT_TRUE(parsed.ok()) << parsed.status() << json;
  return parsed.ok() ? parsed->resource : fhir::r4::ContainedResource();
}

std::string Order(const std::string& id, const std::string& drug) {
  return R"({"resourceType":"MedicationRequest","id":")" + id +
         R"(","status":"active","intent":"order","subject":{"reference":"Patient/p1"},)"
         R"("medicationCodeableConcept":{"text":")" + drug + R"("}})";
}

std::string Searchset(const std::vector<std::string>& entries, const std::string& next = "",
                      const std::string& outcome = "") {
  std::string json = R"({"resourceType":"Bundle","type":"searchset")";
  if (!next.empty()) json += R"(,"link":[{"relation":"next","url":")" + next + R"("}])";
  json += R"(,"entry":[)";
  for (size_t i = 0; i < entries.size(); ++i) {
    json += (i ? "," : "") + std::string(R"({"resource":)") + entries[i] +
            R"(,"search":{"mode":"match"}})";
  }
  if (!outcome.empty()) {
    json += (entries.empty() ? "" : ",") + std::string(R"({"resource":)") + outcome +
            R"(,"search":{"mode":"outcome"}})";
  }
  return json + "]}";
}

std::string Outcome(const std::string& severity) {
  return R"({"resourceType":"OperationOutcome","issue":[{"severity":")" + severity +
         R"(","code":"processing","diagnostics":"archive partition unavailable"}]})";
}

// Answers page_url requests with `pages`, query requests with `queries`; records every call.
class ScriptedFetcher final : public FhirFetcher {
 public:
  absl::StatusOr<fhir::r4::ContainedResource> Fetch(const FetchRequest& request) const override {
    absl::MutexLock lock(&mu_);
    calls_.push_back(request);
    const std::string& key = request.page_url.empty() ? request.query : request.page_url;
    auto it = answers_.find(key);
    if (it == answers_.end()) return absl::UnavailableError("GET /fhir: HTTP 503");
    return Resource(it->second);
  }
  void Answer(const std::string& query_or_page, const std::string& json) {
    answers_[query_or_page] = json;
  }
  std::vector<FetchRequest> calls() const {
    absl::MutexLock lock(&mu_);
    return calls_;
  }

 private:
  std::map<std::string, std::string> answers_;
  mutable absl::Mutex mu_;
  mutable std::vector<FetchRequest> calls_;
};

const std::map<std::string, std::string> kTemplates = {
    {"medicationRequests", "MedicationRequest?patient={{context.patientId}}&status=active"},
    {"allergies", "AllergyIntolerance?patient={{context.patientId}}"},
};

v1::EvaluateHookRequest Request(bool authorized) {
  v1::EvaluateHookRequest request;
  request.set_hook("order-sign");
  (*request.mutable_context())["patientId"] = "p1";
  (*request.mutable_context())["userId"] = "Practitioner/u1";
  request.set_fhir_server("https://ehr.example.org/fhir");
  if (authorized) request.mutable_fhir_authorization()->set_access_token(kToken);
  (*request.mutable_prefetch())["allergies"] = Resource(Searchset({}));
  return request;
}

const fhir::r4::Bundle& MedicationBundle(const GatheredPrefetch& gathered) {
  for (const fhir::r4::ContainedResource* source : gathered.sources) {
    if (source->has_bundle() && !source->bundle().entry().empty() &&
        source->bundle().entry(0).resource().has_medication_request()) {
      return source->bundle();
    }
  }
  static const fhir::r4::Bundle kEmpty;
  return kEmpty;
}

TEST(GatherPrefetch, NextLinkIsFollowedWithTheClientsToken) {
  v1::EvaluateHookRequest request = Request(/*authorized=*/true);
  (*request.mutable_prefetch())["medicationRequests"] =
      Resource(Searchset({Order("m1", "lenalidomide")}, kNext));
  ScriptedFetcher fetcher;
  fetcher.Answer(kNext, Searchset({Order("m2", "apixaban 5 mg")}));
  const GatheredPrefetch gathered =
      GatherPrefetch(request, kTemplates, &fetcher, absl::InfiniteFuture());
  ASSERT_THAT(fetcher.calls(), SizeIs(1));
  EXPECT_EQ(fetcher.calls()[0].page_url, kNext);
  EXPECT_EQ(fetcher.calls()[0].bearer_token, kToken);
  const fhir::r4::Bundle& merged = MedicationBundle(gathered);
  ASSERT_EQ(merged.entry_size(), 2);
  EXPECT_EQ(merged.entry(1).resource().medication_request().id(), "m2");
  EXPECT_FALSE(HasMorePages(merged));
  EXPECT_TRUE(gathered.available.medication_requests);
  EXPECT_FALSE(gathered.medications_incomplete);
  EXPECT_THAT(gathered.incomplete_data, IsEmpty());
}

TEST(GatherPrefetch, NextPageThatFailsMakesTheCategoryIncomplete) {
  v1::EvaluateHookRequest request = Request(/*authorized=*/true);
  (*request.mutable_prefetch())["medicationRequests"] =
      Resource(Searchset({Order("m1", "lenalidomide")}, kNext));
  ScriptedFetcher fetcher;  // answers nothing: 503
  const GatheredPrefetch gathered =
      GatherPrefetch(request, kTemplates, &fetcher, absl::InfiniteFuture());
  EXPECT_EQ(MedicationBundle(gathered).entry_size(), 1);  // what arrived still counts
  EXPECT_FALSE(gathered.available.medication_requests);
  EXPECT_TRUE(gathered.available.allergies);
  EXPECT_TRUE(gathered.medications_incomplete);
  EXPECT_THAT(gathered.missing, IsEmpty());  // not missing: a 412 would hide the IMiD card
  ASSERT_THAT(gathered.incomplete_data, SizeIs(1));
  EXPECT_THAT(gathered.incomplete_data[0], HasSubstr("Medication orders (MedicationRequest)"));
  EXPECT_THAT(gathered.incomplete_data[0], HasSubstr("next page could not be fetched"));
  const PrefetchOutcome& outcome = gathered.outcomes[1];  // keys in order: allergies, meds
  EXPECT_EQ(outcome.key, "medicationRequests");
  EXPECT_TRUE(outcome.incomplete);
  EXPECT_THAT(outcome.error, HasSubstr("HTTP 503"));
}

TEST(GatherPrefetch, NextLinkWithoutFhirAuthorizationIsNotFollowed) {
  v1::EvaluateHookRequest request = Request(/*authorized=*/false);
  (*request.mutable_prefetch())["medicationRequests"] =
      Resource(Searchset({Order("m1", "lenalidomide")}, kNext));
  ScriptedFetcher fetcher;
  fetcher.Answer(kNext, Searchset({Order("m2", "apixaban 5 mg")}));
  const GatheredPrefetch gathered =
      GatherPrefetch(request, kTemplates, &fetcher, absl::InfiniteFuture());
  EXPECT_THAT(fetcher.calls(), IsEmpty());
  EXPECT_FALSE(gathered.available.medication_requests);
  EXPECT_TRUE(gathered.medications_incomplete);
  ASSERT_THAT(gathered.incomplete_data, SizeIs(1));
  EXPECT_THAT(gathered.incomplete_data[0], HasSubstr("no FHIR access"));
}

TEST(GatherPrefetch, ErrorOutcomeAmongEntriesIsIncompleteButWarningsAreNot) {
  v1::EvaluateHookRequest request = Request(/*authorized=*/true);
  (*request.mutable_prefetch())["medicationRequests"] =
      Resource(Searchset({Order("m1", "lenalidomide")}, "", Outcome("error")));
  ScriptedFetcher fetcher;
  GatheredPrefetch gathered = GatherPrefetch(request, kTemplates, &fetcher, absl::InfiniteFuture());
  EXPECT_FALSE(gathered.available.medication_requests);
  ASSERT_THAT(gathered.incomplete_data, SizeIs(1));
  EXPECT_THAT(gathered.incomplete_data[0], HasSubstr("reported an error for part of the search"));
  EXPECT_THAT(gathered.outcomes[1].error, HasSubstr("archive partition unavailable"));
  EXPECT_THAT(fetcher.calls(), IsEmpty());

  (*request.mutable_prefetch())["medicationRequests"] =
      Resource(Searchset({Order("m1", "lenalidomide")}, "", Outcome("warning")));
  gathered = GatherPrefetch(request, kTemplates, &fetcher, absl::InfiniteFuture());
  EXPECT_TRUE(gathered.available.medication_requests);
  EXPECT_THAT(gathered.incomplete_data, IsEmpty());
}

TEST(GatherPrefetch, BundleOfOnlyOutcomesIsAFailureOnlyWhenOneIsAnError) {
  v1::EvaluateHookRequest request = Request(/*authorized=*/true);
  ScriptedFetcher fetcher;
  fetcher.Answer("MedicationRequest?patient=p1&status=active",
                 Searchset({Order("m1", "lenalidomide")}));
  // A warning alone: the search worked and found nothing. Used as sent, not refetched.
  (*request.mutable_prefetch())["medicationRequests"] =
      Resource(Searchset({}, "", Outcome("warning")));
  GatheredPrefetch gathered = GatherPrefetch(request, kTemplates, &fetcher, absl::InfiniteFuture());
  EXPECT_THAT(fetcher.calls(), IsEmpty());
  EXPECT_EQ(gathered.outcomes[1].source, PrefetchOutcome::Source::kPrefetch);
  EXPECT_TRUE(gathered.available.medication_requests);
  // An error alone: the client's fetch failed, so the service fetches the key itself.
  (*request.mutable_prefetch())["medicationRequests"] =
      Resource(Searchset({}, "", Outcome("fatal")));
  gathered = GatherPrefetch(request, kTemplates, &fetcher, absl::InfiniteFuture());
  EXPECT_THAT(fetcher.calls(), SizeIs(1));
  EXPECT_EQ(gathered.outcomes[1].source, PrefetchOutcome::Source::kFetched);
  EXPECT_TRUE(gathered.available.medication_requests);
}

TEST(GatherPrefetch, NothingIsFetchedWithoutFhirAuthorization) {
  v1::EvaluateHookRequest request = Request(/*authorized=*/false);
  ScriptedFetcher fetcher;
  fetcher.Answer("MedicationRequest?patient=p1&status=active", Searchset({}));
  const GatheredPrefetch gathered =
      GatherPrefetch(request, kTemplates, &fetcher, absl::InfiniteFuture());
  EXPECT_THAT(fetcher.calls(), IsEmpty());
  EXPECT_THAT(gathered.missing, ElementsAre("medicationRequests"));
  EXPECT_FALSE(gathered.available.medication_requests);
  EXPECT_THAT(gathered.outcomes[1].error, HasSubstr("no fhirAuthorization"));
}

TEST(GatherPrefetch, MissingKeyIsFetchedWithTheToken) {
  v1::EvaluateHookRequest request = Request(/*authorized=*/true);
  ScriptedFetcher fetcher;
  fetcher.Answer("MedicationRequest?patient=p1&status=active",
                 Searchset({Order("m1", "lenalidomide")}));
  const GatheredPrefetch gathered =
      GatherPrefetch(request, kTemplates, &fetcher, absl::InfiniteFuture());
  ASSERT_THAT(fetcher.calls(), SizeIs(1));
  EXPECT_EQ(fetcher.calls()[0].bearer_token, kToken);
  EXPECT_EQ(gathered.outcomes[1].source, PrefetchOutcome::Source::kFetched);
  EXPECT_TRUE(gathered.available.medication_requests);
  EXPECT_EQ(MedicationBundle(gathered).entry_size(), 1);
}

}  // namespace
}  // namespace thrombo::service
