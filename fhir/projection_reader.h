// Copyright 2026 The Thrombo Authors.
// The projection reader: FHIR R4 JSON -> the same protos as json_parser.h, but only the elements
// a decision reads. base::JsonIndex checks the whole text (syntax, UTF-8, depth) at SIMD speed
// and indexes it in one pass; the elements listed in a table of read paths are then read where
// they lie, through the same rules the full reader's ResourceSaxHandler applies, so they are
// type-checked, dropped (tolerant mode) and reported exactly as there; every other element is
// passed over in one step without being judged.
//
// On any failure (invalid JSON, a limit, an element the handler rejects) the text is handed to
// the full reader, whose answer (its error, or its result when it accepts what the index did
// not) is returned: the full reader stays the reference (tests/differential).
#ifndef THROMBO_FHIR_PROJECTION_READER_H_
#define THROMBO_FHIR_PROJECTION_READER_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/json_index.h"
#include "fhir/json_parser.h"
#include "fhir/json_sax_handler.h"
#include "fhir/key_index.h"
#include "fhir/lab_observation.h"
#include "fhir/primitives.h"
#include "google/protobuf/message.h"

namespace thrombo::fhir {

// The elements read of one resource type: space-separated dotted paths of JSON element names,
// e.g. "status code value[x] dosageInstruction dispenseRequest.validityPeriod". A path names
// the whole element (every descendant is read) unless a longer path under it narrows it. "x[x]"
// is a choice element (every valueQuantity, valueString, ...). For every resource, "id",
// "resourceType" and "contained" (each contained resource by its own type's paths) are read;
// for every message reached, its required elements are read too (so a missing one is reported
// as the full reader does), and an element's `_x` sidecar goes with it.
struct ReadPaths {
  std::string_view resource_type;
  std::string_view paths;
};

// One step of the compiled read paths: what to do with the members of a JSON object.
struct ProjectionNode {
  enum class Kind : uint8_t {
    kAll,       // read everything below
    kMembers,   // read the listed members; `other` for the rest (null: skip them)
    kResource,  // a resource: dispatch on "resourceType" to its type's node
  };
  // A listed member: the node to read it through (null: skip it) and, when the node reads
  // members of a FHIR message (`table`), that message's FieldEntry for the key, so that the
  // handler need not look the key up again (null when the table has no such member).
  struct Listed {
    const ProjectionNode* node = nullptr;
    const FieldEntry* entry = nullptr;
  };

  Kind kind = Kind::kAll;
  // kMembers: the table of the message whose members are listed; null for an envelope.
  const FieldTable* table = nullptr;
  // KeyIndex (key_index.h): looked up for every member of every object read. Fill with
  // SetMember().
  KeyIndex<Listed> members;               // kMembers
  const ProjectionNode* other = nullptr;  // kMembers
  KeyIndex<const ProjectionNode*> by_type;  // kResource
  const ProjectionNode* unread_type = nullptr;  // kResource: a type with no read paths

  // Lists member `key` (replacing an earlier listing) with its entry in `table`.
  void SetMember(std::string_view key, const ProjectionNode* node);
  // Member `key` of an object read through this node (kMembers): its node, or nullptr to skip
  // it, and its entry when it is listed; {other, nullptr} when it is not.
  // Defined here, so that the KeyIndex lookup is compiled into it (1.6 k instructions less per
  // hook call than with the definition in the .cc: docs/benchmarks.md, "seventh round").
  Listed Lookup(std::string_view key) const {
    const Listed* found = members.Find(key);
    return found == nullptr ? Listed{other, nullptr} : *found;
  }
  // Lookup(key).node.
  const ProjectionNode* Member(std::string_view key) const { return Lookup(key).node; }
  // kResource: the node of `resource_type`.
  const ProjectionNode* ForType(std::string_view resource_type) const;
};

// Compiled read paths. Immutable once built; thread-safe.
class Projection final {
 public:
  // Compiles `table` against the FHIR protos' field tables. InvalidArgument naming the entry
  // when a resource type or element does not exist.
  static absl::StatusOr<std::unique_ptr<Projection>> Compile(const std::vector<ReadPaths>& table);
  // What the risk engine, PatientRecord and the hook service read (DecisionReadPaths()).
  static const Projection& Decision();

  // A resource of any type (ContainedResource): the root of a resource read.
  const ProjectionNode* resource() const { return resource_; }
  // Reads everything below: for envelopes around resources.
  const ProjectionNode* all() const { return all_; }
  // A new node owned by this projection (for envelopes built around resource()).
  ProjectionNode* NewNode(ProjectionNode::Kind kind) const;

