"""Tests of ``scripts.generate_data --format zendesk`` and the mixed estate (``amazon_connect+zendesk``).

The Zendesk tables must hold exactly the email, web and messaging contacts of a landing zone generated with
the same seed (parity): one ticket version per landing-zone contacts row, the same ids, times and values; and
the landing zone of the Zendesk format must hold the rest, without those contacts' rows. The references below
are written independently of the generator: plain SQL and Python over the files it writes, the table shapes
read from docs/sources/zendesk.md §2.
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
from scripts.ops import contract

ARGS = ["--seed", "5", "--customers", "2000", "--start-date", "2025-03-01", "--quiet"]
DAYS = 30
ZENDESK = ["--format", "zendesk"]
MIXED = ["--format", "amazon_connect+zendesk"]
ZD_CHANNELS = ("email", "web", "messaging")
PARITY = Path("zendesk") / "_parity.json"
DOC = contract.PROJECT_DIR / "docs" / "sources" / "zendesk.md"
TABLES = (
    "ticket", "ticket_comment", "ticket_field_history", "ticket_tag", "user", "group", "schedule",
    "schedule_holiday", "ticket_schedule",
)  # fmt: skip
VIA = {
    "email": "email", "web": "web", "web_form": "web", "help_center": "web", "api": "web",
    "native_messaging": "messaging", "messaging": "messaging", "whatsapp": "messaging",
    "facebook": "messaging", "twitter": "messaging", "instagram_dm": "messaging", "sms": "messaging",
    "mobile_sdk": "messaging",
}  # fmt: skip
INTENTS = {
    line.split(",")[0]
    for line in (contract.PROJECT_DIR / "seeds" / "intents.csv").read_text().splitlines()[1:]
}


def generate(out: Path, *args: str) -> Path:
    assert main([*args, "--out", str(out)]) == 0
    return out


def con() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    connection.execute("set timezone = 'UTC'")
    return connection


def zd(root: Path, table: str, files: str = "*.parquet") -> str:
    return f"read_parquet('{root}/zendesk/{table}/*/{files}', union_by_name = true)"


def lz(root: Path, table: str, files: str = "part-0000.parquet") -> str:
    return f"read_parquet('{root}/{table}/*/{files}', union_by_name = true)"


def latest(root: Path, *columns: str) -> str:
    """Every user's latest row: id and ``columns``."""
    picked = ", ".join(f"arg_max({c}, updated_at) as {c}" for c in columns)
    return f"(select id, {picked} from {zd(root, 'user')} group by 1)"


ZD_CONTACTS = "(select distinct contact_id from {} where lower(trim(channel)) in " + str(ZD_CHANNELS) + ")"


def instant(column: str) -> str:
    """A landing-zone timestamp (typed, TIMESTAMP WITH TIME ZONE or ISO text) as a naive UTC timestamp."""
    return f"cast(timezone('UTC', try_cast(cast({column} as varchar) as timestamptz)) as timestamp)"


def doc_tables() -> dict[str, set[str]]:
    """docs/sources/zendesk.md §2: columns read, by table (remarks in parentheses and <placeholders> out)."""
    section = DOC.read_text().split("## 2.", 1)[1].split("\n## ", 1)[0]
    tables = {}
    for line in section.splitlines():
        match = re.match(r"^\|\s*`([a-z_]+)`\s*\|(.*?)\|", line)
        if not match:
            continue
        text = match.group(2)
        while re.search(r"\([^()]*\)", text):
            text = re.sub(r"\([^()]*\)", "", text)
        tables[match.group(1)] = {c for c in re.findall(r"`([^`]+)`", text) if "<" not in c}
    return tables


def contact_number(contact_id: str) -> int:
    return int(contact_id[2:])


# ---- fixtures -------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def zendesk(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("zendesk"), *ARGS, "--days", str(DAYS), *ZENDESK)


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("landing"), *ARGS, "--days", str(DAYS))


@pytest.fixture(scope="module")
def parity(zendesk) -> dict:
    return json.loads((zendesk / PARITY).read_text())


