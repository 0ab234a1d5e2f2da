"""Source freshness (the nightly's step 4) in one DuckDB session, without a dbt invocation.

`dbt source freshness` costs a dbt start-up and parse (5–10 s) for eight `max()` queries. This module runs
the same queries itself: for every source table of the sources YAML (models/**/*.yml) with a freshness
threshold and a `loaded_at_field`, `select max(<loaded_at_field>), now() from <its external_location>` — the
SQL of dbt's `collect_freshness` — then dbt's rule: older than `error_after` is `error`, else older than
`warn_after` is `warn`, else `pass`; a query that fails (no files) or finds no timestamp is `runtime error`.

Age is measured back from a reference moment (`reference()`): `CX_FRESHNESS_AS_OF` when set (an ISO date or
timestamp, UTC unless it says otherwise); else, for a landing zone written by scripts.generate_data (its
`_generator.json`), the end of the generated data's last load day — demo data is old by design, so against
the wall clock every table would warn every night and a warning would be no news; else the wall clock, as
dbt. `dbt source freshness` judges against the same moment when given the same `CX_FRESHNESS_AS_OF`
(macros/collect_freshness.sql); without it, against the wall clock.

The thresholds, the loaded-at expression and the location are read from the YAML, never copied here. dbt
resolves a few more forms than this reader does (`var()`, a `loaded_at_query`, a `filter`, source configs
in dbt_project.yml, a source without a `loaded_at_field`, a remote raw dir): for those `specs()` raises
`Unsupported` and the nightly falls back to `dbt source freshness`. tests/integration/test_nightly_failures.py
checks the specs against the manifest dbt writes.

    .venv/bin/python -m scripts.ops.freshness [--raw-dir data/raw] [--json]   # a landing zone's freshness
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import jinja2
import yaml

PROJECT_DIR = Path(__file__).resolve().parents[2]
RAW_DIR_ENV = "CX_RAW_DIR"
REFERENCE_ENV = "CX_FRESHNESS_AS_OF"
GENERATOR_MANIFEST = "_generator.json"  # scripts.generate_data's record of a generated landing zone
GENERATOR_NAME = "scripts.generate_data"
PERIOD_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
# keys of a source or table that change what dbt checks and that this reader does not resolve
UNSUPPORTED_KEYS = ("loaded_at_query",)
SOURCES_KEY = re.compile(r"^sources\s*:", re.MULTILINE)
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Unsupported(Exception):
    """The sources YAML uses a form only dbt resolves; run `dbt source freshness` instead."""


@dataclass(frozen=True)
class SourceSpec:
    name: str  # "<source>.<table>", as the run record names it
    relation: str  # what dbt renders for the source: here the external_location, formatted
    loaded_at_field: str
    warn_after: float | None  # seconds
    error_after: float | None

    def status(self, age: float) -> str:
        """dbt's FreshnessThreshold.status."""
        if self.error_after is not None and age > self.error_after:
            return "error"
        if self.warn_after is not None and age > self.warn_after:
            return "warn"
        return "pass"


@dataclass(frozen=True)
class Reference:
    """The moment ages are measured back from: `at` None is the wall clock at query time (dbt's now())."""

    at: dt.datetime | None
    basis: str  # why this moment, for the run record and the step summary

    def env(self) -> dict[str, str]:
        """The environment that makes `dbt source freshness` judge against the same moment."""
        return {REFERENCE_ENV: self.at.isoformat()} if self.at is not None else {}

    def to_record(self) -> dict[str, Any]:
        return {"reference_at": None if self.at is None else self.at.isoformat(), "reference": self.basis}


def parse_instant(value: str) -> dt.datetime:
    """An ISO date or timestamp as an aware UTC datetime (no zone: UTC, dbt's rule); ValueError if not one."""
    text = value.strip()
    try:
        instant = dt.datetime.fromisoformat(text)
    except ValueError:
        message = f"{REFERENCE_ENV}={value!r} is not an ISO date or timestamp (e.g. 2025-07-30)"
        raise ValueError(message) from None
    return _utc(instant)


