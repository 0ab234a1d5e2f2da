"""The simulated email, web and messaging contacts as Zendesk tickets (SPEC §8.3, §8.4): ``--format zendesk``.

Fivetran's Zendesk connector lands Zendesk's objects as tables with snake_case columns, ``_fivetran_synced``
and ``_fivetran_deleted``; here they are Parquet files, one per table and sync day:
``<out>/zendesk/<table>/load_date=YYYY-MM-DD/part-0.parquet`` (``--bad-rows``: ``part-0900.parquet`` beside
it), for ``ticket``, ``ticket_comment``, ``ticket_field_history``, ``ticket_tag``, ``user``, ``group``,
``schedule``, ``schedule_holiday`` and ``ticket_schedule`` (docs/sources/zendesk.md §2). Timestamps are naive
UTC ``timestamp[us]`` (whole seconds), ids ``int64``.

Parity with the landing zone is the point. Every landing-zone ``contacts`` row of an email, web or messaging
contact (re-deliveries included) is one ``ticket`` version: ``id`` = the contact's number (``CT000123…`` →
``123…``, so ``zendesk:<id>`` names the same contact), ``updated_at`` = ``_fivetran_synced`` = the row's
``_loaded_at`` (like Connect's ``LastUpdateTimestamp``), and the status the ticket has at that instant.
Status changes after the contact (a reopen and a second solve, the automatic close 4 days after the last
solve, a merge) are further versions at their own time. Everything a ticket carries beyond the contact row
(via channel, reopen, merge, identity mode of its requester, internal notes …) is a deterministic function of
the seed and an id
(``unit_hash``), never a draw from a simulation random stream, so the simulated centre is the same in every
format; the deleted (spam) tickets have their own random stream per day (``DELETED_STREAM``).

The contact's children (its comments, status history, tags and ``ticket_schedule`` row) land with the first
delivery of its row; a csat survey response of the contact becomes a ``satisfaction_score`` change in
``ticket_field_history`` that lands when the response row lands (re-deliveries included). The rules are listed
in ``ZENDESK_GENERATOR_REPORT.md`` and in ``_parity.json`` (``rules``).
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
from scripts.simulation.amazon_connect import AI_ASSIST, BOT_OUTCOME, event_summaries, unit_hash
from scripts.simulation.contacts import NULL
from scripts.simulation.tables import (
    FIRST_NAMES,
    LAST_NAMES,
    TS,
    agent_ids,
    email,
    ids,
    ts,
    versioned_phone,
)

ZENDESK = "zendesk"
PARITY_FILE = Path(ZENDESK) / "_parity.json"
GOOD_FILE = "part-0.parquet"
BAD_FILE = "part-0900.parquet"  # read after the good file of its day (sorted paths)
TABLES = (
    "ticket",
    "ticket_comment",
    "ticket_field_history",
    "ticket_tag",
    "user",
    "group",
    "schedule",
    "schedule_holiday",
    "ticket_schedule",
)
# the landing-zone tables whose rows of Zendesk contacts Zendesk stands for (contacts, their events) or
# partly stands for (csat responses: survey_responses keeps the other survey types)
REPLACES = ("contacts", "contact_events")
# the simulated channels that become tickets (with Salesforce on too: email and web; messaging is its)
CHANNELS = (P.EMAIL, P.MESSAGING, P.WEB)
DELETED_STREAM = 7  # random stream (seed, 7, day) of the deleted (spam) tickets
BAD_ROW_DAY = 3  # load day of the --bad-rows rows (fixed: a nightly series writes the same)
DAY = 86_400.0

# ---- ids -------------------------------------------------------------------------------------------
# A contact id is day*10**11 + customer*10**3 + kind*100 + attempt*10 + leg with kind 0 (genuine) or 1 (fraud,
# always voice); the extra tickets use kind digits the simulation never does.
MERGED_KIND = (500, 600)  # + the surviving ticket's id: its first and second merged duplicate
BAD_KIND = 800  # day*10**11 + k*10**3 + 800: --bad-rows tickets
DELETED_KIND = 900  # day*10**11 + k*10**3 + 900: deleted tickets
AGENT_USER_BASE = 360_000_000_000  # + agent number
REQUESTER_USER_BASE = 370_000_000_000  # + CRM customer number
ANONYMOUS_USER_BASE = 380_000_000_000  # + the unidentified contact's random endpoint number
BAD_USER_ID = 389_999_999_999
GROUP_BASE = 360_000_001_000  # + index into P.QUEUES
BRAND_ID = 360_000_000_100
SCHEDULE_ID = 360_000_000_001
HOLIDAY_BASE = 360_000_100_000  # + year * 100 + holiday number
COMMENT = {  # comment id = ticket id * 100 + this
    "request": 0,
    "first_reply": 1,
    "note": 2,
    "customer_again": 3,
    "reply_again": 4,
    "reopen": 5,
    "solve_again": 6,
    "merged_into": 7,
    "merge_note": 8,
    "bad": 9,
}

# ---- vocabularies ----------------------------------------------------------------------------------
STATUSES = ("new", "open", "pending", "hold", "solved", "closed", "deleted")
NEW, OPEN, PENDING, HOLD, SOLVED, CLOSED, DELETED = range(len(STATUSES))
HISTORY_VALUES = (*STATUSES, "offered", "good", "bad")
OFFERED, GOOD, BAD = (HISTORY_VALUES.index(v) for v in ("offered", "good", "bad"))
FIELDS = ("status", "satisfaction_score")
STATUS_FIELD, SATISFACTION_FIELD = range(len(FIELDS))
VIA = (
    "email", "web", "web_form", "help_center", "api", "native_messaging", "messaging", "whatsapp",
    "facebook", "sms", "mobile_sdk", "instagram_dm", "twitter", "carrier_pigeon",
)  # fmt: skip
UNKNOWN_VIA = VIA.index("carrier_pigeon")  # --bad-rows only
# via_channel shares per simulated channel (a deterministic choice per contact)
VIA_MIX = {
    P.EMAIL: {"email": 1.0},
    P.WEB: {"web": 0.40, "web_form": 0.35, "help_center": 0.15, "api": 0.10},
    P.MESSAGING: {
        "native_messaging": 0.38, "whatsapp": 0.25, "facebook": 0.10, "sms": 0.10, "mobile_sdk": 0.08,
        "instagram_dm": 0.04, "twitter": 0.03, "messaging": 0.02,
    },
}  # fmt: skip
SOURCE_RELS = ("follow_up", "merge")
FOLLOW_UP = 0
EXTRA_TAGS = ("bot_handled", "ai_assisted", "vip", "follow_up", "spam")
TAGS = (*P.INTENTS, *EXTRA_TAGS)
TAG = {name: i for i, name in enumerate(TAGS)}
ROLES = ("end-user", "agent", "admin")
END_USER, AGENT, ADMIN = range(len(ROLES))
BODIES = {
    "request": "(the customer's message: not simulated)",
    "first_reply": "(the agent's reply: not simulated)",
    "note": "(internal note: not simulated)",
    "customer_again": "(the customer's follow-up message: not simulated)",
    "reply_again": "(the agent's second reply: not simulated)",
    "reopen": "(the customer replies after the solve: not simulated)",
    "solve_again": "(the agent's answer to the reopen: not simulated)",
    "merged_into": "This request was closed and merged into another request.",
    "merge_note": "Another request was closed and merged into this request.",
    "bad": "(a comment of a ticket that does not exist)",
}
BODY_TEXT = tuple(BODIES.values())
BODY = {name: i for i, name in enumerate(BODIES)}
TYPE_BY_INTENT_GROUP = {"technical": "incident", "orders": "question", "billing": "question"}
PRIORITIES = ("low", "normal", "high", "urgent")

# ---- shares (each a deterministic choice per id) ---------------------------------------------------
P_EXTERNAL_ID = 0.80  # requesters (end-users of CRM customers) with external_id = the CRM customer_id
P_EMAIL_ONLY = 0.15  # ... without one, identified by their e-mail (the CRM's current e-mail)
# the rest (5 %): without external_id and e-mail, identified by their phone (the CRM's current phone)
P_ADMIN = 0.04  # agents whose Zendesk role is admin
P_REOPEN = 0.06  # solved tickets with an agent that the customer reopens (then solved again)
REOPEN_AFTER_S = (2 * 3600.0, 3 * DAY)
SOLVE_AGAIN_AFTER_S = (1200.0, DAY)
CLOSE_AFTER_S = 4 * DAY  # Zendesk's default automation: solved tickets close 4 days after the solve
P_MERGE = 0.05  # identified email / web tickets with an agent where the customer wrote again (a duplicate)
P_TWO_MERGED = 0.25  # ... twice
MIN_MERGE_WINDOW_S = 180.0
P_NOTE = 0.30  # agent tickets with an internal note
P_MORE_COMMENTS = 0.40  # agent tickets with a second exchange (customer, agent) before the end
P_OFFERED_UNRATED = 0.30  # solved tickets offered a satisfaction survey that got no rating
P_OFFERED_RATED = 0.50  # rated tickets whose history shows the offer first
P_VIP = 0.03
SYNC_LAG_S = (60.0, 1800.0)  # a change's _fivetran_synced after it (status changes, merges, deleted tickets)
DELETED_PER_DAY = (0.3, 1 / 4000)  # Poisson mean: this + customers x this
DELETED_AFTER_S = (600.0, 20 * 3600.0)
GOOD_FROM = 0.6  # csat: good when (score - scale_min) / (scale_max - scale_min) >= this (the top 40 %)
SCHEDULE_TIME_ZONE = "Eastern Time (US & Canada)"
SCHEDULE_HOURS = (8 * 60, 20 * 60)  # Mon-Fri 08:00-20:00, minutes from midnight
RECENT_DAYS = (
    50  # simulated days whose Zendesk contact ids fraud cases may still name (reported <= 45 d later)
)

RULES = {
    "ticket_id": "the contact id's number (CT000123 -> 123); merged duplicates, deleted and --bad-rows "
    "tickets use kind digits 5/6, 9 and 8 (id // 100 % 10), which no contact has",
    "ticket_versions": "one per landing-zone contacts row (updated_at = _fivetran_synced = _loaded_at), plus "
    "one per later status change (reopen, solve again, close) and one at a merge, at the change's time",
    "status": "new at created_at; open at connected_to_agent_at; at disconnected_at: resolved -> solved, "
    "escalated -> hold, unresolved -> pending, abandoned / transferred -> open (with an agent); without an "
    "agent a ticket not resolved stays new; solved -> closed 4 days after the last solve",
    "reopen": "6 % of solved tickets with an agent: open (by the requester) 2 h-3 d after the solve, solved "
    "again 20 min-1 d later; the first solve stays the end",
    "csat": "a csat response with a contact_id of a Zendesk contact -> satisfaction_score good when "
    "(score - min) / (max - min) >= 0.6, else bad, at responded_at; e-mail-link responses (contact_id null) "
    "and ces / nps responses stay in survey_responses (their contact_id rewritten to zendesk:<id>)",
    "identity": "requester = one end-user per CRM customer (id 370000000000 + customer number): 80 % with "
    "external_id = customer_id, 15 % e-mail only, 5 % phone only (the CRM's latest loaded e-mail / phone, "
    "updated with each CRM version); unidentified contacts: an end-user with only a user<n>@mail.example "
    "e-mail that no customer has",
    "assignee": "the contact's agent as a user with role agent (4 % admin), id 360000000000 + agent number, "
    "external_id = the landing zone's agent_id",
    "group": "the contact's queue (group name = queue name); null queue -> null group_id",
    "connected_to_agent_at": "the first public agent comment, at the contact's connected_to_agent_at",
    "tags": "the contact's intent (lower case, also unknown intents), bot_handled when a bot took part, "
    "ai_assisted when the agent had AI assistance, follow_up on later attempts, vip on 3 %",
}
NOT_REPRODUCIBLE = [
    "events other than agent_connect, disconnect, bot and AI assistance (queue, holds, bot turns and "
    "handoffs, transfers, AI suggestions' accepted flag, AI summaries, sensitive actions)",
    "transfer chains: every contact row (leg) is its own ticket and attempt (transfer_leg_tickets)",
    "enqueued_at = created_at (a ticket waits in its group from creation: bot time counts as queue wait)",
    "disconnected_at of tickets never solved: their latest updated_at, not the contact's end "
    "(unsolved_tickets)",
    "disposition: solved / closed -> resolved, everything else unresolved (escalated, abandoned and "
    "transferred are lost)",
    "intents unknown to the intents seed become unclassified (unknown_intent_tickets); spelling warts vanish",
    "initiation_method: always inbound (non_inbound_tickets: outbound follow-ups, callbacks, api contacts)",
    "csat scores: 2 (good) or 1 (bad) on a 1-2 scale, so 5 or 1 after rescaling",
    "agent_id: zendesk:<assignee id>, not in the landing zone's agents table; queue: the group's name",
    "bot outcome: success only when solved without an agent comment",
    "customer_endpoint, disconnect_reason, case_id: not carried",
]


# ---- helpers ---------------------------------------------------------------------------------------
def is_zendesk(format_name: str) -> bool:
    return ZENDESK in format_name.split("+")


def _choice(u: np.ndarray, mix: dict[str, float]) -> np.ndarray:
    """Index into VIA of a weighted choice by a uniform number."""
    names = list(mix)
    cum = np.cumsum([mix[n] for n in names])
    pick = np.minimum(np.searchsorted(cum / cum[-1], u, side="right"), len(names) - 1)
    return np.array([VIA.index(n) for n in names], dtype=np.int8)[pick]


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


class DayBuffer:
    """Zendesk rows by table, bucketed by the day of their ``sync`` (seconds) until that day is written."""

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


# ---- the simulated day's contacts: the columns their tickets need ----------------------------------
def ticket_columns(
    contacts: dict, events: dict | None, seed: int, channels: tuple[int, ...] = CHANNELS
) -> dict[str, np.ndarray]:
    """Per contact row: whether it is a ticket and every ticket value the contact fixes (numeric).

    Added to the simulated contacts batch, so that they travel with the row through duplicates and hold-back.
    """
    cid = contacts["cid"]
    n = len(cid)
    channel = contacts["channel"]
    zd = np.isin(channel, channels)
    via = np.full(n, NULL, dtype=np.int8)
    u = unit_hash(cid, seed, "zendesk_via")
    for ch, mix in VIA_MIX.items():
        sel = channel == ch
        via[sel] = _choice(u[sel], mix)
    cust = contacts["cust"]
    requester = np.where(
        cust >= 0, REQUESTER_USER_BASE + cust, ANONYMOUS_USER_BASE + contacts["endpoint_rand"]
    )
    agent = contacts["agent"]
    has_agent = agent >= 0
    created = _floor(contacts["init_t"])
    conn = _floor(contacts["conn_t"])  # NaN: no agent
    disc = _floor(contacts["disc_t"])
    disp = contacts["disp"]
    final = np.select(
        [disp == P.RESOLVED, ~has_agent, disp == P.ESCALATED, disp == P.UNRESOLVED],
        [SOLVED, NEW, HOLD, PENDING],
        OPEN,
    ).astype(np.int8)
    solved = final == SOLVED
    reopened = solved & has_agent & (unit_hash(cid, seed, "zendesk_reopen") < P_REOPEN)
    reopen = np.where(reopened, _floor(disc + _span(cid, seed, "zendesk_reopen_at", REOPEN_AFTER_S)), np.nan)
    solve_again = _floor(reopen + _span(cid, seed, "zendesk_solve_again_at", SOLVE_AGAIN_AFTER_S))
    close = np.where(solved, np.where(reopened, solve_again, disc) + CLOSE_AFTER_S, np.nan)
    # merges: a duplicate ticket (or two) the customer opened before the agent merged it into this one
    window = disc - conn
    merge_at = _floor(conn + window * (0.2 + 0.6 * unit_hash(cid, seed, "zendesk_merge_at")))
    merged = (
        zd
        & np.isin(channel, (P.EMAIL, P.WEB))
        & (cust >= 0)
        & has_agent
        & (unit_hash(cid, seed, "zendesk_merge") < P_MERGE)
        & (merge_at - created >= MIN_MERGE_WINDOW_S)
    )
    second = merged & (unit_hash(cid, seed, "zendesk_two_merged") < P_TWO_MERGED)
    if events is not None:
        summary = event_summaries(contacts, events)
        bot, ai = summary[BOT_OUTCOME] != NULL, summary[AI_ASSIST]
    else:
        bot, ai = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    return {
        "zd": zd,
        "zd_via": via,
        "zd_rel": np.where((cid // 10 % 10 > 0) & (cid % 10 == 0), FOLLOW_UP, NULL).astype(np.int8),
        "zd_requester": requester.astype(np.int64),
        "zd_assignee": np.where(has_agent, AGENT_USER_BASE + agent, NULL).astype(np.int64),
        "zd_group": np.where(contacts["queue"] >= 0, GROUP_BASE + contacts["queue"].astype(np.int64), NULL),
        "zd_created": created,
        "zd_conn": conn,
        "zd_disc": disc,
        "zd_final": final,
        "zd_reopen": reopen,
        "zd_solve_again": solve_again,
        "zd_close": close,
        "zd_merge_at": np.where(merged, merge_at, np.nan),
        "zd_m1": np.where(merged, cid + MERGED_KIND[0], NULL).astype(np.int64),
        "zd_m2": np.where(second, cid + MERGED_KIND[1], NULL).astype(np.int64),
        "zd_bot": bot,
        "zd_ai": ai,
    }


def _span(values: np.ndarray, seed: int, purpose: str, bounds: tuple[float, float]) -> np.ndarray:
    lo, hi = bounds
    return lo + unit_hash(values, seed, purpose) * (hi - lo)


def status_at(c: dict, at: np.ndarray) -> np.ndarray:
    """The ticket's status at ``at`` (seconds), from the contact's ticket columns."""
    status = np.full(len(at), NEW, dtype=np.int8)
    with np.errstate(invalid="ignore"):
        status[at >= c["zd_conn"]] = OPEN
        done = at >= c["zd_disc"]
        status[done] = c["zd_final"][done]
        status[at >= c["zd_reopen"]] = OPEN
        status[at >= c["zd_solve_again"]] = SOLVED
        status[at >= c["zd_close"]] = CLOSED
    return status


def versions(c: dict, at: np.ndarray, sync: np.ndarray, kind: int) -> dict:
    """Ticket versions of contacts ``c`` (rows aligned) updated at ``at``, synced at ``sync``."""
    n = len(at)
    with np.errstate(invalid="ignore"):
        merged = at >= c["zd_merge_at"]
    return {
        "tid": c["cid"].astype(np.int64),
        "created": c["zd_created"],
        "upd": _floor(at),
        "sync": _floor(sync),
        "status": status_at(c, at),
        "requester": c["zd_requester"],
        "assignee": c["zd_assignee"],
        "group": c["zd_group"],
        "via": c["zd_via"],
        "rel": c["zd_rel"],
        "intent": c["intent"].astype(np.int8),
        "m1": np.where(merged, c["zd_m1"], NULL),
        "m2": np.where(merged, c["zd_m2"], NULL),
        "fdeleted": np.zeros(n, dtype=bool),
        "kind": np.full(n, kind, dtype=np.int8),
        "channel": c["channel"].astype(np.int8),
    }


# version kinds (for the parity counts)
KINDS = (
    "contact_row", "reopen", "solve_again", "close", "merge", "duplicate_created", "duplicate_merged",
    "deleted_created", "deleted",
)  # fmt: skip
K = {name: i for i, name in enumerate(KINDS)}


def _comments(tid, user, created, public, body, sync) -> dict:
    n = len(tid)
    return {
        "cmt": tid * 100 + COMMENT[body],
        "tid": tid,
        "user": np.broadcast_to(np.asarray(user, dtype=np.int64), (n,)).copy(),
        "created": _floor(created),
        "public": np.full(n, public, dtype=bool),
        "body": np.full(n, BODY[body], dtype=np.int8),
        "sync": _floor(sync),
    }


def _history(tid, field, value, updated, user, sync) -> dict:
    n = len(tid)
    return {
        "tid": tid,
        "field": np.full(n, field, dtype=np.int8),
        "value": np.broadcast_to(np.asarray(value, dtype=np.int8), (n,)).copy(),
        "updated": _floor(updated),
        "user": np.broadcast_to(np.asarray(user, dtype=np.int64), (n,)).copy(),
        "sync": _floor(sync),
    }


def _sync_lag(values: np.ndarray, seed: int, purpose: str) -> np.ndarray:
    return np.floor(_span(values, seed, purpose, SYNC_LAG_S))


# ---- the builder ------------------------------------------------------------------------------------
class ZendeskBuilder:
    """Turns each simulated day's contacts into Zendesk rows, day by day (in the generator's main thread).

    ``prepare`` runs on the simulated rows of a day (before warts): it adds the ticket columns and buffers the
    rows that land later (status changes, merges, deleted tickets). ``split`` runs on a load day's rows (after
    warts): it takes the Zendesk contacts' rows out of the landing zone and returns the day's Zendesk tables.
    """

    def __init__(
        self, seed: int, start_s: float, customers: int, sim, channels: tuple[int, ...] = CHANNELS
    ) -> None:
        self.seed = seed
        self.channels = channels
        self.start_s = start_s
        self.customers = customers
        self.first, self.last, self.region, self.phone = sim.name_first, sim.name_last, sim.region, sim.phone
        self.buffer = DayBuffer(start_s)
        self.recent: deque[np.ndarray] = deque(maxlen=RECENT_DAYS)
        self.latest_version = np.full(customers, NULL, dtype=np.int64)  # latest loaded CRM version
        self.user_version = np.full(customers, NULL, dtype=np.int64)  # CRM version of the user's latest row
        self.user_updated = np.full(customers, -np.inf)  # updated_at of the user's latest row
        self.user_created = np.full(customers, np.nan)  # created_at of the user
        self.anonymous_users: set[int] = set()
        u = unit_hash(np.arange(customers), seed, "zendesk_identity")
        # 0: external_id, 1: e-mail only, 2: phone only
        self.identity = np.select([u < P_EXTERNAL_ID, u < P_EXTERNAL_ID + P_EMAIL_ONLY], [0, 1], 2)
        self.parity = ZendeskParity(self)

    # -- simulated rows ---------------------------------------------------------------------------
    def prepare(self, produced: dict[str, list[dict]], day: int, day_start: float) -> dict[str, list[dict]]:
        contacts = produced.get("contacts") or []
        event_keys = ("cid", "seq", "etype", "t", "attr", "a_method", "a_match", "a_synth", "a_result")
        events = _cat(produced.get("contact_events") or [], event_keys)
        out = dict(produced)
        new_contacts = []
        zd_ids = []
        for batch in contacts:
            cols = ticket_columns(batch, events, self.seed, self.channels)
            full = {**batch, **cols}
            new_contacts.append(full)
            zd = np.flatnonzero(cols["zd"])
            zd_ids.append(batch["cid"][zd])
            self._later_rows(_take(full, zd))
        out["contacts"] = new_contacts
        today = np.unique(np.concatenate([np.zeros(0, dtype=np.int64), *zd_ids]))
        self.recent.append(today)
        out["contact_events"] = [
            {**b, "zd": np.isin(b["cid"], today)} for b in produced.get("contact_events") or []
        ]
        surveys = []
        for b in produced.get("survey_responses") or []:
            mine = np.isin(b["rid"], today)  # rid: the contact the survey was about
            csat = mine & (b["stype"] == P.CSAT) & (b["cid"] >= 0)
            surveys.append({**b, "zd_csat": csat, "zd_ref": mine & ~csat & (b["cid"] >= 0)})
        out["survey_responses"] = _with_offer_times(surveys, contacts)
        recent = np.concatenate(list(self.recent))
        out["fraud_cases"] = [
            {**b, "zd_ref": (b["cid"] >= 0) & np.isin(b["cid"], recent)}
            for b in produced.get("fraud_cases") or []
        ]
        self._deleted_tickets(day, day_start)
        return out

    def _later_rows(self, c: dict) -> None:
        """The versions and comments / history rows of status changes after the contact, and merges.

        A change lands (``_fivetran_synced``) a sync lag after it, but never before the contact's first row:
        the ticket version a change makes implies the comments and status changes before it, which land with
        that row."""
        seed, buf = self.seed, self.buffer
        tid = c["cid"].astype(np.int64)
        first_sync = _floor(c["load_t"])
        # reopen and solve again
        r = np.flatnonzero(~np.isnan(c["zd_reopen"]))
        if r.size:
            cr = _take(c, r)
            t_re, t_again = cr["zd_reopen"], cr["zd_solve_again"]
            s_re = np.maximum(t_re + _sync_lag(tid[r], seed, "zendesk_sync_reopen"), first_sync[r])
            s_again = np.maximum(t_again + _sync_lag(tid[r], seed, "zendesk_sync_solve_again"), s_re)
            buf.add("ticket", versions(cr, t_re, s_re, K["reopen"]))
            buf.add("ticket", versions(cr, t_again, s_again, K["solve_again"]))
            buf.add("ticket_comment", _comments(tid[r], cr["zd_requester"], t_re, True, "reopen", s_re))
            buf.add(
                "ticket_comment", _comments(tid[r], cr["zd_assignee"], t_again, True, "solve_again", s_again)
            )
            buf.add(
                "ticket_field_history", _history(tid[r], STATUS_FIELD, OPEN, t_re, cr["zd_requester"], s_re)
            )
            buf.add(
                "ticket_field_history",
                _history(tid[r], STATUS_FIELD, SOLVED, t_again, cr["zd_assignee"], s_again),
            )
        # the automatic close
        s = np.flatnonzero(~np.isnan(c["zd_close"]))
        if s.size:
            cs = _take(c, s)
            sync = np.maximum(cs["zd_close"] + _sync_lag(tid[s], seed, "zendesk_sync_close"), first_sync[s])
            buf.add("ticket", versions(cs, cs["zd_close"], sync, K["close"]))
            buf.add(
                "ticket_field_history", _history(tid[s], STATUS_FIELD, CLOSED, cs["zd_close"], NULL, sync)
            )
        # merges: the survivor's version at the merge, the duplicates (created, then closed and merged)
        m = np.flatnonzero(~np.isnan(c["zd_merge_at"]))
        if m.size:
            cm = _take(c, m)
            at = cm["zd_merge_at"]
            sync = np.maximum(at + _sync_lag(tid[m], seed, "zendesk_sync_merge"), first_sync[m])
            buf.add("ticket", versions(cm, at, sync, K["merge"]))
            buf.add("ticket_comment", _comments(tid[m], cm["zd_assignee"], at, False, "merge_note", sync))
            for column in ("zd_m1", "zd_m2"):
                d = np.flatnonzero(cm[column] >= 0)
                if d.size:
                    self._duplicates(_take(cm, d), cm[column][d], sync[d])

    def _duplicates(self, c: dict, dup: np.ndarray, merge_sync: np.ndarray) -> None:
        seed, buf = self.seed, self.buffer
        at = c["zd_merge_at"]
        created = _floor(
            c["zd_created"] + (at - c["zd_created"]) * (0.1 + 0.8 * unit_hash(dup, seed, "zd_dup"))
        )
        created_sync = created + _sync_lag(dup, seed, "zendesk_sync_duplicate")
        base = {
            "tid": dup,
            "created": created,
            "requester": c["zd_requester"],
            "group": c["zd_group"],
            "via": c["zd_via"],
            "rel": np.full(len(dup), NULL, dtype=np.int8),
            "intent": c["intent"].astype(np.int8),
            "m1": np.full(len(dup), NULL, dtype=np.int64),
            "m2": np.full(len(dup), NULL, dtype=np.int64),
            "fdeleted": np.zeros(len(dup), dtype=bool),
            "channel": c["channel"].astype(np.int8),
        }
        n = len(dup)
        buf.add(
            "ticket",
            {
                **base,
                "upd": created,
                "sync": created_sync,
                "status": np.full(n, NEW, dtype=np.int8),
                "assignee": np.full(n, NULL, dtype=np.int64),
                "kind": np.full(n, K["duplicate_created"], dtype=np.int8),
            },
        )
        buf.add(
            "ticket",
            {
                **base,
                "upd": at,
                "sync": merge_sync,
                "status": np.full(n, CLOSED, dtype=np.int8),
                "assignee": c["zd_assignee"],
                "kind": np.full(n, K["duplicate_merged"], dtype=np.int8),
            },
        )
        buf.add("ticket_comment", _comments(dup, c["zd_requester"], created, True, "request", created_sync))
        buf.add("ticket_comment", _comments(dup, c["zd_assignee"], at, True, "merged_into", merge_sync))
        buf.add(
            "ticket_field_history", _history(dup, STATUS_FIELD, NEW, created, c["zd_requester"], created_sync)
        )
        buf.add("ticket_field_history", _history(dup, STATUS_FIELD, CLOSED, at, c["zd_assignee"], merge_sync))
        intent = c["intent"] >= 0
        buf.add(
            "ticket_tag",
            {"tid": dup[intent], "tag": c["intent"][intent].astype(np.int16), "sync": created_sync[intent]},
        )
        buf.add("ticket_schedule", {"tid": dup, "created": created, "sync": created_sync})

    def _deleted_tickets(self, day: int, day_start: float) -> None:
        """Spam tickets, deleted later: half with status deleted, half soft-deleted (_fivetran_deleted)."""
        rng = np.random.default_rng([self.seed, DELETED_STREAM, day])
        n = int(rng.poisson(DELETED_PER_DAY[0] + self.customers * DELETED_PER_DAY[1]))
        if n == 0:
            return
        tid = day * 10**11 + np.arange(n, dtype=np.int64) * 1000 + DELETED_KIND
        created = np.floor(day_start + rng.uniform(0, DAY - 3600, n))
        deleted = np.floor(created + rng.uniform(*DELETED_AFTER_S, n))
        soft = rng.random(n) < 0.5
        rand = rng.integers(0, P.ANONYMOUS_NUMBER_RANGE, n)
        via = np.array([VIA.index(v) for v in ("email", "web_form", "api")], dtype=np.int8)[
            rng.integers(0, 3, n)
        ]
        group = GROUP_BASE + len(P.TEAMS) + rng.integers(0, len(P.TEAMS), n)  # a digital queue
        lag1 = np.floor(rng.uniform(*SYNC_LAG_S, n))
        lag2 = np.floor(rng.uniform(*SYNC_LAG_S, n))
        requester = ANONYMOUS_USER_BASE + rand
        base = {
            "tid": tid,
            "created": created,
            "requester": requester,
            "assignee": np.full(n, NULL, dtype=np.int64),
            "group": group.astype(np.int64),
            "via": via,
            "rel": np.full(n, NULL, dtype=np.int8),
            "intent": np.full(n, NULL, dtype=np.int8),
            "m1": np.full(n, NULL, dtype=np.int64),
            "m2": np.full(n, NULL, dtype=np.int64),
            "channel": np.full(n, NULL, dtype=np.int8),
        }
        buf = self.buffer
        buf.add(
            "ticket",
            {
                **base,
                "upd": created,
                "sync": created + lag1,
                "status": np.full(n, NEW, dtype=np.int8),
                "fdeleted": np.zeros(n, dtype=bool),
                "kind": np.full(n, K["deleted_created"], dtype=np.int8),
            },
        )
        buf.add(
            "ticket",
            {
                **base,
                "upd": deleted,
                "sync": deleted + lag2,
                "status": np.where(soft, NEW, DELETED).astype(np.int8),
                "fdeleted": soft,
                "kind": np.full(n, K["deleted"], dtype=np.int8),
            },
        )
        buf.add("ticket_comment", _comments(tid, requester, created, True, "request", created + lag1))
        buf.add("ticket_field_history", _history(tid, STATUS_FIELD, NEW, created, requester, created + lag1))
        hard = np.flatnonzero(~soft)
        buf.add(
            "ticket_field_history",
            _history(tid[hard], STATUS_FIELD, DELETED, deleted[hard], NULL, deleted[hard] + lag2[hard]),
        )
        buf.add(
            "ticket_tag", {"tid": tid, "tag": np.full(n, TAG["spam"], dtype=np.int16), "sync": created + lag1}
        )
        buf.add("ticket_schedule", {"tid": tid, "created": created, "sync": created + lag1})

    # -- a load day's rows --------------------------------------------------------------------------
    def split(
        self, day: int, batches: dict[str, dict | None]
    ) -> tuple[dict[str, dict | None], dict[str, dict | None]]:
        """The load day's landing-zone batches without the Zendesk contacts' rows (their contacts, events and
        csat responses), and the day's Zendesk rows by table (numeric: ``materialise_day`` makes tables)."""
        batches = dict(batches)
        contacts = batches.get("contacts")
        zc = None
        if contacts is not None:
            zc = _take(contacts, np.flatnonzero(contacts["zd"]))
            batches["contacts"] = _take(contacts, np.flatnonzero(~contacts["zd"]))
        events = batches.get("contact_events")
        if events is not None:
            batches["contact_events"] = _take(events, np.flatnonzero(~events["zd"]))
        surveys = batches.get("survey_responses")
        rated = None
        if surveys is not None:
            rated = _take(surveys, np.flatnonzero(surveys["zd_csat"]))
            batches["survey_responses"] = _take(surveys, np.flatnonzero(~surveys["zd_csat"]))
        for table in ("contacts", "contact_events", "survey_responses"):
            b = batches.get(table)
            if b is not None and len(b["load_t"]) == 0:
                batches[table] = None
        rows = self._day_rows(day, zc, rated, batches.get("customers"), batches.get("agents"))
        self.parity.add_day(rows, zc, rated)
        return batches, rows

    def _day_rows(self, day, zc, rated, customers, agents) -> dict[str, dict | None]:
        seed = self.seed
        parts: dict[str, list[dict]] = {t: self.buffer.pop(t, day) for t in TABLES}
        if zc is not None and len(zc["cid"]):
            load = _floor(zc["load_t"])
            parts["ticket"].append(versions(zc, load, load, K["contact_row"]))
            first = _take(zc, np.flatnonzero(zc["dup"] == 0))
            self._children(first, parts)
        if rated is not None and len(rated["rid"]):
            sync = _floor(rated["load_t"])
            score = (rated["score"] - rated["smin"]) / np.maximum(rated["smax"] - rated["smin"], 1e-9)
            value = np.where(score >= GOOD_FROM, GOOD, BAD).astype(np.int8)
            tid = rated["cid"].astype(np.int64)
            offered = np.flatnonzero(unit_hash(rated["rid"], seed, "zendesk_offered") < P_OFFERED_RATED)
            parts["ticket_field_history"].append(
                _history(
                    tid[offered],
                    SATISFACTION_FIELD,
                    OFFERED,
                    rated["zd_offer_t"][offered],
                    NULL,
                    sync[offered],
                )
            )
            parts["ticket_field_history"].append(
                _history(tid, SATISFACTION_FIELD, value, rated["resp_t"], rated["zd_requester"], sync)
            )
        if day == 0:
            parts["group"].append(self._groups())
            parts["schedule"].append(self._schedule())
        parts["schedule_holiday"].append(self._holidays(day))
        rows = {t: _cat(p) for t, p in parts.items()}
        rows["user"] = self._users(rows.get("ticket"), customers, agents)
        return rows

    def _children(self, c: dict, parts: dict[str, list[dict]]) -> None:
        """Comments, status history, tags and ticket_schedule of tickets, landing with the first delivery."""
        seed = self.seed
        tid = c["cid"].astype(np.int64)
        sync = _floor(c["load_t"])
        req, agent = c["zd_requester"], c["zd_assignee"]
        created, conn, disc = c["zd_created"], c["zd_conn"], c["zd_disc"]
        comments = parts["ticket_comment"]
        history = parts["ticket_field_history"]
        comments.append(_comments(tid, req, created, True, "request", sync))
        history.append(_history(tid, STATUS_FIELD, NEW, created, req, sync))
        a = np.flatnonzero(~np.isnan(conn))
        comments.append(_comments(tid[a], agent[a], conn[a], True, "first_reply", sync[a]))
        history.append(_history(tid[a], STATUS_FIELD, OPEN, conn[a], agent[a], sync[a]))
        handled = disc[a] - conn[a]
        note = a[unit_hash(tid[a], seed, "zendesk_note") < P_NOTE]
        if note.size:
            at = conn[note] + (disc[note] - conn[note]) * (
                0.3 + 0.6 * unit_hash(tid[note], seed, "zd_note_at")
            )
            comments.append(_comments(tid[note], agent[note], at, False, "note", sync[note]))
        more = a[(unit_hash(tid[a], seed, "zendesk_more") < P_MORE_COMMENTS) & (handled >= 120)]
        if more.size:
            span = disc[more] - conn[more]
            comments.append(
                _comments(tid[more], req[more], conn[more] + 0.4 * span, True, "customer_again", sync[more])
            )
            comments.append(
                _comments(tid[more], agent[more], conn[more] + 0.7 * span, True, "reply_again", sync[more])
            )
        # the status at the end, when it changes there
        final = c["zd_final"]
        changed = np.flatnonzero(final != np.where(np.isnan(conn), NEW, OPEN))
        history.append(
            _history(tid[changed], STATUS_FIELD, final[changed], disc[changed], agent[changed], sync[changed])
        )
        solved = np.flatnonzero(final == SOLVED)
        offered = solved[unit_hash(tid[solved], seed, "zendesk_offered_unrated") < P_OFFERED_UNRATED]
        history.append(
            _history(tid[offered], SATISFACTION_FIELD, OFFERED, disc[offered], NULL, sync[offered])
        )
        # tags
        tags = []
        intent = np.flatnonzero(c["intent"] >= 0)
        tags.append({"tid": tid[intent], "tag": c["intent"][intent].astype(np.int16), "sync": sync[intent]})
        for name, rows in (
            ("bot_handled", np.flatnonzero(c["zd_bot"])),
            ("ai_assisted", np.flatnonzero(c["zd_ai"])),
            ("follow_up", np.flatnonzero(c["zd_rel"] == FOLLOW_UP)),
            ("vip", np.flatnonzero(unit_hash(tid, seed, "zendesk_vip") < P_VIP)),
        ):
            tags.append(
                {"tid": tid[rows], "tag": np.full(rows.size, TAG[name], dtype=np.int16), "sync": sync[rows]}
            )
        parts["ticket_tag"].extend(tags)
        parts["ticket_schedule"].append({"tid": tid, "created": created, "sync": sync})

    def _groups(self) -> dict:
        digital = np.arange(len(P.TEAMS), len(P.QUEUES))
        n = digital.size
        made = self.start_s - 400 * DAY
        return {
            "gid": GROUP_BASE + digital,
            "queue": digital,
            "created": np.full(n, made),
            "upd": np.full(n, made),
            "sync": np.full(n, self.start_s + 3600.0),
        }

    def _schedule(self) -> dict:
        weekdays = np.arange(1, 6)  # Monday..Friday, days after Sunday
        return {
            "start_min": weekdays * 1440 + SCHEDULE_HOURS[0],
            "end_min": weekdays * 1440 + SCHEDULE_HOURS[1],
            "created": np.full(5, self.start_s - 400 * DAY),
            "sync": np.full(5, self.start_s + 3600.0),
        }

    def _holidays(self, day: int) -> dict | None:
        """The holidays of the start year and the next on day 0; of year Y + 2 on each 1 December of Y."""
        date = dt.datetime.fromtimestamp(self.start_s + day * DAY, dt.UTC).date()
        if day == 0:
            years = [date.year, date.year + 1]
        elif (date.month, date.day) == (12, 1):
            years = [date.year + 2]
        else:
            return None
        rows = [(y, i, *h) for y in years for i, h in enumerate(us_holidays(y))]
        sync = self.start_s + day * DAY + 3600.0
        return {
            "hid": np.array([HOLIDAY_BASE + y * 100 + i for y, i, *_ in rows], dtype=np.int64),
            "name": np.array([name for *_, name, _, _ in rows], dtype=object),
            "start_date": np.array([start for *_, start, _ in rows], dtype=object),
            "end_date": np.array([end for *_, end in rows], dtype=object),
            "sync": np.full(len(rows), sync),
        }

    def _users(self, tickets: dict | None, customers: dict | None, agents: dict | None) -> dict | None:
        """The day's user rows: agents as they land in the landing zone, the end-users of new requesters,
        and a new version of a customer's end-user whenever a newer CRM version lands."""
        parts = []
        if agents is not None and len(agents["agent"]):
            a = _take(agents, np.flatnonzero(agents["dup"] == 0))
            role = np.where(unit_hash(a["agent"], self.seed, "zendesk_admin") < P_ADMIN, ADMIN, AGENT)
            parts.append(
                {
                    "uid": AGENT_USER_BASE + a["agent"],
                    "role": role.astype(np.int8),
                    "who": a["agent"],
                    "ver": np.full(len(a["agent"]), NULL, dtype=np.int64),
                    "created": _floor(a["hired_t"]),
                    "updated": _floor(
                        a["hired_t"]
                    ),  # a user since the hire: the role holds for every comment
                    "sync": _floor(a["load_t"]),
                    "first": a["first"],
                    "last": a["last"],
                    **_no_contact_details(len(a["agent"])),
                }
            )
        if customers is not None and len(customers["cust"]):
            order = np.argsort(customers["load_t"], kind="stable")
            cust, ver = customers["cust"][order], customers["ver"][order]
            load, changed = customers["load_t"][order], customers["upd_t"][order]
            np.maximum.at(self.latest_version, cust, ver)
            has_user = self.user_version[cust] >= 0
            newer = has_user & (ver > self.user_version[cust])
            rows = np.flatnonzero(newer)
            # one row per customer: its newest version landed today, updated when the CRM version was made
            if rows.size:
                best = {}
                for i in rows.tolist():
                    c = int(cust[i])
                    if c not in best or ver[i] > ver[best[c]]:
                        best[c] = i
                rows = np.array(sorted(best.values()))
                c = cust[rows]
                updated = np.maximum(_floor(changed[rows]), self.user_updated[c] + 1)
                parts.append(self._customer_users(c, ver[rows], updated, _floor(load[rows])))
                self.user_version[c] = ver[rows]
                self.user_updated[c] = updated
        if tickets is not None:
            order = np.argsort(tickets["sync"], kind="stable")
            requester, sync = tickets["requester"][order], tickets["sync"][order]
            _, first, which = np.unique(requester, return_index=True, return_inverse=True)
            earliest = np.full(first.size, np.inf)  # the user exists from its first ticket's creation
            np.minimum.at(earliest, which, tickets["created"][order])
            requester, sync, created = requester[first], sync[first], earliest
            known = (requester >= REQUESTER_USER_BASE) & (requester < ANONYMOUS_USER_BASE)
            cust = requester[known] - REQUESTER_USER_BASE
            new = self.user_version[cust] < 0
            if new.any():  # made with the first ticket that lands
                c = cust[new]
                ver = np.maximum(self.latest_version[c], 0)
                made = created[known][new]
                self.user_version[c] = ver
                self.user_updated[c] = made
                self.user_created[c] = made
                parts.append(self._customer_users(c, ver, made, sync[known][new]))
            anonymous = np.flatnonzero(requester >= ANONYMOUS_USER_BASE)
            fresh = [i for i in anonymous.tolist() if int(requester[i]) not in self.anonymous_users]
            if fresh:
                self.anonymous_users.update(int(requester[i]) for i in fresh)
                idx = np.array(fresh)
                parts.append(
                    {
                        "uid": requester[idx],
                        "role": np.full(idx.size, END_USER, dtype=np.int8),
                        "who": requester[idx] - ANONYMOUS_USER_BASE,
                        "ver": np.full(idx.size, NULL, dtype=np.int64),
                        "created": created[idx],
                        "updated": created[idx],
                        "sync": sync[idx],
                        "first": np.full(idx.size, NULL, dtype=np.int64),
                        "last": np.full(idx.size, NULL, dtype=np.int64),
                        **_no_contact_details(idx.size),
                    }
                )
        return _cat(parts)

    def _customer_users(
        self, cust: np.ndarray, ver: np.ndarray, updated: np.ndarray, sync: np.ndarray
    ) -> dict:
        """End-user rows of CRM customers with the e-mail / phone of CRM version ``ver``."""
        self.parity.add_users(cust, updated, ver)
        return {
            "uid": REQUESTER_USER_BASE + cust,
            "role": np.full(cust.size, END_USER, dtype=np.int8),
            "who": cust,
            "ver": ver,
            "created": self.user_created[cust],
            "updated": updated,
            "sync": sync,
            "first": self.first[cust],
            "last": self.last[cust],
            "region": self.region[cust].astype(np.int64),
            "phone": self.phone[cust].astype(np.int64),
            "identity": self.identity[cust].astype(np.int8),
        }

    def held(self) -> int:
        return self.buffer.held()


