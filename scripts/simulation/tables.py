"""Numeric simulation rows → Arrow tables with the SPEC §2 columns, plus the always-on warts.

Row-level warts (decided per simulated day with their own random stream, see ``add_row_warts``):
duplicate deliveries and enum / intent spelling. File-level warts (decided per table and load
date, see ``file_warts``): ISO-8601 text timestamps, TIMESTAMP WITH TIME ZONE columns and an
unknown extra column.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from scripts.ops import contract
from scripts.simulation import params as P
from scripts.simulation.contacts import ATTR_AUTH, ATTR_STRINGS, DISCONNECT_REASONS

# The SPEC §2 tables and columns come from the raw contract (the sources YAML, scripts/ops/contract.py):
# the contract's table order is TABLE_INDEX (each table's random stream), its column order the order written.
_CONTRACT = contract.load()
TABLE_INDEX = {name: i for i, name in enumerate(_CONTRACT)}
TS = pa.timestamp("us")
MONEY = pa.decimal128(12, 2)
S = pa.string()
# Arrow type per contract cx_type (text-like types are written as strings, the json attributes too)
ARROW_TYPES = {
    "text": S,
    "enum": S,
    "intent": S,
    "currency": S,
    "json": S,
    "timestamp": TS,
    "double": pa.float64(),
    "decimal": MONEY,
    "boolean": pa.bool_(),
}
# columns written from the simulation (the contract's, without _loaded_at, which the writer adds)
SCHEMAS: dict[str, list[tuple[str, pa.DataType]]] = {
    name: [(c["name"], ARROW_TYPES[c["cx_type"]]) for c in spec["columns"] if c["name"] != "_loaded_at"]
    for name, spec in _CONTRACT.items()
}
PRIMARY_KEYS = {name: tuple(spec["primary_key"]) for name, spec in _CONTRACT.items()}
# numeric key column(s) of each simulated batch: sort order inside a file
SORT_KEYS = {
    "customers": ("cust", "upd_t"),
    "agents": ("agent",),
    "contacts": ("cid",),
    "contact_events": ("cid", "seq"),
    "survey_responses": ("rid",),
    "subscriptions": ("sub", "upd_t"),
    "orders": ("oid",),
    "fraud_cases": ("fid",),
}
EXTRA_COLUMNS = {
    "contacts": ("vendor_region", S),
    "contact_events": ("_ingest_batch", pa.int64()),
    "customers": ("loyalty_tier", S),
}

FIRST_NAMES = (
    "Ava", "Ben", "Chloe", "Daniel", "Emma", "Finn", "Grace", "Henry", "Isla", "Jack", "Kate",
    "Liam", "Mia", "Noah", "Olivia", "Paul", "Quinn", "Ruby", "Sam", "Tara", "Umar", "Vera",
    "Will", "Xena", "Yusuf", "Zoe", "Aiden", "Bella", "Carlos", "Diana", "Ethan", "Fatima",
    "Gabriel", "Hana", "Ivan", "Julia", "Kenji", "Lena", "Marco", "Nina", "Oscar", "Priya",
    "Rafael", "Sofia", "Tomas", "Uma", "Victor", "Wen", "Ximena", "Yara", "Zain", "Amelia",
    "Bruno", "Camila", "Dmitri", "Elena", "Felix", "Giulia", "Hugo", "Ines", "Jonas", "Keira",
)  # fmt: skip
LAST_NAMES = (
    "Smith", "Jones", "Garcia", "Müller", "Rossi", "Dubois", "Kowalski", "Nguyen", "Chen", "Patel",
    "Kim", "Silva", "Novak", "Brown", "Taylor", "Wilson", "Martin", "Lee", "Walker", "Hall",
    "Young", "King", "Wright", "Lopez", "Hill", "Scott", "Green", "Adams", "Baker", "Nelson",
    "Carter", "Mitchell", "Perez", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans",
    "Edwards", "Collins", "Stewart", "Sanchez", "Morris", "Rogers", "Reed", "Cook", "Morgan",
    "Bell", "Murphy", "Bailey", "Rivera", "Cooper", "Richardson", "Cox", "Howard", "Ward",
    "Torres", "Peterson", "Gray", "Ramirez", "James", "Watson", "Brooks",
)  # fmt: skip
EMAIL_DOMAINS = ("example.com", "example.net", "example.org", "mail.example")
_SEQ2 = pa.array([f"{i:02d}" for i in range(100)], type=pa.string())
STYLES = 5  # 0 as is, 1 UPPER, 2 Title, 3 ' padded ', 4 ' UPPER '
PHONE_VERSION_STEP = 7919  # a new CRM version's phone number: the old one + this (mod 10**7)


def _styled(values: tuple[str, ...]) -> pa.Array:
    out = []
    for v in values:
        out += [v, v.upper(), v.title(), f" {v} ", f" {v.upper()} "]
    return pa.array(out, type=S)


_STYLED = {
    "channel": _styled(P.CHANNELS),
    "method": _styled(P.INITIATION_METHODS),
    "disp": _styled(P.DISPOSITIONS),
    "etype": _styled(P.EVENT_TYPES),
    "seg": _styled(P.SEGMENTS),
    "stype": _styled(P.SURVEY_TYPES),
    "status": _styled(P.ORDER_STATUSES),
    "cur": _styled(P.CURRENCIES),
    "intent": _styled(P.INTENTS),
}
_PLAIN = {
    "region": pa.array(P.REGIONS, type=S),
    "team": pa.array(P.TEAMS, type=S),
    "site": pa.array(P.SITES, type=S),
    "queue": pa.array(P.QUEUES, type=S),
    "reason": pa.array(DISCONNECT_REASONS, type=S),
    "plan": pa.array([p[0] for p in P.PLANS], type=S),
    "cancel_reason": pa.array(P.CANCEL_REASONS, type=S),
    "ftype": pa.array(P.FRAUD_TYPES, type=S),
    "first": pa.array(FIRST_NAMES, type=S),
    "last": pa.array(LAST_NAMES, type=S),
    "first_lower": pa.array([x.lower() for x in FIRST_NAMES], type=S),
    "last_lower": pa.array([x.lower().replace("ü", "ue") for x in LAST_NAMES], type=S),
    "domain": pa.array(EMAIL_DOMAINS, type=S),
    "attr": pa.array(ATTR_STRINGS, type=S),
    "auth_method": pa.array(['{"method": "' + m + '"' for m in P.AUTH_METHODS] + ["{"], type=S),
    "auth_result": pa.array([f'"result": "{r}"}}' for r in P.AUTH_RESULTS], type=S),
}


# ---- helpers ------------------------------------------------------------------------------------
def ids(prefix: str, values: np.ndarray, width: int) -> pa.Array:
    """``prefix`` + zero-padded decimal; null where ``values`` < 0."""
    v = np.asarray(values, dtype=np.int64)
    mask = v < 0
    digits = pc.utf8_lpad(pc.cast(pa.array(np.where(mask, 0, v)), S), width, "0")
    out = pc.binary_join_element_wise(prefix, digits, "")
    if mask.any():
        out = pc.if_else(pa.array(~mask), out, pa.nulls(len(v), S))
    return out


def agent_ids(values: np.ndarray) -> pa.Array:
    return ids("AGT", values, 5)


def ts(values: np.ndarray) -> pa.Array:
    """Float epoch seconds (NaN = null) → TIMESTAMP (µs), truncated to whole seconds."""
    v = np.asarray(values, dtype=np.float64)
    mask = np.isnan(v)
    us = np.floor(np.where(mask, 0, v)).astype(np.int64) * 1_000_000
    return pa.array(us, type=TS, mask=mask if mask.any() else None)


def money(cents: np.ndarray) -> pa.Array:
    c = np.asarray(cents, dtype=np.int64)
    buf = np.column_stack([c, np.where(c < 0, -1, 0).astype(np.int64)]).ravel()
    return pa.Array.from_buffers(MONEY, len(c), [None, pa.py_buffer(buf.tobytes())])


def take(name: str, codes: np.ndarray, style: np.ndarray | None = None) -> pa.Array:
    """Code → text from a lookup list; null where code < 0; styled enums when ``style`` given."""
    c = np.asarray(codes, dtype=np.int64)
    mask = c < 0
    if style is None:
        idx = np.where(mask, 0, c)
        arr = _PLAIN[name]
    else:
        idx = np.where(mask, 0, c) * STYLES + np.asarray(style, dtype=np.int64)
        arr = _STYLED[name]
    return pc.take(arr, pa.array(idx, mask=mask if mask.any() else None))


def join(*parts) -> pa.Array:
    return pc.binary_join_element_wise(*parts, "")


def email(first: np.ndarray, last: np.ndarray, cust: np.ndarray, ver: np.ndarray) -> pa.Array:
    return join(
        take("first_lower", first % len(FIRST_NAMES)), ".",
        take("last_lower", last % len(LAST_NAMES)), pc.cast(pa.array(cust), S), "@",
        take("domain", ver % len(EMAIL_DOMAINS)),
    )  # fmt: skip


def phone(region: np.ndarray, number: np.ndarray) -> pa.Array:
    prefix = pc.take(pa.array(P.REGION_PHONE_PREFIX, type=S), pa.array(region.astype(np.int64)))
    return join(prefix, "-", pc.utf8_lpad(pc.cast(pa.array(number % 10**7), S), 7, "0"))


def versioned_phone(region: np.ndarray, number: np.ndarray, ver: np.ndarray) -> pa.Array:
    """The phone of one CRM version of a customer (each version moves the number)."""
    return phone(region, number + PHONE_VERSION_STEP * ver)


def anonymous_phone(rand: np.ndarray) -> pa.Array:
    """An unidentified caller's number: random, so it can happen to be a customer's phone."""
    return join("+1-555-", pc.utf8_lpad(pc.cast(pa.array(rand), S), 7, "0"))


# ---- row warts ----------------------------------------------------------------------------------
def add_row_warts(table: str, b: dict, rng: np.random.Generator) -> dict:
    """Enum spelling styles and duplicate deliveries (with a later _loaded_at)."""
    n = len(b["load_t"])
    styled = rng.random(n) < P.P_ENUM_STYLE
    b["style"] = np.where(styled, rng.integers(1, STYLES, n), 0).astype(np.int8)
    if table == "contacts":
        si = rng.random(n) < P.P_INTENT_STYLE
        b["istyle"] = np.where(si, rng.integers(1, STYLES, n), 0).astype(np.int8)
    b["dup"] = np.zeros(n, dtype=np.int8)
    d = np.flatnonzero(rng.random(n) < P.P_DUPLICATE)
    if d.size == 0:
        return b
    dup = {k: v[d].copy() for k, v in b.items()}
    dup["load_t"] = dup["load_t"] + rng.uniform(600.0, 36 * 3600.0, d.size)
    changed = rng.random(d.size) < P.P_DUPLICATE_CHANGED
    dup["dup"] = np.where(changed, 2, 1).astype(np.int8)
    if table == "contacts":  # the platform corrected the disconnect reason
        r = dup["reason"]
        dup["reason"] = np.where(changed & (r <= 1), 1 - r, r).astype(np.int8)
    elif table == "orders":  # refunded after the first delivery
        dup["status"] = np.where(changed, 1, dup["status"]).astype(np.int8)
    elif table == "fraud_cases":  # the investigation revised the loss
        dup["loss"] = np.where(changed, np.round(dup["loss"] * 1.1), dup["loss"]).astype(np.int64)
    else:
        dup["dup"][:] = 1  # identical re-delivery
    return {k: np.concatenate([b[k], dup[k]]) for k in b}


# ---- materialisation ---------------------------------------------------------------------------
def in_delivery_order(table: str, b: dict) -> dict:
    """The batch's rows in delivery order: _loaded_at, then the key (the order files hold them in)."""
    order = np.lexsort((*(b[k] for k in reversed(SORT_KEYS[table])), b["load_t"]))
    return {k: v[order] for k, v in b.items()}


