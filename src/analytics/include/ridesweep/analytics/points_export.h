// `ridesweep export`: a run's sweep_points table (sweep_points.h) written to one file for pandas, R or a
// spreadsheet — Parquet, CSV (with a header) or JSON (an array of row objects), chosen by the file's extension.
// DuckDB writes the file (COPY) next to the target under a temporary name and renames it into place, so a failure
// leaves nothing behind and an existing file is replaced only with `force`. The seed column is UINT64 in the
// file (DECIMAL(20,0) in SQL). ExportAsyncPoints runs the generated SELECT on Athena instead and loads its rows
// into the local view's typed columns before the COPY, so both engines write the same file. Opens its own
// engine; not shared between threads.
#ifndef RIDESWEEP_ANALYTICS_POINTS_EXPORT_H_
#define RIDESWEEP_ANALYTICS_POINTS_EXPORT_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ridesweep/analytics/run_query.h"
#include "ridesweep/base/result.h"

namespace ridesweep::analytics {

enum class ExportFormat { kParquet, kCsv, kJson };

// By extension (.parquet, .csv, .json, case-sensitive). InvalidArgument
// `unsupported export format '<ext>': use .parquet, .csv or .json` otherwise.
Result<ExportFormat> ExportFormatOf(const std::filesystem::path& out);

struct PointsExport {
  std::filesystem::path out;
  bool force = false;                // replace an existing file
  std::vector<std::string> metrics;  // the metric columns to keep, in table order; empty: every metric
};

struct ExportedPoints {
  uint64_t rows = 0;
};

// Writes the run's sweep_points to export.out. Errors, each leaving no file behind:
//   InvalidArgument  bad extension; `unknown metric '<m>' (metrics: <list>)`; `<out> exists (use --force to replace it)`; a directory that does not exist or
//                    cannot be written (`cannot write <out>: <reason>`); an invalid run_id
//   NotFound         `no run '<R>' in <results location>` (no manifest, outcome or run_context row), or a missing
//                    results directory
//   FailedPrecondition `run '<R>' has no committed point in <results location>`
//   the engine's errors otherwise.
Result<ExportedPoints> ExportLocalPoints(const LocalQueryOptions& options, std::string_view run_id,
                                         const PointsExport& request);

// `ridesweep export --engine athena`: the same file from the run's sweep_points SELECT (its dimensions from the
// run manifest, read through options.manifest_store, which is required) run by RunAsyncQuery. `location` names
// the results bucket in messages (s3://BUCKET/PREFIX). Errors, each leaving no file behind and, except the last
// two, submitting no query: InvalidArgument as ExportLocalPoints, and for a per_shard run; NotFound
// `no run '<R>' in <location>` (no manifest); Unavailable for a manifest that cannot be read; FailedPrecondition
// `run '<R>' has no committed point in <location>`; RunAsyncQuery's errors otherwise.
Result<ExportedPoints> ExportAsyncPoints(const AsyncEngineFactory& make_engine, const AsyncQueryOptions& options,
                                         std::string_view run_id, const PointsExport& request,
                                         std::string_view location);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_POINTS_EXPORT_H_
