// Copyright 2026 The Thrombo Authors.
#include "service/cds/uuid.h"

#include <openssl/evp.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>

namespace thrombo::service {
namespace {

// This service's UUID namespace (a fixed random UUID, 6c1f7a52-3d0e-4b8e-9a51-2f6f0b9c7d41).
constexpr std::array<uint8_t, 16> kNamespace = {0x6c, 0x1f, 0x7a, 0x52, 0x3d, 0x0e, 0x4b, 0x8e,
                                                0x9a, 0x51, 0x2f, 0x6f, 0x0b, 0x9c, 0x7d, 0x41};

// SHA-1 fetched from the provider once, and one digest context per thread, reset per name: a
// card response names half a dozen uuids, and EVP_Digest allocated a context and looked the
// algorithm up again for each.
const EVP_MD* Sha1() {
  static const EVP_MD* const kSha1 = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA1", nullptr);
    return fetched != nullptr ? fetched : EVP_sha1();
  }();
  return kSha1;
}

EVP_MD_CTX* ThreadContext() {
  thread_local const std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(
      EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  return context.get();
}

// `context` reset to SHA-1 over the namespace, then `name`. SHA-1 is what RFC 4122 specifies
// for version 5; it is a name hash here, not a security use.
void StartHash(EVP_MD_CTX* context, std::string_view name) {
  EVP_DigestInit_ex(context, Sha1(), nullptr);
  EVP_DigestUpdate(context, kNamespace.data(), kNamespace.size());
  EVP_DigestUpdate(context, name.data(), name.size());
}

// The uuid of what `context` has hashed (which it finishes).
std::string FinishUuid(EVP_MD_CTX* context) {
  std::array<uint8_t, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(context, digest.data(), &length);
  digest[6] = static_cast<uint8_t>((digest[6] & 0x0f) | 0x50);  // version 5
  digest[8] = static_cast<uint8_t>((digest[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(36, '-');
  int at = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++at;  // the '-' already there
    out[at++] = kHex[digest[i] >> 4];
    out[at++] = kHex[digest[i] & 0x0f];
  }
  return out;
}

}  // namespace

std::string NameBasedUuid(std::string_view name) {
  EVP_MD_CTX* context = ThreadContext();
  StartHash(context, name);
  return FinishUuid(context);
}

NameBasedUuids::NameBasedUuids(std::string_view prefix)
    : prefix_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
  StartHash(prefix_.get(), prefix);
}

NameBasedUuids::~NameBasedUuids() = default;

std::string NameBasedUuids::Of(std::string_view suffix) const {
  // The thread's context continues from a copy of the prefix's state.
  EVP_MD_CTX* context = ThreadContext();
  EVP_MD_CTX_copy_ex(context, prefix_.get());
  EVP_DigestUpdate(context, suffix.data(), suffix.size());
  return FinishUuid(context);
}

}  // namespace thrombo::service
