// Copyright 2026 The Thrombo Authors.
// Tests of CurlFhirFetcher against an in-process FHIR server (service/http) on 127.0.0.1 with
// an ephemeral port. Timing assertions are only generous upper bounds proving "bounded".
#include "service/fhir_client/curl_fhir_fetcher.h"

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "service/http/message.h"
#include "service/http/router.h"
#include "service/http/server.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::thrombo::testing::StatusIs;

constexpr char kToken[] = "s3cr3t-Token.abc";
constexpr absl::Duration kBound = absl::Seconds(5);  // "finishes in bounded time"

std::string PatientJson(const std::string& id) {
  return absl::StrCat(R"({"resourceType":"Patient","id":")", id, R"("})");
}

std::string ObservationJson(const std::string& id) {
  return absl::StrCat(R"({"resourceType":"Observation","id":")", id,
                      R"(","status":"final","code":{"text":"platelets"}})");
}

// A searchset page with one entry and, when `next` is non-empty, a next link.
std::string PageJson(const std::string& entry_json, const std::string& next) {
  std::string links = R"([{"relation":"self","url":"http://self.example/page"})";
  if (!next.empty()) absl::StrAppend(&links, R"(,{"relation":"next","url":")", next, R"("})");
  return absl::StrCat(R"({"resourceType":"Bundle","type":"searchset","total":99,"link":)", links,
                      R"(],"entry":[{"resource":)", entry_json,
                      R"(,"search":{"mode":"match"}}]})");
}

