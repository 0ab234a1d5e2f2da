"""Nightly build: check the landing zone, build a candidate copy, test and validate it, publish it atomically.

    python -m scripts.nightly                  # incremental (what the scheduler runs)
    python -m scripts.nightly --full-refresh   # rebuild everything from the raw files

Steps (SPEC §7), each timed on stderr:
  1. lock          flock warehouse/.nightly.lock, so two builds never run at once; fold a leftover WAL of
                   the live file; decide the rebuild (below); start the first `dbt build`, held before its
                   first connection while it imports and parses (scripts/ops/dbt_gated.py), and the copy of
                   the live file to warehouse/.build/cx.duckdb in a background thread (a reflink clone where
                   the filesystem shares blocks)
  2. landing zone  every raw table of the contract has readable Parquet files with every contract column
  3. freshness     max(_loaded_at) per source against the sources YAML's thresholds, its age measured back
                   from $CX_FRESHNESS_AS_OF, a generated landing zone's last load day, or the wall clock
                   (scripts/ops/freshness.py); recorded, never fails the run
  4. candidate     wait for the copy (a copied candidate is then fsynced in the copy's thread, beside the
                   build's first nodes: DuckDB's first checkpoint would otherwise wait for its dirty pages)
  5. build         let the started dbt build (seeds, models, data tests) go on, on the candidate, as decided
                   below
  6. validate      SPEC §6 conservation, personal data, unknown intents, calibration on the candidate; and the
                   mart/fact reconciliation and metric-bounds dbt tests (tag:reconciliation, tag:bounds;
                   warn-severity) as the build's run_results.json says they ran (scripts/ops/validate.py)
  7. publish       os.replace(candidate, live) + fsync of the directory; the replaced file deleted
                   afterwards by a detached `rm` (warehouse.release_replaced)
  8. record        warehouse/runs/<run_id>.json and warehouse/runs/latest.json
Any failure deletes the candidate, leaves the published warehouse exactly as it was, prints one line
saying why and what to do, and exits non-zero.

What a night rebuilds (the run record's `rebuild`; docs/operations.md, "What a night rebuilds"):
  incremental  nothing dbt parses changed since the published build: one `dbt build`, incremental, that
               keeps the candidate's views and seeds (copies of the published ones: selectors.yml)
  state        models, macros, seeds, tests or dbt_project.yml changed: dbt compares the project with the
               manifest of the published build (kept in <warehouse dir>/.build/state/<run id>/):
               `dbt build --exclude state:modified+` incrementally, then
               `dbt build --select state:modified+ --full-refresh` (the changed nodes and everything
               downstream of them, from scratch)
  full         --full-refresh; no published warehouse, or its manifest is missing; or an input dbt cannot
               compare changed: the vars (dbt_project.yml and --vars), the raw dir, the sources switched on,
               the salt (as a digest), profiles.yml, a seed over 1 MiB, or the dbt / dbt-duckdb / DuckDB
               version

Exit codes:
  0  published
  1  internal error (a bug: see the traceback and the run record)
  2  usage error
  3  landing zone invalid (missing table or column, unreadable file); nothing was built
  4  busy: another nightly holds the lock, or the live file has a WAL and is open elsewhere
  5  dbt build failed (a model errored or an error-severity data test failed)
  6  validation failed (conservation, or a reconciliation or metric-bounds dbt test returned rows)
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
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb
import yaml

from scripts.ops import adapters, dbt, freshness, landing_zone, run_record, salt, validate, warehouse
from scripts.ops import contract as contract_module

log = logging.getLogger("nightly")

PROJECT_DIR = Path(__file__).resolve().parents[1]
STATE_TABLE = "ops.nightly_state"
STATE_COLUMNS = {  # column -> DuckDB type
    "run_id": "varchar",
    "fingerprint": "varchar",
    "inputs": "varchar",
    "definition": "varchar",
    "manifest_sha256": "varchar",
    "built_started_at": "double",
    "full_refresh": "boolean",
    "rebuild_mode": "varchar",
}
STATE_DIR_NAME = "state"
# what dbt parses (dbt_project.yml's *-paths, with dbt's defaults) besides dbt_project.yml itself
DEFINITION_PATH_KEYS = {
    "model-paths": ["models"],
    "seed-paths": ["seeds"],
    "macro-paths": ["macros"],
    "test-paths": ["tests"],
    "analysis-paths": ["analyses"],
    "snapshot-paths": ["snapshots"],
    "docs-paths": [],
}
# the selection of a night whose project is the published build's (selectors.yml): every node but the views,
# the seeds and the data tests that read only seeds
NIGHTLY_SELECTOR = "nightly_views_and_seeds_kept"
DEFINITION_FILES = ("dbt_project.yml", "packages.yml", "dependencies.yml", "selectors.yml")
LARGE_SEED_BYTES = 1024 * 1024  # dbt compares larger seeds by path only

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
        help="build models without running dbt data tests (validation still runs, but skips the "
        "reconciliation and bounds checks: they are data tests)",
    )
    parser.add_argument(
        "--skip-freshness", action="store_true", help="do not check source freshness (step 3)"
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
        freshness.reference(args.raw_dir)  # a malformed CX_FRESHNESS_AS_OF is a usage error
    except ValueError as error:
        parser.error(str(error))
    return args


def _digest(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def _project_config() -> dict[str, Any]:
    return yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text()) or {}


def _definition_files() -> list[Path]:
    """Every file dbt parses into the manifest: the paths dbt_project.yml names, and the project's files."""
    config = _project_config()
    roots = set(DEFINITION_FILES)
    for key, default in DEFINITION_PATH_KEYS.items():
        roots.update(config.get(key, default))
    files: list[Path] = []
    for name in sorted(roots):
        root = PROJECT_DIR / name
        if root.is_dir():
            files += sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        elif root.is_file():
            files.append(root)
    return files


