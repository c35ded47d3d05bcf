// The charted metrics of the HTML report.
#include "report/report_metrics.h"

#include "report/html_text.h"

namespace ridesweep::analytics::report {
namespace {

constexpr ReportMetric kMetrics[] = {
    {"conversion_rate", "Conversion rate", "%", 100.0, false,
     [](const sim::PointMetrics& m) -> std::optional<double> { return m.conversion_rate; }},
    {"platform_revenue", "Platform revenue", "", 1.0, false,
     [](const sim::PointMetrics& m) -> std::optional<double> { return m.platform_revenue; }},
    {"driver_payouts", "Driver payouts", "", 1.0, false,
     [](const sim::PointMetrics& m) -> std::optional<double> { return m.driver_payouts; }},
    {"avg_time_to_match_ms", "Avg time to match", "s", 0.001, true,
     [](const sim::PointMetrics& m) { return m.avg_time_to_match_ms; }},
    {"avg_time_to_pickup_ms", "Avg time to pickup", "s", 0.001, true,
     [](const sim::PointMetrics& m) { return m.avg_time_to_pickup_ms; }},
};

}  // namespace

std::span<const ReportMetric> ReportMetrics() { return kMetrics; }

std::optional<double> StoredValue(const ReportMetric& metric, const sim::PointMetrics& point) {
  return metric.value(point);
}

std::string FormatDisplayed(const ReportMetric& metric, double stored_value) {
  std::string text = FormatCompact(stored_value * metric.display_scale);
  if (!metric.unit.empty()) text += " " + std::string(metric.unit);
  return text;
}

}  // namespace ridesweep::analytics::report
