"""Run dbt_project_evaluator on a copy of this project and compare its findings with the README's exceptions.

The evaluator (dbt-labs/dbt-project-evaluator) is a dbt package; this project does not depend on it (the dbt
package hub is unreachable from CI, and STYLE.md keeps hub packages out of the repo). This script takes a
local checkout of it and of dbt_utils (the evaluator's one dependency), copies the project's dbt files into a
temporary directory, puts both packages into that copy's dbt_packages/ (no `dbt deps`: the evaluator's own
packages.yml names the hub), runs `dbt build --select package:dbt_project_evaluator` against a throw-away
DuckDB file (the evaluator reads only the graph: none of our models is built, no raw data is read), reads
every finding from the evaluator's fct_* tables and prints them per rule.

The exceptions have one home: the README's "House-style exceptions" section, the table between the
`<!-- evaluator-exceptions:start -->` and `<!-- evaluator-exceptions:end -->` markers, one row per rule with
the model(s) it names and the reason. A finding is accepted when its rule and its model are on one row; the
model of a finding is the one the rule is about (SUBJECT_COLUMNS: e.g. the model in between for a rejoin,
the model that reads another staging model for staging-on-staging).

Configuration of the evaluator run (not of the project, so it lives here, passed with --vars):
`primary_key_test_macros` adds our own uniqueness tests (cx_unique_large + not_null on one column,
cx_unique_combination on several) to dbt's unique + not_null.

Exit status: 0 when every finding is an exception, 1 when a finding is not, 2 when the run failed. An
exception that matches no finding any more is listed as stale (remove it) but does not fail the run.

    .venv/bin/python -m scripts.ops.evaluate_project EVALUATOR_CHECKOUT --dbt-utils DBT_UTILS_CHECKOUT
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import shutil
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

from scripts.ops import dbt

log = logging.getLogger("evaluate_project")

ROOT = Path(__file__).absolute().parents[2]
README = ROOT / "README.md"
START_MARKER = "<!-- evaluator-exceptions:start -->"
END_MARKER = "<!-- evaluator-exceptions:end -->"

# The evaluator run's own configuration (its vars; our tests that prove a primary key).
EVALUATOR_VARS = {
    "primary_key_test_macros": [
        ["dbt.test_unique", "dbt.test_not_null"],
        ["cx_outcomes.test_cx_unique_large", "dbt.test_not_null"],
        ["cx_outcomes.test_cx_unique_combination"],
    ],
}

# rule (the evaluator's fct_<rule> table) -> the column naming the model (or source) the finding is about;
# a table not listed here uses its first column
SUBJECT_COLUMNS = {
    "chained_views_dependencies": "child",
    "direct_join_to_source": "child",
    "duplicate_sources": "source_names",
    "exposure_parents_materializations": "parent_resource_name",
    "exposures_dependent_on_private_models": "parent_resource_name",
    "hard_coded_references": "model",
    "marts_or_intermediate_dependent_on_source": "child",
    "missing_primary_key_tests": "resource_name",
    "model_directories": "resource_name",
    "model_fanout": "parent",
    "model_naming_conventions": "resource_name",
    "multiple_sources_joined": "child",
    "public_models_without_contract": "resource_name",
    "rejoining_of_upstream_concepts": "parent_and_child",
    "root_models": "child",
    "source_directories": "resource_name",
    "source_fanout": "parent",
    "sources_without_freshness": "resource_name",
    "staging_dependent_on_marts_or_intermediate": "child",
    "staging_dependent_on_staging": "child",
    "test_directories": "model_name",
    "too_many_joins": "resource_name",
    "undocumented_models": "resource_name",
    "undocumented_public_models": "resource_name",
    "undocumented_source_tables": "resource_name",
    "undocumented_sources": "source_name",
    "unused_sources": "parent",
}
# fct_* tables that hold a measure, not findings
NOT_FINDINGS = {"documentation_coverage", "test_coverage"}
# what of the project the copy needs: dbt_project.yml's *-paths, and these files
PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
PATH_KEYS = ("model-paths", "seed-paths", "macro-paths", "test-paths", "analysis-paths", "snapshot-paths")
PACKAGE_IGNORE = shutil.ignore_patterns(
    ".git", "integration_tests*", "docs", "target", "logs", "dbt_packages"
)


class EvaluationError(Exception):
    """The evaluator could not be run or read (exit 2)."""


@dataclass(frozen=True)
class ExceptionRow:
    rule: str
    models: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Finding:
    rule: str
    subject: str
    detail: str


# ---- the exceptions list (README) -------------------------------------------------------------------------


def exceptions_block(readme_text: str) -> str:
    """The text between the two markers of the README's exceptions table."""
    if START_MARKER not in readme_text or END_MARKER not in readme_text:
        raise EvaluationError(f"README.md has no {START_MARKER} … {END_MARKER} block")
    return readme_text.split(START_MARKER, 1)[1].split(END_MARKER, 1)[0]


