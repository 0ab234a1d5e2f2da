"""cx_change_watermark at run time: a change-tracking model (models/intermediate/changes) compiled against
a built warehouse reports the rows stamped after the oldest latest `_batch_at` among the incremental
models that consume it — directly or through the change models built from it — as a timestamp literal to
the microsecond (a constant the database prunes row groups with). An empty consumer means "everything is
new" (1900-01-01); a full refresh reports nothing (9999-12-31: no consumer reads the set). At parse time
and in unit tests it is 1900-01-01: the dbt unit tests of the incremental paths feed the change models
as fixtures."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb

from tests.conftest import dbt_env, run_dbt

LITERAL = re.compile(r"_batch_at > cast\('([^']+)' as timestamp\)")
CHANGES = ["int_changed_contacts", "int_changed_journeys", "int_changed_subscriptions", "int_changed_orders"]


def _literals(target: Path, model: str) -> set[str]:
    path = target / "compiled" / "cx_outcomes" / "models" / "intermediate" / "changes" / f"{model}.sql"
    return set(LITERAL.findall(path.read_text()))


def _compile(warehouse: Path, raw_dir: Path, target: Path, *flags: str) -> None:
    env = dbt_env(raw_dir, warehouse, target)
    run_dbt(["compile", "--select", " ".join(CHANGES), "--quiet", *flags], env)


def test_watermark_is_the_oldest_consumer_batch(test_warehouse: Path, test_raw_dir: Path, tmp_path: Path):
    warehouse = tmp_path / "cx.duckdb"
    shutil.copy(test_warehouse, warehouse)
    with duckdb.connect(str(warehouse)) as conn:
        # one consumer of the journeys' and the CRM's change sets left behind (as by a failed run), with a
        # sub-second part the literal must keep; a later batch elsewhere must not matter
        conn.execute(
            "update intermediate.int_journeys_aggregated "
            "set _batch_at = timestamp '2020-01-02 03:04:05.123456'"
        )
        conn.execute(
            "update intermediate.int_survey_responses_linked set _batch_at = timestamp '2031-02-03 04:05:06'"
        )
        # an empty consumer of the subscriptions' change set: everything upstream is new to it
        conn.execute("delete from intermediate.int_subscriptions_versioned")
        latest = conn.execute("select max(_batch_at) from intermediate.int_contacts_enriched").fetchone()[0]
    target = tmp_path / "target"
    _compile(warehouse, test_raw_dir, target)

    assert _literals(target, "int_changed_journeys") == {"2020-01-02 03:04:05.123456"}
    assert _literals(target, "int_changed_orders") == {"2020-01-02 03:04:05.123456"}
    assert _literals(target, "int_changed_subscriptions") == {"1900-01-01 00:00:00"}
    # the contacts' set reaches the journeys through int_changed_attempts → int_changed_journeys
    assert _literals(target, "int_changed_contacts") == {"2020-01-02 03:04:05.123456"}

    # once every consumer has caught up, the watermark is their common latest batch
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("update intermediate.int_journeys_aggregated set _batch_at = ?", [latest])
    _compile(warehouse, test_raw_dir, target)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        # DuckDB's text drops trailing zeros of the microseconds: compared as timestamps
        literals = {
            conn.execute("select cast(? as timestamp)", [text]).fetchone()[0]
            for text in _literals(target, "int_changed_journeys")
        }
    assert literals == {latest}


def test_full_refresh_reports_no_change(test_warehouse: Path, test_raw_dir: Path, tmp_path: Path):
    warehouse = tmp_path / "cx.duckdb"
    shutil.copy(test_warehouse, warehouse)
    target = tmp_path / "target"
    _compile(warehouse, test_raw_dir, target, "--full-refresh")
    for model in CHANGES:
        assert _literals(target, model) == {"9999-12-31"}, model


def test_a_night_recomputes_only_the_changed_keys(test_warehouse: Path, test_raw_dir: Path, tmp_path: Path):
    """On the built test warehouse with no new data, every change set is empty; a restamped contact row makes
    that contact the whole contacts' change set, and its chain one of the changed attempts."""
    warehouse = tmp_path / "cx.duckdb"
    shutil.copy(test_warehouse, warehouse)
    env = dbt_env(test_raw_dir, warehouse, tmp_path / "target")
    run_dbt(["run", "--select", "tag:changes", "--quiet"], env)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        for model in CHANGES:
            assert conn.execute(f"select count(*) from changes.{model}").fetchone()[0] == 0, model
        contact_id, attempt_id = conn.execute(
            "select contact_id, attempt_id from core.fct_contacts order by contact_id limit 1"
        ).fetchone()
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute(
            "update staging.base_platform__contacts set _batch_at = timestamp '2099-01-01' "
            "where contact_id = ?",
            [contact_id],
        )
    run_dbt(["run", "--select", "tag:changes", "--quiet"], env)
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        changed = conn.execute("select contact_id from changes.int_changed_contacts").fetchall()
        assert changed == [(contact_id,)]
        assert (attempt_id,) in conn.execute("select attempt_id from changes.int_changed_attempts").fetchall()
        # no assignment was rewritten yet: the journey ids that may vanish are the changed attempts' ids
        assert (
            conn.execute(
                "select journey_id from changes.int_changed_journeys "
                "except select attempt_id from changes.int_changed_attempts"
            ).fetchall()
            == []
        )
