-- Shard coverage of one run: shards with a success record against the expected shard count. Shards that have
-- only failure records are reported apart and do not count as covered. Returns exactly one row.
-- Portable: Athena engine v3 and DuckDB.
WITH per_shard AS (
  SELECT
    shard_id_partition AS shard_key,
    MAX(CASE WHEN status_partition = 'success' THEN 1 ELSE 0 END) AS has_success,
    MAX(CASE WHEN status_partition = 'failure' THEN 1 ELSE 0 END) AS has_failure
  FROM ${database}.sweep_shard_outcomes
  WHERE run_id_partition = '${run_id}'
  GROUP BY shard_id_partition
),
totals AS (
  SELECT
    CAST(COALESCE(SUM(has_success), 0) AS BIGINT) AS observed_shards,
    CAST(COALESCE(SUM(CASE WHEN has_failure = 1 AND has_success = 0 THEN 1 ELSE 0 END), 0) AS BIGINT)
      AS failure_only_shards
  FROM per_shard
)
SELECT
  observed_shards,
  failure_only_shards,
  CAST(${expected_shards} AS BIGINT) AS expected_shards,
  observed_shards = CAST(${expected_shards} AS BIGINT) AS has_full_coverage
FROM totals;
