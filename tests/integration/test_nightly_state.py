"""scripts.nightly decides what to rebuild by dbt's state comparison with the published build's manifest
(issue 22), and a plain `dbt build` says so when it keeps rows of an incremental model whose definition
changed.

Every edit is made in a copy of the project (never the repository's models). One small landing zone:

    night 1   first build: full (no warehouse yet)
    night 2   --append-day, nothing edited: one incremental dbt invocation, the views and seeds kept
    night 3   fct_journeys.sql edited (a mart) and a weight of the effort_weights seed changed: the edited
              nodes and their descendants from scratch (dbt build --select state:modified+ --full-refresh),
              the rest incrementally (--exclude state:modified+); equal, table by table, to a full refresh
    plain     `dbt build --select base_crm__orders` after editing that incremental model: a warning naming it
              and the fix, repeated until a --full-refresh rebuilds it
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from scripts import nightly
from scripts.bench.compare import compare_warehouses
from scripts.ops import dbt
from tests.integration._nightly_support import (
    PROJECT_DIR,
    append_day,
    assert_published,
    generate_first_nights,
    latest_record,
    nightly_command,
    nightly_env,
    query,
)

PROJECT_ENTRIES = ("scripts", "models", "macros", "seeds", "analyses", "tests/data_tests")
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "selectors.yml")
EDITED_MART = "fct_journeys"
EDITED_SEED = "effort_weights"
PLAIN_MODEL = "base_crm__orders"  # an incremental model


@dataclass
class StateNights:
    project: Path
    raw: Path
    live: Path
    full: Path
    records: list[dict[str, Any]] = field(default_factory=list)
    commands: list[list[str]] = field(default_factory=list)  # the dbt commands of each night
    manifest: dict[str, Any] = field(default_factory=dict)
    run_results: dict[str, Any] = field(default_factory=dict)  # night 3's second invocation


def copy_project(destination: Path) -> Path:
    for entry in PROJECT_ENTRIES:
        shutil.copytree(
            PROJECT_DIR / entry, destination / entry, ignore=shutil.ignore_patterns("__pycache__", "target")
        )
    for name in PROJECT_FILES:
        shutil.copyfile(PROJECT_DIR / name, destination / name)
    return destination


def _dbt_commands(live: Path) -> list[str]:
    log = live.parent / ".build" / "target" / "nightly_dbt.log"
    return (
        [line for line in log.read_text().splitlines() if line.startswith("$ dbt ")] if log.exists() else []
    )


def _night(nights: StateNights, warehouse: Path, *args: str) -> None:
    before = len(_dbt_commands(warehouse))
    result = subprocess.run(
        nightly_command(nights.raw, warehouse, *args),
        cwd=nights.project,
        env=nightly_env(DBT_PROFILES_DIR=str(nights.project)),
        capture_output=True,
        text=True,
        check=False,
        timeout=1800,
    )
    assert_published(result)
    nights.records.append(latest_record(warehouse) | {"stdout": result.stdout, "stderr": result.stderr})
    nights.commands.append(_dbt_commands(warehouse)[before:])


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> StateNights:
    root = tmp_path_factory.mktemp("nightly_state")
    result = StateNights(
        project=copy_project(root / "project"),
        raw=root / "raw",
        live=root / "warehouse" / "cx.duckdb",
        full=root / "full" / "cx.duckdb",
    )
    generate_first_nights(result.raw)
    _night(result, result.live)  # night 1
    append_day(result.raw)
    _night(result, result.live)  # night 2: nothing edited

    mart = result.project / "models" / "marts" / "core" / f"{EDITED_MART}.sql"
    mart.write_text(mart.read_text() + "\n-- edited by tests/integration/test_nightly_state.py\n")
    seed = result.project / "seeds" / f"{EDITED_SEED}.csv"
    weights = seed.read_text()
    assert "\nextra_attempts,2.0," in weights
    seed.write_text(weights.replace("\nextra_attempts,2.0,", "\nextra_attempts,3.5,"))
    _night(result, result.live)  # night 3: a mart and a seed edited
    target = result.live.parent / ".build" / "target"
    result.manifest = json.loads((target / "manifest.json").read_text())
    result.run_results = json.loads((target / "run_results.json").read_text())

    _night(result, result.full, "--full-refresh")  # the same raw data and project, from scratch
    return result


def _descendants(manifest: dict[str, Any], roots: list[str]) -> set[str]:
    found, todo = set(), list(roots)
    while todo:
        node = todo.pop()
        if node not in found:
            found.add(node)
            todo += manifest["child_map"].get(node, [])
    return found


def test_first_night_full_then_one_incremental_invocation_when_nothing_changed(nights: StateNights) -> None:
    first, second = nights.records[0], nights.records[1]
    assert first["rebuild"] == {"mode": "full", "modified": [], "reason": "no published warehouse yet"}
    assert second["rebuild"] == {"mode": "incremental", "modified": [], "reason": None}
    assert second["full_refresh"] is False
    # the files the nights replaced were given a second name and deleted after each night by a detached rm
    replaced = nights.live.parent / ".build" / "replaced"
    deadline = time.monotonic() + 30
    while replaced.is_dir() and any(replaced.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert replaced.is_dir() and not any(replaced.iterdir())
    # one dbt start-up, without a state comparison
    assert len(nights.commands[1]) == 1, nights.commands[1]
    assert "--state" not in nights.commands[1][0] and "--full-refresh" not in nights.commands[1][0]
    # the candidate's views and seeds (copies of the published ones) are kept, with the data tests that read
    # only seeds; every other model and data test runs
    assert f"--selector {nightly.NIGHTLY_SELECTOR}" in nights.commands[1][0]
    nodes = nights.manifest["nodes"]
    models = {
        node["name"]: node["config"]["materialized"]
        for node in nodes.values()
        if node["resource_type"] == "model"
    }
    views = {name for name, materialized in models.items() if materialized == "view"}
    assert views and "fct_attempts" in views
    seeds = {unique_id for unique_id, node in nodes.items() if node["resource_type"] == "seed"}
    assert seeds and not {unique_id.split(".")[-1] for unique_id in seeds} & set(second["models"])
    built = {name for name in second["models"] if name in models}
    assert built == set(models) - views
    data_tests = {unique_id: node for unique_id, node in nodes.items() if node["resource_type"] == "test"}
    seed_only = {
        unique_id
        for unique_id, node in data_tests.items()
        if node["depends_on"]["nodes"] and set(node["depends_on"]["nodes"]) <= seeds
    }
    assert "unique_channels_channel" in {unique_id.split(".")[2] for unique_id in seed_only}
    ran = sum(second["tests"][status] for status in ("pass", "warn", "fail", "error"))
    assert ran == len(data_tests) - len(seed_only)
    assert second["tests"]["fail"] == second["tests"]["error"] == 0


def test_edited_nodes_and_their_descendants_are_rebuilt_from_scratch(nights: StateNights) -> None:
    record = nights.records[2]
    rebuild = record["rebuild"]
    assert rebuild["mode"] == "state", rebuild
    assert record["full_refresh"] is False
    roots = [f"model.cx_outcomes.{EDITED_MART}", f"seed.cx_outcomes.{EDITED_SEED}"]
    expected = {
        unique_id.split(".")[-1]
        for unique_id in _descendants(nights.manifest, roots)
        if unique_id.split(".")[0] in ("model", "seed")
    }
    assert set(rebuild["modified"]) == expected
    assert "int_journeys_aggregated" in expected  # the seed's incremental descendant
    assert "int_attempts_chained" not in expected  # upstream of both: incremental
    # two invocations: the rest incrementally, then state:modified+ with a full refresh
    commands = nights.commands[2]
    assert len(commands) == 2, commands
    assert "--exclude state:modified+ --state" in commands[0] and "--full-refresh" not in commands[0]
    assert "--select state:modified+ --state" in commands[1] and commands[1].endswith("--full-refresh")
    assert all("--exclude-resource-type unit_test" in command for command in commands)
    # dbt's own record of the second invocation: a full refresh of exactly those models and seeds
    assert nights.run_results["args"]["full_refresh"] is True
    rebuilt = {
        result["unique_id"].split(".")[-1]
        for result in nights.run_results["results"]
        if result["unique_id"].split(".")[0] in ("model", "seed")
    }
    assert rebuilt == expected
    # the data tests of both selections ran (the run record merges both invocations)
    tested = [result for result in nights.run_results["results"] if result["unique_id"].startswith("test.")]
    assert tested and record["tests"]["pass"] > len(tested)
    assert record["tests"]["fail"] == 0 and record["tests"]["error"] == 0
    assert set(expected) < set(record["models"])
    assert "rebuilt from scratch" in record["stderr"] and EDITED_MART in record["stderr"]


def test_state_aware_night_equals_a_full_refresh(nights: StateNights) -> None:
    assert nights.records[3]["rebuild"]["mode"] == "full"
    assert compare_warehouses(nights.live, nights.full) == {}


def test_published_state_names_its_manifest_and_keeps_no_salt(nights: StateNights) -> None:
    run_id, manifest_sha256, mode = query(
        nights.live, "select run_id, manifest_sha256, rebuild_mode from ops.nightly_state"
    )[0]
    assert run_id == nights.records[2]["run_id"] and mode == "state"
    state = nights.live.parent / ".build" / "state"
    assert [path.name for path in state.iterdir()] == [run_id]  # earlier builds' manifests are gone
    text = (state / run_id / "manifest.json").read_text()
    assert "cx-dev-salt-not-for-production" not in text
    assert len(manifest_sha256) == 64


def test_missing_manifest_or_changed_vars_force_a_full_refresh(nights: StateNights, tmp_path: Path) -> None:
    """The decision alone (no build): the reason names what is missing or which input dbt cannot compare."""
    live = tmp_path / "warehouse" / "cx.duckdb"
    live.parent.mkdir()
    shutil.copyfile(nights.live, live)  # without the state dir that holds its manifest
    previous = nightly.read_state(live)
    args = nightly.parse_args(["--raw-dir", str(nights.raw), "--warehouse", str(live)])
    mode, reason, _ = nightly.decide_rebuild(args, live, True, previous, previous["inputs"], "x")
    assert mode == "full" and "manifest of the published build" in reason
    changed = dict(previous["inputs"], vars="0" * 12)
    mode, reason, _ = nightly.decide_rebuild(args, live, True, previous, changed, "x")
    assert mode == "full" and reason.endswith("cannot see it: vars")


def test_plain_dbt_build_warns_about_an_edited_incremental_model(nights: StateNights, tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(nights.project, project)
    model = next((project / "models").rglob(f"{PLAIN_MODEL}.sql"))
    assert "materialized='incremental'" in model.read_text()
    model.write_text(model.read_text() + "\n-- edited by tests/integration/test_nightly_state.py\n")
    dev = tmp_path / "dev.duckdb"
    shutil.copyfile(nights.live, dev)
    env = dbt.environment(
        profiles_dir=project, raw_dir=nights.raw, warehouse=dev, target_path=tmp_path / "target"
    )
    stored = (
        "select definition from ops.dbt_incremental_definitions "
        f"where model = 'model.cx_outcomes.{PLAIN_MODEL}'"
    )
    before = query(dev, stored)

    def build(*args: str) -> str:
        selection = ["--select", PLAIN_MODEL, "--exclude-resource-type", "unit_test"]
        command = [dbt.executable(), "build", *selection, *args]
        completed = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)
        assert completed.returncode == 0, completed.stdout[-3000:]
        return completed.stdout

    output = build()
    warnings = [line for line in output.splitlines() if "STALE ROWS" in line]
    assert len(warnings) == 2, output[-3000:]  # at the start and again at the end of the run
    assert PLAIN_MODEL in warnings[0]
    assert f"dbt build --select {PLAIN_MODEL}+ --full-refresh" in warnings[0]
    assert query(dev, stored) == before  # still stale: the next run says so again

    assert "STALE ROWS" not in build("--full-refresh")
    assert query(dev, stored) != before
    assert "STALE ROWS" not in build()
