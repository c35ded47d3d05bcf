// Running one query file for one run (spec/sweep.md §11.3, `ridesweep query <file.sql> --run-id R
// [--expected-shards N]`): the file's placeholders are filled with the database, the run_id and, when the file
// uses it, the expected shard count — given, or taken from the run manifest. RunQueryFile works on any engine
// whose tables exist; RunLocalQuery is the whole local command over a results directory, RunAsyncQuery the whole
// `--engine athena` command over any AsyncQueryEngine (the run manifest read from the results bucket).
#ifndef RIDESWEEP_ANALYTICS_RUN_QUERY_H_
#define RIDESWEEP_ANALYTICS_RUN_QUERY_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "ridesweep/analytics/async_query_engine.h"
#include "ridesweep/analytics/duckdb_query_engine.h"
#include "ridesweep/analytics/query_engine.h"
#include "ridesweep/analytics/sql_placeholders.h"
#include "ridesweep/analytics/statement_runner.h"
#include "ridesweep/base/object_store.h"
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

// The expected shard count of the run from its manifest; nullopt when no manifest gives one.
using ManifestShardsLookup = std::function<Result<std::optional<uint64_t>>()>;

// The request both engines run: resolves `query` in `sql_dir` (ResolveQueryFile, NotFound), validates database,
// run_id and expected_shards (InvalidArgument `Invalid value for ${<name>}: <value>`) and, when expected_shards is
// absent and the file uses ${expected_shards}, asks `manifest_shards` (errors passed through). A value still
// missing is reported by RunQueryFile: `Missing value for ${expected_shards} in <file>`.
Result<QueryFileRequest> PrepareQueryFile(const std::filesystem::path& sql_dir, std::string_view query,
                                          std::string_view run_id, std::optional<uint64_t> expected_shards,
                                          std::string_view database, const ManifestShardsLookup& manifest_shards);

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

struct AsyncQueryOptions {
  std::filesystem::path sql_dir;
  std::string database{kDefaultDatabase};
  // The results bucket (keys relative to it) and the key prefix P: where the run manifest is read when the file
  // needs ${expected_shards} and none is given. Null: no manifest (the value must be given).
  ObjectStore* manifest_store = nullptr;
  std::string results_prefix;
  StatementRunOptions runner;  // poll interval, deadline (the whole command) and test seams
  std::string engine_name = "athena";
};

// `ridesweep query --engine athena`: PrepareQueryFile (the manifest through options.manifest_store); then, only
// when the arguments are good, `make_engine` and the statement started, waited for and fetched
// (WaitingQueryEngine). Errors: NotFound / InvalidArgument as PrepareQueryFile and RunQueryFile; Unavailable for
// the manifest read (`reading the run manifest failed: …`) and the engine (`athena query failed (FAILED): <reason>`,
// DescribeStatementFailure); the factory's and the fetch's errors as they are.
Result<QueryResult> RunAsyncQuery(const AsyncEngineFactory& make_engine, const AsyncQueryOptions& options,
                                  std::string_view query, std::string_view run_id,
                                  std::optional<uint64_t> expected_shards = std::nullopt);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_RUN_QUERY_H_
