// Copyright 2026 The Thrombo Authors.
// Tests for evidence held beside its protos: written once, copied by reference, read the one
// way whether held or not, and turned back into the proto text an Assessment prints.
#include "risk/evidence_refs.h"

#include <string>

#include "google/protobuf/arena.h"
#include "gtest/gtest.h"
#include "proto/thrombo/v1/assessment.pb.h"

namespace thrombo::risk {
namespace {

v1::Evidence* NewEvidence(google::protobuf::Arena* arena) {
  return google::protobuf::Arena::CreateMessage<v1::Evidence>(arena);
}

TEST(EvidenceRefs, HoldsTheTextOutOfTheProtoUntilMaterialized) {
  google::protobuf::Arena arena;
  EvidenceRefs refs;
  v1::Evidence* e = NewEvidence(&arena);
  e->set_source(v1::Evidence::VALUE);
  {
    // The table keeps its own copy: the caller's text may be a temporary.
    std::string id = "obs-1";
    std::string matched = "203 10*9/L on 2026-11-19";
    refs.Write(e, {"Observation", id, "Observation.valueQuantity", matched});
    id.assign("XXXXX");
    matched.assign(matched.size(), 'X');
  }
  EXPECT_EQ(e->resource_id(), "");  // not in the proto
  const EvidenceText text = refs.Of(*e);
  EXPECT_EQ(text.resource_type, "Observation");
  EXPECT_EQ(text.resource_id, "obs-1");
  EXPECT_EQ(text.path, "Observation.valueQuantity");
  EXPECT_EQ(text.matched, "203 10*9/L on 2026-11-19");

  refs.Materialize();
  EXPECT_EQ(e->resource_type(), "Observation");
  EXPECT_EQ(e->resource_id(), "obs-1");
  EXPECT_EQ(e->path(), "Observation.valueQuantity");
  EXPECT_EQ(e->matched(), "203 10*9/L on 2026-11-19");
  EXPECT_EQ(e->source(), v1::Evidence::VALUE);
}

TEST(EvidenceRefs, JoinsTheMatchedTextFromPieces) {
  google::protobuf::Arena arena;
  EvidenceRefs refs;
  v1::Evidence* held = NewEvidence(&arena);
  v1::Evidence* empty = NewEvidence(&arena);
  {
    std::string code = "38341003";
    refs.Write(held, {"Procedure", "p-1", "Procedure.code", "http://snomed.info/sct"},
               {"|", code, "", " on 2026-11-02"});
    refs.Write(empty, {"Condition", "", "", ""}, {"", ""});
    code.assign("XXXXXXXX");
  }
  EXPECT_EQ(refs.Of(*held).matched, "http://snomed.info/sct|38341003 on 2026-11-02");
  EXPECT_EQ(refs.Of(*held).path, "Procedure.code");
  EXPECT_EQ(refs.Of(*empty).matched, "");
  EXPECT_EQ(refs.Of(*empty).resource_type, "Condition");

  // A message on the heap gets the joined text in its own strings.
  v1::Evidence on_heap;
  refs.Write(&on_heap, {"Observation", "o-1", "", "8.4"}, {" g/dL", " on 2026-11-23"});
  EXPECT_EQ(on_heap.matched(), "8.4 g/dL on 2026-11-23");
  EXPECT_EQ(on_heap.resource_id(), "o-1");
  EXPECT_EQ(refs.size(), 2u);

  // With no table, the pieces are joined into the message's own strings.
  v1::Evidence* own = NewEvidence(&arena);
  WriteEvidenceText(own, {"Procedure", "p-2", "Procedure.code", "http://snomed.info/sct"},
                    {"|", "38341003", " on 2026-11-02"}, nullptr);
  EXPECT_EQ(own->matched(), "http://snomed.info/sct|38341003 on 2026-11-02");
  EXPECT_EQ(own->path(), "Procedure.code");
  EXPECT_EQ(refs.size(), 2u);
}

TEST(EvidenceRefs, ReadsEvidenceWrittenIntoTheProtoAsItIs) {
  google::protobuf::Arena arena;
  EvidenceRefs refs;
  v1::Evidence* e = NewEvidence(&arena);
  e->set_resource_type("Condition");
  e->set_resource_id("c-1");
  e->set_matched("http://snomed.info/sct|38341003");
  const EvidenceText text = EvidenceTextOf(*e, &refs);
  EXPECT_EQ(text.resource_type, "Condition");
  EXPECT_EQ(text.resource_id, "c-1");
  EXPECT_EQ(text.path, "");
  EXPECT_EQ(text.matched, "http://snomed.info/sct|38341003");
  EXPECT_EQ(EvidenceTextOf(*e, nullptr).resource_id, "c-1");
}

TEST(EvidenceRefs, CopiesReferAndMaterializeToWhatAProtoCopyGives) {
  google::protobuf::Arena arena;
  EvidenceRefs refs;
  v1::Evidence* held = NewEvidence(&arena);
  held->set_source(v1::Evidence::CODE);
  held->set_draft_order(true);
  refs.Write(held, {"MedicationRequest", "mr-1", "MedicationRequest.medicationCodeableConcept",
                    "http://www.nlm.nih.gov/research/umls/rxnorm|342369"});
  v1::Evidence* own = NewEvidence(&arena);
  own->set_resource_type("Patient");
  own->set_resource_id("p-1");
  own->set_path("Patient.birthDate");

  auto* copies = google::protobuf::Arena::CreateMessage<v1::Fact>(&arena);
  CopyEvidence(*held, copies->add_evidence(), &refs);
  CopyEvidence(*own, copies->add_evidence(), &refs);
  EXPECT_EQ(copies->evidence(0).matched(), "");  // a reference, no text copied
  EXPECT_EQ(refs.Of(copies->evidence(0)).resource_id, "mr-1");
  EXPECT_EQ(copies->evidence(0).source(), v1::Evidence::CODE);
  EXPECT_TRUE(copies->evidence(0).draft_order());
  EXPECT_EQ(copies->evidence(1).resource_id(), "p-1");  // not held: copied as a proto

  refs.Materialize();
  v1::Fact expected;
  *expected.add_evidence() = *held;
  *expected.add_evidence() = *own;
  EXPECT_EQ(copies->SerializeAsString(), expected.SerializeAsString());
  EXPECT_EQ(expected.evidence(0).resource_id(), "mr-1");
}

TEST(EvidenceRefs, AMessageReusedForACopyOfUnheldEvidenceDropsItsOldText) {
  google::protobuf::Arena arena;
  EvidenceRefs refs;
  v1::Evidence* e = NewEvidence(&arena);
  refs.Write(e, {"Observation", "old", "", ""});
  v1::Evidence plain;
  plain.set_resource_type("Condition");
  plain.set_resource_id("new");
  refs.Copy(plain, e);
  EXPECT_EQ(refs.Of(*e).resource_type, "Condition");
  EXPECT_EQ(refs.Of(*e).resource_id, "new");
  refs.Materialize();
  EXPECT_EQ(e->resource_id(), "new");
  EXPECT_EQ(refs.size(), 0u);
}

TEST(EvidenceRefs, KeepsTextLongerThanABlock) {
  google::protobuf::Arena arena;
  EvidenceRefs refs;
  const std::string long_text(10000, 'a');
  v1::Evidence* first = NewEvidence(&arena);
  v1::Evidence* second = NewEvidence(&arena);
  refs.Write(first, {"Observation", "x", "", long_text});
  refs.Write(second, {"Observation", "y", "", "short"});
  EXPECT_EQ(refs.Of(*first).matched, long_text);
  EXPECT_EQ(refs.Of(*second).matched, "short");
  EXPECT_EQ(refs.Of(*first).resource_id, "x");
}

TEST(ReferCopiedEvidence, MakesAProtoCopyOfAFactReferToItsOriginalsText) {
  google::protobuf::Arena arena;
  EvidenceRefs refs;
  auto* original = google::protobuf::Arena::CreateMessage<v1::Fact>(&arena);
  original->set_value(8.4);
  refs.Write(original->add_evidence(), {"Observation", "hb-1", "Observation.valueQuantity",
                                        "8.4 g/dL on 2026-11-23"});
  auto* copy = google::protobuf::Arena::CreateMessage<v1::Fact>(&arena);
  *copy = *original;  // the proto copy carries no text: it is held beside
  EXPECT_EQ(refs.Of(copy->evidence(0)).resource_id, "");
  ReferCopiedEvidence(original->evidence(), copy->mutable_evidence(), &refs);
  EXPECT_EQ(refs.Of(copy->evidence(0)).resource_id, "hb-1");
  EXPECT_EQ(refs.Of(copy->evidence(0)).matched, "8.4 g/dL on 2026-11-23");
  ReferCopiedEvidence(original->evidence(), copy->mutable_evidence(), nullptr);  // no table
  EXPECT_EQ(copy->value(), 8.4);
}

TEST(AppendEvidenceCopies, AppendsEveryPieceInOrder) {
  google::protobuf::Arena arena;
  EvidenceRefs refs;
  auto* from = google::protobuf::Arena::CreateMessage<v1::Fact>(&arena);
  refs.Write(from->add_evidence(), {"Observation", "a", "", ""});
  from->add_evidence()->set_resource_id("b");
  auto* to = google::protobuf::Arena::CreateMessage<v1::Fact>(&arena);
  to->add_evidence()->set_resource_id("already");
  AppendEvidenceCopies(from->evidence(), to->mutable_evidence(), &refs);
  ASSERT_EQ(to->evidence_size(), 3);
  EXPECT_EQ(refs.Of(to->evidence(0)).resource_id, "already");
  EXPECT_EQ(refs.Of(to->evidence(1)).resource_id, "a");
  EXPECT_EQ(refs.Of(to->evidence(2)).resource_id, "b");
}

}  // namespace
}  // namespace thrombo::risk
