// The export command: flags → RunResults → analytics::ExportLocalPoints (or, --engine athena,
// RunAthenaExportCommand) → exit code.
#include "commands/export_command.h"

#include <CLI/CLI.hpp>

#include <ostream>

#include "commands/s3_results.h"
#include "commands/sql_dir.h"
#include "ridesweep/analytics/points_export.h"
#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/analytics/sql_placeholders.h"
#include "ridesweep/analytics/sweep_points.h"

namespace ridesweep::cli {
namespace {

// The generated SELECT of the run, placeholders filled: what `--print-sql` prints.
Result<std::string> SweepPointsSqlOf(const RunResults& results, const ExportOptions& o) {
  RIDESWEEP_RETURN_IF_ERROR(analytics::ValidatePlaceholderValues({o.database, std::nullopt, o.run_id, std::nullopt}));
  const analytics::ResolvedRun run = analytics::ResolveLocalRun(results.dir(), results.prefix(), o.run_id);
  if (!run.manifest.has_value()) {
    return NotFoundError("no run manifest for run '" + o.run_id + "' (its dimensions come from the manifest)");
  }
  RIDESWEEP_ASSIGN_OR_RETURN(const std::vector<analytics::PointDimension> dimensions,
                             analytics::PointDimensionsOf(run.manifest->normalized_request));
  analytics::PlaceholderValues values;
  values.database = o.database;
  values.run_id = o.run_id;
  return analytics::SubstitutePlaceholders(analytics::SweepPointsSelectSql(dimensions), values, "sweep_points");
}

}  // namespace

CLI::App* AddExportCommand(CLI::App& app, ExportOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "export", "Write a run's sweep_points table (one row per point, dimensions and metrics) to Parquet, CSV or JSON");
  cmd->add_option("--run-id", o.run_id, "Run to export")->required();
  cmd->add_option("--out", o.out, "Output file: .parquet, .csv or .json");
  cmd->add_flag("--force", o.force, "Replace an existing output file");
  cmd->add_option("--metrics", o.metrics, "Keep only these metric columns (comma-separated; default: every metric)")
      ->delimiter(',');
  cmd->add_flag("--print-sql", o.print_sql, "Print the run's sweep_points SELECT (for Athena) instead of exporting");
  cmd->add_option("--database", o.database, "Database (schema) name used in the printed SQL")->capture_default_str();
  cmd->add_option("--sql-dir", o.sql_dir, "Directory of the SQL files (default: infra/aws_serverless_sweep/athena)");
  AddResultsLocationOptions(cmd, o.location);
  cmd->add_option("--engine", o.engine, "local (DuckDB over the results) or athena (the SELECT run on Athena)")
      ->check(CLI::IsMember({"local", "athena"}))
      ->capture_default_str();
  AddAthenaConnectionOptions(cmd, o.athena);
  return cmd;
}

int RunExportCommand(const ExportOptions& o, std::ostream& out, std::ostream& err) {
  if (o.out.empty() == !o.print_sql) {
    err << "Error: give exactly one of --out FILE or --print-sql\n";
    return 2;
  }
  if (!o.print_sql) {
    if (Result<analytics::ExportFormat> format = analytics::ExportFormatOf(o.out); !format.ok()) {
      err << "Error: " << format.status().message() << "\n";
      return 2;
    }
  }
  if (o.engine == "athena" && !o.print_sql) {
    return RunAthenaExportCommand({o.run_id, o.location.Prefix(), o.sql_dir, o.athena, o.out, o.force, o.metrics},
                                  out, err);
  }
  auto sql_dir = FindSqlDir(o.sql_dir);
  if (!sql_dir.ok()) {
    err << "Error: " << sql_dir.status().message() << "\n";
    return 2;
  }
  auto results = RunResults::Open(o.location.Dir(), o.location.Prefix(), o.run_id);
  if (!results.ok()) {
    err << "Error: " << results.status().message() << "\n";
    const StatusCode code = results.status().code();
    return code == StatusCode::kInvalidArgument || code == StatusCode::kNotFound ? 2 : 3;
  }
  if (o.print_sql) {
    Result<std::string> sql = SweepPointsSqlOf(**results, o);
    if (!sql.ok()) {
      err << "Error: " << (*results)->Describe(sql.status().message()) << "\n";
      return sql.status().code() == StatusCode::kInvalidArgument ? 2 : 3;
    }
    out << *sql << ";\n";
    return 0;
  }
  analytics::LocalQueryOptions q;
  q.results_dir = (*results)->dir();
  q.results_prefix = (*results)->prefix();
  q.sql_dir = *sql_dir;
  Result<analytics::ExportedPoints> exported = analytics::ExportLocalPoints(q, o.run_id, {o.out, o.force, o.metrics});
  if (!exported.ok()) {
    err << "Error: " << (*results)->Describe(exported.status().message()) << "\n";
    switch (exported.status().code()) {
      case StatusCode::kInvalidArgument:
        return 2;
      case StatusCode::kFailedPrecondition:
        return 1;
      default:
        return 3;
    }
  }
  out << "exported " << exported->rows << " points of run " << o.run_id << " to " << o.out << "\n";
  return 0;
}

}  // namespace ridesweep::cli
