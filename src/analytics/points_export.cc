// sweep_points to a Parquet, CSV or JSON file through DuckDB's COPY, written aside and renamed into place: from the
// local views, or from the rows Athena returned, loaded into the local view's typed columns first.
#include "ridesweep/analytics/points_export.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <system_error>

#include "ridesweep/analytics/errors.h"
#include "ridesweep/analytics/local_views.h"
#include "ridesweep/analytics/query_output.h"
#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/analytics/sql_placeholders.h"
#include "ridesweep/analytics/sweep_points.h"

namespace ridesweep::analytics {
namespace {

namespace fs = std::filesystem;

std::string Quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string_view CopyOptions(ExportFormat format) {
  switch (format) {
    case ExportFormat::kParquet:
      return "(FORMAT PARQUET)";
    case ExportFormat::kCsv:
      return "(FORMAT CSV, HEADER true)";
    case ExportFormat::kJson:
      return "(FORMAT JSON, ARRAY true)";
  }
  return "(FORMAT PARQUET)";
}

// Removes the temporary file unless released.
class TemporaryFile {
 public:
  explicit TemporaryFile(fs::path path) : path_(std::move(path)) {}
  ~TemporaryFile() {
    std::error_code ec;
    if (!released_) fs::remove(path_, ec);
  }
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;
  const fs::path& path() const { return path_; }
  void Release() { released_ = true; }

 private:
  fs::path path_;
  bool released_ = false;
};

// The checks every export makes before reading anything: the format, the metric names, the target.
Result<ExportFormat> CheckExportRequest(const PointsExport& request) {
  RIDESWEEP_ASSIGN_OR_RETURN(const ExportFormat format, ExportFormatOf(request.out));
  const std::vector<std::string_view> all_metrics = SweepPointsMetricColumns();
  for (const std::string& metric : request.metrics) {
    if (std::find(all_metrics.begin(), all_metrics.end(), metric) == all_metrics.end()) {
      std::string list;
      for (std::string_view name : all_metrics) list += (list.empty() ? "" : ", ") + std::string(name);
      return InvalidArgumentError("unknown metric '" + metric + "' (metrics: " + list + ")");
    }
  }
  std::error_code ec;
  if (fs::exists(request.out, ec) && !request.force) {
    return InvalidArgumentError(request.out.string() + " exists (use --force to replace it)");
  }
  if (fs::is_directory(request.out, ec)) return InvalidArgumentError(request.out.string() + " is a directory");
  return format;
}

// A temporary file beside the target (so the final rename stays within one file system), created empty to prove
// the directory writable. `tag` tells the export's temporary files apart.
Result<std::unique_ptr<TemporaryFile>> CreateBeside(const fs::path& out, std::string_view tag) {
  const fs::path parent = out.has_parent_path() ? out.parent_path() : fs::path(".");
  auto temporary = std::make_unique<TemporaryFile>(parent / (".ridesweep-export-" + std::to_string(::getpid()) +
                                                             std::string(tag) + "-" + out.filename().string()));
  std::ofstream probe(temporary->path(), std::ios::binary | std::ios::trunc);
  if (!probe) return InvalidArgumentError("cannot write " + out.string() + ": " + std::strerror(errno));
  return temporary;
}

// `COPY (SELECT … FROM <table>) TO '<to>' (…)`: the metrics left out by request.metrics excluded by name, the seed
// UINT64 in the file, rows by point_index.
std::string CopySql(std::string_view table, const PointsExport& request, ExportFormat format, const fs::path& to) {
  std::string excluded;
  if (!request.metrics.empty()) {
    for (std::string_view metric : SweepPointsMetricColumns()) {
      if (std::find(request.metrics.begin(), request.metrics.end(), metric) != request.metrics.end()) continue;
      excluded += (excluded.empty() ? "" : ", ") + std::string(metric);
    }
  }
  const std::string source = "SELECT * " + (excluded.empty() ? std::string() : "EXCLUDE (" + excluded + ") ") +
                             "REPLACE (CAST(seed AS UBIGINT) AS seed) FROM " + std::string(table) +
                             " ORDER BY point_index";
  // COPY answers with the number of rows written.
  return "COPY (" + source + ") TO " + Quoted(to.string()) + " " + std::string(CopyOptions(format));
}

Result<int64_t> RowsCopied(const QueryResult& copied) {
  if (copied.columns.empty() || copied.rows.size() != 1) return InternalError("COPY returned no row count");
  return copied.Int64(0, copied.columns.front());
}

Status RenameIntoPlace(TemporaryFile& temporary, const fs::path& out) {
  std::error_code ec;
  fs::rename(temporary.path(), out, ec);
  if (ec) return InvalidArgumentError("cannot write " + out.string() + ": " + ec.message());
  temporary.Release();
  return Status();
}

}  // namespace

Result<ExportFormat> ExportFormatOf(const fs::path& out) {
  const std::string ext = out.extension().string();
  if (ext == ".parquet") return ExportFormat::kParquet;
  if (ext == ".csv") return ExportFormat::kCsv;
  if (ext == ".json") return ExportFormat::kJson;
  return InvalidArgumentError("unsupported export format '" + ext + "': use .parquet, .csv or .json");
}

Result<ExportedPoints> ExportLocalPoints(const LocalQueryOptions& options, std::string_view run_id,
                                         const PointsExport& request) {
  RIDESWEEP_ASSIGN_OR_RETURN(const ExportFormat format, CheckExportRequest(request));
  RIDESWEEP_ASSIGN_OR_RETURN(const bool known, LocalRunExists(options, run_id));
  const std::string location = LocalResultsLocation{options.results_dir, options.results_prefix}.DatasetsRoot();
  if (!known) return NotFoundError(errors::UnknownRun(run_id, location));

  RIDESWEEP_ASSIGN_OR_RETURN(const std::unique_ptr<TemporaryFile> temporary, CreateBeside(request.out, ""));
  const std::string sql =
      CopySql(options.database + "." + std::string(kSweepPointsView), request, format, temporary->path());
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult copied,
                             RunLocalQuery(options, QuerySource::Inline(sql, "export"), run_id));
  RIDESWEEP_ASSIGN_OR_RETURN(const int64_t rows, RowsCopied(copied));
  if (rows == 0) {
    return FailedPreconditionError("run '" + std::string(run_id) + "' has no committed point in " + location);
  }
  RIDESWEEP_RETURN_IF_ERROR(RenameIntoPlace(*temporary, request.out));
  ExportedPoints exported;
  exported.rows = static_cast<uint64_t>(rows);
  return exported;
}

