// Engine holds the world of one simulation run (riders, drivers, trips, spatial index, event queue, counters)
// and the handlers of every event kind (spec/simulation.md §1-§12). Entities live in contiguous vectors indexed
// by creation ordinal (handle = 1 << 32 | index, never reused). No I/O, threads or globals; telemetry leaves
// through the SimObserver. Tests build worlds directly through the World-building methods and Step().
// REQUIRES: params passed ValidateSimParams(). Not thread-safe: one engine per run.
#ifndef RIDESWEEP_SIM_ENGINE_ENGINE_H_
#define RIDESWEEP_SIM_ENGINE_ENGINE_H_

#include <array>
#include <atomic>
#include <functional>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/event_queue.h"
#include "geo/hex_grid.h"
#include "geo/spatial_index.h"
#include "model/matching.h"
#include "random/rng.h"
#include "ridesweep/base/status.h"
#include "ridesweep/sim/observer.h"
#include "ridesweep/sim/params.h"
#include "ridesweep/sim/records.h"

namespace ridesweep::sim {

inline constexpr uint32_t kNone = UINT32_MAX;
inline constexpr uint64_t kHandleGeneration = uint64_t{1} << 32;
inline uint64_t Handle(uint32_t index) { return kHandleGeneration | index; }

enum class RejectionReason : uint8_t { kNotRejected, kPriceTooHigh, kEtaTooLong, kStochastic, kNoDriver };

struct Rider {
  Cell cell;
  Cell destination;
  uint64_t requested_at = 0;
  double quote_fare = 0.0;
  double quote_multiplier = 1.0;
  uint64_t quote_eta_ms = 0;
  bool has_quote = false;
  bool quote_has_driver = false;   // A driver matching could assign existed when the quote was shown.
  bool accepted_quote = false;
  double max_multiplier = 0.0;     // Largest surge multiplier this rider accepts (1 + w, drawn at spawn).
  std::optional<uint64_t> matched_at;  // First time a driver accepted this rider.
  std::vector<uint32_t> declined_by;   // Drivers that declined this rider: never offered again (lifetime).
  RiderState state = RiderState::kBrowsing;
  RejectionReason last_rejection_reason = RejectionReason::kNotRejected;
  uint32_t quote_rejections = 0;
  double accepted_fare = 0.0;
  uint32_t matched_driver = kNone;
  uint32_t assigned_trip = kNone;
  Xoshiro256 quote_rng;  // Stream 5, persisted across decisions.
  bool alive() const { return state == RiderState::kBrowsing || state == RiderState::kWaiting ||
                              state == RiderState::kInTransit; }
};

struct Driver {
  Cell cell;
  DriverState state = DriverState::kIdle;
  uint32_t matched_rider = kNone;
  uint32_t assigned_trip = kNone;
  uint32_t assignment_seq = 0;
  double daily_earnings = 0.0;
  double earnings_target = 0.0;
  uint64_t shift_start_ms = 0;
  std::optional<uint64_t> shift_end_ms;
  uint64_t fatigue_threshold_ms = 0;
  Xoshiro256 accept_rng;  // Stream 7, persisted across decisions.
};

// The current leg of a trip. Path cells are recomputed on demand (PathCell), so a route allocates nothing.
struct Route {
  bool active = false;
  Cell start;
  Cell target;
  uint32_t hops = 0;      // Segments in the leg (= grid distance).
  uint32_t next = 0;      // Index of the next segment to travel.
  double travelled_km = 0.0;
  double total_km = 0.0;  // Length of a drive to the pickup (feeds its ETA); left 0 on the drive to the drop-off.
};

struct Trip {
  uint32_t rider = kNone;
  uint32_t driver = kNone;
  Cell pickup_cell;
  Cell dropoff_cell;
  uint64_t requested_at = 0;
  uint64_t matched_at = 0;
  std::optional<uint64_t> pickup_at;
  std::optional<uint64_t> dropoff_at;
  std::optional<uint64_t> cancelled_at;
  double agreed_fare = 0.0;
  double pickup_distance_km_at_accept = 0.0;
  uint64_t pickup_eta_ms = 0;            // Remaining pickup time, updated on every hop.
  uint64_t pickup_eta_at_accept_ms = 0;  // The ETA when the driver accepted (what matching assumed).
  TripState state = TripState::kEnRoute;
  Route route;
  Xoshiro256 speed_rng;  // Stream 8.
};

// Cumulative counters (§12.1) and current state counts (for O(1) snapshots).
struct Counters {
  uint64_t riders_spawned = 0;
  uint64_t drivers_spawned = 0;
  uint64_t riders_completed_total = 0;
  uint64_t riders_cancelled_total = 0;
  uint64_t riders_cancelled_pickup_timeout = 0;
  uint64_t riders_abandoned_quote_total = 0;
  uint64_t riders_abandoned_price = 0;
  uint64_t riders_abandoned_eta = 0;
  uint64_t riders_abandoned_stochastic = 0;
  uint64_t riders_abandoned_no_driver = 0;
  uint64_t resolved_after_accepting = 0;   // Completed or cancelled riders (they accepted a quote).
  uint64_t resolved_matched = 0;           // ... of whom a driver accepted them.
  uint64_t resolved_matched_within_60s = 0;
  uint64_t resolved_matched_within_180s = 0;
  double platform_revenue_total = 0.0;
  double total_fares_collected = 0.0;
  uint64_t trips_created = 0;
  std::array<int64_t, 3> riders_in_state{};   // Browsing, Waiting, InTransit.
  std::array<int64_t, 5> drivers_in_state{};  // By DriverState.
  std::array<int64_t, 4> trips_in_state{};    // By TripState.
};

class Engine {
 public:
  Engine(const SimParams& params, SimObserver* observer);

