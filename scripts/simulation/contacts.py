"""The vocabulary of the contact simulation: codes, the attribute dictionary, the rows of a day.

``Sink`` collects the numeric rows one simulated day produces, by table, with short column codes
(``cid``, ``cust``, ``disc_t`` ...) that ``scripts.simulation.tables`` and
``scripts.simulation.amazon_connect`` read. The helpers below are the numpy idioms the steps of
``scripts.simulation.journeys``, ``legs`` and ``agents`` share.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from scripts.simulation import params as P

NULL = -1

# ---- attribute dictionary: every attributes JSON text except auth_attempt's --------------------
IVR_MENUS = ("main", "billing", "support", "account", "orders")
_attr_strings: list[str] = []


def _add(obj: dict) -> int:
    _attr_strings.append(json.dumps(obj))
    return len(_attr_strings) - 1


ATTR_IVR = np.array(
    [[_add({"menu": m, "option": str(o)}) for o in range(1, P.IVR_OPTIONS + 1)] for m in IVR_MENUS]
)
ATTR_BOT_TURN = np.array(
    [[_add({"bot_id": b, "confidence": c / 100}) for c in range(101)] for b in P.BOT_IDS]
)
BOT_OUTCOMES = ("success", "failed", "dropped")
ATTR_BOT_END = np.array([_add({"outcome": o}) for o in BOT_OUTCOMES])
ATTR_AI_SUGGESTION = np.array([_add({"accepted": False}), _add({"accepted": True})])
ATTR_AI_SUMMARY = _add({})
ATTR_SENSITIVE = np.array([_add({"action": a}) for a in P.SENSITIVE_ACTIONS])
ATTR_TRANSFER = np.array([_add({"to_queue": q}) for q in P.QUEUES])
ATTR_STRINGS: tuple[str, ...] = tuple(_attr_strings)
ATTR_AUTH = -2  # built from the auth columns at materialisation

# contacts.disconnect_reason values
DISCONNECT_REASONS = (
    "customer_disconnect",
    "agent_disconnect",
    "transferred",
    "customer_abandoned",
    "bot_completed",
    "bot_failed",
    "auth_failed",
    "no_answer",
)
R_CUSTOMER, R_AGENT, R_TRANSFERRED, R_ABANDONED, R_BOT_OK, R_BOT_FAIL, R_AUTH, R_NO_ANSWER = range(8)
# endpoint kinds
EP_NONE, EP_PHONE, EP_EMAIL, EP_RANDOM_PHONE, EP_RANDOM_EMAIL = range(5)

# codes of the enums the simulation writes
MENU_MAIN, MENU_ACCOUNT = IVR_MENUS.index("main"), IVR_MENUS.index("account")
BOT_SUCCESS_CODE, BOT_FAILED_CODE, BOT_DROPPED_CODE = range(len(BOT_OUTCOMES))
ACTION = {name: i for i, name in enumerate(P.SENSITIVE_ACTIONS)}
VOICE_BIOMETRIC, KBA, OTP = (P.AUTH_METHODS.index(m) for m in ("voice_biometric", "kba", "otp"))
VOICE_BIOMETRIC_UNLABELLED = len(P.AUTH_METHODS)  # a voice biometric whose method label is missing
AUTH_PASS, AUTH_FAIL, AUTH_STEP_UP = (P.AUTH_RESULTS.index(r) for r in ("pass", "fail", "step_up"))
FRAUD_ACCOUNT_TAKEOVER, FRAUD_SYNTHETIC_VOICE, FRAUD_SOCIAL_ENGINEERING = (
    P.FRAUD_TYPES.index(t) for t in ("account_takeover", "synthetic_voice", "social_engineering")
)
CANCEL_PRICE, CANCEL_UNRESOLVED = (P.CANCEL_REASONS.index(r) for r in ("price", "unresolved_issue"))
CASE_INTENT_IDS = tuple(P.INTENT_ID[name] for name in P.CASE_INTENTS)
GENUINE, FRAUDSTER = 0, 1  # index of the (genuine, fraudster) pairs of params


def issue_ids(day: int, customer: np.ndarray, fraud: np.ndarray) -> np.ndarray:
    """``issue = (day * 10**8 + customer) * 10 + kind`` (kind 0 genuine, 1 fraud)."""
    return (day * 10**8 + customer.astype(np.int64)) * 10 + fraud.astype(np.int64)


def attempt_ids(issue: np.ndarray, number: int) -> np.ndarray:
    """``issue * 10 + attempt``; also the id of a fraud case reported after the attempt."""
    return issue * 10 + number


def head_contact_ids(issue: np.ndarray, number: int) -> np.ndarray:
    """The first contact of an attempt (leg 0): ``contact = (issue * 10 + attempt) * 10 + leg``."""
    return attempt_ids(issue, number) * 10


def categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of ``probs`` (rows need not be normalised)."""
    cum = np.cumsum(probs, axis=1)
    u = rng.random(len(probs)) * cum[:, -1]
    return (u[:, None] >= cum).sum(axis=1).clip(0, probs.shape[1] - 1)


