"""BI tools that bundle DuckDB 1.4 can open the warehouse that DuckDB 2.0 writes.

profiles.yml sets `storage_compatibility_version: v1.4.0`; this opens the test warehouse read-only with
DuckDB 1.4 from a separate venv (`make duckdb14-venv` → .venv-duckdb14, or Superset's .venv-superset) and
checks it sees every table of the warehouse with the same row counts and the same mart figures.
Skips with the reason when no DuckDB 1.4 venv exists.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).absolute().parents[2]
CANDIDATES = [
    Path(os.environ["CX_DUCKDB14_PYTHON"]) if os.environ.get("CX_DUCKDB14_PYTHON") else None,
    ROOT / ".venv-duckdb14" / "bin" / "python",
    ROOT / ".venv-superset" / "bin" / "python",
]
FIGURES_SQL = (
    "select sum(fcr_journeys), sum(matured_journeys) from outcomes.mart_first_contact_resolution "
    "union all select sum(retained_90d), sum(eligible_90d) from outcomes.mart_retention_by_ai_type"
)
PROBE = """
import json, sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
tables = con.execute(
    "select table_schema, table_name from information_schema.tables "
    "where table_type = 'BASE TABLE' order by 1, 2"
).fetchall()
counts = {f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables}
figures = [[float(a), float(b)] for a, b in con.execute(sys.argv[2]).fetchall()]
print(json.dumps({"version": duckdb.__version__, "counts": counts, "figures": figures}))
"""


def test_duckdb_14_reads_the_warehouse() -> None:
    path = os.environ.get("CX_TEST_WAREHOUSE")
    if not path or not Path(path).exists():
        pytest.skip("CX_TEST_WAREHOUSE is not set or not built (run `make test-build`)")
    python = next((candidate for candidate in CANDIDATES if candidate and candidate.exists()), None)
    if python is None:
        pytest.skip("no DuckDB 1.4 venv (run `make duckdb14-venv`)")
    result = subprocess.run(
        [str(python), "-c", PROBE, path, FIGURES_SQL],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"DuckDB 1.4 could not read the warehouse:\n{result.stderr[-3000:]}"
    seen = json.loads(result.stdout)
    assert seen["version"].startswith("1.4."), seen["version"]

    con = duckdb.connect(path, read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' order by 1, 2"
        ).fetchall()
        counts = {
            f"{s}.{t}": con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables
        }
        figures = [[float(a), float(b)] for a, b in con.execute(FIGURES_SQL).fetchall()]
    finally:
        con.close()
    assert seen["counts"] == counts
    assert any(name.startswith("outcomes.mart_") for name in counts)
    assert seen["figures"] == figures
