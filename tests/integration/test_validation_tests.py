"""The reconciliation and metric-bounds checks are dbt tests (tag:reconciliation, tag:bounds), and the
validation step reads their results (scripts/ops/validate.py).

On a copy of the test warehouse with two rates out of [0, 1] and one quarantine row lost, `dbt test` on the
tagged tests warns (it does not stop a build) on exactly those two tests; the validation turns them into
failing checks named after the tests with their failing-row counts, and cx_rates_bounded's failing rows name
the column and the value. The manifest shows every fact, dimension and mart under cx_rates_bounded and the
tagged tests, and only they, at warn severity.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from scripts.ops import validate
from tests.conftest import dbt_env, run_dbt

# the bounded columns (SPEC §5: rates in [0, 1]): numeric, named like a rate, or survival, precision, recall
BOUNDED_COLUMN = re.compile(r"(^|_)rate($|_)|^(survival|precision|recall)$")
NUMERIC_TYPES = ("DOUBLE", "FLOAT", "REAL", "DECIMAL", "NUMERIC", "INTEGER", "BIGINT", "HUGEINT")
BROKEN_BOUNDS = "cx_rates_bounded_mart_voice_auth_methods_"
BROKEN_RECONCILIATION = "assert_data_quality_reconciles_with_quarantine"


@pytest.fixture(scope="module")
def tested(test_warehouse: Path, test_raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """`dbt test --select tag:reconciliation tag:bounds` on a broken copy of the test warehouse."""
    root = tmp_path_factory.mktemp("validation_tests")
    copy, target = root / "cx.duckdb", root / "target"
    shutil.copyfile(test_warehouse, copy)
    connection = duckdb.connect(str(copy))
    try:
        (date, method) = connection.execute(
            "select attempt_date, auth_method from outcomes.mart_voice_auth_methods "
            "order by attempt_date, auth_method limit 1"
        ).fetchone()
        connection.execute(
            "update outcomes.mart_voice_auth_methods set pass_rate = 1.5, step_up_rate = -0.5 "
            "where attempt_date = ? and auth_method = ?",
            [date, method],
        )
        connection.execute(
            "delete from staging.quarantine where rowid = (select min(rowid) from staging.quarantine)"
        )
        bounded = {
            (table, column)
            for table, column, data_type in connection.execute(
                "select table_name, column_name, data_type from information_schema.columns "
                "where table_schema in ('core', 'outcomes')"
            ).fetchall()
            if BOUNDED_COLUMN.search(column) and data_type.upper().startswith(NUMERIC_TYPES)
        }
    finally:
        connection.close()
    run_dbt(
        ["test", "--select", "tag:reconciliation", "tag:bounds"],
        dbt_env(test_raw_dir, copy, target, CX_THREADS="1"),
    )
    return {
        "copy": copy,
        "target": target,
        "bounded": bounded,
        "manifest": json.loads((target / "manifest.json").read_text()),
        "run_results": json.loads((target / "run_results.json").read_text()),
    }


def test_failed_tagged_tests_are_failing_checks(tested: dict) -> None:
    checks = validate.check_dbt_tests(validate.DbtResults(tested["manifest"], tested["run_results"]))
    failing = {check.name: check.values["failures"] for check in checks if check.status == "fail"}
    assert failing == {BROKEN_BOUNDS: 2, BROKEN_RECONCILIATION: 1}
    statuses = {
        result["unique_id"].split(".")[2]: result["status"] for result in tested["run_results"]["results"]
    }
    assert statuses[BROKEN_BOUNDS] == statuses[BROKEN_RECONCILIATION] == "warn"  # the build goes on
    tags = {check.values["tag"] for check in checks}
    assert tags == {"reconciliation", "bounds"} and all(
        c.status == "pass" for c in checks if c.name not in failing
    )


def test_bounds_test_names_the_column_and_the_value(tested: dict) -> None:
    compiled = next((tested["target"] / "compiled").rglob(f"{BROKEN_BOUNDS}.sql")).read_text()
    connection = duckdb.connect(str(tested["copy"]), read_only=True)
    try:
        rows = connection.execute(f"{compiled} order by column_name").fetchall()
    finally:
        connection.close()
    assert rows == [("pass_rate", 1.5), ("step_up_rate", -0.5)]


def test_bounds_test_checks_every_bounded_column_of_every_fact_dimension_and_mart(tested: dict) -> None:
    nodes = tested["manifest"]["nodes"].values()
    marts = {
        n["name"] for n in nodes if n["resource_type"] == "model" and n["schema"] in ("core", "outcomes")
    }
    bounded_models = {
        node["attached_node"].split(".")[-1]
        for node in nodes
        if (node.get("test_metadata") or {}).get("name") == "cx_rates_bounded"
    }
    assert marts and bounded_models == marts
    checked = set()
    for path in (tested["target"] / "compiled").rglob("cx_rates_bounded_*.sql"):
        sql = path.read_text()
        columns = re.findall(r"'(\w+)' as column_name", sql)
        if columns:
            table = re.search(r'from "\w+"\."\w+"\."(\w+)"', sql).group(1)
            checked |= {(table, column) for column in columns}
    assert checked == tested["bounded"] and len(checked) >= 30


def test_only_the_tagged_tests_warn(tested: dict) -> None:
    tests = [node for node in tested["manifest"]["nodes"].values() if node["resource_type"] == "test"]
    tagged = {n["name"] for n in tests if set(n["tags"]) & set(validate.VALIDATION_TAGS)}
    warn = {n["name"] for n in tests if n["config"]["severity"].lower() == "warn"}
    assert tagged == warn
    reconciliations = {n["name"] for n in tests if "reconciliation" in n["tags"]}
    assert reconciliations >= {
        "assert_first_contact_resolution_reconciles_with_journeys",
        "assert_deflection_vs_resolution_reconciles_with_facts",
        "assert_customer_effort_reconciles_with_journeys",
        "assert_fct_attempts_reconciles_with_fct_contacts",
        BROKEN_RECONCILIATION,
    }
