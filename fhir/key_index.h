// Copyright 2026 The Thrombo Authors.
// A small string-keyed lookup table for the JSON codec's hot path: member name -> field entry,
// projection member, enum code. Every JSON key of a parse is looked up once or twice, and with
// absl::flat_hash_map the string hash (absl's mixing hash over the bytes) was most of the cost
// of a lookup. The keys here are short member names, so a hash of the first and last eight
// bytes and the length spreads them well enough, and for a key of up to 16 bytes those bytes
// are the whole key; a longer key that shares them still resolves by a full comparison, so a
// collision costs a probe, never a wrong answer.
#ifndef THROMBO_FHIR_KEY_INDEX_H_
#define THROMBO_FHIR_KEY_INDEX_H_

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace thrombo::fhir {

// A key's first and last (up to) eight bytes, zero-extended. With the key's length they are the
// key itself for a key of up to 16 bytes (the two words cover every byte, overlapping when
// shorter), which most FHIR member names are: such keys are compared as two words.
struct KeyIndexWords {
  uint64_t first = 0;
  uint64_t last = 0;

  KeyIndexWords() = default;
  KeyIndexWords(const char* p, size_t n) {
    if (n >= 8) {
      std::memcpy(&first, p, 8);
      std::memcpy(&last, p + n - 8, 8);
    } else if (n >= 4) {
      uint32_t x;
      uint32_t y;
      std::memcpy(&x, p, 4);
      std::memcpy(&y, p + n - 4, 4);
      first = x;
      last = y;
    } else if (n > 0) {  // every byte of a key of one to three
      first = static_cast<uint8_t>(p[0]) | (uint64_t{static_cast<uint8_t>(p[n / 2])} << 8) |
              (uint64_t{static_cast<uint8_t>(p[n - 1])} << 16);
    }
  }
  // Spread over the table's slots (the low bits are used).
  uint64_t Hash(size_t n) const {
    uint64_t h = (first ^ (uint64_t{n} << 56)) * 0x9E3779B97F4A7C15ULL;
    h ^= last * 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 31);
  }
};

// The longest key that KeyIndexWords holds whole.
constexpr size_t kKeyIndexWordBytes = 16;

// Whether keys `a` and `b`, of the same length `n` > kKeyIndexWordBytes and with the same
// KeyIndexWords (their first and last eight bytes), are equal: the bytes between, a word at a
// time, inline (a memcmp call costs more than comparing the rest of a member name).
inline bool KeyIndexMiddleEqual(const char* a, const char* b, size_t n) {
  for (size_t i = 8; i + 8 < n; i += 8) {  // the last word, overlapping, is compared already
    uint64_t x;
    uint64_t y;
    std::memcpy(&x, a + i, 8);
    std::memcpy(&y, b + i, 8);
    if (x != y) return false;
  }
  return true;
}

// Maps distinct string keys to values of V (copied). Keys are copied in. Open addressing at a
// load factor of at most one half. Not thread-safe while inserting; lookups on a table no
// longer changed are.
template <typename V>
class KeyIndex final {
 public:
  KeyIndex() : slots_(1), mask_(0) {}

  // Adds `key` -> `value` unless `key` is present (the first value stays, as map emplace).
  // Returns whether it was added.
  bool Insert(std::string_view key, const V& value) {
    if (Find(key) != nullptr) return false;
    if ((size_ + 1) * 2 > slots_.size()) Grow();
    Slot slot;
    slot.words = KeyIndexWords(key.data(), key.size());
    slot.offset = static_cast<uint32_t>(keys_.size());
    slot.length = static_cast<uint32_t>(key.size());
    slot.used = true;
    slot.value = value;
    keys_.append(key.data(), key.size());
    Place(slot);
    ++size_;
    return true;
  }

  // Sets `key` to `value`, adding it when absent (as map operator[] then assignment).
  void Set(std::string_view key, const V& value) {
    if (const V* found = Find(key)) {
      *const_cast<V*>(found) = value;
    } else {
      Insert(key, value);
    }
  }

