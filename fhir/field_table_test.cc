// Copyright 2026 The Thrombo Authors.
// Tests of the per-message JSON lookup tables.
#include "fhir/field_table.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "proto/fhir/r4/datatypes.pb.h"
#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::fhir {
namespace {

TEST(FieldTableTest, KindsFollowTheProtoConventions) {
  const FieldTable& table = FieldTable::For(r4::Observation::descriptor());
  EXPECT_TRUE(table.is_resource());
  EXPECT_EQ(table.resource_type(), "Observation");
  struct Case {
    const char* key;
    FieldKind kind;
  };
  for (const Case& c : {Case{"id", FieldKind::kId}, Case{"language", FieldKind::kCode},
                        Case{"status", FieldKind::kEnum}, Case{"issued", FieldKind::kInstant},
                        Case{"valueQuantity", FieldKind::kMessage},
                        Case{"valueTime", FieldKind::kTime},
                        Case{"valueDateTime", FieldKind::kDateTime},
                        Case{"valueInteger", FieldKind::kInteger},
                        Case{"contained", FieldKind::kContainedResource},
                        Case{"resourceType", FieldKind::kResourceType}}) {
    const FieldEntry* entry = table.Find(c.key);
    ASSERT_NE(entry, nullptr) << c.key;
    EXPECT_EQ(entry->kind, c.kind) << c.key;
  }
  EXPECT_EQ(table.Find("primitiveExtension"), nullptr);
  EXPECT_EQ(table.Find("text"), nullptr);
  const FieldEntry* sidecar = table.Find("_valueString");
  ASSERT_NE(sidecar, nullptr);
  EXPECT_TRUE(sidecar->is_sidecar);
  EXPECT_EQ(sidecar->json_name, "valueString");
  EXPECT_EQ(table.Find("_valueQuantity"), nullptr);  // complex types have no sidecar
}

TEST(FieldTableTest, NoSidecarsWithoutPrimitiveExtensionField) {
  const FieldTable& range = FieldTable::For(r4::Range::descriptor());
  EXPECT_EQ(range.primitive_extension_field(), nullptr);
  EXPECT_EQ(range.Find("_id"), nullptr);
}

TEST(FieldTableTest, ContainedResourceDispatch) {
  const FieldTable& table = FieldTable::For(r4::ContainedResource::descriptor());
  const FieldEntry* entry = table.FindResourceType("MedicationRequest");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->message_table->descriptor(), r4::MedicationRequest::descriptor());
  EXPECT_EQ(table.FindResourceType("Encounter"), nullptr);
}

TEST(FieldTableTest, EnumCodes) {
  const FieldEntry* method = FieldTable::For(r4::Bundle::Entry::Request::descriptor()).Find("method");
  ASSERT_NE(method, nullptr);
  EXPECT_EQ(method->enum_codes->NumberOf("GET"), r4::HttpVerbCode::GET);
  EXPECT_EQ(method->enum_codes->NumberOf("get"), -1);
  const FieldEntry* status = FieldTable::For(r4::MedicationRequest::descriptor()).Find("status");
  EXPECT_EQ(status->enum_codes->NumberOf("entered-in-error"),
            r4::MedicationRequestStatusCode::ENTERED_IN_ERROR);
  EXPECT_EQ(status->enum_codes->CodeOf(r4::MedicationRequestStatusCode::ON_HOLD), "on-hold");
  EXPECT_EQ(status->enum_codes->CodeOf(0), "");
  const FieldEntry* comparator = FieldTable::For(r4::Quantity::descriptor()).Find("comparator");
  EXPECT_EQ(comparator->enum_codes->CodeOf(r4::Quantity::GREATER_OR_EQUAL), ">=");
}

TEST(FieldTableTest, SidecarTableHasOnlyIdAndExtension) {
  const FieldTable& table = FieldTable::ForSidecar();
  EXPECT_NE(table.Find("id"), nullptr);
  EXPECT_NE(table.Find("extension"), nullptr);
  EXPECT_EQ(table.Find("field"), nullptr);
  EXPECT_EQ(table.Find("index"), nullptr);
}

TEST(FieldTableTest, ConcurrentFirstUseGivesOneTable) {
  std::vector<const FieldTable*> seen(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&seen, i] { seen[i] = &FieldTable::For(r4::Procedure::descriptor()); });
  }
  for (std::thread& t : threads) t.join();
  for (const FieldTable* table : seen) EXPECT_EQ(table, seen[0]);
}

}  // namespace
}  // namespace thrombo::fhir
