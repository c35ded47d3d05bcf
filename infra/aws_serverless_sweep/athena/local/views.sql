-- DuckDB-only: maps the six Athena tables of ../create_table*.sql onto a local Hive-partitioned results tree, so
-- the query_*.sql files run unchanged on the local engine. Executed statement by
-- statement by the local query engine after placeholder substitution (see ../README.md, "Local engine"):
--   database          schema that holds the views (same validated name as the Athena database)
--   results_location  absolute directory that holds the dataset= trees: the results root joined with the
--                     results prefix, no trailing slash, single quotes doubled
-- A dataset without any Parquet file cannot be read by read_parquet (no file matches the glob), so for such a
-- dataset the engine runs the statement of empty_views.sql that creates the view of the same name instead.
-- Every view exposes the Athena columns in DDL order with the DDL types, and partition values stay VARCHAR
-- (hive_types_autocast = false), like Athena's string partition columns. The four per-point datasets come in two
-- layouts: sweep_<d>_per_point reads dataset=<d>, sweep_<d>_per_shard reads dataset=<d>_per_shard (point_index
-- from the file's column), and sweep_<d> is their union, so every query reads runs of either layout.
CREATE SCHEMA IF NOT EXISTS ${database};
-- Unqualified names resolve in it, as they do in the Athena database a query runs in (`query -c "SELECT … FROM
-- sweep_points"`).
SET schema = '${database}';
-- Athena (Trino) has from_iso8601_timestamp, DuckDB gets it as a macro (a temporary one, visible from every
-- schema of the connection).
CREATE OR REPLACE TEMP MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMP WITH TIME ZONE);
-- Likewise json_extract_scalar (the text of a JSON scalar at a path, NULL for JSON null), used by the generated
-- sweep_points view.
CREATE OR REPLACE TEMP MACRO json_extract_scalar(j, p) AS json_extract_string(j, p);

CREATE OR REPLACE VIEW ${database}.sweep_shard_outcomes AS
SELECT
  CAST(run_id AS VARCHAR) AS run_id,
  CAST(shard_id AS BIGINT) AS shard_id,
  CAST(start_index AS BIGINT) AS start_index,
  CAST(end_index_exclusive AS BIGINT) AS end_index_exclusive,
  CAST(status AS VARCHAR) AS status,
  CAST(event_time AS VARCHAR) AS event_time,
  CAST(record_schema AS VARCHAR) AS record_schema,
  CAST(result_key AS VARCHAR) AS result_key,
  CAST(points_processed AS BIGINT) AS points_processed,
  CAST(format AS VARCHAR) AS format,
  CAST(error_code AS VARCHAR) AS error_code,
  CAST(error_message AS VARCHAR) AS error_message,
  CAST(attempt AS BIGINT) AS attempt,
  CAST(completed_time AS VARCHAR) AS completed_time,
  CAST(run_date AS VARCHAR) AS run_date,
  CAST(run_id_partition AS VARCHAR) AS run_id_partition,
  CAST(status_partition AS VARCHAR) AS status_partition,
  CAST(shard_id_partition AS VARCHAR) AS shard_id_partition
FROM read_parquet(
  '${results_location}/dataset=shard_outcomes/**/*.parquet',
  hive_partitioning = true,
  hive_types_autocast = false
);

CREATE OR REPLACE VIEW ${database}.sweep_run_context AS
SELECT
  CAST(run_id AS VARCHAR) AS run_id,
  CAST(status AS VARCHAR) AS status,
  CAST(request_source AS VARCHAR) AS request_source,
  CAST(record_schema AS VARCHAR) AS record_schema,
  CAST(request_fingerprint AS VARCHAR) AS request_fingerprint,
  CAST(config_fingerprint AS VARCHAR) AS config_fingerprint,
  CAST(total_points AS BIGINT) AS total_points,
  CAST(shard_count AS BIGINT) AS shard_count,
  CAST(shard_strategy AS VARCHAR) AS shard_strategy,
  CAST(max_shards AS BIGINT) AS max_shards,
  CAST(max_shards_ceiling AS BIGINT) AS max_shards_ceiling,
  CAST(build_version AS VARCHAR) AS build_version,
  CAST(build_git_revision AS VARCHAR) AS build_git_revision,
  CAST(run_date AS VARCHAR) AS run_date,
  CAST(run_id_partition AS VARCHAR) AS run_id_partition,
  CAST(status_partition AS VARCHAR) AS status_partition
