"""Helpers for the nightly fault tests: generate small datasets, run scripts.nightly, compare warehouses."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb

PROJECT_DIR = Path(__file__).resolve().parents[2]

# Small enough for the whole fault suite to run in minutes, big enough that every raw table has rows.
SEED = 3
CUSTOMERS = 400
FIRST_DAYS = 30

# Technical columns that record *when* a row was (re)written, not what it says (cx_batch_at).
TECHNICAL_COLUMNS = {"_batch_at"}
COMPARED_SCHEMAS = ("staging", "intermediate", "core", "outcomes")


def generate(out: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "scripts.generate_data", "--out", str(out), "--quiet", *args],
        cwd=PROJECT_DIR,
        check=True,
    )


def generate_first_nights(out: Path, *extra: str) -> None:
    generate(
        out,
        "--seed",
        str(SEED),
        "--customers",
        str(CUSTOMERS),
        "--days",
        str(FIRST_DAYS),
        "--overwrite",
        *extra,
    )


def append_day(out: Path) -> None:
    generate(out, "--append-day")


def nightly_command(raw_dir: Path, warehouse: Path, *args: str, freshness: bool = False) -> list[str]:
    """The nightly on a test landing zone; dbt source freshness only when asked (its start-up costs ~8 s)."""
    return [
        sys.executable,
        "-m",
        "scripts.nightly",
        "--raw-dir",
        str(raw_dir),
        "--warehouse",
        str(warehouse),
        *([] if freshness else ["--skip-freshness"]),
        *args,
    ]


def nightly_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CX_WAREHOUSE", None)
    env.pop("CX_RAW_DIR", None)
    env["DBT_PROFILES_DIR"] = str(PROJECT_DIR)
    env.update(extra)
    return env


def run_nightly(
    raw_dir: Path,
    warehouse: Path,
    *args: str,
    env: dict[str, str] | None = None,
    freshness: bool = False,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        nightly_command(raw_dir, warehouse, *args, freshness=freshness),
        cwd=PROJECT_DIR,
        env=env or nightly_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )


def assert_published(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, (
        f"nightly failed ({result.returncode}):\n{result.stdout}\n{result.stderr[-3000:]}"
    )


def latest_record(warehouse: Path) -> dict[str, Any]:
    return json.loads((warehouse.parent / "runs" / "latest.json").read_text())


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tables(connection: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, list[str]]:
    """schema.table → compared columns (technical columns left out) of one attached warehouse."""
    rows = connection.execute(
        """
        select table_schema || '.' || table_name, column_name
        from information_schema.columns
        where table_catalog = ? and table_schema in ('staging', 'intermediate', 'core', 'outcomes')
        order by table_schema, table_name, ordinal_position
        """,
        [catalog],
    ).fetchall()
    result: dict[str, list[str]] = {}
    for relation, column in rows:
        if column not in TECHNICAL_COLUMNS:
            result.setdefault(relation, []).append(column)
    return result


def compare_warehouses(left: Path, right: Path) -> dict[str, str]:
    """Row-by-row comparison (as multisets) of every table of the compared schemas; {} when identical."""
    connection = duckdb.connect()
    differences: dict[str, str] = {}
    try:
        connection.execute(f"attach '{left}' as lhs (read_only)")
        connection.execute(f"attach '{right}' as rhs (read_only)")
        left_tables, right_tables = tables(connection, "lhs"), tables(connection, "rhs")
        for relation in sorted(set(left_tables) ^ set(right_tables)):
            differences[relation] = "only in " + ("left" if relation in left_tables else "right")
        for relation in sorted(set(left_tables) & set(right_tables)):
            columns = ", ".join(f'"{column}"' for column in left_tables[relation])
            left_rows = f"select {columns} from lhs.{relation}"
            right_rows = f"select {columns} from rhs.{relation}"
            only_left, only_right = connection.execute(
                f"select (select count(*) from ({left_rows} except all {right_rows})), "
                f"(select count(*) from ({right_rows} except all {left_rows}))"
            ).fetchone()
            if only_left or only_right:
                differences[relation] = f"{only_left} rows only left, {only_right} rows only right"
    finally:
        connection.close()
    return differences


def query(warehouse: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        return connection.execute(sql, params or []).fetchall()
    finally:
        connection.close()