def _no_contact_details(n: int) -> dict[str, np.ndarray]:
    return {
        "region": np.zeros(n, dtype=np.int64),
        "phone": np.zeros(n, dtype=np.int64),
        "identity": np.zeros(n, dtype=np.int8),
    }


def _with_offer_times(surveys: list[dict], contacts: list[dict]) -> list[dict]:
    """Surveys with the time their ticket's survey was offered (halfway between the end and the answer) and
    the requester (the user who rates)."""
    if not surveys:
        return surveys
    c = _cat(contacts, ("cid", "disc_t", "cust", "endpoint_rand"))
    out = []
    for s in surveys:
        offer = np.full(len(s["rid"]), np.nan)
        requester = np.full(len(s["rid"]), NULL, dtype=np.int64)
        if c is not None and len(s["rid"]):
            order = np.argsort(c["cid"])
            pos = np.minimum(np.searchsorted(c["cid"], s["rid"], sorter=order), len(order) - 1)
            row = order[pos]
            found = c["cid"][row] == s["rid"]
            disc = np.floor(c["disc_t"][row])
            offer = np.where(found, np.floor((disc + np.floor(s["resp_t"])) / 2), np.nan)
            cust = c["cust"][row]
            req = np.where(
                cust >= 0, REQUESTER_USER_BASE + cust, ANONYMOUS_USER_BASE + c["endpoint_rand"][row]
            )
            requester = np.where(found, req, NULL)
        out.append({**s, "zd_offer_t": offer, "zd_requester": requester})
    return out


