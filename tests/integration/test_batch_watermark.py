"""cx_batch_watermark at run time: an incremental model compiled against a built warehouse carries the latest
_batch_at it already stores as a timestamp literal — exactly that value, to the microsecond — so every
`_batch_at > …` filter is a constant the database can prune row groups with; on an empty model it falls back
to 1900-01-01. (At parse time and in unit tests it is a scalar subquery: the dbt unit tests with
`is_incremental: true` cover that form.)"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb

from tests.conftest import dbt_env, run_dbt

LITERAL = re.compile(r"_batch_at > cast\('([^']+)' as timestamp\)")


def _compiled(target: Path, model_path: str) -> str:
    return (target / "compiled" / "cx_outcomes" / "models" / model_path).read_text()


def test_watermark_is_the_stored_latest_batch(test_warehouse: Path, test_raw_dir: Path, tmp_path: Path):
    warehouse = tmp_path / "cx.duckdb"
    shutil.copy(test_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        # a later batch in fct_journeys only, with a sub-second part the literal must keep
        conn.execute(
            """update core.fct_journeys set _batch_at = timestamp '2031-02-03 04:05:06.123456'
               where journey_id = (select min(journey_id) from core.fct_journeys)"""
        )
        conn.execute("delete from intermediate.int_subscriptions_versioned")
    target = tmp_path / "target"
    run_dbt(
        ["compile", "--select", "fct_journeys int_subscriptions_versioned fct_attempts", "--quiet"],
        dbt_env(test_raw_dir, warehouse, target),
    )

    journeys_sql = _compiled(target, "marts/core/fct_journeys.sql")
    assert "max(_batch_at)" not in journeys_sql
    assert LITERAL.findall(journeys_sql) == ["2031-02-03 04:05:06.123456"]

    # each model reads its own watermark (fct_attempts did not get the later batch)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        attempts_batch = conn.execute("select max(_batch_at) from core.fct_attempts").fetchone()[0]
        # compared as timestamps: DuckDB's text drops trailing zeros of the microseconds (.74062 = .740620)
        literals = {
            conn.execute("select cast(? as timestamp)", [text]).fetchone()[0]
            for text in LITERAL.findall(_compiled(target, "marts/core/fct_attempts.sql"))
        }
    assert literals == {attempts_batch}

    # an empty incremental model: everything upstream is new
    versions_sql = _compiled(target, "intermediate/retention/int_subscriptions_versioned.sql")
    assert "max(_batch_at)" not in versions_sql
    assert "_batch_at > cast('1900-01-01' as timestamp)" in versions_sql
