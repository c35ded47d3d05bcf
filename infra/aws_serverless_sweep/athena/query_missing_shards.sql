-- Shards of one run without a success record: one row per shard id in [0, expected_shards), ascending, with
-- whether a failure record exists and the error code of the latest one. Shard ids come from six cross-joined
-- ten-row VALUES tables (up to 1 000 000 shards), each digit pruned early. No sequence, UNNEST or lambdas, so
-- the file runs unchanged on Athena engine v3 and DuckDB.
WITH digits AS (
  SELECT d FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS t (d)
),
shard_ids AS (
  SELECT
    CAST(d0.d + 10 * d1.d + 100 * d2.d + 1000 * d3.d + 10000 * d4.d + 100000 * d5.d AS BIGINT) AS shard_id
  FROM digits d0
  CROSS JOIN digits d1
  CROSS JOIN digits d2
  CROSS JOIN digits d3
  CROSS JOIN digits d4
  CROSS JOIN digits d5
  WHERE d0.d < ${expected_shards}
    AND 10 * d1.d < ${expected_shards}
    AND 100 * d2.d < ${expected_shards}
    AND 1000 * d3.d < ${expected_shards}
    AND 10000 * d4.d < ${expected_shards}
    AND 100000 * d5.d < ${expected_shards}
    AND d0.d + 10 * d1.d + 100 * d2.d + 1000 * d3.d + 10000 * d4.d + 100000 * d5.d < ${expected_shards}
),
per_shard AS (
  SELECT
    shard_id_partition AS shard_key,
    MAX(CASE WHEN status_partition = 'success' THEN 1 ELSE 0 END) AS has_success,
    MAX(CASE WHEN status_partition = 'failure' THEN 1 ELSE 0 END) AS has_failure
  FROM ${database}.sweep_shard_outcomes
  WHERE run_id_partition = '${run_id}'
  GROUP BY shard_id_partition
),
failure_rows AS (
  SELECT
    shard_id_partition AS shard_key,
    error_code,
    from_iso8601_timestamp(completed_time) AS completed_ts
  FROM ${database}.sweep_shard_outcomes
  WHERE run_id_partition = '${run_id}'
    AND status_partition = 'failure'
),
latest_failure AS (
  SELECT shard_key, MAX(completed_ts) AS last_completed_ts
  FROM failure_rows
  GROUP BY shard_key
),
last_error AS (
  SELECT f.shard_key, MAX(f.error_code) AS last_error_code
  FROM failure_rows f
  JOIN latest_failure l ON f.shard_key = l.shard_key AND f.completed_ts = l.last_completed_ts
  GROUP BY f.shard_key
)
SELECT
  i.shard_id,
  COALESCE(p.has_failure, 0) = 1 AS has_failure_record,
  e.last_error_code
FROM shard_ids i
LEFT JOIN per_shard p ON p.shard_key = CAST(i.shard_id AS VARCHAR)
LEFT JOIN last_error e ON e.shard_key = CAST(i.shard_id AS VARCHAR)
WHERE COALESCE(p.has_success, 0) = 0
ORDER BY i.shard_id;