 private:
  Projection() = default;
  mutable std::vector<std::unique_ptr<ProjectionNode>> nodes_;
  const ProjectionNode* resource_ = nullptr;
  const ProjectionNode* all_ = nullptr;
};

// The table of what the decision reads, one line per resource type. Adding an element the
// engine reads is one path here (tests/differential checks the table against the full reader).
const std::vector<ReadPaths>& DecisionReadPaths();

// What a projected read left out or could not do.
struct ProjectionStats {
  int64_t unread_members = 0;  // members skipped unjudged (not read by the decision)
  bool fell_back = false;      // the full reader produced the answer
  // Resources written straight into their protos, and those whose events went to the handler
  // because the direct writer found something only the handler judges (ProjectedEvents).
  int64_t direct_resources = 0;
  int64_t replayed_resources = 0;
};

// A JSON text checked and indexed by base::JsonIndex. Reuse one per thread: it keeps its buffers
// between documents.
class ProjectionDocument final {
 public:
  ProjectionDocument();
  ~ProjectionDocument();
  // Checks and indexes `json` (which must outlive the document's use). Any error means "let the
  // full reader decide"; its message is for logs only. Nesting deeper than `max_depth` (the
  // ParseOptions limit) is an error too: the full reader refuses such a text, and the walk can
  // then pass over an unread value without measuring its depth. When `readable_bytes` (how many
  // bytes may be read from json.data() on, e.g. a std::string's capacity()) leaves the index's
  // padding past the text, the text is read in place; otherwise it is copied into a padded
  // buffer. The padding is read but its content does not matter.
  absl::Status Parse(std::string_view json, int max_depth, size_t readable_bytes = 0);
  base::JsonValue root() const { return index_.root(); }
  // The length of the text parsed.
  size_t size() const { return json_.size(); }
  // The depth limit the text was checked against.
  int max_depth() const { return max_depth_; }

 private:
  base::JsonIndex index_;
  std::unique_ptr<char[]> padded_;  // the text + padding, reused between documents
  size_t padded_capacity_ = 0;
  std::string_view json_;
  int max_depth_ = 0;
};

// Whether a JSON value of `type` can stand for `entry`'s element in FHIR R4 JSON: an object for
// a complex element or an `_x` sidecar, a string, number or boolean for a primitive; an array
// for a repeated element (its items are not looked at), or one item alone (read as a
// one-element array by the tolerant reader); never null.
bool JsonTypeFits(const FieldEntry& entry, base::JsonType type);

// Whether Bundle `bundle` may have a later page: a link whose relation is "next", or a link
// member this cannot read. The hook path copies such a Bundle to append the next page to it.
bool MayHaveNextPage(base::JsonObject bundle);

// The JSON kinds of a primitive element's value, for the direct writer (ProjectedEvents).
bool IsStringKind(FieldKind kind);
bool IsNumberKind(FieldKind kind);
// Sets (or adds) bool element `entry` of `message`.
bool WriteBool(google::protobuf::Message* message, const FieldEntry& entry, bool add, bool value);

// Whether `document` is too short to pass the string length and element limits of `options`.
// Every string, key and number is part of the text, and every value and key starts at its own
// byte, so a text no longer than both limits cannot pass either (the full reader would not fail
// either). Most texts are far shorter than the limits (1 MiB and 4 M elements by default).
inline bool WithinCountedLimits(const ProjectionDocument& document,
                                const ParseOptions& options) {
  return document.size() <= options.max_string_bytes &&
         document.size() <= static_cast<uint64_t>(std::max<int64_t>(options.max_elements, 0));
}

// Sends the events of `element`, read through `node`, to `handler` (ResourceSaxHandler, or an
// envelope handler with the same event methods, KnownKey(), NoteSkippedMember(),
// NoteUnreadMalformed(), DirectTarget() and CompleteDirect()), writing each well-formed resource
// straight into its proto instead where it can (the direct writer, below). Returns false when
// the handler refused an event or a limit of `options` was passed in a skipped part (then
// limit_hit() is true).
//
// kCountsLimits = false leaves out the string length and element counts, which every key and
// value read would otherwise pay (about 20 k instructions of a hook call: docs/benchmarks.md,
// "twenty-eighth round"); only for a document WithinCountedLimits(). WithProjectedEvents picks.
template <typename Handler, bool kCountsLimits = true>
class ProjectedEvents final {
 public:
  ProjectedEvents(const ProjectionDocument& document, const ParseOptions& options,
                  Handler* handler)
      : options_(options),
        handler_(*handler),
        // A text checked against this depth limit (or a lower one) cannot pass it either. Then
        // Skip() need not measure, count or descend.
        skip_unmeasured_(WithinCountedLimits(document, options) &&
                         document.max_depth() <= options.max_depth),
        max_string_bytes_(options.max_string_bytes),
        elements_left_(std::max<int64_t>(options.max_elements, 0)) {}

