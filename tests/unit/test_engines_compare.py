"""scripts.engines_compare: a Spark warehouse (Parquet per table) against a DuckDB file, known answers."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from scripts import engines_compare

ROWS = [
    ("a", 1, 0.25, "2025-01-01 10:00:00.5"),
    ("b", 2, 1e6 / 3, "2025-01-02 00:00:00"),
    ("b", 2, None, None),
]


def _build(tmp_path: Path, spark_rows: list[tuple], *, zoned: bool = False) -> tuple[Path, Path]:
    """A DuckDB file with core.t (ROWS) and a Spark-style warehouse with core.db/t holding `spark_rows`."""
    duckdb_file = tmp_path / "cx.duckdb"
    spark = tmp_path / "spark"
    folder = spark / "core.db" / "t"
    folder.mkdir(parents=True)
    with duckdb.connect(str(duckdb_file)) as connection:
        connection.execute("set TimeZone = 'UTC'")
        connection.execute("create schema core")
        connection.execute(
            "create table core.t (id varchar, n bigint, rate double, event_at timestamp, _batch_at timestamp)"
        )
        connection.executemany("insert into core.t values (?, ?, ?, ?, now())", ROWS)
        kind = "timestamptz" if zoned else "timestamp"
        connection.execute(f"create table spark_t (id varchar, n integer, rate double, event_at {kind})")
        if spark_rows:
            connection.executemany("insert into spark_t values (?, ?, ?, ?)", spark_rows)
        connection.execute(f"copy spark_t to '{folder}/part-0.parquet' (format parquet)")
    return duckdb_file, spark


def test_equal_builds_match(tmp_path: Path) -> None:
    duckdb_file, spark = _build(tmp_path, list(reversed(ROWS)), zoned=True)
    result = engines_compare.compare(duckdb_file, spark)
    assert result == {
        "core.t": {"rows_duckdb": 3, "rows_spark": 3, "max_relative_difference": 0.0},
    }
    assert engines_compare.main(["--duckdb", str(duckdb_file), "--spark-warehouse", str(spark)]) == 0


def test_numbers_within_tolerance_match(tmp_path: Path) -> None:
    rows = [(i, n, None if r is None else r * (1 + 1e-12), t) for i, n, r, t in ROWS]
    duckdb_file, spark = _build(tmp_path, rows)
    result = engines_compare.compare(duckdb_file, spark)["core.t"]
    assert "difference" not in result
    assert result["max_relative_difference"] == pytest.approx(1e-12, rel=1e-3)


@pytest.mark.parametrize(
    ("spark_rows", "expected"),
    [
        (ROWS[:2], "1 rows only in DuckDB, 0 only in Spark, 0 with numbers apart"),
        ([*ROWS[:2], ("c", 2, None, None)], "1 rows only in DuckDB, 1 only in Spark, 0 with numbers apart"),
        (
            [("a", 1, 0.25 * (1 + 1e-6), ROWS[0][3]), *ROWS[1:]],
            "0 rows only in DuckDB, 0 only in Spark, 1 with",
        ),
        (
            [("a", 1, None, ROWS[0][3]), *ROWS[1:]],
            "0 rows only in DuckDB, 0 only in Spark, 1 with numbers apart",
        ),
        ([("a", 1, 0.25, "2025-01-01 10:00:00.6"), *ROWS[1:]], "1 rows only in DuckDB, 1 only in Spark"),
    ],
    ids=["missing row", "other key", "number apart", "null on one side", "timestamp apart"],
)
def test_differences_are_reported(tmp_path: Path, spark_rows: list[tuple], expected: str) -> None:
    duckdb_file, spark = _build(tmp_path, spark_rows)
    assert engines_compare.compare(duckdb_file, spark)["core.t"]["difference"].startswith(expected)
    assert engines_compare.main(["--duckdb", str(duckdb_file), "--spark-warehouse", str(spark)]) == 1


def test_table_not_built_on_spark(tmp_path: Path) -> None:
    duckdb_file, spark = _build(tmp_path, ROWS)
    (spark / "core.db" / "t" / "part-0.parquet").unlink()
    assert engines_compare.compare(duckdb_file, spark)["core.t"] == {"difference": "not built on Spark"}
