// Copyright 2026 The Thrombo Authors.
// The RapidJSON SAX handler that turns the events of one FHIR R4 JSON resource into a proto,
// usable alone (see json_parser.h) or embedded in an outer SAX handler (CDS Hooks prefetch).
#ifndef THROMBO_FHIR_JSON_SAX_HANDLER_H_
#define THROMBO_FHIR_JSON_SAX_HANDLER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "fhir/field_table.h"
#include "fhir/parse_issue.h"
#include "google/protobuf/message.h"
#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::fhir {

class LabObservationTable;  // lab_observation.h

// Limits and leniency of the FHIR JSON parser. Every limit, when exceeded, gives an
// InvalidArgument error that names the limit and the path where it was hit.
struct ParseOptions {
  // Unknown elements and unmodelled resource types are errors instead of counted warnings.
  bool strict = false;
  // [(fhir_required)] elements must be present (as a value or as an `_x` extension).
  bool check_required = true;
  size_t max_document_bytes = size_t{16} << 20;  // checked by the json_parser.h functions
  int max_depth = 64;                            // nested JSON objects + arrays
  size_t max_string_bytes = size_t{1} << 20;     // one string, key or number
  int64_t max_elements = 4'000'000;              // JSON values + keys in the document
  size_t max_warnings = 100;  // warnings kept with their path; all are still counted
  // The CDS Hooks path's leniency: real EHR clients send requests that are not strict R4, and
  // an element the decision does not read must not decide whether a clinician gets a card.
  // Instead of failing, the parser then reads one object or primitive where an array is due as
  // a one-element array, accepts missing required elements, and leaves out (drops) an element
  // of the wrong JSON shape or an invalid value; top-level resources of unmodelled types are
  // skipped with a warning. Each departure is reported as a ParseDeviation, so the caller can
  // make the data category of a dropped element UNKNOWN. Limits (kTooLong), a resourceType that
  // does not match its target, and invalid JSON stay errors. `strict` wins over `tolerant`.
  bool tolerant = false;
};

// Validates `text` as a value of primitive element `entry` (not bool, not resourceType) and
// writes it into `message`, as a new last element when `add`: the one value rule of every
// reader. `text` is the content of a JSON string for string, code, id, time, enum and temporal
// elements, and the text of a JSON number for integer and decimal elements; the caller has
// checked the JSON type. InvalidArgument naming what is wrong ("invalid code \"x\"") otherwise,
// when `message` may hold a partly written element the caller must drop. `reflection` is
// message's, or null to look it up when needed.
absl::Status WritePrimitive(google::protobuf::Message* message,
                            const google::protobuf::Reflection* reflection,
                            const FieldEntry& entry, bool add, std::string_view text);

// Receives RapidJSON SAX events for exactly one JSON object, a FHIR resource, and fills a proto.
//
// Numbers should arrive as RawNumber (Reader flag kParseNumbersAsStringsFlag) so decimals keep
// their exact text; Int/Uint/Int64/Uint64 are accepted too, and Double as its shortest
// round-trip text. The first event must be StartObject; IsComplete() turns true on the matching
// EndObject, after which no more events may be sent. Each event returns false on the first
// error, and status() then holds an InvalidArgument error "<what> at <path>" (payloads: see
// parse_issue.h). Error paths start with `path_prefix` when given (e.g. "prefetch.meds"), else
// with the resource type. The handler is not thread-safe; use one per resource.
class ResourceSaxHandler final {
 public:
  // Parses any modelled resource, chosen by "resourceType", into *out (not owned; must outlive
  // the handler). An unmodelled resourceType at the top is an error; inside (Bundle entries,
  // contained) it is skipped with a warning, or an error when options.strict.
  ResourceSaxHandler(const ParseOptions& options, r4::ContainedResource* out,
                     std::string path_prefix = "");
  // Parses into `resource` (not owned), a message of this codebase. For resources,
  // "resourceType" must be present and equal the message's type name; a ContainedResource
  // target behaves like the constructor above. Sub-messages and strings are allocated on
  // `resource`'s arena when it has one (the fast path: see json_parser.h).
  ResourceSaxHandler(const ParseOptions& options, google::protobuf::Message* resource,
                     std::string path_prefix = "");
  ~ResourceSaxHandler();
  ResourceSaxHandler(const ResourceSaxHandler&) = delete;
  ResourceSaxHandler& operator=(const ResourceSaxHandler&) = delete;

