"""Nightly build: check the landing zone, build a candidate copy, test and validate it, publish it atomically.

    python -m scripts.nightly                  # incremental (what the scheduler runs)
    python -m scripts.nightly --full-refresh   # rebuild everything from the raw files

Steps (SPEC §7), each timed on stderr:
  1. lock          flock warehouse/.nightly.lock, so two builds never run at once
  2. landing zone  every raw table of the contract has readable Parquet files with every contract column
  3. candidate     fold a leftover WAL of the live file, copy it to warehouse/.build/cx.duckdb
  4. freshness     dbt source freshness (recorded, never fails the run: demo data is old)
  5. build         dbt build (seeds, models, data tests; incremental unless --full-refresh) on the candidate
  6. validate      SPEC §6 conservation, mart/fact reconciliation, metric bounds, unknown intents, calibration
  7. publish       os.replace(candidate, live) + fsync of the directory
  8. record        warehouse/runs/<run_id>.json and warehouse/runs/latest.json
Any failure deletes the candidate, leaves the published warehouse exactly as it was, prints one line
saying why and what to do, and exits non-zero.

A run is forced to a full refresh when the build definition changed since the published warehouse was
built (models, macros, seeds, dbt_project.yml, profiles.yml, --vars or the raw dir): incremental models
would otherwise keep rows computed under the old definition.

Exit codes:
  0  published
  1  internal error (a bug: see the traceback and the run record)
  2  usage error
  3  landing zone invalid (missing table or column, unreadable file); nothing was built
  4  busy: another nightly holds the lock, or the live file has a WAL and is open elsewhere
  5  dbt build failed (a model errored or an error-severity data test failed)
  6  validation failed (conservation, reconciliation or metric bounds)
  7  publish failed (the live file changed during the build, or the filesystem refused)
  8  interrupted (SIGINT / SIGTERM)
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import os
import signal
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from scripts.ops import adapters, dbt, landing_zone, run_record, salt, validate, warehouse
from scripts.ops import contract as contract_module

log = logging.getLogger("nightly")

PROJECT_DIR = Path(__file__).resolve().parents[1]
FINGERPRINT_PATHS = ("models", "macros", "seeds", "dbt_project.yml", "profiles.yml")
STATE_TABLE = "ops.nightly_state"

EXIT_OK, EXIT_INTERNAL, EXIT_USAGE, EXIT_LANDING, EXIT_BUSY = 0, 1, 2, 3, 4
EXIT_BUILD, EXIT_VALIDATION, EXIT_PUBLISH, EXIT_INTERRUPTED = 5, 6, 7, 8


class NightlyFailure(Exception):
    """A failed step: `step` names it, `code` is the exit code, the message says why and what to do."""

    def __init__(self, step: str, code: int, message: str) -> None:
        super().__init__(message)
        self.step = step
        self.code = code


class Interrupted(Exception):
    pass


def _on_signal(signum: int, _frame: Any) -> None:
    raise Interrupted(signal.Signals(signum).name)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.nightly",
        description=__doc__.split("\n\n")[0],
        epilog="\n\n".join(__doc__.split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--full-refresh", action="store_true", help="rebuild every model from the raw files")
    parser.add_argument(
        "--raw-dir",
        default=os.environ.get("CX_RAW_DIR", "data/raw"),
        help="raw landing zone (default: $CX_RAW_DIR or data/raw)",
    )
    parser.add_argument(
        "--warehouse",
        default=os.environ.get("CX_WAREHOUSE", "warehouse/cx.duckdb"),
        help="published warehouse file (default: $CX_WAREHOUSE or warehouse/cx.duckdb)",
    )
    parser.add_argument(
        "--vars", default=None, help="dbt vars as JSON, passed to dbt (e.g. '{\"as_of\": ...}')"
    )
    parser.add_argument(
        "--skip-tests",
        action="store_true",
        help="build models without running dbt data tests (validation still runs)",
    )
    parser.add_argument(
        "--skip-freshness", action="store_true", help="do not run dbt source freshness (step 4)"
    )
    parser.add_argument("--verbose", action="store_true", help="debug logging")
    args = parser.parse_args(argv)
    if args.vars is not None:
        try:
            parsed = json.loads(args.vars)
        except json.JSONDecodeError as error:
            parser.error(f"--vars is not valid JSON: {error}")
        if not isinstance(parsed, dict):
            parser.error("--vars must be a JSON object")
        args.vars = json.dumps(parsed, sort_keys=True)
    try:
        adapters.enabled_sources(PROJECT_DIR, args.vars)
    except ValueError as error:
        parser.error(str(error))
    return args


def fingerprint(raw_dir: str, vars_json: str | None) -> str:
    """A hash of everything that defines the build; a change forces a full refresh (a new salt changes every
    customer_key and personal-data hash, so it is part of it, as a digest)."""
    digest = hashlib.sha256()
    for name in FINGERPRINT_PATHS:
        root = PROJECT_DIR / name
        paths = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in paths:
            if path.exists() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(PROJECT_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    salt_digest = salt.resolve(PROJECT_DIR, vars_json).digest()
    sources = ",".join(adapters.enabled_sources(PROJECT_DIR, vars_json))
    digest.update(f"vars={vars_json or ''}\0raw={raw_dir}\0salt={salt_digest}\0sources={sources}".encode())
    return digest.hexdigest()[:16]


def read_state(live: Path) -> dict[str, Any] | None:
    """The published warehouse's build state (ops.nightly_state), or None."""
    if not live.exists():
        return None
    try:
        connection = duckdb.connect(str(live), read_only=True)
    except duckdb.Error:
        return None
    try:
        row = connection.execute(
            f"select run_id, fingerprint, built_started_at, full_refresh from {STATE_TABLE}"
        ).fetchone()
    except duckdb.Error:
        return None
    finally:
        connection.close()
    if row is None:
        return None
    return {"run_id": row[0], "fingerprint": row[1], "built_started_at": row[2], "full_refresh": row[3]}


