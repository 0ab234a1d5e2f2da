"""scripts/bench/compare.py: both methods find the same differences, ignore `_batch_at`; CLI exit codes."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from scripts.bench import compare

BUILD = [
    "create schema core",
    "create schema outcomes",
    "create schema scratch",  # not a compared schema
    "create table core.facts as select range as id, 'x' || range as v, now() as _batch_at from range(4000)",
    "create table outcomes.mart as select range % 7 as k, count(*) as n from range(700) group by all",
    "create view core.facts_view as select id, v from core.facts where id < 10",
    "create table scratch.tmp as select 1 as anything",
]


def _warehouse(path: Path, *changes: str) -> Path:
    con = duckdb.connect(str(path))
    try:
        for statement in [*BUILD, *changes]:
            con.execute(statement)
    finally:
        con.close()
    return path


@pytest.mark.parametrize("method", sorted(compare.METHODS))
def test_identical_builds_match_whatever_their_batch_stamps(tmp_path: Path, method: str) -> None:
    left = _warehouse(tmp_path / "left.duckdb")
    right = _warehouse(
        tmp_path / "right.duckdb",
        "update core.facts set _batch_at = _batch_at + interval 1 day",
        "insert into scratch.tmp values (2)",
    )

    assert compare.compare_warehouses(left, right, method=method) == {}


@pytest.mark.parametrize("method", sorted(compare.METHODS))
@pytest.mark.parametrize(
    ("change", "differing"),
    [
        ("update core.facts set v = 'y' where id = 1234", {"core.facts"}),  # one value, same row count
        ("update core.facts set v = null where id = 7", {"core.facts", "core.facts_view"}),  # a value lost
        ("insert into core.facts select * from core.facts where id = 5", {"core.facts", "core.facts_view"}),
        ("update outcomes.mart set k = 0 where k = 1", {"outcomes.mart"}),  # one row now there twice
    ],
)
def test_a_changed_row_is_found_by_both_methods(
    tmp_path: Path, method: str, change: str, differing: set[str]
) -> None:
    left = _warehouse(tmp_path / "left.duckdb")
    right = _warehouse(tmp_path / "right.duckdb", change)

    assert set(compare.compare_warehouses(left, right, method=method)) == differing


def test_a_table_on_one_side_only_and_a_changed_column_are_reported(tmp_path: Path) -> None:
    left = _warehouse(tmp_path / "left.duckdb", "create table core.extra as select 1 as x")
    right = _warehouse(tmp_path / "right.duckdb", "alter table outcomes.mart add column note varchar")

    assert compare.compare_warehouses(left, right, method="fingerprint") == {
        "core.extra": "only in left",
        "outcomes.mart": "different columns",
    }


def test_cli_exit_codes_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    left = _warehouse(tmp_path / "left.duckdb")
    same = _warehouse(tmp_path / "same.duckdb")
    changed = _warehouse(tmp_path / "changed.duckdb", "delete from core.facts where id = 3000")

    assert compare.main([str(left), str(same)]) == 0
    assert "every table matches (fingerprint" in capsys.readouterr().out

    assert compare.main([str(left), str(changed), "--method", "exact"]) == 1
    out = capsys.readouterr().out
    assert "1 table(s) differ (exact" in out
    assert "core.facts: 1 rows only left, 0 rows only right" in out

    with pytest.raises(SystemExit) as usage:
        compare.main([str(left), str(tmp_path / "missing.duckdb")])
    assert usage.value.code == 2
    assert "does not exist; pass the path of a built warehouse" in capsys.readouterr().err
