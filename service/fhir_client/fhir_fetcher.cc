// Copyright 2026 The Thrombo Authors.
// The FHIR read/search interface: shared helpers.
#include "service/fhir_client/fhir_fetcher.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace thrombo::service {

bool HasMorePages(const fhir::r4::Bundle& bundle) {
  for (const fhir::r4::Bundle::Link& link : bundle.link()) {
    if (link.relation() == "next") return true;
  }
  return false;
}

std::string TakeNextLink(fhir::r4::Bundle* bundle) {
  std::string next;
  auto* links = bundle->mutable_link();
  for (auto it = links->begin(); it != links->end();) {
    if (it->relation() != "next") {
      ++it;
      continue;
    }
    if (next.empty()) next = it->url();
    it = links->erase(it);
  }
  return next;
}

std::string SearchsetErrors(const fhir::r4::Bundle& bundle) {
  constexpr size_t kMaxText = 200;
  std::vector<std::string> errors;
  for (const fhir::r4::Bundle::Entry& entry : bundle.entry()) {
    if (!entry.resource().has_operation_outcome()) continue;
    for (const auto& issue : entry.resource().operation_outcome().issue()) {
      if (issue.severity() != fhir::r4::IssueSeverityCode::ERROR &&
          issue.severity() != fhir::r4::IssueSeverityCode::FATAL) {
        continue;
      }
      std::string text =
          issue.diagnostics().empty() ? issue.details().text() : issue.diagnostics();
      if (text.size() > kMaxText) text = absl::StrCat(text.substr(0, kMaxText - 3), "...");
      errors.push_back(text.empty() ? std::string("an error OperationOutcome") : text);
    }
  }
  return absl::StrJoin(errors, "; ");
}

}  // namespace thrombo::service
