CREATE OR REPLACE VIEW ${database}.sweep_snapshot_counts_per_shard AS
SELECT
  timestamp_ms,
  riders_browsing,
  riders_waiting,
  riders_in_transit,
  riders_completed,
  riders_cancelled,
  drivers_idle,
  drivers_evaluating,
  drivers_en_route,
  drivers_on_trip,
  drivers_off_duty,
  trips_en_route,
  trips_on_trip,
  trips_completed,
  trips_cancelled,
  run_date,
  run_id,
  status,
  shard_id,
  CAST(point_index AS varchar) AS point_index
FROM ${database}.sweep_snapshot_counts_per_shard_raw;
