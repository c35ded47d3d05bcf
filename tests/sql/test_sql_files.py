"""Static checks of the Athena SQL files and plans (spec/sweep.md §10, §11.1, §11.2 and the portability rules).

The DDL column lists are parsed out of the files and compared with the §10 schemas in dataset_schemas.py; the
query files are scanned for constructs that would not run unchanged on both Athena engine v3 and DuckDB.
"""

from __future__ import annotations

import re

import pytest

import sql_files
from dataset_schemas import MAX_INDEX, PER_SHARD_TABLES, PER_SHARD_VIEWS, TABLES, projection_properties

# Every external table: the six of the contract and the four raw tables of the per_shard layout.
EXTERNAL_TABLES = TABLES + PER_SHARD_TABLES

ATHENA = sql_files.ATHENA_DIR
DDL_RE = re.compile(
    r"\ACREATE EXTERNAL TABLE IF NOT EXISTS \$\{database\}\.(?P<table>\w+) \(\n(?P<columns>.*?)\n\)\n"
    r"PARTITIONED BY \(\n(?P<partitions>.*?)\n\)\n"
    r"STORED AS PARQUET\n"
    r"LOCATION '(?P<location>[^']*)'\n"
    r"TBLPROPERTIES \(\n(?P<properties>.*?)\n\);\n\Z",
    re.DOTALL)
COLUMN_RE = re.compile(r"\s*(\w+) (\w+)")
PROPERTY_RE = re.compile(r"  '([\w.]+)'='([^']*)'")

ALL_SQL = sorted(p.relative_to(ATHENA).as_posix() for p in ATHENA.rglob("*.sql"))
QUERY_FILES = sorted(p.name for p in ATHENA.glob("query_*.sql"))
ALLOWED_FUNCTIONS = {"count", "sum", "min", "max", "coalesce", "nullif", "greatest", "cast", "date_diff",
                     "from_iso8601_timestamp", "avg", "stddev_samp", "sqrt"}
# Keywords that may directly precede "(" without being a function call.
ALLOWED_KEYWORDS = {"as", "values", "in", "from", "join", "on", "and", "or", "not", "exists"}


def _parse_columns(block: str) -> list[tuple[str, str]]:
    lines = block.split(",\n")
    parsed = [COLUMN_RE.fullmatch(line) for line in lines]
    assert all(parsed), block
    return [(m.group(1), m.group(2)) for m in parsed]


def _strip_comments_and_strings(text: str) -> str:
    text = re.sub(r"--[^\n]*", "", text)
    return re.sub(r"'(?:[^']|'')*'", "''", text)


@pytest.mark.parametrize("table", EXTERNAL_TABLES, ids=lambda t: t.table)
def test_ddl_columns_equal_the_spec_schema(table):
    text = (ATHENA / table.ddl_file).read_text()
    match = DDL_RE.match(text)
    assert match, f"{table.ddl_file} does not have the expected DDL shape"
    assert match.group("table") == table.table
    assert _parse_columns(match.group("columns")) == list(table.columns)
    assert _parse_columns(match.group("partitions")) == [(p, "string") for p in table.partitions]
    assert match.group("location") == f"${{results_location}}/dataset={table.dataset}/"


def _parse_properties(block: str) -> dict[str, str]:
    lines = block.split(",\n")
    parsed = [PROPERTY_RE.fullmatch(line) for line in lines]
    assert all(parsed), block
    return {m.group(1): m.group(2) for m in parsed}


@pytest.mark.parametrize("table", EXTERNAL_TABLES, ids=lambda t: t.table)
def test_ddl_projects_every_partition_column(table):
    match = DDL_RE.match((ATHENA / table.ddl_file).read_text())
    assert match, table.ddl_file
    properties = _parse_properties(match.group("properties"))
    assert properties == projection_properties(table)
    # Each partition column has a projection type; the run id is injected (queries must name the run); no
    # storage.location.template, so Athena uses the Hive-style `column=value/` paths the keys already have.
    types = {c: properties.get(f"projection.{c}.type") for c in table.partitions}
    assert None not in types.values(), types
    assert types[table.partitions[1]] == "injected"
    assert "storage.location.template" not in properties
    for column, kind in types.items():
        if kind == "integer":
            assert properties[f"projection.{column}.range"] == f"0,{MAX_INDEX}"  # every index of a 200,000-point run


RUN_ID_PREDICATE_RE = re.compile(r"\b(run_id|run_id_partition) = '\$\{run_id\}'")


