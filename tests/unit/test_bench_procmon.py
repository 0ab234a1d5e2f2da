"""The benchmark's process-tree memory (scripts/bench/procmon.py): a block held by a grandchild is counted."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

psutil = pytest.importorskip("psutil")

from scripts.bench import procmon  # noqa: E402 - needs psutil

BLOCK = 64 * 2**20


def test_tree_rss_counts_a_grandchilds_memory(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    holder = (
        f"import pathlib, time; block = b'x' * {BLOCK}; pathlib.Path({str(ready)!r}).touch(); time.sleep(60)"
    )
    # sh starts python in the background and waits: the block lives in sh's child, not in sh
    shell = subprocess.Popen(["sh", "-c", '"$0" -c "$1" & wait', sys.executable, holder])
    try:
        deadline = time.monotonic() + 30
        while not ready.exists():
            assert time.monotonic() < deadline, "the holder did not start"
            time.sleep(0.05)
        (child,) = psutil.Process(shell.pid).children()
        own = psutil.Process(shell.pid).memory_info().rss
        total = procmon.tree_rss(shell.pid)
        assert total >= own + BLOCK
        assert total == pytest.approx(own + child.memory_info().rss, rel=0.02)
    finally:
        for process in psutil.Process(shell.pid).children(recursive=True):
            process.kill()
        shell.kill()
        shell.wait()
    assert procmon.tree_rss(shell.pid) == 0  # gone


def test_run_settles_the_disk_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the writeback of what ran before is not the measured command's: os.sync comes before the command starts
    events: list[str] = []
    marker = tmp_path / "started"
    monkeypatch.setattr(procmon.os, "sync", lambda: events.append("sync" if not marker.exists() else "late"))
    measure = procmon.run(
        [sys.executable, "-c", f"import pathlib; pathlib.Path({str(marker)!r}).touch()"], env={}, cwd=tmp_path
    )
    assert measure.returncode == 0
    assert events == ["sync"]
    assert marker.exists()
