"""Generate the raw landing zone (SPEC §2) from a simulated contact centre and its CRM.

    python -m scripts.generate_data --customers 8000 --days 210 --out data/raw --overwrite
    python -m scripts.generate_data --out data/raw --append-day      # one more nightly load
    python -m scripts.generate_data --format amazon_connect --out data/raw --overwrite
    python -m scripts.generate_data --format zendesk --out data/raw --overwrite
    python -m scripts.generate_data --format amazon_connect+zendesk --out data/raw --overwrite
    python -m scripts.generate_data --format salesforce --out data/raw --overwrite
    python -m scripts.generate_data --format amazon_connect+salesforce+zendesk --out data/raw --overwrite

Layout: ``<out>/<table>/load_date=YYYY-MM-DD/part-NNNN.parquet`` for customers, agents,
contacts, contact_events, survey_responses, subscriptions, orders and fraud_cases, with the
SPEC §2 columns and ``_loaded_at TIMESTAMP``. ``load_date`` is the UTC date of ``_loaded_at``.
``<out>/_generator.json`` records the parameters (read back by ``--append-day``) and the
summary; ``--bad-rows`` adds ``<out>/_expected_quarantine.json`` ({table: {reason: count}}).

``--format amazon_connect`` (SPEC §8.2) writes the same simulated centre with its contacts as
Amazon Connect contact records instead of the ``contacts`` and ``contact_events`` tables (the
other six tables as above): gzip JSON lines as Kinesis Data Firehose delivers them,
``<out>/amazon_connect/contact_records/YYYY/MM/DD/HH/cx-ctr-stream-1-...-<seq>.json.gz``, one
record per landing-zone ``contacts`` row (re-deliveries included) with ``LastUpdateTimestamp`` =
its ``_loaded_at``, built from the materialised rows (``scripts/simulation/amazon_connect.py``
lists every field), plus a few records a day that are no customer's contact (MONITOR, TASK,
DISCONNECT). ``<out>/amazon_connect/_parity.json`` holds the counts a parity test needs; with
``--bad-rows`` the expected file gains ``amazon_connect_contact_records`` and
``superseded_extra`` ({table: count}: valid re-deliveries older than the record they repeat).
Connect has no messaging or web channel: ``--channel-set connect`` (implied by that format) puts
those contacts on chat after the simulation, so a landing zone generated with it has the same
contacts as the Connect records of the same seed.

``--format zendesk`` (SPEC §8.3, §8.4) writes the email, web and messaging contacts as Zendesk
tickets, the tables Fivetran's Zendesk connector lands (``scripts/simulation/zendesk.py``):
``<out>/zendesk/<table>/load_date=YYYY-MM-DD/part-0.parquet`` for ticket, ticket_comment,
ticket_field_history, ticket_tag, user, group, schedule, schedule_holiday and ticket_schedule; one
ticket version per landing-zone ``contacts`` row of those contacts (re-deliveries included,
``updated_at`` = its ``_loaded_at``), plus status changes, merged duplicates and deleted tickets.
Their contacts, events and csat responses are left out of the landing zone (voice and chat stay
there); ``zendesk/_parity.json`` holds the counts a parity test needs. ``--format
amazon_connect+zendesk`` (or ``amazon_connect,zendesk``) is the mixed estate: voice and chat as
Connect records, email, web and messaging as Zendesk tickets, no landing-zone contacts or events.

``--format salesforce`` (SPEC §8.3, §8.5) writes the centre as the Salesforce Service Cloud objects Fivetran's
Salesforce connector lands (``scripts/simulation/salesforce.py``): ``<out>/salesforce/<object>/load_date=
YYYY-MM-DD/part-0.parquet`` for case, case_history, messaging_session, voice_call, contact, account, user and
group: email and web contacts as cases, messaging contacts as messaging sessions with a case each, voice
contacts as a voice call per leg with a case per attempt, one version per landing-zone ``contacts`` row
(``system_modstamp`` = its ``_loaded_at``), and the CRM as contact / account versions (one per landing-zone
``customers`` row; no ``customers`` table is written). Chat stays in the landing zone; the other landing-zone
tables name customers, agents and Salesforce contacts by their Salesforce ids (``003…``, ``005…``, ``500…`` /
``0Mw…`` / ``0LQ…``); ``salesforce/_parity.json`` holds the counts a parity test needs. ``--format
amazon_connect+salesforce+zendesk`` (any order, ``,`` or ``+``) is the three-system estate: voice and chat as
Connect records, email and web as Zendesk tickets, messaging and the CRM in Salesforce, and a Service Cloud
Voice ``voice_call`` beside every Connect voice record (``vendor_call_key`` = its ContactId).

The data is a simulation, not random columns (``scripts/simulation``): customers with
segments, regions, preferred channels and CRM versions; agents (about one per 40 customers);
subscriptions with versions (plan changes, save offers after cancellation calls, cancellations,
win-backs); issues at intent-specific rates that become journeys of 1..6 attempts across
channels (IVR, voice and digital bots with intent-dependent success, queues whose waits follow
the time of day, transfers and consult legs, holds, AI assistance for agents whose adoption
ramps from 10 % to 60 % over the first 180 days and which raises resolution and shortens
handling), surveys driven by what the customer went through, churn that rises after unresolved
high-effort journeys, orders whose rate rises with satisfaction, and voice fraud (deepfakes
with high synthetic-voice scores, sensitive actions, fraud cases reported 0-45 days later).

Loading: rows land minutes to hours after the event (same or next day); about 1 % land one to
three days late. CRM rows (customer and subscription versions, agents) land when they change;
the state before ``--start-date`` arrives in the first load.

Determinism: day ``d`` is simulated from ``(seed, d)`` and the state after the days before it,
so the same arguments give the same rows, and ``--days N`` followed by ``--append-day`` gives
exactly the rows of ``--days N+1`` (in either format). Rows whose ``_loaded_at`` falls after
the last day are held back (they appear when a later day is appended).

Warts (always on; proportions in ``scripts/simulation/params.py``):
  * duplicate deliveries: 0.7 % of rows of every table are delivered again 10 min-36 h later;
    40 % of those (contacts, orders, fraud_cases) with a changed non-key value
    (disconnect_reason corrected, order refunded, fraud loss revised), the rest identical;
  * enum spelling: 2 % of rows spell their enum values in upper / title case and / or padded
    with spaces (``VOICE``, `` Chat ``); 3 % of contacts do so for ``intent``;
  * intents unknown to the seed (warranty_claim, delivery_damage, loyalty_points): ~2 % of
    issues; about 6 % of contacts have a null intent (not captured on that leg);
  * ISO-8601 text timestamps (``Z`` or ``+02:00``, half each, same instant) in 25 % of the
    survey_responses files, 10 % of orders files and 5 % of contacts files;
  * a TIMESTAMP WITH TIME ZONE first timestamp column in 15 % of orders files and 30 % of
    fraud_cases files (files not already carrying text timestamps);
  * an unknown extra column in 10 % of contacts, 5 % of contact_events and 20 % of customers
    files;
  * ~5 % of contacts without customer_id (caller not identified; half of the transfer legs
    identify the customer later).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import shutil
import sys
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from scripts.ops import adapters, contract
from scripts.simulation import params as P
from scripts.simulation import salesforce as SF
from scripts.simulation import zendesk as Z
from scripts.simulation.amazon_connect import (
    BAD_SEQUENCE,
    GOOD_SEQUENCE,
    PARITY_FILE,
    RECORDS_DIR,
    ParityCounter,
    Record,
    contact_records,
    day_folder,
    excluded_records,
    with_connect_channels,
    with_record_columns,
    write_hour_files,
)
from scripts.simulation.amazon_connect import QUARANTINE_TABLE as CONNECT_TABLE
from scripts.simulation.bad_rows import BAD_FILE, bad_connect_records, bad_rows_for_day
from scripts.simulation.engine import DAY, TABLES, Simulation
from scripts.simulation.tables import (
    SCHEMAS,
    TS,
    add_row_warts,
    agent_ids,
    apply_file_warts,
    file_wart_plan,
    in_delivery_order,
    materialise,
)

log = logging.getLogger("generate_data")

MANIFEST = "_generator.json"
LANDING_ZONE, AMAZON_CONNECT, ZENDESK, SALESFORCE = "landing_zone", "amazon_connect", "zendesk", "salesforce"
MIXED = f"{AMAZON_CONNECT}+{ZENDESK}"  # voice and chat in Connect, email, web and messaging in Zendesk
# voice and chat in Connect (voice also as Service Cloud Voice calls), email and web in Zendesk, messaging and
# the CRM in Salesforce
MIXED3 = f"{AMAZON_CONNECT}+{SALESFORCE}+{ZENDESK}"
FORMATS = (LANDING_ZONE, AMAZON_CONNECT, ZENDESK, MIXED, SALESFORCE, MIXED3)
ALL_CHANNELS, CONNECT_CHANNELS = "all", "connect"
CHANNEL_SETS = (ALL_CHANNELS, CONNECT_CHANNELS)
# the tables that Connect's records stand for (the adapter registry, macros/cx_platform_adapters.sql)
CONNECT_REPLACES = tuple(adapters.registry(contract.PROJECT_DIR)[AMAZON_CONNECT]["provides"])
SUPERSEDED_EXTRA = "superseded_extra"  # expected file: {table: valid re-deliveries that must lose}
EXPECTED_QUARANTINE = "_expected_quarantine.json"
GENERATOR_VERSION = 1
ROWS_PER_FILE = 2_000_000
HIGH_CARDINALITY = {
    "customer_id", "agent_id", "event_id", "response_id", "subscription_id", "order_id",
    "fraud_case_id", "initial_contact_id", "previous_contact_id", "full_name", "email", "phone",
    "agent_name", "customer_endpoint", "case_id",
}  # fmt: skip


class UsageError(Exception):
    """A problem the user can fix; printed as one line."""


def uses_connect(format_name: str) -> bool:
    return AMAZON_CONNECT in format_name.split("+")


def uses_zendesk(format_name: str) -> bool:
    return Z.is_zendesk(format_name)


def uses_salesforce(format_name: str) -> bool:
    return SF.is_salesforce(format_name)


def _format(text: str) -> str:
    """A --format value: one of FORMATS, or the mixed estate written with ',' or '+' in either order."""
    parts = sorted({p.strip() for p in text.replace(",", "+").split("+") if p.strip()})
    name = "+".join(parts) if len(parts) > 1 else (parts[0] if parts else "")
    if name not in FORMATS:
        raise argparse.ArgumentTypeError(
            f"invalid choice: {text!r} (choose from {', '.join(FORMATS)}; any order, with ',' or '+')"
        )
    return name


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.generate_data",
        description=(
            "Generate the raw landing zone of SPEC §2 (8 tables as hive-partitioned Parquet) "
            "from a deterministic simulation of a contact centre and its CRM, or the same centre "
            "with its contacts as Amazon Connect contact records (--format amazon_connect), its "
            "email, web and messaging contacts as Zendesk tickets (--format zendesk), or both "
            "(--format amazon_connect+zendesk), as Salesforce Service Cloud objects (--format salesforce), "
            "or all three (--format amazon_connect+salesforce+zendesk)."
        ),
        epilog="Same arguments give the same data; --days N then --append-day equals --days N+1.",
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed (default: 42)")
    parser.add_argument(
        "--customers",
        type=int,
        default=8000,
        help=(
            "customers simulated; about 5.5 contacts per customer-year, so 1,400,000 give a "
            "500-seat contact-centre year of ~7.5 M contacts (default: 8000)"
        ),
    )
    parser.add_argument(
        "--start-date",
        type=_date,
        default=dt.date(2025, 1, 1),
        help="first simulated day, YYYY-MM-DD (default: 2025-01-01)",
    )
    parser.add_argument(
        "--days", type=int, default=210, help="number of simulated days / load dates (default: 210)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("data/raw"),
        help="raw landing-zone directory (default: data/raw)",
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help=(
            "delete the 8 tables' folders, amazon_connect/, zendesk/, salesforce/ and the manifests under "
            "--out first"
        ),
    )
    parser.add_argument(
        "--bad-rows",
        action="store_true",
        help="inject extra rows that fail each SPEC §6 check, listed in _expected_quarantine.json",
    )
    parser.add_argument(
        "--append-day",
        action="store_true",
        help=(
            "append one more day (a new load_date partition, and its hour folders of Connect "
            "records or its zendesk/<table>/ and salesforce/<object>/load_date= folders) to the dataset in "
            "--out, with the "
            "parameters of its _generator.json, "
            "--format and --channel-set included (other generation options are ignored)"
        ),
    )
    parser.add_argument(
        "--format",
        type=_format,
        default=LANDING_ZONE,
        metavar="{" + ",".join(FORMATS) + "}",
        help=(
            "how the contacts are written: landing_zone (the contacts and contact_events tables); "
            "amazon_connect (Amazon Connect contact records as Firehose delivers them, gzip JSON "
            "lines under amazon_connect/contact_records/YYYY/MM/DD/HH/; SPEC §8.2); zendesk (email, "
            "web and messaging contacts as the Zendesk tables Fivetran lands, Parquet under "
            "zendesk/<table>/load_date=YYYY-MM-DD/, their csat responses as satisfaction ratings; "
            "voice and chat stay in contacts / contact_events; SPEC §8.4); amazon_connect+zendesk "
            "(also written amazon_connect,zendesk: voice and chat as Connect records, the rest as "
            "Zendesk tickets); salesforce (email and web as cases, messaging as messaging sessions, voice as "
            "voice calls, the CRM as contact / account, Parquet under "
            "salesforce/<object>/load_date=YYYY-MM-DD/; "
            "chat stays in the landing zone, no customers table; SPEC §8.5); "
            "amazon_connect+salesforce+zendesk "
            "(any order: voice and chat in Connect, email and web in Zendesk, messaging and the CRM in "
            "Salesforce, a Service Cloud Voice call beside every Connect voice record); the other tables are "
            "the landing zone's either way (default: landing_zone)"
        ),
    )
    parser.add_argument(
        "--channel-set",
        choices=CHANNEL_SETS,
        default=None,
        help=(
            "all: the five SPEC §2 channels; connect: Amazon Connect's (voice, chat, email), the "
            "simulated messaging and web contacts put on chat after the simulation, so both formats "
            "of a seed hold the same contacts (default: all; connect with --format amazon_connect)"
        ),
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    args = parser.parse_args(argv)
    if args.channel_set is None:
        args.channel_set = CONNECT_CHANNELS if args.format == AMAZON_CONNECT else ALL_CHANNELS
    elif args.format == AMAZON_CONNECT and args.channel_set != CONNECT_CHANNELS:
        parser.error("--format amazon_connect needs --channel-set connect (Connect has no messaging or web)")
    elif (uses_zendesk(args.format) or uses_salesforce(args.format)) and args.channel_set != ALL_CHANNELS:
        parser.error(
            f"--format {args.format} needs --channel-set all (Zendesk / Salesforce hold the messaging and "
            "web "
            "contacts)"
        )
    if args.customers < 1:
        parser.error("--customers must be at least 1")
    if not 1 <= args.days <= 9999:
        parser.error("--days must be between 1 and 9999")
    if args.customers >= 10**8:
        parser.error("--customers must be below 100,000,000")
    return args


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


# ---- writing ------------------------------------------------------------------------------------
class LoadBuffer:
    """Simulated rows bucketed by load day until their partition is written."""

    def __init__(self, start_s: float) -> None:
        self.start_s = start_s
        self.buckets: dict[str, dict[int, list[dict]]] = {t: defaultdict(list) for t in TABLES}

    def add(self, table: str, batch: dict) -> None:
        if len(batch["load_t"]) == 0:  # a tiny centre's day without rows of the table
            return
        day = np.floor((batch["load_t"] - self.start_s) / DAY).astype(np.int64)
        order = np.argsort(day, kind="stable")
        day_sorted = day[order]
        uniq, first = np.unique(day_sorted, return_index=True)
        bounds = [*first[1:], len(day_sorted)]
        for d, lo, hi in zip(uniq, first, bounds, strict=True):
            sel = order[lo:hi]
            self.buckets[table][int(d)].append({k: v[sel] for k, v in batch.items()})

    def pop(self, table: str, day: int) -> dict | None:
        batches = self.buckets[table].pop(day, None)
        if not batches:
            return None
        return {k: np.concatenate([b[k] for b in batches]) for k in batches[0]}

    def held(self) -> int:
        return sum(len(b["load_t"]) for per in self.buckets.values() for bs in per.values() for b in bs)


class Stats:
    def __init__(self) -> None:
        self.rows: dict[str, int] = defaultdict(int)
        self.files: dict[str, int] = defaultdict(int)
        self.bytes: dict[str, int] = defaultdict(int)
        self.duplicates: dict[str, int] = defaultdict(int)
        self.late = 0
        self.file_warts: dict[str, int] = defaultdict(int)
        self.bad: dict[str, dict[str, int]] = defaultdict(dict)
        self.superseded_extra: dict[str, int] = defaultdict(int)
        self.excluded: Counter[str] = Counter()  # Connect records that are no customer's contact
        self.parity: dict | None = None  # --format amazon_connect: the _parity.json counts
        self.zendesk_parity: dict | None = None  # --format zendesk: zendesk/_parity.json
        self.salesforce_parity: dict | None = None  # --format salesforce: salesforce/_parity.json

    def add_file(self, table: str, path: Path, rows: int) -> None:
        self.rows[table] += rows
        self.files[table] += 1
        self.bytes[table] += path.stat().st_size

    def add_bad(self, table: str, reasons: dict[str, int]) -> None:
        for reason, n in reasons.items():
            self.bad[table][reason] = self.bad[table].get(reason, 0) + n


@dataclass(frozen=True)
class Settings:
    """A dataset's generation parameters: the manifest records them, --append-day reads them back."""

    seed: int
    customers: int
    start: dt.date
    days: int
    bad_rows: bool
    format: str
    channel_set: str