def definition_digest() -> str:
    """A hash of every file dbt parses: unchanged, dbt's state comparison would find nothing modified."""
    parts: list[bytes | str] = []
    for path in _definition_files():
        parts += [str(path.relative_to(PROJECT_DIR)), path.read_bytes()]
    return _digest(*parts)[:16]


def _versions() -> str:
    return ",".join(f"{name}={metadata.version(name)}" for name in ("dbt-core", "dbt-duckdb", "duckdb"))


def build_inputs(raw_dir: str, vars_json: str | None) -> dict[str, str]:
    """Digests of what defines the build and dbt's state comparison cannot see (a change: full refresh).

    dbt compares models, macros, seeds and configs with the published build's manifest, but not the values
    of vars or environment variables (docs: "Caveats to state comparison"), nor the profile, nor a seed over
    1 MiB (only its path), nor a change of dbt or DuckDB. The salt enters only as a digest of its digest.
    """
    cli_vars = json.loads(vars_json) if vars_json else {}
    cli_vars.pop(salt.DBT_VAR, None)  # the salt has its own input
    project_vars = _project_config().get("vars", {})
    profile = PROJECT_DIR / "profiles.yml"
    large_seeds = [
        p
        for root in _project_config().get("seed-paths", ["seeds"])
        for p in sorted((PROJECT_DIR / root).rglob("*"))
        if p.is_file() and p.stat().st_size > LARGE_SEED_BYTES
    ]
    inputs = {
        "vars": _digest(json.dumps([project_vars, cli_vars], sort_keys=True, default=str)),
        "raw_dir": _digest(raw_dir),
        "sources": _digest(",".join(adapters.enabled_sources(PROJECT_DIR, vars_json))),
        "salt": _digest("salt", salt.resolve(PROJECT_DIR, vars_json).digest()),
        "profile": _digest(profile.read_bytes() if profile.exists() else b""),
        "large_seeds": _digest(*[part for p in large_seeds for part in (str(p), p.read_bytes())]),
        "versions": _digest(_versions()),
    }
    return {name: value[:12] for name, value in inputs.items()}


def fingerprint(inputs: dict[str, str]) -> str:
    """One hash of build_inputs: stored in the published warehouse, compared by the next night."""
    return _digest(json.dumps(inputs, sort_keys=True))[:16]


def read_state(live: Path) -> dict[str, Any] | None:
    """The published warehouse's build state (ops.nightly_state), or None; columns an older nightly did not
    write are None."""
    if not live.exists():
        return None
    try:
        connection = duckdb.connect(str(live), read_only=True)
    except duckdb.Error:
        return None
    try:
        cursor = connection.execute(f"select * from {STATE_TABLE}")
        names = [column[0] for column in cursor.description]
        row = cursor.fetchone()
    except duckdb.Error:
        return None
    finally:
        connection.close()
    if row is None:
        return None
    state = dict.fromkeys(STATE_COLUMNS) | dict(zip(names, row, strict=True))
    state["inputs"] = json.loads(state["inputs"]) if state["inputs"] else None
    return state


