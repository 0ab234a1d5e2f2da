"""SPEC §4.7: the same raw data and vars give the same warehouse, row for row — built twice, and built under
another machine time zone (TZ=Asia/Kolkata). Nothing may read the wall clock or the machine's zone; the one
exception is the incremental models' technical `_batch_at` stamp, which no result is computed from."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from scripts.bench import compare
from tests.conftest import dbt_env, generate, run_dbt


def _build(raw: Path, root: Path, name: str, **env_extra: str) -> Path:
    warehouse = root / name / "cx.duckdb"
    warehouse.parent.mkdir(parents=True)
    env = dbt_env(raw, warehouse, root / name / "target", **env_extra)
    run_dbt(["seed", "--quiet"], env)
    run_dbt(["run", "--quiet"], env)
    return warehouse


def _compared_tables(warehouse: Path) -> dict[str, list[str]]:
    conn = duckdb.connect()
    try:
        conn.execute(f"attach '{warehouse}' as built (read_only)")
        return compare.tables(conn, "built")
    finally:
        conn.close()


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("determinism") / "raw"
    generate(raw, "--seed", "11", "--customers", "500", "--days", "90", "--overwrite")
    return raw


def test_two_builds_are_identical_even_in_another_time_zone(raw_dir, tmp_path):
    first = _build(raw_dir, tmp_path, "utc", TZ="UTC")
    second = _build(raw_dir, tmp_path, "kolkata", TZ="Asia/Kolkata")
    assert len(_compared_tables(first)) > 20  # the comparison below covers the whole warehouse
    # every table and view, as multisets of rows (EXCEPT ALL both ways), _batch_at aside: the incremental
    # models' bookkeeping stamp, the one column that records *when* a build ran; no result is computed from it
    # (_source_file holds absolute paths, which differ only when the raw dirs do; both builds share one)
    assert compare.compare_warehouses(first, second, method="exact") == {}
