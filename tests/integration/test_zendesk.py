"""SPEC §8.3, §8.4 end to end: Zendesk tickets as Fivetran lands them become contacts, events and CSAT
responses; every ticket, comment and rating row is accounted for (accepted, superseded, excluded or
quarantined with its reason); the tickets carry the simulated contacts exactly where Zendesk carries the data;
Connect and Zendesk on at once make one customer's call and later ticket one journey, nothing counted twice;
night by night equals a full refresh.

The datasets: one seed written with `--format zendesk` (email, web and messaging contacts as Zendesk tables,
voice and chat in the landing zone) and the same seed as the landing zone alone; a mixed estate with
`--format amazon_connect+zendesk`. The generator's `zendesk/_parity.json` says what it wrote and which facts a
ticket cannot carry (its `not_reproducible` list, docs/sources/zendesk.md section 4).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from scripts.summary import build_summary
from tests.conftest import generate
from tests.integration._nightly_support import (
    assert_nights_equal_full_refresh,
    build_parity_pair,
    latest_record,
    nightly_env,
    run_nightly,
)
from tests.integration.test_no_personal_data import raw_personal_values, scan

DATASET = ("--seed", "5", "--customers", "500", "--start-date", "2025-01-01", "--days", "120")
SOURCES = "landing_zone,zendesk"
MIXED_SOURCES = "landing_zone,amazon_connect,zendesk"
OBJECTS = ("zendesk.ticket", "zendesk.ticket_comment", "zendesk.satisfaction_ratings")
# a landing-zone contact CT…<n> is Zendesk ticket <n>; the tickets the generator adds (merged duplicates,
# deleted tickets, bad rows) carry a kind digit no contact has (the generator's rules, _parity.json "rules")
TICKET_NUMBER = "cast(regexp_extract({}, '([0-9]+)$', 1) as bigint)"
EXTRA_TICKET = "(" + TICKET_NUMBER + " // 100) % 10 in (5, 6, 8, 9)"


def _checks(record: dict) -> dict[str, dict]:
    return {check["name"]: check for check in record["validation"]["checks"]}


@pytest.fixture(scope="module")
def zendesk_night(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("zendesk")
    raw = root / "raw"
    generate(raw, *DATASET, "--format", "zendesk", "--bad-rows")
    live = root / "warehouse" / "cx.duckdb"
    result = run_nightly(raw, live, env=nightly_env(CX_SOURCES=SOURCES))
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr[-3000:]}"
    parity = json.loads((raw / "zendesk" / "_parity.json").read_text())
    return {"root": root, "raw": raw, "live": live, "record": latest_record(live), "parity": parity}


def test_every_zendesk_row_is_accounted_for(zendesk_night: dict) -> None:
    record, parity = zendesk_night["record"], zendesk_night["parity"]
    assert record["sources"] == ["landing_zone", "zendesk"]
    checks = _checks(record)
    for table in OBJECTS:
        assert checks[f"conservation:{table}"]["status"] == "pass", checks[f"conservation:{table}"]
    tickets = checks["conservation:zendesk.ticket"]["values"]
    # the good ticket rows and the --bad-rows file's (part-0900.parquet)
    bad_files = sorted((zendesk_night["raw"] / "zendesk" / "ticket").rglob("part-0900.parquet"))
    assert bad_files
    bad_rows = sum(pq.ParquetFile(path).metadata.num_rows for path in bad_files)
    assert tickets["received"] == parity["ticket_rows"] + bad_rows
    # a ticket created on the last day whose deletion lands after it is still a contact (not deleted yet)
    connection = duckdb.connect(str(zendesk_night["live"]), read_only=True)
    try:
        pending_deletions, last_day = connection.execute(
            "select count(*), min(_load_date) from staging.base_platform__contacts "
            "where source_system = 'zendesk' and _status = 'accepted' "
            f"and {EXTRA_TICKET.format('contact_id')}"
        ).fetchone()
    finally:
        connection.close()
    assert pending_deletions <= 1
    if pending_deletions:
        assert (
            str(last_day)
            == json.loads((zendesk_night["raw"] / "_generator.json").read_text())["last_load_date"]
        )
    assert tickets["accepted"] == parity["tickets"] + pending_deletions
    assert tickets["excluded"] > 0 and tickets["quarantined"] == 2
    ratings = checks["conservation:zendesk.satisfaction_ratings"]["values"]
    assert ratings["accepted"] == parity["csat_good"] + parity["csat_bad"]
    assert checks["staged:contacts"]["status"] == "pass"
    assert checks["staged:contact_events"]["status"] == "pass"


def test_bad_zendesk_records_get_their_reason(zendesk_night: dict) -> None:
    bad = zendesk_night["parity"]["bad_row_ids"]
    connection = duckdb.connect(str(zendesk_night["live"]), read_only=True)
    try:
        quarantined = {
            (table, reason, record_key)
            for table, reason, record_key in connection.execute(
                "select table_name, reason, record_key from staging.quarantine "
                "where table_name like 'zendesk.%'"
            ).fetchall()
        }
        orphan_rows = [
            json.loads(row[0])
            for row in connection.execute(
                "select raw_row from staging.quarantine where table_name = 'zendesk.ticket_comment'"
            ).fetchall()
        ]
        rating = connection.execute(
            "select _status, _excluded_reason from staging.base_platform__survey_responses "
            "where contact_id = ?",
            [f"zendesk:{bad['rating_on_deleted_ticket'][0]}"],
        ).fetchall()
        ties = [
            (
                tie,
                connection.execute(
                    "select _source_file, _file_row_number, _status from staging.base_platform__contacts "
                    "where contact_id = ? and _loaded_at = cast(? as timestamp) "
                    "order by _source_file, _file_row_number",
                    [f"zendesk:{tie['ticket_id']}", tie["updated_at"]],
                ).fetchall(),
            )
            for tie in bad["tie_same_updated_at"]
        ]
    finally:
        connection.close()
    assert ("zendesk.ticket", "missing_value", f"zendesk:{bad['ticket_without_requester'][0]}") in quarantined
    assert ("zendesk.ticket", "unknown_enum", f"zendesk:{bad['unknown_via_channel'][0]}") in quarantined
    assert [row["ticket_id"] for row in orphan_rows] == bad["comment_of_unknown_ticket"]
    assert all("body" not in row for row in orphan_rows)
    assert rating == [("excluded", "deleted")]
    # two versions with one updated_at: the one read first is superseded (the last read wins, SPEC §2)
    assert ties
    for tie, tied in ties:
        assert len(tied) == 2 and tied[0][2] == "superseded", tie


def test_no_personal_data_from_zendesk(zendesk_night: dict) -> None:
    raw = zendesk_night["raw"]
    values = raw_personal_values(raw)
    connection = duckdb.connect()
    rows = connection.execute(
        f"select email, phone from read_parquet('{raw}/zendesk/user/**/*.parquet', union_by_name = true)"
    ).fetchall()
    connection.close()
    requesters = {value for row in rows for value in row if value and len(value) >= 8}
    assert len(requesters) > 100
    assert scan(zendesk_night["live"], values | requesters) == {}


@pytest.fixture(scope="module")
def parity_builds(zendesk_night: dict) -> duckdb.DuckDBPyConnection:
    # the same seed as the landing zone alone (`lz`) and as Zendesk tickets (`zd`), no bad rows
    connection = build_parity_pair(zendesk_night["root"], DATASET, "zendesk", SOURCES, "zd")
    yield connection
    connection.close()


def test_tickets_carry_the_simulated_contacts(
    parity_builds: duckdb.DuckDBPyConnection, zendesk_night: dict
) -> None:
    connection = parity_builds
    pairs = f"""
        select lz_contacts.*, zd_contacts.contact_id as ticket_contact_id,
            zd_contacts.channel as ticket_channel, zd_contacts.queue as ticket_queue,
            zd_contacts.initiated_at as ticket_initiated_at,
            zd_contacts.connected_to_agent_at as ticket_connected_at,
            zd_contacts.disconnected_at as ticket_disconnected_at,
            zd_contacts.disposition as ticket_disposition,
            zd_contacts.customer_key as ticket_customer_key
        from lz.core.fct_contacts as lz_contacts
        full join (
            select * from zd.core.fct_contacts
            where source_system = 'zendesk' and not {EXTRA_TICKET.format("contact_id")}
        ) as zd_contacts
            on {TICKET_NUMBER.format("lz_contacts.contact_id")}
                = {TICKET_NUMBER.format("zd_contacts.contact_id")}
        where lz_contacts.channel in ('email', 'web', 'messaging') or zd_contacts.contact_id is not null
    """
    unmatched, different = connection.execute(
        f"""
        select
            count(case when contact_id is null or ticket_contact_id is null then 1 end),
            count(case when contact_id is not null and ticket_contact_id is not null and (
                channel <> ticket_channel or queue is distinct from ticket_queue
                or initiated_at <> ticket_initiated_at
                or connected_to_agent_at is distinct from ticket_connected_at
                or (disposition = 'resolved' and disconnected_at <> ticket_disconnected_at)
                or (disposition = 'resolved') <> (ticket_disposition = 'resolved')
            ) then 1 end)
        from ({pairs})
        """
    ).fetchone()
    assert (unmatched, different) == (0, 0)
    # identity (SPEC §8.1): external_id, else a unique e-mail / phone match; a requester whose CRM e-mail
    # changed after the ticket is found by nobody (the match reads the current version)
    lost = connection.execute(
        f"select count(*) from ({pairs}) where customer_key is distinct from ticket_customer_key"
    ).fetchone()[0]
    clean = json.loads((zendesk_night["root"] / "zendesk_clean" / "zendesk" / "_parity.json").read_text())
    assert lost == clean["identity"]["by_email_or_phone_unrecoverable"]


def test_voice_and_chat_are_untouched(parity_builds: duckdb.DuckDBPyConnection) -> None:
    columns = "contact_id, channel, initiated_at, disconnected_at, customer_key, queue, agent_id, disposition"
    for left, right in (("lz", "zd"), ("zd", "lz")):
        extra = parity_builds.execute(
            f"select count(*) from (select {columns} from {left}.core.fct_contacts "
            f"where channel in ('voice', 'chat') except all select {columns} from {right}.core.fct_contacts "
            "where channel in ('voice', 'chat'))"
        ).fetchone()[0]
        assert extra == 0, (left, right)


def test_csat_from_satisfaction_ratings(
    parity_builds: duckdb.DuckDBPyConnection, zendesk_night: dict
) -> None:
    clean = json.loads((zendesk_night["root"] / "zendesk_clean" / "zendesk" / "_parity.json").read_text())
    scores = dict(
        parity_builds.execute(
            "select score_rescaled, count(*) from zd.core.fct_survey_responses "
            "where response_id like 'zendesk:%' group by 1"
        ).fetchall()
    )
    assert scores == {5.0: clean["csat_good"], 1.0: clean["csat_bad"]}


def test_reconciliation_mart_reads_zendesk_beside_ours(parity_builds: duckdb.DuckDBPyConnection) -> None:
    tickets, one_touch, solved, replied, reply, business, matured, fcr = parity_builds.execute(
        "select sum(zendesk_tickets), sum(zendesk_one_touch_tickets), sum(zendesk_solved_tickets), "
        "sum(zendesk_replied_tickets), sum(zendesk_first_reply_minutes_total), "
        "sum(zendesk_first_reply_business_minutes_total), sum(matured_journeys), sum(fcr_journeys) "
        "from zd.outcomes.mart_zendesk_reconciliation"
    ).fetchone()
    contacts = parity_builds.execute(
        "select count(*) from zd.core.fct_contacts where source_system = 'zendesk'"
    ).fetchone()[0]
    assert tickets == contacts
    assert 0 < one_touch <= solved <= tickets and 0 < replied <= tickets
    # business minutes never exceed calendar minutes, and a queue overnight makes them fewer
    assert 0 < business < reply
    assert 0 < fcr <= matured


def test_summary_shows_zendesk_beside_ours(zendesk_night: dict) -> None:
    connection = duckdb.connect(str(zendesk_night["live"]), read_only=True)
    try:
        sections = dict(build_summary(connection))
    finally:
        connection.close()
    rows = dict(sections["Zendesk: its ticket metrics beside ours"])
    assert rows["Zendesk tickets"].replace(",", "").isdigit()
    assert rows["Zendesk one-touch rate (within the ticket)"].endswith("%")


def test_mixed_estate_one_journey_across_connect_and_zendesk(tmp_path: Path) -> None:
    # SPEC §8: voice and chat in Amazon Connect, email, web and messaging in Zendesk, the CRM in the landing
    # zone
    raw, live = tmp_path / "raw", tmp_path / "warehouse" / "cx.duckdb"
    generate(raw, *DATASET, "--format", "amazon_connect+zendesk")
    assert not (raw / "contacts").exists()
    result = run_nightly(raw, live, env=nightly_env(CX_SOURCES=MIXED_SOURCES))
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr[-3000:]}"
    checks = _checks(latest_record(live))
    for name in ("conservation:amazon_connect.contact_records", *(f"conservation:{t}" for t in OBJECTS)):
        assert checks[name]["status"] == "pass", checks[name]
    accepted = sum(
        checks[f"conservation:{table}"]["values"]["accepted"]
        for table in ("amazon_connect.contact_records", "zendesk.ticket")
    )
    connection = duckdb.connect(str(live), read_only=True)
    try:
        by_source = dict(
            connection.execute("select source_system, count(*) from core.fct_contacts group by 1").fetchall()
        )
        distinct_contacts = connection.execute(
            "select count(distinct contact_id) from core.fct_contacts"
        ).fetchone()[0]
        spanning = connection.execute(
            """
            select count(*) from (
                select journey_id
                from core.fct_attempts
                where is_identified
                group by journey_id
                having count(distinct source_system) = 2
            )
            """
        ).fetchone()[0]
        call_then_ticket = connection.execute(
            """
            select count(*)
            from core.fct_attempts as calls
            inner join core.fct_attempts as tickets
                on calls.journey_id = tickets.journey_id and tickets.attempt_number = calls.attempt_number + 1
            where calls.source_system = 'amazon_connect' and calls.channel = 'voice'
                and tickets.source_system = 'zendesk'
            """
        ).fetchone()[0]
    finally:
        connection.close()
    # every contact once: Connect's and Zendesk's, none from the landing zone, nothing twice
    assert set(by_source) == {"amazon_connect", "zendesk"}
    assert sum(by_source.values()) == distinct_contacts == accepted
    assert spanning > 0 and call_then_ticket > 0


def test_night_by_night_from_zendesk_equals_a_full_refresh(tmp_path: Path) -> None:
    # new ticket versions each night (reopens, solves, closes, merges, deletions of older tickets), CRM
    # versions that change a requester's e-mail (the identity match is re-evaluated)
    assert_nights_equal_full_refresh(
        tmp_path,
        nightly_env(CX_SOURCES=SOURCES),
        *("--seed", "3", "--customers", "400", "--days", "30", "--format", "zendesk"),
    )
