"""The raw contract (the sources YAML's meta) reads the same in dbt and in Python, and holds together.

dbt reads it through its graph (macros/cx_raw_contract.sql, printed by `dbt run-operation
cx_print_raw_contract`); Python reads the YAML (scripts/ops/contract.py). dbt runs once per session, against
the in-memory `lint` target and a throw-away target path, so the test never touches a warehouse file or
another run's artefacts.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts.ops import adapters, contract, dbt

PROJECT_DIR = Path(__file__).resolve().parents[2]
SOURCES_FILES = sorted(PROJECT_DIR.glob(contract.SOURCES_GLOB))
CX_TYPES = {"text", "enum", "intent", "currency", "timestamp", "double", "decimal", "boolean", "json"}
PII_KINDS = {"name", "email", "phone", "endpoint"}


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


def test_dbt_reads_the_contract_as_python_does(raw_contract: dict[str, dict[str, Any]]) -> None:
    python = contract.load(PROJECT_DIR)
    assert list(raw_contract) == list(python), "same tables in the same order"
    assert raw_contract == python


def test_the_dbt_copy_is_generated_from_the_yaml() -> None:
    # a dbt run with a graph stops on a stale copy too (cx_raw_contract); `make contract` regenerates it
    current = (PROJECT_DIR / contract.MACRO_FILE).read_text()
    assert current == contract.macro_text(contract.load(PROJECT_DIR)), "stale copy: run `make contract`"


@pytest.mark.parametrize("table", list(contract.load(PROJECT_DIR)))
def test_each_table_holds_together(table: str) -> None:
    spec = contract.load(PROJECT_DIR)[table]
    names = [column["name"] for column in spec["columns"]]
    assert len(set(names)) == len(names), "a column is declared twice"
    assert names[-1] == "_loaded_at", "SPEC §2: every table carries _loaded_at, written last"
    required = {column["name"] for column in spec["columns"] if column.get("required")}
    assert spec["primary_key"] and set(spec["primary_key"]) <= required, (
        "primary key columns must be required"
    )
    for key in ("time_order",):
        assert set(spec.get(key, [])) <= set(names)
    assert spec.get("orphan_column", names[0]) in names
    for column in spec["columns"]:
        assert column.get("cx_type") in CX_TYPES, f"{table}.{column['name']}: cx_type"
        assert ("accepted_values" in column) == (column["cx_type"] == "enum"), f"{table}.{column['name']}"
        assert column.get("pii") in PII_KINDS | {None}, f"{table}.{column['name']}: pii"
        assert not (column.get("pii") and column["name"] in spec["primary_key"]), (
            "a key is never personal data"
        )


def test_every_platform_object_has_its_source_table() -> None:
    """Each registered object reads a declared source table (its files' folder: <source>/<table>/...) and
    either maps onto a SPEC §2 table through a mapping macro, or is accounted for by its statuses model."""
    declared = set()
    for path in SOURCES_FILES:
        for source in yaml.safe_load(path.read_text()).get("sources", []):
            declared |= {(source["name"], table["name"]) for table in source.get("tables", [])}
    objects = adapters.objects(PROJECT_DIR)
    assert objects, "no platform adapter is registered"
    for obj in objects:
        folder_source, table = obj.files.split("/")[:2]
        assert folder_source == obj.source and (obj.source, table) in declared, (
            f"{obj.source}.{obj.name} reads {obj.files}, which is no declared source table"
        )
        spec = adapters.registry(PROJECT_DIR)[obj.source]["objects"][obj.name]
        if obj.maps_to is None:
            model = spec["statuses_model"]
            assert list(PROJECT_DIR.glob(f"models/**/{model}.sql")), f"{model}.sql is missing"
            continue
        assert obj.maps_to in contract.load(PROJECT_DIR)
        mapping = spec["mapping"]
        assert (PROJECT_DIR / "macros" / f"{mapping}.sql").exists(), f"macros/{mapping}.sql is missing"
        assert f"'{mapping}'" in (PROJECT_DIR / "macros" / "cx_platform_mapping.sql").read_text()
