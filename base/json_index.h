// Copyright 2026 The Thrombo Authors.
// A JSON text checked whole and then read in place, in one pass over its tokens, without
// building a tree.
//
// simdjson's stage 1 finds, at SIMD speed, where every token starts (its structural indexes),
// having checked the UTF-8, that no string holds an unescaped control character and that the
// last string is closed. JsonIndex::Build then walks those token starts once: it checks the
// grammar and every scalar (a string's escapes, a number's digits, the literals true, false
// and null), the nesting depth, and records where each object and array ends and where each
// string's and number's text ends. A value is then read where it lies: a number as its exact
// text (a FHIR decimal keeps its digits), a string as a view of the text (an escaped one as a
// view of its decoded copy), and a value not wanted is passed over in one step, because its end
// is known.
//
// simdjson's DOM (its stage 2) does the same checks but also builds a tape, copies every string
// and converts every number, most of which a reader that wants a few dozen elements never
// looks at (docs/benchmarks.md, "tenth round").
#ifndef THROMBO_BASE_JSON_INDEX_H_
#define THROMBO_BASE_JSON_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace simdjson::internal {
class dom_parser_implementation;
}  // namespace simdjson::internal

namespace thrombo::base {

enum class JsonType : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

class JsonIndex;
class JsonObject;
class JsonArray;

// One value of an indexed text. Cheap to copy; valid while its JsonIndex is unchanged.
class JsonValue final {
 public:
  JsonValue() = default;

  JsonType type() const;
  // type() == kString: the string's value, escapes decoded.
  std::string_view string() const;
  // The string's value when type() == kString.
  bool GetString(std::string_view* out) const {
    if (type() != JsonType::kString) return false;
    *out = string();
    return true;
  }
  // type() == kBool.
  bool boolean() const;
  // type() == kNumber: the number's text exactly as written, e.g. "1.50" or "-2e3".
  std::string_view number_text() const;
  JsonObject object() const;  // type() == kObject
  JsonArray array() const;    // type() == kArray

 private:
  friend class JsonIndex;
  friend class JsonObject;
  friend class JsonArray;
  JsonValue(const JsonIndex* index, uint32_t token) : index_(index), token_(token) {}
  // The token just past this value: a comma, a closing bracket, or the end of the text.
  uint32_t after() const;

  const JsonIndex* index_ = nullptr;
  uint32_t token_ = 0;
};

// A member of an object: its name (escapes decoded) and its value.
struct JsonMember {
  std::string_view key;
  JsonValue value;
};

// An object's members in text order, repeats included.
class JsonObject final {
 public:
  class iterator final {
   public:
    JsonMember operator*() const;
    iterator& operator++();
    bool operator!=(const iterator& other) const { return key_ != other.key_; }

   private:
    friend class JsonObject;
    iterator(const JsonIndex* index, uint32_t key, uint32_t close)
        : index_(index), key_(key), close_(close) {}
    const JsonIndex* index_;
    uint32_t key_;  // the member's name token; close_ past the last member
    uint32_t close_;
  };

  iterator begin() const;
  iterator end() const;
  // The value of the first member named `key`, when there is one.
  bool Find(std::string_view key, JsonValue* value) const;
  // The first member named `key` when it is a string.
  bool FindString(std::string_view key, std::string_view* text) const {
    JsonValue value;
    return Find(key, &value) && value.GetString(text);
  }

 private:
  friend class JsonValue;
  JsonObject(const JsonIndex* index, uint32_t open) : index_(index), open_(open) {}
  const JsonIndex* index_;
  uint32_t open_;
};

// An array's items in order.
class JsonArray final {
 public:
  class iterator final {
   public:
    JsonValue operator*() const { return JsonValue(index_, item_); }
    iterator& operator++();
    bool operator!=(const iterator& other) const { return item_ != other.item_; }

   private:
    friend class JsonArray;
    iterator(const JsonIndex* index, uint32_t item, uint32_t close)
        : index_(index), item_(item), close_(close) {}
    const JsonIndex* index_;
    uint32_t item_;  // the item's first token; close_ past the last item
    uint32_t close_;
  };

  iterator begin() const;
  iterator end() const;

 private:
  friend class JsonValue;
  JsonArray(const JsonIndex* index, uint32_t open) : index_(index), open_(open) {}
  const JsonIndex* index_;
  uint32_t open_;
};

// A checked, indexed JSON text. Reuse one per thread: it keeps its buffers between texts.
class JsonIndex final {
 public:
  // simdjson reads up to this many bytes past a text's end (their content does not matter).
  static constexpr size_t kPadding = 64;
  // See Build().
  static constexpr uint32_t kMaxMagnitudeDigits = 300;

  JsonIndex();
  ~JsonIndex();
  JsonIndex(const JsonIndex&) = delete;
  JsonIndex& operator=(const JsonIndex&) = delete;

  // Checks and indexes `text` (RFC 8259: one value, any type, with surrounding whitespace).
  // kPadding bytes past text's end must be readable. The text must outlive every read of this
  // index. InvalidArgument (for logs: it names the byte offset) when the text is not JSON, when
  // it nests objects and arrays deeper than `max_depth` (a document at depth 1 is an object or
  // array with no container inside), or when it is 1 GiB or longer. Also refused, though RFC
  // 8259 allows them: a string escaping half of a UTF-16 surrogate pair alone, and a number
  // far past double's range (over kMaxMagnitudeDigits digits before the point, or an exponent
  // above +kMaxMagnitudeDigits), which RapidJSON, the reference reader behind this index's
  // callers, refuses from 309: such a text is theirs to answer.
  absl::Status Build(std::string_view text, int max_depth);

