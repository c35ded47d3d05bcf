// Records a run produces: trip rows (trip_data), snapshot count rows (snapshot_counts), completed-trip
// records, per-point metrics (shard_metrics) and run statistics. Plain values, in the spec's column order.
// DO NOT CHANGE field order or the numeric state codes: they are stored in Parquet and read by the Athena DDL
// (spec/sweep.md §10).
#ifndef RIDESWEEP_SIM_RECORDS_H_
#define RIDESWEEP_SIM_RECORDS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace ridesweep::sim {

// DO NOT CHANGE: stored in trip_data.state and read by the Athena DDL.
enum class TripState : int8_t { kEnRoute = 0, kOnTrip = 1, kCompleted = 2, kCancelled = 3 };
enum class RiderState : int8_t { kBrowsing = 0, kWaiting = 1, kInTransit = 2, kCompleted = 3, kCancelled = 4,
                                 kAbandoned = 5 };
enum class DriverState : int8_t { kIdle = 0, kEvaluating = 1, kEnRoute = 2, kOnTrip = 3, kOffDuty = 4 };

// One row of trip_data (spec/simulation.md §12.5): a trip in its final state.
struct TripRow {
  int64_t trip_entity = 0;
  int64_t rider_entity = 0;
  int64_t driver_entity = 0;
  int8_t state = 0;
  int64_t pickup_cell = 0;
  int64_t dropoff_cell = 0;
  double pickup_distance_km_at_accept = 0.0;
  int64_t requested_at = 0;
  int64_t matched_at = 0;
  std::optional<int64_t> pickup_at;
  std::optional<int64_t> dropoff_at;
  std::optional<int64_t> cancelled_at;
  friend bool operator==(const TripRow&, const TripRow&) = default;
};

// One row of snapshot_counts (§12.6). riders_completed / riders_cancelled are cumulative totals.
struct SnapshotRow {
  int64_t timestamp_ms = 0;
  int64_t riders_browsing = 0;
  int64_t riders_waiting = 0;
  int64_t riders_in_transit = 0;
  int64_t riders_completed = 0;
  int64_t riders_cancelled = 0;
  int64_t drivers_idle = 0;
  int64_t drivers_evaluating = 0;
  int64_t drivers_en_route = 0;
  int64_t drivers_on_trip = 0;
  int64_t drivers_off_duty = 0;
  int64_t trips_en_route = 0;
  int64_t trips_on_trip = 0;
  int64_t trips_completed = 0;
  int64_t trips_cancelled = 0;
  friend bool operator==(const SnapshotRow&, const SnapshotRow&) = default;
};

// A completed trip (§12.3), in completion order.
struct CompletedTripRecord {
  uint64_t trip = 0;    // Full handles (generation << 32 | index).
  uint64_t rider = 0;
  uint64_t driver = 0;
  uint64_t completed_at = 0;
  uint64_t requested_at = 0;
  uint64_t matched_at = 0;
  uint64_t pickup_at = 0;
  double fare = 0.0;
  double surge_impact = 0.0;
  uint64_t TimeToMatchMs() const { return matched_at > requested_at ? matched_at - requested_at : 0; }
  uint64_t TimeToPickupMs() const { return pickup_at > matched_at ? pickup_at - matched_at : 0; }
  uint64_t TripDurationMs() const { return completed_at > pickup_at ? completed_at - pickup_at : 0; }
};

// The per-point metrics, in the JSON-result and shard_metrics column order: the 25 original metrics, then the
// metrics appended by model v2. Time metrics and rates are missing (NULL in Parquet, null in JSON) when there
// is nothing to average: a point that served no one has no time to match, not a time of 0.
struct PointMetrics {
  int64_t total_riders = 0;
  int64_t total_drivers = 0;
  int64_t completed_riders = 0;
  int64_t abandoned_quote_riders = 0;
  int64_t cancelled_riders = 0;
  double conversion_rate = 0.0;
  double platform_revenue = 0.0;
  double driver_payouts = 0.0;
  double total_fares_collected = 0.0;
  std::optional<double> avg_time_to_match_ms;  // Completed trips; none if no trip completed.
  std::optional<double> median_time_to_match_ms;
  std::optional<double> p90_time_to_match_ms;
  std::optional<double> avg_time_to_pickup_ms;
  std::optional<double> median_time_to_pickup_ms;
  std::optional<double> p90_time_to_pickup_ms;
  int64_t completed_trips = 0;
  int64_t riders_abandoned_price = 0;
  int64_t riders_abandoned_eta = 0;
  int64_t riders_abandoned_stochastic = 0;
  int64_t riders_spawned = 0;
  int64_t riders_unresolved = 0;
  int64_t trips_cancelled = 0;
  int64_t events_processed = 0;
  int64_t final_sim_time_ms = 0;
  bool truncated = false;
  // Appended by model v2.
  int64_t riders_abandoned_no_driver = 0;          // Left after quotes with no assignable driver.
  std::optional<double> match_rate;                // Matched / accepted a quote (resolved riders); none if 0.
  std::optional<double> share_matched_within_60s;  // Of resolved riders; none if no rider resolved.
  std::optional<double> share_matched_within_180s;
  friend bool operator==(const PointMetrics&, const PointMetrics&) = default;
};

inline constexpr int kEventKindCount = 18;
// The name of event kind `ordinal` (spec/simulation.md §1.2), e.g. "BatchMatchRun" for 8.
// REQUIRES: ordinal < kEventKindCount.
std::string_view EventKindNameAt(size_t ordinal);

enum class StopReason : uint8_t { kEndTime, kQueueEmpty, kStepCap };
std::string_view StopReasonName(StopReason reason);

// What the run loop reports (§1.4).
struct RunStats {
  uint64_t steps = 0;
  uint64_t final_now = 0;
  StopReason stop_reason = StopReason::kEndTime;
  bool truncated = false;
  std::array<uint64_t, kEventKindCount> events_by_kind{};
  uint64_t stale_events = 0;
  uint64_t riders_spawned = 0;
  uint64_t drivers_spawned = 0;
  uint64_t trips_created = 0;
  uint64_t snapshots_taken = 0;
};

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_RECORDS_H_
