"""SPEC §8.2 end to end: the same simulated centre built from the landing zone and from Amazon Connect contact
records gives the same journeys and marts for everything Connect carries, and differs exactly where §8.2 says
Connect cannot know; bad records are quarantined or superseded with their §6 reason, none stops the build and
none is lost; an unreadable gzip file stops the night naming the file.

The datasets: one seed, written once as Connect records (`--format amazon_connect`) and once as the landing
zone with the same channel mapping (`--channel-set connect`: Connect has no messaging or web channel).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from scripts.summary import build_summary
from tests.conftest import dbt_env, generate, run_dbt
from tests.integration._nightly_support import (
    assert_nights_equal_full_refresh,
    file_digest,
    latest_record,
    nightly_env,
    run_nightly,
)
from tests.integration.test_no_personal_data import MIN_SUBSTRING_LENGTH, raw_personal_values, scan

DATASET = ("--seed", "11", "--customers", "500", "--start-date", "2025-01-01", "--days", "120")
CONNECT_SOURCES = "landing_zone,amazon_connect"
QUALITY_TABLE = "amazon_connect.contact_records"
EXPECTED_KEY = "amazon_connect_contact_records"  # the generator's name for it in _expected_quarantine.json

# What Connect's record cannot carry (SPEC §8.2), per table: the columns allowed to differ between the builds.
# Everything else must be equal, row for row.
CONTACT_DIFFERENCES = {
    "source_system",  # landing_zone vs amazon_connect, by definition
    "identity_method",  # delivered vs attribute / endpoint
    "platform_handle_seconds",  # Connect reports its own handle time; the landing zone none
    "ivr_steps",  # IVR menus are not in the record
    "has_bot_handoff",  # no bot_handoff event
    "ai_suggestions",  # one ai_suggestion per contact, at the agent connect
    "ai_suggestions_accepted",  # without its `accepted` flag
    "auth_attempts",  # one auth_attempt per contact: the last method and result
    "failed_auths",
    "sensitive_actions",  # no sensitive_action event
    "_batch_at",
}
ATTEMPT_DIFFERENCES = {
    "source_system",
    "ivr_steps",
    "has_bot_handoff",
    "auth_attempts",
    "failed_auths",
    "sensitive_actions",
    "_batch_at",
}
JOURNEY_DIFFERENCES = {
    "ivr_steps",
    "failed_auths",
    "effort_index",
    "is_high_effort",
    "effort_band",
    "effort_band_order",
    "_batch_at",
}
# marts that Connect's data leaves identical, and the columns of the others that may differ
IDENTICAL_MARTS = (
    "mart_first_contact_resolution",
    "mart_deflection_vs_resolution",
    "mart_ai_assist_uplift",
    "mart_retention_by_ai_type",
    "mart_retention_curve",
    "mart_revenue_protected",
    "mart_csat_by_ai_type",
    "mart_nps_by_ai_type",
)
MART_DIFFERENCES = {
    "mart_customer_effort": {
        "effort_index_total",
        "avg_effort_index",
        "high_effort_journeys",
        "high_effort_rate",
        "ivr_steps_total",
        "avg_ivr_steps",
        "failed_auths_total",
        "avg_failed_auths",
    },
    "mart_channel_preference": {"effort_index_total", "avg_effort_index"},
    "mart_voice_security": {"high_risk_actions"},
}


def _build(raw: Path, warehouse: Path, sources: str) -> None:
    env = dbt_env(raw, warehouse, warehouse.parent / f"target_{warehouse.stem}", CX_SOURCES=sources)
    run_dbt(["build", "--full-refresh", "--exclude-resource-type", "unit_test"], env)


def _columns(connection: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    schema, name = relation.split(".")
    return [
        row[0]
        for row in connection.execute(
            "select column_name from information_schema.columns "
            "where table_catalog = 'lz' and table_schema = ? and table_name = ? order by ordinal_position",
            [schema, name],
        ).fetchall()
    ]


def _differences(connection: duckdb.DuckDBPyConnection, relation: str, ignored: set[str]) -> tuple[int, int]:
    """(rows only in the landing-zone build, rows only in the Connect build), ignoring some columns."""
    kept = ", ".join(f'"{c}"' for c in _columns(connection, relation) if c not in ignored)
    counts = []
    for left, right in (("lz", "ac"), ("ac", "lz")):
        counts.append(
            connection.execute(
                f"select count(*) from (select {kept} from {left}.{relation} "
                f"except all select {kept} from {right}.{relation})"
            ).fetchone()[0]
        )
    return counts[0], counts[1]


@pytest.fixture(scope="module")
def parity(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("amazon_connect_parity")
    connect_raw, lz_raw = root / "connect", root / "landing_zone"
    generate(connect_raw, *DATASET, "--format", "amazon_connect")
    generate(lz_raw, *DATASET, "--channel-set", "connect")
    connect_wh = root / "connect.duckdb"
    _build(connect_raw, connect_wh, CONNECT_SOURCES)

    # SPEC §8.1 identity: the contacts whose CRM id attribute the generator left out are found again by their
    # phone / email, except those whose customer changed it since (the match reads the current CRM version)
    stats = json.loads((connect_raw / "amazon_connect" / "_parity.json").read_text())
    connection = duckdb.connect()
    connection.execute(f"attach '{connect_wh}' as ac (read_only)")
    delivered = {
        contact_id: customer_id
        for contact_id, customer_id in connection.execute(
            "select contact_id, any_value(customer_id) from "
            f"read_parquet('{lz_raw}/contacts/**/*.parquet', union_by_name = true) group by contact_id"
        ).fetchall()
    }
    identified = connection.execute(
        "select contact_id, customer_id, identity_method from ac.staging.stg_platform__contacts"
    ).fetchall()
    connection.close()
    lost = {contact_id for contact_id, customer_id, _ in identified if customer_id != delivered[contact_id]}

    # the landing zone as the identity rule leaves it: those contacts unidentified there too
    for path in sorted((lz_raw / "contacts").rglob("*.parquet")):
        table = pq.read_table(path)
        ids = table.column("contact_id").to_pylist()
        if any(contact_id in lost for contact_id in ids):
            customers = [
                None if c in lost else v
                for c, v in zip(ids, table.column("customer_id").to_pylist(), strict=True)
            ]
            index = table.schema.get_field_index("customer_id")
            field = table.schema.field(index)
            table = table.set_column(index, field, pa.array(customers, type=field.type))
            pq.write_table(table, path)
    lz_wh = root / "landing_zone.duckdb"
    _build(lz_raw, lz_wh, "landing_zone")
    return {
        "stats": stats,
        "identified": identified,
        "delivered": delivered,
        "lost": lost,
        "connect": connect_wh,
        "landing_zone": lz_wh,
    }


@pytest.fixture()
def both(parity: dict):
    connection = duckdb.connect()
    connection.execute(f"attach '{parity['landing_zone']}' as lz (read_only)")
    connection.execute(f"attach '{parity['connect']}' as ac (read_only)")
    yield connection
    connection.close()


def test_identity_by_attribute_else_by_a_unique_endpoint(parity: dict) -> None:
    stats, methods = parity["stats"], {}
    for contact_id, customer_id, method in parity["identified"]:
        methods[method] = methods.get(method, 0) + 1
        if contact_id not in parity["lost"]:
            assert customer_id == parity["delivered"][contact_id], contact_id
    dropped, unrecoverable = stats["customer_id_dropped"], stats["customer_id_dropped_unrecoverable"]
    assert dropped > 0, "the dataset must exercise the endpoint match"
    # the landing zone never identifies an anonymous caller; Connect may, when the number is a customer's
    assert (
        methods.get("endpoint", 0)
        == dropped - unrecoverable + stats["unidentified_endpoint_matches_one_customer"]
    )
    assert len(parity["lost"]) == unrecoverable
    assert {method for contact_id, _, method in parity["identified"] if contact_id in parity["lost"]} <= {
        "none"
    }
    assert methods.get("ambiguous", 0) == 0


def test_every_connect_record_is_accounted_for(both: duckdb.DuckDBPyConnection, parity: dict) -> None:
    stats = parity["stats"]
    rows = dict(
        both.execute(
            f"select status || coalesce(':' || reason, ''), sum(rows) from ac.outcomes.mart_data_quality "
            f"where table_name = '{QUALITY_TABLE}' group by 1"
        ).fetchall()
    )
    per_id = stats["records_per_contact_id"]
    assert rows.pop("accepted") == stats["contact_ids"]
    assert rows.pop("superseded", 0) == sum((int(n) - 1) * count for n, count in per_id.items())
    assert rows == {f"excluded:{reason}": n for reason, n in stats["excluded_records"].items() if n}


def test_contacts_attempts_and_journeys_agree(both: duckdb.DuckDBPyConnection) -> None:
    for relation, ignored in (
        ("core.fct_contacts", CONTACT_DIFFERENCES),
        ("core.fct_attempts", ATTEMPT_DIFFERENCES),
        ("core.fct_journeys", JOURNEY_DIFFERENCES),
    ):
        assert both.execute(f"select count(*) from lz.{relation}").fetchone()[0] > 500
        assert _differences(both, relation, ignored) == (0, 0), relation


def test_holds_agree_contact_by_contact(both: duckdb.DuckDBPyConnection) -> None:
    # SPEC §8.2: CustomerHoldDuration carries exactly the hold time the landing zone's events pair up
    held = both.execute("select count(*) from lz.core.fct_contacts where hold_seconds > 0").fetchone()[0]
    assert held > 20
    assert _differences(both, "core.fct_contacts", CONTACT_DIFFERENCES - {"hold_seconds"}) == (0, 0)


def test_the_differences_are_real(both: duckdb.DuckDBPyConnection) -> None:
    # the ignored columns do differ: IVR steps and sensitive actions exist only in the landing zone
    totals = "select sum(ivr_steps), sum(sensitive_actions) from {}.core.fct_contacts"
    lz_ivr, lz_actions = both.execute(totals.format("lz")).fetchone()
    ac_ivr, ac_actions = both.execute(totals.format("ac")).fetchone()
    assert lz_ivr > 0 and ac_ivr == 0
    assert lz_actions > 0 and ac_actions == 0
    assert both.execute("select count(*) from ac.outcomes.fct_voice_risk_alerts").fetchone()[0] == 0


@pytest.mark.parametrize("mart", IDENTICAL_MARTS)
def test_marts_connect_carries_are_identical(both: duckdb.DuckDBPyConnection, mart: str) -> None:
    assert both.execute(f"select count(*) from lz.outcomes.{mart}").fetchone()[0] > 0
    assert _differences(both, f"outcomes.{mart}", set()) == (0, 0)


@pytest.mark.parametrize(("mart", "ignored"), sorted(MART_DIFFERENCES.items()))
def test_other_marts_differ_only_where_connect_cannot_know(
    both: duckdb.DuckDBPyConnection, mart: str, ignored: set[str]
) -> None:
    assert _differences(both, f"outcomes.{mart}", ignored) == (0, 0)


def test_reconciliation_mart_reads_connect_beside_ours(both: duckdb.DuckDBPyConnection) -> None:
    row = both.execute(
        """
        select sum(connect_contacts), sum(connect_contacts_handled), sum(connect_resolution_groups),
               sum(connect_single_contact_groups), sum(attempts), sum(matured_journeys), sum(fcr_journeys),
               sum(connect_handle_seconds_total), sum(handle_seconds_total)
        from ac.outcomes.mart_amazon_connect_reconciliation
        """
    ).fetchone()
    contacts, handled, groups, single, attempts, matured, fcr, connect_handle, our_handle = row
    facts = both.execute(
        "select count(*), count(*) filter (where is_agent_connected) from ac.core.fct_contacts"
    ).fetchone()
    assert (contacts, handled) == facts
    assert attempts == both.execute("select count(*) from ac.core.fct_attempts").fetchone()[0]
    assert (
        matured
        == both.execute(
            "select count(*) from ac.core.fct_journeys where is_identified and is_matured"
        ).fetchone()[0]
    )
    # Connect's FCR reading (one-contact cases / chains) is higher than ours (one-attempt resolved journeys)
    assert single / groups > fcr / matured
    # Connect's AHT adds after-contact work
    assert connect_handle > our_handle


@pytest.fixture(scope="module")
def bad_night(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("amazon_connect_bad")
    raw = root / "raw"
    generate(
        raw, "--seed", "5", "--customers", "300", "--days", "40", "--format", "amazon_connect", "--bad-rows"
    )
    live = root / "warehouse" / "cx.duckdb"
    result = run_nightly(raw, live, env=nightly_env(CX_SOURCES=CONNECT_SOURCES))
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr[-3000:]}"
    return {"raw": raw, "live": live, "record": latest_record(live)}


def test_bad_records_are_quarantined_with_their_reason(bad_night: dict) -> None:
    expected = json.loads((bad_night["raw"] / "_expected_quarantine.json").read_text())
    connection = duckdb.connect(str(bad_night["live"]), read_only=True)
    try:
        actual = dict(
            connection.execute(
                "select reason, count(*) from staging.quarantine "
                f"where table_name = '{QUALITY_TABLE}' group by 1"
            ).fetchall()
        )
        raw_rows = [
            json.loads(row[0])
            for row in connection.execute(
                f"select raw_row from staging.quarantine where table_name = '{QUALITY_TABLE}'"
            ).fetchall()
        ]
    finally:
        connection.close()
    assert actual == expected[EXPECTED_KEY]
    # a re-delivery with a lower LastUpdateTimestamp than the record already loaded ends superseded
    stats = json.loads((bad_night["raw"] / "amazon_connect" / "_parity.json").read_text())
    redelivered = sum((int(n) - 1) * count for n, count in stats["records_per_contact_id"].items())
    stale = expected["superseded_extra"][EXPECTED_KEY]
    assert stale > 0
    checks = {check["name"]: check for check in bad_night["record"]["validation"]["checks"]}
    assert checks[f"conservation:{QUALITY_TABLE}"]["values"]["superseded"] == redelivered + stale
    # the line is kept (a malformed one too), with the file it came from
    assert all(row["line"] and row["filename"].endswith(".json.gz") for row in raw_rows)


def test_bad_night_is_conserved_and_validated(bad_night: dict) -> None:
    record = bad_night["record"]
    assert record["sources"] == ["landing_zone", "amazon_connect"]
    checks = {check["name"]: check for check in record["validation"]["checks"]}
    connect = checks[f"conservation:{QUALITY_TABLE}"]
    assert connect["status"] == "pass"
    values = connect["values"]
    assert values["quarantined"] == sum(
        json.loads((bad_night["raw"] / "_expected_quarantine.json").read_text())[EXPECTED_KEY].values()
    )
    assert values["excluded"] > 0
    assert checks["staged:contacts"]["status"] == "pass"
    assert checks["personal_data_columns"]["status"] == "pass"


def test_no_personal_data_from_connect_records(bad_night: dict) -> None:
    # every endpoint of the records (and every CRM value) is absent from the warehouse, quarantine included
    values = raw_personal_values(bad_night["raw"])
    connection = duckdb.connect()
    rows = connection.execute(
        "select distinct json_extract_string(line, '$.CustomerEndpoint.Address') from read_csv("
        f"'{bad_night['raw']}/amazon_connect/contact_records/**/*.json.gz', columns = {{'line': 'VARCHAR'}}, "
        "header = false, delim = chr(30), quote = '', escape = '', auto_detect = false, strict_mode = false, "
        "null_padding = true) where json_valid(line)"
    ).fetchall()
    connection.close()
    endpoints = {row[0] for row in rows if row[0]}
    assert len(endpoints) > 50
    values |= {value for value in endpoints if len(value) >= MIN_SUBSTRING_LENGTH}
    assert scan(bad_night["live"], values) == {}


def test_an_unreadable_gzip_stops_the_night_naming_it(bad_night: dict) -> None:
    live, raw = bad_night["live"], bad_night["raw"]
    digest = file_digest(live)
    folder = sorted((raw / "amazon_connect" / "contact_records").rglob("*.json.gz"))[-1].parent
    broken = folder / "zz-broken.json.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00 this is not a gzip stream")
    try:
        result = run_nightly(raw, live, env=nightly_env(CX_SOURCES=CONNECT_SOURCES))
    finally:
        broken.unlink()
    assert result.returncode == 3, result.stdout
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1 and str(broken) in lines[0] and "landing zone" in lines[0], lines
    assert file_digest(live) == digest


def test_night_by_night_from_connect_records_equals_a_full_refresh(tmp_path: Path) -> None:
    # SPEC §7 with a platform on: new record files each night, re-deliveries of older contacts, CRM versions
    # that change a caller's phone (the endpoint match is re-evaluated, int_changed_contacts)
    assert_nights_equal_full_refresh(
        tmp_path,
        nightly_env(CX_SOURCES=CONNECT_SOURCES),
        *("--seed", "3", "--customers", "400", "--days", "30", "--format", "amazon_connect"),
    )


def test_summary_shows_connect_beside_ours(bad_night: dict) -> None:
    connection = duckdb.connect(str(bad_night["live"]), read_only=True)
    try:
        sections = dict(build_summary(connection))
    finally:
        connection.close()
    rows = dict(sections["Amazon Connect: its readings beside ours"])
    assert rows["Connect contacts"] != "0"
    assert rows["Connect's FCR (one-contact groups / groups)"].endswith("%")
