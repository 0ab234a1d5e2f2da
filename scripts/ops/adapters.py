"""The platform adapters (SPEC §8) as Python data, and which sources a build has switched on.

macros/cx_platform_adapters.sql is the one place that lists the platforms' objects (where their files land,
the SPEC §2 table each feeds, its name in mart_data_quality); it is plain Jinja returning a dict (dbt needs it
at parse time, before the sources YAML is read), rendered here with contract.render_macro. The switch is the
dbt var `sources` (a list, or a comma-separated string), which defaults to the environment variable
CX_SOURCES, else `landing_zone`: the rule of cx_enabled_sources.sql.
"""

from __future__ import annotations

import gzip
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from scripts.ops import contract as contract_module

MACRO_FILE = "macros/cx_platform_adapters.sql"
ENV_VAR = "CX_SOURCES"
LANDING_ZONE = "landing_zone"


@dataclass(frozen=True)
class PlatformObject:
    source: str  # the adapter, e.g. amazon_connect
    name: str  # the platform's object, e.g. contact_records
    files: str  # glob under the raw dir
    maps_to: str | None  # the SPEC §2 table it feeds (None: accounted for by its own statuses model)
    quality_table: str  # its table_name in mart_data_quality
    format: str = "json_lines"  # json_lines (gzip or plain) or parquet
    rows_where: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (column, values): the rows that are records

    def count(self, path: Path) -> int:
        """The records of this object in one of its files (reading it checks that it is readable)."""
        if self.format == "parquet":
            return count_parquet_rows(path, self.rows_where)
        return count_lines(path)


def registry(project_dir: Path) -> dict[str, Any]:
    """cx_platform_adapters() as a dict."""
    return contract_module.render_macro(project_dir, MACRO_FILE, "cx_platform_adapters")


def objects(project_dir: Path, sources: list[str] | None = None) -> list[PlatformObject]:
    """The platform objects of the given sources (every adapter's when None)."""
    found = []
    for source, spec in registry(project_dir).items():
        if sources is not None and source not in sources:
            continue
        for name, obj in spec["objects"].items():
            rows_where = tuple(
                (column, tuple(values)) for column, values in obj.get("rows_where", {}).items()
            )
            found.append(
                PlatformObject(
                    source,
                    name,
                    obj["files"],
                    obj["maps_to"],
                    obj["quality_table"],
                    obj.get("format", "json_lines"),
                    rows_where,
                )
            )
    return found


def required_folders(project_dir: Path, sources: list[str]) -> list[tuple[str, str]]:
    """(source, folder under the raw dir) of every table an enabled adapter cannot map without (its
    `requires`); a Parquet adapter's tables are folders <source>/<table>."""
    return [
        (source, f"{source}/{table}")
        for source, spec in registry(project_dir).items()
        if source in sources
        for table in spec.get("requires", [])
    ]


Adjustment = tuple[str, str | None, int]


def staged_adjustments(project_dir: Path, sources: list[str]) -> dict[str, list[Adjustment]]:
    """{SPEC §2 table: [(staging model, row filter or None, +1 / -1)]}: how a table's staging model differs
    from its accepted rows, by the enabled adapters' registry entries. +1: the events an adapter's records
    imply (its `events_model`, staged beside the delivered events); -1: accepted rows another source's record
    stands for (its `folds`: Salesforce voice calls counted as their Amazon Connect contact)."""
    found: dict[str, list[Adjustment]] = {}
    for source, spec in registry(project_dir).items():
        if source not in sources:
            continue
        if spec.get("events_model"):
            found.setdefault("contact_events", []).append((f"staging.{spec['events_model']}", None, 1))
        for table, fold in spec.get("folds", {}).items():
            found.setdefault(table, []).append((f"staging.{fold['model']}", fold["where"], -1))
    return found


def provided_tables(project_dir: Path, sources: list[str]) -> set[str]:
    """SPEC §2 tables an enabled adapter provides (their landing-zone folders may be absent)."""
    return {
        table
        for source, spec in registry(project_dir).items()
        if source in sources
        for table in spec.get("provides", [])
    }


def providers(project_dir: Path) -> dict[str, list[str]]:
    """{SPEC §2 table: the adapters that can provide it}, for an error that suggests switching one on."""
    found: dict[str, list[str]] = {}
    for source, spec in registry(project_dir).items():
        for table in spec.get("provides", []):
            found.setdefault(table, []).append(source)
    return found


def enabled_sources(
    project_dir: Path, vars_json: str | None = None, environ: dict[str, str] | None = None
) -> list[str]:
    """The sources a dbt build with these vars and this environment switches on (ValueError: unknown one)."""
    environ = dict(os.environ) if environ is None else environ
    configured: Any = (json.loads(vars_json) if vars_json else {}).get("sources")
    if configured is None:
        configured = environ.get(ENV_VAR) or LANDING_ZONE
    names = configured.split(",") if isinstance(configured, str) else list(configured)
    known = [LANDING_ZONE, *registry(project_dir)]
    enabled: list[str] = []
    for name in names:
        cleaned = str(name).strip().lower()
        if cleaned and cleaned not in known:
            raise ValueError(
                f"unknown source '{cleaned}' in {ENV_VAR} / var sources; known: {', '.join(known)} "
                f"(e.g. {ENV_VAR}=landing_zone,amazon_connect)"
            )
        if cleaned and cleaned not in enabled:
            enabled.append(cleaned)
    return enabled


def count_parquet_rows(path: Path, rows_where: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> int:
    """Rows of a Parquet file; with rows_where, only those whose columns hold one of the values (trimmed,
    lower case), the registry's filter. Reading the footer (and the filter's columns) checks the file."""
    if not rows_where:
        return pq.ParquetFile(path).metadata.num_rows
    table = pq.read_table(path, columns=[column for column, _ in rows_where])
    keep = None
    for column, values in rows_where:
        cleaned = pc.utf8_lower(pc.utf8_trim_whitespace(table[column].cast("string")))
        matched = pc.fill_null(pc.is_in(cleaned, value_set=pa.array(list(values), type=pa.string())), False)
        keep = matched if keep is None else pc.and_(keep, matched)
    return int(pc.sum(keep).as_py() or 0)


def count_lines(path: Path) -> int:
    """Non-blank lines of a JSON-lines file, gzip or plain (what the adapter reads as records). Reading the
    whole file is the check that it is readable: a broken gzip stream raises (OSError, EOFError)."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        return sum(1 for line in handle if line.strip(b" \r\n"))
