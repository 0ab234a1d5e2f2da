"""Bad rows for ``--bad-rows``: extra rows, each crafted to fail exactly one SPEC §6 check first.

They are written as their own file, ``<table>/load_date=D/part-0900.parquet``, whose timestamp
columns are ISO-8601 text (so that ``invalid_timestamp`` can be expressed). The load day of a
table's bad rows is fixed (``BAD_ROW_DAY``), never derived from ``--days``, so a nightly
``--append-day`` series writes the same bad rows as one full run. Bad contacts have no events;
bad events reference a real contact except the deliberate orphans. Two rows re-deliver an
existing good key with a later ``_loaded_at`` (a contact and an order); they must be quarantined
and must not replace the good row.

With ``--format amazon_connect`` the contacts' bad rows are Connect record lines instead
(``bad_connect_records``), in their own file of the hour folder: not JSON, cut short, no
ContactId, no InitiationTimestamp, an unparseable timestamp, ending before they start, an unknown
Channel and InitiationMethod; and one valid re-delivery of a good record with an earlier
LastUpdateTimestamp, which must end superseded.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from decimal import Decimal

import numpy as np
import pyarrow as pa

from scripts.simulation.amazon_connect import Record, base_record, to_line
from scripts.simulation.tables import MONEY, SCHEMAS, TABLE_INDEX, TS, S

DAY = 86_400
BAD_ROW_DAY = {table: 1 + i % 5 for table, i in TABLE_INDEX.items()}
BAD_FILE = "part-0900.parquet"
ORPHAN_CONTACT = "CT9999999999999"


def _iso(t: float) -> str:
    return dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _rows_to_table(table: str, rows: list[dict], load_t: list[float]) -> pa.Table:
    cols = {}
    for name, typ in SCHEMAS[table]:
        target = S if typ == TS else typ
        values = [r.get(name) for r in rows]
        if target == MONEY:
            values = [None if v is None else Decimal(str(v)).quantize(Decimal("0.01")) for v in values]
        cols[name] = pa.array(values, type=target)
    cols["_loaded_at"] = pa.array([int(t) * 1_000_000 for t in load_t], type=pa.timestamp("us"))
    return pa.table(cols)


def bad_rows_for_day(
    day: int, day_start: float, good: dict[str, pa.Table], customer_id: str
) -> tuple[dict[str, pa.Table], dict[str, dict[str, int]]]:
    """Bad rows (by table) whose load day is ``day``, and their expected quarantine reasons.

    ``good`` holds the materialised good rows of this load day (before file warts), used to
    pick real keys to reference or re-deliver.
    """
    tables: dict[str, pa.Table] = {}
    counts: dict[str, dict[str, int]] = {}
    for table, bad_day in BAD_ROW_DAY.items():
        if bad_day != day:
            continue
        rows = _bad_rows(table, day, day_start, good, customer_id)
        if rows:
            tables[table] = _rows_to_table(table, [r for _, r, _ in rows], [x for *_, x in rows])
            per: dict[str, int] = {}
            for reason, _, _ in rows:
                per[reason] = per.get(reason, 0) + 1
            counts[table] = per
    return tables, counts


def _bad_rows(
    table: str, day: int, day_start: float, good: dict[str, pa.Table], customer_id: str
) -> list[tuple[str, dict, float]]:
    """(reason, row, _loaded_at) of the bad rows of ``table`` on ``day``."""
    noon = day_start + 12 * 3600
    load = day_start + 13 * 3600
    t = _iso(noon)
    later = _iso(load + 2 * DAY)
    rows: list[tuple[str, dict, float]] = []

    def add(reason: str, row: dict, loaded: float = load) -> None:
        rows.append((reason, row, loaded))

    tag = f"{table[:3].upper()}{day:03d}"
    if table == "customers":
        base = {
            "full_name": "Bad Row", "email": "bad.row@example.com", "phone": "+1-555-0000000",
            "segment": "consumer", "region": "us_east", "preferred_channel": "voice",
            "created_at": t, "updated_at": t,
        }  # fmt: skip
        add("missing_key", {**base, "customer_id": None})
        add("missing_key", {**base, "customer_id": "   "})
        add("missing_value", {**base, "customer_id": f"CUSTBAD{tag}1", "segment": None})
        add("invalid_timestamp", {**base, "customer_id": f"CUSTBAD{tag}2", "created_at": ""})
        add(
            "invalid_timestamp",
            {**base, "customer_id": f"CUSTBAD{tag}3", "created_at": "2025-13-45T25:61:00Z"},
        )
        add("unknown_enum", {**base, "customer_id": f"CUSTBAD{tag}4", "segment": "government"})
        add("unknown_enum", {**base, "customer_id": f"CUSTBAD{tag}5", "preferred_channel": "fax"})
    elif table == "agents":
        base = {"agent_name": "Bad Row", "team": "general", "site": "austin", "hired_at": t}
        add("missing_key", {**base, "agent_id": None})
        add("missing_key", {**base, "agent_id": ""})
        add("missing_value", {**base, "agent_id": f"AGTBAD{tag}1", "team": None})
        add("invalid_timestamp", {**base, "agent_id": f"AGTBAD{tag}2", "hired_at": "yesterday"})
    elif table == "contacts":
        base = {
            "customer_id": customer_id, "channel": "voice", "initiation_method": "inbound",
            "queue": "voice_general", "intent": "billing_question", "initiated_at": t,
            "disconnected_at": _iso(noon + 300), "disconnect_reason": "customer_disconnect",
            "disposition": "resolved",
        }  # fmt: skip

        def contact(i: int, **kw) -> dict:
            cid = f"CTBAD{tag}{i:03d}"
            return {**base, "contact_id": cid, "initial_contact_id": cid, **kw}

        add("missing_key", {**contact(0), "contact_id": None})
        add("missing_key", {**contact(1), "contact_id": " "})
        add("missing_value", contact(2, channel=None))
        add("missing_value", contact(3, initiated_at=None))
        add("invalid_timestamp", contact(4, initiated_at=""))
        add("invalid_timestamp", contact(5, disconnected_at="31/02/2025 10:00"))
        add("unknown_enum", contact(6, channel="fax"))
        add("unknown_enum", contact(7, disposition="maybe"))
        add("time_order", contact(8, disconnected_at=_iso(noon - 60)))
        add(
            "after_load",
            contact(9, initiated_at=later, disconnected_at=_iso(load + 2 * DAY + 300)),
        )
        redelivery = _redelivery(good.get("contacts"), day_start)
        if redelivery is not None:
            row, good_load = redelivery
            row["disconnected_at"] = _iso(_parse(row["initiated_at"]) - 60)
            add("time_order", row, good_load + 3600)
    elif table == "contact_events":
        real = _first_key(good.get("contacts"), "contact_id") or ORPHAN_CONTACT
        base = {
            "contact_id": real, "event_type": "hold_start", "event_at": t, "attributes": None,
        }  # fmt: skip

        def event(i: int, **kw) -> dict:
            return {**base, "event_id": f"EVBAD{tag}{i:03d}", **kw}

        add("missing_key", {**event(0), "event_id": None})
        add("missing_key", {**event(1), "event_id": "  "})
        add("missing_value", event(2, event_type=None))
        add("missing_value", event(3, contact_id=None))
        add("invalid_timestamp", event(4, event_at=""))
        add("invalid_timestamp", event(5, event_at="noonish"))
        add("unknown_enum", event(6, event_type="teleport"))
        add("after_load", event(7, event_at=later))
        add("malformed_json", event(8, event_type="ai_suggestion", attributes='{"accepted": tru'))
        add("malformed_json", event(9, event_type="ai_suggestion", attributes="[1, 2]"))
        add("orphan", event(10, contact_id=ORPHAN_CONTACT))
        add("orphan", event(11, contact_id=ORPHAN_CONTACT, event_type="disconnect"))
    elif table == "survey_responses":
        base = {
            "contact_id": None, "customer_id": customer_id, "survey_type": "csat",
            "score": 4.0, "scale_min": 1.0, "scale_max": 5.0, "responded_at": t,
        }  # fmt: skip

        def survey(i: int, **kw) -> dict:
            return {**base, "response_id": f"SRBAD{tag}{i:03d}", **kw}

        add("missing_key", {**survey(0), "response_id": None})
        add("missing_key", {**survey(1), "response_id": "  "})
        add("missing_value", survey(2, score=None))
        add("invalid_timestamp", survey(3, responded_at=""))
        add("invalid_timestamp", survey(4, responded_at="soon"))
        add("unknown_enum", survey(5, survey_type="ces2"))
        add("after_load", survey(6, responded_at=later))
        add("score_out_of_range", survey(7, score=6.0))
        add("score_out_of_range", survey(8, score=5.0, scale_min=5.0, scale_max=5.0))
        add("score_out_of_range", survey(9, survey_type="nps", score=-1.0, scale_min=0.0,
                                          scale_max=10.0))  # fmt: skip
    elif table == "subscriptions":
        base = {
            "customer_id": customer_id, "plan": "basic", "mrr": 19.99, "currency": "USD",
            "started_at": t, "cancelled_at": None, "cancel_reason": None, "updated_at": t,
        }  # fmt: skip

        def sub(i: int, **kw) -> dict:
            return {**base, "subscription_id": f"SUBBAD{tag}{i:03d}", **kw}

        add("missing_key", {**sub(0), "subscription_id": None})
        add("missing_value", sub(1, plan=None))
        add("invalid_timestamp", sub(2, started_at=""))
        add("invalid_timestamp", sub(3, started_at="first of March"))
        add("unknown_enum", sub(4, currency="CHF"))
        add("time_order", sub(5, cancelled_at=_iso(noon - DAY), cancel_reason="price"))
        add("negative_amount", sub(6, mrr=-19.99))
    elif table == "orders":
        base = {
            "customer_id": customer_id, "ordered_at": t, "amount": 42.0, "currency": "USD",
            "status": "completed",
        }  # fmt: skip

        def order(i: int, **kw) -> dict:
            return {**base, "order_id": f"ORDBAD{tag}{i:03d}", **kw}

        add("missing_key", {**order(0), "order_id": None})
        add("missing_key", {**order(1), "order_id": ""})
        add("missing_value", order(2, amount=None))
        add("invalid_timestamp", order(3, ordered_at=""))
        add("invalid_timestamp", order(4, ordered_at="2025-02-30T10:00:00Z"))
        add("unknown_enum", order(5, currency="XYZ"))
        add("unknown_enum", order(6, status="pending"))
        add("after_load", order(7, ordered_at=later))
        add("negative_amount", order(8, amount=-42.0))
        redelivery = _redelivery(good.get("orders"), day_start)
        if redelivery is not None:
            row, good_load = redelivery
            row["amount"] = -abs(float(row["amount"]))
            add("negative_amount", row, good_load + 3600)
    elif table == "fraud_cases":
        base = {
            "customer_id": customer_id, "contact_id": None, "reported_at": t,
            "fraud_type": "account_takeover", "confirmed": True, "loss_amount": 100.0,
        }  # fmt: skip

        def case(i: int, **kw) -> dict:
            return {**base, "fraud_case_id": f"FRDBAD{tag}{i:03d}", **kw}

        add("missing_key", {**case(0), "fraud_case_id": None})
        add("missing_value", case(1, confirmed=None))
        add("invalid_timestamp", case(2, reported_at=""))
        add("after_load", case(3, reported_at=later))
        add("negative_amount", case(4, loss_amount=-100.0))
    return rows


def _parse(text: str) -> float:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC).timestamp()


def _first_key(t: pa.Table | None, column: str) -> str | None:
    if t is None or t.num_rows == 0:
        return None
    return min(t.column(column).to_pylist())


def _redelivery(t: pa.Table | None, day_start: float) -> tuple[dict, float] | None:
    """The earliest-loaded good row of the day as a text-timestamp dict, and its _loaded_at."""
    if t is None or t.num_rows == 0:
        return None
    loads = np.array(t.column("_loaded_at").cast(pa.int64()).to_numpy()) / 1e6
    i = int(np.argmin(loads))
    if loads[i] + 3600 >= day_start + DAY:
        return None
    row = t.slice(i, 1).to_pylist()[0]
    out = {}
    for key, value in row.items():
        if key == "_loaded_at":
            continue
        if isinstance(value, dt.datetime):
            value = value.replace(tzinfo=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        out[key] = value
    return out, float(loads[i])


# ---- Amazon Connect contact records (--format amazon_connect) -----------------------------------
CONNECT_BAD_RECORD_DAY = BAD_ROW_DAY["contacts"]
# the stale re-delivery's LastUpdateTimestamp: up to this much before the record it repeats
REDELIVERY_EARLIER_S = 1800


def bad_connect_records(
    day: int, date: dt.date, day_start: float, good: list[Record], customer_id: str
) -> tuple[list[Record], dict[str, int], int]:
    """Bad contact records whose load day is ``day``: (records, quarantine reasons, superseded).

    Lines that each fail one SPEC §6 check first (contact ids no good record uses), and one
    re-delivery of a good record of the day (``good``: the day's customer-contact records) with an
    earlier LastUpdateTimestamp and another DisconnectReason: valid, so it is not quarantined,
    but older than the real record, so it must end superseded.
    """
    if day != CONNECT_BAD_RECORD_DAY:
        return [], {}, 0
    noon = day_start + 12 * 3600
    load = day_start + 13 * 3600
    times = {
        "InitiationTimestamp": _iso(noon),
        "DisconnectTimestamp": _iso(noon + 300),
        "LastUpdateTimestamp": _iso(load),
    }
    tag = f"ACR{day:03d}"

    def record(i: int, **fields: str) -> dict:
        r = base_record(f"CTBAD{tag}{i:03d}", "VOICE", "INBOUND", times)
        r["Attributes"] = {
            "customer_id": customer_id, "intent": "billing_question", "disposition": "resolved",
        }  # fmt: skip
        r["DisconnectReason"] = "CUSTOMER_DISCONNECT"
        return {**r, **fields}

    no_key = record(2)
    del no_key["ContactId"]
    no_start = record(3)
    del no_start["InitiationTimestamp"]
    truncated = to_line(record(1))
    bad = [
        ("malformed_json", "Firehose delivery error: this line is not a contact record"),
        ("malformed_json", truncated[: len(truncated) // 2]),
        ("missing_key", to_line(no_key)),
        ("missing_value", to_line(no_start)),
        ("invalid_timestamp", to_line(record(4, InitiationTimestamp=f"{date:%m/%d/%Y} 12:00"))),
        ("time_order", to_line(record(5, DisconnectTimestamp=_iso(noon - 60)))),
        ("unknown_enum", to_line(record(6, Channel="VIDEO"))),
        ("unknown_enum", to_line(record(7, InitiationMethod="TELEPATHY"))),
    ]
    records: list[Record] = [(int(load) * 1_000_000, line) for _, line in bad]
    reasons = dict(Counter(reason for reason, _ in bad))
    stale = _stale_redelivery(good, day_start)
    if stale is not None:
        records.append(stale)
    return records, reasons, int(stale is not None)


def _stale_redelivery(good: list[Record], day_start: float) -> Record | None:
    """The day's first good record re-delivered up to ``REDELIVERY_EARLIER_S`` earlier (not before
    the day or the contact's end), with another DisconnectReason."""
    for loaded_us, line in sorted(good, key=lambda r: r[0]):
        record = json.loads(line)
        loaded = loaded_us // 1_000_000
        earliest = max(day_start, _parse_iso(record["DisconnectTimestamp"]))
        if earliest >= loaded:
            continue
        earlier = max(loaded - REDELIVERY_EARLIER_S, int(earliest))
        other = (
            "CUSTOMER_DISCONNECT" if record["DisconnectReason"] == "AGENT_DISCONNECT" else "AGENT_DISCONNECT"
        )
        record["DisconnectReason"] = other
        record["LastUpdateTimestamp"] = _iso(earlier)
        return earlier * 1_000_000, to_line(record)
    return None


def _parse_iso(text: str) -> float:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
