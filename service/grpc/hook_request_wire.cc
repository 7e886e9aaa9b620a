// Copyright 2026 The Thrombo Authors.
#include "service/grpc/hook_request_wire.h"

#include <vector>

#include "fhir/wire_reader.h"
#include "proto/fhir/r4/resources.pb.h"

namespace thrombo::service {
namespace {

using fhir::AppendLengthDelimited;
using fhir::ForEachWireField;
using fhir::LabObservation;
using fhir::NextWireField;
using fhir::WireField;
using fhir::r4::Bundle;
using fhir::r4::Bundle_Entry;
using fhir::r4::Bundle_Link;
using fhir::r4::ContainedResource;
using fhir::r4::Observation;

// Rewrites a request's bytes with its views taken out, collecting the views in order.
class Rewriter {
 public:
  explicit Rewriter(std::string* out) : out_(out) {}

  // False when the bytes are malformed, or a view could be mistaken for another stub.
  bool Request(std::string_view bytes) {
    return ForEachWireField(bytes, [&](const WireField& f) {
      if (f.number != v1::EvaluateHookRequest::kPrefetchFieldNumber || f.wire_type != 2) {
        return Keep(f);
      }
      return AppendLengthDelimited(f.number, out_, [&](std::string*) {
        // A map entry: 1 the key, 2 the value.
        return ForEachWireField(f.payload, [&](const WireField& e) {
          return e.number == 2 && e.wire_type == 2 ? PrefetchValue(e) : Keep(e);
        });
      });
    });
  }

  std::vector<LabObservation>& views() { return views_; }

 private:
  // How many fields `number` the message `bytes` holds (all of them when malformed: the
  // rewrite then fails on it anyway).
  static int Count(std::string_view bytes, uint32_t number) {
    int count = 0;
    ForEachWireField(bytes, [&](const WireField& f) {
      count += f.number == number ? 1 : 0;
      return true;
    });
    return count;
  }

  bool Keep(const WireField& f) {
    out_->append(f.encoded);
    return true;
  }

  // A prefetch value (a ContainedResource): a Bundle's entries may hold views.
  bool PrefetchValue(const WireField& value) {
    return AppendLengthDelimited(value.number, out_, [&](std::string*) {
      return ForEachWireField(value.payload, [&](const WireField& r) {
        return r.number == ContainedResource::kBundleFieldNumber && r.wire_type == 2
                   ? PrefetchBundle(r)
                   : Keep(r);
      });
    });
  }

  // A prefetch value's Bundle: its entries, unless it may have a next page.
  bool PrefetchBundle(const WireField& bundle) {
    const bool views = !MayHaveNextPage(bundle.payload);
    return AppendLengthDelimited(bundle.number, out_, [&](std::string*) {
      return ForEachWireField(bundle.payload, [&](const WireField& b) {
        return b.number == Bundle::kEntryFieldNumber && b.wire_type == 2
                   ? BundleEntry(b, views)
                   : Keep(b);
      });
    });
  }

  // An entry of such a Bundle. One giving its resource twice has them merged when parsed, which
  // a view of either does not hold.
  bool BundleEntry(const WireField& entry, bool views) {
    const bool one_resource = Count(entry.payload, Bundle_Entry::kResourceFieldNumber) == 1;
    return AppendLengthDelimited(entry.number, out_, [&](std::string*) {
      return ForEachWireField(
          entry.payload, [&](const WireField& e) { return Entry(e, views && one_resource); });
    });
  }

  // A field of a Bundle entry: its resource, when an Observation of the common shape, becomes
  // a view and a stub.
  bool Entry(const WireField& e, bool views) {
    if (e.number != Bundle_Entry::kResourceFieldNumber || e.wire_type != 2) return Keep(e);
    std::string_view rest = e.payload;
    WireField only;
    const bool observation_only = NextWireField(&rest, &only) && rest.empty() &&
                                  only.number == ContainedResource::kObservationFieldNumber &&
                                  only.wire_type == 2;
    if (!observation_only) return !HoldsStubLikeObservation(e.payload) && Keep(e);
    LabObservation view;
    if (!views || !fhir::ReadLabObservationWire(only.payload, &view)) {
      // Parsed as it is. A status at or past a stub's would be taken for one of ours.
      return !StatusLooksLikeStub(only.payload) && Keep(e);
    }
    const uint64_t status =
        static_cast<uint64_t>(fhir::LabObservationTable::kViewStubStatus) + views_.size();
    views_.push_back(std::move(view));
    return AppendLengthDelimited(e.number, out_, [&](std::string*) {
      return AppendLengthDelimited(only.number, out_, [&](std::string* o) {
        fhir::AppendVarint(uint64_t{Observation::kStatusFieldNumber} << 3, o);
        fhir::AppendVarint(status, o);
        return true;
      });
    });
  }

