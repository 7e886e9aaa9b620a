// Copyright 2026 The Thrombo Authors.
// Fuzz target: the FHIR R4 JSON parser (fhir/json_parser.h). Each input is parsed as one
// resource (lenient and strict), as NDJSON, and a parsed resource is printed back to JSON.
// Parse errors are expected; only crashes, sanitizer reports and hangs are findings.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/status/status.h"
#include "fhir/json_parser.h"
#include "fhir/json_printer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  thrombo::fhir::ParseOptions lenient;
  lenient.max_document_bytes = 1 << 20;
  auto parsed = thrombo::fhir::ParseResource(json, lenient);
  if (parsed.ok()) (void)thrombo::fhir::PrintResource(parsed->resource);

  thrombo::fhir::ParseOptions strict = lenient;
  strict.strict = true;
  strict.check_required = false;
  strict.max_depth = 16;
  (void)thrombo::fhir::ParseResource(json, strict);

  int lines = 0;
  (void)thrombo::fhir::ParseNdjson(json, lenient,
                                   [&lines](int, thrombo::fhir::ParsedResource) {
                                     ++lines;
                                     return absl::OkStatus();
                                   });
  return 0;
}
