# Optional Glue catalog: the database, the six sweep tables and the four raw tables of the per_shard layout,
# identical to the DDL in ../athena/create_table*.sql (external Parquet tables, string partitions, partition
# projection). Off by default: `ridesweep athena apply` creates the same tables from the SQL files. Keep both in
# sync; tests/infra checks it. The four views sweep_<d>_per_shard over the raw tables are Athena views, created by
# `ridesweep athena apply` or `ridesweep ingest --engine athena` (../athena/create_view_*.sql), not here.

####################################################################################################
# Table definitions (column order is the Parquet and DDL order of docs/formats/parquet_schemas.md)
####################################################################################################

locals {
  glue_tables = {
    sweep_shard_outcomes = {
      dataset = "shard_outcomes"
      columns = [
        { name = "run_id", type = "string" },
        { name = "shard_id", type = "bigint" },
        { name = "start_index", type = "bigint" },
        { name = "end_index_exclusive", type = "bigint" },
        { name = "status", type = "string" },
        { name = "event_time", type = "string" },
        { name = "record_schema", type = "string" },
        { name = "result_key", type = "string" },
        { name = "points_processed", type = "bigint" },
        { name = "format", type = "string" },
        { name = "error_code", type = "string" },
        { name = "error_message", type = "string" },
        { name = "attempt", type = "bigint" },
        { name = "completed_time", type = "string" },
      ]
      partitions = ["run_date", "run_id_partition", "status_partition", "shard_id_partition"]
      projection = {
        "projection.enabled"                  = "true"
        "projection.run_date.type"            = "date"
        "projection.run_date.format"          = "yyyy-MM-dd"
        "projection.run_date.range"           = "2020-01-01,NOW"
        "projection.run_date.interval"        = "1"
        "projection.run_date.interval.unit"   = "DAYS"
        "projection.run_id_partition.type"    = "injected"
        "projection.status_partition.type"    = "enum"
        "projection.status_partition.values"  = "success,failure"
        "projection.shard_id_partition.type"  = "integer"
        "projection.shard_id_partition.range" = "0,199999"
      }
    }
    sweep_run_context = {
      dataset = "run_context"
      columns = [
        { name = "run_id", type = "string" },
        { name = "status", type = "string" },
        { name = "request_source", type = "string" },
        { name = "record_schema", type = "string" },
        { name = "request_fingerprint", type = "string" },
        { name = "config_fingerprint", type = "string" },
        { name = "total_points", type = "bigint" },
        { name = "shard_count", type = "bigint" },
        { name = "shard_strategy", type = "string" },
        { name = "max_shards", type = "bigint" },
        { name = "max_shards_ceiling", type = "bigint" },
        { name = "build_version", type = "string" },
        { name = "build_git_revision", type = "string" },
      ]
      partitions = ["run_date", "run_id_partition", "status_partition"]
      projection = {
        "projection.enabled"                 = "true"
        "projection.run_date.type"           = "date"
        "projection.run_date.format"         = "yyyy-MM-dd"
        "projection.run_date.range"          = "2020-01-01,NOW"
        "projection.run_date.interval"       = "1"
        "projection.run_date.interval.unit"  = "DAYS"
        "projection.run_id_partition.type"   = "injected"
        "projection.status_partition.type"   = "enum"
        "projection.status_partition.values" = "accepted"
      }
    }
    sweep_effective_parameters = {
      dataset = "effective_parameters"
      columns = [
        { name = "run_id", type = "string" },
        { name = "shard_id", type = "bigint" },
        { name = "point_index", type = "bigint" },
        { name = "status", type = "string" },
        { name = "record_schema", type = "string" },
        { name = "parameter_fingerprint", type = "string" },
        { name = "effective_parameters_json", type = "string" },
        { name = "config_index", type = "bigint" },
        { name = "replicate", type = "bigint" },
      ]
      partitions = ["run_date", "run_id_partition", "status_partition", "shard_id_partition", "point_index_partition"]
      projection = {
        "projection.enabled"                     = "true"
        "projection.run_date.type"               = "date"
        "projection.run_date.format"             = "yyyy-MM-dd"
        "projection.run_date.range"              = "2020-01-01,NOW"
        "projection.run_date.interval"           = "1"
        "projection.run_date.interval.unit"      = "DAYS"
        "projection.run_id_partition.type"       = "injected"
        "projection.status_partition.type"       = "enum"
        "projection.status_partition.values"     = "success"
        "projection.shard_id_partition.type"     = "integer"
        "projection.shard_id_partition.range"    = "0,199999"
        "projection.point_index_partition.type"  = "integer"
        "projection.point_index_partition.range" = "0,199999"
      }
    }
    sweep_shard_metrics = {
      dataset = "shard_metrics"
      columns = [
        { name = "total_riders", type = "bigint" },
        { name = "completed_riders", type = "bigint" },
        { name = "abandoned_quote_riders", type = "bigint" },
        { name = "cancelled_riders", type = "bigint" },
        { name = "conversion_rate", type = "double" },
        { name = "platform_revenue", type = "double" },
        { name = "driver_payouts", type = "double" },
        { name = "total_fares_collected", type = "double" },
        { name = "avg_time_to_match_ms", type = "double" },
        { name = "median_time_to_match_ms", type = "double" },
        { name = "p90_time_to_match_ms", type = "double" },
        { name = "avg_time_to_pickup_ms", type = "double" },
        { name = "median_time_to_pickup_ms", type = "double" },
        { name = "p90_time_to_pickup_ms", type = "double" },
        { name = "completed_trips", type = "bigint" },
        { name = "riders_abandoned_price", type = "bigint" },
        { name = "riders_abandoned_eta", type = "bigint" },
        { name = "riders_abandoned_stochastic", type = "bigint" },
        { name = "total_drivers", type = "bigint" },
        { name = "riders_spawned", type = "bigint" },
        { name = "riders_unresolved", type = "bigint" },
        { name = "trips_cancelled", type = "bigint" },
        { name = "events_processed", type = "bigint" },
        { name = "final_sim_time_ms", type = "bigint" },
        { name = "truncated", type = "boolean" },
        { name = "riders_abandoned_no_driver", type = "bigint" },
        { name = "match_rate", type = "double" },
        { name = "share_matched_within_60s", type = "double" },
        { name = "share_matched_within_180s", type = "double" },
        { name = "config_index", type = "bigint" },
        { name = "replicate", type = "bigint" },
      ]
      partitions = ["run_date", "run_id", "status", "shard_id", "point_index"]
      projection = {
        "projection.enabled"                = "true"
        "projection.run_date.type"          = "date"
        "projection.run_date.format"        = "yyyy-MM-dd"
        "projection.run_date.range"         = "2020-01-01,NOW"
        "projection.run_date.interval"      = "1"
        "projection.run_date.interval.unit" = "DAYS"
        "projection.run_id.type"            = "injected"
        "projection.status.type"            = "enum"
        "projection.status.values"          = "success"
        "projection.shard_id.type"          = "integer"
        "projection.shard_id.range"         = "0,199999"
        "projection.point_index.type"       = "integer"
        "projection.point_index.range"      = "0,199999"
      }
    }
    sweep_trip_data = {
      dataset = "trip_data"
      columns = [
        { name = "trip_entity", type = "bigint" },
        { name = "rider_entity", type = "bigint" },
        { name = "driver_entity", type = "bigint" },
        { name = "state", type = "tinyint" },
        { name = "pickup_cell", type = "bigint" },
        { name = "dropoff_cell", type = "bigint" },
        { name = "pickup_distance_km_at_accept", type = "double" },
        { name = "requested_at", type = "bigint" },
        { name = "matched_at", type = "bigint" },
        { name = "pickup_at", type = "bigint" },
        { name = "dropoff_at", type = "bigint" },
        { name = "cancelled_at", type = "bigint" },
      ]
      partitions = ["run_date", "run_id", "status", "shard_id", "point_index"]
      projection = {
        "projection.enabled"                = "true"
        "projection.run_date.type"          = "date"
        "projection.run_date.format"        = "yyyy-MM-dd"
        "projection.run_date.range"         = "2020-01-01,NOW"
        "projection.run_date.interval"      = "1"
        "projection.run_date.interval.unit" = "DAYS"
        "projection.run_id.type"            = "injected"
        "projection.status.type"            = "enum"
        "projection.status.values"          = "success"
        "projection.shard_id.type"          = "integer"
        "projection.shard_id.range"         = "0,199999"
        "projection.point_index.type"       = "integer"
        "projection.point_index.range"      = "0,199999"
      }
    }
    sweep_snapshot_counts = {
      dataset = "snapshot_counts"
      columns = [
        { name = "timestamp_ms", type = "bigint" },
        { name = "riders_browsing", type = "bigint" },
        { name = "riders_waiting", type = "bigint" },
        { name = "riders_in_transit", type = "bigint" },
        { name = "riders_completed", type = "bigint" },
        { name = "riders_cancelled", type = "bigint" },
        { name = "drivers_idle", type = "bigint" },
        { name = "drivers_evaluating", type = "bigint" },
        { name = "drivers_en_route", type = "bigint" },
        { name = "drivers_on_trip", type = "bigint" },
        { name = "drivers_off_duty", type = "bigint" },
        { name = "trips_en_route", type = "bigint" },
        { name = "trips_on_trip", type = "bigint" },
        { name = "trips_completed", type = "bigint" },
        { name = "trips_cancelled", type = "bigint" },
      ]
      partitions = ["run_date", "run_id", "status", "shard_id", "point_index"]
      projection = {
        "projection.enabled"                = "true"
        "projection.run_date.type"          = "date"
        "projection.run_date.format"        = "yyyy-MM-dd"
        "projection.run_date.range"         = "2020-01-01,NOW"
        "projection.run_date.interval"      = "1"
        "projection.run_date.interval.unit" = "DAYS"
        "projection.run_id.type"            = "injected"
        "projection.status.type"            = "enum"
        "projection.status.values"          = "success"
        "projection.shard_id.type"          = "integer"
        "projection.shard_id.range"         = "0,199999"
        "projection.point_index.type"       = "integer"
        "projection.point_index.range"      = "0,199999"
      }
    }
    sweep_effective_parameters_per_shard_raw = {
      dataset = "effective_parameters_per_shard"
      columns = [
        { name = "run_id", type = "string" },
        { name = "shard_id", type = "bigint" },
        { name = "point_index", type = "bigint" },
        { name = "status", type = "string" },
        { name = "record_schema", type = "string" },
        { name = "parameter_fingerprint", type = "string" },
        { name = "effective_parameters_json", type = "string" },
        { name = "config_index", type = "bigint" },
        { name = "replicate", type = "bigint" },
      ]
      partitions = ["run_date", "run_id_partition", "status_partition", "shard_id_partition"]
      projection = {
        "projection.enabled"                  = "true"
        "projection.run_date.type"            = "date"
        "projection.run_date.format"          = "yyyy-MM-dd"
        "projection.run_date.range"           = "2020-01-01,NOW"
        "projection.run_date.interval"        = "1"
        "projection.run_date.interval.unit"   = "DAYS"
        "projection.run_id_partition.type"    = "injected"
        "projection.status_partition.type"    = "enum"
        "projection.status_partition.values"  = "success"
        "projection.shard_id_partition.type"  = "integer"
        "projection.shard_id_partition.range" = "0,199999"
      }
    }
    sweep_shard_metrics_per_shard_raw = {
      dataset = "shard_metrics_per_shard"
      columns = [
        { name = "total_riders", type = "bigint" },
        { name = "completed_riders", type = "bigint" },
        { name = "abandoned_quote_riders", type = "bigint" },
        { name = "cancelled_riders", type = "bigint" },
        { name = "conversion_rate", type = "double" },
        { name = "platform_revenue", type = "double" },
        { name = "driver_payouts", type = "double" },
        { name = "total_fares_collected", type = "double" },
        { name = "avg_time_to_match_ms", type = "double" },
        { name = "median_time_to_match_ms", type = "double" },
        { name = "p90_time_to_match_ms", type = "double" },
        { name = "avg_time_to_pickup_ms", type = "double" },
        { name = "median_time_to_pickup_ms", type = "double" },
        { name = "p90_time_to_pickup_ms", type = "double" },
        { name = "completed_trips", type = "bigint" },
        { name = "riders_abandoned_price", type = "bigint" },
        { name = "riders_abandoned_eta", type = "bigint" },
        { name = "riders_abandoned_stochastic", type = "bigint" },
        { name = "total_drivers", type = "bigint" },
        { name = "riders_spawned", type = "bigint" },
        { name = "riders_unresolved", type = "bigint" },
        { name = "trips_cancelled", type = "bigint" },
        { name = "events_processed", type = "bigint" },
        { name = "final_sim_time_ms", type = "bigint" },
        { name = "truncated", type = "boolean" },
        { name = "riders_abandoned_no_driver", type = "bigint" },
        { name = "match_rate", type = "double" },
        { name = "share_matched_within_60s", type = "double" },
        { name = "share_matched_within_180s", type = "double" },
        { name = "config_index", type = "bigint" },
        { name = "replicate", type = "bigint" },
        { name = "point_index", type = "bigint" },
      ]
      partitions = ["run_date", "run_id", "status", "shard_id"]
      projection = {
        "projection.enabled"                = "true"
        "projection.run_date.type"          = "date"
        "projection.run_date.format"        = "yyyy-MM-dd"
        "projection.run_date.range"         = "2020-01-01,NOW"
        "projection.run_date.interval"      = "1"
        "projection.run_date.interval.unit" = "DAYS"
        "projection.run_id.type"            = "injected"
        "projection.status.type"            = "enum"
        "projection.status.values"          = "success"
        "projection.shard_id.type"          = "integer"
        "projection.shard_id.range"         = "0,199999"
      }
    }
    sweep_trip_data_per_shard_raw = {
      dataset = "trip_data_per_shard"
      columns = [
        { name = "trip_entity", type = "bigint" },
        { name = "rider_entity", type = "bigint" },
        { name = "driver_entity", type = "bigint" },
        { name = "state", type = "tinyint" },
        { name = "pickup_cell", type = "bigint" },
        { name = "dropoff_cell", type = "bigint" },
        { name = "pickup_distance_km_at_accept", type = "double" },
        { name = "requested_at", type = "bigint" },
        { name = "matched_at", type = "bigint" },
        { name = "pickup_at", type = "bigint" },
        { name = "dropoff_at", type = "bigint" },
        { name = "cancelled_at", type = "bigint" },
        { name = "point_index", type = "bigint" },
      ]
      partitions = ["run_date", "run_id", "status", "shard_id"]
      projection = {
        "projection.enabled"                = "true"
        "projection.run_date.type"          = "date"
        "projection.run_date.format"        = "yyyy-MM-dd"
        "projection.run_date.range"         = "2020-01-01,NOW"
        "projection.run_date.interval"      = "1"
        "projection.run_date.interval.unit" = "DAYS"
        "projection.run_id.type"            = "injected"
        "projection.status.type"            = "enum"
        "projection.status.values"          = "success"
        "projection.shard_id.type"          = "integer"
        "projection.shard_id.range"         = "0,199999"
      }
    }
    sweep_snapshot_counts_per_shard_raw = {
      dataset = "snapshot_counts_per_shard"
      columns = [
        { name = "timestamp_ms", type = "bigint" },
        { name = "riders_browsing", type = "bigint" },
        { name = "riders_waiting", type = "bigint" },
        { name = "riders_in_transit", type = "bigint" },
        { name = "riders_completed", type = "bigint" },
        { name = "riders_cancelled", type = "bigint" },
        { name = "drivers_idle", type = "bigint" },
        { name = "drivers_evaluating", type = "bigint" },
        { name = "drivers_en_route", type = "bigint" },
        { name = "drivers_on_trip", type = "bigint" },
        { name = "drivers_off_duty", type = "bigint" },
        { name = "trips_en_route", type = "bigint" },
        { name = "trips_on_trip", type = "bigint" },
        { name = "trips_completed", type = "bigint" },
        { name = "trips_cancelled", type = "bigint" },
        { name = "point_index", type = "bigint" },
      ]
      partitions = ["run_date", "run_id", "status", "shard_id"]
      projection = {
        "projection.enabled"                = "true"
        "projection.run_date.type"          = "date"
        "projection.run_date.format"        = "yyyy-MM-dd"
        "projection.run_date.range"         = "2020-01-01,NOW"
        "projection.run_date.interval"      = "1"
        "projection.run_date.interval.unit" = "DAYS"
        "projection.run_id.type"            = "injected"
        "projection.status.type"            = "enum"
        "projection.status.values"          = "success"
        "projection.shard_id.type"          = "integer"
        "projection.shard_id.range"         = "0,199999"
      }
    }
  }
}

####################################################################################################
# Database and tables
####################################################################################################

resource "aws_glue_catalog_database" "this" {
  count = var.create_glue_catalog ? 1 : 0

  name        = var.athena_database
  description = "Ride-hailing sweep results (infra/aws_serverless_sweep/athena)."
}

resource "aws_glue_catalog_table" "this" {
  for_each = var.create_glue_catalog ? local.glue_tables : {}

  database_name = aws_glue_catalog_database.this[0].name
  name          = each.key
  table_type    = "EXTERNAL_TABLE"

  parameters = merge({
    EXTERNAL       = "TRUE"
    classification = "parquet"
  }, each.value.projection)

  dynamic "partition_keys" {
    for_each = each.value.partitions
    content {
      name = partition_keys.value
      type = "string"
    }
  }

  storage_descriptor {
    location      = "s3://${aws_s3_bucket.this.bucket}/${local.results_key_prefix}dataset=${each.value.dataset}/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
    }

    dynamic "columns" {
      for_each = each.value.columns
      content {
        name = columns.value.name
        type = columns.value.type
      }
    }
  }
}
