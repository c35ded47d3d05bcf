// U2 (grid golden values), U3 (grid operations) and U10 (hotspot spawning) of spec/simulation.md §16.1, plus the
// §3.5 distance properties.
#include "geo/hex_grid.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <set>
#include <utility>
#include <vector>

#include "engine/engine.h"
#include "random/rng.h"
#include "tests/world_test_support.h"

namespace ridesweep::sim {
namespace {

using fixtures::CellTouchesBox;
using fixtures::kC0;
using fixtures::StepOne;

// A fixed-seed generator for random test inputs (replayable).
Xoshiro256 TestRng(uint64_t salt) { return StreamKeys(0x5EED).Stream(StreamPurpose::kSpeed, salt); }

int32_t RandomCoord(Xoshiro256& rng, int32_t lo, int32_t hi) {
  return static_cast<int32_t>(static_cast<int64_t>(UniformInt(rng, 0, static_cast<uint64_t>(hi - lo))) + lo);
}

TEST(HexGridTest, FixtureCells) {
  const HexGrid grid(GeoBounds{});
  EXPECT_EQ(grid.CellAt({52.51, 13.42}), kC0);
  EXPECT_EQ(CellId(kC0), 0x0980000008000000);
  EXPECT_EQ(CellId(fixtures::E(1)), 0x0980000018000000);
  EXPECT_EQ(CellId(fixtures::E(3)), 0x0980000038000000);
}

TEST(HexGridTest, GoldenValuesU2) {
  const HexGrid grid(GeoBounds{});
  const Cell a = grid.CellAt({52.520, 13.405});
  const Cell b = grid.CellAt({52.507, 13.304});
  EXPECT_EQ(a, (Cell{-5, 4}));
  EXPECT_EQ(CellId(a), 0x097FFFFFB8000004);
  EXPECT_EQ(b, (Cell{-23, -1}));
  EXPECT_EQ(CellId(b), 0x097FFFFE97FFFFFF);
  EXPECT_EQ(HexDistance(a, b), 23u);
  EXPECT_EQ(HexDistance(b, a), 23u);
  EXPECT_NEAR(DistKm(a, b), 6.914, 0.001);
}

TEST(HexGridTest, DefaultBoxHas18553Centres) {
  const HexGrid grid(GeoBounds{});
  // Independent bounds: the projected box, from the §3.1 formulas.
  const double lat0 = (52.34 + 52.68) / 2, lng0 = (13.08 + 13.76) / 2;
  const double rad = std::numbers::pi / 180.0;
  const double x_half = kEarthRadiusKm * (13.76 - lng0) * rad * std::cos(lat0 * rad);
  const double y_half = kEarthRadiusKm * (52.68 - lat0) * rad;
  int32_t q_min, q_max, r_min, r_max;
  grid.AxialRange(4, &q_min, &q_max, &r_min, &r_max);
  int64_t in_bounds = 0, independent = 0;
  for (int32_t r = r_min; r <= r_max; ++r) {
    for (int32_t q = q_min; q <= q_max; ++q) {
      const Cell c{q, r};
      in_bounds += grid.CentreInBounds(c) ? 1 : 0;
      const PlanePoint p = CellCentre(c);
      independent += (std::fabs(p.x) <= x_half + 1e-12 && std::fabs(p.y) <= y_half + 1e-12) ? 1 : 0;
    }
  }
  EXPECT_EQ(in_bounds, 18553);
  EXPECT_EQ(independent, 18553);
}

TEST(HexGridTest, NeighboursAreOneStepAnd330MetresApart) {
  const Cell c{7, -3};
  for (const Cell& d : kHexDirections) {
    const Cell n{c.q + d.q, c.r + d.r};
    EXPECT_EQ(HexDistance(c, n), 1u);
    EXPECT_NEAR(DistKm(c, n), 0.330, 1e-12);
  }
  EXPECT_EQ(HexDistance(c, c), 0u);
  EXPECT_EQ(DistKm(c, c), 0.0);
}

TEST(HexGridTest, DiskOfRadiusOneInSpecOrder) {
  HexGrid grid(GeoBounds{});
  std::vector<Cell> disk;
  grid.AppendDisk(kC0, 1, &disk);
  const std::vector<Cell> expected = {{0, 0}, {0, -1}, {1, -1}, {1, 0}, {0, 1}, {-1, 1}, {-1, 0}};
  EXPECT_EQ(disk, expected);
  for (const Cell& c : disk) EXPECT_LE(HexDistance(kC0, c), 1u);
}

TEST(HexGridTest, DiskSizesRingsAndOrder) {
  HexGrid grid(GeoBounds{});
  const Cell centre{-4, 9};
  for (uint32_t k = 0; k <= 12; ++k) {
    SCOPED_TRACE(k);
    std::vector<Cell> disk;
    grid.AppendDisk(centre, k, &disk);
    ASSERT_EQ(disk.size(), 1 + 3 * k * (k + 1));
    EXPECT_EQ(disk.size(), DiskSize(k));
    EXPECT_EQ(disk[0], centre);
    std::set<std::pair<int32_t, int32_t>> seen;
    for (const Cell& c : disk) EXPECT_TRUE(seen.insert({c.q, c.r}).second) << "duplicate cell";
    for (uint32_t j = 1; j <= k; ++j) {
      const size_t begin = DiskSize(j - 1);
      const size_t end = DiskSize(j);
      // Ring j starts at c + j·D4 and walks D0..D5, j steps each: consecutive cells are adjacent.
      const Cell start{centre.q + static_cast<int32_t>(j) * kHexDirections[4].q,
                       centre.r + static_cast<int32_t>(j) * kHexDirections[4].r};
      EXPECT_EQ(disk[begin], start);
      for (size_t i = begin; i < end; ++i) {
        EXPECT_EQ(HexDistance(centre, disk[i]), j);
        if (i + 1 < end) {
          EXPECT_EQ(HexDistance(disk[i], disk[i + 1]), 1u);
        }
      }
      // The first step of a ring goes along D0.
      if (j >= 1 && begin + 1 < end) {
        EXPECT_EQ(disk[begin + 1], (Cell{start.q + kHexDirections[0].q, start.r + kHexDirections[0].r}));
      }
      EXPECT_EQ(HexDistance(disk[end - 1], disk[begin]), 1u) << "ring closes";
    }
  }
}

TEST(HexGridTest, PathsHaveEndpointsAndAdjacentSteps) {
  Xoshiro256 rng = TestRng(1);
  for (int i = 0; i < 400; ++i) {
    const Cell a{RandomCoord(rng, -80, 80), RandomCoord(rng, -80, 80)};
    const Cell b{RandomCoord(rng, -80, 80), RandomCoord(rng, -80, 80)};
    std::vector<Cell> path;
    AppendPath(a, b, &path);
    const uint32_t n = HexDistance(a, b);
    ASSERT_EQ(path.size(), n + 1u);
    EXPECT_EQ(path.front(), a);
    EXPECT_EQ(path.back(), b);
    for (size_t s = 0; s + 1 < path.size(); ++s) EXPECT_EQ(HexDistance(path[s], path[s + 1]), 1u);
    for (uint32_t s = 0; s <= n; ++s) EXPECT_EQ(PathCell(a, b, n, s), path[s]);
  }
  std::vector<Cell> single;
  AppendPath(kC0, kC0, &single);
  EXPECT_EQ(single, std::vector<Cell>{kC0});
}

// An independent transcription of the §3.3 rules (cube rounding, nudged linear interpolation).
Cell SpecRound(double q_f, double r_f) {
  const double s_f = -q_f - r_f;
  double q = std::round(q_f), r = std::round(r_f);
  const double s = std::round(s_f);
  const double dq = std::fabs(q - q_f), dr = std::fabs(r - r_f), ds = std::fabs(s - s_f);
  if (dq > dr && dq > ds) {
    q = -r - s;
  } else if (dr > ds) {
    r = -q - s;
  }
  return {static_cast<int32_t>(q), static_cast<int32_t>(r)};
}

TEST(HexGridTest, PathAndPointRulesFollowTheSpecFormulas) {
  Xoshiro256 rng = TestRng(5);
  for (int i = 0; i < 300; ++i) {
    const Cell a{RandomCoord(rng, -40, 40), RandomCoord(rng, -40, 40)};
    const Cell b{RandomCoord(rng, -40, 40), RandomCoord(rng, -40, 40)};
    std::vector<Cell> path;
    AppendPath(a, b, &path);
    const uint32_t n = HexDistance(a, b);
    for (uint32_t s = 0; s <= n; ++s) {
      const double t = n == 0 ? 0.0 : static_cast<double>(s) / n;
      EXPECT_EQ(path[s], SpecRound(a.q + (b.q - a.q) * t + 1e-6, a.r + (b.r - a.r) * t + 2e-6));
    }
  }
  const GeoBounds box;
  const HexGrid grid(box);
  for (int i = 0; i < 1000; ++i) {
    const LatLng p{UniformReal(rng, box.lat_min, box.lat_max), UniformReal(rng, box.lng_min, box.lng_max)};
    const PlanePoint xy = grid.Project(p);
    const double r_f = 2 * xy.y / (kSqrt3 * kCellSpacingKm);
    const double q_f = xy.x / kCellSpacingKm - r_f / 2;
    EXPECT_EQ(grid.CellAt(p), SpecRound(q_f, r_f));
  }
}

TEST(HexGridTest, PathAlongAnAxisIsStraight) {
  std::vector<Cell> path;
  AppendPath(kC0, fixtures::E(5), &path);
  for (int32_t k = 0; k <= 5; ++k) EXPECT_EQ(path[static_cast<size_t>(k)], fixtures::E(k));
}

TEST(HexGridTest, IdRoundTrip) {
  Xoshiro256 rng = TestRng(2);
  const int32_t lim = (1 << 27) - 1;
  std::vector<Cell> cells = {{0, 0}, {lim, lim}, {-lim, -lim}, {lim, -lim}, {-lim, lim}, {-5, 4}, {-23, -1}};
  for (int i = 0; i < 1000; ++i) cells.push_back({RandomCoord(rng, -lim, lim), RandomCoord(rng, -lim, lim)});
  for (const Cell& c : cells) {
    const int64_t id = CellId(c);
    EXPECT_GT(id, 0);
    EXPECT_EQ(static_cast<uint64_t>(id) >> 56, 9u);
    EXPECT_EQ(CellFromId(id), c);
  }
}

TEST(HexGridTest, PointCellCentroidCellIsIdentity) {
  const GeoBounds box;
  const HexGrid grid(box);
  Xoshiro256 rng = TestRng(3);
  for (int i = 0; i < 2000; ++i) {
    const LatLng p{UniformReal(rng, box.lat_min, box.lat_max), UniformReal(rng, box.lng_min, box.lng_max)};
    const Cell c = grid.CellAt(p);
    EXPECT_EQ(grid.CellAt(grid.Centroid(c)), c);
    // The containing cell is the nearest centre (hexagons are the Voronoi cells of their centres).
    const PlanePoint xy = grid.Project(p);
    const PlanePoint cc = CellCentre(c);
    const double own = std::hypot(xy.x - cc.x, xy.y - cc.y);
    EXPECT_LE(own, kCellSpacingKm / kSqrt3 + 1e-12);
    for (const Cell& d : kHexDirections) {
      const PlanePoint nc = CellCentre({c.q + d.q, c.r + d.r});
      EXPECT_LE(own, std::hypot(xy.x - nc.x, xy.y - nc.y) + 1e-12);
    }
  }
}

TEST(HexGridTest, ProjectionRoundTripsAndCentreIsOrigin) {
  const HexGrid grid(GeoBounds{});
  const LatLng centre = grid.Centroid(kC0);
  EXPECT_NEAR(centre.lat, 52.51, 1e-12);
  EXPECT_NEAR(centre.lng, 13.42, 1e-12);
  const PlanePoint p = grid.Project({52.6, 13.1});
  const LatLng back = grid.Unproject(p);
  EXPECT_NEAR(back.lat, 52.6, 1e-12);
  EXPECT_NEAR(back.lng, 13.1, 1e-12);
  EXPECT_GT(p.y, 0.0);  // North.
  EXPECT_LT(p.x, 0.0);  // West.
}

double HaversineKm(LatLng a, LatLng b) {
  const double rad = std::numbers::pi / 180.0;
  const double dlat = (b.lat - a.lat) * rad, dlng = (b.lng - a.lng) * rad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.lat * rad) * std::cos(b.lat * rad) * std::sin(dlng / 2) * std::sin(dlng / 2);
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(h));
}