@pytest.fixture(scope="module")
def lz_tickets(landing) -> list[dict]:
    """Every landing-zone contacts row of an email, web or messaging contact (re-deliveries too)."""
    cursor = con().execute(
        f"""
        select contact_id, customer_id, lower(trim(channel)) as channel, queue, agent_id,
            lower(trim(intent)) as intent, lower(trim(disposition)) as disposition,
            {instant("initiated_at")} as initiated_at, {instant("connected_to_agent_at")} as connected_at,
            {instant("disconnected_at")} as disconnected_at, {instant("_loaded_at")} as loaded_at
        from {lz(landing, "contacts")}
        where lower(trim(channel)) in {ZD_CHANNELS}
        """
    )
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def rows(root: Path, table: str, where: str = "true", files: str = "part-0.parquet") -> list[dict]:
    cursor = con().execute(f"select * from {zd(root, table, files)} where {where}")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def contact_ticket(ticket_id: int) -> bool:
    """Contacts' tickets (kind digit 0 or 1), not the merged duplicates, deleted or bad tickets."""
    return ticket_id // 100 % 10 in (0, 1)


# ---- layout and shapes ----------------------------------------------------------------------------------
def test_tables_and_columns_are_those_of_the_adapter_page(zendesk):
    documented = doc_tables()
    assert set(documented) == set(TABLES)
    for table, columns in documented.items():
        files = sorted((zendesk / "zendesk" / table).glob("load_date=*/*.parquet"))
        assert files, table
        assert {f.name for f in files} == {"part-0.parquet"}, table
        for path in files:
            date = path.parent.name.removeprefix("load_date=")
            schema = pq.read_schema(path)
            assert columns <= set(schema.names), (table, columns - set(schema.names))
            for field in schema:
                if field.name == "id" or field.name.endswith("_id"):
                    assert field.type == pa.int64() or field.name == "external_id", (table, field)
                if pa.types.is_timestamp(field.type):
                    assert field.type == pa.timestamp("us") and field.type.tz is None, (table, field)
            if "_fivetran_synced" in schema.names:  # a row lands in the partition of its sync day
                synced = pq.read_table(path, columns=["_fivetran_synced"]).column(0).to_pylist()
                assert {s.date().isoformat() for s in synced} <= {date}, (table, path)
    # the other tables are the landing zone's
    for table in ("customers", "agents", "contacts", "contact_events", "survey_responses", "orders"):
        assert list((zendesk / table).glob("load_date=*/*.parquet")), table


def test_no_personal_data_outside_user_columns(zendesk):
    connection = con()
    for table, columns in (
        ("ticket", "subject, description"),
        ("ticket_comment", "body"),
        ("ticket_tag", "tag"),
        ("group", "name"),
    ):
        for (text,) in connection.execute(
            f"select distinct concat_ws('|', {columns}) from {zd(zendesk, table)}"
        ).fetchall():
            assert "@" not in (text or "") and not re.search(r"\d{7}", text or ""), (table, text)


# ---- parity with the landing zone ------------------------------------------------------------------------
def test_every_landing_zone_contact_row_is_one_ticket_version(zendesk, lz_tickets, parity):
    versions = [
        (r["id"], r["updated_at"])
        for r in rows(zendesk, "ticket")
        if contact_ticket(r["id"]) and r["updated_at"] == r["_fivetran_synced"]
    ]
    expected = [(contact_number(r["contact_id"]), r["loaded_at"]) for r in lz_tickets]
    assert len(expected) > 200
    assert Counter(versions) == Counter(expected)
    assert parity["ticket_rows_from_contacts_rows"] == len(expected)
    assert parity["tickets"] == len({r["contact_id"] for r in lz_tickets})
    assert parity["tickets_per_channel"] == dict(
        Counter(r["channel"] for r in {r["contact_id"]: r for r in lz_tickets}.values())
    )


