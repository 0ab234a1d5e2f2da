"""Incremental journeys under corrections (SPEC §7): a night that re-delivers old contacts with a changed
customer or transfer chain must leave the warehouse exactly as a full refresh of the same raw data.

The nightly parity test (test_nightly_incremental.py) appends whole new days; here one new file re-delivers
three contacts of the test landing zone with a later _loaded_at:

    moved        the first attempt of a repeat journey now belongs to another customer: its old journey is
                 renumbered under its second attempt, and the attempt joins the other customer's journeys
    merged       a single-contact attempt becomes a transfer leg of another chain: the attempt disappears
    unidentified the second attempt of a repeat journey loses its customer: a journey of its own

Last night's warehouse is a full refresh of a copy of the test landing zone; then `dbt build` incrementally on
it (data tests included), `dbt run --full-refresh` into a fresh file, and every table is compared row for
row (except the _batch_at stamps).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scripts.bench.compare import compare_warehouses
from tests.conftest import dbt_env, run_dbt

# single-contact attempts whose one contact was delivered once: a re-delivery of it is a plain correction
CLEAN_SINGLES = """
    select attempt_id, customer_id
    from intermediate.int_attempts_chained
    where contacts = 1 and head_contact_id = attempt_id
        and attempt_id in (
            select contact_id from staging.base_platform__contacts group by contact_id having count(*) = 1
        )
"""

# a repeat journey whose first two attempts are clean single-contact attempts of an identified customer
REPEAT_JOURNEY_SQL = f"""
with singles as ({CLEAN_SINGLES})
select first.attempt_id, second.attempt_id, first.customer_id
from intermediate.int_attempts_chained as first
inner join intermediate.int_attempts_chained as second
    on first.journey_id = second.journey_id and second.attempt_number = 2
where first.attempt_number = 1 and first.customer_id is not null
    and first.attempt_id in (select attempt_id from singles)
    and second.attempt_id in (select attempt_id from singles)
    and first.attempt_id not in ({{exclude}})
order by first.attempt_id
limit 1
"""


def _repeat_journey(conn: duckdb.DuckDBPyConnection, exclude: list[str]) -> tuple[str, str, str]:
    listed = ", ".join(f"'{value}'" for value in exclude) or "''"
    row = conn.execute(REPEAT_JOURNEY_SQL.format(exclude=listed)).fetchone()
    if row is None:
        pytest.skip("the test data has no repeat journey of single-contact attempts")
    return row


def _pick_corrections(warehouse: Path) -> dict[str, Any]:
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        moved, moved_second, moved_customer = _repeat_journey(conn, [])
        lost, lost_second, _ = _repeat_journey(conn, [moved])
        other_customer = conn.execute(
            "select min(customer_id) from intermediate.int_attempts_chained where customer_id <> ?",
            [moved_customer],
        ).fetchone()[0]
        merged, merged_into = conn.execute(
            f"""
            with singles as ({CLEAN_SINGLES})
            select single.attempt_id, target.attempt_id
            from singles as single
            inner join intermediate.int_attempts_chained as target
                on single.customer_id = target.customer_id and single.attempt_id <> target.attempt_id
            where single.attempt_id not in (?, ?, ?, ?)
                and target.attempt_id not in (?, ?, ?, ?)
            order by single.attempt_id, target.attempt_id
            limit 1
            """,
            [moved, moved_second, lost, lost_second] * 2,
        ).fetchone()
    return {
        "moved": moved,
        "moved_second": moved_second,
        "other_customer": other_customer,
        "merged": merged,
        "merged_into": merged_into,
        "unidentified": lost_second,
    }


def _redeliver(warehouse: Path, raw: Path, picks: dict[str, Any]) -> None:
    """Write new contacts files into `raw` that re-deliver the three contacts, corrected, with a later
    _loaded_at: each is its accepted raw row (found through base_platform__contacts), in its file's schema."""
    corrections = {
        picks["moved"]: {"customer_id": picks["other_customer"]},
        picks["merged"]: {"initial_contact_id": picks["merged_into"], "initiation_method": "transfer"},
        picks["unidentified"]: {"customer_id": None},
    }
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        sources = conn.execute(
            """
            select contact_id, _source_file, _file_row_number from staging.base_platform__contacts
            where _status = 'accepted' and contact_id in (?, ?, ?)
            """,
            list(corrections),
        ).fetchall()
        latest_load = conn.execute("select max(_loaded_at) from staging.stg_platform__contacts").fetchone()[0]
    assert {row[0] for row in sources} == set(corrections)
    tonight = sorted((raw / "contacts").glob("load_date=*"))[-1]
    for number, (contact_id, source_file, row_number) in enumerate(sorted(sources)):
        table = pq.read_table(source_file)
        row = table.slice(row_number, 1).to_pylist()[0]
        assert row["contact_id"] == contact_id
        row.update(corrections[contact_id])
        loaded_at = latest_load + dt.timedelta(hours=1)
        row["_loaded_at"] = (
            loaded_at if pa.types.is_timestamp(table.schema.field("_loaded_at").type) else str(loaded_at)
        )
        pq.write_table(
            pa.Table.from_pylist([row], schema=table.schema), tonight / f"corrections-{number:04d}.parquet"
        )


def test_corrections_night_equals_full_refresh(tmp_path: Path, test_raw_dir: Path) -> None:
    # a landing zone of our own (base rows record their source file's path) and last night's warehouse on it
    raw = tmp_path / "raw"
    shutil.copytree(test_raw_dir, raw)
    nightly, full = tmp_path / "nightly.duckdb", tmp_path / "full.duckdb"
    nightly_env = dbt_env(raw, nightly, tmp_path / "target_nightly")
    run_dbt(["seed"], nightly_env)
    run_dbt(["run", "--full-refresh"], nightly_env)
    picks = _pick_corrections(nightly)
    _redeliver(nightly, raw, picks)

    # the night: models and data tests, as scripts.nightly builds; the reference: a full refresh
    run_dbt(["build", "--exclude-resource-type", "unit_test"], nightly_env)
    full_env = dbt_env(raw, full, tmp_path / "target_full")
    run_dbt(["seed"], full_env)
    run_dbt(["run", "--full-refresh"], full_env)

    assert compare_warehouses(nightly, full) == {}
    with duckdb.connect(str(full), read_only=True) as conn:

        def one(sql: str, *params: Any) -> Any:
            return conn.execute(sql, list(params)).fetchone()

        # the corrections took effect (the comparison above is not between two unchanged warehouses)
        assert one(
            "select customer_id from intermediate.int_attempts_chained where attempt_id = ?", picks["moved"]
        ) == (picks["other_customer"],)
        assert one(
            "select journey_id, attempt_number from intermediate.int_attempts_chained where attempt_id = ?",
            picks["moved_second"],
        ) == (picks["moved_second"], 1)
        assert one("select count(*) from core.fct_attempts where attempt_id = ?", picks["merged"]) == (0,)
        assert one("select attempt_id from core.fct_contacts where contact_id = ?", picks["merged"]) == (
            picks["merged_into"],
        )
        assert one(
            "select is_identified, journey_id from core.fct_attempts where attempt_id = ?",
            picks["unidentified"],
        ) == (False, picks["unidentified"])