TEST(HexGridTest, PlanarDistanceBoundsAndAccuracy) {
  const GeoBounds box;
  const HexGrid grid(box);
  Xoshiro256 rng = TestRng(4);
  for (int i = 0; i < 1000; ++i) {
    const auto random_cell = [&] {
      const double lat = UniformReal(rng, box.lat_min, box.lat_max);
      return grid.CellAt({lat, UniformReal(rng, box.lng_min, box.lng_max)});
    };
    const Cell a = random_cell();
    const Cell b = random_cell();
    const double km = DistKm(a, b);
    EXPECT_LE(km, HexDistance(a, b) * kCellSpacingKm + 1e-9);
    EXPECT_NEAR(km, DistKm(b, a), 1e-12);
    if (km > 1.0) {
      const double gc = HaversineKm(grid.Centroid(a), grid.Centroid(b));
      EXPECT_LE(std::fabs(km - gc) / gc, 0.005) << "planar " << km << " vs great-circle " << gc;
    }
  }
}

// --- U10: hotspots ---------------------------------------------------------------------------------------

constexpr LatLng kRiderHotspots[] = {
    {52.520, 13.405}, {52.521, 13.413}, {52.525, 13.369}, {52.497, 13.391}, {52.516, 13.454},
    {52.538, 13.424}, {52.507, 13.304}, {52.484, 13.353}, {52.477, 13.442}, {52.549, 13.359},
    {52.509, 13.376}, {52.502, 13.326}, {52.554, 13.292}, {52.473, 13.401}, {52.535, 13.197}};
