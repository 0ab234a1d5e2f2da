"""The floor: read every raw Parquet file once, all columns, with the sources' read_parquet options.

Per raw table ``create temp table t as select * from read_parquet(...)`` (then drop it), in one DuckDB
session with the profile's settings. Nothing the build does can be faster than reading its input once.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

OPTIONS = "union_by_name = true, filename = true, file_row_number = true, hive_partitioning = true"


def run(raw: Path, tables: list[str], spill_dir: Path, *, memory_limit: str) -> dict:
    spill_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    per_table: dict[str, float] = {}
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"set memory_limit = '{memory_limit}'")
        con.execute("set preserve_insertion_order = false")
        con.execute(f"set temp_directory = '{spill_dir}'")
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