  bool Walk(base::JsonValue element, const ProjectionNode* node) {
    return Emit(element, node, 0);
  }
  bool limit_hit() const { return limit_hit_; }
  int64_t unread_members() const { return unread_members_; }
  // Resources written by the direct writer, and those it left to the handler.
  int64_t direct_resources() const { return direct_resources_; }
  int64_t replayed_resources() const { return replayed_resources_; }

 private:
  bool Limit() {
    limit_hit_ = true;
    return false;
  }
  // Called for every element and key read (thousands per request): the limits are held here,
  // not read through options_ each time, and the elements still allowed count down.
  bool Count() {
    if constexpr (kCountsLimits) return --elements_left_ >= 0 || Limit();
    return true;
  }
  bool Length(size_t n) {
    if constexpr (kCountsLimits) return n <= max_string_bytes_ || Limit();
    return true;
  }

  bool Emit(base::JsonValue element, const ProjectionNode* node, int depth) {
    using base::JsonType;
    if (!Count()) return false;
    switch (element.type()) {
      case JsonType::kObject: {
        if (++depth > options_.max_depth) return Limit();
        const base::JsonObject object = element.object();
        if (node->kind == ProjectionNode::Kind::kResource) {
          std::string_view type;
          if (!object.FindString("resourceType", &type)) type = {};
          node = node->ForType(type);
        }
        if (!handler_.StartObject()) return false;
        if (const ResourceSaxHandler::DirectRoot root = handler_.DirectTarget();
            root.message != nullptr && TryDirect(object, node, root, depth)) {
          return true;
        }
        unsigned members = 0;
        for (base::JsonMember member : object) {
          if (!Count() || !Length(member.key.size())) return false;
          const ProjectionNode::Listed listed = node->kind == ProjectionNode::Kind::kAll
                                                    ? ProjectionNode::Listed{node, nullptr}
                                                    : node->Lookup(member.key);
          const ProjectionNode* const child = listed.node;
          const FieldEntry* const entry = listed.entry;
          if (child == nullptr) {
            ++unread_members_;
            // Skipped unjudged, but a member whose JSON type its element cannot have is
            // reported (a costless deviation: the decision does not read it).
            if (entry != nullptr && !JsonTypeFits(*entry, member.value.type())) {
              handler_.NoteUnreadMalformed(member.key);
            }
            handler_.NoteSkippedMember();
            if (!Skip(member.value, depth)) return false;
            continue;
          }
          const char* const key = member.key.data();
          const auto length = static_cast<unsigned>(member.key.size());
          if (!(entry != nullptr ? handler_.KnownKey(key, length, *node->table, *entry)
                                 : handler_.Key(key, length, true)) ||
              !Emit(member.value, child, depth)) {
            return false;
          }
          ++members;
        }
        return handler_.EndObject(members);
      }
      case JsonType::kArray: {
        if (++depth > options_.max_depth) return Limit();
        if (!handler_.StartArray()) return false;
        unsigned count = 0;
        const base::JsonArray array = element.array();
        for (base::JsonValue item : array) {
          if (!Emit(item, node, depth)) return false;
          ++count;
        }
        return handler_.EndArray(count);
      }
      case JsonType::kString: {
        const std::string_view text = element.string();
        return Length(text.size()) &&
               handler_.String(text.data(), static_cast<unsigned>(text.size()), true);
      }
      case JsonType::kNumber: {
        const std::string_view text = element.number_text();
        return Length(text.size()) &&
               handler_.RawNumber(text.data(), static_cast<unsigned>(text.size()), true);
      }
      case JsonType::kBool:
        return handler_.Bool(element.boolean());
      case JsonType::kNull:
        return handler_.Null();
    }
    return false;
  }

  // ---- The direct writer ----
  //
  // A resource the handler has just started is written straight into its proto: each read
  // element through its generated setter and the shared value rule (WritePrimitive), with none
  // of the handler's per-event frames. This is the common case: a resource whose read elements
  // are all well formed. Anything else -- a value the tolerant reader would drop or reshape, a
  // null, an `_x` sidecar, an empty object or array, a duplicate or second choice member, a
  // missing required element, an unknown element or resource type, a passed limit -- makes the
  // writer give up: the resource's message is cleared, every counter rewound, and its events
  // are sent to the handler as before, which judges it exactly as the full reader would.
  // tests/differential holds both paths to the full reader's answer.
  struct DirectMark {
    int64_t elements_left;
    int64_t unread_members;
  };

  DirectMark Mark() const { return {elements_left_, unread_members_}; }
  void Rewind(const DirectMark& mark) {
    elements_left_ = mark.elements_left;
    unread_members_ = mark.unread_members;
    limit_hit_ = false;
  }

