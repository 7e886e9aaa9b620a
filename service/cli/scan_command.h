// Copyright 2026 The Thrombo Authors.
// `thrombo scan`: the population scan of a Bulk Data export (service/scan/scan.h), and
// `thrombo scan merge` of shard outputs.
#ifndef THROMBO_SERVICE_CLI_SCAN_COMMAND_H_
#define THROMBO_SERVICE_CLI_SCAN_COMMAND_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "risk/engine.h"

namespace thrombo::service {

struct ScanCommandOptions {
  std::string bulk_dir;
  std::string out_dir;
  std::string shard = "0/1";  // I/N
  int threads = 0;
  std::string tmp_dir;
  absl::Time now;
  bool progress = false;
};

// "I/N" -> (I, N) with 0 <= I < N; InvalidArgument naming the flag otherwise.
absl::StatusOr<std::pair<int, int>> ParseShard(std::string_view text);

// args empty: scan options.bulk_dir into options.out_dir. args = {"merge", DIR...}: merge the
// shard folders DIR... into options.out_dir. InvalidArgument for other arguments or a missing
// --bulk / --out.
absl::Status RunScanCommand(const std::vector<std::string>& args, const ScanCommandOptions& options,
                            const risk::Engine& engine);

}  // namespace thrombo::service

#endif  // THROMBO_SERVICE_CLI_SCAN_COMMAND_H_
