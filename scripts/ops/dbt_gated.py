"""`dbt <args>`, held at its first database connection until the parent process says go.

    python -m scripts.ops.dbt_gated build --selector nightly_views_and_seeds_kept   # then "go" on its stdin

Most of a dbt command's start-up needs no database: importing dbt (about 1.4 s here) and parsing the project
(partial parsing: about 1 s; 7 s from nothing): 2.6 s from the start to the first connection. The nightly
starts its build this way before its candidate warehouse exists (scripts/nightly.py, start_build), so that
start-up runs while the landing zone is checked, the live file copied and freshness measured, instead of after
them.

The command runs in dbt's programmatic entry point (`dbtRunner`: the command line the `dbt` executable takes).
A callback on dbt's events stops it at the line "Concurrency: N threads", which dbt logs after parsing and
selecting the nodes and before it opens its first connection (the adapter cache, then the on-run-start hooks).
There it prints GATE_WAITING to stderr and reads one line from stdin: `go` lets dbt go on (it then prints
GATE_OPENED, with how long it waited); anything else, or the end of input, ends the process with
GATE_EXIT_REFUSED before any connection is opened (the three are in scripts/ops/dbt.py). A command that fails
before that line (a parse error) exits as dbt would, never reading stdin.

Exit codes are the `dbt` executable's: 0 success, 1 a node failed, 2 dbt itself failed; GATE_EXIT_REFUSED when
told not to go on.
"""

from __future__ import annotations

import os
import sys
import time

from dbt.cli.main import dbtRunner
from dbt_common.events.base_types import EventMsg

from scripts.ops.dbt import GATE_EXIT_REFUSED, GATE_OPENED, GATE_WAITING

# the event dbt fires between parsing and its first connection (dbt.task.runnable.execute_with_hooks)
GATE_EVENT = "ConcurrencyLine"


class Gate:
    """The dbt event callback that holds dbt at GATE_EVENT until stdin says go."""

    def __init__(self, stdin=None, stderr=None) -> None:
        self.stdin = sys.stdin if stdin is None else stdin
        self.stderr = sys.stderr if stderr is None else stderr
        self.waited_s: float | None = None

    def __call__(self, msg: EventMsg) -> None:
        if self.waited_s is not None or msg.info.name != GATE_EVENT:
            return
        print(GATE_WAITING, file=self.stderr, flush=True)
        started = time.monotonic()
        answer = self.stdin.readline().strip()
        self.waited_s = time.monotonic() - started
        if answer != "go":
            said = answer or "end of input"
            print(f"dbt_gated: refused ({said}); no connection was opened", file=self.stderr)
            sys.stdout.flush()
            self.stderr.flush()
            # no connection is open and nothing was written to the warehouse: leave without dbt's clean-up
            os._exit(GATE_EXIT_REFUSED)
        print(GATE_OPENED.format(seconds=self.waited_s), file=self.stderr, flush=True)


def exit_code(result) -> int:
    """The `dbt` executable's exit code for a dbtRunner result: 0 success, 1 a node failed, 2 dbt failed."""
    if result.success:
        return 0
    return 1 if result.exception is None else 2


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or args[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    return exit_code(dbtRunner(callbacks=[Gate()]).invoke(args))


if __name__ == "__main__":
    sys.exit(main())