  bool TryDirect(base::JsonObject object, const ProjectionNode* node,
                 const ResourceSaxHandler::DirectRoot& root, int depth) {
    const DirectMark mark = Mark();
    labs_ = root.lab_observations;
    root_observation_view_ = labs_ != nullptr && root.root_observation_view;
    const size_t views = labs_ != nullptr ? labs_->size() : 0;
    std::string_view type;
    const bool written = DirectResource(object, node, root, depth, &type);
    resource_nesting_ = 0;
    if (written) {
      ++direct_resources_;
      handler_.CompleteDirect(type);
      return true;
    }
    if (labs_ != nullptr) labs_->Truncate(views);
    root.message->Clear();
    Rewind(mark);
    ++replayed_resources_;
    return false;
  }

  // A resource into `root`: a ContainedResource (its member chosen by "resourceType") or a
  // message of one resource type.
  bool DirectResource(base::JsonObject object, const ProjectionNode* node,
                      const ResourceSaxHandler::DirectRoot& root, int depth,
                      std::string_view* type) {
    if (root.table != &FieldTable::ForContainedResource()) {
      *type = root.table->resource_type();
      resource_nesting_ = 1;
      observation_views_ = false;
      return DirectObject(object, node, *root.table, root.message, depth);
    }
    return DirectContained(object, node, root.message, depth, type);
  }

  bool DirectContained(base::JsonObject object, const ProjectionNode* node,
                       google::protobuf::Message* contained, int depth, std::string_view* type) {
    if (!object.FindString("resourceType", type)) return false;
    const FieldEntry* member = FieldTable::ForContainedResource().FindResourceType(*type);
    if (member == nullptr || member->access == nullptr) return false;  // skipped with a warning
    if (node->kind == ProjectionNode::Kind::kResource) node = node->ForType(*type);
    google::protobuf::Message* message = member->access->mutable_message(contained);
    // Only the entries of a root Bundle may become views: the record reads those (a Bundle has
    // no contained resources). Not those of a Bundle with a next page, which the hook path
    // copies to append the later pages to. A root Observation may too, when the caller says so.
    const bool entry_view = *type == "Observation" &&
                            ((resource_nesting_ == 0 && root_observation_view_) ||
                             (resource_nesting_ == 1 && observation_views_));
    if (resource_nesting_ == 0) {
      observation_views_ = labs_ != nullptr && *type == "Bundle" && !MayHaveNextPage(object);
    }
    ++resource_nesting_;
    bool written = false;
    if (entry_view) {
      const DirectMark mark = Mark();
      const size_t views = labs_->size();
      auto* observation = static_cast<r4::Observation*>(message);
      written = DirectObservationView(object, node, *member->message_table, observation, depth);
      if (!written) {  // then written as any other resource, judged afresh
        labs_->Truncate(views);
        observation->Clear();
        Rewind(mark);
      }
    }
    if (!written) written = DirectObject(object, node, *member->message_table, message, depth);
    --resource_nesting_;
    return written;
  }

  // ---- Observations as views (lab_observation.h) ----
  //
  // The member names of the Observations read as views are matched by position first
  // (key_index.h): the Observations of one search repeat them in one order, so most are not
  // looked up. Only for a Bundle's entries: a document that is one Observation (an NDJSON line
  // of a scan) would pay the memo's cost for nothing. The names remembered lie in the document
  // this reader walks, which outlives it.
  struct ViewKeys {
    bool on = false;  // a Bundle's entry is being read
    KeyOrderMemo<ProjectionNode::Listed> observation;
    KeyOrderMemo<const FieldEntry*> subject;
    KeyOrderMemo<const FieldEntry*> concept;
    KeyOrderMemo<const FieldEntry*> coding;
    KeyOrderMemo<const FieldEntry*> quantity;
  };

