// Pricing, surge, quotes and the rider's decision (docs/model.md "Quotes" and "Surge"): the smooth, capped
// surge multiplier, the honest ETA (from drivers matching could assign, at the speed movement achieves), and the
// rider's price tolerance.
#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/engine.h"

namespace ridesweep::sim {
namespace {

constexpr uint64_t kDecisionDelayMs = 1'000;
constexpr uint64_t kMinEtaMs = 1'000;
constexpr uint64_t kTryMatchDelayMs = 1'000;

}  // namespace

double Engine::BaseFare(Cell pickup, Cell dropoff) const {
  return params_.pricing_config.base_fare + DistKm(pickup, dropoff) * params_.pricing_config.per_km_rate;
}

double Engine::SurgeMultiplier(Cell pickup, uint32_t quoting_rider) {
  const PricingConfig& pc = params_.pricing_config;
  if (!pc.surge_enabled || pc.surge_radius_k == 0) return 1.0;
  const uint32_t k = pc.surge_radius_k;
  uint64_t demand = 0;
  uint64_t supply = 0;
  const uint64_t agents = index_.open_riders().size() + index_.idle_drivers().size();
  if (k <= kMaxIndexedRing && DiskSize(k) <= agents) {
    const size_t n = DiskSize(k);
    for (size_t i = 0; i < n; ++i) {
      const Cell c{pickup.q + ring_offsets_[i].q, pickup.r + ring_offsets_[i].r};
      demand += index_.OpenRidersIn(c);
      supply += index_.IdleDriversIn(c).size();
    }
  } else {
    for (uint32_t r : index_.open_riders().items()) demand += HexDistance(riders_[r].cell, pickup) <= k ? 1 : 0;
    for (uint32_t d : index_.idle_drivers().items()) supply += HexDistance(drivers_[d].cell, pickup) <= k ? 1 : 0;
  }
  // The quoting rider is open and inside its own disk: it is not its own demand.
  if (quoting_rider != kNone && demand > 0 && riders_[quoting_rider].state == RiderState::kBrowsing &&
      HexDistance(riders_[quoting_rider].cell, pickup) <= k) {
    --demand;
  }
  if (demand <= supply) return 1.0;
  const double excess = static_cast<double>(demand - supply) / static_cast<double>(supply + 1);
  return std::min(pc.surge_max_multiplier, 1.0 + pc.surge_sensitivity * excess);
}

double Engine::ExpectedSpeedKmh(Cell cell) const { return std::max(1.0, harmonic_speed_kmh_ * TrafficFactorAt(cell)); }

uint64_t Engine::RouteEtaMs(uint32_t hops, Cell from) const {
  // A leg starts one second after the decision, then every hop costs kCellSpacingKm at the realised speed.
  if (hops == 0) return kMinEtaMs;
  const double km = static_cast<double>(hops) * kCellSpacingKm;
  return kMinEtaMs + static_cast<uint64_t>(std::llround(km / ExpectedSpeedKmh(from) * 3'600'000.0));
}

std::optional<uint64_t> Engine::QuoteEtaMs(Cell pickup) const {
  // The nearest (in hops) Idle driver within match_radius: rings outward, stop at the first non-empty ring.
  const uint32_t k = params_.match_radius;
  const std::vector<uint32_t>& idle = index_.idle_drivers().items();
  if (idle.empty()) return std::nullopt;
  uint32_t best_hops = UINT32_MAX;
  uint32_t best_driver = kNone;
  if (k <= kMaxIndexedRing && DiskSize(k) <= 4 * idle.size() + 64) {
    for (uint32_t j = 0; j <= k && best_driver == kNone; ++j) {
      const size_t begin = j == 0 ? 0 : DiskSize(j - 1);
      const size_t end = DiskSize(j);
      for (size_t i = begin; i < end; ++i) {
        const Cell c{pickup.q + ring_offsets_[i].q, pickup.r + ring_offsets_[i].r};
        for (uint32_t d : index_.IdleDriversIn(c)) {
          if (best_driver == kNone || d < best_driver) {
            best_driver = d;
            best_hops = j;
          }
        }
      }
    }
  } else {
    for (uint32_t d : idle) {
      const uint32_t hops = HexDistance(drivers_[d].cell, pickup);
      if (hops <= k && (hops < best_hops || (hops == best_hops && d < best_driver))) {
        best_hops = hops;
        best_driver = d;
      }
    }
  }
  if (best_driver == kNone) return std::nullopt;
  return std::max(kMinEtaMs, RouteEtaMs(best_hops, drivers_[best_driver].cell));
}

bool Engine::OnShowQuote(uint32_t id) {
  if (id >= riders_.size()) return false;
  Rider& rider = riders_[id];
  if (rider.state != RiderState::kBrowsing) return false;
  rider.quote_multiplier = SurgeMultiplier(rider.cell, id);
  rider.quote_fare = BaseFare(rider.cell, rider.destination) * rider.quote_multiplier;
  const std::optional<uint64_t> eta = QuoteEtaMs(rider.cell);
  rider.quote_has_driver = eta.has_value();
  rider.quote_eta_ms = eta.value_or(0);
  rider.has_quote = true;
  ScheduleIn(kDecisionDelayMs, EventKind::kQuoteDecision, id);
  return true;
}

bool Engine::OnQuoteDecision(uint32_t id) {
  if (id >= riders_.size()) return false;
  Rider& rider = riders_[id];
  if (rider.state != RiderState::kBrowsing || !rider.has_quote) return false;
  const BehaviourParams& b = params_.behaviour;
  RejectionReason reason = RejectionReason::kNotRejected;
  if (!rider.quote_has_driver) {
    reason = RejectionReason::kNoDriver;
  } else if (rider.quote_fare > b.max_willingness_to_pay || rider.quote_multiplier > rider.max_multiplier) {
    reason = RejectionReason::kPriceTooHigh;
  } else if (rider.quote_eta_ms > b.max_acceptable_eta_ms) {
    reason = RejectionReason::kEtaTooLong;
  } else {
    double u;
    if (b.fixed_acceptance_draw) {
      Xoshiro256 first = keys_.Stream(StreamPurpose::kRiderQuote, id);
      u = U01(first);
    } else {
      u = U01(rider.quote_rng);
    }
    if (!(u < b.accept_probability)) reason = RejectionReason::kStochastic;
  }
  if (reason == RejectionReason::kNotRejected) {
    ScheduleIn(0, EventKind::kQuoteAccepted, id);
  } else {
    rider.last_rejection_reason = reason;
    ScheduleIn(0, EventKind::kQuoteRejected, id);
  }
  return true;
}

bool Engine::OnQuoteAccepted(uint32_t id) {
  if (id >= riders_.size()) return false;
  Rider& rider = riders_[id];
  if (rider.state != RiderState::kBrowsing || !rider.has_quote) return false;
  rider.accepted_fare = rider.quote_fare;
  rider.has_quote = false;
  rider.accepted_quote = true;
  SetRiderState(rider, id, RiderState::kWaiting);
  const BehaviourParams& b = params_.behaviour;
  Xoshiro256 cancel_rng = keys_.Stream(StreamPurpose::kRiderCancel, id);
  const uint64_t wait_secs = UniformInt(cancel_rng, b.min_wait_secs, std::max(b.max_wait_secs, b.min_wait_secs));
  const uint64_t wait_ms = wait_secs > UINT64_MAX / 1000 ? UINT64_MAX : wait_secs * 1000;
  ScheduleIn(wait_ms, EventKind::kRiderCancel, id);
  if (!params_.batch_matching_enabled) ScheduleIn(kTryMatchDelayMs, EventKind::kTryMatch, id);
  return true;
}

bool Engine::OnQuoteRejected(uint32_t id) {
  if (id >= riders_.size()) return false;
  Rider& rider = riders_[id];
  if (rider.state != RiderState::kBrowsing) return false;
  rider.has_quote = false;
  ++rider.quote_rejections;
  const BehaviourParams& b = params_.behaviour;
  if (rider.quote_rejections <= b.max_quote_rejections) {
    const uint64_t delay_ms = b.re_quote_delay_secs > UINT64_MAX / 1000 ? UINT64_MAX : b.re_quote_delay_secs * 1000;
    ScheduleIn(delay_ms, EventKind::kShowQuote, id);
    return true;
  }
  ++counters_.riders_abandoned_quote_total;
  switch (rider.last_rejection_reason) {
    case RejectionReason::kPriceTooHigh: ++counters_.riders_abandoned_price; break;
    case RejectionReason::kEtaTooLong: ++counters_.riders_abandoned_eta; break;
    case RejectionReason::kNoDriver: ++counters_.riders_abandoned_no_driver; break;
    case RejectionReason::kStochastic:
    case RejectionReason::kNotRejected: ++counters_.riders_abandoned_stochastic; break;
  }
  SetRiderState(rider, id, RiderState::kAbandoned);
  return true;
}

}  // namespace ridesweep::sim
