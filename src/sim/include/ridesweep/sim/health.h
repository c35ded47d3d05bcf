// Health score and ranking of point results on fixed reference scales, so the same metrics score the same in any
// run and next to any other points. Components, each about 0..1 and never clamped, so the score is linear in the
// metrics and the mean of replicates' scores equals the score of their mean components:
//   conversion  = conversion_rate
//   revenue     = platform_revenue / total_riders / 10      (10 currency units per rider, about one average fare)
//   payouts     = driver_payouts / total_riders / 10
//   match_time  = 1 − avg_time_to_match_ms / 600 000       (10 minutes; 0 when missing: no one was matched)
//   pickup_time = 1 − avg_time_to_pickup_ms / 600 000      (0 when missing)
//   abandoned   = abandoned_quote_riders / total_riders
// score = Σ weight × component (abandoned carries the negative weight); total_riders 0 counts as 1. Ranking puts
// every point that completed a trip above every point that completed none, whatever the weights, then orders by
// score; ties go to the lowest index. analytics/fixed_scale_health.h renders the same score as SQL; docs/model.md
// and docs/analysis.md document it.
#ifndef RIDESWEEP_SIM_HEALTH_H_
#define RIDESWEEP_SIM_HEALTH_H_

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "ridesweep/sim/records.h"

namespace ridesweep::sim {

// DO NOT CHANGE without query_configuration_summary.sql and docs/analysis.md: the reference scales.
inline constexpr double kReferenceMoneyPerRider = 10.0;
inline constexpr double kReferenceWaitMs = 600'000.0;

struct HealthWeights {
  double conversion = 0.30;
  double revenue = 0.25;
  double payouts = 0.15;
  double match_time = 0.15;   // Applied to 1 - avg_time_to_match_ms / 10 min.
  double pickup_time = 0.15;  // Applied to 1 - avg_time_to_pickup_ms / 10 min.
  double abandoned = -0.20;   // A penalty: a point where every rider abandons loses 0.20.
};

// The components of one point's score on their reference scales, for reports.
struct HealthComponents {
  double conversion = 0.0;
  double revenue = 0.0;
  double payouts = 0.0;
  double match_time = 0.0;
  double pickup_time = 0.0;
  double abandoned = 0.0;
  double score = 0.0;
  bool served = true;  // completed at least one trip; ranking puts unserved points last
};

HealthComponents PointHealth(const PointMetrics& metrics, const HealthWeights& weights = {});
// PointHealth of each point, in input order. Empty input -> empty output.
std::vector<HealthComponents> HealthScores(std::span<const PointMetrics> points, const HealthWeights& weights = {});
// Index of the best point (the first of RankPoints); none for an empty set.
std::optional<size_t> BestPointIndex(std::span<const HealthComponents> scores);
// Point indices ordered best first: served before unserved, then score descending, ties by index ascending.
std::vector<size_t> RankPoints(std::span<const HealthComponents> scores);

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_HEALTH_H_
