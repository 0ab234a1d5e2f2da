"""The simulated world (customers, agents, subscriptions) and its day-by-day evolution.

``Simulation.step(day)`` advances the world by one day and returns the numeric rows it produced,
each with its ``load_t`` (the ``_loaded_at`` instant). Day ``d`` uses its own random stream
(seeded by ``(seed, d)``) and the state left by days ``< d``, so the rows of the first ``N``
days never depend on how many days are simulated in total.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np

from scripts.simulation import params as P
from scripts.simulation.contacts import NULL, Journeys, categorical, time_of_day
from scripts.simulation.journeys import JourneySimulator
from scripts.simulation.tables import TABLE_INDEX

DAY = P.SECONDS_PER_DAY
EVENT_BASE = ("cid", "etype", "t", "attr")
EVENT_AUTH = ("a_method", "a_match", "a_synth", "a_result")
TABLES = tuple(TABLE_INDEX)  # the raw contract's tables, in its order


def epoch_seconds(date: dt.date) -> float:
    return float(dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp())


def load_lag(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds from an event to its _loaded_at: minutes to hours, ~1 % one to three days late."""
    lag = np.clip(rng.lognormal(np.log(P.LOAD_LAG_MEDIAN_S), 1.0, n), 30.0, 18 * 3600.0)
    late = rng.random(n) < P.P_LATE
    return lag + np.where(late, rng.uniform(1.0, 3.0, n) * DAY, 0.0)