@pytest.mark.parametrize("name", QUERY_FILES)
def test_each_table_read_names_the_run_for_the_injected_projection(name):
    # Athena rejects a query on a table with an injected projection unless its WHERE clause fixes the column
    # with a static equality: every `FROM <table>` must be followed by `WHERE <its run id column> = '${run_id}'`.
    code = (ATHENA / name).read_text()
    run_column = {t.table: t.partitions[1] for t in TABLES}
    reads = list(re.finditer(r"FROM \$\{database\}\.(\w+)\s+WHERE ([^\n]*)", code))
    assert len(reads) == code.count("FROM ${database}."), f"{name}: a table read without WHERE"
    for read in reads:
        predicate = RUN_ID_PREDICATE_RE.match(read.group(2))
        assert predicate and predicate.group(1) == run_column[read.group(1)], (name, read.group(0))


@pytest.mark.parametrize("table", EXTERNAL_TABLES, ids=lambda t: t.table)
def test_repair_file_repairs_its_table(table):
    assert (ATHENA / table.repair_file).read_text() == f"MSCK REPAIR TABLE ${{database}}.{table.table};\n"


def test_create_database_file():
    assert (ATHENA / "create_database.sql").read_text() == "CREATE DATABASE IF NOT EXISTS ${database};\n"


def _plan_entries(name: str) -> list[str]:
    entries = []
    for line in (ATHENA / name).read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            entries.append(line)
    return entries


def test_plans_list_the_files_in_spec_order():
    creates = [t.ddl_file for t in EXTERNAL_TABLES] + [v.view_file for v in PER_SHARD_VIEWS]
    repairs = [t.repair_file for t in EXTERNAL_TABLES]
    assert _plan_entries("athena_bootstrap.plan") == ["create_database.sql"] + creates + repairs
    assert _plan_entries("athena_partitions.plan") == repairs
    assert _plan_entries("athena_tables.plan") == ["create_database.sql"] + creates
    for plan in ("athena_bootstrap.plan", "athena_partitions.plan", "athena_tables.plan"):
        for entry in _plan_entries(plan):
            assert entry.endswith(".sql") and (ATHENA / entry).is_file(), entry


VIEW_RE = re.compile(
    r"\ACREATE OR REPLACE VIEW \$\{database\}\.(?P<view>\w+) AS\nSELECT\n(?P<select>.*?)\n"
    r"FROM \$\{database\}\.(?P<raw>\w+);\n\Z", re.DOTALL)


@pytest.mark.parametrize("view", PER_SHARD_VIEWS, ids=lambda v: v.view)
def test_per_shard_view_exposes_the_per_point_tables_columns(view):
    # The view reads its raw table and names, in order, every column of the per-point table: data columns as they
    # are, the partitions the raw table has as they are, and the point partition cast from the file's point_index
    # (an Athena string partition, as on the per-point table). Types: the raw DDL's, so the same as the per-point
    # table's (test_ddl_columns_equal_the_spec_schema).
    match = VIEW_RE.match((ATHENA / view.view_file).read_text())
    assert match, view.view_file
    assert (match.group("view"), match.group("raw")) == (view.view, view.raw.table)
    point_partition = view.exposes.partitions[-1]
    expected = [name for name, _ in view.exposes.columns] + list(view.exposes.partitions[:-1]) + [
        f"CAST(point_index AS varchar) AS {point_partition}"]
    assert [line.strip().rstrip(",") for line in match.group("select").split("\n")] == expected
    raw_columns = {name: kind for name, kind in view.raw.columns}
    for name, kind in view.exposes.columns:
        assert raw_columns[name] == kind, name
    assert raw_columns["point_index"] == "bigint"
    assert set(view.raw.partitions) == set(view.exposes.partitions[:-1])


def test_the_spec_file_set_is_present():
    expected = ({"create_database.sql"} | {t.ddl_file for t in EXTERNAL_TABLES} |
                {t.repair_file for t in EXTERNAL_TABLES} | {v.view_file for v in PER_SHARD_VIEWS} | {
        "query_run_level_profile.sql", "query_failure_diagnostics.sql", "query_shard_coverage.sql",
        "query_missing_shards.sql", "query_trip_snapshot_join.sql", "query_outcome_configuration_smoke.sql",
        "query_run_readiness.sql", "query_configuration_summary.sql", "local/views.sql", "local/empty_views.sql"})
    assert set(ALL_SQL) == expected


@pytest.mark.parametrize("name", [n for n in ALL_SQL if not n.startswith("local/")])
def test_each_athena_file_holds_exactly_one_statement(name):
    text = (ATHENA / name).read_text()
    code = _strip_comments_and_strings(text)
    assert code.count(";") == 1 and code.rstrip().endswith(";"), name
    assert len(sql_files.split_statements(text)) == 1