@dataclass(frozen=True)
class Target:
    """Where and what the day writer writes, besides the rows of the day."""

    out: Path
    settings: Settings
    customer_ref: str  # a customer that exists from the first load: bad rows reference it
    supervisors: list[str]  # agents on staff from the start: the Connect MONITOR records' agents
    salesforce: SF.SalesforceBuilder | None = None  # the Salesforce formats: what materialises its objects


def landing_tables(settings: Settings) -> list[str]:
    """The landing-zone tables a format writes (Connect stands for contacts and their events, Salesforce for
    customers)."""
    connect, crm = uses_connect(settings.format), uses_salesforce(settings.format)
    return [t for t in TABLES if not (connect and t in CONNECT_REPLACES) and not (crm and t == "customers")]


def write_file(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    # dictionary-encode the repetitive text columns only (ids and timestamps-as-text are unique)
    dictionary = [
        f.name
        for f in table.schema
        if pa.types.is_string(f.type) and f.name not in HIGH_CARDINALITY and not f.name.endswith("_at")
    ]
    pq.write_table(
        table,
        tmp,
        compression="zstd",
        compression_level=1,
        use_dictionary=dictionary,
        row_group_size=256_000,
    )
    tmp.replace(path)


def empty_table(table: str) -> pa.Table:
    """A table's SPEC §2 schema (plus _loaded_at) with no rows."""
    return pa.schema([*SCHEMAS[table], ("_loaded_at", TS)]).empty_table()


def partition_dir(out: Path, table: str, date: dt.date) -> Path:
    return out / table / f"load_date={date.isoformat()}"


def write_day(
    target: Target,
    day: int,
    date: dt.date,
    day_start: float,
    batches: dict[str, dict | None],
    excluded: list[Record],
    stats: Stats,
    zendesk: dict[str, dict | None] | None = None,
    zendesk_bad: dict[str, pa.Table] | None = None,
    salesforce: dict[str, dict | None] | None = None,
    salesforce_bad: dict[str, pa.Table] | None = None,
) -> None:
    """One load day: its landing-zone files, or its Connect records, its Zendesk and Salesforce tables, and
    its bad rows."""
    connect = uses_connect(target.settings.format)
    tables = landing_tables(target.settings)
    good = write_tables(target, tables, day, date, batches, stats)
    if target.settings.bad_rows:
        write_bad_rows(target, tables, day, date, day_start, good, stats)
    if zendesk is not None:
        tables = Z.materialise_day(zendesk, day == 0)
        if target.salesforce is not None and "user" in tables:  # the CRM ids are Salesforce's
            tables["user"] = SF.rename_external_ids(tables["user"])
        for table, path, n in Z.write_tables(target.out, date, tables):
            stats.add_file(f"zendesk.{table}", path, n)
        if zendesk_bad:
            for table, path, n in Z.write_tables(target.out, date, zendesk_bad, Z.BAD_FILE):
                stats.add_file(f"zendesk.{table}", path, n)
    if salesforce is not None:
        write_salesforce_day(target, day, date, salesforce, salesforce_bad, stats)
    if connect:
        records = write_connect_records(target, batches.get("contacts"), excluded, stats)
        if target.settings.bad_rows:
            write_bad_connect_records(target, day, date, day_start, records, stats)


def write_salesforce_day(
    target: Target,
    day: int,
    date: dt.date,
    salesforce: dict[str, dict | None],
    salesforce_bad: dict[str, pa.Table] | None,
    stats: Stats,
) -> None:
    """One load day's Salesforce objects and their bad rows."""
    assert target.salesforce is not None
    objects = SF.materialise_day(target.salesforce, day, salesforce, day == 0)
    for table, path, n in SF.write_tables(target.out, date, objects):
        stats.add_file(f"salesforce.{table}", path, n)
    if salesforce_bad:
        for table, path, n in SF.write_tables(target.out, date, salesforce_bad, SF.BAD_FILE):
            stats.add_file(f"salesforce.{table}", path, n)


def write_tables(
    target: Target, tables: list[str], day: int, date: dt.date, batches: dict[str, dict | None], stats: Stats
) -> dict[str, pa.Table]:
    """The day's landing-zone partitions of ``tables``; returns their good rows (before file warts)."""
    good: dict[str, pa.Table] = {}
    for table in tables:
        b = batches.get(table)
        if b is None or len(b["load_t"]) == 0:
            if day == 0:
                # every table exists from the first load, with its schema, even when it has no rows yet
                # (a small dataset may have no fraud case for weeks): a landing zone never lacks a table
                path = partition_dir(target.out, table, date) / "part-0000.parquet"
                write_file(path, empty_table(table))
                stats.add_file(table, path, 0)
            continue
        stats.duplicates[table] += int((b["dup"] > 0).sum())
        if "zd_ref" in b:  # --format zendesk: rows that name a Zendesk contact name it zendesk:<id>
            b = in_delivery_order(table, b)
            t = Z.rewrite_contact_ids(table, b, materialise(table, b))
        elif target.salesforce is not None:
            b = in_delivery_order(table, b)
            t = materialise(table, b)
        else:
            t = materialise(table, b)
        if target.salesforce is not None:  # Salesforce's ids for its customers, agents and contacts
            t = SF.rewrite_ids(table, b, t, agents=not target.salesforce.scv)
        good[table] = t
        plan = file_wart_plan(target.settings.seed, table, day)
        t = apply_file_warts(table, t, plan)
        for wart in ("text_ts", "tz_ts", "extra_column"):
            stats.file_warts[wart] += int(plan[wart])
        folder = partition_dir(target.out, table, date)
        for i, lo in enumerate(range(0, t.num_rows, ROWS_PER_FILE)):
            part = t.slice(lo, ROWS_PER_FILE)
            path = folder / f"part-{i:04d}.parquet"
            write_file(path, part)
            stats.add_file(table, path, part.num_rows)
    return good


def write_bad_rows(
    target: Target,
    tables: list[str],
    day: int,
    date: dt.date,
    day_start: float,
    good: dict[str, pa.Table],
    stats: Stats,
) -> None:
    """The landing-zone bad rows of the day (of ``tables``: not contacts' in Connect format)."""
    bad, counts = bad_rows_for_day(day, day_start, good, target.customer_ref)
    for table in tables:
        if table in bad:
            path = partition_dir(target.out, table, date) / BAD_FILE
            write_file(path, bad[table])
            stats.add_file(table, path, bad[table].num_rows)
            stats.add_bad(table, counts[table])


def write_connect_records(
    target: Target, contacts: dict | None, excluded: list[Record], stats: Stats
) -> list[Record]:
    """The day's contact records (one per landing-zone contacts row, built from the materialised
    row) and its excluded records, in hourly files; returns the customer-contact records."""
    records: list[Record] = []
    if contacts is not None and len(contacts["load_t"]):
        stats.duplicates[CONNECT_TABLE] += int((contacts["dup"] > 0).sum())
        ordered = in_delivery_order("contacts", contacts)
        table = materialise("contacts", ordered)
        if target.salesforce is not None:  # the customer_id attribute holds the Salesforce CRM's id
            table = SF.rewrite_ids("contacts", ordered, table, agents=False)
        records = contact_records(table, ordered, target.settings.seed)
    for path, n in write_hour_files(target.out, records + excluded, GOOD_SEQUENCE):
        stats.add_file(CONNECT_TABLE, path, n)
    return records


def write_bad_connect_records(
    target: Target, day: int, date: dt.date, day_start: float, good: list[Record], stats: Stats
) -> None:
    bad, reasons, superseded = bad_connect_records(day, date, day_start, good, target.customer_ref)
    for path, n in write_hour_files(target.out, bad, BAD_SEQUENCE):
        stats.add_file(CONNECT_TABLE, path, n)
    stats.add_bad(CONNECT_TABLE, reasons)
    if superseded:
        stats.superseded_extra[CONNECT_TABLE] += superseded


def reference_customer(sim: Simulation) -> str:
    """A customer that exists from the first load: bad rows reference it."""
    return f"CUST{int(np.argmin(sim.created)):08d}"


def supervisors(sim: Simulation) -> list[str]:
    """Agents hired before the first simulated day."""
    return agent_ids(np.flatnonzero(sim.agent_hired < sim.start_s)).to_pylist()


def simulate_day(
    sim: Simulation,
    settings: Settings,
    day: int,
    zendesk: Z.ZendeskBuilder | None = None,
    salesforce: SF.SalesforceBuilder | None = None,
) -> dict[str, list[dict]]:
    """Day ``day``'s simulated rows, with the channel set applied and, for Connect and Zendesk, the
    columns their records need (never a change to the simulation or its random streams)."""
    produced = sim.step(day)
    if settings.channel_set == CONNECT_CHANNELS:
        produced["contacts"] = [with_connect_channels(b) for b in produced.get("contacts", [])]
    if uses_connect(settings.format):
        scheduled = sim.customers_with_scheduled_account_update()
        produced = with_record_columns(produced, settings.seed, sim.ver, scheduled)
    if zendesk is not None:
        produced = zendesk.prepare(produced, day, sim.day_start(day))
    if salesforce is not None:
        produced = salesforce.prepare(produced, day, sim.day_start(day))
    return produced


def run(settings: Settings, out: Path, write_days: range, progress: Callable[[int], None]) -> Stats:
    """Simulate ``settings.days`` days and write the load-date partitions in ``write_days``."""
    sim = Simulation(settings.seed, settings.customers, settings.start)
    buf = LoadBuffer(sim.start_s)
    stats = Stats()
    connect = uses_connect(settings.format)
    salesforce = (
        SF.SalesforceBuilder(settings.seed, sim.start_s, settings.customers, sim, scv=connect)
        if uses_salesforce(settings.format)
        else None
    )
    customer_ref = reference_customer(sim)
    if salesforce is not None:
        customer_ref = SF.customer_id(customer_ref)
    target = Target(out, settings, customer_ref, supervisors(sim), salesforce)
    parity = ParityCounter(sim.region, sim.phone, sim.name_first, sim.name_last) if connect else None
    zendesk = None
    if uses_zendesk(settings.format):
        # with Salesforce on, messaging is Salesforce's: Zendesk takes email and web
        channels = (P.EMAIL, P.WEB) if salesforce is not None else Z.CHANNELS
        zendesk = Z.ZendeskBuilder(settings.seed, sim.start_s, settings.customers, sim, channels)
    # Materialising and writing a day's files (pyarrow, mostly outside the GIL) runs in one
    # writer thread while the next day is simulated; at most two days wait to be written.
    pending: deque[Future] = deque()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="writer") as writer:
        for day in range(settings.days):
            produced = simulate_day(sim, settings, day, zendesk, salesforce)
            wrng = np.random.default_rng([settings.seed, 3, day])
            for table in TABLES:
                for batch in produced.get(table, []):
                    buf.add(table, add_row_warts(table, batch, wrng))
            batches = {table: buf.pop(table, day) for table in TABLES}
            date = settings.start + dt.timedelta(days=day)
            zendesk_tables = zendesk_bad = None
            if zendesk is not None:  # every day, written or not: the parity counts cover the whole dataset
                batches, zendesk_tables = zendesk.split(day, batches)
                if settings.bad_rows:
                    zendesk_bad, details = Z.bad_rows(day, sim.day_start(day), zendesk_tables)
                    zendesk.parity.add_bad(details)
            salesforce_tables = salesforce_bad = None
            if salesforce is not None:  # every day, written or not, like Zendesk's
                batches, salesforce_tables = salesforce.split(day, batches)
                if settings.bad_rows:
                    salesforce_bad, details = SF.bad_rows(
                        salesforce, day, sim.day_start(day), salesforce_tables, target.customer_ref
                    )
                    salesforce.parity.add_bad(details)
            excluded: list[Record] = []  # Connect records that are no customer's contact
            excluded_counts: dict[str, int] = {}
            if parity is not None:  # every day, written or not: the counts cover the whole dataset
                excluded, excluded_counts = excluded_records(
                    settings.seed, day, sim.day_start(day), target.supervisors, target.customer_ref
                )
                parity.add_day(batches, excluded_counts)
            if day in write_days:
                job = (
                    target,
                    day,
                    date,
                    sim.day_start(day),
                    batches,
                    excluded,
                    stats,
                    zendesk_tables,
                    zendesk_bad,
                    salesforce_tables,
                    salesforce_bad,
                )
                pending.append(writer.submit(write_day, *job))
                stats.excluded.update(excluded_counts)
            while len(pending) > 2 or (pending and pending[0].done()):
                pending.popleft().result()
            progress(day)
        while pending:
            pending.popleft().result()
    stats.late = buf.held()
    if parity is not None:
        stats.parity = parity.summary()
    if zendesk is not None:
        stats.late += zendesk.held()
        stats.zendesk_parity = zendesk.parity.summary()
    if salesforce is not None:
        stats.late += salesforce.held()
        stats.salesforce_parity = salesforce.parity.summary()
    return stats


