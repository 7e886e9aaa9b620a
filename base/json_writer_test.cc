// Copyright 2026 The Thrombo Authors.
// JsonWriter against RapidJSON's Writer (the printer it replaces on the hook route): the same
// calls give the same bytes, for every byte value in strings and for nested structure.
#include "base/json_writer.h"

#include <cstdint>
#include <random>
#include <string>

#include "gtest/gtest.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace thrombo::base {
namespace {

std::string RapidJsonString(const std::string& text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return std::string(buffer.GetString(), buffer.GetSize());
}

std::string OurString(const std::string& text) {
  std::string out;
  JsonWriter writer(&out);
  writer.String(text);
  return out;
}

TEST(JsonWriterTest, EveryByteIsEscapedAsRapidJsonEscapesIt) {
  for (int c = 0; c < 256; ++c) {
    const std::string text = std::string("a") + static_cast<char>(c) + "b";
    EXPECT_EQ(OurString(text), RapidJsonString(text)) << "byte " << c;
  }
}

TEST(JsonWriterTest, NamedEscapesAndUpperCaseHex) {
  EXPECT_EQ(OurString(std::string("\"\\/\b\f\n\r\t\x01\x1f\x7f", 11)),
            "\"\\\"\\\\/\\b\\f\\n\\r\\t\\u0001\\u001F\x7f\"");
  EXPECT_EQ(OurString(std::string("\0", 1)), "\"\\u0000\"");
  EXPECT_EQ(OurString("Hb \xE2\x89\xA5 13 g/dL"), "\"Hb \xE2\x89\xA5 13 g/dL\"");
}

TEST(JsonWriterTest, RandomStringsMatchRapidJson) {
  std::mt19937_64 random(20261202);
  for (int n = 0; n < 2000; ++n) {
    std::string text(random() % 64, ' ');
    for (char& c : text) {
      // Mostly printable text with escapes and high bytes mixed in, as card text is.
      const uint64_t r = random() % 16;
      c = r == 0 ? static_cast<char>(random() % 32)
                 : r == 1 ? static_cast<char>(128 + random() % 128)
                          : static_cast<char>(32 + random() % 95);
    }
    ASSERT_EQ(OurString(text), RapidJsonString(text)) << "string " << n;
  }
}

// Long strings with escapes clustered and spread, so the eight-byte scan jumps to hits at
// every offset within a word, several hits share a word, and a hit ends the string.
TEST(JsonWriterTest, DenseAndSparseEscapesInLongStringsMatchRapidJson) {
  std::mt19937_64 random(20261203);
  const std::string specials("\"\\\n\r\t\x01\x1f", 7);
  for (int n = 0; n < 2000; ++n) {
    std::string text(random() % 300, 'x');
    const uint64_t density = 1 + random() % 40;  // one byte in `density` is special
    for (char& c : text) {
      if (random() % density == 0) c = specials[random() % specials.size()];
    }
    ASSERT_EQ(OurString(text), RapidJsonString(text)) << "string " << n;
  }
}

// Members written once and appended, first, between and last in an object, give the bytes of
// writing them in place.
TEST(JsonWriterTest, FixedMembersGiveTheSameBytesAsWritingThemInPlace) {
  std::string fixed_object;
  JsonWriter fixed(&fixed_object);
  fixed.StartObject();
  fixed.Key("a");
  fixed.String("x\"y");
  fixed.Key("b");
  fixed.StartArray();
  fixed.Int(1);
  fixed.EndArray();
  fixed.EndObject();
  const std::string members = fixed_object.substr(1, fixed_object.size() - 2);

  std::string in_place;
  JsonWriter direct(&in_place);
  std::string appended;
  JsonWriter with_members(&appended);
  for (JsonWriter* w : {&direct, &with_members}) {
    w->StartArray();
    for (int where = 0; where < 3; ++where) {
      w->StartObject();
      if (where > 0) w->NonEmpty("before", "1");
      if (w == &direct) {
        w->Key("a");
        w->String("x\"y");
        w->Key("b");
        w->StartArray();
        w->Int(1);
        w->EndArray();
      } else {
        w->Members(members);
      }
      if (where < 2) w->NonEmpty("after", "2");
      w->EndObject();
    }
    w->EndArray();
  }
  EXPECT_EQ(appended, in_place);
  EXPECT_EQ(in_place,
            "[{\"a\":\"x\\\"y\",\"b\":[1],\"after\":\"2\"},"
            "{\"before\":\"1\",\"a\":\"x\\\"y\",\"b\":[1],\"after\":\"2\"},"
            "{\"before\":\"1\",\"a\":\"x\\\"y\",\"b\":[1]}]");
}

TEST(JsonWriterTest, StructureMatchesRapidJson) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> theirs(buffer);
  std::string out;
  JsonWriter ours(&out);
  theirs.StartObject();
  ours.StartObject();
  theirs.Key("cards");
  ours.Key("cards");
  theirs.StartArray();
  ours.StartArray();
  for (int i = 0; i < 3; ++i) {
    theirs.StartObject();
    ours.StartObject();
    theirs.Key("n");
    ours.Key("n");
    theirs.Int(i - 1);
    ours.Int(i - 1);
    theirs.Key("u");
    ours.Key("u");
    theirs.Uint(4000000000u);
    ours.Uint(4000000000u);
    theirs.Key("empty");
    ours.Key("empty");
    theirs.StartArray();
    ours.StartArray();
    theirs.EndArray();
    ours.EndArray();
    theirs.Key("raw");
    ours.Key("raw");
    theirs.RawValue("2.50", 4, rapidjson::kNumberType);
    ours.Raw("2.50");
    theirs.Key("b");
    ours.Key("b");
    theirs.Bool(i == 1);
    ours.Bool(i == 1);
    theirs.EndObject();
    ours.EndObject();
  }
  theirs.EndArray();
  ours.EndArray();
  theirs.Key("s");
  ours.Key("s");
  theirs.String("x");
  ours.String("x");
  theirs.EndObject();
  ours.EndObject();
  EXPECT_EQ(out, std::string(buffer.GetString(), buffer.GetSize()));
  EXPECT_EQ(out,
            "{\"cards\":[{\"n\":-1,\"u\":4000000000,\"empty\":[],\"raw\":2.50,\"b\":false},"
            "{\"n\":0,\"u\":4000000000,\"empty\":[],\"raw\":2.50,\"b\":true},"
            "{\"n\":1,\"u\":4000000000,\"empty\":[],\"raw\":2.50,\"b\":false}],\"s\":\"x\"}");
}

TEST(JsonWriterTest, NonEmptyLeavesOutEmptyValues) {
  std::string out;
  JsonWriter writer(&out);
  writer.StartObject();
  writer.NonEmpty("a", "");
  writer.NonEmpty("b", "1");
  writer.NonEmpty("c", "");
  writer.NonEmpty("d", "2");
  writer.EndObject();
  EXPECT_EQ(out, "{\"b\":\"1\",\"d\":\"2\"}");
}

}  // namespace
}  // namespace thrombo::base
