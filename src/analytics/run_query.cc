// One query file for one run, on any engine or over a local results directory.
#include "ridesweep/analytics/run_query.h"

#include <algorithm>
#include <memory>
#include <system_error>

#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/analytics/sql_files.h"

namespace ridesweep::analytics {

namespace {

// The file's one statement with the request's values substituted.
Result<std::string> LoadStatement(const QueryFileRequest& request) {
  PlaceholderValues values;
  values.database = request.database;
  values.run_id = request.run_id;
  values.expected_shards = request.expected_shards;
  return LoadSingleStatement(request.file, values);
}

}  // namespace

Result<QueryResult> RunQueryFile(QueryEngine& engine, const QueryFileRequest& request) {
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string statement, LoadStatement(request));
  return engine.Run(statement);
}

Result<QueryFileRequest> PrepareQueryFile(const std::filesystem::path& sql_dir, std::string_view query,
                                          std::string_view run_id, std::optional<uint64_t> expected_shards,
                                          std::string_view database, const ManifestShardsLookup& manifest_shards) {
  RIDESWEEP_ASSIGN_OR_RETURN(const std::filesystem::path file, ResolveQueryFile(sql_dir, query));
  QueryFileRequest request;
  request.file = file;
  request.run_id = std::string(run_id);
  request.expected_shards = expected_shards;
  request.database = std::string(database);
  // Invalid values first: an invalid run_id must not reach a manifest key, nor a bad database an engine.
  RIDESWEEP_RETURN_IF_ERROR(ValidatePlaceholderValues({request.database, std::nullopt, request.run_id,
                                                       request.expected_shards}));
  if (!request.expected_shards.has_value()) {
    RIDESWEEP_ASSIGN_OR_RETURN(const std::string text, LoadSqlFile(file));
    const std::vector<std::string> tokens = PlaceholderTokens(text);
    if (std::find(tokens.begin(), tokens.end(), kExpectedShardsPlaceholder) != tokens.end()) {
      RIDESWEEP_ASSIGN_OR_RETURN(request.expected_shards, manifest_shards());
    }
  }
  return request;
}

Result<QueryResult> RunLocalQuery(const LocalQueryOptions& options, std::string_view query, std::string_view run_id,
                                  std::optional<uint64_t> expected_shards) {
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
  return RunQueryFile(*engine, request);
}

Result<QueryResult> RunAsyncQuery(const AsyncEngineFactory& make_engine, const AsyncQueryOptions& options,
                                  std::string_view query, std::string_view run_id,
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
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string statement, LoadStatement(request));
  RIDESWEEP_ASSIGN_OR_RETURN(const std::unique_ptr<AsyncQueryEngine> engine, make_engine());
  WaitingQueryEngine waiting(*engine, options.runner, options.engine_name);
  return waiting.Run(statement);
}

}  // namespace ridesweep::analytics
