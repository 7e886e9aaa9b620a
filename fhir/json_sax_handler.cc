// Copyright 2026 The Thrombo Authors.
// SAX events -> FHIR proto. State is an explicit frame stack (never recursion), so nesting depth
// costs heap, not C++ stack, and is bounded by ParseOptions.max_depth.
#include "fhir/json_sax_handler.h"

#include <charconv>
#include <limits>
#include <optional>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/base/optimization.h"
#include "absl/strings/str_cat.h"
#include "fhir/primitives.h"
#include "base/string_compat.h"
#include "google/protobuf/reflection.h"
#include "proto/fhir/r4/datatypes.pb.h"

namespace thrombo::fhir {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

struct ResourceSaxHandler::Frame {
  FrameKind kind = FrameKind::kMessage;
  // The path step this frame adds: the member name that led here; empty for array elements.
  std::string_view segment;
  // kMessage/kPending: the message being filled. kArray/kSidecarArray: the array's owner.
  Message* message = nullptr;
  const FieldTable* table = nullptr;  // kMessage; kArray/kSidecarArray: the owner's table
  // The Reflection of `message` (cached: GetReflection() is not free).
  const Reflection* reflection = nullptr;
  // kMessage: the member whose value comes next. kArray/kSidecarArray: the array's field.
  const FieldEntry* entry = nullptr;
  int index = -1;        // kArray/kSidecarArray: the current element
  int skip_depth = 0;    // kSkip: open objects/arrays; kPending: depth inside buffered events
  uint32_t members = 0;  // kMessage: members read, for the empty-object rule
  bool skipping_value = false;      // kMessage: the current member is unknown
  bool resource_type_seen = false;  // kMessage
  bool implicit = false;  // kArray: opened for a lone object (ParseOptions.tolerant); no ']'
  PendingState pending = PendingState::kFirstKey;  // kPending
  Message* owner = nullptr;                          // kPending: holder of the ContainedResource
  const FieldEntry* owner_entry = nullptr;           // kPending: the ContainedResource field
  uint64_t seen[2] = {0, 0};  // kMessage: entry ordinals already read (duplicate detection)
};

// A SAX event held back until a resource's "resourceType" is known.
struct ResourceSaxHandler::Event {
  enum class Type : uint8_t {
    kNull, kTrue, kFalse, kNumber, kString, kKey, kStartObject, kEndObject, kStartArray,
    kEndArray,
  };
  Type type;
  std::string text;
  unsigned count = 0;  // kEndArray: the element count
};

// A null inside a primitive array; it is only valid with an `_x` sidecar at the same index.
struct ResourceSaxHandler::NullSlot {
  size_t frame;  // index of the owning message frame
  const FieldEntry* entry;
  int index;
};

namespace {

std::string_view JsonTypeName(int type) {
  static constexpr std::string_view kNames[] = {"null",   "a boolean", "a number",
                                                "a string", "an object", "an array"};
  return kNames[type];
}

std::string_view ExpectedName(FieldKind kind) {
  switch (kind) {
    case FieldKind::kBool: return "a boolean";
    case FieldKind::kInteger:
    case FieldKind::kPositiveInt:
    case FieldKind::kUnsignedInt:
    case FieldKind::kDecimal: return "a number";
    case FieldKind::kMessage:
    case FieldKind::kContainedResource: return "an object";
    default: return "a string";
  }
}

// "multiple_birth" -> "multipleBirth[x]", the FHIR name of a choice element.
std::string ChoiceName(const google::protobuf::OneofDescriptor* oneof) {
  std::string name;
  bool upper = false;
  for (char c : oneof->name()) {
    if (c == '_') {
      upper = true;
      continue;
    }
    name.push_back(upper ? static_cast<char>(c - 'a' + 'A') : c);
    upper = false;
  }
  return absl::StrCat(name, "[x]");
}

// The sub-message `entry` names in `message`: the one singular member, or a new last element of
// a repeated one. Through the generated accessors when the field has them (field_access.h).
Message* MutableOrAdd(const Reflection* reflection, Message* message, const FieldEntry& entry,
                      bool add) {
  if (entry.access != nullptr) {
    return add ? entry.access->add_message(message) : entry.access->mutable_message(message);
  }
  return add ? reflection->AddMessage(message, entry.field)
             : reflection->MutableMessage(message, entry.field);
}

void SetOrAddString(const Reflection* reflection, Message* message, const FieldEntry& entry,
                    bool add, std::string_view text) {
  if (entry.access != nullptr) {
    (add ? entry.access->add_string : entry.access->set_string)(message, text);
  } else if (add) {
    reflection->AddString(message, entry.field, std::string(text));
  } else {
    reflection->SetString(message, entry.field, std::string(text));
  }
}

void SetOrAddEnum(const Reflection* reflection, Message* message, const FieldEntry& entry,
                  bool add, int number) {
  if (entry.access != nullptr) {
    (add ? entry.access->add_enum : entry.access->set_enum)(message, number);
  } else if (add) {
    reflection->AddEnumValue(message, entry.field, number);
  } else {
    reflection->SetEnumValue(message, entry.field, number);
  }
}

bool TestAndSet(uint64_t (&seen)[2], uint16_t ordinal) {
  if (ordinal >= 128) return false;  // no message has this many members; don't track
  const uint64_t bit = uint64_t{1} << (ordinal % 64);
  uint64_t& word = seen[ordinal / 64];
  const bool was_set = (word & bit) != 0;
  word |= bit;
  return was_set;
}

}  // namespace

absl::Status WritePrimitive(Message* message, const Reflection* reflection,
                            const FieldEntry& entry, bool add, std::string_view text) {
  // Integers have no generated setters (field_access.h); the rest need Reflection only then.
  const bool integer = entry.kind == FieldKind::kInteger ||
                       entry.kind == FieldKind::kPositiveInt ||
                       entry.kind == FieldKind::kUnsignedInt;
  if (reflection == nullptr && (integer || entry.access == nullptr)) {
    reflection = message->GetReflection();
  }
  switch (entry.kind) {
    case FieldKind::kEnum: {
      if (text.empty()) return absl::InvalidArgumentError("a string must not be empty");
      const int number = entry.enum_codes->NumberOf(text);
      if (number < 0) {
        return absl::InvalidArgumentError(absl::StrCat("invalid code \"", base::Absl(text), "\""));
      }
      SetOrAddEnum(reflection, message, entry, add, number);
      return absl::OkStatus();
    }
    case FieldKind::kString:
    case FieldKind::kCode:
    case FieldKind::kId:
    case FieldKind::kTime: {
      if (text.empty()) return absl::InvalidArgumentError("a string must not be empty");
      const bool valid = entry.kind == FieldKind::kCode ? IsValidCode(text)
                         : entry.kind == FieldKind::kId ? IsValidId(text)
                         : entry.kind == FieldKind::kTime ? IsValidTime(text)
                                                          : true;
      if (!valid) {
        return absl::InvalidArgumentError(absl::StrCat(
            entry.kind == FieldKind::kCode ? "invalid code \""
            : entry.kind == FieldKind::kId ? "invalid id \""
                                           : "invalid time \"",
            base::Absl(text), "\""));
      }
      SetOrAddString(reflection, message, entry, add, text);
      return absl::OkStatus();
    }
    case FieldKind::kDate:
    case FieldKind::kDateTime:
    case FieldKind::kInstant: {
      Message* target = MutableOrAdd(reflection, message, entry, add);
      switch (entry.kind) {
        case FieldKind::kDate: return ParseDate(text, static_cast<r4::Date*>(target));
        case FieldKind::kDateTime: return ParseDateTime(text, static_cast<r4::DateTime*>(target));
        default: return ParseInstant(text, static_cast<r4::Instant*>(target));
      }
    }
    case FieldKind::kDecimal:
      if (!IsValidDecimal(text)) {
        return absl::InvalidArgumentError(absl::StrCat("invalid decimal ", base::Absl(text)));
      }
      static_cast<r4::Decimal*>(MutableOrAdd(reflection, message, entry, add))
          ->set_value(text.data(), text.size());
      return absl::OkStatus();
    case FieldKind::kInteger:
    case FieldKind::kPositiveInt:
    case FieldKind::kUnsignedInt: {
      constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
      const int64_t min = entry.kind == FieldKind::kInteger ? std::numeric_limits<int32_t>::min()
                          : entry.kind == FieldKind::kPositiveInt ? 1
                                                                  : 0;
      absl::StatusOr<int64_t> value = ParseInteger(text, min, kMax);
      if (!value.ok()) return value.status();
      if (entry.cpp_type == FieldDescriptor::CPPTYPE_UINT32) {
        if (add) {
          reflection->AddUInt32(message, entry.field, static_cast<uint32_t>(*value));
        } else {
          reflection->SetUInt32(message, entry.field, static_cast<uint32_t>(*value));
        }
      } else if (add) {
        reflection->AddInt32(message, entry.field, static_cast<int32_t>(*value));
      } else {
        reflection->SetInt32(message, entry.field, static_cast<int32_t>(*value));
      }
      return absl::OkStatus();
    }
    default:
      return absl::InvalidArgumentError("not a primitive element");
  }
}

ResourceSaxHandler::ResourceSaxHandler(const ParseOptions& options,
                                       r4::ContainedResource* out, std::string path_prefix)
    : options_(options),
      path_prefix_(std::move(path_prefix)),
      root_message_(out),
      root_table_(&FieldTable::ForContainedResource()),
      contained_table_(root_table_),
      root_is_contained_(true) {
  frames_.reserve(16);
}

ResourceSaxHandler::ResourceSaxHandler(const ParseOptions& options, Message* resource,
                                       std::string path_prefix)
    : options_(options),
      path_prefix_(std::move(path_prefix)),
      root_message_(resource),
      root_table_(&FieldTable::For(resource->GetDescriptor())),
      contained_table_(&FieldTable::ForContainedResource()),
      root_is_contained_(root_table_ == contained_table_) {
  if (root_table_->is_resource()) root_type_ = root_table_->resource_type();
  frames_.reserve(16);
}

ResourceSaxHandler::~ResourceSaxHandler() = default;

ResourceSaxHandler::DirectRoot ResourceSaxHandler::DirectTarget() const {
  if (frames_.size() != 1 || !status_.ok() || buffering_) return {};
  const Frame& root = frames_[0];
  const bool fresh = root.kind == FrameKind::kPending
                         ? root.pending == PendingState::kFirstKey
                         : root.kind == FrameKind::kMessage && root.members == 0 &&
                               root.entry == nullptr && !root.skipping_value;
  if (!fresh || root.message != root_message_) return {};
  return {root_message_, root_is_contained_ ? contained_table_ : root_table_, lab_observations_,
          lab_observations_ != nullptr};
}

void ResourceSaxHandler::CompleteDirect(std::string_view resource_type) {
  if (root_type_.empty()) root_type_ = std::string(resource_type);
  frames_.clear();
  complete_ = true;
}

// ---- Paths and errors -------------------------------------------------------------------

std::string ResourceSaxHandler::RootSegment() const {
  if (!path_prefix_.empty()) return path_prefix_;
  if (!root_type_.empty()) return root_type_;
  return root_is_contained_ ? "Resource" : root_table_->descriptor()->name();
}

std::string ResourceSaxHandler::CurrentPath() const {
  std::string path = FramesPath();
  if (!frames_.empty() && frames_.back().kind == FrameKind::kMessage) {
    const Frame& top = frames_.back();
    if (top.skipping_value) {
      absl::StrAppend(&path, ".", skip_key_);
    } else if (top.entry != nullptr) {
      absl::StrAppend(&path, ".", top.entry->key);
    }
  }
  return path;
}

std::string ResourceSaxHandler::FramesPath() const {
  std::string path = RootSegment();
  for (size_t i = 1; i < frames_.size(); ++i) {
    const Frame& frame = frames_[i];
    if (!frame.segment.empty()) absl::StrAppend(&path, ".", base::Absl(frame.segment));
    if ((frame.kind == FrameKind::kArray || frame.kind == FrameKind::kSidecarArray) &&
        frame.index >= 0) {
      absl::StrAppend(&path, "[", frame.index, "]");
    }
  }
  return path;
}

bool ResourceSaxHandler::Fail(IssueType type, std::string_view what) {
  if (status_.ok()) status_ = MakeParseError(type, what, CurrentPath());
  return false;
}

void ResourceSaxHandler::Deviate(ParseDeviation::Kind kind, std::string path,
                                 std::string_view what, std::string element) {
  ParseDeviation deviation;
  deviation.kind = kind;
  deviation.path = std::move(path);
  deviation.message = std::string(what);
  // The innermost resource on the stack and its own element that holds the deviation.
  for (size_t i = frames_.size(); i-- > 0;) {
    const Frame& frame = frames_[i];
    if (frame.kind != FrameKind::kMessage || !frame.table->is_resource()) continue;
    deviation.resource_type = frame.table->resource_type();
    if (!element.empty() && i + 1 == frames_.size()) {
      deviation.element = std::move(element);
    } else if (i + 1 < frames_.size()) {
      deviation.element = std::string(frames_[i + 1].segment);
    } else if (frame.skipping_value) {
      deviation.element = skip_key_;
    } else if (frame.entry != nullptr) {
      deviation.element = frame.entry->key;
    }
    break;
  }
  if (deviations_.size() >= options_.max_warnings) {
    // Past the cap keep only what tells a new (kind, resource, element) apart.
    for (const ParseDeviation& kept : deviations_) {
      if (kept.kind == kind && kept.resource_type == deviation.resource_type &&
          kept.element == deviation.element) {
        return;
      }
    }
  }
  deviations_.push_back(std::move(deviation));
}

// In tolerant mode, turns the error just set into a dropped element when it is about the
// element's shape or value (never a limit), and clears the error.
bool ResourceSaxHandler::DropFailed() {
  if (!tolerant()) return false;
  const std::optional<IssueType> type = ErrorIssueType(status_);
  if (!type.has_value() || (*type != IssueType::kStructure && *type != IssueType::kValue &&
                            *type != IssueType::kInvalid)) {
    return false;
  }
  // The error message may quote the value (a date, a code); the deviation never does.
  Deviate(ParseDeviation::Kind::kDroppedElement, ErrorPath(status_).value_or(CurrentPath()),
          absl::StrCat(base::Absl(IssueTypeCode(*type)), ": element left out"));
  status_ = absl::OkStatus();
  return true;
}

// In tolerant mode, drops the object or array that starts now (the member under the top
// frame, or the current array element): records it and skips its events.
bool ResourceSaxHandler::DropValue(std::string_view segment) {
  if (!tolerant()) return false;
  status_ = absl::OkStatus();
  Deviate(ParseDeviation::Kind::kDroppedElement, CurrentPath(), "structure: element left out");
  if (frames_.back().kind == FrameKind::kMessage) frames_.back().entry = nullptr;
  Frame skip;
  skip.kind = FrameKind::kSkip;
  skip.segment = segment;
  skip.skip_depth = 1;
  return Push(skip);
}

bool ResourceSaxHandler::SetOrDrop(Message* message, const FieldEntry& entry, bool add,
                                   JsonType type, std::string_view text) {
  const Reflection* reflection = frames_.back().reflection;
  const int before = add ? reflection->FieldSize(*message, entry.field) : 0;
  if (SetValue(message, entry, add, type, text)) return true;
  if (entry.kind == FieldKind::kResourceType || !DropFailed()) return false;
  if (add) {
    while (reflection->FieldSize(*message, entry.field) > before) {
      reflection->RemoveLast(message, entry.field);
    }
  } else {
    reflection->ClearField(message, entry.field);
  }
  return true;
}

bool ResourceSaxHandler::WrongType(const FieldEntry& entry, JsonType got) {
  std::string_view expected = ExpectedName(entry.kind);
  if (entry.repeated && got != JsonType::kArray && frames_.back().kind == FrameKind::kMessage) {
    expected = "an array";
  } else if (entry.is_sidecar) {
    expected = "an object";
  }
  return Fail(IssueType::kStructure,
              absl::StrCat("expected ", base::Absl(expected), ", got ", base::Absl(JsonTypeName(static_cast<int>(got)))));
}

// ---- Entry points: limits, buffering, then the On* handlers -----------------------------

// Runs for every event: the common case inline, the failures out of line.
inline bool ResourceSaxHandler::Admit() {
  if (ABSL_PREDICT_TRUE(status_.ok() && !complete_ && ++elements_ <= options_.max_elements)) {
    return true;
  }
  return AdmitFailed();
}

ABSL_ATTRIBUTE_NOINLINE bool ResourceSaxHandler::AdmitFailed() {
  if (!status_.ok()) return false;
  if (complete_) return Fail(IssueType::kStructure, "unexpected content after the resource");
  // Admit() has counted this element past the limit.
  return Fail(IssueType::kTooLong,
              absl::StrCat("document has more than ", options_.max_elements,
                           " elements (the max_elements limit)"));
}

bool ResourceSaxHandler::CheckDepth(int extra) {
  if (static_cast<int>(frames_.size()) + extra <= options_.max_depth) return true;
  return Fail(IssueType::kTooLong,
              absl::StrCat("nesting is deeper than the limit of ", options_.max_depth));
}

// Out of line: the error message would otherwise be built inside every event handler, which
// then spills registers on the common path too.
ABSL_ATTRIBUTE_NOINLINE bool ResourceSaxHandler::StringTooLong(size_t length) {
  return Fail(IssueType::kTooLong, absl::StrCat("string is ", length, " bytes, limit is ",
                                                options_.max_string_bytes));
}

// Out of line for the same reason: the held-back event's string.
// `type` is an Event::Type (only declared in the header).
ABSL_ATTRIBUTE_NOINLINE bool ResourceSaxHandler::BufferText(uint8_t type, const char* text,
                                                            unsigned length) {
  return Buffer({static_cast<Event::Type>(type), std::string(text, length)});
}

#define THROMBO_CHECK_LENGTH_(length)                                  \
  if (ABSL_PREDICT_FALSE((length) > options_.max_string_bytes)) {      \
    return StringTooLong(length);                                      \
  }

bool ResourceSaxHandler::Null() {
  if (!Admit()) return false;
  if (buffering_) return Buffer({Event::Type::kNull, {}});
  return OnScalar(JsonType::kNull, {});
}

bool ResourceSaxHandler::Bool(bool value) {
  if (!Admit()) return false;
  if (buffering_) return Buffer({value ? Event::Type::kTrue : Event::Type::kFalse, {}});
  return OnScalar(JsonType::kBool, value ? "true" : "false");
}

bool ResourceSaxHandler::Int(int value) { return Int64(value); }
bool ResourceSaxHandler::Uint(unsigned value) { return Uint64(value); }

bool ResourceSaxHandler::Int64(int64_t value) {
  const std::string text = absl::StrCat(value);
  return RawNumber(text.data(), static_cast<unsigned>(text.size()), true);
}

bool ResourceSaxHandler::Uint64(uint64_t value) {
  const std::string text = absl::StrCat(value);
  return RawNumber(text.data(), static_cast<unsigned>(text.size()), true);
}

bool ResourceSaxHandler::Double(double value) {
  char buffer[32];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return RawNumber(buffer, static_cast<unsigned>(result.ptr - buffer), true);
}

bool ResourceSaxHandler::RawNumber(const char* text, unsigned length, bool /*copy*/) {
  if (!Admit()) return false;
  THROMBO_CHECK_LENGTH_(length);
  if (ABSL_PREDICT_FALSE(buffering_)) {
    return BufferText(static_cast<uint8_t>(Event::Type::kNumber), text, length);
  }
  return OnScalar(JsonType::kNumber, std::string_view(text, length));
}

bool ResourceSaxHandler::String(const char* text, unsigned length, bool /*copy*/) {
  if (!Admit()) return false;
  THROMBO_CHECK_LENGTH_(length);
  if (ABSL_PREDICT_FALSE(buffering_)) {
    return BufferText(static_cast<uint8_t>(Event::Type::kString), text, length);
  }
  return OnScalar(JsonType::kString, std::string_view(text, length));
}

bool ResourceSaxHandler::Key(const char* text, unsigned length, bool /*copy*/) {
  if (!Admit()) return false;
  THROMBO_CHECK_LENGTH_(length);
  if (ABSL_PREDICT_FALSE(buffering_)) {
    return BufferText(static_cast<uint8_t>(Event::Type::kKey), text, length);
  }
  return OnKey(std::string_view(text, length));
}

bool ResourceSaxHandler::KnownKey(const char* text, unsigned length, const FieldTable& table,
                                  const FieldEntry& entry) {
  if (!Admit()) return false;
  THROMBO_CHECK_LENGTH_(length);
  if (ABSL_PREDICT_FALSE(buffering_)) {
    return BufferText(static_cast<uint8_t>(Event::Type::kKey), text, length);
  }
  return OnKey(std::string_view(text, length), &table, &entry);
}

bool ResourceSaxHandler::StartObject() {
  if (!Admit()) return false;
  if (buffering_) return Buffer({Event::Type::kStartObject, {}});
  return OnStartObject();
}

bool ResourceSaxHandler::EndObject(unsigned /*member_count*/) {
  if (!status_.ok()) return false;
  if (buffering_) return Buffer({Event::Type::kEndObject, {}});
  return OnEndObject();
}

bool ResourceSaxHandler::StartArray() {
  if (!Admit()) return false;
  if (buffering_) return Buffer({Event::Type::kStartArray, {}});
  return OnStartArray();
}

bool ResourceSaxHandler::EndArray(unsigned element_count) {
  if (!status_.ok()) return false;
  if (buffering_) return Buffer({Event::Type::kEndArray, {}, element_count});
  return OnEndArray(element_count);
}

#undef THROMBO_CHECK_LENGTH_

void ResourceSaxHandler::NoteSkippedMember() {
  if (!frames_.empty() && frames_.back().kind == FrameKind::kMessage) ++frames_.back().members;
}

void ResourceSaxHandler::NoteUnreadMalformed(std::string_view key) {
  if (!tolerant() || frames_.empty() || frames_.back().kind != FrameKind::kMessage) return;
  Deviate(ParseDeviation::Kind::kUnreadMalformed,
          absl::StrCat(FramesPath(), ".", base::Absl(key)),
          "the JSON type does not fit FHIR R4; the element is not read, so it was skipped",
          std::string(key));
}

// ---- Scalars ----------------------------------------------------------------------------

bool ResourceSaxHandler::OnScalar(JsonType type, std::string_view text) {
  // The common cases, exactly as OnOtherScalar() handles them, without its error and
  // deviation paths (which cost every call a larger stack frame).
  if (ABSL_PREDICT_TRUE(!frames_.empty())) {
    Frame& frame = frames_.back();
    if (frame.kind == FrameKind::kArray) {
      ++frame.index;
      return SetOrDrop(frame.message, *frame.entry, /*add=*/true, type, text);
    }
    if (frame.kind == FrameKind::kMessage && !frame.skipping_value && frame.entry != nullptr &&
        !frame.entry->repeated && !frame.entry->is_sidecar) {
      if (!SetOrDrop(frame.message, *frame.entry, /*add=*/false, type, text)) return false;
      frames_.back().entry = nullptr;
      return true;
    }
  }
  return OnOtherScalar(type, text);
}

// The scalars OnScalar() leaves: no open object, a skipped value, the pending "resourceType",
// an item of a sidecar array, a value without a member name, and a primitive where an array or
// a sidecar object is due. (An item of a value array and a singular member's value never get
// here.)
ABSL_ATTRIBUTE_NOINLINE bool ResourceSaxHandler::OnOtherScalar(JsonType type,
                                                               std::string_view text) {
  if (frames_.empty()) {
    return Fail(IssueType::kStructure,
                absl::StrCat("expected an object, got ", base::Absl(JsonTypeName(static_cast<int>(type)))));
  }
  Frame& frame = frames_.back();
  switch (frame.kind) {
    case FrameKind::kSkip:
      return true;
    case FrameKind::kPending:
      if (type != JsonType::kString) return Fail(IssueType::kStructure, "resourceType must be a string");
      return Dispatch(text);
    case FrameKind::kSidecarArray:
      ++frame.index;
      if (type == JsonType::kNull) return true;
      if (tolerant()) {
        Deviate(ParseDeviation::Kind::kDroppedElement, CurrentPath(),
                "structure: element left out");
        return true;
      }
      return Fail(IssueType::kStructure,
                  absl::StrCat("expected an object or null, got ",
                               base::Absl(JsonTypeName(static_cast<int>(type)))));
    case FrameKind::kArray:  // OnScalar() took it
    case FrameKind::kMessage:
      break;
  }
  if (frame.skipping_value) {
    frame.skipping_value = false;
    return true;
  }
  if (frame.entry == nullptr) return Fail(IssueType::kStructure, "value without a member name");
  const FieldEntry& entry = *frame.entry;  // repeated or a sidecar: OnScalar() took the rest
  if (tolerant() && entry.repeated && !entry.is_sidecar && type != JsonType::kNull) {
    // One primitive where FHIR wants an array ("given": "Ann"): one meaning, one element.
    Deviate(ParseDeviation::Kind::kScalarForArray, CurrentPath(),
            "a single value where an array is expected; read as one element");
    Message* message = frame.message;
    if (!SetOrDrop(message, entry, /*add=*/true, type, text)) return false;
    frames_.back().entry = nullptr;
    return true;
  }
  if (type == JsonType::kNull) Fail(IssueType::kInvalid, "null is not allowed here");
  else WrongType(entry, type);
  if (!DropFailed()) return false;
  frames_.back().entry = nullptr;
  return true;
}

// Inline into SetOrDrop, its one caller: a call level less for every scalar.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline bool ResourceSaxHandler::SetValue(Message* message,
                                                                      const FieldEntry& entry,
                                                                      bool add, JsonType type,
                                                                      std::string_view text) {
  if (type == JsonType::kNull) {
    if (add && entry.is_primitive) return AddNull(message, entry);
    return Fail(IssueType::kInvalid, "null is not allowed here");
  }
  switch (entry.kind) {
    case FieldKind::kString:
    case FieldKind::kCode:
    case FieldKind::kId:
    case FieldKind::kTime:
    case FieldKind::kEnum:
      if (type != JsonType::kString) return WrongType(entry, type);
      return SetPrimitive(message, entry, add, text);
    case FieldKind::kDate:
    case FieldKind::kDateTime:
    case FieldKind::kInstant:
      if (type != JsonType::kString) return WrongType(entry, type);
      return SetPrimitive(message, entry, add, text);
    case FieldKind::kResourceType:
      if (type != JsonType::kString) return WrongType(entry, type);
      return CheckResourceType(text);
    case FieldKind::kBool:
      if (type != JsonType::kBool) return WrongType(entry, type);
      if (add) {
        frames_.back().reflection->AddBool(message, entry.field, text[0] == 't');
      } else {
        frames_.back().reflection->SetBool(message, entry.field, text[0] == 't');
      }
      return true;
    case FieldKind::kInteger:
    case FieldKind::kPositiveInt:
    case FieldKind::kUnsignedInt:
    case FieldKind::kDecimal:
      if (type != JsonType::kNumber) return WrongType(entry, type);
      return SetPrimitive(message, entry, add, text);
    case FieldKind::kMessage:
    case FieldKind::kContainedResource:
      return WrongType(entry, type);
  }
  return WrongType(entry, type);
}