def us_holidays(year: int) -> list[tuple[str, dt.date, dt.date]]:
    """US support-centre holidays of ``year``: (name, first day, last day)."""

    def nth(month: int, weekday: int, n: int) -> dt.date:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))

    def last(month: int, weekday: int) -> dt.date:
        end = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
        return end - dt.timedelta(days=(end.weekday() - weekday) % 7)

    thanksgiving = nth(11, 3, 4)
    days = [
        ("New Year's Day", dt.date(year, 1, 1), dt.date(year, 1, 1)),
        ("Martin Luther King Jr. Day", nth(1, 0, 3), nth(1, 0, 3)),
        ("Memorial Day", last(5, 0), last(5, 0)),
        ("Independence Day", dt.date(year, 7, 4), dt.date(year, 7, 4)),
        ("Labor Day", nth(9, 0, 1), nth(9, 0, 1)),
        ("Thanksgiving", thanksgiving, thanksgiving + dt.timedelta(days=1)),
        ("Christmas", dt.date(year, 12, 24), dt.date(year, 12, 26)),
    ]
    return days


# ---- landing-zone rows that name a Zendesk contact ----------------------------------------------------
def rewrite_contact_ids(table: str, ordered: dict, materialised: pa.Table) -> pa.Table:
    """survey_responses (ces, nps) and fraud_cases rows of a Zendesk contact name it as zendesk:<id>."""
    flags = ordered.get("zd_ref")
    if flags is None or not flags.any():
        return materialised
    i = materialised.schema.get_field_index("contact_id")
    zendesk_ids = pc.binary_join_element_wise("zendesk:", pc.cast(pa.array(ordered["cid"]), pa.string()), "")
    column = pc.if_else(pa.array(flags), zendesk_ids, materialised.column(i).combine_chunks())
    return materialised.set_column(i, "contact_id", column)


