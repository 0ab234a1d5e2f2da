"""The README's dbt_project_evaluator exceptions (scripts/ops/evaluate_project.py reads them) parse, and
name only rules the script knows and models and sources that exist. No evaluator needed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scripts.ops import evaluate_project
from scripts.ops.evaluate_project import EvaluationError, Finding

ROOT = Path(__file__).absolute().parents[2]


def _models() -> set[str]:
    return {path.stem for path in (ROOT / "models").rglob("*.sql")}


def _sources() -> set[str]:
    names = set()
    for path in (ROOT / "models").rglob("*.yml"):
        for source in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("sources", []):
            names.update(f"{source['name']}.{table['name']}" for table in source.get("tables", []))
    return names


@pytest.fixture(scope="module")
def rows() -> list[evaluate_project.ExceptionRow]:
    return evaluate_project.parse_exceptions((ROOT / "README.md").read_text(encoding="utf-8"))


def test_readme_exceptions_parse(rows):
    assert rows, "the README's exceptions table is empty"
    pairs = evaluate_project.accepted_pairs(rows)  # raises on a (rule, model) listed twice
    assert len(pairs) == sum(len(row.models) for row in rows)
    for row in rows:
        assert row.rule in evaluate_project.SUBJECT_COLUMNS
        assert len(row.reason) > 20, f"{row.rule}: a reason, not a label: {row.reason!r}"


def test_readme_exceptions_name_existing_models(rows):
    known = _models() | _sources()
    unknown = sorted({f"{row.rule}: {model}" for row in rows for model in row.models if model not in known})
    assert not unknown, f"the README's exceptions name models or sources that do not exist: {unknown}"


# the evaluator's rules whose finding is a source, not a model
SOURCE_RULES = {
    "duplicate_sources",
    "source_directories",
    "source_fanout",
    "sources_without_freshness",
    "undocumented_source_tables",
    "undocumented_sources",
    "unused_sources",
}


def test_source_rules_name_sources_and_model_rules_models(rows):
    sources = _sources()
    wrong = [
        f"{row.rule}: {name}"
        for row in rows
        for name in row.models
        if (name in sources) != (row.rule in SOURCE_RULES)
    ]
    assert not wrong, f"a source named by a model rule, or a model by a source rule: {wrong}"


BLOCK = """
intro
<!-- evaluator-exceptions:start -->
| rule | model(s) | reason |
|---|---|---|
| `model_fanout` | `a`, `b` | read by many on purpose |
| `too_many_joins` | `c` | a union, not a join |
<!-- evaluator-exceptions:end -->
"""


def test_parse_and_compare_findings():
    pairs = evaluate_project.accepted_pairs(evaluate_project.parse_exceptions(BLOCK))
    assert pairs == {("model_fanout", "a"), ("model_fanout", "b"), ("too_many_joins", "c")}
    findings = [
        Finding("model_fanout", "a", ""),
        Finding("model_fanout", "x", ""),
        Finding("test_directories", "y", ""),
    ]
    table, open_findings, stale = evaluate_project.summarise(
        ["model_fanout", "test_directories", "too_many_joins"], findings, pairs
    )
    assert table == [("model_fanout", 2, 1, 1), ("test_directories", 1, 0, 1)]
    assert [f.subject for f in open_findings] == ["x", "y"]
    assert stale == [("model_fanout", "b"), ("too_many_joins", "c")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no markers", "no <!--"),
        (BLOCK.replace("`model_fanout`", "`model_fan_out`"), "unknown rule"),
        (BLOCK.replace("| read by many on purpose |", "| |"), "needs one `rule`"),
        (BLOCK.replace("`c` |", "`a` |").replace("too_many_joins", "model_fanout"), "more than once"),
    ],
)
def test_bad_tables_are_refused(text, message):
    with pytest.raises(EvaluationError, match=message):
        evaluate_project.accepted_pairs(evaluate_project.parse_exceptions(text))
