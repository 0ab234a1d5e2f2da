"""Validation of a built warehouse (SPEC §6, §7), on any warehouse file opened read-only.

Checks (each reported as pass / fail / warn / skip with its figures):
- conservation, per raw table and platform object (SPEC §6, §8.1): received rows (counted straight from
  the Parquet files; a platform's JSON lines counted in Python) = accepted + superseded + quarantined +
  excluded in mart_data_quality; each staging model holds the accepted rows of every source feeding it
  (plus the events a platform's records imply).
- reconciliation of marts with facts and metric bounds: dbt data tests, their one home (tag:reconciliation:
  the singular tests `*_reconciles*`, e.g. Σ journeys of mart_first_contact_resolution = fct_journeys' rows;
  tag:bounds: cx_rates_bounded on every fact, dimension and mart, every *_rate column and survival, precision,
  recall in [0, 1] or null). They are warn-severity, so a failure does not stop the dbt build; this module
  reads how each ran from the build's run_results.json (which tests carry the tags: its manifest.json) and
  reports it as a check named after the test (figures: its failing rows), so the nightly fails with exit 6.
  Without a build's results (`python -m scripts.validate` on a file) they are skipped, saying so.
- unknown intents (warn): intents of accepted contacts missing from the intents seed (SPEC §2).
- personal data (SPEC §7): no column of any schema is named after a raw personal-data column, and no view or
  macro holds the hash salt in its SQL.
- effort calibration (info): Spearman rank correlation between band_order and avg_ces of
  mart_effort_calibration (SPEC §4.5 expects it negative: more effort, less ease).
"""

from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from scripts.ops import adapters, salt

log = logging.getLogger(__name__)
PROJECT_DIR = Path(__file__).resolve().parents[2]

# tags of the dbt data tests that are validation checks (warn-severity: this step, not the build, fails on
# them)
VALIDATION_TAGS = ("reconciliation", "bounds")
# run_results.json statuses of a data test: passed; returned failing rows (warn: its severity); could not run
PASSED, FAILING_ROWS, NOT_RUN = "pass", ("warn", "fail"), "skipped"


@dataclass
class Check:
    name: str
    status: str  # pass / fail / warn / skip / info
    detail: str = ""
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class ValidationResult:
    checks: list[Check] = field(default_factory=list)
    unknown_intents: list[dict[str, Any]] = field(default_factory=list)
    effort_ces_spearman: float | None = None

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if check.status == "fail"]

    @property
    def status(self) -> str:
        return "fail" if self.failed else "pass"

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "failed": [check.name for check in self.failed],
            "checks": [asdict(check) for check in self.checks],
            "unknown_intents": self.unknown_intents,
            "effort_ces_spearman": self.effort_ces_spearman,
        }


def _existing_tables(connection: duckdb.DuckDBPyConnection) -> set[str]:
    rows = connection.execute(
        "select table_schema || '.' || table_name from information_schema.tables"
    ).fetchall()
    return {row[0] for row in rows}


def _scalar(connection: duckdb.DuckDBPyConnection, sql: str) -> Any:
    return connection.execute(sql).fetchone()[0]


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def received_rows(raw_dir: str, table: str, connection: duckdb.DuckDBPyConnection | None = None) -> int:
    """Rows delivered for one raw table, counted straight from its Parquet files' footers (0 when there are
    none): the row counts `count(*)` would read, without reconciling the files' schemas first (union_by_name
    cost 0.9 of the validation's 1.8 s at scale S). `connection`: an in-memory session to reuse."""
    pattern = _sql_string(f"{raw_dir.rstrip('/')}/{table}/**/*.parquet")
    own = connection is None
    connection = duckdb.connect() if connection is None else connection
    try:
        if not _scalar(connection, f"select count(*) from glob({pattern})"):
            return 0
        footers = f"select coalesce(sum(num_rows), 0) from parquet_file_metadata({pattern})"
        return int(_scalar(connection, footers))
    finally:
        if own:
            connection.close()


def received_platform_rows(raw_dir: str, obj: adapters.PlatformObject) -> int | None:
    """Records delivered for one platform object: the non-blank lines of its files, counted in Python (an
    implementation independent of the SQL that reads them); None for a raw dir that is not a local path."""
    if "://" in raw_dir:
        return None
    return sum(obj.count(path) for path in Path(raw_dir).glob(obj.files))


