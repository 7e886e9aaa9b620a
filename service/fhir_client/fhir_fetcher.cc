// Copyright 2026 The Thrombo Authors.
// The FHIR read/search interface: shared helpers.
#include "service/fhir_client/fhir_fetcher.h"

namespace thrombo::service {

bool HasMorePages(const fhir::r4::Bundle& bundle) {
  for (const fhir::r4::Bundle::Link& link : bundle.link()) {
    if (link.relation() == "next") return true;
  }
  return false;
}

}  // namespace thrombo::service