# ---- Arrow tables -------------------------------------------------------------------------------------
I64 = pa.int64()
S = pa.string()
B = pa.bool_()
SCHEMAS: dict[str, pa.Schema] = {
    "ticket": pa.schema(
        [
            ("id", I64),
            ("created_at", TS),
            ("updated_at", TS),
            ("type", S),
            ("subject", S),
            ("description", S),
            ("priority", S),
            ("status", S),
            ("requester_id", I64),
            ("submitter_id", I64),
            ("assignee_id", I64),
            ("organization_id", I64),
            ("group_id", I64),
            ("brand_id", I64),
            ("via_channel", S),
            ("via_source_rel", S),
            ("merged_ticket_ids", S),
            ("is_public", B),
            ("has_incidents", B),
            ("_fivetran_synced", TS),
            ("_fivetran_deleted", B),
        ]
    ),
    "ticket_comment": pa.schema(
        [
            ("id", I64),
            ("ticket_id", I64),
            ("user_id", I64),
            ("created", TS),
            ("public", B),
            ("body", S),
            ("_fivetran_synced", TS),
            ("_fivetran_deleted", B),
        ]
    ),
    "ticket_field_history": pa.schema(
        [
            ("ticket_id", I64),
            ("field_name", S),
            ("value", S),
            ("updated", TS),
            ("user_id", I64),
            ("_fivetran_synced", TS),
        ]
    ),
    "ticket_tag": pa.schema([("ticket_id", I64), ("tag", S), ("_fivetran_synced", TS)]),
    "user": pa.schema(
        [
            ("id", I64),
            ("role", S),
            ("email", S),
            ("phone", S),
            ("external_id", S),
            ("name", S),
            ("created_at", TS),
            ("updated_at", TS),
            ("active", B),
            ("locale", S),
            ("time_zone", S),
            ("organization_id", I64),
            ("suspended", B),
            ("_fivetran_synced", TS),
            ("_fivetran_deleted", B),
        ]
    ),
    "group": pa.schema(
        [
            ("id", I64),
            ("name", S),
            ("created_at", TS),
            ("updated_at", TS),
            ("_fivetran_synced", TS),
            ("_fivetran_deleted", B),
        ]
    ),
    "schedule": pa.schema(
        [
            ("id", I64),
            ("name", S),
            ("time_zone", S),
            ("start_time", I64),
            ("end_time", I64),
            ("created_at", TS),
            ("_fivetran_synced", TS),
            ("_fivetran_deleted", B),
        ]
    ),
    "schedule_holiday": pa.schema(
        [
            ("id", I64),
            ("schedule_id", I64),
            ("name", S),
            ("start_date", pa.date32()),
            ("end_date", pa.date32()),
            ("_fivetran_synced", TS),
            ("_fivetran_deleted", B),
        ]
    ),
    "ticket_schedule": pa.schema(
        [("ticket_id", I64), ("schedule_id", I64), ("created_at", TS), ("_fivetran_synced", TS)]
    ),
}
SORT = {  # row order inside a file
    "ticket": ("sync", "tid", "upd"),
    "ticket_comment": ("sync", "tid", "cmt"),
    "ticket_field_history": ("sync", "tid", "updated", "field", "value"),
    "ticket_tag": ("sync", "tid", "tag"),
    "user": ("sync", "uid"),
    "ticket_schedule": ("sync", "tid"),
}