// The FHIR server under test: routes under /fhir, each counting its hits. Every route but
// /fhir/Echo401 demands the bearer token, so any success proves the header was sent.
class FakeFhirServer {
 public:
  FakeFhirServer() {
    http::Router router;
    Route(&router, "/fhir/Patient/{id}", [](const http::Request& r) {
      return http::JsonResponse(PatientJson(r.path_params.at("id")));
    });
    Route(&router, "/fhir/Observation", [this](const http::Request& r) {
      if (absl::StrContains(r.query, "page=2")) return Fhir(PageJson(ObservationJson("o2"), ""));
      return Fhir(PageJson(ObservationJson("o1"),
                           Url("/fhir/Observation?page=2&patient=123")));
    });
    Route(&router, "/fhir/Condition", [this](const http::Request&) {
      return Fhir(PageJson(ObservationJson("c1"),
                           absl::StrCat("http://localhost:", port_.load(), "/fhir/Evil")));
    });
    Route(&router, "/fhir/Evil", [](const http::Request&) { return Fhir(PageJson("{}", "")); });
    Route(&router, "/fhir/Forever", [this](const http::Request& r) {
      const int page = r.query.empty() ? 1 : std::stoi(r.query.substr(r.query.find('=') + 1));
      return Fhir(PageJson(PatientJson(absl::StrCat("p", page)),
                           Url(absl::StrCat("/fhir/Forever?page=", page + 1))));
    });
    Route(&router, "/fhir/SlowSecondPage", [this](const http::Request& r) {
      if (!r.query.empty()) release_.WaitForNotificationWithTimeout(absl::Seconds(30));
      return Fhir(PageJson(PatientJson("s1"), Url("/fhir/SlowSecondPage?page=2")));
    });
    Route(&router, "/fhir/Slow", [this](const http::Request&) {
      release_.WaitForNotificationWithTimeout(absl::Seconds(30));
      return Fhir(PatientJson("slow"));
    });
    Route(&router, "/fhir/Error500", [](const http::Request&) {
      return http::ErrorResponse(500, "database on fire");
    });
    Route(&router, "/fhir/BadRequest", [](const http::Request&) {
      return http::ErrorResponse(400, "unknown search parameter 'foo'");
    });
    Route(&router, "/fhir/Garbage", [](const http::Request&) {
      return Fhir("this is not { json");
    });
    Route(&router, "/fhir/BadId", [](const http::Request&) {
      return Fhir(absl::StrCat(R"({"resourceType":"Patient","id":")", std::string(10000, ' '),
                               kToken, R"("})"));
    });
    Route(&router, "/fhir/Big", [](const http::Request&) {
      return Fhir(absl::StrCat(R"({"resourceType":"Patient","id":"big","name":[{"text":")",
                               std::string(64 << 10, 'x'), R"("}]})"));
    });
    Route(&router, "/fhir/Redirect", [](const http::Request&) {
      http::Response response = Fhir("");
      response.status = 302;
      response.headers.push_back({"Location", "http://localhost/fhir/Patient/1"});
      return response;
    });
    // A hostile server: echoes the Authorization header it received into its diagnostics.
    Routes(&router, "/fhir/Echo401", [](const http::Request& r) {
      const std::string received(r.headers.Get("Authorization").value_or(""));
      return http::ErrorResponse(401, absl::StrCat("bad credentials: ", received));
    });
    http::ServerOptions options;
    options.threads = 2;
    auto server = http::Server::Start(options, std::move(router));
    EXPECT_TRUE(server.ok()) << server.status();
    if (server.ok()) server_ = *std::move(server);
    port_ = server_ ? server_->port() : 0;
  }

  ~FakeFhirServer() {
    release_.Notify();  // let blocked handlers finish so Stop can join the I/O threads
    if (server_) server_->Stop(absl::Seconds(5));
  }

  std::string BaseUrl() const { return absl::StrCat("http://127.0.0.1:", port_.load(), "/fhir"); }
  std::string Url(const std::string& path) const {
    return absl::StrCat("http://127.0.0.1:", port_.load(), path);
  }
  int Hits(const std::string& route) const {
    absl::MutexLock lock(&mu_);
    auto it = hits_.find(route);
    return it == hits_.end() ? 0 : it->second;
  }
  std::string LastTarget(const std::string& route) const {
    absl::MutexLock lock(&mu_);
    auto it = targets_.find(route);
    return it == targets_.end() ? "" : it->second;
  }

 private:
  static http::Response Fhir(std::string body) {
    http::Response response = http::JsonResponse(std::move(body));
    response.content_type = "application/fhir+json";
    return response;
  }

  // Registers `handler`, counting hits and recording targets, without a token check.
  void Routes(http::Router* router, const std::string& pattern, http::Handler handler) {
    ASSERT_TRUE(router
                    ->Handle("GET", pattern,
                             [this, pattern, handler](const http::Request& request) {
                               {
                                 absl::MutexLock lock(&mu_);
                                 ++hits_[pattern];
                                 targets_[pattern] = request.target;
                               }
                               return handler(request);
                             })
                    .ok());
  }

  // Like Routes, but the request must carry the expected bearer token and FHIR Accept header.
  void Route(http::Router* router, const std::string& pattern, http::Handler handler) {
    Routes(router, pattern, [handler](const http::Request& request) {
      if (request.headers.Get("Authorization") != absl::StrCat("Bearer ", kToken)) {
        return http::ErrorResponse(401, "missing or wrong bearer token");
      }
      if (request.headers.Get("Accept") != "application/fhir+json") {
        return http::ErrorResponse(406, "Accept must be application/fhir+json");
      }
      return handler(request);
    });
  }

  std::unique_ptr<http::Server> server_;
  std::atomic<int> port_{0};
  absl::Notification release_;
  mutable absl::Mutex mu_;
  std::map<std::string, int> hits_;
  std::map<std::string, std::string> targets_;
};

class CurlFhirFetcherTest : public ::testing::Test {
 protected:
  CurlFhirFetcherTest() : fetcher_(TestOptions()) {}

  static CurlFhirFetcherOptions TestOptions() {
    CurlFhirFetcherOptions options;
    options.allow_http = true;
    options.use_environment_proxy = false;
    return options;
  }

  FetchRequest Request(const std::string& query) const {
    FetchRequest request;
    request.fhir_server = server_.BaseUrl();
    request.query = query;
    request.bearer_token = kToken;
    request.deadline = absl::Now() + kBound;
    return request;
  }

