// Running one query for one run (spec/sweep.md §11.3, `ridesweep query <file.sql> --run-id R
// [--expected-shards N]`, or SQL given inline with -c or on stdin): the placeholders are filled with the
// database, the run_id and, when the text uses it, the expected shard count — given, or taken from the run
// manifest. A query may hold several statements (each ending with `;` at the end of a line, the rule of the SQL
// files); they run in order and the result of the last one is returned. RunQueryFile works on any engine whose
// tables exist; RunLocalQuery is the whole local command over a results directory (with the run's sweep_points
// view, sweep_points.h), RunAsyncQuery the whole `--engine athena` command over any AsyncQueryEngine (the run
// manifest read from the results bucket).
#ifndef RIDESWEEP_ANALYTICS_RUN_QUERY_H_
#define RIDESWEEP_ANALYTICS_RUN_QUERY_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "ridesweep/analytics/async_query_engine.h"
#include "ridesweep/analytics/duckdb_query_engine.h"
#include "ridesweep/analytics/query_engine.h"
#include "ridesweep/analytics/sql_placeholders.h"
#include "ridesweep/analytics/statement_runner.h"
#include "ridesweep/base/object_store.h"
#include "ridesweep/base/result.h"

namespace ridesweep::analytics {

// What to run: a query file (a name such as `query_run_level_profile`, or a path), or SQL text given inline.
struct QuerySource {
  // A file name or path; implicit, so a name can be passed where a QuerySource is expected.
  QuerySource(const char* name_or_path) : query(name_or_path) {}       // NOLINT(google-explicit-constructor)
  QuerySource(std::string name_or_path) : query(std::move(name_or_path)) {}  // NOLINT(google-explicit-constructor)
  QuerySource(std::string_view name_or_path) : query(name_or_path) {}  // NOLINT(google-explicit-constructor)
  static QuerySource Inline(std::string sql, std::string label) {
    QuerySource source(label);
    source.sql = std::move(sql);
    return source;
  }
  std::string query;               // file name or path; for inline SQL the label used in messages
  std::optional<std::string> sql;  // inline SQL text (-c or stdin)
};

struct QueryFileRequest {
  std::filesystem::path file;              // a resolved query file (ResolveQueryFile); empty for inline SQL
  std::optional<std::string> inline_sql;   // the text to run instead of the file's
  std::string run_id;
  std::optional<uint64_t> expected_shards;
  std::string database{kDefaultDatabase};
};

// Loads, substitutes (placeholder errors as SubstitutePlaceholders, InvalidArgument) and runs every statement of
// the file (or of inline_sql) in order; returns the last one's result. InvalidArgument `No SQL statement in <name>`
// for a text without any.
Result<QueryResult> RunQueryFile(QueryEngine& engine, const QueryFileRequest& request);
// The same, with the last statement's rows handed to `consume` in batches (QueryEngine::RunInBatches).
Status RunQueryFileInBatches(QueryEngine& engine, const QueryFileRequest& request, size_t batch_rows,
                             const std::function<Status(QueryResult&& batch)>& consume);

// The expected shard count of the run from its manifest; nullopt when no manifest gives one.
using ManifestShardsLookup = std::function<Result<std::optional<uint64_t>>()>;

// The request both engines run: resolves `query` in `sql_dir` (ResolveQueryFile, NotFound), validates database,
// run_id and expected_shards (InvalidArgument `Invalid value for ${<name>}: <value>`) and, when expected_shards is
// absent and the file uses ${expected_shards}, asks `manifest_shards` (errors passed through). A value still
// missing is reported by RunQueryFile: `Missing value for ${expected_shards} in <file>`.
Result<QueryFileRequest> PrepareQueryFile(const std::filesystem::path& sql_dir, const QuerySource& query,
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
Result<QueryResult> RunLocalQuery(const LocalQueryOptions& options, const QuerySource& query, std::string_view run_id,
                                  std::optional<uint64_t> expected_shards = std::nullopt);
// The same, with the result's rows handed to `consume` in batches, so printing a large result (e.g. every
// configuration of a 200,000-point run) never holds it all as text.
Status RunLocalQueryInBatches(const LocalQueryOptions& options, const QuerySource& query, std::string_view run_id,
                              std::optional<uint64_t> expected_shards, size_t batch_rows,
                              const std::function<Status(QueryResult&& batch)>& consume);

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
                                  const QuerySource& query, std::string_view run_id,
                                  std::optional<uint64_t> expected_shards = std::nullopt);

// Whether the local results know run `run_id`: it has a run manifest, or any shard outcome or run_context row.
// Errors: NotFound for a missing results directory, the engine's otherwise.
Result<bool> LocalRunExists(const LocalQueryOptions& options, std::string_view run_id);

// Whether the results bucket knows run `run_id`, decided by its run manifest alone (present, even unreadable): what
// `--engine athena` checks before submitting anything. InvalidArgument for an invalid run_id (the placeholder
// text); Unavailable `reading the run manifest failed: …` when the store fails.
Result<bool> StoredRunExists(ObjectStore& store, std::string_view results_prefix, std::string_view run_id);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_RUN_QUERY_H_
