// Copyright 2026 The Thrombo Authors.
// Converts between std::string_view and Debian abseil 20220623's absl::string_view, which is a
// distinct type there (ABSL_OPTION_USE_STD_STRING_VIEW is 0).
#ifndef THROMBO_SERVICE_HTTP_ABSL_COMPAT_H_
#define THROMBO_SERVICE_HTTP_ABSL_COMPAT_H_

#include <string_view>

#include "absl/strings/string_view.h"

namespace thrombo::service::http {

inline absl::string_view ToAbsl(std::string_view text) { return {text.data(), text.size()}; }
inline std::string_view ToStd(absl::string_view text) { return {text.data(), text.size()}; }

}  // namespace thrombo::service::http

#endif  // THROMBO_SERVICE_HTTP_ABSL_COMPAT_H_