FROM (
  SELECT * FROM read_parquet(
    '${results_location}/dataset=run_context/**/*.parquet',
    hive_partitioning = true,
    hive_types_autocast = false,
    union_by_name = true
  )
  -- Runs accepted before build_version/build_git_revision were recorded read them as NULL, as Athena does.
  UNION ALL BY NAME
  SELECT CAST(NULL AS VARCHAR) AS build_version, CAST(NULL AS VARCHAR) AS build_git_revision WHERE false
);

CREATE OR REPLACE VIEW ${database}.sweep_effective_parameters_per_point AS
SELECT
  CAST(run_id AS VARCHAR) AS run_id,
  CAST(shard_id AS BIGINT) AS shard_id,
  CAST(point_index AS BIGINT) AS point_index,
  CAST(status AS VARCHAR) AS status,
  CAST(record_schema AS VARCHAR) AS record_schema,
  CAST(parameter_fingerprint AS VARCHAR) AS parameter_fingerprint,
  CAST(effective_parameters_json AS VARCHAR) AS effective_parameters_json,
  CAST(config_index AS BIGINT) AS config_index,
  CAST(replicate AS BIGINT) AS replicate,
  CAST(run_date AS VARCHAR) AS run_date,
  CAST(run_id_partition AS VARCHAR) AS run_id_partition,
  CAST(status_partition AS VARCHAR) AS status_partition,
  CAST(shard_id_partition AS VARCHAR) AS shard_id_partition,
  CAST(point_index_partition AS VARCHAR) AS point_index_partition
FROM read_parquet(
  '${results_location}/dataset=effective_parameters/**/*.parquet',
  hive_partitioning = true,
  hive_types_autocast = false,
  union_by_name = true
);

CREATE OR REPLACE VIEW ${database}.sweep_effective_parameters_per_shard AS
SELECT
  CAST(run_id AS VARCHAR) AS run_id,
  CAST(shard_id AS BIGINT) AS shard_id,
  CAST(point_index AS BIGINT) AS point_index,
  CAST(status AS VARCHAR) AS status,
  CAST(record_schema AS VARCHAR) AS record_schema,
  CAST(parameter_fingerprint AS VARCHAR) AS parameter_fingerprint,
  CAST(effective_parameters_json AS VARCHAR) AS effective_parameters_json,
  CAST(config_index AS BIGINT) AS config_index,
  CAST(replicate AS BIGINT) AS replicate,
  CAST(run_date AS VARCHAR) AS run_date,
  CAST(run_id_partition AS VARCHAR) AS run_id_partition,
  CAST(status_partition AS VARCHAR) AS status_partition,
  CAST(shard_id_partition AS VARCHAR) AS shard_id_partition,
  CAST(point_index AS VARCHAR) AS point_index_partition
FROM read_parquet(
  '${results_location}/dataset=effective_parameters_per_shard/**/*.parquet',
  hive_partitioning = true,
  hive_types_autocast = false,
  union_by_name = true
);

CREATE OR REPLACE VIEW ${database}.sweep_effective_parameters AS
SELECT * FROM ${database}.sweep_effective_parameters_per_point
UNION ALL
SELECT * FROM ${database}.sweep_effective_parameters_per_shard;

