// The six dataset schemas (spec/sweep.md §10.3–§10.8) as binding tables: the single source of column names,
// order and types for the encoder, the shard spill and parquet_schema.h.
// DO NOT CHANGE names, order or types: stored in Parquet and read by the Athena DDL.
#include <array>
#include <cstddef>
#include <type_traits>

#include "parquet/column_binding.h"
#include "parquet/spilled_parameters.h"
#include "ridesweep/base/check.h"
#include "ridesweep/sim/records.h"
#include "ridesweep/store/parquet_schema.h"
#include "ridesweep/sweep/records.h"

namespace ridesweep::store {
namespace parquet_internal {
namespace {

using sim::PointMetrics;
using sim::SnapshotRow;
using sim::TripRow;
using sweep::EffectiveParametersRow;
using sweep::RunContextRow;
using sweep::ShardMetricsRow;
using sweep::ShardOutcomeRow;

// §10.3: the 18 columns of the earlier implementation first, the 7 additions appended (not PointMetrics' order).
constexpr auto kShardMetrics = std::to_array<ColumnBinding>({
    Col<&PointMetrics::total_riders>("total_riders"),
    Col<&PointMetrics::completed_riders>("completed_riders"),
    Col<&PointMetrics::abandoned_quote_riders>("abandoned_quote_riders"),
    Col<&PointMetrics::cancelled_riders>("cancelled_riders"),
    Col<&PointMetrics::conversion_rate>("conversion_rate"),
    Col<&PointMetrics::platform_revenue>("platform_revenue"),
    Col<&PointMetrics::driver_payouts>("driver_payouts"),
    Col<&PointMetrics::total_fares_collected>("total_fares_collected"),
    Col<&PointMetrics::avg_time_to_match_ms>("avg_time_to_match_ms"),
    Col<&PointMetrics::median_time_to_match_ms>("median_time_to_match_ms"),
    Col<&PointMetrics::p90_time_to_match_ms>("p90_time_to_match_ms"),
    Col<&PointMetrics::avg_time_to_pickup_ms>("avg_time_to_pickup_ms"),
    Col<&PointMetrics::median_time_to_pickup_ms>("median_time_to_pickup_ms"),
    Col<&PointMetrics::p90_time_to_pickup_ms>("p90_time_to_pickup_ms"),
    Col<&PointMetrics::completed_trips>("completed_trips"),
    Col<&PointMetrics::riders_abandoned_price>("riders_abandoned_price"),
    Col<&PointMetrics::riders_abandoned_eta>("riders_abandoned_eta"),
    Col<&PointMetrics::riders_abandoned_stochastic>("riders_abandoned_stochastic"),
    Col<&PointMetrics::total_drivers>("total_drivers"),
    Col<&PointMetrics::riders_spawned>("riders_spawned"),
    Col<&PointMetrics::riders_unresolved>("riders_unresolved"),
    Col<&PointMetrics::trips_cancelled>("trips_cancelled"),
    Col<&PointMetrics::events_processed>("events_processed"),
    Col<&PointMetrics::final_sim_time_ms>("final_sim_time_ms"),
    Col<&PointMetrics::truncated>("truncated"),
    // Model v2 metrics, appended.
    Col<&PointMetrics::riders_abandoned_no_driver>("riders_abandoned_no_driver"),
    Col<&PointMetrics::match_rate>("match_rate"),
    Col<&PointMetrics::share_matched_within_60s>("share_matched_within_60s"),
    Col<&PointMetrics::share_matched_within_180s>("share_matched_within_180s"),
    // Appended after the metric columns; the row is a sweep::ShardMetricsRow whose first member is the metrics.
    Col<&ShardMetricsRow::config_index>("config_index"),
    Col<&ShardMetricsRow::replicate>("replicate"),
});
static_assert(std::is_standard_layout_v<ShardMetricsRow> && offsetof(ShardMetricsRow, metrics) == 0,
              "metric columns are read through a PointMetrics pointer to the (single) row");

// §10.4
constexpr auto kTripData = std::to_array<ColumnBinding>({
    Col<&TripRow::trip_entity>("trip_entity"),
    Col<&TripRow::rider_entity>("rider_entity"),
    Col<&TripRow::driver_entity>("driver_entity"),
    Col<&TripRow::state>("state"),
    Col<&TripRow::pickup_cell>("pickup_cell"),
    Col<&TripRow::dropoff_cell>("dropoff_cell"),
    Col<&TripRow::pickup_distance_km_at_accept>("pickup_distance_km_at_accept"),
    Col<&TripRow::requested_at>("requested_at"),
    Col<&TripRow::matched_at>("matched_at"),
    Col<&TripRow::pickup_at>("pickup_at"),
    Col<&TripRow::dropoff_at>("dropoff_at"),
    Col<&TripRow::cancelled_at>("cancelled_at"),
});

// §10.5
constexpr auto kSnapshotCounts = std::to_array<ColumnBinding>({
    Col<&SnapshotRow::timestamp_ms>("timestamp_ms"),
    Col<&SnapshotRow::riders_browsing>("riders_browsing"),
    Col<&SnapshotRow::riders_waiting>("riders_waiting"),
    Col<&SnapshotRow::riders_in_transit>("riders_in_transit"),
    Col<&SnapshotRow::riders_completed>("riders_completed"),
    Col<&SnapshotRow::riders_cancelled>("riders_cancelled"),
    Col<&SnapshotRow::drivers_idle>("drivers_idle"),
    Col<&SnapshotRow::drivers_evaluating>("drivers_evaluating"),
    Col<&SnapshotRow::drivers_en_route>("drivers_en_route"),
    Col<&SnapshotRow::drivers_on_trip>("drivers_on_trip"),
    Col<&SnapshotRow::drivers_off_duty>("drivers_off_duty"),
    Col<&SnapshotRow::trips_en_route>("trips_en_route"),
    Col<&SnapshotRow::trips_on_trip>("trips_on_trip"),
    Col<&SnapshotRow::trips_completed>("trips_completed"),
    Col<&SnapshotRow::trips_cancelled>("trips_cancelled"),
});

// §10.8
constexpr auto kEffectiveParameters = std::to_array<ColumnBinding>({
    Col<&EffectiveParametersRow::run_id>("run_id"),
    Col<&EffectiveParametersRow::shard_id>("shard_id"),
    Col<&EffectiveParametersRow::point_index>("point_index"),
    Col<&EffectiveParametersRow::status>("status"),
    Col<&EffectiveParametersRow::record_schema>("record_schema"),
    Col<&EffectiveParametersRow::parameter_fingerprint>("parameter_fingerprint"),
    Col<&EffectiveParametersRow::effective_parameters_json>("effective_parameters_json"),
    Col<&EffectiveParametersRow::config_index>("config_index"),
    Col<&EffectiveParametersRow::replicate>("replicate"),
});

// effective_parameters as the shard spill reads it back (spilled_parameters.h): the same columns over string views.
constexpr auto kSpilledParameters = std::to_array<ColumnBinding>({
    Col<&SpilledParametersView::run_id>("run_id"),
    Col<&SpilledParametersView::shard_id>("shard_id"),
    Col<&SpilledParametersView::point_index>("point_index"),
    Col<&SpilledParametersView::status>("status"),
    Col<&SpilledParametersView::record_schema>("record_schema"),
    Col<&SpilledParametersView::parameter_fingerprint>("parameter_fingerprint"),
    Col<&SpilledParametersView::effective_parameters_json>("effective_parameters_json"),
    Col<&SpilledParametersView::config_index>("config_index"),
    Col<&SpilledParametersView::replicate>("replicate"),
});

// §10.7
constexpr auto kShardOutcomes = std::to_array<ColumnBinding>({
    Col<&ShardOutcomeRow::run_id>("run_id"),
    Col<&ShardOutcomeRow::shard_id>("shard_id"),
    Col<&ShardOutcomeRow::start_index>("start_index"),
    Col<&ShardOutcomeRow::end_index_exclusive>("end_index_exclusive"),
    Col<&ShardOutcomeRow::status>("status"),
    Col<&ShardOutcomeRow::event_time>("event_time"),
    Col<&ShardOutcomeRow::record_schema>("record_schema"),
    Col<&ShardOutcomeRow::result_key>("result_key"),
    Col<&ShardOutcomeRow::points_processed>("points_processed"),
    Col<&ShardOutcomeRow::format>("format"),
    Col<&ShardOutcomeRow::error_code>("error_code"),
    Col<&ShardOutcomeRow::error_message>("error_message"),
    Col<&ShardOutcomeRow::attempt>("attempt"),
    Col<&ShardOutcomeRow::completed_time>("completed_time"),
});

// §10.6
constexpr auto kRunContext = std::to_array<ColumnBinding>({
    Col<&RunContextRow::run_id>("run_id"),
    Col<&RunContextRow::run_date>("run_date"),
    Col<&RunContextRow::status>("status"),
    Col<&RunContextRow::request_source>("request_source"),
    Col<&RunContextRow::record_schema>("record_schema"),
    Col<&RunContextRow::request_fingerprint>("request_fingerprint"),
    Col<&RunContextRow::config_fingerprint>("config_fingerprint"),
    Col<&RunContextRow::total_points>("total_points"),
    Col<&RunContextRow::shard_count>("shard_count"),
    Col<&RunContextRow::shard_strategy>("shard_strategy"),
    Col<&RunContextRow::max_shards>("max_shards"),
    Col<&RunContextRow::max_shards_ceiling>("max_shards_ceiling"),
    Col<&RunContextRow::build_version>("build_version"),
    Col<&RunContextRow::build_git_revision>("build_git_revision"),
});

constexpr auto kShardMetricsSchema = SchemaOf(kShardMetrics);
constexpr auto kTripDataSchema = SchemaOf(kTripData);
constexpr auto kSnapshotCountsSchema = SchemaOf(kSnapshotCounts);
constexpr auto kEffectiveParametersSchema = SchemaOf(kEffectiveParameters);
constexpr auto kShardOutcomesSchema = SchemaOf(kShardOutcomes);
constexpr auto kRunContextSchema = SchemaOf(kRunContext);
constexpr auto kSpilledParametersSchema = SchemaOf(kSpilledParameters);

template <size_t N>
constexpr bool SameSchema(const std::array<ParquetColumn, N>& a, const std::array<ParquetColumn, N>& b) {
  for (size_t i = 0; i < N; ++i) {
    if (a[i].name != b[i].name || a[i].type != b[i].type || a[i].nullable != b[i].nullable) return false;
  }
  return true;
}
static_assert(SameSchema(kSpilledParametersSchema, kEffectiveParametersSchema),
              "the spill must write effective_parameters with the dataset's columns");

const DatasetBinding kBindings[] = {
    {sweep::Dataset::kShardMetrics, kShardMetrics, kShardMetricsSchema, sizeof(ShardMetricsRow)},
    {sweep::Dataset::kTripData, kTripData, kTripDataSchema, sizeof(TripRow)},
    {sweep::Dataset::kSnapshotCounts, kSnapshotCounts, kSnapshotCountsSchema, sizeof(SnapshotRow)},
    {sweep::Dataset::kEffectiveParameters, kEffectiveParameters, kEffectiveParametersSchema,
     sizeof(EffectiveParametersRow)},
    {sweep::Dataset::kShardOutcomes, kShardOutcomes, kShardOutcomesSchema, sizeof(ShardOutcomeRow)},
    {sweep::Dataset::kRunContext, kRunContext, kRunContextSchema, sizeof(RunContextRow)},
};

const DatasetBinding kSpilledParametersBinding = {sweep::Dataset::kEffectiveParameters, kSpilledParameters,
                                                  kSpilledParametersSchema, sizeof(SpilledParametersView)};

}  // namespace

const DatasetBinding& SpilledParametersBinding() { return kSpilledParametersBinding; }

const DatasetBinding& BindingFor(sweep::Dataset dataset) {
  for (const DatasetBinding& binding : kBindings) {
    if (binding.dataset == dataset) return binding;
  }
  RIDESWEEP_CHECK(false) << "no Parquet binding for dataset " << static_cast<int>(dataset);
  return kBindings[0];
}

}  // namespace parquet_internal

std::string_view ColumnTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kBigint:
      return "BIGINT";
    case ColumnType::kTinyint:
      return "TINYINT";
    case ColumnType::kDouble:
      return "DOUBLE";
    case ColumnType::kVarchar:
      return "VARCHAR";
    case ColumnType::kBoolean:
      return "BOOLEAN";
  }
  return "UNKNOWN";
}

std::span<const ParquetColumn> DatasetColumns(sweep::Dataset dataset) {
  return parquet_internal::BindingFor(dataset).schema;
}

}  // namespace ridesweep::store