def reference(raw_dir: str, environ: dict[str, str] | None = None) -> Reference:
    """What freshness is judged against (see the module's doc); ValueError on a bad CX_FRESHNESS_AS_OF."""
    environ = os.environ if environ is None else environ
    explicit = environ.get(REFERENCE_ENV, "").strip()
    if explicit:
        return Reference(parse_instant(explicit), f"${REFERENCE_ENV}")
    if "://" not in raw_dir:
        path = Path(raw_dir) / GENERATOR_MANIFEST
        try:
            manifest = json.loads(path.read_text())
            last_load = dt.date.fromisoformat(str(manifest["last_load_date"]))
            generated = manifest.get("generator") == GENERATOR_NAME
        except (OSError, ValueError, KeyError, TypeError):
            generated = False
        if generated:
            end = dt.datetime.combine(last_load + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
            return Reference(end, f"the end of the generated data's last load day, per {GENERATOR_MANIFEST}")
    return Reference(None, "wall clock")


def _threshold(freshness: dict[str, Any], key: str) -> float | None:
    rule = freshness.get(key) or {}
    count, period = rule.get("count"), rule.get("period")
    if count is None or period is None:
        return None
    if period not in PERIOD_SECONDS:
        raise Unsupported(f"freshness period {period!r}")
    return float(count) * PERIOD_SECONDS[period]


def _setting(node: dict[str, Any], key: str, default: Any = None) -> Any:
    """A source or table setting, under `config:` (dbt ≥ 1.10) or at the top level (older form)."""
    config = node.get("config") or {}
    if key in config:
        return config[key]
    return node.get(key, default)


def _freshness(source: dict[str, Any], table: dict[str, Any]) -> dict[str, Any] | None:
    """The table's thresholds merged over the source's (dbt's merge); an explicit null on the table turns the
    check off."""
    merged = dict(_setting(source, "freshness") or {})
    config = table.get("config") or {}
    if "freshness" in config or "freshness" in table:
        own = _setting(table, "freshness")
        if own is None:
            return None
        merged.update({key: value for key, value in own.items() if value is not None})
    return merged or None


def _render(text: str, raw_dir: str) -> str:
    """Render a YAML value's Jinja as dbt does, with env_var() only (CX_RAW_DIR is the nightly's raw dir)."""

    def env_var(name: str, default: str | None = None) -> str:
        if name == RAW_DIR_ENV:
            return raw_dir
        value = os.environ.get(name, default)
        if value is None:
            raise Unsupported(f"env_var({name!r}) is not set")
        return value

    def unsupported(*_args: Any, **_kwargs: Any) -> str:
        raise Unsupported(f"{text!r} calls a dbt function other than env_var()")

    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    try:
        return environment.from_string(text).render(env_var=env_var, var=unsupported)
    except jinja2.UndefinedError as error:
        raise Unsupported(f"{text!r}: {error}") from error


def _relation(source: dict[str, Any], table: dict[str, Any], raw_dir: str) -> str:
    """dbt-duckdb's source relation: the `external_location` meta (table over source), formatted with the
    source config (`{name}`, `{identifier}`, `{schema}`), quoted unless it is a function call."""
    meta = {**(_setting(source, "meta") or {}), **(_setting(table, "meta") or {})}
    if "external_location" not in meta or meta.get("formatter", "newstyle") != "newstyle" or "plugin" in meta:
        name = f"{source['name']}.{table['name']}"
        raise Unsupported(f"source table {name} is not read through a newstyle external_location")
    fields = {
        **meta,
        "name": table["name"],
        "identifier": table.get("identifier", table["name"]),
        "schema": source.get("schema", source["name"]),
    }
    try:
        location = _render(str(meta["external_location"]), raw_dir).format_map(fields)
    except KeyError as error:
        raise Unsupported(f"external_location names {error}") from error
    if "(" not in location and not location.startswith("'"):
        location = f"'{location}'"
    return location


def _yaml_files(project_dir: Path) -> list[Path]:
    project = yaml.safe_load((project_dir / "dbt_project.yml").read_text()) or {}
    if project.get("sources"):
        raise Unsupported("dbt_project.yml configures sources")
    roots = [project_dir / root for root in project.get("model-paths", ["models"])]
    return sorted(path for root in roots for pattern in ("*.yml", "*.yaml") for path in root.rglob(pattern))


def specs(raw_dir: str, project_dir: Path = PROJECT_DIR) -> list[SourceSpec]:
    """Every enabled source table with a freshness threshold, from the sources YAML; raises Unsupported."""
    if "://" in raw_dir:
        raise Unsupported(f"{raw_dir} is remote: the dbt profile's settings read it")
    found: list[SourceSpec] = []
    for path in _yaml_files(project_dir):
        text = path.read_text()
        if not SOURCES_KEY.search(text):
            continue  # most YAML files hold models and unit tests only: not worth parsing
        document = yaml.load(text, Loader=YAML_LOADER) or {}
        for source in document.get("sources") or []:
            if _setting(source, "enabled", True) is False:
                continue
            for table in source.get("tables") or []:
                if _setting(table, "enabled", True) is False:
                    continue
                freshness = _freshness(source, table)
                warn_after = _threshold(freshness or {}, "warn_after")
                error_after = _threshold(freshness or {}, "error_after")
                if warn_after is None and error_after is None:
                    continue  # dbt checks only sources with a threshold
                if freshness.get("filter") or any(
                    _setting(node, key) for node in (source, table) for key in UNSUPPORTED_KEYS
                ):
                    raise Unsupported(f"source table {source['name']}.{table['name']} uses a filter or query")
                loaded_at_field = _setting(table, "loaded_at_field") or _setting(source, "loaded_at_field")
                if not loaded_at_field:
                    raise Unsupported(f"source table {source['name']}.{table['name']} has no loaded_at_field")
                found.append(
                    SourceSpec(
                        name=f"{source['name']}.{table['name']}",
                        relation=_relation(source, table, raw_dir),
                        loaded_at_field=_render(str(loaded_at_field), raw_dir),
                        warn_after=warn_after,
                        error_after=error_after,
                    )
                )
    return found


def _utc(value: dt.datetime) -> dt.datetime:
    """dbt's rule: a timestamp without a zone is UTC."""
    return value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)