def parse_exceptions(readme_text: str) -> list[ExceptionRow]:
    """The exceptions table: `| \\`rule\\` | \\`model\\`, \\`model\\` | reason |` rows (header and separator
    rows skipped). Raises EvaluationError on a row without a rule, a model or a reason, or on a rule that is
    not one of SUBJECT_COLUMNS."""
    rows = []
    for number, line in enumerate(exceptions_block(readme_text).splitlines(), start=1):
        line = line.strip()
        if not line.startswith("|") or set(line) <= set("|-: ") or line.lower().startswith("| rule"):
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if len(cells) != 3:
            raise EvaluationError(f"exceptions row {number} has {len(cells)} cells, not 3: {line}")
        rules = re.findall(r"`([^`]+)`", cells[0])
        models = tuple(re.findall(r"`([^`]+)`", cells[1]))
        if len(rules) != 1 or not models or not cells[2]:
            raise EvaluationError(
                f"exceptions row {number} needs one `rule`, `model`(s) and a reason: {line}"
            )
        if rules[0] not in SUBJECT_COLUMNS:
            raise EvaluationError(f"exceptions row {number}: unknown rule {rules[0]!r}")
        rows.append(ExceptionRow(rules[0], models, cells[2]))
    if not rows:
        raise EvaluationError("the README's exceptions table is empty")
    return rows


def accepted_pairs(rows: list[ExceptionRow]) -> set[tuple[str, str]]:
    """Every (rule, model) an exceptions row names; a pair named twice is an error (one home, one line)."""
    pairs: set[tuple[str, str]] = set()
    for row in rows:
        for model in row.models:
            if (row.rule, model) in pairs:
                raise EvaluationError(f"{row.rule}: {model} is listed more than once")
            pairs.add((row.rule, model))
    return pairs


# ---- the run ----------------------------------------------------------------------------------------------


def _check_package(path: Path, name: str) -> Path:
    project = path / "dbt_project.yml"
    if not project.is_file():
        raise EvaluationError(f"{path} is not a dbt package (no dbt_project.yml)")
    found = (yaml.safe_load(project.read_text()) or {}).get("name")
    if found != name:
        raise EvaluationError(f"{path} is the dbt package {found!r}, not {name!r}")
    return path


def copy_project(project: Path, destination: Path) -> None:
    """The files dbt needs to parse the project (no data, warehouse, target or venv)."""
    config = yaml.safe_load((project / "dbt_project.yml").read_text())
    for name in PROJECT_FILES:
        shutil.copy2(project / name, destination / name)
    for key in PATH_KEYS:
        for relative in config.get(key, []):
            source = project / relative
            if source.is_dir():
                shutil.copytree(source, destination / relative, ignore=shutil.ignore_patterns("__pycache__"))


