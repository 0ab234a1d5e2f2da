"""Run Apache Superset against the warehouse, read-only, with the marts as datasets and a headline dashboard.

Superset lives in its own virtualenv (`make superset-venv` → .venv-superset: it pins SQLAlchemy 1.4, pandas
2.1 and numpy < 2.3, which do not fit the main env). This script runs with the main env's Python and drives
Superset through its CLI (metadata DB, admin user) and its REST API (database, datasets, saved metrics,
charts, dashboard) — all idempotent, so running it again updates rather than duplicates.

The warehouse is registered through duckdb-engine as `duckdb:///<path>?access_mode=read_only`: Superset never
takes DuckDB's single-writer lock, so the nightly build (which publishes by atomic rename) and other readers
are never blocked, and Superset can never change the warehouse.

    python -m scripts.superset_setup --warehouse warehouse/cx.duckdb --serve      # what `make superset` runs

Superset's own state (SQLite metadata DB, config, secret key) goes to --home (default target/superset).
Local use only: it listens on 127.0.0.1 with an admin user whose password comes from SUPERSET_ADMIN_PASSWORD
(default `admin`).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import logging
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.ops import metrics

log = logging.getLogger("cx.superset")

DEFAULT_VENV = Path(".venv-superset")
DEFAULT_HOME = Path("target/superset")
DEFAULT_PORT = 8088
DATABASE_NAME = "CX warehouse (read-only)"
DASHBOARD_TITLE = "CX outcomes: resolution, not deflection"
DASHBOARD_SLUG = "cx-outcomes"
ADMIN_USER = "admin"


def saved_metrics(table: str, columns: list[str]) -> list[tuple[str, str, str, str]]:
    """[(metric_name, verbose name, SQL expression, d3 format)] of a mart dataset: every metric of the
    semantic layer (models/semantic, read by scripts/ops/metrics.py) that the mart's columns can compute.
    Every rate is Σ numerator / Σ denominator there, so any filter or grouping in Superset stays correct."""
    layer = metrics.load()
    return [
        (metric.name, metric.label, layer.sql(metric.name, table, columns) or "", metric.d3format)
        for metric in layer.available(table, columns)
    ]


@dataclass
class ChartSpec:
    """A dashboard chart: one saved-metric query on one mart."""

    name: str
    dataset: str
    viz_type: str
    metrics: list[str]
    groupby: list[str] = field(default_factory=list)
    x_axis: str | None = None
    time_grain: str | None = None
    width: int = 3
    height: int = 40


CHARTS: list[ChartSpec] = [
    ChartSpec("FCR rate", "mart_first_contact_resolution", "big_number_total", ["fcr_rate"]),
    ChartSpec(
        "Bot containment rate (legacy)",
        "mart_deflection_vs_resolution",
        "big_number_total",
        ["bot_containment_rate"],
    ),
    ChartSpec(
        "False containment rate",
        "mart_deflection_vs_resolution",
        "big_number_total",
        ["false_containment_rate"],
    ),
    ChartSpec("Mean CES", "mart_customer_effort", "big_number_total", ["avg_ces"]),
    ChartSpec("90-day retention", "mart_retention_by_ai_type", "big_number_total", ["retention_rate_90d"]),
    ChartSpec("Revenue protected", "mart_revenue_protected", "big_number_total", ["revenue_protected"]),
    ChartSpec("Voice-risk precision", "mart_voice_security", "big_number_total", ["voice_risk_precision"]),
    ChartSpec("Voice-risk recall", "mart_voice_security", "big_number_total", ["voice_risk_recall"]),
    ChartSpec(
        "FCR vs containment by month",
        "mart_deflection_vs_resolution",
        "echarts_timeseries_line",
        ["fcr_rate", "bot_containment_rate", "contained_resolution_rate"],
        x_axis="attempt_date",
        time_grain="P1M",
        width=6,
        height=60,
    ),
    ChartSpec(
        "Resolution by AI interaction type",
        "mart_first_contact_resolution",
        "table",
        ["fcr_rate", "resolution_rate", "repeat_contact_rate", "matured_journeys"],
        groupby=["ai_interaction_type"],
        width=6,
        height=60,
    ),
    ChartSpec(
        "Retention by AI interaction type",
        "mart_retention_by_ai_type",
        "table",
        ["retention_rate_30d", "retention_rate_60d", "retention_rate_90d"],
        groupby=["ai_interaction_type"],
        width=6,
        height=60,
    ),
    ChartSpec(
        "Revenue by AI interaction type",
        "mart_revenue_protected",
        "table",
        ["revenue_at_risk", "revenue_retained", "revenue_protected"],
        groupby=["ai_interaction_type"],
        width=6,
        height=60,
    ),
]


# --------------------------------------------------------------------------------------------- processes


def superset_env(home: Path) -> dict[str, str]:
    """Environment for Superset's CLI and server: its config, home and secret key all under `home`."""
    home.mkdir(parents=True, exist_ok=True)
    key_file = home / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(42), encoding="utf-8")
    config = home / "superset_config.py"
    config.write_text(
        "\n".join(
            [
                "# Written by scripts/superset_setup.py: local, single-user Superset for the CX warehouse.",
                "import os",
                f"SECRET_KEY = open({str(key_file.resolve())!r}).read().strip()",
                f"SQLALCHEMY_DATABASE_URI = 'sqlite:///{(home / 'superset.db').resolve()}'",
                "# The warehouse is registered read-only (access_mode=read_only); Superset never writes it.",
                "PREVENT_UNSAFE_DB_CONNECTIONS = True",
                "TALISMAN_ENABLED = False",
                "FEATURE_FLAGS = {'DASHBOARD_RBAC': False}",
                "SQLLAB_TIMEOUT = 120",
                "RATELIMIT_ENABLED = False",
                "",
            ]
        ),
        encoding="utf-8",
    )
    env = {**os.environ}
    env.update(
        {
            "SUPERSET_CONFIG_PATH": str(config.resolve()),
            "SUPERSET_HOME": str(home.resolve()),
            "FLASK_APP": "superset",
            "PYTHONWARNINGS": "ignore",
        }
    )
    return env