def write_state(candidate: Path, state: dict[str, Any]) -> None:
    """ops.nightly_state of the candidate: one row describing the build that produced the file."""
    values = [json.dumps(state[c], sort_keys=True) if c == "inputs" else state.get(c) for c in STATE_COLUMNS]
    connection = duckdb.connect(str(candidate))
    try:
        connection.execute("create schema if not exists ops")
        connection.execute(
            f"create or replace table {STATE_TABLE} as select "
            + ", ".join(f"?::{STATE_COLUMNS[c]} as {c}" for c in STATE_COLUMNS),
            values,
        )
        connection.execute(
            f"comment on table {STATE_TABLE} is 'Nightly build that produced this file (scripts/nightly.py); "
            "its dbt manifest is <warehouse dir>/.build/state/<run_id>/manifest.json.'"
        )
        connection.execute("checkpoint")
    finally:
        connection.close()


def state_dir(live: Path, run_id: str) -> Path:
    """Where the manifest of the build that produced a published warehouse is kept (dbt's --state)."""
    return warehouse.build_dir(live) / STATE_DIR_NAME / run_id


def keep_manifest(live: Path, run_id: str, manifest: Path) -> str:
    """Keep this build's manifest.json in its state dir (before publishing); return the kept file's sha256.

    The compiled SQL is left out: state comparison never reads it, and it holds the salt (SPEC §7)."""
    directory = state_dir(live, run_id)
    directory.mkdir(parents=True, exist_ok=True)
    parsed = json.loads(manifest.read_text())
    for node in parsed.get("nodes", {}).values():
        node.pop("compiled_code", None)
        node["compiled"], node["extra_ctes"] = False, []
    data = json.dumps(parsed).encode()
    temporary = directory / ".manifest.json.tmp"
    temporary.write_bytes(data)
    os.replace(temporary, directory / "manifest.json")
    return hashlib.sha256(data).hexdigest()


def prune_manifests(live: Path, keep: str | None) -> None:
    """Delete the state dirs of every run but `keep` (the published one); None deletes them all."""
    root = warehouse.build_dir(live) / STATE_DIR_NAME
    if root.is_dir():
        for directory in root.iterdir():
            if directory.name != keep:
                shutil.rmtree(directory, ignore_errors=True)


def published_manifest(live: Path, state: dict[str, Any]) -> tuple[Path | None, str]:
    """The state dir holding the published build's manifest, or (None, why it cannot be used)."""
    if not state.get("manifest_sha256"):
        return None, "the published warehouse was built before state-aware rebuilds (no manifest recorded)"
    directory = state_dir(live, state["run_id"])
    try:
        data = (directory / "manifest.json").read_bytes()
    except OSError as error:
        return None, f"the manifest of the published build (run {state['run_id']}) cannot be read ({error})"
    if hashlib.sha256(data).hexdigest() != state["manifest_sha256"]:
        return None, f"{directory / 'manifest.json'} is not the manifest of the published build"
    return directory, ""


def adopt(live: Path, raw_dir: str, run_id: str, started: float) -> None:
    """Make a warehouse built by `dbt build --full-refresh` outside the nightly (default vars, this project)
    the nightly's published build: parse the project into the nightly's target, keep that manifest and write
    ops.nightly_state into the file, so the next night continues incrementally (benchmark --nightly-adopt)."""
    target = dbt_target(live)
    result = start_dbt(["parse"], raw_dir, warehouse.candidate_path(live), target).wait()
    if result.returncode != 0:  # dbt parse writes no run_results.json: its output is all there is
        raise RuntimeError(f"dbt parse failed: {result.error_from_output()}")
    inputs = build_inputs(raw_dir, None)
    state = {
        "run_id": run_id,
        "fingerprint": fingerprint(inputs),
        "inputs": inputs,
        "definition": definition_digest(),
        "manifest_sha256": keep_manifest(live, run_id, target / "manifest.json"),
        "built_started_at": started,
        "full_refresh": True,
        "rebuild_mode": "full",
    }
    write_state(live, state)
    prune_manifests(live, keep=run_id)


