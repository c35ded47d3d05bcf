CREATE EXTERNAL TABLE IF NOT EXISTS ${database}.sweep_run_context (
  run_id string,
  status string,
  request_source string,
  record_schema string,
  request_fingerprint string,
  config_fingerprint string,
  total_points bigint,
  shard_count bigint,
  shard_strategy string,
  max_shards bigint,
  max_shards_ceiling bigint,
  build_version string,
  build_git_revision string
)
PARTITIONED BY (
  run_date string,
  run_id_partition string,
  status_partition string
)
STORED AS PARQUET
LOCATION '${results_location}/dataset=run_context/'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.run_date.type'='date',
  'projection.run_date.format'='yyyy-MM-dd',
  'projection.run_date.range'='2020-01-01,NOW',
  'projection.run_date.interval'='1',
  'projection.run_date.interval.unit'='DAYS',
  'projection.run_id_partition.type'='injected',
  'projection.status_partition.type'='enum',
  'projection.status_partition.values'='accepted'
);
