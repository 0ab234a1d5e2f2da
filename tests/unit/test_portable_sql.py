"""Models and data tests use portable SQL: DuckDB-only syntax lives behind dispatched macros (issue #21).

The same project builds on DuckDB and on Apache Spark (docs/scale-out.md). A DuckDB-only construct written
straight into a model or a SQL data test would break the Spark build, so this scans their SQL (comments and
Jinja notes removed) for a list of DuckDB-only tokens. Where DuckDB and Spark differ, the construct goes
into a macro of macros/ with `default__`/`duckdb__` and `spark__` implementations (adapter.dispatch), which
this test does not scan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).absolute().parents[2]
SCANNED = ("models", "tests/data_tests")

# token → what to use instead
DUCKDB_ONLY = {
    r"::": "cast(x as type)",
    r"\bvarchar\b": "{{ dbt.type_string() }} (Spark's varchar needs a length)",
    r"\btimestamptz\b": "naive UTC timestamps (cx_parse_timestamp)",
    r"\bhugeint\b": "bigint or decimal(38, 0)",
    r"\blist_\w+\s*\(": "a dispatched macro",
    r"\blist\s*\(": "a dispatched macro",
    r"\bstruct_pack\s*\(": "cx_row_to_json",
    r"\bjson_extract\w*\s*\(": "cx_json_text",
    r"\bjson_(valid|type)\s*\(": "cx_is_json_object",
    r"\barg_(max|min)\s*\(": "max_by / min_by",
    r"\bepoch\w*\s*\(": "cx_seconds_between",
    r"\bstr[fp]time\s*\(": "a dispatched macro",
    r"(?<!dbt\.)\bgenerate_series\s*\(": "dbt.generate_series or cx_date_spine",
    r"\bunnest\s*\(": "a dispatched macro",
    r"\btry_cast\s*\(": "cx_safe_cast",
    r"\bread_parquet\s*\(": "source()",
    r"\bregexp_(matches|full_match)\s*\(": "a dispatched macro",
    r"\bregexp_replace\s*\(": "cx_regexp_replace_all (DuckDB replaces the first match only)",
    r"\bisodow\b": "cx_iso_day_of_week",
    r"\bproduct\s*\(": "cx_cumulative_product",
    r"\bstring_agg\s*\(": "dbt.listagg",
    r"(?<!dbt\.)(?<!cx_)\bhash\s*\(": "dbt.hash or cx_key_hash",
    r"\bdate_diff\s*\(": "dbt.datediff or cx_seconds_between",
    r"\bexclude\s*\(": "name the columns",
    r"\btimezone\s*\(": "cx_to_reporting_date / cx_parse_timestamp",
    r"\binsert\s+or\s+replace\b": "a dispatched macro",
}
COMMENTS = re.compile(r"\{#.*?#\}|--[^\n]*", re.DOTALL)


def _sql_files() -> list[Path]:
    return sorted(path for folder in SCANNED for path in (ROOT / folder).rglob("*.sql"))


def test_scanned_files_exist() -> None:
    assert len(_sql_files()) > 50


@pytest.mark.parametrize("path", _sql_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_duckdb_only_syntax(path: Path) -> None:
    text = COMMENTS.sub("", path.read_text())
    found = [
        f"{match.group(0)!r} (use {instead})"
        for token, instead in DUCKDB_ONLY.items()
        for match in re.finditer(token, text, flags=re.IGNORECASE)
    ]
    assert not found, f"{path.relative_to(ROOT)}: DuckDB-only syntax: " + "; ".join(found)
