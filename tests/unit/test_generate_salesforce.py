"""Tests of ``scripts.generate_data --format salesforce`` and the three-system estate
(``amazon_connect+salesforce+zendesk``).

The Salesforce objects must hold exactly the email, web, messaging and voice contacts and the CRM of a
landing zone generated with the same seed (parity): one record version per landing-zone contacts / customers
row, ids that map back (``CT<n>`` -> ``<prefix><n>``, ``CUST<n>`` -> ``003<n>``), the same times and values;
the landing zone of the Salesforce format keeps chat and the other tables, with Salesforce's ids. The
references below are written independently of the generator: plain SQL and Python over the files it writes.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scripts.generate_data import MANIFEST, main

ARGS = ["--seed", "5", "--customers", "2000", "--start-date", "2025-03-01", "--quiet"]
DAYS = 30
SALESFORCE = ["--format", "salesforce"]
MIXED3 = ["--format", "amazon_connect+salesforce+zendesk"]
PARITY = Path("salesforce") / "_parity.json"
PREFIX = {
    "case": "500", "case_history": "017", "messaging_session": "0Mw", "voice_call": "0LQ", "contact": "003",
    "account": "001", "user": "005", "group": "00G",
}  # fmt: skip
# the columns the adapter reads (the brief's contract), by object
COLUMNS = {
    "contact": {
        "id", "account_id", "name", "email", "phone", "created_date", "system_modstamp",
        "preferred_channel_c", "is_deleted",
    },
    "account": {"id", "type", "billing_country", "system_modstamp", "is_deleted"},
    "user": {"id", "name", "is_active", "system_modstamp"},
    "group": {"id", "name", "type", "system_modstamp"},
    "case": {
        "id", "case_number", "contact_id", "account_id", "origin", "status", "is_closed", "closed_date",
        "created_date", "owner_id", "parent_id", "master_record_id", "reason", "supplied_email",
        "supplied_phone", "system_modstamp", "is_deleted",
    },
    "case_history": {"id", "case_id", "field", "old_value", "new_value", "created_date", "is_deleted"},
    "messaging_session": {
        "id", "case_id", "messaging_end_user_id", "agent_type", "status", "channel_type", "start_time",
        "accept_time", "end_time", "created_date", "system_modstamp", "is_deleted",
    },
    "voice_call": {
        "id", "call_type", "vendor_call_key", "parent_voice_call_id", "related_record_id",
        "from_phone_number", "to_phone_number", "call_start_date_time", "call_accept_date_time",
        "call_end_date_time",
        "call_disposition", "call_duration_in_seconds", "total_hold_duration", "agent_interaction_duration",
        "after_conversation_actual_duration", "system_modstamp", "is_deleted",
    },
}  # fmt: skip
INT_COLUMNS = {
    "call_duration_in_seconds", "total_hold_duration", "agent_interaction_duration",
    "after_conversation_actual_duration",
}  # fmt: skip
STATUS = {
    "resolved": "Closed", "unresolved": "Closed - Unresolved", "escalated": "Escalated", "abandoned": "New",
    "transferred": "New",
}  # fmt: skip
SF_CHANNELS = ("email", "web", "messaging", "voice")


def generate(out: Path, *args: str) -> Path:
    assert main([*args, "--out", str(out)]) == 0
    return out


def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("set timezone = 'UTC'")
    return connection


def sf(root: Path, table: str, files: str = "part-0.parquet") -> str:
    return f"read_parquet('{root}/salesforce/{table}/*/{files}', union_by_name = true)"


def lz(root: Path, table: str, files: str = "part-0000.parquet") -> str:
    return f"read_parquet('{root}/{table}/*/{files}', union_by_name = true)"


def instant(column: str) -> str:
    """A landing-zone timestamp (typed, TIMESTAMP WITH TIME ZONE or ISO text) as a naive UTC timestamp."""
    return f"cast(timezone('UTC', try_cast(cast({column} as varchar) as timestamptz)) as timestamp)"


def rows(root: Path, table: str, where: str = "true", files: str = "part-0.parquet") -> list[dict]:
    cursor = con().execute(f"select * from {sf(root, table, files)} where {where}")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def number(record_id: str) -> int:
    """The number of a Salesforce id (``CT<n>``, ``CUST<n>`` and ``AGT<n>`` work too)."""
    return int(re.sub(r"^(CT|CUST|AGT|[0-9A-Za-z]{3})", "", record_id))


def sf_id(prefix: str, landing_id: str | None) -> str | None:
    return None if landing_id is None else prefix + str(number(landing_id)).zfill(15)


def from_contact(record_id: str) -> bool:
    """A record of a simulated contact (kind digit 0 or 1), not a merged duplicate, System session, bad or
    deleted record."""
    return number(record_id) // 100 % 10 in (0, 1)


def latest(records: list[dict], key: str = "id", version: str = "system_modstamp") -> dict[str, dict]:
    last = {}
    for r in sorted(records, key=lambda r: (r[version], r["_fivetran_synced"])):
        last[r[key]] = r
    return last


# ---- fixtures -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def salesforce(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("salesforce"), *ARGS, "--days", str(DAYS), *SALESFORCE)


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("landing"), *ARGS, "--days", str(DAYS))


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("mixed3"), *ARGS, "--days", str(DAYS), *MIXED3)


@pytest.fixture(scope="module")
def parity(salesforce) -> dict:
    return json.loads((salesforce / PARITY).read_text())


@pytest.fixture(scope="module")
def lz_contacts(landing) -> list[dict]:
    """Every landing-zone contacts row (re-deliveries too), enums normalised."""
    cursor = con().execute(
        f"""
        select contact_id, initial_contact_id, previous_contact_id, customer_id,
            lower(trim(channel)) as channel, lower(trim(initiation_method)) as method, queue, agent_id,
            lower(trim(intent)) as intent, lower(trim(disposition)) as disposition, customer_endpoint,
            {instant("initiated_at")} as initiated_at, {instant("connected_to_agent_at")} as connected_at,
            {instant("disconnected_at")} as disconnected_at, {instant("_loaded_at")} as loaded_at
        from {lz(landing, "contacts")}
        """
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


@pytest.fixture(scope="module")
def attempts(lz_contacts) -> dict[str, dict]:
    """Per attempt (initial contact id): its final disposition (the leg ending last) and its end."""
    legs = defaultdict(dict)
    for r in lz_contacts:
        legs[r["initial_contact_id"]][r["contact_id"]] = r
    result = {}
    for head, by_id in legs.items():
        last = max(by_id.values(), key=lambda r: (r["disconnected_at"], r["contact_id"]))
        result[head] = {"disposition": last["disposition"], "end": last["disconnected_at"]}
    return result


# ---- layout and shapes ----------------------------------------------------------------------------------
def test_objects_columns_and_ids(salesforce):
    for table, columns in COLUMNS.items():
        files = sorted((salesforce / "salesforce" / table).glob("load_date=*/*.parquet"))
        assert files, table
        assert {f.name for f in files} == {"part-0.parquet"}, table
        for path in files:
            date = path.parent.name.removeprefix("load_date=")
            schema = pq.read_schema(path)
            assert columns | {"_fivetran_synced", "_fivetran_deleted"} <= set(schema.names), table
            for field in schema:
                if field.name == "id" or field.name.endswith("_id"):
                    assert field.type == pa.string(), (table, field)
                if pa.types.is_timestamp(field.type):
                    assert field.type == pa.timestamp("us") and field.type.tz is None, (table, field)
                if field.name in INT_COLUMNS:
                    assert field.type == pa.int64(), (table, field)
            t = pq.read_table(path)
            assert {s.date().isoformat() for s in t.column("_fivetran_synced").to_pylist()} <= {date}
            for value in t.column("id").to_pylist():
                assert len(value) == 18 and value.startswith(PREFIX[table]), (table, value)
            for column in t.column_names:
                if pa.types.is_timestamp(t.schema.field(column).type):
                    assert all(v.microsecond == 0 for v in t.column(column).to_pylist() if v), (table, column)
    # the CRM is Salesforce's: no landing-zone customers; the other tables stay
    assert not (salesforce / "customers").exists()
    for table in ("agents", "contacts", "contact_events", "survey_responses", "orders", "subscriptions"):
        assert list((salesforce / table).glob("load_date=*/*.parquet")), table


# ---- parity with the landing zone ------------------------------------------------------------------------
def test_every_contact_row_is_one_record_version(salesforce, lz_contacts, parity):
    by_channel = defaultdict(list)
    for r in lz_contacts:
        by_channel[r["channel"]].append(r)
    cases = [r for r in rows(salesforce, "case") if from_contact(r["id"])]
    case_versions = Counter(
        (r["id"], r["system_modstamp"]) for r in cases if r["system_modstamp"] == r["_fivetran_synced"]
    )
    # email and web: one case version per row, the case's id is the contact's number
    for channel, origin in (("email", "Email"), ("web", "Web")):
        expected = Counter((sf_id("500", r["contact_id"]), r["loaded_at"]) for r in by_channel[channel])
        got = Counter(
            (r["id"], r["system_modstamp"])
            for r in cases
            if r["origin"] == origin and r["system_modstamp"] == r["_fivetran_synced"]
        )
        assert len(expected) > 50 and got == expected, channel
    # messaging: one session version per row, and its case
    sessions = Counter(
        (r["id"], r["system_modstamp"])
        for r in rows(salesforce, "messaging_session")
        if from_contact(r["id"])
    )
    expected = Counter((sf_id("0Mw", r["contact_id"]), r["loaded_at"]) for r in by_channel["messaging"])
    assert len(expected) > 30 and sessions == expected
    messaging_cases = Counter(
        (sf_id("500", r["contact_id"]), r["loaded_at"]) for r in by_channel["messaging"]
    )
    assert messaging_cases <= case_versions
    # voice: one call version per leg row; one case per attempt, with the head leg's rows
    calls = Counter((r["id"], r["system_modstamp"]) for r in rows(salesforce, "voice_call"))
    expected = Counter((sf_id("0LQ", r["contact_id"]), r["loaded_at"]) for r in by_channel["voice"])
    assert len(expected) > 100 and calls == expected
    heads = [r for r in by_channel["voice"] if r["contact_id"] == r["initial_contact_id"]]
    assert Counter((sf_id("500", r["contact_id"]), r["loaded_at"]) for r in heads) <= case_versions
    phone_cases = {r["id"] for r in cases if r["origin"] == "Phone"}
    assert phone_cases == {sf_id("500", r["initial_contact_id"]) for r in by_channel["voice"]}
    # chat stays in the landing zone
    kept = con().execute(
        f"select lower(trim(channel)), count(*) from {lz(salesforce, 'contacts')} group by 1"
    )
    assert dict(kept.fetchall()) == {"chat": len(by_channel["chat"])}
    contacts = parity["contacts"]
    assert contacts["cases_from_email_web"] == len(
        {r["contact_id"] for c in ("email", "web") for r in by_channel[c]}
    )
    assert (
        contacts["messaging_sessions"]
        == contacts["messaging_cases"]
        == len({r["contact_id"] for r in by_channel["messaging"]})
    )
    assert contacts["voice_calls"] == len({r["contact_id"] for r in by_channel["voice"]})
    assert contacts["voice_cases"] == len(phone_cases)


def test_records_carry_the_landing_zone_values(salesforce, lz_contacts, attempts):
    cases = latest([r for r in rows(salesforce, "case") if from_contact(r["id"])])
    sessions = latest([r for r in rows(salesforce, "messaging_session") if from_contact(r["id"])])
    calls = latest(rows(salesforce, "voice_call"))
    groups = dict(con().execute(f"select id, name from {sf(salesforce, 'group')}").fetchall())
    history = defaultdict(list)
    for r in sorted(rows(salesforce, "case_history"), key=lambda r: (r["created_date"], r["id"])):
        history[r["case_id"]].append(r)
    legs = defaultdict(list)
    for r in sorted({r["contact_id"]: r for r in lz_contacts}.values(), key=lambda r: r["contact_id"]):
        legs[r["initial_contact_id"]].append(r)
    for row in {r["contact_id"]: r for r in lz_contacts}.values():
        channel = row["channel"]
        if channel == "chat":
            continue
        case_key = row["initial_contact_id"] if channel == "voice" else row["contact_id"]
        case = cases[sf_id("500", case_key)]
        if channel == "voice":  # the attempt's customer: its first identified leg's
            customers = [r["customer_id"] for r in legs[row["initial_contact_id"]] if r["customer_id"]]
            assert case["contact_id"] == sf_id("003", customers[0] if customers else None)
        else:
            assert case["contact_id"] == sf_id("003", row["customer_id"])
        if channel != "voice":
            assert case["created_date"] == row["initiated_at"]
            assert (case["reason"] or "").strip().lower() == (row["intent"] or "")
            # the first owner is the queue's group, then the agent's user at connected_to_agent_at
            owners = [
                h for h in history[case["id"]] if h["field"] == "Owner" and h["new_value"].startswith("005")
            ]
            if row["agent_id"] is None:
                assert not owners
            else:
                assert owners[0]["created_date"] == row["connected_at"]
                assert owners[0]["new_value"] == sf_id("005", row["agent_id"])
                assert groups[owners[0]["old_value"]] == (row["queue"] or "Unassigned")
            assert [h["field"] for h in history[case["id"]]].count("created") == 1
        final = attempts[row["initial_contact_id"]]["disposition"]
        disposition = row["disposition"] if channel in ("email", "web") else final
        assert case["status"] == STATUS[disposition], (row["contact_id"], case["status"])
        assert case["is_closed"] == case["status"].startswith("Closed")
        if channel == "messaging":
            session = sessions[sf_id("0Mw", row["contact_id"])]
            assert session["case_id"] == case["id"]
            assert (session["start_time"], session["accept_time"], session["end_time"]) == (
                row["initiated_at"], row["connected_at"], row["disconnected_at"],
            )  # fmt: skip
            if row["connected_at"] is None:
                assert session["agent_type"] in ("Agent", "Bot")
            else:
                assert session["agent_type"] in ("Agent", "BotToAgent")
        if channel == "voice":
            call = calls[sf_id("0LQ", row["contact_id"])]
            assert call["related_record_id"] == case["id"]
            assert call["parent_voice_call_id"] == sf_id("0LQ", row["previous_contact_id"])
            assert (call["call_type"] == "Transfer") == (row["previous_contact_id"] is not None)
            times = (call["call_start_date_time"], call["call_accept_date_time"], call["call_end_date_time"])
            assert times == (row["initiated_at"], row["connected_at"], row["disconnected_at"])
            assert row["customer_endpoint"] in (call["from_phone_number"], call["to_phone_number"])
            assert call["vendor_call_key"] is None
            assert call["call_duration_in_seconds"] == (row["disconnected_at"] - row["initiated_at"]).seconds
            assert 0 <= call["after_conversation_actual_duration"] <= 120


def test_crm_is_contact_and_account(salesforce, landing):
    connection = con()
    customers = connection.execute(
        f"""
        select customer_id, full_name, email, phone, lower(trim(segment)), region,
            lower(trim(preferred_channel)), {instant("created_at")}, {instant("updated_at")},
            {instant("_loaded_at")}
        from {lz(landing, "customers")}
        """
    ).fetchall()
    contacts = connection.execute(
        "select id, name, email, phone, preferred_channel_c, created_date, system_modstamp, _fivetran_synced "
        f"from {sf(salesforce, 'contact')}"
    ).fetchall()
    expected = Counter(
        (sf_id("003", c), name, mail, phone, pref, created, updated, loaded)
        for c, name, mail, phone, _, _, pref, created, updated, loaded in customers
    )
    assert len(expected) > 2000 and Counter(contacts) == expected
    accounts = connection.execute(
        f"select id, type, billing_country, system_modstamp, _fivetran_synced "
        f"from {sf(salesforce, 'account')}"
    ).fetchall()
    assert Counter(accounts) == Counter(
        (sf_id("001", c), seg, region, updated, loaded)
        for c, _, _, _, seg, region, _, _, updated, loaded in customers
    )


def test_landing_zone_tables_name_salesforce_ids(salesforce, landing, lz_contacts):
    connection = con()
    channel = {r["contact_id"]: r["channel"] for r in lz_contacts}
    prefix = {"email": "500", "web": "500", "messaging": "0Mw", "voice": "0LQ"}
    for table, key in (("survey_responses", "response_id"), ("fraud_cases", "fraud_case_id")):
        before = dict(connection.execute(f"select {key}, contact_id from {lz(landing, table)}").fetchall())
        after = dict(connection.execute(f"select {key}, contact_id from {lz(salesforce, table)}").fetchall())
        assert before.keys() == after.keys() and before
        for k, contact_id in before.items():
            kind = channel.get(contact_id)
            assert after[k] == (sf_id(prefix[kind], contact_id) if kind in prefix else contact_id), (table, k)
    for table in ("orders", "subscriptions", "survey_responses", "fraud_cases", "contacts"):
        before = connection.execute(f"select customer_id from {lz(landing, table)}").fetchall()
        after = connection.execute(f"select customer_id from {lz(salesforce, table)}").fetchall()
        if table != "contacts":
            assert Counter(after) == Counter((sf_id("003", c),) for (c,) in before), table
        assert all(c is None or c.startswith("003") for (c,) in after)
    agents = connection.execute(f"select agent_id from {lz(salesforce, 'agents')}").fetchall()
    users = {i for (i,) in connection.execute(f"select id from {sf(salesforce, 'user')}").fetchall()}
    assert agents and {a for (a,) in agents} == users
    chat_agents = connection.execute(f"select distinct agent_id from {lz(salesforce, 'contacts')}").fetchall()
    assert {a for (a,) in chat_agents if a} <= users


# ---- merges, deletes, system sessions ------------------------------------------------------------------
def test_merged_deleted_and_system_records(salesforce, parity):
    cases = rows(salesforce, "case")
    last = latest(cases)
    ids = set(last)
    merged = {i for i, c in last.items() if c["master_record_id"]}
    assert merged and len(merged) == parity["excluded_expected"]["merged"]
    for i in merged:
        assert last[i]["is_deleted"] and last[i]["master_record_id"] in ids and number(i) // 100 % 10 == 5
        assert last[last[i]["master_record_id"]]["contact_id"] == last[i]["contact_id"]
    deleted = {i for i, c in last.items() if c["is_deleted"] and not c["master_record_id"]}
    assert deleted and len(deleted) == parity["excluded_expected"]["deleted"]
    history_cases = {r["case_id"] for r in rows(salesforce, "case_history")}
    assert deleted <= history_cases
    system = [r for r in rows(salesforce, "messaging_session") if r["agent_type"] == "System"]
    assert system and all(r["case_id"] is None for r in system)
    assert len({r["id"] for r in system}) == parity["excluded_expected"]["system"]
    assert parity["excluded_expected"]["case_of_session"] == (
        parity["contacts"]["voice_cases"] + parity["contacts"]["messaging_cases"]
    )
    assert sum(parity["rows"].values()) == sum(
        pq.ParquetFile(f).metadata.num_rows for f in (salesforce / "salesforce").rglob("part-0.parquet")
    )
    # every owner change is written twice: as names and as ids
    owner = Counter(
        (r["case_id"], r["created_date"], (r["new_value"] or "")[:3] in ("005", "00G"))
        for r in rows(salesforce, "case_history")
        if r["field"] == "Owner"
    )
    pairs = Counter((case, at) for case, at, _ in owner)
    assert pairs and all(n == 2 for n in pairs.values())
    assert parity["rules"] and parity["not_reproducible"]


# ---- determinism, nightly append ----------------------------------------------------------------------
def digests(root: Path, folders: tuple[str, ...] = ("salesforce",)) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for folder in folders
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


def test_same_arguments_same_files(salesforce, tmp_path):
    again = generate(tmp_path, *ARGS, "--days", str(DAYS), *SALESFORCE)
    assert digests(again, ("salesforce", "orders", "contacts")) == digests(
        salesforce, ("salesforce", "orders", "contacts")
    )


@pytest.mark.parametrize("fmt", [SALESFORCE, MIXED3], ids=["salesforce", "mixed3"])
def test_append_day_equals_one_more_day(fmt, tmp_path):
    full = generate(tmp_path / "full", *ARGS, "--days", "12", *fmt)
    part = generate(tmp_path / "part", *ARGS, "--days", "10", *fmt)
    for _ in range(2):
        assert main(["--append-day", "--out", str(part), "--quiet"]) == 0
    folders = (
        "salesforce",
        "zendesk",
        "amazon_connect",
        "orders",
        "fraud_cases",
        "survey_responses",
        "agents",
    )
    assert digests(part, folders) == digests(full, folders)
    assert json.loads((part / MANIFEST).read_text())["format"] == fmt[1]


def test_help_and_option_checks(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "salesforce" in text and "amazon_connect+salesforce+zendesk" in text
    with pytest.raises(SystemExit) as exc:
        main(["--format", "salesforce", "--channel-set", "connect", "--quiet"])
    assert exc.value.code == 2


# ---- bad rows -------------------------------------------------------------------------------------------
def test_bad_rows_by_kind(tmp_path):
    out = generate(tmp_path, *ARGS, "--days", "5", *SALESFORCE, "--bad-rows")
    parity = json.loads((out / PARITY).read_text())
    ids = parity["bad_row_ids"]
    assert set(ids) == {
        "case_unknown_origin", "session_unknown_agent_type", "case_without_created_date",
        "history_of_deleted_case", "contact_without_id",
    }  # fmt: skip
    bad = {r["id"]: r for r in rows(out, "case", files="part-0900.parquet")}
    assert bad[ids["case_unknown_origin"][0]]["origin"] == "Fax"
    assert bad[ids["case_without_created_date"][0]]["created_date"] is None
    deleted = [
        r
        for r in rows(out, "case", files="part-0900.parquet")
        if r["id"] == ids["history_of_deleted_case"][0]
    ]
    assert {r["is_deleted"] for r in deleted} == {False, True}
    history = rows(out, "case_history", files="part-0900.parquet")
    assert history and {r["case_id"] for r in history} == {ids["history_of_deleted_case"][0]}
    session = rows(out, "messaging_session", files="part-0900.parquet")
    assert [(s["id"], s["agent_type"]) for s in session] == [
        (ids["session_unknown_agent_type"][0], "Supervisor")
    ]
    assert [c["id"] for c in rows(out, "contact", files="part-0900.parquet")] == [None]
    good = {r["id"] for r in rows(out, "case")}
    assert not good & set(bad)


# ---- the three-system estate ----------------------------------------------------------------------------
def connect_records(root: Path) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted((root / "amazon_connect" / "contact_records").rglob("*.json.gz"))
        for line in gzip.decompress(path.read_bytes()).decode().splitlines()
    ]


def test_mixed_estate_three_systems(mixed, landing, lz_contacts):
    parity = json.loads((mixed / PARITY).read_text())
    assert not (mixed / "contacts").exists() and not (mixed / "customers").exists()
    records = [
        r
        for r in connect_records(mixed)
        if r["InitiationMethod"] not in ("MONITOR", "DISCONNECT") and r["Channel"] != "TASK"
    ]
    assert {r["Channel"] for r in records} == {"VOICE", "CHAT"}
    # every Connect voice record (each delivery) has one voice_call naming its ContactId, synced with it
    voice = Counter(
        (r["ContactId"], dt.datetime.fromisoformat(r["LastUpdateTimestamp"].replace("Z", "")))
        for r in records
        if r["Channel"] == "VOICE"
    )
    calls = Counter((r["vendor_call_key"], r["system_modstamp"]) for r in rows(mixed, "voice_call"))
    assert len(voice) > 100 and calls == voice
    for call in rows(mixed, "voice_call"):
        assert call["id"] == sf_id("0LQ", call["vendor_call_key"])
        assert call["_fivetran_synced"].date() == call["system_modstamp"].date()
    assert parity["scv_pairs"] == len({key for key, _ in voice})
    # the CRM id everywhere: Connect's customer_id attribute, Zendesk's external_id, the landing zone's tables
    attributes = {r["Attributes"].get("customer_id") for r in records} - {None}
    assert attributes and all(a.startswith("003") for a in attributes)
    externals = (
        con()
        .execute(
            f"select distinct external_id from read_parquet('{mixed}/zendesk/user/*/*.parquet') "
            "where role = 'end-user' and external_id is not null"
        )
        .fetchall()
    )
    assert externals and all(e.startswith("003") for (e,) in externals)
    orders = con().execute(f"select distinct customer_id from {lz(mixed, 'orders')}").fetchall()
    assert all(c.startswith("003") for (c,) in orders)
    # Zendesk takes email and web, Salesforce messaging (sessions with their cases)
    via = con().execute(
        f"select distinct via_channel from read_parquet('{mixed}/zendesk/ticket/*/*.parquet')"
    )
    assert {v for (v,) in via.fetchall()} <= {"email", "web", "web_form", "help_center", "api"}
    sessions = {r["id"] for r in rows(mixed, "messaging_session") if from_contact(r["id"])}
    assert sessions == {sf_id("0Mw", r["contact_id"]) for r in lz_contacts if r["channel"] == "messaging"}
    origins = {r["origin"] for r in rows(mixed, "case") if from_contact(r["id"])}
    assert origins == {"Messaging", "Phone"}


def test_mixed_bad_rows(tmp_path):
    out = generate(tmp_path, *ARGS, "--days", "5", *MIXED3, "--bad-rows")
    ids = json.loads((out / PARITY).read_text())["bad_row_ids"]
    twin = ids["voice_call_duplicate_vendor_call_key"][0]
    keys = Counter(r["vendor_call_key"] for r in rows(out, "voice_call", files="*.parquet"))
    assert keys[twin["vendor_call_key"]] >= 2
    ambiguous = ids["contact_ambiguous_email"][0]
    owners = {
        r["id"]
        for r in rows(out, "contact", files="*.parquet")
        if r["email"] == ambiguous["email"] and r["id"]
    }
    assert len(owners) == 2 and ambiguous["id"] in owners