// The shared value rule (WritePrimitive); a value it refuses is the element's value error.
bool ResourceSaxHandler::SetPrimitive(Message* message, const FieldEntry& entry, bool add,
                                      std::string_view text) {
  absl::Status status = WritePrimitive(message, frames_.back().reflection, entry, add, text);
  if (ABSL_PREDICT_TRUE(status.ok())) return true;
  return Fail(IssueType::kValue, base::Std(status.message()));
}

bool ResourceSaxHandler::AddNull(Message* message, const FieldEntry& entry) {
  const Reflection* reflection = frames_.back().reflection;
  switch (entry.cpp_type) {
    case FieldDescriptor::CPPTYPE_STRING: reflection->AddString(message, entry.field, ""); break;
    case FieldDescriptor::CPPTYPE_ENUM: reflection->AddEnumValue(message, entry.field, 0); break;
    case FieldDescriptor::CPPTYPE_BOOL: reflection->AddBool(message, entry.field, false); break;
    case FieldDescriptor::CPPTYPE_INT32: reflection->AddInt32(message, entry.field, 0); break;
    case FieldDescriptor::CPPTYPE_UINT32: reflection->AddUInt32(message, entry.field, 0); break;
    case FieldDescriptor::CPPTYPE_MESSAGE: reflection->AddMessage(message, entry.field); break;
    default: return Fail(IssueType::kInvalid, "null is not allowed here");
  }
  // frames_.back() is the array; the message that owns it sits just below.
  null_slots_.push_back({frames_.size() - 2, &entry, frames_.back().index});
  return true;
}

