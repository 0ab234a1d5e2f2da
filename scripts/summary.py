"""Print the headline figures of a published CX Outcomes warehouse.

Reads the warehouse read-only (BI tools and this script never take the write lock) and prints, from the marts:
first contact resolution next to the legacy deflection numbers, effort, AI-assist uplift, retention, revenue
protected and voice-risk detection quality. A mart that is not in the warehouse is reported as missing.
Every figure is a metric of the semantic layer (models/semantic), computed by scripts/ops/metrics.py: its
label, formula and format are written there once.

    python -m scripts.summary [--warehouse warehouse/cx.duckdb]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from scripts.ops import metrics

log = logging.getLogger(__name__)

Row = tuple[str, str]
LAYER = metrics.load()  # every formula comes from the semantic layer (models/semantic)


def _metric_rows(
    conn: duckdb.DuckDBPyConnection, relation: str, names: list[str], where: str | None = None
) -> list[Row]:
    """One row per metric: its label and value, both from the semantic layer (scripts/ops/metrics.py)."""
    found = metrics.values(conn, relation, names, where=where)
    return [(LAYER.metric(name).label, LAYER.metric(name).display(found[name])) for name in names]


def _pair(conn: duckdb.DuckDBPyConnection, relation: str, label: str, first: str, second: str, **kw) -> Row:
    """`first vs second` on one row (e.g. AI-assisted vs human-only)."""
    found = metrics.values(conn, relation, [first, second], **kw)
    return (
        label,
        f"{LAYER.metric(first).display(found[first])} vs {LAYER.metric(second).display(found[second])}",
    )


def _has(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchone()[0]
    )


def _one(conn: duckdb.DuckDBPyConnection, sql: str) -> tuple:
    return conn.execute(sql).fetchone()


def data_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    as_of = _one(conn, "select as_of from intermediate.int_as_of_resolved")[0]
    contacts, attempts = _one(
        conn, "select (select count(*) from core.fct_contacts), (select count(*) from core.fct_attempts)"
    )
    journeys, matured, pending = _one(
        conn,
        """select count(*), count(*) filter (where is_matured and is_identified),
                  count(*) filter (where is_pending) from core.fct_journeys""",
    )
    received, quarantined = _one(
        conn,
        "select sum(rows), sum(rows) filter (where status = 'quarantined') from outcomes.mart_data_quality",
    )
    return [
        ("as_of (data complete up to, UTC)", str(as_of)),
        ("contacts / attempts / journeys", f"{contacts:,} / {attempts:,} / {journeys:,}"),
        ("matured journeys (enter rates) / pending", f"{matured:,} / {pending:,}"),
        ("raw rows received / quarantined", f"{received:,} / {quarantined or 0:,}"),
    ]


def resolution_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    return _metric_rows(
        conn,
        "outcomes.mart_first_contact_resolution",
        ["fcr_rate", "one_touch_rate", "resolution_rate", "repeat_contact_rate", "channel_hopping_rate"],
    )


def deflection_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    # SPEC §4.3: bot containment is shown next to false containment, never minus contained resolution (their
    # denominators differ: bot attempts vs contained journeys)
    return _metric_rows(
        conn,
        "outcomes.mart_deflection_vs_resolution",
        [
            "deflection_rate",
            "bot_containment_rate",
            "false_containment_rate",
            "contained_resolution_rate",
            "abandonment_rate",
            "aht_seconds",
        ],
    )


def effort_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    return _metric_rows(
        conn,
        "outcomes.mart_customer_effort",
        ["avg_ces", "ces_agree_rate", "avg_effort_index", "high_effort_rate"],
    )


def uplift_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    mart, every_intent = "outcomes.mart_ai_assist_uplift", "intent_group = 'all'"
    return [
        _pair(
            conn,
            mart,
            "FCR: AI-assisted vs human only",
            "assisted_fcr_rate",
            "human_fcr_rate",
            where=every_intent,
        ),
        *_metric_rows(conn, mart, ["fcr_uplift", "fcr_uplift_standardised"], where=every_intent),
        _pair(
            conn,
            mart,
            "AHT: AI-assisted vs human only (s)",
            "assisted_aht_seconds",
            "human_aht_seconds",
            where=every_intent,
        ),
    ]


def retention_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    rate = LAYER.metric("retention_rate_90d")
    rows = metrics.evaluate(
        conn,
        "outcomes.mart_retention_by_ai_type",
        [rate.name, "eligible_90d"],
        group_by=["ai_interaction_type"],
    )
    return [(f"{rate.label}: {kind}", f"{rate.display(value)} of {n or 0:,}") for kind, value, n in rows]


def revenue_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    mart = "outcomes.mart_revenue_protected"
    found = metrics.values(conn, mart, ["at_risk_journeys", "pending_at_risk_journeys"])
    return [
        (
            "at-risk journeys observable / pending",
            f"{found['at_risk_journeys'] or 0:,} / {found['pending_at_risk_journeys'] or 0:,}",
        ),
        *_metric_rows(conn, mart, ["revenue_at_risk", "revenue_retained", "revenue_protected"]),
    ]


def voice_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    mart = "outcomes.mart_voice_security"
    found = metrics.values(conn, mart, ["voice_attempts", "flagged_attempts"])
    return [
        (
            "voice attempts with authentication / flagged",
            f"{found['voice_attempts'] or 0:,} / {found['flagged_attempts'] or 0:,}",
        ),
        *_metric_rows(
            conn, mart, ["voice_risk_precision", "voice_risk_recall", "high_risk_actions", "confirmed_loss"]
        ),
    ]


def amazon_connect_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    """Amazon Connect's own readings beside ours (SPEC §8.2), when Connect is a source."""
    mart = "outcomes.mart_amazon_connect_reconciliation"
    return _metric_rows(
        conn,
        mart,
        [
            "connect_contacts",
            "connect_fcr_rate",
            "fcr_rate",
            "connect_aht_seconds",
            "aht_seconds",
            "contacts_identified_by_endpoint",
            "contacts_identity_ambiguous",
        ],
    )


