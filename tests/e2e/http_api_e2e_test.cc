// Copyright 2026 The Thrombo Authors.
// End-to-end tests of the CDS Hooks HTTP API over 127.0.0.1: discovery, the three hooks, every
// error status, JWT checks, CORS, health and metrics, as a CDS client would see them.
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/e2e/service_stack.h"

namespace thrombo::e2e {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;


class HttpApiE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { StartStack({}); }

  void StartStack(StackOptions options) {
    stack_.reset();
    absl::StatusOr<std::unique_ptr<ServiceStack>> stack = ServiceStack::Start(options);
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
  }

  rapidjson::Document Example(const std::string& file) {
    rapidjson::Document doc = LoadExample(file, stack_->fhir().base_url());
    EXPECT_FALSE(doc.HasParseError()) << "examples/" << file << " is missing or not JSON";
    return doc;
  }

  // POSTs examples/`file` to `path` with a valid token.
  ClientResponse PostExample(const std::string& path, const std::string& file) {
    return stack_->PostJson(path, ToJson(Example(file)));
  }

  std::unique_ptr<ServiceStack> stack_;
};

std::string Lower(std::string text) { return absl::AsciiStrToLower(text); }

// The OperationOutcome's issue[0].code, "" when absent.
std::string IssueCode(const ClientResponse& response) {
  rapidjson::Document doc = ParseJson(response.body);
  if (!doc.IsObject() || !doc.HasMember("issue") || !doc["issue"].IsArray() ||
      doc["issue"].Empty() || !doc["issue"][0].HasMember("code")) {
    return "";
  }
  return doc["issue"][0]["code"].GetString();
}

// ---- discovery -----------------------------------------------------------------------------

TEST_F(HttpApiE2eTest, DiscoveryListsThreeServicesWithPrefetchTemplates) {
  ClientResponse response = stack_->Get("/cds-services");
  ASSERT_EQ(response.status, 200) << response.error << response.body;
  EXPECT_THAT(response.Header("content-type"), HasSubstr("application/json"));
  rapidjson::Document doc = ParseJson(response.body);
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("services") && doc["services"].IsArray())
      << response.body;
  std::vector<std::string> pairs;
  for (const auto& service : doc["services"].GetArray()) {
    ASSERT_TRUE(service.HasMember("hook") && service.HasMember("id")) << ToJson(service);
    pairs.push_back(absl::StrCat(service["id"].GetString(), "=", service["hook"].GetString()));
    ASSERT_TRUE(service.HasMember("description") && service["description"].IsString());
    EXPECT_GT(service["description"].GetStringLength(), 0u);
    ASSERT_TRUE(service.HasMember("prefetch") && service["prefetch"].IsObject())
        << ToJson(service);
    const auto& prefetch = service["prefetch"];
    ASSERT_TRUE(prefetch.HasMember("patient"));
    EXPECT_STREQ(prefetch["patient"].GetString(), "Patient/{{context.patientId}}");
    ASSERT_TRUE(prefetch.HasMember("medicationRequests"));
    EXPECT_THAT(std::string(prefetch["medicationRequests"].GetString()),
                HasSubstr("MedicationRequest?patient={{context.patientId}}"));
    for (const auto& member : prefetch.GetObject()) {
      // Every template is a relative read or search with only context tokens (§A4).
      const std::string query = member.value.GetString();
      EXPECT_FALSE(absl::StartsWith(query, "http")) << query;
      EXPECT_THAT(query, HasSubstr("{{context.patientId}}")) << member.name.GetString();
    }
  }
  EXPECT_THAT(pairs, UnorderedElementsAre("thrombo-patient-view=patient-view",
                                          "thrombo-order-select=order-select",
                                          "thrombo-order-sign=order-sign"));
}

TEST_F(HttpApiE2eTest, DiscoveryWithoutJwtIs401) {
  ClientResponse response = stack_->Get("/cds-services", /*authorize=*/false);
  EXPECT_EQ(response.status, 401) << response.body;
  EXPECT_THAT(OperationOutcomeProblems(response), IsEmpty());
  EXPECT_EQ(IssueCode(response), "login") << response.body;
}

