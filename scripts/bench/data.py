"""Benchmark datasets: generate once, build from the first N load dates, append day N+1 for the nightly.

The generator guarantees that ``--days N`` followed by ``--append-day`` gives exactly the rows of
``--days N+1`` (and writes one ``load_date=`` partition per table and day). So each scale is generated
once with N+1 days into ``<scale>/source``; the raw dir the warehouse is built from holds hard links to
the partitions of the first N load dates, and "appending a day" links the last partition in. That
halves the generation time at scale L. ``--append-mode generator`` runs the real ``--append-day``
instead (and times it).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from scripts.bench import procmon

MANIFEST = "_generator.json"
GEN_TIME = "_bench_generate.json"
SNAPSHOT_GIT = ".bench_git.json"


@dataclass(frozen=True)
class Scale:
    name: str
    customers: int
    days: int
    note: str


# About 5.5 contacts per customer-year (measured: 71,320 contacts from 13,000 customers over 365 days),
# so a 365-day year of 1.37 M customers is the ~7.5 M contacts of a 500-seat contact centre.
SCALES = {
    "S": Scale("S", 13_700, 365, "≈75 k contacts: a 5-seat year"),
    "M": Scale("M", 137_000, 365, "≈750 k contacts: a 50-seat year"),
    "L": Scale("L", 1_370_000, 365, "≈7.5 M contacts: the 500-seat year"),
}
SEED = 7
START = "2025-01-01"


def _manifest(path: Path) -> dict | None:
    try:
        return json.loads((path / MANIFEST).read_text())
    except (OSError, ValueError):
        return None


def generator_cmd(out: Path, customers: int, days: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "scripts.generate_data",
        "--seed",
        str(SEED),
        "--customers",
        str(customers),
        "--start-date",
        START,
        "--days",
        str(days),
        "--out",
        str(out),
        "--overwrite",
        "--quiet",
    ]


def ensure_source(
    scale: Scale, root: Path, project_dir: Path, env: dict[str, str], reuse: bool, log: Path
) -> dict:
    """Generate <root>/source with days+1 days (or reuse a matching one); return the timing record."""
    source = root / "source"
    wanted = {"seed": SEED, "customers": scale.customers, "days": scale.days + 1, "start_date": START}
    manifest = _manifest(source)
    if reuse and manifest and all(manifest.get(k) == v for k, v in wanted.items()):
        try:
            record = json.loads((root / GEN_TIME).read_text())
        except (OSError, ValueError):
            record = {"wall_s": None, "note": "reused a dataset generated outside the benchmark"}
        record["reused"] = True
        return record
    root.mkdir(parents=True, exist_ok=True)
    measure = procmon.run(
        generator_cmd(source, scale.customers, scale.days + 1), env=env, cwd=project_dir, log_file=log
    )
    if not measure.ok:
        raise RuntimeError(f"generator failed (exit {measure.returncode}):\n{measure.stdout_tail}")
    record = measure.as_dict() | {"days_generated": scale.days + 1, "reused": False}
    (root / GEN_TIME).write_text(json.dumps(record, indent=2) + "\n")
    return record


def tables(source: Path) -> list[str]:
    return sorted(p.name for p in source.iterdir() if p.is_dir() and not p.name.startswith("."))


def load_dates(source: Path) -> list[str]:
    dates = {
        p.name for t in tables(source) for p in (source / t).iterdir() if p.name.startswith("load_date=")
    }
    return sorted(dates)


def link_raw(source: Path, raw: Path, dates: list[str]) -> None:
    """raw = hard links to the given load_date partitions of source (a fresh directory)."""
    shutil.rmtree(raw, ignore_errors=True)
    raw.mkdir(parents=True)
    for table in tables(source):
        for date in dates:
            partition = source / table / date
            if partition.is_dir():
                link_partition(partition, raw / table / date)


def link_partition(partition: Path, target: Path, *, touch: bool = False) -> None:
    """Hard-link a partition's files; touch=True dates them now, as a file that just landed would be."""
    target.mkdir(parents=True, exist_ok=True)
    for f in partition.iterdir():
        os.link(f, target / f.name)
        if touch:
            os.utime(target / f.name)


def append_last_day(source: Path, raw: Path) -> dict:
    """Link source's last load_date partitions into raw: the nightly's new day. Returns rows and files."""
    import pyarrow.parquet as pq

    last = load_dates(source)[-1]
    files, rows = 0, 0
    started = time.perf_counter()
    for table in tables(source):
        partition = source / table / last
        if partition.is_dir():
            link_partition(partition, raw / table / last, touch=True)
            for f in partition.glob("*.parquet"):
                files += 1
                rows += pq.ParquetFile(f).metadata.num_rows
    return {
        "mode": "partition",
        "load_date": last.split("=", 1)[1],
        "files": files,
        "rows": rows,
        "wall_s": round(time.perf_counter() - started, 2),
    }


def generator_append(raw: Path, project_dir: Path, env: dict[str, str], log: Path) -> dict:
    """The real `generate_data --append-day` on raw (re-simulates every day, writes the last)."""
    command = [sys.executable, "-m", "scripts.generate_data", "--out", str(raw), "--append-day", "--quiet"]
    measure = procmon.run(command, env=env, cwd=project_dir, log_file=log)
    if not measure.ok:
        raise RuntimeError(f"--append-day failed (exit {measure.returncode}):\n{measure.stdout_tail}")
    return {"mode": "generator"} | measure.as_dict()


def prepare_generator_raw(scale: Scale, raw: Path, project_dir: Path, env: dict[str, str], log: Path) -> dict:
    """--append-mode generator: a real N-day dataset in raw (generated, timed)."""
    measure = procmon.run(
        generator_cmd(raw, scale.customers, scale.days), env=env, cwd=project_dir, log_file=log
    )
    if not measure.ok:
        raise RuntimeError(f"generator failed (exit {measure.returncode}):\n{measure.stdout_tail}")
    return measure.as_dict()


def raw_summary(raw: Path) -> dict:
    """Rows, files and bytes per raw table (Parquet metadata only)."""
    import pyarrow.parquet as pq

    summary = {}
    for table in tables(raw):
        files = sorted((raw / table).glob("load_date=*/*.parquet"))
        summary[table] = {
            "rows": sum(pq.ParquetFile(f).metadata.num_rows for f in files),
            "files": len(files),
            "mb": round(sum(f.stat().st_size for f in files) / 1e6, 1),
        }
    return summary


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def remove_database(path: Path) -> None:
    """Delete a DuckDB file and its write-ahead log, if they exist."""
    for suffix in ("", ".wal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def git_state(project_dir: Path) -> dict:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=project_dir, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    if (project_dir / SNAPSHOT_GIT).exists():
        # a snapshot copy of a working tree (benchmarks/results/history.md, the 22 Nov baseline) records
        # where it came from
        return json.loads((project_dir / SNAPSHOT_GIT).read_text())
    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty_files": len(git("status", "--porcelain").splitlines()),
    }


def replace_days(scale: Scale, days: int) -> Scale:
    return (
        scale
        if days == scale.days
        else Scale(scale.name, scale.customers, days, f"{scale.note}, {days} days")
    )