def materialise(table: str, b: dict) -> pa.Table:
    b = in_delivery_order(table, b)
    cols = _BUILDERS[table](b)
    cols["_loaded_at"] = ts(b["load_t"])
    names = [c for c, _ in SCHEMAS[table]] + ["_loaded_at"]
    return pa.table({c: cols[c] for c in names})


def _customers(b: dict) -> dict:
    first = b["first"] % len(FIRST_NAMES)
    last = b["last"] % len(LAST_NAMES)
    cust = b["cust"]
    ver = b["ver"]
    return {
        "customer_id": ids("CUST", cust, 8),
        "full_name": join(take("first", first), " ", take("last", last)),
        "email": email(b["first"], b["last"], cust, ver),
        "phone": versioned_phone(b["region"], b["phone"], ver),
        "segment": take("seg", b["seg"], b["style"]),
        "region": take("region", b["region"]),
        "preferred_channel": take("channel", b["pref"], b["style"]),
        "created_at": ts(b["created_t"]),
        "updated_at": ts(b["upd_t"]),
    }


def _agents(b: dict) -> dict:
    first = b["first"] % len(FIRST_NAMES)
    last = b["last"] % len(LAST_NAMES)
    return {
        "agent_id": agent_ids(b["agent"]),
        "agent_name": join(take("first", first), " ", take("last", last)),
        "team": take("team", b["team"]),
        "site": take("site", b["site"]),
        "hired_at": ts(b["hired_t"]),
    }


