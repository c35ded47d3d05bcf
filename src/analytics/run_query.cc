// One query (a file or inline SQL) for one run, on any engine or over a local results directory.
#include "ridesweep/analytics/run_query.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <system_error>

#include "ridesweep/analytics/layout_tables.h"
#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/analytics/sql_files.h"
#include "ridesweep/analytics/sweep_points.h"

namespace ridesweep::analytics {

namespace {

std::string SourceName(const QueryFileRequest& request) {
  return request.inline_sql.has_value() ? std::string("the inline SQL") : request.file.filename().string();
}

// The query's statements with the request's values substituted.
Result<std::vector<std::string>> LoadStatements(const QueryFileRequest& request) {
  PlaceholderValues values;
  values.database = request.database;
  values.run_id = request.run_id;
  values.expected_shards = request.expected_shards;
  if (request.inline_sql.has_value()) return PrepareStatements(*request.inline_sql, values, SourceName(request));
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string text, LoadSqlFile(request.file));
  return PrepareStatements(text, values, SourceName(request));
}

// Creates ${database}.sweep_points for the run: its dimension columns from the manifest (none without one).
Status CreateSweepPointsView(QueryEngine& engine, const ResolvedRun& run, std::string_view database) {
  std::vector<PointDimension> dimensions;
  if (run.manifest.has_value()) {
    RIDESWEEP_ASSIGN_OR_RETURN(dimensions, PointDimensionsOf(run.manifest->normalized_request));
  }
  PlaceholderValues values;
  values.database = std::string(database);
  values.run_id = run.run_id;
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string sql,
                             SubstitutePlaceholders(SweepPointsViewSql(dimensions), values, "sweep_points"));
  return engine.Run(sql).status();
}

}  // namespace

Status RunQueryFileInBatches(QueryEngine& engine, const QueryFileRequest& request, size_t batch_rows,
                             const std::function<Status(QueryResult&& batch)>& consume) {
  RIDESWEEP_ASSIGN_OR_RETURN(const std::vector<std::string> statements, LoadStatements(request));
  if (statements.empty()) return consume(QueryResult{});
  for (size_t i = 0; i + 1 < statements.size(); ++i) RIDESWEEP_RETURN_IF_ERROR(engine.Run(statements[i]).status());
  return engine.RunInBatches(statements.back(), batch_rows, consume);
}

namespace {

// Collects the batches of a *InBatches call into one result.
struct Collector {
  QueryResult all;
  Status operator()(QueryResult&& batch) {
    all.columns = std::move(batch.columns);
    for (QueryRow& row : batch.rows) all.rows.push_back(std::move(row));
    return Status::Ok();
  }
};

constexpr size_t kCollectBatchRows = 1 << 16;

}  // namespace

Result<QueryResult> RunQueryFile(QueryEngine& engine, const QueryFileRequest& request) {
  Collector collector;
  RIDESWEEP_RETURN_IF_ERROR(RunQueryFileInBatches(engine, request, kCollectBatchRows, std::ref(collector)));
  return std::move(collector.all);
}

Result<QueryFileRequest> PrepareQueryFile(const std::filesystem::path& sql_dir, const QuerySource& query,
                                          std::string_view run_id, std::optional<uint64_t> expected_shards,
                                          std::string_view database, const ManifestShardsLookup& manifest_shards) {
  QueryFileRequest request;
  if (query.sql.has_value()) {
    request.inline_sql = query.sql;
  } else {
    RIDESWEEP_ASSIGN_OR_RETURN(request.file, ResolveQueryFile(sql_dir, query.query));
  }
  request.run_id = std::string(run_id);
  request.expected_shards = expected_shards;
  request.database = std::string(database);
  // Invalid values first: an invalid run_id must not reach a manifest key, nor a bad database an engine.
  RIDESWEEP_RETURN_IF_ERROR(ValidatePlaceholderValues({request.database, std::nullopt, request.run_id,
                                                       request.expected_shards}));
  if (!request.expected_shards.has_value()) {
    std::string text;
    if (request.inline_sql.has_value()) {
      text = *request.inline_sql;
    } else {
      RIDESWEEP_ASSIGN_OR_RETURN(text, LoadSqlFile(request.file));
    }
    const std::vector<std::string> tokens = PlaceholderTokens(text);
    if (std::find(tokens.begin(), tokens.end(), kExpectedShardsPlaceholder) != tokens.end()) {
      RIDESWEEP_ASSIGN_OR_RETURN(request.expected_shards, manifest_shards());
    }
  }
  return request;
}

Result<QueryResult> RunLocalQuery(const LocalQueryOptions& options, const QuerySource& query, std::string_view run_id,
                                  std::optional<uint64_t> expected_shards) {
  Collector collector;
  RIDESWEEP_RETURN_IF_ERROR(RunLocalQueryInBatches(options, query, run_id, expected_shards, kCollectBatchRows,
                                                   std::ref(collector)));
  return std::move(collector.all);
}

