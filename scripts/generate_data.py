"""Generate the raw landing zone (SPEC §2) from a simulated contact centre and its CRM.

    python -m scripts.generate_data --customers 8000 --days 210 --out data/raw --overwrite
    python -m scripts.generate_data --out data/raw --append-day      # one more nightly load

Layout: ``<out>/<table>/load_date=YYYY-MM-DD/part-NNNN.parquet`` for customers, agents,
contacts, contact_events, survey_responses, subscriptions, orders and fraud_cases, with the
SPEC §2 columns and ``_loaded_at TIMESTAMP``. ``load_date`` is the UTC date of ``_loaded_at``.
``<out>/_generator.json`` records the parameters (read back by ``--append-day``) and the
summary; ``--bad-rows`` adds ``<out>/_expected_quarantine.json`` ({table: {reason: count}}).

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
exactly the rows of ``--days N+1``. Rows whose ``_loaded_at`` falls after the last day are held
back (they appear when a later day is appended).

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
from collections import defaultdict, deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from scripts.simulation import params as P
from scripts.simulation.bad_rows import BAD_FILE, bad_rows_for_day
from scripts.simulation.engine import DAY, TABLES, Simulation
from scripts.simulation.tables import (
    SCHEMAS,
    TS,
    add_row_warts,
    apply_file_warts,
    file_wart_plan,
    materialise,
)

log = logging.getLogger("generate_data")

MANIFEST = "_generator.json"
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


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.generate_data",
        description=(
            "Generate the raw landing zone of SPEC §2 (8 tables as hive-partitioned Parquet) "
            "from a deterministic simulation of a contact centre and its CRM."
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
        help="delete the 8 tables' folders and the manifests under --out first",
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
            "append one more day (a new load_date partition) to the dataset in --out, with "
            "the parameters of its _generator.json (other generation options are ignored)"
        ),
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    args = parser.parse_args(argv)
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

    def add_file(self, table: str, path: Path, rows: int) -> None:
        self.rows[table] += rows
        self.files[table] += 1
        self.bytes[table] += path.stat().st_size


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
    out: Path,
    seed: int,
    day: int,
    date: dt.date,
    day_start: float,
    batches: dict[str, dict | None],
    bad_rows: bool,
    customer_id: str,
    stats: Stats,
) -> None:
    good: dict[str, pa.Table] = {}
    for table in TABLES:
        b = batches.get(table)
        if b is None or len(b["load_t"]) == 0:
            if day == 0:
                # every table exists from the first load, with its schema, even when it has no rows yet
                # (a small dataset may have no fraud case for weeks): a landing zone never lacks a table
                path = partition_dir(out, table, date) / "part-0000.parquet"
                write_file(path, empty_table(table))
                stats.add_file(table, path, 0)
            continue
        stats.duplicates[table] += int((b["dup"] > 0).sum())
        t = materialise(table, b)
        good[table] = t
        plan = file_wart_plan(seed, table, day)
        t = apply_file_warts(table, t, plan)
        for wart in ("text_ts", "tz_ts", "extra_column"):
            stats.file_warts[wart] += int(plan[wart])
        folder = partition_dir(out, table, date)
        for i, lo in enumerate(range(0, t.num_rows, ROWS_PER_FILE)):
            part = t.slice(lo, ROWS_PER_FILE)
            path = folder / f"part-{i:04d}.parquet"
            write_file(path, part)
            stats.add_file(table, path, part.num_rows)
    if bad_rows:
        tables, counts = bad_rows_for_day(day, day_start, good, customer_id)
        for table, t in tables.items():
            path = partition_dir(out, table, date) / BAD_FILE
            write_file(path, t)
            stats.add_file(table, path, t.num_rows)
            for reason, n in counts[table].items():
                stats.bad[table][reason] = stats.bad[table].get(reason, 0) + n


def reference_customer(sim: Simulation) -> str:
    """A customer that exists from the first load: bad rows reference it."""
    return f"CUST{int(np.argmin(sim.created)):08d}"


def run(
    seed: int,
    customers: int,
    start: dt.date,
    days: int,
    out: Path,
    bad_rows: bool,
    write_days: range,
    progress,
) -> Stats:
    """Simulate ``days`` days and write the load-date partitions in ``write_days``."""
    sim = Simulation(seed, customers, start)
    buf = LoadBuffer(sim.start_s)
    stats = Stats()
    cust_ref = reference_customer(sim)
    # Materialising and writing a day's files (pyarrow, mostly outside the GIL) runs in one
    # writer thread while the next day is simulated; at most two days wait to be written.
    pending: deque[Future] = deque()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="writer") as writer:
        for day in range(days):
            produced = sim.step(day)
            wrng = np.random.default_rng([seed, 3, day])
            for table in TABLES:
                for batch in produced.get(table, []):
                    buf.add(table, add_row_warts(table, batch, wrng))
            batches = {table: buf.pop(table, day) for table in TABLES}
            if day in write_days:
                date = start + dt.timedelta(days=day)
                job = (out, seed, day, date, sim.day_start(day), batches, bad_rows, cust_ref, stats)
                pending.append(writer.submit(write_day, *job))
            while len(pending) > 2 or (pending and pending[0].done()):
                pending.popleft().result()
            progress(day)
        while pending:
            pending.popleft().result()
    stats.late = buf.held()
    return stats


# ---- manifest and summary -------------------------------------------------------------------
def table_totals(out: Path) -> dict[str, dict[str, float]]:
    totals = {}
    for table in TABLES:
        files = sorted((out / table).glob("load_date=*/*.parquet"))
        rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
        size = sum(f.stat().st_size for f in files)
        totals[table] = {"rows": rows, "files": len(files), "bytes": size}
    return totals


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


def write_manifest(out: Path, args: dict, stats_all: dict, elapsed: float | None) -> None:
    manifest = {
        "generator": "scripts.generate_data",
        "generator_version": GENERATOR_VERSION,
        "seed": args["seed"],
        "customers": args["customers"],
        "start_date": args["start_date"],
        "days": args["days"],
        "last_load_date": args["last_load_date"],
        "bad_rows": args["bad_rows"],
        "warts": wart_doc(),
        "tables": stats_all,
    }
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


def has_data(out: Path) -> bool:
    return (out / MANIFEST).exists() or any((out / t).exists() for t in TABLES)


def clear(out: Path) -> None:
    for t in TABLES:
        shutil.rmtree(out / t, ignore_errors=True)
    for name in (MANIFEST, EXPECTED_QUARANTINE):
        (out / name).unlink(missing_ok=True)


def print_summary(out: Path, totals: dict, stats: Stats, elapsed: float, mode: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(stderr=True)
    table = Table(title=f"{mode}: {out}", title_justify="left")
    for col in ("table", "rows", "files", "MB", "new rows", "new dups"):
        table.add_column(col, justify="right" if col != "table" else "left")
    for t in TABLES:
        table.add_row(
            t,
            f"{totals[t]['rows']:,}",
            f"{totals[t]['files']:,}",
            f"{totals[t]['bytes'] / 1e6:,.1f}",
            f"{stats.rows.get(t, 0):,}",
            f"{stats.duplicates.get(t, 0):,}",
        )
    all_rows = sum(v["rows"] for v in totals.values())
    all_mb = sum(v["bytes"] for v in totals.values()) / 1e6
    all_files = sum(v["files"] for v in totals.values())
    table.add_row("total", f"{all_rows:,}", f"{all_files:,}", f"{all_mb:,.1f}", "", "")
    console.print(table)
    warts = ", ".join(f"{k}: {v}" for k, v in sorted(stats.file_warts.items()))
    console.print(
        f"warts: {P.P_DUPLICATE:.1%} duplicate deliveries (40 % changed), {P.P_LATE:.0%} of rows "
        f"1-3 days late, {P.P_ENUM_STYLE:.0%} enum / {P.P_INTENT_STYLE:.0%} intent spellings, "
        f"~2 % unknown intents; files with {warts}"
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
        m = read_manifest(out)
        seed, customers = int(m["seed"]), int(m["customers"])
        start = dt.date.fromisoformat(m["start_date"])
        days = int(m["days"]) + 1
        bad_rows = bool(m["bad_rows"])
        new_date = start + dt.timedelta(days=days - 1)
        for t in TABLES:
            if partition_dir(out, t, new_date).exists():
                raise UsageError(
                    f"{partition_dir(out, t, new_date)} already exists; the manifest and the "
                    f"data disagree, regenerate with --overwrite"
                )
        write_days = range(days - 1, days)
        mode = f"appended {new_date}"
    else:
        if out.exists() and has_data(out):
            if not args.overwrite:
                raise UsageError(f"{out} already holds data; pass --overwrite or choose another --out")
            clear(out)
        seed, customers, start, days = args.seed, args.customers, args.start_date, args.days
        bad_rows = args.bad_rows
        write_days = range(days)
        mode = f"generated {days} days from {start}"
    out.mkdir(parents=True, exist_ok=True)

    from rich.console import Console

    console = Console(stderr=True)
    if args.quiet:
        stats = run(seed, customers, start, days, out, bad_rows, write_days, lambda d: None)
    elif not console.is_terminal:  # a log, not a screen: one line per ~10 % of the days
        step = max(1, days // 10)

        def log_line(day: int) -> None:
            if (day + 1) % step == 0 or day + 1 == days:
                took = time.perf_counter() - started
                print(f"simulated day {day + 1}/{days} ({took:.0f} s)", file=sys.stderr, flush=True)

        stats = run(seed, customers, start, days, out, bad_rows, write_days, log_line)
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
            stats = run(
                seed, customers, start, days, out, bad_rows, write_days,
                lambda d: bar.update(task, completed=d + 1),
            )  # fmt: skip

    if bad_rows:
        path = out / EXPECTED_QUARANTINE
        expected: dict[str, dict[str, int]] = {}
        if args.append_day and path.exists():
            expected = json.loads(path.read_text())
        for table, reasons in stats.bad.items():
            per = expected.setdefault(table, {})
            for reason, n in reasons.items():
                per[reason] = per.get(reason, 0) + n
        expected = {t: dict(sorted(expected[t].items())) for t in TABLES if t in expected}
        path.write_text(json.dumps(expected, indent=2) + "\n")
    totals = table_totals(out)
    elapsed = time.perf_counter() - started
    write_manifest(
        out,
        {
            "seed": seed,
            "customers": customers,
            "start_date": start.isoformat(),
            "days": days,
            "last_load_date": (start + dt.timedelta(days=days - 1)).isoformat(),
            "bad_rows": bad_rows,
        },
        totals,
        elapsed,
    )
    if not args.quiet:
        print_summary(out, totals, stats, elapsed, mode)
    return 0


if __name__ == "__main__":
    sys.exit(main())
