// Copyright 2026 The Thrombo Authors.
#include "fhir/wire_reader.h"

#include <initializer_list>
#include <optional>
#include <vector>

#include "absl/time/time.h"
#include "base/utf8.h"
#include "fhir/field_table.h"
#include "fhir/projection_reader.h"
#include "proto/fhir/r4/datatypes.pb.h"
#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::fhir {
namespace wire_internal {

void PatchLength(size_t at, uint32_t value, std::string* out) {
  char* p = out->data() + at;
  for (size_t i = 0; i + 1 < kLengthBytes; ++i) {
    p[i] = static_cast<char>((value & 0x7f) | 0x80);
    value >>= 7;
  }
  p[kLengthBytes - 1] = static_cast<char>(value);
}

}  // namespace wire_internal

namespace {

bool ReadVarint(std::string_view* bytes, uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (bytes->empty()) return false;
    const uint8_t byte = static_cast<uint8_t>(bytes->front());
    bytes->remove_prefix(1);
    result |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;  // longer than ten bytes
}

// The set of field numbers `numbers`, as a mask for ForEachField. Every number read here is
// below 64 (the Observation's largest is 27); a larger one would be a programming error.
constexpr uint64_t Fields(std::initializer_list<uint32_t> numbers) {
  uint64_t mask = 0;
  for (uint32_t number : numbers) mask |= number < 64 ? uint64_t{1} << number : 0;
  return mask;
}

// Reads each field of the encoded message `bytes` through `read(field)`, which returns false to
// give up. Every field number `read` accepts at most once is in `once` (Fields()): a second
// occurrence would be merged with the first or replace it when parsed, which a view does not
// model, so it gives up too.
template <typename Read>
bool ForEachField(std::string_view bytes, uint64_t once, Read read) {
  uint64_t seen = 0;
  return ForEachWireField(bytes, [&](const WireField& field) {
    if (field.number < 64) {
      const uint64_t bit = uint64_t{1} << field.number;
      if ((once & seen & bit) != 0) return false;
      seen |= bit;
    }
    return read(field);
  });
}

// A string field's text: length-delimited and valid UTF-8, as the parser requires of a proto3
// string.
bool Text(const WireField& field, std::string_view* text) {
  if (field.wire_type != 2 || !base::IsValidUtf8(field.payload)) return false;
  *text = field.payload;
  return true;
}

// A message field of which a view takes one string, its field `number`, and which holds no
// other field (Quantity.value's Decimal, subject's Reference as the JSON route reads it).
bool OnlyText(const WireField& field, uint32_t number, std::string_view* text) {
  return field.wire_type == 2 &&
         ForEachField(field.payload, Fields({number}), [&](const WireField& f) {
           return f.number == number && Text(f, text);
         });
}

bool Varint(const WireField& field, uint64_t* value) {
  if (field.wire_type != 0) return false;
  *value = field.varint;
  return true;
}

// An enum's value: the parser keeps any int32 (proto3 enums are open), read as int32.
bool EnumValue(const WireField& field, int* value) {
  uint64_t raw = 0;
  if (!Varint(field, &raw)) return false;
  *value = static_cast<int>(static_cast<int32_t>(raw));
  return true;
}

// A DateTime or Instant (the same fields): when it starts, as lab_observation.cc's StartOf
// reads it: nothing without a precision.
bool Start(const WireField& field, std::optional<absl::Time>* start) {
  using T = r4::DateTime;
  if (field.wire_type != 2) return false;
  int64_t micros = 0;
  int precision = 0;
  const bool read = ForEachField(
      field.payload,
      Fields({T::kValueUsFieldNumber, T::kPrecisionFieldNumber, T::kTimezoneFieldNumber}),
      [&](const WireField& f) {
        uint64_t raw = 0;
        std::string_view ignored;
        switch (f.number) {
          case T::kValueUsFieldNumber:
            if (!Varint(f, &raw)) return false;
            micros = static_cast<int64_t>(raw);
            return true;
          case T::kPrecisionFieldNumber:
            return EnumValue(f, &precision);
          case T::kTimezoneFieldNumber:
            return Text(f, &ignored);
          default:
            return false;
        }
      });
  if (!read) return false;
  *start = precision == r4::DATE_PRECISION_UNSPECIFIED
               ? std::nullopt
               : std::optional<absl::Time>(absl::FromUnixMicros(micros));
  return true;
}

bool ReadCoding(std::string_view bytes, CodingView* coding) {
  using C = r4::Coding;
  return ForEachField(
      bytes, Fields({C::kSystemFieldNumber, C::kCodeFieldNumber, C::kDisplayFieldNumber}),
      [&](const WireField& f) {
        switch (f.number) {
          case C::kSystemFieldNumber: return Text(f, &coding->system);
          case C::kCodeFieldNumber: return Text(f, &coding->code);
          case C::kDisplayFieldNumber: return Text(f, &coding->display);
          default: return false;  // the JSON route reads no other coding as a view
        }
      });
}

bool ReadCode(std::string_view bytes, LabObservation* view) {
  using CC = r4::CodeableConcept;
  return ForEachField(bytes, Fields({CC::kTextFieldNumber}), [&](const WireField& f) {
    switch (f.number) {
      case CC::kCodingFieldNumber:
        return f.wire_type == 2 && ReadCoding(f.payload, &view->codings.emplace_back());
      case CC::kTextFieldNumber:
        return Text(f, &view->code_text);
      default:
        return false;
    }
  });
}

bool ReadQuantity(std::string_view bytes, LabObservation::Quantity* quantity) {
  using Q = r4::Quantity;
  return ForEachField(
      bytes,
      Fields({Q::kValueFieldNumber, Q::kComparatorFieldNumber, Q::kUnitFieldNumber,
              Q::kSystemFieldNumber, Q::kCodeFieldNumber}),
      [&](const WireField& f) {
        std::string_view ignored;
        int comparator = 0;
        switch (f.number) {
          case Q::kValueFieldNumber:
            return OnlyText(f, r4::Decimal::kValueFieldNumber, &quantity->value);
          case Q::kComparatorFieldNumber:
            if (!EnumValue(f, &comparator)) return false;
            quantity->comparator = static_cast<r4::Quantity::Comparator>(comparator);
            return true;
          case Q::kUnitFieldNumber: return Text(f, &quantity->unit);
          case Q::kSystemFieldNumber: return Text(f, &ignored);
          case Q::kCodeFieldNumber: return Text(f, &quantity->code);
          default: return false;
        }
      });
}

// Whether the decision reads Observation field `number` (DecisionReadPaths): a field it reads
// that a view does not hold sends the Observation to the parser; one it does not read is passed
// over. Built once from the compiled projection.
bool DecisionReads(uint32_t number) {
  static const std::vector<bool>* const kReads = [] {
    const google::protobuf::Descriptor* type = r4::Observation::descriptor();
    const ProjectionNode* node = Projection::Decision().resource()->ForType(type->name());
    const FieldTable& table = FieldTable::For(type);
    // A field with no value entry (the `_x` sidecars' field) counts as read.
    auto* reads = new std::vector<bool>();
    for (int i = 0; i < type->field_count(); ++i) {
      const size_t n = static_cast<size_t>(type->field(i)->number());
      if (reads->size() <= n) reads->resize(n + 1, false);
      (*reads)[n] = true;
    }
    for (const FieldEntry* entry : table.value_entries()) {
      if (entry->field == nullptr) continue;
      (*reads)[static_cast<size_t>(entry->field->number())] = node->Member(entry->key) != nullptr;
    }
    return reads;
  }();
  return number < kReads->size() && (*kReads)[number];
}

}  // namespace

void AppendVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>(value | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

namespace wire_internal {

bool NextWireFieldSlow(std::string_view* bytes, WireField* field) {
  const std::string_view start = *bytes;
  uint64_t tag = 0;
  if (!ReadVarint(bytes, &tag) || tag >> 3 == 0 || tag >> 3 > 0x1fffffff) return false;
  field->number = static_cast<uint32_t>(tag >> 3);
  field->wire_type = static_cast<uint32_t>(tag & 7);
  field->varint = 0;
  field->payload = {};
  switch (field->wire_type) {
    case 0:
      if (!ReadVarint(bytes, &field->varint)) return false;
      break;
    case 1:
    case 5: {
      const size_t size = field->wire_type == 1 ? 8 : 4;
      if (bytes->size() < size) return false;
      bytes->remove_prefix(size);
      break;
    }
    case 2: {
      uint64_t length = 0;
      if (!ReadVarint(bytes, &length) || length > bytes->size()) return false;
      field->payload = bytes->substr(0, static_cast<size_t>(length));
      bytes->remove_prefix(static_cast<size_t>(length));
      break;
    }
    default:  // groups (3, 4) are not proto3; 6 and 7 are not wire types
      return false;
  }
  field->encoded = start.substr(0, start.size() - bytes->size());
  return true;
}

}  // namespace wire_internal

bool ReadLabObservationWire(std::string_view bytes, LabObservation* view) {
  using O = r4::Observation;
  *view = LabObservation();
  bool has_status = false;
  bool has_code = false;
  bool has_effective = false;
  std::optional<absl::Time> effective;
  std::optional<absl::Time> issued;
  const bool read = ForEachField(
      bytes,
      Fields({O::kIdFieldNumber, O::kStatusFieldNumber, O::kCodeFieldNumber,
              O::kSubjectFieldNumber, O::kEffectiveDateTimeFieldNumber, O::kIssuedFieldNumber,
              O::kValueQuantityFieldNumber, O::kValueStringFieldNumber}),
      [&](const WireField& f) {
        int status = 0;
        switch (f.number) {
          case O::kIdFieldNumber:
            return Text(f, &view->id);
          case O::kStatusFieldNumber:
            // Out of range (a stub's, or a number no code has) is the parser's to judge.
            if (!EnumValue(f, &status) || !r4::ObservationStatusCode::Value_IsValid(status)) {
              return false;
            }
            view->status = static_cast<r4::ObservationStatusCode::Value>(status);
            has_status = true;
            return true;
          case O::kCodeFieldNumber:
            has_code = true;
            return f.wire_type == 2 && ReadCode(f.payload, view);
          case O::kSubjectFieldNumber:
            return OnlyText(f, r4::Reference::kReferenceFieldNumber, &view->subject_reference);
          case O::kEffectiveDateTimeFieldNumber:
            has_effective = true;
            return Start(f, &effective);
          case O::kIssuedFieldNumber:
            return Start(f, &issued);
          case O::kValueQuantityFieldNumber:
            if (view->value_kind != LabObservation::ValueKind::kNone) return false;
            view->value_kind = LabObservation::ValueKind::kQuantity;
            return f.wire_type == 2 && ReadQuantity(f.payload, &view->quantity);
          case O::kValueStringFieldNumber:
            if (view->value_kind != LabObservation::ValueKind::kNone) return false;
            view->value_kind = LabObservation::ValueKind::kString;
            return Text(f, &view->value_string);
          default:
            return !DecisionReads(f.number);
        }
      });
  // Status and code are required: an Observation without them is the parser's (and the
  // record's) to report.
  if (!read || !has_status || !has_code) return false;
  // As lab_observation.cc's TimeOf: effectiveDateTime when given (even without a precision),
  // else issued.
  view->time = has_effective ? effective : issued;
  return true;
}

}  // namespace thrombo::fhir
