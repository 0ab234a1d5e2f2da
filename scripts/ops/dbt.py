"""Run dbt in a subprocess and read its artefacts.

`environment()` is the one place that builds a dbt process's environment (the nightly, the benchmark and the
tests all use it). The subprocess gets its own target path (artefacts never collide with a developer's
`target/`), inherits the build lock's file descriptor (so the lock is held for as long as dbt runs) and is
killed by the kernel if this process dies (PR_SET_PDEATHSIG), so a killed nightly never leaves an
orphaned dbt writing into the build directory. What failed is read from run_results.json.

`run()` waits for the command; `start()` returns while it runs, and a gated start (scripts/ops/dbt_gated.py)
lets dbt import and parse before the warehouse it will open exists (the nightly's build, started before its
candidate copy).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import yaml

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parents[2]

_PR_SET_PDEATHSIG = 1
# what one invocation writes into its target path and this module reads back (deleted before each run)
RESULT_FILES = ("run_results.json", "sources.json")
FAILED = ("error", "fail")  # run_results.json statuses of a node that failed
BUILT_KINDS = ("model", "seed", "snapshot")  # the "model(s)" of a failure line
TEST_KINDS = ("test", "unit_test")
# what a gated command (scripts/ops/dbt_gated.py) says on stderr, and its exit code when told not to go on
GATE_WAITING = "dbt_gated: parsed; waiting for go"
GATE_OPENED = "dbt_gated: go after {seconds:.2f} s at the gate"
GATE_EXIT_REFUSED = 3


def environment(
    *,
    profiles_dir: Path | None = None,
    raw_dir: Path | str | None = None,
    warehouse: Path | None = None,
    target_path: Path | None = None,
    log_path: Path | None = None,
    extra: Mapping[str, str] | None = None,
    defaults: Mapping[str, str] | None = None,
    base: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The environment of a dbt process: `base` (default: this process's environment) with usage stats off
    and DBT_PROFILES_DIR, CX_RAW_DIR, CX_WAREHOUSE, DBT_TARGET_PATH and DBT_LOG_PATH (default: <target
    path>/logs) set from the arguments given (one left out keeps what `base` has); then `extra`; `defaults`
    last, each only where nothing above set it."""
    env = dict(os.environ if base is None else base)
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    if log_path is None and target_path is not None:
        log_path = target_path / "logs"
    given = {
        "DBT_PROFILES_DIR": profiles_dir,
        "CX_RAW_DIR": raw_dir,
        "CX_WAREHOUSE": warehouse,
        "DBT_TARGET_PATH": target_path,
        "DBT_LOG_PATH": log_path,
    }
    env.update({name: str(value) for name, value in given.items() if value is not None})
    env.update(extra or {})
    for name, value in (defaults or {}).items():
        env.setdefault(name, value)
    return env


def project_vars(project_dir: Path | None = None) -> dict[str, Any]:
    """dbt_project.yml's vars as written (unrendered): the one home of lists such as ai_interaction_types."""
    path = (project_dir or REPO_ROOT) / "dbt_project.yml"
    return dict((yaml.safe_load(path.read_text()) or {}).get("vars") or {})


def executable() -> str:
    """dbt next to the running interpreter (the project's venv), else dbt on PATH."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass


@dataclass
class DbtResult:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    target_path: Path

    def tail(self, lines: int = 15) -> str:
        text = (self.stdout + "\n" + self.stderr).strip().splitlines()
        return "\n".join(text[-lines:])

    def run_results(self) -> dict[str, Any] | None:
        """This invocation's run_results.json, or None when dbt stopped before writing it."""
        path = self.target_path / "run_results.json"
        if not path.exists():
            return None
        return json.loads(path.read_text())

    def error_from_output(self) -> str:
        """The lines after dbt's "Encountered an error:" (or the last error line) of its output, joined
        into one: what dbt said when it stopped before running any node (it then writes no run_results.json:
        a parse or compilation error), and the only account of a `dbt parse`."""
        lines = [line.strip() for line in (self.stdout + "\n" + self.stderr).splitlines()]
        for index, line in enumerate(lines):
            if "Encountered an error" in line:
                following = [text for text in lines[index + 1 : index + 4] if text and "WARNING" not in text]
                return " ".join(following)[:400] or line
        errors = [line for line in lines if "error" in line.lower()]
        return errors[-1][:400] if errors else f"dbt exited with {self.returncode}"