  // Schedules SimulationStarted at t = 0 (a normal run). Tests that build worlds directly skip it.
  void ScheduleStart();
  // Runs until the end time, an empty queue, the step cap or cancellation (kCancelled).
  Status Run(const std::atomic<bool>* cancel, bool check_invariants_each_event,
             const std::function<bool()>& should_stop = {});
  // Processes one event if the loop would; returns false when the run stops. For tests.
  bool Step();
  // Builds metrics and emits the trip table; call once after the run.
  PointMetrics Finish();

  // World building for tests (handlers behave exactly as for spawned agents).
  uint32_t AddRider(Cell cell, Cell destination);          // Browsing, requested_at = now; no events.
  uint32_t AddDriver(Cell cell);                          // Idle; attributes drawn as at spawn.
  void Schedule(uint64_t at_ms, EventKind kind, uint32_t subject = kNone, uint32_t token = 0);
  // Schedules at now + delay (saturating: a time past the end simply never runs).
  void ScheduleIn(uint64_t delay_ms, EventKind kind, uint32_t subject = kNone, uint32_t token = 0);
  void SetNowForTesting(uint64_t now_ms) { now_ = now_ms; }

  // Checks §16.4 invariants I1-I4, I6-I8 and I10 against the current world (I9 and I2 on completed records too).
  Status CheckInvariants() const;

  const SimParams& params() const { return params_; }
  const HexGrid& grid() const { return grid_; }
  uint64_t now() const { return now_; }
  const RunStats& stats() const { return stats_; }
  const Counters& counters() const { return counters_; }
  const std::vector<Rider>& riders() const { return riders_; }
  const std::vector<Driver>& drivers() const { return drivers_; }
  const std::vector<Trip>& trips() const { return trips_; }
  std::vector<Rider>& mutable_riders() { return riders_; }
  std::vector<Driver>& mutable_drivers() { return drivers_; }
  std::vector<Trip>& mutable_trips() { return trips_; }
  const EventQueue& queue() const { return queue_; }
  const std::vector<CompletedTripRecord>& completed_records() const { return completed_; }
  const std::vector<SnapshotRow>& snapshots_for_testing() const { return snapshots_for_testing_; }
  void KeepSnapshotsForTesting() { keep_snapshots_ = true; }
  // Quote math, exposed for tests.
  double BaseFare(Cell pickup, Cell dropoff) const;
  // Surge multiplier at a pickup cell for a quoting rider (who is not counted as demand).
  double SurgeMultiplier(Cell pickup, uint32_t quoting_rider = kNone);
  // ETA of the nearest Idle driver matching could assign to a rider at `pickup` (within match_radius), at the
  // speed movement achieves; none when no such driver exists.
  std::optional<uint64_t> QuoteEtaMs(Cell pickup) const;
  // Mean realised driving speed now (harmonic mean of the per-hop speed range times the traffic factor at
  // `cell`), and the ETA of a route of `hops` cells at it (plus the one-second start of a leg).
  double ExpectedSpeedKmh(Cell cell) const;
  uint64_t RouteEtaMs(uint32_t hops, Cell from) const;
  // Speed-model pieces, exposed for tests.
  double TrafficFactorAt(Cell driver_cell) const;
  static uint64_t HopMs(double km, double speed_kmh);

