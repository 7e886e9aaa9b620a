// Copyright 2026 The Thrombo Authors.
// A message made on the arena of the output it is meant for (or on the heap when that output has
// none), held until a field of the output takes it.
#ifndef THROMBO_RISK_ARENA_OWNED_H_
#define THROMBO_RISK_ARENA_OWNED_H_

#include <memory>

#include "google/protobuf/arena.h"

namespace thrombo::risk {

// Frees a message made on the heap; one made on an arena is the arena's to free.
template <typename T>
struct ArenaOwnedDeleter {
  void operator()(T* message) const {
    if (message->GetArena() == nullptr) delete message;
  }
};

// Hand it over with AddAllocated (a repeated field) or set_allocated_... (a singular one) after
// release(): on the same arena that moves a pointer, where a copy across arenas would be a deep
// copy. Dropped unused, it is freed with its arena (or here, on the heap).
template <typename T>
using ArenaOwned = std::unique_ptr<T, ArenaOwnedDeleter<T>>;

template <typename T>
ArenaOwned<T> MakeArenaOwned(google::protobuf::Arena* arena) {
  return ArenaOwned<T>(google::protobuf::Arena::CreateMessage<T>(arena));
}

}  // namespace thrombo::risk

#endif  // THROMBO_RISK_ARENA_OWNED_H_