def zendesk_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    """Zendesk's own ticket metrics beside ours (SPEC §8.4), when Zendesk is a source."""
    mart = "outcomes.mart_zendesk_reconciliation"
    return _metric_rows(
        conn,
        mart,
        [
            "zendesk_tickets",
            "zendesk_one_touch_rate",
            "fcr_rate",
            "repeat_contact_rate",
            "zendesk_reopen_rate",
            "zendesk_first_reply_minutes_avg",
            "zendesk_first_reply_business_minutes_avg",
            "zendesk_full_resolution_business_minutes_avg",
        ],
    )


def salesforce_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    """Salesforce Service Cloud's own service numbers beside ours (SPEC §8.5), when Salesforce is a source."""
    mart = "outcomes.mart_salesforce_reconciliation"
    return _metric_rows(
        conn,
        mart,
        [
            "salesforce_cases_opened",
            "salesforce_fcr_rate",
            "fcr_rate",
            "repeat_contact_rate",
            "salesforce_voice_aht_seconds",
            "salesforce_messaging_sessions",
            "salesforce_bot_session_share",
            "salesforce_bot_to_agent_share",
            "salesforce_calls_counted_as_connect",
        ],
    )


SECTIONS: list[tuple[str, tuple[str, ...], Callable[[duckdb.DuckDBPyConnection], list[Row]]]] = [
    ("Data", ("core.fct_journeys", "outcomes.mart_data_quality"), data_section),
    ("Resolution (matured journeys)", ("outcomes.mart_first_contact_resolution",), resolution_section),
    ("Deflection vs resolution", ("outcomes.mart_deflection_vs_resolution",), deflection_section),
    ("Customer effort", ("outcomes.mart_customer_effort",), effort_section),
    ("AI-assist uplift", ("outcomes.mart_ai_assist_uplift",), uplift_section),
    ("Retention by AI interaction type", ("outcomes.mart_retention_by_ai_type",), retention_section),
    ("Revenue", ("outcomes.mart_revenue_protected",), revenue_section),
    ("Voice security", ("outcomes.mart_voice_security",), voice_section),
]


def build_summary(conn: duckdb.DuckDBPyConnection) -> list[tuple[str, list[Row]]]:
    """The headline figures, section by section; a section whose mart is missing says so."""
    result = []
    for title, tables, section in SECTIONS:
        missing = [t for t in tables if not _has(conn, *t.split("."))]
        rows = [("(not built)", ", ".join(missing))] if missing else section(conn)
        result.append((title, rows))
    # a platform's section only when that platform is a source of this warehouse
    if (
        _has(conn, "outcomes", "mart_amazon_connect_reconciliation")
        and _one(conn, "select count(*) from outcomes.mart_amazon_connect_reconciliation")[0]
    ):
        result.append(("Amazon Connect: its readings beside ours", amazon_connect_section(conn)))
    if (
        _has(conn, "outcomes", "mart_zendesk_reconciliation")
        and _one(conn, "select count(*) from outcomes.mart_zendesk_reconciliation")[0]
    ):
        result.append(("Zendesk: its ticket metrics beside ours", zendesk_section(conn)))
    if (
        _has(conn, "outcomes", "mart_salesforce_reconciliation")
        and _one(conn, "select count(*) from outcomes.mart_salesforce_reconciliation")[0]
    ):
        result.append(("Salesforce: its service numbers beside ours", salesforce_section(conn)))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.summary", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("CX_WAREHOUSE", "warehouse/cx.duckdb")),
        help="DuckDB warehouse file (default: $CX_WAREHOUSE or warehouse/cx.duckdb)",
    )
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        print(f"error: {args.warehouse} does not exist; run `make demo` first", file=sys.stderr)
        return 2
    try:
        conn = duckdb.connect(str(args.warehouse), read_only=True)
    except duckdb.Error as exc:
        print(f"error: cannot open {args.warehouse} read-only: {exc}", file=sys.stderr)
        return 2
    with conn:
        summary = build_summary(conn)
    console = Console()
    table = Table(title=f"CX Outcomes — headline figures ({args.warehouse})", show_header=False)
    table.add_column("metric")
    table.add_column("value", justify="right")
    for title, rows in summary:
        table.add_section()
        table.add_row(f"[bold]{title}[/bold]", "")
        for label, value in rows:
            table.add_row(f"  {label}", value)
    console.print(table)
    for warning in latest_run_warnings(args.warehouse):
        console.print(f"[bold yellow]warning:[/bold yellow] {warning}")
    return 0


def latest_run_warnings(warehouse: Path) -> list[str]:
    """The warnings of the nightly run that published this warehouse (e.g. the development salt)."""
    latest = warehouse.resolve().parent / "runs" / "latest.json"
    try:
        record = json.loads(latest.read_text())
    except (OSError, ValueError):
        return []
    if Path(record.get("warehouse", "")) != warehouse.resolve():
        return []
    return [str(w) for w in record.get("warnings", [])]


if __name__ == "__main__":
    sys.exit(main())
