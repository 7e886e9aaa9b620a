// Copyright 2026 The Thrombo Authors.
// The projection reader: FHIR R4 JSON -> the same protos as json_parser.h, but only the elements
// a decision reads. simdjson (DOM) validates the whole text (syntax, UTF-8) at SIMD speed; the
// elements listed in a table of read paths are then sent, as SAX events, through the same
// ResourceSaxHandler the full reader uses, so they are type-checked, dropped (tolerant mode) and
// reported exactly as there; every other element is skipped without being judged.
//
// On any failure (invalid JSON, a limit, an element the handler rejects) the text is handed to
// the full reader, whose answer (its error, or its result when it accepts what simdjson did not)
// is returned: the full reader stays the reference (tests/differential).
#ifndef THROMBO_FHIR_PROJECTION_READER_H_
#define THROMBO_FHIR_PROJECTION_READER_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fhir/json_parser.h"
#include "fhir/json_sax_handler.h"
#include "fhir/key_index.h"
#include "google/protobuf/message.h"
#include "simdjson.h"

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
  // The node for member `key` of an object read through this node, or nullptr to skip it.
  const ProjectionNode* Member(std::string_view key) const;
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
};

// A JSON text parsed by simdjson, with the source text of its numbers (decimals stay exact).
// Reuse one per thread: it keeps simdjson's buffers between documents.
class ProjectionDocument final {
 public:
  ProjectionDocument();
  ~ProjectionDocument();
  // Parses `json` (which must outlive the document's use). Any error means "let the full
  // reader decide"; its message is for logs only.
  absl::Status Parse(std::string_view json);
  simdjson::dom::element root() const { return root_; }
  // The text of the n-th number of the document (in document order); empty past the end.
  std::string_view NumberText(size_t n) const;
  size_t number_count() const { return number_count_; }
  // The length of the text parsed.
  size_t size() const { return json_.size(); }

 private:
  simdjson::dom::parser parser_;
  std::unique_ptr<char[]> padded_;  // the text + SIMDJSON_PADDING, reused between documents
  size_t padded_capacity_ = 0;
  simdjson::dom::element root_;
  std::string_view json_;
  // Where each number starts, the first number_count_ entries; reused between documents.
  std::unique_ptr<uint32_t[]> number_starts_;
  size_t number_capacity_ = 0;
  size_t number_count_ = 0;
};

// Whether a JSON value of `type` can stand for `entry`'s element in FHIR R4 JSON: an object for
// a complex element or an `_x` sidecar, a string, number or boolean for a primitive; an array
// for a repeated element (its items are not looked at), or one item alone (read as a
// one-element array by the tolerant reader); never null.
bool JsonTypeFits(const FieldEntry& entry, simdjson::dom::element_type type);

// Sends the events of `element`, read through `node`, to `handler` (ResourceSaxHandler, or an
// envelope handler with the same event methods, KnownKey(), NoteSkippedMember() and
// NoteUnreadMalformed()). Returns false when the handler refused an event or a limit of
// `options` was passed in a skipped part (then limit_hit() is true).
template <typename Handler>
class ProjectedEvents final {
 public:
  ProjectedEvents(const ProjectionDocument& document, const ParseOptions& options,
                  Handler* handler)
      : document_(document),
        options_(options),
        handler_(*handler),
        // Every string, key and number is part of the text, and every value and key starts at
        // its own byte: in a text no longer than these limits they cannot be passed, so Skip()
        // need not measure or count (the full reader would not fail either).
        lengths_fit_(document.size() <= options.max_string_bytes),
        counts_fit_(document.size() <= static_cast<uint64_t>(std::max<int64_t>(
                                           options.max_elements, 0))) {}

  bool Walk(simdjson::dom::element element, const ProjectionNode* node) {
    return Emit(element, node, 0);
  }
  // All numbers were met in the order simdjson saw them (a consistency check of NumberText).
  bool NumbersConsistent() const {
    return !number_mismatch_ && next_number_ == document_.number_count();
  }
  bool limit_hit() const { return limit_hit_; }
  int64_t unread_members() const { return unread_members_; }

 private:
  bool Limit() {
    limit_hit_ = true;
    return false;
  }
  bool Count() { return ++elements_ <= options_.max_elements || Limit(); }
  bool Length(size_t n) { return n <= options_.max_string_bytes || Limit(); }
  std::string_view Number() {
    std::string_view text = document_.NumberText(next_number_++);
    if (text.empty()) number_mismatch_ = true;
    return text;
  }

