// Copyright 2026 The Thrombo Authors.
// FHIR protos read from their protobuf encoding without parsing them: the gRPC hook path's
// counterpart of the JSON route's Observation views (lab_observation.h). A gRPC hook request
// carries its record as encoded FHIR protos, and parsing each Observation into a proto (a dozen
// arena strings and sub-messages) was 38% of a gRPC hook call's instructions in the server
// (docs/benchmarks.md, "eighteenth round"). An Observation of the common shape is read here
// straight from its bytes into the same LabObservation that LabObservationFromProto gives for
// its parsed proto, with views into the bytes; any other is left to the parser.
#ifndef THROMBO_FHIR_WIRE_READER_H_
#define THROMBO_FHIR_WIRE_READER_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "fhir/lab_observation.h"

namespace thrombo::fhir {

// One field of an encoded message, as it lies in the bytes.
struct WireField {
  uint32_t number = 0;
  uint32_t wire_type = 0;    // 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32
  uint64_t varint = 0;       // wire type 0: the value
  std::string_view encoded;  // the tag and the value
  std::string_view payload;  // wire type 2: the bytes after the length
};

// Reads the field at the front of `*bytes` and advances past it. False when the bytes do not
// start with a field: a truncated tag, varint or value, field number 0, or a group (which
// proto3 does not have).
inline bool NextWireField(std::string_view* bytes, WireField* field);

// Reads each field of the encoded message `bytes` through `each(field)`, which returns false to
// stop. False when it stops, or when the bytes do not parse as fields (NextWireField).
template <typename Each>
bool ForEachWireField(std::string_view bytes, Each each);

// Appends the varint encoding of `value`.
void AppendVarint(uint64_t value, std::string* out);

// Appends a length-delimited field `number` whose payload `write(out)` appends: the tag, a
// five-byte length patched in once the payload is written (an over-long varint, which every
// protobuf parser reads; it saves writing the payload twice), then the payload. Returns what
// `write` returns.
template <typename Write>
bool AppendLengthDelimited(uint32_t number, std::string* out, Write write);

// Reads the encoded r4::Observation `bytes` into `*view`, as LabObservationFromProto reads the
// parsed proto, with its views into `bytes`. Only the shape the JSON route reads as a view is
// taken (lab_observation.h: id, status, code as codings of system, code and display and a text,
// subject as a reference, effectiveDateTime, issued, valueQuantity or valueString); elements
// the decision does not read are passed over unjudged, as the JSON route passes over them. False
// for anything else (another element the decision reads, a field given twice, a status out of
// range, a string that is not UTF-8, bytes that do not parse): the caller then parses the
// Observation, whose answer stays the reference.
bool ReadLabObservationWire(std::string_view bytes, LabObservation* view);

// ---- Implementation --------------------------------------------------------------------------

namespace wire_internal {
// NextWireField for any field; the inline part reads the common ones (a one-byte tag, and a
// one-byte varint or length: most fields of a FHIR message) and leaves the rest to this.
bool NextWireFieldSlow(std::string_view* bytes, WireField* field);
inline constexpr size_t kLengthBytes = 5;
// Overwrites the kLengthBytes bytes at `at` with `value` as a varint of that many bytes.
void PatchLength(size_t at, uint32_t value, std::string* out);
}  // namespace wire_internal

inline bool NextWireField(std::string_view* bytes, WireField* field) {
  if (bytes->size() >= 2) {
    const auto tag = static_cast<uint8_t>((*bytes)[0]);
    const auto next = static_cast<uint8_t>((*bytes)[1]);
    const uint32_t wire_type = tag & 7u;
    if (tag < 0x80 && tag >= 8 && next < 0x80 && (wire_type == 0 || wire_type == 2)) {
      const size_t size = wire_type == 0 ? 2 : 2 + size_t{next};
      if (size <= bytes->size()) {
        field->number = tag >> 3;
        field->wire_type = wire_type;
        field->varint = wire_type == 0 ? next : 0;
        field->payload = wire_type == 2 ? bytes->substr(2, next) : std::string_view();
        field->encoded = bytes->substr(0, size);
        bytes->remove_prefix(size);
        return true;
      }
    }
  }
  return wire_internal::NextWireFieldSlow(bytes, field);
}

template <typename Each>
bool ForEachWireField(std::string_view bytes, Each each) {
  WireField field;
  while (!bytes.empty()) {
    if (!NextWireField(&bytes, &field) || !each(field)) return false;
  }
  return true;
}

template <typename Write>
bool AppendLengthDelimited(uint32_t number, std::string* out, Write write) {
  AppendVarint(uint64_t{number} << 3 | 2, out);
  const size_t at = out->size();
  out->append(wire_internal::kLengthBytes, '\0');
  if (!write(out)) return false;
  const size_t length = out->size() - at - wire_internal::kLengthBytes;
  if (length > INT32_MAX) return false;
  wire_internal::PatchLength(at, static_cast<uint32_t>(length), out);
  return true;
}

}  // namespace thrombo::fhir

#endif  // THROMBO_FHIR_WIRE_READER_H_
