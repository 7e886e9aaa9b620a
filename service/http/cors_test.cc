// Copyright 2026 The Thrombo Authors.
// Tests for the CORS allowlist and preflight answers.
#include "service/http/cors.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thrombo::service::http {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::Pair;

Request Preflight(const char* origin) {
  Request request;
  request.method = "OPTIONS";
  request.path = "/cds-services/vte";
  request.headers.Add("Origin", origin);
  request.headers.Add("Access-Control-Request-Method", "POST");
  request.headers.Add("Access-Control-Request-Headers", "authorization, content-type");
  return request;
}

TEST(CorsPolicy, RecognisesPreflights) {
  EXPECT_TRUE(CorsPolicy::IsPreflight(Preflight("https://ehr.example.org")));
  Request plain;
  plain.method = "OPTIONS";
  EXPECT_FALSE(CorsPolicy::IsPreflight(plain));
}

TEST(CorsPolicy, AllowedOriginGetsTheFullPreflightAnswer) {
  CorsPolicy cors(CorsOptions{{"https://ehr.example.org"}});
  const Response response = cors.Preflight(Preflight("https://ehr.example.org"));
  EXPECT_EQ(response.status, 204);
  EXPECT_THAT(response.headers,
              Contains(Pair("Access-Control-Allow-Origin", "https://ehr.example.org")));
  EXPECT_THAT(response.headers, Contains(Pair("Vary", "Origin")));
  EXPECT_THAT(response.headers, Contains(Pair("Access-Control-Allow-Methods", "GET, POST, OPTIONS")));
  EXPECT_THAT(response.headers,
              Contains(Pair("Access-Control-Allow-Headers", "Content-Type, Authorization")));
  EXPECT_THAT(response.headers, Contains(Pair("Access-Control-Max-Age", "600")));
}

TEST(CorsPolicy, OtherOriginsGetNoCorsHeaders) {
  CorsPolicy cors(CorsOptions{{"https://ehr.example.org"}});
  for (const char* origin : {"https://evil.example.org", "https://ehr.example.org.evil.com",
                             "http://ehr.example.org", "null"}) {
    EXPECT_THAT(cors.Preflight(Preflight(origin)).headers, IsEmpty()) << origin;
  }
  CorsPolicy none;
  EXPECT_THAT(none.Preflight(Preflight("https://ehr.example.org")).headers, IsEmpty());
}

TEST(CorsPolicy, WildcardOnlyWhenConfigured) {
  CorsPolicy cors(CorsOptions{{"*"}});
  EXPECT_EQ(cors.AllowedOrigin(Preflight("https://anyone.example")), "*");
  Request no_origin;
  EXPECT_EQ(cors.AllowedOrigin(no_origin), "");
}

TEST(CorsPolicy, DecoratesOrdinaryResponsesForAllowedOrigins) {
  CorsPolicy cors(CorsOptions{{"https://ehr.example.org"}});
  Request request;
  request.method = "POST";
  request.headers.Add("Origin", "https://ehr.example.org");
  Response response;
  cors.Decorate(request, &response);
  EXPECT_THAT(response.headers,
              Contains(Pair("Access-Control-Allow-Origin", "https://ehr.example.org")));

  Request denied;
  denied.headers.Add("Origin", "https://evil.example.org");
  Response untouched;
  cors.Decorate(denied, &untouched);
  EXPECT_THAT(untouched.headers, IsEmpty());
}

}  // namespace
}  // namespace thrombo::service::http
