// Spawning riders and drivers (docs/model.md "Spawning" and "Trips"): the spawner chains, positions (uniform
// or Berlin hotspots), city-shaped destinations (log-normal route length), the rider's price tolerance and the
// driver attributes.
#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/engine.h"
#include "model/calendar.h"

namespace ridesweep::sim {
namespace {

struct Hotspot {
  double lat;
  double lng;
};

constexpr Hotspot kRiderHotspots[] = {
    {52.520, 13.405}, {52.521, 13.413}, {52.525, 13.369}, {52.497, 13.391}, {52.516, 13.454},
    {52.538, 13.424}, {52.507, 13.304}, {52.484, 13.353}, {52.477, 13.442}, {52.549, 13.359},
    {52.509, 13.376}, {52.502, 13.326}, {52.554, 13.292}, {52.473, 13.401}, {52.535, 13.197}};
constexpr double kRiderHotspotWeights[] = {3.0, 2.5, 2.5, 2.0, 2.0, 1.8, 1.5, 1.5, 1.5, 1.2, 2.0, 1.8, 1.0, 1.2, 0.8};
constexpr Hotspot kDriverHotspots[] = {{52.525, 13.369}, {52.521, 13.413}, {52.507, 13.332}, {52.510, 13.434},
                                       {52.475, 13.365}, {52.520, 13.405}, {52.509, 13.376}, {52.520, 13.387},
                                       {52.549, 13.388}, {52.534, 13.198}};
constexpr double kDriverHotspotWeights[] = {3.0, 2.5, 2.0, 2.0, 1.8, 2.0, 1.8, 1.5, 1.2, 0.8};

constexpr uint64_t kShowQuoteDelayMs = 1'000;
constexpr uint32_t kDiskDestinationThreshold = 20;
constexpr int kDestinationTries = 2'000;

}  // namespace

Cell Engine::SampleUniformCell(Xoshiro256& rng) {
  const double lat = UniformReal(rng, params_.lat_min, params_.lat_max);
  const double lng = UniformReal(rng, params_.lng_min, params_.lng_max);
  return grid_.CellAt({lat, lng});
}

Cell Engine::SamplePosition(Xoshiro256& rng, bool rider) {
  if (params_.spawn_weighting == SpawnWeighting::kBerlinHotspots) {
    const size_t pick = rider ? WeightedChoice(rng, kRiderHotspotWeights) : WeightedChoice(rng, kDriverHotspotWeights);
    const Hotspot& h = rider ? kRiderHotspots[pick] : kDriverHotspots[pick];
    if (h.lat >= params_.lat_min && h.lat <= params_.lat_max && h.lng >= params_.lng_min && h.lng <= params_.lng_max) {
      return grid_.CellAt({h.lat, h.lng});
    }
  }
  return SampleUniformCell(rng);
}

void Engine::FilterDisk(Cell pickup, uint32_t k, uint32_t mn, uint32_t mx, std::vector<Cell>* out) {
  // Cells farther than the box's extent cannot have an in-bounds centre, so wider disks add nothing; since
  // disks are ring-ordered, the capped disk is a prefix of the requested one.
  int32_t q_min, q_max, r_min, r_max;
  grid_.AxialRange(0, &q_min, &q_max, &r_min, &r_max);
  const uint32_t extent = static_cast<uint32_t>((q_max - q_min) + (r_max - r_min) + 2);
  const uint32_t radius = std::min(k, extent);
  out->clear();
  // Ring j of the disk holds exactly the cells at distance j, so only rings mn..min(mx, radius) can qualify. Walk
  // them in the §3.3 order (start at c + j*D4, then j steps along each D_i) instead of materialising the whole
  // disk: a huge min_trip_cells in a large box would otherwise allocate and scan millions of cells per spawn.
  const uint32_t last = std::min(mx, radius);
  if (mn == 0 && grid_.CentreInBounds(pickup)) out->push_back(pickup);
  for (uint32_t j = std::max(mn, 1u); j <= last; ++j) {
    const int32_t ring = static_cast<int32_t>(j);
    Cell c{pickup.q + kHexDirections[4].q * ring, pickup.r + kHexDirections[4].r * ring};
    for (const Cell& dir : kHexDirections) {
      for (int32_t step = 0; step < ring; ++step) {
        if (grid_.CentreInBounds(c)) out->push_back(c);
        c = {c.q + dir.q, c.r + dir.r};
      }
    }
  }
}

Cell Engine::SampleDestination(Xoshiro256& rng, Cell pickup) {
  const uint32_t mn = params_.min_trip_cells;
  const uint32_t mx = std::max(params_.max_trip_cells, mn);
  // City-shaped trips: route length L = median * exp(sigma * Z) km (Z standard normal, Box-Muller), as
  // round(L / cell spacing) hops clamped to [mn, mx]; the destination is uniform on that ring. Draws that leave
  // the box are redrawn; after kLengthTries the uniform-in-range fallback below keeps every rider a trip.
  constexpr int kLengthTries = 16;
  for (int attempt = 0; attempt < kLengthTries; ++attempt) {
    const double u1 = 1.0 - U01(rng);  // (0, 1]
    const double u2 = U01(rng);
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.141592653589793 * u2);
    const double km = params_.trip_median_km * std::exp(params_.trip_length_sigma * z);
    const double hops_real = std::clamp(std::round(km / kCellSpacingKm), static_cast<double>(mn),
                                        static_cast<double>(mx));
    const uint32_t j = static_cast<uint32_t>(hops_real);
    const uint64_t position = UniformInt(rng, 0, j == 0 ? 0 : 6 * uint64_t{j} - 1);
    Cell c{pickup.q + kHexDirections[4].q * static_cast<int32_t>(j), pickup.r + kHexDirections[4].r * static_cast<int32_t>(j)};
    if (j > 0) {
      const uint64_t side = position / j;
      const int32_t step = static_cast<int32_t>(position % j);
      for (uint64_t d = 0; d < side; ++d) {
        c = {c.q + kHexDirections[d].q * static_cast<int32_t>(j), c.r + kHexDirections[d].r * static_cast<int32_t>(j)};
      }
      c = {c.q + kHexDirections[side].q * step, c.r + kHexDirections[side].r * step};
    }
    if (grid_.CentreInBounds(c)) return c;
  }
  if (mx <= kDiskDestinationThreshold) {
    FilterDisk(pickup, mx, mn, mx, &cells_scratch_);
    if (!cells_scratch_.empty()) return cells_scratch_[UniformInt(rng, 0, cells_scratch_.size() - 1)];
  }
  for (int attempt = 0; attempt < kDestinationTries; ++attempt) {
    const Cell c = SampleUniformCell(rng);
    const uint32_t d = HexDistance(pickup, c);
    if (d >= mn && d <= mx) return c;
  }
  FilterDisk(pickup, static_cast<uint32_t>((uint64_t{mn} + mx) / 2), mn, mx, &cells_scratch_);
  if (!cells_scratch_.empty()) return cells_scratch_[UniformInt(rng, 0, cells_scratch_.size() - 1)];
  return pickup;
}

