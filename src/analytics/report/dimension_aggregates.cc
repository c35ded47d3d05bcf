// Means, minima, maxima and replicate intervals of point metrics per dimension value and per pair of values.
#include "report/dimension_aggregates.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>

#include "ridesweep/analytics/configuration_summary.h"

namespace ridesweep::analytics::report {
namespace {

// Values of one cell, by configuration (the point's coordinates on every dimension).
using CellValues = std::map<std::vector<std::optional<size_t>>, std::vector<double>>;

std::optional<CellStats> Finish(const CellValues& values) {
  if (values.empty()) return std::nullopt;
  CellStats cell;
  double sum = 0;
  bool first = true;
  std::vector<std::vector<double>> groups;
  groups.reserve(values.size());
  for (const auto& [key, group] : values) {
    for (double v : group) {
      cell.min = first ? v : std::min(cell.min, v);
      cell.max = first ? v : std::max(cell.max, v);
      first = false;
      sum += v;
      ++cell.count;
    }
    groups.push_back(group);
  }
  cell.mean = sum / static_cast<double>(cell.count);
  cell.configurations = values.size();
  cell.half_width = ReplicateHalfWidth(groups);
  return cell;
}

}  // namespace

std::optional<double> ReplicateHalfWidth(const std::vector<std::vector<double>>& configurations) {
  double weighted_variance = 0;  // Σ n_c·s_c²
  uint64_t df = 0;
  size_t total = 0;
  for (const std::vector<double>& values : configurations) {
    if (values.size() < 2) return std::nullopt;
    double mean = 0;
    for (double v : values) mean += v;
    mean /= static_cast<double>(values.size());
    double squares = 0;
    for (double v : values) squares += (v - mean) * (v - mean);
    const double n = static_cast<double>(values.size());
    weighted_variance += n * squares / (n - 1);
    df += values.size() - 1;
    total += values.size();
  }
  if (total == 0) return std::nullopt;
  return StudentT975(df) * std::sqrt(weighted_variance) / static_cast<double>(total);
}

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
  std::vector<CellValues> values(n);
  for (size_t p = 0; p < points.size(); ++p) {
    const std::optional<size_t> at = coordinates[p][dim];
    const std::optional<double> value = StoredValue(metric, points[p].metrics);
    if (!at || !value) continue;  // A missing value (nothing to average) is left out of the mean.
    values[*at][coordinates[p]].push_back(*value);
  }
  std::vector<std::optional<CellStats>> cells(n);
  for (size_t i = 0; i < n; ++i) cells[i] = Finish(values[i]);
  return cells;
}

std::vector<std::vector<std::optional<CellStats>>> AggregateByPair(const PointCoordinates& coordinates,
                                                                   const std::vector<ScoredConfiguration>& points,
                                                                   const std::vector<ReportDimension>& dimensions,
                                                                   size_t x, size_t y, const ReportMetric& metric) {
  const size_t nx = dimensions[x].values_json.size();
  const size_t ny = dimensions[y].values_json.size();
  std::vector<std::vector<CellValues>> values(ny, std::vector<CellValues>(nx));
  for (size_t p = 0; p < points.size(); ++p) {
    const std::optional<size_t> at_x = coordinates[p][x];
    const std::optional<size_t> at_y = coordinates[p][y];
    const std::optional<double> value = StoredValue(metric, points[p].metrics);
    if (!at_x || !at_y || !value) continue;
    values[*at_y][*at_x][coordinates[p]].push_back(*value);
  }
  std::vector<std::vector<std::optional<CellStats>>> cells(ny, std::vector<std::optional<CellStats>>(nx));
  for (size_t j = 0; j < ny; ++j) {
    for (size_t i = 0; i < nx; ++i) cells[j][i] = Finish(values[j][i]);
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