// ---- the three hooks -----------------------------------------------------------------------

struct HookCase {
  const char* path;
  const char* file;
};

class HookE2eTest : public HttpApiE2eTest, public ::testing::WithParamInterface<HookCase> {};

TEST_P(HookE2eTest, FullPrefetchGivesValidCardWithMedicationRequestSuggestionsAtSigning) {
  ClientResponse response = PostExample(GetParam().path, GetParam().file);
  ASSERT_EQ(response.status, 200) << response.error << response.body;
  EXPECT_THAT(response.Header("content-type"), HasSubstr("application/json"));
  EXPECT_THAT(CdsResponseProblems(response.body), IsEmpty()) << response.body;

  rapidjson::Document doc = ParseJson(response.body);
  ASSERT_TRUE(doc.IsObject() && doc["cards"].IsArray() && !doc["cards"].Empty())
      << response.body;
  // The prophylaxis card comes first; its first suggestion is the enoxaparin order
  // (golden vignette 2).
  const auto& card = doc["cards"][0];
  if (std::string(GetParam().path) == kOrderSelect) {
    // order-select names the order without offering it: the one-click order comes with the
    // order-sign card, once the order set is complete (docs/operations.md, "Cards across
    // hooks"), so two cards never offer the same order.
    EXPECT_FALSE(card.HasMember("suggestions")) << ToJson(card);
    EXPECT_THAT(Lower(card["detail"].GetString()), HasSubstr("**recommended:** enoxaparin"));
    return;
  }
  ASSERT_TRUE(card.HasMember("suggestions")) << ToJson(card);
  int medication_requests = 0;
  for (const auto& suggestion : card["suggestions"].GetArray()) {
    ASSERT_TRUE(suggestion.HasMember("actions")) << ToJson(suggestion);
    for (const auto& action : suggestion["actions"].GetArray()) {
      ASSERT_TRUE(action.HasMember("resource")) << ToJson(action);
      EXPECT_STREQ(action["type"].GetString(), "create");
      EXPECT_STREQ(action["resource"]["resourceType"].GetString(), "MedicationRequest");
      ++medication_requests;
    }
  }
  EXPECT_GT(medication_requests, 0);
  const std::string first = Lower(ToJson(card["suggestions"][0]));
  EXPECT_THAT(first, HasSubstr("enoxaparin")) << ToJson(card["suggestions"][0]);
  // The draft order is for this patient.
  EXPECT_THAT(first, HasSubstr("patient/v2"));
  // Everything was prefetched, so the FHIR server was never asked.
  for (const char* type : {"Patient", "MedicationRequest", "Observation", "Condition"}) {
    EXPECT_EQ(stack_->fhir().Hits(type), 0) << type;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Hooks, HookE2eTest,
    ::testing::Values(HookCase{kOrderSign, "order-sign-thalidomide.json"},
                      HookCase{kOrderSelect, "order-select-thalidomide.json"},
                      HookCase{kPatientView, "patient-view.json"}),
    [](const ::testing::TestParamInfo<HookCase>& info) {
      std::string name = std::string(info.param.path).substr(std::string("/cds-services/").size());
      for (char& c : name) {
        if (c == '-') c = '_';
      }
      return name;
    });

// order-select then order-sign for the same thalidomide order: a client that clears stale
// cards by service id keeps both cards, so exactly one of them may carry the one-click order,
// and both are the same card (uuid) for a client that de-duplicates (docs/operations.md,
// "Cards across hooks").
TEST_F(HttpApiE2eTest, OrderSelectThenOrderSignGiveOneCardWithOneSetOfButtons) {
  ClientResponse selected = PostExample(kOrderSelect, "order-select-thalidomide.json");
  ClientResponse signing = PostExample(kOrderSign, "order-sign-thalidomide.json");
  ASSERT_EQ(selected.status, 200) << selected.body;
  ASSERT_EQ(signing.status, 200) << signing.body;
  rapidjson::Document select_doc = ParseJson(selected.body);
  rapidjson::Document sign_doc = ParseJson(signing.body);
  ASSERT_FALSE(select_doc["cards"].Empty()) << selected.body;
  ASSERT_FALSE(sign_doc["cards"].Empty()) << signing.body;
  const auto& at_select = select_doc["cards"][0];
  const auto& at_sign = sign_doc["cards"][0];
  EXPECT_STREQ(at_select["uuid"].GetString(), at_sign["uuid"].GetString());
  EXPECT_FALSE(at_select.HasMember("suggestions")) << ToJson(at_select);
  ASSERT_TRUE(at_sign.HasMember("suggestions")) << ToJson(at_sign);
  int recommended = 0;
  for (const auto& s : at_sign["suggestions"].GetArray()) {
    recommended += s.HasMember("isRecommended") && s["isRecommended"].GetBool();
  }
  EXPECT_EQ(recommended, 1) << ToJson(at_sign);
  EXPECT_STREQ(at_select["summary"].GetString(), at_sign["summary"].GetString());
}

TEST_F(HttpApiE2eTest, NoImidGivesEmptyCards) {
  // Patient view of the same patient with the thalidomide order taken out of the record.
  rapidjson::Document request = Example("patient-view.json");
  auto& entries = request["prefetch"]["medicationRequests"]["entry"];
  for (auto it = entries.Begin(); it != entries.End();) {
    if (Lower(ToJson(*it)).find("thalidomide") != std::string::npos) {
      it = entries.Erase(it);
    } else {
      ++it;
    }
  }
  ClientResponse response = stack_->PostJson(kPatientView, ToJson(request));
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document doc = ParseJson(response.body);
  ASSERT_TRUE(doc.IsObject()) << response.body;
  ASSERT_TRUE(doc.HasMember("cards") && doc["cards"].IsArray()) << response.body;
  EXPECT_TRUE(doc["cards"].Empty()) << response.body;
  EXPECT_EQ(doc.MemberCount(), 1u) << "want exactly {\"cards\": []}: " << response.body;
}

TEST_F(HttpApiE2eTest, OrderSignWithoutImidDraftGivesEmptyCards) {
  rapidjson::Document request = Example("order-sign-thalidomide.json");
  // Swap the thalidomide draft for a plain paracetamol order.
  auto& medication = request["context"]["draftOrders"]["entry"][0]["resource"]
                            ["medicationCodeableConcept"];
  medication["coding"][0]["code"].SetString("161");
  medication["coding"][0]["display"].SetString("acetaminophen");
  medication["text"].SetString("acetaminophen 500 MG Oral Tablet");
  ClientResponse response = stack_->PostJson(kOrderSign, ToJson(request));
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document doc = ParseJson(response.body);
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("cards")) << response.body;
  EXPECT_TRUE(doc["cards"].Empty()) << response.body;
}

