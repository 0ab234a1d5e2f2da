"""scripts/ops/freshness.py: the sources YAML read as dbt reads it, and dbt's freshness rule, on a small
project and landing zone. No dbt run: tests/integration/test_nightly_failures.py compares it with dbt."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scripts.ops import freshness

PROJECT_DIR = Path(__file__).resolve().parents[2]

SOURCES = """
    version: 2
    sources:
      - name: crm
        meta:
          external_location: "read_parquet('{{ env_var('CX_RAW_DIR', 'data/raw') }}/{name}/**/*.parquet')"
        loaded_at_field: try_cast(_loaded_at as timestamp)
        config:
          freshness:
            warn_after: {count: 36, period: hour}
        tables:
          - name: orders
          - name: customers
            config:
              freshness:
                error_after: {count: 2, period: day}
          - name: notes
            freshness: null
      - name: off
        config:
          enabled: false
          freshness:
            warn_after: {count: 1, period: hour}
        loaded_at_field: _loaded_at
        tables:
          - name: anything
      - name: unchecked
        tables:
          - name: files
"""


def _project(root: Path, sources: str = SOURCES, project_extra: str = "") -> Path:
    (root / "models" / "staging").mkdir(parents=True)
    (root / "dbt_project.yml").write_text(f"name: p\nmodel-paths: ['models']\n{project_extra}")
    (root / "models" / "staging" / "_sources.yml").write_text(textwrap.dedent(sources))
    (root / "models" / "staging" / "_models.yml").write_text("version: 2\nmodels:\n  - name: m\n")
    return root


def _land(raw: Path, table: str, *loaded_at: dt.datetime | None) -> None:
    folder = raw / table / "load_date=2025-01-01"
    folder.mkdir(parents=True, exist_ok=True)
    schema = pa.schema([("id", pa.string()), ("_loaded_at", pa.timestamp("us"))])
    rows = [{"id": str(index), "_loaded_at": value} for index, value in enumerate(loaded_at)]
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), folder / "part-0000.parquet")


def test_specs_follow_the_yaml_table_over_source(tmp_path: Path) -> None:
    specs = {spec.name: spec for spec in freshness.specs("/raw", _project(tmp_path))}
    assert sorted(specs) == ["crm.customers", "crm.orders"]  # null, disabled and threshold-less are skipped
    orders, customers = specs["crm.orders"], specs["crm.customers"]
    assert orders.relation == "read_parquet('/raw/orders/**/*.parquet')"
    assert orders.loaded_at_field == "try_cast(_loaded_at as timestamp)"
    assert (orders.warn_after, orders.error_after) == (36 * 3600, None)
    assert (customers.warn_after, customers.error_after) == (36 * 3600, 2 * 86400)


def test_status_is_dbts_rule(tmp_path: Path) -> None:
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    raw = tmp_path / "raw"
    _land(raw, "orders", now - dt.timedelta(hours=50), now - dt.timedelta(hours=2), None)
    _land(raw, "customers", now - dt.timedelta(days=3))
    specs = freshness.specs(str(raw), _project(tmp_path / "project"))
    result = freshness.measure(specs)
    orders, customers = result["sources"]["crm.orders"], result["sources"]["crm.customers"]
    assert orders["status"] == "pass" and 1.9 <= orders["age_hours"] <= 2.2
    assert orders["max_loaded_at"] == (now - dt.timedelta(hours=2)).replace(tzinfo=dt.UTC).isoformat()
    assert customers["status"] == "error" and result["exit_code"] == 1

    _land(raw, "customers", now - dt.timedelta(hours=40))
    assert freshness.measure(specs)["sources"]["crm.customers"]["status"] == "warn"
    assert freshness.measure(specs)["exit_code"] == 0


def test_missing_files_or_no_timestamp_is_a_runtime_error(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    _land(raw, "orders", None)
    result = freshness.measure(freshness.specs(str(raw), _project(tmp_path / "project")))
    assert result["exit_code"] == 1
    for name in ("crm.orders", "crm.customers"):
        entry = result["sources"][name]
        assert entry["status"] == "runtime error" and entry["max_loaded_at"] is None, entry
        assert entry["message"]


@pytest.mark.parametrize(
    ("sources", "project_extra"),
    [
        (SOURCES.replace("env_var('CX_RAW_DIR', 'data/raw')", "var('raw_dir')"), ""),
        (
            SOURCES.replace(
                "    loaded_at_field: try_cast",
                "    loaded_at_query: select 1\n        loaded_at_field: try_cast",
            ),
            "",
        ),
        (
            SOURCES.replace(
                "warn_after: {count: 36, period: hour}",
                "warn_after: {count: 36, period: hour}\n            filter: id > 0",
            ),
            "",
        ),
        (SOURCES, "sources:\n  p:\n    +freshness: null\n"),
    ],
    ids=["var", "loaded_at_query", "filter", "project_config"],
)
def test_forms_only_dbt_resolves_are_refused(tmp_path: Path, sources: str, project_extra: str) -> None:
    with pytest.raises(freshness.Unsupported):
        freshness.specs("/raw", _project(tmp_path, sources, project_extra))


def test_a_remote_raw_dir_is_left_to_dbt() -> None:
    with pytest.raises(freshness.Unsupported):
        freshness.specs("s3://bucket/raw", PROJECT_DIR)


def test_the_projects_sources_all_have_a_spec() -> None:
    names = {spec.name for spec in freshness.specs("/raw", PROJECT_DIR)}
    assert {"crm.orders", "platform.contact_events"} <= names


def _manifest(raw: Path, last_load_date: str, generator: str = "scripts.generate_data") -> None:
    raw.mkdir(parents=True, exist_ok=True)
    (raw / freshness.GENERATOR_MANIFEST).write_text(
        json.dumps({"generator": generator, "last_load_date": last_load_date})
    )


def test_reference_is_the_env_var_then_the_generated_datas_end_then_the_wall_clock(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    wall = freshness.reference(str(raw), {})
    assert wall.at is None and wall.basis == "wall clock" and wall.env() == {}
    assert wall.to_record() == {"reference_at": None, "reference": "wall clock"}

    _manifest(raw, "2025-07-29")
    generated = freshness.reference(str(raw), {})
    assert generated.at == dt.datetime(2025, 7, 30, tzinfo=dt.UTC)
    assert "generated data" in generated.basis
    assert generated.env() == {"CX_FRESHNESS_AS_OF": "2025-07-30T00:00:00+00:00"}

    explicit = freshness.reference(str(raw), {"CX_FRESHNESS_AS_OF": "2025-06-01T12:00"})
    assert explicit.at == dt.datetime(2025, 6, 1, 12, tzinfo=dt.UTC)  # no zone: UTC
    assert explicit.basis == "$CX_FRESHNESS_AS_OF"
    zoned = freshness.reference(str(raw), {"CX_FRESHNESS_AS_OF": "2025-06-01T12:00+02:00"})
    assert zoned.at == dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="CX_FRESHNESS_AS_OF"):
        freshness.reference(str(raw), {"CX_FRESHNESS_AS_OF": "last tuesday"})


@pytest.mark.parametrize(
    "manifest_text",
    [
        '{"generator": "someone else", "last_load_date": "2025-07-29"}',
        '{"generator": "scripts.generate_data"}',
        "{",
    ],
    ids=["other_writer", "no_last_load_date", "not_json"],
)
def test_a_landing_zone_the_generator_did_not_write_is_judged_by_the_wall_clock(
    tmp_path: Path, manifest_text: str
) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / freshness.GENERATOR_MANIFEST).write_text(manifest_text)
    assert freshness.reference(str(raw), {}).at is None
    assert freshness.reference("s3://bucket/raw", {}).at is None


def test_generated_data_is_fresh_at_its_end_and_a_stopped_table_still_warns(tmp_path: Path) -> None:
    """Demo data is months old: against its own end it passes, a table that stopped early warns, and the same
    files without the generator's manifest (a real landing zone) warn against the wall clock."""
    raw = tmp_path / "raw"
    _land(raw, "orders", dt.datetime(2025, 7, 29, 22, 0), dt.datetime(2025, 7, 20))
    _land(raw, "customers", dt.datetime(2025, 7, 28, 10, 0))  # stopped a night before the end
    specs = freshness.specs(str(raw), _project(tmp_path / "project"))
    _manifest(raw, "2025-07-29")
    moment = freshness.reference(str(raw), {})
    result = freshness.measure(specs, moment.at)
    assert result["sources"]["crm.orders"]["status"] == "pass"
    assert result["sources"]["crm.orders"]["age_hours"] == 2.0
    customers = result["sources"]["crm.customers"]
    assert customers["status"] == "warn" and customers["age_hours"] == 38.0 and result["exit_code"] == 0

    (raw / freshness.GENERATOR_MANIFEST).unlink()
    wall = freshness.measure(specs, freshness.reference(str(raw), {}).at)
    assert wall["sources"]["crm.orders"]["status"] == "warn"
    assert wall["sources"]["crm.customers"]["status"] == "error" and wall["exit_code"] == 1


def test_the_projects_thresholds() -> None:
    """36 hours for the tables that land every night, 30 days for fraud cases, no check for the roster."""
    specs = freshness.specs("/raw", PROJECT_DIR)
    thresholds = {spec.name: (spec.warn_after, spec.error_after) for spec in specs}
    daily = ["crm.customers", "crm.orders", "crm.subscriptions"]
    daily += ["platform.contact_events", "platform.contacts", "platform.survey_responses"]
    assert sorted(thresholds) == sorted([*daily, "platform.fraud_cases"])
    assert all(thresholds[name] == (36 * 3600, None) for name in daily)
    assert thresholds["platform.fraud_cases"] == (30 * 86400, None)


def test_the_cli_prints_the_moment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = tmp_path / "raw"
    _land(raw, "orders", dt.datetime(2025, 7, 29, 22, 0))
    _manifest(raw, "2025-07-29")
    freshness.main(["--raw-dir", str(raw), "--json"])
    printed = json.loads(capsys.readouterr().out)
    assert printed["reference_at"] == "2025-07-30T00:00:00+00:00"
    assert printed["sources"]["crm.orders"] == {
        "status": "pass",
        "max_loaded_at": "2025-07-29T22:00:00+00:00",
        "age_hours": 2.0,
    }
