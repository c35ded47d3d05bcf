// Means, minima and maxima of point metrics per dimension value and per pair of values.
#include "report/dimension_aggregates.h"

#include <algorithm>

namespace ridesweep::analytics::report {
namespace {

void Add(std::optional<CellStats>& cell, double value, double& sum) {
  if (!cell) {
    cell = CellStats{1, value, value, value};
    sum = value;
    return;
  }
  cell->count += 1;
  cell->min = std::min(cell->min, value);
  cell->max = std::max(cell->max, value);
  sum += value;
}

}  // namespace

PointCoordinates LocatePoints(const std::vector<ReportDimension>& dimensions,
                              const std::vector<ScoredConfiguration>& points) {
  PointCoordinates coordinates(points.size(), std::vector<std::optional<size_t>>(dimensions.size()));
  for (size_t p = 0; p < points.size(); ++p) {
    for (const DimensionValue& value : points[p].dimensions) {
      for (size_t d = 0; d < dimensions.size(); ++d) {
        if (dimensions[d].name != value.name) continue;
        const std::vector<std::string>& values = dimensions[d].values_json;
        const auto it = std::find(values.begin(), values.end(), value.value_json);
        if (it != values.end()) coordinates[p][d] = static_cast<size_t>(it - values.begin());
      }
    }
  }
  return coordinates;
}

std::vector<std::optional<CellStats>> AggregateByValue(const PointCoordinates& coordinates,
                                                       const std::vector<ScoredConfiguration>& points,
                                                       const std::vector<ReportDimension>& dimensions, size_t dim,
                                                       const ReportMetric& metric) {
  const size_t n = dimensions[dim].values_json.size();
  std::vector<std::optional<CellStats>> cells(n);
  std::vector<double> sums(n, 0.0);
  for (size_t p = 0; p < points.size(); ++p) {
    const std::optional<size_t> at = coordinates[p][dim];
    const std::optional<double> value = StoredValue(metric, points[p].metrics);
    if (!at || !value) continue;  // A missing value (nothing to average) is left out of the mean.
    Add(cells[*at], *value, sums[*at]);
  }
  for (size_t i = 0; i < n; ++i) {
    if (cells[i]) cells[i]->mean = sums[i] / static_cast<double>(cells[i]->count);
  }
  return cells;
}

std::vector<std::vector<std::optional<CellStats>>> AggregateByPair(const PointCoordinates& coordinates,
                                                                   const std::vector<ScoredConfiguration>& points,
                                                                   const std::vector<ReportDimension>& dimensions,
                                                                   size_t x, size_t y, const ReportMetric& metric) {
  const size_t nx = dimensions[x].values_json.size();
  const size_t ny = dimensions[y].values_json.size();
  std::vector<std::vector<std::optional<CellStats>>> cells(ny, std::vector<std::optional<CellStats>>(nx));
  std::vector<std::vector<double>> sums(ny, std::vector<double>(nx, 0.0));
  for (size_t p = 0; p < points.size(); ++p) {
    const std::optional<size_t> at_x = coordinates[p][x];
    const std::optional<size_t> at_y = coordinates[p][y];
    const std::optional<double> value = StoredValue(metric, points[p].metrics);
    if (!at_x || !at_y || !value) continue;
    Add(cells[*at_y][*at_x], *value, sums[*at_y][*at_x]);
  }
  for (size_t j = 0; j < ny; ++j) {
    for (size_t i = 0; i < nx; ++i) {
      if (cells[j][i]) cells[j][i]->mean = sums[j][i] / static_cast<double>(cells[j][i]->count);
    }
  }
  return cells;
}

std::string AggregationLabel(const std::vector<ReportDimension>& dimensions, const std::vector<size_t>& used) {
  std::string names;
  size_t combinations = 1;
  size_t others = 0;
  for (size_t d = 0; d < dimensions.size(); ++d) {
    if (!dimensions[d].varies() || std::find(used.begin(), used.end(), d) != used.end()) continue;
    names += (names.empty() ? "" : " \u00d7 ") + dimensions[d].name;
    combinations *= dimensions[d].values_json.size();
    ++others;
  }
  if (others == 0) return "one point per cell";
  return "mean over " + names + " (" + std::to_string(combinations) + (others == 1 ? " values)" : " combinations)");
}

}  // namespace ridesweep::analytics::report
