// Copyright 2026 The Thrombo Authors.
// Strict unpadded base64url decoder and encoder.
#include "service/auth/base64url.h"

#include <array>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace thrombo::service::auth {
namespace {

constexpr char kAlphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr int8_t kInvalid = -1;

// A 256-entry reverse table built at compile time, so decoding never branches on ranges.
constexpr std::array<int8_t, 256> MakeReverseTable() {
  std::array<int8_t, 256> table{};
  for (auto& entry : table) entry = kInvalid;
  for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = i;
  return table;
}
constexpr std::array<int8_t, 256> kReverse = MakeReverseTable();

}  // namespace

absl::StatusOr<std::string> Base64UrlDecode(std::string_view encoded) {
  if (encoded.size() % 4 == 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("base64url: impossible length ", encoded.size(), " (1 mod 4)"));
  }
  std::string out;
  out.reserve(encoded.size() / 4 * 3 + 2);
  uint32_t accumulator = 0;
  int bits = 0;
  for (size_t i = 0; i < encoded.size(); ++i) {
    const int8_t value = kReverse[static_cast<unsigned char>(encoded[i])];
    if (value == kInvalid) {
      return absl::InvalidArgumentError(
          absl::StrCat("base64url: invalid character at offset ", i,
                       encoded[i] == '=' ? " (padding is not allowed)" : ""));
    }
    accumulator = (accumulator << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((accumulator >> bits) & 0xFF));
    }
  }
  // Leftover bits (2 or 4) are padding inside the last character; RFC 4648 §3.5 lets a decoder
  // reject them when non-zero, and we must, or "AB" and "AC" would decode alike.
  if (bits > 0 && (accumulator & ((1u << bits) - 1)) != 0) {
    return absl::InvalidArgumentError("base64url: non-canonical trailing bits");
  }
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  uint32_t accumulator = 0;
  int bits = 0;
  for (const char c : bytes) {
    accumulator = (accumulator << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(accumulator >> bits) & 0x3F]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(accumulator << (6 - bits)) & 0x3F]);
  return out;
}

}  // namespace thrombo::service::auth
