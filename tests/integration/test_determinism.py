"""SPEC §4.7: the same raw data and vars give the same warehouse, row for row — built twice, and built under
another machine time zone (TZ=Asia/Kolkata). Nothing may read the wall clock or the machine's zone; the one
exception is the incremental models' technical `_batch_at` stamp, which no result is computed from."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from tests.conftest import dbt_env, generate, run_dbt

SCHEMAS = ("staging", "intermediate", "core", "outcomes")


def _build(raw: Path, root: Path, name: str, **env_extra: str) -> Path:
    warehouse = root / name / "cx.duckdb"
    warehouse.parent.mkdir(parents=True)
    env = dbt_env(raw, warehouse, root / name / "target", **env_extra)
    run_dbt(["seed", "--quiet"], env)
    run_dbt(["run", "--quiet"], env)
    return warehouse


def _tables(conn: duckdb.DuckDBPyConnection, catalog: str) -> list[tuple[str, str]]:
    return conn.execute(
        f"""select table_schema, table_name from information_schema.tables
            where table_catalog = '{catalog}' and table_schema in {SCHEMAS!r}
            order by 1, 2"""
    ).fetchall()


def _differences(first: Path, second: Path) -> list[str]:
    conn = duckdb.connect()
    conn.execute(f"attach '{first}' as first_build (read_only)")
    conn.execute(f"attach '{second}' as second_build (read_only)")
    tables = _tables(conn, "first_build")
    assert tables == _tables(conn, "second_build")
    assert len(tables) > 20
    problems = []
    for schema, table in tables:
        # _batch_at is the incremental models' bookkeeping stamp (the dbt run that wrote the row): the one
        # column that records *when* a build ran; no result is computed from it. All others must be identical.
        columns = [
            name
            for (name,) in conn.execute(
                "select column_name from information_schema.columns "
                "where table_catalog = 'first_build' and table_schema = ? and table_name = ? "
                "order by ordinal_position",
                [schema, table],
            ).fetchall()
            if name != "_batch_at"
        ]
        select_list = ", ".join(f'"{name}"' for name in columns)
        for left, right in (("first_build", "second_build"), ("second_build", "first_build")):
            # _source_file holds absolute paths, which differ only when the raw dirs do; both builds share one
            extra = conn.execute(
                f"select count(*) from (select {select_list} from {left}.{schema}.{table} "
                f"except all select {select_list} from {right}.{schema}.{table})"
            ).fetchone()[0]
            if extra:
                problems.append(f"{schema}.{table}: {extra} rows only in {left}")
    conn.close()
    return problems


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("determinism") / "raw"
    generate(raw, "--seed", "11", "--customers", "500", "--days", "90", "--overwrite")
    return raw


def test_two_builds_are_identical_even_in_another_time_zone(raw_dir, tmp_path):
    first = _build(raw_dir, tmp_path, "utc", TZ="UTC")
    second = _build(raw_dir, tmp_path, "kolkata", TZ="Asia/Kolkata")
    assert _differences(first, second) == []
