// What the cancel check costs a worker (Google Benchmark): the look-up a shard start makes (the store is asked:
// on a local directory a stat of `runs/run_id=R/cancel.json`), and the throttled look-up before each point (a map
// lookup under a mutex, the store asked at most once a second). Figures go to docs/BENCHMARKS.md ("Cancel check").
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "ridesweep/store/local_dir_store.h"
#include "ridesweep/sweep/cancel_marker.h"

namespace ridesweep::bench {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<store::LocalDirStore> OpenStore(const std::string& name) {
  const fs::path root = fs::temp_directory_path() / ("ridesweep-cancel-bench-" + name);
  fs::remove_all(root);
  auto opened = store::LocalDirStore::Open(root);
  if (!opened.ok()) std::abort();
  return std::move(opened).value();
}

// A shard start: the store is always asked (the run is not cancelled: the marker is absent).
void BM_ShardStartCheckLocalDir(benchmark::State& state) {
  auto store = OpenStore("shard");
  sweep::CancelWatch watch;
  for (auto _ : state) {
    auto cancelled = watch.Cancelled(*store, "sweep-results", "bench-run", std::chrono::system_clock::now(), true);
    benchmark::DoNotOptimize(cancelled);
  }
}
BENCHMARK(BM_ShardStartCheckLocalDir);

// A shard start of a cancelled run: the marker exists and is read.
void BM_ShardStartCheckLocalDirCancelled(benchmark::State& state) {
  auto store = OpenStore("cancelled");
  if (!sweep::WriteCancelMarker(*store, "sweep-results", "bench-run", std::chrono::system_clock::now()).ok()) {
    std::abort();
  }
  sweep::CancelWatch watch;
  for (auto _ : state) {
    auto cancelled = watch.Cancelled(*store, "sweep-results", "bench-run", std::chrono::system_clock::now(), true);
    benchmark::DoNotOptimize(cancelled);
  }
}
BENCHMARK(BM_ShardStartCheckLocalDirCancelled);

// Before a point: answered from the last look-up while it is younger than the interval.
void BM_PointCheckThrottled(benchmark::State& state) {
  auto store = OpenStore("point");
  sweep::CancelWatch watch;
  const auto now = std::chrono::system_clock::now();
  (void)watch.Cancelled(*store, "sweep-results", "bench-run", now, true);
  for (auto _ : state) {
    auto cancelled = watch.Cancelled(*store, "sweep-results", "bench-run", now, false);
    benchmark::DoNotOptimize(cancelled);
  }
}
BENCHMARK(BM_PointCheckThrottled);

}  // namespace
}  // namespace ridesweep::bench

BENCHMARK_MAIN();
