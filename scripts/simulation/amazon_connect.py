"""The simulated contacts as Amazon Connect contact records (SPEC §8.2), for ``--format amazon_connect``.

Kinesis Data Firehose delivers Connect's contact records as JSON lines, here gzip-compressed, under
its default ``YYYY/MM/DD/HH/`` prefix (the UTC hour of delivery):
``<out>/amazon_connect/contact_records/YYYY/MM/DD/HH/cx-ctr-stream-1-YYYY-MM-DD-HH-00-00-<seq>.json.gz``,
one record per line, files in delivery order when their paths are sorted (``<seq>``: 8 hex digits).

Parity with the landing zone is the point. One landing-zone ``contacts`` row (re-deliveries
included) is one record, built from the materialised row itself (``contact_records``), and its
``LastUpdateTimestamp`` is the row's ``_loaded_at``, so it lands in the file of its load hour and
load day. What a record carries from the contact's events (holds, bot outcome, AI assistance,
authentication) is summarised from the very event rows the landing zone materialises, when the
simulation produces them (``event_summaries``: numeric, with the same whole-second event times),
and travels with the contact row through duplicates and hold-back.

Every platform-flavoured choice (a null InitialContactId, QUEUE_TRANSFER for TRANSFER, a missing
optional field, the after-contact-work time, a customer_id left to identity matching) is a
deterministic function of the seed and the contact id (``unit_hash``), never a draw from a
simulation random stream, so the simulated centre is the same in both formats. The records that
are no customer's contact (MONITOR, TASK, DISCONNECT) have their own stream per day.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import uuid
import zlib
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scripts.simulation import params as P
from scripts.simulation.contacts import ATTR_BOT_END, EP_EMAIL, EP_PHONE, EP_RANDOM_PHONE, NULL
from scripts.simulation.tables import anonymous_phone, email, ts, versioned_phone

RECORDS_DIR = Path("amazon_connect") / "contact_records"
PARITY_FILE = Path("amazon_connect") / "_parity.json"
QUARANTINE_TABLE = "amazon_connect_contact_records"
ACCOUNT_ID = "111122223333"
FORMAT_VERSION = "2017-03-10"
INSTANCE_ARN = f"arn:aws:connect:us-east-1:{ACCOUNT_ID}:instance/7d3f1c2e-5b8a-4e6b-9c1d-2a7e6f0b3c94"
SYSTEM_ENDPOINT = {"Address": "+18005550100", "Type": "TELEPHONE_NUMBER"}
TASK_QUEUE = "back_office"
STREAM = "cx-ctr-stream-1"  # delivery stream name and version, as Firehose prefixes its files
GOOD_SEQUENCE = 0  # the day's records of an hour
BAD_SEQUENCE = 0x900  # --bad-rows records: their own file, read after the good one of that hour
GZIP_LEVEL = 6  # gzip's usual default: 9 costs half again the time for 4 % smaller files
EXCLUDED_STREAM = 6  # random stream (seed, 6, day) of the records that are no customer's contact
US = 1_000_000
HOUR_US = 3600 * US

CHANNELS = ("VOICE", "CHAT", "EMAIL")  # the §2 channels Connect has (their names upper-cased)
METHODS = {
    "inbound": "INBOUND",
    "outbound": "OUTBOUND",
    "transfer": "TRANSFER",
    "callback": "CALLBACK",
    "api": "API",
}
BOT_OUTCOMES = ("success", "failed", "dropped")
DROPPED = BOT_OUTCOMES.index("dropped")
# numeric columns added to the simulated contacts batch (they ride along with the row)
HOLD_US, HOLDS, LONGEST_HOLD_US = "connect_hold_us", "connect_holds", "connect_longest_hold_us"
BOT_OUTCOME, AI_ASSIST = "connect_bot_outcome", "connect_ai_assist"
AUTH_METHOD, AUTH_RESULT, SYNTHETIC = "connect_auth_method", "connect_auth_result", "connect_synthetic"
CUSTOMER_ID_DROPPED = "connect_customer_id_dropped"
# the landing-zone contacts columns a record's times come from
TIME_COLUMNS = ("initiated_at", "enqueued_at", "connected_to_agent_at", "disconnected_at", "_loaded_at")
# what ParityCounter keeps of the contacts whose customer_id is dropped, and of anonymous callers
DROPPED_KEYS = ("cid", "cust", "endpoint", "ep_region", "ep_phone", "ep_first", "ep_last", "ep_ver")
ANONYMOUS_KEYS = ("cid", "endpoint_rand")

Record = tuple[int, str]  # (LastUpdateTimestamp in µs since the epoch, the JSON line)


# ---- deterministic choices ---------------------------------------------------------------------
def unit_hash(values: np.ndarray, seed: int, purpose: str) -> np.ndarray:
    """A number in [0, 1) per value, fixed by (seed, purpose, value): splitmix64, no random stream."""
    salt = np.uint64((seed * 0x9E3779B97F4A7C15 + zlib.crc32(purpose.encode())) % 2**64)
    x = np.asarray(values).astype(np.uint64) + salt
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(11)).astype(np.float64) / 2.0**53


# ---- on the simulated rows (before warts) ---------------------------------------------------------
def with_connect_channels(contacts: dict) -> dict:
    """The contacts batch with its messaging and web contacts on chat (Connect has neither)."""
    channel = contacts["channel"]
    digital = (channel == P.MESSAGING) | (channel == P.WEB)
    return {**contacts, "channel": np.where(digital, P.CHAT, channel).astype(channel.dtype)}


def with_record_columns(
    produced: dict[str, list[dict]], seed: int, current_version: np.ndarray, scheduled_update: np.ndarray
) -> dict[str, list[dict]]:
    """One simulated day's rows, its contacts with the columns their records need from the events."""
    if not produced.get("contacts"):
        return produced
    keys = ("cid", "seq", "etype", "t", "attr", "a_method", "a_match", "a_synth", "a_result")
    # every simulated contact has events (at least its disconnect), made the same day
    events = {k: np.concatenate([b[k] for b in produced["contact_events"]]) for k in keys}
    contacts = []
    for batch in produced["contacts"]:
        summary = event_summaries(batch, events)
        dropped = customer_id_dropped(batch, seed, current_version, scheduled_update)
        contacts.append({**batch, **summary, CUSTOMER_ID_DROPPED: dropped})
    return {**produced, "contacts": contacts}


