"""Fast checks of the nightly's building blocks (scripts/ops): contract rendering, landing-zone check,
Spearman correlation, the reconciliation and bounds checks read from a dbt build's results, the dbt
environment and failure line, build lock and atomic publish. No dbt run needed."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import shutil
import threading
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scripts import nightly
from scripts.ops import adapters, contract, dbt, landing_zone, salt, validate, warehouse

PROJECT_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def raw_contract() -> dict:
    return contract.load(PROJECT_DIR)


def _write_table(root: Path, table: str, spec: dict, drop: str | None = None) -> Path:
    row = {}
    for column in spec["columns"]:
        name = column["name"]
        if name == drop:
            continue
        row[name] = dt.datetime(2025, 1, 1) if column["cx_type"] == "timestamp" else "x"
    folder = root / table / "load_date=2025-01-01"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "part-0000.parquet"
    pq.write_table(pa.Table.from_pylist([row]), path)
    return path


def test_contract_reads_the_eight_tables_of_spec_2(raw_contract: dict) -> None:
    assert len(raw_contract) == 8
    assert [spec["position"] for spec in raw_contract.values()] == list(range(1, 9))
    assert raw_contract["contacts"]["primary_key"] == ["contact_id"]
    required = {c["name"] for c in raw_contract["contacts"]["columns"] if c.get("required")}
    assert {"contact_id", "initiated_at", "disconnected_at", "_loaded_at"} <= required
    assert "customer_id" not in required


def test_landing_zone_accepts_a_complete_zone(tmp_path: Path, raw_contract: dict) -> None:
    for table, spec in raw_contract.items():
        _write_table(tmp_path, table, spec)
    reports = landing_zone.check(tmp_path, raw_contract)
    assert {table: report.rows for table, report in reports.items()} == dict.fromkeys(raw_contract, 1)


def test_landing_zone_names_table_column_and_file(tmp_path: Path, raw_contract: dict) -> None:
    paths = {}
    for table, spec in raw_contract.items():
        paths[table] = _write_table(
            tmp_path, table, spec, drop="event_at" if table == "contact_events" else None
        )
    (tmp_path / "orders" / "load_date=2025-01-02").mkdir()
    corrupt = tmp_path / "orders" / "load_date=2025-01-02" / "part-0000.parquet"
    corrupt.write_bytes(b"not parquet")
    with pytest.raises(landing_zone.LandingZoneError) as error:
        landing_zone.check(tmp_path, raw_contract)
    problems = "\n".join(error.value.problems)
    assert (
        f"raw table 'contact_events' is missing required column 'event_at' in file {paths['contact_events']}"
        in problems
    )
    assert f"raw file {corrupt} of table 'orders' cannot be read" in problems


def test_landing_zone_reports_a_missing_table(tmp_path: Path, raw_contract: dict) -> None:
    for table, spec in raw_contract.items():
        if table != "fraud_cases":
            _write_table(tmp_path, table, spec)
    with pytest.raises(landing_zone.LandingZoneError, match="'fraud_cases' has no Parquet files"):
        landing_zone.check(tmp_path, raw_contract)


def test_spearman_with_ties_and_degenerate_input() -> None:
    assert validate.spearman([1, 2, 3, 4], [7.0, 5.0, 4.0, 1.0]) == -1.0
    assert validate.spearman([1, 2, 3], [1.0, 1.0, 2.0]) == pytest.approx(0.8660254)
    # scipy.stats.spearmanr's documented example (a tie in y): 0.8207826816681233
    assert validate.spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) == pytest.approx(0.8207826816681233, abs=1e-15)
    assert validate.spearman([1], [2.0]) is None
    assert validate.spearman([1, 2], [3.0, 3.0]) is None


def test_spearman_agrees_with_scipy_on_ties() -> None:
    stats = pytest.importorskip("scipy.stats")
    xs = [1, 1, 2, 3, 3, 3, 4, 5, 5, 6]
    ys = [2.0, 1.0, 1.0, 4.0, 3.5, 3.5, 3.5, 7.0, 6.0, 6.0]
    assert validate.spearman(xs, ys) == pytest.approx(stats.spearmanr(xs, ys).statistic, abs=1e-12)


def test_dbt_environment_sets_what_it_is_given_and_defaults_only_what_is_unset(tmp_path: Path) -> None:
    base = {"PATH": "/bin", "DBT_PROFILES_DIR": "/from/shell", "CX_WAREHOUSE": "/from/shell.duckdb"}
    env = dbt.environment(
        raw_dir="raw", target_path=tmp_path, extra={"CX_DBT_TARGET": "lint"}, base=base,
        defaults={"DBT_PROFILES_DIR": "/project", "DBT_LOG_LEVEL_FILE": "info"},
    )  # fmt: skip
    assert env == {
        "PATH": "/bin",
        "DBT_PROFILES_DIR": "/from/shell",  # a default never overrides what is set
        "CX_WAREHOUSE": "/from/shell.duckdb",  # not given: kept
        "CX_RAW_DIR": "raw",
        "DBT_TARGET_PATH": str(tmp_path),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "CX_DBT_TARGET": "lint",
        "DBT_LOG_LEVEL_FILE": "info",
    }
    given = dbt.environment(profiles_dir=Path("/project"), log_path=Path("/logs"), base=base)
    assert given["DBT_PROFILES_DIR"] == "/project" and given["DBT_LOG_PATH"] == "/logs"
    assert dbt.environment(base={}, extra={"DBT_SEND_ANONYMOUS_USAGE_STATS": "true"}) == {
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "true"
    }


def _dbt_result(tmp_path: Path, stdout: str = "", returncode: int = 1) -> dbt.DbtResult:
    return dbt.DbtResult(["build"], returncode, stdout, "", tmp_path)


def test_dbt_failure_line_names_failed_models_and_tests_from_run_results(tmp_path: Path) -> None:
    results = [
        {"unique_id": "seed.cx.intents", "status": "success"},
        {"unique_id": "model.cx.fct_contacts", "status": "error", "message": "Binder Error"},
        {"unique_id": "model.cx.fct_journeys", "status": "skipped"},
        {"unique_id": "test.cx.unique_fct_contacts_contact_id.1a2b", "status": "fail", "message": "Got 2"},
        {"unique_id": "test.cx.not_null_x.3c4d", "status": "warn", "message": "Got 1"},
        {"unique_id": "test.cx.assert_nightly_canary_is_off", "status": "error", "message": "boom"},
        {"unique_id": "unit_test.cx.fct_contacts.test_chaining", "status": "fail", "message": "diff"},
    ]
    line = dbt.failure_line(_dbt_result(tmp_path, "Encountered an error:\nnot this"), {"results": results})
    assert line == (
        "1 model(s) failed (fct_contacts); "
        "3 test(s) failed (unique_fct_contacts_contact_id, assert_nightly_canary_is_off, test_chaining)"
    )
    models = [{"unique_id": f"model.cx.m{i}", "status": "error"} for i in range(5)]
    assert dbt.failure_line(_dbt_result(tmp_path), {"results": models}) == "5 model(s) failed (m0, m1, m2)"


def test_dbt_failure_line_reads_a_hook_from_run_results_and_dbt_output_only_without_them(
    tmp_path: Path,
) -> None:
    hook = {
        "unique_id": "operation.cx.cx-on-run-start-0",
        "status": "error",
        "message": "cx.on-run-start.0 failed, error:\n Catalog Error: no table",
    }
    line = dbt.failure_line(_dbt_result(tmp_path), {"results": [hook]})
    assert line == "cx.on-run-start.0 failed, error: Catalog Error: no table"
    output = "12:00:01  Running with dbt\n12:00:02  Encountered an error:\nParsing Error\n  at models/x.sql\n"
    assert dbt.failure_line(_dbt_result(tmp_path, output), None) == "Parsing Error at models/x.sql"
    assert dbt.failure_line(_dbt_result(tmp_path, "Database Error in model x"), {"results": []}) == (
        "Database Error in model x"
    )
    assert dbt.failure_line(_dbt_result(tmp_path, "", 2), None) == "dbt exited with 2"


def test_lock_is_exclusive(tmp_path: Path) -> None:
    live = tmp_path / "cx.duckdb"
    first = warehouse.build_lock(live, "first")
    first.__enter__()
    try:
        with pytest.raises(warehouse.WarehouseBusy, match="first"), warehouse.build_lock(live, "second"):
            pass
    finally:
        first.__exit__(None, None, None)
    with warehouse.build_lock(live, "third"):
        pass


def test_publish_replaces_atomically_and_refuses_a_changed_live_file(tmp_path: Path) -> None:
    live = tmp_path / "cx.duckdb"
    connection = duckdb.connect(str(live))
    connection.execute("create table t as select 1 as v")
    connection.close()
    candidate, state, how = warehouse.prepare_candidate(live)
    assert candidate.name == live.name and candidate.parent != live.parent
    assert how in (warehouse.CLONED, warehouse.COPIED)
    connection = duckdb.connect(str(candidate))
    connection.execute("update t set v = 2")
    connection.close()
    reader = duckdb.connect(str(live), read_only=True)  # a BI tool connected during the build
    replaced_inode = live.stat().st_ino
    warehouse.publish(candidate, live, state)
    assert reader.execute("select v from t").fetchone() == (1,)  # keeps its snapshot
    # the replaced file keeps a second name until release_replaced's detached rm deletes it
    kept = warehouse.replaced_dir(live) / f"{live.name}.{replaced_inode}"
    assert kept.stat().st_ino == replaced_inode
    remover = warehouse.release_replaced(live)
    assert remover is not None and remover.wait(10) == 0
    assert not list(warehouse.replaced_dir(live).iterdir())
    assert reader.execute("select v from t").fetchone() == (1,)  # its open file outlives both names
    reader.close()
    assert duckdb.connect(str(live), read_only=True).execute("select v from t").fetchone() == (2,)
    assert warehouse.release_replaced(live) is None  # nothing left to delete

    candidate, state, _ = warehouse.prepare_candidate(live)
    live.touch()  # somebody wrote to the live file meanwhile
    with pytest.raises(warehouse.PublishError, match="changed during the build"):
        warehouse.publish(candidate, live, state)


def test_publish_without_hard_links_or_rm_still_replaces_and_deletes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = tmp_path / "cx.duckdb"
    live.write_bytes(b"published")
    candidate = warehouse.candidate_path(live)
    candidate.parent.mkdir()

    def no_link(source: Path, destination: Path) -> None:
        raise OSError(1, "Operation not permitted")  # a filesystem without hard links

    monkeypatch.setattr(warehouse.os, "link", no_link)
    candidate.write_bytes(b"built")
    warehouse.publish(candidate, live, warehouse.file_state(live))
    assert live.read_bytes() == b"built" and warehouse.release_replaced(live) is None
    monkeypatch.undo()

    def no_rm(*args: object, **kwargs: object) -> None:
        raise FileNotFoundError(2, "No such file or directory: 'rm'")

    monkeypatch.setattr(warehouse.subprocess, "Popen", no_rm)
    candidate.write_bytes(b"built again")
    warehouse.publish(candidate, live, warehouse.file_state(live))
    assert len(list(warehouse.replaced_dir(live).iterdir())) == 1
    assert warehouse.release_replaced(live) is None  # deleted here instead
    assert not list(warehouse.replaced_dir(live).iterdir()) and live.read_bytes() == b"built again"


def test_candidate_is_a_clone_where_the_filesystem_shares_blocks_else_a_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = tmp_path / "cx.duckdb"
    live.write_bytes(b"published" * 1000)
    assert warehouse.prepare_candidate(tmp_path / "none.duckdb")[2] is None  # a first build: nothing to copy

    clones: list[tuple[Path, Path]] = []

    def clone(source: Path, destination: Path) -> None:
        # like FICLONE behind reflink-copy: a new file only (O_EXCL)
        if Path(destination).exists():
            raise FileExistsError(17, "File exists")
        clones.append((source, destination))
        destination.write_bytes(Path(source).read_bytes())

    monkeypatch.setattr(warehouse, "reflink", clone)
    candidate, _, how = warehouse.prepare_candidate(live)
    assert how == warehouse.CLONED and clones == [(live, candidate)]
    assert candidate.read_bytes() == live.read_bytes()
    # an existing destination (the benchmark's restores) is replaced by a clone, not copied over
    stale = tmp_path / "restore.duckdb"
    stale.write_bytes(b"stale")
    assert warehouse.clone_or_copy(live, stale) == warehouse.CLONED
    assert stale.read_bytes() == live.read_bytes()

    def refuse(source: Path, destination: Path) -> None:
        Path(destination).write_bytes(b"half")  # whatever a refused clone left is not kept
        raise OSError(95, "Operation not supported")

    monkeypatch.setattr(warehouse, "reflink", refuse)
    candidate, _, how = warehouse.prepare_candidate(live)
    assert how == warehouse.COPIED and candidate.read_bytes() == live.read_bytes()


def test_candidate_copy_runs_in_the_background_and_hands_over_its_result_or_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = tmp_path / "cx.duckdb"
    live.write_bytes(b"published" * 1000)
    started = threading.Event()
    release = threading.Event()
    real = warehouse.prepare_candidate

    def slow(path: Path):
        started.set()
        assert release.wait(10)
        return real(path)

    monkeypatch.setattr(warehouse, "prepare_candidate", slow)
    copy = warehouse.CandidateCopy(live)
    assert started.wait(10)  # it runs while the caller goes on
    assert copy.seconds is None
    release.set()
    candidate, state, how = copy.result()
    assert candidate == warehouse.candidate_path(live) and candidate.read_bytes() == live.read_bytes()
    assert state == warehouse.file_state(live) and how in (warehouse.CLONED, warehouse.COPIED)
    assert copy.seconds is not None

    def fail(path: Path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(warehouse, "prepare_candidate", fail)
    failed = warehouse.CandidateCopy(live)
    failed.settle()  # waits, never raises (a failed run's clean-up)
    with pytest.raises(OSError, match="No space left"):
        failed.result()  # the step that needs the candidate gets the error


def test_candidate_copy_hands_over_the_copy_before_its_fsync_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a byte-for-byte copy leaves the candidate's pages dirty; the copy thread fsyncs them while the caller
    # already builds, so that DuckDB's first checkpoint does not wait for the whole file
    live = tmp_path / "cx.duckdb"
    live.write_bytes(b"published" * 1000)
    flushing = threading.Event()
    release = threading.Event()
    flushed: list[Path] = []

    def slow_fsync(path: Path, directory: bool = False) -> None:
        flushing.set()
        assert release.wait(10)
        flushed.append(path)

    def no_clone(source: Path, destination: Path) -> None:
        raise OSError(95, "Operation not supported")  # ext4, tmpfs: the copy is byte for byte

    def clone(source: Path, destination: Path) -> None:
        shutil.copyfile(source, destination)

    monkeypatch.setattr(warehouse, "_fsync_path", slow_fsync)
    monkeypatch.setattr(warehouse, "reflink", no_clone)
    copy = warehouse.CandidateCopy(live)
    assert flushing.wait(10)
    handed: list[tuple[Path, warehouse.FileState | None, str | None]] = []
    waiter = threading.Thread(target=lambda: handed.append(copy.result()))
    waiter.start()
    waiter.join(10)  # result() returns while the fsync is still held
    assert handed, "result() waited for the fsync"
    candidate, _, how = handed[0]
    assert how == warehouse.COPIED and candidate.read_bytes() == live.read_bytes()
    assert copy.flush_seconds is None and not flushed
    release.set()
    copy.settle()  # waits for the fsync too
    assert flushed == [candidate] and copy.flush_seconds is not None

    # a clone shares the live file's blocks: nothing to flush
    monkeypatch.setattr(warehouse, "reflink", clone)
    flushed.clear()
    cloned = warehouse.CandidateCopy(live)
    assert cloned.result()[2] == warehouse.CLONED
    cloned.settle()
    assert not flushed and cloned.flush_seconds is None

    # an fsync that fails is left to publish, which fsyncs the candidate again before it replaces anything
    def failing_fsync(path: Path, directory: bool = False) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(warehouse, "_fsync_path", failing_fsync)
    monkeypatch.setattr(warehouse, "reflink", no_clone)
    failed = warehouse.CandidateCopy(live)
    assert failed.result()[2] == warehouse.COPIED
    failed.settle()
    assert failed.flush_seconds is not None


def test_candidate_summary_names_the_clone_and_hints_at_it_for_a_large_copy() -> None:
    assert nightly.describe_candidate(None, None).startswith("no live warehouse yet")
    assert nightly.describe_candidate(warehouse.CLONED, 5 << 30) == "cloned the live warehouse (reflink)"
    assert nightly.describe_candidate(warehouse.COPIED, 1 << 20) == "copied the live warehouse"
    large = nightly.describe_candidate(warehouse.COPIED, 5 << 30)
    assert large.startswith("copied the live warehouse (5.0 GiB;") and "docs/operations.md" in large


def test_salt_comes_from_env_or_vars_and_the_default_is_flagged() -> None:
    default = salt.development_default(PROJECT_DIR)
    assert default == "cx-dev-salt-not-for-production"
    dev = salt.resolve(PROJECT_DIR, None, environ={})
    assert dev.is_development_default and dev.source == "development default"
    assert dev.warning() and "CX_CUSTOMER_KEY_SALT" in dev.warning()
    secret = salt.resolve(PROJECT_DIR, None, environ={"CX_CUSTOMER_KEY_SALT": "s3cret"})
    assert not secret.is_development_default and secret.warning() is None
    assert secret.to_record() == {"source": "env CX_CUSTOMER_KEY_SALT", "is_development_default": False}
    assert "s3cret" not in str(secret.to_record())
    passed = salt.resolve(
        PROJECT_DIR, '{"customer_key_salt": "other"}', environ={"CX_CUSTOMER_KEY_SALT": "s3cret"}
    )
    assert passed.source == "--vars" and passed.digest() != secret.digest()


def test_personal_data_columns_check_names_every_clear_column(raw_contract: dict) -> None:
    connection = duckdb.connect()
    connection.execute("create schema staging")
    connection.execute(
        "create table staging.ok (customer_id varchar, email_hash varchar, agent_name varchar)"
    )
    assert validate.check_personal_data_columns(connection, raw_contract).status == "pass"
    connection.execute("create table staging.leak (customer_id varchar, phone varchar)")
    check = validate.check_personal_data_columns(connection, raw_contract)
    assert check.status == "fail" and "staging.leak.phone" in check.detail


def test_landing_zone_with_a_platform_on(tmp_path: Path, raw_contract: dict) -> None:
    # SPEC §8.1: contacts and events come from Amazon Connect, so their landing-zone folders may be absent;
    # the platform's files are counted line by line (blank lines are not records), a broken gzip is named
    for table, spec in raw_contract.items():
        if table not in ("contacts", "contact_events"):
            _write_table(tmp_path, table, spec)
    sources = ["landing_zone", "amazon_connect"]
    objects = adapters.objects(PROJECT_DIR, sources)
    folder = tmp_path / "amazon_connect" / "contact_records" / "2025" / "03" / "01" / "10"
    folder.mkdir(parents=True)
    with gzip.open(folder / "part-1.json.gz", "wb") as handle:
        handle.write(b'{"ContactId": "c1"}\n\n{"ContactId": "c2"}\nnot json\n')
    options = {
        "sources": sources,
        "platform_objects": objects,
        "provided": adapters.provided_tables(PROJECT_DIR, sources),
    }
    reports = landing_zone.check(tmp_path, raw_contract, **options)
    assert reports["amazon_connect.contact_records"].rows == 3
    assert "contacts" not in reports
    broken = folder / "part-2.json.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00 not a gzip stream")
    with pytest.raises(landing_zone.LandingZoneError, match=f"raw file {broken} of amazon_connect"):
        landing_zone.check(tmp_path, raw_contract, **options)
    # with the platform off, the missing folders are an error that says how to switch it on
    with pytest.raises(landing_zone.LandingZoneError) as error:
        landing_zone.check(tmp_path, raw_contract, alternatives=adapters.providers(PROJECT_DIR))
    assert "switch that on: CX_SOURCES=landing_zone,amazon_connect" in error.value.problems[0]


def test_sources_switch_reads_env_and_vars_and_refuses_unknown_names() -> None:
    assert adapters.enabled_sources(PROJECT_DIR, None, environ={}) == ["landing_zone"]
    assert adapters.enabled_sources(
        PROJECT_DIR, None, environ={"CX_SOURCES": " Landing_Zone , amazon_connect,"}
    ) == ["landing_zone", "amazon_connect"]
    assert adapters.enabled_sources(PROJECT_DIR, '{"sources": ["amazon_connect"]}', environ={}) == [
        "amazon_connect"
    ]
    with pytest.raises(ValueError, match="unknown source 'zendeskk'"):
        adapters.enabled_sources(PROJECT_DIR, None, environ={"CX_SOURCES": "zendeskk"})


def test_salt_check_finds_a_view_that_holds_the_salt() -> None:
    connection = duckdb.connect()
    connection.execute("create view clean as select md5('x') as h")
    assert validate.check_salt_not_stored(connection, "a-long-secret-salt").status == "pass"
    connection.execute("create view leaky as select md5('a-long-secret-salt|x') as h")
    check = validate.check_salt_not_stored(connection, "a-long-secret-salt")
    assert check.status == "fail" and "main.leaky" in check.detail


def _test_node(name: str, *tags: str) -> dict:
    return {"resource_type": "test", "name": name, "tags": list(tags)}


def test_reconciliation_and_bounds_checks_are_read_from_the_dbt_build() -> None:
    manifest = {
        "nodes": {
            "model.cx_outcomes.fct_journeys": {"resource_type": "model", "name": "fct_journeys", "tags": []},
            "test.cx_outcomes.unique_fct_journeys_journey_id.1a": _test_node(
                "unique_fct_journeys_journey_id"
            ),
            "test.cx_outcomes.assert_b_reconciles": _test_node("assert_b_reconciles", "reconciliation"),
            "test.cx_outcomes.assert_a_reconciles": _test_node("assert_a_reconciles", "reconciliation"),
            "test.cx_outcomes.cx_rates_bounded_mart_x_.2b": _test_node("cx_rates_bounded_mart_x_", "bounds"),
            "test.cx_outcomes.cx_rates_bounded_mart_y_.3c": _test_node("cx_rates_bounded_mart_y_", "bounds"),
        }
    }
    run_results = {
        "results": [
            {
                "unique_id": "test.cx_outcomes.unique_fct_journeys_journey_id.1a",
                "status": "fail",
                "failures": 1,
            },
            {"unique_id": "test.cx_outcomes.assert_a_reconciles", "status": "pass", "failures": 0},
            {"unique_id": "test.cx_outcomes.assert_b_reconciles", "status": "warn", "failures": 1},
            {"unique_id": "test.cx_outcomes.cx_rates_bounded_mart_x_.2b", "status": "warn", "failures": 3},
            {
                "unique_id": "test.cx_outcomes.cx_rates_bounded_mart_y_.3c",
                "status": "error",
                "failures": None,
                "message": "Binder Error: column\n  fcr_rate not found",
            },
        ]
    }
    checks = validate.check_dbt_tests(validate.DbtResults(manifest, run_results))
    # one check per tagged test, named after it, reconciliation first; the untagged test is the build's
    assert [(c.name, c.status, c.values["failures"]) for c in checks] == [
        ("assert_a_reconciles", "pass", 0),
        ("assert_b_reconciles", "fail", 1),
        ("cx_rates_bounded_mart_x_", "fail", 3),
        ("cx_rates_bounded_mart_y_", "fail", None),
    ]
    assert checks[2].detail == "3 failing row(s)" and checks[2].values["tag"] == "bounds"
    assert checks[3].detail == "dbt error: Binder Error: column fcr_rate not found"

    # a tagged test the build did not run fails the night, unless the build ran no data test on purpose
    missing = validate.check_dbt_tests(validate.DbtResults(manifest, {"results": run_results["results"][:2]}))
    assert {c.status for c in missing} == {"pass", "fail"} and missing[1].detail == "not run by the build"
    skipped = validate.check_dbt_tests(validate.DbtResults(manifest, {"results": []}, "--skip-tests"))
    assert {(c.status, c.detail) for c in skipped} == {("skip", "not run (--skip-tests)")}
    # a manifest without a tagged test is a lost check, not a pass
    untagged = {"nodes": {k: v for k, v in manifest["nodes"].items() if not v["tags"]}}
    (lost,) = validate.check_dbt_tests(validate.DbtResults(untagged, run_results))
    assert lost.status == "fail" and "tag:reconciliation, tag:bounds" in lost.detail
    # without a build (python -m scripts.validate on a file): skipped, saying where the results are
    standalone = validate.check_dbt_tests(None)
    assert [(c.name, c.status) for c in standalone] == [
        ("dbt:tag:reconciliation", "skip"),
        ("dbt:tag:bounds", "skip"),
    ]
    assert all("dbt build" in c.detail and "dbt test --select tag:" in c.detail for c in standalone)


class _Event:
    """The part of a dbt EventMsg the gate reads."""

    def __init__(self, name: str) -> None:
        self.info = type("Info", (), {"name": name})()


def test_gate_holds_dbt_at_its_first_connection_until_go(monkeypatch: pytest.MonkeyPatch) -> None:
    from scripts.ops import dbt_gated

    stdin, stderr = io.StringIO("go\n"), io.StringIO()
    gate = dbt_gated.Gate(stdin, stderr)
    gate(_Event("FoundStats"))  # parsing: not yet
    assert gate.waited_s is None and stdin.tell() == 0
    gate(_Event(dbt_gated.GATE_EVENT))
    assert gate.waited_s is not None and stdin.tell() == 3
    assert dbt.GATE_WAITING in stderr.getvalue()
    assert dbt.waited_seconds(stderr.getvalue()) == round(gate.waited_s, 2)
    gate(_Event(dbt_gated.GATE_EVENT))  # once only: a second line is not read
    assert stdin.tell() == 3

    def refuse(code: int) -> None:
        raise SystemExit(code)

    monkeypatch.setattr(dbt_gated.os, "_exit", refuse)
    for said in ("", "no\n"):
        with pytest.raises(SystemExit) as stopped:
            dbt_gated.Gate(io.StringIO(said), io.StringIO())(_Event(dbt_gated.GATE_EVENT))
        assert stopped.value.code == dbt.GATE_EXIT_REFUSED


def test_gated_dbt_exit_codes_are_the_dbt_executables() -> None:
    from scripts.ops import dbt_gated

    def result(success: bool, exception: BaseException | None = None):
        return type("Result", (), {"success": success, "exception": exception})()

    assert dbt_gated.exit_code(result(True)) == 0
    assert dbt_gated.exit_code(result(False)) == 1  # a node failed
    assert dbt_gated.exit_code(result(False, RuntimeError("parse"))) == 2


def test_waited_seconds_reads_only_the_gate_line() -> None:
    stderr = "dbt_gated: parsed; waiting for go\ndbt_gated: go after 1.25 s at the gate\n"
    assert dbt.waited_seconds(stderr) == 1.25
    assert dbt.waited_seconds("Running with dbt=1.11\nEncountered an error") is None
