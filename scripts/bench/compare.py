"""Compare two built warehouses table by table: does a change leave every table's rows as they were?

Every table and view of the compared schemas (staging, intermediate, core, outcomes) is compared as a
multiset of rows, leaving out the technical columns that only record when a row was written (`_batch_at`).

Two methods:
  exact        `EXCEPT ALL` both ways: the number of rows only on each side. Exact, but at scale L the
               60 M-row events table spills and runs for over an hour on two cores.
  fingerprint  per table the row count and the sum of the 64-bit hashes of its rows (duplicates count).
               Reads each table once: the whole L warehouse in minutes. Two different multisets give the
               same sum only by a hash collision, so an equal fingerprint is strong evidence, not proof;
               a different one proves a difference.

Exit code 0 when every table matches, 1 when any differs (each difference listed), 2 on a usage error.

Example: python -m scripts.bench.compare old.duckdb new.duckdb --method fingerprint
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import duckdb

# Technical columns that record *when* a row was (re)written, not what it says (cx_batch_at).
TECHNICAL_COLUMNS = {"_batch_at"}
# The result schemas. Not `changes`: its tables hold the keys one run recomputed (run state, empty after a
# full refresh), not what the data says; not `reference` (seeds) nor `ops` (run records).
COMPARED_SCHEMAS = ("staging", "intermediate", "core", "outcomes")


def tables(connection: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, list[str]]:
    """schema.table → compared columns (technical columns left out) of one attached warehouse."""
    rows = connection.execute(
        f"""
        select table_schema || '.' || table_name, column_name
        from information_schema.columns
        where table_catalog = ? and table_schema in ({", ".join("?" for _ in COMPARED_SCHEMAS)})
        order by table_schema, table_name, ordinal_position
        """,
        [catalog, *COMPARED_SCHEMAS],
    ).fetchall()
    result: dict[str, list[str]] = {}
    for relation, column in rows:
        if column not in TECHNICAL_COLUMNS:
            result.setdefault(relation, []).append(column)
    return result


def _exact(connection: duckdb.DuckDBPyConnection, relation: str, columns: str) -> str | None:
    left_rows = f"select {columns} from lhs.{relation}"
    right_rows = f"select {columns} from rhs.{relation}"
    only_left, only_right = connection.execute(
        f"select (select count(*) from ({left_rows} except all {right_rows})), "
        f"(select count(*) from ({right_rows} except all {left_rows}))"
    ).fetchone()
    return f"{only_left} rows only left, {only_right} rows only right" if only_left or only_right else None


def _fingerprint(connection: duckdb.DuckDBPyConnection, relation: str, columns: str) -> str | None:
    sides = [
        connection.execute(
            f"select count(*), sum(hash({columns})::hugeint) from {catalog}.{relation}"
        ).fetchone()
        for catalog in ("lhs", "rhs")
    ]
    (left_count, left_sum), (right_count, right_sum) = sides
    if left_count != right_count:
        return f"{left_count} rows left, {right_count} rows right"
    return "same row count, different rows (row-hash sums differ)" if left_sum != right_sum else None


METHODS = {"exact": _exact, "fingerprint": _fingerprint}


def compare_warehouses(
    left: Path,
    right: Path,
    *,
    method: str = "exact",
    progress: bool = False,
    memory_limit: str | None = None,
    spill_dir: Path | None = None,
) -> dict[str, str]:
    """Compare every table (as multisets of rows) of the compared schemas; {} when identical."""
    check = METHODS[method]
    connection = duckdb.connect()
    differences: dict[str, str] = {}
    try:
        connection.execute("set preserve_insertion_order = false")
        if memory_limit:
            connection.execute(f"set memory_limit = '{memory_limit}'")
        if spill_dir:
            connection.execute(f"set temp_directory = '{spill_dir}'")
        connection.execute(f"attach '{left}' as lhs (read_only)")
        connection.execute(f"attach '{right}' as rhs (read_only)")
        left_tables, right_tables = tables(connection, "lhs"), tables(connection, "rhs")
        for relation in sorted(set(left_tables) ^ set(right_tables)):
            differences[relation] = "only in " + ("left" if relation in left_tables else "right")
        common = sorted(set(left_tables) & set(right_tables))
        for number, relation in enumerate(common, start=1):
            started = time.perf_counter()
            if left_tables[relation] != right_tables[relation]:
                difference = "different columns"
            else:
                difference = check(connection, relation, ", ".join(f'"{c}"' for c in left_tables[relation]))
            if difference:
                differences[relation] = difference
            if progress:
                verdict = "DIFFERS" if difference else "same"
                elapsed = time.perf_counter() - started
                print(f"[{number}/{len(common)}] {relation}: {verdict} ({elapsed:.1f} s)", flush=True)
    finally:
        connection.close()
    return differences


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench.compare",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("left", type=Path, help="a built warehouse file (e.g. the old code's build)")
    parser.add_argument("right", type=Path, help="the other warehouse file (e.g. the new code's build)")
    parser.add_argument(
        "--method",
        choices=sorted(METHODS),
        default="fingerprint",
        help="how to compare (default: fingerprint)",
    )
    parser.add_argument(
        "--memory-limit",
        default=os.environ.get("CX_MEMORY_LIMIT", "6GB"),
        help="DuckDB memory_limit, spilling beyond it (default: CX_MEMORY_LIMIT or 6GB)",
    )
    args = parser.parse_args(argv)
    for path in (args.left, args.right):
        if not path.is_file():
            parser.error(f"{path} does not exist; pass the path of a built warehouse (.duckdb) file")
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory(prefix="cx_compare_spill_") as spill:
            differences = compare_warehouses(
                args.left,
                args.right,
                method=args.method,
                progress=True,
                memory_limit=args.memory_limit,
                spill_dir=Path(spill),
            )
    except duckdb.Error as error:
        print(f"error: cannot compare the warehouses: {error}".splitlines()[0], file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    if not differences:
        print(f"every table matches ({args.method}, {elapsed:.0f} s)")
        return 0
    print(f"{len(differences)} table(s) differ ({args.method}, {elapsed:.0f} s):")
    for relation, difference in differences.items():
        print(f"  {relation}: {difference}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
