-- Smoke check that one run's datasets join up: successful metrics rows matched to their effective_parameters
-- rows on run_date and the partition strings of run, shard and point, next to the run_context record.
-- Returns exactly one row. Portable: Athena engine v3 and DuckDB.
WITH metrics AS (
  SELECT run_date, run_id, shard_id, point_index
  FROM ${database}.sweep_shard_metrics
  WHERE run_id = '${run_id}'
    AND status = 'success'
),
parameters AS (
  SELECT
    run_date,
    run_id_partition,
    shard_id_partition,
    point_index_partition,
    parameter_fingerprint
  FROM ${database}.sweep_effective_parameters
  WHERE run_id_partition = '${run_id}'
    AND status_partition = 'success'
),
joined AS (
  SELECT
    COUNT(*) AS joined_points,
    MIN(p.parameter_fingerprint) AS example_parameter_fingerprint
  FROM metrics m
  JOIN parameters p
    ON p.run_date = m.run_date
    AND p.run_id_partition = m.run_id
    AND p.shard_id_partition = m.shard_id
    AND p.point_index_partition = m.point_index
),
context AS (
  SELECT
    MIN(request_source) AS request_source,
    MIN(config_fingerprint) AS config_fingerprint
  FROM ${database}.sweep_run_context
  WHERE run_id_partition = '${run_id}'
)
SELECT
  j.joined_points,
  c.request_source,
  j.example_parameter_fingerprint,
  c.config_fingerprint
FROM joined j
CROSS JOIN context c;
