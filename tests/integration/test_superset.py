"""A real BI client: Apache Superset reads the marts read-only and shows the same figures the marts hold.

Slow (Superset's first start initialises its metadata DB: ~3 min), so it runs only from
`make test-superset`, which sets CX_SUPERSET_TEST=1 and builds .venv-superset (Superset 6.1 + duckdb-engine +
DuckDB 1.4: it also proves that the warehouse written by DuckDB 2.0 with storage_compatibility_version
v1.4.0 opens in a BI tool's DuckDB 1.4).
"""

from __future__ import annotations

import math
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from scripts import superset_setup
from scripts.ops import metrics

pytestmark = pytest.mark.slow

VENV = Path(os.environ.get("CX_SUPERSET_VENV", superset_setup.DEFAULT_VENV))
# CX_SUPERSET_TEST_HOME reuses a Superset home (faster); its admin password is the one it was made with
PASSWORD = os.environ.get("CX_SUPERSET_TEST_PASSWORD", "cx-superset-test")

# the dashboard's big numbers: each shows its metric as the semantic layer defines it (scripts/ops/metrics.py)
BIG_NUMBERS = {chart.name: chart for chart in superset_setup.CHARTS if chart.viz_type == "big_number_total"}


def _figure_sql(chart: superset_setup.ChartSpec, warehouse: Path) -> str:
    """The chart's metric over its whole mart, as SQL from the semantic layer."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        columns = [
            row[0]
            for row in con.execute(
                "select column_name from information_schema.columns where table_name = ?", [chart.dataset]
            ).fetchall()
        ]
    finally:
        con.close()
    expression = metrics.load().sql(chart.metrics[0], chart.dataset, columns)
    assert expression, f"{chart.name}: {chart.metrics[0]} cannot be computed on {chart.dataset}"
    return f"select {expression} as v from outcomes.{chart.dataset}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _close(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


@pytest.fixture(scope="module")
def warehouse() -> Path:
    if os.environ.get("CX_SUPERSET_TEST") != "1":
        pytest.skip("slow Superset test: run it with `make test-superset`")
    if not (VENV / "bin" / "superset").exists():
        pytest.skip(f"{VENV} is missing: run `make superset-venv`")
    path = os.environ.get("CX_TEST_WAREHOUSE")
    if not path or not Path(path).exists():
        pytest.skip("CX_TEST_WAREHOUSE is not set or not built (run `make test-build`)")
    return Path(path)


@pytest.fixture(scope="module")
def superset(
    warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[superset_setup.SupersetClient, superset_setup.SetupResult]]:
    home = Path(os.environ.get("CX_SUPERSET_TEST_HOME") or tmp_path_factory.mktemp("superset_home"))
    superset_setup.init_metadata(VENV, home, PASSWORD)
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = superset_setup.start_server(VENV, home, port)
    try:
        superset_setup.wait_until_healthy(base_url, server)
        yield superset_setup.configure(base_url, warehouse, PASSWORD)
    finally:
        superset_setup.stop_server(server)


def _direct(warehouse: Path, sql: str) -> object:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def test_marts_registered_read_only(warehouse: Path, superset) -> None:
    client, result = superset
    database = client.request("GET", f"/api/v1/database/{result.database_id}/connection")["result"]
    assert "access_mode=read_only" in database["sqlalchemy_uri"]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        marts = {
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'outcomes'"
            ).fetchall()
        }
    finally:
        con.close()
    assert set(result.datasets) == marts
    assert len(result.charts) == len(superset_setup.CHARTS)
    dashboard = client.request("GET", f"/api/v1/dashboard/{result.dashboard_id}")["result"]
    assert dashboard["slug"] == superset_setup.DASHBOARD_SLUG
    charts_on_dashboard = client.request("GET", f"/api/v1/dashboard/{result.dashboard_id}/charts")["result"]
    assert {chart["slice_name"] for chart in charts_on_dashboard} == set(result.charts)


def test_sql_lab_figures_equal_the_marts(warehouse: Path, superset) -> None:
    client, result = superset
    for name, chart in BIG_NUMBERS.items():
        sql = _figure_sql(chart, warehouse)
        via_superset = client.sql(result.database_id, sql)["data"][0]["v"]
        direct = _direct(warehouse, sql)
        assert _close(via_superset, direct), f"{name}: Superset {via_superset} != DuckDB {direct}"


def test_sql_lab_rows_equal_the_mart(warehouse: Path, superset) -> None:
    client, result = superset
    sql = (
        "select ai_interaction_type, sum(matured_journeys) as matured, sum(fcr_journeys) as fcr "
        "from outcomes.mart_first_contact_resolution group by 1 order by 1"
    )
    rows = client.sql(result.database_id, sql)["data"]
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        direct = con.execute(sql).fetchall()
    finally:
        con.close()
    assert [(row["ai_interaction_type"], row["matured"], row["fcr"]) for row in rows] == [
        (name, int(matured), int(fcr)) for name, matured, fcr in direct
    ]


def test_dashboard_charts_return_the_mart_figures(warehouse: Path, superset) -> None:
    client, result = superset
    for chart_name, chart_id in result.charts.items():
        payload = client.request("GET", f"/api/v1/chart/{chart_id}/data/")
        query = payload["result"][0]
        assert query.get("error") is None, f"{chart_name}: {query.get('error')}"
        assert query["rowcount"] > 0, f"{chart_name}: no rows"
        if chart_name in BIG_NUMBERS:
            (value,) = query["data"][0].values()
            direct = _direct(warehouse, _figure_sql(BIG_NUMBERS[chart_name], warehouse))
            assert _close(value, direct), f"{chart_name}: dashboard {value} != mart {direct}"


def test_superset_holds_no_lock_between_queries(warehouse: Path, superset) -> None:
    """Superset opens the file read-only per query (no pooled connection), so even a writer can open it."""
    client, result = superset
    client.sql(result.database_id, "select count(*) as n from outcomes.mart_voice_security")
    con = duckdb.connect(str(warehouse))  # read-write: fails with a lock error if anyone holds the file
    con.close()