Status RunLocalQueryInBatches(const LocalQueryOptions& options, const QuerySource& query, std::string_view run_id,
                              std::optional<uint64_t> expected_shards, size_t batch_rows,
                              const std::function<Status(QueryResult&& batch)>& consume) {
  std::error_code ec;
  if (!std::filesystem::is_directory(options.results_dir, ec)) {
    return NotFoundError("results directory not found: " + options.results_dir.string());
  }
  const ManifestShardsLookup from_manifest = [&]() -> Result<std::optional<uint64_t>> {
    return ResolveLocalRun(options.results_dir, options.results_prefix, run_id).expected_shards;
  };
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryFileRequest request, PrepareQueryFile(options.sql_dir, query, run_id,
                                                                               expected_shards, options.database,
                                                                               from_manifest));
  RIDESWEEP_ASSIGN_OR_RETURN(
      std::unique_ptr<DuckDbQueryEngine> engine,
      DuckDbQueryEngine::OpenOverResults(ScopeToRun({options.results_dir, options.results_prefix}, run_id),
                                         options.sql_dir, options.database, options.engine));
  const ResolvedRun run = ResolveLocalRun(options.results_dir, options.results_prefix, run_id);
  RIDESWEEP_RETURN_IF_ERROR(CreateSweepPointsView(*engine, run, options.database));
  return RunQueryFileInBatches(*engine, request, batch_rows, consume);
}

Result<bool> LocalRunExists(const LocalQueryOptions& options, std::string_view run_id) {
  std::error_code ec;
  if (!std::filesystem::is_directory(options.results_dir, ec)) {
    return NotFoundError("results directory not found: " + options.results_dir.string());
  }
  RIDESWEEP_RETURN_IF_ERROR(ValidatePlaceholderValues({options.database, std::nullopt, std::string(run_id),
                                                       std::nullopt}));
  if (ResolveLocalRun(options.results_dir, options.results_prefix, run_id).manifest_state != ManifestState::kAbsent) {
    return true;
  }
  RIDESWEEP_ASSIGN_OR_RETURN(
      std::unique_ptr<DuckDbQueryEngine> engine,
      DuckDbQueryEngine::OpenOverResults({options.results_dir, options.results_prefix}, options.sql_dir,
                                         options.database, options.engine));
  PlaceholderValues values;
  values.database = options.database;
  values.run_id = std::string(run_id);
  RIDESWEEP_ASSIGN_OR_RETURN(
      const std::string sql,
      SubstitutePlaceholders("SELECT (SELECT COUNT(*) FROM ${database}.sweep_shard_outcomes WHERE run_id_partition = "
                             "'${run_id}') + (SELECT COUNT(*) FROM ${database}.sweep_run_context WHERE "
                             "run_id_partition = '${run_id}') AS n",
                             values, "run lookup"));
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult result, engine->Run(sql));
  RIDESWEEP_ASSIGN_OR_RETURN(const int64_t rows, result.Int64(0, "n"));
  return rows > 0;
}

Result<bool> StoredRunExists(ObjectStore& store, std::string_view results_prefix, std::string_view run_id) {
  RIDESWEEP_RETURN_IF_ERROR(ValidatePlaceholderValues({std::string(kDefaultDatabase), std::nullopt,
                                                       std::string(run_id), std::nullopt}));
  Result<ResolvedRun> run = ResolveRun(store, results_prefix, run_id);
  if (!run.ok()) return UnavailableError("reading the run manifest failed: " + run.status().message());
  return run->manifest_state != ManifestState::kAbsent;
}

Result<QueryResult> RunAsyncQuery(const AsyncEngineFactory& make_engine, const AsyncQueryOptions& options,
                                  const QuerySource& query, std::string_view run_id,
                                  std::optional<uint64_t> expected_shards) {
  const ManifestShardsLookup from_manifest = [&]() -> Result<std::optional<uint64_t>> {
    if (options.manifest_store == nullptr) return std::optional<uint64_t>();
    Result<ResolvedRun> run = ResolveRun(*options.manifest_store, options.results_prefix, run_id);
    if (!run.ok()) return UnavailableError("reading the run manifest failed: " + run.status().message());
    return run->expected_shards;
  };
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryFileRequest request, PrepareQueryFile(options.sql_dir, query, run_id,
                                                                               expected_shards, options.database,
                                                                               from_manifest));
  // Every placeholder problem before the engine exists: no credentials or connection for a bad argument.
  RIDESWEEP_ASSIGN_OR_RETURN(const std::vector<std::string> statements, LoadStatements(request));
  // A per_shard run's point rows are in the sweep_<d>_per_shard views: the statements are routed there. A run
  // without a readable manifest is read as per_point, the layout of every run written before layouts existed.
  sweep::OutputLayout layout = sweep::OutputLayout::kPerPoint;
  if (options.manifest_store != nullptr) {
    Result<ResolvedRun> run = ResolveRun(*options.manifest_store, options.results_prefix, run_id);
    if (!run.ok()) return UnavailableError("reading the run manifest failed: " + run.status().message());
    if (run->manifest.has_value()) layout = run->manifest->normalized_request.layout;
  }
  RIDESWEEP_ASSIGN_OR_RETURN(const std::unique_ptr<AsyncQueryEngine> engine, make_engine());
  WaitingQueryEngine waiting(*engine, options.runner, options.engine_name);
  LayoutRoutedEngine routed(waiting, layout);
  QueryResult last;
  for (const std::string& statement : statements) {
    RIDESWEEP_ASSIGN_OR_RETURN(last, routed.Run(statement));
  }
  return last;
}

}  // namespace ridesweep::analytics
