"""Run a command and measure it: wall time, peak RSS of its whole process tree, load average.

Every POLL seconds psutil finds the tree (the child and its descendants) and their resident set sizes are
summed. /usr/bin/time (when present) adds the kernel's own peak RSS of the largest single process as a
cross-check.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

POLL = 0.2
GNU_TIME = Path("/usr/bin/time")


def loadavg() -> tuple[float, float, float]:
    """The kernel's figures to two decimals, as `uptime` shows them (os.getloadavg() has more digits)."""
    one, five, fifteen = Path("/proc/loadavg").read_text().split()[:3]
    return float(one), float(five), float(fifteen)


def cpu_seconds() -> tuple[float, float]:
    """(steal, total) CPU time of the whole machine since boot: steal is the time the hypervisor ran someone
    else while this VM wanted a CPU, which the load average does not show. The total leaves out guest time,
    which the kernel already counts in user and nice time."""
    times = psutil.cpu_times()
    return times.steal, sum(times) - times.guest - times.guest_nice


def steal_pct(before: tuple[float, float], after: tuple[float, float]) -> float | None:
    total = after[1] - before[1]
    return None if total <= 0 else round(100 * (after[0] - before[0]) / total, 1)


def tree_rss(root: int) -> int:
    """Bytes resident in `root` and all its descendants right now."""
    try:
        parent = psutil.Process(root)
        tree = [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for process in tree:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):  # gone since, or a zombie
            total += process.memory_info().rss
    return total


@dataclass
class Measure:
    command: list[str]
    returncode: int
    wall_s: float
    peak_tree_rss_bytes: int
    peak_process_rss_bytes: int | None
    cpu_s: float | None = None
    load_1m_samples: list[float] = field(default_factory=list)
    stdout_tail: str = ""
    steal_pct: float | None = None

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def load_summary(self) -> dict[str, float | None]:
        samples = self.load_1m_samples
        if not samples:
            return {"mean": None, "max": None, "steal_pct": self.steal_pct}
        return {
            "mean": round(statistics.fmean(samples), 2),
            "max": round(max(samples), 2),
            "steal_pct": self.steal_pct,
        }

    def as_dict(self) -> dict:
        return {
            "returncode": self.returncode,
            "wall_s": round(self.wall_s, 2),
            "peak_tree_rss_gib": round(self.peak_tree_rss_bytes / 2**30, 3),
            "peak_process_rss_gib": None
            if self.peak_process_rss_bytes is None
            else round(self.peak_process_rss_bytes / 2**30, 3),
            "cpu_s": None if self.cpu_s is None else round(self.cpu_s, 1),
            "load_1m": self.load_summary(),
        }


def settle_disk() -> None:
    """Write every dirty page back to disk (os.sync).

    Called before each measured command: a setup step that just wrote gigabytes (the benchmark's adopted copy
    of the L warehouse, 4.9 GB) otherwise leaves its writeback to the run measured next, whose own writes then
    wait behind it (a nightly's candidate copy took 9.0 s right after the adoption, 1.5-2.3 s on a settled
    disk). A scheduled night starts a day after the last write, on a settled disk."""
    os.sync()


def run(command: list[str], *, env: dict[str, str], cwd: Path, log_file: Path | None = None) -> Measure:
    """Run `command` to completion, on a settled disk (settle_disk); stdout and stderr go to log_file (or are
    discarded)."""
    settle_disk()
    time_file = None
    full = list(command)
    if GNU_TIME.exists():
        handle, time_file = tempfile.mkstemp(prefix="bench_time_", suffix=".json")
        os.close(handle)
        usage_format = '{"max_rss_kb": %M, "user_s": %U, "sys_s": %S}'
        full = [str(GNU_TIME), "-f", usage_format, "-o", time_file, *command]
    out = open(log_file, "a") if log_file else subprocess.DEVNULL  # noqa: SIM115 - closed below
    try:
        if log_file:
            out.write(f"$ {' '.join(command)}\n")
            out.flush()
        started, machine_before = time.perf_counter(), cpu_seconds()
        process = subprocess.Popen(full, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        peak = 0
        loads: list[float] = []
        stop = threading.Event()

        def poll() -> None:
            nonlocal peak
            last_load = 0.0
            while not stop.is_set():
                peak = max(peak, tree_rss(process.pid))
                now = time.perf_counter()
                if now - last_load >= 2.0:
                    loads.append(loadavg()[0])
                    last_load = now
                stop.wait(POLL)

        watcher = threading.Thread(target=poll, daemon=True)
        watcher.start()
        returncode = process.wait()
        wall, steal = time.perf_counter() - started, steal_pct(machine_before, cpu_seconds())
        stop.set()
        watcher.join()
    finally:
        if log_file:
            out.close()
    process_peak, cpu = None, None
    if time_file:
        try:
            usage = json.loads(Path(time_file).read_text().strip().splitlines()[-1])
            process_peak = usage["max_rss_kb"] * 1024
            cpu = usage["user_s"] + usage["sys_s"]
        except (OSError, ValueError, KeyError, IndexError):
            process_peak = None
        Path(time_file).unlink(missing_ok=True)
    tail = ""
    if log_file and log_file.exists():
        tail = "\n".join(log_file.read_text(errors="replace").splitlines()[-25:])
    return Measure(command, returncode, wall, peak, process_peak, cpu, loads, tail, steal)


class LoadSampler:
    """Samples the 1-minute load average every few seconds while a block runs (for in-process work)."""

    def __init__(self, every: float = 2.0) -> None:
        self.every = every
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._cpu = (0.0, 0.0)
        self.steal: float | None = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.samples.append(loadavg()[0])
            self._stop.wait(self.every)

    def __enter__(self) -> LoadSampler:
        self._cpu = cpu_seconds()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.steal = steal_pct(self._cpu, cpu_seconds())

    def summary(self) -> dict[str, float | None]:
        if not self.samples:
            return {"mean": None, "max": None, "steal_pct": self.steal}
        return {
            "mean": round(statistics.fmean(self.samples), 2),
            "max": round(max(self.samples), 2),
            "steal_pct": self.steal,
        }
