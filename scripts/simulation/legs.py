"""One attempt of a journey: a transfer chain of 1..``MAX_LEGS`` contact legs, step by step.

A leg's steps, in the order they draw random numbers: what a transfer leg learns about the caller;
on a head leg the IVR, voice authentication and a bot; the queue (or an outbound call); an agent
(``scripts.simulation.agents``); the contact row; a survey. Each step works on the numpy arrays
of the contacts still going and leaves the ones it ends with their disposition and reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scripts.simulation import contacts as C
from scripts.simulation import params as P
from scripts.simulation.agents import AgentSimulator
from scripts.simulation.contacts import Journeys, Sink


@dataclass
class AttemptResult:
    """What an attempt (a transfer chain) came to, per row, accumulated over its legs."""

    end: np.ndarray
    resolve_t: np.ndarray  # when the resolving agent contact ended
    solved: np.ndarray  # by the final leg
    abandoned: np.ndarray
    escalated: np.ndarray
    agent_resolved: np.ndarray  # an agent contact of the attempt was resolved
    transfers: np.ndarray
    wait_s: np.ndarray
    hold_s: np.ndarray
    failed_auths: np.ndarray
    actions: np.ndarray  # bit mask of SENSITIVE_ACTIONS
    action_contact_id: np.ndarray  # the contact of the last sensitive action
    ai: np.ndarray  # an agent had AI assistance

    @classmethod
    def empty(cls, start: np.ndarray) -> AttemptResult:
        n = len(start)
        return cls(
            end=start.copy(),
            resolve_t=start.copy(),
            solved=np.zeros(n, dtype=bool),
            abandoned=np.zeros(n, dtype=bool),
            escalated=np.zeros(n, dtype=bool),
            agent_resolved=np.zeros(n, dtype=bool),
            transfers=np.zeros(n, dtype=np.int64),
            wait_s=np.zeros(n),
            hold_s=np.zeros(n),
            failed_auths=np.zeros(n, dtype=np.int64),
            actions=np.zeros(n, dtype=np.int64),
            action_contact_id=np.full(n, C.NULL, dtype=np.int64),
            ai=np.zeros(n, dtype=bool),
        )

    def effort(self, is_later_attempt: bool) -> np.ndarray:
        """This attempt's customer effort (see ``P.EFFORT_*``)."""
        return (
            is_later_attempt
            + self.transfers
            + self.wait_s / P.EFFORT_WAIT_UNIT_S
            + self.hold_s / P.EFFORT_HOLD_UNIT_S
            + self.failed_auths
        )


@dataclass
class Attempt:
    """One attempt per row: its inputs, what the centre knows about the caller, and its result."""

    number: int  # 0: the journey's first attempt
    issue: np.ndarray
    customer: np.ndarray
    intent: np.ndarray
    channel: np.ndarray
    method: np.ndarray
    start: np.ndarray
    fraud: np.ndarray
    deepfake: np.ndarray
    identified: np.ndarray
    intent_known: np.ndarray
    team: np.ndarray  # the team of the leg to come (a transfer changes it)
    auth_passed: np.ndarray
    result: AttemptResult

    @property
    def head_contact_id(self) -> np.ndarray:
        return C.head_contact_ids(self.issue, self.number)


