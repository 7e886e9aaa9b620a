// Copyright 2026 The Thrombo Authors.
// Tests for UTF-8 validation and repair.
#include "base/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace thrombo::base {
namespace {

TEST(Utf8, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
}

TEST(Utf8, RejectsOverlongsSurrogatesAndTruncation) {
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("abc\xE2\x82"));       // truncated
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(Utf8, FindsABadByteAtEveryPositionAroundTheAsciiFastPath) {
  // The fast path reads eight bytes at a time; a bad byte must be seen wherever it falls.
  for (size_t length = 1; length <= 40; ++length) {
    for (size_t bad = 0; bad < length; ++bad) {
      std::string text(length, 'a');
      text[bad] = '\xFF';
      EXPECT_FALSE(IsValidUtf8(text)) << length << " " << bad;
      text[bad] = 'b';
      EXPECT_TRUE(IsValidUtf8(text));
    }
  }
  // A multi-byte character straddling an eight-byte boundary, and one cut off by the end.
  EXPECT_TRUE(IsValidUtf8("1234567\xE2\x82\xAC" "89abcdef"));
  EXPECT_FALSE(IsValidUtf8("12345678abcdef\xE2\x82"));
}

TEST(Utf8, SanitizeReplacesEachBadByte) {
  EXPECT_EQ(SanitizeUtf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(SanitizeUtf8("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_TRUE(IsValidUtf8(SanitizeUtf8("\xE2\x82\xC0\xAF")));
}

}  // namespace
}  // namespace thrombo::base
