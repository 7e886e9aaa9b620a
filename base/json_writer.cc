// Copyright 2026 The Thrombo Authors.
#include "base/json_writer.h"

#include <charconv>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

#if defined(__SSE2__)
// A bit per byte of the sixteen at `p` that is escaped: '"', '\\' or below 0x20.
inline unsigned EscapeMask(const char* p) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  // Unsigned bytes <= 0x1F are those min(byte, 0x1F) leaves unchanged.
  const __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(bytes, _mm_set1_epi8(0x1F)), bytes);
  const __m128i quote = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(bytes, _mm_set1_epi8('\\'));
  return static_cast<unsigned>(
      _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))));
}
#else
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
#endif

// The first byte at or after `i` that is escaped, or `size`. Card text is long and mostly plain,
// with a newline or a Markdown backslash every few dozen bytes: sixteen bytes at a time where
// SSE2 is there (every x86-64), the last partial block as the string's last sixteen bytes;
// elsewhere eight at a time. Strings shorter than a block (member names, codes) byte by byte,
// which for a few bytes costs less than setting up either.
size_t NextEscaped(const char* data, size_t i, size_t size) {
#if defined(__SSE2__)
  if (size >= 16) {
    for (; i + 16 <= size; i += 16) {
      const unsigned mask = EscapeMask(data + i);
      if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
    }
    if (i == size) return size;
    // The bytes before `i` in the last sixteen were checked already: shift them out.
    const unsigned mask = EscapeMask(data + size - 16) >> (i - (size - 16));
    return mask != 0 ? i + static_cast<size_t>(__builtin_ctz(mask)) : size;
  }
#else
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, data + i, 8);
    const uint64_t hits = EscapeHits(word);
    if (hits != 0) return i + static_cast<size_t>(__builtin_ctzll(hits)) / 8;
  }
#endif
  for (; i < size; ++i) {
    if (kEscape[static_cast<unsigned char>(data[i])] != 0) return i;
  }
  return size;
}

}  // namespace

void JsonWriter::AppendQuoted(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out->push_back('"');
  const char* const data = text.data();
  const size_t size = text.size();
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = NextEscaped(data, 0, size); i < size; i = NextEscaped(data, i + 1, size)) {
    out->append(data + run, i - run);
    run = i + 1;
    const unsigned char c = static_cast<unsigned char>(data[i]);
    const char escape = kEscape[c];
    if (escape == kU) {
      const char seq[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
      out->append(seq, 6);
    } else {
      // Two push_backs are inline; an append of two bytes is a library call.
      out->push_back('\\');
      out->push_back(escape);
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
