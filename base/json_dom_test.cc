// Copyright 2026 The Thrombo Authors.
// Tests for the checks on parsed RapidJSON trees.
#include "base/json_dom.h"

#include <string>

#include "gtest/gtest.h"

namespace thrombo::base {
namespace {

std::optional<DuplicateMember> FirstDuplicateIn(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.c_str());
  EXPECT_FALSE(document.HasParseError()) << json;
  return FirstDuplicateMember(document);
}

TEST(FirstDuplicateMember, NoneInADocumentWithoutRepeats) {
  EXPECT_FALSE(FirstDuplicateIn(R"({"a": 1, "b": {"a": 2}, "c": [{"a": 3}, {"a": 4}]})"));
  EXPECT_FALSE(FirstDuplicateIn(R"([1, "a", {"x": null}])"));
}

TEST(FirstDuplicateMember, NamesTheRepeatAndItsPath) {
  std::optional<DuplicateMember> top = FirstDuplicateIn(R"({"hook": "a", "hook": "b"})");
  ASSERT_TRUE(top);
  EXPECT_EQ(top->name, "hook");
  EXPECT_EQ(top->path, "hook");

  std::optional<DuplicateMember> deep =
      FirstDuplicateIn(R"({"feedback": [{"card": "x"}, {"card": "y", "card": "z"}]})");
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->name, "card");
  EXPECT_EQ(deep->path, "feedback[1].card");
}

TEST(FirstDuplicateMember, DeepNestingDoesNotRecurse) {
  std::string json;
  for (int i = 0; i < 100000; ++i) json += "[";
  json += R"({"a": 1, "a": 2})";
  for (int i = 0; i < 100000; ++i) json += "]";
  rapidjson::Document document;
  document.Parse<rapidjson::kParseIterativeFlag>(json.c_str());
  ASSERT_FALSE(document.HasParseError());
  std::optional<DuplicateMember> found = FirstDuplicateMember(document);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "a");
}

}  // namespace
}  // namespace thrombo::base
