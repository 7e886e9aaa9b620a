// Copyright 2026 The Thrombo Authors.
#include "base/json_index.h"

#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rapidjson/error/en.h"
#include "rapidjson/memorystream.h"
#include "rapidjson/reader.h"

namespace thrombo::base {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

// A text with kPadding readable bytes past its end, as Build requires. The padding holds
// bytes that would be JSON, to show they are never taken for part of the text.
class Padded {
 public:
  explicit Padded(std::string_view text) : buffer_(text) {
    buffer_.append(JsonIndex::kPadding, '1');
  }
  std::string_view text() const { return {buffer_.data(), buffer_.size() - JsonIndex::kPadding}; }

 private:
  std::string buffer_;
};

absl::Status Build(JsonIndex* index, const Padded& padded, int max_depth = 64) {
  return index->Build(padded.text(), max_depth);
}

// Whether RapidJSON (strict RFC 8259 with UTF-8 checked; numbers as text, so that only their
// grammar is judged) accepts `text`.
bool RapidJsonAccepts(std::string_view text) {
  rapidjson::Reader reader;
  rapidjson::BaseReaderHandler<> handler;
  rapidjson::MemoryStream stream(text.data(), text.size());
  return !reader
              .Parse<rapidjson::kParseValidateEncodingFlag |
                     rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseIterativeFlag>(
                  stream, handler)
              .IsError();
}

constexpr char kObservation[] =
    R"({"resourceType": "Observation", "id": "o1", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "777-3"}], "text": "Platelets"},
        "valueQuantity": {"value": 1.50e2, "unit": "10*3/uL"}, "flags": [true, false, null],
        "empty": {}, "none": [], "n": [-0, 12, 3.25, 1E-7]})";

TEST(JsonIndexTest, ReadsEveryValueInPlace) {
  const Padded text(kObservation);
  JsonIndex index;
  ASSERT_TRUE(Build(&index, text).ok());
  ASSERT_EQ(index.root().type(), JsonType::kObject);
  std::vector<std::pair<std::string, JsonType>> members;
  for (const JsonMember member : index.root().object()) {
    members.emplace_back(std::string(member.key), member.value.type());
  }
  EXPECT_THAT(members, ElementsAre(Pair("resourceType", JsonType::kString),
                                   Pair("id", JsonType::kString),
                                   Pair("status", JsonType::kString),
                                   Pair("code", JsonType::kObject),
                                   Pair("valueQuantity", JsonType::kObject),
                                   Pair("flags", JsonType::kArray),
                                   Pair("empty", JsonType::kObject),
                                   Pair("none", JsonType::kArray),
                                   Pair("n", JsonType::kArray)));
  JsonValue value;
  ASSERT_TRUE(index.root().object().Find("valueQuantity", &value));
  JsonValue number;
  ASSERT_TRUE(value.object().Find("value", &number));
  EXPECT_EQ(number.type(), JsonType::kNumber);
  EXPECT_EQ(number.number_text(), "1.50e2");  // exactly as written
  std::string_view unit;
  EXPECT_TRUE(value.object().FindString("unit", &unit));
  EXPECT_EQ(unit, "10*3/uL");
  EXPECT_FALSE(value.object().Find("comparator", &number));

  ASSERT_TRUE(index.root().object().Find("code", &value));
  ASSERT_TRUE(value.object().Find("coding", &value));
  std::vector<std::string> codes;
  for (const JsonValue coding : value.array()) {
    std::string_view code;
    ASSERT_TRUE(coding.object().FindString("code", &code));
    codes.emplace_back(code);
  }
  EXPECT_THAT(codes, ElementsAre("777-3"));

  ASSERT_TRUE(index.root().object().Find("flags", &value));
  std::vector<std::string> flags;
  for (const JsonValue flag : value.array()) {
    flags.push_back(flag.type() == JsonType::kNull ? "null" : flag.boolean() ? "true" : "false");
  }
  EXPECT_THAT(flags, ElementsAre("true", "false", "null"));

  ASSERT_TRUE(index.root().object().Find("n", &value));
  std::vector<std::string> numbers;
  for (const JsonValue item : value.array()) numbers.emplace_back(item.number_text());
  EXPECT_THAT(numbers, ElementsAre("-0", "12", "3.25", "1E-7"));

  for (std::string_view empty : {"empty", "none"}) {
    ASSERT_TRUE(index.root().object().Find(empty, &value));
    int count = 0;
    if (value.type() == JsonType::kObject) {
      for (const JsonMember member : value.object()) {
        static_cast<void>(member);
        ++count;
      }
    } else {
      for (const JsonValue item : value.array()) {
        static_cast<void>(item);
        ++count;
      }
    }
    EXPECT_EQ(count, 0) << empty;
  }
}

