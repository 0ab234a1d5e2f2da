"""A gated dbt command (scripts/ops/dbt_gated.py, the nightly's first build): it parses before its warehouse
exists and opens nothing until its gate opens; cancelled at the gate, it leaves no file; opened, it runs as
`dbt` would; failing before its gate, it exits as `dbt` would."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb
import pytest

from scripts.ops import dbt
from tests.conftest import PROJECT_DIR

SEED = ["seed", "--select", "channels"]


@pytest.fixture(scope="module")
def gated(tmp_path_factory: pytest.TempPathFactory, test_raw_dir: Path) -> tuple[Path, Path, Path]:
    """(target, warehouse path, raw dir) shared by the tests: one dbt parse from nothing, then partial parses
    (the warehouse path is part of the profile, so it stays the same; each test removes the file first)."""
    root = tmp_path_factory.mktemp("dbt_gated")
    return root / "target", root / "cx.duckdb", test_raw_dir


def _start_at_gate(gated: tuple[Path, Path, Path], args: list[str]) -> dbt.DbtProcess:
    target, warehouse, raw_dir = gated
    warehouse.unlink(missing_ok=True)
    process = dbt.start(
        args, project_dir=PROJECT_DIR, target_path=target, raw_dir=raw_dir, warehouse=warehouse, gated=True
    )
    deadline = time.monotonic() + 300  # a first parse into a new target: 10-60 s
    while not process.at_gate():
        if process.process.poll() is not None:
            result = process.wait()
            pytest.fail(f"the gated dbt ended before its gate ({result.returncode}):\n{result.tail()}")
        if time.monotonic() > deadline:
            process.cancel()
            pytest.fail("the gated dbt did not reach its gate in 300 s")
        time.sleep(0.1)
    return process


def test_gated_dbt_opens_no_warehouse_before_its_gate(gated: tuple[Path, Path, Path]) -> None:
    warehouse = gated[1]
    process = _start_at_gate(gated, SEED)
    time.sleep(1)  # held: nothing is opened however long the gate stays shut
    assert not warehouse.exists()
    process.cancel()
    assert process.process.returncode is not None
    assert not warehouse.exists()


def test_gated_dbt_runs_as_dbt_once_its_gate_opens(gated: tuple[Path, Path, Path]) -> None:
    warehouse = gated[1]
    process = _start_at_gate(gated, SEED)
    duckdb.connect(str(warehouse)).execute("create table ready as select 1 as x").close()  # the candidate
    process.open_gate()
    result = process.wait()
    assert result.returncode == 0, result.tail()
    assert dbt.waited_seconds(result.stderr) is not None
    assert process.seconds_before_gate() is not None
    assert {r["status"] for r in result.run_results()["results"]} == {"success"}
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = {name for (name,) in connection.execute("select table_name from duckdb_tables()").fetchall()}
    finally:
        connection.close()
    assert {"ready", "channels"} <= tables  # built into the file that existed when the gate opened


def test_gated_dbt_that_fails_before_its_gate_exits_as_dbt_would(gated: tuple[Path, Path, Path]) -> None:
    target, warehouse, raw_dir = gated
    warehouse.unlink(missing_ok=True)
    process = dbt.start(
        ["build", "--no-such-option"],
        project_dir=PROJECT_DIR,
        target_path=target,
        raw_dir=raw_dir,
        warehouse=warehouse,
        gated=True,
    )
    result = process.wait()  # opens the gate of a process that never reached it: no error
    assert result.returncode == 2  # dbt's exit code for a usage error
    assert dbt.GATE_WAITING not in result.stderr
    assert not warehouse.exists()