def test_tickets_carry_the_landing_zone_values(zendesk, lz_tickets):
    connection = con()
    users = {
        row[0]: row[1:]
        for row in connection.execute(f"select * from {latest(zendesk, 'role', 'external_id')}").fetchall()
    }
    groups = dict(connection.execute(f"select id, name from {zd(zendesk, 'group')}").fetchall())
    tickets = {r["id"]: r for r in rows(zendesk, "ticket") if contact_ticket(r["id"])}
    tags = defaultdict(set)
    for ticket_id, tag in connection.execute(
        f"select ticket_id, tag from {zd(zendesk, 'ticket_tag')}"
    ).fetchall():
        tags[ticket_id].add(tag)
    for row in lz_tickets:
        ticket = tickets[contact_number(row["contact_id"])]
        assert ticket["created_at"] == row["initiated_at"]
        assert VIA[ticket["via_channel"]] == row["channel"]
        assert (groups.get(ticket["group_id"])) == row["queue"]
        if row["agent_id"] is None:
            assert ticket["assignee_id"] is None
        else:
            assert users[ticket["assignee_id"]][0] in ("agent", "admin")
            assert users[ticket["assignee_id"]][1] == row["agent_id"]
        role, external_id = users[ticket["requester_id"]]
        assert role == "end-user"
        assert external_id in (row["customer_id"], None)
        intent_tags = tags[ticket["id"]] - {"bot_handled", "ai_assisted", "vip", "follow_up"}
        assert intent_tags == ({row["intent"]} if row["intent"] else set())


def test_status_history_gives_the_contact_times_and_disposition(zendesk, lz_tickets):
    connection = con()
    history = defaultdict(list)
    for ticket_id, value, updated in connection.execute(
        f"select ticket_id, value, updated from {zd(zendesk, 'ticket_field_history')} "
        "where field_name = 'status' order by ticket_id, updated"
    ).fetchall():
        history[ticket_id].append((value, updated))
    first_agent_comment = dict(
        connection.execute(
            f"""
            select c.ticket_id, min(c.created)
            from {zd(zendesk, "ticket_comment")} c
            join {latest(zendesk, "role")} u on u.id = c.user_id
            where c.public and u.role in ('agent', 'admin')
            group by 1
            """
        ).fetchall()
    )
    for contact_id, row in {r["contact_id"]: r for r in lz_tickets}.items():
        ticket_id = contact_number(contact_id)
        changes = history[ticket_id]
        assert changes[0] == ("new", row["initiated_at"])
        solves = [at for value, at in changes if value == "solved"]
        if row["disposition"] == "resolved":
            assert solves[0] == row["disconnected_at"]
        else:
            assert not solves and "closed" not in [v for v, _ in changes]
        assert first_agent_comment.get(ticket_id) == row["connected_at"]
        if row["connected_at"] is not None:
            assert row["connected_at"] > row["initiated_at"]


def test_latest_version_status_gives_the_disposition(zendesk, lz_tickets, parity):
    last = {}
    for ticket in sorted(rows(zendesk, "ticket"), key=lambda r: (r["updated_at"], r["_fivetran_synced"])):
        last[ticket["id"]] = ticket
    reopened_now = 0
    for contact_id, row in {r["contact_id"]: r for r in lz_tickets}.items():
        status = last[contact_number(contact_id)]["status"]
        resolved = status in ("solved", "closed")
        if row["disposition"] == "resolved" and not resolved:
            assert status == "open"  # reopened, not solved again yet
            reopened_now += 1
        else:
            assert resolved == (row["disposition"] == "resolved"), contact_id
    assert reopened_now == parity["reopened_not_yet_solved_again"]


def test_csat_responses_become_satisfaction_ratings(zendesk, landing, parity):
    connection = con()
    expected = {}
    for contact_id, score, lowest, highest, responded in connection.execute(
        f"""
        select s.contact_id, s.score, s.scale_min, s.scale_max, {instant("s.responded_at")}
        from read_parquet('{landing}/survey_responses/*/part-0000.parquet', union_by_name = true) s
        join {ZD_CONTACTS.format(lz(landing, "contacts"))} c using (contact_id)
        where lower(trim(s.survey_type)) = 'csat'
        """
    ).fetchall():
        good = (score - lowest) / (highest - lowest) >= 0.6
        expected[(contact_number(contact_id), responded)] = "good" if good else "bad"
    ratings = {
        (ticket_id, updated): value
        for ticket_id, updated, value in connection.execute(
            f"select ticket_id, updated, value from {zd(zendesk, 'ticket_field_history')} "
            "where field_name = 'satisfaction_score' and value in ('good', 'bad')"
        ).fetchall()
    }
    assert expected and ratings == expected
    values = Counter(expected.values())
    assert (parity["csat_good"], parity["csat_bad"]) == (values["good"], values["bad"])
    assert values["good"] and values["bad"]


