// sweep_points to a Parquet, CSV or JSON file through DuckDB's COPY, written aside and renamed into place.
#include "ridesweep/analytics/points_export.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>
#include <system_error>

#include "ridesweep/analytics/local_views.h"
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
  RIDESWEEP_ASSIGN_OR_RETURN(const bool known, LocalRunExists(options, run_id));
  const std::string location = LocalResultsLocation{options.results_dir, options.results_prefix}.DatasetsRoot();
  if (!known) return NotFoundError("no run '" + std::string(run_id) + "' in " + location);

  // The temporary file sits beside the target, so the final rename stays within one file system.
  const fs::path parent = request.out.has_parent_path() ? request.out.parent_path() : fs::path(".");
  TemporaryFile temporary(parent / (".ridesweep-export-" + std::to_string(::getpid()) + "-" +
                                    request.out.filename().string()));
  {
    std::ofstream probe(temporary.path(), std::ios::binary | std::ios::trunc);
    if (!probe) {
      return InvalidArgumentError("cannot write " + request.out.string() + ": " + std::strerror(errno));
    }
  }

  // Metrics left out by request.metrics are excluded by name; the seed becomes UINT64 in the file.
  std::string excluded;
  if (!request.metrics.empty()) {
    for (std::string_view metric : all_metrics) {
      if (std::find(request.metrics.begin(), request.metrics.end(), metric) != request.metrics.end()) continue;
      excluded += (excluded.empty() ? "" : ", ") + std::string(metric);
    }
  }
  const std::string sql_source = "SELECT * " + (excluded.empty() ? std::string() : "EXCLUDE (" + excluded + ") ") +
                                 "REPLACE (CAST(seed AS UBIGINT) AS seed) FROM " + options.database + "." +
                                 std::string(kSweepPointsView);
  // COPY answers with the number of rows written.
  const std::string sql = "COPY (" + sql_source + ") TO " + Quoted(temporary.path().string()) + " " +
                          std::string(CopyOptions(format));
  RIDESWEEP_ASSIGN_OR_RETURN(const QueryResult copied,
                             RunLocalQuery(options, QuerySource::Inline(sql, "export"), run_id));
  if (copied.columns.empty() || copied.rows.size() != 1) return InternalError("COPY returned no row count");
  RIDESWEEP_ASSIGN_OR_RETURN(const int64_t rows, copied.Int64(0, copied.columns.front()));
  if (rows == 0) {
    return FailedPreconditionError("run '" + std::string(run_id) + "' has no committed point in " + location);
  }
  fs::rename(temporary.path(), request.out, ec);
  if (ec) return InvalidArgumentError("cannot write " + request.out.string() + ": " + ec.message());
  temporary.Release();
  ExportedPoints exported;
  exported.rows = static_cast<uint64_t>(rows);
  return exported;
}

}  // namespace ridesweep::analytics