  // As the JSON route's MayHaveNextPage: a link whose relation is "next" or missing.
  static bool MayHaveNextPage(std::string_view bundle) {
    bool next = false;
    const bool read = ForEachWireField(bundle, [&](const WireField& b) {
      if (b.number != Bundle::kLinkFieldNumber) return true;
      std::string_view relation;
      bool has_relation = false;
      if (b.wire_type != 2 || !ForEachWireField(b.payload, [&](const WireField& l) {
            if (l.number == Bundle_Link::kRelationFieldNumber && l.wire_type == 2) {
              relation = l.payload;
              has_relation = true;
            }
            return true;
          })) {
        return false;
      }
      next = next || !has_relation || relation == "next";
      return true;
    });
    return !read || next;
  }

  // A resource (ContainedResource) holding an Observation whose status looks like a stub's,
  // which the parse could leave in the entry.
  static bool HoldsStubLikeObservation(std::string_view resource) {
    bool stub = false;
    const bool read = ForEachWireField(resource, [&](const WireField& r) {
      stub = stub || (r.number == ContainedResource::kObservationFieldNumber &&
                      r.wire_type == 2 && StatusLooksLikeStub(r.payload));
      return true;
    });
    return !read || stub;
  }

  static bool StatusLooksLikeStub(std::string_view observation) {
    bool stub = false;
    const bool read = ForEachWireField(observation, [&](const WireField& f) {
      if (f.number == Observation::kStatusFieldNumber && f.wire_type == 0) {
        stub = stub || static_cast<int32_t>(f.varint) >=
                           static_cast<int32_t>(fhir::LabObservationTable::kViewStubStatus);
      }
      return true;
    });
    return read && stub;
  }

  std::string* out_;
  std::vector<LabObservation> views_;
};

absl::Status NotAHookRequest() {
  return absl::InvalidArgumentError(
      "the request is not a valid encoding of thrombo.v1.EvaluateHookRequest (a truncated or "
      "mistyped field, or a string that is not UTF-8)");
}

bool Parse(std::string_view bytes, v1::EvaluateHookRequest* request) {
  return bytes.size() <= INT32_MAX &&
         request->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

}  // namespace

absl::Status ParseHookRequestWire(std::string_view bytes, v1::EvaluateHookRequest* request,
                                  fhir::LabObservationTable* labs, std::string* scratch) {
  labs->Clear();
  scratch->clear();
  Rewriter rewriter(scratch);
  if (!rewriter.Request(bytes) || rewriter.views().empty()) {
    // Malformed (the parser says how), or nothing to view.
    return Parse(bytes, request) ? absl::OkStatus() : NotAHookRequest();
  }
  if (!Parse(*scratch, request)) return NotAHookRequest();
  // Each stub parsed takes its view. A stub the parse dropped (a repeated map key, a resource
  // replaced by a later one) leaves its view unused.
  std::vector<LabObservation>& views = rewriter.views();
  labs->Borrow(bytes);
  for (auto& [key, value] : *request->mutable_prefetch()) {
    if (!value.has_bundle()) continue;
    for (Bundle_Entry& entry : *value.mutable_bundle()->mutable_entry()) {
      if (!entry.has_resource() || !entry.resource().has_observation()) continue;
      Observation* stub = entry.mutable_resource()->mutable_observation();
      if (!fhir::IsViewStub(*stub)) continue;
      const size_t position =
          static_cast<size_t>(stub->status() - fhir::LabObservationTable::kViewStubStatus);
      if (position >= views.size()) return NotAHookRequest();  // cannot happen: ours only
      labs->Add(stub) = std::move(views[position]);
    }
  }
  return absl::OkStatus();
}

}  // namespace thrombo::service
