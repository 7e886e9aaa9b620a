// Copyright 2026 The Thrombo Authors.
// Tests for KeyOrderMemo (KeyIndex itself is tested in field_table_test.cc, beside its main user).
#include "fhir/key_index.h"

#include <string>
#include <string_view>
#include <vector>

#include "gtest/gtest.h"

namespace thrombo::fhir {
namespace {

// A lookup that answers each key with its length and the sum of its bytes, and counts calls.
struct CountingLookup {
  int calls = 0;
  int operator()(std::string_view key) {
    ++calls;
    int sum = static_cast<int>(key.size()) * 1000;
    for (char c : key) sum += static_cast<unsigned char>(c);
    return sum;
  }
};

// The members of like objects in one order: after the first object, none is looked up.
TEST(KeyOrderMemoTest, AnswersRepeatedOrderWithoutLookingUp) {
  const std::vector<std::string> first = {"resourceType", "id", "status", "code", "valueQuantity"};
  const std::vector<std::string> second = first;  // other storage: views into another text
  KeyOrderMemo<int> memo;
  CountingLookup lookup;
  CountingLookup reference;
  const int scope = 0;
  for (const std::vector<std::string>* object : {&first, &second, &first}) {
    for (size_t i = 0; i < object->size(); ++i) {
      EXPECT_EQ(memo.Get(&scope, i, (*object)[i], [&](std::string_view k) { return lookup(k); }),
                reference((*object)[i]));
    }
  }
  EXPECT_EQ(lookup.calls, 5);
}

// A key that differs from the one remembered at its position only in its length, its middle
// bytes or its last byte is looked up, at every length around the comparison's word sizes.
TEST(KeyOrderMemoTest, TellsNearlyEqualKeysApart) {
  const int scope = 0;
  for (size_t n = 0; n <= 40; ++n) {
    std::string key(n, 'y');
    std::vector<std::string> others = {std::string(n + 1, 'y')};
    if (n > 0) {
      std::string middle = key;
      middle[n / 2] = 'z';
      std::string last = key;
      last[n - 1] = 'z';
      others.push_back(middle);
      others.push_back(last);
    }
    for (const std::string& other : others) {
      KeyOrderMemo<int> memo;
      CountingLookup lookup;
      CountingLookup reference;
      const auto get = [&](const std::string& k) {
        return memo.Get(&scope, 0, k, [&](std::string_view v) { return lookup(v); });
      };
      EXPECT_EQ(get(key), reference(key)) << n;
      EXPECT_EQ(get(other), reference(other)) << n << " " << other;
      EXPECT_EQ(get(key), reference(key)) << n;
      EXPECT_EQ(lookup.calls, 3) << n << " " << other;  // each change of key is looked up
      EXPECT_EQ(get(key), reference(key)) << n;
      EXPECT_EQ(lookup.calls, 3) << n;  // the same key again is not
    }
  }
}

// Another scope (another table) forgets what was remembered: the same key may mean another
// member there. Positions past the memo's size are always looked up.
TEST(KeyOrderMemoTest, ForgetsOnANewScopeAndLooksUpPastItsSize) {
  KeyOrderMemo<int, 2> memo;
  const int table_a = 0;
  const int table_b = 0;
  int a_calls = 0;
  int b_calls = 0;
  const auto in_a = [&](std::string_view) { return ++a_calls, 1; };
  const auto in_b = [&](std::string_view) { return ++b_calls, 2; };
  EXPECT_EQ(memo.Get(&table_a, 0, "code", in_a), 1);
  EXPECT_EQ(memo.Get(&table_b, 0, "code", in_b), 2);
  EXPECT_EQ(memo.Get(&table_a, 0, "code", in_a), 1);
  EXPECT_EQ(a_calls, 2);
  EXPECT_EQ(b_calls, 1);
  EXPECT_EQ(memo.Get(&table_a, 2, "text", in_a), 1);
  EXPECT_EQ(memo.Get(&table_a, 2, "text", in_a), 1);
  EXPECT_EQ(a_calls, 4);
}

// A position asked before the ones below it (outside the contract) is looked up every time,
// never answered from an entry that was not written.
TEST(KeyOrderMemoTest, LooksUpAPositionAskedOutOfOrder) {
  KeyOrderMemo<int> memo;
  const int scope = 0;
  CountingLookup lookup;
  const auto get = [&](std::string_view k) {
    return memo.Get(&scope, 5, k, [&](std::string_view v) { return lookup(v); });
  };
  EXPECT_EQ(get("status"), CountingLookup()("status"));
  EXPECT_EQ(get("status"), CountingLookup()("status"));
  EXPECT_EQ(lookup.calls, 2);
}

}  // namespace
}  // namespace thrombo::fhir