def write_state(
    candidate: Path, run_id: str, build_fingerprint: str, started: float, full_refresh: bool
) -> None:
    connection = duckdb.connect(str(candidate))
    try:
        connection.execute("create schema if not exists ops")
        connection.execute(
            f"create or replace table {STATE_TABLE} as select ? as run_id, ? as fingerprint, "
            "? as built_started_at, ? as full_refresh",
            [run_id, build_fingerprint, started, full_refresh],
        )
        connection.execute(
            f"comment on table {STATE_TABLE} is 'Nightly build that produced this file (scripts/nightly.py).'"
        )
        connection.execute("checkpoint")
    finally:
        connection.close()


class Run:
    """One nightly run: its record, its step timings and its progress lines."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.started = time.time()
        now = dt.datetime.now(dt.UTC)
        self.run_id = f"{now:%Y%m%dT%H%M%S}Z-{os.getpid()}"
        self.live = Path(args.warehouse).resolve()
        self.raw_dir = args.raw_dir if "://" in args.raw_dir else str(Path(args.raw_dir).resolve())
        self.step_number = 0
        self.salt = salt.resolve(PROJECT_DIR, args.vars)
        self.sources = adapters.enabled_sources(PROJECT_DIR, args.vars)
        self.record: dict[str, Any] = {
            "run_id": self.run_id,
            "status": "running",
            "exit_code": None,
            "message": None,
            "started_at": run_record.utc_now(),
            "finished_at": None,
            "warehouse": str(self.live),
            "raw_dir": self.raw_dir,
            "options": {
                "full_refresh": args.full_refresh,
                "skip_freshness": args.skip_freshness,
                "vars": _redacted_vars(args.vars),
                "skip_tests": args.skip_tests,
            },
            "full_refresh": args.full_refresh,
            "full_refresh_reason": "--full-refresh" if args.full_refresh else None,
            "failed_step": None,
            "sources": self.sources,
            "salt": self.salt.to_record(),
            "warnings": [w for w in [self.salt.warning()] if w],
            "steps": {},
        }

    @contextmanager
    def step(self, name: str) -> Iterator[dict[str, Any]]:
        self.step_number += 1
        started = time.monotonic()
        note: dict[str, Any] = {"summary": ""}
        print(f"nightly [{self.step_number}] {name} ...", file=sys.stderr, flush=True)
        try:
            yield note
        finally:
            seconds = round(time.monotonic() - started, 2)
            self.record["steps"][name] = seconds
            summary = f": {note['summary']}" if note["summary"] else ""
            print(
                f"nightly [{self.step_number}] {name} done in {seconds:.1f}s{summary}",
                file=sys.stderr,
                flush=True,
            )


def _redacted_vars(vars_json: str | None) -> dict[str, Any] | None:
    """--vars as recorded: a salt passed there is a secret and is not written down."""
    if not vars_json:
        return None
    parsed = json.loads(vars_json)
    if salt.DBT_VAR in parsed:
        parsed[salt.DBT_VAR] = "(redacted)"
    return parsed


def dbt_env(raw_dir: str, candidate: Path) -> dict[str, str]:
    """The environment of the nightly's dbt commands (part of the key of dbt's partial-parse cache)."""
    return {"CX_WAREHOUSE": str(candidate), "CX_RAW_DIR": raw_dir, "DBT_PROFILES_DIR": str(PROJECT_DIR)}


def dbt_target(live: Path) -> Path:
    """The nightly's dbt target directory; it persists between runs, so dbt re-parses only what changed."""
    return warehouse.build_dir(live) / "target"