def decide_rebuild(
    args: argparse.Namespace,
    live: Path,
    live_exists: bool,
    previous: dict[str, Any] | None,
    inputs: dict[str, str],
    definition: str,
) -> tuple[str, str | None, Path | None]:
    """(mode, reason, state dir): "full", "state" (dbt's state comparison) or "incremental"."""
    if args.full_refresh:
        return "full", "--full-refresh", None
    if not live_exists:
        return "full", "no published warehouse yet", None
    if previous is None:
        return "full", "the published warehouse has no nightly state", None
    if previous["fingerprint"] != fingerprint(inputs):
        changed = sorted(k for k in inputs if (previous["inputs"] or {}).get(k) != inputs[k])
        what = (
            ", ".join(changed) if previous["inputs"] else "vars, raw dir, sources, salt, profile or versions"
        )
        return (
            "full",
            f"changed since the published build, and dbt's state comparison cannot see it: {what}",
            None,
        )
    directory, why = published_manifest(live, previous)
    if directory is None:
        return "full", why, None
    if previous["definition"] == definition:
        return "incremental", None, None
    return (
        "state",
        "models, macros, seeds, tests or dbt_project.yml changed since the published build",
        directory,
    )


GIB = 1 << 30
# a copied (not cloned) warehouse at least this large gets a hint in the candidate step's summary
CLONE_HINT_BYTES = GIB


def describe_candidate(how: str | None, size_bytes: int | None) -> str:
    """How the candidate was made, for the candidate step's summary: a large copy says how to avoid it."""
    if how is None:
        return "no live warehouse yet: building from scratch"
    if how == warehouse.CLONED:
        return "cloned the live warehouse (reflink)"
    if size_bytes is not None and size_bytes >= CLONE_HINT_BYTES:
        return (
            f"copied the live warehouse ({size_bytes / GIB:.1f} GiB; on XFS or Btrfs it would be an instant "
            "reflink clone: docs/operations.md, 'Disk and the candidate copy')"
        )
    return "copied the live warehouse"


def describe_rebuild(rebuild: dict[str, Any]) -> str:
    """The rebuild decision in a few words, for the step summary and the outcome line."""
    if rebuild["mode"] == "full":
        return "full refresh"
    if rebuild["mode"] == "state" and rebuild["modified"]:
        shown = ", ".join(rebuild["modified"][:5]) + (", ..." if len(rebuild["modified"]) > 5 else "")
        return f"incremental, {len(rebuild['modified'])} changed or downstream rebuilt from scratch ({shown})"
    return "incremental"


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
            "rebuild": None,
            "candidate": None,
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


def start_dbt(
    args: list[str],
    raw_dir: str,
    candidate: Path,
    target: Path,
    lock_fd: int | None = None,
    extra_env: dict[str, str] | None = None,
    gated: bool = False,
) -> dbt.DbtProcess:
    """One of the nightly's dbt commands, started (`.wait()` runs it to its end): on the candidate, from
    raw_dir, in the nightly's target (its environment is part of the key of dbt's partial-parse cache). Given
    the build lock's fd (a night's step, not adopt()), dbt holds the lock too and its output is appended to
    the target's nightly_dbt.log. Gated, it opens the candidate only once told to
    (dbt.DbtProcess.open_gate)."""
    return dbt.start(
        args,
        project_dir=PROJECT_DIR,
        target_path=target,
        profiles_dir=PROJECT_DIR,
        raw_dir=raw_dir,
        warehouse=candidate,
        extra_env=extra_env,
        pass_fds=() if lock_fd is None else (lock_fd,),
        log_file=None if lock_fd is None else target / "nightly_dbt.log",
        gated=gated,
    )


def dbt_target(live: Path) -> Path:
    """The nightly's dbt target directory; it persists between runs, so dbt re-parses only what changed."""
    return warehouse.build_dir(live) / "target"


def _dbt_args(run: Run, command: list[str]) -> list[str]:
    args = list(command)
    if run.args.vars:
        args += ["--vars", run.args.vars]
    return args


