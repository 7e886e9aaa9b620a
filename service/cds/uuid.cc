// Copyright 2026 The Thrombo Authors.
#include "service/cds/uuid.h"

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <string>

namespace thrombo::service {
namespace {

// This service's UUID namespace (a fixed random UUID, 6c1f7a52-3d0e-4b8e-9a51-2f6f0b9c7d41).
constexpr std::array<uint8_t, 16> kNamespace = {0x6c, 0x1f, 0x7a, 0x52, 0x3d, 0x0e, 0x4b, 0x8e,
                                                0x9a, 0x51, 0x2f, 0x6f, 0x0b, 0x9c, 0x7d, 0x41};

}  // namespace

std::string NameBasedUuid(std::string_view name) {
  std::string input(reinterpret_cast<const char*>(kNamespace.data()), kNamespace.size());
  input.append(name);
  std::array<uint8_t, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  // SHA-1 is what RFC 4122 specifies for version 5; it is a name hash here, not a security use.
  EVP_Digest(input.data(), input.size(), digest.data(), &length, EVP_sha1(), nullptr);
  digest[6] = static_cast<uint8_t>((digest[6] & 0x0f) | 0x50);  // version 5
  digest[8] = static_cast<uint8_t>((digest[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0x0f]);
  }
  return out;
}

}  // namespace thrombo::service
