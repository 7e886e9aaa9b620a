// Copyright 2026 The Thrombo Authors.
// Walks a FHIR proto with the parser's field tables and writes JSON with RapidJSON's Writer.
#include "fhir/json_printer.h"

#include <algorithm>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "fhir/field_table.h"
#include "fhir/parse_issue.h"
#include "fhir/primitives.h"
#include "base/string_compat.h"
#include "google/protobuf/reflection.h"
#include "proto/fhir/r4/datatypes.pb.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace thrombo::fhir {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// The sidecars of one message, looked up per element.
class Sidecars {
 public:
  Sidecars(const Message& message, const FieldTable& table) {
    if (const FieldDescriptor* field = table.primitive_extension_field()) {
      for (const r4::PrimitiveExtension& sidecar :
           message.GetReflection()->GetRepeatedFieldRef<r4::PrimitiveExtension>(message, field)) {
        all_.push_back(&sidecar);
      }
    }
  }
  // The sidecars of element `json_name`.
  std::vector<const r4::PrimitiveExtension*> For(std::string_view json_name) const {
    std::vector<const r4::PrimitiveExtension*> found;
    for (const r4::PrimitiveExtension* sidecar : all_) {
      if (sidecar->field() == json_name) found.push_back(sidecar);
    }
    return found;
  }
  bool empty() const { return all_.empty(); }

 private:
  std::vector<const r4::PrimitiveExtension*> all_;
};

template <typename Writer>
class Printer {
 public:
  explicit Printer(Writer* writer) : writer_(*writer) {}

  absl::Status PrintObject(const Message& message, const FieldTable& table) {
    writer_.StartObject();
    if (table.is_resource()) {
      Key("resourceType");
      String(table.resource_type());
    }
    const Sidecars sidecars(message, table);
    for (const FieldEntry* entry : table.value_entries()) {
      std::vector<const r4::PrimitiveExtension*> extensions;
      if (entry->is_primitive && !sidecars.empty()) extensions = sidecars.For(entry->json_name);
      absl::Status status = entry->repeated ? PrintRepeated(message, *entry, extensions)
                                            : PrintSingular(message, *entry, extensions);
      if (!status.ok()) return status;
    }
    writer_.EndObject();
    return absl::OkStatus();
  }

  absl::Status PrintContained(const r4::ContainedResource& contained) {
    const Reflection* reflection = contained.GetReflection();
    const FieldDescriptor* member = reflection->GetOneofFieldDescriptor(
        contained, contained.GetDescriptor()->oneof_decl(0));
    if (member == nullptr) return Error("ContainedResource holds no resource");
    const Message& resource = reflection->GetMessage(contained, member);
    return PrintObject(resource, FieldTable::For(resource.GetDescriptor()));
  }

 private:
  absl::Status PrintSingular(const Message& message, const FieldEntry& entry,
                             const std::vector<const r4::PrimitiveExtension*>& extensions) {
    if (message.GetReflection()->HasField(message, entry.field)) {
      Key(entry.json_name);
      path_.push_back({entry.json_name, -1});
      absl::Status status = PrintValue(message, entry, -1);
      path_.pop_back();
      if (!status.ok()) return status;
    }
    for (const r4::PrimitiveExtension* sidecar : extensions) {
      if (sidecar->in_array()) continue;
      Key(absl::StrCat("_", entry.json_name));
      return PrintSidecar(*sidecar);
    }
    return absl::OkStatus();
  }

  absl::Status PrintRepeated(const Message& message, const FieldEntry& entry,
                             const std::vector<const r4::PrimitiveExtension*>& extensions) {
    const int size = message.GetReflection()->FieldSize(message, entry.field);
    std::vector<const r4::PrimitiveExtension*> by_index;
    for (const r4::PrimitiveExtension* sidecar : extensions) {
      if (!sidecar->in_array() || sidecar->index() < 0) continue;
      if (static_cast<size_t>(sidecar->index()) >= by_index.size()) {
        by_index.resize(sidecar->index() + 1);
      }
      by_index[sidecar->index()] = sidecar;
    }
    if (size > 0) {
      Key(entry.json_name);
      writer_.StartArray();
      for (int i = 0; i < size; ++i) {
        path_.push_back({entry.json_name, i});
        const bool has_sidecar = static_cast<size_t>(i) < by_index.size() && by_index[i];
        absl::Status status = absl::OkStatus();
        if (has_sidecar && IsDefault(message, entry, i)) {
          writer_.Null();  // the element exists only through its extension
        } else {
          status = PrintValue(message, entry, i);
        }
        path_.pop_back();
        if (!status.ok()) return status;
      }
      writer_.EndArray();
    }
    if (by_index.empty()) return absl::OkStatus();
    Key(absl::StrCat("_", entry.json_name));
    writer_.StartArray();
    const size_t length = std::max(by_index.size(), static_cast<size_t>(size));
    for (size_t i = 0; i < length; ++i) {
      if (i < by_index.size() && by_index[i] != nullptr) {
        absl::Status status = PrintSidecar(*by_index[i]);
        if (!status.ok()) return status;
      } else {
        writer_.Null();
      }
    }
    writer_.EndArray();
    return absl::OkStatus();
  }

