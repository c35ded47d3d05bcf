-- Per successful point of one run: the metrics row next to its trip and snapshot aggregates. Trips and snapshots
-- are aggregated per point before the join on (run_date, run_id, shard_id, point_index), so trip_rows is the
-- number of trips of the point (no fan-out with snapshots). Ordered numerically by shard_id, point_index.
-- Portable: Athena engine v3 and DuckDB.
WITH metrics AS (
  SELECT run_date, run_id, shard_id, point_index, completed_trips
  FROM ${database}.sweep_shard_metrics
  WHERE run_id = '${run_id}'
    AND status = 'success'
),
trips AS (
  SELECT
    run_date,
    run_id,
    shard_id,
    point_index,
    COUNT(*) AS trip_rows,
    CAST(SUM(CASE WHEN state = 2 THEN 1 ELSE 0 END) AS BIGINT) AS completed_trip_rows
  FROM ${database}.sweep_trip_data
  WHERE run_id = '${run_id}'
    AND status = 'success'
  GROUP BY run_date, run_id, shard_id, point_index
),
snapshots AS (
  SELECT
    run_date,
    run_id,
    shard_id,
    point_index,
    MAX(trips_completed) AS max_snapshot_trips_completed
  FROM ${database}.sweep_snapshot_counts
  WHERE run_id = '${run_id}'
    AND status = 'success'
  GROUP BY run_date, run_id, shard_id, point_index
)
SELECT
  CAST(m.shard_id AS BIGINT) AS shard_id,
  CAST(m.point_index AS BIGINT) AS point_index,
  m.completed_trips,
  COALESCE(t.trip_rows, 0) AS trip_rows,
  COALESCE(t.completed_trip_rows, 0) AS completed_trip_rows,
  s.max_snapshot_trips_completed
FROM metrics m
LEFT JOIN trips t
  ON t.run_date = m.run_date AND t.run_id = m.run_id AND t.shard_id = m.shard_id AND t.point_index = m.point_index
LEFT JOIN snapshots s
  ON s.run_date = m.run_date AND s.run_id = m.run_id AND s.shard_id = m.shard_id AND s.point_index = m.point_index
ORDER BY CAST(m.shard_id AS BIGINT), CAST(m.point_index AS BIGINT);