def event_summaries(contacts: dict, events: dict) -> dict[str, np.ndarray]:
    """Per contact row: what its record says about its events (holds, bot, AI, authentication).

    The events are the simulated rows the landing zone materialises, at the same whole-second
    times (``tables.ts``), paired in the warehouse's order (event_at, then event_id = sequence).
    """
    n = len(contacts["cid"])
    mine = np.isin(events["cid"], contacts["cid"])
    order = np.lexsort((events["seq"][mine], events["cid"][mine]))
    ev = {k: v[mine][order] for k, v in events.items()}
    by_cid = np.argsort(contacts["cid"])
    row = by_cid[np.searchsorted(contacts["cid"], ev["cid"], sorter=by_cid)]  # the event's contact
    event_us = micros(ts(ev["t"]))
    disconnect_us = micros(ts(contacts["disc_t"]))
    etype = ev["etype"]
    ai = np.zeros(n, dtype=bool)
    ai[row[np.isin(etype, (P.EV["ai_suggestion"], P.EV["ai_summary"]))]] = True
    return {
        **_holds(row, etype, event_us, disconnect_us, n),
        BOT_OUTCOME: _bot_outcome(row, etype, ev["attr"], n),
        AI_ASSIST: ai,
        **_authentication(row, etype, ev, n),
    }


def _last_of_each_run(rows: np.ndarray) -> np.ndarray:
    """Positions of the last element of each run of equal values (events come grouped by contact)."""
    if rows.size == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.append(rows[1:] != rows[:-1], True))


def _holds(
    row: np.ndarray, etype: np.ndarray, event_us: np.ndarray, disconnect_us: np.ndarray, n: int
) -> dict[str, np.ndarray]:
    """SPEC §4.5: each hold_start to the next hold_end of its contact, an unmatched one to disconnect."""
    hold = np.flatnonzero((etype == P.EV["hold_start"]) | (etype == P.EV["hold_end"]))
    is_end = etype[hold] == P.EV["hold_end"]
    m = hold.size
    position = np.where(is_end, np.arange(m), m)
    next_end = np.minimum.accumulate(position[::-1])[::-1] if m else position
    starts = np.flatnonzero(~is_end)
    following = next_end[starts]
    matched = following < m
    contact = row[hold[starts]]
    matched[matched] = row[hold[following[matched]]] == contact[matched]
    end_us = disconnect_us[contact].copy()
    end_us[matched] = event_us[hold[following[matched]]]
    duration = end_us - event_us[hold[starts]]
    total = np.zeros(n, dtype=np.int64)
    longest = np.zeros(n, dtype=np.int64)
    np.add.at(total, contact, duration)
    np.maximum.at(longest, contact, duration)
    count = np.bincount(contact, minlength=n).astype(np.int16)
    return {HOLD_US: total, HOLDS: count, LONGEST_HOLD_US: longest}


