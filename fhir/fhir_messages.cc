// Copyright 2026 The Thrombo Authors.
#include "fhir/fhir_messages.h"

#include "proto/fhir/r4/datatypes.pb.h"
#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::fhir {
namespace {

using google::protobuf::Descriptor;

void Collect(const Descriptor* message, std::vector<const Descriptor*>* out) {
  out->push_back(message);
  for (int i = 0; i < message->nested_type_count(); ++i) Collect(message->nested_type(i), out);
}

}  // namespace

std::vector<const Descriptor*> AllFhirMessages() {
  std::vector<const Descriptor*> messages;
  for (const google::protobuf::FileDescriptor* file :
       {r4::Coding::descriptor()->file(), r4::ContainedResource::descriptor()->file()}) {
    for (int i = 0; i < file->message_type_count(); ++i) Collect(file->message_type(i), &messages);
  }
  return messages;
}

}  // namespace thrombo::fhir
