// Copyright 2026 The Thrombo Authors.
// RapidJSON's SAX reader over a whole in-memory document that must be UTF-8.
#ifndef THROMBO_BASE_UTF8_JSON_READER_H_
#define THROMBO_BASE_UTF8_JSON_READER_H_

#include <string>
#include <string_view>

#include "base/utf8.h"
#include "rapidjson/memorystream.h"
#include "rapidjson/reader.h"
#include "rapidjson/stream.h"

namespace thrombo::base {

// Runs the reader over `json` with `kFlags`, rejecting ill-formed UTF-8 in strings. Handlers
// get each string for the duration of the call only (the `copy` argument says nothing).
//
// Two costs of the plain reader are avoided for the documents that matter, the well-formed ones:
// - RapidJSON's own UTF-8 check (kParseValidateEncodingFlag) decodes every string byte through
//   a table: a fifth of a hook call's instructions. One IsValidUtf8 pass over the whole document
//   checks eight ASCII bytes at a time instead.
// - Copying every string char by char onto the reader's stack: another fifth. In situ parsing
//   unescapes strings in place in a scratch copy of the document (one memcpy) and hands them
//   over where they lie.
// A document with ill-formed UTF-8 or a NUL byte (which in situ parsing would take for the end)
// is parsed the plain way with the reader's check, so its error and offset are RapidJSON's.
// Bytes outside strings need no UTF-8 check: there any non-ASCII byte is a syntax error.
template <unsigned kFlags, typename Handler>
rapidjson::ParseResult ParseUtf8Json(std::string_view json, Handler& handler) {
  rapidjson::Reader reader;
  if (IsValidUtf8(json) && json.find('\0') == std::string_view::npos) {
    std::string scratch(json);  // NUL-terminated, and ours to overwrite
    rapidjson::InsituStringStream stream(scratch.data());
    return reader.Parse<kFlags | rapidjson::kParseInsituFlag>(stream, handler);
  }
  rapidjson::MemoryStream stream(json.data(), json.size());
  return reader.Parse<kFlags | rapidjson::kParseValidateEncodingFlag>(stream, handler);
}

}  // namespace thrombo::base

#endif  // THROMBO_BASE_UTF8_JSON_READER_H_
