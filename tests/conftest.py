"""Shared pytest fixtures: paths, a dbt runner, and the small warehouse `make test-build` produces."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from scripts.ops import dbt

PROJECT_DIR = Path(__file__).resolve().parents[1]
DBT = Path(sys.executable).with_name("dbt")


def dbt_env(raw_dir: Path, warehouse: Path, target_path: Path, **extra: str) -> dict[str, str]:
    """Environment for a dbt run that touches only the given raw dir, warehouse file and target dir."""
    return dbt.environment(
        profiles_dir=PROJECT_DIR, raw_dir=raw_dir, warehouse=warehouse, target_path=target_path, extra=extra
    )


def run_dbt(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run dbt in the project directory; fail the test with dbt's output when it fails."""
    result = subprocess.run(
        [str(DBT), *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        pytest.fail(f"dbt {' '.join(args)} failed:\n{result.stdout[-4000:]}\n{result.stderr[-2000:]}")
    return result


def generate(out: Path, *args: str) -> None:
    """Run the data generator quietly into `out`."""
    subprocess.run(
        [sys.executable, "-m", "scripts.generate_data", "--out", str(out), "--quiet", *args],
        cwd=PROJECT_DIR,
        check=True,
    )


@pytest.fixture(scope="session")
def test_warehouse() -> Path:
    """The warehouse `make test-build` built from the small generated dataset (with bad rows)."""
    path = Path(os.environ.get("CX_TEST_WAREHOUSE", PROJECT_DIR / "target/test/warehouse/cx.duckdb"))
    if not path.exists():
        pytest.skip(f"{path} is missing: run `make test-build` first (make test does)")
    return path


@pytest.fixture(scope="session")
def test_raw_dir() -> Path:
    """The raw landing zone `make test-build` generated."""
    path = Path(os.environ.get("CX_TEST_RAW", PROJECT_DIR / "target/test/raw"))
    if not path.exists():
        pytest.skip(f"{path} is missing: run `make test-build` first (make test does)")
    return path


@pytest.fixture()
def warehouse_conn(test_warehouse: Path):
    """A read-only connection to the test warehouse."""
    conn = duckdb.connect(str(test_warehouse), read_only=True)
    yield conn
    conn.close()
