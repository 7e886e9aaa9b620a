// Copyright 2026 The Thrombo Authors.
// Tests of the per-message JSON lookup tables.
#include "fhir/field_table.h"

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "fhir/key_index.h"
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

// KeyIndex answers as a map would, also for keys its hash cannot tell apart (same length, same
// first and last eight bytes) and for every key length around its comparison's word sizes.
TEST(KeyIndexTest, AnswersAsAMap) {
  std::vector<std::string> keys = {"", "a", "ab", "abc", "_id", "code", "value", "status",
                                   "valueQuantity", "valueCodeableConcept", "valueReference"};
  for (int n = 1; n <= 40; ++n) {
    keys.push_back(std::string(n, 'x'));
    std::string middle(n, 'y');
    middle[n / 2] = 'z';  // differs from the all-'y' key only in the middle
    keys.push_back(std::string(n, 'y'));
    keys.push_back(middle);
  }
  KeyIndex<int> index;
  std::map<std::string, int> reference;
  for (size_t i = 0; i < keys.size(); ++i) {
    const bool added = index.Insert(keys[i], static_cast<int>(i));
    EXPECT_EQ(added, reference.emplace(keys[i], static_cast<int>(i)).second) << keys[i];
  }
  EXPECT_FALSE(index.Insert("code", -1));  // the first value stays
  EXPECT_EQ(index.size(), reference.size());
  for (const auto& [key, value] : reference) {
    const int* found = index.Find(key);
    ASSERT_NE(found, nullptr) << key;
    EXPECT_EQ(*found, value) << key;
  }
  for (std::string_view absent : {"cod", "codes", "Code", "valueQuantitx", "_code", "abd"}) {
    EXPECT_EQ(index.Find(absent), nullptr) << absent;
  }
  std::string long_absent(25, 'y');
  long_absent[3] = 'q';
  EXPECT_EQ(index.Find(long_absent), nullptr);
  index.Set("code", 7);
  index.Set("new", 8);
  EXPECT_EQ(*index.Find("code"), 7);
  EXPECT_EQ(*index.Find("new"), 8);
  EXPECT_EQ(KeyIndex<int>().Find("x"), nullptr);
  EXPECT_EQ(KeyIndex<int>().Find(""), nullptr);
}

}  // namespace
}  // namespace thrombo::fhir
