"""The semantic layer's metrics (scripts/ops/metrics.py) agree with the marts' own rate columns.

Each mart carries a rate beside its numerator and denominator (SPEC §5). Computed row by row from the
metric's definition, every rate a mart also stores must equal the stored value: the definition the summary,
the report and Superset use is the one the marts were built with.
"""

from __future__ import annotations

import math

import pytest

from scripts.ops import metrics

LAYER = metrics.load()


def _marts(conn) -> dict[str, list[str]]:
    rows = conn.execute(
        "select table_name, column_name from information_schema.columns where table_schema = 'outcomes'"
    ).fetchall()
    found: dict[str, list[str]] = {}
    for table, column in rows:
        found.setdefault(table, []).append(column)
    return found


def test_every_stored_rate_equals_its_metric(warehouse_conn) -> None:
    checked = 0
    for table, columns in _marts(warehouse_conn).items():
        for metric in LAYER.available(table, columns):
            if metric.kind == "simple" or metric.name not in columns:
                continue
            sql = LAYER.sql(metric.name, table, columns)
            rows = warehouse_conn.execute(
                f"select {metric.name}, {sql} from outcomes.{table} group by rowid, {metric.name}"
            ).fetchall()
            for stored, computed in rows:
                if stored is None or computed is None:
                    assert stored is None and computed is None, (
                        f"{table}.{metric.name}: {stored} vs {computed}"
                    )
                else:
                    assert math.isclose(stored, computed, rel_tol=1e-9, abs_tol=1e-12), (
                        f"{table}.{metric.name}"
                    )
            checked += 1
    assert checked >= 20, f"only {checked} (mart, rate) pairs were compared"


def test_every_ratio_resolves_and_formats() -> None:
    for metric in LAYER.metrics.values():
        for measure in LAYER.measures_of(metric.name):
            assert measure in LAYER.measures, f"{metric.name}: measure {measure} is not in a semantic model"
        assert metric.display(None) == "n/a"
        assert metric.display(0.5)


def test_an_unknown_metric_is_named() -> None:
    with pytest.raises(KeyError, match="no metric 'fcr'"):
        LAYER.metric("fcr")