  // Fetches with `fetcher` and checks the invariant of every error: no token in the message.
  absl::StatusOr<fhir::r4::ContainedResource> Fetch(const FetchRequest& request,
                                                    const CurlFhirFetcher& fetcher) const {
    absl::StatusOr<fhir::r4::ContainedResource> result = fetcher.Fetch(request);
    if (!result.ok()) {
      EXPECT_THAT(std::string(result.status().message()), Not(HasSubstr(kToken)));
    }
    return result;
  }
  absl::StatusOr<fhir::r4::ContainedResource> Fetch(const std::string& query) const {
    return Fetch(Request(query), fetcher_);
  }

  FakeFhirServer server_;
  CurlFhirFetcher fetcher_;
};

TEST_F(CurlFhirFetcherTest, ReadSendsTokenAndAcceptAndParses) {
  ASSERT_OK_AND_ASSIGN(fhir::r4::ContainedResource resource, Fetch("Patient/123"));
  ASSERT_TRUE(resource.has_patient());
  EXPECT_EQ(resource.patient().id(), "123");
  EXPECT_EQ(server_.LastTarget("/fhir/Patient/{id}"), "/fhir/Patient/123");
}

TEST_F(CurlFhirFetcherTest, JoinsBaseAndQueryWithOneSlash) {
  FetchRequest request = Request("/Patient/7");
  request.fhir_server += "/";
  ASSERT_OK_AND_ASSIGN(fhir::r4::ContainedResource resource, Fetch(request, fetcher_));
  EXPECT_EQ(resource.patient().id(), "7");
  EXPECT_EQ(server_.LastTarget("/fhir/Patient/{id}"), "/fhir/Patient/7");
}

TEST_F(CurlFhirFetcherTest, SearchFollowsNextLinkAndMergesPages) {
  ASSERT_OK_AND_ASSIGN(fhir::r4::ContainedResource resource,
                       Fetch("Observation?patient=123&code=http://loinc.org|777-3"));
  ASSERT_TRUE(resource.has_bundle());
  const fhir::r4::Bundle& bundle = resource.bundle();
  ASSERT_EQ(bundle.entry_size(), 2);
  EXPECT_EQ(bundle.entry(0).resource().observation().id(), "o1");
  EXPECT_EQ(bundle.entry(1).resource().observation().id(), "o2");
  EXPECT_FALSE(HasMorePages(bundle));
  EXPECT_EQ(bundle.total(), 99u);  // the first page's total and self link are kept
  ASSERT_EQ(bundle.link_size(), 1);
  EXPECT_EQ(bundle.link(0).relation(), "self");
  EXPECT_EQ(server_.Hits("/fhir/Observation"), 2);
}

// An EHR's prefetch was page one of a search: its next link is continued with the token.
TEST_F(CurlFhirFetcherTest, PageUrlContinuesAnotherClientsSearch) {
  FetchRequest request = Request("ignored-when-page_url-is-set");
  request.page_url = server_.Url("/fhir/Observation?page=2&patient=123");
  ASSERT_OK_AND_ASSIGN(fhir::r4::ContainedResource resource, Fetch(request, fetcher_));
  ASSERT_EQ(resource.bundle().entry_size(), 1);
  EXPECT_EQ(resource.bundle().entry(0).resource().observation().id(), "o2");
  EXPECT_FALSE(HasMorePages(resource.bundle()));
  EXPECT_EQ(server_.Hits("/fhir/Observation"), 1);  // the token was sent, or the route refuses
}

TEST_F(CurlFhirFetcherTest, PageUrlOnAnotherOriginIsNeverContacted) {
  FetchRequest request = Request("Patient/1");
  request.page_url = server_.Url("/fhir/Evil");
  absl::StrReplaceAll({{"127.0.0.1", "localhost"}}, &request.page_url);
  EXPECT_THAT(Fetch(request, fetcher_),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("another origin")));
  EXPECT_EQ(server_.Hits("/fhir/Evil"), 0);
}

