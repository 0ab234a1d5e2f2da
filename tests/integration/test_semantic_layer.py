"""The MetricFlow semantic layer (models/semantic) gives the same figures as the marts.

Runs `mf query` against the test warehouse; needs the semantic manifest that `make semantic` (dbt parse)
writes to target/semantic_manifest.json, and skips with the reason when it or the warehouse is missing.
Every metric is a ratio of sums, so any grouping must match Σ numerator / Σ denominator over the mart.
"""

from __future__ import annotations

import csv
import math
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).absolute().parents[2]
MF = ROOT / ".venv" / "bin" / "mf"


@pytest.fixture(scope="module")
def warehouse() -> Path:
    path = os.environ.get("CX_TEST_WAREHOUSE")
    if not path or not Path(path).exists():
        pytest.skip("CX_TEST_WAREHOUSE is not set or not built (run `make test-build`)")
    if not (ROOT / "target" / "semantic_manifest.json").exists():
        pytest.skip("target/semantic_manifest.json is missing (run `make semantic`)")
    if not MF.exists() and shutil.which("mf") is None:
        pytest.skip("MetricFlow CLI `mf` is not installed (dbt-metricflow, a dev dependency)")
    return Path(path)


def mf_query(
    warehouse: Path, tmp_path: Path, metrics: list[str], group_by: list[str]
) -> list[dict[str, str]]:
    out = tmp_path / f"{'_'.join(metrics)[:60]}.csv"
    args = [
        str(MF if MF.exists() else shutil.which("mf")),
        "query",
        "--metrics",
        ",".join(metrics),
        "--csv",
        str(out),
    ]
    if group_by:
        args += ["--group-by", ",".join(group_by)]
    env = {**os.environ, "CX_WAREHOUSE": str(warehouse), "DBT_PROJECT_DIR": str(ROOT)}
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0 and out.exists(), (
        f"mf query failed:\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
    )
    with out.open(newline="") as handle:
        return list(csv.DictReader(handle))


def mart(warehouse: Path, sql: str) -> dict[str, float | None]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {str(key): value for key, value in con.execute(sql).fetchall()}
    finally:
        con.close()


def close(a: str | float | None, b: float | None) -> bool:
    if a in (None, "") or b is None:
        return a in (None, "") and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-6, abs_tol=1e-9)


def test_journey_metrics_by_ai_type_equal_the_marts(warehouse: Path, tmp_path: Path) -> None:
    rows = mf_query(warehouse, tmp_path, ["fcr_rate", "avg_ces", "nps"], ["journey__ai_interaction_type"])
    fcr = mart(
        warehouse,
        "select ai_interaction_type, sum(fcr_journeys) / nullif(sum(matured_journeys), 0) "
        "from outcomes.mart_first_contact_resolution group by 1",
    )
    ces = mart(
        warehouse,
        "select ai_interaction_type, sum(ces_score_total) / nullif(sum(ces_journeys), 0) "
        "from outcomes.mart_customer_effort group by 1",
    )
    nps = mart(
        warehouse,
        "select ai_interaction_type, "
        "100.0 * (sum(promoters) - sum(detractors)) / nullif(sum(nps_journeys), 0) "
        "from outcomes.mart_nps_by_ai_type group by 1",
    )
    assert {row["journey__ai_interaction_type"] for row in rows} == set(fcr)
    for row in rows:
        ai_type = row["journey__ai_interaction_type"]
        assert close(row["fcr_rate"], fcr[ai_type]), (
            f"fcr_rate {ai_type}: {row['fcr_rate']} != {fcr[ai_type]}"
        )
        assert close(row["avg_ces"], ces.get(ai_type)), f"avg_ces {ai_type}"
        assert close(row["nps"], nps.get(ai_type)), f"nps {ai_type}: {row['nps']} != {nps.get(ai_type)}"


def test_legacy_and_bridge_metrics_by_month_equal_the_mart(warehouse: Path, tmp_path: Path) -> None:
    rows = mf_query(
        warehouse,
        tmp_path,
        ["bot_containment_rate", "false_containment_rate", "aht_seconds"],
        ["metric_time__month"],
    )
    expected = {}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for month, containment, false_containment, aht in con.execute(
            "select date_trunc('month', attempt_date)::date, "
            "sum(contained_attempts) / nullif(sum(bot_attempts), 0), "
            "sum(false_containment_journeys) / nullif(sum(contained_journeys), 0), "
            "sum(handle_seconds_total) / nullif(sum(handled_contacts), 0) "
            "from outcomes.mart_deflection_vs_resolution group by 1"
        ).fetchall():
            expected[str(month)] = (containment, false_containment, aht)
    finally:
        con.close()
    assert len(rows) == len(expected)
    for row in rows:
        month = row["metric_time__month"][:10]
        containment, false_containment, aht = expected[month]
        assert close(row["bot_containment_rate"], containment), month
        assert close(row["false_containment_rate"], false_containment), month
        assert close(row["aht_seconds"], aht), month


def test_retention_revenue_and_voice_totals_equal_the_marts(warehouse: Path, tmp_path: Path) -> None:
    (row,) = mf_query(
        warehouse,
        tmp_path,
        ["retention_rate_90d", "revenue_protected", "voice_risk_precision", "voice_risk_recall"],
        [],
    )
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        retention = con.execute(
            "select sum(retained_90d) / nullif(sum(eligible_90d), 0) from outcomes.mart_retention_by_ai_type"
        ).fetchone()[0]
        protected = con.execute(
            "select sum(revenue_protected) from outcomes.mart_revenue_protected"
        ).fetchone()[0]
        precision, recall = con.execute(
            "select sum(true_positives) / nullif(sum(flagged_attempts), 0), "
            "sum(true_positives) / nullif(sum(fraud_attempts), 0) from outcomes.mart_voice_security"
        ).fetchone()
    finally:
        con.close()
    assert close(row["retention_rate_90d"], retention)
    assert close(row["revenue_protected"], protected)
    assert close(row["voice_risk_precision"], precision)
    assert close(row["voice_risk_recall"], recall)
