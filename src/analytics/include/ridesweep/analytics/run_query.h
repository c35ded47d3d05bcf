// Running one query file for one run (spec/sweep.md §11.3, `ridesweep query <file.sql> --run-id R
// [--expected-shards N]`): the file's placeholders are filled with the database, the run_id and, when the file
// uses it, the expected shard count — given, or taken from the run manifest. RunQueryFile works on any engine
// whose tables exist; RunLocalQuery is the whole local command over a results directory.
#ifndef RIDESWEEP_ANALYTICS_RUN_QUERY_H_
#define RIDESWEEP_ANALYTICS_RUN_QUERY_H_

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "ridesweep/analytics/duckdb_query_engine.h"
#include "ridesweep/analytics/query_engine.h"
#include "ridesweep/analytics/sql_placeholders.h"
#include "ridesweep/base/result.h"

namespace ridesweep::analytics {

struct QueryFileRequest {
  std::filesystem::path file;              // a resolved query file (ResolveQueryFile)
  std::string run_id;
  std::optional<uint64_t> expected_shards;
  std::string database{kDefaultDatabase};
};

// Loads, substitutes (placeholder errors as SubstitutePlaceholders, InvalidArgument) and runs the file.
Result<QueryResult> RunQueryFile(QueryEngine& engine, const QueryFileRequest& request);

struct LocalQueryOptions {
  std::filesystem::path results_dir;  // LocalDirStore root
  std::string results_prefix;         // P
  std::filesystem::path sql_dir;      // ResolveSqlDir()
  std::string database{kDefaultDatabase};
  DuckDbEngineOptions engine;
};

// `ridesweep query --engine local`: resolves `query` (a name such as `query_run_level_profile`, or a path),
// reads expected_shards from the run manifest when it is absent and the file uses ${expected_shards}, opens
// DuckDB over the results directory and runs the file. Errors: NotFound for a missing results directory or
// query file; InvalidArgument for placeholder problems (a needed expected_shards that no manifest provides is
// `Missing value for ${expected_shards} in <file>`); the engine's errors otherwise.
Result<QueryResult> RunLocalQuery(const LocalQueryOptions& options, std::string_view query, std::string_view run_id,
                                  std::optional<uint64_t> expected_shards = std::nullopt);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_RUN_QUERY_H_
