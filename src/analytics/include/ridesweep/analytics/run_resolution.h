// Resolving a run before analysing it (spec/sweep.md §13 step 1): the run manifest (§5.2, `P/runs/run_id=R/
// manifest.json`) gives the run_date, the expected shard count (its plan) and the expected point count;
// `--run-date` and `--expected-shards` override. Used by `ridesweep ingest`, `ridesweep query` (for
// ${expected_shards}) and run progress. Reads through any ObjectStore; thread-safe if the store is.
#ifndef RIDESWEEP_ANALYTICS_RUN_RESOLUTION_H_
#define RIDESWEEP_ANALYTICS_RUN_RESOLUTION_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ridesweep/base/object_store.h"
#include "ridesweep/base/result.h"
#include "ridesweep/sweep/run_manifest.h"

namespace ridesweep::analytics {

struct RunOverrides {
  std::optional<std::string> run_date;       // wins over the manifest's
  std::optional<uint64_t> expected_shards;   // wins over the manifest's plan length
};

enum class ManifestState : uint8_t {
  kFound,       // read and decoded
  kAbsent,      // no object at the manifest key
  kUnreadable,  // present but not readable or not a manifest (manifest_problem says why)
};

struct ResolvedRun {
  std::string run_id;
  ManifestState manifest_state = ManifestState::kAbsent;
  std::string manifest_problem;              // set when kUnreadable
  std::optional<sweep::RunManifest> manifest;  // set when kFound
  std::optional<std::string> run_date;       // override, else the manifest's
  std::optional<uint64_t> expected_shards;   // override, else manifest shard_ranges.size()
  std::optional<uint64_t> expected_points;   // manifest normalized_request.total_points
};

// Reads the manifest of `run_id` under `results_prefix` and applies the overrides. Only a retryable store error
// (kUnavailable, kDeadlineExceeded) is returned as an error; any other problem with the manifest is recorded in
// manifest_state / manifest_problem, so overrides can still stand in for it.
// REQUIRES: run_id matches RUN_ID_PATTERN (callers validate arguments first).
Result<ResolvedRun> ResolveRun(ObjectStore& store, std::string_view results_prefix, std::string_view run_id,
                               const RunOverrides& overrides = {});

// The same over a local results directory, reading the manifest file `<results_dir>/<manifest key>` directly:
// nothing is created or written (a read-only results directory works). Never fails: a missing file is kAbsent,
// any other problem kUnreadable.
ResolvedRun ResolveLocalRun(const std::filesystem::path& results_dir, std::string_view results_prefix,
                            std::string_view run_id, const RunOverrides& overrides = {});

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_RUN_RESOLUTION_H_