  // The document's value (after a successful Build).
  JsonValue root() const { return JsonValue(this, 0); }

 private:
  friend class JsonValue;
  friend class JsonObject;
  friend class JsonArray;

  // aux_ of a string whose decoded copy is in decoded_ (the rest is the copy's offset).
  static constexpr uint32_t kDecoded = uint32_t{1} << 31;
  // Offsets into the text and into decoded_ (each escaped string's copy is shorter than its text,
  // plus a length) stay below kDecoded.
  static constexpr size_t kMaxTextBytes = size_t{1} << 30;

  char At(uint32_t token) const { return text_[starts_[token]]; }
  bool CheckEscapedString(uint32_t token, uint32_t next_start);
  bool CheckNumber(uint32_t token);
  bool CheckLiteral(uint32_t token);
  bool Decode(uint32_t begin, uint32_t end);

  std::unique_ptr<simdjson::internal::dom_parser_implementation> stage1_;
  const char* text_ = "";
  uint32_t size_ = 0;
  const uint32_t* starts_ = nullptr;  // where each token starts: stage 1's structural indexes
  // Per token: for '{' and '[', the token of the matching close; for a string, where the next
  // token starts (its closing quote is the last '"' before) or kDecoded | its copy's offset in
  // decoded_; for a number, the offset just past its text. Sized to the largest text seen; not
  // zeroed (every entry read is written first).
  std::unique_ptr<uint32_t[]> aux_;
  size_t aux_capacity_ = 0;
  std::vector<uint32_t> open_;  // Build's stack of containers not yet closed
  // Where the text has a backslash, in order, then UINT32_MAX.
  std::vector<uint32_t> backslashes_;
  size_t next_backslash_ = 0;  // the first not before the string being checked
  std::string decoded_;         // each escaped string decoded: a uint32 length, then its bytes
};

// ---- Inline definitions: every read of the hook path goes through these ----

namespace json_index_internal {
// The JSON type a value starting with byte `c` has (after Build has checked the text).
inline JsonType TypeOf(char c) {
  switch (c) {
    case '{': return JsonType::kObject;
    case '[': return JsonType::kArray;
    case '"': return JsonType::kString;
    case 't':
    case 'f': return JsonType::kBool;
    case 'n': return JsonType::kNull;
    default: return JsonType::kNumber;
  }
}
}  // namespace json_index_internal

inline JsonType JsonValue::type() const {
  return json_index_internal::TypeOf(index_->At(token_));
}

inline std::string_view JsonValue::string() const {
  const uint32_t aux = index_->aux_[token_];
  if ((aux & JsonIndex::kDecoded) != 0) {
    const char* copy = index_->decoded_.data() + (aux & ~JsonIndex::kDecoded);
    uint32_t length;
    std::memcpy(&length, copy, sizeof(length));
    return {copy + sizeof(length), length};
  }
  const uint32_t begin = index_->starts_[token_] + 1;
  uint32_t close = aux - 1;  // only whitespace lies between the closing quote and `aux`
  while (index_->text_[close] != '"') --close;
  return {index_->text_ + begin, close - begin};
}

inline bool JsonValue::boolean() const { return index_->At(token_) == 't'; }

inline std::string_view JsonValue::number_text() const {
  const uint32_t begin = index_->starts_[token_];
  return {index_->text_ + begin, index_->aux_[token_] - begin};
}

inline JsonObject JsonValue::object() const { return JsonObject(index_, token_); }
inline JsonArray JsonValue::array() const { return JsonArray(index_, token_); }

inline uint32_t JsonValue::after() const {
  const char c = index_->At(token_);
  return c == '{' || c == '[' ? index_->aux_[token_] + 1 : token_ + 1;
}

inline JsonMember JsonObject::iterator::operator*() const {
  return {JsonValue(index_, key_).string(), JsonValue(index_, key_ + 2)};
}

inline JsonObject::iterator& JsonObject::iterator::operator++() {
  const uint32_t after = JsonValue(index_, key_ + 2).after();  // a ',' or the '}'
  key_ = after == close_ ? close_ : after + 1;
  return *this;
}

inline JsonObject::iterator JsonObject::begin() const {
  const uint32_t close = index_->aux_[open_];
  return iterator(index_, open_ + 1 == close ? close : open_ + 1, close);
}

inline JsonObject::iterator JsonObject::end() const {
  const uint32_t close = index_->aux_[open_];
  return iterator(index_, close, close);
}

inline JsonArray::iterator& JsonArray::iterator::operator++() {
  const uint32_t after = JsonValue(index_, item_).after();  // a ',' or the ']'
  item_ = after == close_ ? close_ : after + 1;
  return *this;
}

inline JsonArray::iterator JsonArray::begin() const {
  const uint32_t close = index_->aux_[open_];
  return iterator(index_, open_ + 1 == close ? close : open_ + 1, close);
}

inline JsonArray::iterator JsonArray::end() const {
  const uint32_t close = index_->aux_[open_];
  return iterator(index_, close, close);
}

}  // namespace thrombo::base

#endif  // THROMBO_BASE_JSON_INDEX_H_
