"""Every model, column, seed, macro (and its arguments), metric, semantic model and exposure is described.

Adapter implementations of a dispatched macro (`default__x`, `duckdb__x`) are covered by the docs of `x`.

Parses the project with `dbt parse` into a temporary target path (the `lint` target: in-memory DuckDB, no
warehouse, no raw data) and reads the manifest, so the docs site (`make docs`) has no empty page.

Each column description is written once: a text that two columns share is a doc block (`_<folder>__docs.md`)
that both columns name with `{{ doc("...") }}` (read from the YAML itself, since the manifest holds the
rendered text).
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from scripts.ops import dbt

ROOT = Path(__file__).absolute().parents[2]
DBT = ROOT / ".venv" / "bin" / "dbt"
PROJECT = "cx_outcomes"
# a description that only names a doc block: `'{{ doc("journey_id") }}'`
DOC_REFERENCE = re.compile(r"""\{\{\s*doc\(\s*(["'])\w+\1\s*\)\s*\}\}""")


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    if not DBT.exists():
        pytest.skip(".venv/bin/dbt is missing (run `make install`)")
    target = tmp_path_factory.mktemp("dbt_target")
    env = dbt.environment(
        profiles_dir=ROOT, raw_dir="/nonexistent", target_path=target, extra={"CX_DBT_TARGET": "lint"}
    )
    result = subprocess.run(
        [str(DBT), "parse", "--no-partial-parse", "--quiet"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, f"dbt parse failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    return json.loads((target / "manifest.json").read_text(encoding="utf-8"))


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def _own(nodes: dict, resource_type: str) -> list[dict]:
    return [
        node
        for node in nodes.values()
        if node.get("resource_type") == resource_type and node.get("package_name") == PROJECT
    ]


def _missing_with_columns(nodes: list[dict]) -> list[str]:
    missing = []
    for node in nodes:
        if _blank(node.get("description")):
            missing.append(f"{node['resource_type']} {node['name']} ({node['original_file_path']})")
        for column in node.get("columns", {}).values():
            if _blank(column.get("description")):
                missing.append(f"column {node['name']}.{column['name']} ({node['original_file_path']})")
    return missing


def test_models_and_their_columns_are_described(manifest: dict) -> None:
    models = _own(manifest["nodes"], "model")
    assert models
    missing = _missing_with_columns(models)
    # a model whose YAML lists no columns at all would pass the loop above: every column must be listed
    missing += [
        f"model {node['name']} lists no columns ({node['original_file_path']})"
        for node in models
        if not node["columns"]
    ]
    assert not missing, "undocumented:\n  " + "\n  ".join(sorted(missing))


def test_seeds_and_their_columns_are_described(manifest: dict) -> None:
    seeds = _own(manifest["nodes"], "seed")
    assert seeds
    missing = _missing_with_columns(seeds)
    missing += [f"seed {node['name']} lists no columns" for node in seeds if not node["columns"]]
    assert not missing, "undocumented:\n  " + "\n  ".join(sorted(missing))


def test_macros_and_their_arguments_are_described(manifest: dict) -> None:
    macros = {
        macro["name"]: macro for macro in manifest["macros"].values() if macro["package_name"] == PROJECT
    }
    missing = []
    for name, macro in macros.items():
        # an adapter implementation (default__x, duckdb__x) of a dispatched macro is covered by x's docs
        prefix, _, dispatched = name.partition("__")
        if (
            dispatched
            and prefix
            and dispatched in macros
            and not _blank(macros[dispatched].get("description"))
        ):
            continue
        if _blank(macro.get("description")):
            missing.append(f"macro {macro['name']} ({macro['original_file_path']})")
        for argument in macro.get("arguments", []):
            if _blank(argument.get("description")):
                missing.append(f"argument {macro['name']}({argument['name']})")
    assert not missing, "undocumented:\n  " + "\n  ".join(sorted(missing))


def test_metrics_semantic_models_and_exposures_are_described(manifest: dict) -> None:
    missing = []
    for kind in ("metrics", "semantic_models", "exposures"):
        items = [item for item in manifest.get(kind, {}).values() if item.get("package_name") == PROJECT]
        assert items, f"the project defines no {kind}"
        missing += [f"{kind[:-1]} {item['name']}" for item in items if _blank(item.get("description"))]
    for semantic_model in manifest["semantic_models"].values():
        for part in ("measures", "dimensions"):
            missing += [
                f"{part[:-1]} {semantic_model['name']}.{item['name']}"
                for item in semantic_model.get(part, [])
                if _blank(item.get("description"))
            ]
    assert not missing, "undocumented:\n  " + "\n  ".join(sorted(missing))


def test_overview_page_exists(manifest: dict) -> None:
    overview = manifest["docs"].get(f"doc.{PROJECT}.__overview__")
    assert overview, "models/overview.md must define {% docs __overview__ %}"
    assert "deflection" in overview["block_contents"].lower()


def _column_descriptions() -> dict[str, list[str]]:
    """Every column description text of the models, seeds, snapshots and sources YAML -> where it is used."""
    uses: dict[str, list[str]] = defaultdict(list)
    for path in sorted([*ROOT.glob("models/**/*.yml"), *ROOT.glob("seeds/**/*.yml")]):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        entries = [entry for key in ("models", "seeds", "snapshots") for entry in document.get(key) or []]
        entries += [table for source in document.get("sources") or [] for table in source.get("tables") or []]
        for entry in entries:
            for column in entry.get("columns") or []:
                text = (column.get("description") or "").strip()
                if text and not DOC_REFERENCE.fullmatch(text):
                    uses[text].append(f"{entry['name']}.{column['name']} ({path.relative_to(ROOT)})")
    return uses


def test_column_descriptions_are_written_once() -> None:
    uses = _column_descriptions()
    assert len(uses) > 100, "found too few column descriptions: is the YAML layout still models/**/*.yml?"
    repeated = {text: where for text, where in uses.items() if len(where) > 1}
    assert not repeated, (
        f"{len(repeated)} column description(s) written more than once; move each into one "
        "{% docs %} block and use '{{ doc(\"...\") }}':\n"
        + "\n".join(f"  {text!r}:\n    " + "\n    ".join(where) for text, where in sorted(repeated.items()))
    )
