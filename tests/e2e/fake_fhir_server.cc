// Copyright 2026 The Thrombo Authors.
// The in-test FHIR server behind fetch-on-miss.
#include "tests/e2e/fake_fhir_server.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "service/http/router.h"

namespace thrombo::e2e {
namespace {

using service::http::Request;
using service::http::Response;

Response Fhir(std::string body, int status = 200) {
  Response response;
  response.status = status;
  response.content_type = "application/fhir+json";
  response.body = std::move(body);
  return response;
}

std::string OperationOutcome(const std::string& code, const std::string& diagnostics) {
  return absl::StrCat(R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":")",
                      code, R"(","diagnostics":")", diagnostics, R"("}]})");
}

std::string Searchset(const std::vector<std::string>& resources, size_t total,
                      const std::string& next_url) {
  std::vector<std::string> entries;
  for (const std::string& resource : resources) {
    entries.push_back(absl::StrCat(R"({"resource":)", resource, R"(,"search":{"mode":"match"}})"));
  }
  std::string links;
  if (!next_url.empty()) {
    links = absl::StrCat(R"(,"link":[{"relation":"next","url":")", next_url, R"("}])");
  }
  return absl::StrCat(R"({"resourceType":"Bundle","type":"searchset","total":)", total, links,
                      R"(,"entry":[)", absl::StrJoin(entries, ","), "]}");
}

// The 1-based page a paginated search asks for (our own "_e2e_page" parameter).
int PageOf(const std::string& query) {
  for (absl::string_view part : absl::StrSplit(query, '&')) {
    if (absl::ConsumePrefix(&part, "_e2e_page=")) {
      int page = 1;
      if (absl::SimpleAtoi(part, &page) && page >= 1) return page;
    }
  }
  return 1;
}

}  // namespace

absl::StatusOr<std::unique_ptr<FakeFhirServer>> FakeFhirServer::Start() {
  std::unique_ptr<FakeFhirServer> fake(new FakeFhirServer());
  service::http::Router router;
  FakeFhirServer* self = fake.get();
  auto handler = [self](const Request& request) { return self->Answer(request); };
  absl::Status status = router.Handle("GET", "/fhir/{type}", handler);
  if (status.ok()) status = router.Handle("GET", "/fhir/{type}/{id}", handler);
  if (!status.ok()) return status;
  service::http::ServerOptions options;
  // Enough threads that one deliberately slow answer does not hold up the others.
  options.threads = 4;
  auto server = service::http::Server::Start(options, std::move(router));
  if (!server.ok()) return server.status();
  fake->server_ = *std::move(server);
  fake->port_ = fake->server_->port();
  return fake;
}

FakeFhirServer::~FakeFhirServer() { Stop(); }

void FakeFhirServer::Stop() {
  if (server_ != nullptr) server_->Stop(absl::Seconds(5));
}

std::string FakeFhirServer::base_url() const {
  return absl::StrCat("http://127.0.0.1:", port_, "/fhir");
}

void FakeFhirServer::SetRead(const std::string& type, const std::string& id,
                             std::string resource_json) {
  absl::MutexLock lock(&mu_);
  reads_[absl::StrCat(type, "/", id)] = std::move(resource_json);
}

void FakeFhirServer::SetSearch(const std::string& type, std::vector<std::string> resources_json) {
  absl::MutexLock lock(&mu_);
  searches_[type] = std::move(resources_json);
}

void FakeFhirServer::SetFault(const std::string& type, FhirFault fault) {
  absl::MutexLock lock(&mu_);
  faults_[type] = fault;
}

void FakeFhirServer::set_slow_delay(absl::Duration delay) {
  absl::MutexLock lock(&mu_);
  slow_delay_ = delay;
}

void FakeFhirServer::set_serve_any_patient(bool on) {
  absl::MutexLock lock(&mu_);
  serve_any_patient_ = on;
}

int FakeFhirServer::Hits(const std::string& type) const {
  absl::MutexLock lock(&mu_);
  auto it = hits_.find(type);
  return it == hits_.end() ? 0 : it->second;
}

int FakeFhirServer::TotalHits() const {
  absl::MutexLock lock(&mu_);
  int total = 0;
  for (const auto& [type, hits] : hits_) total += hits;
  return total;
}

std::string FakeFhirServer::PageUrl(const std::string& type, int page) const {
  return absl::StrCat(base_url(), "/", type, "?_e2e_page=", page);
}

std::vector<std::string> FakeFhirServer::Authorizations() const {
  absl::MutexLock lock(&mu_);
  return authorizations_;
}

Response FakeFhirServer::Answer(const Request& request) {
  const std::string type = request.path_params.at("type");
  auto id_param = request.path_params.find("id");
  const bool is_read = id_param != request.path_params.end();
  FhirFault fault = FhirFault::kNone;
  absl::Duration delay;
  std::string read_body;
  std::vector<std::string> matches;
  bool found = false;
  {
    absl::MutexLock lock(&mu_);
    ++hits_[type];
    authorizations_.push_back(std::string(request.headers.Get("Authorization").value_or("")));
    if (auto it = faults_.find(type); it != faults_.end()) fault = it->second;
    delay = slow_delay_;
    if (is_read) {
      auto it = reads_.find(absl::StrCat(type, "/", id_param->second));
      if (it != reads_.end()) {
        read_body = it->second;
        found = true;
      } else if (type == "Patient" && serve_any_patient_) {
        read_body = absl::StrCat(R"({"resourceType":"Patient","id":")", id_param->second,
                                 R"(","gender":"female","birthDate":"1955-06-01"})");
        found = true;
      }
    } else if (auto it = searches_.find(type); it != searches_.end()) {
      matches = it->second;
    }
  }

  switch (fault) {
    case FhirFault::kServerError:
      return Fhir(OperationOutcome("exception", "the test server was told to fail"), 500);
    case FhirFault::kGarbage:
      return Fhir("<html>this is not FHIR JSON", 200);
    case FhirFault::kOperationOutcome:
      return Fhir(OperationOutcome("transient", "the test server reports a failed search"));
    case FhirFault::kSlow:
      // Sleeps on one of this server's own threads; the service under test gives up first.
      absl::SleepFor(delay);
      break;
    default:
      break;
  }

  if (is_read) {
    if (!found) return Fhir(OperationOutcome("not-found", "no such resource"), 404);
    return Fhir(read_body);
  }
  if (fault != FhirFault::kPaginate && fault != FhirFault::kPaginateThenFail) {
    return Fhir(Searchset(matches, matches.size(), ""));
  }
  // One match per page; the next link carries the same search plus our page number, on this
  // origin, as a real server's opaque paging link would.
  const int page = PageOf(request.query);
  if (page > 1 && fault == FhirFault::kPaginateThenFail) {
    return Fhir(OperationOutcome("transient", "the test server lost its paging state"), 503);
  }
  std::vector<std::string> slice;
  if (static_cast<size_t>(page) <= matches.size()) slice.push_back(matches[page - 1]);
  std::string next;
  if (static_cast<size_t>(page) < matches.size()) {
    next = PageUrl(type, page + 1);
  }
  return Fhir(Searchset(slice, matches.size(), next));
}

}  // namespace thrombo::e2e