def _dbt_args(run: Run, command: list[str]) -> list[str]:
    args = list(command)
    if run.args.vars:
        args += ["--vars", run.args.vars]
    return args


def _freshness(run: Run, candidate: Path, target: Path, lock_fd: int) -> dict[str, Any]:
    result = dbt.run(
        _dbt_args(run, ["source", "freshness"]),
        project_dir=PROJECT_DIR,
        target_path=target,
        extra_env=dbt_env(run.raw_dir, candidate),
        pass_fds=(lock_fd,),
        log_file=target / "nightly_dbt.log",
    )
    sources_path = target / "sources.json"
    summary: dict[str, Any] = {"exit_code": result.returncode, "sources": {}}
    if sources_path.exists():
        for item in json.loads(sources_path.read_text()).get("results", []):
            name = ".".join(item["unique_id"].split(".")[-2:])
            summary["sources"][name] = {
                "status": item.get("status"),
                "max_loaded_at": item.get("max_loaded_at"),
                "age_hours": None
                if item.get("max_loaded_at_time_ago_in_s") is None
                else round(item["max_loaded_at_time_ago_in_s"] / 3600, 1),
            }
    return summary


def _record_freshness(run: Run, note: dict[str, Any], freshness: dict[str, Any]) -> None:
    run.record["freshness"] = freshness
    statuses = [source["status"] for source in freshness["sources"].values()]
    note["summary"] = ", ".join(f"{statuses.count(s)} {s}" for s in sorted(set(statuses))) or "no result"


def _build(run: Run, candidate: Path, target: Path, lock_fd: int, full_refresh: bool) -> dbt.DbtResult:
    command = ["build", "--exclude-resource-type", "unit_test"]
    if run.args.skip_tests:
        command = ["build", "--exclude-resource-type", "unit_test", "test"]
    if full_refresh:
        command.append("--full-refresh")
    return dbt.run(
        _dbt_args(run, command),
        project_dir=PROJECT_DIR,
        target_path=target,
        extra_env=dbt_env(run.raw_dir, candidate),
        pass_fds=(lock_fd,),
        log_file=target / "nightly_dbt.log",
    )