TEST(SearchsetErrors, OnlyErrorOutcomesMakeASearchIncomplete) {
  fhir::r4::Bundle bundle;
  bundle.add_entry()->mutable_resource()->mutable_patient()->set_id("p1");
  EXPECT_EQ(SearchsetErrors(bundle), "");
  auto* warning = bundle.add_entry()->mutable_resource()->mutable_operation_outcome()->add_issue();
  warning->set_severity(fhir::r4::IssueSeverityCode::WARNING);
  warning->set_diagnostics("parameter _sort ignored");
  EXPECT_EQ(SearchsetErrors(bundle), "");
  auto* error = bundle.add_entry()->mutable_resource()->mutable_operation_outcome()->add_issue();
  error->set_severity(fhir::r4::IssueSeverityCode::ERROR);
  error->set_diagnostics("the archive partition timed out");
  EXPECT_EQ(SearchsetErrors(bundle), "the archive partition timed out");
}

TEST_F(CurlFhirFetcherTest, TokenBarIsPercentEncodedOnTheWire) {
  ASSERT_OK(Fetch("Observation?patient=123&code=http://loinc.org|777-3").status());
  // The last request is page 2; check the first one through a search that has one page.
  ASSERT_OK(Fetch("Observation?page=2&code=http://loinc.org|777-3").status());
  EXPECT_EQ(server_.LastTarget("/fhir/Observation"),
            "/fhir/Observation?page=2&code=http://loinc.org%7C777-3");
}

TEST_F(CurlFhirFetcherTest, NextLinkToAnotherHostIsRefused) {
  EXPECT_THAT(Fetch("Condition?patient=123"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("another origin"), HasSubstr("localhost"))));
  EXPECT_EQ(server_.Hits("/fhir/Condition"), 1);
  EXPECT_EQ(server_.Hits("/fhir/Evil"), 0);  // never contacted, so the token never left
}

TEST_F(CurlFhirFetcherTest, ServerErrorIsUnavailable) {
  EXPECT_THAT(Fetch("Error500"),
              StatusIs(absl::StatusCode::kUnavailable,
                       AllOf(HasSubstr("/fhir/Error500"), HasSubstr("HTTP 500"),
                             HasSubstr("database on fire"))));
}

TEST_F(CurlFhirFetcherTest, MissingResourceIsNotFound) {
  // An unknown path gets the router's 404, with an OperationOutcome body.
  EXPECT_THAT(Fetch("Nothing/here"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("/fhir/Nothing/here")));
}

TEST_F(CurlFhirFetcherTest, GarbageBodyIsInvalidArgumentNamingThePath) {
  EXPECT_THAT(Fetch("Garbage"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("/fhir/Garbage"), HasSubstr("not FHIR JSON"))));
}

TEST_F(CurlFhirFetcherTest, ParserTextInMessagesIsBoundedAndRedacted) {
  absl::StatusOr<fhir::r4::ContainedResource> result = Fetch("BadId");
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("Patient.id")));
  EXPECT_LT(result.status().message().size(), 1000u);
}

TEST_F(CurlFhirFetcherTest, OperationOutcomeWith400CarriesItsDiagnostics) {
  EXPECT_THAT(Fetch("BadRequest?foo=1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("HTTP 400"), HasSubstr("unknown search parameter 'foo'"),
                             Not(HasSubstr("foo=1")))));  // the query is not echoed
}