CREATE OR REPLACE VIEW ${database}.sweep_shard_metrics_per_point AS
SELECT
  CAST(total_riders AS BIGINT) AS total_riders,
  CAST(completed_riders AS BIGINT) AS completed_riders,
  CAST(abandoned_quote_riders AS BIGINT) AS abandoned_quote_riders,
  CAST(cancelled_riders AS BIGINT) AS cancelled_riders,
  CAST(conversion_rate AS DOUBLE) AS conversion_rate,
  CAST(platform_revenue AS DOUBLE) AS platform_revenue,
  CAST(driver_payouts AS DOUBLE) AS driver_payouts,
  CAST(total_fares_collected AS DOUBLE) AS total_fares_collected,
  CAST(avg_time_to_match_ms AS DOUBLE) AS avg_time_to_match_ms,
  CAST(median_time_to_match_ms AS DOUBLE) AS median_time_to_match_ms,
  CAST(p90_time_to_match_ms AS DOUBLE) AS p90_time_to_match_ms,
  CAST(avg_time_to_pickup_ms AS DOUBLE) AS avg_time_to_pickup_ms,
  CAST(median_time_to_pickup_ms AS DOUBLE) AS median_time_to_pickup_ms,
  CAST(p90_time_to_pickup_ms AS DOUBLE) AS p90_time_to_pickup_ms,
  CAST(completed_trips AS BIGINT) AS completed_trips,
  CAST(riders_abandoned_price AS BIGINT) AS riders_abandoned_price,
  CAST(riders_abandoned_eta AS BIGINT) AS riders_abandoned_eta,
  CAST(riders_abandoned_stochastic AS BIGINT) AS riders_abandoned_stochastic,
  CAST(total_drivers AS BIGINT) AS total_drivers,
  CAST(riders_spawned AS BIGINT) AS riders_spawned,
  CAST(riders_unresolved AS BIGINT) AS riders_unresolved,
  CAST(trips_cancelled AS BIGINT) AS trips_cancelled,
  CAST(events_processed AS BIGINT) AS events_processed,
  CAST(final_sim_time_ms AS BIGINT) AS final_sim_time_ms,
  CAST(truncated AS BOOLEAN) AS truncated,
  CAST(riders_abandoned_no_driver AS BIGINT) AS riders_abandoned_no_driver,
  CAST(match_rate AS DOUBLE) AS match_rate,
  CAST(share_matched_within_60s AS DOUBLE) AS share_matched_within_60s,
  CAST(share_matched_within_180s AS DOUBLE) AS share_matched_within_180s,
  CAST(config_index AS BIGINT) AS config_index,
  CAST(replicate AS BIGINT) AS replicate,
  CAST(run_date AS VARCHAR) AS run_date,
  CAST(run_id AS VARCHAR) AS run_id,
  CAST(status AS VARCHAR) AS status,
  CAST(shard_id AS VARCHAR) AS shard_id,
  CAST(point_index AS VARCHAR) AS point_index
FROM read_parquet(
  '${results_location}/dataset=shard_metrics/**/*.parquet',
  hive_partitioning = true,
  hive_types_autocast = false,
  union_by_name = true
);

CREATE OR REPLACE VIEW ${database}.sweep_shard_metrics_per_shard AS
SELECT
  CAST(total_riders AS BIGINT) AS total_riders,
  CAST(completed_riders AS BIGINT) AS completed_riders,
  CAST(abandoned_quote_riders AS BIGINT) AS abandoned_quote_riders,
  CAST(cancelled_riders AS BIGINT) AS cancelled_riders,
  CAST(conversion_rate AS DOUBLE) AS conversion_rate,
  CAST(platform_revenue AS DOUBLE) AS platform_revenue,
  CAST(driver_payouts AS DOUBLE) AS driver_payouts,
  CAST(total_fares_collected AS DOUBLE) AS total_fares_collected,
  CAST(avg_time_to_match_ms AS DOUBLE) AS avg_time_to_match_ms,
  CAST(median_time_to_match_ms AS DOUBLE) AS median_time_to_match_ms,
  CAST(p90_time_to_match_ms AS DOUBLE) AS p90_time_to_match_ms,
  CAST(avg_time_to_pickup_ms AS DOUBLE) AS avg_time_to_pickup_ms,
  CAST(median_time_to_pickup_ms AS DOUBLE) AS median_time_to_pickup_ms,
  CAST(p90_time_to_pickup_ms AS DOUBLE) AS p90_time_to_pickup_ms,
  CAST(completed_trips AS BIGINT) AS completed_trips,
  CAST(riders_abandoned_price AS BIGINT) AS riders_abandoned_price,
  CAST(riders_abandoned_eta AS BIGINT) AS riders_abandoned_eta,
  CAST(riders_abandoned_stochastic AS BIGINT) AS riders_abandoned_stochastic,
  CAST(total_drivers AS BIGINT) AS total_drivers,
  CAST(riders_spawned AS BIGINT) AS riders_spawned,
  CAST(riders_unresolved AS BIGINT) AS riders_unresolved,
  CAST(trips_cancelled AS BIGINT) AS trips_cancelled,
  CAST(events_processed AS BIGINT) AS events_processed,
  CAST(final_sim_time_ms AS BIGINT) AS final_sim_time_ms,
  CAST(truncated AS BOOLEAN) AS truncated,
  CAST(riders_abandoned_no_driver AS BIGINT) AS riders_abandoned_no_driver,
  CAST(match_rate AS DOUBLE) AS match_rate,
  CAST(share_matched_within_60s AS DOUBLE) AS share_matched_within_60s,
  CAST(share_matched_within_180s AS DOUBLE) AS share_matched_within_180s,
  CAST(config_index AS BIGINT) AS config_index,
  CAST(replicate AS BIGINT) AS replicate,
  CAST(run_date AS VARCHAR) AS run_date,
  CAST(run_id AS VARCHAR) AS run_id,
  CAST(status AS VARCHAR) AS status,
  CAST(shard_id AS VARCHAR) AS shard_id,
  CAST(point_index AS VARCHAR) AS point_index