TEST_F(HttpApiE2eTest, UnauthenticatedModeAcceptsCallsWithoutJwt) {
  StackOptions options;
  options.authenticate = false;
  StartStack(options);
  EXPECT_EQ(stack_->Get("/cds-services", /*authorize=*/false).status, 200);
  ClientResponse response = stack_->PostJson(
      kOrderSign, ToJson(Example("order-sign-thalidomide.json")), /*authorize=*/false);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(CdsResponseProblems(response.body), IsEmpty());
}

// ---- error statuses ------------------------------------------------------------------------


TEST_F(HttpApiE2eTest, MalformedJsonIs400WithLineAndColumn) {
  ClientResponse response =
      stack_->PostJson(kOrderSign, "{\n  \"hook\": \"order-sign\",\n  \"hookInstance\": ,\n}");
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_THAT(OperationOutcomeProblems(response), IsEmpty());
  EXPECT_THAT(response.body, HasSubstr("line 3"));
  EXPECT_THAT(Lower(response.body), HasSubstr("column"));
  EXPECT_EQ(IssueCode(response), "structure") << response.body;  // not well-formed JSON
}

// A JSON syntax error names no element, so the OperationOutcome should carry no FHIRPath
// expression (or at least not the position text, which is not a path).
TEST_F(HttpApiE2eTest, MalformedJsonOutcomeHasNoBogusExpression) {
  ClientResponse response =
      stack_->PostJson(kOrderSign, "{\n  \"hook\": \"order-sign\",\n  \"hookInstance\": ,\n}");
  ASSERT_EQ(response.status, 400) << response.body;
  rapidjson::Document doc = ParseJson(response.body);
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("issue")) << response.body;
  const auto& issue = doc["issue"][0];
  if (issue.HasMember("expression")) {
    for (const auto& e : issue["expression"].GetArray()) {
      EXPECT_THAT(std::string(e.GetString()), ::testing::Not(HasSubstr("line ")))
          << "expression holds the diagnostics' position text: " << response.body;
    }
  }
}

