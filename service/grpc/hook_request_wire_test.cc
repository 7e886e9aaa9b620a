// Copyright 2026 The Thrombo Authors.
#include "service/grpc/hook_request_wire.h"

#include <memory>
#include <string>

#include "fhir/lab_observation.h"
#include "fhir/wire_reader.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::service {
namespace {

using fhir::LabObservationTable;
using fhir::r4::Observation;
using google::protobuf::util::MessageDifferencer;

Observation Lab(const std::string& id, const std::string& loinc, const std::string& value) {
  Observation o;
  o.set_id(id);
  o.set_status(fhir::r4::ObservationStatusCode::FINAL);
  fhir::r4::Coding* coding = o.mutable_code()->add_coding();
  coding->set_system("http://loinc.org");
  coding->set_code(loinc);
  o.mutable_subject()->set_reference("Patient/p1");
  o.mutable_effective_date_time()->set_value_us(1796026500000000);
  o.mutable_effective_date_time()->set_precision(fhir::r4::SECOND);
  o.mutable_value_quantity()->mutable_value()->set_value(value);
  return o;
}

// An order-sign call's request as an order-entry system sends it over gRPC: the patient, and a
// search of lab results whose second result holds a concept (read as a proto, not a view).
v1::EvaluateHookRequest Request() {
  v1::EvaluateHookRequest request;
  request.set_service_id("thrombo-order-sign");
  request.set_hook("order-sign");
  request.set_hook_instance("d1577c69-dfbe-44ad-ba6d-3e05e953b2ea");
  (*request.mutable_context())["patientId"] = "p1";
  (*request.mutable_prefetch())["patient"].mutable_patient()->set_id("p1");
  fhir::r4::Bundle* labs = (*request.mutable_prefetch())["labs"].mutable_bundle();
  labs->set_type(fhir::r4::BundleTypeCode::SEARCHSET);
  *labs->add_entry()->mutable_resource()->mutable_observation() = Lab("plt", "777-3", "45");
  Observation concept_result = Lab("smoking", "72166-2", "");
  concept_result.mutable_value_codeable_concept()->set_text("Never smoker");
  *labs->add_entry()->mutable_resource()->mutable_observation() = concept_result;
  *labs->add_entry()->mutable_resource()->mutable_observation() = Lab("hb", "718-7", "11.2");
  return request;
}

const fhir::r4::Bundle& Labs(const v1::EvaluateHookRequest& request) {
  return request.prefetch().at("labs").bundle();
}

// The Observation of entry `index` of the request's search of lab results, to change.
Observation* LabResult(v1::EvaluateHookRequest* request, int index) {
  return (*request->mutable_prefetch())["labs"]
      .mutable_bundle()
      ->mutable_entry(index)
      ->mutable_resource()
      ->mutable_observation();
}

// What ParseHookRequestWire made of some bytes, which must outlive it (its views point into them).
struct Read {
  absl::Status status;
  v1::EvaluateHookRequest request;
  LabObservationTable views;
  std::string scratch;
};

std::unique_ptr<Read> ReadBytes(const std::string& bytes) {
  auto read = std::make_unique<Read>();
  read->status = ParseHookRequestWire(bytes, &read->request, &read->views, &read->scratch);
  return read;
}

TEST(ParseHookRequestWireTest, ReadsLabResultsAsViewsAndTheRestAsParsed) {
  const v1::EvaluateHookRequest sent = Request();
  const std::string bytes = sent.SerializeAsString();
  const std::unique_ptr<Read> read = ReadBytes(bytes);
  ASSERT_TRUE(read->status.ok()) << read->status;

  ASSERT_EQ(read->views.size(), 2u);
  const fhir::r4::Bundle& labs = Labs(read->request);
  ASSERT_EQ(labs.entry_size(), 3);
  for (int i : {0, 2}) {
    const Observation& stub = labs.entry(i).resource().observation();
    ASSERT_TRUE(fhir::IsViewStub(stub)) << i;
    const fhir::LabObservation* view = read->views.Find(&stub);
    ASSERT_NE(view, nullptr) << i;
    const fhir::LabObservation want =
        fhir::LabObservationFromProto(Labs(sent).entry(i).resource().observation());
    EXPECT_EQ(view->id, want.id);
    EXPECT_EQ(view->quantity.value, want.quantity.value);
    EXPECT_EQ(view->time, want.time);
  }
  // The concept result is parsed, as sent.
  EXPECT_TRUE(MessageDifferencer::Equals(labs.entry(1), Labs(sent).entry(1)));
  // Everything else is as the whole parse gives it.
  v1::EvaluateHookRequest rest = read->request;
  v1::EvaluateHookRequest sent_rest = sent;
  (*rest.mutable_prefetch()).erase("labs");
  (*sent_rest.mutable_prefetch()).erase("labs");
  EXPECT_TRUE(MessageDifferencer::Equals(rest, sent_rest));
  EXPECT_EQ(labs.type(), fhir::r4::BundleTypeCode::SEARCHSET);
}

// A search with a later page is copied by the hook service to append that page: its entries
// stay protos. So does every entry when one Observation sent already looks like a stub.
TEST(ParseHookRequestWireTest, ParsesWholeWhatMayNotHoldViews) {
  v1::EvaluateHookRequest next_page = Request();
  fhir::r4::Bundle_Link* link =
      (*next_page.mutable_prefetch())["labs"].mutable_bundle()->add_link();
  link->set_relation("next");
  link->set_url("https://ehr.example.org/fhir/Observation?page=2");
  v1::EvaluateHookRequest stub_status = Request();
  LabResult(&stub_status, 1)->set_status(LabObservationTable::kViewStubStatus);
  for (const v1::EvaluateHookRequest& sent : {next_page, stub_status}) {
    const std::string bytes = sent.SerializeAsString();
    const std::unique_ptr<Read> read = ReadBytes(bytes);
    ASSERT_TRUE(read->status.ok()) << read->status;
    EXPECT_EQ(read->views.size(), 0u);
    EXPECT_TRUE(MessageDifferencer::Equals(read->request, sent));
  }
}

// `payload` as length-delimited field `number`.
std::string Field(uint32_t number, const std::string& payload) {
  std::string out;
  fhir::AppendLengthDelimited(number, &out, [&](std::string* o) {
    o->append(payload);
    return true;
  });
  return out;
}

// Request() encoded with a fourth entry in its search of lab results, given as its encoding
// `entry`: for entries no proto can hold, as a client's own encoder may write them.
std::string WithLabEntry(const std::string& entry) {
  v1::EvaluateHookRequest sent = Request();
  const fhir::r4::Bundle labs = Labs(sent);
  sent.mutable_prefetch()->erase("labs");
  const std::string bundle =
      labs.SerializeAsString() + Field(fhir::r4::Bundle::kEntryFieldNumber, entry);
  // A map entry: 1 the key, 2 the value.
  const std::string map_entry =
      Field(1, "labs") + Field(2, Field(fhir::r4::ContainedResource::kBundleFieldNumber, bundle));
  return sent.SerializeAsString() +
         Field(v1::EvaluateHookRequest::kPrefetchFieldNumber, map_entry);
}

// An entry's resource encoded with two members of its oneof, a Patient then an Observation whose
// status looks like a stub's: the parse keeps the Observation, which must not take a view.
TEST(ParseHookRequestWireTest, MakesNoViewsBesideAnObservationWithAStubsStatus) {
  fhir::r4::ContainedResource patient;
  patient.mutable_patient()->set_id("p1");
  fhir::r4::ContainedResource stub_like;
  *stub_like.mutable_observation() = Lab("odd", "777-3", "45");
  stub_like.mutable_observation()->set_status(LabObservationTable::kViewStubStatus);
  const std::string two_members = patient.SerializeAsString() + stub_like.SerializeAsString();
  const std::string bytes =
      WithLabEntry(Field(fhir::r4::Bundle_Entry::kResourceFieldNumber, two_members));

  v1::EvaluateHookRequest whole;
  ASSERT_TRUE(whole.ParseFromString(bytes));
  ASSERT_EQ(Labs(whole).entry_size(), 4);
  ASSERT_TRUE(Labs(whole).entry(3).resource().has_observation());
  const std::unique_ptr<Read> read = ReadBytes(bytes);
  ASSERT_TRUE(read->status.ok()) << read->status;
  EXPECT_EQ(read->views.size(), 0u);
  EXPECT_TRUE(MessageDifferencer::Equals(read->request, whole));
}

// An entry giving its resource twice: parsed, the two Observations are merged (here the second
// adds a dataAbsentReason to the first), which a view of either would not hold. It is parsed.
TEST(ParseHookRequestWireTest, ParsesAnEntryWithTwoResources) {
  fhir::r4::ContainedResource first;
  *first.mutable_observation() = Lab("plt-2", "777-3", "45");
  fhir::r4::ContainedResource second;
  *second.mutable_observation() = Lab("plt-2", "777-3", "45");
  second.mutable_observation()->mutable_data_absent_reason()->set_text("clotted");
  second.mutable_observation()->clear_value_quantity();
  const std::string bytes =
      WithLabEntry(Field(fhir::r4::Bundle_Entry::kResourceFieldNumber, first.SerializeAsString()) +
                   Field(fhir::r4::Bundle_Entry::kResourceFieldNumber, second.SerializeAsString()));

  v1::EvaluateHookRequest whole;
  ASSERT_TRUE(whole.ParseFromString(bytes));
  const Observation& merged = Labs(whole).entry(3).resource().observation();
  ASSERT_TRUE(merged.has_value_quantity());
  ASSERT_TRUE(merged.has_data_absent_reason());
  const std::unique_ptr<Read> read = ReadBytes(bytes);
  ASSERT_TRUE(read->status.ok()) << read->status;
  EXPECT_EQ(read->views.size(), 2u);  // entries 0 and 2, as in the request without this entry
  EXPECT_TRUE(MessageDifferencer::Equals(Labs(read->request).entry(3), Labs(whole).entry(3)));
}

TEST(ParseHookRequestWireTest, PassesOverUnreadElementsOfAViewUnjudged) {
  v1::EvaluateHookRequest sent = Request();
  LabResult(&sent, 0)->add_category()->set_text("laboratoire \xC3");
  const std::string bytes = sent.SerializeAsString();
  v1::EvaluateHookRequest whole;
  EXPECT_FALSE(whole.ParseFromString(bytes));
  const std::unique_ptr<Read> read = ReadBytes(bytes);
  ASSERT_TRUE(read->status.ok()) << read->status;
  EXPECT_EQ(read->views.size(), 2u);
}

TEST(ParseHookRequestWireTest, RefusesBytesThatDoNotParse) {
  const std::string bytes = Request().SerializeAsString();
  v1::EvaluateHookRequest broken_string = Request();
  LabResult(&broken_string, 1)->set_id("smoking\xC3");
  for (const std::string& sent :
       {bytes.substr(0, bytes.size() - 5), std::string("\x0a\xff\xff\xff\x0f", 5),
        broken_string.SerializeAsString()}) {
    const absl::Status status = ReadBytes(sent)->status;
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(status.message().find("EvaluateHookRequest"), std::string_view::npos);
  }
}

}  // namespace
}  // namespace thrombo::service
