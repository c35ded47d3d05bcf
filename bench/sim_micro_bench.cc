// Micro-benchmarks of the simulation engine's inner pieces (spec/simulation.md §17.4): the event queue under
// push/pop mixes shaped like a run's, hex-grid operations (distance, planar distance, disks, paths, point ->
// cell), the optimal assignment on typical batch shapes, and the batch matcher on batches drawn the way the
// engine builds them (Idle drivers within the match radius of each Waiting rider). Inputs come from fixed
// seeds, so every run measures the same work. Figures go to docs/BENCHMARKS.md.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/event.h"
#include "engine/event_queue.h"
#include "geo/hex_grid.h"
#include "model/assignment.h"
#include "model/matching.h"
#include "random/rng.h"
#include "ridesweep/sim/params.h"

namespace ridesweep::sim {
namespace {

constexpr uint64_t kSeed = 0x5EED'0042;
constexpr size_t kSamples = 4096;  // Pre-drawn inputs per benchmark (a power of two, for cheap wrap-around).

// Axial extent of the default Berlin box (about 18,553 cell centres).
struct AxialBox {
  int32_t q_min, q_max, r_min, r_max;
};
AxialBox BerlinBox() {
  const HexGrid grid{GeoBounds{}};
  AxialBox box{};
  grid.AxialRange(0, &box.q_min, &box.q_max, &box.r_min, &box.r_max);
  return box;
}

Cell RandomCell(const HexGrid& grid, Xoshiro256& rng, const AxialBox& box) {
  for (;;) {
    const Cell c{static_cast<int32_t>(UniformInt(rng, 0, static_cast<uint64_t>(box.q_max - box.q_min))) + box.q_min,
                 static_cast<int32_t>(UniformInt(rng, 0, static_cast<uint64_t>(box.r_max - box.r_min))) + box.r_min};
    if (grid.CentreInBounds(c)) return c;
  }
}

// A cell at grid distance in [lo, hi] from `from` (a trip destination in the §3.6 sense, ignoring the box).
Cell CellAtDistance(HexGrid& grid, Xoshiro256& rng, Cell from, uint32_t lo, uint32_t hi) {
  const uint32_t d = static_cast<uint32_t>(UniformInt(rng, lo, hi));
  const std::vector<Cell>& disk = grid.DiskOffsets(d);
  const size_t ring_start = d == 0 ? 0 : DiskSize(d - 1);
  const Cell o = disk[ring_start + UniformInt(rng, 0, disk.size() - ring_start - 1)];
  return {from.q + o.q, from.r + o.r};
}

// ---------------------------------------------------------------------------------------------------------
// Event queue.

// The delays a run schedules, weighted roughly as example-large's event mix: +0 follow-ups, +1 s chains,
// batch re-arms every 5 s, MoveStep hops of 20-90 s, off-duty ticks and pickup timeouts of minutes.
uint64_t RunLikeDelayMs(Xoshiro256& rng) {
  const uint64_t bucket = UniformInt(rng, 0, 99);
  if (bucket < 15) return 0;
  if (bucket < 40) return 1'000;
  if (bucket < 45) return 5'000;
  if (bucket < 95) return UniformInt(rng, 20'000, 90'000);
  return UniformInt(rng, 120'000, 2'400'000);
}

struct Pending {
  uint64_t delay_ms;
  EventKind kind;
};
std::vector<Pending> DrawPending(size_t n) {
  Xoshiro256 rng = Xoshiro256::FromKey(kSeed);
  std::vector<Pending> out(n);
  for (Pending& p : out) {
    p.delay_ms = RunLikeDelayMs(rng);
    p.kind = static_cast<EventKind>(UniformInt(rng, 1, 17));
  }
  return out;
}

// Hold model: a queue of steady size N; each step pops the earliest event and schedules one follow-up, which
// is what the run loop does on average. items/s is the bare event-loop rate at that queue depth.
void BM_EventQueueHold(benchmark::State& state) {
  const size_t depth = static_cast<size_t>(state.range(0));
  const std::vector<Pending> pending = DrawPending(kSamples);
  EventQueue queue;
  queue.Reserve(depth + 1);
  for (size_t i = 0; i < depth; ++i) queue.Push(pending[i % kSamples].delay_ms, pending[i % kSamples].kind, 0, 0);
  size_t at = 0;
  uint64_t kinds_seen = 0;
  for (auto _ : state) {
    const Event e = queue.Pop();
    kinds_seen += static_cast<uint64_t>(e.kind());
    const Pending& p = pending[at++ & (kSamples - 1)];
    queue.Push(e.time_ms + p.delay_ms, p.kind, e.subject, 0);
  }
  benchmark::DoNotOptimize(kinds_seen);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_EventQueueHold)->Arg(64)->Arg(512)->Arg(1'024)->Arg(8'192)->Arg(65'536);

// Fill N events, then drain them all (an initial burst, or a queue that only shrinks).
void BM_EventQueueFillDrain(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const std::vector<Pending> pending = DrawPending(kSamples);
  EventQueue queue;
  queue.Reserve(n);
  uint64_t checksum = 0;
  for (auto _ : state) {
    for (size_t i = 0; i < n; ++i) {
      const Pending& p = pending[i & (kSamples - 1)];
      queue.Push(p.delay_ms, p.kind, static_cast<uint32_t>(i), 0);
    }
    while (!queue.empty()) checksum += queue.Pop().subject;
  }
  benchmark::DoNotOptimize(checksum);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n));
}
BENCHMARK(BM_EventQueueFillDrain)->Arg(1'024)->Arg(16'384);

// Same-millisecond bursts: many events at one timestamp with mixed kinds, the worst case for the tie-break.
void BM_EventQueueSameMsBurst(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const std::vector<Pending> pending = DrawPending(kSamples);
  EventQueue queue;
  queue.Reserve(n);
  uint64_t checksum = 0;
  for (auto _ : state) {
    for (size_t i = 0; i < n; ++i) queue.Push(1'000, pending[i & (kSamples - 1)].kind, static_cast<uint32_t>(i), 0);
    while (!queue.empty()) checksum += queue.Pop().seq();
  }
  benchmark::DoNotOptimize(checksum);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n));
}
BENCHMARK(BM_EventQueueSameMsBurst)->Arg(256);

// ---------------------------------------------------------------------------------------------------------
// Hex grid.

std::vector<std::pair<Cell, Cell>> DrawCellPairs(uint32_t min_cells, uint32_t max_cells) {
  Xoshiro256 rng = Xoshiro256::FromKey(kSeed + 1);
  const AxialBox box = BerlinBox();
  HexGrid grid{GeoBounds{}};
  std::vector<std::pair<Cell, Cell>> out(kSamples);
  for (auto& [a, b] : out) {
    a = RandomCell(grid, rng, box);
    b = CellAtDistance(grid, rng, a, min_cells, max_cells);
  }
  return out;
}

void BM_HexDistance(benchmark::State& state) {
  const auto pairs = DrawCellPairs(0, 60);
  size_t at = 0;
  uint64_t sum = 0;
  for (auto _ : state) {
    const auto& [a, b] = pairs[at++ & (kSamples - 1)];
    sum += HexDistance(a, b);
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_HexDistance);

void BM_DistKm(benchmark::State& state) {
  const auto pairs = DrawCellPairs(0, 60);
  size_t at = 0;
  double sum = 0.0;
  for (auto _ : state) {
    const auto& [a, b] = pairs[at++ & (kSamples - 1)];
    sum += DistKm(a, b);
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_DistKm);

// One cached lookup of the disk offsets for radius k (what every feasibility and surge query starts with).
void BM_DiskOffsetsCached(benchmark::State& state) {
  HexGrid grid{GeoBounds{}};
  const uint32_t k = static_cast<uint32_t>(state.range(0));
  (void)grid.DiskOffsets(k);
  size_t sum = 0;
  for (auto _ : state) {
    const std::vector<Cell>& offsets = grid.DiskOffsets(k);
    sum += offsets.size();
    benchmark::DoNotOptimize(offsets.data());
  }
  benchmark::DoNotOptimize(sum);
}
BENCHMARK(BM_DiskOffsetsCached)->Arg(2)->Arg(5);

// Materialise disk(c, k) into a reused vector; items/s counts cells.
void BM_AppendDisk(benchmark::State& state) {
  HexGrid grid{GeoBounds{}};
  const uint32_t k = static_cast<uint32_t>(state.range(0));
  const auto pairs = DrawCellPairs(0, 0);
  std::vector<Cell> out;
  out.reserve(DiskSize(k));
  size_t at = 0;
  for (auto _ : state) {
    out.clear();
    grid.AppendDisk(pairs[at++ & (kSamples - 1)].first, k, &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(DiskSize(k)));
}
BENCHMARK(BM_AppendDisk)->Arg(1)->Arg(2)->Arg(5);

// PathCell is evaluated once per MoveStep hop; items/s counts cells.
void BM_PathCell(benchmark::State& state) {
  const auto pairs = DrawCellPairs(5, 60);
  size_t at = 0;
  uint32_t i = 0;
  int64_t sum = 0;
  for (auto _ : state) {
    const auto& [a, b] = pairs[at & (kSamples - 1)];
    const uint32_t n = HexDistance(a, b);
    const Cell c = PathCell(a, b, n, i);
    sum += c.q + c.r;
    if (++i > n) {
      i = 0;
      ++at;
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_PathCell);

// A whole trip leg materialised (5-60 cells, the default trip range); items/s counts legs.
void BM_AppendPath(benchmark::State& state) {
  const auto pairs = DrawCellPairs(5, 60);
  std::vector<Cell> out;
  out.reserve(128);
  size_t at = 0;
  for (auto _ : state) {
    out.clear();
    const auto& [a, b] = pairs[at++ & (kSamples - 1)];
    AppendPath(a, b, &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_AppendPath);

// Point -> cell (projection plus cube rounding), as at every spawn.
void BM_CellAt(benchmark::State& state) {
  const HexGrid grid{GeoBounds{}};
  const GeoBounds b = grid.bounds();
  Xoshiro256 rng = Xoshiro256::FromKey(kSeed + 2);
  std::vector<LatLng> points(kSamples);
  for (LatLng& p : points) p = {UniformReal(rng, b.lat_min, b.lat_max), UniformReal(rng, b.lng_min, b.lng_max)};
  size_t at = 0;
  int64_t sum = 0;
  for (auto _ : state) {
    const Cell c = grid.CellAt(points[at++ & (kSamples - 1)]);
    sum += c.q + c.r;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_CellAt);

// Building the grid (projection of the box) once per run.
void BM_HexGridConstruct(benchmark::State& state) {
  for (auto _ : state) {
    HexGrid grid{GeoBounds{}};
    benchmark::DoNotOptimize(grid.bounds());
  }
}
BENCHMARK(BM_HexGridConstruct);

// ---------------------------------------------------------------------------------------------------------
// Optimal assignment.

// A random rows x cols instance; each pair is feasible with probability density_pct / 100, and weights are
// scaled scores (km plus the ETA term, times 10^6) as matching.cc produces them.
std::vector<WeightedEdge> DrawEdges(uint32_t rows, uint32_t cols, uint32_t density_pct) {
  Xoshiro256 rng = Xoshiro256::FromKey(kSeed + rows * 1'000 + cols);
  std::vector<WeightedEdge> edges;
  for (uint32_t l = 0; l < rows; ++l) {
    for (uint32_t r = 0; r < cols; ++r) {
      if (UniformInt(rng, 1, 100) > density_pct) continue;
      const double km = UniformReal(rng, 0.0, 1.65);
      const double score = PairScore(km, static_cast<uint64_t>(km / 36.4 * 3.6e6), 0.1, UniformInt(rng, 0, 600'000));
      edges.push_back({l, r, static_cast<int64_t>(score * 1e6)});
    }
  }
  return edges;
}

void BM_AssignmentSolve(benchmark::State& state) {
  const auto rows = static_cast<uint32_t>(state.range(0));
  const auto cols = static_cast<uint32_t>(state.range(1));
  const auto density = static_cast<uint32_t>(state.range(2));
  const std::vector<WeightedEdge> edges = DrawEdges(rows, cols, density);
  AssignmentSolver solver;
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (auto _ : state) {
    out.clear();
    solver.Solve(rows, cols, edges, &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["matched"] = static_cast<double>(out.size());
  state.counters["edges"] = static_cast<double>(edges.size());
}
// rows x cols x density%: a component just past the greedy shortcut, medium and large dense components, a
// wide sparse one, and a transposed shape (more riders than drivers).
BENCHMARK(BM_AssignmentSolve)
    ->ArgNames({"rows", "cols", "density"})
    ->Args({11, 21, 100})
    ->Args({20, 40, 50})
    ->Args({50, 100, 30})
    ->Args({100, 200, 20})
    ->Args({200, 400, 10})
    ->Args({400, 200, 10})
    ->Unit(benchmark::kMicrosecond);

// ---------------------------------------------------------------------------------------------------------
// Batch matcher.

// One batch as the engine builds it: `riders` Waiting riders and `drivers` Idle drivers placed uniformly in a
// region, pairs within match radius `radius`, scored with §7.2 (eta_weight 0.1). `region_cells` bounds the
// region's axial extent (0 = the whole Berlin box), so a small region gives a dense, connected batch.
std::vector<CandidatePair> DrawBatch(uint32_t riders, uint32_t drivers, uint32_t radius, int32_t region_cells) {
  Xoshiro256 rng = Xoshiro256::FromKey(kSeed + riders * 7 + drivers);
  const AxialBox box = BerlinBox();
  const HexGrid grid{GeoBounds{}};
  const auto cell_in_box = [&]() -> Cell {
    if (region_cells == 0) return RandomCell(grid, rng, box);
    return {static_cast<int32_t>(UniformInt(rng, 0, static_cast<uint64_t>(region_cells))),
            static_cast<int32_t>(UniformInt(rng, 0, static_cast<uint64_t>(region_cells)))};
  };
  std::vector<Cell> rider_cells(riders), driver_cells(drivers);
  std::vector<uint64_t> waits(riders);
  for (uint32_t r = 0; r < riders; ++r) {
    rider_cells[r] = cell_in_box();
    waits[r] = UniformInt(rng, 0, 600'000);
  }
  for (Cell& c : driver_cells) c = cell_in_box();
  std::vector<CandidatePair> pairs;
  for (uint32_t r = 0; r < riders; ++r) {
    for (uint32_t d = 0; d < drivers; ++d) {
      if (HexDistance(rider_cells[r], driver_cells[d]) > radius) continue;
      {
        const double km = DistKm(rider_cells[r], driver_cells[d]);
        pairs.push_back({r, d, PairScore(km, static_cast<uint64_t>(km / 36.4 * 3.6e6), 0.1, waits[r])});
      }
    }
  }
  return pairs;
}

void BM_BatchMatch(benchmark::State& state) {
  const auto algorithm = static_cast<MatchingAlgorithm>(state.range(0));
  const auto riders = static_cast<uint32_t>(state.range(1));
  const auto drivers = static_cast<uint32_t>(state.range(2));
  const auto region = static_cast<int32_t>(state.range(3));
  const std::vector<CandidatePair> batch = DrawBatch(riders, drivers, 5, region);
  BatchMatcher matcher;
  std::vector<CandidatePair> pairs;
  pairs.reserve(batch.size());
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (auto _ : state) {
    pairs.assign(batch.begin(), batch.end());  // Match reorders its input.
    matcher.Match(algorithm, riders, drivers, &pairs, &out);
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["pairs"] = static_cast<double>(batch.size());
  state.counters["matched"] = static_cast<double>(out.size());
}
constexpr int64_t kSimpleAlg = static_cast<int64_t>(MatchingAlgorithm::kSimple);
constexpr int64_t kCostBasedAlg = static_cast<int64_t>(MatchingAlgorithm::kCostBased);
constexpr int64_t kHungarianAlg = static_cast<int64_t>(MatchingAlgorithm::kHungarian);
// algorithm (0 simple, 1 cost-based, 2 hungarian) x riders x idle drivers x region (0 = Berlin box, else an
// axial square of that side). Radius 5. The example-large shape is a few riders against thousands of Idle
// drivers over the whole box; the dense shapes are rush-hour clusters in a small region.
BENCHMARK(BM_BatchMatch)
    ->ArgNames({"alg", "riders", "drivers", "region"})
    ->Args({kHungarianAlg, 5, 15, 8})          // Greedy shortcut (<= 10 riders, <= 20 drivers).
    ->Args({kHungarianAlg, 6, 2'750, 0})       // example-large mean shape (6 Waiting, 2,750 Idle).
    ->Args({kHungarianAlg, 30, 3'000, 0})
    ->Args({kHungarianAlg, 200, 2'000, 0})
    ->Args({kHungarianAlg, 50, 100, 12})       // Dense cluster: one large component.
    ->Args({kHungarianAlg, 200, 400, 25})
    ->Args({kCostBasedAlg, 200, 400, 25})
    ->Args({kSimpleAlg, 200, 400, 25})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace ridesweep::sim

BENCHMARK_MAIN();
