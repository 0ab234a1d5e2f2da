"""The parent-key test for large parents (tests/data_tests/generic/cx_relationships.sql) fails where dbt's
`relationships` would: on a copy of the test warehouse with a journey and an attempt deleted, the tests of the
rows that named them fail and the others pass; on the clean warehouse every one passes."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from tests.integration.test_unique_large import run_dbt_test


def test_cx_relationships_fails_on_a_missing_parent(test_warehouse: Path, test_raw_dir: Path, tmp_path: Path):
    warehouse = tmp_path / "cx.duckdb"
    shutil.copy(test_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        # a journey that scores a survey response, and an attempt of a later journey (not that journey's)
        journey_id = conn.execute(
            """select journey_id from intermediate.int_survey_responses_linked
               where journey_id is not null order by journey_id limit 1"""
        ).fetchone()[0]
        conn.execute("delete from intermediate.int_journeys_aggregated where journey_id = ?", [journey_id])
        attempt_id = conn.execute(
            """select attempt_id from intermediate.int_attempts_chained
               where journey_id <> ? order by attempt_id limit 1""",
            [journey_id],
        ).fetchone()[0]
        conn.execute("delete from intermediate.int_attempts_chained where attempt_id = ?", [attempt_id])
    result = run_dbt_test(
        warehouse, test_raw_dir, tmp_path / "target", "--select", "test_name:cx_relationships"
    )
    assert result.returncode == 1, result.stdout[-3000:]
    failures = [line for line in result.stdout.splitlines() if " FAIL " in line]
    # the survey responses of the deleted journey; the attempts of that journey; the contacts of the attempt
    assert any("cx_relationships_int_survey_responses_linked_journey_id_" in line for line in failures), (
        failures
    )
    assert any("cx_relationships_int_attempts_chained_journey_id_" in line for line in failures), failures
    assert any("cx_relationships_int_contacts_enriched_initial_contact_id_" in line for line in failures), (
        failures
    )
    assert not any("fct_voice_risk_alerts" in line for line in failures), failures


def test_cx_relationships_passes_on_clean_data(test_warehouse: Path, test_raw_dir: Path, tmp_path: Path):
    warehouse = tmp_path / "cx.duckdb"
    shutil.copy(test_warehouse, warehouse)
    result = run_dbt_test(
        warehouse, test_raw_dir, tmp_path / "target", "--select", "test_name:cx_relationships"
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert result.stdout.count("PASS ") >= 4, result.stdout[-3000:]