def _contacts(b: dict) -> dict:
    n = len(b["cid"])
    ep = b["endpoint"]
    rand = b["endpoint_rand"]
    endpoint = pa.nulls(n, S)
    if n:  # the customer's phone / e-mail of the CRM version in force, or an unknown one
        own_phone = versioned_phone(b["ep_region"], b["ep_phone"], b["ep_ver"])
        own_email = email(b["ep_first"], b["ep_last"], b["ep_cust"], b["ep_ver"])
        anon_phone = anonymous_phone(rand)
        anon_email = join("user", pc.cast(pa.array(rand), S), "@mail.example")
        conds = [pa.array(ep == k) for k in (1, 2, 3, 4)]
        endpoint = pc.case_when(
            pc.make_struct(*conds, field_names=["a", "b", "c", "d"]),
            own_phone,
            own_email,
            anon_phone,
            anon_email,
        )
    return {
        "contact_id": ids("CT", b["cid"], 15),
        "initial_contact_id": ids("CT", b["init_cid"], 15),
        "previous_contact_id": ids("CT", b["prev_cid"], 15),
        "customer_id": ids("CUST", b["cust"], 8),
        "channel": take("channel", b["channel"], b["style"]),
        "initiation_method": take("method", b["method"], b["style"]),
        "queue": take("queue", b["queue"]),
        "agent_id": agent_ids(b["agent"]),
        "intent": take("intent", b["intent"], b["istyle"]),
        "initiated_at": ts(b["init_t"]),
        "enqueued_at": ts(b["enq_t"]),
        "connected_to_agent_at": ts(b["conn_t"]),
        "disconnected_at": ts(b["disc_t"]),
        "disconnect_reason": take("reason", b["reason"]),
        "disposition": take("disp", b["disp"], b["style"]),
        "customer_endpoint": endpoint,
        "case_id": ids("CASE", b["case"], 13),
    }


