-- Statistics by configuration: one row per (configuration, metric) of one run's committed points (successful
-- metrics rows matched to their effective_parameters rows, as in query_outcome_configuration_smoke.sql), with
-- n (values), missing (NULL values, excluded), mean, sd (sample standard deviation) and the two-sided 95% Student-t
-- interval mean ± t(0.975, n − 1) · sd / √n (NULL for n < 2). health_score is the fixed-scale score of each
-- replicate (the weights and reference scales of docs/analysis.md: 10 currency units per rider, 10 minutes of
-- waiting), so a configuration scores the same in any run. not_distinguishable_from_best (health_score rows only)
-- is true when the configuration's interval overlaps the interval of the configuration with the best mean score
-- (ties to the lowest config_index), false when they are apart, NULL without intervals. Dimension values: join
-- sweep_points on config_index. t(0.975, df) is the published table to df = 30, then linear in 1/df between 30, 40,
-- 60, 120 and infinity (t_table and the CASE of half_width). Portable: Athena engine v3 and DuckDB.
WITH metrics AS (
  SELECT *
  FROM ${database}.sweep_shard_metrics
  WHERE run_id = '${run_id}'
    AND status = 'success'
),
parameters AS (
  SELECT
    run_date,
    run_id_partition,
    shard_id_partition,
    point_index_partition,
    config_index
  FROM ${database}.sweep_effective_parameters
  WHERE run_id_partition = '${run_id}'
    AND status_partition = 'success'
),
points AS (
  SELECT
    COALESCE(p.config_index, CAST(m.point_index AS BIGINT)) AS config_index,
    CAST(GREATEST(m.total_riders, 1) AS DOUBLE) AS riders,
    m.*
  FROM metrics m
  JOIN parameters p
    ON p.run_date = m.run_date
    AND p.run_id_partition = m.run_id
    AND p.shard_id_partition = m.shard_id
    AND p.point_index_partition = m.point_index
),
scored AS (
  SELECT
    config_index,
    0.30 * conversion_rate
      + 0.25 * (CAST(platform_revenue AS DOUBLE) / riders / 10)
      + 0.15 * (CAST(driver_payouts AS DOUBLE) / riders / 10)
      + 0.15 * COALESCE(1 - CAST(avg_time_to_match_ms AS DOUBLE) / 600000, 0)
      + 0.15 * COALESCE(1 - CAST(avg_time_to_pickup_ms AS DOUBLE) / 600000, 0)
      - 0.20 * (CAST(abandoned_quote_riders AS DOUBLE) / riders) AS health_score,
    conversion_rate,
    platform_revenue,
    driver_payouts,
    avg_time_to_match_ms,
    avg_time_to_pickup_ms,
    CAST(completed_trips AS DOUBLE) AS completed_trips
  FROM points
),
long AS (
  SELECT
    s.config_index,
    k.metric_order,
    k.metric,
    CAST(CASE k.metric
      WHEN 'health_score' THEN s.health_score
      WHEN 'conversion_rate' THEN s.conversion_rate
      WHEN 'platform_revenue' THEN s.platform_revenue
      WHEN 'driver_payouts' THEN s.driver_payouts
      WHEN 'avg_time_to_match_ms' THEN s.avg_time_to_match_ms
      WHEN 'avg_time_to_pickup_ms' THEN s.avg_time_to_pickup_ms
      WHEN 'completed_trips' THEN s.completed_trips
    END AS DOUBLE) AS value
  FROM scored s
  CROSS JOIN (
    VALUES
      (1, 'health_score'),
      (2, 'conversion_rate'),
      (3, 'platform_revenue'),
      (4, 'driver_payouts'),
      (5, 'avg_time_to_match_ms'),
      (6, 'avg_time_to_pickup_ms'),
      (7, 'completed_trips')
  ) AS k (metric_order, metric)
),
stats AS (
  SELECT
    config_index,
    metric_order,
    metric,
    COUNT(value) AS n,
    COUNT(*) - COUNT(value) AS missing,
    AVG(value) AS mean,
    STDDEV_SAMP(value) AS sd
  FROM long
  GROUP BY config_index, metric_order, metric
),
t_table AS (
  SELECT df, q
  FROM (
    VALUES
      (1, 12.7062), (2, 4.3027), (3, 3.1824), (4, 2.7764), (5, 2.5706), (6, 2.4469), (7, 2.3646), (8, 2.3060),
      (9, 2.2622), (10, 2.2281), (11, 2.2010), (12, 2.1788), (13, 2.1604), (14, 2.1448), (15, 2.1314),
      (16, 2.1199), (17, 2.1098), (18, 2.1009), (19, 2.0930), (20, 2.0860), (21, 2.0796), (22, 2.0739),
      (23, 2.0687), (24, 2.0639), (25, 2.0595), (26, 2.0555), (27, 2.0518), (28, 2.0484), (29, 2.0452),
      (30, 2.0423)
  ) AS t (df, q)
),
intervals AS (
  SELECT
    s.*,
    CASE
      WHEN s.n < 2 THEN NULL
      WHEN s.n - 1 <= 30 THEN CAST(t.q AS DOUBLE)
      WHEN s.n - 1 <= 40 THEN 2.0211 + (2.0423 - 2.0211)
        * (CAST(1 AS DOUBLE) / (s.n - 1) - CAST(1 AS DOUBLE) / 40)
        / (CAST(1 AS DOUBLE) / 30 - CAST(1 AS DOUBLE) / 40)
      WHEN s.n - 1 <= 60 THEN 2.0003 + (2.0211 - 2.0003)
        * (CAST(1 AS DOUBLE) / (s.n - 1) - CAST(1 AS DOUBLE) / 60)
        / (CAST(1 AS DOUBLE) / 40 - CAST(1 AS DOUBLE) / 60)
      WHEN s.n - 1 <= 120 THEN 1.9799 + (2.0003 - 1.9799)
        * (CAST(1 AS DOUBLE) / (s.n - 1) - CAST(1 AS DOUBLE) / 120)
        / (CAST(1 AS DOUBLE) / 60 - CAST(1 AS DOUBLE) / 120)
      ELSE 1.9600 + (1.9799 - 1.9600) * (CAST(1 AS DOUBLE) / (s.n - 1)) / (CAST(1 AS DOUBLE) / 120)
    END * CAST(s.sd AS DOUBLE) / SQRT(CAST(s.n AS DOUBLE)) AS half_width
  FROM stats s
  LEFT JOIN t_table t
    ON t.df = s.n - 1
),
best AS (
  SELECT
    mean - half_width AS best_low,
    mean + half_width AS best_high
  FROM intervals
  WHERE metric = 'health_score'
  ORDER BY mean DESC, config_index
  LIMIT 1
)
SELECT
  i.config_index,
  i.metric,
  i.n,
  i.missing,
  i.mean,
  i.sd,
  i.mean - i.half_width AS ci95_low,
  i.mean + i.half_width AS ci95_high,
  CASE
    WHEN i.metric <> 'health_score' OR i.half_width IS NULL OR b.best_low IS NULL THEN NULL
    ELSE i.mean + i.half_width >= b.best_low AND i.mean - i.half_width <= b.best_high
  END AS not_distinguishable_from_best
FROM intervals i
CROSS JOIN best b
ORDER BY i.config_index, i.metric_order;
