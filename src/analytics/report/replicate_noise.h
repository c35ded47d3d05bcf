// The report's noise line: for each charted metric, the median over configurations (replicates grouped by equal
// dimension values) of the 95% Student-t interval half-width divided by the absolute mean, i.e. how far one
// configuration's mean can be trusted, in percent of itself. Configurations with fewer than two values or a zero
// mean do not count. Pure functions; thread-safe.
#ifndef RIDESWEEP_ANALYTICS_REPORT_REPLICATE_NOISE_H_
#define RIDESWEEP_ANALYTICS_REPORT_REPLICATE_NOISE_H_

#include <cstddef>
#include <optional>
#include <vector>

#include "report/report_metrics.h"
#include "ridesweep/analytics/report_data.h"

namespace ridesweep::analytics::report {

struct MetricNoise {
  const ReportMetric* metric = nullptr;
  size_t configurations = 0;               // configurations that count
  std::optional<double> median_relative;   // half-width / |mean| (0.021 = 2.1 %); none when none counts
};

std::vector<MetricNoise> ReplicateNoise(const std::vector<ScoredConfiguration>& points,
                                        const std::vector<const ReportMetric*>& metrics);

}  // namespace ridesweep::analytics::report

#endif  // RIDESWEEP_ANALYTICS_REPORT_REPLICATE_NOISE_H_
