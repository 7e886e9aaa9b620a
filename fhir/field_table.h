// Copyright 2026 The Thrombo Authors.
// Per-message lookup tables for the FHIR JSON codec: JSON member name -> proto field and the
// FHIR kind of that field, built once per Descriptor from the conventions in datatypes.proto.
#ifndef THROMBO_FHIR_FIELD_TABLE_H_
#define THROMBO_FHIR_FIELD_TABLE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "fhir/field_access.h"
#include "fhir/key_index.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace thrombo::fhir {

// What a JSON member holds, as far as the codec cares.
enum class FieldKind : uint8_t {
  kString,       // string, uri, url, canonical, markdown, ...
  kCode,         // string marked [(fhir_code)]
  kId,           // string marked [(fhir_id)]
  kTime,         // FHIR time kept as text (Timing.repeat.timeOfDay, valueTime)
  kBool,
  kInteger,      // int32
  kPositiveInt,  // int32 named *_positive_int
  kUnsignedInt,  // uint32, or int32 named *_unsigned_int
  kEnum,         // a codes.proto enum
  kDecimal,      // Decimal message, a JSON number
  kDate,         // Date message, a JSON string
  kDateTime,     // DateTime message
  kInstant,      // Instant message
  kMessage,      // a FHIR complex type or backbone element, a JSON object
  kContainedResource,  // ContainedResource, dispatched by "resourceType"
  kResourceType,       // the "resourceType" member of a resource (no proto field)
};

// Maps FHIR codes to enum numbers and back for one codes.proto enum.
class EnumCodes final {
 public:
  explicit EnumCodes(const google::protobuf::EnumDescriptor* descriptor);
  // The enum number for a FHIR code, or -1 when the code is not a value of the enum.
  int NumberOf(std::string_view code) const;
  // The FHIR code of an enum number; empty for 0 (absent) and unknown numbers.
  std::string_view CodeOf(int number) const;
  const google::protobuf::EnumDescriptor* descriptor() const { return descriptor_; }

 private:
  const google::protobuf::EnumDescriptor* descriptor_;
  KeyIndex<int> by_code_;
  absl::flat_hash_map<int, std::string> by_number_;
};

class FieldTable;

// One JSON member of a message: "given", or its sidecar "_given".
struct FieldEntry {
  std::string key;        // the JSON member name as written: "valueQuantity", "_birthDate"
  std::string json_name;  // the element name without '_': "valueQuantity", "birthDate"
  const google::protobuf::FieldDescriptor* field = nullptr;  // null for kResourceType
  // field->cpp_type(), cached: the descriptor computes it behind a once-flag on every call.
  google::protobuf::FieldDescriptor::CppType cpp_type = google::protobuf::FieldDescriptor::CPPTYPE_STRING;
  FieldKind kind = FieldKind::kString;
  bool repeated = false;
  bool is_sidecar = false;    // the `_x` member: id and extensions of primitive `x`
  bool is_primitive = false;  // a FHIR primitive, which may have an `_x` sidecar
  bool required = false;      // [(fhir_required)]
  uint16_t ordinal = 0;       // unique within the table, for duplicate-member detection
  const FieldTable* message_table = nullptr;  // kMessage and kContainedResource
  const EnumCodes* enum_codes = nullptr;      // kEnum
  // The field's generated setters (field_access.h); null for sidecars, resourceType and kinds
  // without them, which are written through Reflection.
  const FieldAccess* access = nullptr;
};

// The lookup table of one message type. Immutable once For() returns it.
class FieldTable final {
 public:
  // The table of `descriptor` (a generated message of this codebase) and of every message it
  // reaches. Built on first use under a global mutex and cached for the life of the process;
  // thread-safe and cheap after the first call. Tables live forever (never destroyed).
  static const FieldTable& For(const google::protobuf::Descriptor* descriptor);
  // The table of PrimitiveExtension as it appears in JSON (a `_x` object): only "id" and
  // "extension". Thread-safe.
  static const FieldTable& ForSidecar();
  // The table of ContainedResource (any resource, chosen by "resourceType"), found once: For()
  // takes the registry's lock, and every resource read asks for this table. Thread-safe.
  static const FieldTable& ForContainedResource();

  // The entry for a JSON member name, or nullptr when the element is not modelled.
  const FieldEntry* Find(std::string_view key) const {
    const FieldEntry* const* found = by_key_.Find(key);
    return found == nullptr ? nullptr : *found;
  }
  // For the ContainedResource table: the oneof member of a resource type name, or nullptr.
  const FieldEntry* FindResourceType(std::string_view resource_type) const {
    const FieldEntry* const* found = by_resource_type_.Find(resource_type);
    return found == nullptr ? nullptr : *found;
  }

  const google::protobuf::Descriptor* descriptor() const { return descriptor_; }
  // The Reflection shared by every message of this type, cached because
  // Message::GetReflection() goes through a once-flag on each call.
  const google::protobuf::Reflection* reflection() const { return reflection_; }
  // True for resources (members of ContainedResource); they carry "resourceType" in JSON.
  bool is_resource() const { return is_resource_; }
  const std::string& resource_type() const { return descriptor_->name(); }
  // The repeated PrimitiveExtension field holding `_x` sidecars, or nullptr if the message has
  // none (its `_x` members are then unknown elements).
  const google::protobuf::FieldDescriptor* primitive_extension_field() const {
    return primitive_extension_field_;
  }
  // Value entries (not sidecars, not resourceType) in field-number order, for printing.
  const std::vector<const FieldEntry*>& value_entries() const { return value_entries_; }
  // Entries marked [(fhir_required)].
  const std::vector<const FieldEntry*>& required_entries() const { return required_entries_; }

 private:
  class Registry;
  explicit FieldTable(const google::protobuf::Descriptor* descriptor) : descriptor_(descriptor) {}

  const google::protobuf::Descriptor* descriptor_;
  const google::protobuf::Reflection* reflection_ = nullptr;
  bool is_resource_ = false;
  const google::protobuf::FieldDescriptor* primitive_extension_field_ = nullptr;
  std::vector<std::unique_ptr<FieldEntry>> entries_;
  // KeyIndex, not a hash map: every JSON key of a parse is looked up here (key_index.h).
  KeyIndex<const FieldEntry*> by_key_;
  KeyIndex<const FieldEntry*> by_resource_type_;
  std::vector<const FieldEntry*> value_entries_;
  std::vector<const FieldEntry*> required_entries_;
};

}  // namespace thrombo::fhir

#endif  // THROMBO_FHIR_FIELD_TABLE_H_
