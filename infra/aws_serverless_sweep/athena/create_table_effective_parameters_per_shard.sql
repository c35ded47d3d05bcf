CREATE EXTERNAL TABLE IF NOT EXISTS ${database}.sweep_effective_parameters_per_shard_raw (
  run_id string,
  shard_id bigint,
  point_index bigint,
  status string,
  record_schema string,
  parameter_fingerprint string,
  effective_parameters_json string,
  config_index bigint,
  replicate bigint
)
PARTITIONED BY (
  run_date string,
  run_id_partition string,
  status_partition string,
  shard_id_partition string
)
STORED AS PARQUET
LOCATION '${results_location}/dataset=effective_parameters_per_shard/'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.run_date.type'='date',
  'projection.run_date.format'='yyyy-MM-dd',
  'projection.run_date.range'='2020-01-01,NOW',
  'projection.run_date.interval'='1',
  'projection.run_date.interval.unit'='DAYS',
  'projection.run_id_partition.type'='injected',
  'projection.status_partition.type'='enum',
  'projection.status_partition.values'='success',
  'projection.shard_id_partition.type'='integer',
  'projection.shard_id_partition.range'='0,199999'
);
