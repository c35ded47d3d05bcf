CREATE EXTERNAL TABLE IF NOT EXISTS ${database}.sweep_shard_outcomes (
  run_id string,
  shard_id bigint,
  start_index bigint,
  end_index_exclusive bigint,
  status string,
  event_time string,
  record_schema string,
  result_key string,
  points_processed bigint,
  format string,
  error_code string,
  error_message string,
  attempt bigint,
  completed_time string
)
PARTITIONED BY (
  run_date string,
  run_id_partition string,
  status_partition string,
  shard_id_partition string
)
STORED AS PARQUET
LOCATION '${results_location}/dataset=shard_outcomes/'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.run_date.type'='date',
  'projection.run_date.format'='yyyy-MM-dd',
  'projection.run_date.range'='2020-01-01,NOW',
  'projection.run_date.interval'='1',
  'projection.run_date.interval.unit'='DAYS',
  'projection.run_id_partition.type'='injected',
  'projection.status_partition.type'='enum',
  'projection.status_partition.values'='success,failure',
  'projection.shard_id_partition.type'='integer',
  'projection.shard_id_partition.range'='0,199999'
);