def test_no_landing_zone_rows_for_zendesk_contacts(zendesk, landing):
    connection = con()
    channels = connection.execute(
        f"select distinct lower(trim(channel)) from {lz(zendesk, 'contacts', '*.parquet')}"
    ).fetchall()
    assert {c for (c,) in channels} == {"voice", "chat"}
    for table in ("contacts", "contact_events"):
        lz_rest = connection.execute(
            f"select count(*) from {lz(landing, table)} "
            f"where contact_id not in {ZD_CONTACTS.format(lz(landing, 'contacts'))}"
        ).fetchone()[0]
        kept = connection.execute(f"select count(*) from {lz(zendesk, table)}").fetchone()[0]
        assert kept == lz_rest > 0, table
    surveys = connection.execute(
        f"""
        select lower(trim(survey_type)), contact_id
        from read_parquet('{zendesk}/survey_responses/*/*.parquet', union_by_name = true)
        where contact_id like 'zendesk:%'
        """
    ).fetchall()
    assert surveys and all(kind != "csat" for kind, _ in surveys)
    zendesk_contacts = connection.execute(
        f"select count(*) from {lz(zendesk, 'survey_responses', '*.parquet')} "
        f"join {ZD_CONTACTS.format(lz(landing, 'contacts'))} using (contact_id)"
    ).fetchone()[0]
    assert zendesk_contacts == 0


# ---- merges, deletes, reopens, identity ------------------------------------------------------------------
def test_merged_deleted_reopened_and_closed_tickets(zendesk, parity):
    tickets = rows(zendesk, "ticket")
    last = {}
    for ticket in sorted(tickets, key=lambda r: (r["updated_at"], r["_fivetran_synced"])):
        last[ticket["id"]] = ticket
    merged_ids = set()
    for ticket in last.values():
        if ticket["merged_ticket_ids"]:
            merged_ids |= set(json.loads(ticket["merged_ticket_ids"]))
    assert merged_ids and len(merged_ids) == parity["merged_tickets"]
    assert any(len(json.loads(t["merged_ticket_ids"] or "[]")) == 2 for t in last.values())
    for ticket_id in merged_ids:
        assert last[ticket_id]["status"] == "closed" and not contact_ticket(ticket_id)
    deleted = {i for i, t in last.items() if t["status"] == "deleted" or t["_fivetran_deleted"]}
    assert len(deleted) == parity["deleted_tickets"] > 0
    assert {t["status"] == "deleted" for i, t in last.items() if i in deleted} == {True, False}
    history = defaultdict(list)
    for ticket_id, value in (
        con()
        .execute(
            f"select ticket_id, value from {zd(zendesk, 'ticket_field_history')} "
            "where field_name = 'status' order by updated"
        )
        .fetchall()
    ):
        history[ticket_id].append(value)
    # a reopen: the requester sets the status back to open (the first open is the agent's)
    reopened = {
        ticket_id
        for (ticket_id,) in con()
        .execute(
            f"""
            select distinct h.ticket_id from {zd(zendesk, "ticket_field_history")} h
            join {zd(zendesk, "ticket")} t on t.id = h.ticket_id and t.requester_id = h.user_id
            where h.field_name = 'status' and h.value = 'open'
            """
        )
        .fetchall()
    }
    assert len(reopened) == parity["reopened_tickets"] > 0
    closed = {i for i, values in history.items() if "closed" in values and contact_ticket(i)}
    assert len(closed) == parity["closed_tickets"] > 0
    kinds = parity["ticket_rows_by_kind"]
    assert sum(kinds.values()) == parity["ticket_rows"] == len(tickets)


