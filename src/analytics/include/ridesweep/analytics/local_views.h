// The local table mapping of spec/sweep.md §11.3 and athena/README.md ("Local engine"): schema `${database}` and
// six views named like the Athena tables, each over read_parquet('<location>/dataset=<d>/**/*.parquet',
// hive_partitioning = true, hive_types_autocast = false), or — for a dataset with no Parquet file yet — the
// zero-row typed view of local/empty_views.sql; plus the from_iso8601_timestamp macro. All DuckDB-specific SQL
// stays in those two files; this code only splits, picks and substitutes their statements.
#ifndef RIDESWEEP_ANALYTICS_LOCAL_VIEWS_H_
#define RIDESWEEP_ANALYTICS_LOCAL_VIEWS_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/analytics/query_engine.h"
#include "ridesweep/base/result.h"

namespace ridesweep::analytics {

// A local results tree: the LocalDirStore root and the results prefix P (spec/sweep.md §10.1).
struct LocalResultsLocation {
  std::filesystem::path results_dir;
  std::string results_prefix;  // normalised like sweep::NormalizeResultsPrefix (leading/trailing '/' dropped)

  // The absolute directory that holds the dataset= trees: results_dir made absolute, joined with P, without a
  // trailing '/' (`${results_location}` before quote doubling).
  std::string DatasetsRoot() const;
};

// Runs local/views.sql statement by statement on `engine`, swapping in the local/empty_views.sql statement of
// the same view for each dataset that has no `*.parquet` file below `<DatasetsRoot()>/dataset=<d>/`. Returns the
// names of the views created empty. Errors: a missing or malformed view file (NotFound / InvalidArgument),
// placeholder errors (an invalid database name), or the engine's error for a failing statement.
Result<std::vector<std::string>> CreateLocalViews(QueryEngine& engine, const std::filesystem::path& sql_dir,
                                                  const LocalResultsLocation& location, std::string_view database);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_LOCAL_VIEWS_H_
