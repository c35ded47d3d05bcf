// Matching and the driver's decision (docs/model.md "Matching" and "Drivers"): feasible pairs within
// match_radius minus pairs the driver already declined, and the driver's logit on net pay (fare - commission).
#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/engine.h"

namespace ridesweep::sim {
namespace {

constexpr uint64_t kSecondMs = 1'000;
constexpr uint64_t kRetryMatchMs = 30'000;
constexpr size_t kBatchCandidates = 8;

}  // namespace

void Engine::CollectFeasibleDrivers(const Rider& rider, size_t nearest, std::vector<uint32_t>* out) {
  RIDESWEEP_DCHECK(nearest > 0) << "nearest must be at least 1";
  const Cell rider_cell = rider.cell;
  const size_t first = out->size();
  const uint32_t k = params_.match_radius;
  const std::vector<uint32_t>& idle = index_.idle_drivers().items();
  // A driver who declined this rider is never offered the same rider again (the rider's lifetime).
  const auto declined = [&](uint32_t d) {
    return std::find(rider.declined_by.begin(), rider.declined_by.end(), d) != rider.declined_by.end();
  };
  // Walk the disk ring by ring when it has fewer cells than there are Idle drivers to scan; both give the same
  // set. Rings go outward, so once `nearest` drivers are in hand after a whole ring every driver not yet seen is
  // farther than all of them: the walk stops there, and only the last ring's drivers compete (by id) for the
  // places left.
  if (k <= kMaxIndexedRing && DiskSize(k) <= idle.size()) {
    size_t ring_start = first;
    for (uint32_t j = 0; j <= k && out->size() - first < nearest; ++j) {
      ring_start = out->size();
      const size_t end = DiskSize(j);
      for (size_t i = j == 0 ? 0 : DiskSize(j - 1); i < end; ++i) {
        const Cell c{rider_cell.q + ring_offsets_[i].q, rider_cell.r + ring_offsets_[i].r};
        for (uint32_t d : index_.IdleDriversIn(c)) {
          if (rider.declined_by.empty() || !declined(d)) out->push_back(d);
        }
      }
    }
    if (out->size() - first > nearest) {
      const auto last_place = out->begin() + static_cast<std::ptrdiff_t>(first + nearest - 1);
      std::nth_element(out->begin() + static_cast<std::ptrdiff_t>(ring_start), last_place, out->end());
      out->resize(first + nearest);
    }
    return;
  }
  for (uint32_t d : idle) {
    if (HexDistance(drivers_[d].cell, rider_cell) <= k && (rider.declined_by.empty() || !declined(d))) {
      out->push_back(d);
    }
  }
  if (out->size() - first > nearest) {
    const auto nearer = [&](uint32_t a, uint32_t b) {
      const uint32_t ha = HexDistance(rider_cell, drivers_[a].cell);
      const uint32_t hb = HexDistance(rider_cell, drivers_[b].cell);
      return ha != hb ? ha < hb : a < b;
    };
    const auto last_place = out->begin() + static_cast<std::ptrdiff_t>(first + nearest - 1);
    std::nth_element(out->begin() + static_cast<std::ptrdiff_t>(first), last_place, out->end(), nearer);
    out->resize(first + nearest);
  }
}

void Engine::CountAcceptedRiderResolution(const Rider& rider) {
  ++counters_.resolved_after_accepting;
  if (!rider.matched_at.has_value()) return;
  ++counters_.resolved_matched;
  const uint64_t to_match = *rider.matched_at - rider.requested_at;
  if (to_match <= 60'000) ++counters_.resolved_matched_within_60s;
  if (to_match <= 180'000) ++counters_.resolved_matched_within_180s;
}

void Engine::ApplyMatch(uint32_t rider_id, uint32_t driver_id) {
  Rider& rider = riders_[rider_id];
  Driver& driver = drivers_[driver_id];
  rider.matched_driver = driver_id;
  SetDriverState(driver, driver_id, DriverState::kEvaluating);
  driver.matched_rider = rider_id;
  ++driver.assignment_seq;
  ScheduleIn(kSecondMs, EventKind::kMatchAccepted, driver_id, driver.assignment_seq);
}

bool Engine::OnTryMatch(uint32_t id) {
  if (id >= riders_.size()) return false;
  const Rider& rider = riders_[id];
  if (rider.state != RiderState::kWaiting || rider.matched_driver != kNone) return false;
  ids_scratch_.clear();
  CollectFeasibleDrivers(rider, std::numeric_limits<size_t>::max(), &ids_scratch_);
  if (ids_scratch_.empty()) {
    ScheduleIn(kRetryMatchMs, EventKind::kTryMatch, id);
    return true;
  }
  uint32_t chosen = kNone;
  if (params_.matching_algorithm_type == MatchingAlgorithm::kSimple) {
    chosen = *std::min_element(ids_scratch_.begin(), ids_scratch_.end());
  } else {
    double best = 0.0;
    const uint64_t wait_ms = now_ - rider.requested_at;
    for (uint32_t d : ids_scratch_) {
      const Cell at = drivers_[d].cell;
      const double score =
          PairScore(DistKm(rider.cell, at), RouteEtaMs(HexDistance(rider.cell, at), at), params_.eta_weight, wait_ms);
      if (chosen == kNone || score > best || (score == best && d < chosen)) {
        chosen = d;
        best = score;
      }
    }
  }
  ApplyMatch(id, chosen);
  return true;
}

bool Engine::OnBatchMatchRun() {
  batch_riders_.clear();
  for (uint32_t r : index_.open_riders().items()) {
    if (riders_[r].state == RiderState::kWaiting && riders_[r].matched_driver == kNone) batch_riders_.push_back(r);
  }
  const size_t idle_count = index_.idle_drivers().size();
  if (!batch_riders_.empty() && idle_count > 0) {
    std::sort(batch_riders_.begin(), batch_riders_.end());
    pairs_scratch_.clear();
    for (uint32_t r : batch_riders_) {
      const Rider& rider = riders_[r];
      ids_scratch_.clear();
      // A batch offers each rider at most its kBatchCandidates nearest drivers (hops, then id): the assignment
      // only ever picks among the nearest, and the batch's cost stays bounded in dense markets. The matchers order
      // the pairs themselves, so only the set offered matters, not the order it was collected in.
      CollectFeasibleDrivers(rider, kBatchCandidates, &ids_scratch_);
      const uint64_t wait_ms = now_ - rider.requested_at;
      for (uint32_t d : ids_scratch_) {
        const Cell at = drivers_[d].cell;
        pairs_scratch_.push_back({r, d,
                                  PairScore(DistKm(rider.cell, at), RouteEtaMs(HexDistance(rider.cell, at), at),
                                            params_.eta_weight, wait_ms)});
      }
    }
    matcher_.Match(params_.matching_algorithm_type, batch_riders_.size(), idle_count, &pairs_scratch_,
                   &matches_scratch_);
    for (const auto& [r, d] : matches_scratch_) ApplyMatch(r, d);
  }
  const uint64_t interval = params_.batch_interval_secs;
  ScheduleIn(interval > UINT64_MAX / kSecondMs ? UINT64_MAX : interval * kSecondMs, EventKind::kBatchMatchRun);
  return true;
}

bool Engine::OnMatchAccepted(uint32_t id, uint32_t token) {
  if (id >= drivers_.size()) return false;
  const Driver& driver = drivers_[id];
  if (driver.state != DriverState::kEvaluating || driver.assignment_seq != token) return false;
  ScheduleIn(kSecondMs, EventKind::kDriverDecision, id, token);
  return true;
}

bool Engine::OnDriverDecision(uint32_t id, uint32_t token) {
  if (id >= drivers_.size()) return false;
  Driver& driver = drivers_[id];
  if (driver.state != DriverState::kEvaluating || driver.assignment_seq != token) return false;
  const uint32_t rider_id = driver.matched_rider;
  Rider* rider = rider_id < riders_.size() ? &riders_[rider_id] : nullptr;
  if (rider == nullptr || rider->state != RiderState::kWaiting || rider->matched_driver != id) {
    // Defensive (D4): the rider is gone or no longer linked back.
    SetDriverState(driver, id, DriverState::kIdle);
    driver.matched_rider = kNone;
    driver.assigned_trip = kNone;
    if (rider != nullptr && rider->matched_driver == id) rider->matched_driver = kNone;
    return true;
  }

  const BehaviourParams& b = params_.behaviour;
  const double pickup_km = DistKm(driver.cell, rider->cell);
  const double trip_km = DistKm(rider->cell, rider->destination);
  const double progress = driver.daily_earnings / std::max(driver.earnings_target, 1.0);
  const double fatigue = static_cast<double>(now_ - driver.shift_start_ms) /
                         static_cast<double>(std::max<uint64_t>(driver.fatigue_threshold_ms, 1));
  // Drivers weigh what they keep: the fare net of the platform's commission.
  const double net_pay = rider->accepted_fare * (1.0 - params_.pricing_config.commission_rate);
  const double score = b.base_acceptance_score + b.fare_weight * net_pay +
                       b.pickup_distance_penalty * pickup_km + b.trip_distance_bonus * trip_km +
                       b.earnings_progress_weight * progress + b.fatigue_penalty * fatigue;
  const double p = 1.0 / (1.0 + std::exp(-score));
  double u;
  if (b.fixed_acceptance_draw) {
    Xoshiro256 first = keys_.Stream(StreamPurpose::kDriverAccept, id);
    u = U01(first);
  } else {
    u = U01(driver.accept_rng);
  }
  if (observer_ != nullptr && trace_decisions_) observer_->OnDriverDecision(p, u < p);

  if (u < p) {
    const uint32_t trip_id = static_cast<uint32_t>(trips_.size());
    Trip& trip = trips_.emplace_back();
    trip.rider = rider_id;
    trip.driver = id;
    trip.pickup_cell = rider->cell;
    trip.dropoff_cell = rider->destination;
    trip.requested_at = rider->requested_at;
    trip.matched_at = now_;
    trip.agreed_fare = rider->accepted_fare;
    trip.pickup_distance_km_at_accept = pickup_km;
    trip.pickup_eta_ms = RouteEtaMs(HexDistance(driver.cell, rider->cell), driver.cell);
    trip.pickup_eta_at_accept_ms = trip.pickup_eta_ms;
    rider->matched_at = now_;
    trip.state = TripState::kEnRoute;
    trip.speed_rng = keys_.Stream(StreamPurpose::kSpeed, trip_id);
    ++counters_.trips_created;
    ++counters_.trips_in_state[static_cast<size_t>(TripState::kEnRoute)];
    SetDriverState(driver, id, DriverState::kEnRoute);
    driver.assigned_trip = trip_id;
    rider->assigned_trip = trip_id;
    ScheduleIn(kSecondMs, EventKind::kMoveStep, trip_id);
  } else {
    SetDriverState(driver, id, DriverState::kIdle);
    driver.matched_rider = kNone;
    rider->matched_driver = kNone;
    rider->declined_by.push_back(id);
    ScheduleIn(0, EventKind::kMatchRejected, rider_id);
  }
  return true;
}

bool Engine::OnMatchRejected(uint32_t id) {
  if (id >= riders_.size()) return false;
  const Rider& rider = riders_[id];
  if (params_.batch_matching_enabled || rider.state != RiderState::kWaiting || rider.matched_driver != kNone) {
    return false;
  }
  ScheduleIn(kRetryMatchMs, EventKind::kTryMatch, id);
  return true;
}

}  // namespace ridesweep::sim
