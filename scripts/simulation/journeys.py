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


ATTR_IVR = np.array([[_add({"menu": m, "option": str(o)}) for o in range(1, 6)] for m in IVR_MENUS])
ATTR_BOT_TURN = np.array(
    [[_add({"bot_id": b, "confidence": c / 100}) for c in range(101)] for b in P.BOT_IDS]
)
ATTR_BOT_END = np.array([_add({"outcome": o}) for o in ("success", "failed", "dropped")])
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


def time_of_day(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after midnight UTC following the intraday load profile."""
    hours = np.searchsorted(_HOURLY_CDF, rng.random(n), side="right").clip(0, 23)
    return hours * 3600.0 + rng.random(n) * 3600.0


_HOURLY_CDF = np.cumsum(P.HOURLY_P)


@dataclass
class Sink:
    """Numeric rows of one simulated day, by table, before duplicates and styling."""

    contacts: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    surveys: list[dict] = field(default_factory=list)
    fraud_cases: list[dict] = field(default_factory=list)

    def event(
        self,
        cid: np.ndarray,
        etype: int,
        t: np.ndarray,
        attr: np.ndarray | int = NULL,
        auth: tuple[np.ndarray, ...] | None = None,
    ) -> None:
        n = len(cid)
        if n == 0:
            return
        batch = {
            "cid": cid.astype(np.int64),
            "etype": np.full(n, etype, dtype=np.int8),
            "t": np.asarray(t, dtype=np.float64),
            "attr": np.broadcast_to(np.asarray(attr, dtype=np.int32), (n,)),
        }
        if auth is not None:  # the other event batches get null auth columns when combined
            for key, arr in zip(("a_method", "a_match", "a_synth", "a_result"), auth, strict=True):
                batch[key] = arr.astype(np.int16)
        self.events.append(batch)


@dataclass
class Journeys:
    """Per-issue inputs of a day."""

    cust: np.ndarray
    intent: np.ndarray
    t0: np.ndarray
    fraud: np.ndarray  # bool: a fraudster impersonating ``cust`` (always voice, one attempt)
    deepfake: np.ndarray  # bool, fraud only


class JourneySimulator:
    """Runs the journeys of one simulated day against the world's current state."""

    def __init__(self, world, day: int, rng: np.random.Generator, day_load: float) -> None:
        self.w = world
        self.day = day
        self.rng = rng
        self.day_load = day_load
        self.sink = Sink()
        self.p_ai = float(P.ai_adoption(day))
        self.effects: list[tuple[str, dict]] = []

    # ---------------------------------------------------------------------------------------
    def run(self, j: Journeys) -> Sink:
        rng, w = self.rng, self.w
        n = len(j.cust)
        if n == 0:
            return self.sink
        issue = (self.day * 10**8 + j.cust.astype(np.int64)) * 10 + j.fraud.astype(np.int64)
        active = np.ones(n, dtype=bool)
        start = j.t0.astype(np.float64)
        last_channel = np.full(n, NULL)
        next_method = np.full(n, P.INBOUND)
        forced = np.full(n, NULL)
        attempts = np.zeros(n, dtype=np.int64)
        solved = np.zeros(n, dtype=bool)
        effort = np.zeros(n)
        switches = np.zeros(n, dtype=np.int64)
        end = start.copy()
        pref = w.pref[j.cust]
        for k in range(P.MAX_ATTEMPTS):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            m = idx.size
            intent = j.intent[idx]
            affinity = P.CHANNEL_AFFINITY[intent].copy()
            if k == 0:
                ch = categorical(rng, affinity)
                p_ok = pref[idx] >= 0
                stick = p_ok & (rng.random(m) < P.PREFERRED_STICKINESS)
                ch = np.where(stick, pref[idx], ch)
            else:
                prev = last_channel[idx]
                affinity[np.arange(m), prev] = 0.0
                other = categorical(rng, affinity)
                ch = np.where(rng.random(m) < P.SWITCH_CHANNEL_ON_RETURN, other, prev)
                ch = np.where(forced[idx] >= 0, forced[idx], ch)
            ch = np.where(j.fraud[idx], P.VOICE, ch)
            method = next_method[idx]
            method = np.where((method == P.INBOUND) & (ch == P.WEB), P.API, method)
            res = self._attempt(
                issue=issue[idx],
                cust=j.cust[idx],
                intent=intent,
                channel=ch,
                method=method,
                start=start[idx],
                k=k,
                fraud=j.fraud[idx],
                deepfake=j.deepfake[idx],
            )
            attempts[idx] += 1
            switches[idx] += (k > 0) & (ch != last_channel[idx])
            last_channel[idx] = ch
            end[idx] = np.maximum(end[idx], res["end"])
            solved[idx] = res["solved"]
            effort[idx] += (
                (k > 0)
                + res["transfers"]
                + res["wait_s"] / 300.0
                + res["hold_s"] / 180.0
                + res["failed_auths"]
            )
            # does the customer come back?
            u = rng.random(m)
            come = (
                ~res["solved"]
                & ~j.fraud[idx]
                & (k < P.MAX_ATTEMPTS - 1)
                & (u < P.COME_BACK[intent] + 0.1 * res["escalated"])
            )
            gap = (1.0 + 9.0 * rng.beta(1.0, 2.5, m)) * P.SECONDS_PER_DAY
            tod = time_of_day(rng, m)
            nxt = np.floor((res["end"] + gap) / P.SECONDS_PER_DAY) * P.SECONDS_PER_DAY + tod
            nxt = np.where(nxt <= res["end"] + 3600, nxt + P.SECONDS_PER_DAY, nxt)
            meth = np.full(m, P.INBOUND)
            frc = np.full(m, NULL)
            esc = res["escalated"] & (rng.random(m) < P.P_OUTBOUND_FOLLOWUP)
            follow = res["end"] + (1.0 + 2.0 * rng.random(m)) * P.SECONDS_PER_DAY
            nxt = np.where(esc, follow, nxt)
            meth = np.where(esc, P.OUTBOUND, meth)
            frc = np.where(esc, P.VOICE, frc)
            ab = res["abandoned"] & ~esc
            cb = ab & (ch == P.VOICE) & (rng.random(m) < P.P_CALLBACK_AFTER_ABANDON)
            quick = ab & ~cb & (rng.random(m) < P.P_QUICK_RETRY_AFTER_ABANDON)
            soon = res["end"] + 300.0 + rng.exponential(3000.0, m)
            nxt = np.where(cb | quick, soon, nxt)
            meth = np.where(cb, P.CALLBACK, meth)
            frc = np.where(cb, P.VOICE, frc)
            come |= esc & ~j.fraud[idx] & (k < P.MAX_ATTEMPTS - 1)
            active[idx] = come
            start[idx] = nxt
            next_method[idx] = meth
            forced[idx] = frc
            self._attempt_effects(j.cust[idx], intent, res, j.fraud[idx])
            self._fraud_cases(j.cust[idx], j.fraud[idx], j.deepfake[idx], res, issue[idx], k)
        self._journey_effects(j, solved, attempts, effort + switches, end)
        return self.sink

    # ---------------------------------------------------------------------------------------
    def _fraud_cases(self, cust, fraud, deepfake, res, issue, k) -> None:
        """Fraud cases reported 0-45 days after a call: fraudsters' calls, a few false alarms."""
        rng = self.rng
        m = len(cust)
        acted = res["actions"] > 0
        p = np.where(fraud, np.where(acted, 0.85, 0.25), np.where(acted, 0.02, 0.0))
        r = np.flatnonzero(rng.random(m) < p)
        if r.size == 0:
            return
        n = r.size
        f = fraud[r]
        confirmed = f & (rng.random(n) < 0.92)
        bits = res["actions"][r]
        loss = (
            ((bits >> 3) & 1) * rng.lognormal(np.log(4000.0), 0.8, n)
            + ((bits >> 2) & 1) * rng.lognormal(np.log(1200.0), 0.7, n)
            + (bits & 1) * (rng.random(n) < 0.5) * rng.lognormal(np.log(300.0), 0.6, n)
        )
        loss = np.where(confirmed, np.round(loss * 100), 0).astype(np.int64)
        delay = np.minimum(rng.exponential(8.0, n), 45.0) * P.SECONDS_PER_DAY
        head = (issue[r] * 10 + k) * 10
        link = rng.random(n) < 0.65
        cid = np.where(link, np.where(res["action_cid"][r] >= 0, res["action_cid"][r], head), NULL)
        u = rng.random(n)
        ftype = np.where(
            f,
            np.where(deepfake[r], np.where(u < 0.7, 1, 0), np.where(u < 0.6, 2, 0)),
            0,
        )
        self.sink.fraud_cases.append(
            {
                "fid": issue[r] * 10 + k,
                "cust": cust[r].astype(np.int64),
                "cid": cid.astype(np.int64),
                "rep_t": np.floor(res["end"][r] + delay),
                "ftype": ftype.astype(np.int8),
                "confirmed": confirmed,
                "loss": loss,
            }
        )

    def _attempt_effects(self, cust, intent, res, fraud) -> None:
        """CRM changes caused by what happened in an attempt (at the resolving contact)."""
        rng = self.rng
        ok = res["solved"] & res["agent_resolved"] & ~fraud
        t = res["resolve_t"]
        save = ok & (intent == P.INTENT_ID["cancellation"]) & (rng.random(len(cust)) < P.P_SAVE_OFFER)
        if save.any():
            factor = rng.uniform(0.70, 0.85, int(save.sum()))
            self.effects.append(("save_offer", {"cust": cust[save], "t": t[save], "x": factor}))
        plan = ok & (intent == P.INTENT_ID["plan_change"])
        if plan.any():
            up = (rng.random(int(plan.sum())) < 0.6).astype(np.float64)
            self.effects.append(("plan_change", {"cust": cust[plan], "t": t[plan], "x": up}))
        acct = ok & (intent == P.INTENT_ID["account_update"]) & (rng.random(len(cust)) < 0.5)
        if acct.any():
            self.effects.append(
                ("account_update", {"cust": cust[acct], "t": t[acct], "x": np.zeros(acct.sum())})
            )

    def _journey_effects(self, j: Journeys, solved, attempts, effort, end) -> None:
        """Satisfaction, churn risk and cancellations after a journey ends."""
        rng = self.rng
        genuine = ~j.fraud
        cust, intent = j.cust[genuine], j.intent[genuine]
        solved, effort, end = solved[genuine], effort[genuine], end[genuine]
        n = len(cust)
        if n == 0:
            return
        exp = np.clip(0.6 + 0.35 * solved - 0.06 * effort + rng.normal(0, 0.1, n), 0, 1)
        risk = np.where(solved, 1.0 + 0.15 * np.maximum(effort - 4, 0), 2.5 + 0.5 * np.minimum(effort, 6))
        risk = np.minimum(risk, P.MAX_RISK)
        self.effects.append(("experience", {"cust": cust, "t": end, "x": exp, "risk": risk}))
        is_cancel = intent == P.INTENT_ID["cancellation"]
        p_cancel = np.where(
            is_cancel,
            np.where(solved, *P.P_CANCEL_AFTER_CANCELLATION_CALL),
            np.where(P.RETENTION_RISK[intent] & ~solved, P.P_CANCEL_RISK_INTENT_UNRESOLVED, 0.0),
        )
        cancel = rng.random(n) < p_cancel
        if cancel.any():
            delay = rng.exponential(2.0 * P.SECONDS_PER_DAY, n)
            all_subs = is_cancel & ~solved
            reason = np.where(solved, 0, 5)  # price / unresolved_issue
            self.effects.append(
                (
                    "cancel",
                    {
                        "cust": cust[cancel],
                        "t": (end + 600.0 + delay)[cancel],
                        "x": all_subs[cancel].astype(np.float64),
                        "reason": reason[cancel],
                    },
                )
            )

    # ---------------------------------------------------------------------------------------
    def _attempt(self, issue, cust, intent, channel, method, start, k, fraud, deepfake) -> dict:
        """Simulate one attempt (a transfer chain of 1..MAX_LEGS contacts) per row."""
        rng = self.rng
        n = len(issue)
        head = (issue * 10 + k) * 10
        identified = fraud | (rng.random(n) < P.P_IDENTIFIED[channel])
        intent_known = rng.random(n) < P.P_INTENT_CAPTURED
        team = P.INTENT_TEAM[intent].copy()
        out = {
            "end": start.copy(),
            "solved": np.zeros(n, dtype=bool),
            "abandoned": np.zeros(n, dtype=bool),
            "escalated": np.zeros(n, dtype=bool),
            "agent_resolved": np.zeros(n, dtype=bool),
            "resolve_t": start.copy(),
            "transfers": np.zeros(n, dtype=np.int64),
            "wait_s": np.zeros(n),
            "hold_s": np.zeros(n),
            "failed_auths": np.zeros(n, dtype=np.int64),
            "actions": np.zeros(n, dtype=np.int64),  # bit mask of SENSITIVE_ACTIONS
            "action_cid": np.full(n, NULL, dtype=np.int64),
            "ai": np.zeros(n, dtype=bool),
        }
        auth_passed = np.zeros(n, dtype=bool)
        self._auth_passed = auth_passed
        cur = np.arange(n)
        t_leg = start.copy()
        for leg in range(P.MAX_LEGS):
            if cur.size == 0:
                break
            nxt_cur, nxt_t = self._leg(
                leg, cur, head, issue, cust, intent, channel, method, t_leg, k, fraud,
                deepfake, identified, intent_known, team, auth_passed, out,
            )  # fmt: skip
            cur = nxt_cur
            t_leg[cur] = nxt_t
        return out

    def _leg(
        self, leg, cur, head, issue, cust, intent, channel, method, t_leg, k, fraud, deepfake,
        identified, intent_known, team, auth_passed, out,
    ):  # fmt: skip
        rng, sink = self.rng, self.sink
        L = cur.size
        cid = head[cur] + leg
        ch = channel[cur]
        itn = intent[cur]
        frd = fraud[cur]
        is_head = leg == 0
        meth = method[cur] if is_head else np.full(L, P.TRANSFER)
        t_init = t_leg[cur].copy()
        tt = t_init.copy()
        ended = np.zeros(L, dtype=bool)
        disp = np.full(L, NULL)
        reason = np.full(L, NULL)
        enq = np.full(L, np.nan)
        conn = np.full(L, np.nan)
        disc = np.full(L, np.nan)
        agent = np.full(L, NULL)
        bot_used = np.zeros(L, dtype=bool)
        solved = np.zeros(L, dtype=bool)
        failed_auths = np.zeros(L, dtype=np.int64)
        wait = np.zeros(L)
        hold_total = np.zeros(L)
        ai = np.zeros(L, dtype=bool)
        if not is_head:
            later = rng.random(L) < P.P_ID_LATER_LEG
            identified[cur] |= later
            intent_known[cur] |= rng.random(L) < 0.7

        # --- IVR (inbound voice head legs) -----------------------------------------------
        if is_head:
            has_ivr = (ch == P.VOICE) & (meth == P.INBOUND)
            n_ivr = np.where(has_ivr, 1 + rng.binomial(2, 0.45, L), 0)
            rep = np.repeat(np.arange(L), n_ivr)
            dur = rng.uniform(8.0, 25.0, rep.size)
            ends = np.cumsum(dur)
            grp_end = np.zeros(L)
            np.add.at(grp_end, rep, dur)
            offs = ends - np.repeat(np.cumsum(grp_end) - grp_end, n_ivr)
            pos = within_group_index(n_ivr)
            menu = np.where(pos == 0, 0, P.INTENT_TEAM[itn][rep] % len(IVR_MENUS))
            menu = np.where((pos > 0) & (menu == 0), 3, menu)
            option = rng.integers(0, 5, rep.size)
            sink.event(cid[rep], P.EV["ivr_menu"], tt[rep] + offs, ATTR_IVR[menu, option])
            tt = tt + grp_end
            drop = has_ivr & (rng.random(L) < P.P_IVR_DROP) & ~frd
            ended |= drop
            disp[drop] = P.ABANDONED
            reason[drop] = R_CUSTOMER
            disc[drop] = tt[drop] + 1.0

            # --- authentication (voice) ---------------------------------------------------
            ident = identified[cur]
            has_auth = (
                (ch == P.VOICE) & ~ended & (meth != P.OUTBOUND) & (frd | (ident & (rng.random(L) < 0.88)))
            )
            a = np.flatnonzero(has_auth)
            if a.size:
                res = self._auth(a, frd, deepfake[cur], cid, tt)
                tt[a] = res["t"]
                failed_auths[a] += res["fails"]
                auth_passed[cur[a]] = res["passed"]
                hang = frd[a] & ~res["passed"] & (rng.random(a.size) < 0.7)
                h = a[hang]
                ended[h] = True
                disp[h] = P.UNRESOLVED
                reason[h] = R_AUTH
                disc[h] = tt[h] + 2.0

            # --- bot --------------------------------------------------------------------
            p_bot = P.P_BOT[ch] * np.where(frd, 0.3, 1.0)
            has_bot = ~ended & np.isin(meth, (P.INBOUND, P.API)) & (rng.random(L) < p_bot)
            b = np.flatnonzero(has_bot)
            if b.size:
                self._bot(b, cid, ch, itn, frd, tt, ended, disp, reason, disc, solved, out, cur)
                bot_used[b] = True

        # --- queue ----------------------------------------------------------------------
        q = np.flatnonzero(~ended & (meth != P.OUTBOUND))
        queue = np.full(L, NULL)
        leg_team = team[cur]
        queue_code = np.where(ch == P.VOICE, 0, len(P.TEAMS)) + leg_team
        if q.size:
            queue[q] = queue_code[q]
            enq[q] = tt[q]
            sink.event(cid[q], P.EV["queue_enter"], tt[q])
            hour = ((tt[q] % P.SECONDS_PER_DAY) // 3600).astype(np.int64)
            load = P.HOURLY_LOAD[hour] ** 1.3 * self.day_load
            factor = np.where(meth[q] == P.TRANSFER, 0.5, 1.0) * np.where(meth[q] == P.CALLBACK, 0.3, 1.0)
            wq = rng.exponential(1.0, q.size) * P.BASE_WAIT_S[ch[q]] * load * factor
            wq = np.where(ch[q] == P.EMAIL, np.minimum(wq, 36 * 3600.0), wq) + 2.0
            patience = (
                rng.exponential(1.0, q.size) * P.PATIENCE_S[ch[q]] * np.where(meth[q] == P.CALLBACK, 5.0, 1.0)
            )
            ab = patience < wq
            waited = np.where(ab, patience + 1.0, wq)
            wait[q] = waited
            sink.event(cid[q], P.EV["queue_exit"], tt[q] + waited)
            qa = q[ab]
            ended[qa] = True
            disp[qa] = P.ABANDONED
            reason[qa] = R_ABANDONED
            disc[qa] = tt[qa] + waited[ab] + 1.0
            qc = q[~ab]
            conn[qc] = tt[qc] + waited[~ab]
        ob = np.flatnonzero(~ended & (meth == P.OUTBOUND))
        if ob.size:
            ring = rng.uniform(5.0, 25.0, ob.size)
            no_answer = rng.random(ob.size) < 0.15
            na = ob[no_answer]
            ended[na] = True
            disp[na] = P.UNRESOLVED
            reason[na] = R_NO_ANSWER
            disc[na] = tt[na] + ring[no_answer] + 1.0
            ok = ob[~no_answer]
            conn[ok] = tt[ok] + ring[~no_answer]

        # --- agent ----------------------------------------------------------------------
        g = np.flatnonzero(~ended)
        transferred = np.zeros(L, dtype=bool)
        next_start = np.zeros(L)
        if g.size:
            ai_res = self._agent(g, cid, ch, itn, frd, conn, leg, k, leg_team, cur, out)
            agent[g] = ai_res["agent"]
            ai[g] = ai_res["ai"]
            disp[g] = ai_res["disp"]
            reason[g] = ai_res["reason"]
            disc[g] = ai_res["disc"]
            hold_total[g] = ai_res["hold"]
            solved[g] = ai_res["solved"]
            transferred[g] = ai_res["transferred"]
            next_start[g] = ai_res["next_start"]
            new_team = ai_res["to_team"]
            team[cur[g[ai_res["transferred"]]]] = new_team[ai_res["transferred"]]
            resolved_here = g[ai_res["disp"] == P.RESOLVED]
            out["agent_resolved"][cur[resolved_here]] = True
            out["resolve_t"][cur[resolved_here]] = disc[resolved_here]

        sink.event(cid, P.EV["disconnect"], disc)

        # --- the contact row --------------------------------------------------------------
        ident = identified[cur]
        customer = np.where(ident, cust[cur], NULL)
        intent_col = np.where(intent_known[cur], itn, NULL)
        phone_like = (ch == P.VOICE) | (ch == P.MESSAGING)
        endpoint = np.where(
            phone_like,
            np.where(ident, EP_PHONE, np.where(rng.random(L) < 0.5, EP_RANDOM_PHONE, EP_NONE)),
            np.where(ch == P.EMAIL, np.where(ident, EP_EMAIL, EP_RANDOM_EMAIL), EP_NONE),
        )
        has_case = np.isin(
            itn, (P.INTENT_ID["billing_dispute"], P.INTENT_ID["complaint"], P.INTENT_ID["refund_request"])
        )
        has_case |= disp == P.ESCALATED
        prev = np.full(L, NULL, dtype=np.int64) if is_head else cid - 1
        self.sink.contacts.append(
            {
                "cid": cid,
                "init_cid": head[cur],
                "prev_cid": prev,
                "cust": customer.astype(np.int64),
                "channel": ch.astype(np.int8),
                "method": meth.astype(np.int8),
                "queue": queue.astype(np.int8),
                "agent": agent.astype(np.int64),
                "intent": intent_col.astype(np.int8),
                "init_t": t_init,
                "enq_t": enq,
                "conn_t": conn,
                "disc_t": disc,
                "reason": reason.astype(np.int8),
                "disp": disp.astype(np.int8),
                "endpoint": endpoint.astype(np.int8),
                "ep_cust": cust[cur].astype(np.int64),
                "ep_region": self.w.region[cust[cur]].astype(np.int8),
                "ep_phone": self.w.phone[cust[cur]],
                "ep_first": self.w.name_first[cust[cur]],
                "ep_last": self.w.name_last[cust[cur]],
                "ep_ver": self.w.ver[cust[cur]].copy(),
                "endpoint_rand": rng.integers(0, 10**7, L),
                "case": np.where(has_case, issue[cur], NULL),
                "fraud": frd,
            }
        )

        # --- attempt accumulators ------------------------------------------------------------
        c = cur
        out["end"][c] = np.maximum(out["end"][c], disc)
        out["wait_s"][c] += wait
        out["hold_s"][c] += hold_total
        out["failed_auths"][c] += failed_auths
        out["ai"][c] |= ai
        final = ~transferred
        out["solved"][c[final]] = solved[final]
        out["abandoned"][c[final]] = disp[final] == P.ABANDONED
        out["escalated"][c[final]] = disp[final] == P.ESCALATED
        out["transfers"][c] += transferred

        # --- survey on the final leg of an attempt where a bot or an agent took part -----
        took_part = bot_used | ~np.isnan(conn)
        s = np.flatnonzero(final & took_part & ~frd & (rng.random(L) < P.P_SURVEY))
        if s.size:
            self._surveys(s, cid, customer, ch, disp, disc, k, leg, out, c, ai)
        return cur[transferred], next_start[transferred]

    # ---------------------------------------------------------------------------------------
    def _auth(self, a, frd, deepfake, cid, tt) -> dict:
        rng, sink = self.rng, self.sink
        m = a.size
        f = frd[a]
        dfk = deepfake[a] & f
        method = np.where(
            f,
            np.where(rng.random(m) < 0.85, 0, 1),
            categorical(rng, np.tile([0.78, 0.12, 0.09, 0.01], (m, 1))),
        )
        # 3 = voice biometric whose method label is missing
        bio = (method == 0) | (method == 3)
        noisy = ~f & (rng.random(m) < P.P_NOISY_LINE)
        match = np.where(
            f,
            np.where(dfk, rng.normal(76, 12, m), rng.normal(40, 15, m)),
            rng.normal(84, 9, m),
        )
        synth = np.where(
            dfk,
            rng.beta(7, 2, m),
            np.where(f, rng.beta(2, 7, m), np.where(noisy, rng.beta(5, 2, m), rng.beta(1.5, 14, m))),
        )
        match = np.clip(np.round(match), 0, 100).astype(np.int64)
        synth_i = np.clip(np.round(synth * 100), 0, 100).astype(np.int64)
        result = np.where(match >= 70, 0, np.where(match >= 50, 2, 1))
        kba_pass = rng.random(m) < np.where(f, 0.45, 0.93)
        result = np.where(bio, result, np.where(kba_pass, 0, 1))
        t1 = tt[a] + rng.uniform(10.0, 30.0, m)
        sink.event(
            cid[a],
            P.EV["auth_attempt"],
            t1,
            ATTR_AUTH,
            (
                np.where(method == 3, NULL, method),
                np.where(bio, match, NULL),
                np.where(bio, synth_i, NULL),
                result,
            ),
        )
        fails = (result == 1).astype(np.int64)
        passed = result == 0
        # second factor after a step-up or a failure
        second = ~passed
        s = np.flatnonzero(second)
        t2 = t1.copy()
        if s.size:
            m2 = np.where(result[s] == 2, 2, 1)  # otp after step-up, kba after fail
            ok = rng.random(s.size) < np.where(f[s], 0.35, 0.9)
            r2 = np.where(ok, 0, 1)
            t2[s] = t1[s] + rng.uniform(20.0, 60.0, s.size)
            nulls = np.full(s.size, NULL)
            sink.event(cid[a][s], P.EV["auth_attempt"], t2[s], ATTR_AUTH, (m2, nulls, nulls, r2))
            fails[s] += r2 == 1
            passed[s] = ok
        return {"t": t2 + 1.0, "fails": fails, "passed": passed}

    def _bot(self, b, cid, ch, itn, frd, tt, ended, disp, reason, disc, solved, out, cur) -> None:
        rng, sink = self.rng, self.sink
        m = b.size
        success = (rng.random(m) < P.BOT_SUCCESS[itn[b]]) & ~frd[b]
        rest = rng.random(m)
        handoff = ~success & (rest < P.P_BOT_HANDOFF)
        failed = ~success & ~handoff & (rest < P.P_BOT_HANDOFF + (1 - P.P_BOT_HANDOFF) / 2)
        sink.event(cid[b], P.EV["bot_start"], tt[b])
        n_turns = 1 + rng.binomial(4, 0.45, m)
        rep = np.repeat(np.arange(m), n_turns)
        dur = rng.uniform(8.0, 40.0, rep.size)
        total = np.zeros(m)
        np.add.at(total, rep, dur)
        offs = np.cumsum(dur) - np.repeat(np.cumsum(total) - total, n_turns)
        conf = np.where(success[rep], rng.beta(8, 2, rep.size), rng.beta(3, 3, rep.size))
        conf_i = np.clip(np.round(conf * 100), 0, 100).astype(np.int64)
        sink.event(cid[b][rep], P.EV["bot_turn"], tt[b][rep] + offs, ATTR_BOT_TURN[ch[b][rep], conf_i])
        t_end = tt[b] + total + rng.uniform(2.0, 8.0, m)
        outcome = np.where(success, 0, np.where(failed, 1, 2))
        fin = ~handoff
        sink.event(cid[b][fin], P.EV["bot_end"], t_end[fin], ATTR_BOT_END[outcome[fin]])
        sink.event(cid[b][handoff], P.EV["bot_handoff"], t_end[handoff])
        # a password reset done by the bot
        pr = success & (itn[b] == P.INTENT_ID["password_reset"]) & (rng.random(m) < 0.5)
        sink.event(
            cid[b][pr],
            P.EV["sensitive_action"],
            t_end[pr] - 1.0,
            ATTR_SENSITIVE[P.SENSITIVE_ACTIONS.index("reset_password")],
        )
        tt[b] = t_end + 1.0
        fb = b[fin]
        ended[fb] = True
        disp[fb] = np.where(success[fin], P.RESOLVED, np.where(failed[fin], P.UNRESOLVED, P.ABANDONED))
        reason[fb] = np.where(success[fin], R_BOT_OK, np.where(failed[fin], R_BOT_FAIL, R_CUSTOMER))
        disc[fb] = tt[fb] + 1.0
        solved[fb] = success[fin] & (rng.random(fb.size) >= P.P_BOT_FALSE_SUCCESS)

    def _agent(self, g, cid, ch, itn, frd, conn, leg, k, leg_team, cur, out) -> dict:
        rng, sink = self.rng, self.sink
        m = g.size
        c = conn[g]
        agent = self.w.pick_agents(rng, leg_team[g], self.day)
        ai = rng.random(m) < np.clip(self.p_ai * (0.5 + self.w.agent_ai[agent]), 0, 0.97)
        median = P.HANDLE_MEDIAN_S[ch[g]] * P.HANDLE_MULT[itn[g]] * np.where(ai, P.AI_HANDLE_FACTOR, 1.0)
        handle = np.clip(rng.lognormal(np.log(median), 0.45), 40.0, 3600.0)
        ids = cid[g]
        sink.event(ids, P.EV["agent_connect"], c)
        # holds
        has_hold = rng.random(m) < P.P_HOLD[ch[g]]
        n_hold = np.where(has_hold, 1 + (rng.random(m) < 0.3), 0)
        hold = np.zeros(m)
        for j, (lo, hi, cap) in enumerate(((0.15, 0.45, 0.3), (0.55, 0.7, 0.15))):
            h = np.flatnonzero(n_hold > j)
            if h.size == 0:
                continue
            hs = c[h] + handle[h] * rng.uniform(lo, hi, h.size)
            dur = np.minimum(15.0 + rng.exponential(90.0, h.size), handle[h] * cap)
            sink.event(ids[h], P.EV["hold_start"], hs)
            matched = rng.random(h.size) >= P.P_UNMATCHED_HOLD
            sink.event(ids[h][matched], P.EV["hold_end"], (hs + dur)[matched])
            hold[h] += np.where(matched, dur, c[h] + handle[h] - hs)
        # AI assistance
        a = np.flatnonzero(ai)
        if a.size:
            n_s = 1 + rng.poisson(1.2, a.size)
            rep = np.repeat(a, n_s)
            ts = c[rep] + handle[rep] * rng.uniform(0.1, 0.85, rep.size)
            acc = (rng.random(rep.size) < 0.65).astype(np.int64)
            sink.event(ids[rep], P.EV["ai_suggestion"], ts, ATTR_AI_SUGGESTION[acc])
            summary_t = c[a] + handle[a] - rng.uniform(1.0, 5.0, a.size)
            sink.event(ids[a], P.EV["ai_summary"], summary_t, ATTR_AI_SUMMARY)
        # sensitive actions
        f = frd[g]
        action = np.full(m, NULL)
        acct = itn[g] == P.INTENT_ID["account_update"]
        u = rng.random(m)
        action = np.where(acct & (u < 0.4), 0, np.where(acct & (u < 0.6), 1, action))
        action = np.where((itn[g] == P.INTENT_ID["password_reset"]) & (u < 0.5), 4, action)
        passed = self._auth_passed_for(cur[g])
        does_fraud = f & (passed | (rng.random(m) < 0.3)) & (rng.random(m) < 0.8)
        fraud_action = categorical(rng, np.tile([0.2, 0.15, 0.35, 0.3, 0.0], (m, 1)))
        action = np.where(does_fraud, fraud_action, np.where(f, NULL, action))
        act = np.flatnonzero(action >= 0)
        if act.size:
            ta = c[act] + handle[act] * rng.uniform(0.4, 0.7, act.size)
            sink.event(ids[act], P.EV["sensitive_action"], ta, ATTR_SENSITIVE[action[act]])
            att = cur[g[act]]
            out["actions"][att] |= 1 << action[act]
            out["action_cid"][att] = ids[act]
            second = np.flatnonzero(does_fraud[act] & (rng.random(act.size) < 0.4))
            if second.size:
                a2 = act[second]
                act2 = np.where(action[a2] == 3, 2, 3)
                t2 = ta[second] + np.minimum(20.0, 0.2 * handle[a2])
                sink.event(ids[a2], P.EV["sensitive_action"], t2, ATTR_SENSITIVE[act2])
                out["actions"][cur[g[a2]]] |= 1 << act2
        # outcome
        transferred = (rng.random(m) < P.P_TRANSFER[ch[g]]) & (leg < P.MAX_LEGS - 1) & ~f
        p_res = np.clip(P.AGENT_RESOLVE[itn[g]] + P.AI_RESOLVE_UPLIFT * ai + 0.04 * k, 0.0, 0.97)
        p_res = np.where(f, 0.9, p_res)
        u = rng.random(m)
        resolved = u < p_res
        escalated = ~resolved & (rng.random(m) < 0.3)
        disp = np.where(resolved, P.RESOLVED, np.where(escalated, P.ESCALATED, P.UNRESOLVED))
        disp = np.where(transferred, P.TRANSFERRED, disp)
        reason = np.where(rng.random(m) < 0.6, R_AGENT, R_CUSTOMER)
        reason = np.where(transferred, R_TRANSFERRED, reason)
        false_res = rng.random(m) < np.where(ai, P.AI_FALSE_RESOLVED, P.P_AGENT_FALSE_RESOLVED)
        solved = resolved & ~transferred & ~false_res
        t_end = c + handle
        consult = transferred & (rng.random(m) < P.P_CONSULT)
        disc = np.where(consult, t_end + rng.uniform(30.0, 120.0, m), t_end + 1.0)
        disc = np.where(transferred, disc, t_end)
        tr = np.flatnonzero(transferred)
        to_team = (leg_team[g] + rng.integers(1, len(P.TEAMS), m)) % len(P.TEAMS)
        if tr.size:
            to_queue = np.where(ch[g][tr] == P.VOICE, 0, len(P.TEAMS)) + to_team[tr]
            sink.event(ids[tr], P.EV["transfer"], t_end[tr] - 1.0, ATTR_TRANSFER[to_queue])
        return {
            "agent": agent,
            "ai": ai,
            "disp": disp,
            "reason": reason,
            "disc": disc,
            "hold": hold,
            "solved": solved,
            "transferred": transferred,
            "next_start": t_end + 2.0,
            "to_team": to_team,
        }

    def _auth_passed_for(self, attempt_rows: np.ndarray) -> np.ndarray:
        return self._auth_passed[attempt_rows]

    def _surveys(self, s, cid, customer, ch, disp, disc, k, leg, out, c, ai) -> None:
        rng = self.rng
        m = s.size
        att = c[s]
        resolved = disp[s] == P.RESOLVED
        x = (
            0.60
            + 0.30 * resolved
            - 0.07 * k
            - 0.05 * leg
            - 0.012 * out["wait_s"][att] / 60.0
            - 0.02 * out["hold_s"][att] / 60.0
            - 0.06 * out["failed_auths"][att]
            + 0.03 * ai[s]
            + rng.normal(0.0, 0.16, m)
        )
        x = np.clip(x, 0.0, 1.0)
        stype = rng.choice(3, size=m, p=P.SURVEY_TYPE_P)
        ten = (stype == P.CSAT) & np.isin(ch[s], (P.MESSAGING, P.WEB))
        smin = np.where(stype == P.NPS, 0.0, 1.0)
        smax = np.where(stype == P.CSAT, np.where(ten, 10.0, 5.0), np.where(stype == P.CES, 7.0, 10.0))
        nps_noise = np.where(stype == P.NPS, rng.normal(0.0, 0.08, m), 0.0)
        score = smin + np.round(np.clip(x + nps_noise, 0, 1) * (smax - smin))
        cust = customer[s]
        link = (cust >= 0) & (rng.random(m) < P.P_SURVEY_EMAIL_LINK)
        delay = np.where(
            link,
            rng.uniform(2 * 3600.0, 3 * P.SECONDS_PER_DAY, m),
            rng.uniform(20.0, 900.0, m),
        )
        self.sink.surveys.append(
            {
                "rid": cid[s],
                "cid": np.where(link, NULL, cid[s]),
                "cust": cust.astype(np.int64),
                "stype": stype.astype(np.int8),
                "score": score,
                "smin": smin,
                "smax": smax,
                "resp_t": disc[s] + delay,
            }
        )