def _freshness(run: Run, copy: warehouse.CandidateCopy, target: Path, lock_fd: int) -> dict[str, Any]:
    """Per source: status, max_loaded_at, age. Queried here (scripts/ops/freshness.py: the thresholds of the
    sources YAML, no dbt start-up); `dbt source freshness` when the YAML uses a form only dbt resolves. Both
    measure ages back from the same reference moment (freshness.reference), recorded beside the result."""
    moment = freshness.reference(run.raw_dir)
    try:
        specs = freshness.specs(run.raw_dir, PROJECT_DIR)
        # a landing-zone table an enabled adapter provides may be absent (SPEC §8.1): nothing to age then
        provided = adapters.provided_tables(PROJECT_DIR, run.sources)
        absent = {
            spec.name
            for spec in specs
            if spec.name.split(".")[-1] in provided
            and not any((Path(run.raw_dir) / spec.name.split(".")[-1]).rglob("*.parquet"))
        }
        result = {
            **freshness.measure([spec for spec in specs if spec.name not in absent], moment.at),
            "method": "duckdb",
        }
        absent_status = {"status": "absent (provided by a platform adapter)"}
        result["sources"].update({name: dict(absent_status) for name in absent})
    except freshness.Unsupported as error:
        log.info("freshness by dbt: %s", error)
        candidate = copy.result()[0]  # dbt opens the candidate: its copy must be done
        result = {**_dbt_freshness(run, candidate, target, lock_fd, moment), "method": "dbt source freshness"}
    return {**result, **moment.to_record()}


def _dbt_freshness(
    run: Run, candidate: Path, target: Path, lock_fd: int, moment: freshness.Reference
) -> dict[str, Any]:
    # its own target directory: the night's build is already parsing in the nightly's target (start_build)
    target = target / "freshness"
    result = start_dbt(
        _dbt_args(run, ["source", "freshness"]),
        run.raw_dir,
        candidate,
        target,
        lock_fd,
        extra_env=moment.env(),
    ).wait()
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


def _record_freshness(run: Run, note: dict[str, Any], result: dict[str, Any]) -> None:
    run.record["freshness"] = result
    statuses = [source["status"] for source in result["sources"].values()]
    note["summary"] = ", ".join(f"{statuses.count(s)} {s}" for s in sorted(set(statuses))) or "no result"
    if result.get("reference_at"):
        note["summary"] += f" (ages as of {result['reference_at']}, {result['reference']})"
    if result.get("method") != "duckdb":
        note["summary"] += f" (by {result.get('method')})"


def _build_args(run: Run, full_refresh: bool, selection: list[str]) -> list[str]:
    """A `dbt build` of the night (unit tests never; data tests unless --skip-tests)."""
    command = ["build", "--exclude-resource-type", "unit_test", *(["test"] if run.args.skip_tests else [])]
    return _dbt_args(run, command + selection + (["--full-refresh"] if full_refresh else []))


def _build(
    run: Run, candidate: Path, target: Path, lock_fd: int, full_refresh: bool, selection: list[str]
) -> tuple[dbt.DbtResult, dict[str, Any] | None]:
    """One `dbt build`; its result and run_results (None: dbt stopped before writing them)."""
    args = _build_args(run, full_refresh, selection)
    result = start_dbt(args, run.raw_dir, candidate, target, lock_fd).wait()
    return result, result.run_results()


def _first_build(mode: str, state: Path | None) -> tuple[bool, list[str]]:
    """(full refresh?, selection) of a night's first (usually only) `dbt build`, for its rebuild mode."""
    if mode == "full":
        return True, []
    if mode == "incremental":
        # the project is the published build's, and the candidate a copy of that file: its views and seeds
        # are the ones this project would create, so they are kept (selectors.yml); every table and every
        # data test that reads a model runs
        return False, ["--selector", NIGHTLY_SELECTOR]
    # "state": the unchanged nodes incrementally; _build_step rebuilds state:modified+ after it
    return False, ["--exclude", "state:modified+", "--state", str(state)]


def start_build(
    run: Run, candidate: Path, target: Path, lock_fd: int, mode: str, state: Path | None
) -> dbt.DbtProcess:
    """Start the night's first `dbt build` before its candidate exists, held at its first connection
    (scripts/ops/dbt_gated.py): dbt's start-up (imports, partial parse: about 2.6 s) runs while the
    landing zone is checked, the live file copied and freshness measured. The build step opens the gate
    (_build_step)."""
    full_refresh, selection = _first_build(mode, state)
    return start_dbt(
        _build_args(run, full_refresh, selection), run.raw_dir, candidate, target, lock_fd, gated=True
    )


