// `ridesweep report` and the report route of `ridesweep serve`.
#include "commands/report_command.h"

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <system_error>

#include "commands/output_file.h"
#include "commands/s3_results.h"
#include "commands/sql_dir.h"
#include "ridesweep/analytics/local_report.h"
#include "ridesweep/analytics/local_views.h"
#include "ridesweep/base/json_writer.h"

namespace ridesweep::cli {
namespace {

analytics::LocalReportRequest MakeRequest(const ResultsLocation& location, const std::filesystem::path& sql_dir,
                                          const std::string& run_id) {
  analytics::LocalReportRequest request;
  request.location = analytics::ScopeToRun({location.Dir(), location.Prefix()}, run_id);
  request.sql_dir = sql_dir;
  request.run_id = run_id;
  return request;
}

std::string ErrorBody(std::string_view error, std::string_view message) {
  JsonObject o;
  o.Set("error", JsonValue::String(std::string(error)));
  o.Set("message", JsonValue::String(std::string(message)));
  return ToCanonicalJson(JsonValue::Object(std::move(o)));
}

}  // namespace

std::string ReportCommandLine(const std::string& run_id, const ResultsLocation& location) {
  std::string line = "ridesweep report --run-id " + run_id;
  if (!location.results_dir.empty()) line += " --results-dir " + location.results_dir;
  if (!location.results_prefix.empty()) line += " --results-prefix " + location.results_prefix;
  return line;
}

CLI::App* AddReportCommand(CLI::App& app, ReportCommandOptions& o) {
  CLI::App* cmd = app.add_subcommand("report", "Write a self-contained HTML report of a run (charts, tables; offline)");
  cmd->add_option("--run-id", o.run_id, "Run to report on")->required();
  cmd->add_option("--out", o.out, "HTML file to write")->capture_default_str();
  cmd->add_flag("--force", o.force, "Replace --out if it exists");
  cmd->add_option("--metrics", o.metrics, "Metrics to chart, comma-separated (default: all five)")->delimiter(',');
  cmd->add_option("--dimensions", o.dimensions,
                  "Dimensions to chart, comma-separated (default: every varying one; heatmaps for the 3 most "
                  "influential pairs)")
      ->delimiter(',');
  cmd->add_option("--point", o.point, "Point whose snapshot counts are plotted (default: the best by health score)");
  cmd->add_option("--top", o.top, "Rows of the top-configurations table")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1}, size_t{100000}));
  cmd->add_option("--sql-dir", o.sql_dir, "Directory of the SQL files (default: infra/aws_serverless_sweep/athena)");
  AddResultsLocationOptions(cmd, o.location);
  return cmd;
}

int RunReportCommand(const ReportCommandOptions& o, std::ostream& out, std::ostream& err) {
  if (Status metrics = analytics::CheckReportMetrics(o.metrics); !metrics.ok()) {
    err << "Error: " << metrics.message() << "\n";
    return 2;
  }
  if (Status existing = CheckOutputFile(o.out, o.force); !existing.ok()) {
    err << "Error: " << existing.message() << "\n";
    return 2;
  }
  auto sql_dir = FindSqlDir(o.sql_dir);
  if (!sql_dir.ok()) {
    err << "Error: " << sql_dir.status().message() << "\n";
    return 2;
  }
  auto results = RunResults::Open(o.location.Dir(), o.location.Prefix(), o.run_id);
  if (!results.ok()) {
    const Status& s = results.status();
    err << "Error: " << s.message() << "\n";
    return s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound ? 2 : 3;
  }
  ResultsLocation readable;
  readable.results_dir = (*results)->dir();
  readable.results_prefix = (*results)->prefix();
  analytics::LocalReportRequest request = MakeRequest(readable, *sql_dir, o.run_id);
  request.options.top_n = o.top;
  request.options.point_index = o.point;
  request.metrics = o.metrics;
  request.dimensions = o.dimensions;
  std::error_code dir_ec;
  if (!std::filesystem::is_directory(request.location.results_dir, dir_ec)) {
    err << "Error: " << analytics::ResultsDirectoryMissingMessage(request.location.results_dir) << "\n"
        << "Run a sweep first (ridesweep run <request.json>) or point --results-dir at its results.\n";
    return 2;
  }
  Result<analytics::LocalReport> report = analytics::BuildLocalReport(request);
  if (report.ok()) report->html = (*results)->Describe(std::move(report->html));
  if (!report.ok()) {
    const Status& s = report.status();
    err << "Error: " << (*results)->Describe(s.message()) << "\n";
    if (s.message() == analytics::RunNotFoundMessage(o.run_id, request.location.DatasetsRoot())) return 1;
    return s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kNotFound ? 2 : 3;
  }
  if (Status written = WriteOutputFile(o.out, report->html); !written.ok()) {
    err << "Error: " << written.message() << "\n";
    return 3;
  }
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(o.out, ec);
  if (ec) absolute = o.out;
  const analytics::ReportData& d = report->data;
  out << "Report of run " << o.run_id << " written to " << absolute.lexically_normal().string() << " ("
      << d.header.points_committed << " committed points, " << d.header.totals.shards_succeeded << " of "
      << (d.header.expected_shards ? std::to_string(*d.header.expected_shards) : std::string("?"))
      << " shards succeeded)\n";
  const std::string message = analytics::ReportStateMessage(d);
  if (!message.empty()) out << message << "\n";
  out << "Open it in a browser: file://" << absolute.lexically_normal().generic_string() << "\n";
  return 0;
}

int RunReportHttp(const ResultsLocation& location, const std::string& run_id, std::string* body,
                  std::string* content_type) {
  *content_type = "application/json";
  auto sql_dir = FindSqlDir();
  if (!sql_dir.ok()) {
    *body = ErrorBody("report_error", sql_dir.status().message());
    return 500;
  }
  Result<analytics::LocalReport> report = analytics::BuildLocalReport(MakeRequest(location, *sql_dir, run_id));
  if (!report.ok()) {
    const Status& s = report.status();
    if (s.code() == StatusCode::kInvalidArgument) {
      *body = ErrorBody("validation_error", s.message());
      return 400;
    }
    if (s.code() == StatusCode::kNotFound) {
      *body = ErrorBody("not_found", s.message());
      return 404;
    }
    *body = ErrorBody("report_error", s.message());
    return 500;
  }
  *content_type = "text/html; charset=utf-8";
  *body = std::move(report->html);
  return 200;
}

}  // namespace ridesweep::cli
