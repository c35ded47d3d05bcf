// Engine construction, scheduling, the run loop, state bookkeeping, snapshots and the end-of-run metrics
// (spec/simulation.md §1, §12, §13). Event handlers live in the other engine/*.cc files by concern.
#include "engine/engine.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/calendar.h"
#include "ridesweep/base/check.h"
#include "telemetry/statistics.h"

namespace ridesweep::sim {
namespace {

constexpr uint64_t kOffDutyPeriodMs = 300'000;
constexpr uint64_t kCancelCheckEvery = 8'192;

uint64_t SaturatingAdd(uint64_t a, uint64_t b) {
  return a > std::numeric_limits<uint64_t>::max() - b ? std::numeric_limits<uint64_t>::max() : a + b;
}

GeoBounds BoundsOf(const SimParams& p) { return {p.lat_min, p.lat_max, p.lng_min, p.lng_max}; }

}  // namespace

std::string_view StopReasonName(StopReason reason) {
  switch (reason) {
    case StopReason::kEndTime: return "EndTime";
    case StopReason::kQueueEmpty: return "QueueEmpty";
    case StopReason::kStepCap: return "StepCap";
  }
  return "EndTime";
}

std::string_view EventKindName(EventKind kind) {
  static constexpr std::string_view kNames[kEventKindCount] = {
      "SimulationStarted", "SpawnRider",     "SpawnDriver",   "ShowQuote",        "QuoteDecision",
      "QuoteAccepted",     "QuoteRejected",  "TryMatch",      "BatchMatchRun",    "MatchAccepted",
      "DriverDecision",    "MatchRejected",  "MoveStep",      "PickupEtaUpdated", "TripStarted",
      "TripCompleted",     "RiderCancel",    "CheckDriverOffDuty"};
  return kNames[static_cast<size_t>(kind)];
}

std::string_view EventKindNameAt(size_t ordinal) { return EventKindName(static_cast<EventKind>(ordinal)); }

Engine::Engine(const SimParams& params, SimObserver* observer)
    : params_(params),
      observer_(observer),
      grid_(BoundsOf(params)),
      index_(grid_),
      keys_(params.seed),
      end_ms_(ResolvedEndTimeMs(params)),
      rider_arrival_rng_(keys_.Stream(StreamPurpose::kRiderArrival, 0)),
      driver_arrival_rng_(keys_.Stream(StreamPurpose::kDriverArrival, 0)) {
  rider_spawner_.cap = params.num_riders - params.initial_rider_count;
  rider_spawner_.window_end = params.request_window_ms;
  rider_spawner_.base_rate_per_sec =
      static_cast<double>(rider_spawner_.cap) / (static_cast<double>(params.request_window_ms) / 1000.0) / 1.3;
  driver_spawner_.cap = params.num_drivers - params.initial_driver_count;
  driver_spawner_.window_end = params.driver_spread_ms;
  driver_spawner_.base_rate_per_sec =
      static_cast<double>(driver_spawner_.cap) / (static_cast<double>(params.driver_spread_ms) / 1000.0) / 1.2;

  if (params.speed_range_override_kmh.has_value()) {
    speed_lo_kmh_ = (*params.speed_range_override_kmh)[0];
    speed_hi_kmh_ = (*params.speed_range_override_kmh)[1];
  } else if (params.base_speed_kmh.has_value()) {
    speed_lo_kmh_ = std::max(5.0, *params.base_speed_kmh - 10.0);
    speed_hi_kmh_ = *params.base_speed_kmh + 10.0;
  } else {
    speed_lo_kmh_ = 20.0;
    speed_hi_kmh_ = 60.0;
  }
  // Hop time is km / v with v uniform in [lo, hi], so the mean time per km is E[1/v] = ln(hi/lo) / (hi - lo):
  // quotes and matching use the harmonic mean, the speed movement achieves on average.
  harmonic_speed_kmh_ = speed_hi_kmh_ > speed_lo_kmh_
                            ? (speed_hi_kmh_ - speed_lo_kmh_) / std::log(speed_hi_kmh_ / speed_lo_kmh_)
                            : speed_lo_kmh_;
  ring_offsets_ = grid_.DiskOffsets(kMaxIndexedRing);
  trace_events_ = observer_ != nullptr && observer_->WantsEventTrace();
  trace_decisions_ = observer_ != nullptr && observer_->WantsDecisionTrace();

  // Expected sizes keep reallocation off the hot path; capped so huge nominal counts do not pre-allocate.
  constexpr uint64_t kReserveCap = 1 << 16;
  riders_.reserve(std::min(params.num_riders, kReserveCap));
  drivers_.reserve(std::min(params.num_drivers, kReserveCap));
  trips_.reserve(std::min(params.num_riders, kReserveCap));
  queue_.Reserve(4096);
}

void Engine::Schedule(uint64_t at_ms, EventKind kind, uint32_t subject, uint32_t token) {
  RIDESWEEP_DCHECK(at_ms >= now_) << "scheduling " << EventKindName(kind) << " at " << at_ms << " before now " << now_;
  queue_.Push(at_ms, kind, subject, token);
}

void Engine::ScheduleIn(uint64_t delay_ms, EventKind kind, uint32_t subject, uint32_t token) {
  queue_.Push(SaturatingAdd(now_, delay_ms), kind, subject, token);
}

void Engine::ScheduleStart() {
  started_normally_ = true;
  Schedule(0, EventKind::kSimulationStarted);
}

bool Engine::Step() {
  if (queue_.empty()) {
    stats_.stop_reason = StopReason::kQueueEmpty;
    return false;
  }
  if (queue_.Top().time_ms >= end_ms_) {
    stats_.stop_reason = StopReason::kEndTime;
    return false;
  }
  if (stats_.steps == params_.max_steps) {
    stats_.stop_reason = StopReason::kStepCap;
    stats_.truncated = true;
    return false;
  }
  const Event event = queue_.Pop();
  RIDESWEEP_DCHECK(event.time_ms >= now_) << "time went backwards";
  now_ = event.time_ms;
  ++stats_.steps;
  const EventKind kind = event.kind();
  ++stats_.events_by_kind[static_cast<size_t>(kind)];
  const bool handled = Dispatch(event);
  if (!handled) ++stats_.stale_events;
  if (observer_ != nullptr && trace_events_) {
    observer_->OnEvent({event.time_ms, static_cast<uint8_t>(kind), event.subject, event.token, event.seq(),
                        !handled});
  }
  if (!have_snapshot_ || now_ - last_snapshot_ms_ >= params_.behaviour.snapshot_interval_ms) TakeSnapshot();
  return true;
}

Status Engine::Run(const std::atomic<bool>* cancel, bool check_invariants_each_event,
                   const std::function<bool()>& should_stop) {
  while (Step()) {
    if (check_invariants_each_event) {
      Status status = CheckInvariants();
      if (!status.ok()) {
        return status.WithPrefix("after event " + std::to_string(stats_.steps) + " at " + std::to_string(now_) +
                                 " ms: ");
      }
    }
    if (stats_.steps % kCancelCheckEvery == 0 &&
        ((cancel != nullptr && cancel->load(std::memory_order_relaxed)) || (should_stop && should_stop()))) {
      stats_.final_now = now_;
      return CancelledError("simulation cancelled after " + std::to_string(stats_.steps) + " events");
    }
  }
  stats_.final_now = now_;
  return Status::Ok();
}

bool Engine::Dispatch(const Event& e) {
  switch (e.kind()) {
    case EventKind::kSimulationStarted: return OnSimulationStarted();
    case EventKind::kSpawnRider: return OnSpawnRider();
    case EventKind::kSpawnDriver: return OnSpawnDriver();
    case EventKind::kShowQuote: return OnShowQuote(e.subject);
    case EventKind::kQuoteDecision: return OnQuoteDecision(e.subject);
    case EventKind::kQuoteAccepted: return OnQuoteAccepted(e.subject);
    case EventKind::kQuoteRejected: return OnQuoteRejected(e.subject);
    case EventKind::kTryMatch: return OnTryMatch(e.subject);
    case EventKind::kBatchMatchRun: return OnBatchMatchRun();
    case EventKind::kMatchAccepted: return OnMatchAccepted(e.subject, e.token);
    case EventKind::kDriverDecision: return OnDriverDecision(e.subject, e.token);
    case EventKind::kMatchRejected: return OnMatchRejected(e.subject);
    case EventKind::kMoveStep: return OnMoveStep(e.subject);
    case EventKind::kPickupEtaUpdated: return OnPickupEtaUpdated(e.subject);
    case EventKind::kTripStarted: return OnTripStarted(e.subject);
    case EventKind::kTripCompleted: return OnTripCompleted(e.subject);
    case EventKind::kRiderCancel: return OnRiderCancel(e.subject);
    case EventKind::kCheckDriverOffDuty: return OnCheckDriverOffDuty(e.subject);
  }
  return false;
}

bool Engine::OnSimulationStarted() {
  for (uint64_t i = 0; i < params_.initial_rider_count; ++i) SpawnRiderNow();
  for (uint64_t i = 0; i < params_.initial_driver_count; ++i) SpawnDriverNow();
  if (rider_spawner_.MaySpawn(0)) Schedule(0, EventKind::kSpawnRider);
  if (driver_spawner_.MaySpawn(0)) Schedule(0, EventKind::kSpawnDriver);
  if (params_.batch_matching_enabled) ScheduleIn(0, EventKind::kBatchMatchRun);
  ScheduleIn(kOffDutyPeriodMs, EventKind::kCheckDriverOffDuty);
  return true;
}

// --- State bookkeeping ---------------------------------------------------------------------------------

namespace {
bool IsOpen(RiderState s) { return s == RiderState::kBrowsing || s == RiderState::kWaiting; }
bool IsCounted(RiderState s) { return static_cast<int>(s) <= static_cast<int>(RiderState::kInTransit); }
}  // namespace

void Engine::SetRiderState(Rider& rider, uint32_t id, RiderState to) {
  const RiderState from = rider.state;
  if (IsCounted(from)) --counters_.riders_in_state[static_cast<size_t>(from)];
  if (IsCounted(to)) ++counters_.riders_in_state[static_cast<size_t>(to)];
  if (IsOpen(from) && !IsOpen(to)) index_.RemoveOpenRider(id, rider.cell);
  if (!IsOpen(from) && IsOpen(to)) index_.AddOpenRider(id, rider.cell);
  rider.state = to;
}

void Engine::SetDriverState(Driver& driver, uint32_t id, DriverState to) {
  const DriverState from = driver.state;
  --counters_.drivers_in_state[static_cast<size_t>(from)];
  ++counters_.drivers_in_state[static_cast<size_t>(to)];
  if (from == DriverState::kIdle && to != DriverState::kIdle) index_.RemoveIdleDriver(id, driver.cell);
  if (from != DriverState::kIdle && to == DriverState::kIdle) index_.AddIdleDriver(id, driver.cell);
  if (to == DriverState::kOffDuty && from != DriverState::kOffDuty) index_.RemoveActiveDriver(driver.cell);
  driver.state = to;
}

void Engine::SetTripState(Trip& trip, TripState to) {
  --counters_.trips_in_state[static_cast<size_t>(trip.state)];
  ++counters_.trips_in_state[static_cast<size_t>(to)];
  trip.state = to;
}

void Engine::MoveDriver(Driver& driver, uint32_t id, Cell to) {
  if (driver.state == DriverState::kIdle) {
    index_.RemoveIdleDriver(id, driver.cell);
    index_.AddIdleDriver(id, to);
  }
  if (driver.state != DriverState::kOffDuty) {
    index_.RemoveActiveDriver(driver.cell);
    index_.AddActiveDriver(to);
  }
  driver.cell = to;
}

// --- Telemetry -----------------------------------------------------------------------------------------

void Engine::TakeSnapshot() {
  const Counters& c = counters_;
  SnapshotRow row;
  row.timestamp_ms = static_cast<int64_t>(now_);
  row.riders_browsing = c.riders_in_state[0];
  row.riders_waiting = c.riders_in_state[1];
  row.riders_in_transit = c.riders_in_state[2];
  row.riders_completed = static_cast<int64_t>(c.riders_completed_total);
  row.riders_cancelled = static_cast<int64_t>(c.riders_cancelled_total);
  row.drivers_idle = c.drivers_in_state[0];
  row.drivers_evaluating = c.drivers_in_state[1];
  row.drivers_en_route = c.drivers_in_state[2];
  row.drivers_on_trip = c.drivers_in_state[3];
  row.drivers_off_duty = c.drivers_in_state[4];
  row.trips_en_route = c.trips_in_state[0];
  row.trips_on_trip = c.trips_in_state[1];
  row.trips_completed = c.trips_in_state[2];
  row.trips_cancelled = c.trips_in_state[3];
  have_snapshot_ = true;
  last_snapshot_ms_ = now_;
  ++stats_.snapshots_taken;
  if (keep_snapshots_) snapshots_for_testing_.push_back(row);
  if (observer_ != nullptr) observer_->OnSnapshot(row);
}

TripRow Engine::TripRowOf(uint32_t id) const {
  const Trip& t = trips_[id];
  TripRow row;
  row.trip_entity = static_cast<int64_t>(Handle(id));
  row.rider_entity = static_cast<int64_t>(Handle(t.rider));
  row.driver_entity = static_cast<int64_t>(Handle(t.driver));
  row.state = static_cast<int8_t>(t.state);
  row.pickup_cell = CellId(t.pickup_cell);
  row.dropoff_cell = CellId(t.dropoff_cell);
  row.pickup_distance_km_at_accept = t.pickup_distance_km_at_accept;
  row.requested_at = static_cast<int64_t>(t.requested_at);
  row.matched_at = static_cast<int64_t>(t.matched_at);
  if (t.pickup_at) row.pickup_at = static_cast<int64_t>(*t.pickup_at);
  if (t.dropoff_at) row.dropoff_at = static_cast<int64_t>(*t.dropoff_at);
  if (t.cancelled_at) row.cancelled_at = static_cast<int64_t>(*t.cancelled_at);
  return row;
}

PointMetrics Engine::Finish() {
  stats_.final_now = now_;
  stats_.riders_spawned = counters_.riders_spawned;
  stats_.drivers_spawned = counters_.drivers_spawned;
  stats_.trips_created = counters_.trips_created;
  if (observer_ != nullptr) {
    std::vector<TripRow> rows;
    rows.reserve(trips_.size());
    for (uint32_t id = 0; id < trips_.size(); ++id) rows.push_back(TripRowOf(id));
    observer_->OnTripTable(rows);
  }

  const Counters& c = counters_;
  PointMetrics m;
  const uint64_t resolved = c.riders_completed_total + c.riders_cancelled_total + c.riders_abandoned_quote_total;
  m.total_riders = static_cast<int64_t>(resolved);
  m.total_drivers = static_cast<int64_t>(c.drivers_spawned);
  m.completed_riders = static_cast<int64_t>(c.riders_completed_total);
  m.abandoned_quote_riders = static_cast<int64_t>(c.riders_abandoned_quote_total);
  m.cancelled_riders = static_cast<int64_t>(c.riders_cancelled_total);
  m.conversion_rate =
      resolved == 0 ? 0.0 : static_cast<double>(c.riders_completed_total) / static_cast<double>(resolved);
  m.platform_revenue = c.platform_revenue_total;
  double payouts = 0.0;
  for (const Driver& d : drivers_) payouts += d.daily_earnings;
  m.driver_payouts = payouts;
  m.total_fares_collected = c.total_fares_collected;

  // Time metrics average completed trips; with none there is nothing to average and they stay missing.
  if (!completed_.empty()) {
    std::vector<uint64_t> values;
    values.reserve(completed_.size());
    for (const CompletedTripRecord& r : completed_) values.push_back(r.TimeToMatchMs());
    const Summary match = Summarize(values);
    values.clear();
    for (const CompletedTripRecord& r : completed_) values.push_back(r.TimeToPickupMs());
    const Summary pickup = Summarize(values);
    m.avg_time_to_match_ms = match.avg;
    m.median_time_to_match_ms = match.median;
    m.p90_time_to_match_ms = match.p90;
    m.avg_time_to_pickup_ms = pickup.avg;
    m.median_time_to_pickup_ms = pickup.median;
    m.p90_time_to_pickup_ms = pickup.p90;
  }
  m.completed_trips = static_cast<int64_t>(completed_.size());
  m.riders_abandoned_price = static_cast<int64_t>(c.riders_abandoned_price);
  m.riders_abandoned_eta = static_cast<int64_t>(c.riders_abandoned_eta);
  m.riders_abandoned_stochastic = static_cast<int64_t>(c.riders_abandoned_stochastic);
  m.riders_spawned = static_cast<int64_t>(c.riders_spawned);
  m.riders_unresolved = c.riders_in_state[0] + c.riders_in_state[1] + c.riders_in_state[2];
  m.trips_cancelled = c.trips_in_state[static_cast<size_t>(TripState::kCancelled)];
  m.events_processed = static_cast<int64_t>(stats_.steps);
  m.final_sim_time_ms = static_cast<int64_t>(now_);
  m.truncated = stats_.truncated;
  m.riders_abandoned_no_driver = static_cast<int64_t>(c.riders_abandoned_no_driver);
  if (c.resolved_after_accepting > 0) {
    const double accepted = static_cast<double>(c.resolved_after_accepting);
    m.match_rate = static_cast<double>(c.resolved_matched) / accepted;
  }
  if (resolved > 0) {
    m.share_matched_within_60s = static_cast<double>(c.resolved_matched_within_60s) / static_cast<double>(resolved);
    m.share_matched_within_180s = static_cast<double>(c.resolved_matched_within_180s) / static_cast<double>(resolved);
  }
  return m;
}

}  // namespace ridesweep::sim
