"""Render the headline outcomes of the warehouse as one self-contained HTML file.

The report opens the warehouse read-only (so it can run while BI tools are connected and never takes the
writer's lock), reads the outcome marts, and draws each chart with matplotlib into an inline base64 PNG: the
file needs no network, no JavaScript and no other file. A mart that does not exist yet (or is empty) gives a
note in place of its chart instead of an error.

Every figure is a metric of the semantic layer (models/semantic: its formula, label and format, written once),
computed by scripts/ops/metrics.py over the mart rows: a rate is Σ numerator / Σ denominator (SPEC §5), never
an average of rates.

    python -m scripts.report --warehouse warehouse/cx.duckdb --out target/report.html
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import html
import io
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

from scripts.ops import dbt, metrics

log = logging.getLogger("cx.report")

DEFAULT_WAREHOUSE = "warehouse/cx.duckdb"
LAYER = metrics.load()  # every formula, label and format comes from the semantic layer (models/semantic)
# the figures at the top of the page: (metric, the mart it is computed over)
HEADLINES = [
    ("fcr_rate", "mart_first_contact_resolution"),
    ("bot_containment_rate", "mart_deflection_vs_resolution"),
    ("false_containment_rate", "mart_deflection_vs_resolution"),
    ("avg_ces", "mart_customer_effort"),
    ("retention_rate_90d", "mart_retention_by_ai_type"),
    ("revenue_protected", "mart_revenue_protected"),
    ("voice_risk_precision", "mart_voice_security"),
    ("voice_risk_recall", "mart_voice_security"),
]
AI_TYPES = dbt.project_vars()["ai_interaction_types"]  # SPEC §4.2, in report order
AI_COLOURS = {
    "self_service_ai": "#1b9e77",
    "ai_to_agent": "#d95f02",
    "ai_assisted_agent": "#7570b3",
    "human_only": "#e7298a",
    "unhandled": "#999999",
    "all": "#222222",
}
FIGSIZE = (8.0, 3.6)
DPI = 100


class MartMissingError(Exception):
    """A mart the chart needs is not in the warehouse yet (or has no rows)."""


@dataclass
class Chart:
    """One section of the report: a title, what it shows, and a function that draws it."""

    key: str
    title: str
    caption: str
    marts: tuple[str, ...]
    draw: Callable[[duckdb.DuckDBPyConnection, plt.Figure], str | None]


@dataclass
class RenderedChart:
    key: str
    title: str
    caption: str
    png_base64: str | None
    note: str | None


def _mart_exists(con: duckdb.DuckDBPyConnection, mart: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'outcomes' and table_name = ?",
        [mart],
    ).fetchone()
    return bool(row and row[0])


def _read(con: duckdb.DuckDBPyConnection, mart: str, sql: str) -> pd.DataFrame:
    """Run `sql` (which reads outcomes.<mart>) or raise MartMissingError when the mart is absent or empty."""
    if not _mart_exists(con, mart):
        raise MartMissingError(f"outcomes.{mart} is not in this warehouse yet")
    frame = con.execute(sql).df()
    if frame.empty:
        raise MartMissingError(f"outcomes.{mart} has no rows yet")
    return frame


def _metrics(
    con: duckdb.DuckDBPyConnection, mart: str, names: list[str], group_by: dict[str, str] | None = None
) -> pd.DataFrame:
    """The semantic layer's metrics (scripts/ops/metrics.py) over outcomes.<mart>, one row per group
    (group_by: {column name: SQL expression}), or MartMissingError when the mart is absent or empty."""
    if not _mart_exists(con, mart):
        raise MartMissingError(f"outcomes.{mart} is not in this warehouse yet")
    group_by = group_by or {}
    rows = metrics.evaluate(
        con, f"outcomes.{mart}", names, group_by=[f"{sql} as {name}" for name, sql in group_by.items()]
    )
    frame = pd.DataFrame(rows, columns=[*group_by, *names])
    if frame.empty:
        raise MartMissingError(f"outcomes.{mart} has no rows yet")
    for name in names:
        frame[name] = frame[name].astype("float64")
    return frame


def _whole_period(con: duckdb.DuckDBPyConnection, mart: str, names: list[str]) -> dict[str, float | None]:
    return {
        name: None if value is None else float(value)
        for name, value in metrics.values(con, f"outcomes.{mart}", names).items()
    }


def _label(name: str) -> str:
    return LAYER.metric(name).label


def _percent_axis(ax: plt.Axes) -> None:
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_ylim(0, 1.02)


def draw_fcr_vs_containment(con: duckdb.DuckDBPyConnection, fig: plt.Figure) -> str | None:
    mart = "mart_deflection_vs_resolution"
    styles = {
        "bot_containment_rate": ("#d95f02", "--"),
        "deflection_rate": ("#999999", ":"),
        "fcr_rate": ("#1b9e77", "-"),
        "contained_resolution_rate": ("#7570b3", "-"),
    }
    frame = _metrics(con, mart, list(styles), {"month": "date_trunc('month', attempt_date)::date"})
    ax = fig.add_subplot()
    positions = list(range(len(frame)))
    for name, (colour, style) in styles.items():
        ax.plot(positions, frame[name], marker="o", color=colour, linestyle=style, label=_label(name))
    ax.set_xticks(positions)
    ax.set_xticklabels([f"{month:%Y-%m}" for month in frame.month])
    _percent_axis(ax)
    ax.set_xlabel("month of attempt / journey start")
    ax.legend(loc="lower left", fontsize=8, ncol=2)
    ax.grid(alpha=0.3)
    whole = _whole_period(con, mart, ["bot_containment_rate", "false_containment_rate"])
    containment, false_containment = whole["bot_containment_rate"], whole["false_containment_rate"]
    if containment is None or false_containment is None:
        return None
    # SPEC §4.3: the two rates side by side, never their difference (different denominators)
    return (
        f"Whole period: the legacy bot containment rate is {containment:.1%} of bot attempts; of the "
        f"journeys the bot 'contained', {false_containment:.1%} were not resolved first time "
        "(false containment rate)."
    )


def draw_resolution_by_ai_type(con: duckdb.DuckDBPyConnection, fig: plt.Figure) -> str | None:
    colours = {"fcr_rate": "#1b9e77", "resolution_rate": "#7570b3", "repeat_contact_rate": "#d95f02"}
    frame = _metrics(
        con,
        "mart_first_contact_resolution",
        [*colours, "matured_journeys"],
        {"ai_interaction_type": "ai_interaction_type"},
    )
    frame["order"] = frame.ai_interaction_type.map({name: i for i, name in enumerate(AI_TYPES)})
    frame = frame.sort_values("order")
    ax = fig.add_subplot()
    positions = range(len(frame))
    width = 0.27
    for offset, (name, colour) in zip((-width, 0, width), colours.items(), strict=True):
        ax.bar(
            [p + offset for p in positions], frame[name].fillna(0), width, label=_label(name), color=colour
        )
    ax.set_xticks(list(positions))
    ax.set_xticklabels(
        [
            f"{name}\n(n={int(n)})"
            for name, n in zip(frame.ai_interaction_type, frame.matured_journeys, strict=True)
        ],
        fontsize=8,
    )
    _percent_axis(ax)
    ax.legend(fontsize=8, loc="upper right")
    ax.grid(axis="y", alpha=0.3)
    return "n = matured, identified journeys, by the AI interaction type of the journey's first attempt."


def draw_effort_calibration(con: duckdb.DuckDBPyConnection, fig: plt.Figure) -> str | None:
    frame = _metrics(
        con,
        "mart_effort_calibration",
        ["avg_ces", "matured_journeys", "ces_journeys"],
        {"band_order": "band_order", "effort_band": "effort_band"},
    )
    ax = fig.add_subplot()
    avg_ces = frame.avg_ces
    positions = list(range(len(frame)))
    ax.bar(positions, frame.matured_journeys, color="#cccccc", label="matured journeys")
    ax.set_xticks(positions)
    ax.set_xticklabels(frame.effort_band)
    ax.set_ylabel("matured journeys")
    ax.set_xlabel("behavioural effort band")
    twin = ax.twinx()
    twin.plot(positions, avg_ces, color="#1b9e77", marker="o", linewidth=2, label="mean survey CES")
    twin.set_ylim(1, 7)
    twin.set_ylabel("mean CES (1–7, 7 = easy)")
    for band, value, n in zip(positions, avg_ces, frame.ces_journeys, strict=True):
        if pd.notna(value):
            twin.annotate(
                f"{value:.2f} (n={int(n)})",
                (band, value),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=8,
            )
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], fontsize=8, loc="upper right")
    return "Expected: mean CES falls as behavioural effort rises (the index tracks what customers say)."


def draw_retention_curves(con: duckdb.DuckDBPyConnection, fig: plt.Figure) -> str | None:
    frame = _read(
        con,
        "mart_retention_curve",
        """
        select ai_interaction_type, day_number, at_risk, survival
        from outcomes.mart_retention_curve
        order by ai_interaction_type, day_number
        """,
    )
    ax = fig.add_subplot()
    for ai_type, rows in frame.groupby("ai_interaction_type", sort=False):
        subjects = int(rows.loc[rows.day_number == rows.day_number.min(), "at_risk"].iloc[0])
        ax.step(
            rows.day_number,
            rows.survival,
            where="post",
            color=AI_COLOURS.get(str(ai_type), "#444444"),
            linewidth=2.5 if ai_type == "all" else 1.5,
            label=f"{ai_type} (n={subjects})",
        )
    ax.set_xlabel("days since the journey ended")
    ax.set_ylabel("still active (Kaplan–Meier)")
    ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    low = max(0.0, float(frame.survival.min()) - 0.05)
    ax.set_ylim(low, 1.01)
    ax.set_xlim(0, float(frame.day_number.max()))
    ax.legend(fontsize=8, loc="lower left")
    ax.grid(alpha=0.3)
    return None


def draw_revenue_protected(con: duckdb.DuckDBPyConnection, fig: plt.Figure) -> str | None:
    frame = _metrics(
        con,
        "mart_revenue_protected",
        ["at_risk_journeys", "revenue_at_risk", "revenue_retained", "revenue_protected"],
        {"ai_interaction_type": "ai_interaction_type"},
    )
    frame["order"] = frame.ai_interaction_type.map({name: i for i, name in enumerate(AI_TYPES)})
    frame = frame.sort_values("order")
    ax = fig.add_subplot()
    positions = list(range(len(frame)))
    width = 0.27
    bars = {
        "revenue at risk": ("revenue_at_risk", "#cccccc"),
        "revenue retained (gross)": ("revenue_retained", "#7570b3"),
        "revenue protected (effect)": ("revenue_protected", "#1b9e77"),
    }
    for offset, (label, (column, colour)) in zip((-width, 0, width), bars.items(), strict=True):
        ax.bar(
            [p + offset for p in positions],
            frame[column].fillna(0).astype(float),
            width,
            label=label,
            color=colour,
        )
    ax.axhline(0, color="#444444", linewidth=0.8)
    ax.set_xticks(positions)
    ax.set_xticklabels(
        [
            f"{name}\n(n={int(n)})"
            for name, n in zip(frame.ai_interaction_type, frame.at_risk_journeys, strict=True)
        ],
        fontsize=8,
    )
    ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    ax.set_ylabel("reporting currency")
    ax.legend(fontsize=8, loc="upper right")
    ax.grid(axis="y", alpha=0.3)
    total = float(frame.revenue_protected.fillna(0).sum())
    return f"Total revenue protected: {total:,.0f} (n = observable at-risk journeys)."


def draw_voice_risk(con: duckdb.DuckDBPyConnection, fig: plt.Figure) -> str | None:
    mart = "mart_voice_security"
    frame = _metrics(
        con,
        mart,
        ["voice_attempts", "flagged_attempts", "voice_risk_precision", "voice_risk_recall"],
        {"month": "date_trunc('month', attempt_date)::date"},
    )
    ax = fig.add_subplot()
    positions = list(range(len(frame)))
    ax.bar(
        positions,
        frame.flagged_attempts,
        width=0.6,
        color="#eeeeee",
        edgecolor="#bbbbbb",
        label="flagged attempts",
    )
    ax.set_ylabel("flagged voice attempts")
    ax.set_xticks(positions)
    ax.set_xticklabels([f"{month:%Y-%m}" for month in frame.month])
    ax.yaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    twin = ax.twinx()
    twin.plot(positions, frame.voice_risk_precision, marker="o", color="#d95f02", label="precision")
    twin.plot(positions, frame.voice_risk_recall, marker="s", color="#1b9e77", label="recall")
    _percent_axis(twin)
    handles = ax.get_legend_handles_labels()[0] + twin.get_legend_handles_labels()[0]
    ax.legend(handles, [h.get_label() for h in handles], fontsize=8, loc="lower left")
    whole = _whole_period(con, mart, ["voice_risk_precision", "voice_risk_recall"])
    precision, recall = whole["voice_risk_precision"], whole["voice_risk_recall"]

    def fmt(value: float | None) -> str:
        return "n/a" if value is None else f"{value:.0%}"

    return (
        f"Whole period: {int(frame.flagged_attempts.sum())} flagged of {int(frame.voice_attempts.sum())} "
        f"authenticated voice attempts; precision {fmt(precision)}, recall {fmt(recall)}."
    )


CHARTS: list[Chart] = [
    Chart(
        "fcr_vs_containment",
        "Deflection is not resolution: FCR vs bot containment over time",
        "Legacy bot containment (attempts a bot kept from an agent) next to first contact resolution "
        "and the resolution rate of contained journeys (matured, identified journeys whose first "
        "attempt was bot-only).",
        ("mart_deflection_vs_resolution",),
        draw_fcr_vs_containment,
    ),
    Chart(
        "resolution_by_ai_type",
        "Resolution by AI interaction type",
        "FCR, resolution and repeat-contact rates of matured journeys by the AI interaction type of "
        "their first attempt.",
        ("mart_first_contact_resolution",),
        draw_resolution_by_ai_type,
    ),
    Chart(
        "effort_calibration",
        "Behavioural effort vs survey CES (calibration)",
        "Mean survey CES of matured journeys by behavioural effort band, with the number of journeys "
        "per band.",
        ("mart_effort_calibration",),
        draw_effort_calibration,
    ),
    Chart(
        "retention_curves",
        "Retention curves by AI interaction type",
        "Kaplan–Meier share of customers still active N days after a journey, by the journey's AI type.",
        ("mart_retention_curve",),
        draw_retention_curves,
    ),
    Chart(
        "revenue_protected",
        "Revenue at risk, retained and protected",
        "For observable at-risk journeys (retention-risk intents): revenue at risk, gross revenue "
        "retained, and revenue protected = resolved journeys' revenue at risk × (saved − the intent's "
        "baseline save rate).",
        ("mart_revenue_protected",),
        draw_revenue_protected,
    ),
    Chart(
        "voice_risk",
        "Voice-risk flags: precision and recall",
        "Synthetic-voice flags on authenticated voice attempts, judged against confirmed fraud, by month.",
        ("mart_voice_security",),
        draw_voice_risk,
    ),
]


def _figure_to_base64(fig: plt.Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def render_chart(con: duckdb.DuckDBPyConnection, chart: Chart) -> RenderedChart:
    """Draw one chart; a missing or empty mart (or any query error) becomes a note, never a crash."""
    fig = plt.figure(figsize=FIGSIZE)
    try:
        note = chart.draw(con, fig)
        fig.tight_layout()
        png = _figure_to_base64(fig)
        return RenderedChart(chart.key, chart.title, chart.caption, png, note)
    except MartMissingError as error:
        log.warning("chart %s skipped: %s", chart.key, error)
        return RenderedChart(chart.key, chart.title, chart.caption, None, f"Not available yet: {error}.")
    except Exception as error:  # one broken chart must not cost the whole report
        log.exception("chart %s failed", chart.key)
        first_line = (str(error).splitlines() or [type(error).__name__])[0]
        return RenderedChart(chart.key, chart.title, chart.caption, None, f"Could not be drawn: {first_line}")
    finally:
        plt.close(fig)


def _headline_figures(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """A few whole-period figures for the top of the page, labelled and formatted as the semantic layer says;
    any that cannot be computed are left out."""
    figures = []
    for name, mart in HEADLINES:
        try:
            if not _mart_exists(con, mart):
                continue
            value = metrics.values(con, f"outcomes.{mart}", [name])[name]
        except duckdb.Error as error:
            log.warning("headline %s skipped: %s", name, error)
            continue
        figures.append((_label(name), LAYER.metric(name).display(value)))
    return figures


def _as_of(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        row = con.execute("select max(as_of) from intermediate.int_as_of_resolved").fetchone()
    except duckdb.Error:
        return None
    return str(row[0]) if row and row[0] is not None else None


CSS = """
body { font-family: DejaVu Sans, Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 900px;
       color: #222; }
h1 { font-size: 24px; margin-bottom: 4px; }
h2 { font-size: 18px; margin: 28px 0 4px; }
.meta, .caption, .note { color: #555; font-size: 13px; }
.note { font-style: italic; }
.missing { border: 1px dashed #bbb; padding: 24px; color: #777; background: #fafafa; }
.kpis { display: flex; flex-wrap: wrap; gap: 10px; margin: 16px 0; }
.kpi { border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; min-width: 160px; }
.kpi .value { font-size: 20px; font-weight: bold; }
.kpi .label { font-size: 12px; color: #555; }
figure { margin: 8px 0; }
figure img { display: block; max-width: 100%; }
"""


def render_html(
    charts: list[RenderedChart], headline: list[tuple[str, str]], as_of: str | None, warehouse: str
) -> str:
    generated = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>CX outcomes report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>CX outcomes report</h1>",
        f'<p class="meta">Warehouse <code>{html.escape(warehouse)}</code>, data as of '
        f"{html.escape(as_of or 'unknown')}; generated {generated}. "
        "Rates are Σ numerator / Σ denominator.</p>",
    ]
    if headline:
        parts.append('<div class="kpis">')
        for label, value in headline:
            parts.append(
                f'<div class="kpi"><div class="value">{html.escape(value)}</div>'
                f'<div class="label">{html.escape(label)}</div></div>'
            )
        parts.append("</div>")
    for chart in charts:
        parts.append(f'<section class="chart" id="{chart.key}" data-chart="{chart.key}">')
        parts.append(f"<h2>{html.escape(chart.title)}</h2>")
        parts.append(f'<p class="caption">{html.escape(chart.caption)}</p>')
        if chart.png_base64:
            parts.append(
                f'<figure><img class="chart-img" alt="{html.escape(chart.title)}" '
                f'src="data:image/png;base64,{chart.png_base64}"></figure>'
            )
        else:
            parts.append('<div class="missing">Chart not drawn.</div>')
        if chart.note:
            parts.append(f'<p class="note">{html.escape(chart.note)}</p>')
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def build_report(warehouse: Path, out: Path) -> list[RenderedChart]:
    """Render the report of `warehouse` into `out`; returns the charts (callers may check them)."""
    if not warehouse.exists():
        raise FileNotFoundError(f"warehouse {warehouse} does not exist (build it first, e.g. `make build`)")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        charts = [render_chart(con, chart) for chart in CHARTS]
        headline = _headline_figures(con)
        as_of = _as_of(con)
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_html(charts, headline, as_of, str(warehouse)), encoding="utf-8")
    return charts


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.report",
        description="Render the headline outcomes of the warehouse (opened read-only) as one self-contained "
        "HTML file with embedded charts: FCR vs containment, resolution by AI type, effort vs CES, retention "
        "curves, revenue protected, voice-risk precision/recall. A missing mart gives a note, not an error.",
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("CX_WAREHOUSE", DEFAULT_WAREHOUSE)),
        help="DuckDB warehouse file (default: $CX_WAREHOUSE or %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("target/report.html"),
        help="HTML file to write (default: %(default)s)",
    )
    parser.add_argument("--quiet", action="store_true", help="only log warnings")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.getLogger("matplotlib").setLevel(logging.WARNING)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO, format="%(levelname)s %(message)s"
    )
    try:
        charts = build_report(args.warehouse, args.out)
    except (FileNotFoundError, duckdb.Error) as error:
        log.error("%s", error)
        return 1
    drawn = sum(chart.png_base64 is not None for chart in charts)
    log.info("wrote %s (%d of %d charts drawn)", args.out, drawn, len(charts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
