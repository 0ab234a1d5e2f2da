"""Tests of ``scripts.generate_data --format amazon_connect`` and ``--channel-set connect``.

The Connect records must hold exactly the contacts of a landing zone generated with the same seed
and ``--channel-set connect`` (parity): one record per landing-zone contacts row, the same ids,
times and values, and what the records say about a contact's events (holds, bot, AI assistance,
authentication) as the warehouse computes it from the landing zone's events. The references
below are written independently of the generator: plain Python over the files it writes.
"""

from __future__ import annotations

import datetime as dt
import gzip
import itertools
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from scripts.generate_data import CONNECT_REPLACES, EXPECTED_QUARANTINE, MANIFEST, main
from scripts.simulation.engine import TABLES

ARGS = ["--seed", "5", "--customers", "1500", "--start-date", "2025-03-01", "--quiet"]
DAYS = 20
CONNECT = ["--format", "amazon_connect"]
OTHER_TABLES = tuple(t for t in TABLES if t not in CONNECT_REPLACES)
RECORDS = Path("amazon_connect") / "contact_records"
PARITY = Path("amazon_connect") / "_parity.json"
FILE_NAME = re.compile(r"^cx-ctr-stream-1-(\d{4})-(\d{2})-(\d{2})-(\d{2})-00-00-([0-9a-f]{8})\.json\.gz$")
GOOD_SEQUENCE, BAD_SEQUENCE = "00000000", "00000900"
METHODS = {
    "INBOUND": "inbound",
    "OUTBOUND": "outbound",
    "EXTERNAL_OUTBOUND": "outbound",
    "TRANSFER": "transfer",
    "QUEUE_TRANSFER": "transfer",
    "CALLBACK": "callback",
    "CALLBACK_PREVIEW": "callback",
    "API": "api",
    "WEBRTC_API": "api",
}
EXCLUDED_METHODS = {"MONITOR": "monitor", "DISCONNECT": "disconnect_flow"}
EVENT_ATTRIBUTES = {"bot_outcome", "ai_assist", "auth_method", "auth_result", "synthetic_voice_score"}


def generate(out: Path, *args: str) -> Path:
    assert main([*args, "--out", str(out)]) == 0
    return out


def record_files(root: Path) -> list[Path]:
    return sorted((root / RECORDS).glob("*/*/*/*/*.json.gz"))


def lines_of(path: Path) -> list[str]:
    return gzip.decompress(path.read_bytes()).decode().splitlines()


def read_records(root: Path, sequence: str = GOOD_SEQUENCE) -> list[dict]:
    """The records of one kind of file (good or bad), in delivery order (sorted paths, then lines)."""
    return [
        json.loads(line)
        for path in record_files(root)
        if path.name.endswith(f"-{sequence}.json.gz")
        for line in lines_of(path)
    ]


def exclusion(record: dict) -> str | None:
    """SPEC §8.2: records that are no customer's contact."""
    if record["Channel"] == "TASK":
        return "task"
    return EXCLUDED_METHODS.get(record["InitiationMethod"])


def contact_records(root: Path) -> list[dict]:
    return [r for r in read_records(root) if exclusion(r) is None]


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def landing_contacts(root: Path) -> list[dict]:
    """Every landing-zone contacts row (re-deliveries too), timestamps as ISO text with 'Z'."""
    times = ("initiated_at", "enqueued_at", "connected_to_agent_at", "disconnected_at", "_loaded_at")
    utc_text = (
        "strftime(timezone('UTC', try_cast(cast({0} as varchar) as timestamptz)), '%Y-%m-%dT%H:%M:%SZ')"
    )
    columns = [
        "contact_id", "initial_contact_id", "previous_contact_id", "customer_id", "channel",
        "initiation_method", "queue", "agent_id", "intent", "disconnect_reason", "disposition",
        "customer_endpoint", "case_id",
    ]  # fmt: skip
    select = ", ".join([*columns, *(f"{utc_text.format(t)} as {t}" for t in times)])
    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    query = f"select {select} from read_parquet('{root}/contacts/*/*.parquet', union_by_name = true)"
    cursor = con.execute(query)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def landing_events(root: Path) -> dict[str, list[dict]]:
    """Accepted landing-zone events by contact (identical re-deliveries once), in the warehouse's
    order: event_at, then event_id."""
    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    rows = con.execute(
        f"""
        select distinct event_id, contact_id, lower(trim(event_type)), event_at, attributes
        from read_parquet('{root}/contact_events/*/*.parquet', union_by_name = true)
        order by contact_id, event_at, event_id
        """
    ).fetchall()
    events: dict[str, list[dict]] = defaultdict(list)
    for event_id, contact_id, event_type, event_at, attributes in rows:
        attrs = json.loads(attributes) if attributes else {}
        events[contact_id].append({"id": event_id, "type": event_type, "at": event_at, "attributes": attrs})
    return events


