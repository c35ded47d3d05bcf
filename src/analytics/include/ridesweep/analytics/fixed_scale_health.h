// The health score of sim/health.h (fixed reference scales, so the same point or configuration scores the same in
// any run) rendered as a portable SQL expression, for the queries that score points inside the engine.
// query_configuration_summary.sql computes the same; docs/analysis.md documents it. Pure.
#ifndef RIDESWEEP_ANALYTICS_FIXED_SCALE_HEALTH_H_
#define RIDESWEEP_ANALYTICS_FIXED_SCALE_HEALTH_H_

#include <string>

#include "ridesweep/sim/health.h"

namespace ridesweep::analytics {

// sim::PointHealth(…).score as a DOUBLE SQL expression (Athena and DuckDB) over one shard_metrics row's columns,
// unqualified (conversion_rate, platform_revenue, …): what `ridesweep compare` computes per point.
std::string FixedScaleHealthSql(const sim::HealthWeights& weights = {});

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_FIXED_SCALE_HEALTH_H_
