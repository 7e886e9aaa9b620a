// Copyright 2026 The Thrombo Authors.
// The end-to-end service stack, JWT minting, request fixtures and response checks.
#include "tests/e2e/service_stack.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "fhir/json_parser.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"
#include "service/auth/test_keys.h"

namespace thrombo::e2e {
namespace {

namespace fs = std::filesystem;

std::string FreshJti() {
  static std::atomic<int> counter{0};
  return absl::StrCat("e2e-jti-", absl::ToUnixNanos(absl::Now()), "-", counter++);
}

// A temp file name unique to this process and call; the store creates the file.
std::string TempStorePath() {
  static std::atomic<int> counter{0};
  const char* dir = std::getenv("TEST_TMPDIR");
  const fs::path base = dir != nullptr ? fs::path(dir) : fs::temp_directory_path();
  return (base / absl::StrCat("e2e-feedback-", ::getpid(), "-", counter++, ".sqlite")).string();
}

}  // namespace

absl::Time EvaluationTime() {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 25, 12, 0, 0), absl::UTCTimeZone());
}

absl::StatusOr<std::unique_ptr<ServiceStack>> ServiceStack::Start(StackOptions options) {
  std::unique_ptr<ServiceStack> stack(new ServiceStack());
  stack->options_ = options;

  absl::StatusOr<std::unique_ptr<FakeFhirServer>> fhir = FakeFhirServer::Start();
  if (!fhir.ok()) return fhir.status();
  stack->fhir_ = *std::move(fhir);

  stack->key_ = auth::testing::GenerateEcKey("P-384");
  stack->untrusted_key_ = auth::testing::GenerateEcKey("P-384");

  // The shipped composition root, configured as a test deployment.
  service::AppOptions app;
  app.fetcher_options.allow_http = true;  // the fake FHIR server speaks plain HTTP on 127.0.0.1
  app.fetcher_options.use_environment_proxy = false;
  app.hook_options.source_url = "https://cds.e2e.test/about";
  app.clock = [] { return EvaluationTime(); };
  stack->store_path_ = TempStorePath();
  app.db = stack->store_path_;
  app.store_options = options.store_options;
  if (options.authenticate) {
    auth::IssuerConfig issuer;
    issuer.issuer = kIssuer;
    issuer.jwks_json = auth::testing::JwksOf(
        {auth::testing::PublicJwk(stack->key_.get(), kKeyId, "ES384")});
    app.jwt_issuers.push_back(issuer);
  } else {
    app.allow_unauthenticated = true;
  }
  app.log.out = &stack->log_sink_;  // keeps test output readable
  app.http.threads = 2;
  app.http.max_body_bytes = options.max_body_bytes;
  app.http.cors.allowed_origins = {kAllowedOrigin};
  app.base_url = kBaseUrl;
  if (options.grpc) app.grpc_port = 0;  // any free port

  absl::StatusOr<std::unique_ptr<service::ServiceApp>> started =
      service::ServiceApp::Start(std::move(app));
  if (!started.ok()) return started.status();
  stack->app_ = *std::move(started);
  stack->port_ = stack->app_->http_port();
  return stack;
}

ServiceStack::~ServiceStack() {
  StopServer();
  if (fhir_ != nullptr) fhir_->Stop();
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(store_path_ + suffix, ignored);
  }
}

void ServiceStack::StopServer() {
  if (app_ != nullptr) app_->Stop(absl::Seconds(5));
}

