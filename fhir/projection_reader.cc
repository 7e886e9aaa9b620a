// Copyright 2026 The Thrombo Authors.
#include "fhir/projection_reader.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/string_compat.h"
#include "fhir/field_table.h"
#include "proto/fhir/r4/datatypes.pb.h"
#include "google/protobuf/reflection.h"

namespace thrombo::fhir {

const std::vector<ReadPaths>& DecisionReadPaths() {
  // Who reads what (keep in step with the readers; tests/differential compares the outcome
  // with the full reader on every golden case, example, shared file and 100,000 patients):
  // - Patient: risk/facts_builder (age, sex), the race extension (US Core race, risk/facts).
  // - Observation: risk/lab_facts through fhir/lab_observation (LabObservationFromProto);
  //   subject: PatientRecord's filter when a Bundle holds several Patients.
  // - Condition, Procedure: risk/condition_facts, risk/fhir_values.
  // - AllergyIntolerance: risk/allergy_facts.
  // - Medication*: risk/medication_facts, risk/dex_dose (dosage, notes), risk/dose_timing,
  //   service/cds/order_relevance; Medication via PatientRecord::ResolveMedication.
  // - Bundle: PatientRecord (fullUrl, search.mode, resource), hook_service (type),
  //   service/cds/prefetch_gather (link: a `next` page to follow, or the category is incomplete).
  // - OperationOutcome: service/cds/prefetch_gather (a failed fetch).
  static const std::vector<ReadPaths>* const kTable = new std::vector<ReadPaths>{
      {"Patient", "birthDate gender deceased[x] extension"},
      {"Observation",
       "status code value[x] effective[x] issued subject dataAbsentReason component"},
      {"Condition",
       "clinicalStatus verificationStatus code onset[x] abatement[x] recordedDate subject"},
      {"Procedure", "status code performed[x] subject"},
      {"AllergyIntolerance",
       "clinicalStatus verificationStatus type category criticality code patient reaction"},
      {"MedicationRequest",
       "status intent doNotPerform medication[x] subject authoredOn dosageInstruction "
       "dispenseRequest note"},
      {"MedicationStatement", "status medication[x] subject effective[x] dosage note"},
      {"MedicationAdministration", "status medication[x] subject effective[x] dosage note"},
      {"MedicationDispense",
       "status medication[x] subject whenPrepared whenHandedOver daysSupply quantity "
       "dosageInstruction note"},
      {"Medication", "status code form amount ingredient"},
      {"Bundle", "type link entry.fullUrl entry.search entry.resource"},
      {"OperationOutcome", "issue"},
  };
  return *kTable;
}

// ---- Nodes ----------------------------------------------------------------------------

void ProjectionNode::SetMember(std::string_view key, const ProjectionNode* node) {
  members.Set(key, {node, table != nullptr ? table->Find(key) : nullptr});
}

const ProjectionNode* ProjectionNode::ForType(std::string_view resource_type) const {
  const ProjectionNode* const* found = by_type.Find(resource_type);
  return found == nullptr ? unread_type : *found;
}

bool IsStringKind(FieldKind kind) {
  switch (kind) {
    case FieldKind::kString:
    case FieldKind::kCode:
    case FieldKind::kId:
    case FieldKind::kTime:
    case FieldKind::kEnum:
    case FieldKind::kDate:
    case FieldKind::kDateTime:
    case FieldKind::kInstant:
      return true;
    default:
      return false;
  }
}

bool MayHaveNextPage(base::JsonObject bundle) {
  base::JsonValue links;
  if (!bundle.Find("link", &links)) return false;  // no link member
  if (links.type() != base::JsonType::kArray) return true;
  for (const base::JsonValue link : links.array()) {
    std::string_view relation;
    if (link.type() != base::JsonType::kObject ||
        !link.object().FindString("relation", &relation) || relation == "next") {
      return true;
    }
  }
  return false;
}

bool IsNumberKind(FieldKind kind) {
  return kind == FieldKind::kInteger || kind == FieldKind::kPositiveInt ||
         kind == FieldKind::kUnsignedInt || kind == FieldKind::kDecimal;
}

bool WriteBool(google::protobuf::Message* message, const FieldEntry& entry, bool add,
               bool value) {
  const google::protobuf::Reflection* reflection = message->GetReflection();
  if (add) {
    reflection->AddBool(message, entry.field, value);
  } else {
    reflection->SetBool(message, entry.field, value);
  }
  return true;
}

bool JsonTypeFits(const FieldEntry& entry, base::JsonType type) {
  using base::JsonType;
  switch (type) {
    case JsonType::kNull:
      return false;  // FHIR JSON has null only inside arrays
    case JsonType::kArray:
      return entry.repeated;
    case JsonType::kObject:
      return entry.is_sidecar || entry.kind == FieldKind::kMessage ||
             entry.kind == FieldKind::kContainedResource;
    default:
      break;
  }
  if (entry.is_sidecar) return false;
  switch (entry.kind) {
    case FieldKind::kMessage:
    case FieldKind::kContainedResource:
      return false;
    case FieldKind::kBool:
      return type == JsonType::kBool;
    default:
      return type == (IsNumberKind(entry.kind) ? JsonType::kNumber : JsonType::kString);
  }
}

ProjectionNode* Projection::NewNode(ProjectionNode::Kind kind) const {
  nodes_.push_back(std::make_unique<ProjectionNode>());
  nodes_.back()->kind = kind;
  return nodes_.back().get();
}

namespace {

// Adds `key` (and its `_key` sidecar when the message has one) to `node` as `child`.
void AddMember(const FieldTable& table, std::string_view key, const ProjectionNode* child,
               ProjectionNode* node) {
  node->SetMember(key, child);
  const std::string sidecar = absl::StrCat("_", base::Absl(key));
  if (table.Find(sidecar) != nullptr && child->kind != ProjectionNode::Kind::kResource) {
    node->SetMember(sidecar, child->kind == ProjectionNode::Kind::kAll ? child : nullptr);
  }
}

// The value entries of `table` that path segment `segment` names.
std::vector<const FieldEntry*> Matching(const FieldTable& table, std::string_view segment) {
  std::vector<const FieldEntry*> found;
  constexpr std::string_view kChoice = "[x]";
  if (segment.size() > kChoice.size() &&
      segment.substr(segment.size() - kChoice.size()) == kChoice) {
    const std::string_view base = segment.substr(0, segment.size() - kChoice.size());
    for (const FieldEntry* entry : table.value_entries()) {
      const std::string_view key = entry->key;
      if (key.size() > base.size() && key.substr(0, base.size()) == base &&
          std::isupper(static_cast<unsigned char>(key[base.size()])) != 0) {
        found.push_back(entry);
      }
    }
  } else if (const FieldEntry* entry = table.Find(segment);
             entry != nullptr && !entry->is_sidecar && entry->field != nullptr) {
    found.push_back(entry);
  }
  return found;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Projection>> Projection::Compile(
    const std::vector<ReadPaths>& paths) {
  std::unique_ptr<Projection> projection(new Projection());
  Projection& p = *projection;
  ProjectionNode* all = p.NewNode(ProjectionNode::Kind::kAll);
  ProjectionNode* resource = p.NewNode(ProjectionNode::Kind::kResource);
  p.all_ = all;
  p.resource_ = resource;

  // The members every message read through a node carries: its required elements.
  auto new_message = [&](const FieldTable& table) {
    ProjectionNode* node = p.NewNode(ProjectionNode::Kind::kMembers);
    node->table = &table;
    for (const FieldEntry* entry : table.required_entries()) {
      AddMember(table, entry->key,
                entry->kind == FieldKind::kContainedResource ? resource : all, node);
    }
    return node;
  };
  auto new_resource = [&](const FieldTable& table) {
    ProjectionNode* node = new_message(table);
    node->SetMember("resourceType", all);
    AddMember(table, "id", all, node);
    if (table.Find("contained") != nullptr) AddMember(table, "contained", resource, node);
    return node;
  };

  const FieldTable& contained = FieldTable::ForContainedResource();
  absl::flat_hash_map<std::string, ProjectionNode*> listed;
  for (const ReadPaths& line : paths) {
    const FieldEntry* member = contained.FindResourceType(line.resource_type);
    if (member == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          "read paths: resource type \"", base::Absl(line.resource_type), "\" is not modelled"));
    }
    const FieldTable& table = *member->message_table;
    ProjectionNode*& root = listed[std::string(line.resource_type)];
    if (root == nullptr) root = new_resource(table);
    for (absl::string_view path : absl::StrSplit(base::Absl(line.paths), ' ', absl::SkipEmpty())) {
      std::vector<std::pair<ProjectionNode*, const FieldTable*>> level = {{root, &table}};
      const std::vector<absl::string_view> segments = absl::StrSplit(path, '.');
      for (size_t i = 0; i < segments.size(); ++i) {
        const bool last = i + 1 == segments.size();
        std::vector<std::pair<ProjectionNode*, const FieldTable*>> next;
        for (auto [node, node_table] : level) {
          const std::vector<const FieldEntry*> entries =
              Matching(*node_table, std::string_view(segments[i].data(), segments[i].size()));
          if (entries.empty()) {
            return absl::InvalidArgumentError(absl::StrCat(
                "read paths: ", base::Absl(line.resource_type), ".", path, ": no element \"",
                segments[i], "\" in ", node_table->descriptor()->name()));
          }
          for (const FieldEntry* entry : entries) {
            if (entry->kind == FieldKind::kContainedResource) {
              AddMember(*node_table, entry->key, resource, node);
              continue;
            }
            const ProjectionNode* existing = node->Member(entry->key);
            if (last) {
              AddMember(*node_table, entry->key, all, node);
              continue;
            }
            if (entry->kind != FieldKind::kMessage) {
              return absl::InvalidArgumentError(
                  absl::StrCat("read paths: ", base::Absl(line.resource_type), ".", path, ": \"",
                               segments[i], "\" has no elements"));
            }
            if (existing == all) continue;  // already read whole
            ProjectionNode* child = const_cast<ProjectionNode*>(existing);
            if (child == nullptr) {
              child = new_message(*entry->message_table);
              AddMember(*node_table, entry->key, child, node);
            }
            next.push_back({child, entry->message_table});
          }
        }
        level = std::move(next);
      }
    }
  }
  for (const FieldEntry* entry : contained.value_entries()) {
    if (entry->message_table == nullptr) continue;
    const FieldTable& table = *entry->message_table;
    auto it = listed.find(table.resource_type());
    resource->by_type.Set(table.resource_type(),
                          it != listed.end() ? it->second : new_resource(table));
  }
  ProjectionNode* unknown = p.NewNode(ProjectionNode::Kind::kMembers);
  unknown->SetMember("resourceType", all);
  resource->unread_type = unknown;
  // Every other member of a modelled message is listed too, to be skipped, with its entry: so
  // the one lookup per member also tells the reader the JSON type an unread element must have
  // (JsonTypeFits), without a second lookup or judging anything below it.
  for (const std::unique_ptr<ProjectionNode>& node : p.nodes_) {
    if (node->kind != ProjectionNode::Kind::kMembers || node->table == nullptr ||
        node->other != nullptr) {
      continue;
    }
    for (const FieldEntry* entry : node->table->value_entries()) {
      if (node->members.Find(entry->key) == nullptr) node->SetMember(entry->key, nullptr);
      const std::string sidecar = absl::StrCat("_", entry->key);
      if (node->table->Find(sidecar) != nullptr && node->members.Find(sidecar) == nullptr) {
        node->SetMember(sidecar, nullptr);
      }
    }
  }
  return projection;
}

const Projection& Projection::Decision() {
  static const Projection* const kDecision = [] {
    absl::StatusOr<std::unique_ptr<Projection>> compiled = Compile(DecisionReadPaths());
    if (!compiled.ok()) {
      // A wrong table is a programming error that projection_reader_test catches.
      std::fprintf(stderr, "%s\n", std::string(compiled.status().message()).c_str());
      std::abort();
    }
    return compiled->release();
  }();
  return *kDecision;
}

// ---- Documents --------------------------------------------------------------------------

ProjectionDocument::ProjectionDocument() = default;
ProjectionDocument::~ProjectionDocument() = default;

absl::Status ProjectionDocument::Parse(std::string_view json, int max_depth,
                                       size_t readable_bytes) {
  json_ = json;
  max_depth_ = max_depth;
  // The index reads up to kPadding bytes past the end. A caller's buffer with that much room
  // (the HTTP server's request body) is read in place. Otherwise the text is copied into a
  // buffer kept from the last document.
  const char* input = json.data();
  if (readable_bytes < json.size() + base::JsonIndex::kPadding) {
    if (padded_capacity_ < json.size() + base::JsonIndex::kPadding) {
      padded_capacity_ = json.size() + base::JsonIndex::kPadding;
      padded_ = std::make_unique<char[]>(padded_capacity_);
    }
    std::memcpy(padded_.get(), json.data(), json.size());
    std::memset(padded_.get() + json.size(), 0, base::JsonIndex::kPadding);
    input = padded_.get();
  }
  return index_.Build(std::string_view(input, json.size()), max_depth);
}

ProjectionDocument& DocumentFor(size_t size, std::unique_ptr<ProjectionDocument>* scratch) {
  if (size > kMaxReusedDocumentBytes) {
    *scratch = std::make_unique<ProjectionDocument>();
    return **scratch;
  }
  thread_local ProjectionDocument document;
  return document;
}

// ---- Pruning a full parse --------------------------------------------------------------

void PruneToProjection(const ProjectionNode* node, google::protobuf::Message* message) {
  using google::protobuf::FieldDescriptor;
  using google::protobuf::Message;
  using google::protobuf::Reflection;
  if (node == nullptr || node->kind == ProjectionNode::Kind::kAll) return;
  const Reflection* reflection = message->GetReflection();
  if (node->kind == ProjectionNode::Kind::kResource) {
    const google::protobuf::OneofDescriptor* oneof =
        message->GetDescriptor()->FindOneofByName("resource");
    if (oneof == nullptr) {  // a resource message itself (e.g. Bundle for draftOrders)
      PruneToProjection(node->ForType(message->GetDescriptor()->name()), message);
      return;
    }
    const FieldDescriptor* set = reflection->GetOneofFieldDescriptor(*message, oneof);
    if (set == nullptr) return;
    PruneToProjection(node->ForType(set->message_type()->name()),
                      reflection->MutableMessage(message, set));
    return;
  }
  const FieldTable& table = FieldTable::For(message->GetDescriptor());
  for (const FieldEntry* entry : table.value_entries()) {
    if (entry->field == nullptr) continue;
    const ProjectionNode* child = node->Member(entry->key);
    if (child == nullptr) {
      reflection->ClearField(message, entry->field);
      continue;
    }
    if (child->kind == ProjectionNode::Kind::kAll ||
        entry->field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      continue;
    }
    if (entry->repeated) {
      for (int i = 0; i < reflection->FieldSize(*message, entry->field); ++i) {
        PruneToProjection(child, reflection->MutableRepeatedMessage(message, entry->field, i));
      }
    } else if (reflection->HasField(*message, entry->field)) {
      PruneToProjection(child, reflection->MutableMessage(message, entry->field));
    }
  }
  if (const FieldDescriptor* sidecars = table.primitive_extension_field()) {
    std::vector<r4::PrimitiveExtension> kept;
    int count = 0;
    for (const r4::PrimitiveExtension& sidecar :
         reflection->GetRepeatedFieldRef<r4::PrimitiveExtension>(*message, sidecars)) {
      ++count;
      if (node->Member(absl::StrCat("_", sidecar.field())) != nullptr) kept.push_back(sidecar);
    }
    if (kept.size() != static_cast<size_t>(count)) {
      const google::protobuf::MutableRepeatedFieldRef<r4::PrimitiveExtension> list =
          reflection->GetMutableRepeatedFieldRef<r4::PrimitiveExtension>(message, sidecars);
      list.Clear();
      for (const r4::PrimitiveExtension& sidecar : kept) list.Add(sidecar);
    }
  }
}

// ---- One resource -----------------------------------------------------------------------

absl::Status ParseIntoProjected(std::string_view json, r4::ContainedResource* resource,
                                const ParseOptions& options, const Projection& projection,
                                ParseReport* report, ProjectionStats* stats,
                                LabObservationTable* lab_observations) {
  ProjectionStats local;
  ProjectionStats& s = stats != nullptr ? *stats : local;
  s = ProjectionStats();
  resource->Clear();
  const size_t views_before = lab_observations != nullptr ? lab_observations->size() : 0;
  if (json.size() <= options.max_document_bytes) {
    std::unique_ptr<ProjectionDocument> scratch;
    ProjectionDocument& document = DocumentFor(json.size(), &scratch);
    if (document.Parse(json, options.max_depth).ok()) {
      ResourceSaxHandler handler(options, resource);
      handler.set_lab_observations(lab_observations);
      const bool read = WithProjectedEvents(document, options, &handler, [&](auto& events) {
        if (!events.Walk(document.root(), projection.resource()) || !handler.IsComplete()) {
          return false;
        }
        s.unread_members = events.unread_members();
        s.direct_resources = events.direct_resources();
        s.replayed_resources = events.replayed_resources();
        return true;
      });
      if (read) {
        if (report != nullptr) {
          report->warnings = handler.TakeWarnings();
          report->skipped = handler.skipped();
          report->deviations = handler.TakeDeviations();
        }
        return absl::OkStatus();
      }
    }
  }
  // Invalid, over a limit, or refused: the full reader gives today's exact answer.
  s.fell_back = true;
  resource->Clear();
  if (lab_observations != nullptr) lab_observations->Truncate(views_before);
  return ParseInto(json, resource, options, report);
}

absl::StatusOr<ParsedResource> ParseResourceProjected(std::string_view json,
                                                      const ParseOptions& options,
                                                      const Projection& projection,
                                                      ProjectionStats* stats,
                                                      LabObservationTable* lab_observations) {
  ParsedResource parsed;
  ParseReport report;
  absl::Status status = ParseIntoProjected(json, &parsed.resource, options, projection, &report,
                                           stats, lab_observations);
  if (!status.ok()) return status;
  parsed.warnings = std::move(report.warnings);
  parsed.skipped = report.skipped;
  parsed.deviations = std::move(report.deviations);
  return parsed;
}

}  // namespace thrombo::fhir
