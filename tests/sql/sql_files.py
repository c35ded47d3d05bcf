"""Reference implementation, in Python, of what the C++ query engines do with the SQL files.

It follows infra/aws_serverless_sweep/athena/README.md to the letter, so the tests exercise the files exactly as
`ridesweep query` / `ridesweep ingest --engine local` will: placeholder validation and textual substitution
(spec/sweep.md §11.2), statement splitting, and the local DuckDB view setup with its empty-dataset fallback (§11.3).
"""

from __future__ import annotations

import pathlib
import re

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
ATHENA_DIR = REPO_ROOT / "infra" / "aws_serverless_sweep" / "athena"
LOCAL_DIR = ATHENA_DIR / "local"

PLACEHOLDER_RE = re.compile(r"\$\{([^}]*)\}")
KNOWN_PLACEHOLDERS = ("database", "results_location", "run_id", "expected_shards")
DATABASE_RE = re.compile(r"[a-z0-9_]{1,255}")
RUN_ID_RE = re.compile(r"[A-Za-z0-9._-]{1,128}")
VIEW_NAME_RE = re.compile(r"CREATE OR REPLACE VIEW \$\{database\}\.(\w+) AS")
DATASET_GLOB_RE = re.compile(r"read_parquet\(\s*'\$\{results_location\}/dataset=(\w+)/")


class PlaceholderError(ValueError):
    pass


def validate_value(name: str, value: str) -> None:
    """The value rules of §11.2, plus a non-empty results_location without a trailing '/'."""
    if name == "database" and not DATABASE_RE.fullmatch(value):
        raise PlaceholderError(f"Invalid value for ${{database}}: {value}")
    if name == "run_id" and not RUN_ID_RE.fullmatch(value):
        raise PlaceholderError(f"Invalid value for ${{run_id}}: {value}")
    if name == "expected_shards" and not (value.isdigit() and int(value) >= 1):
        raise PlaceholderError(f"Invalid value for ${{expected_shards}}: {value}")
    if name == "results_location" and (value.endswith("/") or not value):
        raise PlaceholderError(f"Invalid value for ${{results_location}}: {value}")


def substitute(text: str, values: dict[str, str], file_name: str) -> str:
    """Replaces every ${name} token; unknown or value-less tokens raise the §11.2 messages."""
    for name in PLACEHOLDER_RE.findall(text):
        if name not in KNOWN_PLACEHOLDERS:
            raise PlaceholderError(f"Unknown placeholder ${{{name}}} in {file_name}")
        if name not in values:
            raise PlaceholderError(f"Missing value for ${{{name}}} in {file_name}")
    for name, value in values.items():
        validate_value(name, value)
    if "results_location" in values:
        values = dict(values, results_location=values["results_location"].replace("'", "''"))
    return PLACEHOLDER_RE.sub(lambda m: values[m.group(1)], text)


def split_statements(text: str) -> list[str]:
    """Splits a file into statements: a statement ends on a line whose last non-blank character is ';'.

    Lines that hold only a `--` comment outside a statement are dropped; the files keep ';' out of comments.
    """
    statements, current = [], []
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("--")):
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            statements.append("\n".join(current))
            current = []
    if any(line.strip() and not line.lstrip().startswith("--") for line in current):
        raise ValueError("trailing text after the last statement")
    return statements


def dataset_has_files(results_location: pathlib.Path, dataset: str) -> bool:
    return any((results_location / f"dataset={dataset}").rglob("*.parquet"))


def create_local_views(con, results_location: pathlib.Path, database: str = "ride_sim_analytics") -> list[str]:
    """Runs local/views.sql, swapping in the empty_views.sql statement for each dataset without files.

    Statements are split and identified on the templates (view name from `VIEW ${database}.<name> AS`, dataset
    from `read_parquet('${results_location}/dataset=<d>/`), then substituted one by one.
    Returns the names of the views that were created empty.
    """
    values = {"database": database, "results_location": str(results_location)}
    empty_by_view = {}
    for template in split_statements((LOCAL_DIR / "empty_views.sql").read_text()):
        empty_by_view[VIEW_NAME_RE.search(template).group(1)] = template
    empty_views = []
    for template in split_statements((LOCAL_DIR / "views.sql").read_text()):
        dataset = DATASET_GLOB_RE.search(template)
        if dataset and not dataset_has_files(results_location, dataset.group(1)):
            view = VIEW_NAME_RE.search(template).group(1)
            con.execute(substitute(empty_by_view[view], {"database": database}, "empty_views.sql"))
            empty_views.append(view)
        else:
            con.execute(substitute(template, values, "views.sql"))
    return empty_views


def query_file_text(name: str, values: dict[str, str]) -> str:
    """The substituted text of a query file, without its trailing ';' (so callers may wrap it)."""
    text = substitute((ATHENA_DIR / name).read_text(), values, name)
    (statement,) = split_statements(text)
    return statement.rstrip().rstrip(";")


def run_query(con, name: str, values: dict[str, str]) -> list[dict]:
    """Runs one query file and returns its rows as dicts in result order."""
    cursor = con.execute(query_file_text(name, values))
    columns = [d[0] for d in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def result_columns(con, name: str, values: dict[str, str]) -> list[str]:
    cursor = con.execute(query_file_text(name, values))
    cursor.fetchall()
    return [d[0] for d in cursor.description]
