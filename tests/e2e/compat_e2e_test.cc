// Copyright 2026 The Thrombo Authors.
// Compatibility: public CDS Hooks requests (spec 2.0.1, hook library 1.0.1, Inferno CRD,
// PDDI-CDS) from ../shared/data, never copied into the repo, sent over HTTP to the matching
// service. Each must get 200 with valid cards or a clean 4xx with an OperationOutcome; never a
// 5xx or a dropped connection. Every fhirServer is pointed at the in-test FHIR server first,
// so nothing leaves 127.0.0.1. Skips when the shared folder is absent and THROMBO_SHARED_DATA
// is unset; fails when THROMBO_SHARED_DATA names a folder that is not there (a misconfigured run
// must not pass by testing nothing).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/document.h"
#include "tests/e2e/service_stack.h"

namespace thrombo::e2e {
namespace {

namespace fs = std::filesystem;
using ::testing::IsEmpty;

// THROMBO_SHARED_DATA, else shared/data beside the checkout.
fs::path SharedDataDir() {
  if (const char* env = std::getenv("THROMBO_SHARED_DATA"); env != nullptr && *env != '\0') {
    return env;
  }
  const fs::path root = SourceRoot();
  return root.empty() ? fs::path() : root.parent_path() / "shared" / "data";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Files of `dir` whose name contains `part` and ends in .json, sorted.
std::vector<fs::path> JsonFiles(const fs::path& dir, const std::string& part = "") {
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& item : fs::directory_iterator(dir, error)) {
    const std::string name = item.path().filename().string();
    if (item.is_regular_file() && item.path().extension() == ".json" &&
        absl::StrContains(name, part)) {
      files.push_back(item.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// An IMiD order for `patient_id`: lenalidomide (RxNorm ingredient 342369).
std::string LenalidomideOrder(const std::string& patient_id, const std::string& status) {
  return absl::StrCat(
      R"({"resourceType":"MedicationRequest","id":"e2e-lenalidomide","status":")", status,
      R"(","intent":"order","medicationCodeableConcept":{"coding":[{"system":)"
      R"("http://www.nlm.nih.gov/research/umls/rxnorm","code":"342369","display":"lenalidomide"}],)"
      R"("text":"lenalidomide 25 mg"},"subject":{"reference":"Patient/)", patient_id,
      R"("},"authoredOn":"2026-11-20","dosageInstruction":[{"text":"25 mg by mouth daily on days)"
      R"( 1-21 of each 28-day cycle"}]})");
}

class CompatE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = SharedDataDir() / "cds-hooks";
    std::error_code error;
    if (!fs::is_directory(dir_, error)) {
      const char* env = std::getenv("THROMBO_SHARED_DATA");
      if (env != nullptr && *env != '\0') {
        FAIL() << "THROMBO_SHARED_DATA is set but " << dir_ << " is not a folder";
      }
      GTEST_SKIP() << "shared data folder not found (" << dir_
                   << "); set THROMBO_SHARED_DATA to run the compatibility tests";
    }
    absl::StatusOr<std::unique_ptr<ServiceStack>> stack = ServiceStack::Start();
    ASSERT_TRUE(stack.ok()) << stack.status();
    stack_ = *std::move(stack);
    // The public examples name patients this server has never seen; answer any Patient read.
    stack_->fhir().set_serve_any_patient(true);
  }

  // Points fhirServer (when present) at the in-test FHIR server.
  void PointAtLocalFhir(rapidjson::Document* request) {
    if (!request->IsObject() || !request->HasMember("fhirServer")) return;
    (*request)["fhirServer"].SetString(stack_->fhir().base_url().c_str(),
                                       request->GetAllocator());
  }

  // The service for the request's hook, or patient-view's when the hook is not one of ours
  // (the service must then refuse it cleanly).
  static std::string ServicePath(const rapidjson::Document& request) {
    std::string hook = "patient-view";
    if (request.IsObject() && request.HasMember("hook") && request["hook"].IsString()) {
      const std::string named = request["hook"].GetString();
      if (named == "order-select" || named == "order-sign") hook = named;
    }
    return "/cds-services/thrombo-" + hook;
  }

  // Asserts what any client may rely on: an answer, not a 5xx; 200 with valid cards; any 4xx
  // with an OperationOutcome.
  static void ExpectCleanAnswer(const std::string& what, const ClientResponse& response) {
    ASSERT_NE(response.status, 0) << what << ": no answer: " << response.error;
    EXPECT_LT(response.status, 500) << what << ": " << response.body;
    if (response.status == 200) {
      EXPECT_THAT(CdsResponseProblems(response.body), IsEmpty()) << what << ": " << response.body;
    } else {
      EXPECT_GE(response.status, 400) << what;
      EXPECT_THAT(OperationOutcomeProblems(response), IsEmpty()) << what;
    }
  }

  ClientResponse SendFile(const fs::path& file) {
    rapidjson::Document request = ParseJson(ReadFile(file));
    PointAtLocalFhir(&request);
    // A file that is not a JSON object is sent verbatim, as a broken client would.
    const std::string body = request.HasParseError() ? ReadFile(file) : ToJson(request);
    return stack_->PostJson(ServicePath(request), body);
  }

  fs::path dir_;
  std::unique_ptr<ServiceStack> stack_;
};

TEST_F(CompatE2eTest, SpecRequestsGetCleanAnswers) {
  std::vector<fs::path> files = JsonFiles(dir_ / "spec-2.0.1", "request");
  for (const fs::path& file : JsonFiles(dir_ / "spec-examples", "request")) files.push_back(file);
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    ExpectCleanAnswer(file.filename().string(), SendFile(file));
  }
}

// Every request file under cds-hooks/ (any depth) whose "hook" is one this service answers, as
// published: each is answered 200, or 412 where the data cannot be had; never 400, except a
// patient-view without context.patientId (nothing to assess). Prints the tally so a run shows
// how many real requests the service answers.
TEST_F(CompatE2eTest, EveryPublishedRequestForOurHooksIsAnswered) {
  std::vector<fs::path> files;
  std::error_code error;
  for (const auto& item : fs::recursive_directory_iterator(dir_, error)) {
    if (item.is_regular_file() && item.path().extension() == ".json") files.push_back(item.path());
  }
  std::sort(files.begin(), files.end());
  int answered = 0;
  int precondition_failed = 0;
  int refused = 0;
  int requests = 0;
  for (const fs::path& file : files) {
    const rapidjson::Document request = ParseJson(ReadFile(file));
    if (!request.IsObject() || !request.HasMember("hook") || !request["hook"].IsString()) continue;
    const std::string hook = request["hook"].GetString();
    if (hook != "patient-view" && hook != "order-select" && hook != "order-sign") continue;
    ++requests;
    const std::string name = fs::relative(file, dir_).string();
    SCOPED_TRACE(name);
    const ClientResponse response = SendFile(file);
    ExpectCleanAnswer(name, response);
    const bool has_patient = request.HasMember("context") && request["context"].IsObject() &&
                             request["context"].HasMember("patientId");
    if (response.status == 200 || response.status == 412) {
      ++answered;
      if (response.status == 412) ++precondition_failed;
    } else {
      ++refused;
      EXPECT_TRUE(response.status == 400 && hook == "patient-view" && !has_patient)
          << name << " got " << response.status << ": " << response.body;
    }
  }
  std::cout << "shared-data requests for our hooks: " << requests << ", answered 200/412: "
            << answered << " (412: " << precondition_failed << "), refused: " << refused << "\n";
  EXPECT_GE(requests, 15) << "fewer published requests than the folder is known to hold";
}

TEST_F(CompatE2eTest, SpecPatientViewRequestIsAnsweredWithNoCards) {
  // A complete 2.0 request for a patient on no IMiD: the patient is fetched on miss (its
  // "patientToGreet" key is not ours), and there is nothing to say.
  ClientResponse response = SendFile(dir_ / "spec-2.0.1" / "patient-view-request.json");
  ASSERT_EQ(response.status, 200) << response.body;
  rapidjson::Document doc = ParseJson(response.body);
  ASSERT_TRUE(doc.IsObject() && doc.HasMember("cards")) << response.body;
  EXPECT_TRUE(doc["cards"].Empty()) << response.body;
  EXPECT_EQ(stack_->fhir().Hits("Patient"), 1);
  EXPECT_THAT(stack_->fhir().Authorizations(),
              ::testing::Contains("Bearer some-opaque-fhir-access-token"));
}

TEST_F(CompatE2eTest, SpecRequestWithoutPatientIdIs400NamingIt) {
  ClientResponse response = SendFile(dir_ / "spec-2.0.1" / "request-with-extension.json");
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_THAT(OperationOutcomeProblems(response, "context.patientId"), IsEmpty());
}

// Repairs the two ways the hook library's R4 examples are not valid R4 JSON, so the rest of
// them can be exercised: draftOrders without the required Bundle.type, and a
// dosageInstruction.doseAndRate written as an object where R4 has an array.
void RepairHookLibraryExample(rapidjson::Value* context, rapidjson::Document::AllocatorType& alloc) {
  if (!context->HasMember("draftOrders")) return;
  rapidjson::Value& orders = (*context)["draftOrders"];
  if (!orders.HasMember("type")) orders.AddMember("type", "collection", alloc);
  for (auto& entry : orders["entry"].GetArray()) {
    rapidjson::Value& resource = entry["resource"];
    if (!resource.HasMember("dosageInstruction")) continue;
    for (auto& dosage : resource["dosageInstruction"].GetArray()) {
      if (dosage.HasMember("doseAndRate") && dosage["doseAndRate"].IsObject()) {
        rapidjson::Value list(rapidjson::kArrayType);
        list.PushBack(rapidjson::Value(dosage["doseAndRate"], alloc), alloc);
        dosage["doseAndRate"] = list;
      }
    }
  }
}

// Sends each hook-library context as a complete 2.0 request (hookInstance, fhirServer) with an
// IMiD added: to draftOrders for the order hooks, to the record (fetched on miss) for
// patient-view. Returns the answers by file name.
std::vector<std::pair<std::string, ClientResponse>> SendHookLibraryContexts(
    const fs::path& dir, ServiceStack* stack, bool repair) {
  std::vector<std::pair<std::string, ClientResponse>> answers;
  int n = 0;
  for (const fs::path& file : JsonFiles(dir)) {
    const std::string name = file.filename().string();
    const std::string hook = name.substr(0, name.find("-context"));
    rapidjson::Document source = ParseJson(ReadFile(file));
    if (!source.IsObject() || !source.HasMember("context")) {
      ADD_FAILURE() << name << " has no context";
      continue;
    }
    rapidjson::Document request(rapidjson::kObjectType);
    auto& alloc = request.GetAllocator();
    request.AddMember("hook", rapidjson::Value(hook.c_str(), alloc), alloc);
    const std::string instance = absl::StrCat("0b7a4f2e-7c1d-4e1a-9f00-00000000000", n++);
    request.AddMember("hookInstance", rapidjson::Value(instance.c_str(), alloc), alloc);
    request.AddMember("fhirServer", rapidjson::Value(stack->fhir().base_url().c_str(), alloc),
                      alloc);
    // The record comes from the FHIR server, which the service calls only with the client's
    // token (CDS Hooks 2.0: every FHIR call presents fhirAuthorization's access token).
    rapidjson::Value authorization(rapidjson::kObjectType);
    authorization.AddMember("access_token", rapidjson::Value(kFhirAccessToken, alloc), alloc);
    authorization.AddMember("token_type", "Bearer", alloc);
    authorization.AddMember("expires_in", 300, alloc);
    authorization.AddMember("scope", "patient/*.read", alloc);
    authorization.AddMember("subject", "thrombo", alloc);
    request.AddMember("fhirAuthorization", authorization, alloc);
    rapidjson::Value context(source["context"], alloc);
    const std::string patient_id = context["patientId"].GetString();
    if (hook == "patient-view") {
      stack->fhir().SetSearch("MedicationRequest", {LenalidomideOrder(patient_id, "active")});
    } else {
      stack->fhir().SetSearch("MedicationRequest", {});
      rapidjson::Document order = ParseJson(LenalidomideOrder(patient_id, "draft"));
      rapidjson::Value entry(rapidjson::kObjectType);
      entry.AddMember("resource", rapidjson::Value(order, alloc), alloc);
      context["draftOrders"]["entry"].PushBack(entry, alloc);
      if (hook == "order-select") {
        context["selections"].PushBack("MedicationRequest/e2e-lenalidomide", alloc);
      }
    }
    if (repair) RepairHookLibraryExample(&context, alloc);
    request.AddMember("context", context, alloc);
    answers.emplace_back(name, stack->PostJson("/cds-services/thrombo-" + hook, ToJson(request)));
  }
  return answers;
}

TEST_F(CompatE2eTest, HookLibraryContextsAsPublishedGetCleanAnswers) {
  const auto answers = SendHookLibraryContexts(dir_ / "hook-library-1.0.1", stack_.get(),
                                               /*repair=*/false);
  ASSERT_EQ(answers.size(), 4u);
  for (const auto& [name, response] : answers) {
    // As published (draftOrders without Bundle.type, doseAndRate as one object) they are read
    // by the tolerant hook path and answered like their repaired copies.
    ExpectCleanAnswer(name, response);
    ASSERT_EQ(response.status, 200) << name << ": " << response.body;
    EXPECT_FALSE(ParseJson(response.body)["cards"].Empty()) << name << ": IMiD but no card";
  }
}

TEST_F(CompatE2eTest, HookLibraryContextsRepairedToValidR4GetCards) {
  const auto answers = SendHookLibraryContexts(dir_ / "hook-library-1.0.1", stack_.get(),
                                               /*repair=*/true);
  ASSERT_EQ(answers.size(), 4u);
  for (const auto& [name, response] : answers) {
    ExpectCleanAnswer(name, response);
    ASSERT_EQ(response.status, 200) << name << ": " << response.body;
    EXPECT_FALSE(ParseJson(response.body)["cards"].Empty()) << name << ": IMiD but no card";
  }
}

TEST_F(CompatE2eTest, PeerRequestsNeverGetA5xx) {
  // Inferno's 2.0 CRD requests and PDDI-CDS's pre-2.0 ones (top-level user/patient, DSTU3
  // servers, foreign prefetch keys): whatever they get, it is clean.
  std::vector<fs::path> files = JsonFiles(dir_ / "inferno-crd", "hook_request");
  for (const fs::path& file : JsonFiles(dir_ / "pddi-cds")) files.push_back(file);
  ASSERT_FALSE(files.empty());
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    ExpectCleanAnswer(file.filename().string(), SendFile(file));
  }
}

}  // namespace
}  // namespace thrombo::e2e
