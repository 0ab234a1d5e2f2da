"""The headline metrics, read from their one home: the semantic layer (models/semantic/*.yml).

A metric's formula is written once, as a MetricFlow metric: `simple` (Σ of a measure), `ratio` (Σ numerator /
Σ denominator, never an average of rates) or `derived` (an expression over other metrics). The summary, the
HTML report and the Superset saved metrics turn those definitions into SQL here instead of writing their own.

On a mart, a measure is read from the mart's column of the same name (SPEC §5: a rate sits beside its
numerator and denominator, named as the measures are); on the measure's own semantic model it may be an
expression (`expr`). The display format is the metric's `config.meta.format` (percent, decimal, seconds,
money, points, signed_points, count); without one a ratio is a percent and a simple metric a count.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
SEMANTIC_DIR = "models/semantic"
REF = re.compile(r"ref\(\s*['\"](\w+)['\"]\s*\)")

# format → (d3 format for BI tools, Python formatter)
FORMATS: dict[str, tuple[str, Any]] = {
    "percent": (".1%", lambda v: f"{v * 100:.1f}%"),
    "decimal": (".2f", lambda v: f"{v:,.2f}"),
    "seconds": (",.0f", lambda v: f"{v:,.0f}"),
    "money": (",.0f", lambda v: f"{v:,.0f}"),
    "points": (".1f", lambda v: f"{v:,.1f}"),
    "signed_points": ("+.1%", lambda v: f"{v * 100:+.1f}"),  # a difference of two rates, in percentage points
    "count": (",d", lambda v: f"{round(v):,}"),
}


@dataclass(frozen=True)
class Measure:
    name: str
    model: str  # the dbt model of its semantic model
    expr: str  # SQL on that model (the measure's name when it has no expr)


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    description: str
    kind: str  # simple | ratio | derived
    measure: str | None = None  # simple
    numerator: str | None = None  # ratio: metric names
    denominator: str | None = None
    expr: str | None = None  # derived: expression over `components`
    components: tuple[str, ...] = ()
    format: str = "count"

    @property
    def d3format(self) -> str:
        return FORMATS[self.format][0]

    def display(self, value: float | None) -> str:
        """The value as the summary prints it ('n/a' when there is none, e.g. a zero denominator)."""
        return "n/a" if value is None else FORMATS[self.format][1](float(value))


@dataclass(frozen=True)
class SemanticLayer:
    metrics: dict[str, Metric]
    measures: dict[str, Measure]

    def metric(self, name: str) -> Metric:
        try:
            return self.metrics[name]
        except KeyError:
            raise KeyError(f"no metric '{name}' in {SEMANTIC_DIR}/ (the semantic layer)") from None

    def measures_of(self, name: str) -> list[str]:
        """The measures a metric is computed from."""
        metric = self.metric(name)
        if metric.kind == "simple":
            return [metric.measure or ""]
        if metric.kind == "ratio":
            return self.measures_of(metric.numerator or "") + self.measures_of(metric.denominator or "")
        return [m for component in metric.components for m in self.measures_of(component)]

    def _measure_sql(self, measure_name: str, model: str, columns: set[str]) -> str | None:
        if measure_name in columns:
            return f"sum({measure_name})"
        measure = self.measures.get(measure_name)
        if measure is not None and measure.model == model:
            return f"sum({measure.expr})"
        return None

    def sql(self, name: str, model: str, columns: Iterable[str]) -> str | None:
        """SQL aggregating a metric over `model` (with these columns); None when it cannot be computed."""
        columns = set(columns)
        metric = self.metric(name)
        if metric.kind == "simple":
            return self._measure_sql(metric.measure or "", model, columns)
        if metric.kind == "ratio":
            numerator = self.sql(metric.numerator or "", model, columns)
            denominator = self.sql(metric.denominator or "", model, columns)
            if numerator is None or denominator is None:
                return None
            return f"{numerator} * 1.0 / nullif({denominator}, 0)"
        parts = {component: self.sql(component, model, columns) for component in metric.components}
        if any(part is None for part in parts.values()):
            return None
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, parts)) + r")\b")
        return "(" + pattern.sub(lambda match: f"({parts[match.group(1)]})", metric.expr or "") + ")"

    def available(self, model: str, columns: Iterable[str]) -> list[Metric]:
        """Every metric that can be computed over `model`, in definition order."""
        columns = set(columns)
        return [metric for name, metric in self.metrics.items() if self.sql(name, model, columns) is not None]


def _meta(entry: dict[str, Any]) -> dict[str, Any]:
    return dict((entry.get("config") or {}).get("meta") or entry.get("meta") or {})


@functools.cache
def load(project_dir: Path = PROJECT_DIR) -> SemanticLayer:
    """The metrics and measures of the semantic layer's YAML."""
    metrics: dict[str, Metric] = {}
    measures: dict[str, Measure] = {}
    for path in sorted((project_dir / SEMANTIC_DIR).glob("*.yml")):
        document = yaml.safe_load(path.read_text()) or {}
        for model in document.get("semantic_models", []):
            found = REF.search(model["model"])
            model_name = found.group(1) if found else model["model"]
            for measure in model.get("measures", []):
                measures[measure["name"]] = Measure(
                    measure["name"], model_name, str(measure.get("expr", measure["name"]))
                )
        for entry in document.get("metrics", []):
            params = entry.get("type_params", {})
            kind = entry["type"]
            fields: dict[str, Any] = {}
            if kind == "simple":
                measure = params["measure"]
                fields["measure"] = measure["name"] if isinstance(measure, dict) else measure
            elif kind == "ratio":
                fields["numerator"], fields["denominator"] = params["numerator"], params["denominator"]
            elif kind == "derived":
                fields["expr"] = params["expr"]
                fields["components"] = tuple(component["name"] for component in params["metrics"])
            else:
                raise ValueError(
                    f"{path.name}: metric {entry['name']}: type {kind} is not read by scripts/ops/metrics.py"
                )
            default = "percent" if kind == "ratio" else "count"
            metrics[entry["name"]] = Metric(
                name=entry["name"],
                label=entry.get("label", entry["name"]),
                description=" ".join(str(entry.get("description", "")).split()),
                kind=kind,
                format=_meta(entry).get("format", default),
                **fields,
            )
    for metric in metrics.values():
        if metric.format not in FORMATS:
            raise ValueError(
                f"metric {metric.name}: format '{metric.format}' is not one of {sorted(FORMATS)}"
            )
    return SemanticLayer(metrics, measures)


