// Aggregation of point metrics over the dimensions of a sweep, for the report's charts: per value of one dimension
// (line charts with min-max bands) or per pair of values of two dimensions (heatmaps), each cell the mean, minimum
// and maximum over the committed points with those values - that is, averaged over every other dimension. Cells
// without a committed point (failed or missing shards) stay empty. Pure functions; thread-safe.
#ifndef RIDESWEEP_ANALYTICS_REPORT_DIMENSION_AGGREGATES_H_
#define RIDESWEEP_ANALYTICS_REPORT_DIMENSION_AGGREGATES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "report/report_metrics.h"
#include "ridesweep/analytics/report_data.h"

namespace ridesweep::analytics::report {

struct CellStats {
  size_t count = 0;
  double mean = 0.0;
  double min = 0.0;
  double max = 0.0;
};

// Position of each point's value on each dimension: coordinates[point][dimension], nullopt when the point has no
// value for that dimension or a value the dimension does not list.
using PointCoordinates = std::vector<std::vector<std::optional<size_t>>>;
PointCoordinates LocatePoints(const std::vector<ReportDimension>& dimensions,
                              const std::vector<ScoredConfiguration>& points);

// cells[value] of dimension `dim`.
std::vector<std::optional<CellStats>> AggregateByValue(const PointCoordinates& coordinates,
                                                       const std::vector<ScoredConfiguration>& points,
                                                       const std::vector<ReportDimension>& dimensions, size_t dim,
                                                       const ReportMetric& metric);

// cells[y value][x value] of dimensions x and y.
std::vector<std::vector<std::optional<CellStats>>> AggregateByPair(const PointCoordinates& coordinates,
                                                                   const std::vector<ScoredConfiguration>& points,
                                                                   const std::vector<ReportDimension>& dimensions,
                                                                   size_t x, size_t y, const ReportMetric& metric);

// Names what a cell aggregates, e.g. "mean over num_riders (2 values)", "mean over num_riders × surge_enabled
// (6 combinations)", or "one point per cell" when no other dimension varies. `used` are the charted dimensions.
std::string AggregationLabel(const std::vector<ReportDimension>& dimensions, const std::vector<size_t>& used);

}  // namespace ridesweep::analytics::report

#endif  // RIDESWEEP_ANALYTICS_REPORT_DIMENSION_AGGREGATES_H_
