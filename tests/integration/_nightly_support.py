"""Helpers for the nightly fault tests: generate small datasets, run scripts.nightly, read the warehouses."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from scripts.ops import dbt

PROJECT_DIR = Path(__file__).resolve().parents[2]

# Small enough for the whole fault suite to run in minutes, big enough that every raw table has rows.
SEED = 3
CUSTOMERS = 400
FIRST_DAYS = 30


def generate(out: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "scripts.generate_data", "--out", str(out), "--quiet", *args],
        cwd=PROJECT_DIR,
        check=True,
    )


def generate_first_nights(out: Path, *extra: str) -> None:
    generate(
        out,
        "--seed",
        str(SEED),
        "--customers",
        str(CUSTOMERS),
        "--days",
        str(FIRST_DAYS),
        "--overwrite",
        *extra,
    )


def append_day(out: Path) -> None:
    generate(out, "--append-day")


def nightly_command(raw_dir: Path, warehouse: Path, *args: str, freshness: bool = False) -> list[str]:
    """The nightly on a test landing zone; the freshness step only when asked."""
    return [
        sys.executable,
        "-m",
        "scripts.nightly",
        "--raw-dir",
        str(raw_dir),
        "--warehouse",
        str(warehouse),
        *([] if freshness else ["--skip-freshness"]),
        *args,
    ]


def nightly_env(**extra: str) -> dict[str, str]:
    """The nightly's environment: this one without CX_WAREHOUSE and CX_RAW_DIR (the tests pass --warehouse
    and --raw-dir), dbt's profile from this project."""
    base = {name: value for name, value in os.environ.items() if name not in ("CX_WAREHOUSE", "CX_RAW_DIR")}
    return dbt.environment(profiles_dir=PROJECT_DIR, extra=extra, base=base)


def run_nightly(
    raw_dir: Path,
    warehouse: Path,
    *args: str,
    env: dict[str, str] | None = None,
    freshness: bool = False,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        nightly_command(raw_dir, warehouse, *args, freshness=freshness),
        cwd=PROJECT_DIR,
        env=env or nightly_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )


def start_nightly_until_it_builds(
    raw_dir: Path, warehouse: Path, *, capture: bool = False
) -> tuple[subprocess.Popen[str], bool]:
    """Start a nightly and return once dbt has built a model into its candidate (`OK created` in the dbt log
    it appends to), the nightly ended, or 600 s passed: the running process (its output piped when `capture`,
    else dropped) and whether dbt built."""
    log = warehouse.parent / ".build" / "target" / "logs" / "dbt.log"
    offset = log.stat().st_size if log.exists() else 0
    output = subprocess.PIPE if capture else subprocess.DEVNULL
    process = subprocess.Popen(
        nightly_command(raw_dir, warehouse),
        cwd=PROJECT_DIR,
        env=nightly_env(),
        stdout=output,
        stderr=output,
        text=True,
    )
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and process.poll() is None:
        if log.exists() and log.stat().st_size > offset:
            with log.open() as handle:
                handle.seek(offset)
                if "OK created" in handle.read():
                    return process, True
        time.sleep(0.2)
    return process, False


def assert_nights_equal_full_refresh(
    root: Path, env: dict[str, str], *generate_args: str, nights: int = 3
) -> None:
    """SPEC §7: a dataset generated with generate_args, built night by night (--append-day between nights)
    with the nightly, equals a full refresh of the final raw data, every table (scripts.bench.compare)."""
    from scripts.bench.compare import compare_warehouses

    raw, live = root / "raw", root / "nightly" / "cx.duckdb"
    generate(raw, *generate_args)
    for night in range(nights):
        if night:
            generate(raw, "--append-day")
        result = run_nightly(raw, live, env=env)
        assert result.returncode == 0, f"night {night}: {result.stdout}\n{result.stderr[-3000:]}"
    assert latest_record(live)["full_refresh"] is False
    full = root / "full" / "cx.duckdb"
    result = run_nightly(raw, full, "--full-refresh", env=env)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr[-3000:]}"
    assert compare_warehouses(live, full) == {}


def build_parity_pair(
    root: Path, dataset: tuple[str, ...], platform_format: str, sources: str, alias: str
) -> duckdb.DuckDBPyConnection:
    """A platform's parity pair (SPEC §8.1: the same simulated centre from the landing zone and from the
    platform's export): the seed generated both ways without bad rows (every contact comparable) under
    root/landing_zone and root/<format>_clean, each built with a full refresh, attached to one connection as
    `lz` and `alias`."""
    from tests.conftest import dbt_env, run_dbt

    builds = (
        ("landing_zone", (), "landing_zone"),
        (f"{platform_format}_clean", ("--format", platform_format), sources),
    )
    connection = duckdb.connect()
    for (name, format_args, build_sources), attached_as in zip(builds, ("lz", alias), strict=True):
        raw = root / name
        generate(raw, *dataset, *format_args)
        warehouse = root / f"{name}.duckdb"
        env = dbt_env(raw, warehouse, root / f"target_{name}", CX_SOURCES=build_sources)
        run_dbt(["build", "--full-refresh", "--exclude-resource-type", "unit_test"], env)
        connection.execute(f"attach '{warehouse}' as {attached_as} (read_only)")
    return connection


def assert_published(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 0, (
        f"nightly failed ({result.returncode}):\n{result.stdout}\n{result.stderr[-3000:]}"
    )


def latest_record(warehouse: Path) -> dict[str, Any]:
    return json.loads((warehouse.parent / "runs" / "latest.json").read_text())


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(warehouse: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        return connection.execute(sql, params or []).fetchall()
    finally:
        connection.close()
