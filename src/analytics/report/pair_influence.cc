// Ranking dimension pairs by the variance of their cell means.
#include "report/pair_influence.h"

#include <algorithm>
#include <map>
#include <optional>

namespace ridesweep::analytics::report {
namespace {

double Variance(const std::vector<double>& values) {
  if (values.size() < 2) return 0;
  double mean = 0;
  for (double v : values) mean += v;
  mean /= static_cast<double>(values.size());
  double squares = 0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return squares / static_cast<double>(values.size());
}

// Means of the metric per configuration (points with equal coordinates on every dimension).
std::vector<double> ConfigurationMeans(const PointCoordinates& coordinates,
                                       const std::vector<ScoredConfiguration>& points, const ReportMetric& metric) {
  std::map<std::vector<std::optional<size_t>>, std::pair<double, size_t>> sums;
  for (size_t p = 0; p < points.size(); ++p) {
    const std::optional<double> value = StoredValue(metric, points[p].metrics);
    if (!value) continue;
    auto& [sum, n] = sums[coordinates[p]];
    sum += *value;
    ++n;
  }
  std::vector<double> means;
  means.reserve(sums.size());
  for (const auto& [key, sum_n] : sums) means.push_back(sum_n.first / static_cast<double>(sum_n.second));
  return means;
}

}  // namespace

std::vector<PairInfluence> RankPairsByInfluence(const PointCoordinates& coordinates,
                                                const std::vector<ScoredConfiguration>& points,
                                                const std::vector<ReportDimension>& dimensions,
                                                const std::vector<size_t>& candidates,
                                                const std::vector<const ReportMetric*>& metrics) {
  std::vector<double> total(metrics.size());
  for (size_t m = 0; m < metrics.size(); ++m) total[m] = Variance(ConfigurationMeans(coordinates, points, *metrics[m]));
  std::vector<PairInfluence> pairs;
  for (size_t a = 0; a < candidates.size(); ++a) {
    for (size_t b = a + 1; b < candidates.size(); ++b) {
      PairInfluence pair{candidates[a], candidates[b], 0};
      for (size_t m = 0; m < metrics.size() && !metrics.empty(); ++m) {
        if (total[m] <= 0) continue;
        std::vector<double> means;
        for (const auto& row : AggregateByPair(coordinates, points, dimensions, pair.x, pair.y, *metrics[m])) {
          for (const auto& cell : row) {
            if (cell) means.push_back(cell->mean);
          }
        }
        pair.influence += Variance(means) / total[m];
      }
      if (!metrics.empty()) pair.influence /= static_cast<double>(metrics.size());
      pairs.push_back(pair);
    }
  }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const PairInfluence& l, const PairInfluence& r) { return l.influence > r.influence; });
  return pairs;
}

}  // namespace ridesweep::analytics::report
