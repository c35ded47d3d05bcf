"""The Athena table schemas of spec/sweep.md §10-§11, written out by hand from the spec.

Single source of truth for the offline tests: the DDL files, the DuckDB view templates, the optional Glue tables
in Terraform and the fixture Parquet files are all compared against these lists. Column order is part of the
contract (§10: "column order exactly as listed"). Types are Athena type names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableSchema:
    table: str
    dataset: str
    ddl_file: str
    repair_file: str
    columns: tuple[tuple[str, str], ...]
    partitions: tuple[str, ...]


_SHARD_OUTCOMES = (
    ("run_id", "string"),
    ("shard_id", "bigint"),
    ("start_index", "bigint"),
    ("end_index_exclusive", "bigint"),
    ("status", "string"),
    ("event_time", "string"),
    ("record_schema", "string"),
    ("result_key", "string"),
    ("points_processed", "bigint"),
    ("format", "string"),
    ("error_code", "string"),
    ("error_message", "string"),
    ("attempt", "bigint"),
    ("completed_time", "string"),
)

_RUN_CONTEXT = (
    ("run_id", "string"),
    ("status", "string"),
    ("request_source", "string"),
    ("record_schema", "string"),
    ("request_fingerprint", "string"),
    ("config_fingerprint", "string"),
    ("total_points", "bigint"),
    ("shard_count", "bigint"),
    ("shard_strategy", "string"),
    ("max_shards", "bigint"),
    ("max_shards_ceiling", "bigint"),
    ("build_version", "string"),
    ("build_git_revision", "string"),
)

_EFFECTIVE_PARAMETERS = (
    ("run_id", "string"),
    ("shard_id", "bigint"),
    ("point_index", "bigint"),
    ("status", "string"),
    ("record_schema", "string"),
    ("parameter_fingerprint", "string"),
    ("effective_parameters_json", "string"),
    ("config_index", "bigint"),
    ("replicate", "bigint"),
)

_SHARD_METRICS = (
    ("total_riders", "bigint"),
    ("completed_riders", "bigint"),
    ("abandoned_quote_riders", "bigint"),
    ("cancelled_riders", "bigint"),
    ("conversion_rate", "double"),
    ("platform_revenue", "double"),
    ("driver_payouts", "double"),
    ("total_fares_collected", "double"),
    ("avg_time_to_match_ms", "double"),
    ("median_time_to_match_ms", "double"),
    ("p90_time_to_match_ms", "double"),
    ("avg_time_to_pickup_ms", "double"),
    ("median_time_to_pickup_ms", "double"),
    ("p90_time_to_pickup_ms", "double"),
    ("completed_trips", "bigint"),
    ("riders_abandoned_price", "bigint"),
    ("riders_abandoned_eta", "bigint"),
    ("riders_abandoned_stochastic", "bigint"),
    ("total_drivers", "bigint"),
    ("riders_spawned", "bigint"),
    ("riders_unresolved", "bigint"),
    ("trips_cancelled", "bigint"),
    ("events_processed", "bigint"),
    ("final_sim_time_ms", "bigint"),
    ("truncated", "boolean"),
    ("riders_abandoned_no_driver", "bigint"),
    ("match_rate", "double"),
    ("share_matched_within_60s", "double"),
    ("share_matched_within_180s", "double"),
    # Appended after the metric columns (a point's configuration and replicate).
    ("config_index", "bigint"),
    ("replicate", "bigint"),
)

_TRIP_DATA = (
    ("trip_entity", "bigint"),
    ("rider_entity", "bigint"),
    ("driver_entity", "bigint"),
    ("state", "tinyint"),
    ("pickup_cell", "bigint"),
    ("dropoff_cell", "bigint"),
    ("pickup_distance_km_at_accept", "double"),
    ("requested_at", "bigint"),
    ("matched_at", "bigint"),
    ("pickup_at", "bigint"),
    ("dropoff_at", "bigint"),
    ("cancelled_at", "bigint"),
)

_SNAPSHOT_COUNTS = tuple(
    (name, "bigint")
    for name in (
        "timestamp_ms",
        "riders_browsing",
        "riders_waiting",
        "riders_in_transit",
        "riders_completed",
        "riders_cancelled",
        "drivers_idle",
        "drivers_evaluating",
        "drivers_en_route",
        "drivers_on_trip",
        "drivers_off_duty",
        "trips_en_route",
        "trips_on_trip",
        "trips_completed",
        "trips_cancelled",
    )
)

_POINT_PARTITIONS = ("run_date", "run_id", "status", "shard_id", "point_index")

# In the order of the §11 table, which is also the order of the create and repair entries in the plans.
TABLES: tuple[TableSchema, ...] = (
    TableSchema("sweep_shard_outcomes", "shard_outcomes", "create_table.sql", "repair_table.sql", _SHARD_OUTCOMES,
                ("run_date", "run_id_partition", "status_partition", "shard_id_partition")),
    TableSchema("sweep_run_context", "run_context", "create_table_run_context.sql", "repair_table_run_context.sql",
                _RUN_CONTEXT, ("run_date", "run_id_partition", "status_partition")),
    TableSchema("sweep_effective_parameters", "effective_parameters", "create_table_effective_parameters.sql",
                "repair_table_effective_parameters.sql", _EFFECTIVE_PARAMETERS,
                ("run_date", "run_id_partition", "status_partition", "shard_id_partition", "point_index_partition")),
    TableSchema("sweep_shard_metrics", "shard_metrics", "create_table_shard_metrics.sql",
                "repair_table_shard_metrics.sql", _SHARD_METRICS, _POINT_PARTITIONS),
    TableSchema("sweep_trip_data", "trip_data", "create_table_trip_data.sql", "repair_table_trip_data.sql",
                _TRIP_DATA, _POINT_PARTITIONS),
    TableSchema("sweep_snapshot_counts", "snapshot_counts", "create_table_snapshot_counts.sql",
                "repair_table_snapshot_counts.sql", _SNAPSHOT_COUNTS, _POINT_PARTITIONS),
)

# The per_shard layout's four raw tables (create_table_<d>_per_shard.sql), over dataset=<d>_per_shard: the
# per-point dataset's columns with the file's point_index BIGINT (effective_parameters already has it), partitions
# down to the shard, projected like the per-point tables. In plan order (effective_parameters first, like TABLES).
def _per_shard(table: TableSchema) -> TableSchema:
    columns = table.columns
    if ("point_index", "bigint") not in columns:
        columns += (("point_index", "bigint"),)
    return TableSchema(f"{table.table}_per_shard_raw", f"{table.dataset}_per_shard",
                       table.ddl_file.replace(".sql", "_per_shard.sql"),
                       table.repair_file.replace(".sql", "_per_shard.sql"), columns, table.partitions[:-1])


POINT_TABLES: tuple[TableSchema, ...] = TABLES[2:]
PER_SHARD_TABLES: tuple[TableSchema, ...] = tuple(_per_shard(t) for t in POINT_TABLES)


@dataclass(frozen=True)
class PerShardView:
    view: str            # sweep_<d>_per_shard
    view_file: str       # create_view_<d>_per_shard.sql
    raw: TableSchema     # the raw table it reads
    exposes: TableSchema  # the per-point table whose columns and types it has


PER_SHARD_VIEWS: tuple[PerShardView, ...] = tuple(
    PerShardView(f"{t.table}_per_shard", f"create_view_{t.dataset}_per_shard.sql", raw, t)
    for t, raw in zip(POINT_TABLES, PER_SHARD_TABLES))

BY_TABLE = {t.table: t for t in TABLES}
BY_DATASET = {t.dataset: t for t in TABLES}

# Athena type name -> DuckDB type name (the local views must expose the same logical types).
DUCKDB_TYPES = {"string": "VARCHAR", "bigint": "BIGINT", "tinyint": "TINYINT", "double": "DOUBLE",
                "boolean": "BOOLEAN"}

# Partition projection (Athena finds a run's partitions from the table properties, no partition DDL per run):
# run_date a day range, the run id injected from the queries' `= '${run_id}'` predicate, the status an enum of
# the values the dataset's keys use, shard and point indexes integer ranges up to the contract's 200,000 points.
STATUS_VALUES = {"shard_outcomes": "success,failure", "run_context": "accepted"}  # others: "success"
MAX_INDEX = 199999


def projection_properties(table: TableSchema) -> dict[str, str]:
    """The TBLPROPERTIES of the table's DDL (and of the optional Glue table), in DDL order."""
    props = {"projection.enabled": "true"}
    for column in table.partitions:
        base = column.removesuffix("_partition")
        if base == "run_date":
            props |= {f"projection.{column}.type": "date", f"projection.{column}.format": "yyyy-MM-dd",
                      f"projection.{column}.range": "2020-01-01,NOW", f"projection.{column}.interval": "1",
                      f"projection.{column}.interval.unit": "DAYS"}
        elif base == "run_id":
            props[f"projection.{column}.type"] = "injected"
        elif base == "status":
            props |= {f"projection.{column}.type": "enum",
                      f"projection.{column}.values": STATUS_VALUES.get(table.dataset, "success")}
        else:
            props |= {f"projection.{column}.type": "integer", f"projection.{column}.range": f"0,{MAX_INDEX}"}
    return props
