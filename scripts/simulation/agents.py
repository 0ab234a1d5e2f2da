"""The agent step of a contact leg: the agent, holds, AI assistance, sensitive actions, the outcome."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from scripts.simulation import contacts as C
from scripts.simulation import params as P
from scripts.simulation.contacts import Sink

if TYPE_CHECKING:
    from scripts.simulation.legs import Attempt, Leg


@dataclass
class AgentPart:
    """The agent step of the contacts that reached one."""

    agent: np.ndarray
    ai: np.ndarray
    handle_s: np.ndarray


class AgentSimulator:
    """Serves the contacts of a leg that reach an agent."""

    def __init__(self, world, day: int, rng: np.random.Generator, sink: Sink) -> None:
        self.world = world
        self.day = day
        self.rng = rng
        self.sink = sink
        self.p_ai = float(P.ai_adoption(day))

    def serve(self, attempt: Attempt, leg: Leg) -> None:
        """Contacts still going reach an agent: holds, AI assistance, sensitive actions, an outcome."""
        idx = np.flatnonzero(~leg.ended)
        if idx.size == 0:
            return
        part = self._connect_agent(leg, idx)
        leg.agent[idx] = part.agent
        leg.ai[idx] = part.ai
        leg.hold_s[idx] = self._holds(leg, idx, part.handle_s)
        self._ai_assistance(leg, idx, part)
        self._sensitive_actions(attempt, leg, idx, part.handle_s)
        self._agent_outcome(attempt, leg, idx, part)
        resolved_here = idx[leg.disposition[idx] == P.RESOLVED]
        attempt.result.agent_resolved[leg.rows[resolved_here]] = True
        attempt.result.resolve_t[leg.rows[resolved_here]] = leg.disconnected_at[resolved_here]

    def _connect_agent(self, leg: Leg, idx: np.ndarray) -> AgentPart:
        """An agent of the leg's team, AI assistance by adoption and the agent, a handle time."""
        rng = self.rng
        agent = self.world.pick_agents(rng, leg.team[idx], self.day)
        p_ai = np.clip(
            self.p_ai * (P.AI_ASSIST_AGENT_BASE + self.world.agent_ai[agent]), 0, P.AI_ASSIST_MAX_P
        )
        ai = rng.random(idx.size) < p_ai
        channel, intent = leg.channel[idx], leg.intent[idx]
        median = P.HANDLE_MEDIAN_S[channel] * P.HANDLE_MULT[intent] * np.where(ai, P.AI_HANDLE_FACTOR, 1.0)
        handle_s = np.clip(rng.lognormal(np.log(median), P.HANDLE_SIGMA), *P.HANDLE_S)
        self.sink.event(leg.contact_id[idx], P.EV["agent_connect"], leg.connected_at[idx])
        return AgentPart(agent=agent, ai=ai, handle_s=handle_s)

    def _holds(self, leg: Leg, idx: np.ndarray, handle_s: np.ndarray) -> np.ndarray:
        """Up to two holds inside the handle time (a few without their hold_end); returns the time on hold."""
        rng = self.rng
        n = idx.size
        contact_id, connected_at = leg.contact_id[idx], leg.connected_at[idx]
        has_hold = rng.random(n) < P.P_HOLD[leg.channel[idx]]
        n_holds = np.where(has_hold, 1 + (rng.random(n) < P.P_SECOND_HOLD), 0)
        hold_s = np.zeros(n)
        for number, (start_from, start_to, longest) in enumerate(P.HOLD_WINDOWS):
            h = np.flatnonzero(n_holds > number)
            if h.size == 0:
                continue
            start = connected_at[h] + handle_s[h] * rng.uniform(start_from, start_to, h.size)
            duration = np.minimum(
                P.HOLD_MIN_S + rng.exponential(P.HOLD_MEAN_EXTRA_S, h.size), handle_s[h] * longest
            )
            self.sink.event(contact_id[h], P.EV["hold_start"], start)
            matched = rng.random(h.size) >= P.P_UNMATCHED_HOLD
            self.sink.event(contact_id[h][matched], P.EV["hold_end"], (start + duration)[matched])
            hold_s[h] += np.where(matched, duration, connected_at[h] + handle_s[h] - start)
        return hold_s

    def _ai_assistance(self, leg: Leg, idx: np.ndarray, part: AgentPart) -> None:
        """Suggestions (some accepted) and a summary on the assisted contacts."""
        rng = self.rng
        assisted = np.flatnonzero(part.ai)
        if assisted.size == 0:
            return
        contact_id, connected_at, handle_s = leg.contact_id[idx], leg.connected_at[idx], part.handle_s
        n_suggestions = 1 + rng.poisson(P.AI_EXTRA_SUGGESTIONS_MEAN, assisted.size)
        each = np.repeat(assisted, n_suggestions)
        at = connected_at[each] + handle_s[each] * rng.uniform(*P.AI_SUGGESTION_WINDOW, each.size)
        accepted = (rng.random(each.size) < P.P_AI_SUGGESTION_ACCEPTED).astype(np.int64)
        self.sink.event(contact_id[each], P.EV["ai_suggestion"], at, C.ATTR_AI_SUGGESTION[accepted])
        summary_at = (
            connected_at[assisted]
            + handle_s[assisted]
            - rng.uniform(*P.AI_SUMMARY_BEFORE_END_S, assisted.size)
        )
        self.sink.event(contact_id[assisted], P.EV["ai_summary"], summary_at, C.ATTR_AI_SUMMARY)

    def _sensitive_actions(self, attempt: Attempt, leg: Leg, idx: np.ndarray, handle_s: np.ndarray) -> None:
        """Actions the customer asked for, or a fraudster's (sometimes two); recorded in the result."""
        rng = self.rng
        n = idx.size
        fraud, intent = leg.fraud[idx], leg.intent[idx]
        contact_id, connected_at = leg.contact_id[idx], leg.connected_at[idx]
        action = self._requested_action(intent, rng.random(n))
        passed = attempt.auth_passed[leg.rows[idx]]
        acts = (
            fraud
            & (passed | (rng.random(n) < P.P_FRAUDSTER_ACTS_UNAUTHENTICATED))
            & (rng.random(n) < P.P_FRAUDSTER_ACTS)
        )
        fraud_action = C.categorical(rng, np.tile(P.FRAUDSTER_ACTION_P, (n, 1)))
        action = np.where(acts, fraud_action, np.where(fraud, C.NULL, action))
        done = np.flatnonzero(action >= 0)
        if done.size == 0:
            return
        at = connected_at[done] + handle_s[done] * rng.uniform(*P.SENSITIVE_ACTION_WINDOW, done.size)
        self.sink.event(contact_id[done], P.EV["sensitive_action"], at, C.ATTR_SENSITIVE[action[done]])
        rows = leg.rows[idx[done]]
        attempt.result.actions[rows] |= 1 << action[done]
        attempt.result.action_contact_id[rows] = contact_id[done]
        second = np.flatnonzero(acts[done] & (rng.random(done.size) < P.P_FRAUDSTER_SECOND_ACTION))
        if second.size:
            twice = done[second]
            action_2 = np.where(
                action[twice] == C.ACTION["wire_transfer"], C.ACTION["add_payee"], C.ACTION["wire_transfer"]
            )
            at_2 = at[second] + np.minimum(
                P.SECOND_ACTION_MAX_GAP_S, P.SECOND_ACTION_GAP_SHARE * handle_s[twice]
            )
            self.sink.event(contact_id[twice], P.EV["sensitive_action"], at_2, C.ATTR_SENSITIVE[action_2])
            attempt.result.actions[leg.rows[idx[twice]]] |= 1 << action_2

    @staticmethod
    def _requested_action(intent: np.ndarray, u: np.ndarray) -> np.ndarray:
        """The action a genuine customer's intent leads to, by the uniform draw ``u`` (or NULL)."""
        address_cut, email_cut = P.ACCOUNT_UPDATE_ACTION_CUTS
        account = intent == P.INTENT_ID["account_update"]
        action = np.full(len(intent), C.NULL)
        action = np.where(
            account & (u < address_cut),
            C.ACTION["change_address"],
            np.where(account & (u < email_cut), C.ACTION["change_email"], action),
        )
        reset = (intent == P.INTENT_ID["password_reset"]) & (u < P.P_PASSWORD_RESET_ACTION)
        return np.where(reset, C.ACTION["reset_password"], action)

    def _agent_outcome(self, attempt: Attempt, leg: Leg, idx: np.ndarray, part: AgentPart) -> None:
        """Transferred, resolved, escalated or unresolved; who disconnects, and when."""
        rng = self.rng
        n = idx.size
        fraud, channel, ai = leg.fraud[idx], leg.channel[idx], part.ai
        transferred = (rng.random(n) < P.P_TRANSFER[channel]) & (leg.number < P.MAX_LEGS - 1) & ~fraud
        p_resolved = np.clip(
            P.AGENT_RESOLVE[leg.intent[idx]]
            + P.AI_RESOLVE_UPLIFT * ai
            + P.AGENT_RESOLVE_PER_ATTEMPT * attempt.number,
            0.0,
            P.AGENT_RESOLVE_MAX_P,
        )
        p_resolved = np.where(fraud, P.P_FRAUDSTER_CALL_RESOLVED, p_resolved)
        resolved = rng.random(n) < p_resolved
        escalated = ~resolved & (rng.random(n) < P.P_ESCALATED_IF_UNRESOLVED)
        disposition = np.where(resolved, P.RESOLVED, np.where(escalated, P.ESCALATED, P.UNRESOLVED))
        leg.disposition[idx] = np.where(transferred, P.TRANSFERRED, disposition)
        reason = np.where(rng.random(n) < P.P_AGENT_DISCONNECTS, C.R_AGENT, C.R_CUSTOMER)
        leg.reason[idx] = np.where(transferred, C.R_TRANSFERRED, reason)
        falsely = rng.random(n) < np.where(ai, P.AI_FALSE_RESOLVED, P.P_AGENT_FALSE_RESOLVED)
        leg.solved[idx] = resolved & ~transferred & ~falsely
        handled_until = leg.connected_at[idx] + part.handle_s
        consult = transferred & (rng.random(n) < P.P_CONSULT)
        disconnected_at = np.where(
            consult, handled_until + rng.uniform(*P.CONSULT_OVERLAP_S, n), handled_until + P.STEP_S
        )
        leg.disconnected_at[idx] = np.where(transferred, disconnected_at, handled_until)
        leg.transferred[idx] = transferred
        leg.next_start[idx] = handled_until + P.NEXT_LEG_AFTER_S
        self._transfer(attempt, leg, idx, transferred, handled_until)

    def _transfer(
        self, attempt: Attempt, leg: Leg, idx: np.ndarray, transferred: np.ndarray, handled_until: np.ndarray
    ) -> None:
        """A transfer to another team's queue, for the next leg."""
        rng = self.rng
        n_teams = len(P.TEAMS)
        to_team = (leg.team[idx] + rng.integers(1, n_teams, idx.size)) % n_teams
        moved = np.flatnonzero(transferred)
        if moved.size:
            to_queue = C.queue_index(leg.channel[idx][moved], to_team[moved])
            at = handled_until[moved] - P.STEP_S
            self.sink.event(leg.contact_id[idx][moved], P.EV["transfer"], at, C.ATTR_TRANSFER[to_queue])
        attempt.team[leg.rows[idx[transferred]]] = to_team[transferred]