def within_group_index(counts: np.ndarray) -> np.ndarray:
    """For ``np.repeat(x, counts)``: the 0-based position of each element inside its group."""
    total = int(counts.sum())
    starts = np.cumsum(counts) - counts
    return np.arange(total) - np.repeat(starts, counts)


def group_durations(
    durations: np.ndarray, group: np.ndarray, counts: np.ndarray, n_groups: int
) -> tuple[np.ndarray, np.ndarray]:
    """For consecutive steps ``durations`` of groups (``group`` = ``np.repeat(arange, counts)``):
    each step's end after its group's start, and each group's total."""
    totals = np.zeros(n_groups)
    np.add.at(totals, group, durations)
    ends = np.cumsum(durations) - np.repeat(np.cumsum(totals) - totals, counts)
    return ends, totals


def time_of_day(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after midnight UTC following the intraday load profile."""
    hours = np.searchsorted(_HOURLY_CDF, rng.random(n), side="right").clip(0, len(P.HOURLY_P) - 1)
    return hours * P.SECONDS_PER_HOUR + rng.random(n) * P.SECONDS_PER_HOUR


_HOURLY_CDF = np.cumsum(P.HOURLY_P)


def queue_index(channel: np.ndarray, team: np.ndarray) -> np.ndarray:
    """Index into ``P.QUEUES``: '<voice|digital>_<team>'."""
    return np.where(channel == P.VOICE, 0, len(P.TEAMS)) + team


def action_bit(actions: np.ndarray, name: str) -> np.ndarray:
    """1 where the bit mask of sensitive actions holds ``name``."""
    return (actions >> ACTION[name]) & 1


def by_fraud(fraud: np.ndarray, pair: tuple[float, float]) -> np.ndarray:
    """The (genuine, fraudster) value of a params pair per row."""
    return np.where(fraud, pair[FRAUDSTER], pair[GENUINE])


@dataclass
class Sink:
    """Numeric rows of one simulated day, by table, before duplicates and styling."""

    contacts: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    surveys: list[dict] = field(default_factory=list)
    fraud_cases: list[dict] = field(default_factory=list)

    def event(
        self,
        contact_id: np.ndarray,
        event_type: int,
        at: np.ndarray,
        attributes: np.ndarray | int = NULL,
        auth: tuple[np.ndarray, ...] | None = None,
    ) -> None:
        n = len(contact_id)
        if n == 0:
            return
        batch = {
            "cid": contact_id.astype(np.int64),
            "etype": np.full(n, event_type, dtype=np.int8),
            "t": np.asarray(at, dtype=np.float64),
            "attr": np.broadcast_to(np.asarray(attributes, dtype=np.int32), (n,)),
        }
        if auth is not None:  # the other event batches get null auth columns when combined
            for key, arr in zip(("a_method", "a_match", "a_synth", "a_result"), auth, strict=True):
                batch[key] = arr.astype(np.int16)
        self.events.append(batch)


@dataclass
class Journeys:
    """Per-issue inputs of a day."""

    customer: np.ndarray
    intent: np.ndarray
    arises_at: np.ndarray
    fraud: np.ndarray  # bool: a fraudster impersonating ``customer`` (always voice, one attempt)
    deepfake: np.ndarray  # bool, fraud only

    def take(self, rows: np.ndarray) -> Journeys:
        """The journeys ``rows``."""
        return Journeys(
            customer=self.customer[rows],
            intent=self.intent[rows],
            arises_at=self.arises_at[rows],
            fraud=self.fraud[rows],
            deepfake=self.deepfake[rows],
        )
