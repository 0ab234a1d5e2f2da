"""Compare a DuckDB build with a Spark build of the same raw data, table by table (issue #21).

Spark (dbt-spark's session method) writes every table as Parquet under its warehouse dir
(`<warehouse>/<schema>.db/<table>/`); DuckDB reads those files back and compares them with the tables of the
DuckDB file. Every table of the compared schemas that both builds materialised is compared as a multiset of
rows:

- columns: the DuckDB table's, less the technical `_batch_at` (when a row was written) and the quarantined
  row's raw JSON (`_raw_row`, `raw_row`: the same values, but each engine writes JSON in its own format:
  timestamps, number formats and key order differ);
- text, integers, booleans, dates and timestamps must be equal (timestamps as naive UTC, integers as
  BIGINT);
- doubles and decimals (rates, money, seconds) may differ by 1e-9 relative (|a - b| <= 1e-9 * max(|a|,
  |b|)), or by 1e-12 absolute near zero; nulls must be null on both sides.

Rows are matched on their exact columns (and, among rows with the same exact columns, by their order on the
numeric ones), so a count or a key that differs is always reported. Views are not compared (Spark stores a
view's SQL, not its rows): every view here selects from the compared tables.

Exit code 0 when every compared table matches, 1 when any differs, 2 on a usage error.

Example: python -m scripts.engines_compare --duckdb target/test/warehouse/cx.duckdb \
    --spark-warehouse target/test/spark/warehouse
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import duckdb

log = logging.getLogger(__name__)

COMPARED_SCHEMAS = ("staging", "intermediate", "core", "outcomes")
LEFT_OUT_COLUMNS = {"_batch_at", "_raw_row", "raw_row"}
APPROXIMATE_TYPES = ("DOUBLE", "FLOAT", "REAL", "DECIMAL")
RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_TOLERANCE = 1e-12


def duckdb_tables(connection: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """schema.table → [(column, type)] of the base tables of the compared schemas in the DuckDB file."""
    rows = connection.execute(
        f"""
        select columns.table_schema || '.' || columns.table_name, columns.column_name, columns.data_type
        from information_schema.columns as columns
        inner join information_schema.tables as tables
            on columns.table_catalog = tables.table_catalog
            and columns.table_schema = tables.table_schema
            and columns.table_name = tables.table_name
        where columns.table_catalog = 'lhs' and tables.table_type = 'BASE TABLE'
            and columns.table_schema in ({", ".join("?" for _ in COMPARED_SCHEMAS)})
        order by 1, columns.ordinal_position
        """,
        list(COMPARED_SCHEMAS),
    ).fetchall()
    result: dict[str, list[tuple[str, str]]] = {}
    for relation, column, data_type in rows:
        result.setdefault(relation, []).append((column, data_type))
    return result


def _spark_files(spark_warehouse: Path, relation: str) -> Path | None:
    schema, table = relation.split(".")
    folder = spark_warehouse / f"{schema}.db" / table
    return folder if folder.is_dir() and any(folder.glob("*.parquet")) else None


def _normalised(column: str, data_type: str, spark_type: str | None) -> str:
    quoted = f'"{column}"'
    if spark_type and "WITH TIME ZONE" in spark_type:
        return f"timezone('UTC', {quoted})"
    if data_type.startswith(APPROXIMATE_TYPES):
        return f"cast({quoted} as double)"
    if data_type in ("INTEGER", "BIGINT", "SMALLINT", "TINYINT", "HUGEINT"):
        return f"cast({quoted} as bigint)"
    if data_type.startswith("TIMESTAMP"):
        return f"cast({quoted} as timestamp)"
    return quoted


def compare_table(
    connection: duckdb.DuckDBPyConnection, relation: str, columns: list[tuple[str, str]], files: Path
) -> dict[str, object]:
    """Rows of one table on both sides; the numbers of rows only left, only right and with numbers apart."""
    right = f"read_parquet('{files}/*.parquet')"
    described = connection.execute(f"describe select * from {right}").fetchall()
    spark_types = {name.lower(): data_type for name, data_type, *_ in described}
    compared = [(c, t) for c, t in columns if c not in LEFT_OUT_COLUMNS]
    missing = [c for c, _ in compared if c.lower() not in spark_types]
    if missing:
        return {"difference": f"columns missing on Spark: {', '.join(missing)}"}
    exact = [(c, t) for c, t in compared if not t.startswith(APPROXIMATE_TYPES)]
    approx = [(c, t) for c, t in compared if t.startswith(APPROXIMATE_TYPES)]

    def side(source: str, spark: bool) -> str:
        select = [
            f'{_normalised(c, t, spark_types.get(c.lower()) if spark else None)} as "{c}"'
            for c, t in compared
        ]
        partition = ", ".join(f'"{c}"' for c, _ in exact) or "1"
        order = ", ".join(f'"{c}"' for c, _ in approx) or "1"
        return (
            f"select *, row_number() over (partition by {partition} order by {order}) as _nth "
            f"from (select {', '.join(select)} from {source})"
        )

    match = " and ".join([f'l."{c}" is not distinct from r."{c}"' for c, _ in exact] + ["l._nth = r._nth"])
    apart = (
        " or ".join(
            f'(l."{c}" is null) <> (r."{c}" is null) or abs(l."{c}" - r."{c}") > greatest('
            f'{RELATIVE_TOLERANCE} * greatest(abs(l."{c}"), abs(r."{c}")), {ABSOLUTE_TOLERANCE})'
            for c, _ in approx
        )
        or "false"
    )
    relative = (
        "greatest("
        + ", ".join(
            f'coalesce(abs(l."{c}" - r."{c}") / nullif(greatest(abs(l."{c}"), abs(r."{c}")), 0), 0)'
            for c, _ in approx
        )
        + ")"
        if approx
        else "0"
    )
    left_count, right_count, only_left, only_right, numbers_apart, largest = connection.execute(
        f"""
        with l as ({side(f"lhs.{relation}", False)}), r as ({side(right, True)})
        select
            (select count(*) from l), (select count(*) from r),
            count(*) filter (where r._nth is null),
            count(*) filter (where l._nth is null),
            count(*) filter (where l._nth is not null and r._nth is not null and ({apart})),
            coalesce(max({relative}) filter (where l._nth is not null and r._nth is not null), 0)
        from l full outer join r on {match}
        """
    ).fetchall()[0]
    result: dict[str, object] = {
        "rows_duckdb": left_count,
        "rows_spark": right_count,
        "max_relative_difference": float(largest),
    }
    if only_left or only_right or numbers_apart:
        result["difference"] = (
            f"{only_left} rows only in DuckDB, {only_right} only in Spark, {numbers_apart} with numbers apart"
        )
    return result


def compare(duckdb_file: Path, spark_warehouse: Path) -> dict[str, dict[str, object]]:
    """Every compared table: row counts and, when it differs, how."""
    connection = duckdb.connect()
    results: dict[str, dict[str, object]] = {}
    try:
        connection.execute("set TimeZone = 'UTC'")
        connection.execute(f"attach '{duckdb_file}' as lhs (read_only)")
        for relation, columns in duckdb_tables(connection).items():
            files = _spark_files(spark_warehouse, relation)
            if files is None:
                results[relation] = {"difference": "not built on Spark"}
                continue
            results[relation] = compare_table(connection, relation, columns, files)
    finally:
        connection.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duckdb", type=Path, required=True, help="the DuckDB warehouse file")
    parser.add_argument(
        "--spark-warehouse", type=Path, required=True, help="spark.sql.warehouse.dir of the Spark build"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not args.duckdb.is_file() or not args.spark_warehouse.is_dir():
        log.error("error: no DuckDB file %s or no Spark warehouse %s", args.duckdb, args.spark_warehouse)
        return 2
    results = compare(args.duckdb, args.spark_warehouse)
    differing = {relation: r for relation, r in results.items() if "difference" in r}
    for relation, result in results.items():
        counts = (result.get("rows_duckdb", ""), result.get("rows_spark", ""))
        verdict = result.get("difference", "same")
        if result.get("max_relative_difference"):
            verdict += f" (numbers apart by up to {result['max_relative_difference']:.1e} relative)"
        log.info("%-52s %8s %8s  %s", relation, *counts, verdict)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    log.info(
        "%d tables compared, %d differ (tolerance: %g relative, %g absolute)",
        len(results),
        len(differing),
        RELATIVE_TOLERANCE,
        ABSOLUTE_TOLERANCE,
    )
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