TEST_F(CurlFhirFetcherTest, SlowServerHitsTheDeadlineInBoundedTime) {
  FetchRequest request = Request("Slow");
  request.deadline = absl::Now() + absl::Milliseconds(300);
  const absl::Time start = absl::Now();
  EXPECT_THAT(Fetch(request, fetcher_), StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_LT(absl::Now() - start, kBound);
}

TEST_F(CurlFhirFetcherTest, DeadlineAlreadyPassedSendsNothing) {
  FetchRequest request = Request("Patient/1");
  request.deadline = absl::Now() - absl::Seconds(1);
  EXPECT_THAT(Fetch(request, fetcher_), StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_EQ(server_.Hits("/fhir/Patient/{id}"), 0);
}

TEST_F(CurlFhirFetcherTest, MaxFetchTimeBoundsAnInfiniteDeadline) {
  CurlFhirFetcherOptions options = TestOptions();
  options.max_fetch_time = absl::Milliseconds(300);
  const CurlFhirFetcher fetcher(options);
  FetchRequest request = Request("Slow");
  request.deadline = absl::InfiniteFuture();
  const absl::Time start = absl::Now();
  EXPECT_THAT(Fetch(request, fetcher), StatusIs(absl::StatusCode::kDeadlineExceeded));
  EXPECT_LT(absl::Now() - start, kBound);
}

TEST_F(CurlFhirFetcherTest, DeadlineOnALaterPageReturnsThePartialBundleFlagged) {
  FetchRequest request = Request("SlowSecondPage");
  request.deadline = absl::Now() + absl::Milliseconds(500);
  ASSERT_OK_AND_ASSIGN(fhir::r4::ContainedResource resource, Fetch(request, fetcher_));
  ASSERT_EQ(resource.bundle().entry_size(), 1);
  EXPECT_TRUE(HasMorePages(resource.bundle()));
}

TEST_F(CurlFhirFetcherTest, BodyOverTheSizeCapIsRejected) {
  CurlFhirFetcherOptions options = TestOptions();
  options.max_response_bytes = 4096;
  const CurlFhirFetcher fetcher(options);
  EXPECT_THAT(Fetch(Request("Big"), fetcher),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("/fhir/Big"), HasSubstr("larger than 4096 bytes"))));
  // Under the default cap the same body is fine.
  EXPECT_OK(Fetch(Request("Big"), fetcher_).status());
}

TEST_F(CurlFhirFetcherTest, EndlessPaginationStopsAtThePageCapFlagged) {
  CurlFhirFetcherOptions options = TestOptions();
  options.max_pages = 3;
  const CurlFhirFetcher fetcher(options);
  ASSERT_OK_AND_ASSIGN(fhir::r4::ContainedResource resource, Fetch(Request("Forever"), fetcher));
  const fhir::r4::Bundle& bundle = resource.bundle();
  ASSERT_EQ(bundle.entry_size(), 3);
  EXPECT_EQ(bundle.entry(2).resource().patient().id(), "p3");
  ASSERT_TRUE(HasMorePages(bundle));
  EXPECT_EQ(bundle.link(bundle.link_size() - 1).url(), server_.Url("/fhir/Forever?page=4"));
  EXPECT_EQ(server_.Hits("/fhir/Forever"), 3);
}

TEST_F(CurlFhirFetcherTest, DefaultPageCapIsTen) {
  ASSERT_OK_AND_ASSIGN(fhir::r4::ContainedResource resource, Fetch("Forever"));
  EXPECT_EQ(resource.bundle().entry_size(), 10);
  EXPECT_TRUE(HasMorePages(resource.bundle()));
}

TEST_F(CurlFhirFetcherTest, WrongTokenIsPermissionDeniedAndNeverEchoed) {
  FetchRequest request = Request("Echo401");
  request.bearer_token = "other-secret-value";
  absl::StatusOr<fhir::r4::ContainedResource> result = fetcher_.Fetch(request);
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kPermissionDenied,
                               AllOf(HasSubstr("bad credentials"), HasSubstr("[redacted]"),
                                     Not(HasSubstr("other-secret-value")))));
  EXPECT_THAT(Fetch("Echo401"), StatusIs(absl::StatusCode::kPermissionDenied,
                                         HasSubstr("[redacted]")));
}

TEST_F(CurlFhirFetcherTest, NoTokenSendsNoAuthorizationHeader) {
  FetchRequest request = Request("Patient/1");
  request.bearer_token.clear();
  EXPECT_THAT(Fetch(request, fetcher_),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("HTTP 401")));
}

TEST_F(CurlFhirFetcherTest, TokenThatCouldSplitHeadersIsRejectedUnsent) {
  FetchRequest request = Request("Patient/1");
  request.bearer_token = "abc\r\nX-Evil: 1";
  EXPECT_THAT(Fetch(request, fetcher_), StatusIs(absl::StatusCode::kInvalidArgument,
                                                 Not(HasSubstr("X-Evil"))));
  EXPECT_EQ(server_.Hits("/fhir/Patient/{id}"), 0);
}

