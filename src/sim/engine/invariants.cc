// The invariants of spec/simulation.md §16.4, checked against the live world. Tests run them after every event;
// debug builds run them at the end of every simulation.
#include <algorithm>
#include <cmath>
#include <string>

#include "engine/engine.h"
#include "ridesweep/sim/trip_funnel.h"

namespace ridesweep::sim {
namespace {

Status Broken(const std::string& what) { return InternalError("invariant violated: " + what); }

bool NearlyEqual(double a, double b) {
  const double scale = std::max(1.0, std::max(std::fabs(a), std::fabs(b)));
  return std::fabs(a - b) <= 1e-9 * scale;
}

}  // namespace

Status Engine::CheckInvariants() const {
  // I1: every trip passes the funnel validator.
  for (uint32_t t = 0; t < trips_.size(); ++t) RIDESWEEP_RETURN_IF_ERROR(ValidateTripFunnel(TripRowOf(t)));

  // I2: money adds up.
  double payouts = 0.0;
  for (const Driver& d : drivers_) payouts += d.daily_earnings;
  double record_fares = 0.0;
  for (const CompletedTripRecord& r : completed_) record_fares += r.fare;
  if (!NearlyEqual(payouts + counters_.platform_revenue_total, counters_.total_fares_collected)) {
    return Broken("I2 payouts + revenue != fares");
  }
  if (!NearlyEqual(record_fares, counters_.total_fares_collected)) return Broken("I2 record fares != fares");

  // I3: every spawned rider is resolved or alive; I4: state counts equal a recount.
  std::array<int64_t, 3> riders_in{};
  for (const Rider& r : riders_) {
    if (r.alive()) ++riders_in[static_cast<size_t>(r.state)];
  }
  if (riders_in != counters_.riders_in_state) return Broken("I4 rider state counts");
  const uint64_t alive = static_cast<uint64_t>(riders_in[0] + riders_in[1] + riders_in[2]);
  if (counters_.riders_spawned != counters_.riders_completed_total + counters_.riders_cancelled_total +
                                      counters_.riders_abandoned_quote_total + alive) {
    return Broken("I3 riders_spawned != completed + cancelled + abandoned + unresolved");
  }
  std::array<int64_t, 5> drivers_in{};
  for (const Driver& d : drivers_) ++drivers_in[static_cast<size_t>(d.state)];
  if (drivers_in != counters_.drivers_in_state || drivers_.size() != counters_.drivers_spawned) {
    return Broken("I4 driver state counts");
  }
  std::array<int64_t, 4> trips_in{};
  for (const Trip& t : trips_) ++trips_in[static_cast<size_t>(t.state)];
  if (trips_in != counters_.trips_in_state || trips_.size() != counters_.trips_created) {
    return Broken("I4 trip state counts");
  }

  // I5: completions agree.
  if (counters_.riders_completed_total != completed_.size() ||
      static_cast<uint64_t>(trips_in[static_cast<size_t>(TripState::kCompleted)]) != completed_.size()) {
    return Broken("I5 completed counts");
  }

  // I6: spawned within the nominal caps.
  if (counters_.riders_spawned > params_.num_riders || counters_.drivers_spawned > params_.num_drivers) {
    return Broken("I6 spawned above the nominal cap");
  }

  // I7: link invariants (§4.4); no driver assigned twice.
  for (uint32_t id = 0; id < riders_.size(); ++id) {
    const Rider& r = riders_[id];
    if (r.matched_driver != kNone) {
      if (!r.alive()) return Broken("I7 removed rider keeps a driver link");
      if (drivers_[r.matched_driver].matched_rider != id) return Broken("I7 rider->driver link not mirrored");
    }
    if (r.assigned_trip != kNone) {
      const Trip& t = trips_[r.assigned_trip];
      if (t.state != TripState::kEnRoute && t.state != TripState::kOnTrip) return Broken("I7 rider trip not active");
    }
  }
  for (uint32_t id = 0; id < drivers_.size(); ++id) {
    const Driver& d = drivers_[id];
    const bool busy = d.state == DriverState::kEvaluating || d.state == DriverState::kEnRoute ||
                      d.state == DriverState::kOnTrip;
    if ((d.matched_rider != kNone) != busy) return Broken("I7 driver link vs state, driver " + std::to_string(id));
    if (d.matched_rider != kNone && riders_[d.matched_rider].matched_driver != id) {
      return Broken("I7 driver->rider link not mirrored");
    }
    const bool has_trip = d.assigned_trip != kNone;
    if (has_trip != (d.state == DriverState::kEnRoute || d.state == DriverState::kOnTrip)) {
      return Broken("I7 driver trip link vs state, driver " + std::to_string(id));
    }
    if (has_trip) {
      const Trip& t = trips_[d.assigned_trip];
      if (t.driver != id || riders_[t.rider].assigned_trip != d.assigned_trip) return Broken("I7 trip links");
    }
  }
  for (uint32_t id = 0; id < trips_.size(); ++id) {
    const Trip& t = trips_[id];
    const bool active = t.state == TripState::kEnRoute || t.state == TripState::kOnTrip;
    const bool linked = drivers_[t.driver].assigned_trip == id && riders_[t.rider].assigned_trip == id;
    if (active != linked) return Broken("I7 trip " + std::to_string(id) + " active vs linked");
  }

  if (!started_normally_) return Status::Ok();
  // I9: minimum phase durations of spawned riders; I10: distances at acceptance and destinations.
  const uint64_t min_match = params_.batch_matching_enabled ? 4'001 : 5'000;
  for (const CompletedTripRecord& r : completed_) {
    if (r.TimeToMatchMs() < min_match) return Broken("I9 time_to_match too short");
    if (r.TimeToPickupMs() < 2'000 || r.TripDurationMs() < 2'000) return Broken("I9 phase too short");
  }
  const uint32_t mn = params_.min_trip_cells;
  const uint32_t mx = std::max(params_.max_trip_cells, mn);
  for (const Trip& t : trips_) {
    if (params_.match_radius < (1u << 20) &&
        t.pickup_distance_km_at_accept > params_.match_radius * kCellSpacingKm + 1e-9) {
      return Broken("I10 pickup distance beyond the match radius");
    }
    const uint32_t d = HexDistance(t.pickup_cell, t.dropoff_cell);
    if (d != 0 && (d < mn || d > mx)) return Broken("I10 dropoff outside the trip range");
  }
  return Status::Ok();
}

}  // namespace ridesweep::sim