# ---- manifest and summary -------------------------------------------------------------------
def table_totals(out: Path, settings: Settings) -> dict[str, dict[str, float]]:
    """Rows, files and bytes of every table written (Connect: of its records, from the counts)."""
    totals = {}
    for table in landing_tables(settings):
        files = sorted((out / table).glob("load_date=*/*.parquet"))
        rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
        size = sum(f.stat().st_size for f in files)
        totals[table] = {"rows": rows, "files": len(files), "bytes": size}
    return totals


def connect_totals(out: Path, parity: dict, bad_records: int) -> dict:
    """The Connect records in the files: customer contacts, excluded records, bad lines."""
    files = sorted((out / RECORDS_DIR).glob("*/*/*/*/*.json.gz"))
    excluded = parity["excluded_records"]
    return {
        "records": parity["contact_records"] + sum(excluded.values()) + bad_records,
        "contact_records": parity["contact_records"],
        "excluded_records": excluded,
        "bad_records": bad_records,
        "files": len(files),
        "bytes": sum(f.stat().st_size for f in files),
    }


def wart_doc() -> dict:
    return {
        "duplicate_delivery_share": P.P_DUPLICATE,
        "duplicate_with_changed_value_share": P.P_DUPLICATE_CHANGED,
        "late_share_1_to_3_days": P.P_LATE,
        "enum_styled_share": P.P_ENUM_STYLE,
        "intent_styled_share": P.P_INTENT_STYLE,
        "unknown_intent_share_of_issues": round(float(P.INTENT_MIX[P.N_KNOWN_INTENTS :].sum()), 4),
        "null_intent_share_of_head_contacts": round(1 - P.P_INTENT_CAPTURED, 4),
        "text_timestamp_file_share": P.TEXT_TS_FILES,
        "timestamptz_file_share": P.TZ_TS_FILES,
        "extra_column_file_share": P.EXTRA_COLUMN_FILES,
    }


