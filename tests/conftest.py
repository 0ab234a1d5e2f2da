"""Shared pytest fixtures (paths, a dbt runner, the small warehouse `make test-build` produces) and how `make
pytest` shares the test modules between its workers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from xdist.scheduler import LoadScopeScheduling

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


# ---- parallel runs (pytest-xdist; `make pytest` runs `-n 2`) -----------------------------------------------
# Each test module runs whole on one worker, so its module-scoped fixtures (a night-by-night build, a platform
# build) are built once. Modules that share state outside their tmp dirs run on the same worker, one after the
# other: the README snippets rewrite target/semantic_manifest.json, the only path MetricFlow reads, which the
# semantic-layer tests use. The modules are handed out in collection order (the integration modules first, as
# `testpaths` lists them: they are the long ones), not xdist's default of the most tests first.
# Not `--dist loadgroup` with `xdist_group` marks: xdist 3.8 groups by renaming node ids, which pytest 9.2
# ignores, so a module's tests went to both workers and each worker built the module's fixtures again.
SHARED_STATE = {"tests/integration/test_semantic_layer.py": "tests/integration/test_readme_snippets.py"}


class ByModule(LoadScopeScheduling):
    """xdist's scope scheduling with a test module (or its SHARED_STATE partner) as the unit of work."""

    def _split_scope(self, nodeid: str) -> str:
        module = nodeid.split("::", 1)[0]
        return SHARED_STATE.get(module, module)


def pytest_xdist_make_scheduler(config: pytest.Config, log) -> ByModule:
    config.option.loadscopereorder = False
    return ByModule(config, log)