  // An Observation entry of a root Bundle, read into a LabObservation of labs_ instead of its
  // proto, which is left a stub (LabObservationTable::Add marks it). Only the
  // common shape is taken: id, status, code (codings of system, code and display; text),
  // subject (a reference), effectiveDateTime, issued, valueQuantity (value, comparator, unit,
  // system, code) or valueString, and unread members. Each is judged as DirectObject judges it
  // (the same counts, limits and value rules), so what is taken here is what DirectObject would
  // write; anything else (another element, an extension, a sidecar, a second choice, a limit)
  // returns false, and the caller writes the Observation as a proto. tests/differential holds
  // the outcome to the full reader's. The elements taken must stay within DecisionReadPaths().
  bool DirectObservationView(base::JsonObject object, const ProjectionNode* node,
                             const FieldTable& table, r4::Observation* stub, int depth) {
    using Obs = r4::Observation;
    if (node->kind != ProjectionNode::Kind::kMembers || node->table != &table ||
        depth + 3 > options_.max_depth) {  // code.coding[] is three levels down
      return false;
    }
    LabObservation& view = labs_->Add(stub);
    view_keys_.on = resource_nesting_ > 1;
    MembersRead read_members;
    unsigned members = 0;
    std::optional<absl::Time> effective;
    std::optional<absl::Time> issued;
    for (base::JsonMember member : object) {
      if (!Count() || !Length(member.key.size())) return false;
      const auto lookup = [node](std::string_view k) { return node->Lookup(k); };
      const ProjectionNode::Listed listed =
          view_keys_.on ? view_keys_.observation.Get(node, members, member.key, lookup)
                        : lookup(member.key);
      ++members;
      const FieldEntry* const entry = listed.entry;
      if (listed.node == nullptr) {  // not read: as DirectObject
        ++unread_members_;
        if (entry != nullptr && !JsonTypeFits(*entry, member.value.type())) return false;
        if (!Skip(member.value, depth)) return false;
        continue;
      }
      bool done = false;
      if (entry == nullptr || !JudgeMember(member, *entry, table, &read_members, &done)) {
        return false;
      }
      if (done) continue;
      bool read = false;
      switch (entry->field->number()) {
        case Obs::kIdFieldNumber:
          read = Count() && ViewKept(member.value, *entry, &view.id);
          break;
        case Obs::kSubjectFieldNumber:
          read = Count() && ViewMembers(member.value, *entry->message_table,
                                        view_keys_.subject,
                                        [&](const FieldEntry& e, base::JsonValue v) {
                                          return e.field->number() ==
                                                     r4::Reference::kReferenceFieldNumber &&
                                                 ViewKept(v, e, &view.subject_reference);
                                        });
          break;
        case Obs::kStatusFieldNumber: {
          std::string_view code;
          const int number =
              Count() && ViewText(member.value, &code) ? entry->enum_codes->NumberOf(code) : -1;
          read = number >= 0;
          view.status = static_cast<r4::ObservationStatusCode::Value>(number);
          break;
        }
        case Obs::kCodeFieldNumber:
          read = Count() && ViewConcept(member.value, *entry->message_table, &view);
          break;
        case Obs::kEffectiveDateTimeFieldNumber:
          read = Count() && ViewTime<r4::DateTime>(member.value, &effective);
          break;
        case Obs::kIssuedFieldNumber:
          read = Count() && ViewTime<r4::Instant>(member.value, &issued);
          break;
        case Obs::kValueQuantityFieldNumber:
          view.value_kind = LabObservation::ValueKind::kQuantity;
          read = Count() && ViewQuantity(member.value, *entry->message_table, &view.quantity);
          break;
        case Obs::kValueStringFieldNumber:
          view.value_kind = LabObservation::ValueKind::kString;
          read = Count() && ViewKept(member.value, *entry, &view.value_string);
          break;
        default:
          break;  // an element the view does not hold
      }
      if (!read) return false;
    }
    if (members == 0 || !CompleteMembers(table, read_members)) return false;
    view.time = effective.has_value() ? effective : issued;
    return true;
  }

  // A non-empty JSON string within the length limit (what WritePrimitive takes for a string,
  // code or enum element), as a view into the document.
  bool ViewText(base::JsonValue value, std::string_view* text) {
    return value.GetString(text) && Length(text->size()) &&
           !text->empty();
  }

  // A string, code or id element's text, checked as WritePrimitive checks it, kept in labs_.
  bool ViewKept(base::JsonValue value, const FieldEntry& entry, std::string_view* out) {
    std::string_view text;
    if (!ViewText(value, &text)) return false;
    const bool valid = entry.kind == FieldKind::kString ? true
                       : entry.kind == FieldKind::kCode ? IsValidCode(text)
                       : entry.kind == FieldKind::kId   ? IsValidId(text)
                                                        : false;
    if (!valid) return false;
    *out = labs_->Keep(text);
    return true;
  }

  // A dateTime (r4::DateTime) or instant (r4::Instant), read as WritePrimitive reads it.
  template <typename Temporal>
  bool ViewTime(base::JsonValue value, std::optional<absl::Time>* time) {
    std::string_view text;
    if (!ViewText(value, &text)) return false;
    const std::optional<int64_t> micros = std::is_same_v<Temporal, r4::Instant>
                                              ? InstantMicros(text)
                                              : DateTimeMicros(text);
    if (!micros.has_value()) return false;
    *time = absl::FromUnixMicros(*micros);
    return true;
  }

