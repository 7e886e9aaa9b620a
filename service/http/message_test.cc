// Copyright 2026 The Thrombo Authors.
// Tests for header lookup, response helpers and the JSON content-type check.
#include "service/http/message.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thrombo::service::http {
namespace {

using ::testing::HasSubstr;

TEST(Headers, LookupIgnoresCaseAndReturnsTheFirstValue) {
  Headers headers;
  headers.Add("Content-Type", "application/json");
  headers.Add("X-Twice", "one");
  headers.Add("x-twice", "two");
  EXPECT_EQ(headers.Get("content-type"), "application/json");
  EXPECT_EQ(headers.Get("X-TWICE"), "one");
  EXPECT_FALSE(headers.Get("Origin").has_value());
  EXPECT_EQ(headers.fields().size(), 3u);
  EXPECT_EQ(headers.Count("x-TWICE"), 2u);
  EXPECT_EQ(headers.Count("Content-Type"), 1u);
  EXPECT_EQ(headers.Count("Origin"), 0u);
}

TEST(IsJsonContentType, AcceptsJsonAndFhirJsonWithUtf8Charset) {
  for (const char* type :
       {"application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8",
        "application/fhir+json", "application/json; charset=\"utf-8\""}) {
    EXPECT_TRUE(IsJsonContentType(type)) << type;
  }
}

TEST(IsJsonContentType, RejectsOtherTypesAndCharsets) {
  for (const char* type : {"", "text/plain", "application/xml", "application/json-patch+json",
                           "application/json; charset=latin1", "application/json; boundary=x",
                           "application/jsonx"}) {
    EXPECT_FALSE(IsJsonContentType(type)) << type;
  }
}

TEST(RequireJsonContentType, Gives415WithAnOperationOutcome) {
  Request request;
  request.headers.Add("Content-Type", "text/plain");
  const std::optional<Response> rejected = RequireJsonContentType(request);
  ASSERT_TRUE(rejected.has_value());
  EXPECT_EQ(rejected->status, 415);
  EXPECT_EQ(rejected->content_type, "application/fhir+json");
  EXPECT_THAT(rejected->body, HasSubstr("\"code\":\"not-supported\""));
  EXPECT_THAT(rejected->body, HasSubstr("text/plain"));

  Request missing;
  EXPECT_TRUE(RequireJsonContentType(missing).has_value());

  Request good;
  good.headers.Add("content-type", "application/json; charset=utf-8");
  EXPECT_FALSE(RequireJsonContentType(good).has_value());
}

TEST(RequestBody, OwnsAnAssignedTextAndViewsALentOne) {
  RequestBody body;
  body = std::string("{\"a\":1}");
  EXPECT_FALSE(body.lent());
  EXPECT_EQ(body, "{\"a\":1}");
  EXPECT_GE(body.readable_bytes(), body.size());

  const std::string buffer = "{\"b\":2}and the next request";
  body.Lend(std::string_view(buffer).substr(0, 7), buffer.size());
  EXPECT_TRUE(body.lent());
  EXPECT_EQ(body, "{\"b\":2}");
  EXPECT_EQ(body.data(), buffer.data());  // where it lies, not a copy
  EXPECT_EQ(body.readable_bytes(), buffer.size());

  body = std::string("[]");  // owns again
  EXPECT_FALSE(body.lent());
  EXPECT_EQ(body, "[]");
  EXPECT_NE(body.data(), buffer.data());
}

TEST(RequestBody, ALoanIsReadableAtLeastToItsEnd) {
  const std::string buffer = "abc";
  RequestBody body;
  body.Lend(buffer, 1);  // less than its size: the size is what can surely be read
  EXPECT_EQ(body.readable_bytes(), 3u);
}

TEST(JsonResponse, DefaultsTo200Json) {
  const Response response = JsonResponse("{\"cards\":[]}");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, "{\"cards\":[]}");
}

}  // namespace
}  // namespace thrombo::service::http