def _id_or_null(values: np.ndarray) -> pa.Array:
    v = np.asarray(values, dtype=np.int64)
    mask = v < 0
    return pa.array(np.where(mask, 0, v), type=I64, mask=mask if mask.any() else None)


def _lookup(names: tuple[str, ...], codes: np.ndarray) -> pa.Array:
    codes = np.asarray(codes, dtype=np.int64)
    mask = codes < 0
    return pc.take(pa.array(names, S), pa.array(np.maximum(codes, 0), mask=mask if mask.any() else None))


def _false(n: int) -> pa.Array:
    return pa.array(np.zeros(n, dtype=bool))


_INTENT_SUBJECT = tuple(name.replace("_", " ").capitalize() for name in P.INTENTS)
_INTENT_TYPE = tuple(
    "incident"
    if name in ("technical_issue", "outage_report")
    else "problem"
    if name == "complaint"
    else "question"
    for name in P.INTENTS
)
_INTENT_PRIORITY = np.array(
    [
        3
        if name == "outage_report"
        else 2
        if name in ("billing_dispute", "complaint", "cancellation")
        else 0
        if name == "product_question"
        else 1
        for name in P.INTENTS
    ]
)


def _ordered(table: str, b: dict) -> dict:
    keys = SORT[table]
    order = np.lexsort(tuple(b[k] for k in reversed(keys)))
    return _take(b, order)


