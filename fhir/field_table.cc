// Copyright 2026 The Thrombo Authors.
// Builds and caches the per-message FHIR JSON lookup tables.
#include "fhir/field_table.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/mutex.h"
#include "base/string_compat.h"
#include "proto/fhir/r4/annotations.pb.h"
#include "proto/fhir/r4/datatypes.pb.h"
#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::fhir {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;

bool IsResourceType(const Descriptor* descriptor) {
  const Descriptor* contained = r4::ContainedResource::descriptor();
  for (int i = 0; i < contained->field_count(); ++i) {
    if (contained->field(i)->message_type() == descriptor) return true;
  }
  return false;
}

FieldKind StringKind(const FieldDescriptor* field) {
  const auto& options = field->options();
  if (options.GetExtension(r4::fhir_id)) return FieldKind::kId;
  if (options.GetExtension(r4::fhir_code)) return FieldKind::kCode;
  // The protos keep FHIR `time` as a plain string; these are its only uses.
  if (field->name() == "time_of_day" || field->name() == "value_time") return FieldKind::kTime;
  return FieldKind::kString;
}

FieldKind MessageKind(const Descriptor* type) {
  if (type == r4::Decimal::descriptor()) return FieldKind::kDecimal;
  if (type == r4::Date::descriptor()) return FieldKind::kDate;
  if (type == r4::DateTime::descriptor()) return FieldKind::kDateTime;
  if (type == r4::Instant::descriptor()) return FieldKind::kInstant;
  if (type == r4::ContainedResource::descriptor()) return FieldKind::kContainedResource;
  return FieldKind::kMessage;
}

FieldKind KindOf(const FieldDescriptor* field) {
  switch (field->type()) {
    case FieldDescriptor::TYPE_STRING: return StringKind(field);
    case FieldDescriptor::TYPE_BOOL: return FieldKind::kBool;
    case FieldDescriptor::TYPE_UINT32: return FieldKind::kUnsignedInt;
    case FieldDescriptor::TYPE_INT32:
      if (absl::EndsWith(field->name(), "positive_int")) return FieldKind::kPositiveInt;
      if (absl::EndsWith(field->name(), "unsigned_int")) return FieldKind::kUnsignedInt;
      return FieldKind::kInteger;
    case FieldDescriptor::TYPE_ENUM: return FieldKind::kEnum;
    case FieldDescriptor::TYPE_MESSAGE: return MessageKind(field->message_type());
    default: return FieldKind::kString;  // not used by the FHIR protos
  }
}

bool IsPrimitiveKind(FieldKind kind) {
  return kind != FieldKind::kMessage && kind != FieldKind::kContainedResource &&
         kind != FieldKind::kResourceType;
}

const google::protobuf::Reflection* ReflectionOf(const Descriptor* descriptor) {
  return google::protobuf::MessageFactory::generated_factory()
      ->GetPrototype(descriptor)
      ->GetReflection();
}

bool IsPrimitiveExtensionField(const FieldDescriptor* field) {
  return field->message_type() == r4::PrimitiveExtension::descriptor();
}

}  // namespace

EnumCodes::EnumCodes(const EnumDescriptor* descriptor) : descriptor_(descriptor) {
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* value = descriptor->value(i);
    if (value->number() == 0) continue;  // 0 means absent; it has no FHIR code
    std::string code = value->options().GetExtension(r4::json_code);
    if (code.empty()) {
      code = absl::AsciiStrToLower(absl::StrReplaceAll(value->name(), {{"_", "-"}}));
    }
    by_number_.emplace(value->number(), code);
    by_code_.Insert(code, value->number());
  }
}

int EnumCodes::NumberOf(std::string_view code) const {
  const int* found = by_code_.Find(code);
  return found == nullptr ? -1 : *found;
}

std::string_view EnumCodes::CodeOf(int number) const {
  auto it = by_number_.find(number);
  return it == by_number_.end() ? std::string_view() : std::string_view(it->second);
}

// Owns every table and enum map. Building happens under `mu_`; tables reference each other by
// pointer, so one For() call builds the whole reachable graph before anyone reads it.
class FieldTable::Registry final {
 public:
  static Registry& Get() {
    static Registry* const registry = new Registry();
    return *registry;
  }

  const FieldTable& For(const Descriptor* descriptor) {
    absl::MutexLock lock(&mu_);
    return *GetOrBuild(descriptor);
  }

  const FieldTable& Sidecar() {
    absl::MutexLock lock(&mu_);
    if (sidecar_ == nullptr) sidecar_ = BuildSidecar();
    return *sidecar_;
  }

