-- Readiness counts of one run across all six tables, read by `ridesweep ingest` to evaluate its checks
-- (spec/sweep.md section 13). Every count is aggregated in its own sub-query, so none fans out. Returns exactly
-- one row. Portable: Athena engine v3 and DuckDB.
WITH context AS (
  SELECT
    COUNT(*) AS run_context_rows,
    MAX(total_points) AS expected_points,
    MAX(shard_count) AS expected_shards
  FROM ${database}.sweep_run_context
  WHERE run_id_partition = '${run_id}'
),
outcomes AS (
  SELECT
    COUNT(*) AS outcome_rows,
    CAST(COALESCE(SUM(CASE WHEN status_partition = 'success' THEN 1 ELSE 0 END), 0) AS BIGINT) AS success_outcomes,
    CAST(COALESCE(SUM(CASE WHEN status_partition = 'failure' THEN 1 ELSE 0 END), 0) AS BIGINT) AS failure_outcomes,
    COUNT(DISTINCT shard_id_partition) AS distinct_shards,
    COUNT(DISTINCT CASE WHEN status_partition = 'success' THEN shard_id_partition END) AS successful_shards
  FROM ${database}.sweep_shard_outcomes
  WHERE run_id_partition = '${run_id}'
),
metrics AS (
  SELECT
    COUNT(*) AS shard_metrics_rows,
    CAST(COALESCE(SUM(CASE WHEN truncated THEN 1 ELSE 0 END), 0) AS BIGINT) AS truncated_points,
    CAST(COALESCE(SUM(completed_trips), 0) AS BIGINT) AS completed_trips_total
  FROM ${database}.sweep_shard_metrics
  WHERE run_id = '${run_id}'
),
trips AS (
  SELECT COUNT(*) AS trip_data_rows
  FROM ${database}.sweep_trip_data
  WHERE run_id = '${run_id}'
),
snapshots AS (
  SELECT COUNT(*) AS snapshot_counts_rows
  FROM ${database}.sweep_snapshot_counts
  WHERE run_id = '${run_id}'
),
parameters AS (
  SELECT COUNT(*) AS effective_parameters_rows
  FROM ${database}.sweep_effective_parameters
  WHERE run_id_partition = '${run_id}'
)
SELECT
  c.run_context_rows,
  o.outcome_rows,
  o.success_outcomes,
  o.failure_outcomes,
  o.distinct_shards,
  o.successful_shards,
  m.shard_metrics_rows,
  t.trip_data_rows,
  s.snapshot_counts_rows,
  p.effective_parameters_rows,
  m.truncated_points,
  m.completed_trips_total,
  c.expected_points,
  c.expected_shards
FROM context c
CROSS JOIN outcomes o
CROSS JOIN metrics m
CROSS JOIN trips t
CROSS JOIN snapshots s
CROSS JOIN parameters p;
