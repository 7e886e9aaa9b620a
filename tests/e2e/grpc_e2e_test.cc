// Copyright 2026 The Thrombo Authors.
// End-to-end tests of the gRPC service over an in-process channel: one round trip per method,
// JWT metadata, and the canonical error codes a gRPC client branches on.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "fhir/json_parser.h"
#include "gmock/gmock.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "proto/thrombo/v1/service.grpc.pb.h"
#include "risk/engine.h"
#include "service/auth/jwt_verifier.h"
#include "service/auth/test_keys.h"
#include "service/cds/hook_audit.h"
#include "service/cds/hook_request_json.h"
#include "service/cds/hook_service.h"
#include "service/grpc/grpc_service.h"
#include "service/store/feedback_store.h"
#include "service/store/test_records.h"
#include "tests/e2e/service_stack.h"

namespace thrombo::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr char kGrpcAudience[] = "https://cds.e2e.test/grpc";

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(absl::ToUnixSeconds(time));
  return timestamp;
}

// The gRPC service over an in-process channel, with no fetcher (no fhirServer fetches), its
// hook calls audited in a temp SQLite store.
class GrpcE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string path = absl::StrCat(::testing::TempDir(), "/grpc-audit.db");
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
    absl::StatusOr<std::unique_ptr<service::store::FeedbackStore>> store =
        service::store::FeedbackStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    absl::StatusOr<std::unique_ptr<service::HookAudit>> audit =
        service::HookAudit::Create(store_.get(), &registry_, nullptr);
    ASSERT_TRUE(audit.ok()) << audit.status();
    audit_ = *std::move(audit);
    Start(/*authenticate=*/false);
  }

  void Start(bool authenticate) {
    server_.reset();
    service_.reset();
    verifier_.reset();
    hooks_ = std::make_unique<service::HookService>(risk::Engine::Default(), nullptr,
                                                    [] { return EvaluationTime(); });
    if (authenticate) {
      key_ = auth::testing::GenerateEcKey("P-384");
      auth::JwtVerifierOptions options;
      auth::IssuerConfig issuer;
      issuer.issuer = kIssuer;
      issuer.jwks_json =
          auth::testing::JwksOf({auth::testing::PublicJwk(key_.get(), kKeyId, "ES384")});
      options.issuers.push_back(issuer);
      absl::StatusOr<std::unique_ptr<auth::JwtVerifier>> verifier =
          auth::JwtVerifier::Create(options);
      ASSERT_TRUE(verifier.ok()) << verifier.status();
      verifier_ = *std::move(verifier);
    }
    service_ = std::make_unique<service::ThromboGrpcService>(
        risk::Engine::Default(), *hooks_, verifier_.get(), kGrpcAudience, audit_.get());
    grpc::ServerBuilder builder;
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::ThromboprophylaxisService::NewStub(
        server_->InProcessChannel(grpc::ChannelArguments()));
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  std::string Token() const {
    const absl::Time now = absl::Now();
    static int counter = 0;
    return auth::testing::SignToken(
        key_.get(), auth::JwsAlgorithm::kES384,
        absl::StrCat(R"({"alg":"ES384","typ":"JWT","kid":")", kKeyId, R"("})"),
        absl::StrCat(R"({"iss":")", kIssuer, R"(","aud":")", kGrpcAudience, R"(","exp":)",
                     absl::ToUnixSeconds(now + absl::Minutes(5)), R"(,"iat":)",
                     absl::ToUnixSeconds(now), R"(,"jti":"grpc-)", ++counter, "-",
                     absl::ToUnixNanos(now), R"("})"));
  }

  // A typed EvaluateHookRequest from examples/`file`, parsed the way the HTTP route parses
  // it; with no fhirServer, since this service has no fetcher.
  static v1::EvaluateHookRequest HookRequest(const std::string& file,
                                             const std::string& service_id) {
    rapidjson::Document doc = ParseJson(ReadSourceFile("examples/" + file));
    EXPECT_FALSE(doc.HasParseError()) << file;
    doc.RemoveMember("fhirServer");
    absl::StatusOr<v1::EvaluateHookRequest> request =
        service::ParseHookRequestJson(ToJson(doc));
    EXPECT_TRUE(request.ok()) << request.status();
    v1::EvaluateHookRequest typed = request.ok() ? *request : v1::EvaluateHookRequest();
    typed.set_service_id(service_id);
    return typed;
  }

  // The audit rows committed so far, as `thrombo feedback export --audit` prints them.
  std::vector<std::string> AuditLines() {
    absl::StatusOr<std::vector<std::string>> lines =
        service::store::test_records::CommittedAuditLines(*store_);
    EXPECT_TRUE(lines.ok()) << lines.status();
    return lines.value_or(std::vector<std::string>());
  }

  std::unique_ptr<service::store::FeedbackStore> store_;
  service::http::MetricsRegistry registry_;
  std::unique_ptr<service::HookAudit> audit_;
  std::unique_ptr<service::HookService> hooks_;
  auth::EvpPkeyPtr key_;
  std::unique_ptr<auth::JwtVerifier> verifier_;
  std::unique_ptr<service::ThromboGrpcService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::ThromboprophylaxisService::Stub> stub_;
};