FROM read_parquet(
  '${results_location}/dataset=shard_metrics_per_shard/**/*.parquet',
  hive_partitioning = true,
  hive_types_autocast = false,
  union_by_name = true
);

CREATE OR REPLACE VIEW ${database}.sweep_shard_metrics AS
SELECT * FROM ${database}.sweep_shard_metrics_per_point
UNION ALL
SELECT * FROM ${database}.sweep_shard_metrics_per_shard;

CREATE OR REPLACE VIEW ${database}.sweep_trip_data_per_point AS
SELECT
  CAST(trip_entity AS BIGINT) AS trip_entity,
  CAST(rider_entity AS BIGINT) AS rider_entity,
  CAST(driver_entity AS BIGINT) AS driver_entity,
  CAST(state AS TINYINT) AS state,
  CAST(pickup_cell AS BIGINT) AS pickup_cell,
  CAST(dropoff_cell AS BIGINT) AS dropoff_cell,
  CAST(pickup_distance_km_at_accept AS DOUBLE) AS pickup_distance_km_at_accept,
  CAST(requested_at AS BIGINT) AS requested_at,
  CAST(matched_at AS BIGINT) AS matched_at,
  CAST(pickup_at AS BIGINT) AS pickup_at,
  CAST(dropoff_at AS BIGINT) AS dropoff_at,
  CAST(cancelled_at AS BIGINT) AS cancelled_at,
  CAST(run_date AS VARCHAR) AS run_date,
  CAST(run_id AS VARCHAR) AS run_id,
  CAST(status AS VARCHAR) AS status,
  CAST(shard_id AS VARCHAR) AS shard_id,
  CAST(point_index AS VARCHAR) AS point_index
FROM read_parquet(
  '${results_location}/dataset=trip_data/**/*.parquet',
  hive_partitioning = true,
  hive_types_autocast = false
);

CREATE OR REPLACE VIEW ${database}.sweep_trip_data_per_shard AS
SELECT
  CAST(trip_entity AS BIGINT) AS trip_entity,
  CAST(rider_entity AS BIGINT) AS rider_entity,
  CAST(driver_entity AS BIGINT) AS driver_entity,
  CAST(state AS TINYINT) AS state,
  CAST(pickup_cell AS BIGINT) AS pickup_cell,
  CAST(dropoff_cell AS BIGINT) AS dropoff_cell,
  CAST(pickup_distance_km_at_accept AS DOUBLE) AS pickup_distance_km_at_accept,
  CAST(requested_at AS BIGINT) AS requested_at,
  CAST(matched_at AS BIGINT) AS matched_at,
  CAST(pickup_at AS BIGINT) AS pickup_at,
  CAST(dropoff_at AS BIGINT) AS dropoff_at,
  CAST(cancelled_at AS BIGINT) AS cancelled_at,
  CAST(run_date AS VARCHAR) AS run_date,
  CAST(run_id AS VARCHAR) AS run_id,
  CAST(status AS VARCHAR) AS status,
  CAST(shard_id AS VARCHAR) AS shard_id,
  CAST(point_index AS VARCHAR) AS point_index