def ticket_table(b: dict) -> pa.Table:
    b = _ordered("ticket", b)
    n = len(b["tid"])
    intent = b["intent"].astype(np.int64)
    known = intent >= 0
    subject = pc.if_else(
        pa.array(known), _lookup(_INTENT_SUBJECT, intent), pa.array(["Support request"] * n, S)
    )
    merged = pa.nulls(n, S)
    has = b["m1"] >= 0
    if has.any():
        one = pc.binary_join_element_wise("[", pc.cast(pa.array(b["m1"]), S), "]", "")
        two = pc.binary_join_element_wise(
            "[", pc.cast(pa.array(b["m1"]), S), ", ", pc.cast(pa.array(b["m2"]), S), "]", ""
        )
        merged = pc.if_else(pa.array(has), pc.if_else(pa.array(b["m2"] >= 0), two, one), merged)
    rel = b["rel"].astype(np.int64)
    return pa.table(
        [
            pa.array(b["tid"], I64),
            ts(b["created"]),
            ts(b["upd"]),
            _lookup(_INTENT_TYPE, intent),
            subject,
            pa.array(["(the customer's first message: not simulated)"] * n, S),
            _lookup(PRIORITIES, np.where(known, _INTENT_PRIORITY[np.maximum(intent, 0)], 1)),
            _lookup(STATUSES, b["status"]),
            _id_or_null(b["requester"]),
            _id_or_null(b["requester"]),
            _id_or_null(b["assignee"]),
            pa.nulls(n, I64),
            _id_or_null(b["group"]),
            pa.array(np.full(n, BRAND_ID), I64),
            _lookup(VIA, b["via"]),
            _lookup(SOURCE_RELS, rel),
            merged,
            pa.array(np.ones(n, dtype=bool)),
            _false(n),
            ts(b["sync"]),
            pa.array(b["fdeleted"].astype(bool)),
        ],
        schema=SCHEMAS["ticket"],
    )


def comment_table(b: dict) -> pa.Table:
    b = _ordered("ticket_comment", b)
    n = len(b["tid"])
    return pa.table(
        [
            pa.array(b["cmt"], I64),
            pa.array(b["tid"], I64),
            _id_or_null(b["user"]),
            ts(b["created"]),
            pa.array(b["public"].astype(bool)),
            _lookup(BODY_TEXT, b["body"]),
            ts(b["sync"]),
            _false(n),
        ],
        schema=SCHEMAS["ticket_comment"],
    )


def history_table(b: dict) -> pa.Table:
    b = _ordered("ticket_field_history", b)
    return pa.table(
        [
            pa.array(b["tid"], I64),
            _lookup(FIELDS, b["field"]),
            _lookup(HISTORY_VALUES, b["value"]),
            ts(b["updated"]),
            _id_or_null(b["user"]),
            ts(b["sync"]),
        ],
        schema=SCHEMAS["ticket_field_history"],
    )


def tag_table(b: dict) -> pa.Table:
    b = _ordered("ticket_tag", b)
    return pa.table(
        [pa.array(b["tid"], I64), _lookup(TAGS, b["tag"]), ts(b["sync"])], schema=SCHEMAS["ticket_tag"]
    )


def user_table(b: dict) -> pa.Table:
    b = _ordered("user", b)
    n = len(b["uid"])
    uid, role, who, ver = b["uid"], b["role"], b["who"], b["ver"]
    is_agent = role != END_USER
    is_customer = (uid >= REQUESTER_USER_BASE) & (uid < ANONYMOUS_USER_BASE)
    first = np.maximum(b["first"], 0) % len(FIRST_NAMES)
    last = np.maximum(b["last"], 0) % len(LAST_NAMES)
    full_name = pc.binary_join_element_wise(
        pc.take(pa.array(FIRST_NAMES, S), pa.array(first)),
        pc.take(pa.array(LAST_NAMES, S), pa.array(last)),
        " ",
    )
    identity = b["identity"]
    cust = np.where(is_customer, who, 0)
    crm_email = email(b["first"], b["last"], cust, np.maximum(ver, 0))
    crm_phone = versioned_phone(b["region"], b["phone"], np.maximum(ver, 0))
    anon = ~is_agent & ~is_customer
    anon_email = pc.binary_join_element_wise(
        "user", pc.cast(pa.array(np.where(anon, who, 0)), S), "@mail.example", ""
    )
    agent_email = pc.binary_join_element_wise(
        agent_ids(np.where(is_agent, who, 0)), "@support.example.com", ""
    )
    agent_email = pc.utf8_lower(agent_email)
    nulls = pa.nulls(n, S)
    email_col = pc.if_else(
        pa.array(is_agent),
        agent_email,
        pc.if_else(pa.array(anon), anon_email, pc.if_else(pa.array(identity != 2), crm_email, nulls)),
    )
    phone_col = pc.if_else(pa.array(is_customer & (identity != 1)), crm_phone, nulls)
    external = pc.if_else(
        pa.array(is_agent),
        agent_ids(np.where(is_agent, who, 0)),
        pc.if_else(pa.array(is_customer & (identity == 0)), ids("CUST", cust, 8), nulls),
    )
    name = pc.if_else(
        pa.array(anon),
        pc.binary_join_element_wise("Web User ", pc.cast(pa.array(np.where(anon, who, 0)), S), ""),
        full_name,
    )
    return pa.table(
        [
            pa.array(uid, I64),
            _lookup(ROLES, role),
            email_col,
            phone_col,
            external,
            name,
            ts(b["created"]),
            ts(b["updated"]),
            pa.array(np.ones(n, dtype=bool)),
            pa.array(["en-US"] * n, S),
            pa.array([SCHEDULE_TIME_ZONE] * n, S),
            pa.nulls(n, I64),
            _false(n),
            ts(b["sync"]),
            _false(n),
        ],
        schema=SCHEMAS["user"],
    )