 private:
  // Spawning (§5).
  struct Spawner {
    uint64_t cap = 0;
    uint64_t window_end = 0;
    uint64_t next_spawn_ms = 0;
    uint64_t scheduled_count = 0;
    double base_rate_per_sec = 0.0;
    bool stopped = false;
    bool MaySpawn(uint64_t t) const {
      return !stopped && scheduled_count < cap && t <= window_end && t >= next_spawn_ms;
    }
  };
  uint32_t SpawnRiderNow();
  uint32_t SpawnDriverNow();
  uint32_t AddDriverWithStream(Cell cell, Xoshiro256& rng);
  void ScheduleNextSpawn(Spawner& spawner, EventKind kind, Xoshiro256& arrival_rng, bool riders);
  Cell SamplePosition(Xoshiro256& rng, bool rider);
  Cell SampleUniformCell(Xoshiro256& rng);
  Cell SampleDestination(Xoshiro256& rng, Cell pickup);
  void FilterDisk(Cell pickup, uint32_t k, uint32_t mn, uint32_t mx, std::vector<Cell>* out);

  // Handlers (one per kind). Each returns false when the event is stale.
  bool Dispatch(const Event& e);
  bool OnSimulationStarted();
  bool OnSpawnRider();
  bool OnSpawnDriver();
  bool OnShowQuote(uint32_t rider);
  bool OnQuoteDecision(uint32_t rider);
  bool OnQuoteAccepted(uint32_t rider);
  bool OnQuoteRejected(uint32_t rider);
  bool OnTryMatch(uint32_t rider);
  bool OnBatchMatchRun();
  bool OnMatchAccepted(uint32_t driver, uint32_t token);
  bool OnDriverDecision(uint32_t driver, uint32_t token);
  bool OnMatchRejected(uint32_t rider);
  bool OnMoveStep(uint32_t trip);
  bool OnPickupEtaUpdated(uint32_t trip);
  bool OnTripStarted(uint32_t trip);
  bool OnTripCompleted(uint32_t trip);
  bool OnRiderCancel(uint32_t rider);
  bool OnCheckDriverOffDuty(uint32_t driver);

  // State transitions that keep counters and the spatial index in sync.
  void SetRiderState(Rider& rider, uint32_t id, RiderState to);
  void SetDriverState(Driver& driver, uint32_t id, DriverState to);
  void SetTripState(Trip& trip, TripState to);
  void MoveDriver(Driver& driver, uint32_t id, Cell to);
  void ApplyMatch(uint32_t rider, uint32_t driver);
  // Counts a rider's resolution (completed or cancelled after accepting a quote) in the match metrics.
  void CountAcceptedRiderResolution(const Rider& rider);
  bool OffDutyConditionHolds(const Driver& driver) const;
  // Feasible Idle drivers of a rider (distance <= match_radius), appended in unspecified order. Drivers that
  // declined the rider are left out. At most `nearest` are appended: the nearest of the set (hops, then id).
  void CollectFeasibleDrivers(const Rider& rider, size_t nearest, std::vector<uint32_t>* out);
  void TakeSnapshot();
  TripRow TripRowOf(uint32_t id) const;

  // Rings up to this radius are enumerated from precomputed offsets; wider searches scan the agent lists.
  static constexpr uint32_t kMaxIndexedRing = 64;

  SimParams params_;
  SimObserver* observer_;
  HexGrid grid_;
  SpatialIndex index_;
  StreamKeys keys_;
  EventQueue queue_;
  BatchMatcher matcher_;
  uint64_t now_ = 0;
  uint64_t end_ms_;
  RunStats stats_;
  Counters counters_;
  std::vector<Rider> riders_;
  std::vector<Driver> drivers_;
  std::vector<Trip> trips_;
  std::vector<CompletedTripRecord> completed_;
  Spawner rider_spawner_;
  Spawner driver_spawner_;
  Xoshiro256 rider_arrival_rng_;
  Xoshiro256 driver_arrival_rng_;
  double speed_lo_kmh_;
  double speed_hi_kmh_;
  double harmonic_speed_kmh_;  // 1 / E[1 / v] for v uniform in [lo, hi]: the speed hops realise on average.
  bool started_normally_ = false;
  bool trace_events_ = false;
  bool trace_decisions_ = false;
  std::vector<Cell> ring_offsets_;  // disk(0, kMaxIndexedRing) in §3.3 order.
  bool have_snapshot_ = false;
  uint64_t last_snapshot_ms_ = 0;
  bool keep_snapshots_ = false;
  std::vector<SnapshotRow> snapshots_for_testing_;
  // Reused scratch buffers (no per-event allocation).
  std::vector<Cell> cells_scratch_;
  std::vector<uint32_t> ids_scratch_;
  std::vector<uint32_t> batch_riders_;
  std::vector<CandidatePair> pairs_scratch_;
  std::vector<std::pair<uint32_t, uint32_t>> matches_scratch_;
};

}  // namespace ridesweep::sim

#endif  // RIDESWEEP_SIM_ENGINE_ENGINE_H_