uint32_t Engine::AddRider(Cell cell, Cell destination) {
  const uint32_t id = static_cast<uint32_t>(riders_.size());
  Rider& rider = riders_.emplace_back();
  rider.cell = cell;
  rider.destination = destination;
  rider.requested_at = now_;
  rider.state = RiderState::kBrowsing;
  rider.quote_rng = keys_.Stream(StreamPurpose::kRiderQuote, id);
  // Price tolerance: the rider accepts surge multipliers up to 1 + w, w exponential with the configured mean.
  Xoshiro256 price_rng = keys_.Stream(StreamPurpose::kRiderPrice, id);
  rider.max_multiplier = 1.0 - params_.behaviour.price_tolerance_mean * std::log(1.0 - U01(price_rng));
  ++counters_.riders_spawned;
  ++counters_.riders_in_state[static_cast<size_t>(RiderState::kBrowsing)];
  index_.AddOpenRider(id, cell);
  return id;
}

uint32_t Engine::SpawnRiderNow() {
  Xoshiro256 rng = keys_.Stream(StreamPurpose::kRiderSpawn, riders_.size());
  const Cell cell = SamplePosition(rng, /*rider=*/true);
  const Cell destination = SampleDestination(rng, cell);
  const uint32_t id = AddRider(cell, destination);
  ScheduleIn(kShowQuoteDelayMs, EventKind::kShowQuote, id);
  return id;
}

