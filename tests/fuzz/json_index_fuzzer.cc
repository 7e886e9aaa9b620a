// Copyright 2026 The Thrombo Authors.
// Fuzz target: base::JsonIndex, the JSON check under the hook route's projection reader, held to
// RapidJSON (the full reader's tokenizer) as its oracle. A finding is a crash, a sanitizer
// report, or a broken promise (abort):
//   - every text the index accepts, RapidJSON accepts (it may refuse more: then the full reader
//     answers, as for any text the index refuses);
//   - for an accepted text, the index reads the same tree: the same types, member names,
//     strings, literals, and each number's exact text.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/json_index.h"
#include "rapidjson/document.h"
#include "rapidjson/memorystream.h"

namespace {

using thrombo::base::JsonType;
using thrombo::base::JsonValue;

constexpr unsigned kFlags = rapidjson::kParseValidateEncodingFlag |
                            rapidjson::kParseNumbersAsStringsFlag |
                            rapidjson::kParseIterativeFlag;
constexpr int kMaxDepth = 64;

void Require(bool promise) {
  if (!promise) std::abort();
}

std::string_view View(const rapidjson::Value& value) {
  return {value.GetString(), value.GetStringLength()};
}

// The same tree. RapidJSON, with numbers as strings, gives a number as a string holding its
// exact text.
void RequireSame(const JsonValue& ours, const rapidjson::Value& theirs, int depth) {
  Require(depth <= kMaxDepth + 1);
  switch (ours.type()) {
    case JsonType::kNull:
      Require(theirs.IsNull());
      return;
    case JsonType::kBool:
      Require(theirs.IsBool() && theirs.GetBool() == ours.boolean());
      return;
    case JsonType::kNumber:
      Require(theirs.IsString() && View(theirs) == ours.number_text());
      return;
    case JsonType::kString:
      Require(theirs.IsString() && View(theirs) == ours.string());
      return;
    case JsonType::kArray: {
      Require(theirs.IsArray());
      rapidjson::SizeType n = 0;
      for (const JsonValue item : ours.array()) {
        Require(n < theirs.Size());
        RequireSame(item, theirs[n++], depth + 1);
      }
      Require(n == theirs.Size());
      return;
    }
    case JsonType::kObject: {
      Require(theirs.IsObject());
      auto member = theirs.MemberBegin();
      for (const thrombo::base::JsonMember ours_member : ours.object()) {
        Require(member != theirs.MemberEnd());
        Require(View(member->name) == ours_member.key);
        RequireSame(ours_member.value, member->value, depth + 1);
        ++member;
      }
      Require(member == theirs.MemberEnd());
      return;
    }
  }
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string padded(reinterpret_cast<const char*>(data), size);
  padded.append(thrombo::base::JsonIndex::kPadding, '\0');
  const std::string_view text(padded.data(), size);

  thrombo::base::JsonIndex index;
  if (!index.Build(text, kMaxDepth).ok()) return 0;

  rapidjson::Document document;
  rapidjson::MemoryStream stream(text.data(), text.size());
  document.ParseStream<kFlags>(stream);
  Require(!document.HasParseError());
  RequireSame(index.root(), document, 0);
  return 0;
}
