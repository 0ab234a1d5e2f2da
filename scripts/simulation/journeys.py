"""Vectorised simulation of issues → attempts → contact legs → events, surveys and fraud cases.

All issues that arise on one simulated day are simulated together: a journey loop over attempt
numbers (at most ``MAX_ATTEMPTS``) and, inside it, a loop over transfer legs (at most
``MAX_LEGS``); every step works on numpy arrays of the attempts still going. A journey's later
attempts (days later) are simulated on the day its issue arose, so the simulation of day ``d``
depends only on the seed and the state after days ``< d``.

Times are float seconds since the Unix epoch (UTC) here and whole seconds in the emitted rows.
Ids are integers, turned into text when the tables are materialised:
``issue = (day * 10**8 + customer) * 10 + kind`` (kind 0 genuine, 1 fraud),
``contact = (issue * 10 + attempt) * 10 + leg``, ``event = contact * 100 + seq``.

Every number that shapes the data is a named parameter of ``scripts.simulation.params``. The
random draws happen in a fixed order (the order of the steps below and, inside a step, of the
lines): the data of a seed depends on it, and ``tests/unit/test_generate_pinned.py`` pins it.

Modules: this one runs the journeys (channel choice, coming back, CRM effects, fraud cases);
``scripts.simulation.legs`` an attempt's contact legs (IVR, authentication, bot, queue, contact
row, survey); ``scripts.simulation.agents`` a leg's agent step; ``scripts.simulation.contacts``
holds the codes, the id layout, the shared numpy helpers and the ``Sink`` of a day's rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scripts.simulation import contacts as C
from scripts.simulation import params as P
from scripts.simulation.contacts import Journeys, Sink
from scripts.simulation.legs import Attempt, AttemptResult, AttemptSimulator


@dataclass
class JourneyState:
    """Per issue, across its attempts: whether it goes on, how and when, and what it cost."""

    active: np.ndarray
    next_start: np.ndarray
    next_method: np.ndarray
    forced_channel: np.ndarray  # NULL: the customer chooses
    last_channel: np.ndarray
    solved: np.ndarray
    effort: np.ndarray
    switches: np.ndarray
    end: np.ndarray

    @classmethod
    def begin(cls, arises_at: np.ndarray) -> JourneyState:
        n = len(arises_at)
        start = arises_at.astype(np.float64)
        return cls(
            active=np.ones(n, dtype=bool),
            next_start=start,
            next_method=np.full(n, P.INBOUND),
            forced_channel=np.full(n, C.NULL),
            last_channel=np.full(n, C.NULL),
            solved=np.zeros(n, dtype=bool),
            effort=np.zeros(n),
            switches=np.zeros(n, dtype=np.int64),
            end=start.copy(),
        )


@dataclass
class NextAttempt:
    """Whether each attempt's customer comes back, when, how and on which channel."""

    comes_back: np.ndarray
    start: np.ndarray
    method: np.ndarray
    forced_channel: np.ndarray