FROM read_parquet(
  '${results_location}/dataset=trip_data_per_shard/**/*.parquet',
  hive_partitioning = true,
  hive_types_autocast = false
);

CREATE OR REPLACE VIEW ${database}.sweep_trip_data AS
SELECT * FROM ${database}.sweep_trip_data_per_point
UNION ALL
SELECT * FROM ${database}.sweep_trip_data_per_shard;

CREATE OR REPLACE VIEW ${database}.sweep_snapshot_counts_per_point AS
SELECT
  CAST(timestamp_ms AS BIGINT) AS timestamp_ms,
  CAST(riders_browsing AS BIGINT) AS riders_browsing,
  CAST(riders_waiting AS BIGINT) AS riders_waiting,
  CAST(riders_in_transit AS BIGINT) AS riders_in_transit,
  CAST(riders_completed AS BIGINT) AS riders_completed,
  CAST(riders_cancelled AS BIGINT) AS riders_cancelled,
  CAST(drivers_idle AS BIGINT) AS drivers_idle,
  CAST(drivers_evaluating AS BIGINT) AS drivers_evaluating,
  CAST(drivers_en_route AS BIGINT) AS drivers_en_route,
  CAST(drivers_on_trip AS BIGINT) AS drivers_on_trip,
  CAST(drivers_off_duty AS BIGINT) AS drivers_off_duty,
  CAST(trips_en_route AS BIGINT) AS trips_en_route,
  CAST(trips_on_trip AS BIGINT) AS trips_on_trip,
  CAST(trips_completed AS BIGINT) AS trips_completed,
  CAST(trips_cancelled AS BIGINT) AS trips_cancelled,
  CAST(run_date AS VARCHAR) AS run_date,
  CAST(run_id AS VARCHAR) AS run_id,
  CAST(status AS VARCHAR) AS status,
  CAST(shard_id AS VARCHAR) AS shard_id,
  CAST(point_index AS VARCHAR) AS point_index
FROM read_parquet(
  '${results_location}/dataset=snapshot_counts/**/*.parquet',
  hive_partitioning = true,
  hive_types_autocast = false
);

CREATE OR REPLACE VIEW ${database}.sweep_snapshot_counts_per_shard AS
SELECT
  CAST(timestamp_ms AS BIGINT) AS timestamp_ms,
  CAST(riders_browsing AS BIGINT) AS riders_browsing,
  CAST(riders_waiting AS BIGINT) AS riders_waiting,
  CAST(riders_in_transit AS BIGINT) AS riders_in_transit,
  CAST(riders_completed AS BIGINT) AS riders_completed,
  CAST(riders_cancelled AS BIGINT) AS riders_cancelled,
  CAST(drivers_idle AS BIGINT) AS drivers_idle,
  CAST(drivers_evaluating AS BIGINT) AS drivers_evaluating,
  CAST(drivers_en_route AS BIGINT) AS drivers_en_route,
  CAST(drivers_on_trip AS BIGINT) AS drivers_on_trip,
  CAST(drivers_off_duty AS BIGINT) AS drivers_off_duty,
  CAST(trips_en_route AS BIGINT) AS trips_en_route,
  CAST(trips_on_trip AS BIGINT) AS trips_on_trip,
  CAST(trips_completed AS BIGINT) AS trips_completed,
  CAST(trips_cancelled AS BIGINT) AS trips_cancelled,
  CAST(run_date AS VARCHAR) AS run_date,
  CAST(run_id AS VARCHAR) AS run_id,
  CAST(status AS VARCHAR) AS status,
  CAST(shard_id AS VARCHAR) AS shard_id,
  CAST(point_index AS VARCHAR) AS point_index
FROM read_parquet(
  '${results_location}/dataset=snapshot_counts_per_shard/**/*.parquet',
  hive_partitioning = true,
  hive_types_autocast = false
);

CREATE OR REPLACE VIEW ${database}.sweep_snapshot_counts AS
SELECT * FROM ${database}.sweep_snapshot_counts_per_point
UNION ALL
SELECT * FROM ${database}.sweep_snapshot_counts_per_shard;
