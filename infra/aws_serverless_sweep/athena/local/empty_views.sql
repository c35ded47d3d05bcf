-- DuckDB-only: zero-row views with the same names, columns and types as views.sql, for datasets that have no
-- Parquet file yet (read_parquet fails on a glob that matches nothing). The local query engine runs the
-- statement of this file whose view name matches, instead of the views.sql statement, for each such dataset.
-- Placeholder: database (the schema created by views.sql).

CREATE OR REPLACE VIEW ${database}.sweep_shard_outcomes AS
SELECT
  CAST(NULL AS VARCHAR) AS run_id,
  CAST(NULL AS BIGINT) AS shard_id,
  CAST(NULL AS BIGINT) AS start_index,
  CAST(NULL AS BIGINT) AS end_index_exclusive,
  CAST(NULL AS VARCHAR) AS status,
  CAST(NULL AS VARCHAR) AS event_time,
  CAST(NULL AS VARCHAR) AS record_schema,
  CAST(NULL AS VARCHAR) AS result_key,
  CAST(NULL AS BIGINT) AS points_processed,
  CAST(NULL AS VARCHAR) AS format,
  CAST(NULL AS VARCHAR) AS error_code,
  CAST(NULL AS VARCHAR) AS error_message,
  CAST(NULL AS BIGINT) AS attempt,
  CAST(NULL AS VARCHAR) AS completed_time,
  CAST(NULL AS VARCHAR) AS run_date,
  CAST(NULL AS VARCHAR) AS run_id_partition,
  CAST(NULL AS VARCHAR) AS status_partition,
  CAST(NULL AS VARCHAR) AS shard_id_partition
WHERE false;

CREATE OR REPLACE VIEW ${database}.sweep_run_context AS
SELECT
  CAST(NULL AS VARCHAR) AS run_id,
  CAST(NULL AS VARCHAR) AS status,
  CAST(NULL AS VARCHAR) AS request_source,
  CAST(NULL AS VARCHAR) AS record_schema,
  CAST(NULL AS VARCHAR) AS request_fingerprint,
  CAST(NULL AS VARCHAR) AS config_fingerprint,
  CAST(NULL AS BIGINT) AS total_points,
  CAST(NULL AS BIGINT) AS shard_count,
  CAST(NULL AS VARCHAR) AS shard_strategy,
  CAST(NULL AS BIGINT) AS max_shards,
  CAST(NULL AS BIGINT) AS max_shards_ceiling,
  CAST(NULL AS VARCHAR) AS build_version,
  CAST(NULL AS VARCHAR) AS build_git_revision,
  CAST(NULL AS VARCHAR) AS run_date,
  CAST(NULL AS VARCHAR) AS run_id_partition,
  CAST(NULL AS VARCHAR) AS status_partition
WHERE false;

CREATE OR REPLACE VIEW ${database}.sweep_effective_parameters_per_point AS
SELECT
  CAST(NULL AS VARCHAR) AS run_id,
  CAST(NULL AS BIGINT) AS shard_id,
  CAST(NULL AS BIGINT) AS point_index,
  CAST(NULL AS VARCHAR) AS status,
  CAST(NULL AS VARCHAR) AS record_schema,
  CAST(NULL AS VARCHAR) AS parameter_fingerprint,
  CAST(NULL AS VARCHAR) AS effective_parameters_json,
  CAST(NULL AS BIGINT) AS config_index,
  CAST(NULL AS BIGINT) AS replicate,
  CAST(NULL AS VARCHAR) AS run_date,
  CAST(NULL AS VARCHAR) AS run_id_partition,
  CAST(NULL AS VARCHAR) AS status_partition,
  CAST(NULL AS VARCHAR) AS shard_id_partition,
  CAST(NULL AS VARCHAR) AS point_index_partition
WHERE false;

CREATE OR REPLACE VIEW ${database}.sweep_effective_parameters_per_shard AS
SELECT
  CAST(NULL AS VARCHAR) AS run_id,
  CAST(NULL AS BIGINT) AS shard_id,
  CAST(NULL AS BIGINT) AS point_index,
  CAST(NULL AS VARCHAR) AS status,
  CAST(NULL AS VARCHAR) AS record_schema,
  CAST(NULL AS VARCHAR) AS parameter_fingerprint,
  CAST(NULL AS VARCHAR) AS effective_parameters_json,
  CAST(NULL AS BIGINT) AS config_index,
  CAST(NULL AS BIGINT) AS replicate,
  CAST(NULL AS VARCHAR) AS run_date,
  CAST(NULL AS VARCHAR) AS run_id_partition,
  CAST(NULL AS VARCHAR) AS status_partition,
  CAST(NULL AS VARCHAR) AS shard_id_partition,
  CAST(NULL AS VARCHAR) AS point_index_partition
WHERE false;

