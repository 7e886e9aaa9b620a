// Copyright 2026 The Thrombo Authors.
// Reference walking by proto reflection, so the check cannot miss a field added later.
#include "service/synth/bundle_checks.h"

#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/reflection.h"

namespace thrombo::synth {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// Appends every Reference.reference under `message` to `out`.
void CollectReferences(const Message& message, std::vector<std::string>& out) {
  const google::protobuf::Descriptor* d = message.GetDescriptor();
  if (d->full_name() == fhir::r4::Reference::descriptor()->full_name()) {
    const auto& ref = static_cast<const fhir::r4::Reference&>(message);
    if (!ref.reference().empty()) out.push_back(ref.reference());
  }
  const google::protobuf::Reflection* r = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(message, &fields);
  for (const FieldDescriptor* f : fields) {
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (f->is_repeated()) {
      for (int i = 0; i < r->FieldSize(message, f); ++i) {
        CollectReferences(r->GetRepeatedMessage(message, f, i), out);
      }
    } else {
      CollectReferences(r->GetMessage(message, f), out);
    }
  }
}

// The ids of the resources contained in the entry's resource.
std::set<std::string> ContainedIds(const fhir::r4::ContainedResource& resource) {
  std::set<std::string> ids;
  const google::protobuf::Reflection* r = resource.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(resource, &fields);  // the one set member of the oneof
  for (const FieldDescriptor* f : fields) {
    const Message& inner = r->GetMessage(resource, f);
    const FieldDescriptor* contained = inner.GetDescriptor()->FindFieldByName("contained");
    if (contained == nullptr) continue;
    const google::protobuf::Reflection* ir = inner.GetReflection();
    for (int i = 0; i < ir->FieldSize(inner, contained); ++i) {
      const Message& c = ir->GetRepeatedMessage(inner, contained, i);
      std::vector<const FieldDescriptor*> cf;
      c.GetReflection()->ListFields(c, &cf);
      for (const FieldDescriptor* member : cf) {
        const Message& res = c.GetReflection()->GetMessage(c, member);
        const FieldDescriptor* id = res.GetDescriptor()->FindFieldByName("id");
        if (id != nullptr) ids.insert(res.GetReflection()->GetString(res, id));
      }
    }
  }
  return ids;
}

}  // namespace

std::vector<std::string> AllReferences(const fhir::r4::Bundle& bundle) {
  std::vector<std::string> out;
  CollectReferences(bundle, out);
  return out;
}

std::vector<std::string> UnresolvedReferences(const fhir::r4::Bundle& bundle) {
  std::set<std::string> full_urls;
  for (const auto& entry : bundle.entry()) full_urls.insert(entry.full_url());
  std::vector<std::string> bad;
  for (int i = 0; i < bundle.entry_size(); ++i) {
    const fhir::r4::ContainedResource& resource = bundle.entry(i).resource();
    std::vector<std::string> refs;
    CollectReferences(resource, refs);
    const std::set<std::string> contained = ContainedIds(resource);
    for (const std::string& ref : refs) {
      const bool ok = absl::StartsWith(ref, "urn:uuid:")
                          ? full_urls.count(ref) > 0
                          : absl::StartsWith(ref, "#") && contained.count(ref.substr(1)) > 0;
      if (!ok) bad.push_back(absl::StrCat(i, ": ", ref));
    }
  }
  return bad;
}

}  // namespace thrombo::synth
