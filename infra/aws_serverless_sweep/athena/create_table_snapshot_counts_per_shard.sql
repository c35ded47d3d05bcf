CREATE EXTERNAL TABLE IF NOT EXISTS ${database}.sweep_snapshot_counts_per_shard_raw (
  timestamp_ms bigint,
  riders_browsing bigint,
  riders_waiting bigint,
  riders_in_transit bigint,
  riders_completed bigint,
  riders_cancelled bigint,
  drivers_idle bigint,
  drivers_evaluating bigint,
  drivers_en_route bigint,
  drivers_on_trip bigint,
  drivers_off_duty bigint,
  trips_en_route bigint,
  trips_on_trip bigint,
  trips_completed bigint,
  trips_cancelled bigint,
  point_index bigint
)
PARTITIONED BY (
  run_date string,
  run_id string,
  status string,
  shard_id string
)
STORED AS PARQUET
LOCATION '${results_location}/dataset=snapshot_counts_per_shard/'
TBLPROPERTIES (
  'projection.enabled'='true',
  'projection.run_date.type'='date',
  'projection.run_date.format'='yyyy-MM-dd',
  'projection.run_date.range'='2020-01-01,NOW',
  'projection.run_date.interval'='1',
  'projection.run_date.interval.unit'='DAYS',
  'projection.run_id.type'='injected',
  'projection.status.type'='enum',
  'projection.status.values'='success',
  'projection.shard_id.type'='integer',
  'projection.shard_id.range'='0,199999'
);