TEST(JsonIndexTest, ScalarsAtTheRoot) {
  const std::vector<std::pair<std::string, JsonType>> roots = {
      {" 42 ", JsonType::kNumber}, {"\"x\"", JsonType::kString}, {"true", JsonType::kBool},
      {"null\n", JsonType::kNull}, {"[]", JsonType::kArray},     {"{}", JsonType::kObject},
  };
  JsonIndex index;
  for (const auto& [text, type] : roots) {
    const Padded padded(text);
    ASSERT_TRUE(Build(&index, padded).ok()) << text;
    EXPECT_EQ(index.root().type(), type) << text;
  }
  const Padded number("-12.5e+3");
  ASSERT_TRUE(Build(&index, number).ok());
  EXPECT_EQ(index.root().number_text(), "-12.5e+3");
}

TEST(JsonIndexTest, EscapesAreDecodedInKeysAndValues) {
  const Padded text(
      R"({"a\"b": "line\nbreak \/ tab\t", "e": "caf\u00e9 \ud83d\ude00 \\", "plain": "x"})");
  JsonIndex index;
  ASSERT_TRUE(Build(&index, text).ok());
  std::vector<std::pair<std::string, std::string>> members;
  for (const JsonMember member : index.root().object()) {
    members.emplace_back(std::string(member.key), std::string(member.value.string()));
  }
  EXPECT_THAT(members, ElementsAre(Pair("a\"b", "line\nbreak / tab\t"),
                                   Pair("e", "caf\xC3\xA9 \xF0\x9F\x98\x80 \\"),
                                   Pair("plain", "x")));
}

TEST(JsonIndexTest, RefusesWhatIsNotJsonAnywhereInTheText) {
  // Each error sits in a member a reader would pass over unread.
  const std::vector<std::string> invalid = {
      "",
      "  \n ",
      R"({"skip": [1, 2,], "id": "a"})",
      R"({"skip": tru, "id": "a"})",
      R"({"skip": truex, "id": "a"})",
      R"({"skip": nul, "id": "a"})",
      R"({"skip": 01, "id": "a"})",
      R"({"skip": 1., "id": "a"})",
      R"({"skip": .5, "id": "a"})",
      R"({"skip": -, "id": "a"})",
      R"({"skip": +1, "id": "a"})",
      R"({"skip": 1e, "id": "a"})",
      R"({"skip": 1e+, "id": "a"})",
      R"({"skip": 12ab, "id": "a"})",
      R"({"skip": NaN, "id": "a"})",
      R"({"skip": "\x", "id": "a"})",
      R"({"skip": "\u12", "id": "a"})",
      R"({"skip": "\ud800", "id": "a"})",
      R"({"skip": "\ud800\u0041", "id": "a"})",
      "{\"skip\": \"a\x01b\", \"id\": \"a\"}",
      "{\"skip\": \"\xFF\", \"id\": \"a\"}",
      R"({"skip" 1, "id": "a"})",
      R"({"skip": 1 "id": "a"})",
      R"({"skip": 1,, "id": "a"})",
      R"({"skip": [,1], "id": "a"})",
      R"({"skip": {"a": 1,}, "id": "a"})",
      R"({"skip": {a: 1}, "id": "a"})",
      R"({"skip": ['a'], "id": "a"})",
      R"({"skip": [1}, "id": "a"})",
      R"({"skip": "x" "y", "id": "a"})",
      R"({"id": "a"}})",
      R"({"id": "a"} 2)",
      R"({"id": "a")",
      R"({"id": "a)",
      R"(])",
      R"(:)",
  };
  JsonIndex index;
  for (const std::string& text : invalid) {
    SCOPED_TRACE(text);
    ASSERT_FALSE(RapidJsonAccepts(text));  // the test's own premise
    const Padded padded(text);
    EXPECT_FALSE(Build(&index, padded).ok());
  }
}

// RFC 8259 lets a string escape half of a UTF-16 pair alone (section 8.2: what it means is
// unpredictable), and RapidJSON takes a lone low half. The index refuses it, so a reader built
// on it hands such a text to its reference reader instead of guessing.
TEST(JsonIndexTest, RefusesAnUnpairedSurrogate) {
  JsonIndex index;
  for (const std::string text : {R"(["\udc00"])", R"(["\ud800"])", R"(["\ud800x"])"}) {
    const Padded padded(text);
    EXPECT_FALSE(Build(&index, padded).ok()) << text;
  }
  const Padded paired(R"(["\ud800\udc00"])");
  ASSERT_TRUE(Build(&index, paired).ok());
  EXPECT_EQ((*index.root().array().begin()).string(), "\xF0\x90\x80\x80");
}

