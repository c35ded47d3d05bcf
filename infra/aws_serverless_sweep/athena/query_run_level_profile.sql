-- Run-level profile of one run from its shard outcomes: attempts, shards that succeeded or only failed,
-- throughput and the expected totals recorded at acceptance. Returns exactly one row.
-- A shard that failed and later succeeded counts as successful only. Portable: Athena engine v3 and DuckDB.
WITH outcomes AS (
  SELECT
    shard_id_partition AS shard_key,
    status_partition AS status_key,
    points_processed,
    attempt,
    event_time,
    completed_time
  FROM ${database}.sweep_shard_outcomes
  WHERE run_id_partition = '${run_id}'
),
per_shard AS (
  SELECT
    shard_key,
    MAX(CASE WHEN status_key = 'success' THEN 1 ELSE 0 END) AS has_success,
    MAX(CASE WHEN status_key = 'failure' THEN 1 ELSE 0 END) AS has_failure
  FROM outcomes
  GROUP BY shard_key
),
shard_totals AS (
  SELECT
    COUNT(*) AS distinct_shards,
    CAST(COALESCE(SUM(has_success), 0) AS BIGINT) AS successful_shards,
    CAST(COALESCE(SUM(CASE WHEN has_failure = 1 AND has_success = 0 THEN 1 ELSE 0 END), 0) AS BIGINT)
      AS failed_shards
  FROM per_shard
),
outcome_totals AS (
  SELECT
    COUNT(*) AS shard_attempts,
    CAST(COALESCE(SUM(CASE WHEN status_key = 'success' THEN points_processed ELSE 0 END), 0) AS BIGINT)
      AS successful_points,
    MAX(attempt) AS max_attempt,
    date_diff(
      'second',
      MIN(CASE WHEN status_key = 'success' THEN from_iso8601_timestamp(event_time) END),
      MAX(CASE WHEN status_key = 'success' THEN from_iso8601_timestamp(completed_time) END)
    ) AS run_window_seconds
  FROM outcomes
),
context AS (
  SELECT
    MAX(total_points) AS expected_points,
    MAX(shard_count) AS expected_shards
  FROM ${database}.sweep_run_context
  WHERE run_id_partition = '${run_id}'
)
SELECT
  o.shard_attempts,
  s.successful_shards,
  s.failed_shards,
  CAST(s.failed_shards AS DOUBLE) / CAST(NULLIF(s.distinct_shards, 0) AS DOUBLE) AS failure_rate,
  o.successful_points,
  o.max_attempt,
  CAST(o.run_window_seconds AS BIGINT) AS run_window_seconds,
  CASE
    WHEN s.successful_shards = 0 THEN CAST(NULL AS DOUBLE)
    ELSE CAST(o.successful_points AS DOUBLE) / GREATEST(CAST(o.run_window_seconds AS DOUBLE), 1.0)
  END AS points_per_second,
  c.expected_points,
  c.expected_shards
FROM outcome_totals o
CROSS JOIN shard_totals s
CROSS JOIN context c;