  // The members of a JSON object of a complex element read whole, each through
  // `read(entry, value)` with `entry` its FieldEntry in `table` (found through `keys`, this
  // site's memo): false on an empty object, a member the table lacks, a sidecar or a duplicate,
  // as DirectObject.
  template <typename Read>
  bool ViewMembers(base::JsonValue value, const FieldTable& table,
                   KeyOrderMemo<const FieldEntry*>& keys, Read read) {
    if (value.type() != base::JsonType::kObject) return false;
    uint64_t seen = 0;
    unsigned members = 0;
    const base::JsonObject object = value.object();
    for (base::JsonMember member : object) {
      if (!Count() || !Length(member.key.size())) return false;
      const auto find = [&table](std::string_view k) { return table.Find(k); };
      const FieldEntry* entry =
          view_keys_.on ? keys.Get(&table, members, member.key, find) : find(member.key);
      ++members;
      if (entry == nullptr || entry->is_sidecar || entry->ordinal >= 64) return false;
      if ((seen >> entry->ordinal & 1) != 0) return false;  // a duplicate member
      seen |= uint64_t{1} << entry->ordinal;
      if (!Count() || !read(*entry, member.value)) return false;
    }
    return members > 0;
  }

  // Observation.code: coding (system, code, display) and text.
  bool ViewConcept(base::JsonValue value, const FieldTable& table, LabObservation* view) {
    return ViewMembers(value, table, view_keys_.concept, [&](const FieldEntry& entry,
                                                             base::JsonValue v) {
      switch (entry.field->number()) {
        case r4::CodeableConcept::kCodingFieldNumber: {
          if (v.type() != base::JsonType::kArray) return false;
          unsigned count = 0;
          const base::JsonArray array = v.array();
          for (base::JsonValue item : array) {
            if (!Count()) return false;
            CodingView& coding = view->codings.emplace_back();
            const auto read_coding = [&](const FieldEntry& e, base::JsonValue text) {
              switch (e.field->number()) {
                case r4::Coding::kSystemFieldNumber: return ViewKept(text, e, &coding.system);
                case r4::Coding::kCodeFieldNumber: return ViewKept(text, e, &coding.code);
                case r4::Coding::kDisplayFieldNumber: return ViewKept(text, e, &coding.display);
                default: return false;
              }
            };
            if (!ViewMembers(item, *entry.message_table, view_keys_.coding, read_coding)) {
              return false;
            }
            ++count;
          }
          return count > 0;  // an empty array is read as absent, with a warning
        }
        case r4::CodeableConcept::kTextFieldNumber:
          return ViewKept(v, entry, &view->code_text);
        default:
          return false;
      }
    });
  }

  // valueQuantity: value, comparator, unit, system, code.
  bool ViewQuantity(base::JsonValue value, const FieldTable& table,
                    LabObservation::Quantity* quantity) {
    return ViewMembers(value, table, view_keys_.quantity, [&](const FieldEntry& entry,
                                                              base::JsonValue v) {
      switch (entry.field->number()) {
        case r4::Quantity::kValueFieldNumber: {
          if (v.type() != base::JsonType::kNumber) return false;
          const std::string_view text = v.number_text();
          if (!Length(text.size()) || !IsValidDecimal(text)) return false;
          quantity->value = labs_->Keep(text);
          return true;
        }
        case r4::Quantity::kComparatorFieldNumber: {
          std::string_view code;
          const int number = ViewText(v, &code) ? entry.enum_codes->NumberOf(code) : -1;
          quantity->comparator = static_cast<r4::Quantity::Comparator>(number);
          return number >= 0;
        }
        case r4::Quantity::kUnitFieldNumber: return ViewKept(v, entry, &quantity->unit);
        case r4::Quantity::kCodeFieldNumber: return ViewKept(v, entry, &quantity->code);
        case r4::Quantity::kSystemFieldNumber: {
          std::string_view system;  // checked, not held: the facts read the unit's code
          return ViewText(v, &system) && entry.kind == FieldKind::kString;
        }
        default: return false;
      }
    });
  }

  // The members read of one object, as both direct writers judge them: each element at most
  // once, one value per choice element, a resourceType that names the table's type.
  struct MembersRead {
    uint64_t seen[2] = {0, 0};  // the ordinals of the members read (all are < 128)
    uint64_t choices = 0;       // the oneofs (choice elements) given a value
    bool resource_type = false;

    bool Has(uint16_t ordinal) const { return (seen[ordinal / 64] >> (ordinal % 64) & 1) != 0; }
  };