def _left_out(target: Path, run_results: dict[str, Any] | None, skip_tests: bool) -> list[str]:
    """Unique ids of the nodes `dbt build` builds that a run left out (state:modified+ after --exclude)."""
    kinds = {"model", "seed", "snapshot"} | (set() if skip_tests else {"test"})
    ran = {result["unique_id"] for result in (run_results or {}).get("results", [])}
    nodes = json.loads((target / "manifest.json").read_text())["nodes"]
    return sorted(
        unique_id
        for unique_id, node in nodes.items()
        if node["resource_type"] in kinds
        and node.get("config", {}).get("materialized") != "ephemeral"
        and unique_id not in ran
    )


def _build_step(
    run: Run,
    candidate: Path,
    target: Path,
    lock_fd: int,
    mode: str,
    state: Path | None,
    first: dbt.DbtProcess,
) -> tuple[dbt.DbtResult, dict[str, Any] | None]:
    """The night's dbt build(s): `first` (start_build), its gate opened now; fills run.record["rebuild"]
    ["modified"]. One invocation unless some node changed: then the unchanged rest incrementally, and
    state:modified+ (closed under descendants, so nothing of the first run depends on it) from scratch."""
    rebuild = run.record["rebuild"]
    first.open_gate()
    result = first.wait()
    run_results = result.run_results()
    run.record["build_start"] = {
        "started_before_gate_s": first.seconds_before_gate(),
        "waited_at_gate_s": dbt.waited_seconds(result.stderr),
    }
    if mode != "state":
        return result, run_results
    left_out = _left_out(target, run_results, run.args.skip_tests) if result.returncode == 0 else []
    if result.returncode != 0 or not left_out:
        if result.returncode == 0:
            rebuild["reason"] = "files changed, but dbt's state comparison found no modified node"
        return result, run_results
    rebuild["modified"] = sorted(
        unique_id.split(".")[-1] for unique_id in left_out if not unique_id.startswith("test.")
    )
    first_results = run_results
    result, run_results = _build(
        run, candidate, target, lock_fd, True, ["--select", "state:modified+", "--state", str(state)]
    )
    results = (first_results or {}).get("results", []) + (run_results or {}).get("results", [])
    return result, {"results": results}


def execute(run: Run) -> None:
    """Run every step under the build lock; raise NightlyFailure on the first one that fails."""
    try:
        with warehouse.build_lock(run.live, run.run_id) as lock_fd:
            try:
                # what runs in the background (the first dbt build, the candidate copy) has ended or been
                # stopped when the ExitStack closes, before a failed run's candidate is discarded
                with ExitStack() as background:
                    _execute_locked(run, lock_fd, background)
            finally:
                if run.record["status"] != "success":
                    warehouse.discard_candidate(warehouse.candidate_path(run.live))
                    shutil.rmtree(state_dir(run.live, run.run_id), ignore_errors=True)
    except warehouse.WarehouseBusy as error:
        raise NightlyFailure("lock", EXIT_BUSY, str(error)) from error


