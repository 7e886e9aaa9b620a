// Copyright 2026 The Thrombo Authors.
// Checks on a parsed RapidJSON tree that RapidJSON itself does not make.
#ifndef THROMBO_BASE_JSON_DOM_H_
#define THROMBO_BASE_JSON_DOM_H_

#include <optional>
#include <string>

#include "rapidjson/document.h"

namespace thrombo::base {

// A member name repeated within one object, and where: `path` is the JSON path of the repeat,
// e.g. "feedback[0].card" ("card" for a member of the root object).
struct DuplicateMember {
  std::string name;
  std::string path;
};

// The first repeated member name found in any object under `root`, or nullopt. RapidJSON keeps
// every repeat and FindMember returns the first, while other readers keep the last: a document
// with repeats means different things to different readers, so strict callers refuse it.
// Iterative, so deep nesting cannot exhaust the stack. Thread-safe.
std::optional<DuplicateMember> FirstDuplicateMember(const rapidjson::Value& root);

}  // namespace thrombo::base

#endif  // THROMBO_BASE_JSON_DOM_H_