def _events(b: dict) -> dict:
    n = len(b["cid"])
    attr = b["attr"].astype(np.int64)
    is_auth = attr == ATTR_AUTH
    text = take("attr", np.where(is_auth, 0, attr))
    if is_auth.any():
        a = np.flatnonzero(is_auth)
        method = b["a_method"][a].astype(np.int64)
        match = b["a_match"][a].astype(np.int64)
        synth = b["a_synth"][a].astype(np.int64)
        has_score = match >= 0
        scores = join(
            '"match_score": ',
            pc.cast(pa.array(np.maximum(match, 0)), S),
            ', "synthetic_voice_score": ',
            pc.cast(pa.array(np.maximum(synth, 0) / 100.0), S),
            ", ",
        )
        scores = pc.if_else(pa.array(has_score), scores, pa.array([""] * a.size, S))
        head = take("auth_method", np.where(method < 0, len(P.AUTH_METHODS), method))
        sep = pc.if_else(pa.array(method >= 0), pa.scalar(", "), pa.scalar(" "))
        auth = join(head, sep, scores, take("auth_result", b["a_result"][a].astype(np.int64)))
        mask = np.zeros(n, dtype=bool)
        mask[a] = True
        text = pc.replace_with_mask(text, pa.array(mask), auth)
    # text of each distinct contact once, then taken per event (≈8 events per contact)
    uniq, inv = np.unique(b["cid"], return_inverse=True)
    digits = pc.take(pc.utf8_lpad(pc.cast(pa.array(uniq), S), 15, "0"), pa.array(inv))
    seq = pc.take(_SEQ2, pa.array(b["seq"].astype(np.int64)))
    return {
        "event_id": join("EV", digits, seq),
        "contact_id": join("CT", digits),
        "event_type": take("etype", b["etype"], b["style"]),
        "event_at": ts(b["t"]),
        "attributes": text,
    }


def _surveys(b: dict) -> dict:
    return {
        "response_id": ids("SR", b["rid"], 15),
        "contact_id": ids("CT", b["cid"], 15),
        "customer_id": ids("CUST", b["cust"], 8),
        "survey_type": take("stype", b["stype"], b["style"]),
        "score": pa.array(b["score"], pa.float64()),
        "scale_min": pa.array(b["smin"], pa.float64()),
        "scale_max": pa.array(b["smax"], pa.float64()),
        "responded_at": ts(b["resp_t"]),
    }


