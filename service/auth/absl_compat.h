// Copyright 2026 The Thrombo Authors.
// Bridges std::string_view to Debian abseil 20220623, whose absl::string_view is its own type.
#ifndef THROMBO_SERVICE_AUTH_ABSL_COMPAT_H_
#define THROMBO_SERVICE_AUTH_ABSL_COMPAT_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace thrombo::service::auth {

// Debian builds abseil with ABSL_OPTION_USE_STD_STRING_VIEW=0, so StrCat, StrSplit and
// EqualsIgnoreCase do not take std::string_view; our public API does. Views, no copies.
inline absl::string_view ToAbsl(std::string_view s) { return {s.data(), s.size()}; }
inline std::string_view ToStd(absl::string_view s) { return {s.data(), s.size()}; }

}  // namespace thrombo::service::auth

#endif  // THROMBO_SERVICE_AUTH_ABSL_COMPAT_H_