def crm_lag(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.uniform(60.0, 1800.0, n)


def bernoulli_subset(rng: np.random.Generator, n: int, p: float) -> np.ndarray:
    """Sorted indices in [0, n), each included independently with probability p, in O(p·n).

    Geometric gaps between successes (the same law as one uniform per index, without touching
    every index): used for rare per-customer events on large populations.
    """
    if n <= 0 or p <= 0:
        return np.zeros(0, dtype=np.int64)
    parts = []
    pos = -1
    while True:
        m = int(n * p + 6 * np.sqrt(n * p) + 16)
        idx = pos + np.cumsum(rng.geometric(p, m))
        parts.append(idx[idx < n])
        if idx[-1] >= n:
            break
        pos = int(idx[-1])
    return np.concatenate(parts).astype(np.int64)


class Grow:
    """Column arrays with amortised appends (the subscription book grows with win-backs)."""

    def __init__(self, **cols: np.ndarray) -> None:
        self.n = len(next(iter(cols.values())))
        self.cols = {k: v.copy() for k, v in cols.items()}

    def __getattr__(self, key: str) -> np.ndarray:
        cols = self.__dict__.get("cols")
        if cols is None or key not in cols:
            raise AttributeError(key)
        return cols[key][: self.n]

    def append(self, **cols: np.ndarray) -> np.ndarray:
        m = len(next(iter(cols.values())))
        need = self.n + m
        for k, v in self.cols.items():
            if len(v) < need:
                bigger = np.empty(max(need, 2 * len(v) + 16), dtype=v.dtype)
                bigger[: self.n] = v[: self.n]
                self.cols[k] = bigger
            self.cols[k][self.n : need] = cols[k]
        idx = np.arange(self.n, need)
        self.n = need
        return idx


class Simulation:
    """Deterministic function of (seed, customers, start_date), advanced one day at a time."""

    def __init__(self, seed: int, n_customers: int, start_date: dt.date) -> None:
        self.seed = seed
        self.start = start_date
        self.start_s = epoch_seconds(start_date)
        rng = np.random.default_rng([seed, 0])
        n = n_customers
        self.n = n
        # --- customers ------------------------------------------------------------------
        self.seg = rng.choice(3, n, p=P.SEGMENT_SHARE)
        self.region = rng.choice(len(P.REGIONS), n, p=P.REGION_SHARE)
        self.pref = rng.choice(6, n, p=P.PREFERRED_SHARE)
        self.pref = np.where(self.pref == 5, NULL, self.pref)
        new = rng.random(n) < P.SHARE_NEW_CUSTOMERS
        self.created = np.floor(
            np.where(
                new,
                self.start_s + rng.uniform(0, 365 * DAY, n),
                self.start_s - rng.uniform(30 * DAY, 5 * 365 * DAY, n),
            )
        )
        self.name_first = rng.integers(0, 1 << 16, n)
        self.name_last = rng.integers(0, 1 << 16, n)
        self.phone = rng.integers(0, 10**7, n)
        self.ver = np.zeros(n, dtype=np.int64)
        self.cust_upd = self.created.copy()
        self.sat = rng.beta(5.0, 2.5, n)
        self.risk = np.ones(n)
        self.risk_until = np.full(n, -1)
        self.n_subs = np.zeros(n, dtype=np.int64)
        self.created_day = np.floor((self.created - self.start_s) / DAY).astype(np.int64)
        # history: an older CRM version (different preferred channel) for some existing ones
        existing = ~new
        self.hist = existing & (rng.random(n) < P.SHARE_PRE_HISTORY)
        self.hist_pref = np.where(
            self.hist, (np.where(self.pref < 0, 0, self.pref) + rng.integers(1, 5, n)) % 5, NULL
        )
        self.hist_t = np.floor(
            self.created + rng.random(n) * np.maximum(self.start_s - 3600 - self.created, 1.0)
        )
        self.cust_upd = np.where(self.hist, self.hist_t, self.created)
        # --- subscriptions --------------------------------------------------------------
        n_sub = 1 + (rng.random(n) < P.P_SECOND_SUB[self.seg])
        cust = np.repeat(np.arange(n), n_sub)
        k = (np.arange(len(cust)) - np.repeat(np.cumsum(n_sub) - n_sub, n_sub)).astype(np.int64)
        plan = self._draw_plan(rng, self.seg[cust])
        created = self.created[cust]
        is_new = new[cust]
        start = np.where(
            (k == 0) | is_new,
            created + rng.uniform(0, 3600, len(cust)),
            created + rng.random(len(cust)) * np.maximum(self.start_s - created - DAY, 0),
        )
        start = np.floor(start)
        cur = P.REGION_CURRENCY[self.region[cust]]
        # some existing subscriptions were cancelled before the start
        pre_cancel = ~is_new & (rng.random(len(cust)) < 0.05)
        cancel = np.where(
            pre_cancel,
            np.floor(start + rng.random(len(cust)) * np.maximum(self.start_s - start - 60, 1)),
            np.inf,
        )
        self.subs = Grow(
            cust=cust,
            k=k,
            plan=plan,
            mrr=self._price_cents(plan, cur),
            cur=cur,
            start=start,
            cancel=cancel,
            reason=np.where(pre_cancel, rng.integers(0, 5, len(cust)), NULL),
            upd=np.where(pre_cancel, cancel, start),
        )
        self.n_subs = np.bincount(cust, minlength=n).astype(np.int64)
        self._n_init_subs = len(cust)
        # active subscriptions per customer at the start of the current day, kept up to date
        # with +1 / -1 deltas on the day a subscription starts / its cancellation takes effect
        self.active_subs = np.zeros(n, dtype=np.int64)
        self._applied_day = -1
        self.deltas: dict[int, list[tuple[np.ndarray, np.ndarray]]] = defaultdict(list)
        self._delta(cust, start, +1)
        finite = np.isfinite(cancel)
        self._delta(cust[finite], cancel[finite], -1)
        newcomers = np.flatnonzero(self.created_day >= 0)
        order = np.argsort(self.created_day[newcomers], kind="stable")
        self._new_by_day = newcomers[order]
        self._new_days = self.created_day[self._new_by_day]
        # --- agents -------------------------------------------------------------------------
        m = max(8, round(n / 40))
        self.n_agents = m
        hired_new = rng.random(m) < 0.10
        self.agent_hired = np.floor(
            np.where(
                hired_new,
                self.start_s + rng.uniform(0, 365 * DAY, m),
                self.start_s - rng.uniform(30 * DAY, 8 * 365 * DAY, m),
            )
        )
        self.agent_team0 = rng.choice(len(P.TEAMS), m, p=P.TEAM_SHARE)
        self.agent_team0[: len(P.TEAMS)] = np.arange(len(P.TEAMS))  # every team staffed
        self.agent_hired[: len(P.TEAMS)] = np.minimum(
            self.agent_hired[: len(P.TEAMS)], self.start_s - 90 * DAY
        )
        self.agent_site = rng.integers(0, len(P.SITES), m)
        self.agent_name_first = rng.integers(0, 1 << 16, m)
        self.agent_name_last = rng.integers(0, 1 << 16, m)
        self.agent_ai = rng.random(m)
        changes = (rng.random(m) < 0.06) & (np.arange(m) >= len(P.TEAMS))
        self.agent_change_t = np.where(changes, np.floor(self.start_s + rng.uniform(1, 365, m) * DAY), np.inf)
        self.agent_team1 = (self.agent_team0 + rng.integers(1, len(P.TEAMS), m)) % len(P.TEAMS)
        self.pending: dict[int, list[tuple[str, dict]]] = defaultdict(list)
        self._agent_cache: tuple[int, np.ndarray, np.ndarray, np.ndarray] | None = None

    # ---------------------------------------------------------------------------------------
    @staticmethod
    def _draw_plan(rng: np.random.Generator, seg: np.ndarray) -> np.ndarray:
        weights = np.where(P.PLAN_SEGMENT[None, :] == seg[:, None], P.PLAN_WEIGHT[None, :], 0.0)
        return categorical(rng, weights)

    @staticmethod
    def _price_cents(plan: np.ndarray, cur: np.ndarray) -> np.ndarray:
        return np.round(P.PLAN_PRICE[plan] * P.CURRENCY_PRICE_FACTOR[cur] * 100).astype(np.int64)

    def day_start(self, day: int) -> float:
        return self.start_s + day * DAY

    def _delta(self, cust: np.ndarray, t: np.ndarray, sign: int) -> None:
        """Count ``cust``'s subscription as active from the first day start at or after ``t``
        (sign +1: it starts at t) or no longer (sign -1: it is cancelled at t)."""
        day = np.ceil((t - self.start_s) / DAY).astype(np.int64)
        day = np.maximum(day, self._applied_day + 1)  # never a day already applied
        for d in np.unique(day):
            sel = day == d
            self.deltas[int(d)].append((cust[sel], np.full(int(sel.sum()), sign)))

    def active_customers(self, day: int) -> np.ndarray:
        """Customers with a subscription active at the start of ``day`` (days in order)."""
        for cust, sign in self.deltas.pop(day, []):
            np.add.at(self.active_subs, cust, sign)
        self._applied_day = day
        return self.active_subs > 0

    def agent_team_at(self, t: float) -> np.ndarray:
        return np.where(t >= self.agent_change_t, self.agent_team1, self.agent_team0)

    def pick_agents(self, rng: np.random.Generator, teams: np.ndarray, day: int) -> np.ndarray:
        if self._agent_cache is None or self._agent_cache[0] != day:
            t = self.day_start(day)
            eligible = np.flatnonzero(self.agent_hired <= t)
            team = self.agent_team_at(t)[eligible]
            order = np.argsort(team, kind="stable")
            by_team = eligible[order]
            counts = np.bincount(team, minlength=len(P.TEAMS))
            self._agent_cache = (day, by_team, np.cumsum(counts) - counts, counts)
        _, by_team, offsets, counts = self._agent_cache
        cnt = counts[teams]
        u = rng.random(len(teams))
        pick = offsets[teams] + np.floor(u * np.maximum(cnt, 1)).astype(np.int64)
        fallback = np.floor(u * len(by_team)).astype(np.int64)
        return by_team[np.where(cnt > 0, pick, fallback)]

    # ---------------------------------------------------------------------------------------
    def initial_rows(self) -> dict[str, list[dict]]:
        """The first load (day 0): CRM state as of the start date."""
        rng = np.random.default_rng([self.seed, 2])
        t0 = self.start_s
        out: dict[str, list[dict]] = defaultdict(list)
        ex = np.flatnonzero(self.created < t0)
        h = ex[self.hist[ex]]
        old = self._customer_rows(h, self.created[h], t0 + rng.uniform(3600, 3 * 3600, len(h)))
        old["pref"] = self.hist_pref[h].astype(np.int8)  # the older version's preference
        out["customers"].append(old)
        cur_t = np.where(self.hist[ex], self.hist_t[ex], self.created[ex])
        out["customers"].append(self._customer_rows(ex, cur_t, t0 + rng.uniform(3600, 3 * 3600, len(ex))))
        # subscriptions that existed before the start (one version, or two after a plan change)
        s = self.subs
        pre = np.flatnonzero(s.start < t0)
        changed = pre[(rng.random(len(pre)) < 0.10) & (s.cancel[pre] == np.inf)]
        if len(changed):
            old_plan = np.where(
                (s.plan[changed] > 0) & (P.PLAN_SEGMENT[np.maximum(s.plan[changed] - 1, 0)]
                                         == P.PLAN_SEGMENT[s.plan[changed]]),
                s.plan[changed] - 1,
                s.plan[changed],
            )  # fmt: skip
            mid = np.floor(s.start[changed] + (t0 - s.start[changed]) * rng.uniform(0.2, 0.9))
            rows = self._sub_rows(changed, mid, t0 + rng.uniform(3600, 3 * 3600, len(changed)))
            rows["upd_t"] = s.start[changed]
            rows["plan"] = old_plan.astype(np.int8)
            rows["mrr"] = self._price_cents(old_plan, s.cur[changed])
            out["subscriptions"].append(rows)
            s.cols["upd"][changed] = mid
        out["subscriptions"].append(
            self._sub_rows(pre, s.upd[pre], t0 + rng.uniform(3600, 3 * 3600, len(pre)))
        )
        ag = np.flatnonzero(self.agent_hired < t0)
        out["agents"].append(self._agent_rows(ag, t0, t0 + rng.uniform(3600, 3 * 3600, len(ag))))
        return out

    def _customer_rows(self, idx, upd_t, load_t) -> dict:
        return {
            "cust": idx.astype(np.int64),
            "seg": self.seg[idx].astype(np.int8),
            "region": self.region[idx].astype(np.int8),
            "pref": self.pref[idx].astype(np.int8),
            "ver": self.ver[idx].copy(),
            "first": self.name_first[idx],
            "last": self.name_last[idx],
            "phone": self.phone[idx],
            "created_t": self.created[idx],
            "upd_t": np.asarray(upd_t, dtype=np.float64),
            "load_t": np.asarray(load_t, dtype=np.float64),
        }

    def _sub_rows(self, idx, upd_t, load_t) -> dict:
        s = self.subs
        return {
            "sub": s.cust[idx] * 10 + s.k[idx],
            "cust": s.cust[idx].astype(np.int64),
            "plan": s.plan[idx].astype(np.int8),
            "mrr": s.mrr[idx].copy(),
            "cur": s.cur[idx].astype(np.int8),
            "start_t": s.start[idx].copy(),
            "cancel_t": np.where(np.isinf(s.cancel[idx]), np.nan, s.cancel[idx]),
            "reason": s.reason[idx].astype(np.int8),
            "upd_t": np.asarray(upd_t, dtype=np.float64),
            "load_t": np.asarray(load_t, dtype=np.float64),
        }

    def _agent_rows(self, idx, t, load_t) -> dict:
        return {
            "agent": idx.astype(np.int64),
            "team": self.agent_team_at(t)[idx].astype(np.int8),
            "site": self.agent_site[idx].astype(np.int8),
            "first": self.agent_name_first[idx],
            "last": self.agent_name_last[idx],
            "hired_t": self.agent_hired[idx].copy(),
            "load_t": np.asarray(load_t, dtype=np.float64),
        }

    # ---------------------------------------------------------------------------------------
    def step(self, day: int) -> dict[str, list[dict]]:
        """Advance the world by ``day`` (0-based) and return the rows it produced."""
        rng = np.random.default_rng([self.seed, 1, day])
        t0 = self.day_start(day)
        t1 = t0 + DAY
        out: dict[str, list[dict]] = defaultdict(list)
        if day == 0:
            for table, batches in self.initial_rows().items():
                out[table].extend(batches)
        active = self._crm_background(rng, day, t0, t1, out)
        self._orders(rng, day, t0, active, out)
        sim = self._issues(rng, day, t0, active)
        sink = sim.sink
        self._contact_rows(rng, sink, out)
        self._unrelated_fraud(rng, day, t0, active, out)
        for kind, arrs in sim.effects:
            self._schedule(day, kind, arrs)
        self._apply_effects(rng, day, t0, t1, out)
        return out

    def customers_with_scheduled_account_update(self) -> np.ndarray:
        """Customers whose CRM version (phone, e-mail) an account update already scheduled for a
        later day will change."""
        parts = [
            arrs["cust"]
            for scheduled in self.pending.values()
            for kind, arrs in scheduled
            if kind == "account_update"
        ]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)

    def _schedule(self, day: int, kind: str, arrs: dict) -> None:
        days = np.floor((arrs["t"] - self.start_s) / DAY).astype(np.int64)
        days = np.maximum(days, day)
        for d in np.unique(days):
            sel = days == d
            self.pending[int(d)].append((kind, {k: v[sel] for k, v in arrs.items()}))

    # ---------------------------------------------------------------------------------------
    def _crm_background(self, rng, day, t0, t1, out) -> np.ndarray:
        """Today's CRM changes; returns which customers are active at the start of the day."""
        active = self.active_customers(day)
        # customers created today: their first CRM version and subscriptions
        new = self._new_by_day[np.searchsorted(self._new_days, day, "left") :
                               np.searchsorted(self._new_days, day, "right")]  # fmt: skip
        if len(new):
            out["customers"].append(
                self._customer_rows(new, self.created[new], self.created[new] + crm_lag(rng, len(new)))
            )
            s = self.subs
            init_cust = s.cust[: self._n_init_subs]  # the initial book is sorted by customer
            lo = np.searchsorted(init_cust, new, "left")
            hi = np.searchsorted(init_cust, new, "right")
            subs = np.concatenate([np.arange(a, b) for a, b in zip(lo, hi, strict=True)])
            out["subscriptions"].append(
                self._sub_rows(subs, s.upd[subs], s.upd[subs] + crm_lag(rng, len(subs)))
            )
        # agents hired today, and agents moving team (re-delivered with the same agent_id)
        hired = np.flatnonzero((self.agent_hired >= t0) & (self.agent_hired < t1))
        if len(hired):
            out["agents"].append(
                self._agent_rows(hired, t1, self.agent_hired[hired] + crm_lag(rng, len(hired)))
            )
        moved = np.flatnonzero(
            (self.agent_change_t >= t0) & (self.agent_change_t < t1) & (self.agent_hired < t0)
        )
        if len(moved):
            out["agents"].append(
                self._agent_rows(moved, t1, self.agent_change_t[moved] + crm_lag(rng, len(moved)))
            )
        # drift of preferred channel and segment upgrades (rare: drawn by thinning)
        p_drift, p_upgrade = 0.0004, 0.00003
        cand = bernoulli_subset(rng, self.n, p_drift + p_upgrade)
        cand = cand[self.created[cand] < t0]
        u = rng.random(len(cand)) * (p_drift + p_upgrade)
        drift = cand[u < p_drift]
        upgrade = cand[(u >= p_drift) & (self.seg[cand] == 0)]
        if len(drift):
            self.pref[drift] = rng.choice(6, len(drift), p=P.PREFERRED_SHARE)
            self.pref[drift] = np.where(self.pref[drift] == 5, NULL, self.pref[drift])
        self.seg[upgrade] = 1
        changed = np.concatenate([drift, upgrade])
        if len(changed):
            t = np.maximum(t0 + time_of_day(rng, len(changed)), self.cust_upd[changed] + 1)
            t = np.floor(t)
            self.cust_upd[changed] = t
            out["customers"].append(self._customer_rows(changed, t, t + crm_lag(rng, len(changed))))
        # baseline cancellations (hazard raised after bad journeys), drawn by thinning
        s = self.subs
        h_max = P.CANCEL_HAZARD.max() * P.MAX_RISK
        cand = bernoulli_subset(rng, s.n, h_max)
        cand = cand[(s.start[cand] <= t0) & np.isinf(s.cancel[cand])]
        c = s.cust[cand]
        hz = P.CANCEL_HAZARD[self.seg[c]] * np.where(self.risk_until[c] >= day, self.risk[c], 1.0)
        cancel = cand[rng.random(len(cand)) * h_max < hz]
        if len(cancel):
            t = np.floor(t0 + time_of_day(rng, len(cancel)))
            reason = rng.integers(0, 5, len(cancel))
            self._cancel_subs(rng, cancel, t, reason, out)
        win = bernoulli_subset(rng, self.n, P.P_WINBACK_PER_DAY)
        win = win[~active[win] & (self.created[win] < t0) & (self.n_subs[win] > 0) & (self.n_subs[win] < 10)]
        if len(win):
            t = np.floor(t0 + time_of_day(rng, len(win)))
            plan = self._draw_plan(rng, self.seg[win])
            cur = P.REGION_CURRENCY[self.region[win]]
            idx = self.subs.append(
                cust=win,
                k=self.n_subs[win],
                plan=plan,
                mrr=self._price_cents(plan, cur),
                cur=cur,
                start=t,
                cancel=np.full(len(win), np.inf),
                reason=np.full(len(win), NULL),
                upd=t,
            )
            self.n_subs[win] += 1
            self._delta(win, t, +1)
            out["subscriptions"].append(self._sub_rows(idx, t, t + crm_lag(rng, len(win))))
        return active

    def _cancel_subs(self, rng, subs, t, reason, out) -> None:
        s = self.subs
        t = np.maximum(t, s.upd[subs] + 1)
        scheduled = rng.random(len(subs)) < 0.4
        when = np.floor(np.where(scheduled, t + rng.uniform(1, 30, len(subs)) * DAY, t))
        s.cols["cancel"][subs] = when
        self._delta(s.cust[subs], when, -1)
        s.cols["reason"][subs] = reason
        s.cols["upd"][subs] = t
        out["subscriptions"].append(self._sub_rows(subs, t, t + crm_lag(rng, len(subs))))

    def _orders(self, rng, day, t0, active, out) -> None:
        weekend = (self.start + dt.timedelta(days=day)).weekday() >= 5
        p_max = P.ORDER_RATE.max() / 0.7**2  # satisfaction is at most 1
        cand = bernoulli_subset(rng, self.n, p_max)
        cand = cand[self.created[cand] < t0]
        rate = (
            P.ORDER_RATE[self.seg[cand]]
            * (self.sat[cand] / 0.7) ** 2
            * np.where(active[cand], 1.0, 0.1)
            * (0.8 if weekend else 1.0)
        )
        who = cand[rng.random(len(cand)) * p_max < rate]
        m = len(who)
        if m == 0:
            return
        t = np.floor(t0 + time_of_day(rng, m))
        amount = np.round(rng.lognormal(np.log(P.ORDER_MEDIAN[self.seg[who]]), 0.6) * 100)
        out["orders"].append(
            {
                "oid": day * 10**8 + who.astype(np.int64),
                "cust": who.astype(np.int64),
                "t": t,
                "amount": amount.astype(np.int64),
                "cur": P.REGION_CURRENCY[self.region[who]].astype(np.int8),
                "status": rng.choice(3, m, p=P.ORDER_STATUS_P).astype(np.int8),
                "load_t": t + load_lag(rng, m),
            }
        )

    def _issues(self, rng, day, t0, active) -> JourneySimulator:
        weekend = (self.start + dt.timedelta(days=day)).weekday() >= 5
        wk = P.WEEKEND_FACTOR if weekend else 1.0
        outage = rng.random() < P.P_OUTAGE_DAY
        outage_region = int(rng.integers(0, len(P.REGIONS)))
        p_max = P.ISSUE_RATE.max() * 1.5
        cand = bernoulli_subset(rng, self.n, p_max)
        cand = cand[self.created[cand] < t0]
        rate = P.ISSUE_RATE[self.seg[cand]] * wk * np.where(active[cand], 1.0, P.INACTIVE_ISSUE_FACTOR)
        extra = np.where(outage & (self.region[cand] == outage_region), 0.5 * rate, 0.0)
        u = rng.random(len(cand)) * p_max
        hit = u < rate + extra
        who = cand[hit]
        is_outage = u[hit] >= rate[hit]
        intent = rng.choice(len(P.INTENTS), len(who), p=P.INTENT_MIX)
        intent = np.where(
            is_outage,
            np.where(
                rng.random(len(who)) < 0.8, P.INTENT_ID["outage_report"], P.INTENT_ID["technical_issue"]
            ),
            intent,
        )
        t_issue = t0 + time_of_day(rng, len(who))
        # fraudsters impersonating active customers
        targets = bernoulli_subset(rng, self.n, P.FRAUD_RATE)
        targets = targets[active[targets] & (self.created[targets] < t0)]
        n_f = len(targets)
        f_intent = np.where(
            rng.random(n_f) < 0.6, P.INTENT_ID["account_update"], P.INTENT_ID["password_reset"]
        )
        j = Journeys(
            customer=np.concatenate([who, targets]).astype(np.int64),
            intent=np.concatenate([intent, f_intent]).astype(np.int64),
            arises_at=np.concatenate([t_issue, t0 + time_of_day(rng, n_f)]),
            fraud=np.concatenate([np.zeros(len(who), bool), np.ones(n_f, bool)]),
            deepfake=np.concatenate([np.zeros(len(who), bool), rng.random(n_f) < P.P_DEEPFAKE]),
        )
        sim = JourneySimulator(self, day, rng, 1.3 if outage else 1.0)
        sim.run(j)
        return sim

    def _contact_rows(self, rng, sink, out) -> None:
        if not sink.contacts:
            return
        c = {k: np.concatenate([b[k] for b in sink.contacts]) for k in sink.contacts[0]}
        n = len(c["cid"])
        c["load_t"] = np.floor(c["disc_t"]) + load_lag(rng, n)
        out["contacts"].append(c)
        if sink.events:
            e = {k: np.concatenate([b[k] for b in sink.events]) for k in EVENT_BASE}
            sizes = np.array([len(b["cid"]) for b in sink.events])
            offsets = np.cumsum(sizes) - sizes
            for key in EVENT_AUTH:
                col = np.full(int(sizes.sum()), NULL, dtype=np.int16)
                for off, b in zip(offsets, sink.events, strict=True):
                    if key in b:
                        col[off : off + len(b[key])] = b[key]
                e[key] = col
            order = np.lexsort((P.EVENT_ORDER[e["etype"]], np.floor(e["t"]), e["cid"]))
            e = {k: v[order] for k, v in e.items()}
            counts = np.unique(e["cid"], return_counts=True)[1]
            e["seq"] = np.arange(len(e["cid"])) - np.repeat(np.cumsum(counts) - counts, counts) + 1
            assert e["seq"].max() < 100, "event ids hold two digits of sequence per contact"
            corder = np.argsort(c["cid"])
            pos = corder[np.searchsorted(c["cid"], e["cid"], sorter=corder)]
            per_contact = rng.uniform(0, 600, n) + np.where(
                rng.random(n) < P.P_LATE / 2, rng.uniform(1, 2, n) * DAY, 0.0
            )
            e["load_t"] = c["load_t"][pos] + per_contact[pos]
            out["contact_events"].append(e)
        if sink.surveys:
            s = {k: np.concatenate([b[k] for b in sink.surveys]) for k in sink.surveys[0]}
            s["load_t"] = np.floor(s["resp_t"]) + load_lag(rng, len(s["rid"]))
            out["survey_responses"].append(s)
        if sink.fraud_cases:
            f = {k: np.concatenate([b[k] for b in sink.fraud_cases]) for k in sink.fraud_cases[0]}
            f["load_t"] = np.floor(f["rep_t"]) + load_lag(rng, len(f["fid"]))
            out["fraud_cases"].append(f)

    def _unrelated_fraud(self, rng, day, t0, active, out) -> None:
        who = bernoulli_subset(rng, self.n, P.UNRELATED_FRAUD_RATE)
        who = who[active[who]]
        m = len(who)
        if m == 0:
            return
        t = np.floor(t0 + time_of_day(rng, m))
        confirmed = rng.random(m) < 0.7
        loss = np.where(confirmed, np.round(rng.lognormal(np.log(250), 0.8, m) * 100), 0)
        out["fraud_cases"].append(
            {
                "fid": ((day * 10**8 + who.astype(np.int64)) * 10 + 2) * 10,
                "cust": who.astype(np.int64),
                "cid": np.full(m, NULL, dtype=np.int64),
                "rep_t": t,
                "ftype": np.full(m, 3, dtype=np.int8),
                "confirmed": confirmed,
                "loss": loss.astype(np.int64),
                "load_t": t + load_lag(rng, m),
            }
        )

    # ---------------------------------------------------------------------------------------
    def _apply_effects(self, rng, day, t0, t1, out) -> None:
        """Apply the journey consequences that fall on this day, in a fixed order."""
        due = self.pending.pop(day, [])
        by_kind: dict[str, list[dict]] = defaultdict(list)
        for kind, arrs in due:
            by_kind[kind].append(arrs)
        for kind in ("experience", "cancel", "save_offer", "plan_change", "account_update"):
            if kind not in by_kind:
                continue
            arrs = {k: np.concatenate([a[k] for a in by_kind[kind]]) for k in by_kind[kind][0]}
            order = np.lexsort((arrs["cust"], arrs["t"]))
            arrs = {k: v[order] for k, v in arrs.items()}
            # one change per customer and kind per day; the rest move to the next day
            _, first = np.unique(arrs["cust"], return_index=True)
            keep = np.zeros(len(arrs["cust"]), dtype=bool)
            keep[first] = True
            if (~keep).any():
                rest = {k: v[~keep] for k, v in arrs.items()}
                rest["t"] = np.full((~keep).sum(), t1 + 60.0)
                self.pending[day + 1].append((kind, rest))
            arrs = {k: v[keep] for k, v in arrs.items()}
            getattr(self, f"_effect_{kind}")(rng, day, arrs, out)

    def _effect_experience(self, rng, day, a, out) -> None:
        c = a["cust"]
        self.sat[c] = 0.6 * self.sat[c] + 0.4 * a["x"]
        still = self.risk_until[c] >= day
        self.risk[c] = np.where(still, np.maximum(self.risk[c], a["risk"]), a["risk"])
        self.risk_until[c] = day + P.RISK_DAYS

    def _subs_of(self, cust: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """All subscriptions of the (distinct) customers ``cust``: (subscription, position in
        ``cust``), ordered by subscription. The initial book is sorted by customer; win-backs
        are appended after it."""
        s = self.subs
        n0 = self._n_init_subs
        init_cust = s.cust[:n0]
        lo = np.searchsorted(init_cust, cust, "left")
        counts = np.searchsorted(init_cust, cust, "right") - lo
        rec = np.repeat(np.arange(len(cust)), counts)
        sub = np.repeat(lo, counts) + (np.arange(len(rec)) - np.repeat(np.cumsum(counts) - counts, counts))
        if s.n > n0:
            app = np.arange(n0, s.n)
            order = np.argsort(cust)
            pos = np.minimum(np.searchsorted(cust[order], s.cust[app]), len(cust) - 1)
            hit = cust[order][pos] == s.cust[app]
            sub = np.concatenate([sub, app[hit]])
            rec = np.concatenate([rec, order[pos[hit]]])
        order = np.argsort(sub, kind="stable")
        return sub[order], rec[order]

    def _first_active_sub(self, cust: np.ndarray, t: np.ndarray, all_subs: np.ndarray | None):
        """Subscriptions of ``cust`` active at ``t`` and not yet cancelled (first one, or all)."""
        cand, rr = self._subs_of(cust)
        s = self.subs
        ok = (s.start[cand] <= t[rr]) & np.isinf(s.cancel[cand])
        cand, rr = cand[ok], rr[ok]
        if all_subs is None:
            _, first = np.unique(rr, return_index=True)
            return cand[first], rr[first]
        _, first = np.unique(rr, return_index=True)
        take = np.zeros(len(cand), dtype=bool)
        take[first] = True
        take |= all_subs[rr].astype(bool)
        return cand[take], rr[take]

    def _effect_cancel(self, rng, day, a, out) -> None:
        subs, rr = self._first_active_sub(a["cust"], a["t"], a["x"])
        if len(subs):
            self._cancel_subs(rng, subs, np.floor(a["t"][rr]), a["reason"][rr], out)

    def _effect_save_offer(self, rng, day, a, out) -> None:
        subs, rr = self._first_active_sub(a["cust"], a["t"], None)
        if len(subs):
            s = self.subs
            t = np.floor(np.maximum(a["t"][rr], s.upd[subs] + 1))
            s.cols["mrr"][subs] = np.round(s.mrr[subs] * a["x"][rr]).astype(np.int64)
            s.cols["upd"][subs] = t
            out["subscriptions"].append(self._sub_rows(subs, t, t + crm_lag(rng, len(subs))))

    def _effect_plan_change(self, rng, day, a, out) -> None:
        subs, rr = self._first_active_sub(a["cust"], a["t"], None)
        if len(subs):
            s = self.subs
            plan = s.plan[subs]
            target = np.where(a["x"][rr] > 0.5, plan + 1, plan - 1)
            target = np.clip(target, 0, len(P.PLANS) - 1)
            same = P.PLAN_SEGMENT[target] == P.PLAN_SEGMENT[plan]
            other = np.clip(np.where(a["x"][rr] > 0.5, plan - 1, plan + 1), 0, len(P.PLANS) - 1)
            target = np.where(same, target, other)
            target = np.where(P.PLAN_SEGMENT[target] == P.PLAN_SEGMENT[plan], target, plan)
            t = np.floor(np.maximum(a["t"][rr], s.upd[subs] + 1))
            s.cols["plan"][subs] = target
            s.cols["mrr"][subs] = self._price_cents(target, s.cur[subs])
            s.cols["upd"][subs] = t
            out["subscriptions"].append(self._sub_rows(subs, t, t + crm_lag(rng, len(subs))))

    def _effect_account_update(self, rng, day, a, out) -> None:
        c = a["cust"]
        t = np.floor(np.maximum(a["t"], self.cust_upd[c] + 1))
        self.ver[c] += 1
        self.cust_upd[c] = t
        out["customers"].append(self._customer_rows(c, t, t + crm_lag(rng, len(c))))