def expected_from_events(events: list[dict], disconnected_at: dt.datetime) -> dict:
    """What a contact's record must say about its events (SPEC §4.5 holds; the attributes)."""
    holds = []
    for i, event in enumerate(events):
        if event["type"] == "hold_start":
            ends = [e["at"] for e in events[i + 1 :] if e["type"] == "hold_end"]
            end = min(ends) if ends else disconnected_at
            holds.append((end - event["at"]).total_seconds())
    attributes = {}
    types = [e["type"] for e in events]
    if "bot_start" in types or "bot_turn" in types:
        outcomes = [e["attributes"]["outcome"] for e in events if e["type"] == "bot_end"]
        attributes["bot_outcome"] = outcomes[-1] if outcomes else "dropped"
    if "ai_suggestion" in types or "ai_summary" in types:
        attributes["ai_assist"] = "true"
    auths = [e["attributes"] for e in events if e["type"] == "auth_attempt"]
    if auths:
        if "method" in auths[-1]:
            attributes["auth_method"] = auths[-1]["method"]
        attributes["auth_result"] = auths[-1]["result"]
        scores = [a["synthetic_voice_score"] for a in auths if "synthetic_voice_score" in a]
        if scores:
            attributes["synthetic_voice_score"] = max(scores)
    return {
        "hold": sum(holds),
        "holds": len(holds),
        "longest": max(holds, default=0),
        "attributes": attributes,
    }


def current_identities(root: Path) -> dict[str, list[str]]:
    """SPEC §8.1 identity keys (phone as digits, e-mail trimmed lower case) of every customer's
    current CRM version (the latest updated_at) → the customers that have them."""
    con = duckdb.connect()
    rows = con.execute(
        f"""
        select customer_id, arg_max(phone, updated_at), arg_max(email, updated_at)
        from read_parquet('{root}/customers/*/*.parquet', union_by_name = true)
        group by 1
        """
    ).fetchall()
    owners: dict[str, list[str]] = defaultdict(list)
    for customer_id, phone, email in rows:
        owners[re.sub(r"\D", "", phone)].append(customer_id)
        owners[email.strip().lower()].append(customer_id)
    return owners


def identity_key(endpoint: str) -> str:
    return endpoint.strip().lower() if "@" in endpoint else re.sub(r"\D", "", endpoint)


# ---- fixtures -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def connect(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("connect"), *ARGS, "--days", str(DAYS), *CONNECT)


