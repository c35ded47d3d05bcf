// The five point metrics the report charts (conversion rate, platform revenue, driver payouts, average time to
// match, average time to pickup): their column names in shard_metrics, titles, display units and how a stored value
// becomes a displayed one. One table, so every chart, legend and tooltip labels a metric the same way.
#ifndef RIDESWEEP_ANALYTICS_REPORT_REPORT_METRICS_H_
#define RIDESWEEP_ANALYTICS_REPORT_REPORT_METRICS_H_

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ridesweep/sim/records.h"

namespace ridesweep::analytics::report {

struct ReportMetric {
  std::string_view column;  // shard_metrics column, e.g. "conversion_rate"; also the charts' data-metric
  std::string_view title;   // "Conversion rate"
  std::string_view unit;    // display unit after scaling: "%", "", "s"
  double display_scale;     // displayed = stored × display_scale (rate → %, ms → s)
  bool lower_is_better;
  std::optional<double> (*value)(const sim::PointMetrics&);  // Missing when the point has nothing to average.
};

// In display order.
std::span<const ReportMetric> ReportMetrics();

// The stored value of `metric` for one point; none when missing (a time metric of a point that served no one).
std::optional<double> StoredValue(const ReportMetric& metric, const sim::PointMetrics& point);

// A displayed value with its unit and about three significant digits: "22.1 %", "208", "318 s".
std::string FormatDisplayed(const ReportMetric& metric, double stored_value);

}  // namespace ridesweep::analytics::report

#endif  // RIDESWEEP_ANALYTICS_REPORT_REPORT_METRICS_H_