TEST_F(HttpApiE2eTest, WrongHookForServiceIs400) {
  ClientResponse response = PostExample(kPatientView, "order-sign-thalidomide.json");
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_THAT(OperationOutcomeProblems(response, "hook"), IsEmpty());
  EXPECT_EQ(IssueCode(response), "value") << response.body;
}

// Real clients' quirks are accepted by the tolerant hook path (docs/operations.md): a missing
// hookInstance names the cards from the call instead of refusing the clinician a card.
TEST_F(HttpApiE2eTest, MissingHookInstanceStillGetsNamedCards) {
  rapidjson::Document request = Example("order-sign-thalidomide.json");
  request.RemoveMember("hookInstance");
  ClientResponse response = stack_->PostJson(kOrderSign, ToJson(request));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(CdsResponseProblems(response.body), IsEmpty());
  EXPECT_FALSE(ParseJson(response.body)["cards"].Empty());
}

TEST_F(HttpApiE2eTest, HookInstanceOfTheWrongTypeIs400) {
  rapidjson::Document request = Example("order-sign-thalidomide.json");
  request["hookInstance"].SetObject();
  ClientResponse response = stack_->PostJson(kOrderSign, ToJson(request));
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_THAT(OperationOutcomeProblems(response, "hookInstance"), IsEmpty());
}

TEST_F(HttpApiE2eTest, MissingPatientIdIs400) {
  rapidjson::Document request = Example("order-sign-thalidomide.json");
  request["context"].RemoveMember("patientId");
  ClientResponse response = stack_->PostJson(kOrderSign, ToJson(request));
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_THAT(OperationOutcomeProblems(response, "context.patientId"), IsEmpty());
  EXPECT_EQ(IssueCode(response), "required") << response.body;
}

TEST_F(HttpApiE2eTest, MissingDraftOrdersIs400) {
  rapidjson::Document request = Example("order-sign-thalidomide.json");
  request["context"].RemoveMember("draftOrders");
  ClientResponse response = stack_->PostJson(kOrderSign, ToJson(request));
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_THAT(OperationOutcomeProblems(response, "context.draftOrders"), IsEmpty());
}

TEST_F(HttpApiE2eTest, PreOneZeroUserFieldStandsInForContextUserId) {
  // order-sign requires context.userId; a pre-1.0 client sends it as the top-level "user".
  rapidjson::Document request = Example("order-sign-thalidomide.json");
  request["context"].RemoveMember("userId");
  ClientResponse refused = stack_->PostJson(kOrderSign, ToJson(request));
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_THAT(OperationOutcomeProblems(refused, "context.userId"), IsEmpty());

  request.AddMember("user", "Practitioner/example", request.GetAllocator());
  request["hookInstance"].SetString("1f0a3c1e-5b2d-4e7f-9a61-000000000001");
  ClientResponse response = stack_->PostJson(kOrderSign, ToJson(request));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_FALSE(ParseJson(response.body)["cards"].Empty());
}

