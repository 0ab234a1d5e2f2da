"""The ratio test (tests/data_tests/generic/cx_ratios_consistent.sql), one per mart: on a copy of the test
warehouse with marts edited, it fails exactly on the rows whose ratio disagrees with its numerator and
denominator (beyond its tolerance, not null over a zero denominator, null over a positive one), and each
failing row names its ratio column. The built warehouse itself passes every one (`make test-build`)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from tests.integration.test_unique_large import run_dbt_test

TEST = "cx_ratios_consistent"
MARTS = (
    "mart_first_contact_resolution",
    "mart_customer_effort",
    "mart_nps_by_ai_type",
    "mart_revenue_protected",
)


def _edit_one_row(conn: duckdb.DuckDBPyConnection, mart: str, assignment: str, where: str) -> None:
    """Set `assignment` on one row of outcomes.`mart` matching `where` (the test data has such rows)."""
    rowid = conn.execute(f"select min(rowid) from outcomes.{mart} where {where}").fetchone()[0]
    assert rowid is not None, f"no row of {mart} where {where}"
    conn.execute(f"update outcomes.{mart} set {assignment} where rowid = {rowid}")


def _status(lines: list[str], mart: str) -> str:
    """dbt's result word for the ratio test of `mart` ('PASS', 'FAIL 2', ...)."""
    for line in lines:
        if f" {TEST}_{mart} " in line and ("PASS " in line or "FAIL " in line):
            return "PASS" if "PASS " in line else "FAIL " + line.split("FAIL ")[1].split()[0]
    raise AssertionError(f"no result for {mart}: {lines[-40:]}")


def test_cx_ratios_consistent_fails_on_each_kind_of_disagreement(
    test_warehouse: Path, test_raw_dir: Path, tmp_path: Path
):
    warehouse = tmp_path / "cx.duckdb"
    shutil.copy(test_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        # a rate off by 0.01 (tolerance 1e-9), and a rate left null over a positive denominator
        fcr = "mart_first_contact_resolution"
        _edit_one_row(conn, fcr, "fcr_rate = fcr_rate + 0.01", "matured_journeys > 0")
        _edit_one_row(conn, fcr, "one_touch_rate = null", "matured_journeys > 0")
        # an average over a zero count that is not null
        _edit_one_row(conn, "mart_customer_effort", "avg_ces = 3.0", "ces_journeys = 0")
        # a ratio of an expression ((promoters - detractors) * 100.0) missed by 1e-6, beyond its 1e-9
        _edit_one_row(conn, "mart_nps_by_ai_type", "nps = nps + 1e-6", "nps_journeys > 0")
        # within a ratio's tolerance: still consistent
        _edit_one_row(conn, "mart_revenue_protected", "save_rate = save_rate + 1e-12", "at_risk_journeys > 0")
    selection = [f"test_name:{TEST},{mart}" for mart in MARTS]
    result = run_dbt_test(
        warehouse, test_raw_dir, tmp_path / "target", "--select", *selection, "--store-failures"
    )
    lines = result.stdout.splitlines()
    assert result.returncode == 1, result.stdout[-3000:]
    assert [_status(lines, mart) for mart in MARTS] == ["FAIL 2", "FAIL 1", "FAIL 1", "PASS"]
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        audit_tables = conn.execute(
            f"select table_name from information_schema.tables where table_name like '{TEST}_%'"
        ).fetchall()
        failing = sorted(
            column
            for (table,) in audit_tables
            for (column,) in conn.execute(f'select ratio_column from dbt_test__audit."{table}"').fetchall()
        )
    assert failing == ["avg_ces", "fcr_rate", "nps", "one_touch_rate"]
