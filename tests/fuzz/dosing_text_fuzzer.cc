// Copyright 2026 The Thrombo Authors.
// Fuzz target: the dosing text reader (risk/dosing_text.h ParseDosingText, FindCycleDays) and
// the text path of the dexamethasone dose arithmetic (risk/dex_dose.h DoseFromText), with and
// without a caller-supplied strength, cycle length and regimen text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "risk/dex_dose.h"
#include "risk/dosing_text.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  (void)thrombo::risk::ParseDosingText(text);
  (void)thrombo::risk::FindCycleDays(text);
  (void)thrombo::risk::DoseFromText(text, thrombo::risk::DoseContext{});
  thrombo::risk::DoseContext context;
  context.mg_per_unit = 4.0;
  context.cycle_days = 21;
  context.regimen_text = std::string(text);
  (void)thrombo::risk::DoseFromText(text, context);
  // The text as a regimen note, with a dose that is understood on its own.
  context.cycle_days.reset();
  (void)thrombo::risk::DoseFromText("40 mg days 1-4", context);
  return 0;
}