bool ResourceSaxHandler::CheckResourceType(std::string_view type) {
  const std::string& expected = frames_.back().table->resource_type();
  if (type == expected) return true;
  return Fail(IssueType::kInvalid,
              absl::StrCat("resourceType is \"", base::Absl(type), "\", expected \"", expected, "\""));
}

// ---- Objects ----------------------------------------------------------------------------

bool ResourceSaxHandler::Push(Frame frame) {
  if (!CheckDepth(1)) return false;
  frames_.push_back(frame);
  return true;
}

bool ResourceSaxHandler::PushMessage(Message* message, const FieldTable* table,
                                     std::string_view segment) {
  Frame frame;
  frame.kind = FrameKind::kMessage;
  frame.segment = segment;
  frame.message = message;
  frame.table = table;
  frame.reflection = table->reflection();
  return Push(frame);
}

bool ResourceSaxHandler::PushPending(Message* contained, Message* owner,
                                     const FieldEntry* owner_entry, std::string_view segment) {
  Frame frame;
  frame.kind = FrameKind::kPending;
  frame.segment = segment;
  frame.message = contained;
  frame.reflection = contained_table_->reflection();
  frame.owner = owner;
  frame.owner_entry = owner_entry;
  return Push(frame);
}

bool ResourceSaxHandler::PushSidecar(const Frame& owner_frame, const FieldEntry& entry,
                                     int index, std::string_view segment) {
  Message* owner = owner_frame.message;
  auto* sidecar = static_cast<r4::PrimitiveExtension*>(owner_frame.reflection->AddMessage(
      owner, owner_frame.table->primitive_extension_field()));
  sidecar->set_field(entry.json_name);
  if (index >= 0) {
    sidecar->set_in_array(true);
    sidecar->set_index(index);
  }
  return PushMessage(sidecar, &FieldTable::ForSidecar(), segment);
}

