// sweep_points: the flat table of a run, one row per committed point — run_id, point_index, config_index,
// replicate, seed, one typed column per swept dimension (named as the dimension, typed by its kind in the table of
// sweepable parameters: unsigned and signed → BIGINT, number → DOUBLE, boolean → BOOLEAN, enum → VARCHAR), then
// every shard_metrics metric column in its stored order. The SQL is generated from the run's dimensions (its
// manifest) and is portable: it reads only the views/tables sweep_shard_metrics and sweep_effective_parameters by
// column name, joins them on the partition columns, and extracts dimension values and the seed with
// json_extract_scalar (Athena's function; the local engine defines it in local/views.sql). The seed is unsigned
// 64-bit, so it is DECIMAL(20,0) in SQL. The same text serves DuckDB and Athena. Pure functions.
#ifndef RIDESWEEP_ANALYTICS_SWEEP_POINTS_H_
#define RIDESWEEP_ANALYTICS_SWEEP_POINTS_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/base/result.h"
#include "ridesweep/sweep/normalized_request.h"
#include "ridesweep/sweep/sweep_parameters.h"

namespace ridesweep::analytics {

// DO NOT CHANGE: the view name users query.
inline constexpr std::string_view kSweepPointsView = "sweep_points";

struct PointDimension {
  std::string name;
  sweep::ValueKind kind;
};

// The SQL type of a dimension kind (see above).
std::string_view SqlTypeOf(sweep::ValueKind kind);

// The run's dimensions in name order with their kinds. InvalidArgument for a name the parameter table does not
// know (a manifest from a different build).
Result<std::vector<PointDimension>> PointDimensionsOf(const sweep::NormalizedRequest& request);

// The metric columns of sweep_points, in order: every shard_metrics column but the identity and partition ones.
std::vector<std::string_view> SweepPointsMetricColumns();

// The SELECT of the run's points, without a final `;`, with the placeholders ${database} and ${run_id} left for
// SubstitutePlaceholders. Rows are ordered by point_index.
std::string SweepPointsSelectSql(std::span<const PointDimension> dimensions);

// `CREATE OR REPLACE VIEW ${database}.sweep_points AS <select>` (placeholders as above).
std::string SweepPointsViewSql(std::span<const PointDimension> dimensions);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_SWEEP_POINTS_H_
