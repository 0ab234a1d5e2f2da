"""Print the headline figures of a published CX Outcomes warehouse.

Reads the warehouse read-only (BI tools and this script never take the write lock) and prints, from the marts:
first contact resolution next to the legacy deflection numbers, effort, AI-assist uplift, retention, revenue
protected and voice-risk detection quality. A mart that is not in the warehouse is reported as missing.

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

log = logging.getLogger(__name__)

Row = tuple[str, str]


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 100:.1f}%"


def _num(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    return None if not denominator else (numerator or 0) / denominator


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
    fcr, one_touch, resolved, repeat, hopping, matured = _one(
        conn,
        """select sum(fcr_journeys), sum(one_touch_journeys), sum(resolved_journeys), sum(repeat_journeys),
                  sum(channel_hopping_journeys), sum(matured_journeys)
           from outcomes.mart_first_contact_resolution""",
    )
    return [
        ("FCR rate (cross-channel, 7-day repeat window)", _pct(_ratio(fcr, matured))),
        ("one-touch resolution rate", _pct(_ratio(one_touch, matured))),
        ("resolution rate (however many attempts)", _pct(_ratio(resolved, matured))),
        ("repeat contact rate", _pct(_ratio(repeat, matured))),
        ("channel hopping rate", _pct(_ratio(hopping, matured))),
    ]


def deflection_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    row = _one(
        conn,
        """select sum(deflected_attempts), sum(attempts), sum(contained_attempts), sum(bot_attempts),
                  sum(abandoned_attempts), sum(handle_seconds_total), sum(handled_contacts),
                  sum(contained_resolved_journeys), sum(false_containment_journeys), sum(contained_journeys)
           from outcomes.mart_deflection_vs_resolution""",
    )
    deflected, attempts, contained, bot, abandoned, handle, handled, c_resolved, c_false, c_journeys = row
    # SPEC §4.3: bot containment is shown next to false containment, never minus contained resolution (their
    # denominators differ: bot attempts vs contained journeys)
    return [
        ("legacy: deflection rate", _pct(_ratio(deflected, attempts))),
        ("legacy: bot containment rate (of bot attempts)", _pct(_ratio(contained, bot))),
        ("false containment rate (contained, not resolved first time)", _pct(_ratio(c_false, c_journeys))),
        ("contained resolution rate (contained, resolved first time)", _pct(_ratio(c_resolved, c_journeys))),
        ("abandonment rate", _pct(_ratio(abandoned, attempts))),
        ("AHT (seconds)", _num(_ratio(handle, handled), 0)),
    ]


def effort_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    ces_total, ces_n, agree, effort_total, matured, high = _one(
        conn,
        """select sum(ces_score_total), sum(ces_journeys), sum(ces_agree_journeys), sum(effort_index_total),
                  sum(matured_journeys), sum(high_effort_journeys)
           from outcomes.mart_customer_effort""",
    )
    return [
        ("mean survey CES (1-7, 7 = easy)", _num(_ratio(ces_total, ces_n))),
        ("CES agree rate (score >= 5)", _pct(_ratio(agree, ces_n))),
        ("mean behavioural effort index (every journey)", _num(_ratio(effort_total, matured))),
        ("high-effort rate", _pct(_ratio(high, matured))),
    ]


def uplift_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    rows = conn.execute(
        """select sum(assisted_fcr_journeys), sum(assisted_journeys), sum(human_fcr_journeys),
                  sum(human_journeys), sum(assisted_handle_seconds_total), sum(assisted_handled_contacts),
                  sum(human_handle_seconds_total), sum(human_handled_contacts),
                  sum(fcr_uplift_standardised * (assisted_journeys + human_journeys))
                      / nullif(sum((assisted_journeys + human_journeys)
                                   * (fcr_uplift_standardised is not null)::int), 0)
           from outcomes.mart_ai_assist_uplift
           where intent_group = 'all'"""
    ).fetchone()
    a_fcr, a_n, h_fcr, h_n, a_hs, a_hc, h_hs, h_hc, std = rows
    a_rate, h_rate = _ratio(a_fcr, a_n), _ratio(h_fcr, h_n)
    raw = None if a_rate is None or h_rate is None else a_rate - h_rate
    a_aht, h_aht = _ratio(a_hs, a_hc), _ratio(h_hs, h_hc)
    return [
        ("FCR: AI-assisted agents vs human only", f"{_pct(a_rate)} vs {_pct(h_rate)}"),
        ("FCR uplift, raw (points)", "n/a" if raw is None else f"{raw * 100:+.1f}"),
        (
            "FCR uplift, intent-standardised (points, monthly rows weighted by journeys)",
            "n/a" if std is None else f"{std * 100:+.1f}",
        ),
        ("AHT: AI-assisted vs human only (seconds)", f"{_num(a_aht, 0)} vs {_num(h_aht, 0)}"),
    ]


def retention_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    rows = conn.execute(
        """select ai_interaction_type, sum(retained_90d), sum(eligible_90d)
           from outcomes.mart_retention_by_ai_type group by 1 order by 1"""
    ).fetchall()
    return [(f"90-day retention: {kind}", f"{_pct(_ratio(kept, n))} of {n or 0:,}") for kind, kept, n in rows]


def revenue_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    at_risk, retained, protected, journeys, pending = _one(
        conn,
        """select sum(revenue_at_risk), sum(revenue_retained), sum(revenue_protected),
                  sum(at_risk_journeys), sum(pending_at_risk_journeys)
           from outcomes.mart_revenue_protected""",
    )
    return [
        ("at-risk journeys observable / pending", f"{journeys or 0:,} / {pending or 0:,}"),
        ("annualised revenue at risk", _num(at_risk, 0)),
        ("gross revenue retained (not the effect)", _num(retained, 0)),
        ("revenue protected vs baseline (estimate)", _num(protected, 0)),
    ]


def voice_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    voice, flagged, tp, fp, missed, loss, high = _one(
        conn,
        """select sum(voice_attempts), sum(flagged_attempts), sum(true_positives), sum(false_positives),
                  sum(missed_fraud), sum(confirmed_loss), sum(high_risk_actions)
           from outcomes.mart_voice_security""",
    )
    return [
        ("voice attempts with authentication / flagged", f"{voice or 0:,} / {flagged or 0:,}"),
        ("precision of synthetic-voice flags", _pct(_ratio(tp, (tp or 0) + (fp or 0)))),
        ("recall of synthetic-voice flags", _pct(_ratio(tp, (tp or 0) + (missed or 0)))),
        ("high-risk actions (alerts)", f"{high or 0:,}"),
        ("confirmed fraud loss", _num(loss, 0)),
    ]


def amazon_connect_section(conn: duckdb.DuckDBPyConnection) -> list[Row]:
    """Amazon Connect's own readings beside ours (SPEC §8.2), when Connect is a source."""
    row = _one(
        conn,
        """select sum(connect_contacts), sum(connect_single_contact_groups), sum(connect_resolution_groups),
                  sum(fcr_journeys), sum(matured_journeys), sum(connect_handle_seconds_total),
                  sum(connect_contacts_handled), sum(handle_seconds_total), sum(handled_contacts),
                  sum(contacts_identified_by_endpoint), sum(contacts_identity_ambiguous)
           from outcomes.mart_amazon_connect_reconciliation""",
    )
    contacts, single, groups, fcr, matured, c_handle, c_handled, handle, handled, by_endpoint, ambiguous = row
    return [
        ("Connect contacts", f"{contacts or 0:,}"),
        ("Connect's FCR (one-contact cases / chains)", _pct(_ratio(single, groups))),
        ("our FCR of the journeys they start", _pct(_ratio(fcr, matured))),
        ("Connect's AHT, with after-contact work (seconds)", _num(_ratio(c_handle, c_handled), 0)),
        ("our AHT (seconds)", _num(_ratio(handle, handled), 0)),
        ("callers identified by phone / e-mail; ambiguous", f"{by_endpoint or 0:,}; {ambiguous or 0:,}"),
    ]


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