std::string ServiceStack::Token(const std::string& path, const TokenSpec& spec) const {
  const absl::Time now = absl::Now();
  const auto kept = [&spec](const char* name) {
    return std::find(spec.omit.begin(), spec.omit.end(), name) == spec.omit.end();
  };
  // Members in the order the defaults have always been written, then the optional ones.
  std::vector<std::string> header = {absl::StrCat(R"("alg":")", spec.alg, R"(")")};
  if (kept("typ")) header.push_back(R"("typ":"JWT")");
  if (kept("kid")) header.push_back(absl::StrCat(R"("kid":")", spec.kid, R"(")"));
  if (!spec.jku.empty()) header.push_back(absl::StrCat(R"("jku":")", spec.jku, R"(")"));
  if (!spec.extra_header_json.empty()) header.push_back(spec.extra_header_json);

  std::vector<std::string> claims;
  if (kept("iss")) claims.push_back(absl::StrCat(R"("iss":")", spec.iss, R"(")"));
  if (kept("aud")) {
    const std::string aud = spec.aud.empty() ? kBaseUrl + path : spec.aud;
    claims.push_back(absl::StrCat(R"("aud":)", spec.aud_json.empty()
                                                   ? absl::StrCat("\"", aud, "\"")
                                                   : spec.aud_json));
  }
  if (kept("exp")) {
    claims.push_back(absl::StrCat(R"("exp":)", absl::ToUnixSeconds(now + spec.expires_in)));
  }
  if (kept("iat")) {
    claims.push_back(absl::StrCat(R"("iat":)", absl::ToUnixSeconds(now - spec.issued_ago)));
  }
  if (spec.not_before_in.has_value()) {
    claims.push_back(absl::StrCat(R"("nbf":)", absl::ToUnixSeconds(now + *spec.not_before_in)));
  }
  if (kept("jti")) {
    claims.push_back(
        absl::StrCat(R"("jti":")", spec.jti.empty() ? FreshJti() : spec.jti, R"(")"));
  }
  if (!spec.extra_claims_json.empty()) claims.push_back(spec.extra_claims_json);

  const std::string header_json = absl::StrCat("{", absl::StrJoin(header, ","), "}");
  const std::string claims_json = absl::StrCat("{", absl::StrJoin(claims, ","), "}");
  if (spec.hmac_with_trusted_public_key) {
    return auth::testing::HmacToken(auth::testing::PublicKeyPem(key_.get()), header_json,
                                    claims_json);
  }
  EVP_PKEY* key = spec.sign_with_untrusted_key ? untrusted_key_.get() : key_.get();
  return auth::testing::SignToken(key, auth::JwsAlgorithm::kES384, header_json, claims_json);
}

ClientResponse ServiceStack::Get(const std::string& path, bool authorize) const {
  ClientRequest request;
  request.method = "GET";
  request.target = path;
  if (authorize) request.headers.push_back({"Authorization", "Bearer " + Token(path)});
  return Send(port_, request);
}

ClientResponse ServiceStack::PostJson(const std::string& path, const std::string& body,
                                      bool authorize) const {
  ClientRequest request;
  request.method = "POST";
  request.target = path;
  request.headers.push_back({"Content-Type", "application/json"});
  if (authorize) request.headers.push_back({"Authorization", "Bearer " + Token(path)});
  request.body = body;
  return Send(port_, request);
}

ClientResponse ServiceStack::Raw(const ClientRequest& request) const {
  return Send(port_, request);
}

// ---- JSON fixtures -------------------------------------------------------------------------

fs::path SourceRoot() {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  if (srcdir == nullptr || workspace == nullptr) return fs::current_path();
  std::error_code error;
  const fs::path readme = fs::canonical(fs::path(srcdir) / workspace / "README.md", error);
  return error ? fs::path() : readme.parent_path();
}