def run_evaluator(
    project: Path, evaluator: Path, dbt_utils: Path, work: Path, evaluator_vars: dict | None = None
) -> Path:
    """Copy, install the two packages, build the evaluator's models (with `evaluator_vars`, default
    EVALUATOR_VARS); returns the DuckDB file."""
    copy = work / "project"
    copy.mkdir(parents=True)
    log.info("copying the project from %s to %s", project, copy)
    copy_project(project, copy)
    packages = copy / "dbt_packages"
    shutil.copytree(evaluator, packages / "dbt_project_evaluator", ignore=PACKAGE_IGNORE)
    shutil.copytree(dbt_utils, packages / "dbt_utils", ignore=PACKAGE_IGNORE)
    database = work / "evaluator.duckdb"
    log.info("dbt build --select package:dbt_project_evaluator (one thread, about half a minute)")
    result = dbt.run(
        [
            "build",
            "--select",
            "package:dbt_project_evaluator",
            "--vars",
            json.dumps(EVALUATOR_VARS if evaluator_vars is None else evaluator_vars),
        ],
        project_dir=copy,
        target_path=work / "target",
        profiles_dir=copy,
        raw_dir=work / "no_raw_data",
        warehouse=database,
        extra_env={"CX_DBT_TARGET": "dev", "CX_THREADS": "1", "CX_MEMORY_LIMIT": "1GB"},
        log_file=work / "dbt_output.log",
    )
    if result.returncode != 0:
        run_results = result.run_results()
        why = dbt.failure_line(result, run_results) if run_results else result.error_from_output()
        raise EvaluationError(f"the evaluator's dbt build failed: {why} (output: {work / 'dbt_output.log'})")
    return database


def read_findings(database: Path) -> tuple[list[str], list[Finding]]:
    """(every rule the evaluator checked, its findings), from the fct_* tables of its DuckDB file."""
    with duckdb.connect(str(database), read_only=True) as connection:
        tables = [
            (schema, name)
            for schema, name in connection.execute(
                "select table_schema, table_name from information_schema.tables"
                " where table_name like 'fct\\_%' escape '\\' order by table_name"
            ).fetchall()
            if name.removeprefix("fct_") not in NOT_FINDINGS
        ]
        if not tables:
            raise EvaluationError(f"{database} holds no fct_* table of the evaluator")
        rules, findings = [], []
        for schema, name in tables:
            rule = name.removeprefix("fct_")
            rules.append(rule)
            cursor = connection.execute(f'select * from "{schema}"."{name}"')
            columns = [column[0] for column in cursor.description]
            subject = SUBJECT_COLUMNS.get(rule, columns[0])
            for row in cursor.fetchall():
                record = dict(zip(columns, row, strict=True))
                detail = ", ".join(f"{key}={value}" for key, value in record.items() if key != subject)
                findings.append(Finding(rule, str(record[subject]), detail))
    return rules, findings


# ---- the report -------------------------------------------------------------------------------------------


def summarise(
    rules: list[str], findings: list[Finding], pairs: set[tuple[str, str]]
) -> tuple[list[tuple[str, int, int, int]], list[Finding], list[tuple[str, str]]]:
    """Per rule with findings: (rule, findings, of them excepted, open); the open findings; the exceptions
    that matched nothing (stale)."""
    by_rule: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_rule[finding.rule].append(finding)
    table, open_findings = [], []
    for rule in rules:
        if not by_rule.get(rule):
            continue
        excepted = [f for f in by_rule[rule] if (rule, f.subject) in pairs]
        still_open = [f for f in by_rule[rule] if (rule, f.subject) not in pairs]
        table.append((rule, len(by_rule[rule]), len(excepted), len(still_open)))
        open_findings.extend(still_open)
    matched = {(f.rule, f.subject) for f in findings}
    stale = sorted(pair for pair in pairs if pair not in matched)
    return table, open_findings, stale