TEST_F(HttpApiE2eTest, WrongShapedFhirInPrefetchIsDroppedNotRefused) {
  // Patient.gender as a number: left out (the sex is then not recorded, which the facts read
  // as UNKNOWN); the clinician still gets the card.
  rapidjson::Document request = Example("order-sign-thalidomide.json");
  SetPrefetchJson(&request, "patient",
                  R"({"resourceType":"Patient","id":"v2","birthDate":"1958-03-02","gender":42})");
  ClientResponse response = stack_->PostJson(kOrderSign, ToJson(request));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(CdsResponseProblems(response.body), IsEmpty());
  EXPECT_FALSE(ParseJson(response.body)["cards"].Empty());
  const ClientResponse metrics = stack_->Get("/metrics", /*authorize=*/false);
  EXPECT_THAT(metrics.body, HasSubstr(R"(thrombo_hook_deviations_total{kind="dropped_element"})"));
}

TEST_F(HttpApiE2eTest, AMalformedElementTheDecisionDoesNotReadCostsNothingAndIsCounted) {
  // Patient.name and Patient.maritalStatus are modelled but no fact reads them: given the wrong
  // JSON type they are skipped, not judged as the full reader would, so the clinician gets the
  // same cards; each is counted (kind unread_malformed) and named in the call's log line.
  rapidjson::Document request = Example("order-sign-thalidomide.json");
  const ClientResponse clean = stack_->PostJson(kOrderSign, ToJson(request));
  ASSERT_EQ(clean.status, 200) << clean.body;
  rapidjson::Value& patient = request["prefetch"]["patient"];
  patient.AddMember("name", "Jane Doe", request.GetAllocator());
  patient.AddMember("maritalStatus", 7, request.GetAllocator());
  request["hookInstance"].SetString("1f0a3c1e-5b2d-4e7f-9a61-000000000002");
  const ClientResponse response = stack_->PostJson(kOrderSign, ToJson(request));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_THAT(CdsResponseProblems(response.body), IsEmpty());
  const rapidjson::Document cards = ParseJson(response.body);
  const rapidjson::Document clean_cards = ParseJson(clean.body);
  ASSERT_EQ(cards["cards"].Size(), clean_cards["cards"].Size());
  for (rapidjson::SizeType i = 0; i < cards["cards"].Size(); ++i) {
    EXPECT_STREQ(cards["cards"][i]["summary"].GetString(),
                 clean_cards["cards"][i]["summary"].GetString());
    EXPECT_STREQ(cards["cards"][i]["detail"].GetString(),
                 clean_cards["cards"][i]["detail"].GetString());
  }
  const ClientResponse metrics = stack_->Get("/metrics", /*authorize=*/false);
  EXPECT_THAT(metrics.body,
              HasSubstr(R"(thrombo_hook_deviations_total{kind="unread_malformed"} 2)"));
}

TEST_F(HttpApiE2eTest, MetricsSayWhichReaderReadEachCall) {
  // A clean example: the projection reader writes every resource straight into its proto.
  rapidjson::Document request = Example("order-sign-thalidomide.json");
  ASSERT_EQ(stack_->PostJson(kOrderSign, ToJson(request)).status, 200);
  // A null where the decision reads: that resource goes through the tolerant handler, and the
  // clinician still gets the card.
  request["prefetch"]["patient"]["gender"].SetNull();
  request["hookInstance"].SetString("1f0a3c1e-5b2d-4e7f-9a61-000000000003");
  const ClientResponse messy = stack_->PostJson(kOrderSign, ToJson(request));
  ASSERT_EQ(messy.status, 200) << messy.body;
  EXPECT_FALSE(ParseJson(messy.body)["cards"].Empty());
  // Not JSON: the full reader answers, with its 400.
  EXPECT_EQ(stack_->PostJson(kOrderSign, "{\"hook\": ").status, 400);
  const std::string metrics = stack_->Get("/metrics", /*authorize=*/false).body;
  EXPECT_THAT(metrics, HasSubstr(R"(thrombo_hook_reads_total{reader="projection"} 2)"));
  EXPECT_THAT(metrics, HasSubstr(R"(thrombo_hook_reads_total{reader="full"} 1)"));
  EXPECT_THAT(metrics, HasSubstr(R"(thrombo_hook_resources_read_total{path="handler"} 1)"));
  EXPECT_THAT(metrics, HasSubstr(R"(thrombo_hook_resources_read_total{path="direct"})"));
}