TEST_F(GrpcE2eTest, AssessGoldenVignette2GivesAssessmentAndCards) {
  absl::StatusOr<fhir::r4::Bundle> bundle =
      fhir::ParseAs<fhir::r4::Bundle>(ReadSourceFile("tests/golden/vignette-2.json"));
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  v1::AssessRequest request;
  *request.mutable_bundle() = *bundle;
  *request.mutable_evaluation_time() = ToTimestamp(EvaluationTime());
  request.set_patient_id("v2");
  v1::AssessResponse response;
  grpc::ClientContext context;
  grpc::Status status = stub_->Assess(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  EXPECT_EQ(response.assessment().patient_id(), "v2");
  EXPECT_EQ(response.assessment().recommendation().action(), v1::Recommendation::ANTICOAGULANT);
  ASSERT_GT(response.cards_size(), 0);
  const v1::CdsCard& card = response.cards(0);
  ASSERT_GT(card.suggestions_size(), 0);
  ASSERT_GT(card.suggestions(0).actions_size(), 0);
  const auto& resource = card.suggestions(0).actions(0).resource();
  ASSERT_TRUE(resource.has_medication_request());
  EXPECT_THAT(absl::AsciiStrToLower(resource.medication_request().DebugString()),
              HasSubstr("enoxaparin"));
  EXPECT_EQ(card.selection_behavior(), "at-most-one");
}

// A record sent as a Bundle (read where it lies), as loose resources or as Bundle JSON (each
// built into a Bundle of the call's own) is one record: the same answer, field for field.
TEST_F(GrpcE2eTest, AssessAnswersTheSameForEachWayOfSendingTheRecord) {
  const std::string json = ReadSourceFile("tests/golden/vignette-2.json");
  absl::StatusOr<fhir::r4::Bundle> bundle = fhir::ParseAs<fhir::r4::Bundle>(json);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  v1::AssessRequest as_bundle;
  *as_bundle.mutable_bundle() = *bundle;
  v1::AssessRequest as_resources;
  for (const fhir::r4::Bundle_Entry& entry : bundle->entry()) {
    *as_resources.mutable_resources()->add_resource() = entry.resource();
  }
  v1::AssessRequest as_json;
  as_json.set_bundle_json(json);
  std::vector<v1::AssessResponse> responses;
  for (v1::AssessRequest* request : {&as_bundle, &as_resources, &as_json}) {
    *request->mutable_evaluation_time() = ToTimestamp(EvaluationTime());
    request->set_patient_id("v2");
    grpc::ClientContext context;
    grpc::Status status = stub_->Assess(&context, *request, &responses.emplace_back());
    ASSERT_TRUE(status.ok()) << request->record_case() << ": " << status.error_message();
  }
  EXPECT_EQ(responses[0].assessment().recommendation().action(),
            v1::Recommendation::ANTICOAGULANT);
  EXPECT_GT(responses[0].assessment().facts().ByteSizeLong(), 0u);
  for (size_t i = 1; i < responses.size(); ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(responses[0], responses[i]))
        << "record sent the " << i << "th other way:\n"
        << responses[i].DebugString().substr(0, 2000);
  }
}

