// The health score of a configuration on fixed reference scales, so the same configuration scores the same in any
// run (the per-point score of sim/health.h is min–max normalised within one run instead). Components, each about
// 0..1 and never clamped, so the score is linear in the metrics and the mean of replicates' scores equals the
// score of their mean components:
//   conversion  = conversion_rate
//   revenue     = platform_revenue / total_riders / 10      (10 currency units per rider, about one average fare)
//   payouts     = driver_payouts / total_riders / 10
//   match_time  = 1 − avg_time_to_match_ms / 600 000       (10 minutes; 0 when missing: no one was matched)
//   pickup_time = 1 − avg_time_to_pickup_ms / 600 000      (0 when missing)
//   abandoned   = abandoned_quote_riders / total_riders
// score = Σ weight × component with sim::HealthWeights (abandoned carries the negative weight); total_riders 0
// counts as 1. query_configuration_summary.sql computes the same; docs/analysis.md documents it. Pure.
#ifndef RIDESWEEP_ANALYTICS_FIXED_SCALE_HEALTH_H_
#define RIDESWEEP_ANALYTICS_FIXED_SCALE_HEALTH_H_

#include <string>

#include "ridesweep/sim/health.h"
#include "ridesweep/sim/records.h"

namespace ridesweep::analytics {

// DO NOT CHANGE without query_configuration_summary.sql and docs/analysis.md: the reference scales.
inline constexpr double kReferenceMoneyPerRider = 10.0;
inline constexpr double kReferenceWaitMs = 600'000.0;

sim::HealthComponents FixedScaleHealth(const sim::PointMetrics& metrics, const sim::HealthWeights& weights = {});

// The same score as a portable SQL expression (DOUBLE; Athena and DuckDB) over one shard_metrics row's columns,
// unqualified (conversion_rate, platform_revenue, …): what `ridesweep compare` computes per point.
std::string FixedScaleHealthSql(const sim::HealthWeights& weights = {});

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_FIXED_SCALE_HEALTH_H_
