// Copyright 2026 The Thrombo Authors.
// Name-based UUIDs (RFC 4122 version 5) for cards and suggestions.
#ifndef THROMBO_SERVICE_CDS_UUID_H_
#define THROMBO_SERVICE_CDS_UUID_H_

#include <openssl/types.h>

#include <memory>
#include <string>
#include <string_view>

namespace thrombo::service {

// The version-5 UUID of `name` in this service's namespace, in canonical 8-4-4-4-12 lower-case
// form. Cards are named by the patient, the IMiD orders and the advice (service/cds/cards.h), so
// the same advice keeps its uuid across hooks and calls (a client can replace or de-duplicate
// it; feedback rows still tell calls apart by time and service) and different advice differs.
// Thread-safe.
std::string NameBasedUuid(std::string_view name);

// The uuids of names that share a long prefix: a card's name (two hundred bytes or more) and
// its suggestions' names, which extend it. The prefix is hashed once, so each name costs only
// the hash of what follows it; Of(suffix) == NameBasedUuid(prefix + suffix), byte for byte.
// Each instance is used by one thread at a time.
class NameBasedUuids final {
 public:
  explicit NameBasedUuids(std::string_view prefix);
  ~NameBasedUuids();
  NameBasedUuids(const NameBasedUuids&) = delete;
  NameBasedUuids& operator=(const NameBasedUuids&) = delete;

  std::string Of(std::string_view suffix) const;

 private:
  // The namespace and the prefix hashed.
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> prefix_;
};

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CDS_UUID_H_
