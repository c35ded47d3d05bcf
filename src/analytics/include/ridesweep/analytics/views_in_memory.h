// Reading a run's views once: copies views of the local engine into in-memory tables and points the views at
// them, so a command that runs several queries over the same run (the end-of-run summary runs five) opens and
// decodes each Parquet file once instead of once per query. Only for runs small enough to hold: the caller
// decides (see RunSummaryOptions::read_once_max_points).
#ifndef RIDESWEEP_ANALYTICS_VIEWS_IN_MEMORY_H_
#define RIDESWEEP_ANALYTICS_VIEWS_IN_MEMORY_H_

#include <span>
#include <string_view>

#include "ridesweep/analytics/query_engine.h"
#include "ridesweep/base/status.h"

namespace ridesweep::analytics {

// For each name in `views` (views of schema `database`, e.g. "sweep_shard_metrics"): CREATE TEMP TABLE with the
// view's rows, then CREATE OR REPLACE VIEW <database>.<name> over that table. The view keeps its name, columns
// and rows; queries written against it run unchanged. Memory: the views' rows, uncompressed. Errors:
// InvalidArgument for an invalid database or view name (checked before anything changes); the engine's error for
// a failing statement. REQUIRES: not called twice for the same view of one engine (the table exists then).
Status ReadViewsIntoMemory(QueryEngine& engine, std::string_view database, std::span<const std::string_view> views);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_VIEWS_IN_MEMORY_H_