bool ResourceSaxHandler::OnStartObject() {
  if (frames_.empty()) {
    if (started_) return Fail(IssueType::kStructure, "unexpected content after the resource");
    started_ = true;
    if (root_is_contained_) return PushPending(root_message_, nullptr, nullptr, {});
    return PushMessage(root_message_, root_table_, {});
  }
  Frame& frame = frames_.back();
  switch (frame.kind) {
    case FrameKind::kSkip:
      ++frame.skip_depth;
      return CheckDepth(frame.skip_depth - 1);
    case FrameKind::kPending:
      return Fail(IssueType::kStructure, "resourceType must be a string");
    case FrameKind::kSidecarArray:
      ++frame.index;
      return PushSidecar(frame, *frame.entry, frame.index, {});
    case FrameKind::kArray:
      ++frame.index;
      return StartElementObject(frame);
    case FrameKind::kMessage:
      return StartMemberObject(frame);
  }
  return false;
}

bool ResourceSaxHandler::StartElementObject(Frame& parent) {
  const FieldEntry& entry = *parent.entry;
  if (entry.kind == FieldKind::kMessage) {
    Message* child = MutableOrAdd(parent.reflection, parent.message, entry, /*add=*/true);
    return PushMessage(child, entry.message_table, {});
  }
  if (entry.kind == FieldKind::kContainedResource) {
    Message* child = MutableOrAdd(parent.reflection, parent.message, entry, /*add=*/true);
    return PushPending(child, parent.message, &entry, {});
  }
  WrongType(entry, JsonType::kObject);
  return DropValue({});
}