TEST_F(HttpApiE2eTest, PrefetchPatientOtherThanContextIs400) {
  rapidjson::Document request = Example("order-sign-thalidomide.json");
  request["prefetch"]["patient"]["id"].SetString("someone-else");
  ClientResponse response = stack_->PostJson(kOrderSign, ToJson(request));
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_THAT(OperationOutcomeProblems(response, "prefetch.patient"), IsEmpty());
}

// The JWT negatives (no token, bad signature, expired, wrong audience, issuer not allowed,
// replay, alg none, HS256 with the public key, and many more) are one table over the hook,
// discovery and feedback endpoints: tests/e2e/jwt_negatives_e2e_test.cc.

ClientRequest HookRequest(const std::string& path, const std::string& body,
                          const std::string& token) {
  ClientRequest request;
  request.method = "POST";
  request.target = path;
  request.headers = {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}};
  request.body = body;
  return request;
}

TEST_F(HttpApiE2eTest, UnknownServiceIdIs404) {
  ClientResponse response =
      stack_->PostJson("/cds-services/no-such-service", ToJson(Example("patient-view.json")));
  EXPECT_EQ(response.status, 404) << response.body;
  EXPECT_THAT(OperationOutcomeProblems(response), IsEmpty());
}

TEST_F(HttpApiE2eTest, UnknownPathIs404) {
  ClientResponse response = stack_->Get("/no/such/path");
  EXPECT_EQ(response.status, 404) << response.body;
  EXPECT_THAT(OperationOutcomeProblems(response), IsEmpty());
}

TEST_F(HttpApiE2eTest, GetOnHookIs405WithAllow) {
  ClientResponse response = stack_->Get(kOrderSign);
  EXPECT_EQ(response.status, 405) << response.body;
  EXPECT_THAT(response.Header("allow"), HasSubstr("POST"));
  EXPECT_THAT(OperationOutcomeProblems(response), IsEmpty());
}

TEST_F(HttpApiE2eTest, BodyOverLimitIs413) {
  // The stack's limit is 256 KiB; a valid request padded past it with JSON whitespace.
  std::string body = ToJson(Example("order-sign-thalidomide.json"));
  body.insert(1, std::string(300 * 1024, ' '));
  ClientResponse response = stack_->PostJson(kOrderSign, body);
  EXPECT_EQ(response.status, 413) << response.error << response.body.substr(0, 300);
  EXPECT_THAT(OperationOutcomeProblems(response), IsEmpty());
}

TEST_F(HttpApiE2eTest, TextPlainIs415) {
  ClientRequest request = HookRequest(kOrderSign, ToJson(Example("order-sign-thalidomide.json")),
                                      stack_->Token(kOrderSign));
  request.headers[0].second = "text/plain";
  ClientResponse response = stack_->Raw(request);
  EXPECT_EQ(response.status, 415) << response.body;
  EXPECT_THAT(OperationOutcomeProblems(response), IsEmpty());
}

TEST_F(HttpApiE2eTest, FhirJsonContentTypeIsAccepted) {
  ClientRequest request = HookRequest(kOrderSign, ToJson(Example("order-sign-thalidomide.json")),
                                      stack_->Token(kOrderSign));
  request.headers[0].second = "application/fhir+json; charset=utf-8";
  ClientResponse response = stack_->Raw(request);
  EXPECT_EQ(response.status, 200) << response.body;
}