def measure(source_specs: list[SourceSpec], at: dt.datetime | None = None) -> dict[str, Any]:
    """Run the freshness queries in one in-memory DuckDB session (UTC, as the build's profile); the record's
    `freshness`: dbt's exit code (1 when a source errs) and, per source, status, max_loaded_at and age — back
    from `at` (a Reference's), or from the query's now() when None."""
    sources: dict[str, Any] = {}
    connection = duckdb.connect()
    try:
        connection.execute("set TimeZone = 'UTC'")
        for spec in source_specs:
            entry: dict[str, Any] = {"status": "runtime error", "max_loaded_at": None, "age_hours": None}
            try:
                max_loaded_at, snapshotted_at = connection.execute(
                    f"select max({spec.loaded_at_field}) as max_loaded_at, now() as snapshotted_at "
                    f"from {spec.relation}"
                ).fetchone()
            except duckdb.Error as error:
                entry["message"] = str(error).splitlines()[0][:300]
            else:
                if isinstance(max_loaded_at, dt.datetime):
                    loaded = _utc(max_loaded_at)
                    age = (_utc(at or snapshotted_at) - loaded).total_seconds()
                    entry.update(
                        status=spec.status(age),
                        max_loaded_at=loaded.isoformat(),
                        age_hours=round(age / 3600, 1),
                    )
                else:
                    entry["message"] = f"max({spec.loaded_at_field}) is {max_loaded_at!r}, not a timestamp"
            sources[spec.name] = entry
    finally:
        connection.close()
    failed = any(entry["status"] in ("error", "runtime error") for entry in sources.values())
    return {"exit_code": int(failed), "sources": sources}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.ops.freshness",
        description=__doc__.split("\n\n")[0],
        epilog="\n\n".join(__doc__.split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--raw-dir",
        default=os.environ.get(RAW_DIR_ENV, "data/raw"),
        help="landing zone (default: $CX_RAW_DIR or data/raw)",
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    raw_dir = args.raw_dir if "://" in args.raw_dir else str(Path(args.raw_dir).resolve())
    try:
        moment = reference(raw_dir)
    except ValueError as error:
        parser.error(str(error))
    try:
        result = {**measure(specs(raw_dir), moment.at), **moment.to_record()}
    except Unsupported as error:
        print(f"freshness: {error}; run `dbt source freshness` instead", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"ages as of {moment.at.isoformat() if moment.at else 'now'} ({moment.basis})")
        for name, entry in result["sources"].items():
            print(f"{name:28} {entry['status']:13} {entry['max_loaded_at']}  {entry['age_hours']} h")
    return result["exit_code"]


if __name__ == "__main__":
    sys.exit(main())
