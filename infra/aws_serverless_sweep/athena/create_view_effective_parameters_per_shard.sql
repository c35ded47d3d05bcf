CREATE OR REPLACE VIEW ${database}.sweep_effective_parameters_per_shard AS
SELECT
  run_id,
  shard_id,
  point_index,
  status,
  record_schema,
  parameter_fingerprint,
  effective_parameters_json,
  config_index,
  replicate,
  run_date,
  run_id_partition,
  status_partition,
  shard_id_partition,
  CAST(point_index AS varchar) AS point_index_partition
FROM ${database}.sweep_effective_parameters_per_shard_raw;
