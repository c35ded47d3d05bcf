-- Failure diagnostics of one run: one row per error_code over its failure records, with how many shards are
-- still unresolved (no success record). Ordered by occurrences descending, then error_code.
-- Portable: Athena engine v3 and DuckDB.
WITH failures AS (
  SELECT
    shard_id_partition AS shard_key,
    error_code,
    error_message,
    attempt
  FROM ${database}.sweep_shard_outcomes
  WHERE run_id_partition = '${run_id}'
    AND status_partition = 'failure'
),
succeeded AS (
  SELECT DISTINCT shard_id_partition AS shard_key
  FROM ${database}.sweep_shard_outcomes
  WHERE run_id_partition = '${run_id}'
    AND status_partition = 'success'
)
SELECT
  f.error_code,
  COUNT(*) AS occurrences,
  COUNT(DISTINCT f.shard_key) AS distinct_shards,
  COUNT(DISTINCT CASE WHEN s.shard_key IS NULL THEN f.shard_key END) AS unresolved_shards,
  MAX(f.attempt) AS max_attempt,
  MIN(f.error_message) AS example_error_message
FROM failures f
LEFT JOIN succeeded s ON f.shard_key = s.shard_key
GROUP BY f.error_code
ORDER BY occurrences DESC, f.error_code ASC;
