// Shared helpers of the simulation acceptance tests (spec/simulation.md §16.3-§16.5): an observer that keeps a
// run's rows plus optional event and decision traces, the end-of-run checks of the §16.4 invariants on exported
// rows (trip_data, snapshot_counts, completed-trip records, metrics), and a byte encoding of a run's outputs for
// determinism checks. Header-only; used by the *_test.cc files of this folder only.
#ifndef RIDESWEEP_SIM_TESTS_ACCEPTANCE_ACCEPTANCE_SUPPORT_H_
#define RIDESWEEP_SIM_TESTS_ACCEPTANCE_ACCEPTANCE_SUPPORT_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/engine.h"
#include "geo/hex_grid.h"
#include "ridesweep/sim/params.h"
#include "ridesweep/sim/point_collector.h"
#include "ridesweep/sim/records.h"
#include "ridesweep/sim/simulation.h"
#include "ridesweep/sim/trip_funnel.h"

namespace ridesweep::sim::acceptance {

inline constexpr uint64_t kHourMs = 3'600'000;
inline constexpr int64_t kFirstHandle = int64_t{1} << 32;  // Handle of entity index 0.

// C0 = cell(52.51, 13.42) = (0, 0) in the default box; E_k = (k, 0).
// The earlier world these end-to-end checks were written against: the wide Berlin box (52.34-52.68,
// 13.08-13.76) at epoch 0 (Thursday 00:00), commission 0 and the earlier driver logit weights
// (1, 0.1, -2, 0.5). The engine's mechanics are the same; the model's defaults are covered by the model suite.
inline SimParams EarlierWorld(SimParams p = SimParams{}) {
  p.lat_min = 52.34;
  p.lat_max = 52.68;
  p.lng_min = 13.08;
  p.lng_max = 13.76;
  p.epoch_ms = 0;
  p.pricing_config.commission_rate = 0.0;
  p.behaviour.base_acceptance_score = 1.0;
  p.behaviour.fare_weight = 0.1;
  p.behaviour.pickup_distance_penalty = -2.0;
  p.behaviour.trip_distance_bonus = 0.5;
  return p;
}

inline Cell C0() { return {0, 0}; }
inline Cell E(int32_t k) { return {k, 0}; }

inline uint8_t KindOrdinal(EventKind kind) { return static_cast<uint8_t>(kind); }

// Keeps every row of a run (PointCollector) and, when asked, every traced event and driver decision.
class RunCapture : public PointCollector {
 public:
  RunCapture() = default;
  RunCapture(bool trace_events, bool trace_decisions)
      : trace_events_(trace_events), trace_decisions_(trace_decisions) {}

  bool WantsEventTrace() const override { return trace_events_; }
  void OnEvent(const EventTrace& event) override { events_.push_back(event); }
  bool WantsDecisionTrace() const override { return trace_decisions_; }
  void OnDriverDecision(double probability, bool accepted) override { decisions_.emplace_back(probability, accepted); }

  bool traced_events() const { return trace_events_; }
  const std::vector<EventTrace>& events() const { return events_; }
  const std::vector<std::pair<double, bool>>& decisions() const { return decisions_; }

