// Aggregation of point metrics over the dimensions of a sweep, for the report's charts: per value of one dimension
// (line charts) or per pair of values of two dimensions (heatmaps), each cell the mean, minimum and maximum over
// the committed points with those values - that is, averaged over every other dimension and every replicate - and,
// for replicated runs, the 95% interval of that mean over replicates. A configuration is a set of points with the
// same value on every dimension (its replicates). With configurations c of n_c replicates (N in all), sample
// variance s_c² and the other dimensions held at their swept values, the cell mean Σ n_c·mean_c / N has variance
// Σ n_c·s_c² / N², and the interval is mean ± t(0.975, Σ(n_c − 1))·√(that); it exists only when every
// configuration of the cell has at least two replicates. Cells without a committed point (failed or missing
// shards) stay empty. Pure functions; thread-safe.
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
  CellStats() = default;
  CellStats(size_t count_in, double mean_in, double min_in, double max_in)
      : count(count_in), mean(mean_in), min(min_in), max(max_in) {}

  size_t count = 0;           // points with a value
  double mean = 0.0;
  double min = 0.0;
  double max = 0.0;
  size_t configurations = 0;  // distinct configurations among them
  std::optional<double> half_width;  // 95% interval over replicates (see above); none without replicates
};

// The interval of the cell mean from its configurations' values (one vector of replicate values each), as
// described above; none when a configuration has fewer than two values.
std::optional<double> ReplicateHalfWidth(const std::vector<std::vector<double>>& configurations);

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