def _bot_outcome(row: np.ndarray, etype: np.ndarray, attr: np.ndarray, n: int) -> np.ndarray:
    """Index into BOT_OUTCOMES when a bot took part: its last bot_end's outcome, else dropped."""
    outcome = np.full(n, NULL, dtype=np.int8)
    outcome[row[np.isin(etype, (P.EV["bot_start"], P.EV["bot_turn"]))]] = DROPPED
    ends = np.flatnonzero(etype == P.EV["bot_end"])
    last = ends[_last_of_each_run(row[ends])]
    took_part = outcome[row[last]] != NULL
    last = last[took_part]
    outcome[row[last]] = np.argmax(attr[last][:, None] == ATTR_BOT_END[None, :], axis=1)
    return outcome


def _authentication(row: np.ndarray, etype: np.ndarray, ev: dict, n: int) -> dict[str, np.ndarray]:
    """The last auth_attempt's method and result, and the highest synthetic-voice score (0-100)."""
    attempts = np.flatnonzero(etype == P.EV["auth_attempt"])
    last = attempts[_last_of_each_run(row[attempts])]
    method = np.full(n, NULL, dtype=np.int16)
    result = np.full(n, NULL, dtype=np.int16)
    method[row[last]] = ev["a_method"][last]
    result[row[last]] = ev["a_result"][last]
    scored = attempts[ev["a_match"][attempts] >= 0]  # the landing zone writes a score only then
    synthetic = np.full(n, NULL, dtype=np.int16)
    np.maximum.at(synthetic, row[scored], ev["a_synth"][scored].astype(np.int16))
    return {AUTH_METHOD: method, AUTH_RESULT: result, SYNTHETIC: synthetic}


def customer_id_dropped(
    contacts: dict, seed: int, current_version: np.ndarray, scheduled_update: np.ndarray
) -> np.ndarray:
    """Identified contacts on the customer's own phone / e-mail whose record leaves customer_id out.

    Only where that endpoint is still the customer's CRM version after the day and no account
    update is scheduled, so that the warehouse's identity match can recover it (a later, unforeseen
    CRM change can still defeat it: ``ParityCounter`` counts those).
    """
    own = (contacts["cust"] >= 0) & np.isin(contacts["endpoint"], (EP_PHONE, EP_EMAIL))
    customer = contacts["ep_cust"]
    current = (contacts["ep_ver"] == current_version[customer]) & ~np.isin(customer, scheduled_update)
    chosen = unit_hash(contacts["cid"], seed, "customer_id_dropped") < P.CONNECT_P_CUSTOMER_ID_DROPPED
    return own & current & chosen


