"""The simulated centre as Salesforce Service Cloud objects (SPEC §8.3, §8.5): ``--format salesforce``.

Fivetran's Salesforce connector lands each object as a table with snake_case columns, ``_fivetran_synced`` and
``_fivetran_deleted``; here they are Parquet files, one per object and sync day:
``<out>/salesforce/<object>/load_date=YYYY-MM-DD/part-0.parquet`` (``--bad-rows``: ``part-0900.parquet``
beside it), for ``case``, ``case_history``, ``messaging_session``, ``voice_call``, ``contact``, ``account``,
``user`` and ``group``. Timestamps are naive UTC ``timestamp[us]`` (whole seconds); ids are 18-character text:
the object's 3-character key prefix and a number zero-padded to 15 digits (``KEY_PREFIX``).

Parity with the landing zone is the point. A landing-zone contact ``CT…<n>`` is the Salesforce record
``<prefix>`` + n: email and web contacts are cases (``500``), messaging contacts are messaging sessions
(``0Mw``) with a case each (``500`` + n), voice contacts are one voice call per leg (``0LQ``) with one case
per voice attempt (``500`` + the attempt's initial contact number); chat stays in the landing zone. Every
landing-zone ``contacts`` row of those contacts (re-deliveries included) is one version of its record(s) with
``system_modstamp`` = ``_fivetran_synced`` = the row's ``_loaded_at``; the CRM is Salesforce: every
landing-zone ``customers`` row is one ``contact`` version (``003`` + the customer number) and one ``account``
version (``001`` + the customer number), and the landing zone keeps no ``customers`` table. Everything beyond
the simulated contact (owner transfers, merged duplicates, system sessions, after-call work, …) is a
deterministic function of the seed and an id (``unit_hash``); the deleted (spam) cases have their own random
stream per day (``DELETED_STREAM``), so the simulated centre is the same in every format.

In the three-system estate (``amazon_connect+salesforce+zendesk``) Salesforce holds the CRM, the messaging
contacts, and a Service Cloud Voice ``voice_call`` beside every Connect voice record (``vendor_call_key`` =
its ContactId). The rules are listed in ``_parity.json`` (``rules``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict, deque
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from scripts.simulation import params as P
from scripts.simulation.amazon_connect import (
    BOT_OUTCOME,
    HOLD_US,
    SYSTEM_ENDPOINT,
    event_summaries,
    unit_hash,
)
from scripts.simulation.contacts import EP_PHONE, EP_RANDOM_PHONE, NULL
from scripts.simulation.tables import (
    FIRST_NAMES,
    LAST_NAMES,
    TS,
    anonymous_phone,
    email,
    ids,
    in_delivery_order,
    take,
    ts,
    versioned_phone,
)

SALESFORCE = "salesforce"
PARITY_FILE = Path(SALESFORCE) / "_parity.json"
GOOD_FILE = "part-0.parquet"
BAD_FILE = "part-0900.parquet"  # read after the good file of its day (sorted paths)
OBJECTS = ("case", "case_history", "messaging_session", "voice_call", "contact", "account", "user", "group")
KEY_PREFIX = {
    "case": "500",
    "case_history": "017",
    "messaging_session": "0Mw",
    "voice_call": "0LQ",
    "contact": "003",
    "account": "001",
    "user": "005",
    "group": "00G",
    "messaging_end_user": "0PA",
}
DELETED_STREAM = 8  # random stream (seed, 8, day) of the deleted (spam) cases
BAD_ROW_DAY = 3  # load day of the --bad-rows rows (fixed: a nightly series writes the same)
DAY = 86_400.0
RECENT_DAYS = 50  # simulated days whose contact ids fraud cases may still name (reported <= 45 d later)

# ---- ids -------------------------------------------------------------------------------------------
# A contact number is day*10**11 + customer*10**3 + kind*100 + attempt*10 + leg with kind 0 (genuine) or 1
# (fraud); the extra records use kind digits the simulation never does.
MERGED_KIND = 500  # + the surviving case's number: its merged duplicate
SYSTEM_KIND = 700  # day*10**11 + k*10**3 + 700: System messaging sessions
BAD_KIND = 800  # day*10**11 + k*10**3 + 800: --bad-rows records
DELETED_KIND = 900  # day*10**11 + k*10**3 + 900: deleted (spam) cases
ANONYMOUS_END_USER_BASE = 10**9  # messaging end user of an unidentified contact: + its random endpoint number
BAD_CUSTOMER_BASE = 10**9  # --bad-rows contacts: a number no customer has
HISTORY_DAY_BASE = 10**9  # case_history number: sync day * this + position in the day's file
HISTORY_BAD_OFFSET = 9 * 10**8  # + position: the --bad-rows history rows of the day

# ---- vocabularies ----------------------------------------------------------------------------------
# what a simulated contact becomes
NOT_SF, SF_CASE, SF_MESSAGING, SF_VOICE = 0, 1, 2, 3
STATUSES = ("New", "Working", "Escalated", "Closed", "Closed - Unresolved")
NEW, WORKING, ESCALATED, CLOSED, CLOSED_UNRESOLVED = range(len(STATUSES))
FINAL_STATUS = {  # disposition -> the case status at disconnected_at
    P.RESOLVED: CLOSED,
    P.UNRESOLVED: CLOSED_UNRESOLVED,
    P.ESCALATED: ESCALATED,
    P.ABANDONED: NEW,
    P.TRANSFERRED: NEW,
}
ORIGINS = ("Email", "Web", "Messaging", "Phone", "Fax")
ORIGIN_EMAIL, ORIGIN_WEB, ORIGIN_MESSAGING, ORIGIN_PHONE, ORIGIN_FAX = range(len(ORIGINS))
HISTORY_FIELDS = ("created", "Owner", "Status")
H_CREATED, H_OWNER, H_STATUS = range(len(HISTORY_FIELDS))
AGENT_TYPES = ("Bot", "BotToAgent", "Agent", "System", "Supervisor")
BOT, BOT_TO_AGENT, AGENT, SYSTEM, SUPERVISOR = range(len(AGENT_TYPES))
CHANNEL_TYPES = ("EmbeddedMessaging", "WhatsApp", "Text", "Facebook", "AppleBusinessChat")
CHANNEL_TYPE_CUM = np.cumsum([0.40, 0.25, 0.20, 0.10, 0.05])
CALL_TYPES = ("Inbound", "Outbound", "Callback", "Transfer")
CALL_TYPE_OF_METHOD = {P.INBOUND: 0, P.OUTBOUND: 1, P.CALLBACK: 2, P.TRANSFER: 3, P.API: 0}
CALL_DISPOSITIONS = ("completed", "abandoned", "transferred")
GROUP_UNASSIGNED = len(P.QUEUES)  # group index of the default queue "Unassigned"
GROUP_NAMES = (*P.QUEUES, "Unassigned")
# an owner (of a case, in the history) as one number: a user's agent number (>= 0), or -2 - group index
NO_OWNER = NULL


def group_owner(group: np.ndarray) -> np.ndarray:
    return -2 - np.asarray(group, dtype=np.int64)


# ---- shares (each a deterministic choice per id) ---------------------------------------------------
P_SECOND_OWNER = 0.05  # agent cases whose owner changes to another agent later (a transfer)
P_MERGE = 0.05  # identified email / web cases with an agent that get a duplicate, merged later
DUPLICATE_AFTER_S = (120.0, 900.0)  # the duplicate's creation after the case's
MIN_MERGE_WINDOW_S = 60.0
ACW_S = (0, 120)  # a voice call's after-conversation work, whole seconds, inclusive
SYNC_LAG_S = (60.0, 1800.0)  # a change's _fivetran_synced after it (merges, deletes, late closes, history)
DELETED_PER_DAY = (0.3, 1 / 4000)  # Poisson mean: this + customers x this
DELETED_AFTER_S = (600.0, 20 * 3600.0)
SYSTEM_PER_DAY = 4  # System sessions a day: 1 .. this (unit_hash of the day)

RULES = {
    "ids": "18 characters: key prefix (case 500, case_history 017, messaging_session 0Mw, voice_call 0LQ, "
    "contact 003, account 001, user 005, group 00G) + the number zero-padded to 15 digits; a landing-zone "
    "contact CT<n> is <prefix><n>, a customer CUST<n> is 003<n> / 001<n>, an agent AGT<n> is 005<n>; merged "
    "duplicates, System sessions, --bad-rows and deleted records use kind digits 5, 7, 8 and 9 (id // 100 "
    "% 10)",
    "which_object": "email / web contacts -> cases (origin Email / Web); messaging -> messaging_session "
    "(0Mw<n>) "
    "+ its case (500<n>, origin Messaging); voice -> voice_call per leg (0LQ<n>) + one case per attempt "
    "(500<initial contact>, origin Phone, versions with the head leg's rows); chat stays in the landing zone",
    "versions": "one version per landing-zone contacts row (system_modstamp = _fivetran_synced = "
    "_loaded_at); "
    "a voice case whose attempt ends after its head leg's first row gets one more version at the end (+ sync "
    "lag) with the final status",
    "status": "New at created_date; Working once an agent owns it; at disconnected_at (a voice case: the "
    "attempt's end): resolved -> Closed, unresolved -> Closed - Unresolved, escalated -> Escalated, "
    "abandoned / "
    "transferred -> New; voice and messaging cases take the attempt's final disposition",
    "owner": "created owned by the queue's group (00G<queue index>; no queue -> Unassigned), then the "
    "agent's "
    "user at connected_to_agent_at (a voice case: the first leg an agent answered); 5 % of agent cases move "
    "to another agent later; case_history writes every owner change twice (names, then ids)",
    "case_history": "created, Owner and Status rows, landing with the first delivery of the case's row (a "
    "late "
    "voice close: with its version); ids: 017 + sync day * 10**9 + position in the day's file",
    "customer": "case contact_id = 003<customer> (a voice case: the customer of the attempt's first leg that "
    "identified one), account_id = 001<customer>; unidentified email / web "
    "contacts: supplied_email user<n>@mail.example (no customer has it), unidentified others: nothing",
    "messaging_session": "agent_type Bot (bot, no agent), BotToAgent, Agent (also abandoned in queue: "
    "accept_time null); start_time = initiated_at, accept_time = connected_to_agent_at, end_time = "
    "disconnected_at; plus 1-4 System sessions a day without a case",
    "voice_call": "call_type from the head leg's initiation_method (a leg with a parent: Transfer); from / "
    "to "
    "= the customer endpoint and the centre's number by direction; hold from the hold events, "
    "agent_interaction = end - accept - hold, after-conversation work 0-120 s (unit_hash)",
    "merges": "5 % of identified email / web cases with an agent get a duplicate case (500 + number + 500) "
    "created 2-15 min later, then a version with master_record_id = the survivor and is_deleted true",
    "deleted": "spam cases (Poisson 0.3 + customers / 4000 a day) created and deleted 10 min-20 h later",
    "crm": "contact: one version per landing-zone customers row (system_modstamp = updated_at, "
    "_fivetran_synced = _loaded_at); account: one version at each contact version (type = segment, "
    "billing_country = region)",
    "landing_zone": "the landing zone keeps orders, subscriptions, fraud_cases, survey_responses, agents "
    "(and "
    "chat contacts): customer ids as 003<n>, contact ids of Salesforce contacts as their Salesforce id, "
    "agent "
    "ids as 005<n> (the three-system estate keeps the landing zone's agent ids: Connect's agents)",
}
NOT_REPRODUCIBLE = [
    "IVR menus, holds as events (only voice_call total_hold_duration), bot turns and outcomes, AI "
    "assistance, "
    "authentication events, sensitive actions",
    "per-leg disposition: sessions and calls take their case's (the attempt's final) disposition",
    "per-leg customer of voice: every leg takes its attempt's case's customer (a transfer leg that "
    "identified the caller identifies the whole attempt; a leg identified in the landing zone is never lost)",
    "disconnect_reason, enqueued_at (queue wait 0 for sessions), queue and agent of sessions and calls",
    "case transfers: owner changes are events, never contacts (transfer count 0 for cases)",
    "intents unknown to the intents seed become unclassified; spelling warts are normalised",
    "initiation_method of cases and sessions: always inbound (outbound follow-ups, callbacks, api)",
    "chat: Salesforce Chat is retired, chat contacts stay in the landing zone",
    "csat and other survey responses stay in survey_responses (Salesforce carries none)",
]


# ---- helpers ---------------------------------------------------------------------------------------
def is_salesforce(format_name: str) -> bool:
    return SALESFORCE in format_name.split("+")


def sf_ids(prefix: str, values: np.ndarray) -> pa.Array:
    """``prefix`` + the number zero-padded to 15 digits; null where ``values`` < 0."""
    v = np.asarray(values, dtype=np.int64)
    mask = v < 0
    digits = pc.utf8_lpad(pc.cast(pa.array(np.where(mask, 0, v)), pa.string()), 15, "0")
    out = pc.binary_join_element_wise(prefix, digits, "")
    if mask.any():
        out = pc.if_else(pa.array(~mask), out, pa.nulls(len(v), pa.string()))
    return out


def _floor(t: np.ndarray) -> np.ndarray:
    return np.floor(np.asarray(t, dtype=np.float64))


def _cat(parts: list[dict], keys: tuple[str, ...] | None = None) -> dict | None:
    parts = [p for p in parts if p and len(next(iter(p.values())))]
    if not parts:
        return None
    keys = keys or tuple(parts[0])
    return {k: np.concatenate([p[k] for p in parts]) for k in keys}


def _take(batch: dict, rows: np.ndarray) -> dict:
    return {k: v[rows] for k, v in batch.items()}


def _span(values: np.ndarray, seed: int, purpose: str, bounds: tuple[float, float]) -> np.ndarray:
    lo, hi = bounds
    return lo + unit_hash(values, seed, purpose) * (hi - lo)


def _sync_lag(values: np.ndarray, seed: int, purpose: str) -> np.ndarray:
    return np.floor(_span(values, seed, purpose, SYNC_LAG_S))


class DayBuffer:
    """Salesforce rows by object, bucketed by the day of their ``sync`` (seconds) until that day is
    written."""

    def __init__(self, start_s: float) -> None:
        self.start_s = start_s
        self.buckets: dict[str, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))

    def add(self, table: str, batch: dict | None) -> None:
        if batch is None or len(batch["sync"]) == 0:
            return
        day = np.floor((batch["sync"] - self.start_s) / DAY).astype(np.int64)
        for d in np.unique(day):
            self.buckets[table][int(d)].append(_take(batch, np.flatnonzero(day == d)))

    def pop(self, table: str, day: int) -> list[dict]:
        return self.buckets[table].pop(day, [])

    def held(self) -> int:
        return sum(len(b["sync"]) for per in self.buckets.values() for bs in per.values() for b in bs)


# ---- the simulated day's contacts: the columns their records need ----------------------------------
def record_columns(contacts: dict, events: dict | None, seed: int, channels: dict[int, int]) -> dict:
    """Per contact row: which Salesforce record it becomes and every value of its case that the contact (or
    its attempt) fixes. ``contacts``: all contact rows of a simulated day (an attempt's legs are simulated
    together); ``channels``: simulated channel -> SF_CASE / SF_MESSAGING / SF_VOICE."""
    cid = contacts["cid"]
    n = len(cid)
    channel = contacts["channel"]
    kind = np.zeros(n, dtype=np.int8)
    for ch, k in channels.items():
        kind[channel == ch] = k
    if events is not None and n:
        summary = event_summaries(contacts, events)
        bot, hold_us = summary[BOT_OUTCOME] != NULL, summary[HOLD_US]
    else:
        bot, hold_us = np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64)
    # the attempt of each row: its first leg (head), its end and final disposition (the leg ending last)
    init = contacts["init_cid"]
    uniq, which = np.unique(init, return_inverse=True)
    order = np.lexsort((contacts["disc_t"], which))
    last_row = np.zeros(uniq.size, dtype=np.int64)
    last_row[which[order]] = order  # the last assignment per attempt wins: the leg ending last
    head_row = np.zeros(uniq.size, dtype=np.int64)
    is_head = cid == init
    head_row[which[is_head]] = np.flatnonzero(is_head)
    att_end = contacts["disc_t"][last_row][which]
    att_disp = contacts["disp"][last_row][which]
    conn = contacts["conn_t"]
    # the first agent of the attempt (voice case owner)
    first_conn = np.full(uniq.size, np.inf)
    has_agent = ~np.isnan(conn)
    np.minimum.at(first_conn, which[has_agent], conn[has_agent])
    att_agent = np.full(uniq.size, NULL, dtype=np.int64)
    answered = np.flatnonzero(has_agent)
    by_conn = answered[np.lexsort((-conn[answered], which[answered]))]  # per attempt, earliest connect last
    att_agent[which[by_conn]] = contacts["agent"][by_conn]
    # the attempt's customer: that of its first leg that identified one (a transfer leg may identify it later)
    att_cust = np.full(uniq.size, NULL, dtype=np.int64)
    known = np.flatnonzero(contacts["cust"] >= 0)
    by_leg = known[np.lexsort((-cid[known], which[known]))]  # per attempt, its first identified leg last
    att_cust[which[by_leg]] = contacts["cust"][by_leg]
    first_conn = np.where(np.isinf(first_conn), np.nan, first_conn)
    voice = kind == SF_VOICE
    # the unit a case stands for: the contact itself, or (voice) the attempt
    created = np.where(voice, contacts["init_t"][head_row][which], contacts["init_t"])
    queue = np.where(voice, contacts["queue"][head_row][which], contacts["queue"]).astype(np.int64)
    agent1 = np.where(voice, att_agent[which], contacts["agent"]).astype(np.int64)
    conn1 = np.where(voice, first_conn[which], conn)
    end = np.where(voice, att_end, contacts["disc_t"])
    disp = np.where(kind == SF_CASE, contacts["disp"], att_disp)
    final = np.zeros(n, dtype=np.int8)
    for d, status in FINAL_STATUS.items():
        final[disp == d] = status
    case_no = np.where(voice, init, cid).astype(np.int64)
    # a second owner (another agent of the day) for 5 % of the agent cases
    agents_today = np.unique(contacts["agent"][contacts["agent"] >= 0])
    second = (agent1 >= 0) & (unit_hash(case_no, seed, "sf_second_owner") < P_SECOND_OWNER)
    second &= (end - conn1 >= 120) & (agents_today.size > 1)
    pick = np.floor(unit_hash(case_no, seed, "sf_second_owner_who") * max(agents_today.size - 1, 1))
    if agents_today.size > 1:
        pos = np.searchsorted(agents_today, agent1)
        other = (pos + 1 + pick.astype(np.int64)) % agents_today.size
        agent2 = np.where(second, agents_today[other], NULL)
    else:
        agent2 = np.full(n, NULL, dtype=np.int64)
    t2 = np.where(
        second, _floor(conn1 + (end - conn1) * (0.3 + 0.4 * unit_hash(case_no, seed, "sf_t2"))), np.nan
    )
    # merges: a duplicate email / web case of identified customers with an agent
    dup_created = _floor(created + _span(cid, seed, "sf_dup_created", DUPLICATE_AFTER_S))
    merge_at = _floor(conn1 + (end - conn1) * (0.2 + 0.6 * unit_hash(cid, seed, "sf_merge_at")))
    merged = (
        (kind == SF_CASE)
        & (contacts["cust"] >= 0)
        & (agent1 >= 0)
        & (unit_hash(cid, seed, "sf_merge") < P_MERGE)
        & (merge_at - dup_created >= MIN_MERGE_WINDOW_S)
    )
    origin = np.select(
        [channel == P.EMAIL, channel == P.WEB, channel == P.MESSAGING],
        [ORIGIN_EMAIL, ORIGIN_WEB, ORIGIN_MESSAGING],
        ORIGIN_PHONE,
    ).astype(np.int8)
    # messaging sessions
    agent_type = np.where(bot & has_agent, BOT_TO_AGENT, np.where(bot, BOT, AGENT)).astype(np.int8)
    channel_type = np.minimum(
        np.searchsorted(CHANNEL_TYPE_CUM, unit_hash(cid, seed, "sf_channel_type"), side="right"),
        len(CHANNEL_TYPES) - 1,
    ).astype(np.int8)
    end_user = np.where(
        contacts["cust"] >= 0, contacts["cust"], ANONYMOUS_END_USER_BASE + contacts["endpoint_rand"]
    )
    # voice calls
    lo, hi = ACW_S
    acw = lo + np.floor(unit_hash(cid, seed, "sf_acw") * (hi - lo + 1)).astype(np.int64)
    head_method = contacts["method"][head_row][which]
    return {
        "sf": kind,
        "sf_case": case_no,
        "sf_cust": np.where(voice, att_cust[which], contacts["cust"]).astype(np.int64),
        "sf_head": is_head,
        "sf_created": _floor(created),
        "sf_group": np.where(queue >= 0, queue, GROUP_UNASSIGNED).astype(np.int64),
        "sf_agent1": agent1,
        "sf_conn": _floor(conn1),
        "sf_agent2": agent2.astype(np.int64),
        "sf_t2": t2,
        "sf_end": _floor(end),
        "sf_final": final,
        "sf_origin": origin,
        "sf_intent": np.where(voice, contacts["intent"][head_row][which], contacts["intent"]).astype(np.int8),
        "sf_merge_at": np.where(merged, merge_at, np.nan),
        "sf_dup_created": np.where(merged, dup_created, np.nan),
        "sf_agent_type": agent_type,
        "sf_channel_type": channel_type,
        "sf_end_user": end_user.astype(np.int64),
        "sf_hold_s": (hold_us // 1_000_000).astype(np.int64),
        "sf_acw": np.where(has_agent, acw, 0),
        "sf_head_method": head_method.astype(np.int8),
    }


def status_at(c: dict, at: np.ndarray) -> np.ndarray:
    """The case's status at ``at`` (seconds), from the contact's case columns."""
    status = np.full(len(at), NEW, dtype=np.int8)
    with np.errstate(invalid="ignore"):
        status[at >= c["sf_conn"]] = WORKING
        done = at >= c["sf_end"]
    status[done] = c["sf_final"][done]
    return status


def owner_at(c: dict, at: np.ndarray) -> np.ndarray:
    owner = group_owner(c["sf_group"])
    with np.errstate(invalid="ignore"):
        owner = np.where((c["sf_agent1"] >= 0) & (at >= c["sf_conn"]), c["sf_agent1"], owner)
        owner = np.where((c["sf_agent2"] >= 0) & (at >= c["sf_t2"]), c["sf_agent2"], owner)
    return owner.astype(np.int64)


def case_versions(c: dict, at: np.ndarray, sync: np.ndarray) -> dict:
    """Case versions of the contacts ``c`` (rows aligned) as of ``at``, synced at ``sync``."""
    n = len(at)
    status = status_at(c, at)
    closed = (status == CLOSED) | (status == CLOSED_UNRESOLVED)
    anonymous_mail = (c["sf_cust"] < 0) & np.isin(c["sf_origin"], (ORIGIN_EMAIL, ORIGIN_WEB))
    return {
        "id": c["sf_case"].astype(np.int64),
        "cust": c["sf_cust"].astype(np.int64),
        "origin": c["sf_origin"].astype(np.int8),
        "status": status,
        "closed": np.where(closed, c["sf_end"], np.nan),
        "created": c["sf_created"],
        "owner": owner_at(c, at),
        "master": np.full(n, NULL, dtype=np.int64),
        "intent": c["sf_intent"].astype(np.int8),
        "istyle": c["istyle"].astype(np.int8) if "istyle" in c else np.zeros(n, dtype=np.int8),
        "supplied": np.where(anonymous_mail, c["endpoint_rand"], NULL).astype(np.int64),
        "upd": _floor(at),
        "sync": _floor(sync),
        "deleted": np.zeros(n, dtype=bool),
    }


def _history(case, field, old, new, at, sync, as_id=False, deleted=False) -> dict:
    n = len(case)

    def full(v, dtype):
        return np.broadcast_to(np.asarray(v, dtype=dtype), (n,)).copy()

    return {
        "case": np.asarray(case, dtype=np.int64),
        "field": full(field, np.int8),
        "as_id": full(as_id, bool),
        "old": full(old, np.int64),
        "new": full(new, np.int64),
        "at": _floor(at),
        "sync": _floor(sync),
        "deleted": full(deleted, bool),
    }


# ---- the builder ------------------------------------------------------------------------------------
class SalesforceBuilder:
    """Turns each simulated day into Salesforce rows, day by day (in the generator's main thread).

    ``prepare`` runs on the simulated rows of a day (before warts): it adds the record columns and buffers
    the rows that land at their own time (case history, merges, deleted cases, System sessions, late
    closes). ``split`` runs on a load day's rows (after warts): it takes the Salesforce contacts' rows (and
    the CRM) out of the landing zone and returns the day's Salesforce rows (numeric; ``materialise_day``
    makes tables).

    ``scv``: the three-system estate: messaging in Salesforce, and a voice_call for every voice contacts row,
    which stays in the landing-zone batch (Connect's records are made from it).
    """

    def __init__(self, seed: int, start_s: float, customers: int, sim, scv: bool = False) -> None:
        self.seed = seed
        self.start_s = start_s
        self.customers = customers
        self.scv = scv
        self.channels = (
            {P.MESSAGING: SF_MESSAGING, P.VOICE: SF_VOICE}
            if scv
            else {P.EMAIL: SF_CASE, P.WEB: SF_CASE, P.MESSAGING: SF_MESSAGING, P.VOICE: SF_VOICE}
        )
        # the channels whose contacts leave the landing zone (Connect keeps the voice rows in the estate)
        self.moved = (SF_MESSAGING,) if scv else (SF_CASE, SF_MESSAGING, SF_VOICE)
        self.agent_first, self.agent_last = sim.agent_name_first, sim.agent_name_last
        self.buffer = DayBuffer(start_s)
        self.recent: deque[tuple[np.ndarray, np.ndarray]] = deque(maxlen=RECENT_DAYS)
        self.parity = SalesforceParity(self)

    # -- simulated rows ---------------------------------------------------------------------------
    def prepare(self, produced: dict[str, list[dict]], day: int, day_start: float) -> dict[str, list[dict]]:
        out = dict(produced)
        batches = produced.get("contacts") or []
        event_keys = ("cid", "seq", "etype", "t", "attr", "a_method", "a_match", "a_synth", "a_result")
        events = _cat(produced.get("contact_events") or [], event_keys)
        contacts = _cat(batches)
        if contacts is not None:
            full = {**contacts, **record_columns(contacts, events, self.seed, self.channels)}
            out["contacts"] = [full]
            self._later_rows(_take(full, np.flatnonzero(full["sf"] != NOT_SF)))
            sf = full["sf"] != NOT_SF
            today = (full["cid"][sf], full["sf"][sf])
            moved = full["cid"][np.isin(full["sf"], self.moved)]
        else:
            today = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8))
            moved = np.zeros(0, dtype=np.int64)
        self.recent.append(today)
        out["contact_events"] = [
            {**b, "sf": np.isin(b["cid"], moved)} for b in produced.get("contact_events") or []
        ]
        recent_cid = np.concatenate([r[0] for r in self.recent])
        recent_kind = np.concatenate([r[1] for r in self.recent])
        if self.scv:  # only the messaging sessions are Salesforce's contacts in the landing zone's eyes
            keep = recent_kind == SF_MESSAGING
            recent_cid, recent_kind = recent_cid[keep], recent_kind[keep]
        order = np.argsort(recent_cid)
        recent_cid, recent_kind = recent_cid[order], recent_kind[order]
        for table in ("survey_responses", "fraud_cases"):
            out[table] = [
                {**b, "sf_ref": _kind_of(b["cid"], recent_cid, recent_kind)} for b in out.get(table) or []
            ]
        self._deleted_cases(day, day_start)
        self._system_sessions(day, day_start)
        return out

    def _later_rows(self, c: dict) -> None:
        """Case history (with the first delivery of the case's row), late voice closes and merges."""
        seed, buf = self.seed, self.buffer
        if len(c["cid"]) == 0:
            return
        first_sync = _floor(c["load_t"])
        owns = np.flatnonzero((c["sf"] != SF_VOICE) | c["sf_head"])  # rows that write their case
        cu = _take(c, owns)
        sync = first_sync[owns]
        # a voice case whose attempt ends after its head row landed: a version at the end, with the history
        late = np.flatnonzero(cu["sf_end"] > sync)
        if late.size:
            cl = _take(cu, late)
            at = np.maximum(cl["sf_end"] + _sync_lag(cl["sf_case"], seed, "sf_sync_close"), sync[late])
            buf.add("case", case_versions(cl, at, at))
            sync = sync.copy()
            sync[late] = at
        self._history(cu, sync)
        m = np.flatnonzero(~np.isnan(cu["sf_merge_at"]))
        if m.size:
            self._duplicates(_take(cu, m), first_sync[owns][m])

    def _history(self, c: dict, sync: np.ndarray) -> None:
        case = c["sf_case"]
        group = group_owner(c["sf_group"])
        parts = [_history(case, H_CREATED, NULL, NULL, c["sf_created"], sync)]
        a = np.flatnonzero(c["sf_agent1"] >= 0)
        for as_id in (False, True):
            parts.append(
                _history(case[a], H_OWNER, group[a], c["sf_agent1"][a], c["sf_conn"][a], sync[a], as_id)
            )
        parts.append(_history(case[a], H_STATUS, NEW, WORKING, c["sf_conn"][a], sync[a]))
        s = np.flatnonzero(c["sf_agent2"] >= 0)
        for as_id in (False, True):
            parts.append(
                _history(
                    case[s], H_OWNER, c["sf_agent1"][s], c["sf_agent2"][s], c["sf_t2"][s], sync[s], as_id
                )
            )
        before = np.where(c["sf_agent1"] >= 0, WORKING, NEW)
        f = np.flatnonzero(c["sf_final"] != before)
        parts.append(_history(case[f], H_STATUS, before[f], c["sf_final"][f], c["sf_end"][f], sync[f]))
        self.buffer.add("case_history", _cat(parts))

    def _duplicates(self, c: dict, survivor_sync: np.ndarray) -> None:
        seed, buf = self.seed, self.buffer
        dup = c["sf_case"] + MERGED_KIND
        created = c["sf_dup_created"]
        at = c["sf_merge_at"]
        created_sync = created + _sync_lag(dup, seed, "sf_sync_duplicate")
        merge_sync = np.maximum(at + _sync_lag(dup, seed, "sf_sync_merge"), survivor_sync)
        d = {**c, "sf_case": dup, "sf_created": created, "sf_agent1": np.full(len(dup), NULL, dtype=np.int64)}
        d["sf_agent2"] = d["sf_agent1"]
        d["sf_conn"] = d["sf_t2"] = np.full(len(dup), np.nan)
        d["sf_end"] = np.full(len(dup), np.inf)
        buf.add("case", case_versions(d, created, created_sync))
        merged = case_versions(d, at, merge_sync)
        merged["master"] = c["sf_case"].astype(np.int64)
        merged["deleted"][:] = True
        buf.add("case", merged)
        buf.add("case_history", _history(dup, H_CREATED, NULL, NULL, created, created_sync))
        self.parity.merged.append(dup)

    def _deleted_cases(self, day: int, day_start: float) -> None:
        """Spam cases: created, then deleted (an is_deleted version) with their history."""
        rng = np.random.default_rng([self.seed, DELETED_STREAM, day])
        n = int(rng.poisson(DELETED_PER_DAY[0] + self.customers * DELETED_PER_DAY[1]))
        if n == 0:
            return
        case = day * 10**11 + np.arange(n, dtype=np.int64) * 1000 + DELETED_KIND
        created = np.floor(day_start + rng.uniform(0, DAY - 3600, n))
        deleted = np.floor(created + rng.uniform(*DELETED_AFTER_S, n))
        origin = np.where(rng.random(n) < 0.5, ORIGIN_EMAIL, ORIGIN_WEB).astype(np.int8)
        rand = rng.integers(0, P.ANONYMOUS_NUMBER_RANGE, n)
        lag1 = np.floor(rng.uniform(*SYNC_LAG_S, n))
        lag2 = np.floor(rng.uniform(*SYNC_LAG_S, n))
        base = {
            "id": case,
            "cust": np.full(n, NULL, dtype=np.int64),
            "origin": origin,
            "status": np.full(n, NEW, dtype=np.int8),
            "closed": np.full(n, np.nan),
            "created": created,
            "owner": group_owner(np.full(n, GROUP_UNASSIGNED)),
            "master": np.full(n, NULL, dtype=np.int64),
            "intent": np.full(n, NULL, dtype=np.int8),
            "istyle": np.zeros(n, dtype=np.int8),
            "supplied": rand.astype(np.int64),
        }
        self.buffer.add(
            "case", {**base, "upd": created, "sync": created + lag1, "deleted": np.zeros(n, bool)}
        )
        self.buffer.add("case", {**base, "upd": deleted, "sync": deleted + lag2, "deleted": np.ones(n, bool)})
        self.buffer.add("case_history", _history(case, H_CREATED, NULL, NULL, created, created + lag1))

    def _system_sessions(self, day: int, day_start: float) -> None:
        """System messaging sessions (no customer's contact: excluded, reason system)."""
        n = 1 + int(unit_hash(np.array([day]), self.seed, "sf_system_n")[0] * SYSTEM_PER_DAY)
        sid = day * 10**11 + np.arange(n, dtype=np.int64) * 1000 + SYSTEM_KIND
        start = np.floor(day_start + unit_hash(sid, self.seed, "sf_system_start") * (DAY - 7200))
        end = start + np.floor(5 + unit_hash(sid, self.seed, "sf_system_len") * 120)
        sync = end + _sync_lag(sid, self.seed, "sf_sync_system")
        self.buffer.add(
            "messaging_session",
            {
                "id": sid,
                "case": np.full(n, NULL, dtype=np.int64),
                "end_user": np.full(n, NULL, dtype=np.int64),
                "agent_type": np.full(n, SYSTEM, dtype=np.int8),
                "channel_type": np.zeros(n, dtype=np.int8),
                "start": start,
                "accept": np.full(n, np.nan),
                "end": end,
                "upd": sync,
                "sync": sync,
            },
        )

    # -- a load day's rows --------------------------------------------------------------------------
    def split(
        self, day: int, batches: dict[str, dict | None]
    ) -> tuple[dict[str, dict | None], dict[str, dict | None]]:
        """The load day's landing-zone batches without the Salesforce contacts' rows (and without the CRM),
        and the day's Salesforce rows by object (numeric, ``materialise_day`` makes tables)."""
        batches = dict(batches)
        contacts = batches.get("contacts")
        sc = None
        if contacts is not None:
            sc = in_delivery_order("contacts", _take(contacts, np.flatnonzero(contacts["sf"] != NOT_SF)))
            batches["contacts"] = _take(contacts, np.flatnonzero(~np.isin(contacts["sf"], self.moved)))
        events = batches.get("contact_events")
        if events is not None:
            batches["contact_events"] = _take(events, np.flatnonzero(~events["sf"]))
        customers = batches.pop("customers", None)
        batches["customers"] = None
        for table in ("contacts", "contact_events"):
            b = batches.get(table)
            if b is not None and len(b["load_t"]) == 0:
                batches[table] = None
        rows = self._day_rows(day, sc, customers, batches.get("agents"))
        self.parity.add_day(rows, sc)
        return batches, rows

    def _day_rows(self, day, sc, customers, agents) -> dict[str, dict | None]:
        parts: dict[str, list[dict]] = {t: self.buffer.pop(t, day) for t in OBJECTS}
        if sc is not None and len(sc["cid"]):
            load = _floor(sc["load_t"])
            kind = sc["sf"]
            own = np.flatnonzero(
                (kind == SF_CASE) | (kind == SF_MESSAGING) | ((kind == SF_VOICE) & sc["sf_head"])
            )
            parts["case"].append(case_versions(_take(sc, own), load[own], load[own]))
            m = np.flatnonzero(kind == SF_MESSAGING)
            if m.size:
                cm = _take(sc, m)
                parts["messaging_session"].append(
                    {
                        "id": cm["cid"],
                        "case": cm["cid"],
                        "end_user": cm["sf_end_user"],
                        "agent_type": cm["sf_agent_type"],
                        "channel_type": cm["sf_channel_type"],
                        "start": _floor(cm["init_t"]),
                        "accept": _floor(cm["conn_t"]),
                        "end": _floor(cm["disc_t"]),
                        "upd": load[m],
                        "sync": load[m],
                    }
                )
            v = np.flatnonzero(kind == SF_VOICE)
            if v.size:
                parts["voice_call"].append({"rows": _take(sc, v), "sync": load[v]})
        if customers is not None and len(customers["cust"]):
            parts["contact"].append({**customers, "sync": _floor(customers["load_t"])})
        if agents is not None and len(agents["agent"]):
            a = _take(agents, np.flatnonzero(agents["dup"] == 0))
            parts["user"].append({**a, "sync": _floor(a["load_t"])})
        if day == 0:
            n = len(GROUP_NAMES)
            parts["group"].append({"gid": np.arange(n), "sync": np.full(n, self.start_s + 3600.0)})
        rows = {t: _cat(p) if t != "voice_call" else _cat_voice(p) for t, p in parts.items()}
        rows["account"] = rows["contact"]
        return rows

    def held(self) -> int:
        return self.buffer.held()


def _cat_voice(parts: list[dict]) -> dict | None:
    parts = [p for p in parts if len(p["sync"])]
    if not parts:
        return None
    rows = _cat([p["rows"] for p in parts])
    return {"rows": rows, "sync": np.concatenate([p["sync"] for p in parts])}


def _kind_of(cid: np.ndarray, known: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """The Salesforce kind of each contact number (NOT_SF when none); ``known`` sorted."""
    out = np.full(len(cid), NOT_SF, dtype=np.int8)
    if known.size == 0 or len(cid) == 0:
        return out
    pos = np.minimum(np.searchsorted(known, cid), known.size - 1)
    found = (known[pos] == cid) & (cid >= 0)
    out[found] = kind[pos[found]]
    return out


# ---- landing-zone rows: ids renamed to Salesforce's ---------------------------------------------------
def _renumber(column: pa.Array | pa.ChunkedArray, strip: int, prefix: str) -> pa.Array:
    """``prefix`` + the text after the first ``strip`` characters, zero-padded to 15 (nulls stay null)."""
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    digits = pc.utf8_lpad(pc.utf8_slice_codeunits(column, strip), 15, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def customer_id(customer_ref: str) -> str:
    """A landing-zone customer id (CUST…) as its Salesforce contact id."""
    return KEY_PREFIX["contact"] + customer_ref[4:].zfill(15)


CONTACT_PREFIX = {SF_CASE: KEY_PREFIX["case"], SF_MESSAGING: KEY_PREFIX["messaging_session"],
                  SF_VOICE: KEY_PREFIX["voice_call"]}  # fmt: skip


def rewrite_ids(table: str, ordered: dict, t: pa.Table, agents: bool) -> pa.Table:
    """A materialised landing-zone table with customer ids as 003…, contact ids of Salesforce contacts as
    their Salesforce id and (``agents``) agent ids as 005…. ``ordered``: its rows as numbers, same order."""
    for name in t.column_names:
        i = t.schema.get_field_index(name)
        if name == "customer_id":
            t = t.set_column(i, name, _renumber(t.column(i), 4, KEY_PREFIX["contact"]))
        elif name == "agent_id" and agents:
            t = t.set_column(i, name, _renumber(t.column(i), 3, KEY_PREFIX["user"]))
        elif name == "contact_id" and "sf_ref" in ordered and (ordered["sf_ref"] != NOT_SF).any():
            kind = ordered["sf_ref"]
            column = t.column(i).combine_chunks()
            for k, prefix in CONTACT_PREFIX.items():
                sel = kind == k
                if sel.any():
                    column = pc.if_else(pa.array(sel), _renumber(column, 2, prefix), column)
            t = t.set_column(i, name, column)
    return t


def rename_external_ids(users: pa.Table) -> pa.Table:
    """Zendesk users (three-system estate): the external_id of customers' end-users as the 003… id."""
    i = users.schema.get_field_index("external_id")
    column = users.column(i).combine_chunks()
    customer = pc.fill_null(pc.starts_with(column, "CUST"), False)
    if not pc.any(customer).as_py():
        return users
    return users.set_column(
        i, "external_id", pc.if_else(customer, _renumber(column, 4, KEY_PREFIX["contact"]), column)
    )


# ---- Arrow tables -------------------------------------------------------------------------------------
S = pa.string()
B = pa.bool_()
I64 = pa.int64()
FIVETRAN = [("_fivetran_synced", TS), ("_fivetran_deleted", B)]
SCHEMAS: dict[str, pa.Schema] = {
    "case": pa.schema(
        [
            ("id", S), ("case_number", S), ("contact_id", S), ("account_id", S), ("origin", S), ("status", S),
            ("is_closed", B), ("closed_date", TS), ("created_date", TS), ("owner_id", S), ("parent_id", S),
            ("master_record_id", S), ("reason", S), ("subject", S), ("priority", S), ("supplied_email", S),
            ("supplied_phone", S), ("system_modstamp", TS), ("is_deleted", B), *FIVETRAN,
        ]
    ),
    "case_history": pa.schema(
        [
            ("id", S), ("case_id", S), ("field", S), ("old_value", S), ("new_value", S), ("data_type", S),
            ("created_by_id", S), ("created_date", TS), ("is_deleted", B), *FIVETRAN,
        ]
    ),
    "messaging_session": pa.schema(
        [
            ("id", S), ("name", S), ("case_id", S), ("messaging_end_user_id", S), ("agent_type", S),
            ("status", S), ("channel_type", S), ("origin", S), ("start_time", TS), ("accept_time", TS),
            ("end_time", TS), ("created_date", TS), ("system_modstamp", TS), ("is_deleted", B), *FIVETRAN,
        ]
    ),
    "voice_call": pa.schema(
        [
            ("id", S), ("call_type", S), ("vendor_call_key", S), ("vendor_type", S),
            ("parent_voice_call_id", S), ("related_record_id", S), ("from_phone_number", S),
            ("to_phone_number", S),
            ("call_start_date_time", TS), ("call_accept_date_time", TS), ("call_end_date_time", TS),
            ("call_disposition", S), ("call_duration_in_seconds", I64), ("total_hold_duration", I64),
            ("agent_interaction_duration", I64), ("after_conversation_actual_duration", I64),
            ("created_date", TS), ("system_modstamp", TS), ("is_deleted", B), *FIVETRAN,
        ]
    ),
    "contact": pa.schema(
        [
            ("id", S), ("account_id", S), ("name", S), ("email", S), ("phone", S), ("created_date", TS),
            ("system_modstamp", TS), ("preferred_channel_c", S), ("is_deleted", B), *FIVETRAN,
        ]
    ),
    "account": pa.schema(
        [
            ("id", S), ("type", S), ("billing_country", S), ("created_date", TS), ("system_modstamp", TS),
            ("is_deleted", B), *FIVETRAN,
        ]
    ),
    "user": pa.schema(
        [("id", S), ("name", S), ("is_active", B), ("created_date", TS), ("system_modstamp", TS), *FIVETRAN]
    ),
    "group": pa.schema(
        [("id", S), ("name", S), ("type", S), ("created_date", TS), ("system_modstamp", TS), *FIVETRAN]
    ),
}  # fmt: skip


def _lookup(names: tuple[str, ...], codes: np.ndarray) -> pa.Array:
    codes = np.asarray(codes, dtype=np.int64)
    mask = codes < 0
    return pc.take(pa.array(names, S), pa.array(np.maximum(codes, 0), mask=mask if mask.any() else None))


def _bools(values, n: int | None = None) -> pa.Array:
    v = np.asarray(values, dtype=bool)
    return pa.array(np.broadcast_to(v, (n,)).copy() if n is not None else v)


def _ordered(b: dict, *keys: str) -> dict:
    order = np.lexsort(tuple(b[k] for k in reversed(keys)))
    return _take(b, order)


def _names(first: np.ndarray, last: np.ndarray) -> pa.Array:
    return pc.binary_join_element_wise(
        pc.take(pa.array(FIRST_NAMES, S), pa.array(np.asarray(first) % len(FIRST_NAMES))),
        pc.take(pa.array(LAST_NAMES, S), pa.array(np.asarray(last) % len(LAST_NAMES))),
        " ",
    )


def _intent_text(intent: np.ndarray, style: np.ndarray) -> pa.Array:
    return take("intent", intent, style)


_SUBJECTS = tuple(name.replace("_", " ").capitalize() for name in P.INTENTS)


def owner_ids(owner: np.ndarray) -> pa.Array:
    owner = np.asarray(owner, dtype=np.int64)
    user = owner >= 0
    group = np.where(owner <= -2, -2 - owner, NULL)
    return pc.if_else(
        pa.array(user),
        sf_ids(KEY_PREFIX["user"], np.where(user, owner, NULL)),
        sf_ids(KEY_PREFIX["group"], group),
    )


def case_table(b: dict) -> pa.Table:
    b = _ordered(b, "sync", "id", "upd")
    n = len(b["id"])
    status = b["status"]
    closed = (status == CLOSED) | (status == CLOSED_UNRESOLVED)
    intent = b["intent"].astype(np.int64)
    supplied = pc.binary_join_element_wise(
        "user", pc.cast(pa.array(np.maximum(b["supplied"], 0)), S), "@mail.example", ""
    )
    supplied = pc.if_else(pa.array(b["supplied"] >= 0), supplied, pa.nulls(n, S))
    created = ts(b["created"])
    return pa.table(
        [
            sf_ids(KEY_PREFIX["case"], b["id"]),
            pc.utf8_lpad(pc.cast(pa.array(b["id"]), S), 15, "0"),
            sf_ids(KEY_PREFIX["contact"], b["cust"]),
            sf_ids(KEY_PREFIX["account"], b["cust"]),
            _lookup(ORIGINS, b["origin"]),
            _lookup(STATUSES, status),
            pa.array(closed),
            ts(b["closed"]),
            created,
            owner_ids(b["owner"]),
            pa.nulls(n, S),
            sf_ids(KEY_PREFIX["case"], b["master"]),
            _intent_text(intent, b["istyle"]),
            pc.if_else(
                pa.array(intent >= 0), _lookup(_SUBJECTS, intent), pa.array(["Support request"] * n, S)
            ),
            pa.array(["Medium"] * n, S),
            supplied,
            pa.nulls(n, S),
            ts(b["upd"]),
            pa.array(b["deleted"].astype(bool)),
            ts(b["sync"]),
            _bools(False, n),
        ],
        schema=SCHEMAS["case"],
    )


def history_table(
    b: dict, day: int, agent_first: np.ndarray, agent_last: np.ndarray, offset: int = 0
) -> pa.Table:
    b = _ordered(b, "sync", "case", "at", "field", "as_id")
    n = len(b["case"])
    number = day * HISTORY_DAY_BASE + offset + np.arange(n, dtype=np.int64)
    field = b["field"]

    def value(codes: np.ndarray) -> pa.Array:
        codes = np.asarray(codes, dtype=np.int64)
        user = codes >= 0
        agent = np.where(user, codes, 0)
        names = pc.if_else(
            pa.array(user),
            _names(agent_first[agent], agent_last[agent]),
            _lookup(GROUP_NAMES, np.where(codes <= -2, -2 - codes, NULL)),
        )
        owner = pc.if_else(pa.array(b["as_id"]), owner_ids(codes), names)
        status = _lookup(STATUSES, np.where(field == H_STATUS, codes, NULL))
        out = pc.if_else(pa.array(field == H_OWNER), owner, status)
        return pc.if_else(pa.array(field == H_CREATED), pa.nulls(n, S), out)

    data_type = pc.if_else(
        pa.array(field == H_OWNER),
        pc.if_else(pa.array(b["as_id"]), pa.scalar("EntityId"), pa.scalar("Text")),
        pc.if_else(pa.array(field == H_STATUS), pa.scalar("Picklist"), pa.nulls(n, S)),
    )
    return pa.table(
        [
            sf_ids(KEY_PREFIX["case_history"], number),
            sf_ids(KEY_PREFIX["case"], b["case"]),
            _lookup(HISTORY_FIELDS, field),
            value(b["old"]),
            value(b["new"]),
            data_type,
            pa.nulls(n, S),
            ts(b["at"]),
            pa.array(b["deleted"].astype(bool)),
            ts(b["sync"]),
            _bools(False, n),
        ],
        schema=SCHEMAS["case_history"],
    )


def session_table(b: dict) -> pa.Table:
    b = _ordered(b, "sync", "id", "upd")
    n = len(b["id"])
    ended = ~np.isnan(b["end"]) & (b["end"] <= b["upd"])
    return pa.table(
        [
            sf_ids(KEY_PREFIX["messaging_session"], b["id"]),
            pc.binary_join_element_wise("MS-", pc.utf8_lpad(pc.cast(pa.array(b["id"]), S), 15, "0"), ""),
            sf_ids(KEY_PREFIX["case"], b["case"]),
            sf_ids(KEY_PREFIX["messaging_end_user"], b["end_user"]),
            _lookup(AGENT_TYPES, b["agent_type"]),
            pc.if_else(pa.array(ended), pa.scalar("Ended"), pa.scalar("Active")),
            _lookup(CHANNEL_TYPES, b["channel_type"]),
            pa.array(["InboundInitiated"] * n, S),
            ts(b["start"]),
            ts(b["accept"]),
            ts(b["end"]),
            ts(b["start"]),
            ts(b["upd"]),
            _bools(False, n),
            ts(b["sync"]),
            _bools(False, n),
        ],
        schema=SCHEMAS["messaging_session"],
    )


def voice_table(b: dict, scv: bool) -> pa.Table:
    """voice_call versions: ``b`` = {"rows": the voice contacts rows (numeric), "sync"}."""
    r = in_delivery_order("contacts", b["rows"])  # the order materialise gives the landing-zone values
    sync = _floor(r["load_t"])
    n = len(sync)
    cid = r["cid"]
    start, accept, end = _floor(r["init_t"]), _floor(r["conn_t"]), _floor(r["disc_t"])
    answered = ~np.isnan(accept)
    hold = r["sf_hold_s"]
    call_type = np.array([CALL_TYPE_OF_METHOD.get(int(m), 0) for m in range(len(P.INITIATION_METHODS))])[
        r["sf_head_method"].astype(np.int64)
    ]
    call_type = np.where(r["prev_cid"] >= 0, 3, call_type)
    inbound = ~np.isin(r["sf_head_method"], (P.OUTBOUND, P.CALLBACK))  # the customer called
    endpoint = _voice_endpoints(r)
    centre = pa.scalar(SYSTEM_ENDPOINT["Address"])
    disposition = np.where(r["disp"] == P.TRANSFERRED, 2, np.where(answered, 0, 1))
    interaction = np.where(answered, np.maximum(end - accept - hold, 0), 0).astype(np.int64)
    return pa.table(
        [
            sf_ids(KEY_PREFIX["voice_call"], cid),
            _lookup(CALL_TYPES, call_type),
            ids("CT", cid, 15) if scv else pa.nulls(n, S),  # Connect's ContactId: the landing zone's id
            pa.array(["ContactCenter"] * n, S),
            sf_ids(KEY_PREFIX["voice_call"], r["prev_cid"]),
            sf_ids(KEY_PREFIX["case"], r["init_cid"]),
            pc.if_else(pa.array(inbound), endpoint, centre),
            pc.if_else(pa.array(inbound), centre, endpoint),
            ts(start),
            ts(accept),
            ts(end),
            _lookup(CALL_DISPOSITIONS, disposition),
            pa.array((end - start).astype(np.int64)),
            pa.array(hold.astype(np.int64)),
            pa.array(interaction),
            pa.array(np.where(answered, r["sf_acw"], 0).astype(np.int64)),
            ts(start),
            ts(sync),
            _bools(False, n),
            ts(sync),
            _bools(False, n),
        ],
        schema=SCHEMAS["voice_call"],
    )


def _voice_endpoints(r: dict) -> pa.Array:
    """The landing zone's customer_endpoint of voice rows: the customer's phone of the CRM version in force,
    a random number, or none (``tables.materialise`` writes the same)."""
    n = len(r["cid"])
    endpoint = r["endpoint"]
    own = versioned_phone(r["ep_region"], r["ep_phone"], r["ep_ver"])
    other = anonymous_phone(r["endpoint_rand"])
    out = pc.if_else(pa.array(endpoint == EP_PHONE), own, other)
    return pc.if_else(pa.array(np.isin(endpoint, (EP_PHONE, EP_RANDOM_PHONE))), out, pa.nulls(n, S))


def contact_table(b: dict) -> pa.Table:
    b = _ordered(b, "sync", "cust", "upd_t")
    n = len(b["cust"])
    return pa.table(
        [
            sf_ids(KEY_PREFIX["contact"], b["cust"]),
            sf_ids(KEY_PREFIX["account"], b["cust"]),
            _names(b["first"], b["last"]),
            email(b["first"], b["last"], b["cust"], b["ver"]),
            versioned_phone(b["region"], b["phone"], b["ver"]),
            ts(b["created_t"]),
            ts(b["upd_t"]),
            _lookup(P.CHANNELS, b["pref"]),
            _bools(False, n),
            ts(b["sync"]),
            _bools(False, n),
        ],
        schema=SCHEMAS["contact"],
    )


def account_table(b: dict) -> pa.Table:
    b = _ordered(b, "sync", "cust", "upd_t")
    n = len(b["cust"])
    return pa.table(
        [
            sf_ids(KEY_PREFIX["account"], b["cust"]),
            _lookup(P.SEGMENTS, b["seg"]),
            _lookup(P.REGIONS, b["region"]),
            ts(b["created_t"]),
            ts(b["upd_t"]),
            _bools(False, n),
            ts(b["sync"]),
            _bools(False, n),
        ],
        schema=SCHEMAS["account"],
    )


def user_table(b: dict) -> pa.Table:
    b = _ordered(b, "sync", "agent")
    n = len(b["agent"])
    return pa.table(
        [
            sf_ids(KEY_PREFIX["user"], b["agent"]),
            _names(b["first"], b["last"]),
            _bools(True, n),
            ts(b["hired_t"]),
            ts(b["hired_t"]),
            ts(b["sync"]),
            _bools(False, n),
        ],
        schema=SCHEMAS["user"],
    )


def group_table(b: dict, start_s: float) -> pa.Table:
    n = len(b["gid"])
    made = np.full(n, start_s - 400 * DAY)
    return pa.table(
        [
            sf_ids(KEY_PREFIX["group"], b["gid"]),
            _lookup(GROUP_NAMES, b["gid"]),
            pa.array(["Queue"] * n, S),
            ts(made),
            ts(made),
            ts(b["sync"]),
            _bools(False, n),
        ],
        schema=SCHEMAS["group"],
    )


def materialise_day(builder: SalesforceBuilder, day: int, rows: dict[str, dict | None], first_day: bool):
    """The day's Salesforce tables (every object on the first day, empty or not)."""
    tables = {}
    for table in OBJECTS:
        b = rows.get(table)
        if b is not None and len(b["sync"]):
            if table == "case":
                tables[table] = case_table(b)
            elif table == "case_history":
                tables[table] = history_table(b, day, builder.agent_first, builder.agent_last)
            elif table == "messaging_session":
                tables[table] = session_table(b)
            elif table == "voice_call":
                tables[table] = voice_table(b, builder.scv)
            elif table == "contact":
                tables[table] = contact_table(b)
            elif table == "account":
                tables[table] = account_table(b)
            elif table == "user":
                tables[table] = user_table(b)
            else:
                tables[table] = group_table(b, builder.start_s)
        elif first_day:
            tables[table] = SCHEMAS[table].empty_table()
    return tables


# ---- files --------------------------------------------------------------------------------------------
# text columns worth dictionary-encoding (ids, names and e-mails are unique or nearly)
LOW_CARDINALITY = {
    "origin", "status", "reason", "subject", "priority", "owner_id", "field", "data_type", "agent_type",
    "channel_type", "call_type", "vendor_type", "call_disposition", "type", "billing_country",
    "preferred_channel_c",
}  # fmt: skip


def partition(out: Path, table: str, date: dt.date) -> Path:
    return out / SALESFORCE / table / f"load_date={date.isoformat()}"


def write_tables(
    out: Path, date: dt.date, tables: dict[str, pa.Table], name: str = GOOD_FILE
) -> list[tuple[str, Path, int]]:
    written = []
    for table, t in tables.items():
        path = partition(out, table, date) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        dictionary = [f.name for f in t.schema if pa.types.is_string(f.type) and f.name in LOW_CARDINALITY]
        pq.write_table(
            t, tmp, compression="zstd", compression_level=1, use_dictionary=dictionary, row_group_size=256_000
        )
        tmp.replace(path)
        written.append((table, path, t.num_rows))
    return written


def day_folders(out: Path, date: dt.date) -> list[Path]:
    return [partition(out, table, date) for table in OBJECTS]


def totals(out: Path) -> dict[str, dict[str, int]]:
    result = {}
    for table in OBJECTS:
        files = sorted((out / SALESFORCE / table).glob("load_date=*/*.parquet"))
        result[table] = {
            "rows": sum(pq.ParquetFile(f).metadata.num_rows for f in files),
            "files": len(files),
            "bytes": sum(f.stat().st_size for f in files),
        }
    return result


# ---- --bad-rows -----------------------------------------------------------------------------------------
BAD_KINDS = (
    "case_unknown_origin",
    "session_unknown_agent_type",
    "case_without_created_date",
    "history_of_deleted_case",
    "contact_without_id",
    "voice_call_duplicate_vendor_call_key",
    "contact_ambiguous_email",
)


def bad_rows(
    builder: SalesforceBuilder, day: int, day_start: float, good: dict[str, dict | None], customer_ref: str
) -> tuple[dict[str, pa.Table], dict]:
    """The --bad-rows Salesforce rows of load day ``day`` (only BAD_ROW_DAY) and what they are, by kind."""
    if day != BAD_ROW_DAY:
        return {}, {}
    noon = day_start + 12 * 3600.0
    load = day_start + 13 * 3600.0
    number = day * 10**11 + np.arange(5, dtype=np.int64) * 1000 + BAD_KIND
    fax, session, no_created, deleted, _ = (int(x) for x in number)
    cust = int(customer_ref[3:]) if customer_ref.startswith(KEY_PREFIX["contact"]) else int(customer_ref[4:])
    cases = {
        "id": np.array([fax, no_created, deleted, deleted]),
        "cust": np.full(4, cust),
        "origin": np.array([ORIGIN_FAX, ORIGIN_WEB, ORIGIN_WEB, ORIGIN_WEB], dtype=np.int8),
        "status": np.full(4, NEW, dtype=np.int8),
        "closed": np.full(4, np.nan),
        "created": np.array([noon, np.nan, noon, noon]),
        "owner": group_owner(np.full(4, GROUP_UNASSIGNED)),
        "master": np.full(4, NULL),
        "intent": np.full(4, P.INTENT_ID["billing_question"], dtype=np.int8),
        "istyle": np.zeros(4, dtype=np.int8),
        "supplied": np.full(4, NULL),
        "upd": np.array([noon, noon, noon, noon + 1800]),
        "sync": np.full(4, load),
        "deleted": np.array([False, False, False, True]),
    }
    tables = {"case": case_table(cases)}
    details: dict[str, list] = {
        "case_unknown_origin": [KEY_PREFIX["case"] + str(fax).zfill(15)],
        "session_unknown_agent_type": [KEY_PREFIX["messaging_session"] + str(session).zfill(15)],
        "case_without_created_date": [KEY_PREFIX["case"] + str(no_created).zfill(15)],
        "history_of_deleted_case": [KEY_PREFIX["case"] + str(deleted).zfill(15)],
        "contact_without_id": [None],
    }
    history = _cat(
        [
            _history(np.array([deleted]), H_CREATED, NULL, NULL, np.array([noon]), np.array([load])),
            _history(np.array([deleted]), H_STATUS, NEW, WORKING, np.array([noon + 600]), np.array([load])),
        ]
    )
    tables["case_history"] = history_table(
        history, day, builder.agent_first, builder.agent_last, offset=HISTORY_BAD_OFFSET
    )
    tables["messaging_session"] = session_table(
        {
            "id": np.array([session]),
            "case": np.array([NULL]),
            "end_user": np.array([cust]),
            "agent_type": np.array([SUPERVISOR], dtype=np.int8),
            "channel_type": np.zeros(1, dtype=np.int8),
            "start": np.array([noon]),
            "accept": np.array([noon + 30]),
            "end": np.array([noon + 600]),
            "upd": np.array([noon + 600]),
            "sync": np.array([load]),
        }
    )
    contact_rows = {
        "cust": np.array([BAD_CUSTOMER_BASE + 1]),
        "first": np.zeros(1, dtype=np.int64),
        "last": np.zeros(1, dtype=np.int64),
        "ver": np.zeros(1, dtype=np.int64),
        "region": np.zeros(1, dtype=np.int8),
        "phone": np.zeros(1, dtype=np.int64),
        "created_t": np.array([noon]),
        "upd_t": np.array([noon]),
        "pref": np.full(1, NULL, dtype=np.int8),
        "seg": np.zeros(1, dtype=np.int8),
        "sync": np.array([load]),
    }
    contact = contact_table(contact_rows)
    contact = contact.set_column(0, "id", pa.nulls(1, S))
    if builder.scv:
        good_contacts = good.get("contact")
        if good_contacts is not None and len(good_contacts["cust"]):
            # another customer's contact row with the e-mail of the day's first good contact row
            twin = contact_table(_take(good_contacts, np.arange(1)))
            other = contact_table({**contact_rows, "cust": np.array([BAD_CUSTOMER_BASE + 2])})
            other = other.set_column(3, "email", twin.column("email"))
            contact = pa.concat_tables([contact, other])
            details["contact_ambiguous_email"] = [
                {"id": other.column("id")[0].as_py(), "email": twin.column("email")[0].as_py()}
            ]
        calls = good.get("voice_call")
        if calls is not None and len(calls["sync"]):
            twin = voice_table({"rows": _take(calls["rows"], np.arange(1)), "sync": calls["sync"][:1]}, True)
            twin_id = KEY_PREFIX["voice_call"] + str(day * 10**11 + 5 * 1000 + BAD_KIND).zfill(15)
            twin = twin.set_column(0, "id", pa.array([twin_id], S))
            tables["voice_call"] = twin
            details["voice_call_duplicate_vendor_call_key"] = [
                {"id": twin_id, "vendor_call_key": twin.column("vendor_call_key")[0].as_py()}
            ]
    tables["contact"] = contact
    return tables, details


# ---- what the parity test needs -------------------------------------------------------------------------
class SalesforceParity:
    """Counts over the Salesforce rows of every load day so far, written to ``salesforce/_parity.json``."""

    def __init__(self, builder: SalesforceBuilder) -> None:
        self.builder = builder
        self.rows: Counter[str] = Counter()
        self.contact_rows: Counter[str] = Counter()
        self.ids: dict[str, list[np.ndarray]] = defaultdict(list)
        self.merged: list[np.ndarray] = []  # duplicates made (merged when their version lands)
        self.bad: dict[str, int] = {}
        self.bad_details: dict[str, list] = {}

    def add_day(self, rows: dict[str, dict | None], sc: dict | None) -> None:
        for table, b in rows.items():
            if b is not None:
                self.rows[table] += len(b["sync"])
        if sc is not None and len(sc["cid"]):
            kind = sc["sf"]
            for name, sel in (
                ("cases_from_email_web", kind == SF_CASE),
                ("messaging_sessions", kind == SF_MESSAGING),
                ("voice_calls", kind == SF_VOICE),
            ):
                self.ids[name].append(sc["cid"][sel])
                self.contact_rows[name] += int(sel.sum())
            self.ids["voice_cases"].append(sc["init_cid"][(kind == SF_VOICE) & sc["sf_head"]])
            self.ids["messaging_cases"].append(sc["cid"][kind == SF_MESSAGING])
        cases = rows.get("case")
        if cases is not None:
            kind = cases["id"] // 100 % 10
            self.ids["merged"].append(cases["id"][(kind == MERGED_KIND // 100) & (cases["master"] >= 0)])
            self.ids["deleted"].append(cases["id"][(kind == DELETED_KIND // 100) & cases["deleted"]])
            self.ids["deleted_created"].append(cases["id"][(kind == DELETED_KIND // 100) & ~cases["deleted"]])
        sessions = rows.get("messaging_session")
        if sessions is not None:
            self.ids["system"].append(sessions["id"][sessions["agent_type"] == SYSTEM])
        calls = rows.get("voice_call")
        if calls is not None and self.builder.scv:
            self.ids["scv_pairs"].append(calls["rows"]["cid"])

    def add_bad(self, details: dict) -> None:
        for kind, items in details.items():
            self.bad[kind] = self.bad.get(kind, 0) + len(items)
            self.bad_details.setdefault(kind, []).extend(items)

    def _unique(self, name: str) -> np.ndarray:
        return np.unique(np.concatenate([np.zeros(0, dtype=np.int64), *self.ids.get(name, [])]))

    def _distinct(self, name: str) -> int:
        return int(self._unique(name).size)

    def summary(self) -> dict:
        contacts = {
            name: self._distinct(name)
            for name in (
                "cases_from_email_web",
                "messaging_sessions",
                "voice_calls",
                "voice_cases",
                "messaging_cases",
            )
        }
        excluded = {
            "merged": self._distinct("merged"),
            "deleted": self._distinct("deleted"),
            "system": self._distinct("system"),
            "case_of_session": contacts["voice_cases"] + contacts["messaging_cases"],
        }
        result = {
            "contacts": contacts,
            "contact_rows": dict(self.contact_rows),
            "rows": {t: self.rows[t] for t in OBJECTS},
            "excluded_expected": excluded,
            "spam_cases_not_yet_deleted": int(
                np.setdiff1d(self._unique("deleted_created"), self._unique("deleted")).size
            ),
            "bad_rows": dict(sorted(self.bad.items())),
            "bad_row_ids": dict(sorted(self.bad_details.items())),
            "rules": RULES,
            "not_reproducible": NOT_REPRODUCIBLE,
        }
        if self.builder.scv:
            result["scv_pairs"] = self._distinct("scv_pairs")
        return result
