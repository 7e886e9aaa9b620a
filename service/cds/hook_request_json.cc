// Copyright 2026 The Thrombo Authors.
#include "service/cds/hook_request_json.h"

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/string_compat.h"
#include "fhir/key_index.h"
#include "fhir/parse_issue.h"
#include "base/utf8_json_reader.h"
#include "rapidjson/error/en.h"
#include "rapidjson/reader.h"

namespace thrombo::service {
namespace {

// Where the reader is in the envelope.
enum class Where { kTop, kContext, kPrefetch, kAuthorization, kSelections };

class HookRequestHandler final {
 public:
  HookRequestHandler(const fhir::ParseOptions& options, v1::EvaluateHookRequest* out,
                     std::vector<HookDeviation>* deviations)
      : options_(options), out_(*out), deviations_(deviations) {}

  bool Null() {
    if (Forwarding()) return Forward([](auto& h) { return h.Null(); });
    if (skip_depth_ > 0) return true;
    if (In(Where::kPrefetch)) {
      out_.add_null_prefetch_keys(key_);  // "no data" for this key
      return true;
    }
    return Scalar("null", "");
  }
  bool Bool(bool b) {
    if (Forwarding()) return Forward([b](auto& h) { return h.Bool(b); });
    return skip_depth_ > 0 || Scalar("boolean", b ? "true" : "false");
  }
  bool Int(int v) { return Number(std::to_string(v)); }
  bool Uint(unsigned v) { return Number(std::to_string(v)); }
  bool Int64(int64_t v) { return Number(std::to_string(v)); }
  bool Uint64(uint64_t v) { return Number(std::to_string(v)); }
  bool Double(double v) { return Number(absl::StrCat(v)); }
  bool RawNumber(const char* text, unsigned length, bool copy) {
    if (Forwarding()) {
      return Forward([&](auto& h) { return h.RawNumber(text, length, copy); });
    }
    return Number(std::string(text, length));
  }
  bool String(const char* text, unsigned length, bool copy) {
    if (Forwarding()) return Forward([&](auto& h) { return h.String(text, length, copy); });
    if (skip_depth_ > 0) return true;
    return Scalar("string", absl::string_view(text, length));
  }
  bool StartObject();
  // A key of a resource member with its FieldEntry (ResourceSaxHandler::KnownKey); the
  // envelope has no entries, so outside a resource this is Key().
  bool KnownKey(const char* text, unsigned length, const fhir::FieldTable& table,
                const fhir::FieldEntry& entry) {
    if (Forwarding()) {
      return Forward([&](auto& h) { return h.KnownKey(text, length, table, entry); });
    }
    return Key(text, length, true);
  }
  bool Key(const char* text, unsigned length, bool copy) {
    if (Forwarding()) return Forward([&](auto& h) { return h.Key(text, length, copy); });
    return EnvelopeKey(text, length);
  }
  // Out of line: the envelope's few keys would otherwise give every forwarded key the stack
  // frame of the duplicate check and its error message.
  ABSL_ATTRIBUTE_NOINLINE bool EnvelopeKey(const char* text, unsigned length) {
    if (skip_depth_ > 0) return true;
    key_.assign(text, length);
    // A repeated member is ambiguous: a proxy or audit log that keeps the first value would
    // see another patient or hook than this reader, which would keep the last.
    if (!keys_.empty() && !keys_.back().Insert(key_, true)) {
      return Fail(absl::StrCat("duplicate member '", key_, "'"), Path());
    }
    if (In(Where::kTop) && key_ == "user" && !Tolerant()) {
      return Fail("'user' is a pre-1.0 CDS Hooks field; 2.0 sends context.userId", "user");
    }
    return true;
  }
  bool EndObject(unsigned count) {
    if (Forwarding()) return Forward([count](auto& h) { return h.EndObject(count); });
    if (skip_depth_ > 0) {
      --skip_depth_;
      return true;
    }
    Pop();
    return true;
  }
  bool StartArray();
  bool EndArray(unsigned count) {
    if (Forwarding()) return Forward([count](auto& h) { return h.EndArray(count); });
    if (skip_depth_ > 0) {
      --skip_depth_;
      return true;
    }
    Pop();
    return true;
  }