# ---- records --------------------------------------------------------------------------------------
def micros(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """TIMESTAMP → µs since the epoch (0 where null)."""
    return pc.fill_null(column.cast(pa.int64()), 0).to_numpy(zero_copy_only=False)


def iso_column(column: pa.Array) -> pa.Array:
    """TIMESTAMP → ISO-8601 UTC text with 'Z'; fractional seconds only where the value has them."""
    text = pc.strftime(column.cast(pa.timestamp("s"), safe=False), format="%Y-%m-%dT%H:%M:%SZ")
    fractional = micros(column) % US != 0
    if fractional.any():
        exact = pc.strftime(column, format="%Y-%m-%dT%H:%M:%SZ")  # %S carries the microseconds
        text = pc.if_else(pa.array(fractional), exact, text)
    return text


def iso_text(epoch_seconds: float) -> str:
    """One instant as ``iso_column`` writes it."""
    moment = dt.datetime.fromtimestamp(epoch_seconds, dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ" if moment.microsecond else "%Y-%m-%dT%H:%M:%SZ")


def base_record(contact_id: str | None, channel: str, method: str, times: dict[str, str | None]) -> dict:
    """A contact record with every top-level field of this model, in alphabetical order (as the
    data model lists them; ``contact_records`` writes the same members in the same order).

    ``times``: InitiationTimestamp, DisconnectTimestamp and LastUpdateTimestamp (ISO text).
    """
    return {
        "AWSAccountId": ACCOUNT_ID,
        "AWSContactTraceRecordFormatVersion": FORMAT_VERSION,
        "Agent": None,
        "Attributes": {},
        "Channel": channel,
        "ConnectedToSystemTimestamp": times["InitiationTimestamp"],
        "ContactId": contact_id,
        "CustomerEndpoint": None,
        "DisconnectReason": None,
        "DisconnectTimestamp": times["DisconnectTimestamp"],
        "InitialContactId": None,
        "InitiationMethod": method,
        "InitiationTimestamp": times["InitiationTimestamp"],
        "InstanceARN": INSTANCE_ARN,
        "LastUpdateTimestamp": times["LastUpdateTimestamp"],
        "PreviousContactId": None,
        "Queue": None,
        "SystemEndpoint": SYSTEM_ENDPOINT if channel == "VOICE" else None,
    }


def to_line(record: dict) -> str:
    """A record (or part of one) as compact JSON, as ``contact_records`` writes it."""
    return json.dumps(record, separators=(",", ":"))


def queue_block(name: str, enqueued: str, dequeued: str, duration_s: int) -> dict:
    """The Queue fields of a record (``contact_records`` builds the same, column by column)."""
    return {
        "ARN": f"{INSTANCE_ARN}/queue/{name.strip().lower().replace('_', '-')}",
        "DequeueTimestamp": dequeued,
        "Duration": duration_s,
        "EnqueueTimestamp": enqueued,
        "Name": name,
    }


def agent_block(agent_id: str, connected: str, interaction_s: int) -> dict:
    """The Agent fields of a record without holds or after-contact work (monitoring, a task)."""
    return {
        "ARN": f"{INSTANCE_ARN}/agent/{agent_id}",
        "AfterContactWorkDuration": 0,
        "AgentInteractionDuration": interaction_s,
        "ConnectedToAgentTimestamp": connected,
        "CustomerHoldDuration": 0,
        "LongestHoldDuration": 0,
        "NumberOfHolds": 0,
        "Username": agent_id.lower(),
    }


def contact_records(table: pa.Table, batch: dict, seed: int) -> list[Record]:
    """One record per row of a materialised landing-zone ``contacts`` table, in its order.

    ``batch`` holds the same rows in the same (delivery) order as simulated numbers, with the
    columns ``with_record_columns`` added. The JSON text is assembled column by column (pyarrow),
    with the members and key order of ``base_record``.
    """
    column = {name: table.column(name).combine_chunks() for name in table.column_names}
    iso = {name: json_string(iso_column(column[name])) for name in TIME_COLUMNS}
    us = {name: micros(column[name]) for name in TIME_COLUMNS}
    cids = batch["cid"]
    channel = pc.utf8_upper(pc.utf8_trim_whitespace(column["channel"]))
    if not pc.all(pc.is_in(channel, value_set=pa.array(CHANNELS))).as_py():
        raise ValueError("a contact on a channel Connect does not have: simulate with --channel-set connect")
    head = pc.equal(column["initial_contact_id"], column["contact_id"])
    chosen = unit_hash(cids, seed, "initial_contact_id_null") < P.CONNECT_P_INITIAL_ID_NULL
    system_endpoint = pc.if_else(pc.equal(channel, "VOICE"), to_line(SYSTEM_ENDPOINT), "null")
    has_system_endpoint = unit_hash(cids, seed, "no_system_endpoint") >= P.CONNECT_P_NO_SYSTEM_ENDPOINT
    agent = pc.if_else(
        pc.is_valid(column["connected_to_agent_at"]), _agents(column, iso, us, batch, seed), "null"
    )
    queue = pc.if_else(pc.is_valid(column["enqueued_at"]), _queues(column, iso, us), "null")
    lines = json_object(
        [
            ("AWSAccountId", json.dumps(ACCOUNT_ID)),
            ("AWSContactTraceRecordFormatVersion", json.dumps(FORMAT_VERSION)),
            ("Agent", agent),
            ("Attributes", _attributes(column, batch)),
            ("Channel", json_string(channel)),
            ("ConnectedToSystemTimestamp", iso["initiated_at"]),
            ("ContactId", json_string(column["contact_id"])),
            ("CustomerEndpoint", _endpoints(column["customer_endpoint"])),
            ("DisconnectReason", json_string(pc.utf8_upper(column["disconnect_reason"]))),
            ("DisconnectTimestamp", iso["disconnected_at"]),
            (
                "InitialContactId",
                pc.if_else(
                    pc.and_(head, pa.array(chosen)), "null", json_string(column["initial_contact_id"])
                ),
            ),
            ("InitiationMethod", json_string(initiation_methods(column["initiation_method"], cids, seed))),
            ("InitiationTimestamp", iso["initiated_at"]),
            ("InstanceARN", json.dumps(INSTANCE_ARN)),
            ("LastUpdateTimestamp", iso["_loaded_at"]),
            ("PreviousContactId", json_string(column["previous_contact_id"])),
            ("Queue", queue),
            ("SystemEndpoint", system_endpoint, pa.array(has_system_endpoint)),
        ]
    )
    return list(zip(us["_loaded_at"].tolist(), lines.to_pylist(), strict=True))


def initiation_methods(methods: pa.Array, cids: np.ndarray, seed: int) -> pa.Array:
    """§2 initiation_method (any spelling) → Connect's value, some as the platform's variants."""
    names = list(METHODS)
    index = pc.index_in(pc.utf8_lower(pc.utf8_trim_whitespace(methods)), value_set=pa.array(names))
    index = index.to_numpy(zero_copy_only=False).astype(np.int64)
    variants = [P.CONNECT_METHOD_VARIANTS.get(name, (METHODS[name], 0.0)) for name in names]
    share = np.array([share for _, share in variants])[index]
    variant = np.array([name for name, _ in variants])[index]
    plain = np.array(list(METHODS.values()))[index]
    return pa.array(np.where(unit_hash(cids, seed, "initiation_method") < share, variant, plain))


def _queues(column: dict[str, pa.Array], iso: dict[str, pa.Array], us: dict[str, np.ndarray]) -> pa.Array:
    """Queue: dequeued when an agent answered, else when the contact ended (abandoned in queue)."""
    connected = pc.is_valid(column["connected_to_agent_at"])
    dequeued_us = np.where(
        connected.to_numpy(zero_copy_only=False), us["connected_to_agent_at"], us["disconnected_at"]
    )
    slug = pc.replace_substring(pc.utf8_lower(pc.utf8_trim_whitespace(column["queue"])), "_", "-")
    return json_object(
        [
            ("ARN", json_string(join(f"{INSTANCE_ARN}/queue/", slug))),
            ("DequeueTimestamp", pc.if_else(connected, iso["connected_to_agent_at"], iso["disconnected_at"])),
            ("Duration", json_number((dequeued_us - us["enqueued_at"]) // US)),
            ("EnqueueTimestamp", iso["enqueued_at"]),
            ("Name", json_string(column["queue"])),
        ]
    )


def _agents(
    column: dict[str, pa.Array], iso: dict[str, pa.Array], us: dict[str, np.ndarray], batch: dict, seed: int
) -> pa.Array:
    """Agent: handling time minus holds, holds from the events, a deterministic after-contact work."""
    cids = batch["cid"]
    lo, hi = P.CONNECT_ACW_SECONDS
    acw = lo + np.floor(unit_hash(cids, seed, "after_contact_work") * (hi - lo + 1)).astype(np.int64)
    acw_end = json_string(iso_column(pa.array(us["disconnected_at"] + acw * US, type=pa.timestamp("us"))))
    has_acw_times = pa.array(unit_hash(cids, seed, "no_acw_timestamps") >= P.CONNECT_P_NO_ACW_TIMESTAMPS)
    handled_us = us["disconnected_at"] - us["connected_to_agent_at"]
    return json_object(
        [
            ("ARN", json_string(join(f"{INSTANCE_ARN}/agent/", column["agent_id"]))),
            ("AfterContactWorkDuration", json_number(acw)),
            ("AfterContactWorkEndTimestamp", acw_end, has_acw_times),
            ("AfterContactWorkStartTimestamp", iso["disconnected_at"], has_acw_times),
            ("AgentInteractionDuration", json_seconds(np.maximum(handled_us - batch[HOLD_US], 0))),
            ("ConnectedToAgentTimestamp", iso["connected_to_agent_at"]),
            ("CustomerHoldDuration", json_seconds(batch[HOLD_US])),
            ("LongestHoldDuration", json_seconds(batch[LONGEST_HOLD_US])),
            ("NumberOfHolds", json_number(batch[HOLDS])),
            ("Username", json_string(pc.utf8_lower(column["agent_id"]))),
        ]
    )


def _endpoints(endpoint: pa.Array) -> pa.Array:
    kind = pc.if_else(pc.match_substring(endpoint, "@"), '"EMAIL_ADDRESS"', '"TELEPHONE_NUMBER"')
    objects = json_object([("Address", json_string(endpoint)), ("Type", kind)])
    return pc.if_else(pc.is_valid(endpoint), objects, "null")


def _attributes(column: dict[str, pa.Array], batch: dict) -> pa.Array:
    """The contact attributes a flow would set (Connect attributes are always text)."""
    authenticated = batch[AUTH_RESULT] != NULL
    # the landing zone's text of a synthetic-voice score (in its auth_attempt attributes JSON)
    synthetic = pc.cast(pa.array(np.maximum(batch[SYNTHETIC], 0) / 100.0), pa.string())
    return json_object(
        [
            (
                "customer_id",
                json_string(column["customer_id"]),
                pc.and_(pc.is_valid(column["customer_id"]), pa.array(~batch[CUSTOMER_ID_DROPPED])),
            ),
            *(
                (name, json_string(column[name]), pc.is_valid(column[name]))
                for name in ("intent", "disposition", "case_id")
            ),
            (
                "bot_outcome",
                json_string(_names(BOT_OUTCOMES, batch[BOT_OUTCOME])),
                pa.array(batch[BOT_OUTCOME] != NULL),
            ),
            ("ai_assist", '"true"', pa.array(batch[AI_ASSIST])),
            (
                "auth_method",
                json_string(_names(P.AUTH_METHODS, batch[AUTH_METHOD])),
                pa.array(authenticated & (batch[AUTH_METHOD] != NULL)),
            ),
            ("auth_result", json_string(_names(P.AUTH_RESULTS, batch[AUTH_RESULT])), pa.array(authenticated)),
            (
                "synthetic_voice_score",
                json_string(synthetic),
                pa.array(authenticated & (batch[SYNTHETIC] != NULL)),
            ),
        ]
    )


def _names(names: tuple[str, ...], codes: np.ndarray) -> pa.Array:
    """Code → name; null where the code is NULL."""
    codes = np.asarray(codes, dtype=np.int64)
    return pc.take(pa.array(names), pa.array(np.maximum(codes, 0), mask=codes < 0))


# ---- JSON text, column by column ----------------------------------------------------------------
def join(*parts: pa.Array | str) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def json_string(values: pa.Array) -> pa.Array:
    """Text → JSON string literals (null → null). The values are ids, enums, ISO times, phones and
    e-mail addresses: quotes and backslashes (never seen) are escaped, a control character refused."""
    if pc.any(pc.match_substring_regex(values, r'[\x00-\x1f"\\]')).as_py():
        if pc.any(pc.match_substring_regex(values, r"[\x00-\x1f]")).as_py():
            raise ValueError("a control character in a contact record value")
        values = pc.replace_substring(pc.replace_substring(values, "\\", "\\\\"), '"', '\\"')
    return pc.fill_null(join('"', values, '"'), "null")


def json_number(values: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(np.asarray(values, dtype=np.int64)), pa.string())


def json_seconds(duration_us: np.ndarray) -> pa.Array:
    """µs → seconds as a JSON number: an integer when whole, else with its fraction."""
    duration_us = np.asarray(duration_us, dtype=np.int64)
    text = json_number(duration_us // US)
    fractional = duration_us % US != 0
    if fractional.any():
        text = pc.if_else(pa.array(fractional), pc.cast(pa.array(duration_us / US), pa.string()), text)
    return text


def json_object(members: list[tuple]) -> pa.Array:
    """JSON objects from members (key, JSON text[, present]) in order; a member is left out where
    ``present`` is false."""
    pieces = []
    for key, value, *present in members:
        piece = join(f'"{key}":', value, ",")
        pieces.append(pc.if_else(present[0], piece, "") if present else piece)
    return join("{", pc.utf8_rtrim(join(*pieces), characters=","), "}")


# ---- records that are no customer's contact ---------------------------------------------------
def excluded_records(
    seed: int, day: int, day_start: float, agents: list[str], customer_id: str
) -> tuple[list[Record], dict[str, int]]:
    """The day's supervisor-monitoring, back-office task and disconnect-flow records, with their
    count by exclusion reason. Their own random stream; each starts, ends and lands on ``day``."""
    rng = np.random.default_rng([seed, EXCLUDED_STREAM, day])
    records: list[Record] = []
    counts: dict[str, int] = {}
    for reason, (fewest, most) in P.CONNECT_EXCLUDED_PER_DAY.items():
        counts[reason] = int(rng.integers(fewest, most + 1))
        for _ in range(counts[reason]):
            records.append(_excluded_record(reason, rng, day_start, agents, customer_id))
    return records, counts


def _excluded_record(
    reason: str, rng: np.random.Generator, day_start: float, agents: list[str], customer_id: str
) -> Record:
    start = day_start + np.floor(rng.uniform(*P.CONNECT_EXCLUDED_START_S))
    end = start + np.floor(rng.uniform(*P.CONNECT_EXCLUDED_DURATION_S))
    loaded = end + np.floor(rng.uniform(*P.CONNECT_EXCLUDED_LAG_S))
    contact_id = str(uuid.UUID(bytes=rng.bytes(16), version=4))
    agent_id = agents[int(rng.integers(len(agents)))]
    times = {
        "InitiationTimestamp": iso_text(start),
        "DisconnectTimestamp": iso_text(end),
        "LastUpdateTimestamp": iso_text(loaded),
    }
    if reason == "monitor":  # a supervisor listening in on a call
        record = base_record(contact_id, "VOICE", "MONITOR", times)
        record["Agent"] = agent_block(agent_id, times["InitiationTimestamp"], int(end - start))
    elif reason == "task":  # back-office work about a customer, routed like a contact
        record = base_record(contact_id, "TASK", "API", times)
        start_text = times["InitiationTimestamp"]
        record["Queue"] = queue_block(TASK_QUEUE, start_text, start_text, 0)
        record["Agent"] = agent_block(agent_id, start_text, int(end - start))
        record["Attributes"] = {"customer_id": customer_id, "task_type": "back_office_review"}
    else:  # a record made by a disconnect flow
        record = base_record(contact_id, "CHAT", "DISCONNECT", times)
    return round(loaded * US), to_line(record)


# ---- files ----------------------------------------------------------------------------------------
def day_folder(out: Path, date: dt.date) -> Path:
    return out / RECORDS_DIR / f"{date:%Y/%m/%d}"


def write_hour_files(out: Path, records: list[Record], sequence: int) -> list[tuple[Path, int]]:
    """Gzip JSON-lines files, one per UTC hour of LastUpdateTimestamp, records in that order (a
    stable sort: rows with the same time keep their order). Returns (path, records) per file."""
    by_hour: dict[int, list[str]] = defaultdict(list)
    for loaded_us, line in sorted(records, key=lambda record: record[0]):
        by_hour[loaded_us // HOUR_US].append(line)
    written = []
    for hour, lines in sorted(by_hour.items()):
        start = dt.datetime.fromtimestamp(hour * 3600, dt.UTC)
        name = f"{STREAM}-{start:%Y-%m-%d-%H}-00-00-{sequence:08x}.json.gz"
        path = out / RECORDS_DIR / f"{start:%Y/%m/%d/%H}" / name
        _write_gzip(path, lines)
        written.append((path, len(lines)))
    return written


def _write_gzip(path: Path, lines: list[str]) -> None:
    """Byte-for-byte reproducible: no file name or modification time in the gzip header."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with (
        tmp.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=GZIP_LEVEL) as gz,
    ):
        gz.write(("\n".join(lines) + "\n").encode())
    tmp.replace(path)


# ---- what the parity test needs ----------------------------------------------------------------
class ParityCounter:
    """Counts over the good contact records of every load day so far (rows held back for a later
    day are not in the files yet), written to ``amazon_connect/_parity.json``.

    Identity (SPEC §8.1): a record without a customer_id attribute gets the customer whose
    **current** CRM version has the endpoint as its phone (digits) or e-mail, when exactly one
    does. So the counter follows the latest loaded CRM version of every customer, and reports the
    dropped customer_ids a later CRM change made unrecoverable, and the unidentified callers whose
    anonymous number happens to be one customer's phone (the warehouse identifies them).
    """

    def __init__(self, region: np.ndarray, phone: np.ndarray, first: np.ndarray, last: np.ndarray) -> None:
        self.region, self.phone, self.first, self.last = region, phone, first, last
        self.latest_version = np.full(len(region), NULL, dtype=np.int64)
        self.contact_ids: list[np.ndarray] = []
        self.dropped: list[dict[str, np.ndarray]] = []
        self.anonymous: list[dict[str, np.ndarray]] = []
        self.excluded: Counter[str] = Counter()

    def add_day(self, batches: dict[str, dict | None], excluded: dict[str, int]) -> None:
        """The rows of one load day (after warts) and the day's excluded-record counts."""
        customers = batches.get("customers")
        if customers is not None:
            np.maximum.at(self.latest_version, customers["cust"], customers["ver"])
        contacts = batches.get("contacts")
        if contacts is not None:
            self.contact_ids.append(contacts["cid"])
            dropped = contacts[CUSTOMER_ID_DROPPED]
            self.dropped.append({k: contacts[k][dropped] for k in DROPPED_KEYS})
            anonymous = (contacts["cust"] < 0) & (contacts["endpoint"] == EP_RANDOM_PHONE)
            self.anonymous.append({k: contacts[k][anonymous] for k in ANONYMOUS_KEYS})
        self.excluded.update(excluded)

    def summary(self) -> dict:
        cids = np.concatenate([np.zeros(0, dtype=np.int64), *self.contact_ids])
        _, per_contact = np.unique(cids, return_counts=True)
        histogram = Counter(per_contact.tolist())
        owner = self._identity_owners()
        dropped = _distinct(self.dropped, DROPPED_KEYS)
        phones = _digits(versioned_phone(dropped["ep_region"], dropped["ep_phone"], dropped["ep_ver"]))
        emails = _lowered(email(dropped["ep_first"], dropped["ep_last"], dropped["cust"], dropped["ep_ver"]))
        identity = np.where(dropped["endpoint"] == EP_PHONE, phones, emails)
        customers = dropped["cust"].tolist()
        recovered = [owner.get(key, NULL) == c for key, c in zip(identity, customers, strict=True)]
        anonymous = _distinct(self.anonymous, ANONYMOUS_KEYS)
        numbers = _digits(anonymous_phone(anonymous["endpoint_rand"]))
        matched = [owner.get(key, NULL) != NULL for key in numbers]
        return {
            "contact_records": int(cids.size),
            "contact_ids": int(per_contact.size),
            "records_per_contact_id": {str(k): histogram[k] for k in sorted(histogram)},
            "excluded_records": {reason: self.excluded[reason] for reason in P.CONNECT_EXCLUDED_PER_DAY},
            "customer_id_dropped": len(recovered),
            "customer_id_dropped_unrecoverable": len(recovered) - sum(recovered),
            "unidentified_endpoint_matches_one_customer": sum(matched),
        }

    def _identity_owners(self) -> dict[str, int]:
        """Phone digits and e-mails of every customer's latest loaded CRM version → the customer,
        or NULL where several customers share it."""
        customers = np.flatnonzero(self.latest_version >= 0)
        version = self.latest_version[customers]
        phones = _digits(versioned_phone(self.region[customers], self.phone[customers], version))
        emails = _lowered(email(self.first[customers], self.last[customers], customers, version))
        owner: dict[str, int] = {}
        for keys in (phones, emails):
            for key, customer in zip(keys, customers.tolist(), strict=True):
                owner[key] = NULL if key in owner else customer
        return owner


def _distinct(parts: list[dict[str, np.ndarray]], keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The rows of ``parts`` concatenated, one per contact id (re-deliveries are the same contact)."""
    rows = {k: np.concatenate([np.zeros(0, dtype=np.int64), *(p[k] for p in parts)]) for k in keys}
    _, first = np.unique(rows["cid"], return_index=True)
    return {k: v[first] for k, v in rows.items()}


def _digits(phones: pa.Array) -> np.ndarray:
    """E.164 digits, as SPEC §8.1 compares phones: '+' and every non-digit removed."""
    return np.asarray(pc.replace_substring_regex(phones, r"\D", "").to_pylist(), dtype=object)


def _lowered(emails: pa.Array) -> np.ndarray:
    return np.asarray(pc.utf8_lower(pc.utf8_trim_whitespace(emails)).to_pylist(), dtype=object)