def evaluate(
    conn: Any,
    relation: str,
    names: Sequence[str],
    *,
    group_by: Sequence[str] = (),
    where: str | None = None,
    layer: SemanticLayer | None = None,
) -> list[tuple]:
    """Rows of (group_by..., one value per metric) over `relation` (schema.table), read with DuckDB."""
    layer = layer or load()
    schema, table = relation.split(".")
    columns = {
        row[0]
        for row in conn.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
            [schema, table],
        ).fetchall()
    }
    expressions = []
    for name in names:
        sql = layer.sql(name, table, columns)
        if sql is None:
            raise ValueError(
                f"metric {name} needs {layer.measures_of(name)}, which {relation} does not carry"
            )
        expressions.append(f"{sql} as {name}")
    select = ", ".join([*group_by, *expressions])
    query = f"select {select} from {relation}"
    if where:
        query += f" where {where}"
    if group_by:
        positions = ", ".join(str(i + 1) for i in range(len(group_by)))
        query += f" group by {positions} order by {positions}"
    return conn.execute(query).fetchall()


def values(conn: Any, relation: str, names: Sequence[str], *, where: str | None = None) -> dict[str, Any]:
    """{metric: value} over the whole relation."""
    (row,) = evaluate(conn, relation, names, where=where)
    return dict(zip(names, row, strict=True))
