// The HTML report of one run (`ridesweep report`, `GET /runs/{run_id}/report`): one self-contained page - inline
// CSS, inline SVG charts generated in C++, one small inline script for time-series tooltips, no external resource -
// that works offline. It shows the run header, the shard table, line charts with min-max bands per varying
// dimension, heatmaps per pair of varying dimensions, the top configurations by health score with the score's
// components (in a replicated run one row per configuration: mean ± 95% interval, configuration_summary.h), and
// the snapshot counts of one point over time. Pure rendering of ReportData; thread-safe.
#ifndef RIDESWEEP_ANALYTICS_HTML_REPORT_H_
#define RIDESWEEP_ANALYTICS_HTML_REPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/base/status.h"

#include "ridesweep/analytics/report_data.h"

namespace ridesweep::analytics {

// What the stored results of a run allow the report to show.
enum class ReportState : uint8_t {
  kComplete,      // every known shard succeeded
  kPartial,       // some points committed, some shards failed or have no record yet
  kOnlyFailures,  // no committed point; at least one shard failed
  kEmpty,         // no committed point and no outcome record
};

// DO NOT CHANGE without updating tests/report: the state names (data-state of the page) and the messages the
// report and the CLI show for runs without charts.
inline constexpr std::string_view kEmptyRunMessage =
    "This run has no results yet: no shard has written an outcome record and no point has been committed.";
inline constexpr std::string_view kOnlyFailuresMessage =
    "No point of this run succeeded: every shard that finished failed. The shard table shows the errors.";

ReportState StateOf(const ReportData& data);
std::string_view ReportStateName(ReportState state);  // "complete", "partial", "only_failures", "empty"
// One line for people: the two messages above, the partial-results line, or "" when complete.
std::string ReportStateMessage(const ReportData& data);

struct HtmlReportOptions {
  size_t top_n = 10;
  // What the charts show: metric columns (`--metrics`; empty: the five charted metrics) and dimension names
  // (`--dimensions`; empty: line charts for every varying dimension and heatmaps for the max_pairs most
  // influential pairs, report/pair_influence.h; given: line charts for them and heatmaps for every pair of them).
  std::vector<std::string> metrics;
  std::vector<std::string> dimensions;
  size_t max_pairs = 3;
  sim::HealthWeights weights;  // the weights the scores were computed with (for the components' headers)
  std::string source_note;     // where the numbers came from, shown in the footer (e.g. the datasets root)
};

// The metric columns the report can chart, in display order.
std::vector<std::string> ReportMetricNames();

// InvalidArgument `unknown metric '<m>' for --metrics; the report charts <list>` for a metric the report does not
// chart.
Status CheckReportMetrics(const std::vector<std::string>& metrics);

// InvalidArgument `unknown dimension '<d>' for --dimensions; run <R> varies <list>` for a name that is not a
// varying dimension of the run.
Status CheckReportDimensions(const ReportData& data, const std::vector<std::string>& dimensions);

// REQUIRES: options.metrics and options.dimensions passed the two checks above.
std::string RenderHtmlReport(const ReportData& data, const HtmlReportOptions& options = {});

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_HTML_REPORT_H_
