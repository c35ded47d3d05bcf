// The local table mapping of spec/sweep.md §11.3 and athena/README.md ("Local engine"): schema `${database}` and
// six views named like the Athena tables, each over read_parquet('<location>/dataset=<d>/**/*.parquet',
// hive_partitioning = true, hive_types_autocast = false), or — for a dataset with no Parquet file yet — the
// zero-row typed view of local/empty_views.sql; plus the from_iso8601_timestamp macro. A location scoped to one
// run narrows each glob to that run's partition paths (`dataset=<d>/run_date=D/run_id=R/**/*.parquet`), so a
// command about one run never opens another run's files. All DuckDB-specific SQL stays in those two files; this
// code only splits, picks, narrows and substitutes their statements.
#ifndef RIDESWEEP_ANALYTICS_LOCAL_VIEWS_H_
#define RIDESWEEP_ANALYTICS_LOCAL_VIEWS_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/analytics/query_engine.h"
#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/base/result.h"

namespace ridesweep::analytics {

// The one run a local engine reads: its run_id and, when known, its run_date (every run_date otherwise).
struct LocalRunScope {
  std::string run_id;                   // must match the run_id pattern (CreateLocalViews checks)
  std::optional<std::string> run_date;  // YYYY-MM-DD; nullopt reads `run_date=*`
};

// A local results tree: the LocalDirStore root and the results prefix P (spec/sweep.md §10.1), optionally
// narrowed to one run.
struct LocalResultsLocation {
  std::filesystem::path results_dir;
  std::string results_prefix;  // normalised like sweep::NormalizeResultsPrefix (leading/trailing '/' dropped)
  std::optional<LocalRunScope> run = std::nullopt;  // nullopt: the views read every run of the tree

  // The absolute directory that holds the dataset= trees: results_dir made absolute, joined with P, without a
  // trailing '/' (`${results_location}` before quote doubling).
  std::string DatasetsRoot() const;
};

// `location` narrowed to `run_id`, with the run_date of the run's manifest when it has a readable one. A run_id
// that does not match the run_id pattern leaves `location` as it is (the caller's validation reports it).
LocalResultsLocation ScopeToRun(LocalResultsLocation location, std::string_view run_id);
// The same for a run the caller has already resolved (ResolveLocalRun): the manifest is not read again.
LocalResultsLocation ScopeToRun(LocalResultsLocation location, const ResolvedRun& run);

// Runs local/views.sql statement by statement on `engine`, swapping in the local/empty_views.sql statement of
// the same view for each dataset that has no `*.parquet` file below `<DatasetsRoot()>/dataset=<d>/` (below the
// run's partition directories when `location.run` is set; the globs are narrowed the same way). Returns the
// names of the views created empty. Errors: a missing or malformed view file (NotFound / InvalidArgument),
// placeholder errors (an invalid database name), a scope whose run_id or run_date is malformed
// (InvalidArgument), or the engine's error for a failing statement.
Result<std::vector<std::string>> CreateLocalViews(QueryEngine& engine, const std::filesystem::path& sql_dir,
                                                  const LocalResultsLocation& location, std::string_view database);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_LOCAL_VIEWS_H_
