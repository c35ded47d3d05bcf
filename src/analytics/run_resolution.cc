// Run resolution from the run manifest plus command-line overrides.
#include "ridesweep/analytics/run_resolution.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>
#include <utility>

#include "ridesweep/sweep/keys.h"

namespace ridesweep::analytics {
namespace {

// Fills the manifest fields of `run` from the result of reading the manifest object at `key`.
void ApplyManifest(const Result<std::string>& bytes, std::string_view key, ResolvedRun* run) {
  if (!bytes.ok()) {
    if (bytes.status().code() == StatusCode::kNotFound) {
      run->manifest_state = ManifestState::kAbsent;
    } else {
      run->manifest_state = ManifestState::kUnreadable;
      run->manifest_problem = bytes.status().message();
    }
    return;
  }
  Result<sweep::RunManifest> manifest = sweep::DecodeRunManifest(*bytes);
  if (!manifest.ok()) {
    run->manifest_state = ManifestState::kUnreadable;
    run->manifest_problem = manifest.status().message();
  } else if (manifest->run_id != run->run_id) {
    run->manifest_state = ManifestState::kUnreadable;
    run->manifest_problem = "manifest at " + std::string(key) + " belongs to run " + manifest->run_id;
  } else {
    run->manifest_state = ManifestState::kFound;
    run->run_date = manifest->run_date;
    run->expected_shards = static_cast<uint64_t>(manifest->shard_ranges.size());
    run->expected_points = manifest->normalized_request.total_points;
    run->manifest = std::move(manifest).value();
  }
}

void ApplyOverrides(const RunOverrides& overrides, ResolvedRun* run) {
  if (overrides.run_date.has_value()) run->run_date = overrides.run_date;
  if (overrides.expected_shards.has_value()) run->expected_shards = overrides.expected_shards;
}

Result<std::string> ReadFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return NotFoundError("no file " + path.string());
  std::ifstream in(path, std::ios::binary);
  if (!in) return FailedPreconditionError("cannot read " + path.string() + ": " + std::strerror(errno));
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return FailedPreconditionError("cannot read " + path.string());
  return buffer.str();
}

}  // namespace

Result<ResolvedRun> ResolveRun(ObjectStore& store, std::string_view results_prefix, std::string_view run_id,
                               const RunOverrides& overrides) {
  ResolvedRun run;
  run.run_id = std::string(run_id);
  const std::string key = sweep::StorageLayout(results_prefix).RunManifestKey(run_id);
  const Result<std::string> bytes = store.Get(key);
  if (!bytes.ok() && bytes.status().IsRetryable()) return bytes.status();
  ApplyManifest(bytes, key, &run);
  ApplyOverrides(overrides, &run);
  return run;
}

ResolvedRun ResolveLocalRun(const std::filesystem::path& results_dir, std::string_view results_prefix,
                            std::string_view run_id, const RunOverrides& overrides) {
  ResolvedRun run;
  run.run_id = std::string(run_id);
  const std::string key = sweep::StorageLayout(results_prefix).RunManifestKey(run_id);
  ApplyManifest(ReadFile(results_dir / key), key, &run);
  ApplyOverrides(overrides, &run);
  return run;
}

}  // namespace ridesweep::analytics
