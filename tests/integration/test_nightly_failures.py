"""scripts.nightly refuses to publish a bad build (SPEC §6, §7): a broken landing zone, a failing data test,
a failing reconciliation or bounds test (validation), a second build while one runs. Every failure exits
non-zero with one line saying why, and leaves the published warehouse byte for byte as it was.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from scripts.ops import dbt, freshness
from tests.integration._nightly_support import (
    PROJECT_DIR,
    assert_published,
    file_digest,
    generate_first_nights,
    latest_record,
    nightly_command,
    nightly_env,
    run_nightly,
    start_nightly_until_it_builds,
)

BOUNDS_TEST = "cx_rates_bounded_mart_first_contact_resolution_"
# the nightly, with its dbt build's results as dbt writes them but for one bounds test, which returned 2 rows
# (a rate out of [0, 1]); warn-severity, so the build itself passes
NIGHTLY_WITH_FAILING_BOUNDS_TEST = f"""
import sys
from scripts import nightly
from scripts.ops import dbt

read = dbt.DbtResult.run_results


def run_results(self):
    results = read(self)
    for result in (results or {{}}).get("results", []):
        if dbt.node_name(result["unique_id"]) == "{BOUNDS_TEST}":
            result.update(status="warn", failures=2, message="Got 2 results, configured to warn if != 0")
    return results


dbt.DbtResult.run_results = run_results
sys.exit(nightly.main(sys.argv[1:]))
"""


# the nightly with the freshness step on a form only dbt resolves: it falls back to `dbt source freshness`
NIGHTLY_WITH_DBT_FRESHNESS = """
import sys
from scripts import nightly
from scripts.ops import freshness


def specs(*args, **kwargs):
    raise freshness.Unsupported("a form only dbt resolves (test)")


