CREATE EXTERNAL TABLE IF NOT EXISTS ${database}.sweep_trip_data_per_shard_raw (
  trip_entity bigint,
  rider_entity bigint,
  driver_entity bigint,
  state tinyint,
  pickup_cell bigint,
  dropoff_cell bigint,
  pickup_distance_km_at_accept double,
  requested_at bigint,
  matched_at bigint,
  pickup_at bigint,
  dropoff_at bigint,
  cancelled_at bigint,
  point_index bigint
)
PARTITIONED BY (
  run_date string,
  run_id string,
  status string,
  shard_id string
)
STORED AS PARQUET
LOCATION '${results_location}/dataset=trip_data_per_shard/'
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