// ---- JWT -----------------------------------------------------------------------------------

TEST_F(HttpApiE2eTest, Es384TokenForTheExactUrlIsAccepted) {
  TokenSpec spec;
  spec.aud = std::string(kBaseUrl) + "/cds-services";
  ClientRequest request;
  request.target = "/cds-services";
  request.headers = {{"Authorization", "Bearer " + stack_->Token("/cds-services", spec)}};
  EXPECT_EQ(stack_->Raw(request).status, 200);
}

// ---- CORS, health, metrics -----------------------------------------------------------------

TEST_F(HttpApiE2eTest, CorsPreflightAllowsAuthorizationHeader) {
  ClientRequest request;
  request.method = "OPTIONS";
  request.target = kOrderSign;
  request.headers = {{"Origin", kAllowedOrigin},
                     {"Access-Control-Request-Method", "POST"},
                     {"Access-Control-Request-Headers", "authorization, content-type"}};
  ClientResponse response = stack_->Raw(request);
  EXPECT_GE(response.status, 200);
  EXPECT_LT(response.status, 300);
  EXPECT_EQ(response.Header("access-control-allow-origin"), kAllowedOrigin);
  EXPECT_THAT(Lower(response.Header("access-control-allow-headers")), HasSubstr("authorization"));
  EXPECT_THAT(response.Header("access-control-allow-methods"), HasSubstr("POST"));
}

TEST_F(HttpApiE2eTest, CorsPreflightFromUnknownOriginGetsNoAllowOrigin) {
  ClientRequest request;
  request.method = "OPTIONS";
  request.target = kOrderSign;
  request.headers = {{"Origin", "https://evil.e2e.test"},
                     {"Access-Control-Request-Method", "POST"}};
  ClientResponse response = stack_->Raw(request);
  EXPECT_EQ(response.Header("access-control-allow-origin"), "");
}

TEST_F(HttpApiE2eTest, HookResponseCarriesAllowOriginForAllowedOrigin) {
  ClientRequest request = HookRequest(kOrderSign, ToJson(Example("order-sign-thalidomide.json")),
                                      stack_->Token(kOrderSign));
  request.headers.push_back({"Origin", kAllowedOrigin});
  ClientResponse response = stack_->Raw(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.Header("access-control-allow-origin"), kAllowedOrigin);
}

TEST_F(HttpApiE2eTest, HealthAndReadiness) {
  ClientResponse health = stack_->Get("/healthz", /*authorize=*/false);
  EXPECT_EQ(health.status, 200) << health.body;
  ClientResponse ready = stack_->Get("/readyz", /*authorize=*/false);
  EXPECT_EQ(ready.status, 200) << ready.body;
}

TEST_F(HttpApiE2eTest, MetricsCountRecommendationsAndRequests) {
  ASSERT_EQ(PostExample(kOrderSign, "order-sign-thalidomide.json").status, 200);
  // The server records a request after writing its response, so the client can get there
  // first: poll (boundedly) until the hook call has been counted.
  ClientResponse metrics;
  const absl::Time give_up = absl::Now() + absl::Seconds(10);
  do {
    metrics = stack_->Get("/metrics", /*authorize=*/false);
    ASSERT_EQ(metrics.status, 200);
    if (absl::StrContains(metrics.body, "route=\"/cds-services/{id}\"")) break;
    absl::SleepFor(absl::Milliseconds(20));
  } while (absl::Now() < give_up);
  EXPECT_THAT(metrics.Header("content-type"), HasSubstr("text/plain"));
  EXPECT_THAT(metrics.body, HasSubstr("thrombo_recommendations_total{"));
  EXPECT_THAT(metrics.body, HasSubstr("http_requests_total{"));
  EXPECT_THAT(metrics.body, HasSubstr("route=\"/cds-services/{id}\""));
}

}  // namespace
}  // namespace thrombo::e2e
