// The Athena path of `ridesweep ingest` (spec/sweep.md §13 steps 1–3 and 5): resolve the run from its manifest in
// the results bucket, run athena_tables.plan (idempotent creates), then step 3 by partition mode — `projection`
// (the default) issues nothing, because the tables project every run's partitions from their properties;
// `add` lists the run's objects and issues ALTER TABLE … ADD IF NOT EXISTS PARTITION … LOCATION … (up to 200
// partitions per statement, --max-concurrent statements in flight), `msck` runs the repair files of
// athena_partitions.plan; both stay for catalogs whose tables have projection turned off — then the same
// RunReadinessCheck as the local engine. Engine-independent: it reads through any ObjectStore and
// executes on any AsyncQueryEngine; the CLI passes S3Store and the Athena adapter. Reruns are idempotent.
#ifndef RIDESWEEP_ANALYTICS_ATHENA_INGEST_H_
#define RIDESWEEP_ANALYTICS_ATHENA_INGEST_H_

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ridesweep/analytics/athena_apply.h"
#include "ridesweep/analytics/async_query_engine.h"
#include "ridesweep/analytics/readiness_check.h"
#include "ridesweep/analytics/run_resolution.h"
#include "ridesweep/analytics/statement_runner.h"
#include "ridesweep/base/object_store.h"
#include "ridesweep/sweep/keys.h"

namespace ridesweep::analytics {

// DO NOT CHANGE: partition modes of §13 and the statement size limit.
inline constexpr std::string_view kPartitionModeProjection = "projection";
inline constexpr std::string_view kPartitionModeAdd = "add";
inline constexpr std::string_view kPartitionModeMsck = "msck";
inline constexpr std::string_view kPartitionModeInvalid = "--partition-mode must be projection, add or msck";
inline constexpr size_t kMaxPartitionsPerStatement = 200;
// projection | add | msck.
bool IsPartitionMode(std::string_view mode);

// One external Athena table: its dataset, partition columns in order, and the layout whose objects it reads (a
// per_shard table reads dataset=<d>_per_shard: the raw table under the view sweep_<d>_per_shard).
struct AthenaTable {
  std::string_view table;
  sweep::Dataset dataset;
  std::vector<std::string_view> partition_columns;
  sweep::OutputLayout layout = sweep::OutputLayout::kPerPoint;
};
// The external tables that hold a run of `layout`, shard_outcomes first: the six tables of the contract for
// per_point; for per_shard, shard_outcomes, run_context and the four raw per_shard tables.
const std::vector<AthenaTable>& AthenaTables(sweep::OutputLayout layout = sweep::OutputLayout::kPerPoint);

struct RunPartition {
  std::string table;
  std::vector<std::pair<std::string, std::string>> values;  // (column, value) in partition-column order
  std::string location;                                      // s3://bucket/P/dataset=d/…/ (trailing '/')
  friend bool operator==(const RunPartition&, const RunPartition&) = default;
};

// The distinct partitions of `keys` (listed under the table's run prefix), sorted by location. Keys that do not follow
// the dataset's template (ParseStorageKey) or belong to another run are ignored. `results_location` is
// s3://bucket[/P] (ResultsBucketLocation::Uri()).
std::vector<RunPartition> PartitionsFromKeys(const AthenaTable& table, const std::vector<std::string>& keys,
                                             std::string_view results_prefix, std::string_view results_location,
                                             std::string_view run_id);

// ALTER TABLE <db>.<table> ADD IF NOT EXISTS PARTITION (c = 'v', …) LOCATION '…' … with at most
// `per_statement` partitions per statement, grouped by table in input order. Names: `<table> partitions N-M`.
std::vector<NamedStatement> AddPartitionStatements(std::string_view database,
                                                   const std::vector<RunPartition>& partitions,
                                                   size_t per_statement = kMaxPartitionsPerStatement);

struct AthenaIngestOptions {
  std::string run_id;
  ResultsBucketLocation location;  // bucket and the full key prefix P
  std::filesystem::path sql_dir;
  std::string database{kDefaultDatabase};
  RunOverrides overrides;
  std::string partition_mode{kPartitionModeProjection};
  StatementRunOptions runner;      // max_concurrent, poll interval, deadline (the whole command) and seams
  std::string engine_name = "athena";
};

// Steps 1–3 and 5 over `store` (the results bucket, keys relative to it) and `engine`. Argument problems
// (CheckIngestArguments, an unknown run_date, a bad partition mode) give exit 2; store, SQL-file and engine
// failures give exit 3 (`Ingest error: athena query failed (FAILED): <reason>` and the like).
ReadinessReport RunAthenaIngest(ObjectStore& store, AsyncQueryEngine& engine, const AthenaIngestOptions& options);

}  // namespace ridesweep::analytics

#endif  // RIDESWEEP_ANALYTICS_ATHENA_INGEST_H_
