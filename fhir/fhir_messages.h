// Copyright 2026 The Thrombo Authors.
// Every message type of the FHIR R4 protos, for code that must cover them all: the generator of
// the typed accessors (field_access_gen.cc) and the test that checks every accessor.
#ifndef THROMBO_FHIR_FHIR_MESSAGES_H_
#define THROMBO_FHIR_FHIR_MESSAGES_H_

#include <vector>

#include "google/protobuf/descriptor.h"

namespace thrombo::fhir {

// The messages of datatypes.proto, then of resources.proto, each followed by its nested
// messages, in declaration order: the same order on every run, so generated code is too.
std::vector<const google::protobuf::Descriptor*> AllFhirMessages();

}  // namespace thrombo::fhir

#endif  // THROMBO_FHIR_FHIR_MESSAGES_H_