bool ResourceSaxHandler::StartMemberObject(Frame& parent) {
  if (parent.skipping_value) {
    parent.skipping_value = false;
    Frame frame;
    frame.kind = FrameKind::kSkip;
    frame.segment = skip_key_;
    frame.skip_depth = 1;
    return Push(frame);
  }
  const FieldEntry& entry = *parent.entry;
  if (entry.repeated) {
    if (tolerant() && !entry.is_sidecar &&
        (entry.kind == FieldKind::kMessage || entry.kind == FieldKind::kContainedResource)) {
      // One object where FHIR wants an array ("doseAndRate": {...}, "category": {...}): read
      // as a one-element array. The implicit array frame closes with the object.
      Deviate(ParseDeviation::Kind::kObjectForArray, CurrentPath(),
              "an object where an array is expected; read as one element");
      Frame array;
      array.kind = FrameKind::kArray;
      array.segment = entry.key;
      array.message = parent.message;
      array.reflection = parent.reflection;
      array.table = parent.table;
      array.entry = &entry;
      array.index = 0;
      array.implicit = true;
      parent.entry = nullptr;
      if (!Push(array)) return false;
      return StartElementObject(frames_.back());
    }
    WrongType(entry, JsonType::kObject);
    return DropValue(entry.key);
  }
  Message* message = parent.message;
  if (entry.is_sidecar) {
    parent.entry = nullptr;
    return PushSidecar(parent, entry, -1, entry.key);
  }
  if (entry.kind == FieldKind::kMessage) {
    parent.entry = nullptr;
    return PushMessage(MutableOrAdd(parent.reflection, message, entry, /*add=*/false),
                       entry.message_table, entry.key);
  }
  if (entry.kind == FieldKind::kContainedResource) {
    parent.entry = nullptr;
    return PushPending(MutableOrAdd(parent.reflection, message, entry, /*add=*/false), message,
                       &entry, entry.key);
  }
  WrongType(entry, JsonType::kObject);
  return DropValue(entry.key);
}