def _build_failure_message(result: dbt.DbtResult, tests: dict[str, Any], models: dict[str, Any]) -> str:
    failed_models = [name for name, model in models.items() if model["status"] == "error"]
    failed_tests = [t["test"] for t in tests["failing"] if t["status"] in ("fail", "error")]
    parts = []
    if failed_models:
        parts.append(f"{len(failed_models)} model(s) failed ({', '.join(failed_models[:3])})")
    if failed_tests:
        parts.append(f"{len(failed_tests)} test(s) failed ({', '.join(failed_tests[:3])})")
    if not parts:
        parts.append(_dbt_error_summary(result))
    return "; ".join(parts)


def _dbt_error_summary(result: dbt.DbtResult) -> str:
    """The lines after dbt's "Encountered an error:" (or the last error line), joined into one."""
    lines = [line.strip() for line in (result.stdout + "\n" + result.stderr).splitlines()]
    for index, line in enumerate(lines):
        if "Encountered an error" in line:
            following = [text for text in lines[index + 1 : index + 4] if text and "WARNING" not in text]
            return " ".join(following)[:400] or line
    errors = [line for line in lines if "error" in line.lower()]
    return errors[-1][:400] if errors else f"dbt exited with {result.returncode}"


def execute(run: Run) -> None:
    """Run every step under the build lock; raise NightlyFailure on the first one that fails."""
    try:
        with warehouse.build_lock(run.live, run.run_id) as lock_fd:
            try:
                _execute_locked(run, lock_fd)
            finally:
                if run.record["status"] != "success":
                    warehouse.discard_candidate(warehouse.build_dir(run.live) / run.live.name)
    except warehouse.WarehouseBusy as error:
        raise NightlyFailure("lock", EXIT_BUSY, str(error)) from error


