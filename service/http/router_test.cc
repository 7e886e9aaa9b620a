// Copyright 2026 The Thrombo Authors.
// Tests for routing, 404 and 405 (no sockets: handlers are pure functions).
#include "service/http/router.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::service::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Pair;
using ::thrombo::testing::StatusIs;

Handler Echo(std::string name) {
  return [name](const Request& request) {
    std::string body = name;
    for (const auto& [key, value] : request.path_params) body += " " + key + "=" + value;
    return JsonResponse(body);
  };
}

Request Make(std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  return request;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(router_.Handle("GET", "/cds-services", Echo("discovery")));
    ASSERT_OK(router_.Handle("POST", "/cds-services/{id}", Echo("service")));
    ASSERT_OK(router_.Handle("POST", "/cds-services/{id}/feedback", Echo("feedback")));
    ASSERT_OK(router_.Handle("GET", "/cds-services/health", Echo("literal")));
  }
  Response Dispatch(std::string method, std::string path, std::string* route = nullptr) {
    Request request = Make(std::move(method), std::move(path));
    return router_.Dispatch(&request, route);
  }
  Router router_;
};

TEST_F(RouterTest, ExactAndPatternRoutes) {
  std::string route;
  EXPECT_EQ(Dispatch("GET", "/cds-services", &route).body, "discovery");
  EXPECT_EQ(route, "/cds-services");
  EXPECT_EQ(Dispatch("POST", "/cds-services/vte", &route).body, "service id=vte");
  EXPECT_EQ(route, "/cds-services/{id}");
  EXPECT_EQ(Dispatch("POST", "/cds-services/vte/feedback").body, "feedback id=vte");
}

TEST_F(RouterTest, LiteralSegmentsBeatParameters) {
  EXPECT_EQ(Dispatch("GET", "/cds-services/health").body, "literal");
  // The literal route owns the path, so POST there is a 405, not the {id} handler.
  EXPECT_EQ(Dispatch("POST", "/cds-services/health").status, 405);
}

TEST_F(RouterTest, UnknownPathIs404WithOperationOutcome) {
  std::string route = "stale";
  for (const char* path : {"/nope", "/cds-services/", "/cds-services/a/b", "", "x"}) {
    const Response response = Dispatch("GET", path, &route);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_THAT(response.body, HasSubstr("not-found"));
    EXPECT_EQ(route, "");
  }
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  const Response response = Dispatch("DELETE", "/cds-services/vte");
  EXPECT_EQ(response.status, 405);
  EXPECT_THAT(response.headers, ::testing::Contains(Pair("Allow", "POST, OPTIONS")));
  EXPECT_THAT(response.body, HasSubstr("not-supported"));
}

TEST_F(RouterTest, PlainOptionsIs204WithAllow) {
  const Response response = Dispatch("OPTIONS", "/cds-services");
  EXPECT_EQ(response.status, 204);
  EXPECT_THAT(response.headers, ::testing::Contains(Pair("Allow", "GET, OPTIONS")));
}

TEST_F(RouterTest, MatchPathReportsTemplateAndMethods) {
  const auto match = router_.MatchPath("/cds-services/x/feedback");
  ASSERT_TRUE(match.has_value());
  EXPECT_EQ(match->route, "/cds-services/{id}/feedback");
  EXPECT_THAT(match->methods, ::testing::ElementsAre("POST"));
  EXPECT_FALSE(router_.MatchPath("/other").has_value());
}

TEST_F(RouterTest, RejectsBadAndDuplicateRoutes) {
  EXPECT_THAT(router_.Handle("GET", "/cds-services", Echo("again")),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(router_.Handle("GET", "no-slash", Echo("x")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(router_.Handle("GET", "/a/{x", Echo("x")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(router_.Handle("GET", "/a/{x}/{x}", Echo("x")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(router_.Handle("GET", "/a//b", Echo("x")),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(router_.Handle("", "/a", Echo("x")), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(Router, ThrowingHandlerGives500) {
  Router router;
  ASSERT_OK(router.Handle("GET", "/boom", [](const Request&) -> Response {
    throw std::runtime_error("kaput");
  }));
  Request request = Make("GET", "/boom");
  const Response response = router.Dispatch(&request);
  EXPECT_EQ(response.status, 500);
  EXPECT_THAT(response.body, HasSubstr("kaput"));
}

}  // namespace
}  // namespace thrombo::service::http
