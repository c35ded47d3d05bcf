// The metric table: one row per numeric shard_metrics column.
#include "ridesweep/analytics/metric_columns.h"

#include <array>

namespace ridesweep::analytics {
namespace {

template <auto Field>
std::optional<double> Read(const sim::PointMetrics& metrics) {
  const auto& value = metrics.*Field;
  if constexpr (std::is_same_v<std::decay_t<decltype(value)>, std::optional<double>>) {
    return value;
  } else {
    return static_cast<double>(value);
  }
}

template <auto Field>
constexpr MetricColumn Column(std::string_view name) {
  return MetricColumn{name, &Read<Field>};
}

using M = sim::PointMetrics;
// shard_metrics column order (docs/formats/parquet_schemas.md), `truncated` left out.
constexpr auto kColumns = std::to_array<MetricColumn>({
    Column<&M::total_riders>("total_riders"),
    Column<&M::completed_riders>("completed_riders"),
    Column<&M::abandoned_quote_riders>("abandoned_quote_riders"),
    Column<&M::cancelled_riders>("cancelled_riders"),
    Column<&M::conversion_rate>("conversion_rate"),
    Column<&M::platform_revenue>("platform_revenue"),
    Column<&M::driver_payouts>("driver_payouts"),
    Column<&M::total_fares_collected>("total_fares_collected"),
    Column<&M::avg_time_to_match_ms>("avg_time_to_match_ms"),
    Column<&M::median_time_to_match_ms>("median_time_to_match_ms"),
    Column<&M::p90_time_to_match_ms>("p90_time_to_match_ms"),
    Column<&M::avg_time_to_pickup_ms>("avg_time_to_pickup_ms"),
    Column<&M::median_time_to_pickup_ms>("median_time_to_pickup_ms"),
    Column<&M::p90_time_to_pickup_ms>("p90_time_to_pickup_ms"),
    Column<&M::completed_trips>("completed_trips"),
    Column<&M::riders_abandoned_price>("riders_abandoned_price"),
    Column<&M::riders_abandoned_eta>("riders_abandoned_eta"),
    Column<&M::riders_abandoned_stochastic>("riders_abandoned_stochastic"),
    Column<&M::total_drivers>("total_drivers"),
    Column<&M::riders_spawned>("riders_spawned"),
    Column<&M::riders_unresolved>("riders_unresolved"),
    Column<&M::trips_cancelled>("trips_cancelled"),
    Column<&M::events_processed>("events_processed"),
    Column<&M::final_sim_time_ms>("final_sim_time_ms"),
    Column<&M::riders_abandoned_no_driver>("riders_abandoned_no_driver"),
    Column<&M::match_rate>("match_rate"),
    Column<&M::share_matched_within_60s>("share_matched_within_60s"),
    Column<&M::share_matched_within_180s>("share_matched_within_180s"),
});

}  // namespace

std::span<const MetricColumn> MetricColumns() { return kColumns; }

const MetricColumn* FindMetricColumn(std::string_view name) {
  for (const MetricColumn& column : kColumns) {
    if (column.name == name) return &column;
  }
  return nullptr;
}

}  // namespace ridesweep::analytics