def test_requesters_identify_the_customer(zendesk, landing, lz_tickets, parity):
    connection = con()
    crm = connection.execute(
        f"""
        select customer_id, arg_max(email, updated_at), arg_max(phone, updated_at)
        from read_parquet('{landing}/customers/*/part-0000.parquet', union_by_name = true) group by 1
        """
    ).fetchall()
    owners = defaultdict(set)
    for customer_id, email, phone in crm:
        owners[email.strip().lower()].add(customer_id)
        owners[re.sub(r"\D", "", phone)].add(customer_id)
    # a ticket version is mapped as of its updated_at: the requester's user row as of the latest version
    users = defaultdict(list)
    for user_id, updated, external_id, email, phone in connection.execute(
        f"select id, updated_at, external_id, email, phone from {zd(zendesk, 'user')} order by id, updated_at"
    ).fetchall():
        users[user_id].append((updated, external_id, email, phone))
    tickets = {}
    for ticket in sorted(rows(zendesk, "ticket"), key=lambda r: r["updated_at"]):
        if contact_ticket(ticket["id"]):
            tickets[ticket["id"]] = ticket
    how, lost = Counter(), 0
    for row in {r["contact_id"]: r for r in lz_tickets}.values():
        ticket = tickets[contact_number(row["contact_id"])]
        versions = [u for u in users[ticket["requester_id"]] if u[0] <= ticket["updated_at"]]
        assert versions, row["contact_id"]
        _, external_id, email, phone = versions[-1]
        if external_id:
            how["by_external_id"] += 1
            found = {external_id}
        elif email:
            how["by_email" if "@mail.example" not in email else "unidentified"] += 1
            found = owners.get(email.strip().lower(), set())
        else:
            how["by_phone"] += 1
            found = owners.get(re.sub(r"\D", "", phone), set())
        expected = {row["customer_id"]} if row["customer_id"] else set()
        if external_id or not row["customer_id"]:
            assert found == expected, row["contact_id"]
        lost += found != expected
    assert lost == parity["identity"]["by_email_or_phone_unrecoverable"]
    identity = {k: v for k, v in parity["identity"].items() if k != "by_email_or_phone_unrecoverable"}
    assert identity == dict(how)
    assert all(how[k] for k in ("by_external_id", "by_email", "by_phone", "unidentified"))


def test_schedule_holidays_and_ticket_schedules(zendesk):
    connection = con()
    schedule = connection.execute(
        f"select distinct id, time_zone, start_time, end_time from {zd(zendesk, 'schedule')} "
        "order by start_time"
    ).fetchall()
    assert [(s, e) for _, _, s, e in schedule] == [(d * 1440 + 480, d * 1440 + 1200) for d in range(1, 6)]
    assert {(i, tz) for i, tz, *_ in schedule} == {(360000000001, "Eastern Time (US & Canada)")}
    holidays = connection.execute(
        f"select start_date, end_date from {zd(zendesk, 'schedule_holiday')}"
    ).fetchall()
    assert any(dt.date(2025, 3, 1) <= start <= dt.date(2025, 12, 31) for start, _ in holidays)
    tickets = {
        i for (i,) in connection.execute(f"select distinct id from {zd(zendesk, 'ticket')}").fetchall()
    }
    scheduled = dict(
        connection.execute(f"select ticket_id, created_at from {zd(zendesk, 'ticket_schedule')}").fetchall()
    )
    assert set(scheduled) <= tickets
    # every ticket whose creation has landed (a contact row's version, or an extra ticket's first version)
    created = dict(
        connection.execute(
            f"select id, created_at from {zd(zendesk, 'ticket')} "
            "where updated_at = _fivetran_synced or updated_at = created_at"
        ).fetchall()
    )
    assert created and {i: scheduled.get(i) for i in created} == created


# ---- determinism, nightly append, the mixed estate --------------------------------------------------------
def digests(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted((root / "zendesk").rglob("*")) if p.is_file()
    }


def test_same_arguments_same_files(zendesk, tmp_path):
    again = generate(tmp_path, *ARGS, "--days", str(DAYS), *ZENDESK)
    assert digests(again) == digests(zendesk)


