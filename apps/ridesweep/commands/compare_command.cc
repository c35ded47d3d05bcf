// `ridesweep compare`: two runs' configuration means, matched and compared.
#include "commands/compare_command.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <memory>
#include <ostream>
#include <system_error>

#include "commands/output_file.h"
#include "commands/s3_results.h"
#include "commands/sql_dir.h"
#include "ridesweep/analytics/comparison_page.h"
#include "ridesweep/analytics/configuration_means.h"
#include "ridesweep/analytics/duckdb_query_engine.h"
#include "ridesweep/analytics/local_report.h"
#include "ridesweep/analytics/run_comparison.h"
#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/sweep/identifiers.h"

namespace ridesweep::cli {
namespace {

// One run's configurations, read from its (possibly copied) results.
struct LoadedRun {
  std::unique_ptr<RunResults> results;
  analytics::ResolvedRun resolved;
  std::vector<analytics::ConfigurationMeans> configurations;
};

// Exit code of a failed step: 2 for argument errors and missing locations, 3 otherwise.
int ExitCodeOf(const Status& s) {
  return s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound ? 2 : 3;
}

}  // namespace

CLI::App* AddCompareCommand(CLI::App& app, CompareCommandOptions& o) {
  CLI::App* cmd = app.add_subcommand(
      "compare", "Compare two runs configuration by configuration (difference of means with 95% Welch intervals)");
  cmd->add_option("RUN_A", o.run_a, "The baseline run")->required();
  cmd->add_option("RUN_B", o.run_b, "The run compared with it (differences are B - A)")->required();
  cmd->add_flag("--json", o.json, "Print JSON (same as --format json)");
  cmd->add_option("--format", o.format, "table, json or csv")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json", "csv"}));
  cmd->add_option("--metrics", o.metrics, "Metrics to compare, comma-separated (default: all)")->delimiter(',');
  cmd->add_option("--html", o.html, "Write the comparison as a self-contained HTML page to this file");
  cmd->add_flag("--force", o.force, "Replace the --html file if it exists");
  cmd->add_option("--sql-dir", o.sql_dir, "Directory of the SQL files (default: infra/aws_serverless_sweep/athena)");
  AddResultsLocationOptions(cmd, o.location);
  return cmd;
}

int RunCompareCommand(const CompareCommandOptions& o, std::ostream& out, std::ostream& err) {
  for (const std::string* run : {&o.run_a, &o.run_b}) {
    if (!sweep::MatchesRunIdPattern(*run)) {
      err << "Error: run_id must match [A-Za-z0-9._-]{1,128} (got '" << *run << "')\n";
      return 2;
    }
  }
  std::vector<std::string> metrics = o.metrics;
  if (metrics.empty()) {
    for (std::string_view name : analytics::ConfigurationMetricNames()) metrics.emplace_back(name);
  }
  if (Status checked = analytics::CheckConfigurationMetrics(metrics); !checked.ok()) {
    err << "Error: " << checked.message() << "\n";
    return 2;
  }
  if (!o.html.empty()) {
    if (Status existing = CheckOutputFile(o.html, o.force); !existing.ok()) {
      err << "Error: " << existing.message() << "\n";
      return 2;
    }
  }
  auto sql_dir = FindSqlDir(o.sql_dir);
  if (!sql_dir.ok()) {
    err << "Error: " << sql_dir.status().message() << "\n";
    return 2;
  }
  LoadedRun runs[2];
  const std::string* ids[2] = {&o.run_a, &o.run_b};
  for (int side = 0; side < 2; ++side) {
    const std::string& run_id = *ids[side];
    auto results = RunResults::Open(o.location.Dir(), o.location.Prefix(), run_id);
    if (!results.ok()) {
      err << "Error: " << results.status().message() << "\n";
      return ExitCodeOf(results.status());
    }
    LoadedRun& run = runs[side];
    run.results = std::move(results).value();
    analytics::LocalResultsLocation location;
    location.results_dir = run.results->dir();
    location.results_prefix = run.results->prefix();
    std::error_code ec;
    if (!std::filesystem::is_directory(location.results_dir, ec)) {
      err << "Error: " << analytics::ResultsDirectoryMissingMessage(location.results_dir) << "\n"
          << "Run a sweep first (ridesweep run <request.json>) or point --results-dir at its results.\n";
      return 2;
    }
    run.resolved = analytics::ResolveLocalRun(location.results_dir, location.results_prefix, run_id);
    auto engine = analytics::DuckDbQueryEngine::OpenOverResults(location, *sql_dir, analytics::kDefaultDatabase);
    if (!engine.ok()) {
      err << "Error: " << run.results->Describe(engine.status().message()) << "\n";
      return 3;
    }
    auto configurations =
        analytics::LoadConfigurationMeans(**engine, analytics::kDefaultDatabase, run_id, metrics);
    if (!configurations.ok()) {
      err << "Error: " << run.results->Describe(configurations.status().message()) << "\n";
      return 3;
    }
    run.configurations = std::move(configurations).value();
    if (run.configurations.empty()) {
      if (run.resolved.manifest_state == analytics::ManifestState::kAbsent) {
        err << "Error: " << run.results->Describe(analytics::RunNotFoundMessage(run_id, location.DatasetsRoot()))
            << "\n";
      } else {
        err << "Error: run " << run_id << " has no committed point: nothing to compare\n";
      }
      return 1;
    }
  }
  if (Status designs = analytics::CheckComparableDesigns(runs[0].resolved, runs[1].resolved); !designs.ok()) {
    err << "Error: " << designs.message() << "\n";
    return 2;
  }
  const analytics::RunComparison comparison = analytics::CompareConfigurations(
      o.run_a, o.run_b, metrics, runs[0].configurations, runs[1].configurations);
  if (comparison.matched.empty()) {
    err << "Error: "
        << analytics::NoSharedConfigurationMessage(comparison, runs[0].configurations, runs[1].configurations)
        << "\n";
    return 2;
  }
  if (!o.html.empty()) {
    if (Status written = WriteOutputFile(o.html, analytics::RenderComparisonPage(comparison)); !written.ok()) {
      err << "Error: " << written.message() << "\n";
      return 3;
    }
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(o.html, ec);
    if (ec) absolute = o.html;
    out << "Comparison of run " << o.run_b << " against run " << o.run_a << " written to "
        << absolute.lexically_normal().string() << " (" << comparison.matched.size()
        << " configurations matched)\nOpen it in a browser: file://" << absolute.lexically_normal().generic_string()
        << "\n";
    return 0;
  }
  const std::string format = o.json ? "json" : o.format;
  if (format == "json") {
    out << analytics::ComparisonJson(comparison) << "\n";
  } else if (format == "csv") {
    out << analytics::ComparisonCsv(comparison);
  } else {
    out << analytics::ComparisonTable(comparison);
  }
  return 0;
}

}  // namespace ridesweep::cli
