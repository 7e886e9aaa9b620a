// Copyright 2026 The Thrombo Authors.
// Tests of ResourceSaxHandler embedded in an outer RapidJSON handler, as a CDS Hooks request
// parser uses it for prefetch resources.
#include "fhir/json_sax_handler.h"

#include <memory>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/memorystream.h"
#include "rapidjson/reader.h"
#include "tests/testing/status_matchers.h"

namespace thrombo::fhir {
namespace {

using ::thrombo::testing::StatusIs;

// A minimal outer handler: forwards the value of the top-level member "embedded" to a
// ResourceSaxHandler and ignores everything else.
class OuterHandler
    : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, OuterHandler> {
 public:
  explicit OuterHandler(r4::ContainedResource* out) : out_(out) {}

  bool Default() { return Forwarding() ? false : true; }
  bool Null() { return Forwarding() ? inner_->Null() : true; }
  bool Bool(bool b) { return Forwarding() ? inner_->Bool(b) : true; }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool c) {
    return Forwarding() ? Done(inner_->RawNumber(s, n, c)) : true;
  }
  bool String(const char* s, rapidjson::SizeType n, bool c) {
    return Forwarding() ? Done(inner_->String(s, n, c)) : true;
  }
  bool Key(const char* s, rapidjson::SizeType n, bool c) {
    if (Forwarding()) return inner_->Key(s, n, c);
    if (depth_ == 1 && std::string(s, n) == "embedded") {
      inner_ = std::make_unique<ResourceSaxHandler>(ParseOptions(), out_, "context.embedded");
    }
    return true;
  }
  bool StartObject() {
    if (Forwarding()) return inner_->StartObject();
    ++depth_;
    return true;
  }
  bool EndObject(rapidjson::SizeType n) {
    if (Forwarding()) return Done(inner_->EndObject(n));
    --depth_;
    return true;
  }
  bool StartArray() { return Forwarding() ? inner_->StartArray() : true; }
  bool EndArray(rapidjson::SizeType n) { return Forwarding() ? inner_->EndArray(n) : true; }

  ResourceSaxHandler* inner() { return inner_.get(); }
  int resumed_after = 0;

 private:
  bool Forwarding() const { return inner_ != nullptr && !inner_->IsComplete(); }
  bool Done(bool ok) {
    if (ok && inner_->IsComplete()) ++resumed_after;
    return ok;
  }
  r4::ContainedResource* out_;
  std::unique_ptr<ResourceSaxHandler> inner_;
  int depth_ = 0;
};

bool ParseOuter(const std::string& json, OuterHandler* handler) {
  rapidjson::Reader reader;
  rapidjson::MemoryStream stream(json.data(), json.size());
  return !reader
              .Parse<rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseIterativeFlag>(
                  stream, *handler)
              .IsError();
}

TEST(ResourceSaxHandlerTest, ParsesAnEmbeddedResourceAndHandsBack) {
  r4::ContainedResource out;
  OuterHandler outer(&out);
  ASSERT_TRUE(ParseOuter(R"({"before": {"a": 1},
      "embedded": {"resourceType": "Bundle", "type": "collection",
                   "entry": [{"resource": {"resourceType": "Patient", "id": "p",
                                           "unknown": {"x": [1]}}}]},
      "after": [1, 2, {"b": null}]})",
                         &outer));
  ASSERT_NE(outer.inner(), nullptr);
  EXPECT_TRUE(outer.inner()->IsComplete());
  EXPECT_EQ(outer.resumed_after, 1);
  EXPECT_EQ(out.bundle().entry(0).resource().patient().id(), "p");
  EXPECT_EQ(outer.inner()->skipped(), 1);
  ASSERT_EQ(outer.inner()->warnings().size(), 1u);
  EXPECT_EQ(outer.inner()->warnings()[0].path, "context.embedded.entry[0].resource.unknown");
}

TEST(ResourceSaxHandlerTest, ErrorPathsStartWithThePrefix) {
  r4::ContainedResource out;
  OuterHandler outer(&out);
  EXPECT_FALSE(ParseOuter(R"({"embedded": {"resourceType": "Patient", "birthDate": "1970-02-30"}})",
                          &outer));
  EXPECT_THAT(outer.inner()->status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       "invalid date \"1970-02-30\" at context.embedded.birthDate"));
  EXPECT_FALSE(outer.inner()->IsComplete());
}

TEST(ResourceSaxHandlerTest, TypedTargetAndNonResourceFragments) {
  r4::Quantity quantity;
  ResourceSaxHandler handler(ParseOptions(), &quantity, "dose");
  EXPECT_TRUE(handler.StartObject());
  EXPECT_TRUE(handler.Key("value", 5, true));
  EXPECT_TRUE(handler.Double(2.5));
  EXPECT_TRUE(handler.Key("unit", 4, true));
  EXPECT_TRUE(handler.String("mg", 2, true));
  EXPECT_FALSE(handler.IsComplete());
  EXPECT_TRUE(handler.EndObject(2));
  EXPECT_TRUE(handler.IsComplete());
  EXPECT_EQ(quantity.value().value(), "2.5");
  EXPECT_FALSE(handler.StartObject());  // nothing may follow the resource
  EXPECT_THAT(handler.status(), StatusIs(absl::StatusCode::kInvalidArgument,
                                         "unexpected content after the resource at dose"));
}

TEST(ResourceSaxHandlerTest, IntegerEventsFromNonRawReaders) {
  r4::Patient patient;
  ResourceSaxHandler handler(ParseOptions(), &patient);
  handler.StartObject();
  handler.Key("resourceType", 12, true);
  handler.String("Patient", 7, true);
  handler.Key("multipleBirthInteger", 20, true);
  EXPECT_TRUE(handler.Int(3));
  EXPECT_TRUE(handler.EndObject(2));
  EXPECT_EQ(patient.multiple_birth_integer(), 3);
}

}  // namespace
}  // namespace thrombo::fhir