CREATE OR REPLACE VIEW ${database}.sweep_shard_metrics_per_point AS
SELECT
  CAST(NULL AS BIGINT) AS total_riders,
  CAST(NULL AS BIGINT) AS completed_riders,
  CAST(NULL AS BIGINT) AS abandoned_quote_riders,
  CAST(NULL AS BIGINT) AS cancelled_riders,
  CAST(NULL AS DOUBLE) AS conversion_rate,
  CAST(NULL AS DOUBLE) AS platform_revenue,
  CAST(NULL AS DOUBLE) AS driver_payouts,
  CAST(NULL AS DOUBLE) AS total_fares_collected,
  CAST(NULL AS DOUBLE) AS avg_time_to_match_ms,
  CAST(NULL AS DOUBLE) AS median_time_to_match_ms,
  CAST(NULL AS DOUBLE) AS p90_time_to_match_ms,
  CAST(NULL AS DOUBLE) AS avg_time_to_pickup_ms,
  CAST(NULL AS DOUBLE) AS median_time_to_pickup_ms,
  CAST(NULL AS DOUBLE) AS p90_time_to_pickup_ms,
  CAST(NULL AS BIGINT) AS completed_trips,
  CAST(NULL AS BIGINT) AS riders_abandoned_price,
  CAST(NULL AS BIGINT) AS riders_abandoned_eta,
  CAST(NULL AS BIGINT) AS riders_abandoned_stochastic,
  CAST(NULL AS BIGINT) AS total_drivers,
  CAST(NULL AS BIGINT) AS riders_spawned,
  CAST(NULL AS BIGINT) AS riders_unresolved,
  CAST(NULL AS BIGINT) AS trips_cancelled,
  CAST(NULL AS BIGINT) AS events_processed,
  CAST(NULL AS BIGINT) AS final_sim_time_ms,
  CAST(NULL AS BOOLEAN) AS truncated,
  CAST(NULL AS BIGINT) AS riders_abandoned_no_driver,
  CAST(NULL AS DOUBLE) AS match_rate,
  CAST(NULL AS DOUBLE) AS share_matched_within_60s,
  CAST(NULL AS DOUBLE) AS share_matched_within_180s,
  CAST(NULL AS BIGINT) AS config_index,
  CAST(NULL AS BIGINT) AS replicate,
  CAST(NULL AS VARCHAR) AS run_date,
  CAST(NULL AS VARCHAR) AS run_id,
  CAST(NULL AS VARCHAR) AS status,
  CAST(NULL AS VARCHAR) AS shard_id,
  CAST(NULL AS VARCHAR) AS point_index
WHERE false;

CREATE OR REPLACE VIEW ${database}.sweep_shard_metrics_per_shard AS
SELECT
  CAST(NULL AS BIGINT) AS total_riders,
  CAST(NULL AS BIGINT) AS completed_riders,
  CAST(NULL AS BIGINT) AS abandoned_quote_riders,
  CAST(NULL AS BIGINT) AS cancelled_riders,
  CAST(NULL AS DOUBLE) AS conversion_rate,
  CAST(NULL AS DOUBLE) AS platform_revenue,
  CAST(NULL AS DOUBLE) AS driver_payouts,
  CAST(NULL AS DOUBLE) AS total_fares_collected,
  CAST(NULL AS DOUBLE) AS avg_time_to_match_ms,
  CAST(NULL AS DOUBLE) AS median_time_to_match_ms,
  CAST(NULL AS DOUBLE) AS p90_time_to_match_ms,
  CAST(NULL AS DOUBLE) AS avg_time_to_pickup_ms,
  CAST(NULL AS DOUBLE) AS median_time_to_pickup_ms,
  CAST(NULL AS DOUBLE) AS p90_time_to_pickup_ms,
  CAST(NULL AS BIGINT) AS completed_trips,
  CAST(NULL AS BIGINT) AS riders_abandoned_price,
  CAST(NULL AS BIGINT) AS riders_abandoned_eta,
  CAST(NULL AS BIGINT) AS riders_abandoned_stochastic,
  CAST(NULL AS BIGINT) AS total_drivers,
  CAST(NULL AS BIGINT) AS riders_spawned,
  CAST(NULL AS BIGINT) AS riders_unresolved,
  CAST(NULL AS BIGINT) AS trips_cancelled,
  CAST(NULL AS BIGINT) AS events_processed,
  CAST(NULL AS BIGINT) AS final_sim_time_ms,
  CAST(NULL AS BOOLEAN) AS truncated,
  CAST(NULL AS BIGINT) AS riders_abandoned_no_driver,
  CAST(NULL AS DOUBLE) AS match_rate,
  CAST(NULL AS DOUBLE) AS share_matched_within_60s,
  CAST(NULL AS DOUBLE) AS share_matched_within_180s,
  CAST(NULL AS BIGINT) AS config_index,
  CAST(NULL AS BIGINT) AS replicate,
  CAST(NULL AS VARCHAR) AS run_date,
  CAST(NULL AS VARCHAR) AS run_id,
  CAST(NULL AS VARCHAR) AS status,
  CAST(NULL AS VARCHAR) AS shard_id,
  CAST(NULL AS VARCHAR) AS point_index
WHERE false;