def _subscriptions(b: dict) -> dict:
    return {
        "subscription_id": ids("SUB", b["sub"], 9),
        "customer_id": ids("CUST", b["cust"], 8),
        "plan": take("plan", b["plan"]),
        "mrr": money(b["mrr"]),
        "currency": take("cur", b["cur"], b["style"]),
        "started_at": ts(b["start_t"]),
        "cancelled_at": ts(b["cancel_t"]),
        "cancel_reason": take("cancel_reason", b["reason"]),
        "updated_at": ts(b["upd_t"]),
    }


def _orders(b: dict) -> dict:
    return {
        "order_id": ids("ORD", b["oid"], 13),
        "customer_id": ids("CUST", b["cust"], 8),
        "ordered_at": ts(b["t"]),
        "amount": money(b["amount"]),
        "currency": take("cur", b["cur"], b["style"]),
        "status": take("status", b["status"], b["style"]),
    }


def _fraud(b: dict) -> dict:
    return {
        "fraud_case_id": ids("FRD", b["fid"], 15),
        "customer_id": ids("CUST", b["cust"], 8),
        "contact_id": ids("CT", b["cid"], 15),
        "reported_at": ts(b["rep_t"]),
        "fraud_type": take("ftype", b["ftype"]),
        "confirmed": pa.array(b["confirmed"], pa.bool_()),
        "loss_amount": money(b["loss"]),
    }


_BUILDERS = {
    "customers": _customers,
    "agents": _agents,
    "contacts": _contacts,
    "contact_events": _events,
    "survey_responses": _surveys,
    "subscriptions": _subscriptions,
    "orders": _orders,
    "fraud_cases": _fraud,
}


# ---- file warts ---------------------------------------------------------------------------------
def file_wart_plan(seed: int, table: str, day: int) -> dict[str, bool]:
    """Which file-level warts the ``table`` file of load day ``day`` carries (deterministic)."""
    rng = np.random.default_rng([seed, 4, TABLE_INDEX[table], day])
    u = rng.random(3)
    return {
        "text_ts": bool(u[0] < P.TEXT_TS_FILES.get(table, 0.0)),
        "tz_ts": bool(u[1] < P.TZ_TS_FILES.get(table, 0.0)),
        "extra_column": bool(u[2] < P.EXTRA_COLUMN_FILES.get(table, 0.0)),
        "seed": int(rng.integers(0, 2**31)),
    }


def text_timestamp(col: pa.Array, rng: np.random.Generator) -> pa.Array:
    """TIMESTAMP → ISO-8601 text, each value with 'Z' or with a '+02:00' offset (same instant)."""
    n = len(col)
    secs = col.cast(pa.timestamp("s"))
    z = join(pc.strftime(secs, format="%Y-%m-%dT%H:%M:%S"), "Z")
    shifted = pc.add(secs, pa.scalar(7200, pa.duration("s")))
    plus = join(pc.strftime(shifted, format="%Y-%m-%dT%H:%M:%S"), "+02:00")
    use_offset = pa.array(rng.random(n) < P.P_TEXT_TS_OFFSET)
    return pc.if_else(use_offset, plus, z)


def apply_file_warts(table: str, t: pa.Table, plan: dict[str, bool]) -> pa.Table:
    rng = np.random.default_rng(plan["seed"])
    ts_cols = [name for name, typ in SCHEMAS[table] if typ == TS]
    if plan["text_ts"]:
        for name in ts_cols:
            i = t.schema.get_field_index(name)
            t = t.set_column(i, name, text_timestamp(t.column(name).combine_chunks(), rng))
    elif plan["tz_ts"]:
        name = ts_cols[0]
        i = t.schema.get_field_index(name)
        t = t.set_column(i, name, t.column(name).cast(pa.timestamp("us", tz="UTC")))
    if plan["extra_column"] and table in EXTRA_COLUMNS:
        name, typ = EXTRA_COLUMNS[table]
        if typ == S:
            values = pa.array(rng.choice(["na", "emea", "apac"], t.num_rows).tolist(), S)
        else:
            values = pa.array(rng.integers(1, 10**6, t.num_rows), typ)
        t = t.append_column(name, values)
    return t
