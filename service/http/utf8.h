// Copyright 2026 The Thrombo Authors.
// UTF-8 checks, so JSON we write (error bodies, logs, exports) is always valid text.
#ifndef THROMBO_SERVICE_HTTP_UTF8_H_
#define THROMBO_SERVICE_HTTP_UTF8_H_

#include <string>
#include <string_view>

namespace thrombo::service::http {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool IsValidUtf8(std::string_view text);

// `text` with every ill-formed byte sequence replaced by U+FFFD. Request paths and header
// values are attacker-controlled bytes; this keeps them from breaking the JSON they are quoted
// in. Pure and thread-safe.
std::string SanitizeUtf8(std::string_view text);

}  // namespace thrombo::service::http

#endif  // THROMBO_SERVICE_HTTP_UTF8_H_
