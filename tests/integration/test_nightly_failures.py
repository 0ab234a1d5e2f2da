"""scripts.nightly refuses to publish a bad build (SPEC §6, §7): a broken landing zone, a failing data test,
a second build while one runs. Every failure exits non-zero with one line saying why, and leaves the
published warehouse byte for byte as it was.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.integration._nightly_support import (
    assert_published,
    file_digest,
    generate_first_nights,
    latest_record,
    nightly_env,
    run_nightly,
)


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


def test_stale_sources_are_recorded_and_never_block_publishing(published) -> None:
    raw, live = published
    assert_published(run_nightly(raw, live, freshness=True))
    sources = latest_record(live)["freshness"]["sources"]
    assert sorted(sources) == [
        "crm.customers",
        "crm.orders",
        "crm.subscriptions",
        "platform.agents",
        "platform.contact_events",
        "platform.contacts",
        "platform.fraud_cases",
        "platform.survey_responses",
    ]
    # the generated landing zone ends days before today: stale (warn or error), recorded, published anyway
    assert {source["status"] for source in sources.values()} <= {"pass", "warn", "error"}
    assert all(source["max_loaded_at"] for source in sources.values())


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