// Numbers far past double's range are left to the reference reader: every one RapidJSON
// refuses is refused here (from 300 digits or a +300 exponent, short of RapidJSON's 309), and
// small or merely long ones are read as written.
TEST(JsonIndexTest, RefusesNumbersFarPastDoublesRange) {
  const std::string digits300(300, '9');
  const std::string digits301(301, '9');
  const std::string digits400(400, '9');
  JsonIndex index;
  for (const std::string& number :
       {std::string("1e400"), std::string("1E+309"), std::string("-1e0400"), digits400,
        digits400 + ".5", "-" + digits400, std::string("2e301"), digits301}) {
    const std::string text = "[" + number + "]";
    const Padded padded(text);
    EXPECT_FALSE(Build(&index, padded).ok()) << number;
    if (number != "2e301" && number != digits301) EXPECT_FALSE(RapidJsonAccepts(text)) << number;
  }
  for (const std::string& number :
       {std::string("1e300"), std::string("1e-400"), std::string("0.") + digits400,
        std::string("-1.5E+300"), digits300, std::string("1e-99999999999")}) {
    const std::string text = "[" + number + "]";
    ASSERT_TRUE(RapidJsonAccepts(text)) << number;
    const Padded padded(text);
    ASSERT_TRUE(Build(&index, padded).ok()) << number;
    EXPECT_EQ((*index.root().array().begin()).number_text(), number);
  }
}

// Every text one edit away from a valid one (a byte deleted, or replaced by a byte that matters
// to JSON) is accepted by the index exactly when RapidJSON accepts it.
TEST(JsonIndexTest, AcceptsExactlyWhatRapidJsonAcceptsOneEditAway) {
  const std::string base = kObservation;
  ASSERT_TRUE(RapidJsonAccepts(base));
  std::vector<std::string> texts;
  for (size_t at = 0; at < base.size(); ++at) {
    texts.push_back(base.substr(0, at) + base.substr(at + 1));
    for (char c : std::string_view("\"\\,:{}[]0-+.eEx tn\x01", 20)) {
      std::string edited = base;
      edited[at] = c;
      texts.push_back(edited);
    }
  }
  JsonIndex index;
  int accepted = 0;
  for (const std::string& text : texts) {
    const Padded padded(text);
    const bool ours = Build(&index, padded, /*max_depth=*/1000).ok();
    ASSERT_EQ(ours, RapidJsonAccepts(text)) << text;
    accepted += ours;
  }
  // Both kinds occur (the comparison is not vacuous).
  EXPECT_GT(accepted, 100);
  EXPECT_LT(accepted, static_cast<int>(texts.size()) / 2);
}

TEST(JsonIndexTest, DepthLimitCountsNestedContainers) {
  // Three levels: an object holding an array holding an object.
  const Padded text(R"({"a": [{"b": 1}], "c": "d"})");
  JsonIndex index;
  EXPECT_TRUE(Build(&index, text, 3).ok());
  EXPECT_FALSE(Build(&index, text, 2).ok());
  const Padded scalar("7");
  EXPECT_TRUE(Build(&index, scalar, 0).ok());
  const Padded empty_array("[]");
  EXPECT_FALSE(Build(&index, empty_array, 0).ok());
}

TEST(JsonIndexTest, ReusedForLongerAndShorterTexts) {
  JsonIndex index;
  std::string long_text = "[";
  for (int i = 0; i < 5000; ++i) absl::StrAppend(&long_text, i == 0 ? "" : ",", "\"v", i, "\"");
  long_text += "]";
  const Padded large(long_text);
  ASSERT_TRUE(Build(&index, large).ok());
  int count = 0;
  std::string last;
  for (const JsonValue item : index.root().array()) {
    ++count;
    last = std::string(item.string());
  }
  EXPECT_EQ(count, 5000);
  EXPECT_EQ(last, "v4999");
  const Padded small(R"({"k": "\u0041"})");
  ASSERT_TRUE(Build(&index, small).ok());
  std::string_view k;
  ASSERT_TRUE(index.root().object().FindString("k", &k));
  EXPECT_EQ(k, "A");
  // A broken text after good ones is refused.
  const Padded broken(R"({"k": )");
  EXPECT_FALSE(Build(&index, broken).ok());
}

}  // namespace
}  // namespace thrombo::base
