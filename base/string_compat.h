// Copyright 2026 The Thrombo Authors.
// std::string_view <-> absl::string_view: Debian's abseil 20220623 is built with its own
// string_view type, so absl::StrCat and friends do not take std::string_view directly.
#ifndef THROMBO_BASE_STRING_COMPAT_H_
#define THROMBO_BASE_STRING_COMPAT_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace thrombo::base {

// Views, never copies. Thread-safe.
inline absl::string_view Absl(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view Std(absl::string_view s) { return {s.data(), s.size()}; }

}  // namespace thrombo::base

#endif  // THROMBO_BASE_STRING_COMPAT_H_
