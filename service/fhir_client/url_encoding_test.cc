// Copyright 2026 The Thrombo Authors.
// Tests of percent-encoding for relative FHIR queries.
#include "service/fhir_client/url_encoding.h"

#include <string>

#include "gtest/gtest.h"

namespace thrombo::service {
namespace {

TEST(PercentEncodeComponentTest, KeepsOnlyUnreserved) {
  EXPECT_EQ(PercentEncodeComponent("abc-XYZ_0.9~"), "abc-XYZ_0.9~");
  EXPECT_EQ(PercentEncodeComponent("a/b?c&d=e,f|g%h i+j#"),
            "a%2Fb%3Fc%26d%3De%2Cf%7Cg%25h%20i%2Bj%23");
  EXPECT_EQ(PercentEncodeComponent("\xC3\xA9"), "%C3%A9");  // UTF-8 bytes, uppercase hex
}

TEST(PercentEncodeQueryValueTest, KeepsReferencesAndSystemUrlsReadable) {
  EXPECT_EQ(PercentEncodeQueryValue("Patient/123"), "Patient/123");
  EXPECT_EQ(PercentEncodeQueryValue("http://loinc.org|777-3"), "http://loinc.org%7C777-3");
  EXPECT_EQ(PercentEncodeQueryValue("a,b&c=d+e#%"), "a%2Cb%26c%3Dd%2Be%23%25");
}

TEST(EncodeRelativeQueryTest, ReadIsUnchanged) {
  EXPECT_EQ(EncodeRelativeQuery("Patient/123"), "Patient/123");
  EXPECT_EQ(EncodeRelativeQuery("Patient/a b"), "Patient/a%20b");
}

TEST(EncodeRelativeQueryTest, EncodesTokenBarAndKeepsStructure) {
  EXPECT_EQ(EncodeRelativeQuery("Observation?patient=123&code=http://loinc.org|777-3"),
            "Observation?patient=123&code=http://loinc.org%7C777-3");
}

TEST(EncodeRelativeQueryTest, KeepsFhirSearchSyntax) {
  EXPECT_EQ(EncodeRelativeQuery("Condition?code:in=http://x.org/vs&_sort=-date&_count=50"),
            "Condition?code:in=http://x.org/vs&_sort=-date&_count=50");
  EXPECT_EQ(EncodeRelativeQuery("Observation?code=a,b&date=ge2024-01-01"),
            "Observation?code=a,b&date=ge2024-01-01");
  EXPECT_EQ(EncodeRelativeQuery("Observation?subject=Patient/1&_include=Observation:subject"),
            "Observation?subject=Patient/1&_include=Observation:subject");
}

TEST(EncodeRelativeQueryTest, PlusSpaceHashAndExtraEqualsAreEncoded) {
  EXPECT_EQ(EncodeRelativeQuery("Observation?date=ge2024-01-01T00:00:00+01:00"),
            "Observation?date=ge2024-01-01T00:00:00%2B01:00");
  EXPECT_EQ(EncodeRelativeQuery("Patient?name=a b#c&x=y=z"), "Patient?name=a%20b%23c&x=y%3Dz");
}

TEST(EncodeRelativeQueryTest, KeepsEscapesAndIsIdempotent) {
  const std::string once = EncodeRelativeQuery("Observation?code=s|c&note=100%&x=%7C");
  EXPECT_EQ(once, "Observation?code=s%7Cc&note=100%25&x=%7C");
  EXPECT_EQ(EncodeRelativeQuery(once), once);
}

TEST(EncodeRelativeQueryTest, EmptyParametersSurvive) {
  EXPECT_EQ(EncodeRelativeQuery("Patient?"), "Patient?");
  EXPECT_EQ(EncodeRelativeQuery("Patient?a=1&&flag"), "Patient?a=1&&flag");
}

}  // namespace
}  // namespace thrombo::service