constexpr LatLng kDriverHotspots[] = {{52.525, 13.369}, {52.521, 13.413}, {52.507, 13.332}, {52.510, 13.434},
                                      {52.475, 13.365}, {52.520, 13.405}, {52.509, 13.376}, {52.520, 13.387},
                                      {52.549, 13.388}, {52.534, 13.198}};

SimParams HotspotParams(const GeoBounds& box, uint64_t riders, uint64_t drivers) {
  SimParams p;
  p.spawn_weighting = SpawnWeighting::kBerlinHotspots;
  p.lat_min = box.lat_min;
  p.lat_max = box.lat_max;
  p.lng_min = box.lng_min;
  p.lng_max = box.lng_max;
  p.num_riders = p.initial_rider_count = riders;
  p.num_drivers = p.initial_driver_count = drivers;
  p.seed = 17;
  return p;
}

std::set<std::pair<int32_t, int32_t>> CellsOf(const HexGrid& grid, std::span<const LatLng> points,
                                              const GeoBounds& box) {
  std::set<std::pair<int32_t, int32_t>> out;
  for (const LatLng& p : points) {
    if (p.lat >= box.lat_min && p.lat <= box.lat_max && p.lng >= box.lng_min && p.lng <= box.lng_max) {
      const Cell c = grid.CellAt(p);
      out.insert({c.q, c.r});
    }
  }
  return out;
}

