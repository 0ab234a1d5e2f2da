"""The floors: what no build can beat on this machine.

Read floor (``run``): every raw Parquet file read once, all columns, with the sources' read_parquet
options: per raw table ``create temp table t as select * from read_parquet(...)`` (then drop it), in one
DuckDB session with the profile's settings. Nothing the build does can be faster than reading its input once.

Write floor (``run_write``): every table of the built warehouse copied once into a new DuckDB file
(``create table ... as select * from`` the attached warehouse, checkpointed per table), same settings. A
build that persists these tables cannot be faster than writing them once; reading compressed DuckDB tables
back costs little beside compressing and writing them.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from scripts.bench.data import remove_database

OPTIONS = "union_by_name = true, filename = true, file_row_number = true, hive_partitioning = true"


def _session(spill_dir: Path, memory_limit: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB session with the profile's settings, spilling to `spill_dir`."""
    spill_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"set memory_limit = '{memory_limit}'")
    con.execute("set preserve_insertion_order = false")
    con.execute(f"set temp_directory = '{spill_dir}'")
    return con


def run(raw: Path, tables: list[str], spill_dir: Path, *, memory_limit: str) -> dict:
    con = _session(spill_dir, memory_limit)
    per_table: dict[str, float] = {}
    try:
        started, cpu_started = time.perf_counter(), time.process_time()
        for table in tables:
            t0 = time.perf_counter()
            con.execute(
                f"create or replace temp table bench_floor as "
                f"select * from read_parquet('{raw}/{table}/**/*.parquet', {OPTIONS})"
            )
            con.execute("drop table bench_floor")
            per_table[table] = round(time.perf_counter() - t0, 3)
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    finally:
        con.close()
    return {"wall_s": round(total, 2), "cpu_s": round(cpu, 1), "table_s": per_table}


def run_write(warehouse: Path, out: Path, spill_dir: Path, *, memory_limit: str, top: int = 10) -> dict:
    """Copy every table of `warehouse` into a new file `out` (removed afterwards); per-table, total times."""
    remove_database(out)
    con = _session(spill_dir, memory_limit)
    per_table: dict[str, float] = {}
    rows = 0
    try:
        con.execute(f"attach '{warehouse}' as built (read_only)")
        con.execute(f"attach '{out}' as copy")
        tables = con.execute(
            "select schema_name, table_name, estimated_size from duckdb_tables() "
            "where database_name = 'built' order by estimated_size desc"
        ).fetchall()
        started, cpu_started = time.perf_counter(), time.process_time()
        for schema, table, size in tables:
            t0 = time.perf_counter()
            con.execute(f'create table copy."{schema}__{table}" as select * from built."{schema}"."{table}"')
            con.execute("checkpoint copy")
            per_table[f"{schema}.{table}"] = round(time.perf_counter() - t0, 3)
            rows += size or 0
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    finally:
        con.close()
        remove_database(out)
    slowest = dict(sorted(per_table.items(), key=lambda kv: -kv[1])[:top])
    return {
        "wall_s": round(total, 2),
        "cpu_s": round(cpu, 1),
        "tables": len(per_table),
        "rows": rows,
        "top_table_s": slowest,
    }
