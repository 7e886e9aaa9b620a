// Copyright 2026 The Thrombo Authors.
// UTF-8 checks: FHIR strings are Unicode (JSON on the wire is UTF-8, RFC 8259 section 8.1), and
// JSON we write (error bodies, logs, exports) must always be valid text.
#ifndef THROMBO_BASE_UTF8_H_
#define THROMBO_BASE_UTF8_H_

#include <string>
#include <string_view>

namespace thrombo::base {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
// Runs of ASCII are checked eight bytes at a time: FHIR JSON is almost all ASCII, and the JSON
// readers check a whole body with this once instead of character by character.
bool IsValidUtf8(std::string_view text);

// `text` with every ill-formed byte sequence replaced by U+FFFD. Request paths and header
// values are attacker-controlled bytes; this keeps them from breaking the JSON they are quoted
// in. Pure and thread-safe.
std::string SanitizeUtf8(std::string_view text);

}  // namespace thrombo::base

#endif  // THROMBO_BASE_UTF8_H_
