// Pricing, surge, quotes and the rider's decision (spec/simulation.md §6, rider rows R2-R5).
#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/engine.h"

namespace ridesweep::sim {
namespace {

constexpr uint64_t kDecisionDelayMs = 1'000;
constexpr uint64_t kNoDriverEtaMs = 300'000;
constexpr uint64_t kMinEtaMs = 1'000;
constexpr uint64_t kTryMatchDelayMs = 1'000;

}  // namespace

double Engine::BaseFare(Cell pickup, Cell dropoff) const {
  return params_.pricing_config.base_fare + DistKm(pickup, dropoff) * params_.pricing_config.per_km_rate;
}

double Engine::SurgeMultiplier(Cell pickup) {
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
  if (demand > supply && supply > 0) {
    const double m = 1.0 + static_cast<double>(demand - supply) / static_cast<double>(supply);
    return std::min(m, pc.surge_max_multiplier);
  }
  if (demand > supply) return pc.surge_max_multiplier;
  return 1.0;
}

uint64_t Engine::QuoteEtaMs(Cell pickup) const {
  const std::vector<uint32_t>& idle = index_.idle_drivers().items();
  if (idle.empty()) return kNoDriverEtaMs;
  double best = std::numeric_limits<double>::infinity();
  const auto brute_force = [&] {
    for (uint32_t d : idle) best = std::min(best, DistKm(drivers_[d].cell, pickup));
  };
  constexpr size_t kBruteForceBelow = 48;
  if (idle.size() <= kBruteForceBelow) {
    brute_force();
  } else {
    // Expanding rings; ring j's nearest possible centre is j * S * sqrt(3) / 2 away.
    const size_t budget = 4 * idle.size() + 64;
    bool exhausted = true;
    for (uint32_t j = 0; j <= kMaxIndexedRing; ++j) {
      if (j > 0 && j * kCellSpacingKm * kSqrt3 / 2.0 > best) {
        exhausted = false;
        break;
      }
      if (DiskSize(j) > budget) break;
      const size_t begin = j == 0 ? 0 : DiskSize(j - 1);
      const size_t end = DiskSize(j);
      for (size_t i = begin; i < end; ++i) {
        const Cell c{pickup.q + ring_offsets_[i].q, pickup.r + ring_offsets_[i].r};
        if (!index_.IdleDriversIn(c).empty()) best = std::min(best, DistKm(c, pickup));
      }
    }
    if (exhausted) {
      best = std::numeric_limits<double>::infinity();
      brute_force();
    }
  }
  return std::max(kMinEtaMs, static_cast<uint64_t>(std::trunc(best / 40.0 * 3'600'000.0)));
}

bool Engine::OnShowQuote(uint32_t id) {
  if (id >= riders_.size()) return false;
  Rider& rider = riders_[id];
  if (rider.state != RiderState::kBrowsing) return false;
  rider.quote_fare = BaseFare(rider.cell, rider.destination) * SurgeMultiplier(rider.cell);
  rider.quote_eta_ms = QuoteEtaMs(rider.cell);
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
  if (rider.quote_fare > b.max_willingness_to_pay) {
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
    case RejectionReason::kStochastic:
    case RejectionReason::kNotRejected: ++counters_.riders_abandoned_stochastic; break;
  }
  SetRiderState(rider, id, RiderState::kAbandoned);
  return true;
}

}  // namespace ridesweep::sim
