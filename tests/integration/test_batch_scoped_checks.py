"""The singular tests that re-derive a whole table scope a nightly to the latest build batch
(cx_latest_batch): assert_retention_agrees_with_subscriptions checks the journeys int_journeys_aggregated
(re)wrote, assert_fct_attempts_reconciles_with_fct_contacts the attempts int_attempts_chained (re)wrote. On a
copy of the test warehouse with one journey and one attempt moved into a later batch, a defect planted in an
older row is left to the full check (var cx_full_data_tests, or a full refresh) and one planted in the latest
batch is caught."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb

from tests.integration.test_unique_large import run_dbt_test

RETENTION = "assert_retention_agrees_with_subscriptions"
RECONCILIATION = "assert_fct_attempts_reconciles_with_fct_contacts"
FULL = ("--vars", '{"cx_full_data_tests": true}')


def _flagged(result: subprocess.CompletedProcess[str], test: str) -> bool:
    """The test returned rows (fail or warn: the reconciliation is warn-severity, read by validation)."""
    return any(re.search(rf"(FAIL|WARN) \d+ {test} ", line) for line in result.stdout.splitlines())


def _run(warehouse: Path, raw_dir: Path, target: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """`dbt test` of the two checks; each must run (pass, warn or fail), not stop on an error."""
    result = run_dbt_test(warehouse, raw_dir, target, "--select", RETENTION, RECONCILIATION, *extra)
    ran = [line for line in result.stdout.splitlines() if re.search(r"\d+ of 2 (PASS|WARN|FAIL) ", line)]
    assert len(ran) == 2, result.stdout[-3000:]
    return result


def _plant(conn: duckdb.DuckDBPyConnection, journey_id: str, attempt_id: str) -> None:
    """A stored retention flag that the subscriptions contradict, and an attempt left without contacts."""
    conn.execute(
        "update intermediate.int_journeys_aggregated set is_active_at_30d = not is_active_at_30d"
        " where journey_id = ?",
        [journey_id],
    )
    conn.execute("delete from intermediate.int_contacts_enriched where initial_contact_id = ?", [attempt_id])


def test_whole_table_checks_scope_a_night_to_its_batch(
    test_warehouse: Path, test_raw_dir: Path, tmp_path: Path
):
    warehouse = tmp_path / "cx.duckdb"
    shutil.copy(test_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        # two journeys whose 30-day retention is observable, two attempts; the second of each is tonight's
        old_journey, new_journey = (
            row[0]
            for row in conn.execute(
                """select journey_id from intermediate.int_journeys_retention_evaluated
                   where retained_30d is not null order by journey_id limit 2"""
            ).fetchall()
        )
        old_attempt, new_attempt = (
            row[0]
            for row in conn.execute(
                "select attempt_id from intermediate.int_attempts_chained order by attempt_id limit 2"
            ).fetchall()
        )
        conn.execute(
            "update intermediate.int_journeys_aggregated set _batch_at = _batch_at + interval '1 day'"
            " where journey_id = ?",
            [new_journey],
        )
        conn.execute(
            "update intermediate.int_attempts_chained set _batch_at = _batch_at + interval '1 day'"
            " where attempt_id = ?",
            [new_attempt],
        )

        _plant(conn, old_journey, old_attempt)

    clean_tonight = _run(warehouse, test_raw_dir, tmp_path / "t1")
    assert not _flagged(clean_tonight, RETENTION), clean_tonight.stdout[-3000:]
    assert not _flagged(clean_tonight, RECONCILIATION), clean_tonight.stdout[-3000:]
    full = _run(warehouse, test_raw_dir, tmp_path / "t2", *FULL)
    assert _flagged(full, RETENTION), full.stdout[-3000:]
    assert _flagged(full, RECONCILIATION), full.stdout[-3000:]

    with duckdb.connect(str(warehouse)) as conn:
        _plant(conn, new_journey, new_attempt)
    tonight = _run(warehouse, test_raw_dir, tmp_path / "t3")
    assert _flagged(tonight, RETENTION), tonight.stdout[-3000:]
    assert _flagged(tonight, RECONCILIATION), tonight.stdout[-3000:]
