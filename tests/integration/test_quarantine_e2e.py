"""SPEC §6 end to end on the `make test-build` warehouse (generated with --bad-rows): every injected bad row
is quarantined with exactly the expected reason, and every raw row ends up in exactly one place."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from scripts.ops import contract

TABLES = tuple(contract.load())  # the raw contract's tables


def test_quarantine_counts_match_the_injected_bad_rows(warehouse_conn, test_raw_dir: Path):
    expected = json.loads((test_raw_dir / "_expected_quarantine.json").read_text())
    rows = warehouse_conn.execute(
        "select table_name, reason, count(*) from staging.quarantine group by 1, 2"
    ).fetchall()
    actual: dict[str, dict[str, int]] = {}
    for table, reason, count in rows:
        actual.setdefault(table, {})[reason] = count
    expected = {table: counts for table, counts in expected.items() if counts}
    assert actual == expected
    # every reason of SPEC §6 is exercised somewhere
    reasons = {reason for counts in actual.values() for reason in counts}
    assert reasons == {
        "missing_key",
        "missing_value",
        "invalid_timestamp",
        "unknown_enum",
        "time_order",
        "after_load",
        "score_out_of_range",
        "malformed_json",
        "negative_amount",
        "orphan",
    }


def test_received_equals_accepted_plus_superseded_plus_quarantined(warehouse_conn, test_raw_dir: Path):
    raw = duckdb.connect()
    for table in TABLES:
        received = raw.execute(
            f"select count(*) from read_parquet('{test_raw_dir}/{table}/**/*.parquet', union_by_name = true)"
        ).fetchone()[0]
        by_status = dict(
            warehouse_conn.execute(
                "select status, sum(rows) from outcomes.mart_data_quality where table_name = ? group by 1",
                [table],
            ).fetchall()
        )
        assert received == sum(by_status.values()), table
        source = "crm" if table in ("customers", "subscriptions", "orders") else "platform"
        staged = warehouse_conn.execute(f"select count(*) from staging.stg_{source}__{table}").fetchone()[0]
        assert staged == by_status.get("accepted", 0), table
    raw.close()


def test_quarantine_keeps_the_raw_row(warehouse_conn):
    missing = warehouse_conn.execute(
        "select count(*) from staging.quarantine where raw_row is null or json_valid(raw_row) is not true"
    ).fetchone()[0]
    assert missing == 0


def test_a_bad_redelivery_never_replaces_a_good_row(warehouse_conn):
    # a key that has both an accepted row and a quarantined row: the accepted one stays in staging
    keys = warehouse_conn.execute(
        """select table_name, record_key from staging.stg_quality__row_statuses
           group by 1, 2
           having count(*) filter (where status = 'accepted') = 1
              and count(*) filter (where status = 'quarantined') >= 1"""
    ).fetchall()
    assert keys, "the generator's --bad-rows should re-deliver a good key badly"
