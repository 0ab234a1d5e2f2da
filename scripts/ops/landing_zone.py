"""Landing-zone check (SPEC §2, §6): every raw table of the contract is there, every Parquet file opens,
and every contract column is delivered — before anything is built.

A broken file stops the build with a message naming the file; a missing column names the table, the
column and the file (or folder) it looked in. Files changed since the last successful build (all files
on a full refresh) are read completely, so a corrupt data page is caught here, not half-way through the
build; older files, already built from, only have their footer (schema and row counts) read.
"""

from __future__ import annotations

import argparse
import logging
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from scripts.ops import adapters
from scripts.ops import contract as contract_module

log = logging.getLogger(__name__)


class LandingZoneError(Exception):
    """The landing zone cannot be built from; `problems` lists every reason, the first is the headline."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if problems else "landing zone check failed")
        self.problems = problems


@dataclass
class TableReport:
    files: int = 0
    rows: int = 0
    bytes: int = 0
    files_read_fully: int = 0
    extra_columns: list[str] = field(default_factory=list)


def _check_file(path: Path, read_fully: bool) -> tuple[set[str], int]:
    parquet = pq.ParquetFile(path)
    names = {name.lower() for name in parquet.schema_arrow.names}
    rows = parquet.metadata.num_rows
    if read_fully:
        for index in range(parquet.num_row_groups):
            parquet.read_row_group(index)
    return names, rows


def check(
    raw_dir: Path | str,
    contract: dict[str, dict[str, Any]],
    *,
    read_fully_since: float | None = None,
    sources: tuple[str, ...] | list[str] = (adapters.LANDING_ZONE,),
    platform_objects: tuple[adapters.PlatformObject, ...] | list[adapters.PlatformObject] = (),
    provided: set[str] | None = None,
    alternatives: dict[str, list[str]] | None = None,
    required_folders: tuple[tuple[str, str], ...] | list[tuple[str, str]] = (),
) -> dict[str, TableReport]:
    """Check the landing zone; return per-table counts or raise LandingZoneError.

    read_fully_since: files modified at or after this epoch time are read completely; None = all files.
    sources: the sources switched on (SPEC §8.1); the landing zone's tables are checked when it is one.
    platform_objects: the enabled adapters' objects, whose files are checked too (every gzip stream read to
    its end when new: a broken one stops the night naming the file). provided: SPEC §2 tables an enabled
    adapter provides, whose landing-zone folders may be absent. alternatives: {table: adapters that could
    provide it}, named in the error when its folder is missing. required_folders: (source, folder) of the
    tables an enabled adapter cannot map without (adapters.required_folders): each must hold files.
    """
    raw = str(raw_dir)
    if "://" in raw:
        log.warning("landing-zone check skipped for %s: only local paths are checked file by file", raw)
        return {}
    root = Path(raw)
    problems: list[str] = []
    reports: dict[str, TableReport] = {}
    if not root.is_dir():
        raise LandingZoneError(
            [f"raw dir {root} does not exist (set CX_RAW_DIR or --raw-dir to the landing zone)"]
        )
    provided = provided or set()
    alternatives = alternatives or {}
    for source, folder in required_folders:
        if not any(path.is_file() for path in (root / folder).rglob("*")):
            problems.append(f"source '{source}' is on but has no {folder} files (looked in {root / folder})")
    for obj in platform_objects:
        _check_platform_object(root, obj, read_fully_since, reports, problems)
    for table, spec in contract.items():
        if adapters.LANDING_ZONE not in sources:
            continue
        folder = root / table
        files = sorted(folder.rglob("*.parquet")) if folder.is_dir() else []
        if not files and table in provided:
            continue  # SPEC §8.1: an enabled platform delivers this table
        report = reports.setdefault(table, TableReport())
        if not files:
            hint = ""
            if table in alternatives:
                hint = f"; if {' or '.join(alternatives[table])} delivers it, switch that on: " + (
                    f"{adapters.ENV_VAR}={','.join([*sources, alternatives[table][0]])}"
                )
            problems.append(
                f"raw table '{table}' has no Parquet files (looked in {folder}/**/*.parquet){hint}"
            )
            continue
        columns = [column["name"].lower() for column in spec["columns"]]
        required = [column["name"].lower() for column in spec["columns"] if column.get("required")]
        seen: set[str] = set()
        for path in files:
            read_fully = read_fully_since is None or path.stat().st_mtime >= read_fully_since
            try:
                names, rows = _check_file(path, read_fully)
            except Exception as error:  # pyarrow raises several types for broken files
                problems.append(f"raw file {path} of table '{table}' cannot be read: {error}")
                continue
            report.files += 1
            report.rows += rows
            report.bytes += path.stat().st_size
            report.files_read_fully += int(read_fully)
            seen |= names
            missing = [name for name in required if name not in names]
            if missing:
                problems.append(
                    f"raw table '{table}' is missing required column '{missing[0]}' in file {path}"
                    + (f" (also missing: {', '.join(missing[1:])})" if len(missing) > 1 else "")
                )
        for name in columns:
            if name not in seen and name not in required:
                problems.append(
                    f"raw table '{table}' is missing column '{name}' in every file (looked in {folder})"
                )
        report.extra_columns = sorted(seen - set(columns) - {"load_date"})
    if problems:
        raise LandingZoneError(problems)
    return reports


def _check_platform_object(
    root: Path,
    obj: adapters.PlatformObject,
    read_fully_since: float | None,
    reports: dict[str, TableReport],
    problems: list[str],
) -> None:
    """A platform's files (JSON lines, gzip or plain; or Parquet): present, and the new ones readable."""
    report = reports.setdefault(obj.quality_table, TableReport())
    pattern = f"{root}/{obj.files}"
    files = sorted(root.glob(obj.files))
    if not files:
        problems.append(f"source '{obj.source}' is on but has no {obj.name} files (looked in {pattern})")
        return
    for path in files:
        read_fully = read_fully_since is None or path.stat().st_mtime >= read_fully_since
        report.files += 1
        report.bytes += path.stat().st_size
        if not read_fully:
            continue
        try:
            report.rows += obj.count(path)
        except (OSError, EOFError, ValueError, zlib.error, pa.ArrowException) as error:
            problems.append(f"raw file {path} of {obj.source} {obj.name} cannot be read: {error}")
            continue
        report.files_read_fully += 1


def main(argv: list[str] | None = None) -> int:
    """`python -m scripts.ops.landing_zone [RAW_DIR]`: run the check alone; exit 3 when it fails."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw_dir", nargs="?", default="data/raw")
    args = parser.parse_args(argv)
    project_dir = Path(__file__).resolve().parents[2]
    contract = contract_module.load(project_dir)
    try:
        sources = adapters.enabled_sources(project_dir)
        reports = check(
            args.raw_dir,
            contract,
            sources=sources,
            platform_objects=adapters.objects(project_dir, sources),
            required_folders=adapters.required_folders(project_dir, sources),
            provided=adapters.provided_tables(project_dir, sources),
            alternatives=adapters.providers(project_dir),
        )
    except ValueError as error:
        print(f"landing zone: {error}", file=sys.stderr)
        return 2
    except LandingZoneError as error:
        for problem in error.problems:
            print(f"landing zone: {problem}", file=sys.stderr)
        return 3
    for table, report in reports.items():
        print(f"{table:32} {report.files:6} files {report.rows:10} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
