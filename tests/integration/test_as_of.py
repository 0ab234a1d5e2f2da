"""SPEC §4.7, an explicit as_of (`--vars '{"as_of": ...}'`, README) end to end. The nightly never sets it,
so only an analyst's as-of rebuild reaches that branch: once it gave `int_as_of_resolved` one row per accepted
contact, which every model that cross joins as_of multiplied. Here: the default as_of given explicitly builds
the same warehouse; an earlier one builds, passes every data test and leaves out exactly the contacts
initiated after it."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from scripts.bench import compare
from tests.conftest import dbt_env, run_dbt
from tests.integration._nightly_support import query

# a data test that warns (the reconciliation and bounds tests are warn-severity) fails here, as in
# make test-build
WARN_IS_ERROR = ["--warn-error-options", '{"error": ["LogTestResult"]}']


def _build(raw: Path, root: Path, name: str, as_of: str | None = None) -> Path:
    warehouse = root / name / "cx.duckdb"
    warehouse.parent.mkdir(parents=True)
    env = dbt_env(raw, warehouse, root / name / "target")
    extra = ["--vars", json.dumps({"as_of": as_of})] if as_of else []
    run_dbt(["build", "--full-refresh", "--exclude-resource-type", "unit_test", *WARN_IS_ERROR, *extra], env)
    return warehouse


@pytest.fixture(scope="module")
def builds(test_raw_dir, test_warehouse, tmp_path_factory) -> dict:
    """make test-build's warehouse (the default as_of) and a folder for rebuilds of its raw data."""
    [(as_of, is_explicit)] = query(
        test_warehouse, "select as_of, is_explicit from intermediate.int_as_of_resolved"
    )
    assert not is_explicit
    return {
        "raw": test_raw_dir,
        "root": tmp_path_factory.mktemp("as_of"),
        "default": test_warehouse,
        "as_of": as_of,
    }


def test_the_default_as_of_given_explicitly_builds_the_same_warehouse(builds):
    explicit = _build(builds["raw"], builds["root"], "explicit", builds["as_of"].isoformat(sep=" "))
    assert query(explicit, "select as_of, is_explicit from intermediate.int_as_of_resolved") == [
        (builds["as_of"], True)
    ]
    differences = compare.compare_warehouses(builds["default"], explicit, method="exact")
    # only the flag that says where as_of came from; every other table and view is the same multiset of rows
    assert set(differences) == {"intermediate.int_as_of_resolved"}, differences


def test_an_earlier_as_of_leaves_out_the_later_contacts(builds):
    earlier = (builds["as_of"] - timedelta(days=20)).replace(microsecond=0)
    warehouse = _build(builds["raw"], builds["root"], "earlier", earlier.isoformat(sep=" "))
    resolved = query(warehouse, "select as_of, is_explicit from intermediate.int_as_of_resolved")
    assert resolved == [(earlier, True)]
    [(in_scope, accepted, contacts, later)] = query(
        warehouse,
        """
        select
            (select count(*) from staging.stg_platform__contacts where initiated_at <= $1),
            (select count(*) from staging.stg_platform__contacts),
            (select count(*) from core.fct_contacts),
            (select count(*) from core.fct_contacts where initiated_at > $1)
        """,
        [earlier],
    )
    assert 0 < in_scope < accepted  # the cut-off falls inside the data
    assert (contacts, later) == (in_scope, 0)
    [(journeys,)] = query(warehouse, "select count(*) from core.fct_journeys")
    [(default_journeys,)] = query(builds["default"], "select count(*) from core.fct_journeys")
    assert 0 < journeys < default_journeys
