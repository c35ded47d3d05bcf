// The Athena path of `ridesweep ingest`: tables, the run's partitions, readiness (spec/sweep.md §13).
#include "ridesweep/analytics/athena_ingest.h"

#include <algorithm>
#include <set>

#include "ridesweep/analytics/errors.h"
#include "ridesweep/analytics/sql_files.h"
#include "ridesweep/analytics/sql_plan.h"

namespace ridesweep::analytics {
namespace {

namespace fs = std::filesystem;

std::string Quoted(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

// The plan's files as statements with the table placeholders substituted.
Result<std::vector<NamedStatement>> PlanStatements(const fs::path& plan, const PlaceholderValues& values) {
  RIDESWEEP_ASSIGN_OR_RETURN(const std::vector<fs::path> files, LoadPlan(plan));
  std::vector<NamedStatement> statements;
  for (const fs::path& file : files) {
    RIDESWEEP_ASSIGN_OR_RETURN(std::string sql, LoadSingleStatement(file, values));
    statements.push_back({file.filename().string(), std::move(sql)});
  }
  return statements;
}

}  // namespace

bool IsPartitionMode(std::string_view mode) {
  return mode == kPartitionModeProjection || mode == kPartitionModeAdd || mode == kPartitionModeMsck;
}

const std::vector<AthenaTable>& AthenaTables(sweep::OutputLayout layout) {
  constexpr sweep::OutputLayout kPerShard = sweep::OutputLayout::kPerShard;
  static const std::vector<AthenaTable> kPerPointTables = {
      {"sweep_shard_outcomes", sweep::Dataset::kShardOutcomes,
       {"run_date", "run_id_partition", "status_partition", "shard_id_partition"}},
      {"sweep_run_context", sweep::Dataset::kRunContext, {"run_date", "run_id_partition", "status_partition"}},
      {"sweep_effective_parameters", sweep::Dataset::kEffectiveParameters,
       {"run_date", "run_id_partition", "status_partition", "shard_id_partition", "point_index_partition"}},
      {"sweep_shard_metrics", sweep::Dataset::kShardMetrics,
       {"run_date", "run_id", "status", "shard_id", "point_index"}},
      {"sweep_trip_data", sweep::Dataset::kTripData, {"run_date", "run_id", "status", "shard_id", "point_index"}},
      {"sweep_snapshot_counts", sweep::Dataset::kSnapshotCounts,
       {"run_date", "run_id", "status", "shard_id", "point_index"}},
  };
  static const std::vector<AthenaTable> kPerShardTables = {
      kPerPointTables[0],
      kPerPointTables[1],
      {"sweep_effective_parameters_per_shard_raw", sweep::Dataset::kEffectiveParameters,
       {"run_date", "run_id_partition", "status_partition", "shard_id_partition"}, kPerShard},
      {"sweep_shard_metrics_per_shard_raw", sweep::Dataset::kShardMetrics,
       {"run_date", "run_id", "status", "shard_id"}, kPerShard},
      {"sweep_trip_data_per_shard_raw", sweep::Dataset::kTripData, {"run_date", "run_id", "status", "shard_id"},
       kPerShard},
      {"sweep_snapshot_counts_per_shard_raw", sweep::Dataset::kSnapshotCounts,
       {"run_date", "run_id", "status", "shard_id"}, kPerShard},
  };
  return layout == kPerShard ? kPerShardTables : kPerPointTables;
}

namespace {

// `P/dataset=<d>/` or, for a per_shard table, `P/dataset=<d>_per_shard/`.
std::string TableDatasetPrefix(const AthenaTable& table, const sweep::StorageLayout& layout) {
  return table.layout == sweep::OutputLayout::kPerShard ? layout.PerShardDatasetPrefix(table.dataset)
                                                        : layout.DatasetPrefix(table.dataset);
}

// Where one run's objects of the table are listed: its dataset prefix, then run_date= and run_id[_partition]=.
std::string TableRunPrefix(const AthenaTable& table, const sweep::StorageLayout& layout, std::string_view run_date,
                           std::string_view run_id) {
  const std::vector<std::string> prefixes = layout.RunPrefixes(table.dataset, run_date, run_id);
  return table.layout == sweep::OutputLayout::kPerShard ? prefixes.back() : prefixes.front();
}

}  // namespace

std::vector<RunPartition> PartitionsFromKeys(const AthenaTable& table, const std::vector<std::string>& keys,
                                             std::string_view results_prefix, std::string_view results_location,
                                             std::string_view run_id) {
  const sweep::StorageLayout layout(results_prefix);
  const std::string dataset_prefix = TableDatasetPrefix(table, layout);
  std::set<std::string> seen;
  std::vector<RunPartition> partitions;
  for (const std::string& key : keys) {
    Result<sweep::PartitionIdentity> identity = sweep::ParseStorageKey(key, layout.prefix());
    if (!identity.ok() || identity->dataset != table.dataset || identity->layout != table.layout ||
        identity->run_id != run_id) {
      continue;
    }
    if (!key.starts_with(dataset_prefix)) continue;
    const size_t last_slash = key.rfind('/');
    const std::string directory = key.substr(dataset_prefix.size(), last_slash - dataset_prefix.size());
    RunPartition partition;
    partition.table = std::string(table.table);
    size_t begin = 0;
    bool matches = true;
    for (const std::string_view column : table.partition_columns) {
      const size_t end = std::min(directory.find('/', begin), directory.size());
      const std::string segment = directory.substr(begin, end - begin);
      const size_t equals = segment.find('=');
      if (equals == std::string::npos || segment.substr(0, equals) != column) {
        matches = false;
        break;
      }
      partition.values.emplace_back(std::string(column), segment.substr(equals + 1));
      begin = end + 1;
    }
    if (!matches || begin < directory.size()) continue;
    const std::string dataset_name = table.layout == sweep::OutputLayout::kPerShard
                                         ? sweep::PerShardDatasetName(table.dataset)
                                         : std::string(sweep::DatasetName(table.dataset));
    partition.location = std::string(results_location) + "/dataset=" + dataset_name + "/" + directory + "/";
    if (seen.insert(partition.location).second) partitions.push_back(std::move(partition));
  }
  std::sort(partitions.begin(), partitions.end(),
            [](const RunPartition& a, const RunPartition& b) { return a.location < b.location; });
  return partitions;
}

std::vector<NamedStatement> AddPartitionStatements(std::string_view database,
                                                   const std::vector<RunPartition>& partitions, size_t per_statement) {
  per_statement = std::max<size_t>(per_statement, 1);
  std::vector<NamedStatement> statements;
  size_t i = 0;
  while (i < partitions.size()) {
    const std::string& table = partitions[i].table;
    size_t end = i;
    while (end < partitions.size() && partitions[end].table == table && end - i < per_statement) ++end;
    std::string sql = "ALTER TABLE " + std::string(database) + "." + table + " ADD IF NOT EXISTS";
    for (size_t p = i; p < end; ++p) {
      sql += "\n  PARTITION (";
      for (size_t v = 0; v < partitions[p].values.size(); ++v) {
        if (v > 0) sql += ", ";
        sql += partitions[p].values[v].first + " = " + Quoted(partitions[p].values[v].second);
      }
      sql += ") LOCATION " + Quoted(partitions[p].location);
    }
    size_t first_in_table = i;
    while (first_in_table > 0 && partitions[first_in_table - 1].table == table) --first_in_table;
    statements.push_back({table + " partitions " + std::to_string(i - first_in_table + 1) + "-" +
                              std::to_string(end - first_in_table),
                          std::move(sql)});
    i = end;
  }
  return statements;
}

ReadinessReport RunAthenaIngest(ObjectStore& store, AsyncQueryEngine& engine, const AthenaIngestOptions& o) {
  if (std::optional<std::string> problem = CheckIngestArguments(o.run_id, o.overrides, o.database)) {
    return ArgumentErrorReport(*problem);
  }
  if (!IsPartitionMode(o.partition_mode)) return ArgumentErrorReport(kPartitionModeInvalid);
  // Step 1: the run.
  Result<ResolvedRun> run = ResolveRun(store, o.location.prefix, o.run_id, o.overrides);
  if (!run.ok()) return IngestErrorReport("reading the run manifest failed: " + run.status().message());
  if (!run->run_date.has_value()) return ArgumentErrorReport(errors::kRunDateUnknown);
  // Its layout decides which tables hold its points (a run without a readable manifest is read as per_point).
  const sweep::OutputLayout run_layout =
      run->manifest.has_value() ? run->manifest->normalized_request.layout : sweep::OutputLayout::kPerPoint;

  PlaceholderValues values;
  values.database = o.database;
  values.results_location = o.location.Uri();
  const std::string label = o.engine_name;

  // Step 2: database and tables.
  Result<std::vector<NamedStatement>> tables = PlanStatements(o.sql_dir / std::string(kTablesPlan), values);
  if (!tables.ok()) return IngestErrorReport(tables.status().message());
  StatementRunOptions sequential = o.runner;
  sequential.max_concurrent = 1;
  if (StatementRunOutcome done = RunStatements(engine, *tables, sequential); !done.ok()) {
    return IngestErrorReport(DescribeStatementFailure(done, label));
  }

  // Step 3: this run's partitions (none to load under partition projection).
  std::vector<NamedStatement> partition_statements;
  if (o.partition_mode == kPartitionModeMsck) {
    Result<std::vector<NamedStatement>> repairs = PlanStatements(o.sql_dir / std::string(kPartitionsPlan), values);
    if (!repairs.ok()) return IngestErrorReport(repairs.status().message());
    partition_statements = std::move(repairs).value();
  } else if (o.partition_mode == kPartitionModeAdd) {
    const sweep::StorageLayout layout(o.location.prefix);
    std::vector<RunPartition> partitions;
    for (const AthenaTable& table : AthenaTables(run_layout)) {
      const std::string prefix = TableRunPrefix(table, layout, *run->run_date, o.run_id);
      Result<std::vector<std::string>> keys = store.List(prefix);
      if (!keys.ok()) return IngestErrorReport("listing " + prefix + " failed: " + keys.status().message());
      std::vector<RunPartition> found =
          PartitionsFromKeys(table, *keys, o.location.prefix, o.location.Uri(), o.run_id);
      partitions.insert(partitions.end(), found.begin(), found.end());
    }
    partition_statements = AddPartitionStatements(o.database, partitions);
  }
  if (StatementRunOutcome done = RunStatements(engine, partition_statements, o.runner); !done.ok()) {
    return IngestErrorReport(DescribeStatementFailure(done, label));
  }

  // Step 5: readiness.
  WaitingQueryEngine waiting(engine, sequential, label);
  ReadinessCheckRequest request;
  request.sql_dir = o.sql_dir;
  request.database = o.database;
  request.engine_name = label;
  request.run = std::move(run).value();
  return RunReadinessCheck(waiting, request);
}

}  // namespace ridesweep::analytics