class JourneySimulator:
    """Runs the journeys of one simulated day against the world's current state."""

    def __init__(self, world, day: int, rng: np.random.Generator, day_load: float) -> None:
        self.world = world
        self.day = day
        self.rng = rng
        self.sink = Sink()
        self.effects: list[tuple[str, dict]] = []
        self.attempts = AttemptSimulator(world, day, rng, self.sink, day_load)

    # ---- journeys ------------------------------------------------------------------------------
    def run(self, journeys: Journeys) -> Sink:
        if len(journeys.customer) == 0:
            return self.sink
        issue = C.issue_ids(self.day, journeys.customer, journeys.fraud)
        state = JourneyState.begin(journeys.arises_at)
        preferred = self.world.pref[journeys.customer]
        for number in range(P.MAX_ATTEMPTS):
            rows = np.flatnonzero(state.active)
            if rows.size == 0:
                break
            issues = journeys.take(rows)
            customer, intent, fraud = issues.customer, issues.intent, issues.fraud
            if number == 0:
                channel = self._first_channel(intent, preferred[rows])
            else:
                channel = self._return_channel(intent, state.last_channel[rows], state.forced_channel[rows])
            channel = np.where(fraud, P.VOICE, channel)
            method = state.next_method[rows]
            method = np.where((method == P.INBOUND) & (channel == P.WEB), P.API, method)
            attempt = self.attempts.run(number, issue[rows], issues, channel, method, state.next_start[rows])
            result = attempt.result
            self._add_attempt(state, rows, attempt)
            following = self._next_attempt(attempt)
            state.active[rows] = following.comes_back
            state.next_start[rows] = following.start
            state.next_method[rows] = following.method
            state.forced_channel[rows] = following.forced_channel
            self._attempt_effects(customer, intent, result, fraud)
            self._fraud_cases(attempt)
        self._journey_effects(journeys, state.solved, state.effort + state.switches, state.end)
        return self.sink

    def _first_channel(self, intent: np.ndarray, preferred: np.ndarray) -> np.ndarray:
        """By the intent's channel affinity, or the customer's preferred channel."""
        rng = self.rng
        chosen = C.categorical(rng, P.CHANNEL_AFFINITY[intent].copy())
        sticks = (preferred >= 0) & (rng.random(len(intent)) < P.PREFERRED_STICKINESS)
        return np.where(sticks, preferred, chosen)

    def _return_channel(self, intent: np.ndarray, last: np.ndarray, forced: np.ndarray) -> np.ndarray:
        """The last attempt's channel or, switching, another one; a follow-up's forced channel."""
        rng = self.rng
        n = len(intent)
        affinity = P.CHANNEL_AFFINITY[intent].copy()
        affinity[np.arange(n), last] = 0.0
        other = C.categorical(rng, affinity)
        channel = np.where(rng.random(n) < P.SWITCH_CHANNEL_ON_RETURN, other, last)
        return np.where(forced >= 0, forced, channel)

    @staticmethod
    def _add_attempt(state: JourneyState, rows: np.ndarray, attempt: Attempt) -> None:
        result, is_later = attempt.result, attempt.number > 0
        state.switches[rows] += is_later & (attempt.channel != state.last_channel[rows])
        state.last_channel[rows] = attempt.channel
        state.end[rows] = np.maximum(state.end[rows], result.end)
        state.solved[rows] = result.solved
        state.effort[rows] += result.effort(is_later)

    def _next_attempt(self, attempt: Attempt) -> NextAttempt:
        """Unsolved: the customer comes back days later; escalated: an outbound follow-up;
        abandoned: a callback or a quick retry."""
        rng = self.rng
        result, intent = attempt.result, attempt.intent
        n = len(intent)
        can_return = ~attempt.fraud & (attempt.number < P.MAX_ATTEMPTS - 1)
        keen = rng.random(n) < P.COME_BACK[intent] + P.COME_BACK_ESCALATED_BONUS * result.escalated
        comes_back = ~result.solved & can_return & keen
        start = self._return_time(result.end)
        method = np.full(n, P.INBOUND)
        forced = np.full(n, C.NULL)
        follow_up = result.escalated & (rng.random(n) < P.P_OUTBOUND_FOLLOWUP)
        follow_up_at = (
            result.end
            + (P.OUTBOUND_FOLLOWUP_MIN_DAYS + P.OUTBOUND_FOLLOWUP_SPREAD_DAYS * rng.random(n))
            * P.SECONDS_PER_DAY
        )
        start = np.where(follow_up, follow_up_at, start)
        method = np.where(follow_up, P.OUTBOUND, method)
        forced = np.where(follow_up, P.VOICE, forced)
        abandoned = result.abandoned & ~follow_up
        callback = abandoned & (attempt.channel == P.VOICE) & (rng.random(n) < P.P_CALLBACK_AFTER_ABANDON)
        quick = abandoned & ~callback & (rng.random(n) < P.P_QUICK_RETRY_AFTER_ABANDON)
        soon = result.end + P.QUICK_RETRY_MIN_S + rng.exponential(P.QUICK_RETRY_MEAN_EXTRA_S, n)
        start = np.where(callback | quick, soon, start)
        method = np.where(callback, P.CALLBACK, method)
        forced = np.where(callback, P.VOICE, forced)
        comes_back |= follow_up & can_return
        return NextAttempt(comes_back=comes_back, start=start, method=method, forced_channel=forced)

    def _return_time(self, end: np.ndarray) -> np.ndarray:
        """Days later, at a time of day by the intraday profile."""
        rng = self.rng
        n = len(end)
        gap = (
            P.RETURN_GAP_MIN_DAYS + P.RETURN_GAP_SPREAD_DAYS * rng.beta(*P.RETURN_GAP_BETA, n)
        ) * P.SECONDS_PER_DAY
        time = C.time_of_day(rng, n)
        start = np.floor((end + gap) / P.SECONDS_PER_DAY) * P.SECONDS_PER_DAY + time
        return np.where(start <= end + P.RETURN_MIN_AFTER_END_S, start + P.SECONDS_PER_DAY, start)

    # ---- consequences: CRM effects and fraud cases ---------------------------------------------
    def _attempt_effects(self, customer, intent, result: AttemptResult, fraud) -> None:
        """CRM changes caused by what happened in an attempt (at the resolving contact)."""
        ok = result.solved & result.agent_resolved & ~fraud
        self._save_offers(customer, intent, result.resolve_t, ok)
        self._plan_changes(customer, intent, result.resolve_t, ok)
        self._account_updates(customer, intent, result.resolve_t, ok)

    def _save_offers(self, customer, intent, at, ok) -> None:
        rng = self.rng
        is_cancellation = intent == P.INTENT_ID["cancellation"]
        save = ok & is_cancellation & (rng.random(len(customer)) < P.P_SAVE_OFFER)
        if save.any():
            factor = rng.uniform(*P.SAVE_OFFER_PRICE_FACTOR, int(save.sum()))
            self.effects.append(("save_offer", {"cust": customer[save], "t": at[save], "x": factor}))

    def _plan_changes(self, customer, intent, at, ok) -> None:
        plan = ok & (intent == P.INTENT_ID["plan_change"])
        if plan.any():
            upgrade = (self.rng.random(int(plan.sum())) < P.P_PLAN_UPGRADE).astype(np.float64)
            self.effects.append(("plan_change", {"cust": customer[plan], "t": at[plan], "x": upgrade}))

    def _account_updates(self, customer, intent, at, ok) -> None:
        is_update = intent == P.INTENT_ID["account_update"]
        update = ok & is_update & (self.rng.random(len(customer)) < P.P_ACCOUNT_UPDATE_NEW_CRM_VERSION)
        if update.any():
            self.effects.append(
                ("account_update", {"cust": customer[update], "t": at[update], "x": np.zeros(update.sum())})
            )

    def _journey_effects(self, journeys: Journeys, solved, effort, end) -> None:
        """Satisfaction, churn risk and cancellations after a journey ends."""
        genuine = ~journeys.fraud
        customer, intent = journeys.customer[genuine], journeys.intent[genuine]
        solved, effort, end = solved[genuine], effort[genuine], end[genuine]
        if len(customer) == 0:
            return
        experience = self._experience(solved, effort)
        risk = np.minimum(self._churn_risk(solved, effort), P.MAX_RISK)
        self.effects.append(("experience", {"cust": customer, "t": end, "x": experience, "risk": risk}))
        self._cancellations(customer, intent, solved, end)

    def _experience(self, solved: np.ndarray, effort: np.ndarray) -> np.ndarray:
        noise = self.rng.normal(0, P.EXPERIENCE_NOISE_SD, len(solved))
        experience = (
            P.EXPERIENCE_BASE + P.EXPERIENCE_SOLVED_BONUS * solved - P.EXPERIENCE_PER_EFFORT * effort + noise
        )
        return np.clip(experience, 0, 1)

    @staticmethod
    def _churn_risk(solved: np.ndarray, effort: np.ndarray) -> np.ndarray:
        return np.where(
            solved,
            P.RISK_SOLVED_BASE + P.RISK_SOLVED_PER_EFFORT * np.maximum(effort - P.RISK_SOLVED_FREE_EFFORT, 0),
            P.RISK_UNSOLVED_BASE
            + P.RISK_UNSOLVED_PER_EFFORT * np.minimum(effort, P.RISK_UNSOLVED_EFFORT_CAP),
        )

    def _cancellations(self, customer, intent, solved, end) -> None:
        """Cancellation calls and unresolved retention-risk journeys lead to some cancellations."""
        rng = self.rng
        n = len(customer)
        is_cancellation = intent == P.INTENT_ID["cancellation"]
        p_cancel = np.where(
            is_cancellation,
            np.where(solved, *P.P_CANCEL_AFTER_CANCELLATION_CALL),
            np.where(P.RETENTION_RISK[intent] & ~solved, P.P_CANCEL_RISK_INTENT_UNRESOLVED, 0.0),
        )
        cancel = rng.random(n) < p_cancel
        if not cancel.any():
            return
        delay = rng.exponential(P.CANCEL_AFTER_JOURNEY_MEAN_DAYS * P.SECONDS_PER_DAY, n)
        all_subscriptions = is_cancellation & ~solved
        reason = np.where(solved, C.CANCEL_PRICE, C.CANCEL_UNRESOLVED)
        self.effects.append(
            (
                "cancel",
                {
                    "cust": customer[cancel],
                    "t": (end + P.CANCEL_AFTER_JOURNEY_MIN_S + delay)[cancel],
                    "x": all_subscriptions[cancel].astype(np.float64),
                    "reason": reason[cancel],
                },
            )
        )

    def _fraud_cases(self, attempt: Attempt) -> None:
        """Fraud cases reported 0-45 days after a call: fraudsters' calls, a few false alarms."""
        rng = self.rng
        result, fraud = attempt.result, attempt.fraud
        acted = result.actions > 0
        p_reported = np.where(
            fraud,
            np.where(acted, *P.P_FRAUD_CASE_FRAUDSTER),
            np.where(acted, *P.P_FRAUD_CASE_FALSE_ALARM),
        )
        idx = np.flatnonzero(rng.random(len(fraud)) < p_reported)
        if idx.size == 0:
            return
        n = idx.size
        is_fraud = fraud[idx]
        confirmed = is_fraud & (rng.random(n) < P.P_FRAUD_CONFIRMED)
        loss = self._fraud_loss(result.actions[idx])
        loss = np.where(confirmed, np.round(loss * 100), 0).astype(np.int64)  # in cents
        delay = (
            np.minimum(rng.exponential(P.FRAUD_REPORT_DELAY_MEAN_DAYS, n), P.FRAUD_REPORT_DELAY_MAX_DAYS)
            * P.SECONDS_PER_DAY
        )
        head = attempt.head_contact_id[idx]
        linked = rng.random(n) < P.P_FRAUD_CASE_LINKED
        action_contact = result.action_contact_id[idx]
        contact_id = np.where(linked, np.where(action_contact >= 0, action_contact, head), C.NULL)
        fraud_type = self._fraud_type(is_fraud, attempt.deepfake[idx], rng.random(n))
        self.sink.fraud_cases.append(
            {
                "fid": C.attempt_ids(attempt.issue[idx], attempt.number),
                "cust": attempt.customer[idx].astype(np.int64),
                "cid": contact_id.astype(np.int64),
                "rep_t": np.floor(result.end[idx] + delay),
                "ftype": fraud_type.astype(np.int8),
                "confirmed": confirmed,
                "loss": loss,
            }
        )

    def _fraud_loss(self, actions: np.ndarray) -> np.ndarray:
        """The loss, in currency units, of the sensitive actions done (a bit mask)."""
        rng = self.rng
        n = len(actions)
        wire, payee, address = P.FRAUD_LOSS_WIRE_TRANSFER, P.FRAUD_LOSS_ADD_PAYEE, P.FRAUD_LOSS_CHANGE_ADDRESS
        return (
            C.action_bit(actions, "wire_transfer") * rng.lognormal(np.log(wire[0]), wire[1], n)
            + C.action_bit(actions, "add_payee") * rng.lognormal(np.log(payee[0]), payee[1], n)
            + C.action_bit(actions, "change_address")
            * (rng.random(n) < P.P_FRAUD_LOSS_CHANGE_ADDRESS)
            * rng.lognormal(np.log(address[0]), address[1], n)
        )

    @staticmethod
    def _fraud_type(is_fraud: np.ndarray, deepfake: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Deepfakes mostly reported as synthetic voice, other fraudsters' calls as social
        engineering, the rest (and false alarms) as account takeover."""
        synthetic = np.where(
            u < P.P_DEEPFAKE_REPORTED_SYNTHETIC, C.FRAUD_SYNTHETIC_VOICE, C.FRAUD_ACCOUNT_TAKEOVER
        )
        social = np.where(u < P.P_FRAUD_REPORTED_SOCIAL, C.FRAUD_SOCIAL_ENGINEERING, C.FRAUD_ACCOUNT_TAKEOVER)
        return np.where(is_fraud, np.where(deepfake, synthetic, social), C.FRAUD_ACCOUNT_TAKEOVER)
