// Copyright 2026 The Thrombo Authors.
// Test checks over generated Bundles: every reference resolves inside the bundle.
#ifndef THROMBO_SERVICE_SYNTH_BUNDLE_CHECKS_H_
#define THROMBO_SERVICE_SYNTH_BUNDLE_CHECKS_H_

#include <string>
#include <vector>

#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::synth {

// The references in `bundle` that do not resolve, each as "<entry index>: <reference>".
// "urn:uuid:..." must equal some entry's fullUrl; "#id" must name a resource in the `contained`
// list of the entry's resource. Any other form (relative "Patient/1", absolute URLs) is reported
// too, because the generator only emits the two resolvable forms. Display-only references (no
// `reference` string) are fine. Found by reflection, so new reference fields are covered.
std::vector<std::string> UnresolvedReferences(const fhir::r4::Bundle& bundle);

// Every Reference.reference string in `bundle`, in walk order (for shape tests).
std::vector<std::string> AllReferences(const fhir::r4::Bundle& bundle);

}  // namespace thrombo::synth

#endif  // THROMBO_SERVICE_SYNTH_BUNDLE_CHECKS_H_
