"""The nightly on Spark (issue #21, docs/scale-out.md): a Spark warehouse built night by night equals a full
refresh of the same raw data (SPEC §7, incremental correctness).

One small landing zone (with --bad-rows) is registered (scripts.spark_landing) and built on Spark with dbt's
session method, night by night, as a scheduler would run it against a cluster:

    night 0  first build: no table yet, so every incremental model builds from scratch
    night 1  --append-day, registered again, incremental: delete+insert (base models) and cx_replace
             (journeys, facts) rewrite their Parquet tables (macros/dbt_spark_get_incremental_sql.sql), the
             base models read only the files they have not read (cx_new_source_files on the registered tables)
    night 2  the same again

Then the same raw data is built on DuckDB in one full refresh and scripts.engines_compare compares every table
of both (`make test-spark` proves DuckDB's full refresh equal to Spark's). Data and unit tests are left out of
these builds (`make test-spark` runs them on Spark); seeds and models only.

Slow (Spark's fixed cost per statement: minutes on the small dataset), so it runs only with CX_SPARK_TEST=1:
`make test-spark-nightly`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from scripts.ops import dbt
from tests.integration._nightly_support import CUSTOMERS, PROJECT_DIR, SEED, append_day, generate

pytestmark = pytest.mark.slow

FIRST_DAYS = 20
# incremental nights after the first build (CX_SPARK_NIGHTS: each costs ~6 min here)
NIGHTS = int(os.environ.get("CX_SPARK_NIGHTS", "1"))
DBT = PROJECT_DIR / ".venv" / "bin" / "dbt"
# seeds and models: the data tests and unit tests run in `make test-spark`
BUILD = ["build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]


def _run(command: list[str], env: dict[str, str], what: str) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=PROJECT_DIR, env=env, capture_output=True, text=True, check=False, timeout=1800
    )
    assert result.returncode == 0, (
        f"{what} failed ({result.returncode}):\n{result.stdout[-6000:]}\n{result.stderr[-3000:]}"
    )
    return time.perf_counter() - started


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    if os.environ.get("CX_SPARK_TEST") != "1":
        pytest.skip("Spark nightly test: set CX_SPARK_TEST=1 (make test-spark-nightly)")
    work = tmp_path_factory.mktemp("spark_nightly")
    raw, spark_warehouse, duckdb_file = (
        work / "raw",
        work / "spark" / "warehouse",
        work / "duckdb" / "cx.duckdb",
    )
    duckdb_file.parent.mkdir(parents=True)
    spark_env = dbt.environment(
        profiles_dir=PROJECT_DIR,
        raw_dir=raw,
        target_path=work / "spark" / "dbt",
        extra={
            "CX_DBT_TARGET": "spark",
            "CX_SPARK_WAREHOUSE": str(spark_warehouse),
            "CX_THREADS": os.environ.get("CX_THREADS", "2"),
            "CX_SOURCES": "landing_zone",
        },
    )
    generate(
        raw,
        "--seed",
        str(SEED),
        "--customers",
        str(CUSTOMERS),
        "--days",
        str(FIRST_DAYS),
        "--bad-rows",
        "--overwrite",
    )
    landing = [
        sys.executable,
        "-m",
        "scripts.spark_landing",
        "--raw-dir",
        str(raw),
        "--warehouse",
        str(spark_warehouse),
    ]
    seconds: dict[str, float] = {}
    batches: list[int] = []
    for night in range(NIGHTS + 1):
        if night:
            append_day(raw)
        seconds[f"night {night}: spark_landing"] = _run(landing, spark_env, f"spark_landing, night {night}")
        seconds[f"night {night}: dbt build"] = _run(
            [str(DBT), *BUILD], spark_env, f"Spark build, night {night}"
        )
        batches.append(_distinct_batches(spark_warehouse / "staging.db" / "base_platform__contacts"))
    duckdb_env = dbt.environment(
        profiles_dir=PROJECT_DIR,
        raw_dir=raw,
        warehouse=duckdb_file,
        target_path=work / "duckdb" / "dbt",
        extra={"CX_DBT_TARGET": "dev", "CX_SOURCES": "landing_zone"},
    )
    seconds["DuckDB full refresh"] = _run(
        [str(DBT), *BUILD, "--full-refresh"], duckdb_env, "DuckDB full refresh"
    )
    report = work / "engines_compare.json"
    compare = [
        sys.executable, "-m", "scripts.engines_compare", "--duckdb", str(duckdb_file),
        "--spark-warehouse", str(spark_warehouse), "--json", str(report),
    ]  # fmt: skip
    result = subprocess.run(
        compare, cwd=PROJECT_DIR, capture_output=True, text=True, check=False, timeout=600
    )
    print(json.dumps(seconds, indent=1))  # shown with -s: what each step cost
    return {
        "compare_exit": result.returncode,
        "compare_log": result.stdout + result.stderr,
        "results": json.loads(report.read_text()) if report.exists() else {},
        "batches": batches,
        "spark_warehouse": spark_warehouse,
    }


def _distinct_batches(table: Path) -> int:
    """How many runs wrote the rows the table holds (distinct _batch_at)."""
    connection = duckdb.connect()
    try:
        return connection.execute(
            f"select count(distinct _batch_at) from read_parquet('{table}/*.parquet')"
        ).fetchone()[0]
    finally:
        connection.close()


def test_nights_equal_a_full_refresh(nights: dict[str, object]) -> None:
    results = nights["results"]
    assert results, nights["compare_log"]
    differing = {relation: result for relation, result in results.items() if "difference" in result}
    assert not differing, nights["compare_log"]
    assert nights["compare_exit"] == 0, nights["compare_log"]
    # the base tables and the stored table of each grain are among the compared tables, with rows (the
    # facts are views over them: not compared, their SQL runs inside the marts that are)
    for relation in (
        "staging.base_platform__contacts",
        "intermediate.int_contacts_enriched",
        "intermediate.int_attempts_chained",
        "intermediate.int_journeys_aggregated",
    ):
        assert results[relation]["rows_spark"] > 0


def test_nights_were_incremental(nights: dict[str, object]) -> None:
    # each night kept the rows stored before and added its own: one more _batch_at per night, no rebuild
    assert nights["batches"] == list(range(1, NIGHTS + 2))
    # no staging table of the rewrite is left behind
    assert not list(Path(nights["spark_warehouse"]).glob("*.db/*__cx_next"))