  // Judges read member `member` of an object of `table` (entry `entry`) before its value is
  // written: false for a sidecar, a duplicate, a second choice value or a wrong resourceType.
  // `*done` is set when the member was resourceType, which has no value to write.
  bool JudgeMember(const base::JsonMember& member, const FieldEntry& entry,
                   const FieldTable& table, MembersRead* read, bool* done) {
    *done = false;
    if (entry.is_sidecar || entry.ordinal >= 128 || read->Has(entry.ordinal)) return false;
    read->seen[entry.ordinal / 64] |= uint64_t{1} << (entry.ordinal % 64);
    if (entry.kind == FieldKind::kResourceType) {
      std::string_view type;
      if (!Count() || !member.value.GetString(&type) ||
          !Length(type.size()) || type != table.resource_type()) {
        return false;
      }
      read->resource_type = true;
      *done = true;
      return true;
    }
    if (const google::protobuf::OneofDescriptor* oneof = entry.field->containing_oneof()) {
      const uint64_t choice = uint64_t{1} << (oneof->index() % 64);
      if ((read->choices & choice) != 0) return false;  // a second value of a choice element
      read->choices |= choice;
    }
    return true;
  }

  // After the last member: a resource names its type, and (when checked) every required
  // element is there.
  bool CompleteMembers(const FieldTable& table, const MembersRead& read) const {
    if (table.is_resource() && !read.resource_type) return false;
    if (options_.check_required) {
      for (const FieldEntry* required : table.required_entries()) {
        if (required->ordinal >= 128 || !read.Has(required->ordinal)) return false;
      }
    }
    return true;
  }

  // The members of `object` into `message` (of `table`), read through `node`: a kMembers node
  // of that table, or kAll (every modelled member).
  bool DirectObject(base::JsonObject object, const ProjectionNode* node,
                    const FieldTable& table, google::protobuf::Message* message, int depth) {
    const bool all = node->kind == ProjectionNode::Kind::kAll;
    if (!all && node->table != &table) return false;  // an unread resource type
    MembersRead read;
    unsigned members = 0;
    for (base::JsonMember member : object) {
      if (!Count() || !Length(member.key.size())) return false;
      ++members;
      const ProjectionNode* child = node;
      const FieldEntry* entry;
      if (all) {
        entry = table.Find(member.key);
        if (entry == nullptr) return false;  // an unknown element: the handler warns
      } else {
        const ProjectionNode::Listed listed = node->Lookup(member.key);
        child = listed.node;
        entry = listed.entry;
        if (child == nullptr) {  // not read: skipped unjudged, as Emit does
          ++unread_members_;
          if (entry != nullptr && !JsonTypeFits(*entry, member.value.type())) return false;
          if (!Skip(member.value, depth)) return false;
          continue;
        }
        if (entry == nullptr) return false;
      }
      bool done = false;
      if (!JudgeMember(member, *entry, table, &read, &done)) return false;
      if (done) continue;
      if (!DirectMember(member.value, *entry, child, message, depth)) return false;
    }
    if (members == 0) return false;  // an empty object
    return CompleteMembers(table, read);
  }

  bool DirectMember(base::JsonValue value, const FieldEntry& entry,
                    const ProjectionNode* child, google::protobuf::Message* message, int depth) {
    if (!Count()) return false;
    if (!entry.repeated) return DirectValue(value, entry, child, message, /*add=*/false, depth);
    if (value.type() != base::JsonType::kArray) return false;
    if (++depth > options_.max_depth) return false;
    unsigned count = 0;
    const base::JsonArray array = value.array();
    for (base::JsonValue item : array) {
      if (!Count() || !DirectValue(item, entry, child, message, /*add=*/true, depth)) return false;
      ++count;
    }
    return count > 0;  // an empty array is read as absent, with a warning
  }

  bool DirectValue(base::JsonValue value, const FieldEntry& entry,
                   const ProjectionNode* child, google::protobuf::Message* message, bool add,
                   int depth) {
    using base::JsonType;
    switch (value.type()) {
      case JsonType::kObject: {
        if (++depth > options_.max_depth || entry.access == nullptr ||
            (entry.kind != FieldKind::kMessage && entry.kind != FieldKind::kContainedResource)) {
          return false;
        }
        const base::JsonObject object = value.object();
        google::protobuf::Message* target = add ? entry.access->add_message(message)
                                                : entry.access->mutable_message(message);
        if (entry.kind == FieldKind::kMessage) {
          return DirectObject(object, child, *entry.message_table, target, depth);
        }
        std::string_view type;
        return DirectContained(object, child, target, depth, &type);
      }
      case JsonType::kString: {
        const std::string_view text = value.string();
        return Length(text.size()) && IsStringKind(entry.kind) &&
               WritePrimitive(message, nullptr, entry, add, text).ok();
      }
      case JsonType::kNumber: {
        const std::string_view text = value.number_text();
        return Length(text.size()) && IsNumberKind(entry.kind) &&
               WritePrimitive(message, nullptr, entry, add, text).ok();
      }
      case JsonType::kBool:
        return entry.kind == FieldKind::kBool &&
               WriteBool(message, entry, add, value.boolean());
      default:
        return false;  // null, or an array inside an array
    }
  }