def write_manifest(
    out: Path,
    settings: Settings,
    totals: dict,
    connect: dict | None,
    zendesk: dict | None = None,
    salesforce: dict | None = None,
) -> None:
    manifest = {
        "generator": "scripts.generate_data",
        "generator_version": GENERATOR_VERSION,
        "seed": settings.seed,
        "customers": settings.customers,
        "start_date": settings.start.isoformat(),
        "days": settings.days,
        "last_load_date": (settings.start + dt.timedelta(days=settings.days - 1)).isoformat(),
        "bad_rows": settings.bad_rows,
        "format": settings.format,
        "channel_set": settings.channel_set,
        "warts": wart_doc(),
        "tables": totals,
    }
    if connect is not None:
        manifest[AMAZON_CONNECT] = connect
    if zendesk is not None:
        manifest[ZENDESK] = zendesk
    if salesforce is not None:
        manifest[SALESFORCE] = salesforce
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")


def read_manifest(out: Path) -> dict:
    path = out / MANIFEST
    if not path.exists():
        raise UsageError(f"{out} has no {MANIFEST}; generate a dataset there first (without --append-day)")
    try:
        manifest = json.loads(path.read_text())
        if manifest.get("generator_version") != GENERATOR_VERSION:
            raise UsageError(
                f"{path} was written by generator version {manifest.get('generator_version')}; "
                f"regenerate with --overwrite"
            )
        return manifest
    except (json.JSONDecodeError, KeyError) as exc:
        raise UsageError(f"{path} is not a valid manifest ({exc}); regenerate with --overwrite") from exc


