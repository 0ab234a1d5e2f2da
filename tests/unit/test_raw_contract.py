"""The raw landing-zone contract (macros/cx_raw_contract.sql) agrees with sources and SPEC §2.

The contract is read the way scripts/nightly.py reads it: `dbt run-operation
cx_print_raw_contract`, which prints it as one JSON line. dbt runs once per session, against the
in-memory `lint` target and a throw-away target path, so the test never touches a warehouse file
or another run's artefacts.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.ops import adapters, dbt

PROJECT_DIR = Path(__file__).resolve().parents[2]
SOURCES_FILES = sorted(PROJECT_DIR.glob("models/staging/*/_*__sources.yml"))

# SPEC §2, table "primary key" column, written out by hand on purpose: this is the check that the
# contract did not drift from the SPEC.
SPEC_PRIMARY_KEYS: dict[str, list[str]] = {
    "customers": ["customer_id", "updated_at"],
    "agents": ["agent_id"],
    "contacts": ["contact_id"],
    "contact_events": ["event_id"],
    "survey_responses": ["response_id"],
    "subscriptions": ["subscription_id", "updated_at"],
    "orders": ["order_id"],
    "fraud_cases": ["fraud_case_id"],
}


@pytest.fixture(scope="session")
def raw_contract(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    target_path = tmp_path_factory.mktemp("dbt_target")
    env = dbt.environment(
        profiles_dir=PROJECT_DIR,
        raw_dir=tmp_path_factory.mktemp("raw"),
        target_path=target_path,
        extra={"CX_DBT_TARGET": "lint"},
    )
    result = subprocess.run(
        [dbt.executable(), "run-operation", "cx_print_raw_contract", "--quiet"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"dbt run-operation failed:\n{result.stdout}\n{result.stderr}"
    json_lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(json_lines) == 1, f"expected one JSON line, got:\n{result.stdout}"
    return json.loads(json_lines[0])


@pytest.fixture(scope="session")
def source_columns() -> dict[str, tuple[str, list[str]]]:
    """Table name → (source name, column names in order) from models/staging/*/_*__sources.yml."""
    assert SOURCES_FILES, "no models/staging/*/_*__sources.yml found"
    tables: dict[str, tuple[str, list[str]]] = {}
    platforms = adapters.registry(PROJECT_DIR)
    for path in SOURCES_FILES:
        document = yaml.safe_load(path.read_text())
        for source in document.get("sources", []):
            if source["name"] in platforms:
                continue  # a platform's own export (SPEC §8), checked against the adapter registry below
            for table in source.get("tables", []):
                assert table["name"] not in tables, f"{table['name']} declared twice ({path})"
                columns = [column["name"] for column in table.get("columns", [])]
                tables[table["name"]] = (source["name"], columns)
    return tables


def test_contract_and_sources_declare_the_same_tables(
    raw_contract: dict[str, dict[str, Any]],
    source_columns: dict[str, tuple[str, list[str]]],
) -> None:
    assert sorted(raw_contract) == sorted(source_columns)
    assert sorted(raw_contract) == sorted(SPEC_PRIMARY_KEYS)


@pytest.mark.parametrize("table", sorted(SPEC_PRIMARY_KEYS))
def test_contract_columns_match_sources(
    table: str,
    raw_contract: dict[str, dict[str, Any]],
    source_columns: dict[str, tuple[str, list[str]]],
) -> None:
    source_name, documented = source_columns[table]
    contract_columns = [column["name"] for column in raw_contract[table]["columns"]]
    assert raw_contract[table]["source"] == source_name
    assert contract_columns == documented
    assert len(set(contract_columns)) == len(contract_columns), "a column is declared twice"
    assert "_loaded_at" in contract_columns, "SPEC §2: every table carries _loaded_at"


@pytest.mark.parametrize(("table", "primary_key"), sorted(SPEC_PRIMARY_KEYS.items()))
def test_primary_key_matches_spec(
    table: str, primary_key: list[str], raw_contract: dict[str, dict[str, Any]]
) -> None:
    assert raw_contract[table]["primary_key"] == primary_key
    required = {column["name"] for column in raw_contract[table]["columns"] if column.get("required")}
    assert set(primary_key) <= required, "primary key columns must be required columns"


def test_every_platform_object_has_its_source_table() -> None:
    declared = set()
    for path in SOURCES_FILES:
        for source in yaml.safe_load(path.read_text()).get("sources", []):
            declared |= {(source["name"], table["name"]) for table in source.get("tables", [])}
    objects = adapters.objects(PROJECT_DIR)
    assert objects, "no platform adapter is registered"
    for obj in objects:
        assert (obj.source, obj.name) in declared, f"{obj.source}.{obj.name} has no source table"
        assert obj.maps_to in SPEC_PRIMARY_KEYS
        mapping = adapters.registry(PROJECT_DIR)[obj.source]["objects"][obj.name]["mapping"]
        assert (PROJECT_DIR / "macros" / f"{mapping}.sql").exists(), f"macros/{mapping}.sql is missing"
        assert f"'{mapping}'" in (PROJECT_DIR / "macros" / "cx_platform_mapping.sql").read_text()