def check_conservation(
    connection: duckdb.DuckDBPyConnection,
    raw_dir: str,
    contract: dict[str, dict[str, Any]],
    tables: set[str],
    sources: list[str] | None = None,
    platform_objects: list[adapters.PlatformObject] | None = None,
    adjustments: dict[str, list[adapters.Adjustment]] | None = None,
) -> list[Check]:
    """SPEC §6, §8.1 per raw table or platform object: received = accepted + superseded + quarantined +
    excluded; and each SPEC §2 table's staging model holds the accepted rows of every source feeding it, plus
    the events the platforms' records imply, minus the records another source's record stands for
    (`adjustments`, adapters.staged_adjustments; None: read from this project's registry)."""
    if "outcomes.mart_data_quality" not in tables:
        return [Check("conservation", "fail", "outcomes.mart_data_quality is missing")]
    sources = sources or [adapters.LANDING_ZONE]
    platform_objects = platform_objects or []
    if adjustments is None:
        adjustments = adapters.staged_adjustments(PROJECT_DIR, sources)
    counted = {
        (table, status): int(rows)
        for table, status, rows in connection.execute(
            "select table_name, status, sum(rows) from outcomes.mart_data_quality group by 1, 2"
        ).fetchall()
    }
    # (quality table, SPEC §2 table it feeds, how many rows were received; None = cannot count)
    feeds: list[tuple[str, str, int | None]] = []
    if adapters.LANDING_ZONE in sources:
        files = duckdb.connect()
        try:
            feeds += [(table, table, received_rows(raw_dir, table, files)) for table in contract]
        finally:
            files.close()
    feeds += [
        (obj.quality_table, obj.maps_to, received_platform_rows(raw_dir, obj)) for obj in platform_objects
    ]
    checks = []
    accepted_by_table: dict[str, int] = {}
    for quality_table, table, received in feeds:
        values: dict[str, Any] = {"received": received}
        for status in ("accepted", "superseded", "quarantined", "excluded"):
            values[status] = counted.get((quality_table, status), 0)
        accounted = values["accepted"] + values["superseded"] + values["quarantined"] + values["excluded"]
        accepted_by_table[table] = accepted_by_table.get(table, 0) + values["accepted"]
        if received is None:
            detail = f"{quality_table} lines are counted on local paths only, not under {raw_dir}"
            checks.append(Check(f"conservation:{quality_table}", "skip", detail, values))
            continue
        ok = received == accounted
        detail = (
            f"received {received} {'=' if ok else '!='} {values['accepted']} + {values['superseded']} + "
            f"{values['quarantined']}" + (f" + {values['excluded']} excluded" if values["excluded"] else "")
        )
        checks.append(Check(f"conservation:{quality_table}", "pass" if ok else "fail", detail, values))
    for table, accepted in accepted_by_table.items():
        if table is None:
            continue  # a platform object that feeds no SPEC §2 table (Zendesk's comments)
        staging_model = f"staging.stg_{contract[table]['source']}__{table}"
        if staging_model not in tables:
            continue
        staged = int(_scalar(connection, f"select count(*) from {staging_model}"))
        # events a platform's records imply (SPEC §8.2) are staged beside the delivered ones; records another
        # source's record stands for (SPEC §8.5) are not staged
        implied = folded = 0
        for model, where, sign in adjustments.get(table, []):
            if model not in tables:
                continue
            condition = f" where {where}" if where else ""
            rows = int(_scalar(connection, f"select count(*) from {model}{condition}"))
            if sign > 0:
                implied += rows
            else:
                folded += rows
        expected = accepted + implied - folded
        ok = staged == expected
        parts = (
            f"{accepted} accepted"
            + (f" + {implied} implied by platform records" if implied else "")
            + (f" - {folded} counted as another source's contact" if folded else "")
        )
        compared = f" = {parts}" if ok else f", not {expected} ({parts})"
        detail = f"{staging_model} has {staged} rows{compared}"
        checks.append(
            Check(
                f"staged:{table}",
                "pass" if ok else "fail",
                detail,
                {"staged": staged, "accepted": accepted, "implied": implied, "folded": folded},
            )
        )
    return checks


@dataclass
class DbtResults:
    """What the candidate's dbt build left: its parsed manifest.json (which tests carry a validation tag) and
    its run_results.json (how each ran; of several invocations, their results added up). `tests_skipped`:
    why the build ran no data test (--skip-tests), or None."""

    manifest: dict[str, Any]
    run_results: dict[str, Any] | None
    tests_skipped: str | None = None


