// Copyright 2026 The Thrombo Authors.
#include "service/scan/report.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace thrombo::scan {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

GapRow Row(std::string patient_id, Gap gap) {
  GapRow row;
  row.patient_id = std::move(patient_id);
  row.gap = gap;
  row.imid = "lenalidomide";
  row.impede_tier = "HIGH";
  return row;
}

// The patient ids of the table's rows, top to bottom.
std::vector<std::string> TableIds(const std::string& html) {
  std::vector<std::string> ids;
  const std::string body_start = "<tbody>";
  const std::string row_start = "<tr><td>";
  size_t at = html.find(body_start);
  const size_t end = html.find("</tbody>");
  while (at != std::string::npos && (at = html.find(row_start, at)) != std::string::npos &&
         at < end) {
    at += row_start.size();
    ids.push_back(html.substr(at, html.find("</td>", at) - at));
  }
  return ids;
}

TEST(ReportBuilderTest, TableKeepsTheMostUrgentRowsInGapThenPatientOrder) {
  // Rows arrive by patient id (as the scan merges them), the urgent ones spread through.
  ReportBuilder report(/*table_rows=*/3);
  report.Add(Row("p1", Gap::kDataMissing));
  report.Add(Row("p2", Gap::kMissing));
  report.Add(Row("p3", Gap::kNone));
  report.Add(Row("p4", Gap::kInsufficient));
  report.Add(Row("p5", Gap::kHardStopUnaddressed));
  report.Add(Row("p6", Gap::kMissing));
  report.Add(Row("p7", Gap::kDataMissing));

  const std::string html = report.Html(ScanSummary{}, {});
  EXPECT_THAT(TableIds(html), ::testing::ElementsAre("p5", "p2", "p6"));
  EXPECT_THAT(html, HasSubstr("The 3 most urgent of 6;"));
  EXPECT_EQ(report.total(), 7);
}

TEST(ReportBuilderTest, TheSameRowsGiveTheSamePageInAnyOrder) {
  std::vector<GapRow> rows;
  for (int i = 0; i < 40; ++i) {
    rows.push_back(Row("patient-" + std::to_string(100 + i), static_cast<Gap>(i % 6)));
  }
  ReportBuilder forward(/*table_rows=*/10);
  for (const GapRow& row : rows) forward.Add(row);
  ReportBuilder backward(/*table_rows=*/10);
  for (auto it = rows.rbegin(); it != rows.rend(); ++it) backward.Add(*it);

  const std::string page = forward.Html(ScanSummary{}, {});
  EXPECT_EQ(page, backward.Html(ScanSummary{}, {}));
  // Seven rows per urgent gap: the ten most urgent are the hard stops, then the first three
  // patients missing prophylaxis.
  EXPECT_THAT(TableIds(page),
              ::testing::ElementsAre("patient-100", "patient-106", "patient-112", "patient-118",
                                     "patient-124", "patient-130", "patient-136", "patient-101",
                                     "patient-107", "patient-113"));
}

TEST(ReportBuilderTest, AllRowsWithAGapWhenTheyFit) {
  ReportBuilder report(/*table_rows=*/10);
  report.Add(Row("b", Gap::kMissing));
  report.Add(Row("a", Gap::kMissing));
  report.Add(Row("c", Gap::kNone));
  const std::string html = report.Html(ScanSummary{}, {});
  EXPECT_THAT(TableIds(html), ::testing::ElementsAre("a", "b"));
  EXPECT_THAT(html, HasSubstr("All 2. "));
  EXPECT_THAT(html, Not(HasSubstr("most urgent of")));
}

}  // namespace
}  // namespace thrombo::scan