  // An element not read: only the limits the full reader would apply. When they cannot be
  // passed (skip_unmeasured_), the element is passed over in one step, by the index's end of
  // it; otherwise it is measured and counted.
  bool Skip(base::JsonValue element, int depth) {
    return skip_unmeasured_ || SkipMeasured(element, depth);
  }

  bool SkipMeasured(base::JsonValue element, int depth) {
    using base::JsonType;
    if (!Count()) return false;
    switch (element.type()) {
      case JsonType::kObject: {
        if (++depth > options_.max_depth) return Limit();
        const base::JsonObject object = element.object();
        for (base::JsonMember member : object) {
          if (!Count() || !Length(member.key.size()) || !SkipMeasured(member.value, depth)) {
            return false;
          }
        }
        return true;
      }
      case JsonType::kArray: {
        if (++depth > options_.max_depth) return Limit();
        const base::JsonArray array = element.array();
        for (base::JsonValue item : array) {
          if (!SkipMeasured(item, depth)) return false;
        }
        return true;
      }
      case JsonType::kString:
        return Length(element.string().size());
      case JsonType::kNumber:
        return Length(element.number_text().size());
      default:
        return true;
    }
  }

  const ParseOptions& options_;
  Handler& handler_;
  // The direct writer's Observation views: the current root's table (null: none), how many
  // resources deep the writer is, and whether the root's entries may be views (a root Bundle).
  LabObservationTable* labs_ = nullptr;
  ViewKeys view_keys_;
  int resource_nesting_ = 0;
  bool observation_views_ = false;
  bool root_observation_view_ = false;  // the root itself, when an Observation
  const bool skip_unmeasured_;
  const size_t max_string_bytes_;
  int64_t elements_left_;  // options_.max_elements less the elements counted
  int64_t unread_members_ = 0;
  int64_t direct_resources_ = 0;
  int64_t replayed_resources_ = 0;
  bool limit_hit_ = false;
};

// Calls `walk(events)` with the ProjectedEvents for `document` and returns what it returns: one
// that leaves out the length and element counts when the document is WithinCountedLimits (the
// common case), one that counts otherwise.
template <typename Handler, typename Walk>
auto WithProjectedEvents(const ProjectionDocument& document, const ParseOptions& options,
                         Handler* handler, Walk&& walk) {
  if (WithinCountedLimits(document, options)) {
    ProjectedEvents<Handler, /*kCountsLimits=*/false> events(document, options, handler);
    return walk(events);
  }
  ProjectedEvents<Handler, /*kCountsLimits=*/true> events(document, options, handler);
  return walk(events);
}

// ParseResource (json_parser.h) through `projection`: one resource JSON text (a Bundle, a
// prefetch value, an NDJSON line) -> ContainedResource with only the read elements. Same
// errors as ParseResource (the full reader explains every failure). `stats` may be null.
//
// With `lab_observations`, the Observations the direct writer can read (a root Bundle's
// entries, or the resource itself) become views added to that table, and stubs in the
// resource, as on the hook route. The table is not cleared, so that one table can gather a
// patient's NDJSON lines; a text the full reader answers adds nothing. The result is then read
// only through PatientRecord::FromBundle or FromResources with the same table, which must
// outlive the record; a copy of the resource has stubs without views, which the record refuses
// (Internal).
absl::StatusOr<ParsedResource> ParseResourceProjected(
    std::string_view json, const ParseOptions& options = {},
    const Projection& projection = Projection::Decision(), ProjectionStats* stats = nullptr,
    LabObservationTable* lab_observations = nullptr);

// The same into `resource` (cleared first), which may live on a google::protobuf::Arena: then
// everything read is allocated there, as on the hook route. `report` and `stats` may be null.
absl::Status ParseIntoProjected(std::string_view json, r4::ContainedResource* resource,
                                const ParseOptions& options = {},
                                const Projection& projection = Projection::Decision(),
                                ParseReport* report = nullptr, ProjectionStats* stats = nullptr,
                                LabObservationTable* lab_observations = nullptr);

// Clears from `message` (parsed by the full reader, read through `node`) every element the
// projection does not read: what the projection reader gives for the same valid text. For
// tests and checks (tests/differential).
void PruneToProjection(const ProjectionNode* node, google::protobuf::Message* message);

// A ProjectionDocument for a text of `size` bytes: the calling thread's reusable one, or for a
// text over kMaxReusedDocumentBytes a new one in `*scratch` (freed with it), so that a rare
// large document does not stay in every thread's memory.
constexpr size_t kMaxReusedDocumentBytes = size_t{1} << 20;
ProjectionDocument& DocumentFor(size_t size, std::unique_ptr<ProjectionDocument>* scratch);

}  // namespace thrombo::fhir

#endif  // THROMBO_FHIR_PROJECTION_READER_H_
