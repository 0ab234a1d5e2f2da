"""Run dbt in a subprocess, one invocation at a time, and read its artefacts.

The subprocess gets its own target path (artefacts never collide with a developer's `target/`),
inherits the build lock's file descriptor (so the lock is held for as long as dbt runs) and is
killed by the kernel if this process dies (PR_SET_PDEATHSIG), so a killed nightly never leaves an
orphaned dbt writing into the build directory.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


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
        path = self.target_path / "run_results.json"
        if not path.exists():
            return None
        return json.loads(path.read_text())


def run(
    args: list[str],
    *,
    project_dir: Path,
    target_path: Path,
    extra_env: dict[str, str] | None = None,
    pass_fds: tuple[int, ...] = (),
    log_file: Path | None = None,
) -> DbtResult:
    """Run `dbt <args>` in project_dir with its own target and log paths; never raises on failure."""
    target_path.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("DBT_PROFILES_DIR", str(project_dir))
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    env["DBT_TARGET_PATH"] = str(target_path)
    env["DBT_LOG_PATH"] = str(target_path / "logs")
    # logs/dbt.log at info, not debug: the debug log (every SQL statement, ~1 MB per no-op build at scale S)
    # cost ~10 % of a no-op build's CPU (benchmarks/results/fixes.md); DBT_LOG_LEVEL_FILE=debug brings it back
    env.setdefault("DBT_LOG_LEVEL_FILE", "info")
    env.update(extra_env or {})
    command = [executable(), *args]
    log.debug("running %s", " ".join(command))
    completed = subprocess.run(
        command,
        cwd=project_dir,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        pass_fds=pass_fds,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("a") as handle:
            handle.write(f"$ dbt {' '.join(args)}\n{completed.stdout}\n{completed.stderr}\n")
    return DbtResult(args, completed.returncode, completed.stdout, completed.stderr, target_path)