std::string ReadSourceFile(const std::string& relative_path) {
  std::ifstream in(SourceRoot() / relative_path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

rapidjson::Document ParseJson(const std::string& text) {
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  return document;
}

std::string ToJson(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return std::string(buffer.GetString(), buffer.GetSize());
}

rapidjson::Document LoadExample(const std::string& file, const std::string& fhir_server) {
  rapidjson::Document request = ParseJson(ReadSourceFile("examples/" + file));
  if (request.HasParseError() || !request.IsObject()) return request;
  auto& alloc = request.GetAllocator();
  request.RemoveMember("fhirServer");
  request.RemoveMember("fhirAuthorization");
  request.AddMember("fhirServer", rapidjson::Value(fhir_server.c_str(), alloc), alloc);
  rapidjson::Value authorization(rapidjson::kObjectType);
  authorization.AddMember("access_token", rapidjson::Value(kFhirAccessToken, alloc), alloc);
  authorization.AddMember("token_type", "Bearer", alloc);
  authorization.AddMember("expires_in", 300, alloc);
  authorization.AddMember("scope", "patient/*.read", alloc);
  authorization.AddMember("subject", "thrombo-e2e", alloc);
  request.AddMember("fhirAuthorization", authorization, alloc);
  return request;
}

std::string ResourceTypeOfKey(const std::string& key) {
  if (key == "patient") return "Patient";
  if (key == "medicationRequests") return "MedicationRequest";
  if (key == "medicationStatements") return "MedicationStatement";
  if (key == "conditions") return "Condition";
  if (key == "observations") return "Observation";
  if (key == "procedures") return "Procedure";
  if (key == "allergies") return "AllergyIntolerance";
  return "";
}

void ServePrefetchFrom(const rapidjson::Document& example, FakeFhirServer* fhir) {
  if (!example.IsObject() || !example.HasMember("prefetch")) return;
  for (const auto& member : example["prefetch"].GetObject()) {
    const std::string key = member.name.GetString();
    const rapidjson::Value& value = member.value;
    if (!value.IsObject()) continue;
    const std::string type = value["resourceType"].GetString();
    if (type != "Bundle") {
      fhir->SetRead(type, value["id"].GetString(), ToJson(value));
      continue;
    }
    std::vector<std::string> matches;
    if (value.HasMember("entry")) {
      for (const auto& entry : value["entry"].GetArray()) {
        if (entry.HasMember("resource")) matches.push_back(ToJson(entry["resource"]));
      }
    }
    fhir->SetSearch(ResourceTypeOfKey(key), std::move(matches));
  }
}

void RemovePrefetch(rapidjson::Document* request, const std::string& key) {
  if (request->HasMember("prefetch")) (*request)["prefetch"].RemoveMember(key.c_str());
}

void SetPrefetchJson(rapidjson::Document* request, const std::string& key,
                     const std::string& json) {
  auto& alloc = request->GetAllocator();
  if (!request->HasMember("prefetch")) {
    request->AddMember("prefetch", rapidjson::Value(rapidjson::kObjectType), alloc);
  }
  rapidjson::Value& prefetch = (*request)["prefetch"];
  prefetch.RemoveMember(key.c_str());
  rapidjson::Document value;
  value.Parse(json.c_str(), json.size());
  rapidjson::Value copy(value, alloc);
  prefetch.AddMember(rapidjson::Value(key.c_str(), alloc), copy, alloc);
}

// ---- response checks ----------------------------------------------------------------------

namespace {

bool NonEmptyString(const rapidjson::Value& object, const char* name) {
  return object.IsObject() && object.HasMember(name) && object[name].IsString() &&
         object[name].GetStringLength() > 0;
}

// Counts UTF-8 code points, since the 140 limit is in characters, not bytes.
size_t Utf8Length(const rapidjson::Value& text) {
  size_t count = 0;
  const char* s = text.GetString();
  for (size_t i = 0; i < text.GetStringLength(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++count;
  }
  return count;
}

void CheckCoding(const rapidjson::Value& coding, const std::string& where, bool need_display,
                 std::vector<std::string>* problems) {
  for (const char* field : {"code", "system"}) {
    if (!NonEmptyString(coding, field)) problems->push_back(where + "." + field + " missing");
  }
  if (need_display && !NonEmptyString(coding, "display")) {
    problems->push_back(where + ".display missing (required for overrideReasons)");
  }
}

void CheckAction(const rapidjson::Value& action, const std::string& where,
                 std::vector<std::string>* problems) {
  const std::string type = NonEmptyString(action, "type") ? action["type"].GetString() : "";
  if (type != "create" && type != "update" && type != "delete") {
    problems->push_back(where + ".type is '" + type + "'");
  }
  if (!NonEmptyString(action, "description")) problems->push_back(where + ".description missing");
  if (type == "create" || type == "update") {
    if (!action.HasMember("resource") || !action["resource"].IsObject()) {
      problems->push_back(where + ".resource missing for " + type);
      return;
    }
    absl::StatusOr<fhir::ParsedResource> parsed = fhir::ParseResource(ToJson(action["resource"]));
    if (!parsed.ok()) {
      problems->push_back(where + ".resource does not parse: " + std::string(parsed.status().message()));
    }
  }
}

}  // namespace

std::vector<std::string> CdsResponseProblems(const std::string& body) {
  std::vector<std::string> problems;
  rapidjson::Document doc = ParseJson(body);
  if (doc.HasParseError() || !doc.IsObject()) return {"body is not a JSON object"};
  if (!doc.HasMember("cards") || !doc["cards"].IsArray()) return {"no cards array"};
  std::vector<std::string> uuids;
  const auto& cards = doc["cards"];
  for (rapidjson::SizeType i = 0; i < cards.Size(); ++i) {
    const rapidjson::Value& card = cards[i];
    const std::string at = absl::StrCat("cards[", i, "]");
    if (!NonEmptyString(card, "uuid")) {
      problems.push_back(at + ".uuid missing");
    } else {
      uuids.push_back(card["uuid"].GetString());
    }
    if (!NonEmptyString(card, "summary")) {
      problems.push_back(at + ".summary missing");
    } else if (Utf8Length(card["summary"]) >= 140) {
      problems.push_back(at + ".summary is 140 characters or longer");
    }
    const std::string indicator =
        NonEmptyString(card, "indicator") ? card["indicator"].GetString() : "";
    if (indicator != "info" && indicator != "warning" && indicator != "critical") {
      problems.push_back(at + ".indicator is '" + indicator + "'");
    }
    if (!card.HasMember("source") || !NonEmptyString(card["source"], "label")) {
      problems.push_back(at + ".source.label missing");
    }
    const bool has_suggestions = card.HasMember("suggestions");
    if (has_suggestions) {
      const auto& suggestions = card["suggestions"];
      if (!suggestions.IsArray() || suggestions.Empty()) {
        problems.push_back(at + ".suggestions present but not a non-empty array");
      } else {
        int recommended = 0;
        for (rapidjson::SizeType s = 0; s < suggestions.Size(); ++s) {
          const rapidjson::Value& suggestion = suggestions[s];
          const std::string sat = absl::StrCat(at, ".suggestions[", s, "]");
          if (!NonEmptyString(suggestion, "label")) problems.push_back(sat + ".label missing");
          if (!NonEmptyString(suggestion, "uuid")) {
            problems.push_back(sat + ".uuid missing");
          } else {
            uuids.push_back(suggestion["uuid"].GetString());
          }
          if (suggestion.HasMember("isRecommended") && suggestion["isRecommended"].IsTrue()) {
            ++recommended;
          }
          if (suggestion.HasMember("actions")) {
            const auto& actions = suggestion["actions"];
            for (rapidjson::SizeType a = 0; a < actions.Size(); ++a) {
              CheckAction(actions[a], absl::StrCat(sat, ".actions[", a, "]"), &problems);
            }
          }
        }
        const std::string behavior = NonEmptyString(card, "selectionBehavior")
                                         ? card["selectionBehavior"].GetString()
                                         : "";
        if (behavior != "at-most-one") {
          problems.push_back(at + ".selectionBehavior is '" + behavior + "', want at-most-one");
        }
        if (behavior == "at-most-one" && recommended > 1) {
          problems.push_back(at + " recommends more than one suggestion under at-most-one");
        }
      }
    } else if (card.HasMember("selectionBehavior")) {
      problems.push_back(at + ".selectionBehavior without suggestions");
    }
    if (card.HasMember("overrideReasons")) {
      const auto& reasons = card["overrideReasons"];
      if (!reasons.IsArray() || reasons.Empty()) problems.push_back(at + ".overrideReasons empty");
      for (rapidjson::SizeType r = 0; reasons.IsArray() && r < reasons.Size(); ++r) {
        CheckCoding(reasons[r], absl::StrCat(at, ".overrideReasons[", r, "]"), true, &problems);
      }
    }
    if (card.HasMember("links")) {
      const auto& links = card["links"];
      for (rapidjson::SizeType l = 0; links.IsArray() && l < links.Size(); ++l) {
        const std::string lat = absl::StrCat(at, ".links[", l, "]");
        const rapidjson::Value& link = links[l];
        if (!NonEmptyString(link, "label")) problems.push_back(lat + ".label missing");
        if (!NonEmptyString(link, "url")) problems.push_back(lat + ".url missing");
        const std::string type = NonEmptyString(link, "type") ? link["type"].GetString() : "";
        if (type != "absolute" && type != "smart") {
          problems.push_back(lat + ".type is '" + type + "'");
        }
        if (type == "absolute" && link.HasMember("appContext")) {
          problems.push_back(lat + " is absolute but has appContext");
        }
      }
    }
  }
  std::sort(uuids.begin(), uuids.end());
  if (std::adjacent_find(uuids.begin(), uuids.end()) != uuids.end()) {
    problems.push_back("card/suggestion uuids are not unique");
  }
  if (doc.HasMember("systemActions")) {
    const auto& actions = doc["systemActions"];
    if (!actions.IsArray() || actions.Empty()) problems.push_back("systemActions empty");
  }
  return problems;
}

std::vector<std::string> OperationOutcomeProblems(const ClientResponse& response,
                                                  const std::string& expression) {
  std::vector<std::string> problems;
  if (response.status >= 200 && response.status < 300) {
    problems.push_back(absl::StrCat("status ", response.status, " is 2xx"));
  }
  rapidjson::Document doc = ParseJson(response.body);
  if (doc.HasParseError() || !doc.IsObject()) {
    problems.push_back("body is not a JSON object: " + response.body.substr(0, 200));
    return problems;
  }
  if (!NonEmptyString(doc, "resourceType") ||
      std::string(doc["resourceType"].GetString()) != "OperationOutcome") {
    problems.push_back("resourceType is not OperationOutcome");
  }
  if (!doc.HasMember("issue") || !doc["issue"].IsArray() || doc["issue"].Empty()) {
    problems.push_back("no issue[0]");
    return problems;
  }
  const rapidjson::Value& issue = doc["issue"][0];
  for (const char* field : {"severity", "code", "diagnostics"}) {
    if (!NonEmptyString(issue, field)) problems.push_back(std::string("issue[0].") + field + " missing");
  }
  if (!expression.empty()) {
    bool found = false;
    if (issue.HasMember("expression") && issue["expression"].IsArray()) {
      for (const auto& e : issue["expression"].GetArray()) {
        if (e.IsString() && std::string(e.GetString()).find(expression) != std::string::npos) {
          found = true;
        }
      }
    }
    if (!found) {
      problems.push_back("issue[0].expression does not name '" + expression + "': " +
                         response.body.substr(0, 300));
    }
  }
  // ParseResource proves the body is a FHIR OperationOutcome our own codec accepts.
  absl::StatusOr<fhir::ParsedResource> parsed = fhir::ParseResource(response.body);
  if (!parsed.ok()) {
    problems.push_back("OperationOutcome does not parse as FHIR: " +
                       std::string(parsed.status().message()));
  }
  return problems;
}

}  // namespace thrombo::e2e
