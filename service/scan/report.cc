// Copyright 2026 The Thrombo Authors.
#include "service/scan/report.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace thrombo::scan {
namespace {

constexpr Gap kGaps[] = {Gap::kHardStopUnaddressed,          Gap::kMissing,     Gap::kInsufficient,
                         Gap::kPossiblyCurrentAnticoagulant, Gap::kDataMissing, Gap::kNone};

const char* Colour(Gap gap) {
  switch (gap) {
    case Gap::kHardStopUnaddressed:
      return "#b2182b";
    case Gap::kMissing:
      return "#ef8a62";
    case Gap::kInsufficient:
      return "#fddb76";
    case Gap::kPossiblyCurrentAnticoagulant:
      return "#9e9ac8";
    case Gap::kDataMissing:
      return "#bababa";
    case Gap::kNone:
      return "#67a9cf";
  }
  return "#999";
}

const char* Label(Gap gap) {
  switch (gap) {
    case Gap::kHardStopUnaddressed:
      return "Hard stop, drug still on record";
    case Gap::kMissing:
      return "No prophylaxis";
    case Gap::kInsufficient:
      return "Less than the tier calls for";
    case Gap::kPossiblyCurrentAnticoagulant:
      return "Anticoagulant possibly current";
    case Gap::kDataMissing:
      return "Depends on missing data";
    case Gap::kNone:
      return "Covered";
  }
  return "";
}

std::string Escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string Percent(int64_t part, int64_t whole) {
  return whole == 0 ? "0%" : absl::StrFormat("%.1f%%", 100.0 * part / whole);
}

// Horizontal stacked bars, one per category, segments by gap; counts at the right.
std::string StackedBars(const std::vector<std::pair<std::string, std::map<Gap, int64_t>>>& bars) {
  int64_t widest = 1;
  for (const auto& [name, gaps] : bars) {
    int64_t sum = 0;
    for (const auto& [gap, n] : gaps) sum += n;
    widest = std::max(widest, sum);
  }
  const int label_w = 240, bar_w = 560, row_h = 30;
  std::string svg = absl::StrFormat(
      "<svg role=\"img\" width=\"%d\" height=\"%d\" xmlns=\"http://www.w3.org/2000/svg\">",
      label_w + bar_w + 90, static_cast<int>(bars.size()) * row_h + 4);
  for (size_t i = 0; i < bars.size(); ++i) {
    const int y = static_cast<int>(i) * row_h + 2;
    absl::StrAppend(&svg, absl::StrFormat("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                                          label_w - 8, y + 18, Escape(bars[i].first)));
    double x = label_w;
    int64_t sum = 0;
    for (Gap gap : kGaps) {
      const auto it = bars[i].second.find(gap);
      if (it == bars[i].second.end() || it->second == 0) continue;
      const double w = static_cast<double>(bar_w) * it->second / widest;
      absl::StrAppend(&svg,
                      absl::StrFormat("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"22\" "
                                      "fill=\"%s\"><title>%s: %d</title></rect>",
                                      x, y, w, Colour(gap), Label(gap), it->second));
      x += w;
      sum += it->second;
    }
    absl::StrAppend(&svg,
                    absl::StrFormat("<text x=\"%.1f\" y=\"%d\">%d</text>", x + 6, y + 18, sum));
  }
  absl::StrAppend(&svg, "</svg>");
  return svg;
}

std::string Legend() {
  std::string html = "<div class=\"legend\">";
  for (Gap gap : kGaps) {
    absl::StrAppend(&html, "<span><i style=\"background:", Colour(gap), "\"></i>", Label(gap),
                    "</span>");
  }
  return html + "</div>";
}

constexpr char kStyle[] = R"(
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px 32px;color:#222;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
.sub{color:#555;margin:0 0 16px}
.tiles{display:flex;gap:12px;flex-wrap:wrap}
.tile{border:1px solid #ddd;border-radius:6px;padding:10px 14px;min-width:150px}
.tile b{display:block;font-size:26px}.tile.alert b{color:#b2182b}
.legend span{margin-right:14px;white-space:nowrap}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
svg text{font-size:13px;fill:#222}
table{border-collapse:collapse;width:100%;font-size:12.5px}
th,td{border-bottom:1px solid #e4e4e4;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f4f4f4;cursor:pointer;position:sticky;top:0}
th.sorted-asc::after{content:" \25B2"}th.sorted-desc::after{content:" \25BC"}
td.num{text-align:right}.scroll{overflow-x:auto;max-height:900px;overflow-y:auto}
.sortable td:first-child{font-family:monospace;font-size:11.5px;max-width:120px;overflow-wrap:anywhere}.note{color:#666;font-size:12px}
)";

// Sorts a table by the clicked column; numbers numerically, text alphabetically.
constexpr char kScript[] = R"(
document.querySelectorAll('table.sortable th').forEach(function(th,col){
 th.addEventListener('click',function(){
  var table=th.closest('table'),body=table.tBodies[0],rows=Array.from(body.rows);
  var asc=!th.classList.contains('sorted-asc');
  table.querySelectorAll('th').forEach(function(h){h.classList.remove('sorted-asc','sorted-desc');});
  th.classList.add(asc?'sorted-asc':'sorted-desc');
  rows.sort(function(a,b){
   var x=a.cells[col].dataset.v||a.cells[col].textContent,y=b.cells[col].dataset.v||b.cells[col].textContent;
   var nx=parseFloat(x),ny=parseFloat(y);
   var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);
   return asc?c:-c;});
  rows.forEach(function(r){body.appendChild(r);});
 });
});
)";

}  // namespace

void ReportBuilder::Add(const GapRow& row) {
  ++total_;
  ++by_gap_[row.gap];
  ++by_tier_[row.impede_tier][row.gap];
  ++by_imid_[row.imid.empty() ? "unnamed" : row.imid][row.gap];
  ++by_action_[row.action];
  ++by_saved_tier_[row.saved_tier];
  if (row.esa_hb_above_13) ++esa_hb_above_13_;
  if (!row.impede_tier_certain || !row.saved_tier_certain) ++tier_uncertain_;
  if (row.gap == Gap::kNone || table_rows_ == 0) return;
  TableKey key(row.gap, row.patient_id);
  if (table_.size() == table_rows_) {
    if (!(key < table_.front().first)) return;
    std::pop_heap(table_.begin(), table_.end(), MoreUrgent);
    table_.pop_back();
  }
  table_.emplace_back(std::move(key), row);
  std::push_heap(table_.begin(), table_.end(), MoreUrgent);
}

std::string ReportBuilder::Html(const ScanSummary& summary,
                                const std::vector<BadLine>& bad_lines) const {
  auto count = [this](Gap gap) {
    const auto it = by_gap_.find(gap);
    return it == by_gap_.end() ? int64_t{0} : it->second;
  };
  const int64_t uncovered =
      count(Gap::kHardStopUnaddressed) + count(Gap::kMissing) + count(Gap::kInsufficient);
  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>VTE prophylaxis gaps: patients on an IMiD</title><style>",
      kStyle,
      "</style></head><body>\n<h1>VTE prophylaxis gaps: patients on an IMiD</h1>\n"
      "<p class=\"sub\">Every patient of the export with an active thalidomide, lenalidomide or "
      "pomalidomide, assessed as of ",
      Escape(summary.now),
      " by the same engine as the CDS card (risk tiers IMPEDE VTE, SAVED and IMWG 2008; "
      "recommendation by thrombo policy v1.1). A gap is read off the engine's recommendation "
      "and the prophylaxis on record.</p>\n<div class=\"tiles\">");
  auto tile = [&html](const std::string& title, int64_t n, const std::string& note, bool alert) {
    absl::StrAppend(&html, "<div class=\"tile", alert ? " alert" : "", "\"><b>", n, "</b>",
                    Escape(title), "<div class=\"note\">", Escape(note), "</div></div>");
  };
  tile("patients on an IMiD", total_, absl::StrCat("of ", summary.patients, " patients"), false);
  tile("without adequate prophylaxis", uncovered,
       absl::StrCat(Percent(uncovered, total_), ": none, too little, or a hard stop ignored"),
       uncovered > 0);
  tile("hard stop, drug on record", count(Gap::kHardStopUnaddressed),
       "platelets < 50, bleeding or HIT while on a drug", count(Gap::kHardStopUnaddressed) > 0);
  tile("ESA with Hb > 13 g/dL", esa_hb_above_13_, "stop the ESA (Revlimid EU SmPC)",
       esa_hb_above_13_ > 0);
  tile("need data first", count(Gap::kDataMissing) + count(Gap::kPossiblyCurrentAnticoagulant),
       "missing data, or an anticoagulant possibly current", false);
  absl::StrAppend(&html, "</div>\n<h2>Gaps</h2>", Legend());
  std::vector<std::pair<std::string, std::map<Gap, int64_t>>> bars;
  for (Gap gap : kGaps) bars.push_back({Label(gap), {{gap, count(gap)}}});
  absl::StrAppend(&html, StackedBars(bars));

  bars.clear();
  for (const char* tier : {"HIGH", "INTERMEDIATE", "LOW"}) {
    const auto it = by_tier_.find(tier);
    bars.push_back({tier, it == by_tier_.end() ? std::map<Gap, int64_t>{} : it->second});
  }
  for (const auto& [tier, gaps] : by_tier_) {
    if (tier != "HIGH" && tier != "INTERMEDIATE" && tier != "LOW") bars.push_back({tier, gaps});
  }
  absl::StrAppend(&html, "\n<h2>Gap by risk tier (IMPEDE VTE decision tier)</h2>",
                  StackedBars(bars),
                  absl::StrFormat("<p class=\"note\">%d patients (%s) have a tier that missing "
                                  "data could change.</p>",
                                  tier_uncertain_, Percent(tier_uncertain_, total_)));
  bars.assign(by_imid_.begin(), by_imid_.end());
  absl::StrAppend(&html, "\n<h2>Gap by IMiD</h2>", StackedBars(bars));

  absl::StrAppend(&html,
                  "\n<h2>Tier distribution and recommended action</h2><table "
                  "style=\"width:auto\"><tr><th>IMPEDE VTE tier</th><th>patients</th>"
                  "<th>SAVED tier</th><th>patients</th><th>action</th><th>patients</th>"
                  "</tr>");
  std::vector<std::pair<std::string, int64_t>> tiers, saved, actions;
  for (const auto& [tier, gaps] : by_tier_) {
    int64_t n = 0;
    for (const auto& [gap, c] : gaps) n += c;
    tiers.push_back({tier, n});
  }
  saved.assign(by_saved_tier_.begin(), by_saved_tier_.end());
  actions.assign(by_action_.begin(), by_action_.end());
  const size_t rows = std::max({tiers.size(), saved.size(), actions.size()});
  for (size_t i = 0; i < rows; ++i) {
    absl::StrAppend(&html, "<tr>");
    for (const auto* column : {&tiers, &saved, &actions}) {
      if (i < column->size()) {
        absl::StrAppend(&html, "<td>", Escape((*column)[i].first), "</td><td class=\"num\">",
                        (*column)[i].second, " (", Percent((*column)[i].second, total_), ")</td>");
      } else {
        absl::StrAppend(&html, "<td></td><td></td>");
      }
    }
    absl::StrAppend(&html, "</tr>");
  }
  absl::StrAppend(&html, "</table>");

  const int64_t with_gap = total_ - count(Gap::kNone);
  absl::StrAppend(&html, "\n<h2>Patients with a gap</h2><p class=\"note\">",
                  table_.size() < static_cast<size_t>(with_gap)
                      ? absl::StrCat("The ", table_.size(), " most urgent of ", with_gap,
                                     "; every patient is in gaps.csv. ")
                      : absl::StrCat("All ", with_gap, ". "),
                  "Click a column to sort.</p>\n<div class=\"scroll\"><table "
                  "class=\"sortable\"><thead><tr><th>patient</th>"
                  "<th>gap</th><th>why</th><th>IMiD</th><th>IMPEDE</th><th>tier</th><th>SAVED</th>"
                  "<th>action</th><th>recommended</th><th>on record</th><th>hard stops</th>"
                  "<th>platelets</th><th>CrCl</th><th>Hb</th></tr></thead><tbody>\n");
  std::vector<const TableEntry*> table_order;
  table_order.reserve(table_.size());
  for (const TableEntry& entry : table_) table_order.push_back(&entry);
  std::sort(table_order.begin(), table_order.end(),
            [](const TableEntry* a, const TableEntry* b) { return MoreUrgent(*a, *b); });
  for (const TableEntry* entry : table_order) {
    const GapRow& row = entry->second;
    const int rank = static_cast<int>(row.gap);
    absl::StrAppend(
        &html, "<tr><td>", Escape(row.patient_id), "</td><td data-v=\"", rank, "\">",
        Escape(GapName(row.gap)), "</td><td>", Escape(row.gap_reason), "</td><td>",
        Escape(row.imid), "</td><td class=\"num\">", row.impede_decision_points, "</td><td>",
        Escape(row.impede_tier), row.impede_tier_certain ? "" : "?", "</td><td class=\"num\">",
        row.saved_points, "</td><td>", Escape(row.action), "</td><td>", Escape(row.recommended),
        "</td><td>", Escape(row.current_prophylaxis), "</td><td>", Escape(row.hard_stops),
        "</td><td class=\"num\">", Escape(row.platelets), "</td><td class=\"num\">",
        Escape(row.creatinine_clearance), "</td><td class=\"num\">", Escape(row.hemoglobin_g_dl),
        row.esa_hb_above_13 ? " (ESA)" : "", "</td></tr>\n");
  }
  absl::StrAppend(&html, "</tbody></table></div>\n");

  absl::StrAppend(&html, "<h2>Input</h2><p>", summary.files, " files, ",
                  absl::StrFormat("%.1f", summary.bytes / 1e6), " MB, ", summary.lines, " lines, ",
                  summary.resources, " resources read, ", summary.patients, " patients assessed. ",
                  summary.bad_lines, " lines skipped as unreadable; ",
                  summary.unknown_patient_resources,
                  " resources name a patient the export does not hold; ", summary.assess_errors,
                  " patients could not be assessed.</p>");
  if (!summary.skipped_types.empty() || !summary.bad_by_reason.empty()) {
    absl::StrAppend(&html, "<ul>");
    for (const auto& [type, n] : summary.skipped_types) {
      absl::StrAppend(&html, "<li>", n, " ", Escape(type), " (not read by the engine)</li>");
    }
    for (const auto& [reason, n] : summary.bad_by_reason) {
      absl::StrAppend(&html, "<li>", n, " skipped: ", Escape(reason), "</li>");
    }
    absl::StrAppend(&html, "</ul>");
  }
  if (!bad_lines.empty()) {
    absl::StrAppend(&html,
                    "<table class=\"sortable\"><thead><tr><th>file</th><th>line</th>"
                    "<th>FHIR path</th><th>error</th></tr></thead><tbody>");
    for (const BadLine& bad : bad_lines) {
      absl::StrAppend(&html, "<tr><td>", Escape(bad.file), "</td><td class=\"num\">", bad.line,
                      "</td><td>", Escape(bad.path), "</td><td>", Escape(bad.error), "</td></tr>");
    }
    absl::StrAppend(&html,
                    "</tbody></table><p class=\"note\">Every skipped line is in "
                    "bad_lines.ndjson.</p>");
  }
  absl::StrAppend(&html, "\n<script>", kScript, "</script>\n</body></html>\n");
  return html;
}

}  // namespace thrombo::scan