def group_table(b: dict) -> pa.Table:
    n = len(b["gid"])
    return pa.table(
        [
            pa.array(b["gid"], I64),
            pc.take(pa.array(P.QUEUES, S), pa.array(b["queue"])),
            ts(b["created"]),
            ts(b["upd"]),
            ts(b["sync"]),
            _false(n),
        ],
        schema=SCHEMAS["group"],
    )


def schedule_table(b: dict) -> pa.Table:
    n = len(b["start_min"])
    return pa.table(
        [
            pa.array(np.full(n, SCHEDULE_ID), I64),
            pa.array(["Support hours"] * n, S),
            pa.array([SCHEDULE_TIME_ZONE] * n, S),
            pa.array(b["start_min"], I64),
            pa.array(b["end_min"], I64),
            ts(b["created"]),
            ts(b["sync"]),
            _false(n),
        ],
        schema=SCHEMAS["schedule"],
    )


def holiday_table(b: dict) -> pa.Table:
    n = len(b["hid"])
    return pa.table(
        [
            pa.array(b["hid"], I64),
            pa.array(np.full(n, SCHEDULE_ID), I64),
            pa.array(list(b["name"]), S),
            pa.array(list(b["start_date"]), pa.date32()),
            pa.array(list(b["end_date"]), pa.date32()),
            ts(b["sync"]),
            _false(n),
        ],
        schema=SCHEMAS["schedule_holiday"],
    )


def ticket_schedule_table(b: dict) -> pa.Table:
    b = _ordered("ticket_schedule", b)
    n = len(b["tid"])
    return pa.table(
        [pa.array(b["tid"], I64), pa.array(np.full(n, SCHEDULE_ID), I64), ts(b["created"]), ts(b["sync"])],
        schema=SCHEMAS["ticket_schedule"],
    )


def materialise_day(rows: dict[str, dict | None], first_day: bool) -> dict[str, pa.Table]:
    """The day's Zendesk tables (every table on the first day, empty or not)."""
    builders = {
        "ticket": ticket_table,
        "ticket_comment": comment_table,
        "ticket_field_history": history_table,
        "ticket_tag": tag_table,
        "user": user_table,
        "group": group_table,
        "schedule": schedule_table,
        "schedule_holiday": holiday_table,
        "ticket_schedule": ticket_schedule_table,
    }
    tables = {}
    for table in TABLES:
        b = rows.get(table)
        if b is not None and len(next(iter(b.values()))):
            tables[table] = builders[table](b)
        elif first_day:
            tables[table] = SCHEMAS[table].empty_table()
    return tables


# ---- files --------------------------------------------------------------------------------------------
def partition(out: Path, table: str, date: dt.date) -> Path:
    return out / ZENDESK / table / f"load_date={date.isoformat()}"


def write_tables(
    out: Path, date: dt.date, tables: dict[str, pa.Table], name: str = GOOD_FILE
) -> list[tuple[str, Path, int]]:
    written = []
    for table, t in tables.items():
        path = partition(out, table, date) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        pq.write_table(t, tmp, compression="zstd", compression_level=1, row_group_size=256_000)
        tmp.replace(path)
        written.append((table, path, t.num_rows))
    return written


def day_folders(out: Path, date: dt.date) -> list[Path]:
    return [partition(out, table, date) for table in TABLES]


def totals(out: Path) -> dict[str, dict[str, int]]:
    result = {}
    for table in TABLES:
        files = sorted((out / ZENDESK / table).glob("load_date=*/*.parquet"))
        result[table] = {
            "rows": sum(pq.ParquetFile(f).metadata.num_rows for f in files),
            "files": len(files),
            "bytes": sum(f.stat().st_size for f in files),
        }
    return result


# ---- --bad-rows -----------------------------------------------------------------------------------------
BAD_KINDS = (
    "ticket_without_requester",
    "comment_of_unknown_ticket",
    "rating_on_deleted_ticket",
    "unknown_via_channel",
    "tie_same_updated_at",
)


def bad_rows(day: int, day_start: float, good: dict[str, dict | None]) -> tuple[dict[str, pa.Table], dict]:
    """The --bad-rows Zendesk rows of load day ``day`` (only BAD_ROW_DAY) and what they are, by kind.

    ``good``: the day's good rows (numeric, as ``ZendeskBuilder.split`` returns them)."""
    if day != BAD_ROW_DAY:
        return {}, {}
    noon = day_start + 12 * 3600.0
    load = day_start + 13 * 3600.0
    tid = day * 10**11 + np.arange(4, dtype=np.int64) * 1000 + BAD_KIND
    no_requester, deleted, pigeon, unknown = (int(t) for t in tid)
    group = GROUP_BASE + len(P.TEAMS)
    tickets = {
        "tid": np.array([no_requester, deleted, deleted, pigeon]),
        "created": np.full(4, noon),
        "upd": np.array([noon, noon, noon + 1800, noon]),
        "sync": np.full(4, load),
        "status": np.array([NEW, NEW, DELETED, NEW], dtype=np.int8),
        "requester": np.array([NULL, BAD_USER_ID, BAD_USER_ID, BAD_USER_ID]),
        "assignee": np.full(4, NULL),
        "group": np.full(4, group),
        "via": np.array(
            [VIA.index("email"), VIA.index("web_form"), VIA.index("web_form"), UNKNOWN_VIA], dtype=np.int8
        ),
        "rel": np.full(4, NULL, dtype=np.int8),
        "intent": np.full(4, P.INTENT_ID["billing_question"], dtype=np.int8),
        "m1": np.full(4, NULL),
        "m2": np.full(4, NULL),
        "fdeleted": np.zeros(4, dtype=bool),
    }
    ticket = ticket_table(tickets)
    details: dict[str, list] = {
        "ticket_without_requester": [no_requester],
        "rating_on_deleted_ticket": [deleted],
        "unknown_via_channel": [pigeon],
        "comment_of_unknown_ticket": [unknown],
    }
    good_tickets = good.get("ticket")
    if good_tickets is not None and len(good_tickets["tid"]):
        # the day's first good version again: same updated_at, another priority, read last (it wins)
        tie = ticket_table(_take(_ordered("ticket", good_tickets), np.arange(1)))
        tie = tie.set_column(tie.schema.get_field_index("priority"), "priority", pa.array(["urgent"], S))
        later = pc.add(tie.column("_fivetran_synced"), pa.scalar(60 * 10**6, pa.duration("us")))
        tie = tie.set_column(tie.schema.get_field_index("_fivetran_synced"), "_fivetran_synced", later)
        ticket = pa.concat_tables([ticket, tie])
        details["tie_same_updated_at"] = [
            {
                "ticket_id": tie.column("id")[0].as_py(),
                "updated_at": tie.column("updated_at")[0].as_py().isoformat(),
            }
        ]
    comment = comment_table(
        _comments(np.array([unknown]), BAD_USER_ID, np.full(1, noon), True, "bad", np.full(1, load))
    )
    history = history_table(
        {
            "tid": np.array([deleted, no_requester, deleted, deleted]),
            "field": np.array([STATUS_FIELD, STATUS_FIELD, STATUS_FIELD, SATISFACTION_FIELD], dtype=np.int8),
            "value": np.array([NEW, NEW, DELETED, BAD], dtype=np.int8),
            "updated": np.array([noon, noon, noon + 1800, noon + 2400]),
            "user": np.array([BAD_USER_ID, NULL, NULL, BAD_USER_ID]),
            "sync": np.full(4, load),
        }
    )
    user = user_table(
        {
            "uid": np.array([BAD_USER_ID]),
            "role": np.array([END_USER], dtype=np.int8),
            "who": np.array([BAD_USER_ID - ANONYMOUS_USER_BASE]),
            "ver": np.array([NULL]),
            "created": np.array([noon]),
            "updated": np.array([noon]),
            "sync": np.array([load]),
            "first": np.array([NULL]),
            "last": np.array([NULL]),
            **_no_contact_details(1),
        },
    )
    schedule = ticket_schedule_table(
        {
            "tid": np.array([no_requester, deleted, pigeon]),
            "created": np.full(3, noon),
            "sync": np.full(3, load),
        }
    )
    tables = {"ticket": ticket, "ticket_comment": comment, "ticket_field_history": history, "user": user}
    tables["ticket_schedule"] = schedule
    return tables, details