bool ResourceSaxHandler::OnKey(std::string_view key, const FieldTable* known_table,
                               const FieldEntry* known_entry) {
  Frame& frame = frames_.back();
  if (frame.kind == FrameKind::kSkip) return true;
  if (frame.kind == FrameKind::kPending) return OnPendingKey(frame, key);
  ++frame.members;
  // The caller's entry is known_table->Find(key): the same answer when the tables match.
  const FieldEntry* entry = frame.table == known_table ? known_entry : frame.table->Find(key);
  if (entry == nullptr) return UnknownElement(frame, key);
  frame.entry = entry;
  if (TestAndSet(frame.seen, entry->ordinal)) return DuplicateElement(frame, *entry, key);
  if (entry->kind == FieldKind::kResourceType) {
    frame.resource_type_seen = true;
  } else if (!entry->is_sidecar && entry->field->containing_oneof() != nullptr) {
    return ChoiceConflict(frame, *entry);
  }
  return true;
}

// Out of line: rare, and its path and deviation strings would enlarge OnKey's stack frame.
ABSL_ATTRIBUTE_NOINLINE bool ResourceSaxHandler::DuplicateElement(Frame& frame,
                                                                  const FieldEntry& entry,
                                                                  std::string_view key) {
  // A second resourceType is refused in every mode, as a wrong one is (CheckResourceType): it
  // has no field to clear, and which type the resource is cannot be left out.
  if (!tolerant() || entry.kind == FieldKind::kResourceType) {
    return Fail(IssueType::kStructure, "duplicate element");
  }
  // Two values for one element: neither can be trusted, so both are left out (a sidecar's
  // first value stays: sidecars share one field).
  Deviate(ParseDeviation::Kind::kDroppedElement, CurrentPath(),
          "structure: duplicate element left out");
  if (!entry.is_sidecar) frame.reflection->ClearField(frame.message, entry.field);
  skip_key_.assign(key.data(), key.size());
  frame.skipping_value = true;
  frame.entry = nullptr;
  return true;
}

