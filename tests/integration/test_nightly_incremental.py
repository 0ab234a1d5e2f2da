"""scripts.nightly, night by night (SPEC §7): parity with a full refresh, idempotency, late data, readers
during a build, a crash mid-build, and SPEC §6 quarantine counts.

One small generated landing zone (with --bad-rows) is built night by night in a module fixture:

    night 0  first build (full: there is no warehouse yet)
    night 1  --append-day, incremental
    night 2  --append-day, incremental, with a reader process querying the live file throughout
    night 3  --append-day plus a contact delivered 2 days late; a first attempt is SIGKILLed mid-build,
             the next one publishes
    rerun    night 3 again (same raw data)
    full     --full-refresh of the same raw data into a second warehouse

and the tests assert on what it recorded.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scripts.bench.compare import compare_warehouses
from tests.integration._nightly_support import (
    append_day,
    assert_published,
    file_digest,
    generate_first_nights,
    latest_record,
    query,
    run_nightly,
    start_nightly_until_it_builds,
)

READER_SQL = (
    "select (select count(*) from core.fct_contacts), (select count(*) from core.fct_journeys),"
    " (select sum(journeys) from outcomes.mart_first_contact_resolution),"
    " (select sum(rows) from outcomes.mart_data_quality), (select run_id from ops.nightly_state)"
)

# A BI-like reader in another process: connect read-only, ask, disconnect, again, until told to stop.
READER = """
import duckdb, json, os, sys, time
live, out, stop, sql = sys.argv[1:5]
with open(out, "w") as handle:
    while not os.path.exists(stop):
        try:
            connection = duckdb.connect(live, read_only=True)
            try:
                answer = connection.execute(sql).fetchone()
            finally:
                connection.close()
            handle.write(json.dumps({"answer": list(answer)}) + "\\n")
        except Exception as error:
            handle.write(json.dumps({"error": repr(error)}) + "\\n")
        handle.flush()
        time.sleep(0.05)