def _execute_locked(run: Run, lock_fd: int, background: ExitStack) -> None:
    live = run.live
    target = dbt_target(live)
    previous = read_state(live)
    inputs = build_inputs(run.raw_dir, run.args.vars)
    definition = definition_digest()
    run.record["fingerprint"] = fingerprint(inputs)
    run.record["previous_run_id"] = previous["run_id"] if previous else None

    # what the build will be is known before any step: the first dbt build starts now and parses while the
    # steps before it run, held at its first connection until the build step (start_build)
    try:
        folded = warehouse.fold_wal(live)
    except warehouse.WarehouseBusy as error:
        raise NightlyFailure("candidate", EXIT_BUSY, str(error)) from error
    mode, reason, state = decide_rebuild(
        run.args, live, warehouse.file_state(live) is not None, previous, inputs, definition
    )
    first_build = start_build(run, warehouse.candidate_path(live), target, lock_fd, mode, state)
    background.callback(first_build.cancel)  # a step before the build failed: dbt never opened the candidate
    # and the candidate copy starts too: the landing zone and freshness steps read only the raw files
    copy = warehouse.CandidateCopy(live)
    background.callback(copy.settle)  # nothing writes the candidate when execute() discards it

    with run.step("landing zone") as note:
        contract = contract_module.load(PROJECT_DIR)
        since = None if (run.args.full_refresh or previous is None) else previous["built_started_at"]
        try:
            reports = landing_zone.check(
                run.raw_dir,
                contract,
                read_fully_since=since,
                sources=run.sources,
                platform_objects=adapters.objects(PROJECT_DIR, run.sources),
                required_folders=adapters.required_folders(PROJECT_DIR, run.sources),
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

    with run.step("freshness") as note:
        if run.args.skip_freshness:
            run.record["freshness"] = {"skipped": True}
            note["summary"] = "skipped (--skip-freshness)"
        else:
            _record_freshness(run, note, _freshness(run, copy, target, lock_fd))

    with run.step("candidate") as note:
        # the copy started with the run (warehouse.CandidateCopy): this step waits for what is left of it
        candidate, live_state, how = copy.result()
        run.record["candidate_copy_s"] = copy.seconds
        run.record["rebuild"] = {"mode": mode, "modified": [], "reason": reason}
        run.record["candidate"] = how
        run.record["full_refresh"] = mode == "full"
        run.record["full_refresh_reason"] = reason if mode == "full" else None
        note["summary"] = (
            ("folded a leftover WAL; " if folded else "")
            + describe_candidate(how, live_state.size if live_state else None)
            + (f" in {copy.seconds:.1f}s" if how else "")
            + f"; {mode}"
            + (f" ({reason})" if reason else "")
        )

    with run.step("build") as note:
        result, run_results = _build_step(run, candidate, target, lock_fd, mode, state, first_build)
        copy.settle()  # its fsync of a copied candidate ran beside the build's first nodes
        run.record["candidate_flush_s"] = copy.flush_seconds
        models, tests = run_record.summarise_dbt(run_results)
        run.record["models"] = models
        run.record["tests"] = tests
        rebuild = run.record["rebuild"]
        note["summary"] = (
            f"{len(models)} nodes, tests {tests['pass']} pass / {tests['warn']} warn / "
            f"{tests['fail']} fail / {tests['error']} error; {describe_rebuild(rebuild)}"
        )
        if result.returncode != 0:
            raise NightlyFailure("dbt build", EXIT_BUILD, dbt.failure_line(result, run_results))
        manifest_sha256 = keep_manifest(live, run.run_id, target / "manifest.json")
        write_state(
            candidate,
            {
                "run_id": run.run_id,
                "fingerprint": run.record["fingerprint"],
                "inputs": inputs,
                "definition": definition,
                "manifest_sha256": manifest_sha256,
                "built_started_at": run.started,
                "full_refresh": mode == "full",
                "rebuild_mode": mode,
            },
        )

    with run.step("validate") as note:
        dbt_results = validate.DbtResults(
            manifest=json.loads((target / "manifest.json").read_text()),
            run_results=run_results,
            tests_skipped="--skip-tests" if run.args.skip_tests else None,
        )
        validation = validate.validate(
            candidate, run.raw_dir, contract, sources=run.sources, dbt_results=dbt_results
        )
        run.record["validation"] = validation.to_dict()
        run.record.update(run_record.warehouse_facts(candidate))
        counted = {s: sum(1 for c in validation.checks if c.status == s) for s in ("pass", "fail", "warn")}
        from_dbt = sum(1 for c in validation.checks if c.values.get("tag") in validate.VALIDATION_TAGS)
        note["summary"] = (
            f"{counted['pass']} pass, {counted['warn']} warn, {counted['fail']} fail; "
            f"{from_dbt} checks are the build's reconciliation / bounds dbt tests"
        )
        if validation.failed:
            first = validation.failed[0]
            hint = (
                f"a dbt test (tag:{first.values['tag']}) of the build failed: see validation.checks"
                if first.values.get("tag")
                else "try `python -m scripts.nightly --full-refresh`"
            )
            raise NightlyFailure(
                "validation",
                EXIT_VALIDATION,
                f"{len(validation.failed)} check(s) failed ({first.name}: {first.detail}); {hint}",
            )

    with run.step("publish") as note:
        try:
            warehouse.publish(candidate, live, live_state)
        except (warehouse.PublishError, OSError) as error:
            raise NightlyFailure("publish", EXIT_PUBLISH, str(error)) from error
        warehouse.release_replaced(live)  # the replaced file is deleted after this run, off its clock
        run.record["status"] = "success"
        prune_manifests(live, keep=run.run_id)
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
        mode = describe_rebuild(run.record["rebuild"])
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
