"""The grain test (tests/data_tests/generic/cx_unique_combination.sql) with a batch_column: on a table that
holds more than one build batch (a nightly), the latest batch's combinations are checked against every row,
and var cx_full_data_tests brings back the check of every row; on one batch (a full refresh), every row."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from tests.integration.test_unique_large import run_dbt_test

TABLE = "intermediate.int_subscriptions_versioned"
TEST = "cx_unique_combination_int_subscriptions_versioned"


def _add_version(conn: duckdb.DuckDBPyConnection, subscription_id_sql: str, batch_shift: str) -> None:
    """Insert a copy of one stored version with the given subscription_id expression, written `batch_shift`
    after the table's batch."""
    conn.execute(
        f"""insert into {TABLE}
            select * replace (
                {subscription_id_sql} as subscription_id,
                _batch_at + interval '{batch_shift}' as _batch_at
            )
            from {TABLE} order by subscription_id, updated_at limit 1"""
    )


def _run(warehouse: Path, raw_dir: Path, target: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    selection = "int_subscriptions_versioned,test_name:cx_unique_combination"
    return run_dbt_test(warehouse, raw_dir, target, "--select", selection, *extra)


def _failed(result: subprocess.CompletedProcess[str]) -> bool:
    return any("FAIL 1 " in line and TEST in line for line in result.stdout.splitlines())


def _passed(result: subprocess.CompletedProcess[str]) -> bool:
    return any("PASS " in line and TEST in line for line in result.stdout.splitlines())


@pytest.mark.parametrize(
    "batch_shift",
    [
        pytest.param("0 days", id="one batch: every row checked"),
        pytest.param("1 day", id="tonight's batch against an earlier one"),
    ],
)
def test_a_duplicate_version_fails(
    test_warehouse: Path, test_raw_dir: Path, tmp_path: Path, batch_shift: str
):
    warehouse = tmp_path / "cx.duckdb"
    shutil.copy(test_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        # a version (subscription_id, updated_at) the build already stored, written again by the same build or
        # by a later one
        _add_version(conn, "subscription_id", batch_shift)
    result = _run(warehouse, test_raw_dir, tmp_path / "target")
    assert result.returncode == 1, result.stdout[-3000:]
    assert _failed(result), result.stdout[-3000:]


def test_nightly_scope_and_the_full_check(test_warehouse: Path, test_raw_dir: Path, tmp_path: Path):
    warehouse = tmp_path / "cx.duckdb"
    shutil.copy(test_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        # a duplicate between two rows of the earlier batch, then a later batch with a new, unique version
        _add_version(conn, "subscription_id", "0 days")
        _add_version(conn, "subscription_id || '-tonight'", "1 day")
    scoped = _run(warehouse, test_raw_dir, tmp_path / "target")
    assert scoped.returncode == 0, scoped.stdout[-3000:]
    assert _passed(scoped), scoped.stdout[-3000:]
    full = _run(warehouse, test_raw_dir, tmp_path / "target", "--vars", '{"cx_full_data_tests": true}')
    assert _failed(full), full.stdout[-3000:]