uint32_t Engine::AddDriverWithStream(Cell cell, Xoshiro256& rng) {
  const uint32_t id = static_cast<uint32_t>(drivers_.size());
  Driver& driver = drivers_.emplace_back();
  driver.cell = cell;
  driver.state = DriverState::kIdle;
  driver.earnings_target = UniformReal(rng, 100.0, 300.0);
  driver.fatigue_threshold_ms = static_cast<uint64_t>(std::trunc(UniformReal(rng, 8.0, 12.0) * 3'600'000.0));
  driver.shift_start_ms = now_;
  driver.accept_rng = keys_.Stream(StreamPurpose::kDriverAccept, id);
  ++counters_.drivers_spawned;
  ++counters_.drivers_in_state[static_cast<size_t>(DriverState::kIdle)];
  index_.AddIdleDriver(id, cell);
  index_.AddActiveDriver(cell);
  return id;
}

uint32_t Engine::AddDriver(Cell cell) {
  Xoshiro256 rng = keys_.Stream(StreamPurpose::kDriverSpawn, drivers_.size());
  return AddDriverWithStream(cell, rng);
}

uint32_t Engine::SpawnDriverNow() {
  Xoshiro256 rng = keys_.Stream(StreamPurpose::kDriverSpawn, drivers_.size());
  const Cell cell = SamplePosition(rng, /*rider=*/false);
  return AddDriverWithStream(cell, rng);
}

void Engine::ScheduleNextSpawn(Spawner& spawner, EventKind kind, Xoshiro256& arrival_rng, bool riders) {
  ++spawner.scheduled_count;
  const int64_t real = RealTimeMs(params_.epoch_ms, now_);
  const int day = DayOfWeek(real);
  const int hour = HourOfDay(real);
  const double multiplier = riders ? RiderDemandMultiplier(day, hour) : DriverSupplyMultiplier(day, hour);
  const double rate = spawner.base_rate_per_sec * multiplier;
  if (!(rate > 0)) {
    spawner.stopped = true;
    return;
  }
  const double gap_ms = std::trunc(ExponentialGapSecs(arrival_rng, rate) * 1000.0);
  constexpr double kMaxGap = 1.8e19;  // Below 2^64: larger gaps saturate.
  const uint64_t gap = gap_ms >= kMaxGap ? std::numeric_limits<uint64_t>::max() : static_cast<uint64_t>(gap_ms);
  spawner.next_spawn_ms = now_ > std::numeric_limits<uint64_t>::max() - gap ? std::numeric_limits<uint64_t>::max()
                                                                             : now_ + gap;
  if (spawner.MaySpawn(spawner.next_spawn_ms)) Schedule(spawner.next_spawn_ms, kind);
}

bool Engine::OnSpawnRider() {
  if (!rider_spawner_.MaySpawn(now_)) return false;
  SpawnRiderNow();
  ScheduleNextSpawn(rider_spawner_, EventKind::kSpawnRider, rider_arrival_rng_, /*riders=*/true);
  return true;
}

bool Engine::OnSpawnDriver() {
  if (!driver_spawner_.MaySpawn(now_)) return false;
  SpawnDriverNow();
  ScheduleNextSpawn(driver_spawner_, EventKind::kSpawnDriver, driver_arrival_rng_, /*riders=*/false);
  return true;
}

}  // namespace ridesweep::sim