# ---- what the parity test needs -------------------------------------------------------------------------
class ZendeskParity:
    """Counts over the Zendesk rows of every load day so far (rows held back for a later day are not in the
    files yet), written to ``zendesk/_parity.json``."""

    def __init__(self, builder: ZendeskBuilder) -> None:
        self.builder = builder
        self.versions: Counter[str] = Counter()
        self.contact_rows: list[dict] = []
        self.ticket_kinds: dict[str, list[np.ndarray]] = defaultdict(list)
        self.via: list[np.ndarray] = []
        self.ratings: list[dict] = []
        self.rating_rows = 0
        self.offered = 0
        self.comments = 0
        self.history = 0
        self.tags = 0
        self.users = 0
        self.bad: dict[str, int] = {}
        self.bad_details: dict[str, list] = {}
        self.updates: list[np.ndarray] = []  # (ticket id, updated_at) of every ticket row
        self.user_rows: list[np.ndarray] = []  # (customer, updated_at, CRM version) of customers' user rows

    def add_users(self, cust: np.ndarray, updated: np.ndarray, ver: np.ndarray) -> None:
        self.user_rows.append(np.stack([cust.astype(np.float64), updated, ver.astype(np.float64)]))

    def add_day(self, rows: dict[str, dict | None], zc: dict | None, rated: dict | None) -> None:
        tickets = rows.get("ticket")
        if tickets is not None:
            for kind, name in enumerate(KINDS):
                sel = tickets["kind"] == kind
                self.versions[name] += int(sel.sum())
                if sel.any():
                    self.ticket_kinds[name].append(tickets["tid"][sel])
            mine = tickets["kind"] == K["contact_row"]
            self.via.append(np.stack([tickets["tid"][mine], tickets["via"][mine].astype(np.int64)]))
            self.updates.append(np.stack([tickets["tid"], tickets["upd"].astype(np.int64)]))
        if zc is not None and len(zc["cid"]):
            keys = ("cid", "channel", "cust", "method", "prev_cid", "intent", "zd_final", "zd_requester")
            self.contact_rows.append({k: zc[k] for k in keys})
        if rated is not None and len(rated["rid"]):
            score = (rated["score"] - rated["smin"]) / np.maximum(rated["smax"] - rated["smin"], 1e-9)
            self.ratings.append({"rid": rated["rid"], "good": score >= GOOD_FROM})
            self.rating_rows += len(rated["rid"])
        history = rows.get("ticket_field_history")
        if history is not None:
            self.history += len(history["tid"])
            self.offered += int(
                ((history["field"] == SATISFACTION_FIELD) & (history["value"] == OFFERED)).sum()
            )
        for table, attr in (("ticket_comment", "comments"), ("ticket_tag", "tags"), ("user", "users")):
            b = rows.get(table)
            if b is not None:
                setattr(self, attr, getattr(self, attr) + len(next(iter(b.values()))))

    def add_bad(self, details: dict) -> None:
        for kind, items in details.items():
            self.bad[kind] = self.bad.get(kind, 0) + len(items)
            self.bad_details.setdefault(kind, []).extend(items)

    def summary(self) -> dict:
        c = _cat(self.contact_rows) or {
            k: np.zeros(0, dtype=np.int64)
            for k in ("cid", "channel", "cust", "method", "prev_cid", "intent", "zd_final", "zd_requester")
        }
        _, first = np.unique(c["cid"], return_index=True)
        t = {k: v[first] for k, v in c.items()}
        distinct = {
            name: int(np.unique(np.concatenate(parts)).size) for name, parts in self.ticket_kinds.items()
        }
        via = np.concatenate(self.via, axis=1) if self.via else np.zeros((2, 0), dtype=np.int64)
        _, vfirst = np.unique(via[0], return_index=True)
        via_counts = Counter(VIA[v] for v in via[1][vfirst].tolist() if v >= 0)
        ratings = _cat(self.ratings) or {"rid": np.zeros(0, dtype=np.int64), "good": np.zeros(0, dtype=bool)}
        _, rfirst = np.unique(ratings["rid"], return_index=True)
        good = ratings["good"][rfirst]
        identity = self._identity(t)
        channel_names = {P.EMAIL: "email", P.MESSAGING: "messaging", P.WEB: "web"}
        per_channel = {name: int((t["channel"] == ch).sum()) for ch, name in channel_names.items()}
        deleted_ids = self._distinct("deleted")
        contact_tickets = np.unique(
            np.concatenate(
                [np.zeros(0, dtype=np.int64), *(p for k in KINDS[:5] for p in self.ticket_kinds.get(k, []))]
            )
        )
        return {
            "tickets": int(t["cid"].size),
            "ticket_rows_from_contacts_rows": self.versions["contact_row"],
            "ticket_rows": sum(self.versions.values()),
            "ticket_rows_by_kind": {k: self.versions[k] for k in KINDS},
            "tickets_per_channel": per_channel,
            "tickets_per_via_channel": dict(sorted(via_counts.items())),
            "merged_tickets": distinct.get("duplicate_merged", 0),
            "tickets_with_merged_ids": distinct.get("merge", 0),
            "deleted_tickets": int(deleted_ids.size),
            "spam_tickets_not_yet_deleted": int(
                np.setdiff1d(self._distinct("deleted_created"), deleted_ids).size
            ),
            "duplicates_not_yet_merged": int(
                np.setdiff1d(self._distinct("duplicate_created"), self._distinct("duplicate_merged")).size
            ),
            "tickets_ahead_of_their_contact_row": int(np.setdiff1d(contact_tickets, t["cid"]).size),
            "reopened_not_yet_solved_again": int(
                np.setdiff1d(self._distinct("reopen"), self._distinct("solve_again")).size
            ),
            "reopened_tickets": distinct.get("reopen", 0),
            "closed_tickets": distinct.get("close", 0),
            "solved_tickets": int((t["zd_final"] == SOLVED).sum()),
            "unsolved_tickets": int((t["zd_final"] != SOLVED).sum()),
            "csat_good": int(good.sum()),
            "csat_bad": int((~good).sum()),
            "csat_rating_rows": self.rating_rows,
            "satisfaction_offered_rows": self.offered,
            "identity": identity,
            "unknown_intent_tickets": int((t["intent"] >= P.N_KNOWN_INTENTS).sum()),
            "null_intent_tickets": int((t["intent"] < 0).sum()),
            "non_inbound_tickets": int((t["method"] != P.INBOUND).sum()),
            "transfer_leg_tickets": int((t["prev_cid"] >= 0).sum()),
            "comment_rows": self.comments,
            "field_history_rows": self.history,
            "tag_rows": self.tags,
            "user_rows": self.users,
            "bad_rows": dict(sorted(self.bad.items())),
            "bad_row_ids": dict(sorted(self.bad_details.items())),
            "rules": RULES,
            "not_reproducible": NOT_REPRODUCIBLE,
        }

    def _distinct(self, kind: str) -> np.ndarray:
        return np.unique(np.concatenate([np.zeros(0, dtype=np.int64), *self.ticket_kinds.get(kind, [])]))

    def _identity(self, t: dict) -> dict:
        """Tickets by how the adapter finds their customer (SPEC §8.4): the requester's external_id, else
        its e-mail or phone matched against every customer's latest loaded CRM version."""
        b = self.builder
        cust = t["cust"]
        identified = cust >= 0
        mode = np.where(identified, b.identity[np.maximum(cust, 0)], NULL)
        result = {
            "by_external_id": int((mode == 0).sum()),
            "by_email": int((mode == 1).sum()),
            "by_phone": int((mode == 2).sum()),
            "unidentified": int((~identified).sum()),
        }
        # e-mail / phone tickets whose requester, as of the ticket's latest version (the adapter maps a
        # version as of its updated_at), has no e-mail / phone of exactly its customer's latest CRM version
        updates = np.concatenate([np.zeros((2, 0), dtype=np.int64), *self.updates], axis=1)
        order = np.lexsort((updates[1], updates[0]))
        tid, upd = updates[0][order], updates[1][order]
        last = np.append(tid[1:] != tid[:-1], True)
        latest_update = dict(zip(tid[last].tolist(), upd[last].tolist(), strict=True))
        users = np.concatenate([np.zeros((3, 0)), *self.user_rows], axis=1)
        history: dict[int, list[tuple[float, int]]] = defaultdict(list)
        for c, updated, ver in sorted(zip(*users.tolist(), strict=True)):
            history[int(c)].append((updated, int(ver)))
        loaded = np.flatnonzero(b.latest_version >= 0)
        version = b.latest_version[loaded]
        phones = np.asarray(
            pc.replace_substring_regex(
                versioned_phone(b.region[loaded], b.phone[loaded], version), r"\D", ""
            ).to_pylist()
        )
        owners = Counter(phones.tolist())
        unrecoverable = 0
        for kind in (1, 2):
            rows = np.flatnonzero(mode == kind)
            if rows.size == 0:
                continue
            c = cust[rows]
            as_of = np.array(
                [
                    max(
                        (ver for updated, ver in history[int(x)] if updated <= latest_update[int(t_id)]),
                        default=NULL,
                    )
                    if int(t_id) in latest_update
                    else NULL
                    for x, t_id in zip(c.tolist(), t["cid"][rows].tolist(), strict=True)
                ]
            )
            current = b.latest_version[c]
            if kind == 1:
                mine = email(b.first[c], b.last[c], c, np.maximum(as_of, 0))
                theirs = email(b.first[c], b.last[c], c, np.maximum(current, 0))
                stale = ~np.asarray(pc.equal(mine, theirs).to_pylist(), dtype=bool)
            else:
                mine = versioned_phone(b.region[c], b.phone[c], np.maximum(as_of, 0))
                theirs = versioned_phone(b.region[c], b.phone[c], np.maximum(current, 0))
                own = pc.replace_substring_regex(mine, r"\D", "").to_pylist()
                stale = ~np.asarray(pc.equal(mine, theirs).to_pylist(), dtype=bool)
                stale |= np.array([owners[p] != 1 for p in own], dtype=bool)
            stale |= (as_of < 0) | (current < 0)
            unrecoverable += int(stale.sum())
        result["by_email_or_phone_unrecoverable"] = unrecoverable
        return result
