// Trips in motion and their ends (docs/model.md "Movement" and "Trips"): movement with speed, traffic and
// congestion (every hop, the last one included, costs its travel time), the patience check, pickup, completion
// and settlement, cancellation, and off-duty rules.
#include <algorithm>
#include <cmath>

#include "engine/engine.h"
#include "model/calendar.h"

namespace ridesweep::sim {
namespace {

constexpr uint64_t kSecondMs = 1'000;
constexpr uint64_t kOffDutyPeriodMs = 300'000;

uint64_t SecsToMs(uint64_t secs) { return secs > UINT64_MAX / 1000 ? UINT64_MAX : secs * 1000; }

}  // namespace

uint64_t Engine::HopMs(double km, double speed_kmh) {
  if (km <= 0) return 1'000;
  const double ms = std::round(km / std::max(speed_kmh, 1.0) * 3'600'000.0);
  return std::max<uint64_t>(1'000, static_cast<uint64_t>(ms));
}

double Engine::TrafficFactorAt(Cell driver_cell) const {
  const int hour = HourOfDay(RealTimeMs(params_.epoch_ms, now_));
  double factor = TrafficFactor(params_.traffic_profile, hour);  // x zone factor 1.0 (empty zone table).
  if (params_.dynamic_congestion_enabled) factor *= DensityFactor(index_.ActiveDriversIn(driver_cell));
  return factor;
}

bool Engine::OnMoveStep(uint32_t id) {
  if (id >= trips_.size()) return false;
  Trip& trip = trips_[id];
  Driver& driver = drivers_[trip.driver];
  const bool en_route = trip.state == TripState::kEnRoute && driver.state == DriverState::kEnRoute;
  const bool on_trip = trip.state == TripState::kOnTrip && driver.state == DriverState::kOnTrip;
  if (!(en_route || on_trip) || driver.assigned_trip != id) return false;

  const double factor = TrafficFactorAt(driver.cell);
  const double speed = std::max(1.0, UniformReal(trip.speed_rng, speed_lo_kmh_, speed_hi_kmh_) * factor);
  const Cell target = en_route ? trip.pickup_cell : trip.dropoff_cell;
  const EventKind arrival = en_route ? EventKind::kTripStarted : EventKind::kTripCompleted;
  if (driver.cell == target) {
    if (en_route) trip.pickup_eta_ms = 0;
    ScheduleIn(kSecondMs, arrival, id);
    return true;
  }

  Route& route = trip.route;
  if (!route.active) {
    route.active = true;
    route.start = driver.cell;
    route.target = target;
    route.hops = HexDistance(driver.cell, target);
    route.next = 0;
    route.travelled_km = 0.0;
    route.total_km = 0.0;
    // The route's length feeds the pickup ETA only; a drive to the drop-off (a new route) never reads it.
    Cell prev = route.start;
    for (uint32_t i = 1; en_route && i <= route.hops; ++i) {
      const Cell cur = PathCell(route.start, route.target, route.hops, i);
      route.total_km += DistKm(prev, cur);
      prev = cur;
    }
  }
  // The driver only moves along the route, so it stands on path cell `next`.
  const Cell to = PathCell(route.start, route.target, route.hops, route.next + 1);
  const double segment_km = DistKm(driver.cell, to);
  MoveDriver(driver, trip.driver, to);
  route.travelled_km += segment_km;
  ++route.next;
  if (on_trip) riders_[trip.rider].cell = to;
  const bool arrived = route.next >= route.hops;
  if (en_route) {
    // Still to drive: the hop just entered (its time is spent on it) and the rest of the route.
    const double remaining = std::max(0.0, route.total_km - route.travelled_km);
    trip.pickup_eta_ms = HopMs(remaining + segment_km, speed);
    ScheduleIn(0, EventKind::kPickupEtaUpdated, id);
  }
  // The driver is placed on the next cell at once and then spends the hop's travel time on it, so the arrival
  // waits for the last hop too.
  ScheduleIn(HopMs(segment_km, speed), arrived ? arrival : EventKind::kMoveStep, id);
  return true;
}

bool Engine::OnPickupEtaUpdated(uint32_t id) {
  if (id >= trips_.size()) return false;
  const Trip& trip = trips_[id];
  const Rider& rider = riders_[trip.rider];
  if (trip.state != TripState::kEnRoute || rider.state != RiderState::kWaiting ||
      rider.matched_driver != trip.driver) {
    return false;
  }
  const BehaviourParams& b = params_.behaviour;
  const uint64_t min_wait_ms = SecsToMs(b.min_wait_secs);
  const uint64_t max_wait_ms = SecsToMs(std::max(b.max_wait_secs, b.min_wait_secs));
  const auto add = [](uint64_t a, uint64_t c) { return a > UINT64_MAX - c ? UINT64_MAX : a + c; };
  if (now_ < add(trip.matched_at, min_wait_ms)) return true;
  if (add(now_, trip.pickup_eta_ms) > add(trip.matched_at, max_wait_ms)) {
    ScheduleIn(0, EventKind::kRiderCancel, trip.rider);
  }
  return true;
}

bool Engine::OnTripStarted(uint32_t id) {
  if (id >= trips_.size()) return false;
  Trip& trip = trips_[id];
  Driver& driver = drivers_[trip.driver];
  Rider& rider = riders_[trip.rider];
  if (trip.state != TripState::kEnRoute || driver.state != DriverState::kEnRoute || driver.assigned_trip != id ||
      rider.state != RiderState::kWaiting || rider.matched_driver != trip.driver || !(rider.cell == driver.cell)) {
    return false;
  }
  SetRiderState(rider, trip.rider, RiderState::kInTransit);
  SetDriverState(driver, trip.driver, DriverState::kOnTrip);
  SetTripState(trip, TripState::kOnTrip);
  trip.pickup_at = now_;
  trip.route.active = false;
  ScheduleIn(kSecondMs, EventKind::kMoveStep, id);
  return true;
}

bool Engine::OnTripCompleted(uint32_t id) {
  if (id >= trips_.size()) return false;
  Trip& trip = trips_[id];
  if (trip.state != TripState::kOnTrip) return false;
  const double fare = trip.agreed_fare;
  const double surge_impact = std::max(0.0, fare - BaseFare(trip.pickup_cell, trip.dropoff_cell));
  const double commission = fare * params_.pricing_config.commission_rate;
  const double driver_net = fare - commission;
  counters_.platform_revenue_total += commission;
  counters_.total_fares_collected += fare;
  ++counters_.riders_completed_total;
  trip.dropoff_at = now_;
  trip.route.active = false;
  SetTripState(trip, TripState::kCompleted);

  Rider& rider = riders_[trip.rider];
  rider.matched_driver = kNone;
  rider.assigned_trip = kNone;
  CountAcceptedRiderResolution(rider);
  SetRiderState(rider, trip.rider, RiderState::kCompleted);
  Driver& driver = drivers_[trip.driver];
  SetDriverState(driver, trip.driver, DriverState::kIdle);
  driver.matched_rider = kNone;
  driver.assigned_trip = kNone;
  driver.daily_earnings += driver_net;

  const CompletedTripRecord& record = completed_.emplace_back(
      CompletedTripRecord{Handle(id), Handle(trip.rider), Handle(trip.driver), now_, trip.requested_at,
                          trip.matched_at, trip.pickup_at.value_or(0), fare, surge_impact});
  if (observer_ != nullptr) observer_->OnTripCompleted(record);
  ScheduleIn(0, EventKind::kCheckDriverOffDuty, trip.driver);
  return true;
}

bool Engine::OnRiderCancel(uint32_t id) {
  if (id >= riders_.size()) return false;
  Rider& rider = riders_[id];
  if (rider.state != RiderState::kWaiting) return false;
  if (rider.assigned_trip != kNone) {
    Trip& trip = trips_[rider.assigned_trip];
    if (trip.state == TripState::kEnRoute) {
      trip.cancelled_at = now_;
      trip.route.active = false;
      SetTripState(trip, TripState::kCancelled);
    }
  }
  if (rider.matched_driver != kNone) {
    Driver& driver = drivers_[rider.matched_driver];
    if (driver.matched_rider == id &&
        (driver.state == DriverState::kEvaluating || driver.state == DriverState::kEnRoute)) {
      SetDriverState(driver, rider.matched_driver, DriverState::kIdle);
      driver.matched_rider = kNone;
      driver.assigned_trip = kNone;
    }
  }
  rider.matched_driver = kNone;
  rider.assigned_trip = kNone;
  ++counters_.riders_cancelled_total;
  ++counters_.riders_cancelled_pickup_timeout;
  CountAcceptedRiderResolution(rider);
  SetRiderState(rider, id, RiderState::kCancelled);
  return true;
}

bool Engine::OffDutyConditionHolds(const Driver& driver) const {
  return driver.daily_earnings >= driver.earnings_target || now_ - driver.shift_start_ms >= driver.fatigue_threshold_ms;
}

bool Engine::OnCheckDriverOffDuty(uint32_t id) {
  if (id == kNone) {
    for (uint32_t d = 0; d < drivers_.size(); ++d) {
      Driver& driver = drivers_[d];
      if (driver.state == DriverState::kIdle && OffDutyConditionHolds(driver)) {
        driver.shift_end_ms = now_;
        SetDriverState(driver, d, DriverState::kOffDuty);
      }
    }
    ScheduleIn(kOffDutyPeriodMs, EventKind::kCheckDriverOffDuty);
    return true;
  }
  if (id >= drivers_.size()) return false;
  Driver& driver = drivers_[id];
  if (driver.state != DriverState::kIdle) return false;
  if (OffDutyConditionHolds(driver)) {
    driver.shift_end_ms = now_;
    SetDriverState(driver, id, DriverState::kOffDuty);
  }
  return true;
}

}  // namespace ridesweep::sim