bool ResourceSaxHandler::ChoiceConflict(const Frame& frame, const FieldEntry& entry) {
  const google::protobuf::OneofDescriptor* oneof = entry.field->containing_oneof();
  const Reflection* reflection = frame.reflection;
  if (!reflection->HasOneof(*frame.message, oneof)) return true;
  const FieldDescriptor* other = reflection->GetOneofFieldDescriptor(*frame.message, oneof);
  if (tolerant()) {
    // Two values of one choice element: neither is trusted.
    Frame& top = frames_.back();
    Deviate(ParseDeviation::Kind::kDroppedElement, CurrentPath(),
            "structure: second value of a choice element; both left out");
    reflection->ClearOneof(top.message, oneof);
    skip_key_ = entry.key;
    top.skipping_value = true;
    top.entry = nullptr;
    return true;
  }
  return Fail(IssueType::kStructure,
              absl::StrCat("choice element ", ChoiceName(oneof), " has two values, ",
                           other->json_name(), " and ", entry.json_name));
}

bool ResourceSaxHandler::UnknownElement(Frame& frame, std::string_view key) {
  skip_key_.assign(key.data(), key.size());
  frame.skipping_value = true;
  frame.entry = nullptr;
  ++skipped_;
  const std::string what =
      absl::StrCat("unknown element \"", base::Absl(key), "\" in ", frame.table->descriptor()->name());
  if (options_.strict) return Fail(IssueType::kNotSupported, what);
  if (warnings_.size() < options_.max_warnings) {
    warnings_.push_back({ParseIssue::Severity::kWarning, IssueType::kNotSupported,
                         CurrentPath(), what});
  }
  return true;
}

bool ResourceSaxHandler::OnEndObject() {
  Frame& frame = frames_.back();
  switch (frame.kind) {
    case FrameKind::kSkip:
      if (--frame.skip_depth == 0) {
        frames_.pop_back();
        // A skipped top-level resource (tolerant mode) ends the document too.
        if (frames_.empty()) complete_ = true;
        if (!frames_.empty() && frames_.back().implicit) frames_.pop_back();
      }
      return true;
    case FrameKind::kPending:
      return Fail(IssueType::kRequired, "resourceType is missing");
    case FrameKind::kMessage:
      if (!FinishMessage(frame)) return false;
      frames_.pop_back();
      if (frames_.empty()) complete_ = true;
      // The lone object read as an array (tolerant mode) closes its implicit array.
      if (!frames_.empty() && frames_.back().implicit) frames_.pop_back();
      return true;
    default:
      return Fail(IssueType::kStructure, "unbalanced JSON object");
  }
}

bool ResourceSaxHandler::FinishMessage(const Frame& frame) {
  if (frame.members == 0) {
    if (!tolerant()) return Fail(IssueType::kInvalid, "an object must not be empty");
    Deviate(ParseDeviation::Kind::kDroppedElement, CurrentPath(),
            "invalid: an empty object carries nothing");
  }
  if (frame.table->is_resource() && !frame.resource_type_seen) {
    return Fail(IssueType::kRequired, "resourceType is missing");
  }
  // Each failed check pops its slot, so in tolerant mode this goes on to the next one.
  while (!null_slots_.empty() && !CheckNullSlots(frame)) {
    if (!DropFailed()) return false;
  }
  if (options_.check_required && !frame.table->required_entries().empty()) {
    return CheckRequired(frame);
  }
  return true;
}

bool ResourceSaxHandler::CheckNullSlots(const Frame& frame) {
  const size_t depth = frames_.size() - 1;
  const FieldDescriptor* sidecars_field = frame.table->primitive_extension_field();
  while (!null_slots_.empty() && null_slots_.back().frame == depth) {
    const NullSlot slot = null_slots_.back();
    null_slots_.pop_back();
    bool found = false;
    if (sidecars_field != nullptr) {
      const auto& sidecars = frame.reflection->GetRepeatedFieldRef<r4::PrimitiveExtension>(*frame.message, sidecars_field);
      for (const r4::PrimitiveExtension& sidecar : sidecars) {
        if (sidecar.in_array() && sidecar.index() == slot.index &&
            sidecar.field() == slot.entry->json_name) {
          found = true;
          break;
        }
      }
    }
    if (!found) {
      return Fail(IssueType::kInvalid,
                  absl::StrCat("null at ", slot.entry->json_name, "[", slot.index,
                               "] has no matching _", slot.entry->json_name, " extension"));
    }
  }
  return true;
}

bool ResourceSaxHandler::CheckRequired(const Frame& frame) {
  const Message& message = *frame.message;
  const Reflection* reflection = frame.reflection;
  for (const FieldEntry* entry : frame.table->required_entries()) {
    const bool present = entry->repeated ? reflection->FieldSize(message, entry->field) > 0
                                         : reflection->HasField(message, entry->field);
    if (present) continue;
    bool has_extension = false;
    if (const FieldDescriptor* pe = frame.table->primitive_extension_field()) {
      const auto& sidecars = reflection->GetRepeatedFieldRef<r4::PrimitiveExtension>(message, pe);
      for (const r4::PrimitiveExtension& sidecar : sidecars) {
        has_extension |= sidecar.field() == entry->json_name;
      }
    }
    if (!has_extension) {
      const std::string what = absl::StrCat("missing required element \"", entry->json_name, "\"");
      if (!tolerant()) return Fail(IssueType::kRequired, what);
      Deviate(ParseDeviation::Kind::kMissingRequired,
              absl::StrCat(CurrentPath(), ".", entry->json_name), what, entry->json_name);
    }
  }
  return true;
}

// ---- Arrays -----------------------------------------------------------------------------

bool ResourceSaxHandler::OnStartArray() {
  if (frames_.empty()) return Fail(IssueType::kStructure, "expected an object, got an array");
  Frame& frame = frames_.back();
  switch (frame.kind) {
    case FrameKind::kSkip:
      ++frame.skip_depth;
      return CheckDepth(frame.skip_depth - 1);
    case FrameKind::kPending:
      return Fail(IssueType::kStructure, "resourceType must be a string");
    case FrameKind::kArray:
    case FrameKind::kSidecarArray:
      ++frame.index;
      Fail(IssueType::kStructure, "expected an element, got a nested array");
      return DropValue({});
    case FrameKind::kMessage:
      break;
  }
  if (frame.skipping_value) {
    frame.skipping_value = false;
    Frame skip;
    skip.kind = FrameKind::kSkip;
    skip.segment = skip_key_;
    skip.skip_depth = 1;
    return Push(skip);
  }
  const FieldEntry* entry = frame.entry;
  if (!entry->repeated) {
    WrongType(*entry, JsonType::kArray);
    return DropValue(entry->key);
  }
  frame.entry = nullptr;
  Frame array;
  array.kind = entry->is_sidecar ? FrameKind::kSidecarArray : FrameKind::kArray;
  array.segment = entry->key;
  array.message = frame.message;
  array.reflection = frame.reflection;
  array.table = frame.table;
  array.entry = entry;
  return Push(array);
}

