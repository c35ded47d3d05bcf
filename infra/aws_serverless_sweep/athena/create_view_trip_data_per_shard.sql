CREATE OR REPLACE VIEW ${database}.sweep_trip_data_per_shard AS
SELECT
  trip_entity,
  rider_entity,
  driver_entity,
  state,
  pickup_cell,
  dropoff_cell,
  pickup_distance_km_at_accept,
  requested_at,
  matched_at,
  pickup_at,
  dropoff_at,
  cancelled_at,
  run_date,
  run_id,
  status,
  shard_id,
  CAST(point_index AS varchar) AS point_index
FROM ${database}.sweep_trip_data_per_shard_raw;