 private:
  FieldTable* GetOrBuild(const Descriptor* descriptor) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::unique_ptr<FieldTable>& slot = tables_[descriptor];
    if (slot != nullptr) return slot.get();
    slot.reset(new FieldTable(descriptor));
    FieldTable* table = slot.get();  // stable even if the recursion below rehashes tables_
    Fill(table);
    return table;
  }

  const EnumCodes* Codes(const EnumDescriptor* descriptor) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    std::unique_ptr<EnumCodes>& slot = enums_[descriptor];
    if (slot == nullptr) slot = std::make_unique<EnumCodes>(descriptor);
    return slot.get();
  }

  FieldEntry* AddEntry(FieldTable* table, std::unique_ptr<FieldEntry> entry) {
    entry->ordinal = static_cast<uint16_t>(table->entries_.size());
    FieldEntry* raw = entry.get();
    table->entries_.push_back(std::move(entry));
    table->by_key_.Insert(raw->key, raw);
    return raw;
  }

  std::unique_ptr<FieldEntry> MakeEntry(const FieldDescriptor* field)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    auto entry = std::make_unique<FieldEntry>();
    entry->key = field->json_name();
    entry->json_name = field->json_name();
    entry->field = field;
    entry->cpp_type = field->cpp_type();
    entry->access = FindFieldAccess(field);
    entry->kind = KindOf(field);
    entry->repeated = field->is_repeated();
    entry->is_primitive = IsPrimitiveKind(entry->kind);
    entry->required = field->options().GetExtension(r4::fhir_required);
    if (entry->kind == FieldKind::kEnum) entry->enum_codes = Codes(field->enum_type());
    if (entry->kind == FieldKind::kMessage || entry->kind == FieldKind::kContainedResource) {
      entry->message_table = GetOrBuild(field->message_type());
    }
    return entry;
  }

  void Fill(FieldTable* table) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const Descriptor* descriptor = table->descriptor_;
    table->reflection_ = ReflectionOf(descriptor);
    table->is_resource_ = IsResourceType(descriptor);
    for (int i = 0; i < descriptor->field_count(); ++i) {
      if (IsPrimitiveExtensionField(descriptor->field(i))) {
        table->primitive_extension_field_ = descriptor->field(i);
      }
    }
    std::vector<const FieldDescriptor*> fields;
    for (int i = 0; i < descriptor->field_count(); ++i) fields.push_back(descriptor->field(i));
    std::sort(fields.begin(), fields.end(),
              [](auto* a, auto* b) { return a->number() < b->number(); });
    for (const FieldDescriptor* field : fields) {
      if (IsPrimitiveExtensionField(field)) continue;
      FieldEntry* entry = AddEntry(table, MakeEntry(field));
      table->value_entries_.push_back(entry);
      if (entry->required) table->required_entries_.push_back(entry);
      if (entry->is_primitive && table->primitive_extension_field_ != nullptr) {
        auto sidecar = std::make_unique<FieldEntry>(*entry);
        sidecar->key = absl::StrCat("_", entry->json_name);
        sidecar->is_sidecar = true;
        sidecar->access = nullptr;  // a sidecar is written into primitive_extension, not `field`
        sidecar->required = false;
        AddEntry(table, std::move(sidecar));
      }
    }
    if (table->is_resource_) {
      auto entry = std::make_unique<FieldEntry>();
      entry->key = entry->json_name = "resourceType";
      entry->kind = FieldKind::kResourceType;
      AddEntry(table, std::move(entry));
    }
    if (descriptor == r4::ContainedResource::descriptor()) {
      for (const FieldEntry* entry : table->value_entries_) {
        table->by_resource_type_.Insert(entry->field->message_type()->name(), entry);
      }
    }
  }

  std::unique_ptr<FieldTable> BuildSidecar() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const Descriptor* descriptor = r4::PrimitiveExtension::descriptor();
    std::unique_ptr<FieldTable> table(new FieldTable(descriptor));
    table->reflection_ = ReflectionOf(descriptor);
    for (const char* name : {"id", "extension"}) {
      FieldEntry* entry = AddEntry(table.get(), MakeEntry(descriptor->FindFieldByName(name)));
      table->value_entries_.push_back(entry);
    }
    return table;
  }

  absl::Mutex mu_;
  absl::flat_hash_map<const Descriptor*, std::unique_ptr<FieldTable>> tables_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<const EnumDescriptor*, std::unique_ptr<EnumCodes>> enums_
      ABSL_GUARDED_BY(mu_);
  std::unique_ptr<FieldTable> sidecar_ ABSL_GUARDED_BY(mu_);
};

const FieldTable& FieldTable::For(const Descriptor* descriptor) {
  return Registry::Get().For(descriptor);
}

const FieldTable& FieldTable::ForSidecar() { return Registry::Get().Sidecar(); }

const FieldTable& FieldTable::ForContainedResource() {
  static const FieldTable& kTable = For(r4::ContainedResource::descriptor());
  return kTable;
}

}  // namespace thrombo::fhir
