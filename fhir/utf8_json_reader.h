// Copyright 2026 The Thrombo Authors.
// RapidJSON's SAX reader over a whole in-memory document that must be UTF-8.
#ifndef THROMBO_FHIR_UTF8_JSON_READER_H_
#define THROMBO_FHIR_UTF8_JSON_READER_H_

#include <string_view>

#include "fhir/utf8.h"
#include "rapidjson/memorystream.h"
#include "rapidjson/reader.h"

namespace thrombo::fhir {

// Runs the reader over `json` with `kFlags`, rejecting ill-formed UTF-8 in strings.
//
// RapidJSON's own check (kParseValidateEncodingFlag) decodes every string byte through a table
// and was a fifth of a hook call's instructions; one IsValidUtf8 pass over the whole document
// checks eight ASCII bytes at a time. Well-formed documents (nearly all) then parse without the
// reader's check; an ill-formed one is parsed with it, so its error and offset are RapidJSON's
// as before. Bytes outside strings need no check: there any non-ASCII byte is a syntax error.
template <unsigned kFlags, typename Handler>
rapidjson::ParseResult ParseUtf8Json(std::string_view json, Handler& handler) {
  rapidjson::Reader reader;
  rapidjson::MemoryStream stream(json.data(), json.size());
  if (IsValidUtf8(json)) return reader.Parse<kFlags>(stream, handler);
  return reader.Parse<kFlags | rapidjson::kParseValidateEncodingFlag>(stream, handler);
}

}  // namespace thrombo::fhir

#endif  // THROMBO_FHIR_UTF8_JSON_READER_H_