@pytest.fixture(scope="module")
def landing(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("landing")
    return generate(out, *ARGS, "--days", str(DAYS), "--channel-set", "connect")


@pytest.fixture(scope="module")
def records(connect) -> list[dict]:
    return contact_records(connect)


@pytest.fixture(scope="module")
def by_delivery(records) -> dict[tuple[str, str], dict]:
    keyed = {(r["ContactId"], r["LastUpdateTimestamp"]): r for r in records}
    assert len(keyed) == len(records)
    return keyed


# ---- layout -------------------------------------------------------------------------------------
def test_records_are_gzip_json_lines_in_hourly_firehose_folders(connect):
    files = record_files(connect)
    assert files
    for path in files:
        year, month, day, hour = path.relative_to(connect / RECORDS).parts[:4]
        match = FILE_NAME.match(path.name)
        assert match and match.groups()[:4] == (year, month, day, hour), path
        lines = lines_of(path)
        assert lines, path
        for line in lines:
            record = json.loads(line)
            loaded = utc(record["LastUpdateTimestamp"])
            assert f"{loaded:%Y/%m/%d/%H}" == f"{year}/{month}/{day}/{hour}", path
    # nothing beyond the last simulated day, no landing-zone contacts, the other tables as ever
    assert max(f.relative_to(connect / RECORDS).parts[:3] for f in files) == ("2025", "03", "20")
    assert not (connect / "contacts").exists() and not (connect / "contact_events").exists()
    for table in OTHER_TABLES:
        assert list((connect / table).glob("load_date=*/*.parquet")), table


def test_timestamps_are_iso_utc_text(records):
    pattern = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")
    for record in records:
        for field in ("InitiationTimestamp", "DisconnectTimestamp", "LastUpdateTimestamp"):
            assert pattern.match(record[field]), (field, record[field])


def test_the_other_tables_are_the_landing_zone_ones(connect, landing):
    for table in OTHER_TABLES:
        a = sorted(p.relative_to(connect) for p in (connect / table).rglob("*.parquet"))
        b = sorted(p.relative_to(landing) for p in (landing / table).rglob("*.parquet"))
        assert a == b, table
        for name in a:
            assert pq.read_table(connect / name).equals(pq.read_table(landing / name)), name


# ---- parity with the landing zone ---------------------------------------------------------------
def test_every_landing_zone_contact_row_is_one_record(landing, by_delivery):
    rows = landing_contacts(landing)
    assert len(rows) > 300
    assert {(r["contact_id"], r["_loaded_at"]) for r in rows} == set(by_delivery)
    assert len(rows) == len(by_delivery)


def test_records_carry_the_landing_zone_values(landing, by_delivery):
    for row in landing_contacts(landing):
        record = by_delivery[(row["contact_id"], row["_loaded_at"])]
        assert record["Channel"] == row["channel"].strip().upper()
        assert METHODS[record["InitiationMethod"]] == row["initiation_method"].strip().lower()
        head = row["initial_contact_id"] == row["contact_id"]
        assert record["InitialContactId"] == row["initial_contact_id"] or (
            head and not record["InitialContactId"]
        )
        assert record["PreviousContactId"] == row["previous_contact_id"]
        assert record["InitiationTimestamp"] == row["initiated_at"]
        assert record["ConnectedToSystemTimestamp"] == row["initiated_at"]
        assert record["DisconnectTimestamp"] == row["disconnected_at"]
        assert (record["DisconnectReason"] or "").lower() == (row["disconnect_reason"] or "")
        assert (record["CustomerEndpoint"] or {}).get("Address") == row["customer_endpoint"]
        queue = record["Queue"] or {}
        assert queue.get("EnqueueTimestamp") == row["enqueued_at"]
        assert queue.get("Name") == (row["queue"] if row["enqueued_at"] else None)
        if queue:
            assert queue["DequeueTimestamp"] == (row["connected_to_agent_at"] or row["disconnected_at"])
            waited = utc(queue["DequeueTimestamp"]) - utc(queue["EnqueueTimestamp"])
            assert queue["Duration"] == int(waited.total_seconds())
        agent = record["Agent"] or {}
        assert agent.get("ConnectedToAgentTimestamp") == row["connected_to_agent_at"]
        assert (agent.get("ARN", "").rsplit("/", 1)[-1] or None) == (row["agent_id"] if agent else None)
        attributes = record["Attributes"]
        for name in ("intent", "disposition", "case_id"):  # as written, spelling warts included
            assert attributes.get(name) == row[name], name
        assert attributes.get("customer_id") in (row["customer_id"], None)
        assert all(isinstance(v, str) for v in attributes.values())


def test_records_say_what_the_landing_zone_events_say(landing, by_delivery):
    events = landing_events(landing)
    checked_holds = 0
    for (contact_id, _), record in by_delivery.items():
        disconnected_at = utc(record["DisconnectTimestamp"]).replace(tzinfo=None)
        expected = expected_from_events(events[contact_id], disconnected_at)
        attributes = {k: v for k, v in record["Attributes"].items() if k in EVENT_ATTRIBUTES}
        if "synthetic_voice_score" in attributes:
            attributes["synthetic_voice_score"] = float(attributes["synthetic_voice_score"])
        assert attributes == expected["attributes"], contact_id
        agent = record["Agent"]
        if agent is None:
            assert expected["holds"] == 0, contact_id
            continue
        assert agent["CustomerHoldDuration"] == expected["hold"], contact_id
        assert agent["NumberOfHolds"] == expected["holds"]
        assert agent["LongestHoldDuration"] == expected["longest"]
        handled = (
            utc(record["DisconnectTimestamp"]) - utc(agent["ConnectedToAgentTimestamp"])
        ).total_seconds()
        assert agent["AgentInteractionDuration"] == max(0, handled - expected["hold"])
        assert 20 <= agent["AfterContactWorkDuration"] <= 120
        checked_holds += expected["holds"] > 0
    assert checked_holds > 5


def test_redeliveries_have_strictly_increasing_last_update_timestamps(records):
    deliveries: dict[str, list[dt.datetime]] = defaultdict(list)
    for record in records:  # in delivery order: sorted paths, then lines
        deliveries[record["ContactId"]].append(utc(record["LastUpdateTimestamp"]))
    repeated = [times for times in deliveries.values() if len(times) > 1]
    assert repeated
    for times in repeated:
        assert all(a < b for a, b in itertools.pairwise(times)), times


def test_platform_variants_and_optional_fields(records):
    methods = Counter(r["InitiationMethod"] for r in records)
    assert methods["QUEUE_TRANSFER"] and methods["TRANSFER"] and methods["INBOUND"]
    heads = [r for r in records if r["PreviousContactId"] is None]
    assert any(r["InitialContactId"] is None for r in heads)
    assert any(r["InitialContactId"] == r["ContactId"] for r in heads)
    assert any("SystemEndpoint" not in r for r in records)
    assert all(r.get("SystemEndpoint") is None for r in records if r["Channel"] != "VOICE")
    agents = [r["Agent"] for r in records if r["Agent"]]
    assert any("AfterContactWorkEndTimestamp" not in a for a in agents)
    assert any("AfterContactWorkEndTimestamp" in a for a in agents)
    assert {r["Channel"] for r in records} == {"VOICE", "CHAT", "EMAIL"}


# ---- identity, exclusions and the parity file ------------------------------------------------------
def test_dropped_customer_ids_are_recoverable_from_the_endpoint(landing, by_delivery, connect):
    owners = current_identities(landing)
    dropped, unrecoverable, matched_anonymous = set(), set(), set()
    for row in landing_contacts(landing):
        record = by_delivery[(row["contact_id"], row["_loaded_at"])]
        endpoint = row["customer_endpoint"]
        matches = owners.get(identity_key(endpoint), []) if endpoint else []
        if row["customer_id"] is None:
            assert "customer_id" not in record["Attributes"]
            if len(matches) == 1:
                matched_anonymous.add(row["contact_id"])
        elif "customer_id" not in record["Attributes"]:
            dropped.add(row["contact_id"])
            if matches != [row["customer_id"]]:
                unrecoverable.add(row["contact_id"])
    parity = json.loads((connect / PARITY).read_text())
    assert len(dropped) == parity["customer_id_dropped"] > 0
    assert len(unrecoverable) == parity["customer_id_dropped_unrecoverable"]
    assert len(matched_anonymous) == parity["unidentified_endpoint_matches_one_customer"]


def test_excluded_records_and_parity_counts(connect, records):
    everything = read_records(connect)
    excluded = Counter(exclusion(r) for r in everything if exclusion(r))
    parity = json.loads((connect / PARITY).read_text())
    assert parity["excluded_records"] == dict(excluded) and set(excluded) == {
        "task",
        "monitor",
        "disconnect_flow",
    }
    per_contact = Counter(Counter(r["ContactId"] for r in records).values())
    assert parity["records_per_contact_id"] == {str(k): v for k, v in sorted(per_contact.items())}
    assert parity["contact_records"] == len(records)
    assert parity["contact_ids"] == len({r["ContactId"] for r in records})
    contact_ids = {r["ContactId"] for r in records}
    assert not contact_ids & {r["ContactId"] for r in everything if exclusion(r)}
    manifest = json.loads((connect / MANIFEST).read_text())
    assert (manifest["format"], manifest["channel_set"]) == ("amazon_connect", "connect")
    assert manifest["amazon_connect"]["contact_records"] == len(records)
    assert manifest["amazon_connect"]["excluded_records"] == parity["excluded_records"]
    assert manifest["amazon_connect"]["records"] == len(everything)
    assert "contacts" not in manifest["tables"]


# ---- determinism, nightly append ---------------------------------------------------------------
def contents(root: Path) -> dict[str, list[str]]:
    return {str(p.relative_to(root)): lines_of(p) for p in record_files(root)}


def test_same_arguments_same_records(connect, tmp_path):
    again = generate(tmp_path, *ARGS, "--days", str(DAYS), *CONNECT)
    assert contents(again) == contents(connect)
    assert (again / PARITY).read_text() == (connect / PARITY).read_text()


def test_append_day_equals_one_more_day(connect, tmp_path):
    generate(tmp_path, *ARGS, "--days", str(DAYS - 1), *CONNECT)
    assert main(["--append-day", "--out", str(tmp_path), "--quiet"]) == 0
    assert contents(tmp_path) == contents(connect)
    assert (tmp_path / PARITY).read_text() == (connect / PARITY).read_text()
    manifest, full = (json.loads((root / MANIFEST).read_text()) for root in (tmp_path, connect))
    assert manifest["amazon_connect"] == full["amazon_connect"] and manifest["days"] == DAYS
    assert main(["--append-day", "--out", str(tmp_path), "--quiet"]) == 0  # and again, a day later
    assert json.loads((tmp_path / MANIFEST).read_text())["format"] == "amazon_connect"


# ---- the channel set ----------------------------------------------------------------------------
def test_channel_set_connect_changes_only_the_channel(landing, tmp_path):
    """``--channel-set connect`` maps messaging and web onto chat after the simulation: every
    other value of every table is the same as with all channels (same random streams)."""
    default = generate(tmp_path, *ARGS, "--days", str(DAYS))
    con = duckdb.connect()
    for table in (*OTHER_TABLES, "contacts", "contact_events"):
        for path in sorted((default / table).rglob("*.parquet")):
            a, b = pq.read_table(path), pq.read_table(landing / path.relative_to(default))
            if table != "contacts":
                assert a.equals(b), path
                continue
            assert a.drop(["channel"]).equals(b.drop(["channel"])), path
    channels = con.execute(
        f"""
        select lower(trim(a.channel)), lower(trim(b.channel)), count(*)
        from read_parquet('{default}/contacts/*/*.parquet', union_by_name = true) as a
        join read_parquet('{landing}/contacts/*/*.parquet', union_by_name = true) as b
            using (contact_id, _loaded_at)
        group by all
        """
    ).fetchall()
    mapping = {(a, b) for a, b, _ in channels}
    assert ("messaging", "chat") in mapping and ("web", "chat") in mapping
    assert all(b == {"messaging": "chat", "web": "chat"}.get(a, a) for a, b in mapping)


def test_help_and_option_checks(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "--format" in text and "amazon_connect" in text and "--channel-set" in text
    with pytest.raises(SystemExit) as exc:
        main(["--format", "amazon_connect", "--channel-set", "all", "--quiet"])
    assert exc.value.code == 2


# ---- bad records --------------------------------------------------------------------------------
def check_record(line: str) -> str | None:
    """A reference of SPEC §6 for a Connect record line: the first failing check, or None."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError:
        return "malformed_json"
    if not isinstance(record, dict):
        return "malformed_json"
    if not str(record.get("ContactId") or "").strip():
        return "missing_key"
    required = (
        "Channel",
        "InitiationMethod",
        "InitiationTimestamp",
        "DisconnectTimestamp",
        "LastUpdateTimestamp",
    )
    if any(record.get(field) is None for field in required):
        return "missing_value"
    try:
        start, end = utc(record["InitiationTimestamp"]), utc(record["DisconnectTimestamp"])
        utc(record["LastUpdateTimestamp"])
    except ValueError:
        return "invalid_timestamp"
    methods = {*METHODS, *EXCLUDED_METHODS}
    if (
        record["Channel"] not in ("VOICE", "CHAT", "EMAIL", "TASK")
        or record["InitiationMethod"] not in methods
    ):
        return "unknown_enum"
    if end < start:
        return "time_order"
    return None


@pytest.fixture(scope="module")
def with_bad_rows(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bad")
    return generate(out, *ARGS, "--days", "6", *CONNECT, "--bad-rows")


def test_bad_rows_write_the_expected_bad_lines(with_bad_rows):
    bad_files = [p for p in record_files(with_bad_rows) if p.name.endswith(f"-{BAD_SEQUENCE}.json.gz")]
    assert bad_files
    bad_lines = [line for path in bad_files for line in lines_of(path)]
    reasons = Counter(check_record(line) for line in bad_lines)
    valid = reasons.pop(None)
    expected = json.loads((with_bad_rows / EXPECTED_QUARANTINE).read_text())
    assert dict(reasons) == expected["amazon_connect_contact_records"]
    assert set(reasons) == {
        "malformed_json", "missing_key", "missing_value", "invalid_timestamp", "time_order", "unknown_enum",
    }  # fmt: skip
    assert valid == expected["superseded_extra"]["amazon_connect_contact_records"] == 1
    assert "contacts" not in expected and "contact_events" not in expected
    # every good line passes every check; bad records use ids no good record uses, but the
    # stale re-delivery, which repeats a good record with an earlier LastUpdateTimestamp
    good = read_records(with_bad_rows)
    assert all(check_record(json.dumps(r)) is None for r in good)
    latest = {}
    for r in good:
        latest[r["ContactId"]] = r
    for line in bad_lines:
        record = json.loads(line) if check_record(line) != "malformed_json" else {}
        contact_id = record.get("ContactId")
        if check_record(line) is not None:
            assert contact_id not in latest
            continue
        real = latest[contact_id]
        assert utc(record["LastUpdateTimestamp"]) < utc(real["LastUpdateTimestamp"])
        assert record["DisconnectReason"] != real["DisconnectReason"]


def test_nightly_series_with_bad_rows_equals_full_run(with_bad_rows, tmp_path):
    generate(tmp_path, *ARGS, "--days", "2", *CONNECT, "--bad-rows")
    for _ in range(4):  # day 4 carries the bad records
        assert main(["--append-day", "--out", str(tmp_path), "--quiet"]) == 0
    assert contents(tmp_path) == contents(with_bad_rows)
    for name in (EXPECTED_QUARANTINE, PARITY):
        assert (tmp_path / name).read_text() == (with_bad_rows / name).read_text(), name


def test_overwrite_replaces_connect_records_with_a_landing_zone(tmp_path):
    small = ["--seed", "3", "--customers", "100", "--days", "2", "--quiet"]
    generate(tmp_path, *small, *CONNECT)
    assert record_files(tmp_path)
    generate(tmp_path, *small, "--overwrite")
    assert not (tmp_path / "amazon_connect").exists() and (tmp_path / "contacts").exists()
    assert json.loads((tmp_path / MANIFEST).read_text())["format"] == "landing_zone"