@dataclass
class Leg:
    """One contact per attempt still going (``rows`` of the ``Attempt``), filled step by step."""

    number: int  # 0: the head contact of the attempt
    rows: np.ndarray
    contact_id: np.ndarray
    channel: np.ndarray
    intent: np.ndarray
    fraud: np.ndarray
    method: np.ndarray
    team: np.ndarray
    initiated_at: np.ndarray
    clock: np.ndarray  # when the contact's next step starts
    ended: np.ndarray  # before an agent: in the IVR, authentication, bot, queue or an unanswered call
    disposition: np.ndarray
    reason: np.ndarray
    queue: np.ndarray
    enqueued_at: np.ndarray
    connected_at: np.ndarray
    disconnected_at: np.ndarray
    agent: np.ndarray
    bot_used: np.ndarray
    solved: np.ndarray
    failed_auths: np.ndarray
    wait_s: np.ndarray
    hold_s: np.ndarray
    ai: np.ndarray
    transferred: np.ndarray
    next_start: np.ndarray  # of the next leg, when transferred

    @classmethod
    def start(cls, attempt: Attempt, number: int, rows: np.ndarray, started_at: np.ndarray) -> Leg:
        n = rows.size
        initiated_at = started_at[rows].copy()
        return cls(
            number=number,
            rows=rows,
            contact_id=attempt.head_contact_id[rows] + number,
            channel=attempt.channel[rows],
            intent=attempt.intent[rows],
            fraud=attempt.fraud[rows],
            method=attempt.method[rows] if number == 0 else np.full(n, P.TRANSFER),
            team=attempt.team[rows],
            initiated_at=initiated_at,
            clock=initiated_at.copy(),
            ended=np.zeros(n, dtype=bool),
            disposition=np.full(n, C.NULL),
            reason=np.full(n, C.NULL),
            queue=np.full(n, C.NULL),
            enqueued_at=np.full(n, np.nan),
            connected_at=np.full(n, np.nan),
            disconnected_at=np.full(n, np.nan),
            agent=np.full(n, C.NULL),
            bot_used=np.zeros(n, dtype=bool),
            solved=np.zeros(n, dtype=bool),
            failed_auths=np.zeros(n, dtype=np.int64),
            wait_s=np.zeros(n),
            hold_s=np.zeros(n),
            ai=np.zeros(n, dtype=bool),
            transferred=np.zeros(n, dtype=bool),
            next_start=np.zeros(n),
        )

    @property
    def size(self) -> int:
        return self.rows.size

    @property
    def is_head(self) -> bool:
        return self.number == 0

    def finish(self, idx: np.ndarray, disposition: int, reason: int, disconnected_at: np.ndarray) -> None:
        """End the contacts ``idx`` before an agent."""
        self.ended[idx] = True
        self.disposition[idx] = disposition
        self.reason[idx] = reason
        self.disconnected_at[idx] = disconnected_at