  // RapidJSON's Handler concept.
  bool Null();
  bool Bool(bool value);
  bool Int(int value);
  bool Uint(unsigned value);
  bool Int64(int64_t value);
  bool Uint64(uint64_t value);
  bool Double(double value);
  bool RawNumber(const char* text, unsigned length, bool copy);
  bool String(const char* text, unsigned length, bool copy);
  bool StartObject();
  bool Key(const char* text, unsigned length, bool copy);
  // Key() for a caller that has already looked `text` up: `entry` is table.Find(text). Used
  // instead of a second lookup when the object being read is a message of `table` (else the
  // key is looked up as by Key()).
  bool KnownKey(const char* text, unsigned length, const FieldTable& table,
                const FieldEntry& entry);
  bool EndObject(unsigned member_count);
  bool StartArray();
  bool EndArray(unsigned element_count);

  // A member of the object being read that the caller left out without sending its events (the
  // projection reader, fhir/projection_reader.h, skips what the decision does not read). It
  // counts as a member for the empty-object rule, so an object whose members were all skipped
  // is not reported as empty.
  void NoteSkippedMember();
  // Member `key` of the object being read, skipped as above, has a JSON type its element
  // cannot have. In tolerant mode this records a kUnreadMalformed deviation naming its path.
  void NoteUnreadMalformed(std::string_view key);

  // For a reader that writes a whole resource itself (the projection reader's direct writer,
  // projection_reader.h). Right after the resource's opening StartObject, before any member:
  // the message it is read into and that message's table (a ContainedResource's when the type
  // comes from "resourceType"); {nullptr, nullptr} at any other time.
  struct DirectRoot {
    google::protobuf::Message* message = nullptr;
    const FieldTable* table = nullptr;
    // Where the direct writer may put the Observation entries of this resource, when it is a
    // Bundle, as views instead of protos (lab_observation.h); null: as protos. Set by a caller
    // that passes the table on to the record (set_lab_observations, or the hook path's
    // prefetch values).
    LabObservationTable* lab_observations = nullptr;
    // Whether the resource itself, when it is an Observation, may be a view there too (an
    // NDJSON line of a bulk export; not a hook's prefetch value).
    bool root_observation_view = false;
  };
  DirectRoot DirectTarget() const;
  // The table DirectTarget() names for the root resource (not owned; null: none), for its
  // Bundle entries and for the root itself.
  void set_lab_observations(LabObservationTable* table) { lab_observations_ = table; }
  // The caller has written the resource, of type `resource_type`, into DirectTarget() and read
  // its closing brace: the handler is complete, as if every member had been sent and none had
  // given a warning or deviation.
  void CompleteDirect(std::string_view resource_type);

  // True once the resource's closing EndObject has been received without error.
  bool IsComplete() const { return complete_; }
  // OK, or the first error.
  const absl::Status& status() const { return status_; }
  // Unknown elements and skipped resource types (at most options.max_warnings of them).
  const std::vector<ParseIssue>& warnings() const { return warnings_; }
  std::vector<ParseIssue> TakeWarnings() { return std::move(warnings_); }
  // What ParseOptions.tolerant accepted instead of failing (empty otherwise). All are kept up to
  // options.max_warnings; beyond that one per (kind, resource type, element), so a caller can
  // still tell every category that lost an element.
  const std::vector<ParseDeviation>& deviations() const { return deviations_; }
  std::vector<ParseDeviation> TakeDeviations() { return std::move(deviations_); }
  // How many unknown elements and unmodelled resources were skipped (all, not just the kept
  // warnings).
  int64_t skipped() const { return skipped_; }
  // The FHIR path of the element being read, e.g. "Bundle.entry[2].resource.code".
  std::string CurrentPath() const;

