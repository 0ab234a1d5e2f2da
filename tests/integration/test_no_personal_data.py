"""SPEC §7: the published file holds no direct personal data in any schema.

Every name, email, phone and contact endpoint present in the raw test data (the columns the raw contract marks
`pii`, bad rows included), in its delivered form and in its normalised form (trimmed lower-case email, E.164
digits), is searched for in every VARCHAR and JSON column of every table and view of every schema of the
`make test-build` warehouse: as an exact value everywhere, and as a substring in columns that hold JSON
(quarantine's raw rows, event attributes). The count must be 0.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb

from scripts.ops import contract as raw_contract
from scripts.ops import salt, validate
from tests.conftest import PROJECT_DIR

# shortest normalised value searched for as a substring: shorter digit runs (a 3-digit "phone" of a bad row)
# would match inside unrelated numbers and ids
MIN_SUBSTRING_LENGTH = 6


def pii_columns() -> dict[str, list[str]]:
    """{raw table: [its personal-data columns]} from the raw contract (the one place they are declared)."""
    tables = raw_contract.load(PROJECT_DIR)
    found = {
        table: [column["name"] for column in spec["columns"] if column.get("pii")]
        for table, spec in tables.items()
    }
    return {table: columns for table, columns in found.items() if columns}


def raw_personal_values(raw_dir: Path) -> set[str]:
    """Every personal value in the raw landing zone, as delivered and normalised."""
    values: set[str] = set()
    connection = duckdb.connect()
    try:
        for table, columns in pii_columns().items():
            files = f"{raw_dir}/{table}/**/*.parquet"
            if not any((raw_dir / table).rglob("*.parquet")):
                continue  # a table a platform adapter delivers instead (SPEC §8.1)
            for column in columns:
                rows = connection.execute(
                    f"select distinct cast({column} as varchar) "
                    f"from read_parquet('{files}', union_by_name = true) where {column} is not null"
                ).fetchall()
                for (value,) in rows:
                    values.add(value)
                    values.add(value.strip())
                    values.add(value.strip().lower())
                    digits = re.sub(r"[^0-9]", "", value)
                    if len(digits) >= MIN_SUBSTRING_LENGTH:
                        values.add(digits)
    finally:
        connection.close()
    return {value for value in values if value.strip()}


def _holds_json(connection: duckdb.DuckDBPyConnection, source: str, column: str, data_type: str) -> bool:
    """A JSON column, or a text column whose values are JSON objects (quarantine's raw_row, attributes)."""
    if data_type == "JSON":
        return True
    sample = f"select {column} as v from {source} where {column} is not null limit 100"
    return connection.execute(
        f"select count(*) > 0 from ({sample}) where ltrim(cast(v as varchar)) like '{{%'"
    ).fetchone()[0]


def scan(warehouse: Path, values: set[str]) -> dict[str, int]:
    """{schema.relation.column: rows holding a personal value} for every hit in the warehouse."""
    connection = duckdb.connect()
    try:
        connection.execute(f"attach '{warehouse}' as wh (read_only)")
        connection.execute("create temp table pii_values (value varchar)")
        connection.executemany("insert into pii_values values (?)", [(value,) for value in sorted(values)])
        connection.execute(
            "create temp table pii_substrings as select value from pii_values "
            f"where length(value) >= {MIN_SUBSTRING_LENGTH}"
        )
        columns = connection.execute(
            """
            select table_schema, table_name, column_name, data_type
            from information_schema.columns
            where table_catalog = 'wh' and (data_type = 'VARCHAR' or data_type = 'JSON')
            order by all
            """
        ).fetchall()
        assert len(columns) > 50, "the scan found too few text columns: is this the built warehouse?"
        hits: dict[str, int] = {}
        for schema, relation, column, data_type in columns:
            source = f'wh."{schema}"."{relation}"'
            text = f'cast("{column}" as varchar)'
            exact = connection.execute(
                f"select count(*) from {source} where {text} in (select value from pii_values)"
            ).fetchone()[0]
            inside = 0
            if _holds_json(connection, source, f'"{column}"', data_type):
                inside = connection.execute(
                    f"""
                    with texts as (select distinct {text} as text from {source} where {text} is not null)
                    select count(*) from texts
                    where exists (
                        select 1 from pii_substrings where contains(texts.text, pii_substrings.value)
                    )
                    """
                ).fetchone()[0]
            if exact or inside:
                hits[f"{schema}.{relation}.{column}"] = exact + inside
        return hits
    finally:
        connection.close()


def test_raw_test_data_carries_personal_data(test_raw_dir: Path):
    # the scan below is only meaningful when there is something to find
    values = raw_personal_values(test_raw_dir)
    assert len(values) > 1000
    assert "bad.row@example.com" in values  # a quarantined customer's email (scripts/simulation/bad_rows.py)


def test_no_personal_value_anywhere_in_the_warehouse(test_warehouse: Path, test_raw_dir: Path):
    hits = scan(test_warehouse, raw_personal_values(test_raw_dir))
    assert hits == {}, f"personal data in the warehouse (column: rows): {hits}"


def test_quarantined_rows_keep_their_fields_with_hashes(warehouse_conn):
    # a bad customer row stays recognisable (key, reason, every other field), its name, email and phone hashed
    rows = warehouse_conn.execute(
        "select record_key, reason, raw_row from staging.quarantine where table_name = 'customers'"
    ).fetchall()
    assert rows, "no quarantined customer row: the bad-rows generator changed"
    for record_key, reason, raw_row in rows:
        record = json.loads(raw_row)
        expected_fields = {"customer_id", "full_name", "email", "phone", "segment", "region", "updated_at"}
        assert expected_fields <= set(record)
        assert record_key and reason
        for column in ("full_name", "email", "phone"):
            assert record[column] is None or re.fullmatch(r"[0-9a-f]{32}", record[column]), (column, record)


def test_no_view_holds_the_hash_salt(warehouse_conn):
    # a view stores its SQL in the file; a salt in it would let whoever opens the file brute-force the hashes
    check = validate.check_salt_not_stored(warehouse_conn, salt.resolve(PROJECT_DIR).value)
    assert check.status == "pass", check.detail
