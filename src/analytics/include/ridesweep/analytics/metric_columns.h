// The numeric metrics of a point as named columns: the shard_metrics columns a configuration summary reduces
// (every metric except the `truncated` flag), in shard_metrics column order, each read from sim::PointMetrics as
// an optional double (absent where the table holds NULL: a time metric of a point that served no one, or a model
// v2 metric of a point stored before it existed). Immutable; thread-safe.
#ifndef RIDESWEEP_ANALYTICS_METRIC_COLUMNS_H_
#define RIDESWEEP_ANALYTICS_METRIC_COLUMNS_H_

#include <optional>
#include <span>
#include <string_view>

#include "ridesweep/sim/records.h"

namespace ridesweep::analytics {

struct MetricColumn {
  std::string_view name;  // the shard_metrics column
  std::optional<double> (*value)(const sim::PointMetrics& metrics);
};

std::span<const MetricColumn> MetricColumns();

// nullptr when `name` is not one of MetricColumns().
const MetricColumn* FindMetricColumn(std::string_view name);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_METRIC_COLUMNS_H_