def settings_of(manifest: dict) -> Settings:
    """The settings a manifest records, with one more day (--append-day)."""
    return Settings(
        seed=int(manifest["seed"]),
        customers=int(manifest["customers"]),
        start=dt.date.fromisoformat(manifest["start_date"]),
        days=int(manifest["days"]) + 1,
        bad_rows=bool(manifest["bad_rows"]),
        format=manifest.get("format", LANDING_ZONE),  # manifests older than --format
        channel_set=manifest.get("channel_set", ALL_CHANNELS),
    )


def has_data(out: Path) -> bool:
    return (out / MANIFEST).exists() or any(
        (out / t).exists() for t in (*TABLES, AMAZON_CONNECT, ZENDESK, SALESFORCE)
    )


def clear(out: Path) -> None:
    for t in (*TABLES, AMAZON_CONNECT, ZENDESK, SALESFORCE):
        shutil.rmtree(out / t, ignore_errors=True)
    for name in (MANIFEST, EXPECTED_QUARANTINE):
        (out / name).unlink(missing_ok=True)


def check_new_day_is_absent(out: Path, settings: Settings, date: dt.date) -> None:
    connect = uses_connect(settings.format)
    folders = [partition_dir(out, t, date) for t in landing_tables(settings)]
    if connect:
        folders.append(day_folder(out, date))
    if uses_zendesk(settings.format):
        folders.extend(Z.day_folders(out, date))
    if uses_salesforce(settings.format):
        folders.extend(SF.day_folders(out, date))
    for folder in folders:
        if folder.exists():
            raise UsageError(
                f"{folder} already exists; the manifest and the data disagree, regenerate with --overwrite"
            )


