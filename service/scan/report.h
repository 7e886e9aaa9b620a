// Copyright 2026 The Thrombo Authors.
// report.html: one self-contained page (inline CSS, inline SVG charts, a few lines of inline
// script to sort the table; nothing fetched) built from the gaps rows in one pass, with memory
// bounded by the table's row limit, not by the number of patients.
#ifndef THROMBO_SERVICE_SCAN_REPORT_H_
#define THROMBO_SERVICE_SCAN_REPORT_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "service/scan/gap.h"
#include "service/scan/summary.h"

namespace thrombo::scan {

class ReportBuilder {
 public:
  // The table lists the `table_rows` most urgent patients with a gap (gap order, then patient id),
  // so the same rows give the same page whatever order they arrive in.
  explicit ReportBuilder(size_t table_rows = 2000) : table_rows_(table_rows) {}

  void Add(const GapRow& row);

  // The page. `bad_lines` are the first skipped lines to show (the full list is
  // bad_lines.ndjson).
  std::string Html(const ScanSummary& summary, const std::vector<BadLine>& bad_lines) const;

  int64_t total() const { return total_; }
  const std::map<Gap, int64_t>& by_gap() const { return by_gap_; }

 private:
  size_t table_rows_;
  int64_t total_ = 0;
  int64_t esa_hb_above_13_ = 0;
  int64_t tier_uncertain_ = 0;
  std::map<Gap, int64_t> by_gap_;
  std::map<std::string, std::map<Gap, int64_t>> by_tier_;  // IMPEDE decision tier -> gaps
  std::map<std::string, std::map<Gap, int64_t>> by_imid_;  // IMiD -> gaps
  std::map<std::string, int64_t> by_action_;
  std::map<std::string, int64_t> by_saved_tier_;
  // The table's order: gap, then patient id (ids are unique in a scan).
  using TableKey = std::pair<Gap, std::string>;
  using TableEntry = std::pair<TableKey, GapRow>;
  static bool MoreUrgent(const TableEntry& a, const TableEntry& b) { return a.first < b.first; }
  // The most urgent rows seen, at most table_rows_, as a max-heap under MoreUrgent: the least
  // urgent kept row is on top, where the next more urgent row replaces it in O(log n) moves.
  // (Kept sorted instead, every row arriving before the end of the table shifted the rows
  // after it: a tenth of a 5,000-patient scan's instructions, docs/benchmarks.md.) Html()
  // sorts the kept rows.
  std::vector<TableEntry> table_;
};

}  // namespace thrombo::scan

#endif  // THROMBO_SERVICE_SCAN_REPORT_H_
