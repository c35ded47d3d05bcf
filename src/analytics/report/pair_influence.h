// Which pairs of dimensions the report maps by default: the most influential ones. The influence of a pair on a
// metric is the variance of its heatmap's cell means (cells weighted equally) divided by the variance of the
// configuration means (replicates averaged) of the metric — the share of the spread between configurations the
// pair accounts for, between 0 and about 1; a pair's influence is the average over the charted metrics (metrics
// without spread count 0). Pure functions; thread-safe.
#ifndef RIDESWEEP_ANALYTICS_REPORT_PAIR_INFLUENCE_H_
#define RIDESWEEP_ANALYTICS_REPORT_PAIR_INFLUENCE_H_

#include <cstddef>
#include <vector>

#include "report/dimension_aggregates.h"
#include "report/report_metrics.h"

namespace ridesweep::analytics::report {

struct PairInfluence {
  size_t x = 0;  // dimension positions, x < y
  size_t y = 0;
  double influence = 0;
};

// Every pair of `candidates` (dimension positions, ascending), most influential first; ties keep the order of
// the pairs (x, then y, ascending).
std::vector<PairInfluence> RankPairsByInfluence(const PointCoordinates& coordinates,
                                                const std::vector<ScoredConfiguration>& points,
                                                const std::vector<ReportDimension>& dimensions,
                                                const std::vector<size_t>& candidates,
                                                const std::vector<const ReportMetric*>& metrics);

}  // namespace ridesweep::analytics::report

#endif  // RIDESWEEP_ANALYTICS_REPORT_PAIR_INFLUENCE_H_