  // The value of `key`, or nullptr when absent. A key of up to 16 bytes is found by comparing
  // two words and its length, a longer one by the bytes between those words as well.
  const V* Find(std::string_view key) const {
    const size_t n = key.size();
    const KeyIndexWords words(key.data(), n);
    for (size_t i = words.Hash(n) & mask_;; i = (i + 1) & mask_) {
      const Slot& slot = slots_[i];
      if (!slot.used) return nullptr;
      if (slot.words.first == words.first && slot.words.last == words.last &&
          slot.length == n &&
          (n <= kKeyIndexWordBytes ||
           KeyIndexMiddleEqual(keys_.data() + slot.offset, key.data(), n))) {
        return &slot.value;
      }
    }
  }

  size_t size() const { return size_; }

 private:
  struct Slot {
    KeyIndexWords words;
    uint32_t offset = 0;
    uint32_t length = 0;
    bool used = false;
    V value{};
  };

  void Place(const Slot& slot) {
    size_t i = slot.words.Hash(slot.length) & mask_;
    while (slots_[i].used) i = (i + 1) & mask_;
    slots_[i] = slot;
  }

  void Grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.size() * 2 < 4 ? 4 : old.size() * 2, Slot());
    mask_ = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.used) Place(slot);
    }
  }

  // Never empty, so Find needs no size check; an unused slot ends every probe (load <= 1/2).
  std::vector<Slot> slots_;
  size_t mask_;
  size_t size_ = 0;
  std::string keys_;  // the keys, back to back
};

// What the keys met at each position of the objects read at one site were looked up to. One
// client's documents give the members of like objects in one order (every Observation of a
// search: resourceType, id, meta, status, ...), so a key is most often the one met at the same
// position of the last such object: comparing the two (two words and a length, as KeyIndex
// compares) answers it without hashing or probing. Anything else is looked up and remembered.
//
// The keys remembered are views: each must outlive the memo's use (both lie in the document
// being read). `scope` names the table the keys are looked up in: a new scope forgets them.
// Not thread-safe: one per reader.
template <typename V, size_t kPositions = 16>
class KeyOrderMemo final {
 public:
  // lookup(key) for the member `key` at `position` of an object of `scope`. The positions of
  // an object are asked in order (0, 1, 2, ...).
  template <typename Lookup>
  V Get(const void* scope, size_t position, std::string_view key, Lookup&& lookup) {
    if (position >= kPositions) return lookup(key);
    if (scope != scope_) {
      scope_ = scope;
      known_ = 0;
    }
    Entry& e = entries_[position];
    const size_t n = key.size();
    const KeyIndexWords words(key.data(), n);
    if (position < known_ && e.first == words.first && e.last == words.last && e.size == n &&
        (n <= kKeyIndexWordBytes || KeyIndexMiddleEqual(e.key, key.data(), n))) {
      return e.value;
    }
    e.value = lookup(key);
    e.first = words.first;
    e.last = words.last;
    e.key = key.data();
    e.size = n;
    // Position p is asked only after p - 1 of the same object, so the positions known are
    // always the first known_.
    if (position == known_) ++known_;
    return e.value;
  }

 private:
  // Left uninitialized until written: a reader makes several memos per document, which cost
  // nothing to make this way.
  struct Entry {
    Entry() {}  // NOLINT: leaves the members unwritten
    uint64_t first;
    uint64_t last;
    const char* key;
    size_t size;
    union {
      V value;
    };
  };
  static_assert(std::is_trivially_destructible_v<V>);
  const void* scope_ = nullptr;
  size_t known_ = 0;  // positions [0, known_) hold the key last met there
  Entry entries_[kPositions];
};

}  // namespace thrombo::fhir

#endif  // THROMBO_FHIR_KEY_INDEX_H_