class AttemptSimulator:
    """Runs one attempt per row of a simulated day's journeys."""

    def __init__(self, world, day: int, rng: np.random.Generator, sink: Sink, day_load: float) -> None:
        self.world = world
        self.rng = rng
        self.sink = sink
        self.day_load = day_load
        self.agents = AgentSimulator(world, day, rng, sink)

    def run(
        self,
        number: int,
        issue: np.ndarray,
        issues: Journeys,
        channel: np.ndarray,
        method: np.ndarray,
        start: np.ndarray,
    ) -> Attempt:
        """Simulate attempt ``number`` of the journeys ``issues`` (issue ids ``issue``): a transfer
        chain of 1..MAX_LEGS contacts per row."""
        rng = self.rng
        n = len(issue)
        fraud, intent = issues.fraud, issues.intent
        attempt = Attempt(
            number=number,
            issue=issue,
            customer=issues.customer,
            intent=intent,
            channel=channel,
            method=method,
            start=start,
            fraud=fraud,
            deepfake=issues.deepfake,
            identified=fraud | (rng.random(n) < P.P_IDENTIFIED[channel]),
            intent_known=rng.random(n) < P.P_INTENT_CAPTURED,
            team=P.INTENT_TEAM[intent].copy(),
            auth_passed=np.zeros(n, dtype=bool),
            result=AttemptResult.empty(start),
        )
        rows = np.arange(n)
        leg_start = start.copy()
        for leg_number in range(P.MAX_LEGS):
            if rows.size == 0:
                break
            rows, next_start = self._leg(attempt, leg_number, rows, leg_start)
            leg_start[rows] = next_start
        return attempt

    def _leg(
        self, attempt: Attempt, number: int, rows: np.ndarray, leg_start: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """One contact per attempt still going; returns the attempts transferred on, and when."""
        leg = Leg.start(attempt, number, rows, leg_start)
        if leg.is_head:
            self._ivr(leg)
            self._authenticate(attempt, leg)
            self._bot(leg)
        else:
            self._learn_on_transfer(attempt, leg)
        self._queue(leg)
        self._dial_out(leg)
        self.agents.serve(attempt, leg)
        self.sink.event(leg.contact_id, P.EV["disconnect"], leg.disconnected_at)
        customer_id = np.where(attempt.identified[rows], attempt.customer[rows], C.NULL)
        self._contact_row(attempt, leg, customer_id)
        self._add_leg(attempt.result, leg)
        self._survey(attempt, leg, customer_id)
        return rows[leg.transferred], leg.next_start[leg.transferred]

    def _learn_on_transfer(self, attempt: Attempt, leg: Leg) -> None:
        """A transfer leg can identify the caller and capture the intent its attempt lacked."""
        rng = self.rng
        attempt.identified[leg.rows] |= rng.random(leg.size) < P.P_ID_LATER_LEG
        attempt.intent_known[leg.rows] |= rng.random(leg.size) < P.P_INTENT_CAPTURED_LATER_LEG

    def _ivr(self, leg: Leg) -> None:
        """Inbound voice head legs: 1..3 menus; a few callers hang up in the IVR."""
        rng = self.rng
        n = leg.size
        has_ivr = (leg.channel == P.VOICE) & (leg.method == P.INBOUND)
        n_menus = np.where(has_ivr, 1 + rng.binomial(*P.IVR_EXTRA_MENUS, n), 0)
        of_leg = np.repeat(np.arange(n), n_menus)
        ends, totals = C.group_durations(rng.uniform(*P.IVR_MENU_S, of_leg.size), of_leg, n_menus, n)
        position = C.within_group_index(n_menus)
        # the main menu, then the team's menu (the general team's and customer care's: account)
        menu = np.where(position == 0, C.MENU_MAIN, P.INTENT_TEAM[leg.intent][of_leg] % len(C.IVR_MENUS))
        menu = np.where((position > 0) & (menu == C.MENU_MAIN), C.MENU_ACCOUNT, menu)
        option = rng.integers(0, P.IVR_OPTIONS, of_leg.size)
        at = leg.clock[of_leg] + ends
        self.sink.event(leg.contact_id[of_leg], P.EV["ivr_menu"], at, C.ATTR_IVR[menu, option])
        leg.clock = leg.clock + totals
        drop = np.flatnonzero(has_ivr & (rng.random(n) < P.P_IVR_DROP) & ~leg.fraud)
        leg.finish(drop, P.ABANDONED, C.R_CUSTOMER, leg.clock[drop] + P.STEP_S)

    def _authenticate(self, attempt: Attempt, leg: Leg) -> None:
        """Voice authentication of fraudsters and of most identified callers; fraudsters who fail
        it mostly hang up."""
        rng = self.rng
        asked = leg.fraud | (
            attempt.identified[leg.rows] & (rng.random(leg.size) < P.P_AUTH_IDENTIFIED_CALLER)
        )
        idx = np.flatnonzero((leg.channel == P.VOICE) & ~leg.ended & (leg.method != P.OUTBOUND) & asked)
        if idx.size == 0:
            return
        deepfake = attempt.deepfake[leg.rows][idx]
        done_at, fails, passed = self._voice_authentication(
            leg.contact_id[idx], leg.fraud[idx], deepfake, leg.clock[idx]
        )
        leg.clock[idx] = done_at
        leg.failed_auths[idx] += fails
        attempt.auth_passed[leg.rows[idx]] = passed
        hangs_up = leg.fraud[idx] & ~passed & (rng.random(idx.size) < P.P_FRAUDSTER_HANGS_UP)
        gone = idx[hangs_up]
        leg.finish(gone, P.UNRESOLVED, C.R_AUTH, leg.clock[gone] + P.AUTH_HANG_UP_S)

    def _voice_authentication(
        self, contact_id: np.ndarray, fraud: np.ndarray, deepfake: np.ndarray, start: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A first factor and, after a step-up or a failure, a second; returns when it is done, the
        failures and whether it passed."""
        rng = self.rng
        n = len(contact_id)
        deepfake = deepfake & fraud
        method = np.where(
            fraud,
            np.where(rng.random(n) < P.P_FRAUDSTER_VOICE_BIOMETRIC, C.VOICE_BIOMETRIC, C.KBA),
            C.categorical(rng, np.tile(P.AUTH_METHOD_P, (n, 1))),
        )
        biometric = (method == C.VOICE_BIOMETRIC) | (method == C.VOICE_BIOMETRIC_UNLABELLED)
        match, synthetic = self._voice_scores(fraud, deepfake)
        result = np.where(
            match >= P.VOICE_MATCH_PASS,
            C.AUTH_PASS,
            np.where(match >= P.VOICE_MATCH_STEP_UP, C.AUTH_STEP_UP, C.AUTH_FAIL),
        )
        kba_passed = rng.random(n) < C.by_fraud(fraud, P.P_KBA_PASS)
        result = np.where(biometric, result, np.where(kba_passed, C.AUTH_PASS, C.AUTH_FAIL))
        first_at = start + rng.uniform(*P.AUTH_FIRST_FACTOR_S, n)
        self.sink.event(
            contact_id,
            P.EV["auth_attempt"],
            first_at,
            C.ATTR_AUTH,
            (
                np.where(method == C.VOICE_BIOMETRIC_UNLABELLED, C.NULL, method),
                np.where(biometric, match, C.NULL),
                np.where(biometric, synthetic, C.NULL),
                result,
            ),
        )
        fails = (result == C.AUTH_FAIL).astype(np.int64)
        passed = result == C.AUTH_PASS
        done_at = first_at.copy()
        second = np.flatnonzero(~passed)
        if second.size:
            at, fails_2, passed[second] = self._second_factor(
                contact_id[second], fraud[second], result[second], first_at[second]
            )
            done_at[second] = at
            fails[second] += fails_2
        return done_at + P.STEP_S, fails, passed

    def _second_factor(
        self, contact_id: np.ndarray, fraud: np.ndarray, first_result: np.ndarray, first_at: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """An OTP after a step-up, KBA after a failure; returns when, whether it failed, whether it passed."""
        rng = self.rng
        n = len(contact_id)
        method = np.where(first_result == C.AUTH_STEP_UP, C.OTP, C.KBA)
        passed = rng.random(n) < C.by_fraud(fraud, P.P_SECOND_FACTOR_PASS)
        result = np.where(passed, C.AUTH_PASS, C.AUTH_FAIL)
        at = first_at + rng.uniform(*P.AUTH_SECOND_FACTOR_S, n)
        nulls = np.full(n, C.NULL)
        self.sink.event(contact_id, P.EV["auth_attempt"], at, C.ATTR_AUTH, (method, nulls, nulls, result))
        return at, result == C.AUTH_FAIL, passed

    def _voice_scores(self, fraud: np.ndarray, deepfake: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Voice-match and synthetic-voice scores, whole numbers 0-100."""
        rng = self.rng
        n = len(fraud)
        noisy = ~fraud & (rng.random(n) < P.P_NOISY_LINE)
        match = np.where(
            fraud,
            np.where(
                deepfake, rng.normal(*P.VOICE_MATCH_DEEPFAKE, n), rng.normal(*P.VOICE_MATCH_FRAUDSTER, n)
            ),
            rng.normal(*P.VOICE_MATCH_GENUINE, n),
        )
        synthetic = np.where(
            deepfake,
            rng.beta(*P.SYNTHETIC_SCORE_DEEPFAKE, n),
            np.where(
                fraud,
                rng.beta(*P.SYNTHETIC_SCORE_FRAUDSTER, n),
                np.where(
                    noisy, rng.beta(*P.SYNTHETIC_SCORE_NOISY_LINE, n), rng.beta(*P.SYNTHETIC_SCORE_GENUINE, n)
                ),
            ),
        )
        match = np.clip(np.round(match), 0, 100).astype(np.int64)
        synthetic = np.clip(np.round(synthetic * 100), 0, 100).astype(np.int64)
        return match, synthetic

    def _bot(self, leg: Leg) -> None:
        """Inbound and API head legs a bot answers first: it succeeds, hands off, fails or is dropped."""
        rng = self.rng
        p_bot = P.P_BOT[leg.channel] * np.where(leg.fraud, P.FRAUDSTER_BOT_FACTOR, 1.0)
        has_bot = ~leg.ended & np.isin(leg.method, (P.INBOUND, P.API)) & (rng.random(leg.size) < p_bot)
        idx = np.flatnonzero(has_bot)
        if idx.size == 0:
            return
        n = idx.size
        contact_id = leg.contact_id[idx]
        success = (rng.random(n) < P.BOT_SUCCESS[leg.intent[idx]]) & ~leg.fraud[idx]
        rest = rng.random(n)
        handoff = ~success & (rest < P.P_BOT_HANDOFF)
        failed = ~success & ~handoff & (rest < P.P_BOT_HANDOFF + (1 - P.P_BOT_HANDOFF) / 2)
        self.sink.event(contact_id, P.EV["bot_start"], leg.clock[idx])
        ended_at = self._bot_turns(leg, idx, success)
        outcome = np.where(
            success, C.BOT_SUCCESS_CODE, np.where(failed, C.BOT_FAILED_CODE, C.BOT_DROPPED_CODE)
        )
        finished = ~handoff
        self.sink.event(
            contact_id[finished], P.EV["bot_end"], ended_at[finished], C.ATTR_BOT_END[outcome[finished]]
        )
        self.sink.event(contact_id[handoff], P.EV["bot_handoff"], ended_at[handoff])
        reset = (
            success
            & (leg.intent[idx] == P.INTENT_ID["password_reset"])
            & (rng.random(n) < P.P_BOT_PASSWORD_RESET_ACTION)
        )
        self.sink.event(
            contact_id[reset],
            P.EV["sensitive_action"],
            ended_at[reset] - P.STEP_S,
            C.ATTR_SENSITIVE[C.ACTION["reset_password"]],
        )
        leg.clock[idx] = ended_at + P.STEP_S
        done = idx[finished]
        ok = success[finished]
        leg.finish(
            done,
            np.where(ok, P.RESOLVED, np.where(failed[finished], P.UNRESOLVED, P.ABANDONED)),
            np.where(ok, C.R_BOT_OK, np.where(failed[finished], C.R_BOT_FAIL, C.R_CUSTOMER)),
            leg.clock[done] + P.STEP_S,
        )
        leg.solved[done] = ok & (rng.random(done.size) >= P.P_BOT_FALSE_SUCCESS)
        leg.bot_used[idx] = True

    def _bot_turns(self, leg: Leg, idx: np.ndarray, success: np.ndarray) -> np.ndarray:
        """The bot's turns with their confidence; returns when the session ends."""
        rng = self.rng
        n = idx.size
        n_turns = 1 + rng.binomial(*P.BOT_EXTRA_TURNS, n)
        of_session = np.repeat(np.arange(n), n_turns)
        ends, totals = C.group_durations(rng.uniform(*P.BOT_TURN_S, of_session.size), of_session, n_turns, n)
        confidence = np.where(
            success[of_session],
            rng.beta(*P.BOT_CONFIDENCE_SUCCESS, of_session.size),
            rng.beta(*P.BOT_CONFIDENCE_OTHER, of_session.size),
        )
        percent = np.clip(np.round(confidence * 100), 0, 100).astype(np.int64)
        self.sink.event(
            leg.contact_id[idx][of_session],
            P.EV["bot_turn"],
            leg.clock[idx][of_session] + ends,
            C.ATTR_BOT_TURN[leg.channel[idx][of_session], percent],
        )
        return leg.clock[idx] + totals + rng.uniform(*P.BOT_WRAP_UP_S, n)

    def _queue(self, leg: Leg) -> None:
        """Contacts still going, except outbound calls, wait in their team's queue or abandon it."""
        idx = np.flatnonzero(~leg.ended & (leg.method != P.OUTBOUND))
        if idx.size == 0:
            return
        leg.queue[idx] = C.queue_index(leg.channel, leg.team)[idx]
        leg.enqueued_at[idx] = leg.clock[idx]
        self.sink.event(leg.contact_id[idx], P.EV["queue_enter"], leg.clock[idx])
        wait, patience = self._wait_and_patience(leg, idx)
        abandons = patience < wait
        waited = np.where(abandons, patience + P.STEP_S, wait)
        leg.wait_s[idx] = waited
        self.sink.event(leg.contact_id[idx], P.EV["queue_exit"], leg.clock[idx] + waited)
        gone = idx[abandons]
        leg.finish(gone, P.ABANDONED, C.R_ABANDONED, leg.clock[gone] + waited[abandons] + P.STEP_S)
        answered = idx[~abandons]
        leg.connected_at[answered] = leg.clock[answered] + waited[~abandons]

    def _wait_and_patience(self, leg: Leg, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The queue wait (longer at busy hours and on busy days) and the caller's patience."""
        rng = self.rng
        channel, method = leg.channel[idx], leg.method[idx]
        hour = ((leg.clock[idx] % P.SECONDS_PER_DAY) // P.SECONDS_PER_HOUR).astype(np.int64)
        load = P.HOURLY_LOAD[hour] ** P.WAIT_LOAD_EXPONENT * self.day_load
        factor = np.where(method == P.TRANSFER, P.WAIT_FACTOR_TRANSFER, 1.0) * np.where(
            method == P.CALLBACK, P.WAIT_FACTOR_CALLBACK, 1.0
        )
        wait = rng.exponential(1.0, idx.size) * P.BASE_WAIT_S[channel] * load * factor
        wait = np.where(channel == P.EMAIL, np.minimum(wait, P.EMAIL_MAX_WAIT_S), wait) + P.MIN_QUEUE_WAIT_S
        patience = (
            rng.exponential(1.0, idx.size)
            * P.PATIENCE_S[channel]
            * np.where(method == P.CALLBACK, P.PATIENCE_FACTOR_CALLBACK, 1.0)
        )
        return wait, patience

    def _dial_out(self, leg: Leg) -> None:
        """Outbound calls ring; some are not answered."""
        rng = self.rng
        idx = np.flatnonzero(~leg.ended & (leg.method == P.OUTBOUND))
        if idx.size == 0:
            return
        ring = rng.uniform(*P.OUTBOUND_RING_S, idx.size)
        no_answer = rng.random(idx.size) < P.P_OUTBOUND_NO_ANSWER
        missed = idx[no_answer]
        leg.finish(missed, P.UNRESOLVED, C.R_NO_ANSWER, leg.clock[missed] + ring[no_answer] + P.STEP_S)
        answered = idx[~no_answer]
        leg.connected_at[answered] = leg.clock[answered] + ring[~no_answer]

    # ---- rows and results of a leg -------------------------------------------------------------
    def _contact_row(self, attempt: Attempt, leg: Leg, customer_id: np.ndarray) -> None:
        rng, world = self.rng, self.world
        rows, channel = leg.rows, leg.channel
        identified = attempt.identified[rows]
        customer = attempt.customer[rows]
        phone_like = (channel == P.VOICE) | (channel == P.MESSAGING)
        unknown_phone = np.where(
            rng.random(leg.size) < P.P_UNIDENTIFIED_RANDOM_PHONE, C.EP_RANDOM_PHONE, C.EP_NONE
        )
        endpoint = np.where(
            phone_like,
            np.where(identified, C.EP_PHONE, unknown_phone),
            np.where(channel == P.EMAIL, np.where(identified, C.EP_EMAIL, C.EP_RANDOM_EMAIL), C.EP_NONE),
        )
        has_case = np.isin(leg.intent, C.CASE_INTENT_IDS) | (leg.disposition == P.ESCALATED)
        previous = np.full(leg.size, C.NULL, dtype=np.int64) if leg.is_head else leg.contact_id - 1
        self.sink.contacts.append(
            {
                "cid": leg.contact_id,
                "init_cid": attempt.head_contact_id[rows],
                "prev_cid": previous,
                "cust": customer_id.astype(np.int64),
                "channel": channel.astype(np.int8),
                "method": leg.method.astype(np.int8),
                "queue": leg.queue.astype(np.int8),
                "agent": leg.agent.astype(np.int64),
                "intent": np.where(attempt.intent_known[rows], leg.intent, C.NULL).astype(np.int8),
                "init_t": leg.initiated_at,
                "enq_t": leg.enqueued_at,
                "conn_t": leg.connected_at,
                "disc_t": leg.disconnected_at,
                "reason": leg.reason.astype(np.int8),
                "disp": leg.disposition.astype(np.int8),
                "endpoint": endpoint.astype(np.int8),
                "ep_cust": customer.astype(np.int64),
                "ep_region": world.region[customer].astype(np.int8),
                "ep_phone": world.phone[customer],
                "ep_first": world.name_first[customer],
                "ep_last": world.name_last[customer],
                "ep_ver": world.ver[customer].copy(),
                "endpoint_rand": rng.integers(0, P.ANONYMOUS_NUMBER_RANGE, leg.size),
                "case": np.where(has_case, attempt.issue[rows], C.NULL),
                "fraud": leg.fraud,
            }
        )

    @staticmethod
    def _add_leg(result: AttemptResult, leg: Leg) -> None:
        rows = leg.rows
        result.end[rows] = np.maximum(result.end[rows], leg.disconnected_at)
        result.wait_s[rows] += leg.wait_s
        result.hold_s[rows] += leg.hold_s
        result.failed_auths[rows] += leg.failed_auths
        result.ai[rows] |= leg.ai
        final = ~leg.transferred
        result.solved[rows[final]] = leg.solved[final]
        result.abandoned[rows[final]] = leg.disposition[final] == P.ABANDONED
        result.escalated[rows[final]] = leg.disposition[final] == P.ESCALATED
        result.transfers[rows] += leg.transferred

    def _survey(self, attempt: Attempt, leg: Leg, customer_id: np.ndarray) -> None:
        """A survey on some final legs of genuine attempts where a bot or an agent took part."""
        rng = self.rng
        took_part = leg.bot_used | ~np.isnan(leg.connected_at)
        eligible = ~leg.transferred & took_part & ~leg.fraud
        idx = np.flatnonzero(eligible & (rng.random(leg.size) < P.P_SURVEY))
        if idx.size == 0:
            return
        n = idx.size
        experience = np.clip(self._survey_experience(attempt, leg, idx), 0.0, 1.0)
        survey_type = rng.choice(len(P.SURVEY_TYPES), size=n, p=P.SURVEY_TYPE_P)
        digital_csat = (survey_type == P.CSAT) & np.isin(leg.channel[idx], (P.MESSAGING, P.WEB))
        lowest = np.where(digital_csat, P.SURVEY_SCALE_CSAT_DIGITAL[0], P.SURVEY_SCALES[survey_type, 0])
        highest = np.where(digital_csat, P.SURVEY_SCALE_CSAT_DIGITAL[1], P.SURVEY_SCALES[survey_type, 1])
        nps_noise = np.where(survey_type == P.NPS, rng.normal(0.0, P.SURVEY_NPS_NOISE_SD, n), 0.0)
        score = lowest + np.round(np.clip(experience + nps_noise, 0, 1) * (highest - lowest))
        customer = customer_id[idx]
        by_email = (customer >= 0) & (rng.random(n) < P.P_SURVEY_EMAIL_LINK)
        delay = np.where(by_email, rng.uniform(*P.SURVEY_EMAIL_DELAY_S, n), rng.uniform(*P.SURVEY_DELAY_S, n))
        contact_id = leg.contact_id[idx]
        self.sink.surveys.append(
            {
                "rid": contact_id,
                "cid": np.where(by_email, C.NULL, contact_id),
                "cust": customer.astype(np.int64),
                "stype": survey_type.astype(np.int8),
                "score": score,
                "smin": lowest,
                "smax": highest,
                "resp_t": leg.disconnected_at[idx] + delay,
            }
        )

    def _survey_experience(self, attempt: Attempt, leg: Leg, idx: np.ndarray) -> np.ndarray:
        """The experience a survey reports (before the clip to 0-1), from the attempt so far."""
        result, rows = attempt.result, leg.rows[idx]
        return (
            P.SURVEY_BASE
            + P.SURVEY_RESOLVED_BONUS * (leg.disposition[idx] == P.RESOLVED)
            - P.SURVEY_PER_EARLIER_ATTEMPT * attempt.number
            - P.SURVEY_PER_EARLIER_LEG * leg.number
            - P.SURVEY_PER_WAIT_MINUTE * result.wait_s[rows] / P.SECONDS_PER_MINUTE
            - P.SURVEY_PER_HOLD_MINUTE * result.hold_s[rows] / P.SECONDS_PER_MINUTE
            - P.SURVEY_PER_FAILED_AUTH * result.failed_auths[rows]
            + P.SURVEY_AI_BONUS * leg.ai[idx]
            + self.rng.normal(0.0, P.SURVEY_NOISE_SD, idx.size)
        )