def node_name(unique_id: str) -> str:
    """The name in a unique id: <kind>.<package>.<name>, and a hash after it for a generic data test, but
    unit_test.<package>.<model>.<name>."""
    parts = unique_id.split(".")
    return parts[-1] if parts[0] == "unit_test" else parts[2]


def failed(run_results: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The results of a run_results.json whose node failed (status error or fail), in run order."""
    return [result for result in (run_results or {}).get("results", []) if result.get("status") in FAILED]


def failure_line(result: DbtResult, run_results: dict[str, Any] | None) -> str:
    """Why a dbt command failed, in one line: "2 model(s) failed (a, b); 1 test(s) failed (c)" (three names
    at most of each), else the message of another failed node (an on-run-start or -end hook), from
    run_results.json (`run_results`: of one invocation, or of several added up)."""
    failures = failed(run_results)

    def names(kinds: tuple[str, ...]) -> list[str]:
        return [node_name(r["unique_id"]) for r in failures if r["unique_id"].split(".")[0] in kinds]

    built, tests = names(BUILT_KINDS), names(TEST_KINDS)
    parts = []
    if built:
        parts.append(f"{len(built)} model(s) failed ({', '.join(built[:3])})")
    if tests:
        parts.append(f"{len(tests)} test(s) failed ({', '.join(tests[:3])})")
    if not parts and failures:
        parts.append(" ".join((failures[0].get("message") or failures[0]["unique_id"]).split())[:400])
    # no failed node: dbt wrote no run_results.json (it stopped before running one) or one that names no
    # failure (it stopped between nodes): its own words from its output are all there is
    return "; ".join(parts) or result.error_from_output()


@dataclass
class DbtProcess:
    """A dbt command running in the background (`start`); `wait` gives its DbtResult. A gated one
    (scripts/ops/dbt_gated.py) parses the project, then waits for `open_gate` before its first connection."""

    args: list[str]
    process: subprocess.Popen
    stdout: IO[str]
    stderr: IO[str]
    target_path: Path
    log_file: Path | None
    gated: bool
    started: float
    gate_opened: float | None = None
    result: DbtResult | None = None

    def open_gate(self) -> None:
        """Let a gated command open its connection and go on (its warehouse is ready). Idempotent; a command
        that already ended (it failed before the gate) is left for `wait` to report."""
        if not self.gated or self.gate_opened is not None:
            return
        self.gate_opened = time.monotonic()
        assert self.process.stdin is not None
        try:
            self.process.stdin.write("go\n")
            self.process.stdin.close()
        except BrokenPipeError:  # it ended before the gate: wait() reads why
            pass

    def at_gate(self) -> bool:
        """Whether a gated command has parsed and waits at its gate (its GATE_WAITING line)."""
        if not self.gated or self.result is not None:
            return False
        self.stderr.flush()
        self.stderr.seek(0)
        return GATE_WAITING in self.stderr.read()

    def seconds_before_gate(self) -> float | None:
        """How long the command ran before its gate opened (the start-up it did while the caller worked)."""
        return None if self.gate_opened is None else round(self.gate_opened - self.started, 2)

    def wait(self) -> DbtResult:
        """Open the gate if still closed, wait for the command to end and return its result."""
        if self.result is None:
            self.open_gate()
            try:
                returncode = self.process.wait()
            except BaseException:  # interrupted while waiting (a signal): as subprocess.run, kill it first
                self.process.kill()
                self.process.wait()
                raise
            stdout, stderr = _read(self.stdout), _read(self.stderr)
            self.result = DbtResult(self.args, returncode, stdout, stderr, self.target_path)
            if self.log_file is not None:
                self.log_file.parent.mkdir(parents=True, exist_ok=True)
                with self.log_file.open("a") as handle:
                    handle.write(f"$ dbt {' '.join(self.args)}\n{self.result.stdout}\n{self.result.stderr}\n")
        return self.result

    def cancel(self) -> None:
        """Stop a command whose gate never opened (the steps before its build failed); never raises. Held at
        its gate, it has opened no connection; killed while parsing, it leaves at most a partial-parse file
        that dbt reads again or re-parses."""
        if self.result is not None or self.gate_opened is not None:
            return
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()
        for handle in (self.stdout, self.stderr):
            handle.close()
        if self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.close()


def waited_seconds(stderr: str) -> float | None:
    """How long a gated command waited at its gate (its GATE_OPENED line), None if it never got there."""
    prefix, _, suffix = GATE_OPENED.partition("{seconds:.2f}")
    for line in stderr.splitlines():
        if line.startswith(prefix) and line.endswith(suffix):
            return float(line[len(prefix) : len(line) - len(suffix)])
    return None


def _read(handle: IO[str]) -> str:
    handle.seek(0)
    text = handle.read()
    handle.close()
    return text


def start(
    args: list[str],
    *,
    project_dir: Path,
    target_path: Path,
    profiles_dir: Path | None = None,
    raw_dir: Path | str | None = None,
    warehouse: Path | None = None,
    extra_env: dict[str, str] | None = None,
    pass_fds: tuple[int, ...] = (),
    log_file: Path | None = None,
    gated: bool = False,
) -> DbtProcess:
    """Start `dbt <args>` in project_dir with its own target and log paths. Without `profiles_dir`, a
    DBT_PROFILES_DIR already set in this process's environment wins over project_dir. Gated, it runs as
    `python -m scripts.ops.dbt_gated <args>` and opens no connection before `open_gate()`: start it before its
    warehouse exists, open the gate once it does."""
    target_path.mkdir(parents=True, exist_ok=True)
    for name in RESULT_FILES:  # an earlier invocation's results are not this one's
        (target_path / name).unlink(missing_ok=True)
    env = environment(
        profiles_dir=profiles_dir,
        raw_dir=raw_dir,
        warehouse=warehouse,
        target_path=target_path,
        extra=extra_env,
        # logs/dbt.log at info, not debug: the debug log (every SQL statement, ~1 MB per no-op build at scale
        # S) cost ~10 % of a no-op build's CPU (benchmarks/results/fixes.md); DBT_LOG_LEVEL_FILE=debug brings
        # it back
        defaults={"DBT_PROFILES_DIR": str(project_dir), "DBT_LOG_LEVEL_FILE": "info"},
    )
    if gated:
        # the repo root on the path, so the child finds scripts.ops.dbt_gated whatever the project dir
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
        command = [sys.executable, "-m", "scripts.ops.dbt_gated", *args]
    else:
        command = [executable(), *args]
    log.debug("starting %s", " ".join(command))
    # output to unnamed files, not pipes: nobody reads a gated command's output while it waits
    # DbtProcess.wait (or cancel) closes them
    stdout, stderr = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")  # noqa: SIM115
    process = subprocess.Popen(
        command,
        cwd=project_dir,
        env=env,
        stdin=subprocess.PIPE if gated else subprocess.DEVNULL,
        stdout=stdout,
        stderr=stderr,
        text=True,
        pass_fds=pass_fds,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    return DbtProcess(args, process, stdout, stderr, target_path, log_file, gated, time.monotonic())


def run(args: list[str], **options: Any) -> DbtResult:
    """Run `dbt <args>` to its end: `start(args, **options).wait()` (the same options, but not gated); never
    raises on failure."""
    return start(args, **options).wait()
