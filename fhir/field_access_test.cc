// Copyright 2026 The Thrombo Authors.
#include "fhir/field_access.h"

#include <memory>
#include <string>
#include <vector>

#include "fhir/fhir_messages.h"
#include "gtest/gtest.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::fhir {
namespace {

using google::protobuf::Arena;
using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Writes through the generated accessors and reads back through reflection, for every field of
// every FHIR message: a field the registry filed under the wrong descriptor, or an accessor of a
// neighbouring field, shows up as a value in the wrong place.
void CheckField(const Descriptor* type, const FieldDescriptor* field, Arena* arena) {
  SCOPED_TRACE(field->full_name());
  const FieldAccess* access = FindFieldAccess(field);
  const bool fhir_message = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
                            field->message_type()->file()->package() == "thrombo.fhir.r4";
  const bool covered = field->cpp_type() == FieldDescriptor::CPPTYPE_STRING ||
                       field->cpp_type() == FieldDescriptor::CPPTYPE_ENUM || fhir_message;
  if (!covered) {
    EXPECT_EQ(access, nullptr);
    return;
  }
  ASSERT_NE(access, nullptr);
  Message* message = google::protobuf::MessageFactory::generated_factory()
                         ->GetPrototype(type)
                         ->New(arena);
  std::unique_ptr<Message> owned(arena == nullptr ? message : nullptr);
  const Reflection* reflection = message->GetReflection();
  const bool repeated = field->is_repeated();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      if (repeated) {
        ASSERT_NE(access->add_string, nullptr);
        access->add_string(message, "first");
        access->add_string(message, std::string_view("second-and-longer-than-sso", 26));
        ASSERT_EQ(reflection->FieldSize(*message, field), 2);
        EXPECT_EQ(reflection->GetRepeatedString(*message, field, 0), "first");
        EXPECT_EQ(reflection->GetRepeatedString(*message, field, 1), "second-and-longer-than-sso");
      } else {
        ASSERT_NE(access->set_string, nullptr);
        ASSERT_NE(access->get_string, nullptr);
        access->set_string(message, "a value");
        EXPECT_EQ(reflection->GetString(*message, field), "a value");
        EXPECT_EQ(&access->get_string(*message),
                  &reflection->GetStringReference(*message, field, nullptr));
      }
      break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int last = field->enum_type()->value(field->enum_type()->value_count() - 1)->number();
      if (repeated) {
        ASSERT_NE(access->add_enum, nullptr);
        access->add_enum(message, last);
        ASSERT_EQ(reflection->FieldSize(*message, field), 1);
        EXPECT_EQ(reflection->GetRepeatedEnumValue(*message, field, 0), last);
      } else {
        ASSERT_NE(access->set_enum, nullptr);
        access->set_enum(message, last);
        EXPECT_EQ(reflection->GetEnumValue(*message, field), last);
      }
      break;
    }
    default:
      if (repeated) {
        ASSERT_NE(access->add_message, nullptr);
        Message* first = access->add_message(message);
        Message* second = access->add_message(message);
        ASSERT_EQ(reflection->FieldSize(*message, field), 2);
        EXPECT_EQ(first, &reflection->GetRepeatedMessage(*message, field, 0));
        EXPECT_EQ(second, &reflection->GetRepeatedMessage(*message, field, 1));
        EXPECT_EQ(first->GetDescriptor(), field->message_type());
      } else {
        ASSERT_NE(access->mutable_message, nullptr);
        ASSERT_NE(access->get_message, nullptr);
        EXPECT_EQ(&access->get_message(*message),
                  &reflection->GetMessage(*message, field));  // the default instance
        Message* child = access->mutable_message(message);
        EXPECT_EQ(&access->get_message(*message), child);
        EXPECT_TRUE(reflection->HasField(*message, field));
        EXPECT_EQ(child, &reflection->GetMessage(*message, field));
        EXPECT_EQ(child->GetDescriptor(), field->message_type());
        EXPECT_EQ(child->GetArena(), arena);
      }
      break;
  }
  // Nothing else was touched: the field written is the only one set.
  std::vector<const FieldDescriptor*> set;
  reflection->ListFields(*message, &set);
  ASSERT_EQ(set.size(), 1u);
  EXPECT_EQ(set[0], field);
}

TEST(FieldAccess, EveryStringEnumAndSubMessageFieldWritesItselfOnHeapAndArena) {
  const std::vector<const Descriptor*> messages = AllFhirMessages();
  ASSERT_GT(messages.size(), 50u);  // both files were found
  int checked = 0;
  for (Arena* arena : {static_cast<Arena*>(nullptr), new Arena}) {
    std::unique_ptr<Arena> owned(arena);
    for (const Descriptor* type : messages) {
      for (int i = 0; i < type->field_count(); ++i) {
        CheckField(type, type->field(i), arena);
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 1000);
}

TEST(FieldAccess, OneofMembersReplaceEachOtherAsReflectionDoes) {
  r4::Observation observation;
  const Descriptor* d = r4::Observation::descriptor();
  const FieldAccess* quantity = FindFieldAccess(d->FindFieldByName("value_quantity"));
  const FieldAccess* text = FindFieldAccess(d->FindFieldByName("value_string"));
  ASSERT_NE(quantity, nullptr);
  ASSERT_NE(text, nullptr);
  quantity->mutable_message(&observation);
  EXPECT_TRUE(observation.has_value_quantity());
  text->set_string(&observation, "positive");
  EXPECT_FALSE(observation.has_value_quantity());
  EXPECT_EQ(observation.value_string(), "positive");
}

TEST(FieldAccess, FieldsOfOtherMessagesHaveNone) {
  EXPECT_EQ(FindFieldAccess(google::protobuf::FieldDescriptorProto::descriptor()->FindFieldByName(
                "name")),
            nullptr);
}

}  // namespace
}  // namespace thrombo::fhir
