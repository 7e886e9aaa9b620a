// Copyright 2026 The Thrombo Authors.
// Typed setters for the FHIR protos, generated at build time from their descriptors
// (field_access_gen.cc), so the JSON reader writes a message's fields through the generated
// accessors instead of protobuf reflection.
//
// Why: on the hook path every element the decision reads is written into a proto. Through
// Reflection each write looks up the field's offset and has-bit from its FieldDescriptor and goes
// through a std::string temporary (about 400 instructions per string or sub-message); the
// generated accessor is a few stores. Reflection stays the fallback for every field kind not
// listed here (bool, integers) and for messages that are not FHIR R4 protos.
#ifndef THROMBO_FHIR_FIELD_ACCESS_H_
#define THROMBO_FHIR_FIELD_ACCESS_H_

#include <string>
#include <string_view>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace thrombo::fhir {

// The accessors of one field. Exactly those that fit the field's type and cardinality are set:
// a singular sub-message has `mutable_message` and `get_message`, a repeated string
// `add_string`, and so on.
struct FieldAccess {
  google::protobuf::Message* (*mutable_message)(google::protobuf::Message*) = nullptr;
  google::protobuf::Message* (*add_message)(google::protobuf::Message*) = nullptr;
  void (*set_string)(google::protobuf::Message*, std::string_view) = nullptr;
  void (*add_string)(google::protobuf::Message*, std::string_view) = nullptr;
  // `number` must be a value of the field's enum (EnumCodes::NumberOf guarantees it).
  void (*set_enum)(google::protobuf::Message*, int number) = nullptr;
  void (*add_enum)(google::protobuf::Message*, int number) = nullptr;
  // Readers of singular fields: the sub-message (its default instance when unset) and the string.
  const google::protobuf::Message& (*get_message)(const google::protobuf::Message&) = nullptr;
  const std::string& (*get_string)(const google::protobuf::Message&) = nullptr;
};

// The generated accessors of `field`, or nullptr when it has none (a field of a message that is
// not a FHIR R4 proto of this codebase, or of a kind without generated accessors). Thread-safe;
// the registry is built on first use and lives for the process.
const FieldAccess* FindFieldAccess(const google::protobuf::FieldDescriptor* field);

}  // namespace thrombo::fhir

#endif  // THROMBO_FHIR_FIELD_ACCESS_H_
