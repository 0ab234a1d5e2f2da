"""The README's first query runs as written in the DuckDB shell the project installs (.venv/bin/duckdb),
read-only, on the `make test-build` warehouse: the command a new analyst types after `make demo`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_DIR

DUCKDB_SHELL = Path(sys.executable).with_name("duckdb")


def readme_sql_blocks() -> list[str]:
    return re.findall(r"```sql\n(.*?)```", (PROJECT_DIR / "README.md").read_text(), flags=re.DOTALL)


def test_readme_first_query_runs_in_the_duckdb_shell(test_warehouse: Path) -> None:
    if not DUCKDB_SHELL.exists():
        pytest.fail(f"{DUCKDB_SHELL} is missing: duckdb-cli is a pinned dependency (pyproject.toml)")
    blocks = readme_sql_blocks()
    assert blocks, "the README has no ```sql block"
    assert ".venv/bin/duckdb -readonly" in blocks[0], "the first query should say how to open the warehouse"
    result = subprocess.run(
        [str(DUCKDB_SHELL), "-readonly", "-csv", str(test_warehouse), "-c", blocks[0]],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0 and "Error" not in result.stderr, result.stderr
    header = result.stdout.splitlines()[0]
    assert header.split(",")[:3] == ["channel", "intent_group", "bot_containment_rate"]
