"""The hash-prefiltered uniqueness test (tests/data_tests/generic/cx_unique_large.sql) fails exactly where
dbt's `unique` would: on a copy of the test warehouse with an event and an order duplicated. On a table that
holds more than one build batch (a nightly), the event-id test checks the latest batch's ids against every
row, and var cx_full_data_tests brings back the check of every row."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import duckdb

from tests.conftest import DBT, PROJECT_DIR, dbt_env


def run_dbt_test(
    warehouse: Path, raw_dir: Path, target: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """`dbt test <args>` against `warehouse`; the caller judges the exit code."""
    return subprocess.run(
        [str(DBT), "test", *args],
        cwd=PROJECT_DIR,
        env=dbt_env(raw_dir, warehouse, target),
        capture_output=True,
        text=True,
        check=False,
    )


def run_unique_large_tests(
    warehouse: Path, raw_dir: Path, target: Path, *extra: str
) -> subprocess.CompletedProcess[str]:
    """`dbt test` of every cx_unique_large test against `warehouse`."""
    return run_dbt_test(warehouse, raw_dir, target, "--select", "test_name:cx_unique_large", *extra)


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
        conn.execute(
            """insert into staging.base_crm__orders
               select * replace (_file_row_number + 1000000 as _file_row_number)
               from staging.base_crm__orders where _status = 'accepted' limit 1"""
        )
    result = run_unique_large_tests(warehouse, test_raw_dir, tmp_path / "target")
    assert result.returncode == 1, result.stdout[-3000:]
    failures = [line for line in result.stdout.splitlines() if "FAIL 1 " in line]
    assert len(failures) == 2, result.stdout[-3000:]
    assert any("cx_unique_large_stg_platform__contact_events_" in line for line in failures)
    assert any("cx_unique_large_stg_crm__orders_" in line for line in failures)


def test_cx_unique_large_passes_on_clean_data(test_warehouse: Path, test_raw_dir: Path, tmp_path: Path):
    warehouse = tmp_path / "cx.duckdb"
    shutil.copy(test_warehouse, warehouse)
    result = run_unique_large_tests(warehouse, test_raw_dir, tmp_path / "target")
    assert result.returncode == 0, result.stdout[-3000:]
    assert result.stdout.count("PASS ") >= 2


def _add_event(conn: duckdb.DuckDBPyConnection, event_id_sql: str, row_offset: int, batch_shift: str) -> None:
    """Insert a copy of one accepted event with the given event_id expression, as written by a later batch."""
    conn.execute(
        f"""insert into staging.base_platform__contact_events
            select * replace (
                {event_id_sql} as event_id,
                _file_row_number + {row_offset} as _file_row_number,
                _batch_at + interval '{batch_shift}' as _batch_at
            )
            from staging.base_platform__contact_events where _status = 'accepted' order by event_id limit 1"""
    )


def _event_test_failed(result: subprocess.CompletedProcess[str]) -> bool:
    return any(
        "FAIL 1 " in line and "cx_unique_large_stg_platform__contact_events_" in line
        for line in result.stdout.splitlines()
    )


def test_nightly_batch_is_checked_against_every_row(test_warehouse: Path, test_raw_dir: Path, tmp_path: Path):
    warehouse = tmp_path / "cx.duckdb"
    shutil.copy(test_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        # tonight's batch re-delivers an event id and an order id that an earlier build already accepted
        _add_event(conn, "event_id", 1_000_000, "1 day")
        conn.execute(
            """insert into staging.base_crm__orders
               select * replace (
                   _file_row_number + 1000000 as _file_row_number, _batch_at + interval '1 day' as _batch_at
               )
               from staging.base_crm__orders where _status = 'accepted' order by order_id limit 1"""
        )
    result = run_unique_large_tests(warehouse, test_raw_dir, tmp_path / "target")
    assert result.returncode == 1, result.stdout[-3000:]
    assert _event_test_failed(result), result.stdout[-3000:]
    assert any(
        "FAIL 1 " in line and "cx_unique_large_stg_crm__orders__batch_at__order_id" in line
        for line in result.stdout.splitlines()
    ), result.stdout[-3000:]


def test_nightly_scope_and_the_full_check(test_warehouse: Path, test_raw_dir: Path, tmp_path: Path):
    warehouse = tmp_path / "cx.duckdb"
    shutil.copy(test_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        # a duplicate between two old rows, then a later batch with a new, unique event id
        _add_event(conn, "event_id", 1_000_000, "0 days")
        _add_event(conn, "event_id || '-tonight'", 2_000_000, "1 day")
    scoped = run_unique_large_tests(warehouse, test_raw_dir, tmp_path / "target")
    assert not _event_test_failed(scoped), scoped.stdout[-3000:]
    full = run_unique_large_tests(
        warehouse, test_raw_dir, tmp_path / "target", "--vars", '{"cx_full_data_tests": true}'
    )
    assert _event_test_failed(full), full.stdout[-3000:]


def test_latest_batch_where_scopes_row_tests(test_warehouse: Path, test_raw_dir: Path, tmp_path: Path):
    """`where: __latest_batch__` (macros/get_where_subquery.sql): an old bad row is left to the full check."""
    warehouse = tmp_path / "cx.duckdb"
    shutil.copy(test_warehouse, warehouse)
    select = ["--select", "base_platform__contact_events,test_name:accepted_values"]
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            """insert into staging.base_platform__contact_events
               select * replace (_file_row_number + 3000000 as _file_row_number, 'bogus' as _status)
               from staging.base_platform__contact_events where _status = 'accepted' limit 1"""
        )
        _add_event(conn, "event_id || '-tonight'", 4_000_000, "1 day")

    def status_failed(result: subprocess.CompletedProcess[str]) -> bool:
        return any(
            "FAIL 1 " in line and "contact_events__status" in line for line in result.stdout.splitlines()
        )

    scoped = run_dbt_test(warehouse, test_raw_dir, tmp_path / "t1", *select)
    assert scoped.returncode == 0 and not status_failed(scoped), scoped.stdout[-3000:]
    full = run_dbt_test(
        warehouse, test_raw_dir, tmp_path / "t2", *select, "--vars", '{"cx_full_data_tests": true}'
    )
    assert status_failed(full), full.stdout[-3000:]
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            """update staging.base_platform__contact_events set _status = 'bogus'
               where event_id = (select max(event_id) from staging.base_platform__contact_events
                                 where event_id like '%-tonight')"""
        )
    tonight = run_dbt_test(warehouse, test_raw_dir, tmp_path / "t3", *select)
    assert status_failed(tonight), tonight.stdout[-3000:]
