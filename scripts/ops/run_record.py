"""The run record: one JSON file per nightly run, warehouse/runs/<run_id>.json, and latest.json.

Fields: run_id, status (success / failed), exit_code, message (the one-line outcome), started_at,
finished_at, options, rebuild (incremental / state / full, what and why), full_refresh (and why), as_of,
steps (seconds per step), models (status, seconds, rows per dbt node), tests (pass / warn / fail / error
counts and the failing tests), freshness, landing_zone (files and rows per raw table), row_counts (rows per
fact, dim and mart of the published warehouse), data_quality (rows per table, status and reason),
validation (every check).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import duckdb

RUNS_DIR_NAME = "runs"


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def runs_dir(live: Path) -> Path:
    return live.parent / RUNS_DIR_NAME


def write(record: dict[str, Any], live: Path, *, update_latest: bool = True) -> Path:
    """Write <runs>/<run_id>.json (and latest.json) atomically; return the record's path."""
    directory = runs_dir(live)
    directory.mkdir(parents=True, exist_ok=True)
    text = json.dumps(record, indent=2, sort_keys=False, default=str) + "\n"
    path = directory / f"{record['run_id']}.json"
    targets = [path] + ([directory / "latest.json"] if update_latest else [])
    for target in targets:
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(text)
        os.replace(temporary, target)
    return path


def summarise_dbt(run_results: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(models, tests) from a dbt run_results.json: per-node timings and a test summary."""
    models: dict[str, Any] = {}
    tests: dict[str, Any] = {"pass": 0, "warn": 0, "fail": 0, "error": 0, "skipped": 0, "failing": []}
    for result in (run_results or {}).get("results", []):
        unique_id = result["unique_id"]
        kind, name = unique_id.split(".")[0], unique_id.split(".")[-1]
        status = result.get("status")
        if kind in ("model", "seed", "snapshot"):
            models[name] = {
                "status": status,
                "seconds": round(result.get("execution_time") or 0.0, 3),
                "rows_affected": (result.get("adapter_response") or {}).get("rows_affected"),
            }
        elif kind in ("test", "unit_test"):
            key = status if status in tests else "error"
            tests[key] += 1
            if status in ("fail", "error", "warn"):
                tests["failing"].append(
                    {
                        "test": name,
                        "status": status,
                        "failures": result.get("failures"),
                        "message": (result.get("message") or "")[:300],
                    }
                )
    return models, tests


def warehouse_facts(warehouse: Path) -> dict[str, Any]:
    """as_of, row counts of facts, dims and marts, and data-quality counts, read-only."""
    facts: dict[str, Any] = {"as_of": None, "as_of_is_explicit": None, "row_counts": {}, "data_quality": {}}
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = {
            row[0]
            for row in connection.execute(
                "select table_schema || '.' || table_name from information_schema.tables"
            ).fetchall()
        }
        if "intermediate.int_as_of_resolved" in tables:
            as_of, explicit = connection.execute(
                "select as_of, is_explicit from intermediate.int_as_of_resolved"
            ).fetchone()
            facts["as_of"] = None if as_of is None else as_of.isoformat()
            facts["as_of_is_explicit"] = explicit
        for relation in sorted(t for t in tables if t.split(".")[0] in ("core", "outcomes")):
            facts["row_counts"][relation] = connection.execute(f"select count(*) from {relation}").fetchone()[
                0
            ]
        if "outcomes.mart_data_quality" in tables:
            quality: dict[str, Any] = {}
            for table, status, reason, rows in connection.execute(
                "select table_name, status, reason, sum(rows) from outcomes.mart_data_quality "
                "group by all order by all"
            ).fetchall():
                entry = quality.setdefault(table, {"accepted": 0, "superseded": 0, "quarantined": {}})
                if status == "quarantined":
                    entry["quarantined"][reason] = int(rows)
                else:
                    entry[status] = int(rows)
            facts["data_quality"] = quality
    finally:
        connection.close()
    return facts