  // Whether element i of a repeated primitive holds the placeholder the parser stores for null.
  static bool IsDefault(const Message& message, const FieldEntry& entry, int i) {
    const Reflection* reflection = message.GetReflection();
    switch (entry.field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        return reflection->GetRepeatedString(message, entry.field, i).empty();
      case FieldDescriptor::CPPTYPE_ENUM:
        return reflection->GetRepeatedEnumValue(message, entry.field, i) == 0;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        return reflection->GetRepeatedMessage(message, entry.field, i).ByteSizeLong() == 0;
      default:
        return false;
    }
  }

  absl::Status PrintSidecar(const r4::PrimitiveExtension& sidecar) {
    return PrintObject(sidecar, FieldTable::ForSidecar());
  }

  absl::Status PrintValue(const Message& message, const FieldEntry& entry, int index) {
    const Reflection* reflection = message.GetReflection();
    const bool repeated = index >= 0;
    const FieldDescriptor* field = entry.field;
    switch (entry.kind) {
      case FieldKind::kString:
      case FieldKind::kCode:
      case FieldKind::kId:
      case FieldKind::kTime: {
        std::string scratch;
        const std::string& text =
            repeated ? reflection->GetRepeatedStringReference(message, field, index, &scratch)
                     : reflection->GetStringReference(message, field, &scratch);
        String(text);
        return absl::OkStatus();
      }
      case FieldKind::kBool:
        writer_.Bool(repeated ? reflection->GetRepeatedBool(message, field, index)
                              : reflection->GetBool(message, field));
        return absl::OkStatus();
      case FieldKind::kInteger:
      case FieldKind::kPositiveInt:
      case FieldKind::kUnsignedInt:
        if (field->cpp_type() == FieldDescriptor::CPPTYPE_UINT32) {
          writer_.Uint(repeated ? reflection->GetRepeatedUInt32(message, field, index)
                                : reflection->GetUInt32(message, field));
        } else {
          writer_.Int(repeated ? reflection->GetRepeatedInt32(message, field, index)
                               : reflection->GetInt32(message, field));
        }
        return absl::OkStatus();
      case FieldKind::kEnum:
        return PrintEnum(entry, repeated ? reflection->GetRepeatedEnumValue(message, field, index)
                                         : reflection->GetEnumValue(message, field));
      default:
        break;
    }
    const Message& child = repeated ? reflection->GetRepeatedMessage(message, field, index)
                                    : reflection->GetMessage(message, field);
    return PrintMessageValue(child, entry);
  }

  absl::Status PrintMessageValue(const Message& child, const FieldEntry& entry) {
    switch (entry.kind) {
      case FieldKind::kDecimal: {
        const std::string& text = static_cast<const r4::Decimal&>(child).value();
        if (!IsValidDecimal(text)) return Error(absl::StrCat("invalid decimal \"", text, "\""));
        writer_.RawValue(text.data(), text.size(), rapidjson::kNumberType);
        return absl::OkStatus();
      }
      case FieldKind::kDate:
        return PrintText(FormatDate(static_cast<const r4::Date&>(child)));
      case FieldKind::kDateTime:
        return PrintText(FormatDateTime(static_cast<const r4::DateTime&>(child)));
      case FieldKind::kInstant:
        return PrintText(FormatInstant(static_cast<const r4::Instant&>(child)));
      case FieldKind::kContainedResource:
        return PrintContained(static_cast<const r4::ContainedResource&>(child));
      default:
        return PrintObject(child, *entry.message_table);
    }
  }

  absl::Status PrintEnum(const FieldEntry& entry, int number) {
    const std::string_view code = entry.enum_codes->CodeOf(number);
    if (code.empty()) {
      return Error(absl::StrCat("enum value ", number, " of ",
                                entry.enum_codes->descriptor()->full_name(), " has no FHIR code"));
    }
    String(code);
    return absl::OkStatus();
  }

  absl::Status PrintText(const absl::StatusOr<std::string>& text) {
    if (!text.ok()) return Error(text.status().message());
    String(*text);
    return absl::OkStatus();
  }

  absl::Status Error(absl::string_view what) {
    std::string path = "$";
    for (const auto& [name, index] : path_) {
      absl::StrAppend(&path, ".", base::Absl(name));
      if (index >= 0) absl::StrAppend(&path, "[", index, "]");
    }
    return MakeParseError(IssueType::kProcessing, base::Std(what), path);
  }

  void Key(std::string_view key) {
    writer_.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  }
  void String(std::string_view text) {
    writer_.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  }

  Writer& writer_;
  std::vector<std::pair<std::string_view, int>> path_;  // for error messages
};

template <typename Writer>
absl::StatusOr<std::string> Print(const Message& message) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  if constexpr (std::is_same_v<Writer, rapidjson::PrettyWriter<rapidjson::StringBuffer>>) {
    writer.SetIndent(' ', 2);
  }
  Printer<Writer> printer(&writer);
  absl::Status status =
      message.GetDescriptor() == r4::ContainedResource::descriptor()
          ? printer.PrintContained(static_cast<const r4::ContainedResource&>(message))
          : printer.PrintObject(message, FieldTable::For(message.GetDescriptor()));
  if (!status.ok()) return status;
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

absl::StatusOr<std::string> PrintMessage(const Message& message, const PrintOptions& options) {
  if (options.pretty) return Print<rapidjson::PrettyWriter<rapidjson::StringBuffer>>(message);
  return Print<rapidjson::Writer<rapidjson::StringBuffer>>(message);
}

absl::StatusOr<std::string> PrintResource(const r4::ContainedResource& resource,
                                          const PrintOptions& options) {
  return PrintMessage(resource, options);
}

}  // namespace thrombo::fhir
