"""mart_retention_curve agrees with lifelines' Kaplan–Meier estimator (SPEC §4.6).

The subjects (one per retention-eligible journey: duration in whole days and the event flag) are
read from int_journeys_retention_evaluated; for every AI interaction type and for `all`,
lifelines.KaplanMeierFitter fitted on them must give the mart's survival on every day 0–180 to 1e-9,
and the mart's at_risk / churned / censored must match lifelines' event table.

The warehouse is the one `make test-build` builds (env CX_TEST_WAREHOUSE); it is opened read-only.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

lifelines = pytest.importorskip("lifelines")

PROJECT_DIR = Path(__file__).resolve().parents[2]
DEFAULT_WAREHOUSE = PROJECT_DIR / "target/test/warehouse/cx.duckdb"
LAST_DAY = 180
TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def conn():
    path = Path(os.environ.get("CX_TEST_WAREHOUSE", DEFAULT_WAREHOUSE))
    if not path.exists():
        pytest.skip(f"warehouse {path} is missing: run `make test-build` first or set CX_TEST_WAREHOUSE")
    connection = duckdb.connect(str(path), read_only=True)
    yield connection
    connection.close()


def _relation(conn: duckdb.DuckDBPyConnection, table_name: str) -> str:
    """Qualified name of a model's table, whatever schema the build put it in."""
    rows = conn.execute(
        "select table_schema from information_schema.tables where table_name = ?", [table_name]
    ).fetchall()
    if len(rows) != 1:
        pytest.fail(f"expected exactly one table {table_name} in the warehouse, found {len(rows)}")
    return f'"{rows[0][0]}"."{table_name}"'


def _subjects(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[int, bool]]]:
    rows = conn.execute(
        f"""
        select ai_interaction_type, survival_days, is_churn_event
        from {_relation(conn, "int_journeys_retention_evaluated")}
        where is_retention_eligible
        """
    ).fetchall()
    groups: dict[str, list[tuple[int, bool]]] = {"all": []}
    for ai_type, days, is_event in rows:
        groups.setdefault(ai_type, []).append((int(days), bool(is_event)))
        groups["all"].append((int(days), bool(is_event)))
    return groups


def _curve(conn: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[int, int, int, int, float]]]:
    rows = conn.execute(
        f"""
        select ai_interaction_type, day_number, at_risk, churned, censored, survival
        from {_relation(conn, "mart_retention_curve")}
        order by ai_interaction_type, day_number
        """
    ).fetchall()
    curve: dict[str, list[tuple[int, int, int, int, float]]] = {}
    for ai_type, *values in rows:
        curve.setdefault(ai_type, []).append(tuple(values))
    return curve


def test_curve_has_the_subjects_ai_types(conn: duckdb.DuckDBPyConnection) -> None:
    subjects = _subjects(conn)
    curve = _curve(conn)
    if not subjects["all"]:
        pytest.skip("no retention-eligible journeys in this warehouse")
    assert set(curve) == set(subjects), "an AI type with subjects has rows, one without has none"
    for ai_type, rows in curve.items():
        assert [row[0] for row in rows] == list(range(LAST_DAY + 1)), ai_type


def test_survival_matches_lifelines(conn: duckdb.DuckDBPyConnection) -> None:
    subjects = _subjects(conn)
    curve = _curve(conn)
    if not subjects["all"]:
        pytest.skip("no retention-eligible journeys in this warehouse")
    days = list(range(LAST_DAY + 1))
    for ai_type, observations in subjects.items():
        fitter = lifelines.KaplanMeierFitter()
        fitter.fit(
            durations=[duration for duration, _ in observations],
            event_observed=[is_event for _, is_event in observations],
        )
        expected = fitter.survival_function_at_times(days).to_numpy()
        table = fitter.event_table
        for day, at_risk, churned, censored, survival in curve[ai_type]:
            assert abs(survival - expected[day]) <= TOLERANCE, (ai_type, day, survival, expected[day])
            if day in table.index:
                assert at_risk == table.loc[day, "at_risk"], (ai_type, day)
                assert churned == table.loc[day, "observed"], (ai_type, day)
                assert censored == table.loc[day, "censored"], (ai_type, day)
            else:
                assert churned == 0 and censored == 0, (ai_type, day)
                assert at_risk == sum(1 for duration, _ in observations if duration >= day), (ai_type, day)
