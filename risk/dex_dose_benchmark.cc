// Copyright 2026 The Thrombo Authors.
// Benchmarks dexamethasone dose arithmetic on a typical order, structured and as text.
// Run: bazel run -c opt //risk:dex_dose_benchmark
#include <string>

#include "benchmark/benchmark.h"
#include "google/protobuf/text_format.h"
#include "proto/fhir/r4/resources.pb.h"
#include "risk/dex_dose.h"

namespace thrombo::risk {
namespace {

// Td-style high-dose pulses as three sequenced 4-day courses, the cycle length in the text: the
// structured path's most involved common shape.
constexpr char kTdOrder[] = R"pb(
  dosage_instruction {
    sequence: 1
    text: "days 1-4, 9-12, 17-20 of a 28-day cycle"
    dose_and_rate { dose_quantity { value { value: "40" } unit: "mg" code: "mg" } }
    timing {
      repeat {
        frequency: 1
        period { value: "1" }
        period_unit: D
        bounds_duration { value { value: "4" } code: "d" }
      }
    }
  }
  dosage_instruction {
    sequence: 2
    dose_and_rate { dose_quantity { value { value: "40" } unit: "mg" code: "mg" } }
    timing {
      repeat {
        frequency: 1
        period { value: "1" }
        period_unit: D
        bounds_duration { value { value: "4" } code: "d" }
      }
    }
  }
  dosage_instruction {
    sequence: 3
    dose_and_rate { dose_quantity { value { value: "40" } unit: "mg" code: "mg" } }
    timing {
      repeat {
        frequency: 1
        period { value: "1" }
        period_unit: D
        bounds_duration { value { value: "4" } code: "d" }
      }
    }
  }
)pb";

void BM_Structured(benchmark::State& state) {
  fhir::r4::MedicationRequest order;
  if (!google::protobuf::TextFormat::ParseFromString(kTdOrder, &order)) {
    state.SkipWithError("bad textproto");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(DoseFromDosages(order.dosage_instruction(), DoseContext()));
  }
}
BENCHMARK(BM_Structured);

void BM_Text(benchmark::State& state) {
  const std::string text = "dexamethasone 40 mg PO days 1-4, 9-12, 17-20 every 28 days";
  for (auto _ : state) benchmark::DoNotOptimize(DoseFromText(text, DoseContext()));
}
BENCHMARK(BM_Text);

}  // namespace
}  // namespace thrombo::risk