def update_expected_quarantine(out: Path, stats: Stats, append: bool) -> dict:
    """Add this run's bad rows to ``_expected_quarantine.json`` (a new file unless appending)."""
    path = out / EXPECTED_QUARANTINE
    expected: dict[str, dict[str, int]] = json.loads(path.read_text()) if append and path.exists() else {}
    for table, reasons in stats.bad.items():
        per = expected.setdefault(table, {})
        for reason, n in reasons.items():
            per[reason] = per.get(reason, 0) + n
    superseded = expected.setdefault(SUPERSEDED_EXTRA, {})
    for table, n in stats.superseded_extra.items():
        superseded[table] = superseded.get(table, 0) + n
    keys = [t for t in (*TABLES, CONNECT_TABLE, SUPERSEDED_EXTRA) if expected.get(t)]
    expected = {key: dict(sorted(expected[key].items())) for key in keys}
    path.write_text(json.dumps(expected, indent=2) + "\n")
    return expected


def print_summary(
    out: Path,
    totals: dict,
    connect: dict | None,
    stats: Stats,
    elapsed: float,
    mode: str,
    zendesk: dict | None = None,
    salesforce: dict | None = None,
) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=True)
    table = Table(title=f"{mode}: {out}", title_justify="left")
    for col in ("table", "rows", "files", "MB", "new rows", "new dups"):
        table.add_column(col, justify="right" if col != "table" else "left")
    rows = dict(totals)
    if connect is not None:
        rows[CONNECT_TABLE] = {k: connect[k] for k in ("files", "bytes")} | {"rows": connect["records"]}
    if zendesk is not None:
        rows.update({f"zendesk.{t}": v for t, v in zendesk["tables"].items()})
    if salesforce is not None:
        rows.update({f"salesforce.{t}": v for t, v in salesforce["tables"].items()})
    for t, total in rows.items():
        table.add_row(
            t,
            f"{total['rows']:,}",
            f"{total['files']:,}",
            f"{total['bytes'] / 1e6:,.1f}",
            f"{stats.rows.get(t, 0):,}",
            f"{stats.duplicates.get(t, 0):,}",
        )
    all_rows = sum(v["rows"] for v in rows.values())
    all_mb = sum(v["bytes"] for v in rows.values()) / 1e6
    all_files = sum(v["files"] for v in rows.values())
    table.add_row("total", f"{all_rows:,}", f"{all_files:,}", f"{all_mb:,.1f}", "", "")
    console.print(table)
    warts = ", ".join(f"{k}: {v}" for k, v in sorted(stats.file_warts.items()))
    console.print(
        f"warts: {P.P_DUPLICATE:.1%} duplicate deliveries (40 % changed), {P.P_LATE:.0%} of rows "
        f"1-3 days late, {P.P_ENUM_STYLE:.0%} enum / {P.P_INTENT_STYLE:.0%} intent spellings, "
        f"~2 % unknown intents; files with {warts}"
    )
    if connect is not None:
        excluded = ", ".join(f"{k} {v:,}" for k, v in connect["excluded_records"].items())
        excluded_now = ", ".join(f"{k} {stats.excluded[k]:,}" for k in connect["excluded_records"])
        console.print(
            f"amazon_connect: {connect['contact_records']:,} contact records (re-deliveries included), "
            f"excluded records: {excluded} (written now: {excluded_now}); "
            f"customer_id left to identity matching: {stats.parity['customer_id_dropped']:,} contacts "
            f"(see {PARITY_FILE})"
        )
    if zendesk is not None and stats.zendesk_parity is not None:
        zp = stats.zendesk_parity
        console.print(
            f"zendesk: {zp['tickets']:,} tickets from contacts ({zp['ticket_rows']:,} ticket rows), "
            f"{zp['merged_tickets']:,} merged, {zp['deleted_tickets']:,} deleted, {zp['reopened_tickets']:,} "
            f"reopened, csat {zp['csat_good']:,} good / {zp['csat_bad']:,} bad (see {Z.PARITY_FILE})"
        )
    if salesforce is not None and stats.salesforce_parity is not None:
        sp = stats.salesforce_parity
        written, excluded = sp["contacts"], sp["excluded_expected"]
        scv = f", {sp['scv_pairs']:,} Service Cloud Voice pairs" if "scv_pairs" in sp else ""
        console.print(
            f"salesforce: {written['cases_from_email_web']:,} cases from email / web, "
            f"{written['messaging_sessions']:,} messaging sessions, {written['voice_calls']:,} voice calls "
            f"({written['voice_cases']:,} voice cases){scv}; excluded: {excluded['merged']:,} merged, "
            f"{excluded['deleted']:,} deleted, {excluded['system']:,} system, "
            f"{excluded['case_of_session']:,} cases of sessions / calls (see {SF.PARITY_FILE})"
        )
    console.print(f"held back (load date after the last day): {stats.late:,} rows")
    if stats.bad:
        n_bad = sum(sum(v.values()) for v in stats.bad.values())
        console.print(f"bad rows written now: {n_bad} (see {EXPECTED_QUARANTINE})")
    console.print(f"done in {elapsed:.1f} s")


