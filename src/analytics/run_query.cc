// One query file for one run, on any engine or over a local results directory.
#include "ridesweep/analytics/run_query.h"

#include <algorithm>
#include <memory>
#include <system_error>

#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/analytics/sql_files.h"

namespace ridesweep::analytics {

Result<QueryResult> RunQueryFile(QueryEngine& engine, const QueryFileRequest& request) {
  PlaceholderValues values;
  values.database = request.database;
  values.run_id = request.run_id;
  values.expected_shards = request.expected_shards;
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string statement, LoadSingleStatement(request.file, values));
  return engine.Run(statement);
}

Result<QueryResult> RunLocalQuery(const LocalQueryOptions& options, std::string_view query, std::string_view run_id,
                                  std::optional<uint64_t> expected_shards) {
  std::error_code ec;
  if (!std::filesystem::is_directory(options.results_dir, ec)) {
    return NotFoundError("results directory not found: " + options.results_dir.string());
  }
  RIDESWEEP_ASSIGN_OR_RETURN(const std::filesystem::path file, ResolveQueryFile(options.sql_dir, query));
  QueryFileRequest request;
  request.file = file;
  request.run_id = std::string(run_id);
  request.expected_shards = expected_shards;
  request.database = options.database;
  // Invalid values first: an invalid run_id must not reach a manifest key, nor a bad database the views.
  RIDESWEEP_RETURN_IF_ERROR(ValidatePlaceholderValues({request.database, std::nullopt, request.run_id,
                                                       request.expected_shards}));

  if (!request.expected_shards.has_value()) {
    RIDESWEEP_ASSIGN_OR_RETURN(const std::string text, LoadSqlFile(file));
    const std::vector<std::string> tokens = PlaceholderTokens(text);
    const bool needs_expected_shards =
        std::find(tokens.begin(), tokens.end(), kExpectedShardsPlaceholder) != tokens.end();
    if (needs_expected_shards) {
      request.expected_shards = ResolveLocalRun(options.results_dir, options.results_prefix, run_id).expected_shards;
    }
  }
  RIDESWEEP_ASSIGN_OR_RETURN(
      std::unique_ptr<DuckDbQueryEngine> engine,
      DuckDbQueryEngine::OpenOverResults({options.results_dir, options.results_prefix}, options.sql_dir,
                                         options.database, options.engine));
  return RunQueryFile(*engine, request);
}

}  // namespace ridesweep::analytics
