CREATE EXTERNAL TABLE IF NOT EXISTS ${database}.sweep_shard_metrics_per_shard_raw (
  total_riders bigint,
  completed_riders bigint,
  abandoned_quote_riders bigint,
  cancelled_riders bigint,
  conversion_rate double,
  platform_revenue double,
  driver_payouts double,
  total_fares_collected double,
  avg_time_to_match_ms double,
  median_time_to_match_ms double,
  p90_time_to_match_ms double,
  avg_time_to_pickup_ms double,
  median_time_to_pickup_ms double,
  p90_time_to_pickup_ms double,
  completed_trips bigint,
  riders_abandoned_price bigint,
  riders_abandoned_eta bigint,
  riders_abandoned_stochastic bigint,
  total_drivers bigint,
  riders_spawned bigint,
  riders_unresolved bigint,
  trips_cancelled bigint,
  events_processed bigint,
  final_sim_time_ms bigint,
  truncated boolean,
  riders_abandoned_no_driver bigint,
  match_rate double,
  share_matched_within_60s double,
  share_matched_within_180s double,
  config_index bigint,
  replicate bigint,
  point_index bigint
)
PARTITIONED BY (
  run_date string,
  run_id string,
  status string,
  shard_id string
)
STORED AS PARQUET
LOCATION '${results_location}/dataset=shard_metrics_per_shard/'
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
