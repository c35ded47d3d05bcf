-- Readiness counts of one run across all six tables, read by `ridesweep ingest` to evaluate its checks. Every
-- count is aggregated in its own sub-query, so none fans out. Returns exactly one row.
-- Portable: Athena engine v3 and DuckDB.
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
),
-- Committed points (an effective_parameters row is a point's commit marker) that lack one of their datasets: no
-- shard_metrics row, no snapshot_counts row, or no trip_data row although shard_metrics counts completed trips.
-- Partition values are strings on both engines, so the keys compare as written.
committed_points AS (
  SELECT DISTINCT shard_id_partition AS shard_id, point_index_partition AS point_index
  FROM ${database}.sweep_effective_parameters
  WHERE run_id_partition = '${run_id}'
),
point_metrics AS (
  SELECT shard_id, point_index, MAX(completed_trips) AS completed_trips
  FROM ${database}.sweep_shard_metrics
  WHERE run_id = '${run_id}'
  GROUP BY shard_id, point_index
),
point_trips AS (
  SELECT DISTINCT shard_id, point_index
  FROM ${database}.sweep_trip_data
  WHERE run_id = '${run_id}'
),
point_snapshots AS (
  SELECT DISTINCT shard_id, point_index
  FROM ${database}.sweep_snapshot_counts
  WHERE run_id = '${run_id}'
),
incomplete AS (
  SELECT COUNT(*) AS points_missing_data
  FROM committed_points cp
  LEFT JOIN point_metrics pm ON pm.shard_id = cp.shard_id AND pm.point_index = cp.point_index
  LEFT JOIN point_trips pt ON pt.shard_id = cp.shard_id AND pt.point_index = cp.point_index
  LEFT JOIN point_snapshots ps ON ps.shard_id = cp.shard_id AND ps.point_index = cp.point_index
  WHERE pm.shard_id IS NULL
     OR ps.shard_id IS NULL
     OR (pt.shard_id IS NULL AND pm.completed_trips > 0)
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
  c.expected_shards,
  i.points_missing_data
FROM context c
CROSS JOIN outcomes o
CROSS JOIN metrics m
CROSS JOIN trips t
CROSS JOIN snapshots s
CROSS JOIN parameters p
CROSS JOIN incomplete i;
