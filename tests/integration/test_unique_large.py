"""The hash-prefiltered uniqueness test (tests/data_tests/generic/cx_unique_large.sql) fails exactly where
dbt's `unique` would: on a copy of the test warehouse with an event and an order duplicated."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb

from tests.conftest import DBT, PROJECT_DIR, dbt_env


def run_unique_large_tests(warehouse: Path, raw_dir: Path, target: Path) -> subprocess.CompletedProcess[str]:
    """`dbt test` of every cx_unique_large test against `warehouse`; the caller judges the exit code."""
    return subprocess.run(
        [str(DBT), "test", "--select", "test_name:cx_unique_large"],
        cwd=PROJECT_DIR,
        env=dbt_env(raw_dir, warehouse, target),
        capture_output=True,
        text=True,
        check=False,
    )


def test_cx_unique_large_fails_on_a_duplicate(test_warehouse: Path, test_raw_dir: Path, tmp_path: Path):
    warehouse = tmp_path / "cx.duckdb"
    shutil.copy(test_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        # the same event_id twice among accepted rows, and an order duplicated in the staging table
        conn.execute(
            """insert into staging.base_platform__contact_events
               select * replace (_file_row_number + 1000000 as _file_row_number)
               from staging.base_platform__contact_events where _status = 'accepted' limit 1"""
        )
        conn.execute("insert into staging.stg_crm__orders select * from staging.stg_crm__orders limit 1")
    result = run_unique_large_tests(warehouse, test_raw_dir, tmp_path / "target")
    assert result.returncode == 1, result.stdout[-3000:]
    failures = [line for line in result.stdout.splitlines() if "FAIL 1 " in line]
    assert len(failures) == 2, result.stdout[-3000:]
    assert any("stg_platform__contact_events_event_id" in line for line in failures)
    assert any("stg_crm__orders_order_id" in line for line in failures)


def test_cx_unique_large_passes_on_clean_data(test_warehouse: Path, test_raw_dir: Path, tmp_path: Path):
    warehouse = tmp_path / "cx.duckdb"
    shutil.copy(test_warehouse, warehouse)
    result = run_unique_large_tests(warehouse, test_raw_dir, tmp_path / "target")
    assert result.returncode == 0, result.stdout[-3000:]
    assert result.stdout.count("PASS ") >= 2