TEST_F(GrpcE2eTest, EvaluateHookWithTypedRequestGivesCards) {
  v1::CdsHooksResponse response;
  grpc::ClientContext context;
  grpc::Status status = stub_->EvaluateHook(
      &context, HookRequest("order-sign-thalidomide.json", "thrombo-order-sign"), &response);
  ASSERT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  ASSERT_GT(response.cards_size(), 0);
  EXPECT_FALSE(response.cards(0).uuid().empty());
  EXPECT_LT(response.cards(0).summary().size(), 140u);
  ASSERT_GT(response.cards(0).suggestions_size(), 0);
  EXPECT_TRUE(response.cards(0).suggestions(0).actions(0).resource().has_medication_request());
}

TEST_F(GrpcE2eTest, ListServicesGivesThree) {
  v1::CdsServices response;
  grpc::ClientContext context;
  grpc::Status status = stub_->ListServices(&context, v1::ListServicesRequest(), &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<std::string> ids;
  for (const v1::CdsService& s : response.services()) ids.push_back(s.id());
  EXPECT_THAT(ids, UnorderedElementsAre("thrombo-patient-view", "thrombo-order-select",
                                        "thrombo-order-sign"));
}

TEST_F(GrpcE2eTest, WrongHookIsInvalidArgument) {
  v1::CdsHooksResponse response;
  grpc::ClientContext context;
  grpc::Status status = stub_->EvaluateHook(
      &context, HookRequest("order-sign-thalidomide.json", "thrombo-patient-view"), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status.error_message();
}

TEST_F(GrpcE2eTest, AssessWithoutEvaluationTimeIsInvalidArgument) {
  v1::AssessRequest request;
  request.set_bundle_json(ReadSourceFile("tests/golden/vignette-2.json"));
  v1::AssessResponse response;
  grpc::ClientContext context;
  EXPECT_EQ(stub_->Assess(&context, request, &response).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(GrpcE2eTest, UnknownServiceIsNotFound) {
  v1::CdsHooksResponse response;
  grpc::ClientContext context;
  grpc::Status status = stub_->EvaluateHook(
      &context, HookRequest("order-sign-thalidomide.json", "no-such-service"), &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
}

// A hook call over gRPC leaves the audit row a call over HTTP leaves: its hookInstance, patient,
// the cards and suggestions answered, and the action.
TEST_F(GrpcE2eTest, EvaluateHookLeavesItsAuditRow) {
  const v1::EvaluateHookRequest request =
      HookRequest("order-sign-thalidomide.json", "thrombo-order-sign");
  v1::CdsHooksResponse response;
  grpc::ClientContext context;
  grpc::Status status = stub_->EvaluateHook(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_code() << " " << status.error_message();
  ASSERT_GT(response.cards_size(), 0);
  ASSERT_GT(response.cards(0).suggestions_size(), 0);
  const std::vector<std::string> lines = AuditLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], HasSubstr(absl::StrCat("\"serviceId\":\"thrombo-order-sign\",\"hook\":\"",
                                               request.hook(), "\",\"hookInstance\":\"",
                                               request.hook_instance(), "\"")));
  EXPECT_THAT(lines[0], HasSubstr(absl::StrCat("\"patientId\":\"",
                                               request.context().at("patientId"), "\"")));
  EXPECT_THAT(lines[0], HasSubstr(absl::StrCat("\"cards\":[\"", response.cards(0).uuid(), "\"")));
  EXPECT_THAT(lines[0], HasSubstr(response.cards(0).suggestions(0).uuid()));
  EXPECT_THAT(lines[0], HasSubstr("\"action\":\"ANTICOAGULANT\""));
}

TEST_F(GrpcE2eTest, MissingRequiredPrefetchIsFailedPrecondition) {
  v1::EvaluateHookRequest request = HookRequest("order-sign-thalidomide.json", "thrombo-order-sign");
  request.mutable_prefetch()->erase("medicationRequests");
  v1::CdsHooksResponse response;
  grpc::ClientContext context;
  grpc::Status status = stub_->EvaluateHook(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << status.error_message();
  EXPECT_THAT(status.error_message(), HasSubstr("medicationRequests"));
  // Audited as the HTTP route audits it: the refusal's HTTP status, no cards.
  const std::vector<std::string> lines = AuditLines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], HasSubstr("\"action\":\"412\""));
  EXPECT_THAT(lines[0], ::testing::Not(HasSubstr("\"cards\"")));
}

TEST_F(GrpcE2eTest, WithVerifierCallsNeedBearerMetadata) {
  Start(/*authenticate=*/true);
  {
    v1::CdsServices response;
    grpc::ClientContext context;
    EXPECT_EQ(stub_->ListServices(&context, v1::ListServicesRequest(), &response).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  {
    v1::CdsServices response;
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + Token());
    grpc::Status status = stub_->ListServices(&context, v1::ListServicesRequest(), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(response.services_size(), 3);
  }
}

// The shipped app serving gRPC: each call counted in /metrics and logged as an HTTP request is,
// by method and code, with nothing of the request in the line.
TEST(GrpcServedByTheApp, CallsAreCountedAndLoggedLikeHttpRequests) {
  StackOptions options;
  options.authenticate = false;
  options.grpc = true;
  absl::StatusOr<std::unique_ptr<ServiceStack>> stack = ServiceStack::Start(options);
  ASSERT_TRUE(stack.ok()) << stack.status();
  ASSERT_NE((*stack)->grpc_port(), 0);
  std::unique_ptr<v1::ThromboprophylaxisService::Stub> stub =
      v1::ThromboprophylaxisService::NewStub(
          grpc::CreateChannel(absl::StrCat("127.0.0.1:", (*stack)->grpc_port()),
                              grpc::InsecureChannelCredentials()));
  for (int i = 0; i < 2; ++i) {
    v1::CdsServices services;
    grpc::ClientContext context;
    EXPECT_TRUE(stub->ListServices(&context, v1::ListServicesRequest(), &services).ok());
  }
  {
    v1::EvaluateHookRequest request;
    request.set_service_id("thrombo-order-sign");
    request.set_hook("patient-view");  // the wrong hook for this service
    v1::CdsHooksResponse response;
    grpc::ClientContext context;
    EXPECT_EQ(stub->EvaluateHook(&context, request, &response).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }

  const std::string metrics = (*stack)->Get("/metrics", /*authorize=*/false).body;
  EXPECT_THAT(metrics, HasSubstr("grpc_server_handled_total{grpc_service=\"thrombo.v1."
                                 "ThromboprophylaxisService\",grpc_method=\"ListServices\","
                                 "grpc_code=\"OK\"} 2\n"));
  EXPECT_THAT(metrics, HasSubstr("grpc_server_handled_total{grpc_service=\"thrombo.v1."
                                 "ThromboprophylaxisService\",grpc_method=\"EvaluateHook\","
                                 "grpc_code=\"INVALID_ARGUMENT\"} 1\n"));
  EXPECT_THAT(metrics, HasSubstr("grpc_server_handling_seconds_count{grpc_service=\"thrombo.v1."
                                 "ThromboprophylaxisService\",grpc_method=\"ListServices\"} "
                                 "2\n"));

  (*stack)->StopServer();
  std::vector<std::string> lines;
  for (const absl::string_view line : absl::StrSplit((*stack)->Log(), '\n')) {
    if (absl::StrContains(line, "\"msg\":\"grpc request\"")) lines.emplace_back(line);
  }
  ASSERT_EQ(lines.size(), 3u) << (*stack)->Log();
  EXPECT_THAT(lines[0], HasSubstr("\"level\":\"info\""));
  EXPECT_THAT(lines[0], HasSubstr("\"service\":\"thrombo.v1.ThromboprophylaxisService\","
                                  "\"method\":\"ListServices\",\"code\":\"OK\""));
  EXPECT_THAT(lines[0], HasSubstr("\"remote\":\"127.0.0.1\""));
  EXPECT_THAT(lines[2], HasSubstr("\"method\":\"EvaluateHook\","
                                  "\"code\":\"INVALID_ARGUMENT\",\"latency_ms\":"));
  EXPECT_THAT(lines[2], ::testing::Not(HasSubstr("patient-view")));
}

}  // namespace
}  // namespace thrombo::e2e
