// Health score and ranking over a set of point results. Each metric is min-max normalised over the set (0.5 when
// all equal); the abandonment term is a penalty. A missing time metric (no completed trip) normalises to the
// worst value, and a point that served no one loses 1 + the sum of |weights|, so it ranks below every point
// that served someone. Ties go to the lowest index.
#ifndef RIDESWEEP_SIM_HEALTH_H_
#define RIDESWEEP_SIM_HEALTH_H_

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "ridesweep/sim/records.h"

namespace ridesweep::sim {

struct HealthWeights {
  double conversion = 0.30;
  double revenue = 0.25;
  double payouts = 0.15;
  double match_time = 0.15;   // Applied to 1 - n(avg_time_to_match_ms).
  double pickup_time = 0.15;  // Applied to 1 - n(avg_time_to_pickup_ms).
  double abandoned = -0.20;   // A penalty: the most-abandoning point loses 0.20.
};

// The normalised components of one point's score, for reports.
struct HealthComponents {
  double conversion = 0.0;
  double revenue = 0.0;
  double payouts = 0.0;
  double match_time = 0.0;
  double pickup_time = 0.0;
  double abandoned = 0.0;
  double score = 0.0;
};

// One entry per point, in input order. Empty input -> empty output.
std::vector<HealthComponents> HealthScores(std::span<const PointMetrics> points, const HealthWeights& weights = {});
// Index of the best point (highest score, ties -> lowest index); none for an empty set.
std::optional<size_t> BestPointIndex(std::span<const HealthComponents> scores);
// Point indices ordered best first (score descending, ties by index ascending).
std::vector<size_t> RankPoints(std::span<const HealthComponents> scores);

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_HEALTH_H_