def validation_tests(manifest: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(tag, unique id, name) of every enabled data test of the manifest with a validation tag, by tag and
    name."""
    found = []
    for unique_id, node in manifest.get("nodes", {}).items():
        if node.get("resource_type") != "test":
            continue
        tags = [tag for tag in VALIDATION_TAGS if tag in node.get("tags", [])]
        if tags:
            found.append((tags[0], unique_id, node["name"]))
    return sorted(found, key=lambda item: (VALIDATION_TAGS.index(item[0]), item[2]))


def check_dbt_tests(results: DbtResults | None) -> list[Check]:
    """One check per reconciliation or bounds dbt test, named after it, from the build's run_results: pass,
    fail (it returned failing rows, or could not run), or skip (dbt skipped it; the build ran no data test).
    None (no build at hand): one skip per tag, saying where the results come from."""
    if results is None:
        return [
            Check(
                f"dbt:tag:{tag}",
                "skip",
                f"dbt tests (tag:{tag}): their results come from the dbt build (the nightly records them in "
                "warehouse/runs/<run id>.json, validation.checks); to run them again, on a copy of the "
                f"file (dbt writes to it): CX_WAREHOUSE=<copy> dbt test --select tag:{tag}",
            )
            for tag in VALIDATION_TAGS
        ]
    tests = validation_tests(results.manifest)
    if not tests:
        tags = ", ".join(f"tag:{tag}" for tag in VALIDATION_TAGS)
        return [Check("dbt:validation_tests", "fail", f"the dbt manifest has no data test with {tags}")]
    ran = {result["unique_id"]: result for result in (results.run_results or {}).get("results", [])}
    checks = []
    for tag, unique_id, name in tests:
        result = ran.get(unique_id)
        if result is None:
            status = "skip" if results.tests_skipped else "fail"
            detail = f"not run ({results.tests_skipped})" if results.tests_skipped else "not run by the build"
            checks.append(Check(name, status, detail, {"tag": tag, "failures": None}))
            continue
        dbt_status, failures = result.get("status"), result.get("failures")
        if dbt_status == PASSED:
            status, detail = "pass", "0 failing rows"
        elif dbt_status in FAILING_ROWS:
            status, detail = "fail", f"{failures} failing row(s)"
        elif dbt_status == NOT_RUN:
            status, detail = "skip", "skipped by dbt (an upstream node failed)"
        else:  # error: the test's SQL did not run
            message = " ".join((result.get("message") or "").split())[:300]
            status, detail = "fail", f"dbt {dbt_status}: {message}"
        values = {"tag": tag, "failures": failures, "dbt_status": dbt_status}
        checks.append(Check(name, status, detail, values))
    return checks


def unknown_intents(connection: duckdb.DuckDBPyConnection, tables: set[str]) -> list[dict[str, Any]]:
    """Intents of accepted contacts that the intents seed does not list (SPEC §2)."""
    if "staging.stg_platform__contacts" not in tables or "reference.intents" not in tables:
        return []
    rows = connection.execute(
        """
        select contacts.intent, count(*) as contacts
        from staging.stg_platform__contacts as contacts
        left join reference.intents as intents
            on contacts.intent = lower(trim(intents.intent))
        where contacts.intent is not null and intents.intent is null
        group by contacts.intent
        order by contacts.intent
        """
    ).fetchall()
    return [{"intent": intent, "contacts": count} for intent, count in rows]


SPEARMAN_SQL = """
    with

    points as (
        select unnest($xs::double[]) as x, unnest($ys::double[]) as y
    ),

    ranked as (
        -- average ranks for ties: rank() is the first rank of a tied group, which spans count(*) ranks
        select
            rank() over (order by x) + (count(*) over (partition by x) - 1) / 2 as x_rank,
            rank() over (order by y) + (count(*) over (partition by y) - 1) / 2 as y_rank
        from points
    )

    select corr(x_rank, y_rank) from ranked
"""


def spearman(xs: list[float], ys: list[float]) -> float | None:
    """Spearman rank correlation (average ranks for ties): DuckDB's corr() of the ranks; None with fewer
    than 2 points or no spread."""
    if len(xs) < 2:
        return None
    with duckdb.connect(config={"threads": 1}) as connection:  # one summing order: the same last digit
        (rho,) = connection.execute(SPEARMAN_SQL, {"xs": xs, "ys": ys}).fetchone()
    return None if rho is None or math.isnan(rho) else min(1.0, max(-1.0, rho))  # rounding: |rho| <= 1


def effort_calibration(connection: duckdb.DuckDBPyConnection, tables: set[str]) -> Check:
    if "outcomes.mart_effort_calibration" not in tables:
        return Check("effort_calibration_spearman", "skip", "mart_effort_calibration not built")
    rows = connection.execute(
        "select band_order, avg_ces from outcomes.mart_effort_calibration "
        "where avg_ces is not null order by band_order"
    ).fetchall()
    rho = spearman([float(row[0]) for row in rows], [float(row[1]) for row in rows])
    detail = (
        "fewer than two bands with survey CES"
        if rho is None
        else f"Spearman(band_order, avg_ces) = {rho:.3f} over {len(rows)} bands (expected < 0)"
    )
    return Check(
        "effort_calibration_spearman",
        "info",
        detail,
        {"rho": rho, "bands": [[int(a), float(b)] for a, b in rows]},
    )


def check_personal_data_columns(
    connection: duckdb.DuckDBPyConnection, contract: dict[str, dict[str, Any]]
) -> Check:
    """SPEC §7: no relation in any schema has a column named after a personal-data column of the raw
    contract (they are stored as <name>_hash, or not at all); a name a var may expose (agent_name) is
    left to that var."""
    names = sorted(
        {
            column["name"].lower()
            for table in contract.values()
            for column in table["columns"]
            if column.get("pii") and not column.get("expose_var")
        }
    )
    if not names:
        return Check("personal_data_columns", "skip", "the contract marks no personal-data column")
    found = connection.execute(
        "select table_schema || '.' || table_name || '.' || column_name from information_schema.columns "
        f"where lower(column_name) in ({', '.join(_sql_string(n) for n in names)}) order by 1"
    ).fetchall()
    if found:
        listed = ", ".join(row[0] for row in found)
        return Check("personal_data_columns", "fail", f"personal data stored in clear: {listed}")
    return Check("personal_data_columns", "pass", f"no column named {', '.join(names)}")


def check_salt_not_stored(connection: duckdb.DuckDBPyConnection, salt_value: str) -> Check:
    """SPEC §7: no view or macro of the file holds the hash salt in its SQL (with it, anyone who can open the
    file could brute-force the hashed phone numbers)."""
    if len(salt_value) < 8:
        return Check("salt_not_stored", "skip", "the salt is too short to search for")
    pattern = f"%{salt_value}%"
    found = connection.execute(
        """
        select schema_name || '.' || view_name from duckdb_views() where sql like ?
        union all
        select schema_name || '.' || function_name from duckdb_functions() where macro_definition like ?
        """,
        [pattern, pattern],
    ).fetchall()
    if found:
        return Check(
            "salt_not_stored", "fail", f"the hash salt is in the SQL of {', '.join(r[0] for r in found)}"
        )
    return Check("salt_not_stored", "pass", "no view or macro holds the salt")


def validate(
    warehouse: Path,
    raw_dir: str,
    contract: dict[str, dict[str, Any]],
    sources: list[str] | None = None,
    project_dir: Path = PROJECT_DIR,
    dbt_results: DbtResults | None = None,
) -> ValidationResult:
    """Run every check on `warehouse`, opened read-only, for the sources it was built from (default: the
    environment's, CX_SOURCES); the reconciliation and bounds checks from `dbt_results`, the dbt build that
    produced it (None: skipped, saying so)."""
    sources = sources if sources is not None else adapters.enabled_sources(project_dir)
    result = ValidationResult()
    connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = _existing_tables(connection)
        result.checks += check_conservation(
            connection,
            raw_dir,
            contract,
            tables,
            sources,
            adapters.objects(project_dir, sources),
            adapters.staged_adjustments(project_dir, sources),
        )
        result.checks += check_dbt_tests(dbt_results)
        result.checks.append(check_personal_data_columns(connection, contract))
        result.checks.append(check_salt_not_stored(connection, salt.resolve(project_dir).value))
        result.unknown_intents = unknown_intents(connection, tables)
        result.checks.append(
            Check(
                "unknown_intents",
                "warn" if result.unknown_intents else "pass",
                ", ".join(f"{row['intent']} ({row['contacts']})" for row in result.unknown_intents)
                or "every intent is in the intents seed",
            )
        )
        calibration = effort_calibration(connection, tables)
        result.effort_ces_spearman = calibration.values.get("rho")
        result.checks.append(calibration)
    finally:
        connection.close()
    return result