bool ResourceSaxHandler::OnEndArray(unsigned element_count) {
  Frame& frame = frames_.back();
  if (frame.kind == FrameKind::kSkip) {
    if (--frame.skip_depth == 0) frames_.pop_back();
    return true;
  }
  if (frame.kind != FrameKind::kArray && frame.kind != FrameKind::kSidecarArray) {
    return Fail(IssueType::kStructure, "unbalanced JSON array");
  }
  if (element_count == 0) {
    // FHIR forbids empty arrays, but EHRs and search endpoints send them ("entry": []). Read as
    // absent with a warning; strict mode keeps the error.
    constexpr char kEmpty[] = "an array must not be empty";
    if (options_.strict) return Fail(IssueType::kInvalid, kEmpty);
    ++skipped_;
    if (warnings_.size() < options_.max_warnings) {
      warnings_.push_back({ParseIssue::Severity::kWarning, IssueType::kInvalid, CurrentPath(),
                           absl::StrCat(kEmpty, "; read as absent")});
    }
  }
  frames_.pop_back();
  return true;
}

// ---- Resources whose type is not yet known ----------------------------------------------

bool ResourceSaxHandler::OnPendingKey(Frame& frame, std::string_view key) {
  if (frame.pending == PendingState::kFirstKey && key == "resourceType") {
    frame.pending = PendingState::kAwaitType;
    return true;
  }
  // "resourceType" is not first: hold the events back until it arrives.
  frame.pending = PendingState::kBuffering;
  buffering_ = true;
  return Buffer({Event::Type::kKey, std::string(key)});
}

bool ResourceSaxHandler::Buffer(Event event) {
  Frame& frame = frames_.back();
  switch (event.type) {
    case Event::Type::kStartObject:
    case Event::Type::kStartArray:
      ++frame.skip_depth;
      if (!CheckDepth(frame.skip_depth)) return false;
      break;
    case Event::Type::kEndObject:
      if (frame.skip_depth == 0) return Fail(IssueType::kRequired, "resourceType is missing");
      --frame.skip_depth;
      break;
    case Event::Type::kEndArray:
      --frame.skip_depth;
      break;
    case Event::Type::kKey:
      if (frame.skip_depth == 0 && event.text == "resourceType") {
        frame.pending = PendingState::kAwaitType;
        buffering_ = false;
        return true;
      }
      break;
    default:
      break;
  }
  buffer_.push_back(std::move(event));
  return true;
}

bool ResourceSaxHandler::Dispatch(std::string_view resource_type) {
  Frame& frame = frames_.back();
  const FieldEntry* member =
      contained_table_->FindResourceType(resource_type);
  if (member == nullptr) return SkipResource(resource_type);
  Message* contained = frame.message;
  frame.kind = FrameKind::kMessage;
  frame.message = MutableOrAdd(frame.reflection, contained, *member, /*add=*/false);
  frame.table = member->message_table;
  frame.reflection = frame.table->reflection();
  frame.resource_type_seen = true;
  frame.members = 1;
  TestAndSet(frame.seen, frame.table->Find("resourceType")->ordinal);
  frame.skip_depth = 0;
  if (frames_.size() == 1) root_type_ = std::string(resource_type);
  return Replay();
}

bool ResourceSaxHandler::SkipResource(std::string_view resource_type) {
  Frame& frame = frames_.back();
  const std::string what =
      absl::StrCat("resource type \"", base::Absl(resource_type), "\" is not supported");
  if (options_.strict || (frame.owner == nullptr && !tolerant())) {
    return Fail(IssueType::kNotSupported, what);
  }
  ++skipped_;
  if (warnings_.size() < options_.max_warnings) {
    warnings_.push_back({ParseIssue::Severity::kWarning, IssueType::kNotSupported,
                         CurrentPath(), absl::StrCat(base::Absl(what), "; skipped")});
  }
  if (frame.owner != nullptr) {
    const Reflection* reflection = frame.owner->GetReflection();
    if (frame.owner_entry->repeated) {
      reflection->RemoveLast(frame.owner, frame.owner_entry->field);
    } else {
      reflection->ClearField(frame.owner, frame.owner_entry->field);
    }
  }
  buffer_.clear();  // held-back members belong to the skipped resource
  frame.kind = FrameKind::kSkip;
  frame.skip_depth = 1;
  return true;
}

bool ResourceSaxHandler::Replay() {
  if (buffer_.empty()) return true;
  // Move out first: a resource nested in the replayed events may buffer again.
  std::vector<Event> events = std::move(buffer_);
  buffer_.clear();
  for (Event& event : events) {
    if (!Deliver(std::move(event))) return false;
  }
  return true;
}

bool ResourceSaxHandler::Deliver(Event event) {
  // A resource nested in replayed events may itself start buffering.
  if (buffering_) return Buffer(std::move(event));
  {
    bool ok = true;
    switch (event.type) {
      case Event::Type::kNull: ok = OnScalar(JsonType::kNull, {}); break;
      case Event::Type::kTrue: ok = OnScalar(JsonType::kBool, "true"); break;
      case Event::Type::kFalse: ok = OnScalar(JsonType::kBool, "false"); break;
      case Event::Type::kNumber: ok = OnScalar(JsonType::kNumber, event.text); break;
      case Event::Type::kString: ok = OnScalar(JsonType::kString, event.text); break;
      case Event::Type::kKey: ok = OnKey(event.text); break;
      case Event::Type::kStartObject: ok = OnStartObject(); break;
      case Event::Type::kEndObject: ok = OnEndObject(); break;
      case Event::Type::kStartArray: ok = OnStartArray(); break;
      case Event::Type::kEndArray: ok = OnEndArray(event.count); break;
    }
    return ok;
  }
}

}  // namespace thrombo::fhir