TEST_F(CurlFhirFetcherTest, RedirectIsNotFollowed) {
  EXPECT_THAT(Fetch("Redirect"), StatusIs(absl::StatusCode::kFailedPrecondition,
                                          HasSubstr("redirects are not followed")));
}

TEST_F(CurlFhirFetcherTest, HttpIsRefusedUnlessAllowed) {
  CurlFhirFetcherOptions options = TestOptions();
  options.allow_http = false;
  const CurlFhirFetcher fetcher(options);
  EXPECT_THAT(Fetch(Request("Patient/1"), fetcher),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("https only")));
  EXPECT_EQ(server_.Hits("/fhir/Patient/{id}"), 0);
}

TEST_F(CurlFhirFetcherTest, QueriesThatLeaveTheBaseAreRefused) {
  EXPECT_THAT(Fetch("../admin"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Fetch("http://evil.example/Patient/1"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Fetch(""), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(CurlFhirFetcherTest, BadBaseUrlsAreRefused) {
  for (const char* base : {"not a url", "ftp://127.0.0.1/fhir", "http://u:p@127.0.0.1/fhir",
                           "http://127.0.0.1/fhir?x=1"}) {
    FetchRequest request = Request("Patient/1");
    request.fhir_server = base;
    EXPECT_THAT(Fetch(request, fetcher_), StatusIs(absl::StatusCode::kInvalidArgument)) << base;
  }
}

TEST_F(CurlFhirFetcherTest, ConcurrentFetchesShareOneFetcher) {
  constexpr int kThreads = 6;
  constexpr int kEach = 5;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        const std::string id = absl::StrCat(t, "-", i);
        absl::StatusOr<fhir::r4::ContainedResource> result = fetcher_.Fetch(
            Request(absl::StrCat("Patient/", id)));
        if (result.ok() && result->patient().id() == id) ++ok;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), kThreads * kEach);
}

TEST(CurlFhirFetcherNoServerTest, ConnectionRefusedIsUnavailable) {
  uint16_t port = 0;
  {
    auto server = http::Server::Start(http::ServerOptions{}, http::Router());
    ASSERT_TRUE(server.ok()) << server.status();
    port = (*server)->port();
  }  // stopped: nothing listens there now
  CurlFhirFetcherOptions options;
  options.allow_http = true;
  options.use_environment_proxy = false;
  FetchRequest request;
  request.fhir_server = absl::StrCat("http://127.0.0.1:", port, "/fhir");
  request.query = "Patient/1";
  request.bearer_token = kToken;
  request.deadline = absl::Now() + kBound;
  absl::StatusOr<fhir::r4::ContainedResource> result = CurlFhirFetcher(options).Fetch(request);
  EXPECT_THAT(result, StatusIs(absl::StatusCode::kUnavailable, Not(HasSubstr(kToken))));
}

TEST(FhirFetcherHelpers, TakeNextLinkRemovesEveryNextLinkAndReturnsTheFirst) {
  fhir::r4::Bundle bundle;
  for (const auto& [relation, url] : std::vector<std::pair<std::string, std::string>>{
           {"self", "s"}, {"next", "page-2"}, {"previous", "p"}, {"next", "page-3"}}) {
    fhir::r4::Bundle::Link& link = *bundle.add_link();
    link.set_relation(relation);
    link.set_url(url);
  }
  EXPECT_EQ(TakeNextLink(&bundle), "page-2");
  EXPECT_FALSE(HasMorePages(bundle));
  ASSERT_EQ(bundle.link_size(), 2);
  EXPECT_EQ(bundle.link(0).relation(), "self");
  EXPECT_EQ(bundle.link(1).relation(), "previous");
  EXPECT_EQ(TakeNextLink(&bundle), "");
}

}  // namespace
}  // namespace thrombo::service
