"""Tests of scripts.generate_data: layout, determinism, nightly append, behaviours, warts, bad rows.

Datasets are generated in-process into temporary folders: a small one (200 customers x 40 days,
with --bad-rows) for the contract, and a larger one (2000 customers x 90 days) where the
simulated behaviours must be visible in the raw data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scripts.generate_data import EXPECTED_QUARANTINE, MANIFEST, main
from scripts.ops import contract
from scripts.simulation.engine import TABLES
from scripts.simulation.tables import PRIMARY_KEYS, SCHEMAS

SMALL = ["--seed", "7", "--customers", "200", "--start-date", "2025-01-01", "--quiet"]
BIG = ["--seed", "11", "--customers", "2000", "--days", "90", "--quiet"]

# SPEC §2 as the raw contract states it (the sources YAML): columns that may be null, enum values (a currency
# is a code of the currency_rates seed), the tables whose rows may not predate their load, money columns
CONTRACT = contract.load()
CURRENCIES = pd.read_csv(contract.PROJECT_DIR / "seeds" / "currency_rates.csv")["currency"].tolist()
NULLABLE = {
    table: {c["name"] for c in spec["columns"] if not c.get("required")} for table, spec in CONTRACT.items()
}
ENUMS = {
    table: {
        c["name"]: CURRENCIES if c["cx_type"] == "currency" else list(c["accepted_values"])
        for c in spec["columns"]
        if c["cx_type"] in ("enum", "currency")
    }
    for table, spec in CONTRACT.items()
}
CHANNELS = ENUMS["contacts"]["channel"]
AFTER_LOAD_TABLES = {table for table, spec in CONTRACT.items() if spec.get("after_load_check")}
MONEY_COLUMNS = {
    table: c["name"] for table, spec in CONTRACT.items() for c in spec["columns"] if c["cx_type"] == "decimal"
}
TS_TYPE = pa.timestamp("us")


def generate(out: Path, *args: str) -> None:
    assert main([*args, "--out", str(out)]) == 0


def ts_columns(table: str) -> list[str]:
    return [name for name, typ in SCHEMAS[table] if typ == TS_TYPE]


def files(root: Path) -> dict[str, Path]:
    return {str(p.relative_to(root)): p for p in sorted(root.glob("*/load_date=*/*.parquet"))}


def glob(root: Path, table: str) -> str:
    return str(root / table / "*" / "*.parquet")


def connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("set timezone = 'UTC'")
    return con


def read(root: Path, table: str, dedupe: bool = True, bad: bool = False) -> pd.DataFrame:
    """A raw table as the warehouse would see it: timestamps parsed to UTC, enums normalised,
    the latest delivery of each key (bad-row files left out unless ``bad``)."""
    con = connect()
    cols = []
    for name, typ in SCHEMAS[table]:
        if typ == TS_TYPE:
            cols.append(f"timezone('UTC', try_cast(cast({name} as varchar) as timestamptz)) as {name}")
        elif name in ENUMS.get(table, {}) or name == "intent":
            cols.append(f"lower(trim({name})) as {name}")
        else:
            cols.append(name)
    where = "" if bad else "where filename not like '%part-09%'"
    key = ", ".join(PRIMARY_KEYS[table])
    sql = f"""
        select {", ".join(cols)}, _loaded_at, filename
        from read_parquet('{glob(root, table)}', union_by_name = true, filename = true)
        {where}
    """
    if dedupe:
        sql = f"""
            select * exclude (rn) from (
                select *, row_number() over (partition by {key} order by _loaded_at desc) as rn
                from ({sql})
            ) where rn = 1
        """
    return con.execute(sql).df()


def quarantine_counts(root: Path) -> dict[str, dict[str, int]]:
    """A reference implementation of SPEC §6 (first failing check wins) over the raw files."""
    con = connect()
    result: dict[str, dict[str, int]] = {}
    valid_contacts = None
    for table in ["contacts"] + [t for t in TABLES if t != "contacts"]:
        names = [name for name, _ in SCHEMAS[table]]
        ts = ts_columns(table)

        def tstz(c: str) -> str:
            return f"try_cast(trim(cast({c} as varchar)) as timestamptz)"

        def blank(c: str) -> str:
            return f"({c} is null or trim(cast({c} as varchar)) = '')"

        checks = [("missing_key", " or ".join(blank(k) for k in PRIMARY_KEYS[table]))]
        required = [n for n in names if n not in NULLABLE[table]]
        checks.append(("missing_value", " or ".join(f"{n} is null" for n in required)))
        checks.append(
            ("invalid_timestamp", " or ".join(f"({c} is not null and {tstz(c)} is null)" for c in ts))
        )
        enum_sql = [
            f"({c} is not null and lower(trim({c})) not in ({', '.join(repr(v) for v in vals)}))"
            for c, vals in ENUMS.get(table, {}).items()
        ]
        checks.append(("unknown_enum", " or ".join(enum_sql) or "false"))
        order = {
            "contacts": f"{tstz('disconnected_at')} < {tstz('initiated_at')}",
            "subscriptions": f"{tstz('cancelled_at')} < {tstz('started_at')}",
        }
        checks.append(("time_order", order.get(table, "false")))
        after = " or ".join(f"{tstz(c)} > _loaded_at + interval 1 day" for c in ts)
        checks.append(("after_load", after if table in AFTER_LOAD_TABLES else "false"))
        score = "score < scale_min or score > scale_max or scale_min >= scale_max"
        checks.append(("score_out_of_range", score if table == "survey_responses" else "false"))
        json_ok = "try(json_type(try_cast(attributes as json))) = 'OBJECT'"
        malformed = f"attributes is not null and coalesce({json_ok}, false) = false"
        checks.append(("malformed_json", malformed if table == "contact_events" else "false"))
        money = MONEY_COLUMNS.get(table)
        checks.append(("negative_amount", f"{money} < 0" if money else "false"))
        orphan = "contact_id not in (select contact_id from valid_contacts)"
        checks.append(("orphan", orphan if table == "contact_events" else "false"))
        case = " ".join(f"when coalesce({cond}, false) then '{reason}'" for reason, cond in checks)
        con.execute(
            f"""create or replace table checked as
            select *, case {case} end as reason
            from read_parquet('{glob(root, table)}', union_by_name = true)"""
        )
        if table == "contacts":
            con.execute(
                "create table valid_contacts as select distinct contact_id from checked where reason is null"
            )
            valid_contacts = True
        rows = con.execute(
            "select reason, count(*) from checked where reason is not null group by 1"
        ).fetchall()
        if rows:
            result[table] = dict(sorted(rows))
    assert valid_contacts
    return result


# ---- fixtures -----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def small(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("small")
    generate(out, *SMALL, "--days", "40", "--bad-rows")
    return out


@pytest.fixture(scope="session")
def big(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("big")
    generate(out, *BIG)
    return out


def same_files(a: Path, b: Path) -> None:
    fa, fb = files(a), files(b)
    assert fa.keys() == fb.keys()
    for name in fa:
        ta, tb = pq.read_table(fa[name]), pq.read_table(fb[name])
        assert ta.schema == tb.schema, name
        assert ta.equals(tb), name


# ---- CLI ------------------------------------------------------------------------------------------
def test_help_lists_every_option(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for option in (
        "--seed", "--customers", "--start-date", "--days", "--out", "--overwrite", "--bad-rows",
        "--append-day", "--quiet",
    ):  # fmt: skip
        assert option in text


def test_refuses_existing_data_without_overwrite(small, capsys):
    assert main([*SMALL, "--days", "2", "--out", str(small)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--overwrite" in err and err.startswith("error:")


def test_append_day_needs_a_manifest(tmp_path, capsys):
    assert main(["--append-day", "--out", str(tmp_path), "--quiet"]) == 2
    assert "error:" in capsys.readouterr().err


def test_overwrite_replaces_the_dataset(tmp_path):
    generate(tmp_path, *SMALL, "--days", "3")
    generate(tmp_path, *SMALL, "--days", "2", "--overwrite")
    dates = {p.name for p in (tmp_path / "contacts").iterdir()}
    assert dates == {"load_date=2025-01-01", "load_date=2025-01-02"}
    assert json.loads((tmp_path / MANIFEST).read_text())["days"] == 2


# ---- layout and shapes ---------------------------------------------------------------------------
def test_layout_and_load_dates(small):
    found = files(small)
    pattern = re.compile(r"^(\w+)/load_date=(\d{4}-\d{2}-\d{2})/part-\d{4}\.parquet$")
    tables = set()
    for name, path in found.items():
        m = pattern.match(name)
        assert m, name
        tables.add(m.group(1))
        loaded = pq.read_table(path, columns=["_loaded_at"]).column(0)
        dates = {v.date().isoformat() for v in loaded.to_pylist()}
        if not dates:  # the empty, typed file a table without rows gets on the first load
            assert m.group(2) == "2025-01-01", name
            continue
        assert dates == {m.group(2)}, name  # the folder is the date of _loaded_at
    assert tables == set(TABLES)
    last = {n.split("load_date=")[1][:10] for n in found}
    assert max(last) == "2025-02-09"  # nothing beyond the last simulated day


def test_every_file_has_the_spec_columns_and_types(small):
    for name, path in files(small).items():
        table = name.split("/")[0]
        schema = pq.read_schema(path)
        assert schema.field("_loaded_at").type == TS_TYPE, name
        for col, typ in SCHEMAS[table]:
            got = schema.field(col).type
            if typ == TS_TYPE:
                assert pa.types.is_timestamp(got) or pa.types.is_string(got), (name, col)
            elif pa.types.is_decimal(typ):
                assert got == pa.decimal128(12, 2), (name, col)
            else:
                assert got == typ, (name, col, got)


def test_manifest_records_the_parameters(small):
    m = json.loads((small / MANIFEST).read_text())
    assert (m["seed"], m["customers"], m["start_date"], m["days"]) == (7, 200, "2025-01-01", 40)
    assert m["last_load_date"] == "2025-02-09" and m["bad_rows"] is True
    for table in TABLES:
        rows = sum(pq.ParquetFile(p).metadata.num_rows for p in (small / table).rglob("*.parquet"))
        assert m["tables"][table]["rows"] == rows


# ---- determinism and nightly append --------------------------------------------------------------
def test_same_seed_same_data(small, tmp_path):
    generate(tmp_path, *SMALL, "--days", "40", "--bad-rows")
    same_files(small, tmp_path)


def test_different_seed_different_data(small, tmp_path):
    args = [a if a != "7" else "8" for a in SMALL]
    generate(tmp_path, *args, "--days", "40", "--bad-rows")
    a = pq.read_table(small / "contacts" / "load_date=2025-01-20").sort_by("contact_id")
    b = pq.read_table(tmp_path / "contacts" / "load_date=2025-01-20").sort_by("contact_id")
    assert not a.equals(b)


def test_append_day_equals_one_more_day(small, tmp_path):
    generate(tmp_path, *SMALL, "--days", "39", "--bad-rows")
    assert main(["--append-day", "--out", str(tmp_path), "--quiet"]) == 0
    same_files(small, tmp_path)
    m = json.loads((tmp_path / MANIFEST).read_text())
    assert m["days"] == 40 and m["last_load_date"] == "2025-02-09"
    expected = json.loads((small / EXPECTED_QUARANTINE).read_text())
    assert json.loads((tmp_path / EXPECTED_QUARANTINE).read_text()) == expected


def test_nightly_series_with_bad_rows_equals_full_run(tmp_path):
    full, nightly = tmp_path / "full", tmp_path / "nightly"
    generate(full, *SMALL, "--days", "6", "--bad-rows")
    generate(nightly, *SMALL, "--days", "2", "--bad-rows")
    for _ in range(4):  # days 3-6 carry most tables' bad rows
        assert main(["--append-day", "--out", str(nightly), "--quiet"]) == 0
    same_files(full, nightly)
    assert (full / EXPECTED_QUARANTINE).read_text() == (nightly / EXPECTED_QUARANTINE).read_text()
    assert main(["--append-day", "--out", str(nightly), "--quiet"]) == 0
    assert json.loads((nightly / MANIFEST).read_text())["days"] == 7


# ---- bad rows ------------------------------------------------------------------------------------
def test_expected_quarantine_matches_a_reference_validation(small):
    expected = json.loads((small / EXPECTED_QUARANTINE).read_text())
    reasons = {r for per in expected.values() for r in per}
    assert reasons == {
        "missing_key", "missing_value", "invalid_timestamp", "unknown_enum", "time_order",
        "after_load", "score_out_of_range", "malformed_json", "negative_amount", "orphan",
    }  # fmt: skip
    # every injected row fails exactly its check, and no simulated row fails any
    assert quarantine_counts(small) == expected


def test_bad_redeliveries_reuse_good_keys_with_a_later_load(small):
    con = connect()
    for table, key in (("contacts", "contact_id"), ("orders", "order_id")):
        rows = con.execute(
            f"""
            with bad as (
                select {key}, _loaded_at from read_parquet('{small}/{table}/*/part-0900.parquet')
            ),
            good as (
                select {key}, max(_loaded_at) as loaded
                from read_parquet('{small}/{table}/*/part-0000.parquet') group by 1
            )
            select count(*) from bad join good using ({key}) where bad._loaded_at > good.loaded
            """
        ).fetchone()[0]
        assert rows == 1, table


def test_bad_contacts_have_no_events(small):
    con = connect()
    n = con.execute(
        f"""
        select count(*) from read_parquet('{small}/contact_events/*/*.parquet') as e
        where e.contact_id like 'CTBAD%'
        """
    ).fetchone()[0]
    assert n == 0


# ---- warts ------------------------------------------------------------------------------------
def test_duplicate_deliveries_near_the_documented_share(big):
    for table in ("contacts", "contact_events", "orders", "customers"):
        df = read(big, table, dedupe=False)
        key = list(PRIMARY_KEYS[table])
        dup_share = df.duplicated(subset=key).mean()
        assert 0.003 < dup_share < 0.012, (table, dup_share)
    orders = read(big, "orders", dedupe=False)
    changed = orders.groupby("order_id")["status"].nunique()
    assert (changed > 1).sum() > 0  # some re-deliveries change a non-key value


def test_enum_spelling_and_unknown_intents(big):
    con = connect()
    raw = con.execute(
        f"select channel, intent from read_parquet('{glob(big, 'contacts')}', union_by_name=true)"
    ).df()
    odd = ~raw["channel"].isin(CHANNELS)
    assert 0.005 < odd.mean() < 0.04
    assert raw.loc[odd, "channel"].str.strip().str.lower().isin(CHANNELS).all()
    assert raw["channel"].str.startswith(" ").any() and raw["channel"].str.isupper().any()
    intents = raw["intent"].dropna().str.strip().str.lower()
    unknown = intents.isin(["warranty_claim", "delivery_damage", "loyalty_points"]).mean()
    assert 0.005 < unknown < 0.04
    assert 0.03 < raw["intent"].isna().mean() < 0.12


def test_file_level_warts(big):
    text_ts = tz_ts = extra = 0
    for name, path in files(big).items():
        schema = pq.read_schema(path)
        table = name.split("/")[0]
        first_ts = schema.field(ts_columns(table)[0]).type
        text_ts += pa.types.is_string(first_ts) and "part-09" not in name
        tz_ts += pa.types.is_timestamp(first_ts) and first_ts.tz is not None
        extra += len(set(schema.names) - {c for c, _ in SCHEMAS[table]} - {"_loaded_at"}) > 0
    assert text_ts > 0 and tz_ts > 0 and extra > 0
    # text timestamps carry 'Z' and '+02:00' offsets that mean the same instant as typed ones
    surveys = read(big, "survey_responses")
    assert surveys["responded_at"].notna().all()
    raw = (
        connect()
        .execute(
            f"select cast(responded_at as varchar) as t from read_parquet('{glob(big, 'survey_responses')}',"
            " union_by_name=true)"
        )
        .df()["t"]
    )
    assert raw.str.endswith("Z").any() and raw.str.endswith("+02:00").any()


def test_late_arrivals_and_unidentified_callers(big):
    contacts = read(big, "contacts")
    lag = (contacts["_loaded_at"] - contacts["disconnected_at"]).dt.total_seconds()
    assert (lag >= 0).all()
    late = (lag > 86_400).mean()
    assert 0.004 < late < 0.03
    assert 0.03 < contacts["customer_id"].isna().mean() < 0.08


# ---- simulated behaviours -----------------------------------------------------------------------
@pytest.fixture(scope="session")
def attempts(big) -> pd.DataFrame:
    contacts = read(big, "contacts")
    events = read(big, "contact_events")
    per_contact = events.groupby("contact_id")["event_type"].agg(
        bot=lambda s: s.isin(["bot_start", "bot_turn"]).any(),
        ai=lambda s: s.isin(["ai_suggestion", "ai_summary"]).any(),
    )
    c = contacts.join(per_contact, on="contact_id").fillna({"bot": False, "ai": False})
    c = c.sort_values(["initiated_at", "contact_id"])
    last = c.sort_values(["disconnected_at", "contact_id"]).groupby("initial_contact_id").tail(1)
    g = c.groupby("initial_contact_id")
    a = pd.DataFrame(
        {
            "started_at": g["initiated_at"].min(),
            "ended_at": g["disconnected_at"].max(),
            "customer_id": g["customer_id"].first(),
            "intent": g["intent"].first(),
            "channel": g["channel"].first(),
            "bot": g["bot"].any(),
            "agent": g["connected_to_agent_at"].count() > 0,
            "ai": g["ai"].any(),
        }
    )
    a["final"] = last.set_index("initial_contact_id")["disposition"]
    return a.reset_index()


def journeys_of(attempts: pd.DataFrame) -> pd.DataFrame:
    a = attempts.dropna(subset=["customer_id"]).copy()
    a["intent"] = a["intent"].fillna("unclassified")
    a = a.sort_values(["customer_id", "intent", "started_at"])
    prev_end = a.groupby(["customer_id", "intent"])["ended_at"].transform(lambda s: s.cummax().shift())
    a["new"] = prev_end.isna() | (a["started_at"] > prev_end + pd.Timedelta(days=7))
    a["journey"] = a["new"].cumsum()
    return a


def test_ai_adoption_grows(attempts):
    agent = attempts[attempts["agent"] & ~attempts["bot"]]
    start = agent["started_at"].min()
    first = agent[agent["started_at"] < start + pd.Timedelta(days=30)]["ai"].mean()
    last = agent[agent["started_at"] >= start + pd.Timedelta(days=60)]["ai"].mean()
    # adoption ramps 10 % → 60 % over 180 days: ≈14 % in days 0-30, ≈31 % in days 60-90
    assert first < 0.22 and last > 0.24 and last > first + 0.08


def test_repeat_contacts_switch_channels_inside_and_outside_the_window(attempts):
    j = journeys_of(attempts)
    sizes = j.groupby("journey").size()
    assert 0.08 < (sizes > 1).mean() < 0.4
    channels = j.groupby("journey")["channel"].nunique()
    assert (channels[sizes > 1] > 1).mean() > 0.2
    # same customer and intent coming back more than 7 days after the previous attempt
    a = j.sort_values(["customer_id", "intent", "started_at"])
    gap = a["started_at"] - a.groupby(["customer_id", "intent"])["ended_at"].shift()
    assert (gap > pd.Timedelta(days=7)).sum() > 0 and (gap <= pd.Timedelta(days=7)).sum() > 0


def test_bot_success_depends_on_intent(big):
    contacts = read(big, "contacts")[["contact_id", "intent"]]
    events = read(big, "contact_events")
    ends = events[events["event_type"].isin(["bot_end", "bot_handoff"])].merge(contacts, on="contact_id")
    ends["success"] = ends["attributes"].fillna("").str.contains('"success"')
    rate = ends.groupby("intent")["success"].mean()
    assert rate["password_reset"] > 0.6 and rate["billing_dispute"] < 0.2


def test_contact_centre_levels_are_plausible(attempts):
    j = journeys_of(attempts)
    matured = j[j["ended_at"] < j["ended_at"].max() - pd.Timedelta(days=7)]
    per = matured.groupby("journey").agg(n=("final", "size"), first=("final", "first"))
    fcr = ((per["n"] == 1) & (per["first"] == "resolved")).mean()
    assert 0.55 < fcr < 0.8
    bot = attempts[attempts["bot"]]
    assert 0.35 < (~bot["agent"]).mean() < 0.65  # legacy bot containment
    assert 0.03 < (attempts["final"] == "abandoned").mean() < 0.12


def test_survey_scores_follow_the_experience(big):
    surveys = read(big, "survey_responses")
    contacts = read(big, "contacts")[["contact_id", "disposition"]]
    csat = surveys[surveys["survey_type"] == "csat"].copy()
    csat["std"] = 1 + (csat["score"] - csat["scale_min"]) * 4 / (csat["scale_max"] - csat["scale_min"])
    assert 3.4 < csat["std"].mean() < 4.2
    assert (csat["scale_max"] == 10).any() and (csat["scale_max"] == 5).any()
    linked = csat.merge(contacts, on="contact_id")
    resolved = linked[linked["disposition"] == "resolved"]["std"].mean()
    other = linked[linked["disposition"] != "resolved"]["std"].mean()
    assert resolved > other + 0.5
    assert surveys["contact_id"].isna().mean() > 0.1  # e-mail link: customer only
    assert surveys.loc[surveys["contact_id"].isna(), "customer_id"].notna().all()


def test_churn_is_higher_after_unresolved_journeys(big, attempts):
    subs = read(big, "subscriptions")
    latest = subs.sort_values("updated_at").groupby("subscription_id").tail(1)
    cancels = latest.dropna(subset=["cancelled_at"])[["customer_id", "cancelled_at"]]
    j = journeys_of(attempts)
    last = j.sort_values("started_at").groupby("journey").tail(1)
    last = last[last["ended_at"] < last["ended_at"].max() - pd.Timedelta(days=30)]
    m = last.merge(cancels, on="customer_id", how="left")
    window = (m["cancelled_at"] > m["ended_at"]) & (
        m["cancelled_at"] <= m["ended_at"] + pd.Timedelta(days=60)
    )
    m["churned"] = window
    churn = m.groupby("journey").agg(churned=("churned", "any"), final=("final", "first"))
    resolved = churn[churn["final"] == "resolved"]["churned"].mean()
    unresolved = churn[churn["final"] != "resolved"]["churned"].mean()
    assert unresolved > 1.5 * resolved


def test_fraudsters_have_higher_synthetic_voice_scores(big):
    events = read(big, "contact_events")
    auth = events[events["event_type"] == "auth_attempt"].copy()
    auth["synthetic"] = auth["attributes"].map(lambda a: json.loads(a).get("synthetic_voice_score"))
    auth["method"] = auth["attributes"].map(lambda a: json.loads(a).get("method"))
    assert set(auth["method"].dropna()) == {"voice_biometric", "kba", "otp"}
    assert auth["method"].isna().any()  # occasional missing method
    fraud = read(big, "fraud_cases")
    fraud_contacts = set(fraud.loc[fraud["confirmed"], "contact_id"].dropna())
    assert fraud_contacts
    scores = auth.dropna(subset=["synthetic"])
    is_fraud = scores["contact_id"].isin(fraud_contacts)
    assert scores[is_fraud]["synthetic"].mean() > scores[~is_fraud]["synthetic"].mean() + 0.2
    assert (scores[~is_fraud]["synthetic"] < 0.8).mean() > 0.98
    delay = (fraud["reported_at"] - fraud["reported_at"].min()).dt.days
    assert delay.max() > 0
    actions = events[events["event_type"] == "sensitive_action"]
    assert actions["contact_id"].isin(fraud_contacts).any()


def test_orders_follow_satisfaction(big):
    orders = read(big, "orders")
    surveys = read(big, "survey_responses")
    csat = surveys[surveys["survey_type"] == "csat"].copy()
    csat["std"] = 1 + (csat["score"] - csat["scale_min"]) * 4 / (csat["scale_max"] - csat["scale_min"])
    happy = set(csat.loc[csat["std"] >= 4, "customer_id"].dropna())
    unhappy = set(csat.loc[csat["std"] <= 2, "customer_id"].dropna()) - happy
    per_customer = orders.groupby("customer_id").size()
    assert (
        per_customer.reindex(list(happy)).fillna(0).mean()
        > per_customer.reindex(list(unhappy)).fillna(0).mean()
    )
    assert set(orders["status"]) == {"completed", "refunded", "cancelled"}


def test_events_are_ordered_inside_their_contact(big):
    contacts = read(big, "contacts")[["contact_id", "initiated_at", "disconnected_at"]]
    events = read(big, "contact_events").merge(contacts, on="contact_id")
    assert (events["event_at"] >= events["initiated_at"]).all()
    assert (events["event_at"] <= events["disconnected_at"]).all()
    events["seq"] = events["event_id"].str[-2:].astype(int)
    ordered = events.sort_values(["contact_id", "seq"])
    diffs = ordered.groupby("contact_id")["event_at"].diff().dropna()
    assert (diffs >= pd.Timedelta(0)).all()
    last = ordered.groupby("contact_id").tail(1)
    assert (last["event_type"] == "disconnect").mean() > 0.95


def test_transfer_chains(big):
    c = read(big, "contacts")
    legs = c[c["initiation_method"] == "transfer"]
    assert len(legs) > 0
    assert legs["previous_contact_id"].notna().all()
    assert (legs["initial_contact_id"] != legs["contact_id"]).all()
    heads = c[c["initial_contact_id"] == c["contact_id"]]
    assert heads["previous_contact_id"].isna().all()
    # some customers are identified only on a later leg, some consult legs overlap
    chain = c.groupby("initial_contact_id")["customer_id"].agg(["first", "count"])
    head_null = heads.set_index("contact_id")["customer_id"].isna()
    later = c[c["initiation_method"] == "transfer"].groupby("initial_contact_id")["customer_id"]
    identified_later = later.count().reindex(head_null[head_null].index).fillna(0) > 0
    assert identified_later.any() and len(chain) > 0
    prev = c.set_index("contact_id")["disconnected_at"]
    overlap = legs["initiated_at"] < legs["previous_contact_id"].map(prev)
    assert overlap.any()


def test_crm_versions(big):
    customers = read(big, "customers")
    versions = customers.groupby("customer_id").size()
    assert (versions > 1).any()
    subs = read(big, "subscriptions")
    sv = subs.groupby("subscription_id")["mrr"].nunique()
    assert (sv > 1).any()  # save offers and plan changes
    assert subs["currency"].value_counts(normalize=True)["usd"] > 0.5
    agents = read(big, "agents")
    assert 40 <= len(agents) <= 60
    all_rows = read(big, "customers", dedupe=False)
    before_start = all_rows[all_rows["updated_at"] < pd.Timestamp("2025-01-01")]
    first_delivery = before_start.groupby(["customer_id", "updated_at"])["_loaded_at"].min()
    assert (first_delivery < pd.Timestamp("2025-01-02")).all()  # history comes in the first load


def test_start_date_is_respected(tmp_path):
    generate(tmp_path, "--seed", "3", "--customers", "100", "--days", "2", "--quiet",
             "--start-date", "2024-02-28")  # fmt: skip
    dates = sorted(p.name for p in (tmp_path / "customers").iterdir())
    assert dates[0] == "load_date=2024-02-28"
    m = json.loads((tmp_path / MANIFEST).read_text())
    assert dt.date.fromisoformat(m["last_load_date"]) == dt.date(2024, 2, 29)


def test_every_table_exists_from_the_first_load_even_without_rows(tmp_path):
    """A tiny dataset has no fraud case yet: the table still exists (an empty, typed file on day one)."""
    import pyarrow.parquet as pq

    from scripts.generate_data import main as generate_main
    from scripts.simulation.tables import SCHEMAS

    out = tmp_path / "tiny"
    args = ["--seed", "7", "--customers", "40", "--days", "3", "--out", str(out), "--quiet"]
    assert generate_main(args) == 0
    for table, columns in SCHEMAS.items():
        files = sorted((out / table).glob("load_date=*/*.parquet"))
        assert files, table
        names = pq.ParquetFile(files[0]).schema_arrow.names
        assert names == [c for c, _ in columns] + ["_loaded_at"], table