def superset_bin(venv: Path) -> Path:
    binary = venv / "bin" / "superset"
    if not binary.exists():
        raise FileNotFoundError(f"{binary} not found: run `make superset-venv` first")
    return binary


def init_metadata(venv: Path, home: Path, password: str) -> None:
    """Create Superset's metadata DB, the admin user and the default roles (once per home)."""
    stamp = home / ".initialised"
    if stamp.exists():
        return
    env = superset_env(home)
    binary = str(superset_bin(venv))
    steps = [
        [binary, "db", "upgrade"],
        [
            binary,
            "fab",
            "create-admin",
            "--username",
            ADMIN_USER,
            "--firstname",
            "CX",
            "--lastname",
            "Analyst",
            "--email",
            "admin@localhost",
            "--password",
            password,
        ],
        [binary, "init"],
    ]
    for step in steps:
        log.info("superset %s", " ".join(step[1:3]))
        result = subprocess.run(step, env=env, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"`superset {' '.join(step[1:3])}` failed:\n{result.stderr[-3000:]}")
    stamp.write_text("ok\n", encoding="utf-8")


def start_server(venv: Path, home: Path, port: int, log_file: Path | None = None) -> subprocess.Popen[bytes]:
    """Start Superset's web server on 127.0.0.1:port (returns at once; see wait_until_healthy)."""
    env = superset_env(home)
    output = open(log_file or home / "server.log", "wb")  # noqa: SIM115 - lives as long as the server
    return subprocess.Popen(
        [str(superset_bin(venv)), "run", "-h", "127.0.0.1", "-p", str(port), "--with-threads"],
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def wait_until_healthy(
    base_url: str, process: subprocess.Popen[bytes] | None = None, timeout: float = 180
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"Superset exited with code {process.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(f"{base_url}/health", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    raise TimeoutError(f"Superset did not answer {base_url}/health within {timeout:.0f} s")


# --------------------------------------------------------------------------------------------- REST API


class SupersetClient:
    """Minimal Superset REST client (stdlib only): JWT login, CSRF token, JSON requests."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.headers: dict[str, str] = {"Content-Type": "application/json", "Referer": self.base_url}

    def request(self, method: str, path: str, payload: Any = None, query: Any = None) -> Any:
        url = f"{self.base_url}{path}"
        if query is not None:
            url += "?q=" + urllib.parse.quote(to_rison(query))
        data = json.dumps(payload).encode() if payload is not None else None
        headers = dict(self.headers)
        if data is None:
            headers.pop("Content-Type")  # a bodiless GET announcing JSON is a 400 in Flask
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=120) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            detail = error.read().decode(errors="replace")[:2000]
            raise RuntimeError(f"{method} {path} → HTTP {error.code}: {detail}") from error
        return json.loads(body) if body else None

    def login(self, username: str, password: str) -> None:
        token = self.request(
            "POST",
            "/api/v1/security/login",
            {"username": username, "password": password, "provider": "db", "refresh": True},
        )["access_token"]
        self.headers["Authorization"] = f"Bearer {token}"
        self.headers["X-CSRFToken"] = self.request("GET", "/api/v1/security/csrf_token/")["result"]

    def list_all(self, resource: str, columns: list[str]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        page = 0
        while True:
            result = self.request(
                "GET",
                f"/api/v1/{resource}/",
                query={"columns": columns, "page": page, "page_size": 100},
            )["result"]
            rows.extend(result)
            if len(result) < 100:
                return rows
            page += 1

    def sql(self, database_id: int, sql: str, schema: str = "outcomes") -> dict[str, Any]:
        """Run `sql` through SQL Lab (synchronously) and return its JSON payload (columns, data)."""
        return self.request(
            "POST",
            "/api/v1/sqllab/execute/",
            {
                "database_id": database_id,
                "sql": sql,
                "schema": schema,
                "runAsync": False,
                "queryLimit": 10000,
                "client_id": secrets.token_hex(5),
            },
        )


def to_rison(value: Any) -> str:
    """Encode the small subset of Rison that Superset's list endpoints need (dicts, lists, str, int)."""
    if isinstance(value, dict):
        return "(" + ",".join(f"{key}:{to_rison(item)}" for key, item in value.items()) + ")"
    if isinstance(value, list):
        return "!(" + ",".join(to_rison(item) for item in value) + ")"
    if isinstance(value, bool):
        return "!t" if value else "!f"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if text and all(ch.isalnum() or ch in "-_./~" for ch in text) and not text[0].isdigit():
        return text
    return "'" + text.replace("!", "!!").replace("'", "!'") + "'"


def warehouse_uri(warehouse: Path) -> str:
    return f"duckdb:///{warehouse.resolve()}?access_mode=read_only"


def ensure_database(client: SupersetClient, warehouse: Path) -> int:
    payload = {
        "database_name": DATABASE_NAME,
        "sqlalchemy_uri": warehouse_uri(warehouse),
        "expose_in_sqllab": True,
        "allow_run_async": False,
        "allow_dml": False,
        "allow_file_upload": False,
    }
    for row in client.list_all("database", ["id", "database_name"]):
        if row["database_name"] == DATABASE_NAME:
            client.request("PUT", f"/api/v1/database/{row['id']}", payload)
            return int(row["id"])
    return int(client.request("POST", "/api/v1/database/", payload)["id"])


def list_marts(client: SupersetClient, database_id: int) -> list[str]:
    """The tables of schema `outcomes`, as Superset (DuckDB 1.4 via duckdb-engine) sees them."""
    result = client.sql(
        database_id,
        "select table_name from information_schema.tables"
        " where table_schema = 'outcomes' order by table_name",
    )
    return [row["table_name"] for row in result["data"]]


def ensure_datasets(client: SupersetClient, database_id: int, tables: list[str]) -> dict[str, int]:
    existing = {
        (row["schema"], row["table_name"]): int(row["id"])
        for row in client.list_all("dataset", ["id", "schema", "table_name", "database.id"])
        if row.get("database", {}).get("id") == database_id
    }
    datasets: dict[str, int] = {}
    for table in tables:
        dataset_id = existing.get(("outcomes", table))
        if dataset_id is None:
            dataset_id = int(
                client.request(
                    "POST",
                    "/api/v1/dataset/",
                    {"database": database_id, "schema": "outcomes", "table_name": table},
                )["id"]
            )
        datasets[table] = dataset_id
        ensure_metrics(client, dataset_id, table)
    return datasets


def ensure_metrics(client: SupersetClient, dataset_id: int, table: str) -> None:
    dataset = client.request("GET", f"/api/v1/dataset/{dataset_id}")["result"]
    wanted = saved_metrics(table, [column["column_name"] for column in dataset["columns"]])
    if not wanted:
        return
    current = dataset["metrics"]
    by_name = {metric["metric_name"]: metric for metric in current}
    payload = [
        {"id": metric["id"], "metric_name": metric["metric_name"], "expression": metric["expression"]}
        for metric in current
        if metric["metric_name"] not in {name for name, *_ in wanted}
    ]
    for name, verbose, expression, d3format in wanted:
        entry = {"metric_name": name, "verbose_name": verbose, "expression": expression, "d3format": d3format}
        if name in by_name:
            entry["id"] = by_name[name]["id"]
        payload.append(entry)
    client.request("PUT", f"/api/v1/dataset/{dataset_id}", {"metrics": payload})


def chart_params(spec: ChartSpec, dataset_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(form data, query context) of a chart, the way Superset's Explore view stores them."""
    datasource = f"{dataset_id}__table"
    params: dict[str, Any] = {"datasource": datasource, "viz_type": spec.viz_type}
    columns: list[Any] = list(spec.groupby)
    if spec.viz_type == "big_number_total":
        params.update({"metric": spec.metrics[0], "header_font_size": 0.3, "subheader_font_size": 0.15})
    elif spec.viz_type == "table":
        params.update(
            {"query_mode": "aggregate", "groupby": spec.groupby, "metrics": spec.metrics, "row_limit": 1000}
        )
    else:
        params.update(
            {
                "x_axis": spec.x_axis,
                "time_grain_sqla": spec.time_grain,
                "metrics": spec.metrics,
                "groupby": spec.groupby,
                "row_limit": 10000,
                "y_axis_format": ".0%",
                "show_legend": True,
                "markerEnabled": True,
            }
        )
        columns = [
            {
                "columnType": "BASE_AXIS",
                "sqlExpression": spec.x_axis,
                "label": spec.x_axis,
                "expressionType": "SQL",
                "timeGrain": spec.time_grain,
            },
            *spec.groupby,
        ]
    query = {
        "columns": columns,
        "metrics": spec.metrics,
        "filters": [],
        "extras": {"having": "", "where": ""},
        "row_limit": 10000,
        "orderby": [],
    }
    if spec.x_axis:
        query["orderby"] = [[spec.x_axis, True]]
    query_context = {
        "datasource": {"id": dataset_id, "type": "table"},
        "force": False,
        "queries": [query],
        "form_data": params,
        "result_format": "json",
        "result_type": "full",
    }
    return params, query_context


def ensure_dashboard(client: SupersetClient, datasets: dict[str, int]) -> tuple[int, dict[str, int]]:
    """Create or update the headline dashboard and its charts; returns (dashboard id, chart ids by name)."""
    dashboards = client.list_all("dashboard", ["id", "dashboard_title", "slug"])
    dashboard_id = next((int(row["id"]) for row in dashboards if row["slug"] == DASHBOARD_SLUG), None)
    if dashboard_id is None:
        dashboard_id = int(
            client.request(
                "POST",
                "/api/v1/dashboard/",
                {"dashboard_title": DASHBOARD_TITLE, "slug": DASHBOARD_SLUG, "published": True},
            )["id"]
        )
    existing = {row["slice_name"]: int(row["id"]) for row in client.list_all("chart", ["id", "slice_name"])}
    chart_ids: dict[str, int] = {}
    for spec in CHARTS:
        if spec.dataset not in datasets:
            log.warning("chart %r skipped: %s is not in the warehouse yet", spec.name, spec.dataset)
            continue
        params, query_context = chart_params(spec, datasets[spec.dataset])
        payload = {
            "slice_name": spec.name,
            "viz_type": spec.viz_type,
            "datasource_id": datasets[spec.dataset],
            "datasource_type": "table",
            "params": json.dumps(params),
            "query_context": json.dumps(query_context),
            "dashboards": [dashboard_id],
        }
        if spec.name in existing:
            client.request("PUT", f"/api/v1/chart/{existing[spec.name]}", payload)
            chart_ids[spec.name] = existing[spec.name]
        else:
            chart_ids[spec.name] = int(client.request("POST", "/api/v1/chart/", payload)["id"])
    client.request(
        "PUT",
        f"/api/v1/dashboard/{dashboard_id}",
        {
            "dashboard_title": DASHBOARD_TITLE,
            "published": True,
            "position_json": json.dumps(dashboard_layout(chart_ids)),
            "json_metadata": json.dumps({"color_scheme": "supersetColors", "refresh_frequency": 0}),
        },
    )
    return dashboard_id, chart_ids


def dashboard_layout(chart_ids: dict[str, int]) -> dict[str, Any]:
    """Superset's v2 grid: the charts in CHARTS order, packed into rows of 12 columns."""
    layout: dict[str, Any] = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": DASHBOARD_TITLE}},
    }
    row_id, used = None, 12
    for index, spec in enumerate(spec for spec in CHARTS if spec.name in chart_ids):
        if used + spec.width > 12:
            row_id, used = f"ROW-{index}", 0
            layout["GRID_ID"]["children"].append(row_id)
            layout[row_id] = {
                "type": "ROW",
                "id": row_id,
                "children": [],
                "parents": ["ROOT_ID", "GRID_ID"],
                "meta": {"background": "BACKGROUND_TRANSPARENT"},
            }
        chart_key = f"CHART-{chart_ids[spec.name]}"
        layout[row_id]["children"].append(chart_key)
        layout[chart_key] = {
            "type": "CHART",
            "id": chart_key,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID", row_id],
            "meta": {
                "width": spec.width,
                "height": spec.height,
                "chartId": chart_ids[spec.name],
                "sliceName": spec.name,
            },
        }
        used += spec.width
    return layout


@dataclass
class SetupResult:
    base_url: str
    database_id: int
    datasets: dict[str, int]
    dashboard_id: int
    charts: dict[str, int]


def configure(base_url: str, warehouse: Path, password: str) -> tuple[SupersetClient, SetupResult]:
    """Register the warehouse, its marts and the dashboard in a running Superset."""
    client = SupersetClient(base_url)
    client.login(ADMIN_USER, password)
    database_id = ensure_database(client, warehouse)
    tables = list_marts(client, database_id)
    datasets = ensure_datasets(client, database_id, tables)
    dashboard_id, charts = ensure_dashboard(client, datasets)
    result = SetupResult(base_url, database_id, datasets, dashboard_id, charts)
    log.info(
        "Superset ready at %s/superset/dashboard/%s/ (%d datasets, %d charts; user %s)",
        base_url,
        DASHBOARD_SLUG,
        len(datasets),
        len(charts),
        ADMIN_USER,
    )
    return client, result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.superset_setup",
        description="Start Apache Superset (from .venv-superset) on 127.0.0.1 against the warehouse opened "
        "read-only, register the outcome marts as datasets with saved ratio metrics, and build the headline "
        "dashboard. Idempotent.",
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("CX_WAREHOUSE", "warehouse/cx.duckdb")),
        help="DuckDB warehouse file (default: $CX_WAREHOUSE or warehouse/cx.duckdb)",
    )
    parser.add_argument(
        "--venv", type=Path, default=DEFAULT_VENV, help="Superset virtualenv (default: %(default)s)"
    )
    parser.add_argument(
        "--home", type=Path, default=DEFAULT_HOME, help="Superset state dir (default: %(default)s)"
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="port on 127.0.0.1 (default: %(default)s)"
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="keep Superset running after the setup (until Ctrl-C); without it the server is stopped again",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    if not args.warehouse.exists():
        log.error("warehouse %s does not exist (build it first, e.g. `make demo`)", args.warehouse)
        return 1
    password = os.environ.get("SUPERSET_ADMIN_PASSWORD", "admin")
    try:
        init_metadata(args.venv, args.home, password)
        base_url = f"http://127.0.0.1:{args.port}"
        server = start_server(args.venv, args.home, args.port)
    except (FileNotFoundError, RuntimeError) as error:
        log.error("%s", error)
        return 1
    try:
        wait_until_healthy(base_url, server)
        configure(base_url, args.warehouse, password)
        if args.serve:
            log.info("serving on %s (log in as %s); Ctrl-C to stop", base_url, ADMIN_USER)
            server.wait()
    except KeyboardInterrupt:
        pass
    except (RuntimeError, TimeoutError) as error:
        log.error("%s (server log: %s)", error, args.home / "server.log")
        return 1
    finally:
        stop_server(server)
    return 0


if __name__ == "__main__":
    sys.exit(main())