def test_append_day_equals_one_more_day_and_keeps_ids(zendesk, tmp_path):
    generate(tmp_path, *ARGS, "--days", str(DAYS - 2), *ZENDESK)
    before = {i for (i,) in con().execute(f"select distinct id from {zd(tmp_path, 'ticket')}").fetchall()}
    for _ in range(2):
        assert main(["--append-day", "--out", str(tmp_path), "--quiet"]) == 0
    assert digests(tmp_path) == digests(zendesk)
    after = {i for (i,) in con().execute(f"select distinct id from {zd(tmp_path, 'ticket')}").fetchall()}
    assert before < after
    assert json.loads((tmp_path / MANIFEST).read_text())["format"] == "zendesk"


def test_mixed_estate_splits_the_channels(zendesk, tmp_path):
    mixed = generate(tmp_path, *ARGS, "--days", str(DAYS), "--format", "zendesk,amazon_connect")
    assert not (mixed / "contacts").exists() and not (mixed / "contact_events").exists()
    records = [
        json.loads(line)
        for path in sorted((mixed / "amazon_connect" / "contact_records").rglob("*.json.gz"))
        for line in gzip.decompress(path.read_bytes()).decode().splitlines()
    ]
    contacts = [
        r
        for r in records
        if r["InitiationMethod"] not in ("MONITOR", "DISCONNECT") and r["Channel"] != "TASK"
    ]
    assert {r["Channel"] for r in contacts} == {"VOICE", "CHAT"}
    voice_chat = con().execute(f"select count(*) from {lz(zendesk, 'contacts')}").fetchone()[0]
    assert len(contacts) == voice_chat
    assert digests(mixed) == digests(zendesk)  # the Zendesk side is the same as the Zendesk format's
    assert json.loads((mixed / MANIFEST).read_text())["format"] == "amazon_connect+zendesk"


def test_help_and_option_checks(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "zendesk" in text and "amazon_connect+zendesk" in text
    for bad in (["--format", "zendesk", "--channel-set", "connect"], ["--format", "freshdesk"]):
        with pytest.raises(SystemExit) as exc:
            main([*bad, "--quiet"])
        assert exc.value.code == 2


# ---- bad rows -------------------------------------------------------------------------------------------
def test_bad_rows_by_kind(tmp_path):
    out = generate(tmp_path, *ARGS, "--days", "5", *ZENDESK, "--bad-rows")
    parity = json.loads((out / PARITY).read_text())
    assert set(parity["bad_rows"]) == {
        "ticket_without_requester", "comment_of_unknown_ticket", "rating_on_deleted_ticket",
        "unknown_via_channel", "tie_same_updated_at",
    }  # fmt: skip
    ids = parity["bad_row_ids"]
    connection = con()
    tickets = rows(out, "ticket", files="part-0900.parquet")
    good = {r["id"] for r in rows(out, "ticket")}
    by_id = defaultdict(list)
    for ticket in tickets:
        by_id[ticket["id"]].append(ticket)
    assert by_id[ids["ticket_without_requester"][0]][0]["requester_id"] is None
    assert by_id[ids["unknown_via_channel"][0]][0]["via_channel"] not in VIA
    assert "deleted" in {t["status"] for t in by_id[ids["rating_on_deleted_ticket"][0]]}
    rating = connection.execute(
        f"select count(*) from {zd(out, 'ticket_field_history', 'part-0900.parquet')} "
        f"where ticket_id = {ids['rating_on_deleted_ticket'][0]} and field_name = 'satisfaction_score'"
    ).fetchone()[0]
    assert rating == 1
    orphan = ids["comment_of_unknown_ticket"][0]
    assert orphan not in good and orphan not in by_id
    comments = connection.execute(
        f"select ticket_id from {zd(out, 'ticket_comment', 'part-0900.parquet')}"
    ).fetchall()
    assert (orphan,) in comments
    tie = ids["tie_same_updated_at"][0]
    twins = [r for r in rows(out, "ticket") if r["id"] == tie["ticket_id"]] + by_id[tie["ticket_id"]]
    times = Counter(r["updated_at"] for r in twins)
    assert times[dt.datetime.fromisoformat(tie["updated_at"])] == 2
    assert sum(parity["bad_rows"].values()) == 5
