// Copyright 2026 The Thrombo Authors.
#include "service/cli/scan_command.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/string_compat.h"
#include "service/scan/scan.h"

namespace thrombo::service {

absl::StatusOr<std::pair<int, int>> ParseShard(std::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(base::Absl(text), '/');
  int index = 0;
  int count = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &index) ||
      !absl::SimpleAtoi(parts[1], &count) || count < 1 || index < 0 || index >= count) {
    return absl::InvalidArgumentError(
        absl::StrCat("--shard=", base::Absl(text), ": expected I/N with 0 <= I < N, e.g. 0/4"));
  }
  return std::make_pair(index, count);
}

absl::Status RunScanCommand(const std::vector<std::string>& args, const ScanCommandOptions& options,
                            const risk::Engine& engine) {
  if (options.out_dir.empty()) return absl::InvalidArgumentError("--out=DIR is required");
  if (!args.empty()) {
    if (args[0] != "merge" || args.size() < 2) {
      return absl::InvalidArgumentError("expected `thrombo scan merge --out=DIR SHARD_DIR...`");
    }
    return scan::MergeScans(std::vector<std::string>(args.begin() + 1, args.end()),
                            options.out_dir);
  }
  if (options.bulk_dir.empty()) return absl::InvalidArgumentError("--bulk=DIR is required");
  absl::StatusOr<std::pair<int, int>> shard = ParseShard(options.shard);
  if (!shard.ok()) return shard.status();
  scan::ScanOptions scan;
  scan.bulk_dir = options.bulk_dir;
  scan.out_dir = options.out_dir;
  scan.now = options.now;
  scan.shard_index = shard->first;
  scan.shard_count = shard->second;
  scan.threads = options.threads;
  scan.tmp_dir = options.tmp_dir;
  scan.progress = options.progress;
  absl::StatusOr<scan::ScanSummary> summary = scan::RunScan(scan, engine);
  return summary.status();
}

}  // namespace thrombo::service