def _execute_locked(run: Run, lock_fd: int) -> None:
    live = run.live
    target = dbt_target(live)
    work = warehouse.build_dir(live)
    previous = read_state(live)
    build_fingerprint = fingerprint(run.raw_dir, run.args.vars)
    run.record["fingerprint"] = build_fingerprint
    run.record["previous_run_id"] = previous["run_id"] if previous else None

    with run.step("landing zone") as note:
        contract = contract_module.load(PROJECT_DIR, work)
        since = None if (run.args.full_refresh or previous is None) else previous["built_started_at"]
        try:
            reports = landing_zone.check(
                run.raw_dir,
                contract,
                read_fully_since=since,
                sources=run.sources,
                platform_objects=adapters.objects(PROJECT_DIR, run.sources),
                provided=adapters.provided_tables(PROJECT_DIR, run.sources),
                alternatives=adapters.providers(PROJECT_DIR),
            )
        except landing_zone.LandingZoneError as error:
            run.record["landing_zone"] = {"problems": error.problems}
            raise NightlyFailure(
                "landing zone", EXIT_LANDING, f"{error}; fix the landing zone and re-run"
            ) from error
        run.record["landing_zone"] = {table: vars(report) for table, report in reports.items()}
        note["summary"] = (
            f"{len(reports)} tables, {sum(r.files for r in reports.values())} files, "
            f"{sum(r.rows for r in reports.values())} rows"
        )

    with run.step("candidate") as note:
        try:
            folded = warehouse.fold_wal(live)
        except warehouse.WarehouseBusy as error:
            raise NightlyFailure("candidate", EXIT_BUSY, str(error)) from error
        candidate, live_state = warehouse.prepare_candidate(live)
        full_refresh = run.args.full_refresh
        if not full_refresh and live_state is None:
            full_refresh, run.record["full_refresh_reason"] = True, "no published warehouse yet"
        elif not full_refresh and (previous is None or previous["fingerprint"] != build_fingerprint):
            full_refresh = True
            run.record["full_refresh_reason"] = (
                "the published warehouse has no nightly state"
                if previous is None
                else "the build definition changed "
                "(models, macros, seeds, project, profile, vars, raw dir, sources or salt)"
            )
        run.record["full_refresh"] = full_refresh
        note["summary"] = (
            ("folded a leftover WAL; " if folded else "")
            + ("copied the live warehouse" if live_state else "no live warehouse yet: building from scratch")
            + (f"; full refresh ({run.record['full_refresh_reason']})" if full_refresh else "; incremental")
        )

    with run.step("freshness") as note:
        if run.args.skip_freshness:
            run.record["freshness"] = {"skipped": True}
            note["summary"] = "skipped (--skip-freshness)"
        else:
            _record_freshness(run, note, _freshness(run, candidate, target, lock_fd))

    with run.step("build") as note:
        result = _build(run, candidate, target, lock_fd, full_refresh)
        models, tests = run_record.summarise_dbt(result.run_results())
        run.record["models"] = models
        run.record["tests"] = tests
        note["summary"] = (
            f"{len(models)} nodes, tests {tests['pass']} pass / {tests['warn']} warn / "
            f"{tests['fail']} fail / {tests['error']} error"
        )
        if result.returncode != 0:
            raise NightlyFailure("dbt build", EXIT_BUILD, _build_failure_message(result, tests, models))
        write_state(candidate, run.run_id, build_fingerprint, run.started, full_refresh)

    with run.step("validate") as note:
        validation = validate.validate(candidate, run.raw_dir, contract, sources=run.sources)
        run.record["validation"] = validation.to_dict()
        run.record.update(run_record.warehouse_facts(candidate))
        counted = {s: sum(1 for c in validation.checks if c.status == s) for s in ("pass", "fail", "warn")}
        note["summary"] = f"{counted['pass']} pass, {counted['warn']} warn, {counted['fail']} fail"
        if validation.failed:
            first = validation.failed[0]
            raise NightlyFailure(
                "validation",
                EXIT_VALIDATION,
                f"{len(validation.failed)} check(s) failed ({first.name}: {first.detail}); "
                "try `python -m scripts.nightly --full-refresh`",
            )

    with run.step("publish") as note:
        try:
            warehouse.publish(candidate, live, live_state)
        except (warehouse.PublishError, OSError) as error:
            raise NightlyFailure("publish", EXIT_PUBLISH, str(error)) from error
        run.record["status"] = "success"
        note["summary"] = f"{live}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING, format="nightly: %(message)s"
    )
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _on_signal)
    run = Run(args)
    code = EXIT_OK
    update_latest = True
    try:
        execute(run)
    except NightlyFailure as failure:
        code = failure.code
        run.record["failed_step"] = failure.step
        run.record["message"] = f"FAILED at {failure.step}: {failure}"
        update_latest = failure.code != EXIT_BUSY
    except Interrupted as interrupted:
        code = EXIT_INTERRUPTED
        run.record["failed_step"] = "interrupted"
        run.record["message"] = f"interrupted by {interrupted}"
    except Exception as error:
        code = EXIT_INTERNAL
        run.record["failed_step"] = "internal"
        run.record["message"] = f"internal error: {error!r}"
        run.record["traceback"] = traceback.format_exc()
        traceback.print_exc()
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    if code != EXIT_OK:
        run.record["status"] = "failed"
    run.record["exit_code"] = code
    run.record["finished_at"] = run_record.utc_now()
    run.record["seconds"] = round(time.time() - run.started, 2)
    path = run_record.write(run.record, run.live, update_latest=update_latest)
    for warning in run.record["warnings"]:
        print(f"nightly: WARNING: {warning}", file=sys.stderr, flush=True)
    if code == EXIT_OK:
        counts = run.record.get("row_counts", {})
        mode = "full refresh" if run.record["full_refresh"] else "incremental"
        tests = run.record["tests"]
        print(
            f"nightly: published {run.live} in {run.record['seconds']:.0f}s ({mode}; "
            f"as_of {run.record.get('as_of')}; {counts.get('core.fct_journeys', 0)} journeys, "
            f"{counts.get('core.fct_contacts', 0)} contacts; tests {tests['pass']} pass / "
            f"{tests['warn']} warn)"
            + ("; WARNING: development salt" if run.salt.is_development_default else "")
            + f"; record {path}"
        )
    else:
        print(
            f"nightly: {run.record['message']}; the published warehouse is unchanged; see {path}",
            flush=True,
        )
    return code


if __name__ == "__main__":
    sys.exit(main())
