// Copyright 2026 The Thrombo Authors.
#include "base/json_writer.h"

#include <charconv>
#include <cstdint>
#include <cstring>

namespace thrombo::base {
namespace {

// What follows the backslash for each byte that is escaped (0: written as is). The same table
// as RapidJSON's Writer::WriteString, so the bytes match.
constexpr char kU = 'u';
constexpr char kEscape[256] = {
    kU,  kU, kU, kU,  kU, kU, kU, kU, 'b', 't', 'n', kU, 'f', 'r', kU, kU,  // 0x00
    kU,  kU, kU, kU,  kU, kU, kU, kU, kU,  kU,  kU,  kU, kU,  kU,  kU, kU,  // 0x10
    0,   0,  '"', 0,  0,  0,  0,  0,  0,   0,   0,   0,  0,   0,   0,  0,   // 0x20
    0,   0,  0,  0,   0,  0,  0,  0,  0,   0,   0,   0,  0,   0,   0,  0,   // 0x30
    0,   0,  0,  0,   0,  0,  0,  0,  0,   0,   0,   0,  0,   0,   0,  0,   // 0x40
    0,   0,  0,  0,   0,  0,  0,  0,  0,   0,   0,   0,  '\\', 0,  0,  0,   // 0x50
};

// The bytes of `word` that are below 0x20, '"' or '\\' (bytes >= 0x80 never are), as the high
// bit of each byte: the classic "has a zero byte" / "has a byte less than n" word tests. A
// borrow can flag a byte above a real hit, never below one, so the lowest flag is exact.
inline uint64_t EscapeHits(uint64_t word) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighs = 0x8080808080808080ULL;
  const uint64_t quote = word ^ (kOnes * '"');
  const uint64_t backslash = word ^ (kOnes * '\\');
  const uint64_t hits = ((word - kOnes * 0x20) & ~word) | ((quote - kOnes) & ~quote) |
                        ((backslash - kOnes) & ~backslash);
  return hits & kHighs;
}

// The word tests read data[i] as the lowest byte of the word.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "EscapeHits assumes little-endian");

}  // namespace

void JsonWriter::AppendQuoted(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out->push_back('"');
  const char* const data = text.data();
  const size_t size = text.size();
  size_t run = 0;  // start of the bytes not yet copied
  size_t i = 0;
  while (i < size) {
    // Eight bytes at a time while none needs escaping (card text is long and mostly plain); at
    // a hit, straight to its first escaped byte. Card detail has a newline or a Markdown
    // backslash every few dozen bytes, and stepping byte by byte to each cost more than the
    // plain text around it.
    if (i + 8 <= size) {
      uint64_t word;
      std::memcpy(&word, data + i, 8);
      const uint64_t hits = EscapeHits(word);
      if (hits == 0) {
        i += 8;
        continue;
      }
      i += static_cast<size_t>(__builtin_ctzll(hits)) / 8;
    }
    const unsigned char c = static_cast<unsigned char>(data[i]);
    const char escape = kEscape[c];
    ++i;
    if (escape == 0) continue;
    out->append(data + run, i - 1 - run);
    run = i;
    if (escape == kU) {
      const char seq[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out->append(seq, 6);
    } else {
      const char seq[2] = {'\\', escape};
      out->append(seq, 2);
    }
  }
  out->append(data + run, size - run);
  out->push_back('"');
}

void JsonWriter::Int(int64_t value) {
  Separate();
  char buffer[24];
  const std::to_chars_result end = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out_.append(buffer, end.ptr);
  comma_ = true;
}

void JsonWriter::Uint(uint64_t value) {
  Separate();
  char buffer[24];
  const std::to_chars_result end = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out_.append(buffer, end.ptr);
  comma_ = true;
}

}  // namespace thrombo::base