def render(
    table: list[tuple[str, int, int, int]], open_findings: list[Finding], stale: list[tuple[str, str]]
) -> str:
    lines = [f"{'rule':45} {'findings':>8} {'excepted':>8} {'open':>5}", "-" * 69]
    lines += [f"{rule:45} {total:8} {excepted:8} {still:5}" for rule, total, excepted, still in table]
    lines.append("-" * 69)
    lines.append(
        f"{'total':45} {sum(r[1] for r in table):8} {sum(r[2] for r in table):8} {sum(r[3] for r in table):5}"
    )
    if open_findings:
        lines += ["", "not in the README's exceptions (fix it, or add a row with the reason):"]
        lines += [f"  {f.rule}: {f.subject}  ({f.detail})" for f in open_findings]
    if stale:
        lines += ["", "exceptions that match no finding any more (remove them from the README):"]
        lines += [f"  {rule}: {model}" for rule, model in stale]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.ops.evaluate_project",
        description=__doc__.split("\n\n")[0],
        epilog="\n\n".join(__doc__.split("\n\n")[1:]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("evaluator", type=Path, help="a local checkout of dbt-labs/dbt-project-evaluator")
    parser.add_argument(
        "--dbt-utils",
        type=Path,
        help="a local checkout of dbt-labs/dbt-utils 1.x (default: <evaluator>/dbt_packages/dbt_utils)",
    )
    parser.add_argument(
        "--project", type=Path, default=ROOT, help="the project to evaluate (default: this one)"
    )
    parser.add_argument(
        "--readme", type=Path, help="the README holding the exceptions (default: the project's)"
    )
    parser.add_argument("--work-dir", type=Path, help="keep the copy, the DuckDB file and dbt's output here")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON instead of a table")
    parser.add_argument(
        "--default-vars",
        action="store_true",
        help="run the evaluator with its own defaults (without this project's primary_key_test_macros)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr
    )

    try:
        evaluator = _check_package(args.evaluator.resolve(), "dbt_project_evaluator")
        bundled_utils = evaluator / "dbt_packages" / "dbt_utils"
        if args.dbt_utils is None and not bundled_utils.is_dir():
            raise EvaluationError(
                f"no {bundled_utils}: pass --dbt-utils <a checkout of dbt-labs/dbt-utils 1.x>"
                " (the evaluator's dependency; the dbt package hub is not used)"
            )
        dbt_utils = _check_package((args.dbt_utils or bundled_utils).resolve(), "dbt_utils")
        project = args.project.resolve()
        if not (project / "dbt_project.yml").is_file():
            raise EvaluationError(f"{project} has no dbt_project.yml")
        readme = (args.readme or project / "README.md").resolve()
        evaluator_vars = {} if args.default_vars else EVALUATOR_VARS
        pairs = accepted_pairs(parse_exceptions(readme.read_text(encoding="utf-8")))
        log.info("%d exceptions (rule, model) in %s", len(pairs), readme)
        if args.work_dir:
            work = args.work_dir.resolve()
            if work.exists() and any(work.iterdir()):
                raise EvaluationError(f"--work-dir {work} is not empty")
            work.mkdir(parents=True, exist_ok=True)
            rules, findings = read_findings(
                run_evaluator(project, evaluator, dbt_utils, work, evaluator_vars)
            )
        else:
            with tempfile.TemporaryDirectory(prefix="cx_evaluator_") as temporary:
                database = run_evaluator(project, evaluator, dbt_utils, Path(temporary), evaluator_vars)
                rules, findings = read_findings(database)
    except (EvaluationError, OSError) as error:
        print(f"evaluate_project: {error}", file=sys.stderr)
        return 2

    table, open_findings, stale = summarise(rules, findings, pairs)
    if args.json:
        print(
            json.dumps(
                {
                    "rules": [
                        dict(zip(("rule", "findings", "excepted", "open"), r, strict=True)) for r in table
                    ],
                    "open": [f.__dict__ for f in open_findings],
                    "stale_exceptions": [list(pair) for pair in stale],
                },
                indent=2,
            )
        )
    else:
        print(render(table, open_findings, stale))
    log.info(
        "%d rules checked, %d findings: %d excepted, %d open; %d stale exceptions",
        len(rules),
        len(findings),
        len(findings) - len(open_findings),
        len(open_findings),
        len(stale),
    )
    return 1 if open_findings else 0


if __name__ == "__main__":
    sys.exit(main())