# ---- main ---------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    try:
        return _main(args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; the output is incomplete, rerun with --overwrite", file=sys.stderr)
        return 130


def _main(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    out: Path = args.out
    if args.append_day:
        settings = settings_of(read_manifest(out))
        new_date = settings.start + dt.timedelta(days=settings.days - 1)
        check_new_day_is_absent(out, settings, new_date)
        write_days = range(settings.days - 1, settings.days)
        mode = f"appended {new_date}"
    else:
        if out.exists() and has_data(out):
            if not args.overwrite:
                raise UsageError(f"{out} already holds data; pass --overwrite or choose another --out")
            clear(out)
        settings = Settings(
            seed=args.seed,
            customers=args.customers,
            start=args.start_date,
            days=args.days,
            bad_rows=args.bad_rows,
            format=args.format,
            channel_set=args.channel_set,
        )
        write_days = range(settings.days)
        mode = f"generated {settings.days} days from {settings.start}"
    out.mkdir(parents=True, exist_ok=True)

    from rich.console import Console

    console = Console(stderr=True)
    days = settings.days
    if args.quiet:
        stats = run(settings, out, write_days, lambda d: None)
    elif not console.is_terminal:  # a log, not a screen: one line per ~10 % of the days
        step = max(1, days // 10)

        def log_line(day: int) -> None:
            if (day + 1) % step == 0 or day + 1 == days:
                took = time.perf_counter() - started
                print(f"simulated day {day + 1}/{days} ({took:.0f} s)", file=sys.stderr, flush=True)

        stats = run(settings, out, write_days, log_line)
    else:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(
            TextColumn("[bold]simulating[/] day {task.completed:.0f}/{task.total:.0f}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("days", total=days)
            stats = run(settings, out, write_days, lambda d: bar.update(task, completed=d + 1))

    expected = update_expected_quarantine(out, stats, args.append_day) if settings.bad_rows else {}
    totals = table_totals(out, settings)
    connect = None
    if stats.parity is not None:
        (out / PARITY_FILE).write_text(json.dumps(stats.parity, indent=2) + "\n")
        bad_records = sum(expected.get(CONNECT_TABLE, {}).values())
        bad_records += expected.get(SUPERSEDED_EXTRA, {}).get(CONNECT_TABLE, 0)
        connect = connect_totals(out, stats.parity, bad_records)
    zendesk = None
    if stats.zendesk_parity is not None:
        (out / Z.PARITY_FILE).parent.mkdir(parents=True, exist_ok=True)
        (out / Z.PARITY_FILE).write_text(json.dumps(stats.zendesk_parity, indent=2) + "\n")
        zendesk = {
            "tickets": stats.zendesk_parity["tickets"],
            "ticket_rows": stats.zendesk_parity["ticket_rows"],
            "tables": Z.totals(out),
        }
    salesforce = None
    if stats.salesforce_parity is not None:
        (out / SF.PARITY_FILE).parent.mkdir(parents=True, exist_ok=True)
        (out / SF.PARITY_FILE).write_text(json.dumps(stats.salesforce_parity, indent=2) + "\n")
        salesforce = {
            "contacts": stats.salesforce_parity["contacts"],
            "tables": SF.totals(out),
        }
    write_manifest(out, settings, totals, connect, zendesk, salesforce)
    if not args.quiet:
        print_summary(out, totals, connect, stats, time.perf_counter() - started, mode, zendesk, salesforce)
    return 0


if __name__ == "__main__":
    sys.exit(main())