  // A member of a resource that the projection reader skipped (fhir/projection_reader.h).
  void NoteSkippedMember() {
    if (Forwarding()) fhir_->NoteSkippedMember();
  }
  void NoteUnreadMalformed(std::string_view key) {
    if (Forwarding()) fhir_->NoteUnreadMalformed(key);
  }

  // The projection reader's direct writer (fhir/projection_reader.h): the resource being
  // started, and its completion.
  // A prefetch value's Observation entries may be read as views into `lab_observations_`.
  fhir::ResourceSaxHandler::DirectRoot DirectTarget() const {
    if (!Forwarding()) return {};
    fhir::ResourceSaxHandler::DirectRoot root = fhir_->DirectTarget();
    if (In(Where::kPrefetch)) root.lab_observations = lab_observations_;
    return root;
  }
  void set_lab_observations(fhir::LabObservationTable* table) { lab_observations_ = table; }
  void CompleteDirect(std::string_view resource_type) {
    fhir_->CompleteDirect(resource_type);
    FinishResource();
  }

  const absl::Status& status() const { return status_; }
  // The pre-1.0 top-level "user", when one was read (tolerant mode).
  const std::string& pre_1_0_user() const { return pre_1_0_user_; }
  bool Tolerant() const { return options_.tolerant && !options_.strict; }
  void Deviate(std::string kind, std::string path) {
    if (deviations_ != nullptr) deviations_->push_back({std::move(kind), std::move(path), "", ""});
  }

 private:
  // Enters an envelope object or array; each level has its own set of member names.
  void Push(Where where) {
    stack_.push_back(where);
    keys_.emplace_back();
  }
  void Pop() {
    stack_.pop_back();
    keys_.pop_back();
  }
  bool In(Where where) const { return !stack_.empty() && stack_.back() == where; }
  bool Forwarding() const { return fhir_ != nullptr; }

  template <typename Event>
  bool Forward(Event event) {
    if (!event(*fhir_)) {
      status_ = fhir_->status();
      return false;
    }
    if (fhir_->IsComplete()) FinishResource();
    return true;
  }

  std::string Path() const {
    std::string path;
    switch (stack_.empty() ? Where::kTop : stack_.back()) {
      case Where::kContext:
        path = "context.";
        break;
      case Where::kPrefetch:
        path = "prefetch.";
        break;
      case Where::kAuthorization:
        path = "fhirAuthorization.";
        break;
      case Where::kSelections:
        return "context.selections";
      default:
        break;
    }
    return path + key_;
  }

  bool Fail(absl::string_view what, absl::string_view path) {
    status_ = fhir::MakeParseError(fhir::IssueType::kStructure, base::Std(what), base::Std(path));
    return false;
  }

  bool Number(const std::string& text);
  bool Scalar(absl::string_view type, absl::string_view text);
  // Starts the embedded FHIR parser on a resource of a known type (draftOrders: a Bundle) or of
  // any type, chosen by its resourceType (prefetch values).
  template <typename Target>
  bool StartResource(Target* target, std::string path) {
    fhir_ = std::make_unique<fhir::ResourceSaxHandler>(options_, target, std::move(path));
    return Forward([](auto& h) { return h.StartObject(); });
  }
  void FinishResource();