@pytest.mark.parametrize("name", ALL_SQL)
def test_placeholders_are_known_and_run_id_is_quoted(name):
    text = (ATHENA / name).read_text()
    names = set(sql_files.PLACEHOLDER_RE.findall(text))
    assert names <= set(sql_files.KNOWN_PLACEHOLDERS), names
    assert text.count("${run_id}") == text.count("'${run_id}'")
    for line in text.splitlines():  # a token in a comment would still be substituted and validated
        if line.lstrip().startswith("--"):
            assert "${" not in line and ";" not in line, line


@pytest.mark.parametrize("name", [t.ddl_file for t in EXTERNAL_TABLES] + [t.repair_file for t in EXTERNAL_TABLES]
                         + [v.view_file for v in PER_SHARD_VIEWS] + ["create_database.sql"])
def test_ddl_files_carry_no_comments(name):
    # Athena's DDL (Hive) parser is not guaranteed to accept leading comments; the README documents each file.
    assert "--" not in (ATHENA / name).read_text()


def test_query_placeholders_match_their_parameters():
    for name in QUERY_FILES:
        names = set(sql_files.PLACEHOLDER_RE.findall((ATHENA / name).read_text()))
        wanted = {"database", "run_id"}
        if name in ("query_shard_coverage.sql", "query_missing_shards.sql"):
            wanted.add("expected_shards")
        assert names == wanted, name


@pytest.mark.parametrize("name", QUERY_FILES)
def test_queries_use_only_portable_functions(name):
    code = _strip_comments_and_strings((ATHENA / name).read_text())
    for match in re.finditer(r"\b([A-Za-z_]\w*)\s*\(", code):
        word = match.group(1).lower()
        preceding = code[:match.start()].rstrip().split()[-1:] or [""]
        if word in ALLOWED_FUNCTIONS or word in ALLOWED_KEYWORDS or preceding[0].lower() == "as":
            continue  # function from the list, keyword, or a derived table's column list (AS t (d))
        pytest.fail(f"{name}: '{match.group(1)}(' is not in the portable function list")
    lowered = code.lower()
    for forbidden in ("sequence", "unnest", "->", "::", '"', "`", "try_cast", "qualify", " over "):
        assert forbidden not in lowered, f"{name} uses {forbidden!r}"


@pytest.mark.parametrize("name", QUERY_FILES)
def test_queries_cast_to_double_before_dividing(name):
    code = _strip_comments_and_strings((ATHENA / name).read_text())
    for line in code.splitlines():
        if "/" in line:
            assert re.search(r"AS DOUBLE\)\s*/", line), f"{name}: integer division risk in: {line.strip()}"


@pytest.mark.parametrize("name", QUERY_FILES)
def test_queries_reference_only_the_six_tables(name):
    code = (ATHENA / name).read_text()
    tables = set(re.findall(r"\$\{database\}\.(\w+)", code))
    assert tables and tables <= {t.table for t in TABLES}


def test_local_view_templates_cover_every_table_once():
    """Each of the six tables is one view; a per-point dataset's view is the union of one view per output layout
    (`<table>_per_point` over dataset=<d>, `<table>_per_shard` over dataset=<d>_per_shard), each with an empty
    twin in empty_views.sql."""
    views = sql_files.split_statements((sql_files.LOCAL_DIR / "views.sql").read_text())
    empty = sql_files.split_statements((sql_files.LOCAL_DIR / "empty_views.sql").read_text())
    view_names = [sql_files.VIEW_NAME_RE.search(s).group(1) for s in views if sql_files.VIEW_NAME_RE.search(s)]
    empty_names = [sql_files.VIEW_NAME_RE.search(s).group(1) for s in empty]
    expected_reading, expected_all = [], []
    for t in TABLES:
        if t.dataset in ("shard_outcomes", "run_context"):
            expected_reading.append((t.table, t.dataset))
            expected_all.append(t.table)
        else:
            expected_reading += [(f"{t.table}_per_point", t.dataset), (f"{t.table}_per_shard", f"{t.dataset}_per_shard")]
            expected_all += [f"{t.table}_per_point", f"{t.table}_per_shard", t.table]
    assert view_names == expected_all
    assert empty_names == [name for name, _ in expected_reading]
    reading = []
    for statement in views:
        dataset = sql_files.DATASET_GLOB_RE.search(statement)
        if dataset:
            assert "hive_partitioning = true" in statement and "hive_types_autocast = false" in statement
            reading.append((sql_files.VIEW_NAME_RE.search(statement).group(1), dataset.group(1)))
    assert reading == expected_reading