CREATE OR REPLACE VIEW ${database}.sweep_trip_data_per_point AS
SELECT
  CAST(NULL AS BIGINT) AS trip_entity,
  CAST(NULL AS BIGINT) AS rider_entity,
  CAST(NULL AS BIGINT) AS driver_entity,
  CAST(NULL AS TINYINT) AS state,
  CAST(NULL AS BIGINT) AS pickup_cell,
  CAST(NULL AS BIGINT) AS dropoff_cell,
  CAST(NULL AS DOUBLE) AS pickup_distance_km_at_accept,
  CAST(NULL AS BIGINT) AS requested_at,
  CAST(NULL AS BIGINT) AS matched_at,
  CAST(NULL AS BIGINT) AS pickup_at,
  CAST(NULL AS BIGINT) AS dropoff_at,
  CAST(NULL AS BIGINT) AS cancelled_at,
  CAST(NULL AS VARCHAR) AS run_date,
  CAST(NULL AS VARCHAR) AS run_id,
  CAST(NULL AS VARCHAR) AS status,
  CAST(NULL AS VARCHAR) AS shard_id,
  CAST(NULL AS VARCHAR) AS point_index
WHERE false;

CREATE OR REPLACE VIEW ${database}.sweep_trip_data_per_shard AS
SELECT
  CAST(NULL AS BIGINT) AS trip_entity,
  CAST(NULL AS BIGINT) AS rider_entity,
  CAST(NULL AS BIGINT) AS driver_entity,
  CAST(NULL AS TINYINT) AS state,
  CAST(NULL AS BIGINT) AS pickup_cell,
  CAST(NULL AS BIGINT) AS dropoff_cell,
  CAST(NULL AS DOUBLE) AS pickup_distance_km_at_accept,
  CAST(NULL AS BIGINT) AS requested_at,
  CAST(NULL AS BIGINT) AS matched_at,
  CAST(NULL AS BIGINT) AS pickup_at,
  CAST(NULL AS BIGINT) AS dropoff_at,
  CAST(NULL AS BIGINT) AS cancelled_at,
  CAST(NULL AS VARCHAR) AS run_date,
  CAST(NULL AS VARCHAR) AS run_id,
  CAST(NULL AS VARCHAR) AS status,
  CAST(NULL AS VARCHAR) AS shard_id,
  CAST(NULL AS VARCHAR) AS point_index
WHERE false;

CREATE OR REPLACE VIEW ${database}.sweep_snapshot_counts_per_point AS
SELECT
  CAST(NULL AS BIGINT) AS timestamp_ms,
  CAST(NULL AS BIGINT) AS riders_browsing,
  CAST(NULL AS BIGINT) AS riders_waiting,
  CAST(NULL AS BIGINT) AS riders_in_transit,
  CAST(NULL AS BIGINT) AS riders_completed,
  CAST(NULL AS BIGINT) AS riders_cancelled,
  CAST(NULL AS BIGINT) AS drivers_idle,
  CAST(NULL AS BIGINT) AS drivers_evaluating,
  CAST(NULL AS BIGINT) AS drivers_en_route,
  CAST(NULL AS BIGINT) AS drivers_on_trip,
  CAST(NULL AS BIGINT) AS drivers_off_duty,
  CAST(NULL AS BIGINT) AS trips_en_route,
  CAST(NULL AS BIGINT) AS trips_on_trip,
  CAST(NULL AS BIGINT) AS trips_completed,
  CAST(NULL AS BIGINT) AS trips_cancelled,
  CAST(NULL AS VARCHAR) AS run_date,
  CAST(NULL AS VARCHAR) AS run_id,
  CAST(NULL AS VARCHAR) AS status,
  CAST(NULL AS VARCHAR) AS shard_id,
  CAST(NULL AS VARCHAR) AS point_index
WHERE false;

CREATE OR REPLACE VIEW ${database}.sweep_snapshot_counts_per_shard AS
SELECT
  CAST(NULL AS BIGINT) AS timestamp_ms,
  CAST(NULL AS BIGINT) AS riders_browsing,
  CAST(NULL AS BIGINT) AS riders_waiting,
  CAST(NULL AS BIGINT) AS riders_in_transit,
  CAST(NULL AS BIGINT) AS riders_completed,
  CAST(NULL AS BIGINT) AS riders_cancelled,
  CAST(NULL AS BIGINT) AS drivers_idle,
  CAST(NULL AS BIGINT) AS drivers_evaluating,
  CAST(NULL AS BIGINT) AS drivers_en_route,
  CAST(NULL AS BIGINT) AS drivers_on_trip,
  CAST(NULL AS BIGINT) AS drivers_off_duty,
  CAST(NULL AS BIGINT) AS trips_en_route,
  CAST(NULL AS BIGINT) AS trips_on_trip,
  CAST(NULL AS BIGINT) AS trips_completed,
  CAST(NULL AS BIGINT) AS trips_cancelled,
  CAST(NULL AS VARCHAR) AS run_date,
  CAST(NULL AS VARCHAR) AS run_id,
  CAST(NULL AS VARCHAR) AS status,
  CAST(NULL AS VARCHAR) AS shard_id,
  CAST(NULL AS VARCHAR) AS point_index
WHERE false;