TEST(HotspotTest, DefaultBoxLandsOnHotspotCells) {
  const GeoBounds box;
  Engine engine(HotspotParams(box, 400, 300), nullptr);
  engine.ScheduleStart();
  StepOne(engine);  // SimulationStarted creates the initial agents.
  ASSERT_EQ(engine.riders().size(), 400u);
  ASSERT_EQ(engine.drivers().size(), 300u);
  const auto rider_cells = CellsOf(engine.grid(), kRiderHotspots, box);
  const auto driver_cells = CellsOf(engine.grid(), kDriverHotspots, box);
  EXPECT_EQ(rider_cells.size(), 15u);
  EXPECT_EQ(driver_cells.size(), 10u);
  std::set<std::pair<int32_t, int32_t>> seen_riders, seen_drivers;
  for (const Rider& r : engine.riders()) {
    EXPECT_TRUE(rider_cells.count({r.cell.q, r.cell.r})) << "rider off hotspot";
    seen_riders.insert({r.cell.q, r.cell.r});
  }
  for (const Driver& d : engine.drivers()) {
    EXPECT_TRUE(driver_cells.count({d.cell.q, d.cell.r})) << "driver off hotspot";
    seen_drivers.insert({d.cell.q, d.cell.r});
  }
  // With these sample sizes every hotspot is chosen at least once.
  EXPECT_EQ(seen_riders, rider_cells);
  EXPECT_EQ(seen_drivers, driver_cells);
  // The heaviest rider hotspot is more popular than the lightest.
  const Cell heavy = engine.grid().CellAt(kRiderHotspots[0]);
  const Cell light = engine.grid().CellAt(kRiderHotspots[14]);
  int heavy_n = 0, light_n = 0;
  for (const Rider& r : engine.riders()) {
    heavy_n += r.cell == heavy ? 1 : 0;
    light_n += r.cell == light ? 1 : 0;
  }
  EXPECT_GT(heavy_n, light_n);
  EXPECT_TRUE(engine.CheckInvariants().ok());
}

