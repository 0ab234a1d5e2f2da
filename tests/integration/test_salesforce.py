"""SPEC §8.3, §8.5 end to end: Salesforce Service Cloud as Fivetran lands it — cases, messaging sessions,
voice calls, and the CRM as Contact / Account — becomes contacts, events and customers; every record is
accounted for (accepted, superseded, excluded or quarantined with its reason); the records carry the
simulated contacts exactly where Salesforce carries the data (parity with the landing zone); Connect
voice, Zendesk email and Salesforce CRM and messaging on at once make one estate where a Service Cloud
Voice call and its Connect record are one contact; night by night equals a full refresh.

The datasets: one seed written with `--format salesforce` (the CRM as Contacts; email and web as cases,
messaging as sessions, voice as voice calls; chat in the landing zone) and the same seed as the landing
zone alone; the three-system estate with `--format amazon_connect+salesforce+zendesk`. The generator's
`salesforce/_parity.json` says what it wrote and which facts Salesforce cannot carry (`not_reproducible`,
docs/sources/salesforce.md §5).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
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
SOURCES = "landing_zone,salesforce"
ALL_SOURCES = "landing_zone,amazon_connect,zendesk,salesforce"
THREE_SYSTEMS = "amazon_connect+salesforce+zendesk"
OBJECTS = (
    "salesforce.case",
    "salesforce.case_history",
    "salesforce.messaging_session",
    "salesforce.voice_call",
    "salesforce.contact",
)
# a landing-zone id CT…<n> / CUST<n> is Salesforce record <prefix><n, 15 digits> (the generator's rules)
NUMBER = "cast(regexp_extract(right({}, 15), '([0-9]+)$', 1) as bigint)"


def _checks(record: dict) -> dict[str, dict]:
    return {check["name"]: check for check in record["validation"]["checks"]}


@pytest.fixture(scope="module")
def salesforce_night(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("salesforce")
    raw = root / "raw"
    generate(raw, *DATASET, "--format", "salesforce", "--bad-rows")
    live = root / "warehouse" / "cx.duckdb"
    # with freshness: the landing zone's customers folder is absent, which it reports, not as an error
    result = run_nightly(raw, live, env=nightly_env(CX_SOURCES=SOURCES), freshness=True)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr[-3000:]}"
    parity = json.loads((raw / "salesforce" / "_parity.json").read_text())
    return {"root": root, "raw": raw, "live": live, "record": latest_record(live), "parity": parity}


def test_every_salesforce_record_is_accounted_for(salesforce_night: dict) -> None:
    record, parity = salesforce_night["record"], salesforce_night["parity"]
    assert record["sources"] == ["landing_zone", "salesforce"]
    checks = _checks(record)
    for table in OBJECTS:
        assert checks[f"conservation:{table}"]["status"] == "pass", checks[f"conservation:{table}"]
    for table in ("contacts", "contact_events", "customers"):
        assert checks[f"staged:{table}"]["status"] == "pass", checks[f"staged:{table}"]
    contacts = parity["contacts"]
    spam_pending = parity["spam_cases_not_yet_deleted"]
    assert checks["conservation:salesforce.case"]["values"]["accepted"] == (
        contacts["cases_from_email_web"] + spam_pending
    )
    assert (
        checks["conservation:salesforce.messaging_session"]["values"]["accepted"]
        == (contacts["messaging_sessions"])
    )
    assert checks["conservation:salesforce.voice_call"]["values"]["accepted"] == contacts["voice_calls"]
    # the landing zone's customers folder is absent: the CRM is Salesforce's Contacts
    assert not (salesforce_night["raw"] / "customers").exists()
    assert record["freshness"]["sources"]["crm.customers"]["status"].startswith("absent")
    connection = duckdb.connect(str(salesforce_night["live"]), read_only=True)
    try:
        excluded = dict(
            connection.execute(
                "select _excluded_reason, count(distinct contact_id) from staging.base_platform__contacts "
                "where source_system = 'salesforce' and _status = 'excluded' group by 1"
            ).fetchall()
        )
        customers = connection.execute(
            "select count(distinct customer_id) from staging.base_crm__customers "
            "where source_system = 'salesforce' and _status = 'accepted'"
        ).fetchone()[0]
    finally:
        connection.close()
    expected = parity["excluded_expected"]
    bad_deleted = len(parity["bad_row_ids"].get("history_of_deleted_case", []))
    assert excluded == {
        "merged": expected["merged"],
        "deleted": expected["deleted"] + bad_deleted,
        "system": expected["system"],
        "case_of_session": expected["case_of_session"],
    }
    raw_contacts = (
        duckdb.connect()
        .execute(
            "select count(distinct id) from read_parquet(?)",
            [str(salesforce_night["raw"] / "salesforce" / "contact" / "*" / "*.parquet")],
        )
        .fetchone()[0]
    )
    assert customers == raw_contacts > 400


def test_bad_salesforce_records_get_their_reason(salesforce_night: dict) -> None:
    bad = salesforce_night["parity"]["bad_row_ids"]
    connection = duckdb.connect(str(salesforce_night["live"]), read_only=True)
    try:
        quarantined = set(
            connection.execute(
                "select table_name, reason, record_key from staging.quarantine "
                "where table_name like 'salesforce.%'"
            ).fetchall()
        )
        history = connection.execute(
            "select status, reason from staging.stg_salesforce__case_history_statuses "
            "where record_key in (select id from read_parquet(?)) ",
            [str(salesforce_night["raw"] / "salesforce" / "case_history" / "*" / "part-0900.parquet")],
        ).fetchall()
    finally:
        connection.close()
    assert ("salesforce.case", "unknown_enum", bad["case_unknown_origin"][0]) in quarantined
    assert ("salesforce.case", "missing_value", bad["case_without_created_date"][0]) in quarantined
    session = bad["session_unknown_agent_type"][0]
    assert ("salesforce.messaging_session", "unknown_enum", session) in quarantined
    assert {reason for table, reason, _ in quarantined if table == "salesforce.contact"} == {"missing_key"}
    # history rows of a deleted case: excluded with it, none lost
    assert history and set(history) == {("excluded", "deleted")}


def test_no_personal_data_from_salesforce(salesforce_night: dict) -> None:
    raw = salesforce_night["raw"]
    values = raw_personal_values(raw)
    connection = duckdb.connect()
    rows = connection.execute(
        f"select name, email, phone "
        f"from read_parquet('{raw}/salesforce/contact/**/*.parquet', union_by_name = true) "
        f"union all select supplied_email, supplied_phone, null "
        f"from read_parquet('{raw}/salesforce/case/**/*.parquet', union_by_name = true) "
        f"union all select from_phone_number, to_phone_number, null "
        f"from read_parquet('{raw}/salesforce/voice_call/**/*.parquet', union_by_name = true)"
    ).fetchall()
    connection.close()
    personal = {value for row in rows for value in row if value and len(value) >= 8}
    assert len(personal) > 500
    assert scan(salesforce_night["live"], values | personal) == {}


@pytest.fixture(scope="module")
def parity_builds(salesforce_night: dict) -> duckdb.DuckDBPyConnection:
    # the same seed as the landing zone alone (`lz`) and in Salesforce (`sf`), no bad rows
    connection = build_parity_pair(salesforce_night["root"], DATASET, "salesforce", SOURCES, "sf")
    yield connection
    connection.close()


def test_salesforce_records_carry_the_simulated_contacts(parity_builds: duckdb.DuckDBPyConnection) -> None:
    # every email, web, messaging and voice contact is one Salesforce record with the same number; what
    # Salesforce carries is equal: start, agent connect, customer (the Contact), and the end of every resolved
    # contact; a voice call's chain is its transfer chain (docs/sources/salesforce.md §5 lists the rest)
    pairs = f"""
        select lz.contact_id, sf.contact_id as sf_contact_id, lz.channel, sf.channel as sf_channel,
            lz.initiated_at, sf.initiated_at as sf_initiated_at,
            lz.connected_to_agent_at, sf.connected_to_agent_at as sf_connected_at,
            lz.disconnected_at, sf.disconnected_at as sf_disconnected_at, lz.disposition,
            {NUMBER.format("lz.customer_id")} as customer_number,
            {NUMBER.format("sf.customer_id")} as sf_customer_number,
            {NUMBER.format("lz.initial_contact_id")} as attempt_number,
            {NUMBER.format("sf.initial_contact_id")} as sf_attempt_number
        from (
            select * from lz.staging.stg_platform__contacts
            where channel in ('email', 'web', 'messaging', 'voice')
        ) as lz
        full join (select * from sf.staging.stg_platform__contacts where source_system = 'salesforce') as sf
            on {NUMBER.format("lz.contact_id")} = {NUMBER.format("sf.contact_id")}
    """
    unmatched, different, customers, ends, chains, contacts = parity_builds.execute(
        f"""
        select
            count(case when contact_id is null or sf_contact_id is null then 1 end),
            count(case when channel <> sf_channel or initiated_at <> sf_initiated_at
                or connected_to_agent_at is distinct from sf_connected_at then 1 end),
            count(case when customer_number is distinct from sf_customer_number then 1 end),
            count(case when disposition = 'resolved' and disconnected_at <> sf_disconnected_at then 1 end),
            count(case when channel = 'voice' and attempt_number <> sf_attempt_number then 1 end),
            count(*)
        from ({pairs})
        """
    ).fetchone()
    assert contacts > 500
    assert (unmatched, different, customers, ends, chains) == (0, 0, 0, 0, 0)
    # an attempt's final disposition: a session or call takes its case's, which is the attempt's
    resolved = parity_builds.execute(
        f"""
        select count(*)
        from lz.core.fct_attempts as lz
        inner join sf.core.fct_attempts as sf
            on {NUMBER.format("lz.attempt_id")} = {NUMBER.format("sf.attempt_id")}
        where lz.channel in ('messaging', 'voice')
            and (lz.final_disposition = 'resolved') <> (sf.final_disposition = 'resolved')
        """
    ).fetchone()[0]
    assert resolved == 0


def test_chat_and_the_rest_are_untouched(parity_builds: duckdb.DuckDBPyConnection) -> None:
    columns = "contact_id, channel, initiated_at, disconnected_at, queue, disposition"
    for left, right in (("lz", "sf"), ("sf", "lz")):
        extra = parity_builds.execute(
            f"select count(*) from (select {columns} from {left}.core.fct_contacts where channel = 'chat' "
            f"except all select {columns} from {right}.core.fct_contacts where channel = 'chat')"
        ).fetchone()[0]
        assert extra == 0, (left, right)
    # the same CRM: segments and regions of the current customer versions
    for query in (
        "select segment, region, count(*) from {}.core.dim_customers group by 1, 2",
        "select count(*) from {}.core.dim_customers_history",
    ):
        assert sorted(parity_builds.execute(query.format("lz")).fetchall()) == sorted(
            parity_builds.execute(query.format("sf")).fetchall()
        )


def test_reconciliation_mart_reads_salesforce_beside_ours(
    parity_builds: duckdb.DuckDBPyConnection, salesforce_night: dict
) -> None:
    clean_raw = salesforce_night["root"] / "salesforce_clean"
    clean = json.loads((clean_raw / "salesforce" / "_parity.json").read_text())
    contacts = clean["contacts"]
    (opened, closed, first_contact, sessions, bots, handoffs, calls, handled, matured, fcr) = (
        parity_builds.execute(
            "select sum(salesforce_cases_opened), sum(salesforce_cases_closed), "
            "sum(salesforce_cases_closed_first_contact), sum(salesforce_messaging_sessions), "
            "sum(salesforce_bot_sessions), sum(salesforce_bot_to_agent_sessions), "
            "sum(salesforce_voice_calls), "
            "sum(salesforce_voice_calls_handled), sum(matured_journeys), sum(fcr_journeys) "
            "from sf.outcomes.mart_salesforce_reconciliation"
        ).fetchone()
    )
    assert opened == (
        contacts["cases_from_email_web"]
        + contacts["voice_cases"]
        + contacts["messaging_cases"]
        + clean["spam_cases_not_yet_deleted"]
    )
    assert 0 < first_contact <= closed <= opened
    assert sessions == contacts["messaging_sessions"] and bots > 0 and handoffs > 0
    assert calls == contacts["voice_calls"] and 0 < handled <= calls
    assert 0 < fcr <= matured


def test_summary_shows_salesforce_beside_ours(salesforce_night: dict) -> None:
    connection = duckdb.connect(str(salesforce_night["live"]), read_only=True)
    try:
        sections = dict(build_summary(connection))
    finally:
        connection.close()
    rows = dict(sections["Salesforce: its service numbers beside ours"])
    assert rows["Salesforce cases opened"].replace(",", "").isdigit()
    assert rows["Salesforce FCR (within the case)"].endswith("%")


def test_three_systems_one_estate_nothing_counted_twice(tmp_path: Path) -> None:
    # SPEC §8: voice and chat in Amazon Connect (every voice record also a Salesforce voice call: Service
    # Cloud Voice), email and web in Zendesk, messaging and the CRM in Salesforce
    raw, live = tmp_path / "raw", tmp_path / "warehouse" / "cx.duckdb"
    generate(raw, *DATASET, "--format", THREE_SYSTEMS, "--bad-rows")
    assert not (raw / "contacts").exists() and not (raw / "customers").exists()
    result = run_nightly(raw, live, env=nightly_env(CX_SOURCES=ALL_SOURCES))
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr[-3000:]}"
    checks = _checks(latest_record(live))
    for name, check in checks.items():
        if name.startswith(("conservation:", "staged:")):
            assert check["status"] == "pass", check
    parity = json.loads((raw / "salesforce" / "_parity.json").read_text())
    accepted = {
        table: checks[f"conservation:{table}"]["values"]["accepted"]
        for table in ("amazon_connect.contact_records", "zendesk.ticket", "salesforce.case",
                      "salesforce.messaging_session", "salesforce.voice_call")
    }  # fmt: skip
    connection = duckdb.connect(str(live), read_only=True)
    try:
        by_source = dict(
            connection.execute("select source_system, count(*) from core.fct_contacts group by 1").fetchall()
        )
        distinct_contacts = connection.execute(
            "select count(distinct contact_id) from core.fct_contacts"
        ).fetchone()[0]
        folded, ambiguous = connection.execute(
            "select sum(salesforce_calls_counted_as_connect), sum(salesforce_connect_contacts_ambiguous) "
            "from outcomes.mart_salesforce_reconciliation"
        ).fetchone()
        case_links, connect_voice = connection.execute(
            "select count(case_id), count(*) from core.fct_contacts "
            "where source_system = 'amazon_connect' and channel = 'voice'"
        ).fetchone()
        spanning = dict(
            connection.execute(
                """
                select sources, count(*) from (
                    select journey_id, count(distinct source_system) as sources
                    from core.fct_attempts
                    where is_identified
                    group by journey_id
                ) group by 1
                """
            ).fetchall()
        )
    finally:
        connection.close()
    # every contact once: Connect's, Zendesk's and Salesforce's sessions; the voice calls are Connect's
    assert set(by_source) == {"amazon_connect", "zendesk", "salesforce"}
    assert sum(by_source.values()) == distinct_contacts
    assert sum(by_source.values()) == sum(accepted.values()) - folded
    assert (
        folded
        == accepted["salesforce.voice_call"]
        == parity["scv_pairs"] + len(parity["bad_row_ids"]["voice_call_duplicate_vendor_call_key"])
    )
    assert ambiguous == len(parity["bad_row_ids"]["voice_call_duplicate_vendor_call_key"])
    # the call adds its case link to the Connect record (the one named twice agrees, so it keeps one too)
    assert case_links == connect_voice
    # journeys across systems: a Connect call, a Zendesk ticket and a Salesforce session of one customer
    assert spanning.get(2, 0) > 0 and spanning.get(3, 0) > 0


def test_night_by_night_three_systems_equals_a_full_refresh(tmp_path: Path) -> None:
    # new case, session and call versions each night (closes, merges, deletions), Connect records and their
    # Service Cloud Voice calls, Zendesk tickets, CRM versions in Salesforce
    assert_nights_equal_full_refresh(
        tmp_path,
        nightly_env(CX_SOURCES=ALL_SOURCES),
        *("--seed", "3", "--customers", "400", "--days", "30", "--format", THREE_SYSTEMS),
    )