Result<ExportedPoints> ExportAsyncPoints(const AsyncEngineFactory& make_engine, const AsyncQueryOptions& options,
                                         std::string_view run_id, const PointsExport& request,
                                         std::string_view location) {
  RIDESWEEP_ASSIGN_OR_RETURN(const ExportFormat format, CheckExportRequest(request));
  RIDESWEEP_RETURN_IF_ERROR(
      ValidatePlaceholderValues({options.database, std::nullopt, std::string(run_id), std::nullopt}));
  if (options.manifest_store == nullptr) return InvalidArgumentError("the results bucket is required (run manifest)");
  // The columns come from the run manifest: without one the run is unknown.
  Result<ResolvedRun> run = ResolveRun(*options.manifest_store, options.results_prefix, run_id);
  if (!run.ok()) return UnavailableError("reading the run manifest failed: " + run.status().message());
  if (run->manifest_state == ManifestState::kAbsent) return NotFoundError(errors::UnknownRun(run_id, location));
  if (!run->manifest.has_value()) return UnavailableError("unreadable run manifest: " + run->manifest_problem);
  RIDESWEEP_ASSIGN_OR_RETURN(const std::vector<PointDimension> dimensions,
                             PointDimensionsOf(run->manifest->normalized_request));

  RIDESWEEP_ASSIGN_OR_RETURN(const std::unique_ptr<TemporaryFile> temporary, CreateBeside(request.out, ""));
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult points,
                             RunAsyncQuery(make_engine, options,
                                           QuerySource::Inline(SweepPointsSelectSql(dimensions), "sweep_points"),
                                           run_id));
  if (points.rows.empty()) {
    return FailedPreconditionError("run '" + std::string(run_id) + "' has no committed point in " +
                                   std::string(location));
  }
  // The rows as CSV text (NULL an empty unquoted field), read back into the local view's typed columns: the local
  // views over no results are typed and empty, so the file gets the local export's columns and types.
  RIDESWEEP_ASSIGN_OR_RETURN(const std::unique_ptr<TemporaryFile> rows_csv, CreateBeside(request.out, "-rows"));
  {
    std::ofstream csv(rows_csv->path(), std::ios::binary | std::ios::trunc);
    WriteQueryResult(csv, points, OutputFormat::kCsv);
    if (!csv.flush()) return InvalidArgumentError("cannot write " + request.out.string() + ": " + std::strerror(errno));
  }
  RIDESWEEP_ASSIGN_OR_RETURN(const std::unique_ptr<DuckDbQueryEngine> engine, DuckDbQueryEngine::Open());
  RIDESWEEP_RETURN_IF_ERROR(
      CreateLocalViews(*engine, options.sql_dir, {rows_csv->path() / "no-results", ""}, options.database).status());
  PlaceholderValues values;
  values.database = options.database;
  values.run_id = std::string(run_id);
  RIDESWEEP_ASSIGN_OR_RETURN(const std::string view_sql,
                             SubstitutePlaceholders(SweepPointsViewSql(dimensions), values, "sweep_points"));
  RIDESWEEP_RETURN_IF_ERROR(engine->Run(view_sql).status());
  RIDESWEEP_RETURN_IF_ERROR(engine->Run("CREATE TABLE athena_points AS SELECT * FROM " + options.database + "." +
                                        std::string(kSweepPointsView) + " LIMIT 0")
                                .status());
  // By position, each text cast to its column's type (a column Athena returned in a different order or number
  // fails here rather than landing in the wrong column).
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult columns, engine->Run("SELECT * FROM athena_points LIMIT 0"));
  if (columns.columns != points.columns) {
    return InternalError("the athena result's columns differ from sweep_points'");
  }
  RIDESWEEP_RETURN_IF_ERROR(engine->Run("INSERT INTO athena_points SELECT * FROM read_csv(" +
                                        Quoted(rows_csv->path().string()) + ", header = true, all_varchar = true)")
                                .status());
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult copied,
                             engine->Run(CopySql("athena_points", request, format, temporary->path())));
  RIDESWEEP_ASSIGN_OR_RETURN(const int64_t rows, RowsCopied(copied));
  RIDESWEEP_RETURN_IF_ERROR(RenameIntoPlace(*temporary, request.out));
  ExportedPoints exported;
  exported.rows = static_cast<uint64_t>(rows);
  return exported;
}

}  // namespace ridesweep::analytics
