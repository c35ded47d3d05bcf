// The generated SQL of the sweep_points table.
#include "ridesweep/analytics/sweep_points.h"

#include "ridesweep/store/parquet_schema.h"

namespace ridesweep::analytics {
namespace {

// Columns of shard_metrics that are not metrics: the point's identity and its partition values.
bool IsMetricColumn(std::string_view name) {
  return name != "config_index" && name != "replicate" && name != "run_date" && name != "run_id" &&
         name != "status" && name != "shard_id" && name != "point_index";
}

}  // namespace

std::string_view SqlTypeOf(sweep::ValueKind kind) {
  switch (kind) {
    case sweep::ValueKind::kUnsigned:
    case sweep::ValueKind::kUnsigned32:
    case sweep::ValueKind::kSigned:
      return "BIGINT";
    case sweep::ValueKind::kNumber:
      return "DOUBLE";
    case sweep::ValueKind::kBoolean:
      return "BOOLEAN";
    case sweep::ValueKind::kEnum:
      return "VARCHAR";
  }
  return "VARCHAR";
}

Result<std::vector<PointDimension>> PointDimensionsOf(const sweep::NormalizedRequest& request) {
  std::vector<PointDimension> out;
  for (const sweep::Dimension& dimension : request.dimensions) {
    const sweep::SweepParameter* parameter = sweep::FindSweepParameter(dimension.name);
    if (parameter == nullptr) {
      return InvalidArgumentError("the run's dimension " + dimension.name + " is not a sweepable parameter");
    }
    out.push_back({dimension.name, parameter->kind});
  }
  return out;
}

std::vector<std::string_view> SweepPointsMetricColumns() {
  std::vector<std::string_view> out;
  for (const store::ParquetColumn& column : store::DatasetColumns(sweep::Dataset::kShardMetrics)) {
    if (IsMetricColumn(column.name)) out.push_back(column.name);
  }
  return out;
}

std::string SweepPointsSelectSql(std::span<const PointDimension> dimensions) {
  std::string sql =
      "SELECT\n"
      "  m.run_id AS run_id,\n"
      "  CAST(m.point_index AS BIGINT) AS point_index,\n"
      "  COALESCE(p.config_index, CAST(m.point_index AS BIGINT)) AS config_index,\n"
      "  COALESCE(p.replicate, CAST(0 AS BIGINT)) AS replicate,\n"
      "  CAST(json_extract_scalar(p.effective_parameters_json, '$.resolved_scenario_parameters.seed')\n"
      "    AS DECIMAL(20, 0)) AS seed";
  for (const PointDimension& d : dimensions) {
    sql += ",\n  CAST(json_extract_scalar(p.effective_parameters_json, '$.selected_dimensions.";
    sql += d.name;
    sql += "') AS ";
    sql += SqlTypeOf(d.kind);
    sql += ") AS ";
    sql += d.name;
  }
  for (std::string_view metric : SweepPointsMetricColumns()) {
    sql += ",\n  m.";
    sql += metric;
  }
  sql +=
      "\nFROM ${database}.sweep_shard_metrics m\n"
      "JOIN ${database}.sweep_effective_parameters p\n"
      "  ON p.run_date = m.run_date\n"
      "  AND p.run_id_partition = m.run_id\n"
      "  AND p.shard_id_partition = m.shard_id\n"
      "  AND p.point_index_partition = m.point_index\n"
      "  AND p.status_partition = 'success'\n"
      "WHERE m.run_id = '${run_id}'\n"
      "  AND m.status = 'success'\n"
      "ORDER BY CAST(m.point_index AS BIGINT)";
  return sql;
}

std::string SweepPointsViewSql(std::span<const PointDimension> dimensions) {
  return "CREATE OR REPLACE VIEW ${database}." + std::string(kSweepPointsView) + " AS\n" +
         SweepPointsSelectSql(dimensions);
}

}  // namespace ridesweep::analytics