"""


@dataclass
class Nights:
    raw: Path
    live: Path
    full: Path
    night3: Path
    records: list[dict[str, Any]] = field(default_factory=list)
    reader_answers: list[dict[str, Any]] = field(default_factory=list)
    reader_before: list[Any] = field(default_factory=list)
    reader_after: list[Any] = field(default_factory=list)
    crash: dict[str, Any] = field(default_factory=dict)
    late: dict[str, Any] = field(default_factory=dict)


def _reader_answer(live: Path) -> list[Any]:
    return list(query(live, READER_SQL)[0])


def _inject_late_contact(raw: Path, live: Path) -> dict[str, Any]:
    """Deliver tonight a contact that happened two days ago, continuing an identified journey."""
    tonight = max(path.name.split("=", 1)[1] for path in (raw / "contacts").glob("load_date=*"))
    loaded_at = dt.datetime.fromisoformat(tonight) + dt.timedelta(hours=22)
    latest_start = loaded_at - dt.timedelta(days=2)
    journey_id, customer_id, intent, ended_at, attempts = query(
        live,
        """
        select journey_id, customer_id, intent, ended_at, attempts
        from intermediate.int_journeys_aggregated
        where is_identified and ended_at <= ? - interval 1 hour
        order by ended_at desc, journey_id
        limit 1
        """,
        [latest_start],
    )[0]
    initiated_at = ended_at + dt.timedelta(hours=1)
    contact_id = "late-test-contact-1"
    row = {
        "contact_id": contact_id,
        "initial_contact_id": contact_id,
        "previous_contact_id": None,
        "customer_id": customer_id,
        "channel": "chat",
        "initiation_method": "inbound",
        "queue": None,
        "agent_id": None,
        "intent": None if intent == "unclassified" else intent,
        "initiated_at": initiated_at,
        "enqueued_at": None,
        "connected_to_agent_at": None,
        "disconnected_at": initiated_at + dt.timedelta(minutes=10),
        "disconnect_reason": "customer_hangup",
        "disposition": "resolved",
        "customer_endpoint": None,
        "case_id": None,
        "_loaded_at": loaded_at,
    }
    schema = pa.schema([(name, pa.timestamp("us") if name.endswith("_at") else pa.string()) for name in row])
    folder = raw / "contacts" / f"load_date={tonight}"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist([row], schema=schema), folder / "late-test-0000.parquet")
    return {
        "contact_id": contact_id,
        "journey_id": journey_id,
        "attempts_before": attempts,
        "days_late": (loaded_at - initiated_at).total_seconds() / 86400,
    }


def _crash_mid_build(raw: Path, live: Path) -> dict[str, Any]:
    """Start a nightly, SIGKILL it once dbt has written models into the candidate."""
    process, built = start_nightly_until_it_builds(raw, live)
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(1)  # the dbt child dies with its parent (PR_SET_PDEATHSIG)
    return {"killed_mid_build": built, "returncode": process.returncode}


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> Nights:
    root = tmp_path_factory.mktemp("nightly")
    result = Nights(
        raw=root / "raw",
        live=root / "warehouse" / "cx.duckdb",
        full=root / "full" / "cx.duckdb",
        night3=root / "night3.duckdb",
    )
    generate_first_nights(result.raw, "--bad-rows")

    assert_published(run_nightly(result.raw, result.live))  # night 0
    result.records.append(latest_record(result.live))

    append_day(result.raw)  # night 1
    assert_published(run_nightly(result.raw, result.live))
    result.records.append(latest_record(result.live))

    append_day(result.raw)  # night 2, with a reader
    result.reader_before = _reader_answer(result.live)
    answers, stop = root / "reader.jsonl", root / "reader.stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(result.live), str(answers), str(stop), READER_SQL]
    )
    try:
        assert_published(run_nightly(result.raw, result.live))
        time.sleep(1)
    finally:
        stop.touch()
        reader.wait(timeout=60)
    result.records.append(latest_record(result.live))
    result.reader_after = _reader_answer(result.live)
    result.reader_answers = [json.loads(line) for line in answers.read_text().splitlines()]

    append_day(result.raw)  # night 3: a late contact, a crash, then the real run
    result.late = _inject_late_contact(result.raw, result.live)
    digest = file_digest(result.live)
    result.crash = _crash_mid_build(result.raw, result.live)
    result.crash["live_unchanged"] = file_digest(result.live) == digest
    result.crash["live_readable"] = _reader_answer(result.live) == result.reader_after
    assert_published(run_nightly(result.raw, result.live))
    result.records.append(latest_record(result.live))
    shutil.copyfile(result.live, result.night3)

    assert_published(run_nightly(result.raw, result.live))  # the same night again
    result.records.append(latest_record(result.live))

    assert_published(run_nightly(result.raw, result.full, "--full-refresh"))
    result.records.append(latest_record(result.full))
    return result


def test_nights_after_the_first_are_incremental(nights: Nights) -> None:
    modes = [record["full_refresh"] for record in nights.records]
    assert modes == [True, False, False, False, False, True]
    assert all(record["status"] == "success" for record in nights.records)


def test_night_by_night_equals_full_refresh(nights: Nights) -> None:
    """Every staging, intermediate, fact, dim and mart table, row by row (SPEC §7)."""
    assert compare_warehouses(nights.night3, nights.full) == {}


def test_same_night_twice_changes_nothing(nights: Nights) -> None:
    assert compare_warehouses(nights.night3, nights.live) == {}
    # not even the technical batch stamps: nothing was rewritten
    stamps = "select max(_batch_at) from staging.base_platform__contact_events"
    assert query(nights.night3, stamps) == query(nights.live, stamps)


def test_late_contact_lands_in_its_journey(nights: Nights) -> None:
    late = nights.late
    assert 2 <= late["days_late"] <= 3
    rows = query(
        nights.live,
        "select contacts.journey_id, journeys.attempts from core.fct_contacts as contacts "
        "inner join core.fct_journeys as journeys on contacts.journey_id = journeys.journey_id "
        "where contacts.contact_id = ?",
        [late["contact_id"]],
    )
    assert rows == [(late["journey_id"], late["attempts_before"] + 1)]


def test_readers_during_a_build_see_the_old_or_the_new_warehouse(nights: Nights) -> None:
    errors = [answer["error"] for answer in nights.reader_answers if "error" in answer]
    assert errors == []
    seen = [answer["answer"] for answer in nights.reader_answers]
    assert len(seen) >= 5
    assert nights.reader_before != nights.reader_after
    assert all(answer in (nights.reader_before, nights.reader_after) for answer in seen)


def test_sigkill_mid_build_leaves_live_warehouse_unchanged(nights: Nights) -> None:
    assert nights.crash["killed_mid_build"], "the nightly finished before it could be killed"
    assert nights.crash["returncode"] == -signal.SIGKILL
    assert nights.crash["live_unchanged"]
    assert nights.crash["live_readable"]
    # and the next run published (the fixture asserts it) from a clean candidate
    assert nights.records[3]["status"] == "success"


@pytest.mark.parametrize("which", ["live", "full"])
def test_quarantine_counts_match_the_injected_bad_rows(nights: Nights, which: str) -> None:
    expected = json.loads((nights.raw / "_expected_quarantine.json").read_text())
    warehouse = nights.live if which == "live" else nights.full
    actual: dict[str, dict[str, int]] = {}
    for table, reason, rows in query(
        warehouse,
        "select table_name, reason, sum(rows) from outcomes.mart_data_quality "
        "where status = 'quarantined' group by all",
    ):
        actual.setdefault(table, {})[reason] = int(rows)
    expected = {table: counts for table, counts in expected.items() if counts}
    assert actual == expected


def test_run_record_has_what_operators_need(nights: Nights) -> None:
    record = nights.records[-2]
    for key in ("run_id", "started_at", "finished_at", "as_of", "steps", "models", "tests", "row_counts"):
        assert record[key], key
    assert record["validation"]["status"] == "pass"
    assert record["tests"]["fail"] == 0 and record["tests"]["error"] == 0
    assert record["row_counts"]["core.fct_journeys"] > 0
    # SPEC §7: a run with the development salt says so in its record, never writing the salt itself
    if not os.environ.get("CX_CUSTOMER_KEY_SALT"):
        assert record["salt"] == {"source": "development default", "is_development_default": True}
        assert any("development salt" in warning for warning in record["warnings"])
    assert "cx-dev-salt-not-for-production" not in json.dumps(record)
    received = {check["name"]: check["values"] for check in record["validation"]["checks"]}
    # reconciliation and bounds: the build's dbt tests, one check each, as dbt ran them
    from_dbt = {c["name"]: c["status"] for c in record["validation"]["checks"] if c["values"].get("tag")}
    assert from_dbt["assert_first_contact_resolution_reconciles_with_journeys"] == "pass"
    assert from_dbt["cx_rates_bounded_mart_retention_curve_"] == "pass"
    assert set(from_dbt.values()) == {"pass"}
    contacts = received["conservation:contacts"]
    assert contacts["received"] == contacts["accepted"] + contacts["superseded"] + contacts["quarantined"]
    connection = duckdb.connect(str(nights.live), read_only=True)
    try:
        state = connection.execute("select run_id from ops.nightly_state").fetchone()[0]
    finally:
        connection.close()
    assert state == record["run_id"]