 private:
  enum class FrameKind : uint8_t { kMessage, kArray, kSidecarArray, kSkip, kPending };
  enum class JsonType : uint8_t { kNull, kBool, kNumber, kString, kObject, kArray };
  enum class PendingState : uint8_t { kFirstKey, kBuffering, kAwaitType };
  struct Frame;
  struct Event;
  struct NullSlot;

  bool Admit();
  bool AdmitFailed();
  bool StringTooLong(size_t length);
  bool BufferText(uint8_t type, const char* text, unsigned length);
  bool tolerant() const { return options_.tolerant && !options_.strict; }
  void Deviate(ParseDeviation::Kind kind, std::string path, std::string_view what,
               std::string element = "");
  bool DropFailed();
  bool DropValue(std::string_view segment);
  bool SetOrDrop(google::protobuf::Message* message, const FieldEntry& entry, bool add,
                 JsonType type, std::string_view text);
  bool Fail(IssueType type, std::string_view what);
  bool WrongType(const FieldEntry& entry, JsonType got);
  bool Push(Frame frame);
  bool CheckDepth(int extra);

  bool OnScalar(JsonType type, std::string_view text);
  bool OnOtherScalar(JsonType type, std::string_view text);
  bool DuplicateElement(Frame& frame, const FieldEntry& entry, std::string_view key);
  bool OnStartObject();
  bool OnKey(std::string_view key, const FieldTable* known_table = nullptr,
             const FieldEntry* known_entry = nullptr);
  bool OnEndObject();
  bool OnStartArray();
  bool OnEndArray(unsigned element_count);

  bool SetValue(google::protobuf::Message* message, const FieldEntry& entry, bool add,
                JsonType type, std::string_view text);
  bool SetPrimitive(google::protobuf::Message* message, const FieldEntry& entry, bool add,
                    std::string_view text);
  bool AddNull(google::protobuf::Message* message, const FieldEntry& entry);
  bool CheckResourceType(std::string_view type);

  bool StartMemberObject(Frame& parent);
  bool StartElementObject(Frame& parent);
  bool PushMessage(google::protobuf::Message* message, const FieldTable* table,
                   std::string_view segment);
  bool PushPending(google::protobuf::Message* contained, google::protobuf::Message* owner,
                   const FieldEntry* owner_entry, std::string_view segment);
  bool PushSidecar(const Frame& owner_frame, const FieldEntry& entry, int index,
                   std::string_view segment);
  bool UnknownElement(Frame& frame, std::string_view key);
  bool ChoiceConflict(const Frame& frame, const FieldEntry& entry);
  bool FinishMessage(const Frame& frame);
  bool CheckNullSlots(const Frame& frame);
  bool CheckRequired(const Frame& frame);

  bool Buffer(Event event);
  bool OnPendingKey(Frame& frame, std::string_view key);
  bool Dispatch(std::string_view resource_type);
  bool SkipResource(std::string_view resource_type);
  bool Replay();
  bool Deliver(Event event);
  std::string RootSegment() const;
  // CurrentPath() without the member being read: the path of the innermost open element.
  std::string FramesPath() const;

  const ParseOptions options_;
  const std::string path_prefix_;
  google::protobuf::Message* const root_message_;
  const FieldTable* const root_table_;
  const FieldTable* const contained_table_;  // ContainedResource's, for dispatch
  const bool root_is_contained_;
  std::string root_type_;  // the resource type once known, for paths
  LabObservationTable* lab_observations_ = nullptr;

  std::vector<Frame> frames_;
  std::vector<Event> buffer_;  // events of a resource seen before its "resourceType"
  std::vector<NullSlot> null_slots_;
  std::string skip_key_;  // the unknown member being skipped (one at a time)
  bool buffering_ = false;
  bool started_ = false;
  bool complete_ = false;
  int64_t elements_ = 0;
  int64_t skipped_ = 0;
  absl::Status status_;
  std::vector<ParseIssue> warnings_;
  std::vector<ParseDeviation> deviations_;
};

}  // namespace thrombo::fhir

#endif  // THROMBO_FHIR_JSON_SAX_HANDLER_H_