 private:
  bool trace_events_ = false;
  bool trace_decisions_ = false;
  std::vector<EventTrace> events_;
  std::vector<std::pair<double, bool>> decisions_;
};

// Runs a world built directly on an engine (no SimulationStarted) to its stop, checking the invariants after
// every event; returns the metrics.
inline PointMetrics RunDirectWorld(Engine& engine) {
  const Status status = engine.Run(nullptr, /*check_invariants_each_event=*/true);
  EXPECT_TRUE(status.ok()) << status.ToString();
  const Status end = engine.CheckInvariants();
  EXPECT_TRUE(end.ok()) << end.ToString();
  return engine.Finish();
}

inline bool NearlyEqualRel(double a, double b, double rel = 1e-9) {
  const double scale = std::max(1.0, std::max(std::fabs(a), std::fabs(b)));
  return std::fabs(a - b) <= rel * scale;
}

struct Summary3 {
  double avg = 0, median = 0, p90 = 0;
};

// §13.2, recomputed independently of the engine's telemetry.
inline Summary3 Summarize3(std::vector<uint64_t> v) {
  Summary3 s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  __extension__ using U128 = unsigned __int128;  // Exact integer sums, as §13.2 asks.
  U128 sum = 0;
  for (uint64_t x : v) sum += x;
  s.avg = static_cast<double>(sum) / static_cast<double>(n);
  s.median = n % 2 == 1 ? static_cast<double>(v[n / 2])
                        : static_cast<double>(static_cast<U128>(v[n / 2 - 1]) + v[n / 2]) / 2.0;
  s.p90 = static_cast<double>(v[static_cast<size_t>(std::trunc(static_cast<double>(n - 1) * 0.9))]);
  return s;
}

// Whether the riders were spawned (a normal run) or placed with ShowQuote at their creation ms (direct worlds):
// the I9 minimums assume spawned riders.
enum class RiderOrigin { kSpawned, kDirect };

// Returns an AssertionFailure carrying `what` from the enclosing checker unless `cond` holds (local to this header).
#define RIDESWEEP_FAIL_UNLESS(cond, what)                      \
  do {                                                         \
    if (!(cond)) return ::testing::AssertionFailure() << what; \
  } while (false)

// The end-of-run invariants of §16.4 checked on what a run exports (metrics, stats, trip_data rows,
// snapshot_counts rows, completed-trip records, and the event trace when one was recorded).
inline ::testing::AssertionResult CheckExportedRun(const SimParams& p, const SimOutput& out, const RunCapture& cap,
                                                   RiderOrigin origin = RiderOrigin::kSpawned) {
  const PointMetrics& m = out.metrics;
  const RunStats& st = out.stats;
  const std::vector<TripRow>& trips = cap.trips();
  const std::vector<CompletedTripRecord>& records = cap.completed();
  const std::vector<SnapshotRow>& snaps = cap.snapshots();
  const uint64_t end_ms = ResolvedEndTimeMs(p);

  // Run loop (§1.4) and metric plumbing.
  RIDESWEEP_FAIL_UNLESS(m.events_processed == static_cast<int64_t>(st.steps), "events_processed != steps");
  RIDESWEEP_FAIL_UNLESS(m.final_sim_time_ms == static_cast<int64_t>(st.final_now), "final_sim_time != final_now");
  RIDESWEEP_FAIL_UNLESS(m.truncated == (st.stop_reason == StopReason::kStepCap), "truncated vs stop reason");
  RIDESWEEP_FAIL_UNLESS(st.truncated == m.truncated, "stats.truncated vs metrics.truncated");
  RIDESWEEP_FAIL_UNLESS(st.steps <= p.max_steps, "more steps than max_steps");
  RIDESWEEP_FAIL_UNLESS(st.stop_reason != StopReason::kStepCap || st.steps == p.max_steps, "StepCap below the cap");
  RIDESWEEP_FAIL_UNLESS(st.steps == 0 || st.final_now < end_ms, "processed an event at or after end_ms");
  uint64_t kind_sum = 0;
  for (uint64_t c : st.events_by_kind) kind_sum += c;
  RIDESWEEP_FAIL_UNLESS(kind_sum == st.steps, "events_by_kind does not sum to steps");
  RIDESWEEP_FAIL_UNLESS(st.stale_events <= st.steps, "more stale events than steps");

  // I3 and I6 (spawn caps), and the metric definitions of §13.1.
  RIDESWEEP_FAIL_UNLESS(m.riders_spawned == static_cast<int64_t>(st.riders_spawned), "riders_spawned metric vs stats");
  RIDESWEEP_FAIL_UNLESS(m.total_drivers == static_cast<int64_t>(st.drivers_spawned), "total_drivers vs stats");
  RIDESWEEP_FAIL_UNLESS(m.riders_spawned == m.completed_riders + m.cancelled_riders + m.abandoned_quote_riders +
                                               m.riders_unresolved,
                        "I3 riders_spawned != completed + cancelled + abandoned + unresolved");
  RIDESWEEP_FAIL_UNLESS(m.total_riders == m.completed_riders + m.cancelled_riders + m.abandoned_quote_riders,
                        "total_riders is not the resolved count");
  RIDESWEEP_FAIL_UNLESS(m.abandoned_quote_riders == m.riders_abandoned_price + m.riders_abandoned_eta +
                                                      m.riders_abandoned_stochastic + m.riders_abandoned_no_driver,
                        "abandonment reasons do not add up");
  RIDESWEEP_FAIL_UNLESS(st.riders_spawned <= p.num_riders && st.drivers_spawned <= p.num_drivers,
                        "I6 spawned above the nominal caps");
  RIDESWEEP_FAIL_UNLESS(m.conversion_rate == (m.total_riders == 0 ? 0.0
                                                                  : static_cast<double>(m.completed_riders) /
                                                                        static_cast<double>(m.total_riders)),
                        "conversion_rate");

  // trip_data: one row per trip, ascending unique ids, every row passes U17 (I1), I10.
  RIDESWEEP_FAIL_UNLESS(trips.size() == st.trips_created, "trip_data rows " << trips.size() << " != trips_created "
                                                                            << st.trips_created);
  const uint32_t mn = p.min_trip_cells;
  const uint32_t mx = std::max(p.max_trip_cells, mn);
  int64_t completed_rows = 0;
  int64_t cancelled_rows = 0;
  for (size_t i = 0; i < trips.size(); ++i) {
    const TripRow& row = trips[i];
    RIDESWEEP_FAIL_UNLESS(row.trip_entity == kFirstHandle + static_cast<int64_t>(i), "trip ids not dense/ascending");
    const Status funnel = ValidateTripFunnel(row);
    RIDESWEEP_FAIL_UNLESS(funnel.ok(), "I1: " << funnel.ToString());
    RIDESWEEP_FAIL_UNLESS(row.rider_entity >= kFirstHandle && row.driver_entity >= kFirstHandle, "entity handles");
    RIDESWEEP_FAIL_UNLESS(row.matched_at >= 0 && static_cast<uint64_t>(row.matched_at) < end_ms &&
                              row.matched_at <= m.final_sim_time_ms,
                          "matched_at after the stop");
    RIDESWEEP_FAIL_UNLESS(row.pickup_distance_km_at_accept >= 0 &&
                              row.pickup_distance_km_at_accept <= p.match_radius * kCellSpacingKm + 1e-9,
                          "I10 pickup distance " << row.pickup_distance_km_at_accept << " beyond radius "
                                                 << p.match_radius);
    const uint32_t d = HexDistance(CellFromId(row.pickup_cell), CellFromId(row.dropoff_cell));
    RIDESWEEP_FAIL_UNLESS(d == 0 || (d >= mn && d <= mx), "I10 dropoff " << d << " cells from pickup, range [" << mn
                                                                          << ", " << mx << "]");
    if (row.state == static_cast<int8_t>(TripState::kCompleted)) ++completed_rows;
    if (row.state == static_cast<int8_t>(TripState::kCancelled)) ++cancelled_rows;
    if (i > 0) RIDESWEEP_FAIL_UNLESS(row.matched_at >= trips[i - 1].matched_at, "trips not created in time order");
  }
  // I5.
  RIDESWEEP_FAIL_UNLESS(m.completed_trips == m.completed_riders && m.completed_trips == completed_rows &&
                            static_cast<size_t>(m.completed_trips) == records.size(),
                        "I5 completed_trips " << m.completed_trips << ", riders_completed " << m.completed_riders
                                              << ", rows in state 2 " << completed_rows << ", records "
                                              << records.size());
  RIDESWEEP_FAIL_UNLESS(m.trips_cancelled == cancelled_rows, "trips_cancelled vs rows");
  RIDESWEEP_FAIL_UNLESS(m.trips_cancelled <= m.cancelled_riders, "more cancelled trips than cancelled riders");

  // Completed-trip records: consistent with trip_data, I9, I2 and the surge bounds of I6.
  const PricingConfig& pc = p.pricing_config;
  const bool surge = pc.surge_enabled && pc.surge_radius_k > 0;
  const double cap_multiplier = surge ? std::max(1.0, pc.surge_max_multiplier) : 1.0;
  const uint64_t min_match = p.batch_matching_enabled ? 4'001 : 5'000;
  double sum_fare = 0, sum_commission = 0, sum_net = 0;
  std::vector<uint64_t> to_match, to_pickup;
  for (size_t i = 0; i < records.size(); ++i) {
    const CompletedTripRecord& r = records[i];
    const size_t idx = static_cast<size_t>(r.trip - static_cast<uint64_t>(kFirstHandle));
    RIDESWEEP_FAIL_UNLESS(idx < trips.size(), "record for an unknown trip");
    const TripRow& row = trips[idx];
    RIDESWEEP_FAIL_UNLESS(row.state == static_cast<int8_t>(TripState::kCompleted) &&
                              row.rider_entity == static_cast<int64_t>(r.rider) &&
                              row.driver_entity == static_cast<int64_t>(r.driver) &&
                              row.requested_at == static_cast<int64_t>(r.requested_at) &&
                              row.matched_at == static_cast<int64_t>(r.matched_at) &&
                              row.pickup_at == static_cast<int64_t>(r.pickup_at) &&
                              row.dropoff_at == static_cast<int64_t>(r.completed_at),
                          "record " << i << " disagrees with its trip_data row");
    if (i > 0) RIDESWEEP_FAIL_UNLESS(r.completed_at >= records[i - 1].completed_at, "records not in completion order");
    RIDESWEEP_FAIL_UNLESS(r.TimeToMatchMs() == r.matched_at - r.requested_at &&
                              r.TimeToPickupMs() == r.pickup_at - r.matched_at &&
                              r.TripDurationMs() == r.completed_at - r.pickup_at,
                          "time helpers are not the differences");
    if (origin == RiderOrigin::kSpawned) {
      RIDESWEEP_FAIL_UNLESS(r.TimeToMatchMs() >= min_match, "I9 time_to_match " << r.TimeToMatchMs());
    }
    RIDESWEEP_FAIL_UNLESS(r.TimeToPickupMs() >= 2'000, "I9 time_to_pickup " << r.TimeToPickupMs());
    RIDESWEEP_FAIL_UNLESS(r.TripDurationMs() >= 2'000, "I9 trip_duration " << r.TripDurationMs());
    const double base =
        pc.base_fare + DistKm(CellFromId(row.pickup_cell), CellFromId(row.dropoff_cell)) * pc.per_km_rate;
    RIDESWEEP_FAIL_UNLESS(r.fare >= base * (1 - 1e-12) - 1e-12 && r.fare <= base * cap_multiplier * (1 + 1e-12) + 1e-12,
                          "I6 fare " << r.fare << " outside [base, base x cap] with base " << base);
    RIDESWEEP_FAIL_UNLESS(NearlyEqualRel(r.surge_impact, std::max(0.0, r.fare - base), 1e-12), "surge_impact");
    const double commission = r.fare * pc.commission_rate;
    const double net = r.fare - commission;
    RIDESWEEP_FAIL_UNLESS(NearlyEqualRel(net + commission, r.fare), "I2 per completion");
    sum_fare += r.fare;
    sum_commission += commission;
    sum_net += net;
    to_match.push_back(r.TimeToMatchMs());
    to_pickup.push_back(r.TimeToPickupMs());
  }
  RIDESWEEP_FAIL_UNLESS(NearlyEqualRel(sum_fare, m.total_fares_collected), "I2 fares " << sum_fare << " vs "
                                                                                       << m.total_fares_collected);
  RIDESWEEP_FAIL_UNLESS(NearlyEqualRel(sum_commission, m.platform_revenue), "I2 revenue");
  RIDESWEEP_FAIL_UNLESS(NearlyEqualRel(sum_net, m.driver_payouts),
                        "I2 payouts " << sum_net << " vs " << m.driver_payouts);
  RIDESWEEP_FAIL_UNLESS(NearlyEqualRel(m.platform_revenue + m.driver_payouts, m.total_fares_collected),
                        "I2 revenue + payouts != fares");
  if (to_match.empty()) {
    // Nothing to average: the time metrics are missing, never 0.
    RIDESWEEP_FAIL_UNLESS(!m.avg_time_to_match_ms && !m.median_time_to_match_ms && !m.p90_time_to_match_ms &&
                              !m.avg_time_to_pickup_ms && !m.median_time_to_pickup_ms && !m.p90_time_to_pickup_ms,
                          "time metrics of a point with no completed trip must be missing");
  } else {
    const Summary3 match = Summarize3(to_match);
    const Summary3 pickup = Summarize3(to_pickup);
    RIDESWEEP_FAIL_UNLESS(match.avg == m.avg_time_to_match_ms && match.median == m.median_time_to_match_ms &&
                              match.p90 == m.p90_time_to_match_ms,
                          "time_to_match statistics");
    RIDESWEEP_FAIL_UNLESS(pickup.avg == m.avg_time_to_pickup_ms && pickup.median == m.median_time_to_pickup_ms &&
                              pickup.p90 == m.p90_time_to_pickup_ms,
                          "time_to_pickup statistics");
  }

  // snapshot_counts: I8, all kept, and consistent with trip_data (I4 on exported rows).
  RIDESWEEP_FAIL_UNLESS(snaps.size() == st.snapshots_taken, "snapshot rows " << snaps.size() << " != taken "
                                                                             << st.snapshots_taken);
  RIDESWEEP_FAIL_UNLESS((st.steps == 0) == snaps.empty(), "a run with events has snapshots");
  const uint64_t interval = p.behaviour.snapshot_interval_ms;
  size_t trips_before = 0;   // Trips with matched_at < snapshot time.
  size_t trips_through = 0;  // Trips with matched_at <= snapshot time.
  int64_t last_drivers = 0;
  for (size_t i = 0; i < snaps.size(); ++i) {
    const SnapshotRow& s = snaps[i];
    if (i > 0) {
      const SnapshotRow& prev = snaps[i - 1];
      RIDESWEEP_FAIL_UNLESS(s.timestamp_ms > prev.timestamp_ms, "I8 snapshot timestamps not strictly increasing");
      RIDESWEEP_FAIL_UNLESS(static_cast<uint64_t>(s.timestamp_ms - prev.timestamp_ms) >= interval,
                            "I8 snapshots closer than the interval");
      RIDESWEEP_FAIL_UNLESS(s.riders_completed >= prev.riders_completed &&
                                s.riders_cancelled >= prev.riders_cancelled &&
                                s.trips_completed >= prev.trips_completed &&
                                s.trips_cancelled >= prev.trips_cancelled &&
                                s.drivers_off_duty >= prev.drivers_off_duty,
                            "cumulative snapshot columns decreased");
    }
    RIDESWEEP_FAIL_UNLESS(s.timestamp_ms <= m.final_sim_time_ms, "snapshot after the stop");
    while (trips_before < trips.size() && trips[trips_before].matched_at < s.timestamp_ms) ++trips_before;
    while (trips_through < trips.size() && trips[trips_through].matched_at <= s.timestamp_ms) ++trips_through;
    const int64_t trip_sum = s.trips_en_route + s.trips_on_trip + s.trips_completed + s.trips_cancelled;
    RIDESWEEP_FAIL_UNLESS(trip_sum >= static_cast<int64_t>(trips_before) &&
                              trip_sum <= static_cast<int64_t>(trips_through),
                          "I4 snapshot trip states sum " << trip_sum << " outside [" << trips_before << ", "
                                                         << trips_through << "] at " << s.timestamp_ms);
    const int64_t driver_sum =
        s.drivers_idle + s.drivers_evaluating + s.drivers_en_route + s.drivers_on_trip + s.drivers_off_duty;
    RIDESWEEP_FAIL_UNLESS(driver_sum >= last_drivers && driver_sum <= m.total_drivers, "I4 snapshot driver sum");
    last_drivers = driver_sum;
    RIDESWEEP_FAIL_UNLESS(s.trips_completed == s.riders_completed, "completed trips vs completed riders in a snapshot");
    RIDESWEEP_FAIL_UNLESS(s.trips_on_trip == s.riders_in_transit && s.trips_on_trip == s.drivers_on_trip,
                          "OnTrip trips vs InTransit riders vs OnTrip drivers");
    RIDESWEEP_FAIL_UNLESS(s.trips_en_route == s.drivers_en_route, "EnRoute trips vs EnRoute drivers");
    RIDESWEEP_FAIL_UNLESS(s.riders_browsing >= 0 && s.riders_waiting >= 0 && s.drivers_idle >= 0, "negative counts");
  }
  if (!snaps.empty()) {
    RIDESWEEP_FAIL_UNLESS(snaps.back().riders_completed <= m.completed_riders &&
                              snaps.back().riders_cancelled <= m.cancelled_riders,
                          "final snapshot above the totals");
    RIDESWEEP_FAIL_UNLESS(static_cast<uint64_t>(m.final_sim_time_ms - snaps.back().timestamp_ms) < interval,
                          "snapshots stop before the end of the run");
  }

  // The event trace, when recorded: I8 (time never decreases), counts agree with the run statistics.
  if (cap.traced_events()) {
    const std::vector<EventTrace>& ev = cap.events();
    RIDESWEEP_FAIL_UNLESS(ev.size() == st.steps, "trace length != steps");
    std::array<uint64_t, kEventKindCount> by_kind{};
    uint64_t stale = 0;
    for (size_t i = 0; i < ev.size(); ++i) {
      if (i > 0) RIDESWEEP_FAIL_UNLESS(ev[i].timestamp_ms >= ev[i - 1].timestamp_ms, "I8 event time decreased");
      RIDESWEEP_FAIL_UNLESS(ev[i].kind < kEventKindCount, "unknown kind");
      ++by_kind[ev[i].kind];
      stale += ev[i].stale ? 1 : 0;
    }
    RIDESWEEP_FAIL_UNLESS(by_kind == st.events_by_kind, "per-kind trace counts != events_by_kind");
    RIDESWEEP_FAIL_UNLESS(stale == st.stale_events, "stale trace count != stale_events");
    if (!ev.empty()) RIDESWEEP_FAIL_UNLESS(ev.back().timestamp_ms == st.final_now, "last event time != final_now");

    // Replay the snapshot rule (§12.2) over the trace: exactly the events it selects have a snapshot row, and in a
    // spawned run each row's driver states add up to the drivers spawned so far (I4), riders to at most those.
    size_t next_snapshot = 0;
    bool have_snapshot = false;
    uint64_t last_snapshot_ms = 0;
    int64_t drivers_so_far = 0, riders_so_far = 0;
    for (const EventTrace& e : ev) {
      if (e.kind == static_cast<uint8_t>(EventKind::kSimulationStarted)) {
        drivers_so_far += static_cast<int64_t>(p.initial_driver_count);
        riders_so_far += static_cast<int64_t>(p.initial_rider_count);
      }
      if (e.kind == static_cast<uint8_t>(EventKind::kSpawnDriver) && !e.stale) ++drivers_so_far;
      if (e.kind == static_cast<uint8_t>(EventKind::kSpawnRider) && !e.stale) ++riders_so_far;
      if (have_snapshot && e.timestamp_ms - last_snapshot_ms < interval) continue;
      have_snapshot = true;
      last_snapshot_ms = e.timestamp_ms;
      RIDESWEEP_FAIL_UNLESS(next_snapshot < snaps.size(), "a snapshot is missing at " << e.timestamp_ms);
      const SnapshotRow& s = snaps[next_snapshot++];
      RIDESWEEP_FAIL_UNLESS(s.timestamp_ms == static_cast<int64_t>(e.timestamp_ms),
                            "snapshot at " << s.timestamp_ms << " where the rule takes one at " << e.timestamp_ms);
      if (origin == RiderOrigin::kSpawned) {
        const int64_t drivers =
            s.drivers_idle + s.drivers_evaluating + s.drivers_en_route + s.drivers_on_trip + s.drivers_off_duty;
        RIDESWEEP_FAIL_UNLESS(drivers == drivers_so_far, "I4 snapshot at " << s.timestamp_ms << " counts " << drivers
                                                                           << " drivers, spawned " << drivers_so_far);
        const int64_t riders =
            s.riders_browsing + s.riders_waiting + s.riders_in_transit + s.riders_completed + s.riders_cancelled;
        RIDESWEEP_FAIL_UNLESS(riders <= riders_so_far, "snapshot riders above riders spawned");
      }
    }
    RIDESWEEP_FAIL_UNLESS(next_snapshot == snaps.size(), "more snapshot rows than the rule takes");
  }
  return ::testing::AssertionSuccess();
}

#undef RIDESWEEP_FAIL_UNLESS

// Byte encoding of a run's outputs (metrics, trip_data, snapshot_counts, completed records) for exact comparison.
class ByteSink {
 public:
  template <typename T>
  void Put(T v) {
    static_assert(std::is_arithmetic_v<T>);
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    bytes_.append(buf, sizeof(T));
  }
  template <typename T>
  void Put(const std::optional<T>& v) {
    Put<uint8_t>(v.has_value() ? 1 : 0);
    Put<T>(v.value_or(T{}));
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

inline std::string MetricsBytes(const PointMetrics& m) {
  ByteSink s;
  s.Put(m.total_riders), s.Put(m.total_drivers), s.Put(m.completed_riders), s.Put(m.abandoned_quote_riders);
  s.Put(m.cancelled_riders), s.Put(m.conversion_rate), s.Put(m.platform_revenue), s.Put(m.driver_payouts);
  s.Put(m.total_fares_collected), s.Put(m.avg_time_to_match_ms), s.Put(m.median_time_to_match_ms);
  s.Put(m.p90_time_to_match_ms), s.Put(m.avg_time_to_pickup_ms), s.Put(m.median_time_to_pickup_ms);
  s.Put(m.p90_time_to_pickup_ms), s.Put(m.completed_trips), s.Put(m.riders_abandoned_price);
  s.Put(m.riders_abandoned_eta), s.Put(m.riders_abandoned_stochastic), s.Put(m.riders_spawned);
  s.Put(m.riders_unresolved), s.Put(m.trips_cancelled), s.Put(m.events_processed), s.Put(m.final_sim_time_ms);
  s.Put<uint8_t>(m.truncated ? 1 : 0);
  return s.bytes();
}

inline std::string TripRowsBytes(const std::vector<TripRow>& rows) {
  ByteSink s;
  for (const TripRow& r : rows) {
    s.Put(r.trip_entity), s.Put(r.rider_entity), s.Put(r.driver_entity), s.Put(r.state), s.Put(r.pickup_cell);
    s.Put(r.dropoff_cell), s.Put(r.pickup_distance_km_at_accept), s.Put(r.requested_at), s.Put(r.matched_at);
    s.Put(r.pickup_at), s.Put(r.dropoff_at), s.Put(r.cancelled_at);
  }
  return s.bytes();
}

inline std::string SnapshotRowsBytes(const std::vector<SnapshotRow>& rows) {
  ByteSink s;
  for (const SnapshotRow& r : rows) {
    for (int64_t v : {r.timestamp_ms, r.riders_browsing, r.riders_waiting, r.riders_in_transit, r.riders_completed,
                      r.riders_cancelled, r.drivers_idle, r.drivers_evaluating, r.drivers_en_route, r.drivers_on_trip,
                      r.drivers_off_duty, r.trips_en_route, r.trips_on_trip, r.trips_completed, r.trips_cancelled}) {
      s.Put(v);
    }
  }
  return s.bytes();
}

inline std::string RecordsBytes(const std::vector<CompletedTripRecord>& rows) {
  ByteSink s;
  for (const CompletedTripRecord& r : rows) {
    s.Put(r.trip), s.Put(r.rider), s.Put(r.driver), s.Put(r.completed_at), s.Put(r.requested_at);
    s.Put(r.matched_at), s.Put(r.pickup_at), s.Put(r.fare), s.Put(r.surge_impact);
  }
  return s.bytes();
}

// Everything a point exports, as bytes.
struct RunBytes {
  std::string metrics, trips, snapshots, records;
  friend bool operator==(const RunBytes&, const RunBytes&) = default;
};

inline RunBytes BytesOf(const SimOutput& out, const RunCapture& cap) {
  return {MetricsBytes(out.metrics), TripRowsBytes(cap.trips()), SnapshotRowsBytes(cap.snapshots()),
          RecordsBytes(cap.completed())};
}

}  // namespace ridesweep::sim::acceptance

#endif  // RIDESWEEP_SIM_TESTS_ACCEPTANCE_ACCEPTANCE_SUPPORT_H_