TEST(HotspotTest, BoxExcludingBerlinFallsBackToUniform) {
  const GeoBounds munich{48.00, 48.30, 11.40, 11.80};
  Engine engine(HotspotParams(munich, 200, 100), nullptr);
  engine.ScheduleStart();
  StepOne(engine);
  std::set<std::pair<int32_t, int32_t>> distinct;
  for (const Rider& r : engine.riders()) {
    EXPECT_TRUE(CellTouchesBox(engine.grid(), r.cell, munich));
    EXPECT_TRUE(CellTouchesBox(engine.grid(), r.destination, munich) || r.destination == r.cell);
    distinct.insert({r.cell.q, r.cell.r});
  }
  for (const Driver& d : engine.drivers()) EXPECT_TRUE(CellTouchesBox(engine.grid(), d.cell, munich));
  EXPECT_GT(distinct.size(), 150u) << "uniform positions are spread out";
}

TEST(HotspotTest, PartlyCoveredBoxMixesHotspotsAndFallback) {
  const GeoBounds small{52.50, 52.53, 13.38, 13.42};
  Engine engine(HotspotParams(small, 300, 0), nullptr);
  engine.ScheduleStart();
  StepOne(engine);
  const auto in_box_hotspots = CellsOf(engine.grid(), kRiderHotspots, small);
  ASSERT_FALSE(in_box_hotspots.empty());
  int on_hotspot = 0;
  for (const Rider& r : engine.riders()) {
    EXPECT_TRUE(CellTouchesBox(engine.grid(), r.cell, small));
    on_hotspot += in_box_hotspots.count({r.cell.q, r.cell.r}) ? 1 : 0;
  }
  EXPECT_GT(on_hotspot, 0);
  EXPECT_LT(on_hotspot, 300) << "hotspots outside the box fall back to uniform positions";
}

}  // namespace
}  // namespace ridesweep::sim