  const fhir::ParseOptions& options_;
  v1::EvaluateHookRequest& out_;
  std::vector<Where> stack_;
  // Member names seen, per stack_ level. A KeyIndex (the JSON codec's table of member names)
  // rather than a hash set per object: an envelope object has a handful of names.
  std::vector<fhir::KeyIndex<bool>> keys_;
  std::string key_;
  int skip_depth_ = 0;  // > 0 while inside a member being ignored
  std::unique_ptr<fhir::ResourceSaxHandler> fhir_;
  fhir::LabObservationTable* lab_observations_ = nullptr;
  absl::Status status_;
  std::vector<HookDeviation>* deviations_;  // may be null
  std::string pre_1_0_user_;
};

bool HookRequestHandler::Scalar(absl::string_view type, absl::string_view text) {
  if (stack_.empty()) return Fail("the request must be a JSON object", "$");
  if (In(Where::kSelections)) {
    if (type != "string") return Fail("selections must be strings", "context.selections");
    out_.add_selections(std::string(text));
    return true;
  }
  const bool is_string = type == "string";
  auto need_string = [&]() { return is_string || Fail(absl::StrCat("expected a string, got ", type), Path()); };
  switch (stack_.back()) {
    case Where::kTop:
      if (key_ == "hook") return need_string() && (out_.set_hook(std::string(text)), true);
      if (key_ == "hookInstance") {
        return need_string() && (out_.set_hook_instance(std::string(text)), true);
      }
      if (key_ == "fhirServer") {
        return need_string() && (out_.set_fhir_server(std::string(text)), true);
      }
      if (key_ == "fhirAuthorization" || key_ == "context" || key_ == "prefetch") {
        return Fail(absl::StrCat("expected an object, got ", type), key_);
      }
      if (key_ == "userId" && Tolerant()) {
        // PDDI-CDS sends the 2.0 name at the top level instead of in context.
        Deviate("misplaced_user_id", "userId");
        if (is_string) pre_1_0_user_ = std::string(text);
      }
      if (key_ == "user" && Tolerant()) {
        // CDS Hooks 0.x/1.0-draft: "user" is the current user as "Practitioner/123", which 2.0
        // moved to context.userId (Hook Library, patient-view and order-sign 1.0 changelogs).
        Deviate("pre_1_0_user", "user");
        if (is_string) pre_1_0_user_ = std::string(text);
      }
      return true;  // unknown top-level member: ignored
    case Where::kContext:
      if (key_ == "draftOrders") return Fail(absl::StrCat("expected a FHIR Bundle, got ", type), Path());
      if (key_ == "selections") {
        if (!is_string || !Tolerant()) {
          return Fail(absl::StrCat("expected an array, got ", type), Path());
        }
        Deviate("scalar_for_array", Path());
        out_.add_selections(std::string(text));
        return true;
      }
      if (is_string) (*out_.mutable_context())[key_] = std::string(text);
      return true;
    case Where::kPrefetch:
      if (Tolerant()) {
        // Not data: the key counts as not sent (fetched on miss, or missing).
        Deviate("dropped_element", Path());
        return true;
      }
      return Fail(absl::StrCat("a prefetch value must be a FHIR resource or null, got ", type),
                  Path());
    case Where::kAuthorization: {
      v1::FhirAuthorization& auth = *out_.mutable_fhir_authorization();
      if (key_ == "expires_in") {
        int64_t seconds = 0;
        if (type != "number" || !absl::SimpleAtoi(text, &seconds)) {
          return Fail("expires_in must be an integer number of seconds", Path());
        }
        auth.set_expires_in(seconds);
        return true;
      }
      if (!need_string()) return false;
      if (key_ == "access_token") auth.set_access_token(std::string(text));
      if (key_ == "token_type") auth.set_token_type(std::string(text));
      if (key_ == "scope") auth.set_scope(std::string(text));
      if (key_ == "subject") auth.set_subject(std::string(text));
      if (key_ == "patient") auth.set_patient(std::string(text));
      return true;
    }
    default:
      return true;
  }
}

bool HookRequestHandler::Number(const std::string& text) {
  if (Forwarding()) return Forward([&](auto& h) {
    return h.RawNumber(text.data(), static_cast<unsigned>(text.size()), true);
  });
  if (skip_depth_ > 0) return true;
  return Scalar("number", text);
}

void HookRequestHandler::FinishResource() {
  if (deviations_ != nullptr) {
    for (fhir::ParseDeviation& d : fhir_->TakeDeviations()) {
      deviations_->push_back({std::string(fhir::DeviationKindName(d.kind)), std::move(d.path),
                              std::move(d.resource_type), std::move(d.element)});
    }
  }
  fhir_.reset();
}

bool HookRequestHandler::StartObject() {
  if (Forwarding()) return Forward([](auto& h) { return h.StartObject(); });
  if (skip_depth_ > 0) {
    ++skip_depth_;
    return true;
  }
  if (stack_.empty()) {
    Push(Where::kTop);
    return true;
  }
  switch (stack_.back()) {
    case Where::kTop:
      if (key_ == "context") {
        Push(Where::kContext);
      } else if (key_ == "prefetch") {
        Push(Where::kPrefetch);
      } else if (key_ == "fhirAuthorization") {
        Push(Where::kAuthorization);
      } else if (key_ == "hook" || key_ == "hookInstance" || key_ == "fhirServer") {
        return Fail("expected a string, got object", key_);
      } else {
        skip_depth_ = 1;  // extension and unknown members
      }
      return true;
    case Where::kContext:
      if (key_ == "draftOrders") {
        return StartResource(static_cast<google::protobuf::Message*>(out_.mutable_draft_orders()),
                             "context.draftOrders");
      }
      skip_depth_ = 1;  // other structured context: not read
      return true;
    case Where::kPrefetch:
      // Parsed in place (Map values do not move as others are added): on the caller's Arena
      // when the request lives on one, with no copy afterwards.
      return StartResource(&(*out_.mutable_prefetch())[key_], absl::StrCat("prefetch.", key_));
    default:
      return Fail("unexpected object", Path());
  }
}

bool HookRequestHandler::StartArray() {
  if (Forwarding()) return Forward([](auto& h) { return h.StartArray(); });
  if (skip_depth_ > 0) {
    ++skip_depth_;
    return true;
  }
  if (stack_.empty()) return Fail("the request must be a JSON object", "$");
  if (In(Where::kContext) && key_ == "selections") {
    Push(Where::kSelections);
    return true;
  }
  if (In(Where::kTop) && (key_ == "context" || key_ == "prefetch" || key_ == "fhirAuthorization")) {
    return Fail("expected an object, got array", key_);
  }
  if (In(Where::kTop) && (key_ == "hook" || key_ == "hookInstance" || key_ == "fhirServer")) {
    return Fail("expected a string, got array", key_);
  }
  if (In(Where::kPrefetch) && Tolerant()) {
    Deviate("dropped_element", Path());  // as for a scalar prefetch value
    skip_depth_ = 1;
    return true;
  }
  if (In(Where::kPrefetch) || (In(Where::kContext) && key_ == "draftOrders")) {
    return Fail("expected a FHIR resource, got array", Path());
  }
  if (In(Where::kSelections)) return Fail("selections must be strings", Path());
  skip_depth_ = 1;
  return true;
}

// The pre-1.0 "user" (or top-level "userId") stands for context.userId when that is absent.
void ApplyPre10User(const HookRequestHandler& handler, v1::EvaluateHookRequest* request) {
  auto user = request->context().find("userId");
  const bool no_user_id = user == request->context().end() || user->second.empty();
  if (!handler.pre_1_0_user().empty() && no_user_id) {
    (*request->mutable_context())["userId"] = handler.pre_1_0_user();
  }
}

// The CDS Hooks request as the projection reader walks it: every envelope member in full, each
// prefetch value and context.draftOrders as a resource, by the decision's read paths.
const fhir::ProjectionNode* HookEnvelope() {
  static const fhir::ProjectionNode* const kEnvelope = [] {
    using Kind = fhir::ProjectionNode::Kind;
    const fhir::Projection& projection = fhir::Projection::Decision();
    fhir::ProjectionNode* context = projection.NewNode(Kind::kMembers);
    context->other = projection.all();
    context->SetMember("draftOrders", projection.resource());
    fhir::ProjectionNode* prefetch = projection.NewNode(Kind::kMembers);
    prefetch->other = projection.resource();
    fhir::ProjectionNode* top = projection.NewNode(Kind::kMembers);
    top->other = projection.all();
    top->SetMember("context", context);
    top->SetMember("prefetch", prefetch);
    return top;
  }();
  return kEnvelope;
}

}  // namespace

absl::Status ParseHookRequestJsonProjected(std::string_view body,
                                           const fhir::ParseOptions& options,
                                           v1::EvaluateHookRequest* request,
                                           std::vector<HookDeviation>* deviations,
                                           fhir::ProjectionStats* stats,
                                           size_t readable_bytes,
                                           fhir::LabObservationTable* lab_observations) {
  if (lab_observations != nullptr) lab_observations->Clear();
  fhir::ProjectionStats local;
  fhir::ProjectionStats& s = stats != nullptr ? *stats : local;
  s = fhir::ProjectionStats();
  const size_t deviations_before = deviations != nullptr ? deviations->size() : 0;
  std::string_view text = body;
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  const bool bom = options.tolerant && !options.strict && text.substr(0, kBom.size()) == kBom;
  if (bom) {
    text.remove_prefix(kBom.size());
    readable_bytes = readable_bytes > kBom.size() ? readable_bytes - kBom.size() : 0;
  }
  std::unique_ptr<fhir::ProjectionDocument> scratch;
  fhir::ProjectionDocument& document = fhir::DocumentFor(text.size(), &scratch);
  if (text.size() <= options.max_document_bytes &&
      document.Parse(text, options.max_depth, readable_bytes).ok()) {
    request->Clear();
    if (bom && deviations != nullptr) deviations->push_back({"byte_order_mark", "$", "", ""});
    HookRequestHandler handler(options, request, deviations);
    handler.set_lab_observations(lab_observations);
    // The views point into the body where the document reads it in place, not into copies
    // (about 11 k instructions a call: docs/benchmarks.md, "fourteenth round"). A text copied into
    // the document's padded buffer, or unescaped, does not lie in `text` and is still copied.
    if (lab_observations != nullptr) lab_observations->Borrow(text);
    const bool read = fhir::WithProjectedEvents(document, options, &handler, [&](auto& events) {
      if (!events.Walk(document.root(), HookEnvelope()) || !handler.status().ok()) return false;
      s.unread_members = events.unread_members();
      s.direct_resources = events.direct_resources();
      s.replayed_resources = events.replayed_resources();
      return true;
    });
    if (read) {
      ApplyPre10User(handler, request);
      return absl::OkStatus();
    }
  }
  // Invalid, over a limit, or refused: the full reader gives today's exact answer, with every
  // Observation a proto (the stubs the views were keyed by are gone).
  if (lab_observations != nullptr) lab_observations->Clear();
  if (deviations != nullptr) deviations->resize(deviations_before);
  s.fell_back = true;
  return ParseHookRequestJson(body, options, request, deviations);
}

absl::Status ParseHookRequestJson(std::string_view body, const fhir::ParseOptions& options,
                                  v1::EvaluateHookRequest* request,
                                  std::vector<HookDeviation>* deviations) {
  request->Clear();
  // A UTF-8 byte-order mark (RFC 8259 section 8.1: a parser MAY ignore it; Windows tools and
  // some EHR gateways write one).
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (options.tolerant && !options.strict && body.substr(0, kBom.size()) == kBom) {
    body.remove_prefix(kBom.size());
    if (deviations != nullptr) deviations->push_back({"byte_order_mark", "$", "", ""});
  }
  if (body.size() > options.max_document_bytes) {
    return absl::InvalidArgumentError(absl::StrCat("request body is ", body.size(),
                                                   " bytes, limit is ",
                                                   options.max_document_bytes));
  }
  HookRequestHandler handler(options, request, deviations);
  constexpr unsigned kFlags =
      rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseIterativeFlag;
  const rapidjson::ParseResult result = base::ParseUtf8Json<kFlags>(body, handler);
  if (!handler.status().ok()) return handler.status();
  if (result.IsError()) {
    const auto [line, column] = fhir::JsonLineColumn(body, result.Offset());
    // Not well-formed JSON: no FHIR path to name, so the position is in the message and its
    // payload.
    absl::Status status = fhir::MakeParseError(
        fhir::IssueType::kStructure,
        absl::StrCat("malformed JSON: ", rapidjson::GetParseError_En(result.Code()), " (line ",
                     line, ", column ", column, ")"),
        "");
    fhir::SetErrorPosition(&status, line, column);
    return status;
  }
  ApplyPre10User(handler, request);
  return absl::OkStatus();
}

absl::StatusOr<v1::EvaluateHookRequest> ParseHookRequestJson(
    std::string_view body, const fhir::ParseOptions& options,
    std::vector<HookDeviation>* deviations) {
  v1::EvaluateHookRequest request;
  if (absl::Status status = ParseHookRequestJson(body, options, &request, deviations);
      !status.ok()) {
    return status;
  }
  return request;
}

}  // namespace thrombo::service