freshness.specs = specs
sys.exit(nightly.main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A small landing zone and the warehouse a first nightly published from it."""
    root = tmp_path_factory.mktemp("nightly_failures")
    raw, live = root / "raw", root / "warehouse" / "cx.duckdb"
    generate_first_nights(raw)
    assert_published(run_nightly(raw, live))
    return raw, live


@pytest.fixture()
def raw_copy(published: tuple[Path, Path], tmp_path: Path) -> Path:
    copy = tmp_path / "raw"
    shutil.copytree(published[0], copy)
    return copy


def _assert_refused(result, live: Path, digest: str, code: int, *needles: str) -> str:
    assert result.returncode == code, f"{result.returncode}\n{result.stdout}\n{result.stderr[-2000:]}"
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, lines
    line = lines[0]
    assert "the published warehouse is unchanged" in line
    for needle in needles:
        assert needle in line, (needle, line)
    assert file_digest(live) == digest
    assert not (live.parent / ".build" / live.name).exists(), "the candidate was left behind"
    return line


def test_missing_required_column_names_table_column_and_file(published, raw_copy: Path) -> None:
    _, live = published
    digest = file_digest(live)
    broken = sorted((raw_copy / "contacts").rglob("*.parquet"))[-1]
    table = pq.read_table(broken)
    pq.write_table(table.drop_columns(["initiated_at"]), broken)
    line = _assert_refused(
        run_nightly(raw_copy, live), live, digest, 3, "'contacts'", "'initiated_at'", str(broken)
    )
    assert "landing zone" in line
    record = latest_record(live)
    assert record["status"] == "failed" and record["failed_step"] == "landing zone"


def test_corrupt_parquet_file_is_named(published, raw_copy: Path) -> None:
    _, live = published
    digest = file_digest(live)
    broken = sorted((raw_copy / "contact_events").rglob("*.parquet"))[0]
    broken.write_bytes(b"PAR1 this is not a parquet file PAR1")
    _assert_refused(run_nightly(raw_copy, live), live, digest, 3, str(broken), "cannot be read")


def test_failing_error_severity_data_test_blocks_publishing(published) -> None:
    raw, live = published
    digest = file_digest(live)
    result = run_nightly(raw, live, env=nightly_env(CX_NIGHTLY_CANARY="fail"))
    line = _assert_refused(result, live, digest, 5, "dbt build", "assert_nightly_canary_is_off")
    assert "1 test(s) failed" in line
    record = latest_record(live)
    failing = [test["test"] for test in record["tests"]["failing"]]
    assert failing == ["assert_nightly_canary_is_off"]


def test_failing_bounds_test_fails_validation_with_exit_6(published) -> None:
    raw, live = published
    digest = file_digest(live)
    command = [sys.executable, "-c", NIGHTLY_WITH_FAILING_BOUNDS_TEST, *nightly_command(raw, live)[3:]]
    result = subprocess.run(
        command, cwd=PROJECT_DIR, env=nightly_env(), capture_output=True, text=True, check=False, timeout=1800
    )
    _assert_refused(result, live, digest, 6, "validation", f"({BOUNDS_TEST}: 2 failing row(s))")
    record = latest_record(live)
    assert record["failed_step"] == "validation" and record["validation"]["failed"] == [BOUNDS_TEST]
    checks = {check["name"]: check for check in record["validation"]["checks"]}
    assert checks[BOUNDS_TEST]["values"] == {"tag": "bounds", "failures": 2, "dbt_status": "warn"}
    assert checks["assert_first_contact_resolution_reconciles_with_journeys"]["status"] == "pass"
    assert "1 warn" in result.stderr  # the build step passed with a warning; the validation step failed


def test_stale_sources_are_recorded_and_never_block_publishing(published, raw_copy: Path) -> None:
    raw, live = published
    assert_published(run_nightly(raw, live, freshness=True))
    record = latest_record(live)["freshness"]
    sources = record["sources"]
    assert sorted(sources) == [  # platform.agents has no threshold: the roster lands when it changes
        "crm.customers",
        "crm.orders",
        "crm.subscriptions",
        "platform.contact_events",
        "platform.contacts",
        "platform.fraud_cases",
        "platform.survey_responses",
    ]
    # a generated landing zone is judged at the end of its last load day, not today: the feeds that land every
    # night pass; whatever the status, it is recorded and the night is published
    last_load = dt.date.fromisoformat(json.loads((raw / "_generator.json").read_text())["last_load_date"])
    assert record["reference_at"] == f"{last_load + dt.timedelta(days=1)}T00:00:00+00:00"
    assert "generated data" in record["reference"]
    assert {source["status"] for source in sources.values()} <= {"pass", "warn", "error"}
    assert all(source["max_loaded_at"] for source in sources.values())
    assert sources["platform.contacts"]["status"] == "pass", sources

    # the same files without the generator's manifest are a real landing zone: the wall clock, so every table
    # is months old and warns
    (raw_copy / "_generator.json").unlink()
    moment = freshness.reference(str(raw_copy), {})
    assert moment.at is None
    real = freshness.measure(freshness.specs(str(raw_copy.resolve())), moment.at)["sources"]
    assert {source["status"] for source in real.values()} == {"warn"}, real


def test_freshness_is_what_dbt_source_freshness_says(published, tmp_path: Path) -> None:
    """The nightly reads the thresholds from the sources YAML and queries the files itself: the same sources,
    thresholds, SQL and answers as dbt's (its manifest and its own `dbt source freshness`)."""
    raw, live = published
    assert_published(run_nightly(raw, live, freshness=True))
    record = latest_record(live)["freshness"]
    assert record["method"] == "duckdb"
    manifest = json.loads((live.parent / ".build" / "target" / "manifest.json").read_text())
    expected = {}
    for unique_id, node in manifest["sources"].items():
        thresholds = [
            freshness._threshold(node["freshness"] or {}, key) for key in ("warn_after", "error_after")
        ]
        if node["config"]["enabled"] and any(value is not None for value in thresholds):
            name = ".".join(unique_id.split(".")[-2:])
            expected[name] = (node["relation_name"], node["loaded_at_field"], *thresholds)
    specs = freshness.specs(str(raw.resolve()))
    assert {s.name: (s.relation, s.loaded_at_field, s.warn_after, s.error_after) for s in specs} == expected

    # dbt measures from the moment the nightly recorded when told it (macros/collect_freshness.sql)
    assert record["reference_at"], "a generated landing zone has a reference moment"
    target = tmp_path / "target"
    dbt.run(
        ["source", "freshness"],
        project_dir=PROJECT_DIR,
        target_path=target,
        raw_dir=raw.resolve(),
        extra_env={"CX_DBT_TARGET": "lint", "CX_FRESHNESS_AS_OF": record["reference_at"]},
    )
    by_dbt = {
        ".".join(item["unique_id"].split(".")[-2:]): item
        for item in json.loads((target / "sources.json").read_text())["results"]
    }
    assert sorted(by_dbt) == sorted(record["sources"])
    for name, ours in record["sources"].items():
        theirs = by_dbt[name]
        assert (ours["status"], ours["max_loaded_at"]) == (theirs["status"], theirs["max_loaded_at"]), name
        assert abs(ours["age_hours"] - theirs["max_loaded_at_time_ago_in_s"] / 3600) < 0.2, name


def test_freshness_by_dbt_runs_beside_the_parsing_build(published) -> None:
    """The fallback `dbt source freshness` runs while the night's build is parsing, held at its gate
    (scripts/ops/dbt_gated.py): in its own target directory, on the candidate before the build opens it."""
    raw, live = published
    arguments = nightly_command(raw, live, freshness=True)[3:]
    command = [sys.executable, "-c", NIGHTLY_WITH_DBT_FRESHNESS, *arguments]
    result = subprocess.run(
        command, cwd=PROJECT_DIR, env=nightly_env(), capture_output=True, text=True, check=False, timeout=1800
    )
    assert_published(result)
    record = latest_record(live)
    assert record["freshness"]["method"] == "dbt source freshness"
    assert record["freshness"]["exit_code"] == 0
    assert record["freshness"]["sources"], "dbt measured no source"
    target = live.parent / ".build" / "target"
    assert (target / "freshness" / "sources.json").exists()
    assert not (target / "sources.json").exists()  # not in the build's target
    assert record["build_start"]["started_before_gate_s"] > 0
    assert record["build_start"]["waited_at_gate_s"] is not None


def test_sigterm_mid_build_exits_8_and_leaves_nothing_running_or_behind(published) -> None:
    """systemd's timeout (SIGTERM) while dbt builds into the candidate: exit 8, the published file as it was,
    no candidate, and no dbt left holding the lock (the nightly kills the build it waits for)."""
    raw, live = published
    digest = file_digest(live)
    process, building = start_nightly_until_it_builds(raw, live, capture=True)
    assert building, "the nightly ended before dbt built a model"
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 8, f"{process.returncode}\n{stdout}\n{stderr[-2000:]}"
    assert "interrupted by SIGTERM" in stdout and "the published warehouse is unchanged" in stdout
    assert file_digest(live) == digest
    assert not (live.parent / ".build" / live.name).exists(), "the candidate was left behind"
    assert latest_record(live)["failed_step"] == "interrupted"
    # the dbt child inherited the build lock: free means it is gone
    fd = os.open(live.parent / ".nightly.lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(fd)


def test_second_build_is_refused_while_one_holds_the_lock(published) -> None:
    raw, live = published
    digest = file_digest(live)
    fd = os.open(live.parent / ".nightly.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = run_nightly(raw, live)
    finally:
        os.close(fd)
    assert result.returncode == 4, result.stdout
    assert "another nightly build holds" in result.stdout
    assert file_digest(live) == digest