  bool Emit(simdjson::dom::element element, const ProjectionNode* node, int depth) {
    using simdjson::dom::element_type;
    if (!Count()) return false;
    switch (element.type()) {
      case element_type::OBJECT: {
        if (++depth > options_.max_depth) return Limit();
        const simdjson::dom::object object = element.get_object().value_unsafe();
        if (node->kind == ProjectionNode::Kind::kResource) {
          std::string_view type;
          if (object["resourceType"].get_string().get(type) != simdjson::SUCCESS) type = {};
          node = node->ForType(type);
        }
        if (!handler_.StartObject()) return false;
        unsigned members = 0;
        for (simdjson::dom::key_value_pair member : object) {
          if (!Count() || !Length(member.key.size())) return false;
          const ProjectionNode* child = node;
          const FieldEntry* entry = nullptr;
          if (node->kind != ProjectionNode::Kind::kAll) {
            const ProjectionNode::Listed* listed = node->members.Find(member.key);
            if (listed != nullptr) {
              child = listed->node;
              entry = listed->entry;
            } else {
              child = node->other;
            }
          }
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
      case element_type::ARRAY: {
        if (++depth > options_.max_depth) return Limit();
        if (!handler_.StartArray()) return false;
        unsigned count = 0;
        // Copied out first: iterating the temporary result directly would dangle.
        const simdjson::dom::array array = element.get_array().value_unsafe();
        for (simdjson::dom::element item : array) {
          if (!Emit(item, node, depth)) return false;
          ++count;
        }
        return handler_.EndArray(count);
      }
      case element_type::STRING: {
        const std::string_view text = element.get_string().value_unsafe();
        return Length(text.size()) &&
               handler_.String(text.data(), static_cast<unsigned>(text.size()), true);
      }
      case element_type::INT64:
      case element_type::UINT64:
      case element_type::DOUBLE: {
        const std::string_view text = Number();
        if (text.empty()) return false;
        return Length(text.size()) &&
               handler_.RawNumber(text.data(), static_cast<unsigned>(text.size()), true);
      }
      case element_type::BOOL:
        return handler_.Bool(element.get_bool().value_unsafe());
      case element_type::NULL_VALUE:
        return handler_.Null();
    }
    return false;
  }

  // An element not read: only the limits the full reader would apply, and the number count.
  bool Skip(simdjson::dom::element element, int depth) {
    return lengths_fit_ && counts_fit_ ? SkipValue</*kMeasure=*/false>(element, depth)
                                       : SkipValue</*kMeasure=*/true>(element, depth);
  }

  // Skip(): depth and the number count always; lengths and the element count only when
  // kMeasure (a text no longer than those limits cannot pass them: see lengths_fit_).
  template <bool kMeasure>
  bool SkipValue(simdjson::dom::element element, int depth) {
    using simdjson::dom::element_type;
    if (kMeasure && !Count()) return false;
    switch (element.type()) {
      case element_type::OBJECT: {
        if (++depth > options_.max_depth) return Limit();
        const simdjson::dom::object object = element.get_object().value_unsafe();
        for (simdjson::dom::key_value_pair member : object) {
          if (kMeasure && (!Count() || !Length(member.key.size()))) return false;
          if (!SkipValue<kMeasure>(member.value, depth)) return false;
        }
        return true;
      }
      case element_type::ARRAY: {
        if (++depth > options_.max_depth) return Limit();
        const simdjson::dom::array array = element.get_array().value_unsafe();
        for (simdjson::dom::element item : array) {
          if (!SkipValue<kMeasure>(item, depth)) return false;
        }
        return true;
      }
      case element_type::STRING:
        return !kMeasure || Length(element.get_string().value_unsafe().size());
      case element_type::INT64:
      case element_type::UINT64:
      case element_type::DOUBLE: {
        if (kMeasure) {
          const std::string_view text = Number();
          return !text.empty() && Length(text.size());
        }
        // Number() without its text: the text is empty exactly when the count is passed.
        if (next_number_++ < document_.number_count()) return true;
        number_mismatch_ = true;
        return false;
      }
      default:
        return true;
    }
  }

  const ProjectionDocument& document_;
  const ParseOptions& options_;
  Handler& handler_;
  const bool lengths_fit_;
  const bool counts_fit_;
  size_t next_number_ = 0;
  int64_t elements_ = 0;
  int64_t unread_members_ = 0;
  bool limit_hit_ = false;
  bool number_mismatch_ = false;
};

// ParseResource (json_parser.h) through `projection`: one resource JSON text (a Bundle, a
// prefetch value, an NDJSON line) -> ContainedResource with only the read elements. Same
// errors as ParseResource (the full reader explains every failure). `stats` may be null.
absl::StatusOr<ParsedResource> ParseResourceProjected(
    std::string_view json, const ParseOptions& options = {},
    const Projection& projection = Projection::Decision(), ProjectionStats* stats = nullptr);

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
